#!/bin/bash
# cluster_forward.sh - one finding per fault across nodes (issue 20): two
# netpatrold nodes share a device through leases in a real PostgreSQL
# (pg_virtualenv); a linkDown trap sent to the node that does not poll it
# goes to the node that does (np_forward), which names the port from its
# own polls (the receiver knew only the ifIndex) and opens the port's
# finding; the same fault told to the polling node updates that finding,
# not a second one; a linkUp sent to the other node resolves it. The
# receiving node stores the trap and its event, and opens no finding.
# (Leases of 20 s: with 5 s, under ASan on a loaded machine, the checks
# after the first failed as if sw had changed hands in the middle of
# the test; the holder is said before the stop, to tell.)
. "$(dirname "$0")/lib.sh"
in_pg_virtualenv "$@"
need snmpd snmpget snmptrap psql python3

DB="host=$PGHOST port=${PGPORT:-5432} user=$PGUSER password=$PGPASSWORD dbname=${PGDATABASE:-postgres}"
PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }

node() {  # node NAME TRAP-PORT SYSLOG-PORT: its config in $T/NAME.conf
	cat >"$T/$1.conf" <<EOC
state-dir "$T/$1"
control "$T/$1.sock"
pidfile "$T/$1.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $2
listen syslog udp 127.0.0.1 port $3
trap community "public"
cluster {
	node "$1"
	lease 20s
	database "$DB"
}
device "sw" {
	address 127.0.0.1 port $PORT
	interval 1
}
EOC
	chmod 600 "$T/$1.conf"
}
TP1=$(port_pick)
TP2=$(port_pick)
SP1=$(port_pick)
SP2=$(port_pick)
node n1 "$TP1" "$SP1"
node n2 "$TP2" "$SP2"
if ! "$NETPATROLD" -n -f "$T/n1.conf" >"$T/check.out" 2>&1; then
	grep -q "without PostgreSQL" "$T/check.out" &&
		skip_all "netpatrold was built without PostgreSQL (libpq)"
	sed 's/^/# /' "$T/check.out"
fi
np() { n=$1; shift; "$NETPATROL" -f "$T/$n.conf" "$@"; }
sq() { psql -tAq -c "$1" 2>/dev/null; }

# the node sw goes to (cluster.c: rendezvous, FNV-1a and splitmix64's
# finaliser): started first, alone, it polls sw; the other starts once it
# has, and never polls sw: it does not know sw's ports
OWNER=$(python3 - <<'PY'
M = (1 << 64) - 1
def h(node, dev):
    x = 1469598103934665603
    for b in node.encode() + b"\0" + dev.encode():
        x = ((x ^ b) * 1099511628211) & M
    x ^= x >> 30; x = (x * 0xbf58476d1ce4e5b9) & M
    x ^= x >> 27; x = (x * 0x94d049bb133111eb) & M
    return x ^ (x >> 31)
print(max(("n1", "n2"), key=lambda n: (h(n, "sw"), n == "n1")))
PY
)
if [ "$OWNER" = n1 ]; then OTHER=n2; OPORT=$TP2; MPORT=$TP1; OSL=$SP2
else OTHER=n1; OPORT=$TP1; MPORT=$TP2; OSL=$SP1; fi
start_daemon "$T/$OWNER.conf"
ok $? "node $OWNER starts"
NO=$DAEMON_PID
owner() { sq "select node from np_leases where device = 'sw' and expires > now()"; }
named() {
	[ "$(owner)" = "$OWNER" ] && np "$OWNER" ports sw --json 2>/dev/null >"$T/p.json" &&
		json "$T/p.json" "any(p['index'] == 1 for p in j)"
}
wait_for 60 named
ok $? "$OWNER polls sw and knows its ports"
start_daemon "$T/$OTHER.conf"
ok $? "node $OTHER starts"
NT=$DAEMON_PID
live2() { np "$OTHER" status --json | json - "j['cluster']['nodes_live'] == 2 and j['cluster']['rounds'] >= 2"; }
wait_for 60 live2
ok $? "both nodes live"
check "sw stays with $OWNER, as the rendezvous says" test "$(owner)" = "$OWNER"
LO=$(json "$T/p.json" "[p['name'] for p in j if p['index'] == 1][0]")
diag "sw is polled by $OWNER; traps go to $OTHER too; ifIndex 1 is $LO"

