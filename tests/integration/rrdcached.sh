#!/bin/bash
# rrdcached.sh - with `rrdcached "unix:SOCKET"`, RRD files are created and
# updated through a real rrdcached, and rrdtool reads them through it.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget rrdcached rrdtool python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
mkdir -p "$T/state/rrd" "$T/journal"
rrdcached -g -l "unix:$T/rrdcached.sock" -b "$T/state/rrd" -B -j "$T/journal" \
	-p "$T/rrdcached.pid" -w 3600 -f 7200 >"$T/rrdcached.log" 2>&1 &
PIDS="$PIDS $!"
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
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
