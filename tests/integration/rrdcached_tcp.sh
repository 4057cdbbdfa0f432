#!/bin/bash
# rrdcached_tcp.sh - `rrd cached "HOST:PORT"`: two netpatrold nodes, each
# with a state dir of its own, write their RRD files through one shared
# rrdcached over TCP (issue 20), which keeps them in its base directory
# (-b, -B) and makes their folders (-R): the files are there, none under
# the nodes' state dirs. A node started again finds its files made (no
# error: rrdcached -O says they exist). What reads the files reads them
# through rrdcached: rrdtool fetch --daemon, the web UI's graphs and the
# reports' metrics. Everything on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget rrdcached rrdtool python3 curl

P1=$(port_pick)
start_snmpd a1 "$P1" || { ok 1 "snmpd starts"; done_testing; }
P2=$(port_pick)
start_snmpd a2 "$P2" || { ok 1 "snmpd starts"; done_testing; }
RPORT=$(port_pick)
ADDR=127.0.0.1:$RPORT
mkdir -p "$T/shared" "$T/journal"
rrdcached -g -l "$ADDR" -b "$T/shared" -B -R -j "$T/journal" \
	-p "$T/rrdcached.pid" -w 3600 -f 7200 >"$T/rrdcached.log" 2>&1 &
RRDCACHED_PID=$!
PIDS="$PIDS $RRDCACHED_PID"
pong() {
	python3 - "$RPORT" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
    s.sendall(b"PING\n")
    sys.exit(0 if s.recv(64).startswith(b"0 PONG") else 1)
except OSError:
    sys.exit(1)
PY
}
wait_for 20 pong
ok $? "rrdcached listens on $ADDR"

HPORT=$(port_pick)
node() {  # node NAME DEVICE AGENTPORT [HTTP]: its config in $T/NAME.conf
	cat >"$T/$1.conf" <<EOC
state-dir "$T/$1"
rrd cached "$ADDR"
control "$T/$1.sock"
pidfile "$T/$1.pid"
rrd keep-step 1h
device "$2" {
	address 127.0.0.1 port $3
	interval 1
}
EOC
	[ -n "${4:-}" ] && cat >>"$T/$1.conf" <<EOC
http {
	listen 127.0.0.1 port $4
	token "t" role viewer secret "s3cr3t-token-for-the-test"
}
EOC
	return 0
}
node n1 d1 "$P1" "$HPORT"
node n2 d2 "$P2"
start_daemon "$T/n1.conf"
N1=$DAEMON_PID
ok $? "node n1 starts"
start_daemon "$T/n2.conf"
N2=$DAEMON_PID
ok $? "node n2 starts"
wait_for 60 polls_at_least "$T/n1.conf" d1 5
ok $? "n1 polls d1"
wait_for 60 polls_at_least "$T/n2.conf" d2 5
ok $? "n2 polls d2"

st() { "$NETPATROL" -f "$T/$1.conf" status --json | json - "$2"; }
check "n1: the writer is rrdcached, updates, no errors" \
	st n1 "j['rrd']['writer'] == 'rrdcached' and j['rrd']['updates'] >= 4 and j['rrd']['errors'] == 0"
check "n2: the same" \
	st n2 "j['rrd']['writer'] == 'rrdcached' and j['rrd']['updates'] >= 4 and j['rrd']['errors'] == 0"
check "both nodes' files are in rrdcached's base directory" \
	test -f "$T/shared/d1/port-lo.rrd" -a -f "$T/shared/d2/port-lo.rrd"
check "none under the nodes' own state dirs" \
	sh -c "! find '$T/n1' '$T/n2' -name '*.rrd' | grep -q ."
values() {  # values FILE: rrdtool fetch through rrdcached has 2 or more
	rrdtool fetch --daemon "$ADDR" "$1" AVERAGE -s -20 |
		awk 'NR>2 && $2 !~ /nan/ {n++} END {exit !(n>=2)}'
}
wait_for 30 values d1/port-lo.rrd
ok $? "rrdtool fetch --daemon d1/port-lo.rrd: values"
wait_for 30 values d2/port-lo.rrd
ok $? "rrdtool fetch --daemon d2/port-lo.rrd: values"
check "netpatrol rrd flush answers" "$NETPATROL" -f "$T/n1.conf" rrd flush

# the web UI draws through rrdcached
IFX=$(snmpget -v2c -c public -Oqv "127.0.0.1:$P1" IF-MIB::ifIndex.1 2>/dev/null || echo 1)
code() { curl -s -o "$T/g.png" -w '%{http_code}' -H "Authorization: Bearer s3cr3t-token-for-the-test" "$@"; }
wait_for 30 sh -c "test \$(curl -s -o '$T/g.png' -w '%{http_code}' -H 'Authorization: Bearer s3cr3t-token-for-the-test' 'http://127.0.0.1:$HPORT/graph?d=d1&i=$IFX&t=bits&p=1d') = 200"
ok $? "n1's web UI draws d1's port graph (200)"
check "... a PNG" sh -c "head -c 8 '$T/g.png' | od -An -c | grep -q 'P   N   G'"

# a report's metrics are read through rrdcached
"$NETPATROL" -f "$T/n1.conf" report findings --period 1h --format json >"$T/rf.json"
check "n1's report has port metrics from the shared files" \
	json "$T/rf.json" "j['metrics']['port_in_bps']['sources'] >= 1 and (j['metrics']['port_in_bps']['max'] or 0) > 0"

# a node started again: its files exist there (rrdcached -O refuses)
stop_pid "$N1"
ok $? "n1 stops"
start_daemon "$T/n1.conf"
N1=$DAEMON_PID
ok $? "n1 starts again"
wait_for 60 sh -c "'$NETPATROL' -f '$T/n1.conf' status --json | python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(not j[\"rrd\"][\"updates\"] >= 4)'"
ok $? "n1 writes again"
check "... with no errors, and nothing created again" \
	st n1 "j['rrd']['errors'] == 0 and j['rrd']['created'] == 0"
check "no rrd warning in the nodes' log" sh -c "! grep -q 'warning: rrd' '$T/daemon.log'"
grep "rrd" "$T/daemon.log" | head -3 | sed 's/^/#   /'

stop_pid "$N1"
ok $? "SIGTERM n1: exit 0"
stop_pid "$N2"
ok $? "SIGTERM n2: exit 0"
done_testing