export MIBS=
trap_lo() {  # trap_lo PORT 3|4: linkDown or linkUp for ifIndex 1, no name
	snmptrap -v2c -c public "127.0.0.1:$1" '' "1.3.6.1.6.3.1.1.5.$2" \
		1.3.6.1.2.1.2.2.1.1.1 i 1 1.3.6.1.2.1.2.2.1.8.1 i $(( $2 == 3 ? 2 : 1 ))
}
fq() {  # fq NODE PYTHON-EXPR over sw's findings (fs), true or not
	np "$1" findings --all --json | json - "(lambda fs: $2)([x for x in j if x['device'] == 'sw'])"
}
trap_lo "$OPORT" 3
opened() { fq "$OWNER" "any(f['key'] == 'sw/port:$LO' and f['state'] == 'open' for f in fs)"; }
wait_for 30 opened
ok $? "a linkDown sent to $OTHER opens the port's finding at $OWNER (key sw/port:$LO)"
np "$OWNER" findings --all --json >"$T/f1.json"
check "... one finding, major, of kind port.down" \
	json "$T/f1.json" "[(f['kind'], f['severity']) for f in j if f['device'] == 'sw'] == [('port.down', 'major')]"
np "$OWNER" events --json >"$T/e1.json"
check "$OWNER has the event, its port named ($LO), from a trap" \
	json "$T/e1.json" "any(e['kind'] == 'port.down' and e['object'] == '$LO' and e['source'] == 'trap' and '$LO' in e['text'] for e in j)"
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	check "one store: $OTHER opened only the one finding for sw" fq "$OTHER" "len(fs) == 1"
else
	check "$OTHER opened no finding for sw" fq "$OTHER" "fs == []"
fi
np "$OTHER" events --json >"$T/e2.json"
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	# one store: the event once, as the holder named its port
	check "one store: the event stored once, by $OWNER, its port named" \
		json "$T/e2.json" "not any(e['object'] == 'ifIndex 1' for e in j) and len([e for e in j if e['kind'] == 'port.down' and e['source'] == 'trap']) == 1"
else
	check "$OTHER stored the event as it received it (ifIndex 1)" \
		json "$T/e2.json" "any(e['kind'] == 'port.down' and e['object'] == 'ifIndex 1' for e in j)"
fi
np "$OTHER" status --json >"$T/s2.json"
check "$OTHER: cluster.forward.sent 1" json "$T/s2.json" "j['cluster']['forward']['sent'] == 1 and j['cluster']['forward']['queued'] == 0"
np "$OWNER" status --json >"$T/s1.json"
check "$OWNER: cluster.forward.received 1" json "$T/s1.json" "j['cluster']['forward']['received'] == 1"
check "the table is empty once taken" test "$(sq "select count(*) from np_forward")" = 0

# the same fault told to the polling node: the same finding
trap_lo "$MPORT" 3
twice() { fq "$OWNER" "len(fs) == 1 and fs[0]['count'] >= 2"; }
wait_for 30 twice
ok $? "a linkDown sent to $OWNER too: still one finding, two events"
# the fault ends, told to the other node: resolved where it was opened
trap_lo "$OPORT" 4
resolved() { fq "$OWNER" "len(fs) == 1 and fs[0]['state'] in ('resolved', 'verified')"; }
wait_for 30 resolved
ok $? "a linkUp sent to $OTHER resolves it at $OWNER"
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	check "one store: $OTHER still has only the one finding for sw" fq "$OTHER" "len(fs) == 1"
else
	check "$OTHER still has no finding for sw" fq "$OTHER" "fs == []"
