#!/bin/bash
# config_archive.sh - the configuration archive against real parts: the
# fetch programs run for real (cat of a file, a failing program, one that
# prints too much), a change announced by syslog (logger) and by a
# ciscoConfigManEvent (snmptrap) fetches within seconds; noise, moved
# blocks and secrets behave; drift opens a finding that approval closes;
# failures never replace a good version and, repeated, are a finding.
. "$(dirname "$0")/lib.sh"
need python3 logger snmptrap sqlite3

LPORT=$(port_pick)
TPORT=$(port_pick)
DEAD=$(port_pick)
CONF=$T/np.conf
cp "$top_srcdir/tests/data/configs/r1-v1.ios" "$T/r1.cfg"
chmod u+w "$T/r1.cfg"
printf '#!/bin/sh\necho "ssh: connect to host r2: Connection refused" >&2\nexit 3\n' >"$T/fail.sh"
chmod +x "$T/fail.sh"
python3 -c "print('\n'.join('interface Gi0/%d' % i for i in range(20000)))" >"$T/big.cfg"
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
listen syslog udp 127.0.0.1 port $LPORT
listen trap udp 127.0.0.1 port $TPORT
trap community "public"
config max-size 64K
template "cisco" {
	config platform ios
	config interval off
	config coalesce 0
}
device "r1" {
	address 127.0.0.1 port $DEAD
	use "cisco"
	config fetch "/bin/cat" "$T/r1.cfg"
}
device "r2" {
	address 127.0.0.2 port $DEAD
	use "cisco"
	config fetch "$T/fail.sh" "%n" "%a"
}
device "r3" {
	address 127.0.0.3 port $DEAD
	use "cisco"
	config fetch "/bin/cat" "$T/big.cfg"
}
plan "cfg" {
	on demand
	devices "r*"
	check config
}
EOF
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
ok 0 "daemon starts"
NP() { "$NETPATROL" -f "$CONF" "$@"; }
nversions() { NP config versions "$1" --json 2>/dev/null | json - "len(j)"; }

check "the digest key is the daemon's alone (0600)" \
	test "$(stat -c %a "$T/state/config.key")" = 600

NP config fetch r1 >"$T/f1.txt"
check "a fetch on demand makes version 1" grep -q "^r1: version 1 " "$T/f1.txt"
NP config versions r1 --json >"$T/v1.json"
check "version 1: who from the device's own line" json "$T/v1.json" "j[0]['who'] == 'alice'"
check "version 1: its secrets counted" json "$T/v1.json" "j[0]['secrets'] == 4"
check "version 1: the trigger says who asked" json "$T/v1.json" "j[0]['trigger'].startswith('on demand by ')"
NP config show r1 >"$T/show1.txt"
check "volatile lines are not stored" sh -c "! grep -Eq 'Building configuration|Current configuration|ntp clock-period' '$T/show1.txt'"
check "no secret reaches the store" sh -c "! grep -Eq 'verysecrethash|anothersecret|n0tPublic|0822455D0A16' '$T/show1.txt'"
check "nor the database files" sh -c "! cat '$T'/state/netpatrol.db* | grep -aqE 'verysecrethash|n0tPublic'"
check "secrets are keyed digests" grep -q "^snmp-server community <secret:[0-9a-f]*> RO 10" "$T/show1.txt"
check "the change metadata is kept" grep -q "^! Last configuration change at .* by alice" "$T/show1.txt"

# noise only: byte count, clock-period, NVRAM line
sed -i 's/1234 bytes/1250 bytes/; s/17179869/17179999/; s/10:01:00/11:00:00/' "$T/r1.cfg"
NP config fetch r1 >"$T/f2.txt"
check "noise only: no new version" grep -q "^r1: no change (version 1)" "$T/f2.txt"
# a block moved: Loopback0 after the ACL
python3 - "$T/r1.cfg" <<'EOP'
import sys
t = open(sys.argv[1]).read()
lo = "interface Loopback0\n ip address 10.0.0.1 255.255.255.255\n!\n"
t = t.replace(lo, "").replace("line vty", lo + "line vty")
open(sys.argv[1], "w").write(t)
EOP
NP config fetch r1 >"$T/f3.txt"
check "a moved block: no new version" grep -q "^r1: no change (version 1)" "$T/f3.txt"

