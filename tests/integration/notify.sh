#!/bin/bash
# notify.sh - the notifier for real, without the findings engine:
# tests/unit/notify_drive feeds it findings, and real receivers on
# loopback get what it sends: net-snmp's snmptrapd (v2c trap, v2c inform,
# v3 authPriv trap from our engine ID, v3 authPriv inform with discovery),
# a syslog listener (UDP, and TCP with octet counting), an exec hook that
# keeps its stdin, and a sendmail stand-in (a script in the MTA's place:
# it keeps its arguments and the message). Checked: every field arrives,
# changes go to the targets that have the finding, escalation after 2 s
# and not after an acknowledgement, repeats, nothing for flapping,
# suppressed or consequential findings, and an inform to a port where
# nothing listens at first is retried (counted) until a manager is there.
. "$(dirname "$0")/lib.sh"
need snmptrapd python3
DRIVE=$top_builddir/tests/unit/notify_drive
[ -x "$DRIVE" ] || skip_all "no $DRIVE (make check builds it)"
MIBDIR=$top_srcdir/mibs

TP=$(port_pick)       # snmptrapd: traps and informs
LP=$(port_pick)       # nothing there at first
SU=$(port_pick)       # syslog udp
ST=$(port_pick)       # syslog tcp
ENGINE=0x80007ed904746573742d6e70   # "test-np": the v3 traps' engine

# snmptrapd SPOOL PORT: net-snmp's receiver, decoding NETPATROL-MIB names
start_trapd() {
	mkdir -p "$T/$1"
	cat >"$T/$1/snmptrapd.conf" <<EOC
createUser -e $ENGINE nocv3 SHA "authpass12" AES "privpass12"
createUser nocv3 SHA "authpass12" AES "privpass12"
EOC
	SNMP_PERSISTENT_DIR=$T/$1 MIBS= snmptrapd -f -n -C -c "$T/$1/snmptrapd.conf" \
		--disableAuthorization=yes -Lf "$T/$1/log" -M "+:$MIBDIR" -m +NETPATROL-MIB \
		-F '%P|%B %v\n' "udp:127.0.0.1:$2" &
	PIDS="$PIDS $!"
	wait_for 20 grep -q "NET-SNMP version" "$T/$1/log"
}
start_trapd trapd "$TP"
ok $? "snmptrapd listens on udp 127.0.0.1:$TP"

# the syslog receiver: one JSON line per message, TCP framing checked
cat >"$T/syslogd.py" <<'PY'
import json, socket, sys, threading
out = open(sys.argv[3], "a", buffering=1)
lock = threading.Lock()
def emit(proto, b):
    with lock:
        out.write(json.dumps({"proto": proto, "msg": b.decode("utf-8", "replace")}) + "\n")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", int(sys.argv[1])))
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", int(sys.argv[2])))
t.listen(5)
def udp():
    while True:
        emit("udp", u.recv(65536))
def conn(c):
    buf = b""
    while True:
        d = c.recv(65536)
        if not d:
            return
        buf += d
        while b" " in buf:
            n, rest = buf.split(b" ", 1)
            if not n.isdigit():
                emit("tcp-bad-frame", buf); return
            if len(rest) < int(n):
                break
            emit("tcp", rest[:int(n)])
            buf = rest[int(n):]
def tcp():
    while True:
        c, _ = t.accept()
        threading.Thread(target=conn, args=(c,), daemon=True).start()
threading.Thread(target=udp, daemon=True).start()
threading.Thread(target=tcp, daemon=True).start()
open(sys.argv[3] + ".ready", "w").close()
threading.Event().wait()
PY
python3 "$T/syslogd.py" "$SU" "$ST" "$T/syslog.jsonl" &
PIDS="$PIDS $!"
wait_for 20 test -f "$T/syslog.jsonl.ready"
ok $? "the syslog listener is up (udp $SU, tcp $ST)"

