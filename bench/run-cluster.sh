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
#	bench/run-cluster.sh [-n DEVICES] [-l LEASE] [-o FILE]
#
# Environment: BUILD (a build folder with netpatrold and netpatrol built
# with libpq; default ./build). All traffic stays on 127.0.0.1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
n=10000 lease=15 out=$here/RESULTS.md
while getopts n:l:o:h opt; do
	case $opt in
	n) n=$OPTARG ;;
	l) lease=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '2,15p' "$0" >&2; exit 2 ;;
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

conf() {  # conf NODE
	{
		printf 'state-dir "%s/%s"\ncontrol "%s/%s.sock"\npidfile "%s/%s.pid"\n' "$W" "$1" "$W" "$1" "$W" "$1"
		printf 'cluster {\n\tnode "%s"\n\tlease %ss\n\tdatabase "%s"\n}\n' "$1" "$lease" "$DB"
		printf 'template "t" {\n\tinterval 3600\n\ttimeout 1\n\tretries 0\n}\n'
		for i in $(seq -w 1 "$n"); do
			printf 'device "d%s" {\n\tuse "t"\n\taddress 127.0.0.1 port %s\n}\n' "$i" "$closed"
		done
	} >"$W/$1.conf"
	chmod 600 "$W/$1.conf"
}
start() {  # start NODE: its pid in $PID
	"$D" -d -f "$W/$1.conf" >"$W/$1.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
}
held() { psql -tAq -c "select count(*) from np_leases where expires > now()${1:+ and node = '$1'}"; }
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
start n2; P2=$PID
start n3; P3=$PID
spread() { a=$(nodeheld n1) b=$(nodeheld n2) c=$(nodeheld n3); [ $((a + b + c)) -ge "$n" ] && [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$c" -gt 0 ]; }
t_three=$(until_ 300 spread)
sleep "$lease"   # a few rounds in the steady state
r3="$(round n1) $(round n2) $(round n3)"
split="$(nodeheld n1)/$(nodeheld n2)/$(nodeheld n3)"
c3="$(cpu $P1) $(cpu $P2) $(cpu $P3)"
rss3="$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P1/status) $(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P2/status) $(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$P3/status)"
kill -9 "$P1"
two() { [ $(( $(nodeheld n2) + $(nodeheld n3) )) -ge "$n" ]; }
t_kill=$(until_ 300 two)
cpu_model=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
	echo
	echo "### $(date -u '+%Y-%m-%d %H:%M') cluster: $n devices, lease $lease s ($cpu_model, $(nproc) cores)"
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
} | tee -a "$out"
# (pg_virtualenv drops the database when this returns: the nodes first)
cleanup
