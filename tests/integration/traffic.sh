#!/bin/bash
# traffic.sh - links counted from the wire by the real daemon, on the host
# end of a veth pair whose other end is in a network namespace this test
# makes (nothing leaves the machine). Checked: bytes and packets in and
# out against the kernel's own /sys/class/net/IF/statistics over the same
# window (within 2%), the top talkers list the peer, a filter narrows what
# is counted, link.congested fires (and clears) with a low speed, the RRD
# file and the store's last values, and netpatrold -n refuses a bad BPF
# filter at its line.
. "$(dirname "$0")/lib.sh"
need ip python3 iperf3 sqlite3
[ "$(id -u)" = 0 ] || skip_all "network namespaces need root"

NS=np-traf-$$
VA=npt$$a
VB=npt$$b
NET=10.232.$(($$ % 200 + 10))
ns_cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$VA" 2>/dev/null
}
trap 'ns_cleanup; cleanup' EXIT
ip netns add "$NS" || skip_all "cannot make a network namespace"
# (in a chroot without its own mounts, ip netns exec cannot remount /)
ip netns exec "$NS" true 2>/dev/null ||
	{ ip netns del "$NS" 2>/dev/null; skip_all "cannot run in a network namespace here (ip netns exec fails)"; }
ip link add "$VA" type veth peer name "$VB" || skip_all "no veth pairs"
ip link set "$VB" netns "$NS"
# no IPv6 on the pair: no router solicitations in the counted window
sysctl -qw "net.ipv6.conf.$VA.disable_ipv6=1"
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$VB.disable_ipv6=1"
ip addr add "$NET.1/30" dev "$VA"
ip link set "$VA" up
ip -n "$NS" addr add "$NET.2/30" dev "$VB"
ip -n "$NS" link set "$VB" up
ip -n "$NS" link set lo up
ok $? "namespace $NS: $NET.2 behind the veth pair $VA/$VB"

