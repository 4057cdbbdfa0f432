#!/bin/bash
# reload_devices.sh - the poller keeps no copy of a device's configuration
# (24 KB each): it points at the running configuration's, and a reload
# points it at the new one's before the old is freed. A device removed
# while its poll is under way (an agent that never answers) keeps a copy
# of its own until the poll ends; a device kept, changed or not, is polled
# on with the new settings; one added is polled. Run under the sanitizers,
# a pointer left at the old configuration is a use after free.
. "$(dirname "$0")/lib.sh"
need snmpd python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
ok 0 "snmpd answers on 127.0.0.1:$PORT"
# an agent that reads requests and never answers: a poll of it lasts
# its timeout and retries
DEAD=$(port_pick)
python3 - "$DEAD" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    s.recv(65536)
PY
PIDS="$PIDS $!"

CONF=$T/netpatrold.conf
write_conf() {  # write_conf WITH-SILENT LOCATION-OF-kept EXTRA-DEVICE
	{
		cat <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 200ms
device "kept" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
	location "$2"
}
EOF
		[ "$1" = yes ] && cat <<EOF
device "silent" {
	address 127.0.0.1 port $DEAD
	snmp v2c community "public"
	interval 1
	timeout 5 retries 1
}
EOF
		[ -n "$3" ] && cat <<EOF
device "$3" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
}
EOF
	} >"$CONF"
}
write_conf yes "room 1" ""
start_daemon "$CONF"
ok $? "netpatrold starts"

dev() {  # dev NAME EXPR: a check on the device's status object d
	"$NETPATROL" -f "$CONF" status --json | json - \
		"(lambda d: $2)([d for d in j['devices'] if d['name']=='$1'][0])"
}
wait_for 30 polls_at_least "$CONF" kept 2
ok $? "kept: polled"
wait_for 30 dev silent "d['state'] == 'polling' and d['requests'] >= 1"
ok $? "silent: a poll under way (its agent does not answer)"

# a reload while it polls: silent removed, kept changed, fresh added
write_conf no "room 2" fresh
kill -HUP "$DAEMON_PID"
reloaded() { "$NETPATROL" -f "$CONF" status --json | json - "j['reloads'] == 1"; }
wait_for 30 reloaded
ok $? "reloaded while silent's poll was under way"
check "silent's removal is said" grep -q "silent: removed from the configuration" "$T/daemon.log"
# its poll ends (timeout 5 s, a retry) with the configuration it had
gone() { "$NETPATROL" -f "$CONF" status --json | json - "'silent' not in [d['name'] for d in j['devices']]"; }
wait_for 60 gone
ok $? "silent is gone once its poll ended"
check "the daemon is still running" kill -0 "$DAEMON_PID"
n=$("$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='kept'][0]['polls']")
wait_for 30 polls_at_least "$CONF" kept $((n + 2))
ok $? "kept: polled on after the reload"
located() {  # located ROOM: kept's location in the store is ROOM
	"$NETPATROL" -f "$CONF" devices --json | json - "[d for d in j if d['name']=='kept'][0]['location'] == '$1'"
}
wait_for 30 located "room 2"
ok $? "kept: with its new settings"
wait_for 30 polls_at_least "$CONF" fresh 2
ok $? "fresh: added and polled"
# (silent's poll ended after the reload retired it: its row stays so)
configured() { "$NETPATROL" -f "$CONF" devices --json | json - "sorted(d['name'] for d in j if d['configured']) == ['fresh', 'kept']"; }
wait_for 30 configured
ok $? "devices --json: the configured ones are fresh and kept, silent retired"

# more reloads, one unchanged: the devices are found by name each time
for i in 2 3; do
	[ $i = 3 ] && write_conf no "room 3" fresh
	kill -HUP "$DAEMON_PID"
	rl() { "$NETPATROL" -f "$CONF" status --json | json - "j['reloads'] == $i"; }
	wait_for 30 rl
	ok $? "reload $i"
done
wait_for 30 located "room 3"
ok $? "kept: the settings of the last"
n=$("$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='fresh'][0]['polls']")
wait_for 30 polls_at_least "$CONF" fresh $((n + 2))
ok $? "fresh: still polled"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
