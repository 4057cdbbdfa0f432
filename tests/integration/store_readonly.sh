#!/bin/bash
# store_readonly.sh - the state dir read-only (issue 19, faults 4), on a
# tmpfs this test mounts and remounts read-only (root does not mind
# modes: CI runs as root): the daemon does not start, with a clear error
# that names the state dir, whether the store is new or already there;
# writable again, it starts and has every row written before. (Going
# read-only under a running daemon is not possible this way: the kernel
# refuses to remount read-only a file system with the store open for
# writing, EBUSY; the test checks that too.) Needs root (mount).
. "$(dirname "$0")/lib.sh"
need python3 sqlite3
[ "$(id -u)" = 0 ] || skip_all "mounting a tmpfs needs root"

mkdir -p "$T/state"
mount -t tmpfs -o size=16m,mode=0755 np-store-ro "$T/state" ||
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
syslog ratelimit off
EOC
DB=$T/state/netpatrol.db

starts_not() {  # starts_not WHAT: the daemon exits non-zero, its error in $T/ro.log
	timeout 60 "$NETPATROLD" -d -f "$CONF" >"$T/ro.log" 2>&1
	rc=$?
	ok $([ $rc -ne 0 ] && [ $rc -ne 124 ]; echo $?) "$1: the daemon does not start (exit $rc)"
	sed 's/^/#   /' "$T/ro.log" | tail -3
	check "$1: the error names the state dir and says read-only" \
		grep -q "state-dir $T/state: Read-only file system" "$T/ro.log"
	check "$1: no control socket left behind" test ! -e "$T/np.sock"
}

# a new store on a read-only state dir
mount -o remount,ro "$T/state"
ok $? "the state dir's file system is read-only"
starts_not "an empty read-only state dir"

# a store with rows, the daemon stopped, then read-only
mount -o remount,rw "$T/state"
start_daemon "$CONF"
ok $? "writable: netpatrold starts"
python3 - "$LPORT" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):
    s.sendto(b"<13>Mar  1 10:00:00 h app: ro %04d" % i, ("127.0.0.1", int(sys.argv[1])))
    if i % 50 == 0:
        time.sleep(0.02)
PY
LDB=$T/state/syslog.db
rows() { sqlite3 -batch -noheader "file:$LDB?mode=ro" "select count(*) from logs"; }
stored() { [ "$(rows)" = 200 ]; }
wait_for 30 stored
ok $? "200 messages stored"
! mount -o remount,ro "$T/state" 2>"$T/remount.err"
ok $? "the kernel refuses to remount it read-only under the running daemon ($(cat "$T/remount.err"))"
check "the daemon is still running and answers" "$NETPATROL" -f "$CONF" status
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
mount -o remount,ro "$T/state"
ok $? "read-only with the store in it"
starts_not "a read-only state dir with a store"
# (sqlite reads a WAL store on a read-only file system only as immutable)
check "the store is untouched: 200 rows, integrity_check ok" \
	test "$(sqlite3 -batch -noheader "file:$LDB?immutable=1" 'select count(*) from logs; pragma integrity_check' | tr '\n' :)" = "200:ok:"

mount -o remount,rw "$T/state"
start_daemon "$CONF"
ok $? "writable again: netpatrold starts"
check "the 200 rows are there" test "$(rows)" = 200
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