IPORT=$(port_pick)
ip netns exec "$NS" iperf3 -s -p "$IPORT" -B "$NET.2" >"$T/iperf3-server.log" 2>&1 &
PIDS="$PIDS $!"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
link "veth" {
	interface "$VA"
	speed 10M
	congested 50 for 2
	step 1
}
link "udp-only" {
	interface "$VA"
	filter "udp"
	step 1
	congested 0
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration is good"

# a bad filter is refused at its line by netpatrold -n
sed 's/filter "udp"/filter "udp port port"/' "$CONF" >"$T/bad.conf"
"$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
rc=$?
grep -q "bad.conf:13: link \"udp-only\": invalid filter \"udp port port\"" "$T/bad.out"
ok $((rc == 0 || $? != 0)) "netpatrold -n refuses a bad BPF filter at its line ($(head -1 "$T/bad.out"))"

start_daemon "$CONF"
ok $? "netpatrold starts"
np() { "$NETPATROL" -f "$CONF" "$@"; }
iperf_up() { iperf3 -c "$NET.2" -p "$IPORT" -n 1K >/dev/null 2>&1; }
wait_for 30 iperf_up
ok $? "the iperf3 server in the namespace answers"
stepped() { np traffic --json | json - "all(l['state'] == 'ok' for l in j) and len(j) == 2"; }
wait_for 30 stepped
ok $? "both links have done a step"

# the window: the kernel's counters and netpatrol's, before and after
sysstat() {
	local d=/sys/class/net/$VA/statistics
	echo "$(cat $d/rx_bytes) $(cat $d/tx_bytes) $(cat $d/rx_packets) $(cat $d/tx_packets)"
}
npstat() {
	np traffic veth --json | json - \
		"'%d %d %d %d' % (j[0]['in_bytes'], j[0]['out_bytes'], j[0]['in_packets'], j[0]['out_packets'])"
}
# quiet first: nothing on the pair between the two readings
quiet() {
	local a b
	a=$(sysstat); b=$(npstat); sleep 0.3
	[ "$a" = "$(sysstat)" ] && [ "$b" = "$(npstat)" ]
}
wait_for 20 quiet
ok $? "the pair is quiet"
S0=$(sysstat)
N0=$(npstat)
diag "before: kernel $S0, netpatrol $N0"

# UDP at 20 Mbit/s for 5 s (twice the link's 10M: congested), then TCP
iperf3 -c "$NET.2" -p "$IPORT" -u -b 20M -l 1200 -t 5 >"$T/iperf3-udp.log" 2>&1
ok $? "UDP at 20 Mbit/s for 5 s to the namespace"
iperf3 -c "$NET.2" -p "$IPORT" -b 400M -n 40M >"$T/iperf3-tcp.log" 2>&1
ok $? "40 MB of TCP to the namespace"
iperf3 -c "$NET.2" -p "$IPORT" -b 400M -n 20M -R >"$T/iperf3-rev.log" 2>&1
ok $? "20 MB of TCP from the namespace"

# netpatrol's deltas within 2% of the kernel's, each of the four
within() {
	python3 - "$S0" "$(sysstat)" "$N0" "$(npstat)" <<'PY'
import sys
s0, s1, n0, n1 = ([int(x) for x in a.split()] for a in sys.argv[1:5])
names = ("in bytes", "out bytes", "in packets", "out packets")
bad = 0
for i, name in enumerate(names):
    k, n = s1[i] - s0[i], n1[i] - n0[i]
    off = abs(n - k) / k * 100 if k else (0 if n == 0 else 100)
    print(f"{name}: kernel {k}, netpatrol {n}, {off:.3f}% apart")
    if k == 0 or off > 2:
        bad += 1
sys.exit(bad)
PY
}
wait_for 30 within
ok $? "in/out bytes and packets within 2% of /sys/class/net/$VA/statistics"
within | sed 's/^/# /'

np traffic veth --top --json >"$T/top.json"
json "$T/top.json" "any(h['host'] == '$NET.2' and h['in_bytes'] > 40e6 and h['out_bytes'] > 20e6 for h in j)"
ok $? "the top talkers list the peer $NET.2 with its bytes in and out"
np traffic veth --top 1 >"$T/top.txt"
sed 's/^/# /' "$T/top.txt"
np traffic veth --protocols --json >"$T/proto.json"
json "$T/proto.json" "{p['protocol'] for p in j} >= {'udp-other', 'tcp-other'}"
ok $? "the protocol classes: udp-other and tcp-other"

np traffic udp-only --protocols --json >"$T/proto-udp.json"
json "$T/proto-udp.json" "[p['protocol'] for p in j] == ['udp-other']"
ok $? "a filter narrows what its link counts (udp only)"
np traffic --json >"$T/traffic.json"
json "$T/traffic.json" "[l for l in j if l['name'] == 'udp-only'][0]['in_bytes'] < [l for l in j if l['name'] == 'veth'][0]['in_bytes'] / 2"
ok $? "the filtered link counts less than the whole"
json "$T/traffic.json" "all(set(l) >= {'name', 'interface', 'in_bytes', 'out_bytes', 'in_packets', 'out_packets', 'in_bps', 'out_bps', 'drops'} for l in j)"
ok $? "traffic --json has the issue's keys"
# what the kernel counted and netpatrol did not, pcap_stats says it dropped
# (read again until netpatrol's last step has what the kernel just counted:
# an ARP exchange after the step is in the kernel's count, not yet in its)
accounted() {
	drops=$(np traffic --json | json - "[l for l in j if l['name'] == 'veth'][0]['drops']")
	python3 - "$S0" "$(sysstat)" "$N0" "$(npstat)" "$drops" <<'PY' >"$T/missed.txt"
import sys
s0, s1, n0, n1 = ([int(x) for x in a.split()] for a in sys.argv[1:5])
missed = (s1[2] - s0[2] + s1[3] - s0[3]) - (n1[2] - n0[2] + n1[3] - n0[3])
print(f"packets missed {missed}, drops counted {sys.argv[5]}")
sys.exit(0 if 0 <= missed <= int(sys.argv[5]) else 1)
PY
}
wait_for 20 accounted
r=$?
ok $r "every packet not counted is among pcap_stats' drops ($(cat "$T/missed.txt"))"
np traffic | sed 's/^/# /'

event() { np events --kind "$1" --json | json - "any(e['device'] == 'veth' for e in j)"; }
wait_for 20 event link.congested
ok $? "link.congested: 20 Mbit/s on a 10M link for 2 steps"
wait_for 20 event link.ok
ok $? "link.ok once the traffic stopped"
finding() { np findings --all --json | json - "any(f['device'] == 'veth' and f['kind'] == 'link.congested' for f in j)"; }
wait_for 20 finding
ok $? "link.congested made a finding"
resolved() { np findings --all --json | json - "any(f['device'] == 'veth' and f['kind'] == 'link.congested' and f['state'] == 'resolved' for f in j)"; }
wait_for 20 resolved
ok $? "link.ok resolved it"
np events --kind link.congested | sed 's/^/# /'

RRD=$(find "$T/state" -name 'link-veth.rrd' | head -1)
[ -n "$RRD" ] && rrdtool info "$RRD" | grep -q 'ds\[in_bytes\]'
ok $? "the link's RRD file has in_bytes ($RRD)"
stored() { [ "$(sq "$T/state/netpatrol.db" "SELECT out_bytes > 40000000 AND in_bytes > 20000000 FROM links WHERE name = 'veth'")" = 1 ]; }
wait_for 20 stored
ok $? "the store has the link's last values"

# a reload changes a filter in place; a capture on a new interface needs
# a restart (the capabilities are gone): that reload is refused
sed -i 's/filter "udp"/filter "tcp"/' "$CONF"
np reload >/dev/null
refiltered() { np traffic --json | json - "[l for l in j if l['name'] == 'udp-only'][0]['filter'] == 'tcp'"; }
wait_for 20 refiltered
ok $? "a reload changes a link's filter"
# even as root (no user), the daemon has no capability after start-up
# (netpatrold(8) SECURITY): a reload that needs a new capture is refused
cat >>"$CONF" <<EOF
link "loop" {
	interface "lo"
}
EOF
np reload >/dev/null
refused_root() { np status --json | json - "j['reload_failures'] >= 1"; }
wait_for 20 refused_root
ok $? "a reload that needs a new capture is refused, even as root (no capability left)"
np traffic --json | json - "sorted(l['name'] for l in j) == ['udp-only', 'veth']"
ok $? "... the links stay as they were"

stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
np traffic --json >"$T/stored.json" 2>/dev/null
json "$T/stored.json" "[l for l in j if l['name'] == 'veth'][0]['out_bytes'] > 40e6"
ok $? "with the daemon stopped, traffic reads the store"

# as nobody: the capture is opened before the drop and counts; a reload
# that needs a new capture is refused, the links stay as they were
mkdir -p "$T/run2"
CONF2=$T/nobody.conf
cat >"$CONF2" <<EOF
state-dir "$T/state2"
control "$T/run2/np.sock"
pidfile "$T/run2/np.pid"
user "nobody"
link "veth" {
	interface "$VA"
	step 1
}
EOF
start_daemon "$CONF2"
ok $? "netpatrold starts as root with user nobody"
check "it runs as nobody" sh -c "test \"\$(ps -o user= -p $DAEMON_PID)\" = nobody"
# what the kernel sent from here on, against what the daemon counted
# (it may have counted a little more: what it saw before this reading)
TX0=$(cat "/sys/class/net/$VA/statistics/tx_bytes")
sent=1
for try in 1 2 3; do
	iperf3 -c "$NET.2" -p "$IPORT" -n 4M >"$T/iperf3-nobody.log" 2>&1 && { sent=0; break; }
	diag "iperf3 try $try failed: $(tail -1 "$T/iperf3-nobody.log")"
done
ok $sent "4 MB of TCP to the namespace"
# (iperf3 ends when its last bytes are in the socket's buffer, and its
# server may close before they cross: the kernel's count is read again
# at each try, and half of the 4 MB is enough)
counted() {
	TX1=$(cat "/sys/class/net/$VA/statistics/tx_bytes")
	"$NETPATROL" -f "$CONF2" traffic --json >"$T/nobody.json" &&
		json "$T/nobody.json" "j[0]['out_bytes'] >= 0.98 * ($TX1 - $TX0) and $TX1 - $TX0 > 2e6 and j[0]['state'] == 'ok'"
}
wait_for 20 counted
r=$?
ok $r "the capture opened before the drop counts as nobody"
[ $r = 0 ] || diag "kernel sent $((TX1 - TX0)) bytes; $(cat "$T/nobody.json")"
cat >>"$CONF2" <<EOF
link "loop" {
	interface "lo"
}
EOF
"$NETPATROL" -f "$CONF2" reload >/dev/null
refused() { "$NETPATROL" -f "$CONF2" status --json | json - "j['reload_failures'] >= 1"; }
wait_for 20 refused
ok $? "a reload that needs a new capture after the drop is refused"
"$NETPATROL" -f "$CONF2" traffic --json | json - "[l['name'] for l in j] == ['veth']"
ok $? "the links stay as they were"
grep -i -A1 'reload failed' "$T/daemon.log" | tail -1 | sed 's/^/# /'
# the interface goes away: the link is down, with libpcap's reason
ip link del "$VA"
gone() { "$NETPATROL" -f "$CONF2" traffic --json | json - "j[0]['state'] == 'down' and j[0]['error'] != ''"; }
wait_for 20 gone
ok $? "an interface removed: its link is down, with the error"
"$NETPATROL" -f "$CONF2" traffic | sed 's/^/# /'
stop_pid "$DAEMON_PID"
ok $? "netpatrold (nobody) stops cleanly"
done_testing
