#!/bin/bash
# health_vendor.sh - the vendors' own health tables, chosen by sysObjectID:
# JUNIPER-MIB (an offline FRU, a fan down, a red alarm, an FPC too hot,
# optics with their own thresholds), MIKROTIK-MIB (a failed power supply
# gauge, an optic with loss of signal and a transmit fault), HP-ICF (a
# failed fan and power supply, a dead optic: -99999999), UCD-SNMP-MIB on a
# host (memory, swap, dskTable with dskErrorFlag, lm-sensors) and
# CISCO-ENTITY-SENSOR-MIB's threshold table, from recordings served by
# snmpsim (tests/data/snmprec/*sw.snmprec, ucdhost.snmprec); and this
# machine's own snmpd for UCD memory and disks. Values that make no sense
# are unknown with the reason, never zero.
. "$(dirname "$0")/lib.sh"
need snmpsimd snmpd snmpget python3

mkdir -p "$T/data"
for f in junipersw mikrotiksw hpsw ucdhost ciscosw; do
	cp "$top_srcdir/tests/data/snmprec/$f.snmprec" "$T/data/"
done
PORT=$(port_pick)
start_snmpsim "$T/data" "$PORT"
wait_for 120 snmpget -v2c -c junipersw -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0
ok $? "snmpsim serves the vendor recordings"
SPORT=$(port_pick)
start_snmpd host "$SPORT" "disk / 1%"
ok $? "snmpd answers (disk / 1%)"
FPORT=$(port_pick)
start_snmpd full "$FPORT" "disk / 100%"
ok $? "snmpd answers (disk / 100%: the minimum is crossed)"

CONF=$T/netpatrold.conf
{
	cat <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 100ms
device "host" {
	address 127.0.0.1 port $SPORT
	interval 2
}
device "full" {
	address 127.0.0.1 port $FPORT
	interval 2
}
device "cisco2" {
	address 127.0.0.1 port $PORT
	snmp v2c community "ciscosw"
	interval 2
	timeout 2 retries 2
	threshold temperature critical 44
	threshold sensor "Outlet" warning 65 critical 70
}
EOF
	for c in junipersw mikrotiksw hpsw ucdhost ciscosw; do
		cat <<EOF
device "$c" {
	address 127.0.0.1 port $PORT
	snmp v2c community "$c"
	interval 2
	timeout 2 retries 2
}
EOF
	done
} >"$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts"
all_polled() {
	"$NETPATROL" -f "$CONF" status --json | json - "all(d['polls'] >= $1 for d in j['devices'])"
}
# the first poll walks the thresholds; the third reads them from memory
wait_for 90 all_polled 3
ok $? "three polls of every device"
sleep 0.5 # the store's batch window

for c in junipersw mikrotiksw hpsw ucdhost ciscosw cisco2 host full; do
	"$NETPATROL" -f "$CONF" sensors "$c" --json >"$T/$c.json"
	"$NETPATROL" -f "$CONF" events --json --device "$c" >"$T/$c.ev.json"
done
s() { echo "[x for x in j if x['name']=='$1' and x['class']=='$2'][0]"; }
is() { # is DEVICE NAME CLASS STATE [PYTHON-CONDITION ON x]
	json "$T/$1.json" "(lambda x: x['state'] == '$4' and (${5:-True}))($(s "$2" "$3"))"
}
none() { # none DEVICE NAME: no sensor of that name
	json "$T/$1.json" "not any(x['name'] == '$2' for x in j)"
}
bad_values() { # bad_values DEVICE N: at least N values refused
	"$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='$1'][0]['bad_values'] >= $2"
}
ev() { # ev DEVICE KIND KEY: an event of that kind and key
	json "$T/$1.ev.json" "any(e['kind'] == '$2' and e['key'] == '$3' for e in j)"
}

# --- Juniper ---
check "juniper: the vendor's tables are read (sysObjectID 2636)" \
	json "$T/junipersw.json" "any(x['source'] == 'juniper' for x in j) and not any(x['source'] in ('ucd-snmp', 'mikrotik', 'hp-icf') for x in j)"
check "juniper: FPC at 82 C is critical, read from jnxOperatingTemp.7.1.0.0" \
	is junipersw "FPC: EX4300-48T @ 0/*/*" temperature critical "x['value'] == 82 and x['oid'] == '.1.3.6.1.4.1.2636.3.1.13.1.7.7.1.0.0'"
check "juniper: FPC CPU at 97 % is critical" \
	is junipersw 'FPC: EX4300-48T @ 0/*/* CPU' load critical
