#!/bin/bash
# hostile_inputs.sh - what a hostile network sends (issue 19, faults): a
# thousand idle TCP syslog connections from 40 addresses (the listener
# stays bounded, a new sender still gets in, the oldest idle ones are
# closed), a 10 MB syslog line over TCP (cut and counted, the memory
# bounded, the connection's next message and other senders unharmed), and
# random bytes on every port the daemon opens (syslog UDP and TCP, traps,
# HTTP, the control socket): counted, never fatal; after all of it, a
# plain message and a plain trap are still taken. Everything on 127.0.0.1
# and its loopback neighbours.
. "$(dirname "$0")/lib.sh"
need python3 snmptrap curl

PORT=$(port_pick)
TPORT=$(port_pick)
HPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog tcp 127.0.0.1 port $PORT
listen syslog udp 127.0.0.1 port $PORT
listen trap udp 127.0.0.1 port $TPORT
trap community "public"
syslog ratelimit off
http {
	listen 127.0.0.1 port $HPORT
	token "t" role viewer secret "hostile-inputs-test-token-0123"
}
EOC
start_daemon "$CONF"
ok $? "netpatrold starts"
status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
tcp() { status && json "$T/st.json" "[l for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]$1"; }
rows() { sqlite3 -batch -noheader "file:$T/state/syslog.db?mode=ro" "select count(*) from logs where cast(raw as text) like '%$1%'"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status"; }

# --- 1,000 idle connections from 40 addresses, held by a helper ---
python3 - "$PORT" "$T/idle.ready" <<'PY' &
import socket, sys, time
port, ready = int(sys.argv[1]), sys.argv[2]
socks = []
for a in range(40):
    for k in range(25):
        s = socket.socket()
        s.bind((f"127.0.0.{10 + a}", 0))
        s.connect(("127.0.0.1", port))
        socks.append(s)
open(ready, "w").write(str(len(socks)))
time.sleep(600)
PY
IDLE_PID=$!
PIDS="$PIDS $IDLE_PID"
wait_for 60 test -s "$T/idle.ready"
ok $? "1,000 idle connections from 40 addresses are open ($(cat "$T/idle.ready" 2>/dev/null))"
R0=$(rss)
python3 - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.60", 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"<13>Mar  1 10:00:00 h app: newcomer-after-idle\n")
s.close()
PY
wait_for 30 sh -c "[ \"\$(sqlite3 -batch -noheader 'file:$T/state/syslog.db?mode=ro' \"select count(*) from logs where cast(raw as text) like '%newcomer-after-idle%'\")\" = 1 ]"
ok $? "a new sender still gets in and is stored"
check "the listener stays within max-connections (1000)" tcp "['open'] <= 1000"
check "the oldest idle connection was closed for it (evicted)" tcp "['evicted'] >= 1"
kill "$IDLE_PID" 2>/dev/null
wait "$IDLE_PID" 2>/dev/null

# --- a 10 MB line over TCP, then a message on the same connection ---
python3 - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.connect(("127.0.0.1", int(sys.argv[1])))
s.settimeout(60)
try:
    s.sendall(b"<13>Mar  1 10:00:00 h app: huge-line " + b"x" * (10 << 20) + b"\n")
    s.sendall(b"<13>Mar  1 10:00:00 h app: after-the-huge-line\n")
except OSError:
    pass  # (the daemon may close a connection that sends too much)
s.close()
s = socket.socket()
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"<13>Mar  1 10:00:00 h app: another-sender-after-huge\n")
s.close()
PY
wait_for 30 sh -c "[ \"\$(sqlite3 -batch -noheader 'file:$T/state/syslog.db?mode=ro' \"select count(*) from logs where cast(raw as text) like '%another-sender-after-huge%'\")\" = 1 ]"
ok $? "another sender's message after the 10 MB line is stored"
check "the huge line is cut or refused and counted" \
	tcp "['truncated'] >= 1"
check "nothing stored holds the 10 MB: every row under 1 MB" \
	test "$(sqlite3 -batch -noheader "file:$T/state/syslog.db?mode=ro" 'select coalesce(max(length(raw)), 0) < 1048576 from logs')" = 1
R1=$(rss)
ok $(( R1 < R0 + 65536 ? 0 : 1 )) "the daemon's memory stays bounded (RSS ${R0} kB -> ${R1} kB)"

# --- random bytes on every port ---
python3 - "$PORT" "$TPORT" "$HPORT" "$T/np.sock" <<'PY'
import os, random, socket, sys
port, tport, hport, sock = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(20261206)
def blob(n): return rnd.randbytes(n)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(500):
    u.sendto(blob(rnd.randrange(1, 1400)), ("127.0.0.1", port))
    u.sendto(blob(rnd.randrange(1, 1400)), ("127.0.0.1", tport))
u.sendto(blob(65000), ("127.0.0.1", port))
u.sendto(blob(65000), ("127.0.0.1", tport))
# the largest datagram there is, and empty ones (the trap reader's
# recvmmsg buffers: read whole, or nothing)
u.sendto(blob(65507), ("127.0.0.1", tport))
for i in range(50):
    u.sendto(b"", ("127.0.0.1", tport))
def stream(family, target, most):
    # a connection's worth of random bytes, then read what comes back
    for i in range(20):
        s = socket.socket(family)
        s.settimeout(10)
        s.connect(target)
        try:
            s.sendall(blob(rnd.randrange(1, most)))
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        except OSError:
            pass
        s.close()
stream(socket.AF_INET, ("127.0.0.1", port), 200000)
stream(socket.AF_INET, ("127.0.0.1", hport), 200000)
stream(socket.AF_UNIX, sock, 100000)
PY
ok $? "random bytes sent to syslog UDP and TCP, traps, HTTP and the control socket"
check "the daemon is still running" kill -0 "$DAEMON_PID"
check "it answers on the control socket" "$NETPATROL" -f "$CONF" status
status
check "the trap receiver counted the random datagrams as malformed" \
	json "$T/st.json" "j['traps']['malformed'] >= 450"
check "the web server still answers" \
	test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer hostile-inputs-test-token-0123' "http://127.0.0.1:$HPORT/api/v1/findings")" = 200
logger --tcp -n 127.0.0.1 -P "$PORT" --rfc3164 "plain-message-after-noise" 2>/dev/null ||
	python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$PORT)); s.sendall(b'<13>Mar  1 10:00:00 h app: plain-message-after-noise\n')"
wait_for 30 sh -c "[ \"\$(sqlite3 -batch -noheader 'file:$T/state/syslog.db?mode=ro' \"select count(*) from logs where cast(raw as text) like '%plain-message-after-noise%'\")\" -ge 1 ]"
ok $? "a plain message is still stored"
T0=$(json "$T/st.json" "j['traps']['received']")
snmptrap -v 2c -c public "127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.3 >/dev/null 2>&1
trapped() { status && json "$T/st.json" "j['traps']['received'] > $T0"; }
wait_for 30 trapped
ok $? "a plain trap is still received"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
