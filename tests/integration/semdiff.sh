#!/bin/bash
# semdiff.sh - `netpatrol config diff --semantic` and `config lint` as
# users run them: two files offline without any netpatrold.conf, the JSON
# array of changes (kind, object, detail, lines), the corpus pairs of the
# research note when ../shared is there, noise and moved blocks giving [],
# and two archived versions of a device through the running daemon.
. "$(dirname "$0")/lib.sh"
need python3

NOCONF=$T/does-not-exist.conf
NP0() { "$NETPATROL" -f "$NOCONF" "$@"; }
cp "$top_srcdir/tests/data/configs/r1-v1.ios" "$T/a.cfg"
chmod u+w "$T/a.cfg"
# the same configuration with its blocks in another order and noise (a
# numbered ACL's lines keep their order: that order is the ACL)
python3 - "$T/a.cfg" "$T/moved.cfg" <<'PYEOF'
import sys
text = open(sys.argv[1]).read()
blocks, cur = [], []
for line in text.splitlines():
    if line and not line[0].isspace() and cur and not (
            line.startswith("access-list ") and cur[0].startswith("access-list ")):
        blocks.append(cur); cur = []
    cur.append(line)
blocks.append(cur)
blocks.reverse()
out = ["! Last configuration change at 10:00:00 UTC Mon Dec 1 2026", "ntp clock-period 17179869"]
for b in blocks: out += b
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PYEOF
NP0 config diff --semantic --json "$T/a.cfg" "$T/moved.cfg" >"$T/moved.json"
ok $? "offline, without netpatrold.conf: two files compare"
check "noise and moved blocks: an empty array" json "$T/moved.json" "j == []"
# a numbered ACL's lines the other way round: that is a change
sed -n '/^access-list 10 /p' "$T/a.cfg" | tac >"$T/acl10.rev"
grep -v '^access-list 10 ' "$T/a.cfg" >"$T/rev.cfg"
cat "$T/acl10.rev" >>"$T/rev.cfg"
NP0 config diff --semantic --json "$T/a.cfg" "$T/rev.cfg" >"$T/rev.json"
check "a numbered ACL's lines reversed: narrowed, and a line that never matches" json "$T/rev.json" \
	"{c['kind'] for c in j} == {'acl.narrowed', 'acl.line-unreachable'}"

# telnet let in, an interface shut, the ACL unbound somewhere else
sed -e 's/^ permit tcp any host 192.0.2.1 eq 22$/ permit tcp any host 192.0.2.1 eq 22\n permit tcp any host 192.0.2.1 eq 23/' \
	"$T/a.cfg" >"$T/b.cfg"
NP0 config diff --semantic --json "$T/a.cfg" "$T/b.cfg" >"$T/ab.json"
ok $? "a widened ACL compares"
check "acl.widened EDGE_IN with its detail and lines" json "$T/ab.json" \
	"any(c['kind'] == 'acl.widened' and c['object'] == 'EDGE_IN' and '23' in c['detail'] and len(c['lines']) > 0 for c in j)"
check "every change has kind, object, detail and lines" json "$T/ab.json" \
	"len(j) > 0 and all({'kind','object','detail','lines'} <= set(c) for c in j)"
NP0 config diff --semantic "$T/a.cfg" "$T/b.cfg" >"$T/ab.txt"
check "text: one line a change, 'kind object: detail'" grep -q "^acl.widened EDGE_IN: " "$T/ab.txt"

printf 'ip access-list extended X\n permit ip any any\n deny tcp any any eq 23\n' >"$T/lint.cfg"
NP0 config lint --json --platform ios "$T/lint.cfg" >"$T/lint.json"
ok $? "config lint, offline"
check "the shadowed line and the unused ACL" json "$T/lint.json" \
	"{c['kind'] for c in j} >= {'acl.line-unreachable', 'acl.unused'}"
NP0 config lint "$T/nope.cfg" >/dev/null 2>&1
check "a file that is not there: an error (it is no device either)" test $? -ne 0

# the research note's corpus pairs
EF=$SHARED/corpus/configs/batfish-example-filters
if [ -d "$EF" ]; then
	NP0 config diff --semantic --json "$EF/current/rtr-with-acl.cfg" \
		"$EF/candidate1/rtr-with-acl.cfg" >"$T/ef.json"
	check "example filters, candidate1: acl_in widened to 18.18.18.0/26" json "$T/ef.json" \
		"len(j) == 1 and j[0]['kind'] == 'acl.widened' and '18.18.18.0/26' in j[0]['detail']"
	NP0 config lint --json "$EF/current/rtr-with-acl.cfg" >"$T/eflint.json"
	check "example filters: two lines of acl_in can never match" json "$T/eflint.json" \
		"sum(1 for c in j if c['kind'] == 'acl.line-unreachable') == 2"
else
	skip "the shared corpus is not here"
	skip "the shared corpus is not here"
fi

# two archived versions through the daemon
DEAD=$(port_pick)
CONF=$T/np.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
device "r1" {
	address 127.0.0.1 port $DEAD
	config fetch "/bin/cat" "$T/a.cfg"
	config platform ios
	config interval off
	config coalesce 0
}
EOF
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
NP() { "$NETPATROL" -f "$CONF" "$@"; }
NP config fetch r1 >/dev/null
cp "$T/b.cfg" "$T/a.cfg"
NP config fetch r1 >/dev/null
nver() { NP config versions r1 --json | json - "len(j) == 2"; }
wait_for 20 nver
ok $? "two versions archived"
NP config diff --semantic --json r1 >"$T/arch.json"
ok $? "config diff --semantic DEVICE: the newest two versions"
check "the archive's pair: acl.widened EDGE_IN" json "$T/arch.json" \
	"any(c['kind'] == 'acl.widened' and c['object'] == 'EDGE_IN' for c in j)"
NP config diff --semantic --json r1 1 1 >"$T/same.json"
check "a version against itself: []" json "$T/same.json" "j == []"
stop_pid "$DAEMON_PID"
done_testing
