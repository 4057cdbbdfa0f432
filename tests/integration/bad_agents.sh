#!/bin/bash
# bad_agents.sh - agents that loop, send wrong types, garbage, huge answers,
# empty tables or nothing at all: each is counted in its own poll
# statistics, logged a few times rather than every poll, and none of them
# stops the polling of a good device (real snmpd) beside them.
# Issue 19, faults 5: an agent with ifSpeed 0 whose Counter32 goes back a
# little (a reset, not a wrap: no rate of 2^32 octets, counted as
# counter_resets), and a dead agent (the real snmpd stopped with SIGSTOP,
# then SIGCONT): its polls fail and are counted, then go on.
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
	for b in loop types garbage early huge slow backwards renumber split; do
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
nrrd() { [ "$(ls "$T/state/rrd/huge" 2>/dev/null | grep -c '\.rrd$')" = 400 ]; }
wait_for 60 nrrd
ok $? "huge: each of the 400 ports has its RRD file (long names cut, with a hash)"
check "huge: no RRD file name too long for librrd" sh -c "! grep -q 'rrd: creating.*huge' '$T/daemon.log'"
check "slow: timeouts mid-walk counted" json "$T/s.json" "$(dev slow)['timeouts'] > 0 and $(dev slow)['polls_failed'] > 0"
check "the store has the same statistics" test "$(sq "$T/state/netpatrol.db" "select malformed > 0 from poll_stats s join devices d on d.id = s.device_id where d.name='garbage'")" = 1
n=$(grep -c "slow: poll failed" "$T/daemon.log")
ok $([ "$n" -le 2 ]; echo $?) "a failing device is logged once, not every poll ($n lines)"

# ifSpeed 0 and a Counter32 going back: resets, never a spike
devq() { "$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='$1'][0]$2"; }
wait_for 60 devq backwards "['counter_resets'] >= 4"
ok $? "backwards: the counters going back are counted as resets (counter_resets)"
check "backwards: its polls succeed" json - "$(dev backwards)['polls_failed'] == 0 and $(dev backwards)['ports'] == 1" < <("$NETPATROL" -f "$CONF" status --json)
RRDB=$(ls "$T"/state/rrd/backwards/port-*.rrd 2>/dev/null | head -1)
check "backwards: the port has an RRD file" test -n "$RRDB"
"$NETPATROL" -f "$CONF" rrd flush >/dev/null   # the writer keeps updates
rrdtool fetch "$RRDB" MAX -s -600 >"$T/bw.txt" 2>&1
python3 - "$T/bw.txt" >"$T/bw.max" <<'PY2'
import math, sys
m, n = 0.0, 0
for line in open(sys.argv[1]):
    if ":" not in line:
        continue
    for v in line.split(":", 1)[1].split():
        try:
            x = float(v)
        except ValueError:
            continue
        if not math.isnan(x):
            m, n = max(m, x), n + 1
print("%d %g" % (n, m))
PY2
read -r NV MAXV <"$T/bw.max"
diag "backwards: $NV values in the RRD file, the largest $MAXV"
ok $(python3 -c "import sys; sys.exit(0 if $NV > 0 and $MAXV < 1e7 else 1)"; echo $?) "backwards: no rate spike in the RRD file (largest $MAXV, a wrap would be ~4e9)"

# an agent that renumbers its interfaces between ifTable and ifXTable (a
# restart mid-poll): that poll leaves the ports as they were, the next
# ones take the new numbering; no port twice ("Gi0/1#101")
ports_json() { "$NETPATROL" -f "$CONF" ports "$1" --json; }
renumbered() { ports_json renumber | json - "sorted((p['name'],p['index']) for p in j)==[('Gi0/1',101),('Gi0/2',102),('Gi0/3',103)]"; }
wait_for 60 renumbered
ok $? "renumber: its ports are Gi0/1-3, now as ifIndex 101-103"
check "renumber: the poll that saw two numberings was skipped (ports_skipped 1), the others not" \
	json - "$(dev renumber)['ports_skipped'] == 1 and $(dev renumber)['ports'] == 3 and $(dev renumber)['polls_failed'] == 0" < <("$NETPATROL" -f "$CONF" status --json)
check "renumber: no port of both numberings in the store" \
	test "$(sq "$T/state/netpatrol.db" "select count(*) from ports p join devices d on d.id = p.device_id where d.name = 'renumber'")" = 3
check "renumber: said in the log" grep -q "renumber: ifTable and ifXTable have different interfaces" "$T/daemon.log"
# an agent whose two tables always disagree: skipped 3 times, then taken
# as they come, with one warning
wait_for 60 devq split "['ports'] > 0"
ok $? "split: after the skipped polls its tables are taken as they are"
check "split: 3 polls skipped, one warning" \
	sh -c "'$NETPATROL' -f '$CONF' status --json | python3 -c \"import json,sys; d=[d for d in json.load(sys.stdin)['devices'] if d['name']=='split'][0]; sys.exit(0 if d['ports_skipped']==3 else 1)\" && [ \$(grep -c 'split: ifTable and ifXTable have had different interfaces for 4 polls' '$T/daemon.log') = 1 ]"

# a dead agent: the real snmpd stopped, then going on
F0=$(devq good "['polls_failed']")
kill -STOP "$SNMPD_PID_agent"
wait_for 60 devq good "['polls_failed'] >= $F0 + 2"
ok $? "good, stopped (SIGSTOP): its polls fail and are counted"
B0=$(devq backwards "['polls']")
wait_for 60 devq backwards "['polls'] >= $B0 + 2"
ok $? "the other devices are still polled meanwhile"
kill -CONT "$SNMPD_PID_agent"
F1=$(devq good "['polls_failed']")
P1=$(devq good "['polls']")
back() { "$NETPATROL" -f "$CONF" status --json | json - "$(dev good)['polls'] >= $P1 + 3 and $(dev good)['reachable'] is True and $(dev good)['polls_failed'] <= $F1 + 1"; }
wait_for 60 back
ok $? "good, continued (SIGCONT): polled again, reachable, no more failures"
n=$(grep -c "good: poll failed" "$T/daemon.log")
ok $([ "$n" -le 2 ]; echo $?) "the dead agent is logged once, not every poll ($n lines)"
check "the daemon is still running" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
