#!/bin/bash
# store_busy.sh - another process holds the write lock of the syslog
# messages' database (syslog.db; issue 19, faults 2): a python sqlite3 client takes BEGIN IMMEDIATE and keeps it
# until the test removes it, while syslog messages arrive. The daemon
# keeps receiving, answers the CLI, counts the failed commits (the busy
# timeout) and keeps the batches; once the lock is released every message
# received is stored: the rows are what "received" says, none lost.
. "$(dirname "$0")/lib.sh"
need python3 sqlite3

LPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog udp 127.0.0.1 port $LPORT
syslog ratelimit off
EOC
start_daemon "$CONF"
ok $? "netpatrold starts"
DB=$T/state/syslog.db

status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
send() {  # send FIRST COUNT: numbered messages, paced
	python3 - "$LPORT" "$1" "$2" <<'PY'
import socket, sys, time
port, first, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(first, first + n):
    s.sendto(b"<13>Mar  1 10:00:00 h app: busy %06d" % i, ("127.0.0.1", port))
    if i % 50 == 0:
        time.sleep(0.02)
PY
}
stored() { status; json "$T/st.json" "j['syslog']['stored'] >= $1"; }
rows() { sqlite3 -batch -noheader "file:$DB?mode=ro" "select count(*) from logs"; }

send 0 100
wait_for 30 stored 100
ok $? "100 messages stored before the lock"

# the lock: BEGIN IMMEDIATE until $T/release exists (at most 3 minutes)
python3 - "$DB" "$T/locked" "$T/release" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
for _ in range(1800):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.1)
db.execute("ROLLBACK")
db.close()
PY
LOCKER=$!
PIDS="$PIDS $LOCKER"
wait_for 30 test -e "$T/locked"
ok $? "another process holds the store's write lock"

send 100 500
received() { status; json "$T/st.json" "j['syslog']['received'] >= 600"; }
wait_for 30 received
ok $? "the daemon keeps receiving while the store is locked"
failed() { status; json "$T/st.json" "j['store']['failed_commits'] >= 1"; }
wait_for 90 failed
ok $? "the failed commits are counted (store.failed_commits)"
status
check "\"stored\" counts what is committed: not what waits" \
	json "$T/st.json" "j['syslog']['stored'] < j['syslog']['received'] and j['store']['retry_waiting'] > 0"
check "the CLI still answers status" "$NETPATROL" -f "$CONF" status
check "and reads the store (logs)" "$NETPATROL" -f "$CONF" logs --limit 5
check "the failure is said in the log" grep -q "store: cannot write (database is locked)" "$T/daemon.log"
send 600 200
wait_for 30 sh -c "'$NETPATROL' -f '$CONF' status --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"syslog\"][\"received\"] < 800)'"
ok $? "messages go on being received (800)"
n=$(grep -c "store: cannot write" "$T/daemon.log")
ok $([ "$n" -le 3 ]; echo $?) "the failure is logged a few times, not per retry ($n lines)"

touch "$T/release"
wait "$LOCKER"
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$LOCKER" | tr '\n' ' ')
settled() {
	status
	json "$T/st.json" "j['syslog']['stored'] == j['syslog']['received'] == 800 and j['store']['retry_waiting'] == 0"
}
wait_for 90 settled
ok $? "the lock released: every message received is stored (800)"
R=$(rows)
ok $((R == 800 ? 0 : 1)) "800 rows in the store ($R)"
status
check "none lost or dropped" \
	json "$T/st.json" "j['store']['lost'] == 0 and j['syslog']['store_lost'] == 0 and j['syslog']['dropped'] == 0"
check "each message once" test "$(sqlite3 -batch -noheader "$DB" "select count(distinct raw) from logs")" = 800
check "the recovery is said in the log" grep -q "store: writing again after" "$T/daemon.log"
check "integrity_check ok" test "$(sqlite3 -batch -noheader "$DB" 'pragma integrity_check')" = ok
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
