#!/bin/bash
# run-probes.sh - ICMP probes per second and CPU per probe: netpatrold
# against fping, on the same N targets, side by side in one run. The
# targets are addresses in a network namespace this script makes (a veth
# pair; the namespace's kernel answers); nothing leaves the machine.
#
# usage: bench/run-probes.sh [-n TARGETS] [-c COUNT] [-i INTERVAL]
#                            [-s STEPS] [-o FILE|-]
#   -n  targets (1000)   -c  pings per target per step (5)
#   -i  netpatrold's step, seconds (10)   -s  steps measured (3)
#   -o  results file to append to (bench/RESULTS.md; - for none)
# Needs root (namespaces, raw sockets), fping, python3.
set -u
N=1000 C=5 I=10 S=3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/RESULTS.md
while getopts n:c:i:s:o: o; do
	case $o in
	n) N=$OPTARG ;; c) C=$OPTARG ;; i) I=$OPTARG ;; s) S=$OPTARG ;;
	o) OUT=$OPTARG ;; *) sed -n '2,13p' "$0"; exit 1 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "run-probes.sh: needs root" >&2; exit 1; }
command -v fping >/dev/null || { echo "run-probes.sh: fping is not installed" >&2; exit 1; }
[ "$N" -le 60000 ] || { echo "run-probes.sh: at most 60000 targets" >&2; exit 1; }
NETPATROLD=${NETPATROLD:-$HERE/../build/netpatrold}
NETPATROL=${NETPATROL:-$HERE/../build/netpatrol}
W=$(mktemp -d /tmp/np-bench-probes.XXXXXX)
NS=np-bench-$$ VA=npb$$a VB=npb$$b
DPID=
finish() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	[ -n "${G3:-}" ] && sysctl -qw net.ipv4.neigh.default.gc_thresh3="$G3" \
		net.ipv4.neigh.default.gc_thresh2="$G2"
	rm -rf "$W"
}
trap finish EXIT

# the targets: 10.233.0.2 .. in the namespace, the host at 10.233.255.254
ip route get 10.233.0.2 2>/dev/null | grep -q ' dev npb' &&
	{ echo "run-probes.sh: 10.233.0.0/16 is in use (a run left behind?)" >&2; exit 1; }
ip netns add "$NS"
ip link add "$VA" type veth peer name "$VB"
ip link set "$VB" netns "$NS"
ip addr add 10.233.255.254/16 dev "$VA"
ip link set "$VA" up
ip -n "$NS" link set "$VB" up
python3 - "$N" "$VB" "$W/targets" "$W/ns.batch" <<'PY'
import sys
n, dev, tf, bf = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(tf, "w") as t, open(bf, "w") as b:
    for i in range(n):
        a = "10.233.%d.%d" % ((i + 2) // 250, (i + 2) % 250 + 1)
        t.write(a + "\n")
        b.write("addr add %s/16 dev %s\n" % (a, dev))
PY
ip -n "$NS" -batch "$W/ns.batch"
ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=0 \
	net.ipv4.icmp_ratelimit=0 2>/dev/null
# the neighbour table must hold every target: raised for the run, put
# back at the end (finish)
G2=$(sysctl -n net.ipv4.neigh.default.gc_thresh2)
G3=$(sysctl -n net.ipv4.neigh.default.gc_thresh3)
sysctl -qw net.ipv4.neigh.default.gc_thresh3=$((N * 2 + 1024)) \
	net.ipv4.neigh.default.gc_thresh2=$((N * 2 + 512)) 2>/dev/null

ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }

