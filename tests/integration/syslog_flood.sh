#!/bin/bash
# syslog_flood.sh - the syslog receiver against bad input and floods:
# binary garbage, NUL bytes, invalid UTF-8 and oversized datagrams are
# stored with clear counters; TCP frames with a lying octet count close
# their connection only; a frame never finished and an idle connection
# time out; a flood of connections meets the limits (in all: the idle
# longest is closed for a new one; per sender: refused) while another
# sender still gets in; a sender over its rate is
# limited (one event, counted) while another is not; retention by rows.
# The daemon stays up throughout.
. "$(dirname "$0")/lib.sh"
need python3 sqlite3 logger

LPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog udp 127.0.0.1 port $LPORT
listen syslog tcp 127.0.0.1 port $LPORT
syslog ratelimit 50 per 3s
syslog max-connections 12 per-sender 4
syslog idle-timeout 3s
syslog frame-timeout 2s
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"

status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
logs() { "$NETPATROL" -f "$CONF" logs --json --limit 0 "$@"; }
nlogs() { logs | json - "len(j) >= $1"; }
DB=$T/state/netpatrol.db
py() { python3 - "$LPORT" "$@"; }

# bad bytes over UDP, from 127.0.0.2
py <<'PY'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", 0))
for m in [bytes(range(256)),                       # binary garbage
          b"<13>Mar  1 10:00:00 h app: nul\x00inside",  # a NUL byte
          b"<13>Mar  1 10:00:00 h app: bad utf8 \xff\xfe\xc3",
          b"<13>Mar  1 10:00:00 h app: " + b"x" * 9000,  # over 8 KiB
          b"",                                      # empty
          b"<999>not a pri"]:
    s.sendto(m, ("127.0.0.1", port))
PY
wait_for 20 nlogs 6
ok $? "six bad datagrams are all stored"
logs >"$T/l.json"
check "garbage is kept whole: raw length 256, text escaped, no header" \
	json "$T/l.json" "j[0]['len']==256 and '#000' in j[0]['text'] and j[0]['facility']=='user'"
check "a NUL byte is escaped as #000 in the text" \
	json "$T/l.json" "j[1]['text']=='nul#000inside'"
check "invalid UTF-8 becomes U+FFFD in the text, raw keeps the bytes" \
	json "$T/l.json" "'\ufffd' in j[2]['text'] and j[2]['problems'] & 0x400"
check "a 9027-byte datagram is cut at 8192, its length kept" \
	json "$T/l.json" "j[3]['len']==9027 and len(j[3]['raw'])==8192 and j[3]['problems'] & 0x100"
status
check "counters: malformed, truncated, NUL and UTF-8 problems" \
	json "$T/st.json" "j['syslog']['malformed']>=1 and j['syslog']['truncated']==1 and j['syslog']['problems']['NUL bytes']>=1 and j['syslog']['problems']['invalid UTF-8']>=1"

# TCP: a lying octet count closes that connection, not the others
py <<'PY' >"$T/tcp.out"
import socket, sys, time
port = int(sys.argv[1])
good = socket.create_connection(("127.0.0.1", port))
good.sendall(b"12 <13>good one")
bad = socket.create_connection(("127.0.0.1", port))
bad.sendall(b"99999999 <13>lies")
bad.settimeout(5)
try:
    closed = bad.recv(1) == b""
except ConnectionResetError:
    closed = True
print("bad closed" if closed else "bad open")
big = socket.create_connection(("127.0.0.1", port))
body = b"<13>big " + b"y" * 10000
big.sendall(b"%d %s" % (len(body), body) + b"9 <13>after")
good.sendall(b"12 <13>good two")
time.sleep(0.5)
PY
check "a lying octet count: that connection is closed" grep -q "bad closed" "$T/tcp.out"
wait_for 20 nlogs 10
logs >"$T/l.json"
check "the other connection goes on" \
	json "$T/l.json" "[m['text'] for m in j if m['text'].startswith('good')]==['good one','good two']"
check "a 10008-byte frame is cut, and the next frame read whole" \
	json "$T/l.json" "[m['len'] for m in j if m['text'].startswith('big')]==[10008] and any(m['text']=='after' for m in j)"
status
check "bad_frames counted on the TCP listener" \
	json "$T/st.json" "[l['bad_frames'] for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]==1"

