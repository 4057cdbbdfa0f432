#!/bin/bash
# run-pcap.sh - packets per second counted from the wire, and drops:
# netpatrold's link against tcpdump -w /dev/null and darkstat, all three
# capturing the same interface at once while a UDP flood of small packets
# crosses it (the host end of a veth pair; the sender in a network
# namespace this script makes; nothing leaves the machine). Each tool's
# count is compared with the kernel's own (rx_packets of the interface
# over the same window); its CPU seconds are read from /proc.
#
# usage: bench/run-pcap.sh [-t SECONDS] [-l BYTES] [-b RATE] [-P N]
#                          [-o FILE|-]
#   -t  flood duration (10)   -l  UDP payload bytes (64)
#   -b  each iperf3's rate, 0 = as fast as it can (0)
#   -P  iperf3 senders at once, each with its own receiver (1)
#   -o  results file to append to (bench/RESULTS.md; - for none)
# Needs root, iperf3, tcpdump, darkstat, curl, python3.
set -u
D=10 L=64 B=0 P=1
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/RESULTS.md
while getopts t:l:b:P:o: o; do
	case $o in
	t) D=$OPTARG ;; l) L=$OPTARG ;; b) B=$OPTARG ;; P) P=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) sed -n '2,17p' "$0"; exit 1 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "run-pcap.sh: needs root" >&2; exit 1; }
for c in iperf3 tcpdump darkstat curl python3; do
	command -v "$c" >/dev/null || { echo "run-pcap.sh: $c is not installed" >&2; exit 1; }
done
NETPATROLD=${NETPATROLD:-$HERE/../build/netpatrold}
NETPATROL=${NETPATROL:-$HERE/../build/netpatrol}
W=$(mktemp -d /tmp/np-bench-pcap.XXXXXX)
NS=np-bpcap-$$ VA=npc$$a VB=npc$$b
NET=10.234.$(($$ % 200 + 10))
PIDS=
finish() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	rm -rf "$W"
}
trap finish EXIT

