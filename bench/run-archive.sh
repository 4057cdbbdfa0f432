#!/bin/bash
# run-archive.sh - the configuration archive's two figures:
#  1. fetch-to-version time for a 10,000-line configuration: netpatrold
#     fetches it (cat, so the fetch program costs nothing), then, five
#     times, a copy with 1% of its lines changed; the daemon's log says
#     how long each fetch ran and how long making the version took
#     (normalise, compare, diff, delta, deflate, queue for the store).
#  2. the store's size for DEVICES x VERSIONS daily versions with 1%
#     changed a day (bench/cfgstore), and, for a tenth of the devices, the
#     same versions in a git repository (what Oxidized keeps), side by side.
# usage: bench/run-archive.sh [-n devices] [-v versions] [-q]
#   -q  quick: 50 devices, 30 versions
# Everything runs on this machine; nothing listens beyond a unix socket.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${NP_BUILD:-$top/build}
n=1000 v=365
while getopts n:v:q o; do
	case $o in n) n=$OPTARG ;; v) v=$OPTARG ;; q) n=50 v=30 ;; *) exit 2 ;; esac
done
W=$(mktemp -d /tmp/np-bench-archive.XXXXXX)
trap 'kill $(cat "$W/pid" 2>/dev/null) 2>/dev/null; rm -rf "$W"' EXIT

python3 - "$W/sw.cfg" <<'EOP'
import sys
out = []
for i in range(2000):
    out += ["interface GigabitEthernet1/0/%d" % i, " description port %d" % i,
            " switchport access vlan %d" % (100 + i % 37),
            " spanning-tree portfast", "!"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOP
cat >"$W/np.conf" <<EOF
state-dir "$W/state"
control "$W/np.sock"
pidfile "$W/pid"
device "sw" {
	address 127.0.0.1 port 9
	config fetch "/bin/cat" "$W/sw.cfg"
	config platform ios
	config interval off
	config coalesce 0
}
EOF
"$build/netpatrold" -d -v -f "$W/np.conf" >"$W/log" 2>&1 &
for _ in $(seq 1 100); do "$build/netpatrol" -f "$W/np.conf" status >/dev/null 2>&1 && break; sleep 0.1; done
"$build/netpatrol" -f "$W/np.conf" config fetch sw >/dev/null
for k in 1 2 3 4 5; do
	python3 - "$W/sw.cfg" "$k" <<'EOP'
import sys, random
p, k = sys.argv[1], int(sys.argv[2])
lines = open(p).read().split("\n")
random.seed(k)
for i in random.sample(range(len(lines) - 1), len(lines) // 100):
    if lines[i].startswith(" description"):
        lines[i] = " description changed %d/%d" % (k, i)
open(p, "w").write("\n".join(lines))
EOP
	"$build/netpatrol" -f "$W/np.conf" config fetch sw >/dev/null
done
echo "== fetch-to-version, 10,000 lines ($(wc -c <"$W/sw.cfg") bytes), 1% changed"
grep -o "version [0-9]*: .* made a version in [0-9.]* ms" "$W/log" | sed 's/^/  /'
kill "$(cat "$W/pid")"

echo "== the store: $n devices x $v daily versions, 1,000 lines, 1% a day"
make -s -C "$top/bench" cfgstore NP_BUILD="$build" >/dev/null
"$top/bench/cfgstore" -n "$n" -v "$v" -d "$W/store" 2>/dev/null
echo "== side by side with git, $((n / 10)) devices"
"$top/bench/cfgstore" -n $((n / 10)) -v "$v" -g -d "$W/git" 2>/dev/null