# the exec hook: its stdin, arguments and environment, one file each run
cat >"$T/hook" <<EOS
#!/bin/sh
n=\$(date +%s%N)
cat >"$T/hook.\$n.json"
{ echo "\$@"; env | grep '^NETPATROL_' | sort; } >"$T/hook.\$n.env"
EOS
# it stands in for the MTA: sendmail's arguments, then the message
cat >"$T/sendmail" <<EOS
#!/bin/sh
n=\$(date +%s%N)
{ echo "ARGS: \$*"; cat; } >"$T/mail.\$n"
EOS
# a hook that fails once (the ticket system is busy), then works
cat >"$T/flaky" <<EOS
#!/bin/sh
if [ ! -f "$T/flaky.once" ]; then
	: >"$T/flaky.once"
	echo "ticket system busy" >&2
	exit 75
fi
cat >"$T/flaky.json"
EOS
# a hook that hangs: killed with its process group at the timeout
cat >"$T/slow" <<EOS
#!/bin/sh
echo \$\$ >>"$T/slow.pids"
sleep 30
EOS
chmod +x "$T/hook" "$T/sendmail" "$T/flaky" "$T/slow"

CONF=$T/notify.conf
cat >"$CONF" <<EOF
sendmail "$T/sendmail"
notify "noc" {
	trap v2c 127.0.0.1 port $TP community "noc"
	severity major
	role operations
	devices "core*"
	escalate 2s to "oncall"
}
notify "oncall" { mail "oncall@example.net" from "netpatrol@example.net" }
notify "inf" {
	inform v2c 127.0.0.1 port $TP community "noc"
	kinds "port.*"
}
notify "v3trap" {
	trap v3 127.0.0.1 port $TP user "nocv3" auth sha "authpass12" \\
		priv aes "privpass12" engine-id "$ENGINE"
	severity critical
}
notify "v3inf" {
	inform v3 127.0.0.1 port $TP user "nocv3" auth sha "authpass12" \\
		priv aes "privpass12"
	severity critical
}
notify "log" { syslog udp 127.0.0.1 port $SU }
notify "logtcp" { syslog tcp 127.0.0.1 port $ST facility local3 }
notify "ticket" {
	exec "$T/hook" "--queue" "noc"
	role security
}
notify "late" {
	inform v2c 127.0.0.1 port $LP community "noc"
	devices "late*"
	timeout 1
}
notify "flaky" {
	exec "$T/flaky"
	devices "flaky*"
}
notify "slow" {
	exec "$T/slow"
	devices "slow*"
	timeout 1
	retries 0
	queue 1
}
notify "rep" {
	exec "$T/hook" "--repeat"
	devices "rep*"
	repeat 1s count 2
}
EOF

mkfifo "$T/in"
# NP_VALGRIND=1: under valgrind (its errors make the driver exit 99)
VG=""
[ -n "${NP_VALGRIND:-}" ] && VG="valgrind -q --error-exitcode=99 --leak-check=full --log-file=$T/valgrind.%p"
$VG "$DRIVE" -f "$CONF" -s "$T/status.json" -T 120 <"$T/in" >"$T/drive.out" 2>"$T/drive.log" &
DRIVE_PID=$!
PIDS="$PIDS $DRIVE_PID"
exec 3>"$T/in"
say() { echo "$*" >&3; }
st() { json "$T/status.json" "$1"; }
tgt() { echo "[t for t in j['notify']['targets'] if t['name']=='$1'][0]"; }
wait_for 20 test -s "$T/status.json"
ok $? "notify_drive runs, its status is written"
check "twelve targets, oncall reached only by escalation" \
	st "len(j['notify']['targets'])==12 and $(tgt oncall)['escalation_only'] and not $(tgt noc)['escalation_only']"

# 1: a port on core1 (major, operations): noc, inf, log, logtcp
say 'open 1 device=core1 key="core1/port:Gi0/1" object=Gi0/1 kind=port.down' \
	'title="port Gi0/1 down" text="Interface Gi0/1 changed state to down"' \
	'severity=major role=operations priority=2 owner=alice location="DC1 row 3"'
# 2: a security finding, critical: v3trap, v3inf, log, logtcp, ticket
say 'open 2 device=fw1 key="fw1/auth:ssh" kind=auth.failure title="ssh login failures"' \
	'severity=critical role=security priority=1'
