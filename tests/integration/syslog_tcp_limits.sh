#!/bin/bash
# syslog_tcp_limits.sh - TCP syslog's limits (issue 19, defect 4): with
# max-connections taken by idle connections, a new sender gets in (the
# oldest idle one is closed) instead of being refused; a sender that
# opens a connection per message, in a burst, loses none to its
# per-sender cap (connections its peer closed are taken at once); TCP is
# never dropped for rate (the connection is not read until the window
# ends), UDP still is; and a relay's messages go to their devices by
# hostname.
. "$(dirname "$0")/lib.sh"
need python3

PORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog tcp 127.0.0.1 port $PORT
listen syslog udp 127.0.0.1 port $PORT
syslog max-connections 12 per-sender 4
syslog idle-timeout 300s
syslog ratelimit 20 per 2s
device "dev-a" {
	address 127.0.0.21 port 9
	interval 1h
}
device "dev-b" {
	address 127.0.0.22 port 9
	interval 1h
}
EOC
start_daemon "$CONF"
ok $? "netpatrold starts"

status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
tcp() { status; json "$T/st.json" "[l for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]$1"; }
sender() { status; json "$T/st.json" "[s for s in j['syslog']['senders'] if s['address']=='$1'][0]$2"; }
logs() { "$NETPATROL" -f "$CONF" logs --json --limit 0; }
stored_from() { logs | json - "len([m for m in j if m['sender']=='$1']) >= $2"; }
py() { python3 - "$PORT" "$@"; }

# 12 idle connections from three addresses fill max-connections
py "$T/idle.go" <<'PY' &
import os, socket, sys, time
port, go = int(sys.argv[1]), sys.argv[2]
socks = []
for a in ("127.0.0.30", "127.0.0.31", "127.0.0.32"):
    for i in range(4):
        s = socket.socket(); s.bind((a, 0)); s.connect(("127.0.0.1", port))
        socks.append(s)
open(go + ".ready", "w").close()
for _ in range(1200):
    if os.path.exists(go): break
    time.sleep(0.1)
PY
IDLE=$!
PIDS="$PIDS $IDLE"
wait_for 30 test -e "$T/idle.go.ready"
wait_for 30 tcp "['open']==12"
ok $? "12 idle connections fill max-connections"
py <<'PY'
import socket, sys
s = socket.socket(); s.bind(("127.0.0.40", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"<13>Mar  1 10:00:00 newcomer app: let me in\n"); s.close()
PY
wait_for 30 stored_from 127.0.0.40 1
ok $? "a new sender gets in while they are open"
status
check "evicted counted, none refused" json "$T/st.json" "(l := [l for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]) and l['evicted']>=1 and l['refused']==0"
touch "$T/idle.go"; wait "$IDLE"
wait_for 30 tcp "['open']==0"
ok $? "the idle connections are gone"

# a connection per message, 30 in a burst, per-sender cap 4
py <<'PY'
import socket, sys
for i in range(30):
    s = socket.socket(); s.bind(("127.0.0.50", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"<13>Mar  1 10:00:00 burst app: message %d\n" % i); s.close()
PY
wait_for 30 stored_from 127.0.0.50 30
ok $? "a sender with a connection per message: all 30 stored"
check "none refused for the per-sender cap" json - "[l for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]['refused']==0" < <(status; cat "$T/st.json")

# TCP over its rate waits, UDP over its rate is dropped
py <<'PY'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(); s.bind(("127.0.0.60", 0)); s.connect(("127.0.0.1", port))
for i in range(100):
    s.sendall(b"<13>Mar  1 10:00:00 fast app: tcp %d\n" % i)
s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.61", 0))
for i in range(100):
    u.sendto(b"<13>Mar  1 10:00:00 fast app: udp %d" % i, ("127.0.0.1", port))
PY
wait_for 90 stored_from 127.0.0.60 100
ok $? "TCP over its rate (20 per 2 s): all 100 stored"
status
check "... none rate-limited, the connection waited" \
	json "$T/st.json" "[s['rate_limited'] for s in j['syslog']['senders'] if s['address']=='127.0.0.60'][0]==0 and [l for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]['rate_waits']>=1"
check "UDP over its rate: 20 stored, 80 rate-limited" \
	json "$T/st.json" "[(s['received'],s['rate_limited']) for s in j['syslog']['senders'] if s['address']=='127.0.0.61'][0]==(100,80)"

# a relay: one sender, messages of two devices by hostname
py <<'PY'
import socket, sys
s = socket.socket(); s.bind(("127.0.0.70", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
for h in ("dev-a", "dev-b", "dev-a.example.net"):
    s.sendall(b"<13>Mar  1 10:00:00 %s app: relayed\n" % h.encode())
s.close()
PY
wait_for 30 stored_from 127.0.0.70 3
ok $? "the relay's three messages are stored"
logs >"$T/l.json"
check "each on its device by hostname" \
	json "$T/l.json" "sorted(m['device'] for m in j if m['sender']=='127.0.0.70')==['dev-a','dev-a','dev-b']"
check "the daemon is still running" kill -0 "$DAEMON_PID"
done_testing
