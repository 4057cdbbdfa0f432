#!/bin/bash
# crash_floods.sh - kill -9 in the middle of three floods (issue 19,
# faults 1): SNMP traps, UDP syslog and TCP syslog at once, paced, to
# loopback high ports. Just before the kill the test reads what the store
# has committed (rows and a digest of them, through sqlite3) and the
# daemon's counters; after the kill the store passes integrity_check,
# and after a restart every row committed before is there, unchanged.
# What is lost is what was received and not yet committed: bounded by
# the batch window (store batch-window), here checked against what ten
# windows of the floods bring.
. "$(dirname "$0")/lib.sh"
need python3 sqlite3

TPORT=$(port_pick)
LPORT=$(port_pick)
RATE=400        # messages a second, each flood
WINDOW_MS=200
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window ${WINDOW_MS}ms
listen trap udp 127.0.0.1 port $TPORT
trap community "flood"
trap storm 10000000 per 1s
listen syslog udp 127.0.0.1 port $LPORT
listen syslog tcp 127.0.0.1 port $LPORT
syslog ratelimit off
EOC
start_daemon "$CONF"
ok $? "netpatrold starts with trap, UDP and TCP syslog listeners"
DB=$T/state/netpatrol.db

FLOODS=""
for k in trap udp tcp; do
	port=$LPORT
	[ $k = trap ] && port=$TPORT
	python3 "$top_srcdir/tests/integration/flood.py" $k "$port" $RATE \
		"$T/stop" "$T/sent.$k" &
	FLOODS="$FLOODS $!"
	PIDS="$PIDS $!"
done

LDB=$T/state/syslog.db
rowsq() {  # rowsq WHAT: rows of the store (the messages': syslog.db), read-only
	local db=$DB
	case "$1" in *" logs"*) db=$LDB ;; esac
	sqlite3 -batch -noheader "file:$db?mode=ro" "$1"
}
flowing() {
	[ "$(rowsq "select count(*) from traps")" -ge 1000 ] &&
	[ "$(rowsq "select count(*) from logs where CAST(raw AS TEXT) like '%flood udp%'")" -ge 1000 ] &&
	[ "$(rowsq "select count(*) from logs where CAST(raw AS TEXT) like '%flood tcp%'")" -ge 1000 ]
}
wait_for 90 flowing
ok $? "the three floods are being stored (1,000 rows of each)"

# what is committed, just before the kill: counts, last ids, digests
snap() {  # snap TABLE COLUMN MAXID: a digest of the rows up to MAXID
	rowsq "select id, $2 from $1 where id <= $3 order by id" | md5sum | cut -d' ' -f1
}
LMAX=$(rowsq "select max(id) from logs")
TMAX=$(rowsq "select max(id) from traps")
LN=$(rowsq "select count(*) from logs where id <= $LMAX")
TN=$(rowsq "select count(*) from traps where id <= $TMAX")
LSUM=$(snap logs "time, sender, transport, text, raw" "$LMAX")
TSUM=$(snap traps "time, sender, trap_oid, varbinds" "$TMAX")
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$DAEMON_PID" | tr '\n' ' ')
! kill -0 "$DAEMON_PID" 2>/dev/null
ok $? "kill -9 in the middle of the floods ($LN log rows, $TN trap rows committed)"
touch "$T/stop"
for p in $FLOODS; do wait "$p"; done

LR=$(json "$T/st.json" "j['syslog']['received']")
LS=$(json "$T/st.json" "j['syslog']['stored']")
TR=$(json "$T/st.json" "j['traps']['received']")

check "integrity_check ok after the kill" \
	sh -c "test \"\$(sqlite3 -batch -noheader '$DB' 'pragma integrity_check')\" = ok && test \"\$(sqlite3 -batch -noheader '$LDB' 'pragma integrity_check')\" = ok"

start_daemon "$CONF"
ok $? "netpatrold starts again on the same store"
check "integrity_check ok after the restart" \
	test "$(rowsq 'pragma integrity_check')" = ok
check "every log row committed before the kill is there, unchanged" \
	test "$(snap logs "time, sender, transport, text, raw" "$LMAX")" = "$LSUM"
check "every trap row committed before the kill is there, unchanged" \
	test "$(snap traps "time, sender, trap_oid, varbinds" "$TMAX")" = "$TSUM"
L2=$(rowsq "select count(*) from logs")
T2=$(rowsq "select count(*) from traps")
ok $((L2 >= LS ? 0 : 1)) "no fewer log rows than \"stored\" said before the kill ($L2 >= $LS)"

# the loss: what the daemon had received (last status before the kill)
# and is not in the store; at most what ten batch windows bring
BOUND=$((2 * RATE * WINDOW_MS * 10 / 1000))
TBOUND=$((RATE * WINDOW_MS * 10 / 1000))
LLOST=$((LR - L2)); [ $LLOST -lt 0 ] && LLOST=0
TLOST=$((TR - T2)); [ $TLOST -lt 0 ] && TLOST=0
diag "syslog: received $LR, stored $LS before the kill; $L2 rows after ($LLOST lost, bound $BOUND)"
diag "traps: received $TR before the kill; $T2 rows after ($TLOST lost, bound $TBOUND)"
diag "sent: traps $(cat "$T/sent.trap"), udp $(cat "$T/sent.udp"), tcp $(cat "$T/sent.tcp")"
ok $((LLOST <= BOUND ? 0 : 1)) "syslog lost by the crash: within the batch window's worth ($LLOST <= $BOUND)"
ok $((TLOST <= TBOUND ? 0 : 1)) "traps lost by the crash: within the batch window's worth ($TLOST <= $TBOUND)"
check "no log row is there twice" \
	test "$(rowsq "select count(*) - count(distinct raw) from logs where CAST(raw AS TEXT) like '%flood %'")" = 0

# after the restart the floods are taken again
python3 - "$LPORT" "$TPORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"<13>Mar  1 10:00:00 h app: after the crash", ("127.0.0.1", int(sys.argv[1])))
PY
after() { [ "$(rowsq "select count(*) from logs where CAST(raw AS TEXT) like '%after the crash'")" = 1 ]; }
wait_for 30 after
ok $? "a message after the restart is stored"
python3 "$top_srcdir/tests/integration/flood.py" trap "$TPORT" 100 "$T/stop2" "$T/sent.t2" &
F2=$!
PIDS="$PIDS $F2"
more_traps() { [ "$(rowsq "select count(*) from traps")" -ge $((T2 + 50)) ]; }
wait_for 30 more_traps
ok $? "traps after the restart are stored"
touch "$T/stop2"; wait "$F2"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
check "integrity_check ok at the end" \
	sh -c "test \"\$(sqlite3 -batch -noheader '$DB' 'pragma integrity_check')\" = ok && test \"\$(sqlite3 -batch -noheader '$LDB' 'pragma integrity_check')\" = ok"
done_testing