# 3-5: never sent
say 'open 3 device=core1 key="core1/port:Gi0/3" kind=port.down severity=critical flapping=1'
say 'open 4 device=core1 key="core1/port:Gi0/4" kind=port.down severity=critical suppressed=1'
say 'open 5 device=core9 key="core9/device" kind=device.unreachable severity=critical consequence=1'
say 'ack 1'
say 'idle'
say 'severity 1 severity=critical'
say 'idle'
say 'resolve 1'
say 'idle'
# 6 escalates to oncall after 2 s; 7 is acknowledged at once
say 'open 6 device=core2 key="core2/port:Gi0/6" kind=port.down title="escalates" severity=major role=operations'
say 'open 7 device=core3 key="core3/port:Gi0/7" kind=port.down title="acknowledged" severity=major role=operations'
say 'ack 7'
# 8 goes to a manager that is not there yet
say 'open 8 device=late1 key="late1/device" kind=device.down title="late" severity=warning'
# 9 repeats twice, a second apart
say 'open 9 device=rep1 key="rep1/device" kind=device.down title="repeats" severity=warning'

lines() { grep -ac "$1" "$T/trapd/log"; }
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }
wait_for 20 has_lines 'netpatrolFindingId.0 = Gauge32: 1[^0-9]' 10
ok $? "finding 1: open, severity and resolve reached snmptrapd"
LOG=$T/trapd/log
F1=$(grep -a 'netpatrolFindingId.0 = Gauge32: 1[^0-9]' "$LOG" | grep -a '^TRAP2, SNMP v2c, community noc' | head -1)
for want in 'snmpTrapOID.0 = OID: NETPATROL-MIB::netpatrolFindingNotification' \
	'netpatrolFindingDevice.0 = STRING: core1' \
	'netpatrolFindingKey.0 = STRING: core1/port:Gi0/1' \
	'netpatrolFindingObject.0 = STRING: Gi0/1' \
	'netpatrolFindingKind.0 = STRING: port.down' \
	'netpatrolFindingSeverity.0 = INTEGER: major(4)' \
	'netpatrolFindingState.0 = INTEGER: open(1)' \
	'netpatrolFindingPriority.0 = Gauge32: 2' \
	'netpatrolFindingRole.0 = INTEGER: operations(1)' \
	'netpatrolFindingText.0 = STRING: port Gi0/1 down: Interface Gi0/1 changed state to down' \
	'netpatrolFindingChange.0 = INTEGER: open(1)' \
	'netpatrolFindingOwner.0 = STRING: alice' \
	'netpatrolFindingLocation.0 = STRING: DC1 row 3' \
	'netpatrolFindingOpened.0 = STRING: 20' \
	'netpatrolFindingEvents.0 = Gauge32: 1'; do
	case "$F1" in *"$want"*) r=0 ;; *) r=1 ;; esac
	ok $r "v2c trap of finding 1: $want"
done
f1() { grep -a 'netpatrolFindingId.0 = Gauge32: 1[^0-9]' "$LOG" | grep -a "$1" | grep -ac "$2"; }
check "finding 1 open: a v2c trap and a v2c inform (kinds port.*)" \
	test "$(f1 'Change.0 = INTEGER: open(1)' '^TRAP2, SNMP v2c')$(f1 'Change.0 = INTEGER: open(1)' '^INFORM, SNMP v2c')" = 11
check "finding 1 critical: to noc and inf that have it, and now v3trap and v3inf" \
	test "$(f1 'Change.0 = INTEGER: severity(2)' '^TRAP2, SNMP v2c')$(f1 'Change.0 = INTEGER: severity(2)' '^INFORM, SNMP v2c')$(f1 'Change.0 = INTEGER: severity(2)' '^TRAP2, SNMP v3, user nocv3')$(f1 'Change.0 = INTEGER: severity(2)' '^INFORM, SNMP v3, user nocv3')" = 1111
check "finding 1 resolved: netpatrolFindingResolved to the four" \
	test "$(f1 'netpatrolFindingResolved' 'State.0 = INTEGER: resolved(3)')" = 4
