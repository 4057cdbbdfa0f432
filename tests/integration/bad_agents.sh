#!/bin/bash
# bad_agents.sh - agents that loop, send wrong types, garbage, huge answers,
# empty tables or nothing at all: each is counted in its own poll
# statistics, logged a few times rather than every poll, and none of them
# stops the polling of a good device (real snmpd) beside them.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget python3
/usr/bin/python3 -c "import pysnmp" 2>/dev/null || skip_all "python3-pysnmp4 (from snmpsim) is not installed"

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
BPORT=$(port_pick)
/usr/bin/python3 "$top_srcdir/tests/integration/badagent.py" "$BPORT" "$T/bad.pid" &
PIDS="$PIDS $!"
wait_for 20 snmpget -v2c -c loop -t 1 -r 0 "127.0.0.1:$BPORT" 1.3.6.1.2.1.1.3.0
ok $? "the lying agent answers on 127.0.0.1:$BPORT"

CONF=$T/netpatrold.conf
{
	cat <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
device "good" {
	address 127.0.0.1 port $PORT
	interval 1
	timeout 1 retries 1
}
EOF
	for b in loop types garbage early huge slow; do
		cat <<EOF
device "$b" {
	address 127.0.0.1 port $BPORT
	snmp v2c community "$b"
	interval 1
	timeout 1 retries 0
	max-repetitions 10
}
EOF
	done
} >"$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 90 polls_at_least "$CONF" slow 4
ok $? "four rounds of polls of every bad agent"
"$NETPATROL" -f "$CONF" status --json >"$T/s.json"
dev() { echo "[d for d in j['devices'] if d['name']=='$1'][0]"; }

check "good device: polled all along, no failure" json "$T/s.json" "$(dev good)['polls'] >= 4 and $(dev good)['polls_failed'] == 0"
check "loop: loops counted, device still reachable" json "$T/s.json" "$(dev loop)['loops'] > 0 and $(dev loop)['reachable'] is True"
check "loop: the reason is kept" json "$T/s.json" "'non-increasing' in $(dev loop)['last_error']"
check "types: wrong types counted as bad values" json "$T/s.json" "$(dev types)['bad_values'] > 0"
check "garbage: undecodable replies counted" json "$T/s.json" "$(dev garbage)['malformed'] > 0"
check "garbage: its polls fail, the device answers its system group" json "$T/s.json" "$(dev garbage)['polls_failed'] > 0 and $(dev garbage)['reachable'] is True"
check "early: empty tables are no error" json "$T/s.json" "$(dev early)['polls_failed'] == 0 and $(dev early)['ports'] == 0"
check "huge: 400 interfaces with 400-byte names are read whole" json "$T/s.json" "$(dev huge)['ports'] == 400"
check "slow: timeouts mid-walk counted" json "$T/s.json" "$(dev slow)['timeouts'] > 0 and $(dev slow)['polls_failed'] > 0"
check "the store has the same statistics" test "$(sq "$T/state/netpatrol.db" "select malformed > 0 from poll_stats s join devices d on d.id = s.device_id where d.name='garbage'")" = 1
n=$(grep -c "slow: poll failed" "$T/daemon.log")
ok $([ "$n" -le 2 ]; echo $?) "a failing device is logged once, not every poll ($n lines)"
check "the daemon is still running" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
