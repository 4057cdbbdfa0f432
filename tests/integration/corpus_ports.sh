#!/bin/bash
# corpus_ports.sh - netpatrold polls every real device recording of the
# shared corpus (../shared/corpus/snmprec, served by Debian's snmpsim) and
# its ports must match what LibreNMS found on the same recordings
# (expected-simple/NAME.ports.tsv): index, name, description, alias, type,
# speed, admin and oper status; and their sensors, thresholds, processors
# and memory (corpus_sensors.py). Skipped when the corpus is absent.
. "$(dirname "$0")/lib.sh"
need snmpsimd snmpget python3

CORPUS=$SHARED/corpus/snmprec
[ -d "$CORPUS/expected-simple" ] || skip_all "no corpus at $CORPUS"

# snmpsim runs as nobody: give it a readable copy in the test's own directory
mkdir -p "$T/data"
names=""
for f in "$CORPUS"/*.snmprec; do
	n=$(basename "$f" .snmprec)
	[ -f "$CORPUS/expected-simple/$n.ports.tsv" ] || continue
	cp "$f" "$T/data/"
	names="$names $n"
done
PORT=$(port_pick)
start_snmpsim "$T/data" "$PORT"
first=$(echo $names | cut -d' ' -f1)
wait_for 120 snmpget -v2c -c "$first" -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.1.0
ok $? "snmpsim serves the corpus on 127.0.0.1:$PORT"

CONF=$T/netpatrold.conf
{
	echo "state-dir \"$T/state\""
	echo "control \"$T/np.sock\""
	echo "pidfile \"$T/np.pid\""
	echo "rrd keep-step 1h"
	for n in $names; do
		cat <<EOF
device "$n" {
	address 127.0.0.1 port $PORT
	snmp v2c community "$n"
	interval 30
	timeout 5 retries 2
	max-repetitions 25
}
EOF
	done
} >"$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts with $(echo $names | wc -w) recorded devices"

all_polled() {
	"$NETPATROL" -f "$CONF" status --json | json - "all(d['polls'] >= 1 for d in j['devices'])"
}
wait_for 300 all_polled
ok $? "every recording polled once"
sleep 1.5   # the store's batch window

for n in $names; do
	"$NETPATROL" -f "$CONF" ports "$n" --json >"$T/$n.json" 2>"$T/$n.err"
	python3 - "$CORPUS/expected-simple/$n.ports.tsv" "$T/$n.json" >"$T/$n.diff" <<'PY'
import csv, json, sys
exp = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
got = {p['index']: p for p in json.load(open(sys.argv[2]))}
bad = []
for e in exp:
    i = int(e['ifIndex'])
    p = got.get(i)
    if p is None:
        bad.append(f"ifIndex {i} ({e['ifName'] or e['ifDescr']}): missing")
        continue
    def cmp(what, mine, theirs):
        if mine != theirs:
            bad.append(f"ifIndex {i} {what}: netpatrol {mine!r}, LibreNMS {theirs!r}")
    cmp('name', p['name'], e['ifName'] or e['ifDescr'])
    cmp('descr', p['descr'], e['ifDescr'])
    # a recording without ifAlias: LibreNMS shows the name there
    if p['alias'] or e['ifAlias'] not in (e['ifDescr'], e['ifName']):
        cmp('alias', p['alias'], e['ifAlias'])
    if e['ifType']:
        cmp('type', p['type_name'], e['ifType'])
    if e['ifSpeed']:
        cmp('speed', p['speed_bps'], int(e['ifSpeed']))
    if e['ifAdminStatus']:
        cmp('admin', p['admin_status'], e['ifAdminStatus'])
    if e['ifOperStatus']:
        cmp('oper', p['oper_status'], e['ifOperStatus'])
for b in bad[:15]:
    print(b)
print(f"{len(exp)} expected ports, {len(bad)} differences")
sys.exit(1 if bad else 0)
PY
	rc=$?
	ok $rc "$n: ports match LibreNMS ($(tail -1 "$T/$n.diff"))"
	[ $rc -ne 0 ] && sed 's/^/#   /' "$T/$n.diff" | head -16
done

# Sensors of the MIBs netpatrol reads (ENTITY-SENSOR, CISCO-ENTITY-SENSOR
# with its thresholds, CISCO-ENVMON, JUNIPER, HP-ICF, MIKROTIK, LM-SENSORS),
# processors and Juniper memory: same value and class as LibreNMS found, by
# the OID the value is read from (corpus_sensors.py says what is compared)
for n in $names; do
	tsv=$CORPUS/expected-simple/$n.sensors.tsv
	[ -f "$tsv" ] || tsv=-
	"$NETPATROL" -f "$CONF" sensors "$n" --json >"$T/$n.sensors.json" 2>/dev/null
	python3 "$top_srcdir/tests/integration/corpus_sensors.py" "$tsv" \
		"$CORPUS/expected/$n.json" "$CORPUS/$n.snmprec" \
		"$T/$n.sensors.json" >"$T/$n.sdiff"
	rc=$?
	ok $rc "$n: sensors match LibreNMS ($(tail -1 "$T/$n.sdiff"))"
	[ $rc -ne 0 ] && sed 's/^/#   /' "$T/$n.sdiff" | head -16
	grep '^# by design' "$T/$n.sdiff"
done

"$NETPATROL" -f "$CONF" status --json >"$T/status.json"
check "no device failed its poll" json "$T/status.json" "all(d['polls_failed'] == 0 for d in j['devices'])"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
