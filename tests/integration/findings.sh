#!/bin/bash
# findings.sh - events become findings and go through their life cycle on
# the real daemon: a linkDown trap for a port that snmpd's polling knows
# opens a finding with the poller's key; a person acknowledges it; the
# linkUp trap resolves it; the next good poll verifies it; it closes by
# itself; every step is in the store with its time and actor. Also: a
# reopening, flapping, a consequence of an unreachable upstream device, a
# maintenance window, and a finding entered by hand. The NOC (a real
# snmptrapd) gets a NETPATROL-MIB trap when it opens and when it resolves.
. "$(dirname "$0")/lib.sh"
need snmpd snmptrap snmpget snmptrapd python3

SPORT=$(port_pick)
start_snmpd agent "$SPORT"
ok $? "snmpd answers"
TPORT=$(port_pick)
DEAD=$(port_pick)   # nothing answers there
NPORT=$(port_pick)  # the NOC's manager: snmptrapd
mkdir -p "$T/noc"
MIBS= snmptrapd -f -n -C --disableAuthorization=yes -Lf "$T/noc/log" \
	-M "+:$top_srcdir/mibs" -m +NETPATROL-MIB -F '%B %v\n' "udp:127.0.0.1:$NPORT" &
PIDS="$PIDS $!"
wait_for 20 grep -q "NET-SNMP version" "$T/noc/log"
ok $? "the NOC's snmptrapd listens on udp 127.0.0.1:$NPORT"
# an exec hook: its stdin, one file each run
cat >"$T/hook" <<EOS
#!/bin/sh
cat >"$T/hook.\$(date +%s%N).json"
EOS
chmod +x "$T/hook"
NOW=$(date '+%Y-%m-%d %H:%M')
LATER=$(date -d '+1 hour' '+%Y-%m-%d %H:%M')

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
trap community "public"
finding close-after 2s
finding flap 4 per 1h
priority 2 respond 10m resolve 2h
maintenance "maint*" from "$NOW" until "$LATER"
notify "noc" {
	trap v2c 127.0.0.1 port $NPORT community "noc"
	severity major
	devices "host"
}
notify "hook" {
	exec "$T/hook"
	devices "upstream"
}
device "host" {
	address 127.0.0.1 port $SPORT
	interval 1
	location "lab rack 1"
	owner "noc"
	impact medium
}
device "upstream" {
	address 127.0.0.98 port $DEAD
	interval 1
	timeout 1 retries 0
}
device "behind" {
	address 127.0.0.97 port $DEAD
	depends "upstream"
	interval 5
	timeout 3 retries 0
}
device "maint1" {
	address 127.0.0.96 port $DEAD
	interval 1
	timeout 1 retries 0
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 30 polls_at_least "$CONF" host 1
ok $? "host is polled"
"$NETPATROL" -f "$CONF" ports host --json >"$T/p.json"
LO=$(json "$T/p.json" "[p['name'] for p in j if p['index']==1][0]")

export MIBS=
trap_lo() {  # trap_lo 3|4: linkDown or linkUp for ifIndex 1
	snmptrap -v2c -c public "127.0.0.1:$TPORT" '' "1.3.6.1.6.3.1.1.5.$1" \
		1.3.6.1.2.1.2.2.1.1.1 i 1 1.3.6.1.2.1.2.2.1.8.1 i $(( $1 == 3 ? 2 : 1 ))
}
findings() { "$NETPATROL" -f "$CONF" findings --all --json; }
fq() {  # fq PYTHON-EXPR over the finding of port lo (f), true or not
	findings | json - "(lambda f: $1)([x for x in j if x['key']=='host/port:$LO'][-1])"
}
trap_lo 3
wait_for 20 fq "f['state']=='open'"
ok $? "a linkDown trap opens a finding, key host/port:$LO"
findings >"$T/f.json"
check "severity major, priority 2 (medium impact), operations, owner and location from the device" \
	json "$T/f.json" "[(x['severity'],x['priority'],x['role'],x['owner'],x['location']) for x in j if x['key']=='host/port:$LO'][0]==('major',2,'operations','noc','lab rack 1')"
check "deadlines from priority 2: respond in 10 min" fq \
	"f['respond_by'] is not None and f['overdue'] is False and f['overdue_deadline'] is None"
ID=$(fq "f['id']")
wait_for 20 grep -q "netpatrolFindingNotification.*netpatrolFindingId.0 = Gauge32: $ID\b" "$T/noc/log"
ok $? "the NOC's manager got a NETPATROL-MIB trap for finding $ID"
check "with the device, the key and the state" sh -c \
	"grep 'netpatrolFindingNotification.*netpatrolFindingId.0 = Gauge32: $ID\b' '$T/noc/log' | grep 'host' | grep -q 'port:$LO'"
"$NETPATROL" -f "$CONF" ack "$ID" looking at the cable >"$T/ack.out"
ok $? "netpatrol ack $ID: $(cat "$T/ack.out")"
wait_for 20 fq "f['state']=='acknowledged'"
ok $? "acknowledged"
"$NETPATROL" -f "$CONF" ack "$ID" 2>"$T/ack2.err"
ok $(( $? == 0 )) "acknowledging twice is refused: $(cat "$T/ack2.err")"
trap_lo 3
wait_for 20 fq "f['count']==2"
ok $? "the same fault seen again is counted on the same finding"
trap_lo 4
wait_for 20 fq "f['state'] in ('resolved','verified','closed')"
ok $? "the linkUp trap resolves it"
wait_for 20 grep -q "netpatrolFindingResolved.*netpatrolFindingId.0 = Gauge32: $ID\b" "$T/noc/log"
ok $? "and the manager is told it is resolved"
wait_for 20 fq "f['state'] in ('verified','closed')"
ok $? "the next good poll verifies it"
wait_for 20 fq "f['state']=='closed'"
ok $? "closed 2 s after verification (close-after)"
"$NETPATROL" -f "$CONF" finding "$ID" --json >"$T/one.json"
check "its history: open, acknowledge, update, resolve, verify, close" \
	json "$T/one.json" "[h['action'] for h in j['history']]==['open','acknowledge','update','resolve','verify','close']"
check "the person is named, the rest is netpatrold" \
	json "$T/one.json" "[h['actor'] for h in j['history']]==['netpatrold','$(id -un)','netpatrold','netpatrold','netpatrold','netpatrold']"
check "every transition has its timestamp, in order" \
	json "$T/one.json" "j['opened'] < j['resolved'] <= j['verified'] <= j['closed'] and j['acknowledged'] is not None"
check "the events it came from are linked" \
	json "$T/one.json" "all(h['event_id'] for h in j['history'] if h['action'] in ('open','update','resolve'))"
DB=$T/state/netpatrol.db
check "evidence: the linked events are the traps' port events" test \
	"$(sq "$DB" "select count(*) from finding_history h join events e on e.id = h.event_id where h.finding_id = $ID and e.key = 'port:$LO'")" = 3

# after closing, the same fault is a new finding; before, a reopening
trap_lo 3
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' findings --json | python3 -c 'import json,sys; sys.exit(0 if [x for x in json.load(sys.stdin) if x[\"key\"]==\"host/port:$LO\" and x[\"id\"]!=$ID] else 1)'"
ok $? "after closing, the fault again opens a new finding"
trap_lo 4
wait_for 20 fq "f['state'] in ('resolved','verified')"
trap_lo 3
wait_for 20 fq "f['reopened']==1 and f['state']=='open'"
ok $? "back before closing: the finding reopens"
# flapping: 4 changes within the hour
trap_lo 4
trap_lo 3
wait_for 20 fq "f['flapping']"
ok $? "four changes in the window: flapping"
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
check "status counts findings: flapping and held" \
	json "$T/st.json" "j['findings']['flapping']>=1 and j['findings']['held']>=1"

# an unreachable upstream device: what is behind it is a consequence
byk() { findings | json - "(lambda f: $2)([x for x in j if x['key']=='$1'][-1])"; }
wait_for 40 byk behind/device "f['state']=='open'"
ok $? "behind is unreachable: a finding"
check "it is a consequence of upstream's finding" byk behind/device \
	"f['consequence_of']==[x['id'] for x in j if x['key']=='upstream/device'][-1]"
check "upstream's impact names what depends on it" byk upstream/device \
	"f['impact']=='reached through it: behind'"

# one form of a finding's JSON: the exec hook's stdin holds the object
# that `netpatrol findings --json` prints for it, key for key and value for
# value (parsed, not compared as text)
hooked() { ls "$T"/hook.*.json >/dev/null 2>&1; }
wait_for 20 hooked
ok $? "the exec hook ran for upstream's finding"
same_json() {
	findings >"$T/fl.json" && python3 - "$T/fl.json" "$T"/hook.*.json <<'PY'
import json, sys
cli = {f["id"]: f for f in json.load(open(sys.argv[1]))}
hook = [json.load(open(p)) for p in sorted(sys.argv[2:])][-1]["finding"]
ours = cli.get(hook["id"])
if ours != hook:
    for k in sorted(set(hook) | set(ours or {})):
        if (ours or {}).get(k, "absent") != hook.get(k, "absent"):
            print(k, "cli:", (ours or {}).get(k, "absent"), "hook:", hook.get(k, "absent"))
    sys.exit(1)
print(len(hook), "keys")
PY
}
wait_for 10 same_json
check "the hook's finding is the element of findings --json, the same JSON" same_json
check "with the keys of both former writers: updated, overdue (a boolean)" json "$T/fl.json" \
	"all('updated' in f and f['overdue'] in (True, False) and 'overdue_deadline' in f for f in j)"
wait_for 20 byk maint1/device "f['state']=='open'"
ok $? "maint1 is unreachable: a finding, recorded"
check "in its maintenance window: suppressed" byk maint1/device "f['suppressed']"
check "nothing went to the NOC for devices outside its filter" sh -c \
	"! grep -q 'maint1\|upstream\|behind' '$T/noc/log'"
# (lo's only: host is this machine's agent, whose interfaces include the
# veth pairs other tests make and remove meanwhile, port.down findings)
check "nor for the flapping finding after it began to flap" test \
	"$(grep 'netpatrolFindingNotification' "$T/noc/log" | grep -c "host/port:$LO\b")" -le 4

# a finding entered by hand
"$NETPATROL" -f "$CONF" open host minor fan noise in rack 1 >"$T/open.out"
ok $? "netpatrol open: $(cat "$T/open.out")"
wait_for 20 byk "host/manual:$(sed 's/finding \([0-9]*\).*/\1/' "$T/open.out")" \
	"f['manual'] and f['title']=='host: fan noise in rack 1' and f['severity']=='minor'"
ok $? "a manual finding, with its title and severity"
MID=$(sed 's/finding \([0-9]*\).*/\1/' "$T/open.out")
"$NETPATROL" -f "$CONF" note "$MID" replaced the fan tray >/dev/null &&
	"$NETPATROL" -f "$CONF" assign "$MID" alice >/dev/null &&
	"$NETPATROL" -f "$CONF" resolve "$MID" done >/dev/null &&
	"$NETPATROL" -f "$CONF" close "$MID" checked on site >/dev/null
ok $? "note, assign, resolve, close by hand"
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' finding $MID --json | grep -q '\"state\": *\"closed\"'"
ok $? "the manual finding is closed"
"$NETPATROL" -f "$CONF" finding "$MID" --json >"$T/m.json"
check "its history has the note and the new owner" \
	json "$T/m.json" "j['owner']=='alice' and any(h['action']=='note' and h['text']=='replaced the fan tray' for h in j['history'])"
"$NETPATROL" -f "$CONF" close 99999 2>"$T/err"
ok $(( $? == 0 )) "an unknown finding is an error: $(cat "$T/err")"

"$NETPATROL" -f "$CONF" status >"$T/st.txt"
check "status: the findings, and the target's deliveries" sh -c \
	"grep -q '^findings: .* open' '$T/st.txt' && grep -q '^notify noc (trap): [1-9][0-9]* sent, 0 failed' '$T/st.txt'"
check "status: no notify target among the devices" sh -c "! grep -q '^noc ' '$T/st.txt'"

# a restart keeps what is not closed
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
N1=$("$NETPATROL" -f "$CONF" findings --json | json - "len(j)")
start_daemon "$CONF"
ok $? "restarted"
trap_lo 4
wait_for 20 fq "f['state'] in ('resolved','verified','closed')"
ok $? "after the restart the open finding is still followed (linkUp resolves it)"
check "and no finding was duplicated" test "$("$NETPATROL" -f "$CONF" findings --all --json | json - "len([x for x in j if x['key']=='host/port:$LO'])")" = 2
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
