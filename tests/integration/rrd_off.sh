#!/bin/bash
# rrd_off.sh - `rrd off`: the daemon polls as before and keeps the last
# values in the store, but writes no RRD file (a network whose series
# live in Prometheus, a node whose disk cannot hold a file per port);
# status says rrd.writer "off"; a reload cannot turn the files on (a
# restart does); a word other than on/off is refused at its line.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 200ms
rrd off
device "d" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 1
}
EOF
check "the configuration checks" "$NETPATROLD" -n -f "$CONF"
printf 'state-dir "%s"\n\nrrd of\n' "$T/state" >"$T/bad.conf"
"$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
rc=$?
check "rrd of is refused at its line ($(head -1 "$T/bad.out"))" \
	sh -c "[ $rc != 0 ] && grep -q 'bad.conf:3: rrd: \"on\", \"off\"' '$T/bad.out'"

start_daemon "$CONF"
ok $? "netpatrold starts"
np() { "$NETPATROL" -f "$CONF" "$@"; }
polled() { np status --json | json - "[d['polls'] for d in j['devices'] if d['name'] == 'd'][0] >= 4"; }
wait_for 30 polled
ok $? "d is polled 4 times"
np ports d --json >"$T/p.json"
check "the store has the ports' rates" \
	json "$T/p.json" "any(p['name'] == 'lo' and p.get('in_bps') is not None for p in j)"
np status --json >"$T/st.json"
check "status: rrd.writer off, nothing taken, nothing created" \
	json "$T/st.json" "j['rrd']['writer'] == 'off' and j['rrd']['accepted'] == 0 and j['rrd']['created'] == 0 and j['rrd']['updates'] == 0"
np rrd flush >/dev/null 2>&1
check "no RRD file in the state directory" test -z "$(find "$T/state" -name '*.rrd')"

# a reload cannot turn the files on: the next restart does
sed -i 's/^rrd off$/rrd on/' "$CONF"
np reload >/dev/null
reloaded() { np status --json | json - "j['reloads'] >= 1"; }
wait_for 20 reloaded
ok $? "a reload with rrd on goes through"
np status --json >"$T/st2.json"
check "... the writer stays off until the restart" json "$T/st2.json" "j['rrd']['writer'] == 'off'"
check "... and says so" grep -q "rrd on takes effect at the next restart" "$T/daemon.log"
stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
start_daemon "$CONF"
ok $? "restarted with rrd on"
made() { test -n "$(find "$T/state" -name '*.rrd')"; }
wait_for 30 made
ok $? "the RRD files are made again"
np status --json | json - "j['rrd']['writer'] == 'librrd'"
ok $? "status: rrd.writer librrd"
stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
done_testing
