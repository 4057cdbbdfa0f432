#!/bin/bash
# poll_snmpd.sh - netpatrold polls a real net-snmp snmpd over v1, v2c and
# v3 authPriv: ports and their states in the store, rates in RRD files,
# poll statistics, reachability events when the agent stops and returns,
# a clean stop on SIGTERM, and nothing lost after SIGKILL.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget sqlite3 rrdtool python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
ok 0 "snmpd answers on 127.0.0.1:$PORT"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 200ms
device "v2" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 1
	location "rack 1"
	role "server"
	owner "noc"
}
device "v3" {
	address 127.0.0.1 port $PORT
	snmp v3 user "npv3" auth sha "authpass123" priv aes "privpass123"
	interval 1
	timeout 1 retries 1
}
device "v1" {
	address 127.0.0.1 port $PORT
	snmp v1 community "public"
	interval 2
	timeout 1 retries 0
}
EOF
check "the configuration checks" "$NETPATROLD" -n -f "$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts and answers on its control socket"

for d in v2 v3 v1; do
	wait_for 60 polls_at_least "$CONF" $d 3
	ok $? "device $d polled 3 times"
done

"$NETPATROL" -f "$CONF" status --json >"$T/status.json"
check "status: v3 device reachable" \
	json "$T/status.json" "[d for d in j['devices'] if d['name']=='v3'][0]['reachable'] is True"
check "status: requests and varbinds counted" \
	json "$T/status.json" "all(d['requests'] > 0 and d['varbinds'] > 0 for d in j['devices'])"
check "status: v2c polls use GETBULK (fewer requests than varbinds)" \
	json "$T/status.json" "[d for d in j['devices'] if d['name']=='v2'][0]['last_requests'] * 5 < [d for d in j['devices'] if d['name']=='v2'][0]['last_varbinds']"
check "status (human output) lists the devices" sh -c "'$NETPATROL' -f '$CONF' status | grep -q '^v3 '"

"$NETPATROL" -f "$CONF" ports v2 --json >"$T/ports.json"
check "ports --json: lo is there and up" \
	json "$T/ports.json" "any(p['name']=='lo' and p['oper_status']=='up' and p['admin_status']=='up' for p in j)"
check "ports --json: the contract's keys" \
	json "$T/ports.json" "len(j) > 0 and all(set(['device','index','name','alias','admin_status','oper_status','speed_bps','in_bps','out_bps']) <= set(p) for p in j)"
"$NETPATROL" -f "$CONF" ports v3 --json >"$T/ports3.json"
"$NETPATROL" -f "$CONF" ports v1 --json >"$T/ports1.json"
# snmpd reports this host's interfaces: traffic.sh and probes.sh, running
# beside this test, add and remove the host ends of their veth pairs
# (npt<pid>a, npp<pid>a) between the three polls; those are left out.
check "v1, v2c and v3 see the same ports" \
	python3 -c "import json,re,sys; n=lambda f: sorted(p['name'] for p in json.load(open(f)) if not re.match(r'np[a-z]?[0-9]*[ab]\$', p['name'])); sys.exit(0 if n('$T/ports.json')==n('$T/ports3.json')==n('$T/ports1.json') else 1)"
check "ports (human output) names lo" sh -c "'$NETPATROL' -f '$CONF' ports v2 | grep -q ' lo '"

"$NETPATROL" -f "$CONF" devices --json >"$T/devices.json"
check "devices --json: three devices, reachable, with sysName" \
	json "$T/devices.json" "len(j)==3 and all(d['reachable'] is True and d['sys_name'] for d in j)"
check "devices --json: location, role and owner from the config" \
	json "$T/devices.json" "[d for d in j if d['name']=='v2'][0]['location']=='rack 1' and [d for d in j if d['name']=='v2'][0]['owner']=='noc'"

DB=$T/state/netpatrol.db
check "sqlite3 reads the store: ports of v2" test "$(sq "$DB" "select count(*) from ports p join devices d on d.id=p.device_id where d.name='v2'")" -ge 1
check "store: poll statistics per device" test "$(sq "$DB" "select count(*) from poll_stats where polls >= 2")" -eq 3
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	skip "store: WAL mode (the store is in PostgreSQL)"
else
	check "store: WAL mode" test "$(sq "$DB" "pragma journal_mode")" = wal
fi