check "juniper: FPC memory (buffer) at 50 % is normal" \
	is junipersw 'FPC: EX4300-48T @ 0/*/* memory' load normal 'x["value"] == 50'
check "juniper: a temperature of 0 is no sensor (PEM 0)" \
	json "$T/junipersw.json" "not any(x['name'] == 'PEM 0' and x['class'] == 'temperature' for x in j)"
check "juniper: PEM 1 offline (jnxFruState 8) is critical, with the reason" \
	is junipersw "PEM 1" state critical "x['value'] == 8 and 'offline' in x['reason'] and x['oid'] == '.1.3.6.1.4.1.2636.3.1.15.1.8.2.2.0.0'"
check "juniper: a fan down (jnxOperatingState 6) is failed" \
	is junipersw "Fan Tray 0 Fan 1" state failed "'down' in x['reason']"
check "juniper: a fan at full speed is a warning" \
	is junipersw "Fan Tray 0 Fan 2" state warning "'full speed' in x['reason']"
check "juniper: red alarm on is critical" \
	is junipersw 'Red alarm' state critical 'x["oid"] == ".1.3.6.1.4.1.2636.3.4.2.3.1.0"'
check "juniper: yellow alarm off is normal" \
	is junipersw 'Yellow alarm' state normal
check "juniper: RE 1 temperature 4294967295 is unknown, never zero" \
	is junipersw "Routing Engine 1" temperature unknown "x['value'] is None and 'out of range' in x['reason']"
check "juniper: RE 1 CPU 250 % is unknown with the reason" \
	is junipersw "Routing Engine 1 CPU" load unknown "x['value'] is None and '0..100' in x['reason']"
check "juniper: RE 1 memory missing from the table is unknown" \
	is junipersw "Routing Engine 1 memory" load unknown "'jnxOperatingBuffer' in x['reason']"
check "juniper: RE 1 in standby is normal" is junipersw "Routing Engine 1" state normal
check "juniper: an empty slot (jnxFruState 2) makes no sensor" none junipersw "PIC:  @ 0/2/*"
check "juniper: an index that does not fit (L1 20000) is refused and counted" \
	bad_values junipersw 5
check "juniper: no sensor from the refused row" \
	json "$T/junipersw.json" "not any('Bad index' in x['name'] for x in j)"
check "juniper: optics named by port, in real units" \
	is junipersw "xe-0/0/0 rx power" dbm normal "abs(x['value'] + 2.3) < 1e-9 and x['oid'] == '.1.3.6.1.4.1.2636.3.60.1.1.1.1.5.513'"
check "juniper: optic bias 5588 uA is 0.005588 A, with the module's thresholds" \
	is junipersw "xe-0/0/0 tx bias" current normal "abs(x['value'] - 0.005588) < 1e-12 and x['crit_high'] == 0.05 and x['crit_low'] == 0.001"
check "juniper: rx power below the module's low alarm (-13.09 dBm) is critical, after three polls" \
	is junipersw "xe-0/0/1 rx power" dbm critical "x['value'] == -25 and x['crit_low'] == -13.09 and x['warn_low'] == -12.09"
check "juniper: a module reporting all zeros says so, its zero thresholds unused" \
	is junipersw "xe-0/0/2 rx power" dbm normal "x['value'] == 0 and 'no diagnostics' in x['reason'] and x['crit_high'] is None"
check "juniper: event for the offline FRU" \
	ev junipersw sensor.critical 'sensor:juniper-fru:PEM 1'
check "juniper: event for the red alarm" \
	ev junipersw sensor.critical 'sensor:juniper-alarm:Red alarm'
check "juniper: event for the fan that is down" \
	ev junipersw sensor.failed 'sensor:juniper-state:Fan Tray 0 Fan 1'
check "juniper: no event for normal sensors" \
	json "$T/junipersw.ev.json" "not any('Routing Engine 0' in e['text'] or 'Yellow' in e['text'] for e in j)"

# --- MikroTik ---
check "mikrotik: gauges in their units (dV, dA, dW, C, RPM)" \
	json "$T/mikrotiksw.json" "$(s voltage voltage)['value'] == 24.1 and $(s current current)['value'] == 1.2 and $(s power-consumption power)['value'] == 15.3 and $(s temperature temperature)['value'] == 45 and $(s fan1-speed fanspeed)['value'] == 4800"
check "mikrotik: psu1-state false (0) is failed" \
	is mikrotiksw psu1-state state failed 'x["value"] == 0'
check "mikrotik: psu2-state true (1) is normal" \
	is mikrotiksw psu2-state state normal