check "finding 2: a v3 authPriv trap (our engine ID) and a v3 inform (discovered)" \
	test "$(grep -a 'netpatrolFindingId.0 = Gauge32: 2[^0-9]' "$LOG" | grep -ac '^TRAP2, SNMP v3, user nocv3')$(grep -a 'netpatrolFindingId.0 = Gauge32: 2[^0-9]' "$LOG" | grep -ac '^INFORM, SNMP v3, user nocv3')" = 11
check "finding 2 arrived whole over v3: device, severity, role" \
	grep -aq '^TRAP2, SNMP v3.*netpatrolFindingDevice.0 = STRING: fw1.*netpatrolFindingSeverity.0 = INTEGER: critical(5).*netpatrolFindingRole.0 = INTEGER: security(2)' "$LOG"

# syslog
wait_for 20 grep -q '"proto": "tcp".*id=\\"2\\"' "$T/syslog.jsonl"
ok $? "syslog over TCP received finding 2"
python3 - "$T/syslog.jsonl" >"$T/syslog.check" 2>&1 <<'PY'
import json, re, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
bad = [m for m in msgs if m["proto"] not in ("udp", "tcp")]
assert not bad, bad
def find(proto, fid, change):
    for m in msgs:
        if m["proto"] == proto and f' id="{fid}"' in m["msg"] and f' change="{change}"' in m["msg"]:
            return m["msg"]
    raise SystemExit(f"no {proto} message for finding {fid} {change}")
u = find("udp", 1, "open")
r = re.match(r'<(\d+)>1 (\S+) (\S+) netpatrold (\d+) open \[netpatrol@32473 (.*)\] \ufeff(.*)$', u)
assert r, u
assert r.group(1) == "131", r.group(1)          # local0 (16) * 8 + err (3): major
assert re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$', r.group(2)), r.group(2)
sd = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', r.group(5)))
want = {"id": "1", "change": "open", "device": "core1", "key": "core1/port:Gi0/1",
        "object": "Gi0/1", "kind": "port.down", "severity": "major", "state": "open",
        "priority": "2", "role": "operations", "owner": "alice", "location": "DC1 row 3",
        "events": "1", "target": "log"}
assert all(sd.get(k) == v for k, v in want.items()), sd
assert r.group(6) == "port Gi0/1 down: Interface Gi0/1 changed state to down", r.group(6)
t = find("tcp", 1, "resolve")
assert t.startswith("<157>1 "), t[:10]            # local3 (19) * 8 + notice (5)
assert ' state="resolved"' in t and ' target="logtcp"' in t, t
c = find("udp", 1, "severity")
assert c.startswith("<130>1 "), c[:10]            # critical: crit (2)
for fid in (3, 4, 5):
    assert not any(f' id="{fid}"' in m["msg"] for m in msgs), fid
print("ok", len(msgs))
PY
ok $? "syslog: RFC 5424 header, structured data, BOM, PRI, TCP framing ($(tail -1 "$T/syslog.check"))"

# the exec hook
hooked() { ls "$T"/hook.*.json >/dev/null 2>&1; }
wait_for 20 hooked
ok $? "the exec hook ran"
H=$(grep -l '"target":"ticket"' "$T"/hook.*.json | head -1)
check "exec: the finding as JSON on stdin" json "$H" \
	"j['target']=='ticket' and j['change']=='open' and j['finding']['id']==2 and j['finding']['device']=='fw1' and j['finding']['severity']=='critical' and j['finding']['role']=='security' and j['finding']['key']=='fw1/auth:ssh' and j['finding']['state']=='open'"
check "exec: argv from the configuration, NETPATROL_* in the environment" \
	grep -qx -e '--queue noc' "${H%.json}.env"
check "exec: NETPATROL_FINDING_ID and NETPATROL_CHANGE" \
	grep -q '^NETPATROL_FINDING_ID=2$' "${H%.json}.env"

