#!/bin/bash
# inspect_busy.sh - an inspection that asks for fresh data while the
# device's poll is under way: that poll began before the asking, so the
# inspection waits for the next one, which follows at once, and reports
# the device as answering (not "no answer to the inspection's poll").
# The agent (a real snmpd) is behind a proxy that delays every reply, so
# that a poll lasts longer than the interval: always under way.
. "$(dirname "$0")/lib.sh"
need snmpd python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
ok 0 "snmpd answers on 127.0.0.1:$PORT"
PPORT=$(port_pick)
python3 - "$PPORT" "$PORT" <<'PY' &
# a UDP proxy on 127.0.0.1: each reply 0.3 s late
import socket, sys, threading, time
lport, aport = int(sys.argv[1]), int(sys.argv[2])
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", lport))
def relay(data, peer):
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.settimeout(5)
    back.sendto(data, ("127.0.0.1", aport))
    try:
        reply = back.recv(65536)
    except OSError:
        return
    time.sleep(0.3)
    front.sendto(reply, peer)
while True:
    data, peer = front.recvfrom(65536)
    threading.Thread(target=relay, args=(data, peer), daemon=True).start()
PY
PIDS="$PIDS $!"
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
device "busy" {
	address 127.0.0.1 port $PPORT
	snmp v2c community "public"
	interval 1
	timeout 3 retries 0
}
plan "now" {
	on demand
	devices "busy"
	check ports
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 60 polls_at_least "$CONF" busy 1
ok $? "busy: polled (each reply 0.3 s late)"
polling() { "$NETPATROL" -f "$CONF" status --json | json - "[d for d in j['devices'] if d['name']=='busy'][0]['state'] == 'polling'"; }
wait_for 30 polling
ok $? "a poll of busy is under way"
"$NETPATROL" -f "$CONF" inspect now --format json >"$T/r.json"
ok $? "netpatrol inspect now"
check "the inspection's poll is the one after the poll under way: answered" \
	json "$T/r.json" "[(f['device'], f['poll']) for f in j['coverage']['fresh']] == [('busy', 'answered')]"
check "the ports check is done" json "$T/r.json" "j['coverage']['checks_done'] == 1 and j['coverage']['skipped'] == []"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
