#!/bin/bash
# run-report.sh - how long a report takes: netpatrol report over N devices
# with a month of data (RRD files at 5 minutes, findings, the daily plan's
# runs, made by genreport.py), as JSON, text and HTML (with librrd graphs),
# and netpatrol kpi over the month; beside it, rrdtool reading the same
# windows of the same files in its pipe mode (the RRD reading alone, the
# report's largest part), with the ratio. Nothing listens or sends but
# netpatrold's first start, on 127.0.0.1.
#
# usage: bench/run-report.sh [-n DEVICES] [-r RUNS] [-o FILE|-]
#   -n  devices (1000)   -r  timed runs of each command, the best kept (3)
#   -o  results file to append to (bench/RESULTS.md; - for none)
set -u
N=1000 R=3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/RESULTS.md
while getopts n:r:o: o; do
	case $o in
	n) N=$OPTARG ;; r) R=$OPTARG ;; o) OUT=$OPTARG ;;
	*) sed -n '2,13p' "$0"; exit 1 ;;
	esac
done
for c in rrdtool python3 sqlite3; do
	command -v $c >/dev/null || { echo "run-report.sh: $c is not installed" >&2; exit 1; }
done
NETPATROLD=${NETPATROLD:-$HERE/../build/netpatrold}
NETPATROL=${NETPATROL:-$HERE/../build/netpatrol}
W=$(mktemp -d /tmp/np-bench-report.XXXXXX)
DPID=
finish() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap finish EXIT
DEAD=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CONF=$W/netpatrold.conf
{
	echo "state-dir \"$W/state\""
	echo "control \"$W/np.sock\""
	echo "pidfile \"$W/np.pid\""
	echo 'store batch-window 100ms'
	echo 'plan "daily" {'
	echo '	every day at 06:00'
	echo '	check ports health'
	echo '}'
	for i in $(seq 0 $((N - 1))); do
		printf 'device "sw%04d" {\n\taddress 127.0.0.1 port %d\n\tinterval 86400\n\ttimeout 1 retries 0\n}\n' "$i" "$DEAD"
	done
} >"$CONF"
# the daemon makes the store and its device rows, then stops
"$NETPATROLD" -d -f "$CONF" >"$W/daemon.log" 2>&1 &
DPID=$!
for _ in $(seq 1 100); do "$NETPATROL" -f "$CONF" status >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
END=$(python3 -c 'import time; t=time.localtime(); print(int(time.mktime((t.tm_year,t.tm_mon,t.tm_mday,6,0,0,0,0,-1))) + 60)')
T0=$(date +%s.%N)
python3 "$HERE/genreport.py" "$W/state" "$N" "$END" >"$W/gen.txt" || exit 1
GEN=$(python3 -c "import time; print(f'{time.time() - $T0:.1f}')")
DB=$W/state/netpatrol.db
RUN=$(sqlite3 "$DB" "select max(id) from plan_runs where plan='daily' and state='done'")
best() {  # best CMD...: the least wall time and its peak RSS of R runs
	local b=999999 m=0 i
	for i in $(seq 1 "$R"); do
		/usr/bin/time -f '%e %M' -o "$W/t" "$@" >"$W/out" 2>"$W/err" || { cat "$W/err" >&2; return 1; }
		read -r e k <"$W/t"
		if python3 -c "import sys; sys.exit(0 if $e < $b else 1)"; then b=$e m=$k; fi
	done
	echo "$b $m $(wc -c <"$W/out")"
}
J=$(best "$NETPATROL" -f "$CONF" report daily --run "$RUN" --format json) || exit 1
X=$(best "$NETPATROL" -f "$CONF" report daily --run "$RUN") || exit 1
H=$(best "$NETPATROL" -f "$CONF" report daily --run "$RUN" --format html) || exit 1
K=$(best "$NETPATROL" -f "$CONF" kpi --period "$(date -d '-30 days' +%Y-%m-%d)..$(date +%Y-%m-%d)" --json) || exit 1
# the peer: rrdtool reading the same 3 windows of every file
python3 - "$W/state/rrd" "$END" >"$W/fetch.cmds" <<'PY'
import os, sys, time
root, end = sys.argv[1], int(sys.argv[2])
day = 86400
lt = time.localtime(end - day)
month = int(time.mktime((lt.tm_year, lt.tm_mon - 1, lt.tm_mday, lt.tm_hour, lt.tm_min, lt.tm_sec, 0, 0, -1)))
for dev in sorted(os.listdir(root)):
    for f in sorted(os.listdir(os.path.join(root, dev))):
        p = os.path.join(root, dev, f)
        for a, b in ((end - day, end), (end - 2 * day, end - day), (month, month + day)):
            print(f"fetch {p} AVERAGE -s {a} -e {b} -r 1")
PY
/usr/bin/time -f '%e %M' -o "$W/t" rrdtool - <"$W/fetch.cmds" >/dev/null 2>&1
read -r FE FM <"$W/t"
set -- $J; JE=$1 JM=$2 JB=$3
set -- $X; XE=$1 XB=$3
set -- $H; HE=$1 HB=$3
set -- $K; KE=$1
RATIO=$(python3 -c "print(f'{$JE / $FE:.2f}' if $FE > 0 else '-')")
REPORT=$(cat <<EOS

## Report generation: $(date -u +%Y-%m-%d) ($(uname -r), $(nproc) CPUs)
$(cat "$W/gen.txt"); generated in ${GEN} s. Best of $R runs, one day's report
(run $RUN) with its previous day and the same day a month ago:

| command | wall s | peak RSS KB | output bytes |
|---|---|---|---|
| netpatrol report daily --format json | $JE | $JM | $JB |
| netpatrol report daily (text) | $XE | - | $XB |
| netpatrol report daily --format html (4 graphs) | $HE | - | $HB |
| netpatrol kpi (a month) | $KE | - | - |
| rrdtool - (fetch of the same 3 windows, $((N * 2)) files) | $FE | $FM | - |

report json / rrdtool fetch alone: $RATIO
EOS
)
echo "$REPORT"
[ "$OUT" = "-" ] || echo "$REPORT" >>"$OUT"
