#!/bin/bash
# health.sh - hardware and host health: ENTITY-SENSOR-MIB sensors named by
# ENTITY-MIB, HOST-RESOURCES storage and processor load, from a recording
# with an over-temperature sensor, a failed fan, a missing PSU and values
# that cannot be converted (tests/data/snmprec/healthsw.snmprec, served by
# snmpsim); and this machine's own snmpd for HOST-RESOURCES.
. "$(dirname "$0")/lib.sh"
need snmpsimd snmpd snmpget rrdtool python3

mkdir -p "$T/data"
cp "$top_srcdir/tests/data/snmprec/healthsw.snmprec" "$T/data/"
PORT=$(port_pick)
start_snmpsim "$T/data" "$PORT"
wait_for 120 snmpget -v2c -c healthsw -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0
ok $? "snmpsim serves healthsw"
SPORT=$(port_pick)
start_snmpd agent "$SPORT"
ok $? "snmpd answers"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 100ms
device "sw" {
	address 127.0.0.1 port $PORT
	snmp v2c community "healthsw"
	interval 2
	timeout 2 retries 2
}
device "host" {
	address 127.0.0.1 port $SPORT
	interval 2
	require process "snmpd"
	require process "no-such-daemon-np"
}
device "strict" {
	address 127.0.0.1 port $SPORT
	interval 2
	forbid process "snmpd"
}
device "sw2" {
	address 127.0.0.1 port $PORT
	snmp v2c community "healthsw"
	interval 2
	threshold temperature warning 85 critical 95
	threshold sensor "Inlet temp" warning 20
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 60 polls_at_least "$CONF" sw 2
ok $? "two polls"
wait_for 20 polls_at_least "$CONF" host 2
sleep 0.5   # the store's batch window
"$NETPATROL" -f "$CONF" sensors sw --json >"$T/s.json"
s() { echo "[x for x in j if x['name']=='$1'][0]"; }
check "CPU temp: 80 C, critical (default threshold 75)" \
	json "$T/s.json" "$(s 'CPU temp')['value'] == 80 and $(s 'CPU temp')['state'] == 'critical' and $(s 'CPU temp')['class'] == 'temperature' and $(s 'CPU temp')['unit'] == 'C'"
check "Inlet temp: precision 1 gives 24.5 C, normal" \
	json "$T/s.json" "$(s 'Inlet temp')['value'] == 24.5 and $(s 'Inlet temp')['state'] == 'normal'"
check "Fan 1: nonoperational is failed" json "$T/s.json" "$(s 'Fan 1')['state'] == 'failed'"
check "Fan 2: 5400 RPM, normal" json "$T/s.json" "$(s 'Fan 2')['value'] == 5400 and $(s 'Fan 2')['class'] == 'fanspeed'"
check "PSU 2 (missing): unknown, with the reason, never zero" \
	json "$T/s.json" "$(s 'PSU 2')['state'] == 'unknown' and $(s 'PSU 2')['value'] is None and 'unavailable' in $(s 'PSU 2')['reason']"
check "Board 3V3: milli scale gives 3.294 V" \
	json "$T/s.json" "abs($(s 'Board 3V3')['value'] - 3.294) < 1e-9 and $(s 'Board 3V3')['class'] == 'voltage'"
check "Bad scale: unknown, the reason names the scale" \
	json "$T/s.json" "$(s 'Bad scale')['value'] is None and 'scale' in $(s 'Bad scale')['reason']"
check "Fan 3: a negative RPM is unknown" json "$T/s.json" "$(s 'Fan 3')['value'] is None and $(s 'Fan 3')['state'] == 'unknown'"
check "memory 96 % used: critical" json "$T/s.json" "$(s 'Physical memory')['state'] == 'critical' and abs($(s 'Physical memory')['value'] - 96) < 1e-9"
check "storage / 50 %: normal" json "$T/s.json" "$(s '/')['state'] == 'normal'"
check "cpu0 at 90 %: warning; cpu1 at 20 %: normal" json "$T/s.json" "$(s cpu0)['state'] == 'warning' and $(s cpu1)['state'] == 'normal'"
check "sensors carry the OID they are read from" json "$T/s.json" "$(s 'CPU temp')['oid'] == '.1.3.6.1.2.1.99.1.1.1.4.10'"

"$NETPATROL" -f "$CONF" events --json --device sw >"$T/e.json"
check "events: CPU temp critical at first sight, key sensor:entity:CPU temp" \
	json "$T/e.json" "any(e['kind'] == 'sensor.critical' and e['key'] == 'sensor:entity:CPU temp' and e['severity'] == 'critical' for e in j)"
check "events: Fan 1 failed" json "$T/e.json" "any(e['kind'] == 'sensor.failed' and 'Fan 1' in e['text'] for e in j)"
check "events: none for normal sensors" json "$T/e.json" "not any('Inlet temp' in e['text'] or 'Fan 2' in e['text'] for e in j)"
check "RRD file per sensor, readable by rrdtool" \
	sh -c "'$NETPATROL' -f '$CONF' rrd flush >/dev/null && rrdtool lastupdate '$T/state/rrd/sw/sensor-temperature-CPU%20temp.rrd' | grep -q ': 8'"
"$NETPATROL" -f "$CONF" health --json >"$T/h.json"
check "health: sw is failed (worst first), its worst sensor named" \
	json "$T/h.json" "[h for h in j if h['device'] == 'sw'][0]['state'] == 'failed' and j[0]['state'] == 'failed' and [h for h in j if h['device'] == 'sw'][0]['worst_sensor'] == 'Fan 1'"
check "health (human output)" sh -c "'$NETPATROL' -f '$CONF' health | grep -q '^sw  *failed'"

"$NETPATROL" -f "$CONF" sensors host --json >"$T/host.json"
check "this machine: memory use from HOST-RESOURCES, 0..100 %" \
	json "$T/host.json" "any(x['name'] == 'Physical memory' and 0 <= x['value'] <= 100 for x in j)"
check "this machine: load averages from UCD-SNMP (1, 5, 15 min)" \
	json "$T/host.json" "sorted(x['name'] for x in j if x['key'].startswith('loadavg:')) == ['load average Load-1', 'load average Load-15', 'load average Load-5'] and all(x['value'] >= 0 for x in j if x['key'].startswith('loadavg:'))"

# processes on this machine's snmpd (HOST-RESOURCES hrSWRunName)
"$NETPATROL" -f "$CONF" events --json --device host >"$T/he.json"
check "a required process that runs: no event, normal" \
	json "$T/host.json" "[x for x in j if x['key']=='process:snmpd'][0]['state'] == 'normal'"
check "a required process that is missing: process.missing" \
	json "$T/he.json" "any(e['kind']=='process.missing' and e['key']=='process:no-such-daemon-np' and e['severity']=='major' for e in j)"
wait_for 30 polls_at_least "$CONF" strict 2
sleep 0.5
"$NETPATROL" -f "$CONF" events --json --device strict >"$T/se.json"
check "a forbidden process that runs: process.forbidden" \
	json "$T/se.json" "any(e['kind']=='process.forbidden' and e['key']=='process:snmpd' for e in j)"

# thresholds from the configuration: per class, and per sensor by name
wait_for 30 polls_at_least "$CONF" sw2 2
sleep 0.5
"$NETPATROL" -f "$CONF" sensors sw2 --json >"$T/s2.json"
check "configured class threshold: 80 C is normal under warning 85" \
	json "$T/s2.json" "[x for x in j if x['name']=='CPU temp'][0]['state'] == 'normal' and [x for x in j if x['name']=='CPU temp'][0]['crit_high'] == 95"
check "configured sensor threshold: Inlet temp 24.5 C is a warning over 20" \
	json "$T/s2.json" "[x for x in j if x['name']=='Inlet temp'][0]['state'] == 'warning'"

# restart: states come back from the store, no second round of events
# (counted after the stop: events still queued for the store are written
# by then, and must not be taken for new ones). The simulated switches
# only: host and strict report this machine's file systems, which other
# tests mount and unmount meanwhile (store_rofail.sh's loop device)
stop_pid "$DAEMON_PID"
SEV="select count(*) from events where kind like 'sensor.%' and device in ('sw', 'sw2')"
N=$(sq "$T/state/netpatrol.db" "$SEV")
start_daemon "$CONF"
P=$("$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='sw'][0]['polls']")
wait_for 60 polls_at_least "$CONF" sw $((P + 2))
sleep 0.5
check "restart: no repeated sensor events ($N)" test "$(sq "$T/state/netpatrol.db" "$SEV")" -eq "$N"

# PSU 2 pulled out: the device stops reporting its sensor (index 31)
stop_pid "$SNMPSIM_PID"
grep -v '^1\.3\.6\.1\.2\.1\.\(99\.1\.1\.1\|47\.1\.1\.1\.1\)\.[0-9]*\.31|' \
	"$top_srcdir/tests/data/snmprec/healthsw.snmprec" >"$T/data/healthsw.snmprec"
rm -rf "$T/simcache"
start_snmpsim "$T/data" "$PORT"
missing() { "$NETPATROL" -f "$CONF" events --json --device sw --kind sensor.missing | json - "len(j)==1 and j[0]['object']=='PSU 2'"; }
wait_for 120 missing
ok $? "a sensor the device no longer reports: one sensor.missing event"
"$NETPATROL" -f "$CONF" sensors sw --json >"$T/s3.json"
check "it is unknown, no value, with the reason" json "$T/s3.json" \
	"[(x['state'],x['value'],x['reason']) for x in j if x['name']=='PSU 2'][0]==('unknown',None,'no longer reported by the device')"
"$NETPATROL" -f "$CONF" events --json --device sw --kind sensor.missing >"$T/e3.json"
check "hardware: a warning, said once" json "$T/e3.json" "j[0]['severity']=='warning' and len(j)==1"
"$NETPATROL" -f "$CONF" findings --json >"$T/f3.json"
check "and a finding to look at" json "$T/f3.json" "any(f['kind']=='sensor.missing' and f['device']=='sw' for f in j)"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
