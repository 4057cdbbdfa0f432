#!/bin/bash
# cluster.sh - several nodes (issue 20): two, then three netpatrold nodes
# share 12 devices through leases in a real PostgreSQL (Debian's
# pg_virtualenv makes a throwaway cluster on localhost); every device is
# polled by exactly one node; a node killed with -9 loses its devices to
# the others within two lease times; a new node takes its share; a node
# that stops cleanly gives its leases up at once. Needs root (the
# throwaway cluster), pg_virtualenv and a netpatrold built with libpq.
. "$(dirname "$0")/lib.sh"
in_pg_virtualenv "$@"
need snmpd snmpget psql python3

DB="host=$PGHOST port=${PGPORT:-5432} user=$PGUSER password=$PGPASSWORD dbname=${PGDATABASE:-postgres}"
PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }

node() {  # node NAME: its config in $T/NAME.conf
	{
		cat <<EOC
state-dir "$T/$1"
control "$T/$1.sock"
pidfile "$T/$1.pid"
store batch-window 100ms
cluster {
	node "$1"
	lease 5s
	database "$DB"
}
EOC
		for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
			printf 'device "d%s" {\n\taddress 127.0.0.1 port %s\n\tinterval 1\n}\n' "$i" "$PORT"
		done
	} >"$T/$1.conf"
	chmod 600 "$T/$1.conf"
}
node n1
node n2
node n3
if ! "$NETPATROLD" -n -f "$T/n1.conf" >"$T/check.out" 2>&1; then
	grep -q "without PostgreSQL" "$T/check.out" &&
		skip_all "netpatrold was built without PostgreSQL (libpq)"
	cat "$T/check.out" | sed 's/^/# /'
fi

# the devices each node polls now, from its status
here() {  # here NODE: the names, one a line
	"$NETPATROL" -f "$T/$1.conf" status --json 2>/dev/null |
		python3 -c "import json,sys
j=json.load(sys.stdin)
for d in j['devices']:
    if d.get('node') == sys.argv[1]: print(d['name'])" "$1"
}
polls() {  # polls NODE DEVICE
	"$NETPATROL" -f "$T/$1.conf" status --json 2>/dev/null |
		json - "[d['polls'] for d in j['devices'] if d['name']=='$2'][0]"
}
count() { here "$1" | wc -l; }
sq() { psql -tAq -c "$1" 2>/dev/null; }

start_daemon "$T/n1.conf"
N1=$DAEMON_PID
ok $? "node n1 starts"
all1() { [ "$(count n1)" = 12 ]; }
wait_for 60 all1
ok $? "alone, n1 polls all 12 devices"
check "the leases are in PostgreSQL: 12, all n1's" \
	test "$(sq "select count(*) from np_leases where node = 'n1' and expires > now()")" = 12

start_daemon "$T/n2.conf"
N2=$DAEMON_PID
ok $? "node n2 starts"
shared() {
	a=$(count n1)
	b=$(count n2)
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) = 12 ] &&
		[ -z "$(sort <(here n1) <(here n2) | uniq -d)" ]
}
wait_for 60 shared
ok $? "with n2: the 12 devices split ($(count n1) and $(count n2)), none on both"
check "each device has one lease, on the node that polls it" \
	test "$(sq "select node || ':' || device from np_leases order by 1" | tr '\n' ' ')" = "$( (here n1 | sed 's/^/n1:/'; here n2 | sed 's/^/n2:/') | sort | tr '\n' ' ')"
D2=$(here n2 | sed -n 1p)
P1=$(polls n1 "$D2")
P2=$(polls n2 "$D2")
more() { [ "$(polls n2 "$D2")" -ge $((P2 + 3)) ]; }
wait_for 30 more
ok $? "n2 polls $D2"
check "n1 does not poll $D2 meanwhile" test "$(polls n1 "$D2")" -le "$((P1 + 1))"
# a node's poll cycle is a round of the devices it holds: n2, which
# never held them all, counts its cycles too (status poller.cycles)
cycles() {  # cycles NODE N: at least N cycles since now, with varbinds
	"$NETPATROL" -f "$T/$1.conf" status --json | json - "j['poller']['cycles'] >= $2 and j['poller']['last_cycle_varbinds'] > 0"
}
C1=$("$NETPATROL" -f "$T/n1.conf" status --json | json - "j['poller']['cycles']")
wait_for 30 cycles n2 3
ok $? "n2 counts its poll cycles"
wait_for 30 cycles n1 "$((${C1:-0} + 3))"
ok $? "... and n1 goes on counting its own (from ${C1:-?})"
"$NETPATROL" -f "$T/n1.conf" cluster --json >"$T/c.json"
check "netpatrol cluster --json: two live nodes, their devices, the leases" \
	json "$T/c.json" "j['node']=='n1' and [(n['name'],n['live']) for n in j['nodes']]==[('n1',True),('n2',True)] and sum(n['devices'] for n in j['nodes'])==12 and len(j['leases'])==12"
