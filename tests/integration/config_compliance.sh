#!/bin/bash
# config_compliance.sh - compliance policies on the archive: the shipped
# IOS security policy and a local one applied to a device; every good
# fetch evaluates them on the configuration as fetched (a weak community
# is caught), only masked details are stored, a failed rule is a
# config.compliance finding (security) that passing again resolves; and
# `netpatrol compliance --file` applies the same policies to a file.
. "$(dirname "$0")/lib.sh"
need python3 sqlite3

DEAD=$(port_pick)
CONF=$T/np.conf
cp "$top_srcdir/tests/data/configs/r1-v1.ios" "$T/r1.cfg"
chmod u+w "$T/r1.cfg"
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
include "$top_srcdir/etc/policies/ios-security.conf"
policy "local" {
	check "weak-community" text "no default community"
	forbid "^snmp-server community [^ ]+ RW" text "no RW community"
	require "^ntp server " text "an NTP server"
	require "^access-class [^ ]+ in$" section "^line vty" text "vty ACL"
}
policy "edge" {
	acl-deny "EDGE_IN" "tcp any 192.0.2.1 23" text "no telnet in"
	acl-deny "EDGE_IN" "tcp any 192.0.2.0/24 22" text "no ssh in"
	acl-deny "10" "ip 198.51.100.1 any" text "ACL 10 only the lab"
	acl-deny "MISSING" "ip any any" text "undefined"
}
device "r1" {
	address 127.0.0.1 port $DEAD
	config fetch "/bin/cat" "$T/r1.cfg"
	config platform ios
	config interval off
	config coalesce 0
	policy "ios-security"
	policy "local"
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/n.out" 2>&1
ok $? "the policies are a valid configuration"
printf 'policy "p" {\n forbid "("\n check "frob"\n require "x" section "["\n}\n' >"$T/bad.conf"
"$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
check "a bad regex, an unknown check: file:line errors" sh -c \
	"grep -q 'bad.conf:2: forbid: bad regular expression' '$T/bad.out' && grep -q 'bad.conf:3: unknown check \"frob\"' '$T/bad.out' && grep -q 'bad.conf:4: section: bad regular expression' '$T/bad.out'"
printf 'device "x" {\n address 127.0.0.9\n policy "nope"\n}\n' >"$T/bad2.conf"
"$NETPATROLD" -n -f "$T/bad2.conf" >"$T/bad2.out" 2>&1
check "an unknown policy: the device's file:line" grep -q 'bad2.conf:1: device "x": policy "nope" is not defined' "$T/bad2.out"

sed -i 's/^snmp-server community n0tPublic RO 10/snmp-server community public RW/' "$T/r1.cfg"
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
NP() { "$NETPATROL" -f "$CONF" "$@"; }
NP config fetch r1 >/dev/null
has_results() { NP compliance r1 --json | json - "len(j) > 30"; }
wait_for 20 has_results
ok $? "the results are stored after the fetch"
NP compliance r1 --json >"$T/c1.json"
check "each result: device, policy, rule, result, detail, line, version, time" json "$T/c1.json" \
	"all(set(r) == {'device','policy','rule','result','detail','line','version','time'} for r in j)"
res() { json "$T/c1.json" "[r['result'] for r in j if r['policy'] == '$1' and r['rule'] == '$2'][0]"; }
check "weak community: fail" test "$(res local 'no default community')" = fail
check "RW community: fail" test "$(res local 'no RW community')" = fail
check "NTP server: pass" test "$(res local 'an NTP server')" = pass
check "vty ACL: fail" test "$(res local 'vty ACL')" = fail
check "shipped: SSH only on vty passes" test "$(res ios-security 'CIS-1.2.2 (†) vty lines take SSH only')" = pass
check "shipped: no ip ssh version 2 fails" test "$(res ios-security 'CIS-2.1.1.2 SSH version 2')" = fail
check "no detail names the community" sh -c "! grep -q public '$T/c1.json'"
check "the RW line's detail is masked" json "$T/c1.json" \
	"[r['detail'] for r in j if r['rule'] == 'no RW community'][0].startswith('snmp-server community <secret:')"
check "the store holds no community either" sh -c \
	"! sqlite3 '$T/state/netpatrol.db' 'select detail from config_compliance' | grep -q public"
comp_open() { NP findings --json | json - "any(f['kind'] == 'config.compliance' and f['role'] == 'security' for f in j)"; }
wait_for 20 comp_open
ok $? "failed rules are config.compliance findings (security)"

# fixed on the device: the rules pass, their findings resolve
sed -i 's/^snmp-server community public RW/snmp-server community Xk2-9qL RO 10/' "$T/r1.cfg"
NP config fetch r1 >/dev/null
fixed() { NP compliance r1 --json | json - "[r['result'] for r in j if r['rule'] == 'no default community'][0] == 'pass'"; }
wait_for 20 fixed
ok $? "after the fix the rule passes"
resolved() { NP findings --all --json | json - "any(f['kind'] == 'config.compliance' and f['state'] == 'resolved' and 'no default community' in f['title'] + f.get('description', '') for f in j)"; }
wait_for 20 resolved
ok $? "and its finding is resolved"

NP compliance --file "$T/r1.cfg" --policy local --json >"$T/file.json"
check "compliance --file: the local policy on a file, offline" json "$T/file.json" \
	"len(j) == 4 and all(r['device'] is None for r in j)"
NP compliance --file "$T/r1.cfg" --policy edge --json >"$T/edge.json"
eres() { json "$T/edge.json" "[r['result'] + ' ' + r['detail'] for r in j if r['rule'] == '$1'][0]"; }
check "acl-deny: telnet to 192.0.2.1 is denied" test "$(eres 'no telnet in')" = 'pass ACL EDGE_IN denies tcp any 192.0.2.1 23'
check "acl-deny: ssh is permitted, with the packet and the line" test "$(eres 'no ssh in')" = \
	'fail ACL EDGE_IN permits tcp 0.0.0.0:49152 -> 192.0.2.1:22 by "permit tcp any host 192.0.2.1 eq 22"'
check "acl-deny: a numbered standard ACL" test "$(eres 'ACL 10 only the lab')" = 'pass ACL 10 denies ip 198.51.100.1 any'
check "acl-deny: an undefined ACL fails" test "$(eres 'undefined')" = 'fail ACL MISSING is not defined'
printf 'policy "p" {\n acl-deny "A" "tcp any ::1 22"\n}\n' >"$T/bad3.conf"
"$NETPATROLD" -n -f "$T/bad3.conf" >"$T/bad3.out" 2>&1
check "acl-deny: an IPv6 packet is refused with file:line" grep -q 'bad3.conf:2: acl-deny "A": packet "tcp any ::1 22": IPv6 ACLs are not analysed' "$T/bad3.out"
stop_pid "$DAEMON_PID"
done_testing