# escalation: 6 to oncall by mail after 2 s; 7 (acknowledged) never
mail_of() { grep -l "^X-Netpatrol-Finding: $1\$" "$T"/mail.* 2>/dev/null | head -1; }
mailed() { test -n "$(mail_of "$1")"; }
wait_for 20 mailed 6
ok $? "finding 6, not acknowledged in 2 s, escalated to oncall by mail"
M=$(mail_of 6)
check "the mail went through sendmail -oi -t" grep -qx 'ARGS: -oi -t' "$M"
check "mail headers: To, From, Subject, change escalate" \
	sh -c "grep -qx 'To: oncall@example.net' '$M' && grep -qx 'From: netpatrol@example.net' '$M' && grep -q '^Subject: \[netpatrol\] ESCALATED MAJOR core2: escalates (not acknowledged)' '$M' && grep -qx 'X-Netpatrol-Change: escalate' '$M' && grep -qx 'Content-Type: text/plain; charset=UTF-8' '$M'"
check "mail body: the key and the device" \
	sh -c "grep -q '^Key: *core2/port:Gi0/6' '$M' && grep -q '^Device: *core2' '$M'"
check "noc counted one escalation" st "$(tgt noc)['escalations']==1"

# repeats: finding 9, twice
reps() { st "$(tgt rep)['repeats']==2 and $(tgt rep)['sent']==3"; }
wait_for 20 reps
ok $? "rep sent finding 9 again twice (repeat 1s count 2)"
check "the repeats went to the hook as escalate" \
	test "$(grep -l '"target":"rep","change":"escalate"' "$T"/hook.*.json | wc -l)" = 2

# a hook that fails once is run again; one that hangs is killed, and a
# full queue drops
say 'open 10 device=flaky1 kind=device.down title="flaky" severity=minor'
say 'open 11 device=slow1 kind=device.down title="slow 1" severity=minor'
say 'open 12 device=slow2 kind=device.down title="slow 2" severity=minor'
say 'open 13 device=slow3 kind=device.down title="slow 3" severity=minor'
flaked() { st "$(tgt flaky)['sent']==1 and $(tgt flaky)['failed']==1 and $(tgt flaky)['retries']==1"; }
wait_for 20 flaked
ok $? "the hook that failed once (exit 75) was run again, after a backoff"
check "its error is its exit status and what it said" \
	st "$(tgt flaky)['last_error']=='exit status 75: ticket system busy'"
check "the second run got finding 10" json "$T/flaky.json" "j['finding']['id']==10"
slowed() { st "$(tgt slow)['dropped']==3 and $(tgt slow)['failed']==2 and $(tgt slow)['queued']==0"; }
wait_for 20 slowed
ok $? "the hanging hook: killed twice at 1 s (retries 0), the third finding dropped (queue 1)"
check "its error says it timed out" st "'timed out after 1 s' in $(tgt slow)['last_error']"
# every process of the hooks' groups is gone (a zombie waits for init)
groups_gone() {
	for p in $(cat "$T/slow.pids"); do
		ps -eo pgid=,stat= | awk -v g="$p" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit f }' || return 1
	done
}
wait_for 10 groups_gone
ok $? "the hanging hook's process group was killed (its sleep too)"

# retries: nothing listens on $LP at first; then a manager comes
retried() { st "$(tgt late)['retries']>=1 and $(tgt late)['failed']>=1 and $(tgt late)['sent']==0"; }
wait_for 20 retried
ok $? "the inform to a port where nothing listens failed and is being retried"
check "its last error says why" st "'not acknowledged' in $(tgt late)['last_error']"
start_trapd late "$LP"
ok $? "a manager starts on udp $LP"
delivered() { st "$(tgt late)['sent']==1"; }
wait_for 30 delivered
ok $? "the inform is delivered once the manager is there"
check "finding 8 arrived there as an inform" \
	grep -aq '^INFORM, SNMP v2c, community noc.*netpatrolFindingId.0 = Gauge32: 8[^0-9].*netpatrolFindingDevice.0 = STRING: late1' "$T/late/log"

