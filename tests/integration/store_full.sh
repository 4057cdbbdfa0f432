#!/bin/bash
# store_full.sh - a full disk under the store (issue 19, defect 2): the
# state dir on a small tmpfs this test mounts, filled; syslog sent; the
# failed commits are kept and said in the log, "stored" counts only what
# is committed; the disk freed, the kept batches are written: every
# message received is a row, or counted lost. Needs root (mount).
. "$(dirname "$0")/lib.sh"
need python3 sqlite3
[ "$(id -u)" = 0 ] || skip_all "mounting a tmpfs needs root"

mkdir -p "$T/state"
mount -t tmpfs -o size=3m,mode=0755 np-store-full "$T/state" ||
	skip_all "cannot mount a tmpfs"
unmount() { umount -l "$T/state" 2>/dev/null; cleanup; }
trap unmount EXIT

LPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog udp 127.0.0.1 port $LPORT
syslog ratelimit 100000 per 1s
EOC
start_daemon "$CONF"
ok $? "netpatrold starts with its state dir on a 3 MB tmpfs"

status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
send() {  # send FIRST COUNT: numbered messages of 400 bytes
	python3 - "$LPORT" "$1" "$2" <<'PY'
import socket, sys, time
port, first, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(first, first + n):
    s.sendto(b"<13>Mar  1 10:00:00 h app: msg %06d " % i + b"x" * 380,
             ("127.0.0.1", port))
    if i % 100 == 0:
        time.sleep(0.01)
PY
}
received() { status; json "$T/st.json" "j['syslog']['received'] >= $1"; }
rows() { sqlite3 -batch -noheader "file:$T/state/syslog.db?mode=ro" "SELECT count(*) FROM logs"; }

send 0 100
wait_for 30 received 100
ok $? "100 messages received before the disk fills"
store_ok() { status; json "$T/st.json" "j['syslog']['stored'] == 100"; }
wait_for 30 store_ok
ok $? "... and stored"

# fill the disk
dd if=/dev/zero of="$T/state/filler" bs=16k 2>/dev/null
check "the tmpfs is full" sh -c "[ \$(df --output=avail -k '$T/state' | tail -1) -lt 64 ]"
send 100 2000
failed() { status; json "$T/st.json" "j['store']['failed_commits'] >= 1"; }
wait_for 60 failed
ok $? "the store counts failed commits"
check "the failure is said in the log" grep -q "store: cannot write" "$T/daemon.log"
wait_for 30 received 1800
status
check "\"stored\" counts only what is committed (not all that was received)" \
	json "$T/st.json" "j['syslog']['stored'] < j['syslog']['received'] and j['store']['retry_waiting'] > 0"
check "the CLI still answers" "$NETPATROL" -f "$CONF" status

# free the disk: what was kept is written
rm -f "$T/state/filler"
settled() {
	status
	json "$T/st.json" "(s := j['syslog']) and s['stored'] + s['store_lost'] + s['dropped'] + s['rate_limited'] == s['received'] and j['store']['retry_waiting'] == 0"
}
wait_for 120 settled
ok $? "after the disk is freed: every message received is stored or counted lost"
status
R=$(rows)
S=$(json "$T/st.json" "j['syslog']['stored']")
ok $(( R == S ? 0 : 1 )) "the rows are what \"stored\" says ($R rows, $S stored)"
check "nothing is lost with a queue this size" \
	json "$T/st.json" "j['syslog']['store_lost'] == 0 and j['store']['lost'] == 0 and j['syslog']['stored'] == j['syslog']['received']"
check "the recovery is said in the log" grep -q "store: writing again after" "$T/daemon.log"
check "integrity_check ok" sh -c "[ \"\$(sqlite3 '$T/state/netpatrol.db' 'PRAGMA integrity_check')\" = ok ] && [ \"\$(sqlite3 '$T/state/syslog.db' 'PRAGMA integrity_check')\" = ok ]"
check "the daemon is still running" kill -0 "$DAEMON_PID"

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
