#!/bin/bash
# syslog_retention.sh - retention by size: a bad max-size is refused by the
# configuration check; with max-size 2M, 8000 messages of about 600 bytes
# (some 5 MB) are stored, then the oldest deleted until the messages take
# under 90% of the bound; the newest are all kept, the oldest gone, every
# deleted message counted in netpatrol status (text and JSON) and the pass
# said in the log; netpatrol logs goes on working.
. "$(dirname "$0")/lib.sh"
need python3 sqlite3 logger

LPORT=$(port_pick)
BAD=$T/bad.conf
printf 'syslog max-size 2X\nsyslog max-size 100K\n' >"$BAD"
"$NETPATROLD" -n -f "$BAD" >"$T/bad.out" 2>&1
rc=$?
check "netpatrold -n refuses a size it cannot read" \
	grep -qx "$BAD:1: invalid size \"2X\" for syslog max-size (bytes, or a number with K, M, G or T)" "$T/bad.out"
check "and a size under 1M" \
	grep -qx "$BAD:2: syslog max-size must be 0 (no bound) or between 1M and 16T" "$T/bad.out"
ok $((rc != 1)) "and exits 1"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog tcp 127.0.0.1 port $LPORT
syslog ratelimit off
syslog max-size 2M
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "syslog max-size 2M checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts"

DB=$T/state/syslog.db
BOUND=$((2 * 1024 * 1024))
N=8000
status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
stored() { status; json "$T/st.json" "j['syslog']['stored'] >= $1"; }

# 8000 numbered messages over TCP (flow-controlled: none lost), the last
# one from logger
python3 - "$LPORT" "$N" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
pad = "x" * 560
buf = []
for i in range(n - 1):
    buf.append(("<13>Jan  1 00:00:00 h app: seq=%06d %s\n" % (i, pad)).encode())
    if len(buf) == 500:
        s.sendall(b"".join(buf))
        buf = []
s.sendall(b"".join(buf))
s.close()
PY
# the newest once the others are in (connections are read side by side)
wait_for 60 stored $((N - 1))
logger -n 127.0.0.1 -P "$LPORT" --tcp --octet-count -t app "seq=$(printf %06d $((N - 1))) the newest"
wait_for 60 stored "$N"
ok $? "$N messages stored"
USED0=$(sq "$DB" "select sum(pgsize) from dbstat where name in ('logs', 'logs_device')")
check "they take more than the bound: $USED0 bytes" test "$USED0" -gt "$BOUND"

# retention runs at start, at reload and every minute: a reload now
kill -HUP "$DAEMON_PID"
pruned() { status; json "$T/st.json" "j['syslog']['retention']['pruned_size'] > 0"; }
wait_for 60 pruned
ok $? "the oldest are deleted by max-size"
# the pass may still go on (in slices): wait for the log line that ends it
wait_for 30 grep -q "syslog retention deleted" "$T/daemon.log"
ok $? "a log line for the pass"
grep "syslog retention deleted" "$T/daemon.log" | sed 's/^/# /'
status
json "$T/st.json" "j['syslog']['retention']" | sed 's/^/# /'
check "status --json: the bound, the messages' share under 90% of it" \
	json "$T/st.json" "(r := j['syslog']['retention'])['max_size']==$BOUND and 0 < r['logs_bytes'] <= $BOUND*0.9 and r['store_used_bytes'] >= r['logs_bytes'] and r['prune_passes']==1"
USED=$(sq "$DB" "select sum(pgsize) from dbstat where name in ('logs', 'logs_device')")
check "sqlite3's dbstat agrees: the messages take $USED bytes, under $BOUND" \
	test "$USED" -le "$BOUND"
PAGES=$(sq "$DB" "pragma page_count")
FREE=$(sq "$DB" "pragma freelist_count")
check "their pages are free for the next messages ($FREE of $PAGES)" \
	test "$FREE" -gt 0

"$NETPATROL" -f "$CONF" logs --json --limit 0 >"$T/l.json"
ok $? "netpatrol logs --json still works"
KEPT=$(json "$T/l.json" "len(j)")
check "$KEPT kept: the newest, all of them, in order; the oldest gone" \
	json "$T/l.json" "[int(m['text'][4:10]) for m in j] == list(range($N - len(j), $N)) and 1000 < len(j) < $N"
check "the last one, from logger, is there" \
	json "$T/l.json" "j[-1]['text']=='seq=%06d the newest' % ($N - 1)"
check "every message is counted: stored = kept + deleted by size" \
	json "$T/st.json" "(r := j['syslog']['retention']) and j['syslog']['stored']==$N and $KEPT + r['pruned_size']==$N and r['pruned_age']==0 and r['pruned_rows']==0"
"$NETPATROL" -f "$CONF" logs --limit 3 >"$T/l.txt"
ok $? "netpatrol logs (text) still works"
check "and shows the newest" grep -q "the newest" "$T/l.txt"
"$NETPATROL" -f "$CONF" status >"$T/st.txt"
grep "^syslog retention" "$T/st.txt" | sed 's/^/# /'
check "netpatrol status says what retention deleted" \
	grep -q "^syslog retention: keep 30 days, max-rows 10000000, max-size 2.0 MB; deleted 0 by age, 0 by max-rows, $((N - KEPT)) by max-size; store .* in use, messages .* MB$" "$T/st.txt"

# under the bound, the next pass deletes nothing: once the reload queued
# it, a message sent then is written after it
kill -HUP "$DAEMON_PID"
reloaded() { status; json "$T/st.json" "j['reloads'] == 2"; }
wait_for 30 reloaded
ok $? "a second reload"
logger -n 127.0.0.1 -P "$LPORT" --tcp --octet-count -t app "seq=$(printf %06d "$N") after the reload"
after() { "$NETPATROL" -f "$CONF" logs --limit 1 | grep -q "after the reload"; }
wait_for 30 after
ok $? "a message after the reload is written"
status
check "nothing more deleted under the bound" \
	json "$T/st.json" "j['syslog']['retention']['pruned_size']==$((N - KEPT)) and j['syslog']['retention']['prune_passes']==1"

check "the daemon is still up" kill -0 "$DAEMON_PID"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# without a syslog listener, what was received before still ages out
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
syslog max-rows 100
EOF
start_daemon "$CONF"
ok $? "netpatrold starts without a syslog listener"
rows() { [ "$(sq "$DB" "select count(*) from logs")" -le 100 ]; }
wait_for 30 rows
ok $? "its retention still runs: $(sq "$DB" "select count(*) from logs") messages left of $KEPT"
check "the newest stay" test "$(sq "$DB" "select count(*) from logs where cast(raw as text) like '%after the reload%'")" = 1
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
