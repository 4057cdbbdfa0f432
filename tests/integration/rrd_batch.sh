#!/bin/bash
# rrd_batch.sh - the RRD writer keeps each file's updates (and journals
# them) and writes several with one rrd_update: nothing reaches the file
# before its delay or a flush; `netpatrol rrd flush` writes them, and
# rrdtool sees the latest; after SIGKILL the journal is replayed at the
# next start (nothing the writer took is lost); SIGTERM writes everything
# and empties the journal; the counters are in status.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget rrdtool python3

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
rrd write-delay 1h
rrd batch 1000
store batch-window 200ms
device "d" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 1
}
EOF
check "the configuration checks" "$NETPATROLD" -n -f "$CONF"
cat >"$T/bad.conf" <<EOF
state-dir "$T/state"
rrd batch 0
rrd write-delay 2h
EOF
"$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
check "rrd batch 0 and write-delay 2h are refused" sh -c "grep -q 'rrd batch' '$T/bad.out' && grep -q 'rrd write-delay' '$T/bad.out'"

start_daemon "$CONF"
ok $? "netpatrold starts"

RRD=$T/state/rrd/d/port-lo.rrd
J=$T/state/rrd.journal
st() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json" && json "$T/st.json" "$1"; }
# the largest time the journal holds for the file
jlast() { python3 -c "import sys
m = 0
for l in open(sys.argv[1]):
    v, _, p = l.rstrip('\n').partition(' ')
    if p == sys.argv[2]: m = max(m, float(v.split(':')[0]))
print(int(m))" "$J" "$RRD"; }
# the journal holds at least 3 of the file's updates
jcount3() { test "$(grep -c " $RRD\$" "$J")" -ge 3; }

wait_for 60 jcount3
ok $? "updates of port-lo are in the journal"
wait_for 30 test -f "$RRD"
ok $? "the file was created at the first cycle"
check "status: updates kept, none written (write-delay 1h, batch 1000)" \
	st "j['rrd']['pending'] >= 3 and j['rrd']['updates'] == 0 and j['rrd']['accepted'] >= 3 and j['rrd']['write_delay'] == 3600 and j['rrd']['batch'] == 1000"
check "rrdtool last: nothing written yet" test "$(rrdtool last "$RRD")" -lt "$(jlast)"

LAST=$(jlast)
"$NETPATROL" -f "$CONF" rrd flush "$RRD" >"$T/flush.out"
ok $? "netpatrol rrd flush FILE"
check "rrd flush says what it wrote" grep -Eq '^[0-9]+ values written to 1 files$' "$T/flush.out"
check "rrdtool last: the latest update journaled before the flush" test "$(rrdtool last "$RRD")" -ge "$LAST"
rrdtool fetch "$RRD" AVERAGE -r 1 -s "$((LAST - 5))" -e "$LAST" >"$T/fetch.txt"
check "rrdtool fetch: measured values before the flush's time" awk 'NR>2 && $2 !~ /nan/ {n++} END {exit !(n>=1)}' "$T/fetch.txt"
check "status: one write of several values, a flush counted" \
	st "j['rrd']['updates'] >= 3 and j['rrd']['writes'] >= 1 and j['rrd']['flushes'] >= 1"
"$NETPATROL" -f "$CONF" --json rrd flush >"$T/flushall.json"
check "rrd flush (every file) --json" json "$T/flushall.json" "j['files'] >= 1 and j['errors'] == 0"
"$NETPATROL" -f "$CONF" rrd flush no-such.rrd >/dev/null
ok $? "rrd flush of a file with nothing kept: nothing to do"
"$NETPATROL" -f "$CONF" rrd flush ../etc/passwd >/dev/null 2>&1
check "rrd flush: a name out of the RRD folder is refused" test $? -ne 0

# a reader holding the file (librrd's fetch takes a shared lock: a
# report, a graph, rrdtool fetch): the writer waits for it, the values
# it keeps are written, not dropped with "could not lock RRD"
wait_for 30 sh -c "[ \$(grep -c ' $RRD\$' '$J') -ge 3 ]"
LAST=$(jlast)
python3 - "$RRD" "$T/locked" <<'PY' &
import fcntl, sys, time
f = open(sys.argv[1], "rb")
fcntl.lockf(f, fcntl.LOCK_SH)           # F_RDLCK on the whole file, as rrd_fetch
open(sys.argv[2], "w").close()
time.sleep(0.6)
fcntl.lockf(f, fcntl.LOCK_UN)
PY
LOCKER=$!
wait_for 10 test -f "$T/locked"
"$NETPATROL" -f "$CONF" --json rrd flush "$RRD" >"$T/flushlock.json"
wait "$LOCKER"
check "a reader holds the file: the flush waits for it, writes, no error" \
	json "$T/flushlock.json" "j['values'] >= 1 and j['errors'] == 0 or sys.exit(str(j))"
check "rrdtool last: the latest update is in the file" test "$(rrdtool last "$RRD")" -ge "$LAST"
check "status: lock_waits counted, no error" st "j['rrd']['lock_waits'] >= 1 and j['rrd']['errors'] == 0"
check "no \"could not lock\" in the log" sh -c "! grep -q 'could not lock' '$T/daemon.log'"

# a reload writes what is kept
F0=$(st "j['rrd']['flushes']")
kill -HUP "$DAEMON_PID"
wait_for 30 st "j['rrd']['flushes'] > $F0"
ok $? "reload: a flush of every file"

# SIGKILL: what was journaled is written at the next start
wait_for 60 st "j['rrd']['pending'] >= 3"
ok $? "updates kept again"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
LAST=$(jlast)
check "before the restart: the file lacks the journal's latest" test "$(rrdtool last "$RRD")" -lt "$LAST"
start_daemon "$CONF"
ok $? "restart after SIGKILL"
check "the journal's updates are in the file" test "$(rrdtool last "$RRD")" -ge "$LAST"
check "status: updates replayed" st "j['rrd']['replayed'] >= 3 and j['rrd']['replay_bad'] == 0 and 'replay_skipped' in j['rrd'] and 'replay_dropped' in j['rrd']"
grep -q 'updates replayed' "$T/daemon.log"
ok $? "the replay is logged"

# SIGTERM: everything written, the journal emptied
wait_for 60 jcount3
ok $? "updates kept after the restart"
LAST=$(jlast)
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: netpatrold exits 0"
check "SIGTERM: the kept updates are in the file" test "$(rrdtool last "$RRD")" -ge "$LAST"
check "SIGTERM: the journal is empty" test ! -s "$J"

# write-delay 0: each batch written at once, no journal
sed -i 's/^rrd write-delay 1h$/rrd write-delay 0/' "$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts with rrd write-delay 0"
T0=$(rrdtool last "$RRD")
wait_for 30 sh -c "test \$(rrdtool last '$RRD') -gt $T0"
ok $? "write-delay 0: updates reach the file without a flush"
check "write-delay 0: nothing journaled" test ! -s "$J"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: netpatrold exits 0"
done_testing