# a frame never finished, and a silent connection: both time out
py <<'PY' >"$T/slow.out"
import socket, sys, time
port = int(sys.argv[1])
part = socket.create_connection(("127.0.0.1", port))
part.sendall(b"50 <13>only part")
idle = socket.create_connection(("127.0.0.1", port))
t0 = time.time()
for s, what in ((part, "partial"), (idle, "idle")):
    s.settimeout(10)
    try:
        r = s.recv(1)
    except ConnectionResetError:
        r = b""
    print(what, "closed" if r == b"" else "open", "after %.1f s" % (time.time() - t0))
PY
check "a frame not finished in frame-timeout (2 s): closed" grep -q "partial closed" "$T/slow.out"
check "a connection idle for idle-timeout (3 s): closed" grep -q "idle closed" "$T/slow.out"
status
check "both counted as timeouts" \
	json "$T/st.json" "[l['timeouts'] for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]==2 and j['syslog']['connections']==0"

# a flood of connections: 4 per sender, 12 in all; others still get in
py <<'PY' >"$T/conn.out"
import socket, sys, time
port = int(sys.argv[1])
def conn(src):
    s = socket.socket()
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s
def alive(s):
    s.setblocking(False)
    try:
        return s.recv(1) != b""
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False
one = [conn("127.0.0.5") for _ in range(8)]
time.sleep(0.5)
print("one-sender alive", sum(alive(s) for s in one))
many = [conn("127.0.1.%d" % i) for i in range(1, 21)]
time.sleep(0.5)
print("many alive", sum(alive(s) for s in many))
for s in one + many:
    s.close()
time.sleep(0.5)
late = conn("127.0.0.6")
late.sendall(b"<13>late but in\n")
late.close()
PY
check "one sender: 4 connections of 8 kept" grep -q "one-sender alive 4" "$T/conn.out"
check "all senders: 12 in all, the idle longest closed for new ones: 12 of 20 more kept" grep -q "many alive 12" "$T/conn.out"
wait_for 20 nlogs 12
check "after the flood another sender gets in" \
	json - "any(m['text']=='late but in' and m['sender']=='127.0.0.6' for m in j)" < <(logs)
status
check "refused connections counted (the per-sender cap), and evicted ones" \
	json "$T/st.json" "[(l['refused'],l['evicted']) for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]==(4,12)"

# a sender over its rate (50 per 3 s) is limited; another is not
py <<'PY'
import socket, sys
port = int(sys.argv[1])
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.7", 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.8", 0))
for i in range(200):
    a.sendto(b"<13>flood %d" % i, ("127.0.0.1", port))
    if i % 20 == 0:
        b.sendto(b"<13>calm %d" % i, ("127.0.0.1", port))
PY
limited() { status; json "$T/st.json" "[s['rate_limited'] for s in j['syslog']['senders'] if s['address']=='127.0.0.7'][0]==150"; }
wait_for 20 limited
ok $? "127.0.0.7: 50 stored, 150 rate-limited"
# ("stored" is counted when the store commits them)
calm() { status; json "$T/st.json" "[(s['received'],s['stored'],s['rate_limited']) for s in j['syslog']['senders'] if s['address']=='127.0.0.8'][0]==(10,10,0)"; }
wait_for 20 calm
ok $? "127.0.0.8 at the same time: all 10 stored"
rl_event() { "$NETPATROL" -f "$CONF" events --json --kind syslog.rate_limit >"$T/e.json" && json "$T/e.json" "len(j) >= 1"; }
wait_for 20 rl_event   # the store writes in batches
check "one syslog.rate_limit event for the flooding sender" \
	json "$T/e.json" "[(e['kind'],e['device']) for e in j]==[('syslog.rate_limit','127.0.0.7')]"
calmed() { "$NETPATROL" -f "$CONF" events --json --kind syslog.rate_limit_end | json - "len(j)==1 and '150' in j[0]['text']"; }
wait_for 20 calmed
ok $? "when it calms: syslog.rate_limit_end with the count dropped"

# retention by rows: applied at reload (and every minute)
LDB=$T/state/syslog.db
N=$(sq "$LDB" "select count(*) from logs")
check "more than 20 messages stored so far ($N)" test "$N" -gt 20
echo "syslog max-rows 20" >>"$CONF"
kill -HUP "$DAEMON_PID"
pruned() { test "$(sq "$LDB" "select count(*) from logs")" -le 20; }
wait_for 20 pruned
ok $? "max-rows 20: the oldest go, 20 stay"
check "the newest stayed" test "$(sq "$LDB" "select max(id) from logs")" -ge "$N"

check "the daemon is still up" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