check "mikrotik: cpu-temperature 85 C is critical" is mikrotiksw cpu-temperature temperature critical
check "mikrotik: a Gauge32 temperature of 4294967286 is unknown" \
	is mikrotiksw board-temperature temperature unknown "x['value'] is None and 'out of range' in x['reason']"
check "mikrotik: a gauge of unknown unit is unknown with the reason" \
	json "$T/mikrotiksw.json" "[x for x in j if x['name'] == 'mystery'][0]['state'] == 'unknown' and 'unit' in [x for x in j if x['name'] == 'mystery'][0]['reason']"
check "mikrotik: optic sfp1 in real units" \
	json "$T/mikrotiksw.json" "$(s 'sfp1 rx power' dbm)['value'] == -3.1 and $(s 'sfp1 tx bias' current)['value'] == 0.006 and $(s 'sfp1 supply voltage' voltage)['value'] == 3.3 and $(s 'sfp1 rx loss' state)['state'] == 'normal'"
check "mikrotik: sfp2 receive loss of signal is critical" \
	is mikrotiksw 'sfp2 rx loss' state critical
check "mikrotik: sfp2 transmit fault is failed" \
	is mikrotiksw 'sfp2 tx fault' state failed
check "mikrotik: an optic without a name is named by its port (ifName)" \
	is mikrotiksw "sfp3 temperature" temperature normal "'no diagnostics' in x['reason']"
check "mikrotik: event for the failed power supply" \
	ev mikrotiksw sensor.failed 'sensor:mikrotik:psu1-state'
check "mikrotik: event for the lost signal" \
	ev mikrotiksw sensor.critical 'sensor:mikrotik-optic:sfp2 rx loss'

# --- HP ---
check "hp: hpicfSensor Fan Sensor bad is failed" \
	is hpsw 'Fan Sensor' state failed
check "hp: hpicfSensor Temperature Sensor warning is a warning" \
	is hpsw 'Temperature Sensor' state warning
check "hp: hpicfSensor Power Supply Sensor good is normal" \
	is hpsw 'Power Supply Sensor' state normal
check "hp: fan 2 failed (0) is failed" \
	is hpsw 'Fan 2' state failed 'x["value"] == 0'
check "hp: fan 3 underspeed is a warning" \
	is hpsw 'Fan 3' state warning
check "hp: fan 1 ok is normal" \
	is hpsw 'Fan 1' state normal
check "hp: power supply 2 psFailed is failed" \
	is hpsw 'Power supply 2' state failed
check "hp: power supply 1 draws 60 W of its 250 (its critical level)" \
	is hpsw 'Power supply 1' power normal 'x["value"] == 60 and x["crit_high"] == 250'
check "hp: a failed supply's 0 C is no reading: unknown, with the reason" \
	is hpsw 'Power supply 2' temperature unknown "x['value'] is None and 'not powered' in x['reason']"
check "hp: an absent power supply is unknown" \
	is hpsw 'Power supply 3' state unknown
check "hp: an absent power supply has no temperature or power" \
	json "$T/hpsw.json" "not any(x['name'] == 'Power supply 3' and x['class'] != 'state' for x in j)"
check "hp: a dead optic (-99999999) is unknown, 'no light', never zero" \
	is hpsw "25 rx power" dbm unknown "x['value'] is None and 'no light' in x['reason']"
check "hp: optic readings in real units (milli-C, 100 uV, uA, dBm/1000)" \
	json "$T/hpsw.json" "abs($(s '25 temperature' temperature)['value'] - 45.398) < 1e-9 and abs($(s '25 supply voltage' voltage)['value'] - 3.297) < 1e-9 and abs($(s '25 tx bias' current)['value'] - 0.00885) < 1e-12 and $(s '25 tx power' dbm)['value'] == -6.02"
check "hp: the module's thresholds (0.1 uW to dBm; a low bias of 0 is none)" \
	json "$T/hpsw.json" "abs($(s '25 tx power' dbm)['crit_low'] + 10) < 1e-9 and abs($(s '25 tx power' dbm)['crit_high'] + 1.9997) < 1e-3 and $(s '25 tx bias' current)['crit_low'] is None and $(s '25 tx bias' current)['crit_high'] == 0.1"
check "hp: rx -25 dBm under the module's low alarm (-23.98 dBm) is critical" \
	is hpsw "26 rx power" dbm critical
check "hp: event for the failed fan" \
	ev hpsw sensor.failed 'sensor:hp-fan:Fan 2'
