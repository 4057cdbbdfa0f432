#!/bin/bash
# store_rofail.sh - the state dir going read-only under the running daemon
# (issue 19, faults): the kernel refuses a plain remount read-only while
# the store is open for writing (store_readonly.sh checks that), but a
# file system error does it anyway: ext4 mounted errors=remount-ro turns
# read-only at once, files open or not. The test makes one on a loop
# device and triggers the error through sysfs (trigger_fs_error). The
# daemon keeps running and answering, counts the failed commits, says them
# in the log, counts "stored" only for what was committed, and on SIGTERM
# says what it could not write; the file system checked and mounted again,
# every row committed before the error is there. Needs root (mount, loop).
. "$(dirname "$0")/lib.sh"
need python3 sqlite3 losetup mkfs.ext4 e2fsck
[ "$(id -u)" = 0 ] || skip_all "a loop device needs root"

IMG=$T/state.img
truncate -s 64M "$IMG" && mkfs.ext4 -q -F "$IMG" 2>/dev/null ||
	skip_all "cannot make an ext4 image"
mkdir -p "$T/state"
mount -o loop,errors=remount-ro "$IMG" "$T/state" 2>/dev/null ||
	skip_all "cannot mount a loop device here"
LOOP=$(findmnt -n -o SOURCE "$T/state")
SYSFS=/sys/fs/ext4/$(basename "$LOOP")/trigger_fs_error
unmount() {
	umount -l "$T/state" 2>/dev/null
	losetup -j "$IMG" | cut -d: -f1 | while read -r d; do losetup -d "$d"; done
	cleanup
}
trap unmount EXIT
[ -w "$SYSFS" ] || skip_all "this kernel has no $SYSFS"

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
ok $? "netpatrold starts with its state dir on ext4 (errors=remount-ro)"

status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
send() {  # send FIRST COUNT
	python3 - "$LPORT" "$1" "$2" <<'PY'
import socket, sys, time
port, first, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(first, first + n):
    s.sendto(b"<13>Mar  1 10:00:00 h app: rofail %06d" % i, ("127.0.0.1", port))
    if i % 100 == 0:
        time.sleep(0.01)
PY
}
DB=$T/state/netpatrol.db
LDB=$T/state/syslog.db
rows() { sqlite3 -batch -noheader "file:$LDB?mode=ro" "SELECT count(*) FROM logs"; }

send 0 300
stored() { status; json "$T/st.json" "j['syslog']['stored'] == 300"; }
wait_for 30 stored
ok $? "300 messages stored before the error"

# synchronous=NORMAL: a commit is on disk at the next checkpoint or when
# the kernel writes it back; a file system error, like a power cut, loses
# what is not on disk yet, so the test writes it back first (syncfs)
sync -f "$T/state"
ok $? "written back to the disk (sync -f)"
echo 1 >"$SYSFS"
ok $? "a file system error is triggered"
ro() { findmnt -n -o OPTIONS "$T/state" | grep -q '^ro\|,ro,\|emergency_ro'; }
wait_for 10 ro
ok $? "the state dir is read-only now ($(findmnt -n -o OPTIONS "$T/state"))"

send 300 500
failed() { status; json "$T/st.json" "j['store']['failed_commits'] >= 1"; }
wait_for 60 failed
ok $? "the store counts failed commits"
received() { status; json "$T/st.json" "j['syslog']['received'] >= 750"; }
wait_for 30 received
status
check "\"stored\" counts only what was committed" \
	json "$T/st.json" "j['syslog']['stored'] < j['syslog']['received']"
check "what was not written is kept or counted lost, nothing else" \
	json "$T/st.json" "j['store']['retry_waiting'] > 0 or j['syslog']['store_lost'] > 0"
check "the failure is said in the log" grep -q "store: cannot write" "$T/daemon.log"
grep "store: cannot write" "$T/daemon.log" | head -1 | sed 's/^/#   /'
check "the CLI still answers" "$NETPATROL" -f "$CONF" status
check "the daemon is still running" kill -0 "$DAEMON_PID"
# (a few error lines, not one per batch)
n=$(grep -c "store: cannot write" "$T/daemon.log")
ok $(( n <= 10 ? 0 : 1 )) "the failure is said a few times, not for every batch ($n lines)"

stop_pid "$DAEMON_PID"
rc=$?
ok $(( rc == 0 || rc == 1 ? 0 : 1 )) "SIGTERM: the daemon exits by itself (exit $rc)"
check "at exit it says what it could not write" \
	grep -Eq "store: .*(lost|not written|could not)" "$T/daemon.log"
grep -E "store: .*(lost|not written|could not)" "$T/daemon.log" | tail -1 | sed 's/^/#   /'

umount "$T/state"
ok $? "the file system unmounts"
# (the loop device went with the mount: autoclear)
e2fsck -fy "$IMG" >"$T/fsck.out" 2>&1
ok $(( $? < 4 ? 0 : 1 )) "e2fsck repairs it"
mount -o loop,errors=remount-ro "$IMG" "$T/state"
ok $? "mounted again, writable"
LOOP=$(findmnt -n -o SOURCE "$T/state")
check "integrity_check ok" sh -c "[ \"\$(sqlite3 '$DB' 'PRAGMA integrity_check')\" = ok ] && [ \"\$(sqlite3 '$LDB' 'PRAGMA integrity_check')\" = ok ]"
R=$(rows)
ok $(( R >= 300 ? 0 : 1 )) "the 300 rows committed before the error are there ($R rows)"
start_daemon "$CONF"
ok $? "netpatrold starts again"
send 800 100
stored2() { [ "$(rows)" -ge $((R + 100)) ]; }
wait_for 30 stored2
ok $? "and stores again ($(rows) rows)"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
