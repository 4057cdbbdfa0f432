#!/bin/bash
# control_lockout.sh - clients that lock the control socket (issue 19,
# defect 3): 70 clients ask `status` (an answer of some 600 KB, past the
# socket's buffer) and never read it, then 70 that connect and say
# nothing; a normal `netpatrol status` still answers each time, and the
# daemon lets the stalled ones go (write timeout) rather than keep their
# slots.
. "$(dirname "$0")/lib.sh"
need python3

CONF=$T/netpatrold.conf
{
	echo "state-dir \"$T/state\""
	echo "control \"$T/np.sock\""
	echo "pidfile \"$T/np.pid\""
	# devices on a port where nothing answers: a big status answer
	for i in $(seq 1 1500); do
		printf 'device "device-with-a-long-name-%05d" {\n\taddress 127.0.0.1 port 9\n\tinterval 1h\n}\n' "$i"
	done
} >"$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts with 1,500 devices"
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
check "the status answer is bigger than a socket's buffer" \
	test "$(wc -c <"$T/st.json")" -gt 400000
# the daemon's ends of the control connections (named by the socket's path)
nconns() { grep -c " $T/np.sock\$" /proc/net/unix; }

hold() {  # hold N SEND: N clients connect, send SEND, never read; wait
	python3 - "$T/np.sock" "$1" "$2" "$T/go" <<'PY' &
import os, socket, sys, time
path, n, send, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
socks = []
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(path)
    if send:
        s.sendall(send.encode() + b"\n")
    socks.append(s)
open(go + ".ready", "w").close()
for _ in range(1200):  # until told to go (at most 2 minutes)
    if os.path.exists(go):
        break
    time.sleep(0.1)
PY
	HOLD=$!
	PIDS="$PIDS $HOLD"
	wait_for 30 test -e "$T/go.ready"
}
release() { touch "$T/go"; wait "$HOLD"; rm -f "$T/go" "$T/go.ready"; }

hold 70 status
ok $? "70 clients asked for status and do not read"
timeout 30 "$NETPATROL" -f "$CONF" status >"$T/st.txt" 2>&1
ok $? "netpatrol status still answers ($(head -c 80 "$T/st.txt"))"
# the write timeout: the stalled clients' connections are closed
check "the daemon holds 64 of them at most" test "$(nconns)" -le 65
closed() { [ "$(nconns)" -le 1 ]; }
wait_for 60 closed
ok $? "the daemon closed the stalled clients ($(($(nconns) - 1)) left)"
release

hold 70 ""
ok $? "70 clients connected and say nothing"
timeout 30 "$NETPATROL" -f "$CONF" status >"$T/st.txt" 2>&1
ok $? "netpatrol status still answers"
release
check "the daemon said it closed clients for new ones" \
	grep -q "control: 64 clients: the oldest closed" "$T/daemon.log"
check "the daemon is still running" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