# the end: input closed, the driver exits when idle
exec 3>&-
wait "$DRIVE_PID"
ok $? "notify_drive exits 0 when its input ends and deliveries are done"
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$DRIVE_PID" | tr '\n' ' ')
check "oncall got finding 6 only (7 was acknowledged, 1 acknowledged before)" \
	test "$(grep -l '^X-Netpatrol-Finding:' "$T"/mail.* | wc -l)" = 1
check "nothing for the flapping, suppressed and consequential findings" \
	sh -c "! grep -aq 'netpatrolFindingId.0 = Gauge32: [345][^0-9]' '$LOG'"
check "counted: one flapping, one suppressed, one consequence" \
	st "j['notify']['skipped_flapping']==1 and j['notify']['skipped_suppressed']==1 and j['notify']['skipped_consequence']==1"
check "counters: noc sent open 1, severity 1, resolve 1, open 6, open 7" \
	st "$(tgt noc)['sent']==5 and $(tgt noc)['failed']==0 and $(tgt noc)['dropped']==0"
check "counters: v3inf sent 3 (finding 1 severity and resolve, finding 2 open)" \
	st "$(tgt v3inf)['sent']==3 and $(tgt v3inf)['failed']==0"
check "nothing dropped anywhere else" \
	st "all((t['dropped']==0 or t['name']=='slow') and t['queued']==0 for t in j['notify']['targets'])"
# a reload moves what waits for a target to its new destination
DEAD=$(port_pick)
cat >"$T/move.conf" <<EOF
notify "mv" { inform v2c 127.0.0.1 port $DEAD community "noc"
	timeout 1 }
EOF
mkfifo "$T/in2"
$VG "$DRIVE" -f "$T/move.conf" -s "$T/status2.json" -T 60 <"$T/in2" >/dev/null 2>"$T/drive2.log" &
DRIVE_PID=$!
PIDS="$PIDS $DRIVE_PID"
exec 3>"$T/in2"
say 'open 20 device=move1 kind=device.down title="moved" severity=major'
waiting() { json "$T/status2.json" "j['notify']['targets'][0]['retries']>=1"; }
wait_for 20 waiting
ok $? "an inform to a dead port waits for a retry"
sed -i "s/port $DEAD/port $TP/" "$T/move.conf"
say 'reload'
moved() { json "$T/status2.json" "j['notify']['targets'][0]['sent']==1 and j['notify']['targets'][0]['retries']>=1"; }
wait_for 20 moved
ok $? "after a reload to snmptrapd's port it is delivered there, counters kept"
check "finding 20 arrived at snmptrapd" \
	grep -aq '^INFORM, SNMP v2c, community noc.*netpatrolFindingId.0 = Gauge32: 20[^0-9]' "$LOG"
exec 3>&-
wait "$DRIVE_PID"
ok $? "that driver exits 0 too"
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$DRIVE_PID" | tr '\n' ' ')

# the daemon: the notifier is configured at start and at reload, and its
# counters are in `netpatrol status --json`
DCONF=$T/netpatrold.conf
{ cat <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
EOF
cat "$CONF"; } >"$DCONF"
"$NETPATROLD" -n -f "$DCONF" >"$T/check.out" 2>&1
ok $? "netpatrold -n takes the notify targets ($(cat "$T/check.out"))"
start_daemon "$DCONF"
ok $? "netpatrold starts with them"
dstatus() { "$NETPATROL" -f "$DCONF" status --json >"$T/dst.json" && json "$T/dst.json" "$1"; }
check "status --json has the twelve targets" \
	dstatus "[t['name'] for t in j['notify']['targets']]==['noc','oncall','inf','v3trap','v3inf','log','logtcp','ticket','late','flaky','slow','rep']"
sed -i '/^notify "rep" {/,/^}/d' "$DCONF"
kill -HUP "$DAEMON_PID"
reloaded() { dstatus "len(j['notify']['targets'])==11 and j['reloads']==1"; }
wait_for 20 reloaded
ok $? "after a reload without \"rep\": eleven targets"
stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
grep -q 'warning\|error' "$T/drive.log" && diag "$(grep 'warning\|error' "$T/drive.log" | head -5)"
done_testing
