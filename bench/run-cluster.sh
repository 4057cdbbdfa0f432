#!/bin/bash
# run-cluster.sh - the cost of the cluster's coordination (issue 20): N
# devices (default 10,000) shared by 1 then 3 netpatrold nodes through
# leases in a throwaway PostgreSQL (pg_virtualenv). The devices point at a
# closed port on 127.0.0.1 with a 1 h interval, so the polls cost next to
# nothing and what is measured is the lease layer: the time until every
# device is held, each round's duration (renewal, live nodes, give-up,
# claim, snapshot), the nodes' CPU, and the takeover after kill -9 of one
# node (the devices held again by the others). Run as root.
#
# With -s, the devices are simulated 48-port switches (bench/snmpfast on
# 127.1.x.y) polled every INTERVAL seconds (-i, default 60) with `rrd off`,
# and each phase (one node, then three) is also measured over two
# intervals: varbinds polled, CPU per varbind, store rows per second and
# each node's cycle time, node by node. The three nodes share this
# machine's cores with each other and with snmpfast: the figures show
# what the sharing costs, not a speed-up.
#
# With -P, the nodes also share their store: `store postgresql` in the
# same database (else each node has its sqlite store in its state dir).
#
#	bench/run-cluster.sh [-n DEVICES] [-l LEASE] [-s] [-i INTERVAL] [-P] [-o FILE]
#
# Environment: BUILD (a build folder with netpatrold and netpatrol built
# with libpq; default ./build). All traffic stays on 127.0.0.1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
n=10000 lease=15 out=$here/RESULTS.md switches= interval=60 pgstore=
while getopts n:l:o:si:Ph opt; do
	case $opt in
	n) n=$OPTARG ;;
	l) lease=$OPTARG ;;
	o) out=$OPTARG ;;
	s) switches=1 ;;
	i) interval=$OPTARG ;;
	P) pgstore=1 ;;
	*) sed -n '2,26p' "$0" >&2; exit 2 ;;
	esac
done
if [ -z "${NP_PGVENV:-}" ]; then
	NP_PGVENV=1 exec pg_virtualenv bash "$0" "$@"
fi
BUILD=${BUILD:-$top/build}
D=$BUILD/netpatrold C=$BUILD/netpatrol
W=$(mktemp -d /tmp/np-cluster-bench.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
	PIDS=""
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
DB="host=$PGHOST port=${PGPORT:-5432} user=$PGUSER password=$PGPASSWORD dbname=${PGDATABASE:-postgres}"
closed=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ -n "$switches" ]; then
	# the simulated switches, on the port found closed above
	make -s -C "$here" snmpfast >&2
	"$here/gen-switch.sh" -p 48 >"$W/switch.snmprec"
	"$here/snmpfast" -l -n "$n" -b 127.1.0.1 >"$W/addrs"
	"$here/snmpfast" -f "$W/switch.snmprec" -n "$n" -b 127.1.0.1 -p "$closed" \
		-c public -t 1 >"$W/snmpfast.out" 2>"$W/snmpfast.err" &
	PIDS="$PIDS $!"
	for _ in $(seq 600); do grep -q ready "$W/snmpfast.out" && break; sleep 0.2; done
	grep -q ready "$W/snmpfast.out" || { echo "snmpfast did not start" >&2; exit 1; }
fi

