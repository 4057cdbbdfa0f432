#!/bin/bash
# syslog_burst.sh - a burst after a quiet spell is written at once, not
# after the store's batch window: with the window at a minute, 20,000
# messages (6 MB) over TCP are stored well within it (the writer wakes
# once 2 MB wait; before, it idled the window out while the queue filled
# to its budget, pausing TCP senders and dropping UDP datagrams). Then
# the tail, below the mark, is written when the daemon stops: nothing is
# lost.
. "$(dirname "$0")/lib.sh"
need python3

LPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 60s
listen syslog tcp 127.0.0.1 port $LPORT
syslog ratelimit off
EOF
start_daemon "$CONF"
ok $? "netpatrold starts (store batch-window 60s)"

stored_at_least() {
	"$NETPATROL" -f "$CONF" status --json | json - "j['syslog']['stored'] >= $1"
}
python3 - "$LPORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
pad = "x" * 240
out = []
for i in range(20000):
    m = ("<134>Dec  7 10:00:00 sw1 app[1]: burst %05d %s" % (i, pad)).encode()
    out.append(b"%d " % len(m) + m)
s.sendall(b"".join(out))
s.close()
PY
ok $? "20,000 messages sent over one connection"
wait_for 30 stored_at_least 10000
ok $? "half of them are stored within 30 s, inside the 60 s window"
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
diag "stored $(json "$T/st.json" "j['syslog']['stored']") of received $(json "$T/st.json" "j['syslog']['received']")"
check "none dropped" json "$T/st.json" "j['syslog']['dropped'] == 0"
stop_pid "$DAEMON_PID"
ok $? "the daemon stops cleanly"
if [ "${NP_TEST_STORE:-}" != postgresql ]; then
	n=$(sq "$T/state/syslog.db" "select count(*) from logs")
	ok $((n != 20000)) "all 20,000 are in syslog.db after the stop ($n)"
fi
done_testing