fi

# a syslog message sent to the other node: the same way
python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))' \
	"$OSL" "<187>12: sw: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: Interface $LO, changed state to down"
reopened() { fq "$OWNER" "any(f['key'] == 'sw/port:$LO' and f['state'] == 'open' for f in fs)"; }
wait_for 30 reopened
ok $? "a %LINK-3-UPDOWN syslog message sent to $OTHER opens the port's finding at $OWNER again"
np "$OWNER" events --json >"$T/e3.json"
check "... from its event, source syslog, key port:$LO" \
	json "$T/e3.json" "any(e['source'] == 'syslog' and e['kind'] == 'port.down' and e['key'] == 'port:$LO' for e in j)"
if [ "${NP_TEST_STORE:-}" = postgresql ]; then
	check "one store: $OTHER: still only the one finding for sw" fq "$OTHER" "len(fs) == 1"
else
	check "$OTHER: still no finding for sw" fq "$OTHER" "fs == []"
fi
np "$OTHER" status --json >"$T/s3.json"
check "$OTHER: 3 events sent (two traps, a message), none dropped" \
	json "$T/s3.json" "j['cluster']['forward']['sent'] == 3 and j['cluster']['forward']['dropped'] == 0"

# bytes that are not UTF-8 (PostgreSQL's text refuses them), in a
# message and in a trap's ifDescr: the receivers make them U+FFFD and
# hex themselves (and the forwarder would make any left '?'): each event
# goes, and the next after it
python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"<187>13: sw: *Mar  1 00:01:03.000 UTC: %LINK-3-UPDOWN: Interface lo\xff\xc3, changed state to down", ("127.0.0.1", int(sys.argv[1])))
s.sendto(b"<187>14: sw: *Mar  1 00:01:04.000 UTC: %LINK-3-UPDOWN: Interface eth9, changed state to down", ("127.0.0.1", int(sys.argv[1])))' "$OSL"
snmptrap -v2c -c public "127.0.0.1:$OPORT" '' 1.3.6.1.6.3.1.1.5.3 \
	1.3.6.1.2.1.2.2.1.1.7 i 7 1.3.6.1.2.1.2.2.1.2.7 x 78FF79 1.3.6.1.2.1.2.2.1.8.7 i 2
# (one store: the receiver reads the device's ports from it, and names
# the port as the holder knows it)
LOKEY="e['key'] != 'port:lo'"
[ "${NP_TEST_STORE:-}" = postgresql ] && LOKEY=True
both() { np "$OWNER" events --json | json - "any(e['source'] == 'syslog' and e['key'].startswith('port:lo') and $LOKEY for e in j) and any(e['source'] == 'syslog' and e['key'] == 'port:eth9' for e in j) and any(e['source'] == 'trap' and e['key'] == 'port:78:ff:79' for e in j)"; }
wait_for 30 both
r=$?
ok $r "a message and a trap with bytes that are not UTF-8, and the next, reach $OWNER"
[ $r = 0 ] || np "$OWNER" events --json | json - "'; '.join(repr(e['key']) + ' ' + e['text'] for e in j if e['source'] in ('syslog', 'trap'))" | sed 's/^/# /' 
np "$OTHER" status --json >"$T/s4.json"
check "$OTHER: 6 sent, none dropped, connected" \
	json "$T/s4.json" "j['cluster']['forward']['sent'] == 6 and j['cluster']['forward']['dropped'] == 0 and j['cluster']['forward']['connected']"

diag "sw is held by $(owner) (the test wants $OWNER)"
stop_pid "$NT"
ok $? "SIGTERM $OTHER: exit 0"
stop_pid "$NO"
ok $? "SIGTERM $OWNER: exit 0"
check "nothing is left in the table, no lease" \
	test "$(sq "select count(*) from np_forward") $(sq "select count(*) from np_leases")" = "0 0"
done_testing