# --- netpatrold ---
{
	echo "state-dir \"$W/state\""
	echo "control \"$W/np.sock\""
	echo "pidfile \"$W/np.pid\""
	i=0
	while read -r a; do
		printf 'probe "t%d" {\n\ticmp %s count %d interval %d\n}\n' "$i" "$a" "$C" "$I"
		i=$((i + 1))
	done <"$W/targets"
} >"$W/np.conf"
"$NETPATROLD" -d -f "$W/np.conf" >"$W/np.log" 2>&1 &
DPID=$!
# snap: wall time, the daemon's CPU, pings sent and answered, steps done
snap() {
	local st
	st=$("$NETPATROL" -f "$W/np.conf" status --json 2>/dev/null) || return 1
	echo "$(date +%s.%N) $(cpu_of "$DPID") $(echo "$st" | python3 -c 'import json,sys
p=json.load(sys.stdin)["probes"]; print(p["sent"], p["received"], p["steps"])')"
}
# wait_steps K: until every probe has done K steps; its snap in $SNAP
wait_steps() {
	for _ in $(seq 1 $((I * (S + 4) * 10))); do
		SNAP=$(snap) && [ "$(echo "$SNAP" | awk '{ print $5 }')" -ge $((N * $1)) ] && return 0
		sleep 0.1
	done
	echo "run-probes.sh: netpatrold did not finish $1 steps" >&2
	exit 1
}
# measured: S steps after the first (the RRD files are made by then)
wait_steps 1
read -r ta ca sa ra _ <<<"$SNAP"
wait_steps $((S + 1))
read -r tb cb sb rb _ <<<"$SNAP"
np_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$DPID/status")
kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
np_wall=$(echo "$tb - $ta" | bc -l)
np_cpu=$(echo "$cb - $ca" | bc -l)
np_sent=$((sb - sa))
np_recv=$((rb - ra))

# --- fping: the same targets, the same pings per target, S rounds ---
fp_cpu=0 fp_wall=0 fp_recv=0
for _ in $(seq 1 "$S"); do
	/usr/bin/time -f "%U %S %e" -o "$W/fp.time" \
		fping -q -C "$C" -p 1000 -i 1 -t 2000 -f "$W/targets" 2>"$W/fp.out"
	read -r u s e <"$W/fp.time"
	fp_cpu=$(echo "$fp_cpu + $u + $s" | bc -l)
	fp_wall=$(echo "$fp_wall + $e" | bc -l)
	r=$(awk -F' : ' '{ n = split($2, v, " "); for (i = 1; i <= n; i++) if (v[i] != "-") c++ } END { print c + 0 }' "$W/fp.out")
	fp_recv=$((fp_recv + r))
done
fp_sent=$((N * C * S))

python3 - "$N" "$C" "$I" "$S" "$np_sent" "$np_recv" "$np_cpu" "$np_wall" \
	"$np_rss" "$fp_sent" "$fp_recv" "$fp_cpu" "$fp_wall" >"$W/report" <<'PY'
import sys
n, c, i, s = map(int, sys.argv[1:5])
ns, nr, nc, nw, rss = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
fs, fr, fc, fw = int(sys.argv[10]), int(sys.argv[11]), float(sys.argv[12]), float(sys.argv[13])
print(f"### probes: {n} targets, {c} pings each, step {i} s, {s} steps")
print()
print("| | pings sent | answered | wall s | CPU s | pings/s (wall) | CPU us/ping | CPU us/probe-step |")
print("|---|---|---|---|---|---|---|---|")
for name, se, re_, w, cpu in (("netpatrold", ns, nr, nw, nc), ("fping", fs, fr, fw, fc)):
    print(f"| {name} | {se} | {re_} | {w:.1f} | {cpu:.2f} | {se / w:.0f} | "
          f"{1e6 * cpu / max(se, 1):.1f} | {1e6 * cpu * c / max(se, 1):.1f} |")
print()
ratio = (nc / max(ns, 1)) / (fc / max(fs, 1)) if fc > 0 else float("nan")
print(f"CPU per ping, netpatrold / fping: {ratio:.2f}; netpatrold's peak RSS {rss / 1024:.1f} MB. "
      f"netpatrold is measured over {s} steps after its first (its CPU includes writing "
      f"each step to an RRD file and the store, which fping does not do); fping's "
      f"{s} rounds run back to back, netpatrold's steps {i} s apart, so pings/s "
      f"compares pacing, not capacity.")
PY
cat "$W/report"
if [ "$OUT" != - ]; then
	{ echo; echo "## $(date -u +%Y-%m-%dT%H:%MZ) run-probes.sh -n $N -c $C -i $I -s $S ($(uname -r), $(nproc) CPUs)"; echo; cat "$W/report"; } >>"$OUT"
fi
