#!/bin/bash
# rrdcached.sh - with `rrdcached "unix:SOCKET"`, RRD files are created and
# updated through a real rrdcached, and rrdtool reads them through it.
# Then rrdcached goes (kill -9, by PID) while the daemon polls (issue 19,
# faults 3): the failure is logged once, not per update, and counted in
# status; rrdcached started again on the same socket, the daemon connects
# again by itself and the file gets new values through it.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget rrdcached rrdtool python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
mkdir -p "$T/state/rrd" "$T/journal"
start_rrdcached() {
	rrdcached -g -l "unix:$T/rrdcached.sock" -b "$T/state/rrd" -B -j "$T/journal" \
		-p "$T/rrdcached.pid" -w 3600 -f 7200 >>"$T/rrdcached.log" 2>&1 &
	RRDCACHED_PID=$!
	PIDS="$PIDS $RRDCACHED_PID"
}
start_rrdcached
wait_for 20 test -S "$T/rrdcached.sock"
ok $? "rrdcached listens on $T/rrdcached.sock"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
rrdcached "unix:$T/rrdcached.sock"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
device "d" {
	address 127.0.0.1 port $PORT
	interval 1
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 60 polls_at_least "$CONF" d 5
ok $? "five polls"
"$NETPATROL" -f "$CONF" status --json >"$T/s.json"
check "status: the writer is rrdcached, updates and no errors" \
	json "$T/s.json" "j['rrd']['writer'] == 'rrdcached' and j['rrd']['updates'] >= 4 and j['rrd']['errors'] == 0"
RRD=$T/state/rrd/d/port-lo.rrd
check "rrdcached created the port's file" test -f "$RRD"
# rrdcached holds the updates (-w 3600): reading through it flushes them
wait_for 30 sh -c "rrdtool fetch --daemon 'unix:$T/rrdcached.sock' '$RRD' AVERAGE -s -10 | awk 'NR>2 && \$2 !~ /nan/ {n++} END {exit !(n>=2)}'"
ok $? "rrdtool fetch through rrdcached returns values"

# rrdcached gone while the daemon polls
rrd() { "$NETPATROL" -f "$CONF" status --json | json - "j['rrd']$1"; }
E0=$(rrd "['errors']")
kill -9 "$RRDCACHED_PID"
wait "$RRDCACHED_PID" 2>/dev/null
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$RRDCACHED_PID" | tr '\n' ' ')
wait_for 60 rrd "['errors'] >= $E0 + 5"
ok $? "rrdcached killed: the failed updates are counted in status (rrd.errors)"
U1=$(rrd "['updates']")
wait_for 60 rrd "['errors'] >= $E0 + 15"
ok $? "polling goes on while rrdcached is away"
check "the daemon is still running" kill -0 "$DAEMON_PID"
n=$(grep -c "rrd: " "$T/daemon.log")
grep "rrd: " "$T/daemon.log" | head -5 | sed 's/^/#   /'
ok $([ "$n" -ge 1 ] && [ "$n" -le 3 ]; echo $?) "the failure is logged once, not per update ($n lines)"
check "no update counted while it is away" test "$(rrd "['updates']")" = "$U1"

# rrdcached back on the same socket (its stale socket file removed)
rm -f "$T/rrdcached.sock" "$T/rrdcached.pid"
start_rrdcached
wait_for 20 test -S "$T/rrdcached.sock"
ok $? "rrdcached started again"
BACK=$(date +%s)
wait_for 60 rrd "['updates'] >= $U1 + 3"
ok $? "the daemon writes through rrdcached again"
wait_for 30 grep -q "rrd: connected to rrdcached" "$T/daemon.log"
ok $? "the recovery is said in the log"
fresh() {
	rrdtool fetch --daemon "unix:$T/rrdcached.sock" "$RRD" AVERAGE -s -30 |
		awk -v t="$BACK" -F: 'NR>2 && $1 > t && $2 !~ /nan/ {n++} END {exit !(n>=2)}'
}
wait_for 60 fresh
ok $? "the port's file has values from after rrdcached came back"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
