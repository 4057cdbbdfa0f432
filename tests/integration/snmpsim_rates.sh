#!/bin/bash
# snmpsim_rates.sh - rates in the RRD files are right: 64-bit counters, a
# Counter32 that wraps while we poll, a device reboot (snmpsim restarted:
# sysUpTime and counters start again) with no spike, and a port whose
# counters run faster than its speed: refused and counted, never written.
# The device is tests/data/snmprec/ratesw.snmprec served by snmpsim.
. "$(dirname "$0")/lib.sh"
need snmpsimd snmpget rrdtool sqlite3 python3

mkdir -p "$T/data"
cp "$top_srcdir/tests/data/snmprec/ratesw.snmprec" "$T/data/"
PORT=$(port_pick)
start_snmpsim "$T/data" "$PORT"
SIM_STARTED=$(date +%s)
wait_for 120 snmpget -v2c -c ratesw -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0
ok $? "snmpsim serves ratesw"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 100ms
device "sw" {
	address 127.0.0.1 port $PORT
	snmp v2c community "ratesw"
	interval 2
	timeout 2 retries 2
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"
R=$T/state/rrd/sw

# rrd_check FILE DS WANT TOLERANCE MIN-ROWS SECONDS [upper|none]: every
# known value of DS over the last SECONDS (@EPOCH: since then) is within TOLERANCE (fraction) of
# WANT (with "upper": not above it, a spike), and there are at least
# MIN-ROWS; with "none": the file is there and DS has no known value at
# all. Too few rows yet (a loaded machine delays a poll, leaving a gap in
# the window) is waited for, up to 60 s; a value off is not.
rrd_check() {
	local rc i
	for i in $(seq 1 60); do
		rrd_check_once "$@"
		rc=$?
		[ $rc = 2 ] || return $rc
		sleep 1
	done
	return 1
}
rrd_check_once() {
	# the writer keeps updates (rrd write-delay): written first
	test -f "$1" || { echo "no $1"; return 1; }
	"$NETPATROL" -f "$CONF" rrd flush "$1" >/dev/null || return 1
	local from=-$6
	case $6 in @*) from=${6#@} ;; esac
	rrdtool fetch "$1" AVERAGE -r 1 -s "$from" -e now >"$T/fetch.txt" 2>&1 || return 1
	python3 - "$T/fetch.txt" "$2" "$3" "$4" "$5" "${7:-both}" <<'PY'
import math, sys
lines = open(sys.argv[1]).read().split('\n')
ds = lines[0].split()
col = ds.index(sys.argv[2])
want, tol, minrows = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
vals = []
rows = 0
for l in lines[2:]:
    if ':' not in l: continue
    rows += 1
    v = float(l.split(':')[1].split()[col].replace('-nan', 'nan'))
    if not math.isnan(v): vals.append(v)
if sys.argv[6] == 'none':
    print(f"{rows} rows, {len(vals)} known values: {vals[:5]}")
    sys.exit(0 if rows > 0 and not vals else 1)
if sys.argv[6] == 'upper':
    bad = [v for v in vals if v > (1 + tol) * want]
else:
    bad = [v for v in vals if abs(v - want) > tol * want]
print(f"{len(vals)} values, min {min(vals) if vals else 'none'}, max {max(vals) if vals else 'none'}, {len(bad)} off")
sys.exit(1 if bad else 2 if len(vals) < minrows else 0)
PY
}

# Rates are per poll over 2 s intervals: a busy machine (make -j2 check,
# snmpsim in Python) delays a reply by up to a few hundred ms, which is a
# few percent of the interval each way; hence 20 %.
wait_for 60 polls_at_least "$CONF" sw 6
ok $? "six polls"
check "64-bit in_octets at 1250000 octets/s" rrd_check "$R/port-Gi0_1.rrd" in_octets 1250000 0.2 3 8
check "64-bit out_octets at 2500000 octets/s" rrd_check "$R/port-Gi0_1.rrd" out_octets 2500000 0.2 3 8
check "64-bit unicast packets at 1250 packets/s" rrd_check "$R/port-Gi0_1.rrd" in_ucast 1250 0.2 3 8
"$NETPATROL" -f "$CONF" ports sw --json >"$T/ports.json"
check "ports: Gi0/1 in_bps is 10 Mbit/s, 64-bit counters" \
	json "$T/ports.json" "[abs(p['in_bps'] - 1e7) < 1e6 and p['hc_counters'] for p in j if p['name']=='Gi0/1'][0]"
check "ports: Gi0/2 uses 32-bit counters" \
	json "$T/ports.json" "[not p['hc_counters'] for p in j if p['name']=='Gi0/2'][0]"
check "ports: Gi0/3 is down, admin up" \
	json "$T/ports.json" "[p['oper_status']=='down' and p['admin_status']=='up' for p in j if p['name']=='Gi0/3'][0]"

check "a port whose counters are discontinuous at every poll never gets a rate" \
	rrd_check "$R/port-Gi0_5.rrd" in_octets 0 0 0 10 none
check "ports: and shows no rate for it" json "$T/ports.json" "[p['in_bps'] is None for p in j if p['name']=='Gi0/5'][0]"

# The Counter32 of Gi0/2 wraps 20 s after snmpsim started: poll past it.
until_wrap=$(( SIM_STARTED + 26 - $(date +%s) ))
[ $until_wrap -gt 0 ] && wait_for $((until_wrap + 30)) test "$(date +%s)" -ge $((SIM_STARTED + 26))
check "Counter32 wrap: in_octets stays at 100000 octets/s across the wrap" \
	rrd_check "$R/port-Gi0_2.rrd" in_octets 100000 0.2 5 "@$((SIM_STARTED + 12))"
diag "Gi0/2 in_octets: $(cat "$T/fetch.txt" | tail -3 | tr '\n' ' ')"

# A port that claims 1 Mbit/s but counts 80 Mbit/s: every delta refused.
check "implausible deltas are not written" rrd_check "$R/port-Gi0_4.rrd" in_octets 0 0 0 14 none
"$NETPATROL" -f "$CONF" status --json >"$T/status.json"
check "implausible deltas are counted (samples_dropped)" \
	json "$T/status.json" "j['devices'][0]['samples_dropped'] >= 4"

# Reboot: restart snmpsim; sysUpTime and counters start again from the top.
stop_pid "$SNMPSIM_PID"
start_snmpsim "$T/data" "$PORT"
wait_for 120 sh -c "'$NETPATROL' -f '$CONF' events --json --device sw | grep -q device.reboot"
ok $? "restarted agent: device.reboot event"
P=$("$NETPATROL" -f "$CONF" status --json | json - "j['devices'][0]['polls']")
# (six polls: the first after the restart may still carry its start-up,
# which a loaded machine stretches, and the window below is 6 s)
wait_for 60 polls_at_least "$CONF" sw $((P + 6))
# A counter that restarts from its initial value, taken as a wrap, would
# be tens of times the rate; timing jitter around the restart is not.
check "after the reboot: no spike in in_octets (64-bit)" rrd_check "$R/port-Gi0_1.rrd" in_octets 1250000 0.5 3 30 upper
check "after the reboot: no spike in in_octets (32-bit)" rrd_check "$R/port-Gi0_2.rrd" in_octets 100000 0.5 3 30 upper
check "after the reboot: rates measured again" rrd_check "$R/port-Gi0_1.rrd" in_octets 1250000 0.25 2 6
check "the reboot event is stored with the device and key" \
	test "$(sq "$T/state/netpatrol.db" "select count(*) from events where device='sw' and kind='device.reboot' and key='uptime'")" -ge 1

# Renumbering: the agent comes back with every ifIndex moved by 100. The
# ports are the same ports (same rows in the store, same RRD files).
python3 - "$T/data/ratesw.snmprec" <<'PY'
import sys
out = []
for line in open(sys.argv[1]):
    oid, tag, val = line.rstrip('\n').split('|', 2)
    parts = oid.split('.')
    if oid.startswith(('1.3.6.1.2.1.2.2.1.', '1.3.6.1.2.1.31.1.1.1.')):
        parts[-1] = str(int(parts[-1]) + 100)
        if oid.startswith('1.3.6.1.2.1.2.2.1.1.'):
            val = str(int(val) + 100)
    out.append(('.'.join(parts), tag, val))
out.sort(key=lambda r: [int(x) for x in r[0].split('.')])
open(sys.argv[1], 'w').write(''.join('|'.join(r) + '\n' for r in out))
PY
"$NETPATROL" -f "$CONF" rrd flush >/dev/null
BEFORE=$(rrdtool last "$R/port-Gi0_1.rrd")
# a poll fails while the agent is away, before the renumbered one starts:
# a walk begun on the old agent and ended on the new one would have both
# numberings (Gi0/1 at 1 and at 101, the second kept as "Gi0/1#101")
pfailed() { "$NETPATROL" -f "$CONF" status --json | json - "j['devices'][0]['polls_failed']"; }
F0=$(pfailed)
stop_pid "$SNMPSIM_PID"
failed_more() { [ "$(pfailed)" -gt "$F0" ]; }
wait_for 60 failed_more
ok $? "renumbering: a poll fails while the agent is away"
start_snmpsim "$T/data" "$PORT"
wait_for 120 sh -c "'$NETPATROL' -f '$CONF' ports sw --json | grep -q '\"index\":101,'"
ok $? "renumbered: Gi0/1 is now ifIndex 101"
check "renumbered: still five ports in the store, not ten" \
	test "$(sq "$T/state/netpatrol.db" "select count(*) from ports p join devices d on d.id = p.device_id where d.name = 'sw'")" -eq 5
wait_for 30 sh -c "'$NETPATROL' -f '$CONF' rrd flush && test \$(rrdtool last '$R/port-Gi0_1.rrd') -gt $BEFORE"
ok $? "renumbered: Gi0/1's RRD file goes on being updated"
check "renumbered: no second RRD file" test "$(ls "$R" | wc -l)" -eq 5
[ "$(ls "$R" | wc -l)" -eq 5 ] || diag "RRD files: $(ls "$R" | tr '\n' ' '); ports: $(sq "$T/state/netpatrol.db" "select p.ifindex||' '||p.name from ports p join devices d on d.id = p.device_id where d.name = 'sw'" | tr '\n' ',')"

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