conf() {  # conf NODE
	{
		printf 'state-dir "%s/%s"\ncontrol "%s/%s.sock"\npidfile "%s/%s.pid"\n' "$W" "$1" "$W" "$1" "$W" "$1"
		printf 'cluster {\n\tnode "%s"\n\tlease %ss\n\tdatabase "%s"\n}\n' "$1" "$lease" "$DB"
		[ -z "$pgstore" ] || printf 'store postgresql "%s"\n' "$DB"
		if [ -n "$switches" ]; then
			printf 'rrd off\nstore batch-window 1000ms\n'
			printf 'template "t" {\n\tsnmp v2c community "public"\n\tinterval %s\n\ttimeout 2\n\tretries 1\n}\n' "$interval"
			awk -v p="$closed" '{ printf "device \"d%05d\" {\n\tuse \"t\"\n\taddress %s port %s\n}\n", NR, $1, p }' "$W/addrs"
		else
			printf 'template "t" {\n\tinterval 3600\n\ttimeout 1\n\tretries 0\n}\n'
			for i in $(seq -w 1 "$n"); do
				printf 'device "d%s" {\n\tuse "t"\n\taddress 127.0.0.1 port %s\n}\n' "$i" "$closed"
			done
		fi
	} >"$W/$1.conf"
	chmod 600 "$W/$1.conf"
}
# what a node did so far: "VARBINDS STORE-ROWS CPU-SECONDS"
work() {  # work NODE PID
	"$C" -f "$W/$1.conf" status --json | python3 -c 'import json,sys
j=json.load(sys.stdin)
print(sum(d["varbinds"] for d in j["devices"]), j["store"]["written"])' | tr '\n' ' '
	awk '{printf "%.2f\n", ($14 + $15) / 100}' "/proc/$2/stat"
}
# over two intervals: "NODE: varbinds, us/varbind, rows/s, last cycle s" lines
measure() {  # measure NODE PID ...
	local a=() i=0 args=("$@")
	while [ $i -lt ${#args[@]} ]; do a+=("$(work "${args[$i]}" "${args[$((i + 1))]}")"); i=$((i + 2)); done
	sleep $((2 * interval))
	i=0
	while [ $i -lt ${#args[@]} ]; do
		set -- ${a[$((i / 2))]} $(work "${args[$i]}" "${args[$((i + 1))]}")
		cyc=$("$C" -f "$W/${args[$i]}.conf" status --json | python3 -c 'import json,sys; p=json.load(sys.stdin)["poller"]; print("%.1f" % p["last_cycle_seconds"])')
		python3 -c "import sys
v, r, c = $4 - $1, $5 - $2, $6 - $3
print('| %s | %d | %.2f | %.0f | %s |' % ('${args[$i]}', v, c / v * 1e6 if v else 0, r / (2 * $interval), '$cyc'))"
		i=$((i + 2))
	done
}
start() {  # start NODE: its pid in $PID
	"$D" -d -f "$W/$1.conf" >"$W/$1.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
}
held() { psql -tAq -c "select count(*) from np_leases where expires > now()${1:+ and node = '$1'}" 2>/dev/null || echo 0; }
nodeheld() { "$C" -f "$W/$1.conf" status --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["cluster"]["devices_here"])' 2>/dev/null || echo 0; }
round() { "$C" -f "$W/$1.conf" status --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cluster"]; print("%.3f" % c["last_round_seconds"])'; }
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
until_() {  # until_ SECONDS COMMAND: the seconds it took (or "-")
	local t0 end
	t0=$(date +%s.%N)
	end=$(( $(date +%s) + $1 ))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$end" ] && { echo -; return; }
		sleep 0.2
	done
	python3 -c "print('%.1f' % ($(date +%s.%N) - $t0))"
}
all_held() { [ "$(held)" -ge "$n" ]; }

for x in n1 n2 n3; do conf $x; done
start n1; P1=$PID
t_one=$(until_ 300 all_held)
r_one=$(round n1)
if [ -n "$switches" ]; then
	sleep "$interval" # its first cycle, the store's rows made
	m_one=$(measure n1 "$P1")
fi
start n2; P2=$PID
start n3; P3=$PID
spread() { a=$(nodeheld n1) b=$(nodeheld n2) c=$(nodeheld n3); [ $((a + b + c)) -ge "$n" ] && [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$c" -gt 0 ]; }
t_three=$(until_ 300 spread)
sleep "$lease"   # a few rounds in the steady state
if [ -n "$switches" ]; then
	sleep "$interval" # the new nodes' first cycles
	m_three=$(measure n1 "$P1" n2 "$P2" n3 "$P3")
fi
r3="$(round n1) $(round n2) $(round n3)"
split="$(nodeheld n1)/$(nodeheld n2)/$(nodeheld n3)"
c3="$(cpu $P1) $(cpu $P2) $(cpu $P3)"
rss3="$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P1/status) $(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P2/status) $(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P3/status)"
kill -9 "$P1"
two() { [ $(( $(nodeheld n2) + $(nodeheld n3) )) -ge "$n" ]; }
t_kill=$(until_ 300 two)
cpu_model=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
store="sqlite (each node its own)"
[ -n "$pgstore" ] && store="PostgreSQL (shared)"
{
	echo
	echo "### $(date -u '+%Y-%m-%d %H:%M') cluster: $n devices, lease $lease s, store $store ($cpu_model, $(nproc) cores)"
	echo
	echo "| measure | value |"
	echo "|---|---|"
	echo "| one node: every device held after start | $t_one s |"
	echo "| one node: a round (renew, claim $n leases, snapshot) | $r_one s |"
	echo "| three nodes: every device held, spread over the three | $t_three s after n2 and n3 started |"
	echo "| three nodes: devices each | $split |"
	echo "| three nodes: a round, each | $r3 s |"
	echo "| three nodes: CPU of each process so far (start-up and config of $n devices included) | $c3 s |"
	echo "| three nodes: RSS of each ($n devices configured in each) | $rss3 MB |"
	echo "| n1 killed -9: its devices held by n2 and n3 again | $t_kill s (two leases: $((2 * lease)) s) |"
	if [ -n "$switches" ]; then
		echo
		echo "Polling $n simulated 48-port switches (snmpfast, on the same cores), interval $interval s, rrd off; each node over two intervals:"
		echo
		echo "| node | varbinds | CPU us/varbind (whole process) | store rows/s | last cycle s |"
		echo "|---|---|---|---|---|"
		echo "$m_one" | sed 's/^| n1 /| n1 alone /'
		echo "$m_three"
	fi
} | tee -a "$out"
# (pg_virtualenv drops the database when this returns: the nodes first)
cleanup