ip netns add "$NS"
ip link add "$VA" type veth peer name "$VB"
ip link set "$VB" netns "$NS"
sysctl -qw "net.ipv6.conf.$VA.disable_ipv6=1"
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$VB.disable_ipv6=1"
ip addr add "$NET.1/30" dev "$VA"
ip link set "$VA" up
ip -n "$NS" addr add "$NET.2/30" dev "$VB"
ip -n "$NS" link set "$VB" up

ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }
rx() {  # the kernel's count of the frames both ways
	echo $(($(cat "/sys/class/net/$VA/statistics/rx_packets") + $(cat "/sys/class/net/$VA/statistics/tx_packets")))
}
wait_for() {  # wait_for SECONDS COMMAND...
	local i=0
	while [ $i -lt $(($1 * 5)) ]; do
		"${@:2}" >/dev/null 2>&1 && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

# the receiver on the host side (iperf3 needs one), the three capturers
PORT=$((30000 + $$ % 20000))
for i in $(seq 1 "$P"); do
	iperf3 -s -B "$NET.1" -p $((PORT + i)) >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
cat >"$W/np.conf" <<EOF
state-dir "$W/state"
control "$W/np.sock"
pidfile "$W/np.pid"
link "flood" {
	interface "$VA"
	step 1
	congested 0
}
EOF
"$NETPATROLD" -d -f "$W/np.conf" >"$W/np.log" 2>&1 &
NPID=$!
PIDS="$PIDS $NPID"
wait_for 20 "$NETPATROL" -f "$W/np.conf" traffic flood ||
	{ echo "run-pcap.sh: netpatrold did not start" >&2; cat "$W/np.log" >&2; exit 1; }
tcpdump -i "$VA" -n -s 128 -w /dev/null >"$W/tcpdump.log" 2>&1 &
TPID=$!
PIDS="$PIDS $TPID"
DPORT=$((PORT + P + 1))
mkdir -p "$W/darkstat"
darkstat -i "$VA" --no-daemon --no-promisc --no-dns -p "$DPORT" \
	-b 127.0.0.1 --chroot "$W/darkstat" --user root \
	>"$W/darkstat.log" 2>&1 &
DSPID=$!
PIDS="$PIDS $DSPID"
wait_for 20 curl -sf "http://127.0.0.1:$DPORT/" ||
	{ echo "run-pcap.sh: darkstat did not start" >&2; cat "$W/darkstat.log" >&2; exit 1; }
wait_for 20 grep -q listening "$W/tcpdump.log"

npkts() {
	"$NETPATROL" -f "$W/np.conf" traffic flood --json | python3 -c \
	    'import json,sys; l=json.load(sys.stdin)[0]; print(l["in_packets"] + l["out_packets"], l["drops"])'
}
# darkstat's page: "Seen B bytes, in N packets. (C captured, M dropped)":
# N the packets it accounted; C is libpcap's ps_recv, which counts the
# dropped ones too on Linux
dspkts() {
	curl -sf "http://127.0.0.1:$DPORT/" | python3 -c '
import re, sys
t = re.sub(r"<[^>]*>", " ", sys.stdin.read())
t = re.sub(r"(\d),(?=\d)", r"\1", t)
t = re.sub(r"\s+", " ", t)
m = re.search(r"in (\d+) packets", t)
d = re.search(r"captured, (\d+) dropped", t)
print(m.group(1) if m else "?", d.group(1) if d else "?")'
}
sleep 1 # quiet: ARP of the first packets done before the window
K0=$(rx)
read -r N0 ND0 <<<"$(npkts)"
read -r S0 SD0 <<<"$(dspkts)"
C0N=$(cpu_of "$NPID") C0T=$(cpu_of "$TPID") C0D=$(cpu_of "$DSPID")
T0=$(date +%s.%N)
SENDERS=
for i in $(seq 1 "$P"); do
	ip netns exec "$NS" iperf3 -c "$NET.1" -p $((PORT + i)) -u -b "$B" \
		-l "$L" -t "$D" >"$W/iperf3.$i.log" 2>&1 &
	SENDERS="$SENDERS $!"
done
for s in $SENDERS; do wait "$s"; done
T1=$(date +%s.%N)
# each has seen what the kernel counted, or its drops say why not
sleep 2
K1=$(rx)
read -r N1 ND1 <<<"$(npkts)"
read -r S1 SD1 <<<"$(dspkts)"
C1N=$(cpu_of "$NPID") C1T=$(cpu_of "$TPID") C1D=$(cpu_of "$DSPID")
kill -INT "$TPID"; wait "$TPID" 2>/dev/null
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$TPID" | tr '\n' ' ')
# tcpdump's own count at its end: "N packets captured ... M dropped by kernel"
TC=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$W/tcpdump.log")
TD=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$W/tcpdump.log")

python3 - "$K0" "$K1" "$T0" "$T1" "$N0" "$N1" "$ND0" "$ND1" "$S0" "$S1" \
	"$SD0" "$SD1" "$TC" "$TD" "$C0N" "$C1N" "$C0T" "$C1T" "$C0D" "$C1D" \
	"$L" "$B" "$D" "$P" >"$W/result" <<'PY'
import sys
a = sys.argv[1:]
k = int(a[1]) - int(a[0]); secs = float(a[3]) - float(a[2])
def num(x):
    try: return int(x)
    except ValueError: return None
rows = []
n = int(a[5]) - int(a[4]); nd = int(a[7]) - int(a[6])
rows.append(("netpatrold", n, nd, float(a[15]) - float(a[14])))
tc, td = num(a[12]), num(a[13])
rows.append(("tcpdump -w /dev/null", tc, td, float(a[17]) - float(a[16])))
s0, s1, sd0, sd1 = num(a[8]), num(a[9]), num(a[10]), num(a[11])
rows.append(("darkstat", None if s0 is None or s1 is None else s1 - s0,
             None if sd0 is None or sd1 is None else sd1 - sd0,
             float(a[19]) - float(a[18])))
print(f"flood: UDP payload {a[20]} bytes, {a[23]} x iperf3 -b {a[21]}, {a[22]} s; "
      f"kernel rx+tx packets {k} in {secs:.1f} s = {k / secs:,.0f} pkt/s")
print()
print("| tool | packets counted | of the kernel's | counted pkt/s | drops | CPU s | CPU us/pkt | pkt/s vs netpatrold |")
print("|---|---|---|---|---|---|---|---|")
base = n / secs
for name, c, d, cpu in rows:
    if c is None:
        print(f"| {name} | ? | ? | ? | {d} | {cpu:.2f} | ? | ? |")
        continue
    print(f"| {name} | {c:,} | {100 * c / k:.2f}% | {c / secs:,.0f} | "
          f"{d if d is not None else '?'} | {cpu:.2f} | "
          f"{1e6 * cpu / c if c else 0:.2f} | {(c / secs) / base:.2f} |")
PY
cat "$W/result"
if [ "$OUT" != - ]; then
	{
		echo
		echo "### run-pcap.sh $(date -u +%Y-%m-%dT%H:%MZ) ($(nproc) cores, $(uname -r))"
		echo
		cat "$W/result"
	} >>"$OUT"
fi