check "hp: event for the failed power supply" \
	ev hpsw sensor.failed 'sensor:hp-psu:Power supply 2'

# --- UCD-SNMP host (recording) ---
check "ucd: memory in use 95 % (total less free, buffers, cache) is critical" \
	is ucdhost memory load critical "x['value'] == 95 and x['oid'] == '.1.3.6.1.4.1.2021.4.6.0'"
check "ucd: swap 50 % is normal" is ucdhost swap load normal "x['value'] == 50"
check "ucd: dskErrorFlag is critical with the agent's message" \
	is ucdhost "disk /var" load critical "x['value'] == 60 and 'dskErrorFlag' in x['reason'] and 'less than 50% free' in x['reason']"
check "ucd: disk / at 40 % is normal" is ucdhost "disk /" load normal
check "ucd: dskPercent 250 is unknown with the reason" \
	is ucdhost "disk /srv" load unknown "x['value'] is None and '0..100' in x['reason']"
check "ucd: lm-sensors temp1 45000 milli-C is 45 C" \
	is ucdhost temp1 temperature normal 'x["value"] == 45'
check "ucd: lm-sensors temp2 at 81 C is critical" \
	is ucdhost temp2 temperature critical
check "ucd: lm-sensors fan1 at 3000 RPM" \
	is ucdhost fan1 fanspeed normal 'x["value"] == 3000'
check "ucd: an lm-sensors value out of range is unknown" \
	is ucdhost temp3 temperature unknown "x['value'] is None"
check "ucd: event for memory" \
	ev ucdhost sensor.critical 'sensor:ucd-memory:memory'
check "ucd: event for the disk below its minimum" \
	ev ucdhost sensor.critical 'sensor:ucd-disk:disk /var'

# --- CISCO-ENTITY-SENSOR-MIB thresholds ---
check "cisco: minor is the warning, the tightest major/critical the critical; other(1) ignored" \
	is ciscosw Inlet temperature warning "x['warn_high'] == 40 and x['crit_high'] == 50"
check "cisco: 55 C over its own major threshold (50) is critical" \
	is ciscosw Outlet temperature critical "x['crit_high'] == 50"
check "cisco: dBm thresholds with the sensor's precision (lessThan -20.0)" \
	is ciscosw "Te1/1 Rx Power" dbm critical "x['value'] == -25 and x['crit_low'] == -20 and x['warn_low'] == -17 and x['crit_high'] == -1"
check "cisco: milli-volt thresholds in volts; equalTo ignored" \
	is ciscosw "Board 3V3" voltage normal "x['crit_low'] == 3 and x['crit_high'] == 3.6 and x['warn_high'] == 3.5 and x['warn_low'] == 3.1"
check "cisco: a sensor without thresholds keeps the defaults (60/75)" \
	is ciscosw "Hot spot" temperature warning "x['warn_high'] == 60 and x['crit_high'] == 75"
check "cisco: a threshold index that does not fit (99999999) is refused and counted" \
	bad_values ciscosw 3
check "cisco: the device's class rule beats the device's own threshold (44 < 50)" \
	is cisco2 Inlet temperature critical "x['crit_high'] == 44 and x['warn_high'] == 40"
check "cisco: the per-sensor rule beats both" \
	is cisco2 Outlet temperature normal "x['crit_high'] == 70 and x['warn_high'] == 65"

# --- this machine's snmpd: UCD memory and dskTable ---
check "snmpd: memory in use from UCD-SNMP, 0..100 %" \
	json "$T/host.json" "any(x['key'] == 'ucd-memory:memory' and 0 <= x['value'] <= 100 and x['source'] == 'ucd-snmp' for x in j)"
# snmpd finds "/" in the mount table; in a chroot it may not (no row)
if MIBS= snmpwalk -v2c -c public -t 2 -r 1 "127.0.0.1:$SPORT" 1.3.6.1.4.1.2021.9.1.2 2>/dev/null | grep -q STRING; then
	check "snmpd: disk / 1% makes a dskTable row, not below its minimum" \
		json "$T/host.json" "any(x['name'] == 'disk /' and 0 <= x['value'] <= 100 and 'dskErrorFlag' not in x['reason'] for x in j)"
	check "snmpd: disk / 100% is crossed: critical, with snmpd's message" \
		is full "disk /" load critical "'dskErrorFlag' in x['reason'] and 'less than 100% free' in x['reason']"
else
	skip "snmpd has no dskTable row for / here (a chroot?)"
	skip "snmpd has no dskTable row for / here (a chroot?)"
fi

check "the daemon is still running" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