# a real change, by bob
sed -i 's/by alice/by bob/; s/description uplink/description core uplink/' "$T/r1.cfg"
NP config fetch r1 >"$T/f4.txt"
check "a change: version 2" grep -q "^r1: version 2 (+1 -1 lines" "$T/f4.txt"
NP config versions r1 --json >"$T/v2.json"
check "version 2 is bob's, +1 -1" json "$T/v2.json" "(j[1]['who'], j[1]['added'], j[1]['removed']) == ('bob', 1, 1)"
NP config diff r1 >"$T/diff.txt"
check "diff: the block as context" grep -q "^ interface GigabitEthernet0/1" "$T/diff.txt"
check "diff: the line removed and added" sh -c "grep -q '^- description uplink' '$T/diff.txt' && grep -q '^+ description core uplink' '$T/diff.txt'"
check "diff: nothing else" test "$(grep -c '^[-+] ' "$T/diff.txt")" = 2
NP --json config diff r1 1 2 >"$T/diff.json"
check "diff --json" json "$T/diff.json" "(j['from'], j['to'], j['added'], j['removed']) == (1, 2, 1, 1) and '+ description core uplink' in j['diff']"
ev_v2() { NP events --kind config.changed --json | grep -q 'version 2: +1 -1 lines by bob'; }
wait_for 20 ev_v2
ok $? "a config.changed event with the counts and the user"

# drift and approval
NP config approve r1 1 >"$T/ap1.txt"
check "approve version 1" grep -q "version 1 approved as the baseline by " "$T/ap1.txt"
drift_open() { NP findings --json | json - "any(f['kind'] == 'config.drift' and f['state'] == 'open' and f['role'] == 'security' for f in j)"; }
wait_for 20 drift_open
ok $? "newest differs from the baseline: a config.drift finding (security)"
NP config status r1 --json >"$T/st1.json"
check "config status: drift, baseline 1, version 2" json "$T/st1.json" "(j[0]['drift'], j[0]['baseline'], j[0]['version']) == (True, 1, 2)"
NP config diff r1 >"$T/diff2.txt"
check "with a baseline, diff is from it" grep -q "^--- r1 version 1 " "$T/diff2.txt"
NP config approve r1 >/dev/null
drift_resolved() { NP findings --all --json | json - "any(f['kind'] == 'config.drift' and f['state'] == 'resolved' for f in j)"; }
wait_for 20 drift_resolved
ok $? "approving the newest resolves the drift finding"

# a rotated secret is a change, its value still hidden
sed -i 's/n0tPublic/r0tated/' "$T/r1.cfg"
NP config fetch r1 >"$T/f5.txt"
check "a rotated secret: version 3" grep -q "^r1: version 3 (+1 -1 lines" "$T/f5.txt"
NP config show r1 >"$T/show3.txt"
check "its digest changed" test "$(grep '^snmp-server community' "$T/show1.txt")" != "$(grep '^snmp-server community' "$T/show3.txt")"
check "and its value is not there" sh -c "! grep -q r0tated '$T/show3.txt'"

# triggers: syslog CONFIG_I, within seconds, with the user it names
sed -i '/Last configuration change/d; s/^hostname r1$/hostname r1-edge/' "$T/r1.cfg"
logger -n 127.0.0.1 -P "$LPORT" -d --rfc3164 -t r1 \
	"%SYS-5-CONFIG_I: Configured from console by netops on vty0 (127.0.0.1)"
v4() { test "$(nversions r1)" -ge 4; }
wait_for 30 v4
ok $? "a syslog CONFIG_I fetches: version 4"
NP config versions r1 --json >"$T/v4.json"
check "version 4 names the syslog user and trigger" json "$T/v4.json" "j[3]['who'] == 'netops' and j[3]['trigger'].startswith('syslog: ')"