check "cluster --json: the keys netpatrol(8) documents" \
	json "$T/c.json" "set(j)=={'node','lease','connected','last_error','nodes','leases'} and all(set(n)=={'name','live','renewed_ago','devices','host','pid'} for n in j['nodes']) and all(set(l)=={'device','node','expires_in'} for l in j['leases'])"
"$NETPATROL" -f "$T/n1.conf" status --json >"$T/st.json"
check "status: cluster, devices_here and each device's node, as documented" \
	json "$T/st.json" "set(j['cluster'])=={'node','lease','connected','nodes_live','devices_here','rounds','errors','taken','given','last_round_seconds','last_error','forward'} and set(j['cluster']['forward'])=={'connected','queued','sent','received','dropped','expired','errors','last_error'} and j['cluster']['nodes_live']==2 and j['poller']['devices_here']==j['cluster']['devices_here'] and all(d['node'] in ('n1',None) for d in j['devices'])"
"$NETPATROL" -f "$T/n1.conf" cluster >"$T/c.txt"
check "netpatrol cluster: a table of the nodes" grep -q "^n2 " "$T/c.txt"
"$NETPATROL" -f "$T/n1.conf" devices --json >"$T/dev.json"
check "netpatrol devices --json: key node, the node polling each device" \
	json "$T/dev.json" "sorted(d['name'] for d in j if d['node']=='n1')==sorted('''$(here n1)'''.split()) and all(d['node'] in ('n1','n2') for d in j)"

# n1 killed: its devices go to n2 within two lease times
kill -9 "$N1"
wait "$N1" 2>/dev/null
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$N1" | tr '\n' ' ')
KILLED=$(date +%s)
all2() { [ "$(count n2)" = 12 ]; }
wait_for 60 all2
ok $? "n1 killed -9: n2 polls all 12 devices"
TOOK=$(( $(date +%s) - KILLED ))
ok $(( TOOK <= 5 * 2 + 3 ? 0 : 1 )) "... within two lease times and a round (${TOOK} s, lease 5 s)"
D1=$(sq "select device from np_leases where node = 'n2' order by device limit 1")
Q=$(polls n2 "$D1")
polled() { [ "$(polls n2 "$D1")" -ge $((Q + 2)) ]; }
wait_for 30 polled
ok $? "n2 polls the devices it took over ($D1)"
"$NETPATROL" -f "$T/n2.conf" cluster --json >"$T/c2.json"
check "netpatrol cluster: n1 no longer live" \
	json "$T/c2.json" "[(n['name'],n['live']) for n in j['nodes']]==[('n1',False),('n2',True)]"

# n3 joins: it takes its share from n2
start_daemon "$T/n3.conf"
N3=$DAEMON_PID
ok $? "node n3 starts"
three() {
	a=$(count n2)
	b=$(count n3)
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) = 12 ] &&
		[ -z "$(sort <(here n2) <(here n3) | uniq -d)" ]
}
wait_for 60 three
ok $? "n3 joins: the devices split between n2 and n3 ($(count n2) and $(count n3))"

# a clean stop gives the leases up at once
stop_pid "$N3"
ok $? "SIGTERM n3: exit 0"
check "n3's leases are given up" test "$(sq "select count(*) from np_leases where node = 'n3'")" = 0
wait_for 60 all2
ok $? "n2 polls all 12 again"
stop_pid "$N2"
ok $? "SIGTERM n2: exit 0"
check "no lease is left" test "$(sq "select count(*) from np_leases")" = 0
done_testing