RRD=$T/state/rrd/v2/port-lo.rrd
wait_for 30 test -f "$RRD"
ok $? "RRD file for v2's lo exists"
check "rrdtool info: 12 data sources at a 1 s step" sh -c "rrdtool info '$RRD' | grep -q '^step = 1\$' && test \$(rrdtool info '$RRD' | grep -c '^ds\\[.*\\]\\.type') -eq 12"
check "rrdtool info: RRAs down to 1 day per row" sh -c "rrdtool info '$RRD' | grep -q 'pdp_per_row = 86400'"
wait_for 30 sh -c "'$NETPATROL' -f '$CONF' rrd flush '$RRD' && rrdtool fetch '$RRD' AVERAGE -s -20 | awk 'NR>2 && \$2 !~ /nan/ {n++} END {exit !(n>=2)}'"
ok $? "rrdtool fetch returns measured in_octets values"

# reachability: stop the agent, the device becomes unreachable; back again
stop_pid "$SNMPD_PID_agent"
wait_for 60 sh -c "'$NETPATROL' -f '$CONF' events --json --device v2 | grep -q device.unreachable"
ok $? "agent stopped: device.unreachable event"
start_snmpd agent "$PORT"
wait_for 60 sh -c "'$NETPATROL' -f '$CONF' events --json --device v3 | grep -q device.reachable"
ok $? "agent back: device.reachable event for the v3 device too"
# every device sees the agent back (and its restart) before the next step
wait_for 60 sh -c "for d in v1 v2 v3; do '$NETPATROL' -f '$CONF' events --json --device \$d | grep -q device.reboot || exit 1; done"
ok $? "agent back: each device reports the agent's restart (device.reboot)"
"$NETPATROL" -f "$CONF" events --json >"$T/events.json"
check "events --json: the contract's keys, RFC 3339 times" \
	json "$T/events.json" "len(j) >= 2 and all(set(['time','device','source','kind','key','severity','text']) <= set(e) and e['time'].endswith('Z') for e in j)"
check "events --since filters" sh -c "test \"\$('$NETPATROL' -f '$CONF' events --since 2000-01-01 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" -ge 2 && test \"\$('$NETPATROL' -f '$CONF' events --since 2099-01-01 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" -eq 0"
"$NETPATROL" -f "$CONF" events --device v2 --kind device.re --json >"$T/ev_v2.json"
check "events --device --kind: that device's, of that kind, only" \
	json "$T/ev_v2.json" "len(j) >= 2 and all(e['device'] == 'v2' and e['kind'].startswith('device.re') for e in j)"
check "events --device --since: none in the future" sh -c "test \"\$('$NETPATROL' -f '$CONF' events --device v2 --since 2099-01-01 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" -eq 0"

# SIGKILL: what was written before is still there after a restart
N_BEFORE=$(sq "$DB" "select count(*) from events")
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
check "after SIGKILL the store opens and keeps its events" test "$(sq "$DB" "select count(*) from events")" -ge "$N_BEFORE"
P0=$(sq "$DB" "select polls from poll_stats s join devices d on d.id=s.device_id where d.name='v2'")
RESTART=$(date +%s.%N)
start_daemon "$CONF"
ok $? "restart after SIGKILL (the stale control socket is taken over)"
# the first row written after the restart already has a rate: the counter
# baselines came back from the store (no one-interval gap)
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	skip "restart: the first poll after it already has rates (read with python's sqlite3)"
else
python3 - "$DB" "$RESTART" <<'PY'
import sqlite3, sys, time
db, since = sys.argv[1], float(sys.argv[2])
end = time.time() + 30
while time.time() < end:
    try:
        c = sqlite3.connect(db, timeout=5)
        r = c.execute("select p.updated, p.in_bps from ports p join devices d on d.id = p.device_id"
                      " where d.name = 'v2' and p.name = 'lo' and p.updated > ?", (since,)).fetchone()
        c.close()
    except sqlite3.Error:
        r = None
    if r:
        print("# first row after the restart: in_bps", r[1])
        sys.exit(0 if r[1] is not None else 1)
    time.sleep(0.05)
sys.exit(1)
PY
ok $? "restart: the first poll after it already has rates (baselines kept in the store)"
fi
wait_for 60 polls_at_least "$CONF" v2 3
ok $? "restart: polling resumes"
# (the agent serves this host's interface table: other tests running beside
# this one add and remove veth interfaces (np*) in it, whose events are real;
# the ports that were there all along, lo and the host's own, must be
# quiet)
check "restart: no false port events" test "$(sq "$DB" "select count(*) from events where kind like 'port.%' and object not like 'np%'")" -eq 0
check "restart: no false reboot event" test "$(sq "$DB" "select count(*) from events where kind = 'device.reboot' and time >= $RESTART")" -eq 0

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: netpatrold exits 0"
check "SIGTERM: control socket and pidfile removed" sh -c "! test -e '$T/np.sock' && ! test -e '$T/np.pid'"
diag "polls of v2 before the restart: $P0"
done_testing