# a ciscoConfigManEvent: running -> commandSource (a show run) is no change
trig() { NP status --json | json - "j['config_archive']['triggers']"; }
t0=$(trig)
CCM=.1.3.6.1.4.1.9.9.43
snmptrap -v 2c -c public "127.0.0.1:$TPORT" '' $CCM.2.0.1 \
	$CCM.1.1.6.1.3.7 i 1 $CCM.1.1.6.1.4.7 i 3 $CCM.1.1.6.1.5.7 i 2
sed -i 's/^hostname r1-edge/hostname r1-core/' "$T/r1.cfg"
snmptrap -v 2c -c public "127.0.0.1:$TPORT" '' $CCM.2.0.1 \
	$CCM.1.1.6.1.3.8 i 1 $CCM.1.1.6.1.4.8 i 2 $CCM.1.1.6.1.5.8 i 3 \
	$CCM.1.1.6.1.8.8 s "opsbot"
v5() { test "$(nversions r1)" -ge 5; }
wait_for 30 v5
ok $? "a ciscoConfigManEvent to running fetches: version 5"
NP config versions r1 --json >"$T/v5.json"
check "version 5 names the trap's user" json "$T/v5.json" "j[4]['who'] == 'opsbot' and j[4]['trigger'].startswith('trap: ')"
check "the running -> commandSource trap triggered nothing" test "$(trig)" = "$((t0 + 1))"

# an inspection with the config check fetches every configuration first
NP inspect cfg --format json >"$T/insp.json"
ok $? "netpatrol inspect cfg"
check "the run fetched each: r1 fetched, r2 and r3 failed" \
	json "$T/insp.json" "sorted((f['device'],f['poll'],f['fetch']) for f in j['coverage']['fresh'])==[('r1',None,'fetched'),('r2',None,'failed'),('r3',None,'failed')]"
check "config done on r1; skipped on r2 and r3 with the reason" \
	json "$T/insp.json" "j['coverage']['checks_done']==1 and sorted((s['device'],s['reason']) for s in j['coverage']['skipped'])==[('r2',\"the inspection's configuration fetch failed\"),('r3',\"the inspection's configuration fetch failed\")]"
check "the fetches were the run's: config versions unchanged" test "$(nversions r1)" = 5

# failures: a cut fetch keeps the good version; a failing program, three
# times, is a finding; too much output is killed
head -3 "$T/r1.cfg" >"$T/cut" && cp "$T/cut" "$T/r1.cfg"
NP config fetch r1 >"$T/f6.txt"
check "a cut output fails" grep -q "less than half of version 5" "$T/f6.txt"
check "and version 5 stays the newest" test "$(nversions r1)" = 5
for i in 1 2 3; do NP config fetch r2 >"$T/r2.$i.txt"; done
check "a failing program: its exit status and stderr" grep -q "exit status 3: ssh: connect to host r2: Connection refused" "$T/r2.3.txt"
failing() { NP findings --json | json - "any(f['kind'] == 'config.fetch_failing' and f['device'] == 'r2' for f in j)"; }
wait_for 20 failing
ok $? "three failures in a row: a config.fetch_failing finding"
check "r2 has no version" sh -c "! '$NETPATROL' -f '$CONF' config versions r2 2>/dev/null"
NP config fetch r3 >"$T/r3.txt"
check "output past config max-size is killed" grep -q "more than config max-size" "$T/r3.txt"
NP status --json >"$T/status.json"
check "status counts them" json "$T/status.json" "j['config_archive']['versions'] == 5 and j['config_archive']['fetches_failed'] >= 5"

stop_pid "$DAEMON_PID"
ok $? "the daemon stops cleanly"
# the archive survives a restart: versions read back
start_daemon "$CONF" || ok 1 "restarts"
check "after a restart the versions are there" test "$(nversions r1)" = 5
stop_pid "$DAEMON_PID"
done_testing
