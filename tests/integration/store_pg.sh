#!/bin/bash
# store_pg.sh - the store in PostgreSQL (store postgresql "CONNINFO") with
# a real server (pg_virtualenv): the schema made once by two daemons that
# start together; a wrong password refused without saying it; syslog with
# hostile bytes (invalid UTF-8, NUL) stored and read back; a finding
# acknowledged and kept across a restart, its id and the events' ids
# going on; the server restarted while messages come, none lost; nothing
# of the store in the state directory.
. "$(dirname "$0")/lib.sh"
in_pg_virtualenv "$@"
need psql createdb python3 logger

createdb np || { ok 1 "createdb np"; done_testing; exit 1; }
CI="host=$PGHOST port=$PGPORT user=$PGUSER password=$PGPASSWORD dbname=np"
LPORT=$(port_pick)
conf() {  # conf DIR [CONNINFO]: a node's configuration
	mkdir -p "$T/$1"
	cat >"$T/$1/netpatrold.conf" <<EOF
state-dir "$T/$1/state"
control "$T/$1/np.sock"
pidfile "$T/$1/np.pid"
store batch-window 100ms
store postgresql "${2:-$CI}"
listen syslog udp 127.0.0.1 port ${3:-$LPORT}
syslog rule match "after the restart" kind "test.mark" severity info
plan "tick" {
	every 60s
	devices "*"
	check ports
}
EOF
	[ "${4:-}" = nodevice ] || cat >>"$T/$1/netpatrold.conf" <<EOF
device "gone" {
	address 127.0.0.1 port 9
	snmp v2c community "x"
	interval 2
	timeout 1 retries 0
}
EOF
}

# a wrong password: a clear error, and the password nowhere in it
conf bad "host=$PGHOST port=$PGPORT user=$PGUSER password=n0tTheP4ssword dbname=np"
"$NETPATROLD" -d -f "$T/bad/netpatrold.conf" >"$T/bad.out" 2>&1
rc=$?
check "a wrong password: netpatrold exits ($rc): $(grep -m1 -i 'store' "$T/bad.out")" \
	sh -c "[ $rc != 0 ] && grep -qi 'password authentication failed' '$T/bad.out'"
check "... without saying the password" sh -c "! grep -q n0tTheP4ssword '$T/bad.out'"

# syslog max-size measures sqlite's pages: refused with PostgreSQL
conf ms
echo "syslog max-size 10M" >>"$T/ms/netpatrold.conf"
"$NETPATROLD" -n -f "$T/ms/netpatrold.conf" >"$T/ms.out" 2>&1
rc=$?
check "syslog max-size with store postgresql is refused ($(head -1 "$T/ms.out"))" \
	sh -c "[ $rc != 0 ] && grep -q 'syslog max-size: not with store postgresql' '$T/ms.out'"

# two daemons start together on an empty database: one schema
conf n1
conf n2 "$CI" "$(port_pick)" nodevice # (its own findings otherwise)
"$NETPATROLD" -d -v -f "$T/n1/netpatrold.conf" >>"$T/daemon.log" 2>&1 &
P1=$!
"$NETPATROLD" -d -v -f "$T/n2/netpatrold.conf" >>"$T/daemon.log" 2>&1 &
P2=$!
PIDS="$PIDS $P1 $P2"
wait_for 30 "$NETPATROL" -f "$T/n1/netpatrold.conf" status
ok $? "node 1 starts"
wait_for 30 "$NETPATROL" -f "$T/n2/netpatrold.conf" status
ok $? "node 2 starts at the same time"
check "the schema was made once (version 17)" \
	test "$(psql -X -At -d np -c 'select count(*), max(version) from np_schema')" = "1|17"
check "the log names the database without its password" \
	sh -c "grep -q 'store: postgresql://$PGUSER@' '$T/daemon.log' && ! grep -q '$PGPASSWORD' '$T/daemon.log'"
stop_pid "$P2"
ok $? "node 2: SIGTERM, exit 0"
CONF=$T/n1/netpatrold.conf
DAEMON_PID=$P1
check "nothing of the store in the state directory" \
	sh -c "! ls '$T/n1/state' | grep -q '\.db'"

# syslog: hostile bytes stored, read back, and one query away
python3 - "$LPORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msgs = [b"<13>Dec  7 05:00:00 gone app: plain message one",
        b"<13>Dec  7 05:00:00 gone app: bad utf-8 \xff\xfe here",
        b"<13>Dec  7 05:00:00 gone app: a nul \x00 in the middle",
        b"<13>Dec  7 05:00:00 gone app: quote ' and \\ backslash $1 ?1",
        b"<13>" + b"x" * 7000]
for m in msgs:
    s.sendto(m, ("127.0.0.1", int(sys.argv[1])))
PY
logs() { "$NETPATROL" -f "$CONF" logs --json "$@"; }
wait_for 30 sh -c "[ \$(psql -X -At -d np -c 'select count(*) from logs') -ge 5 ]"
ok $? "five messages in the logs table"
logs >"$T/logs.json"
check "logs --json reads them back" json "$T/logs.json" "len(j) == 5"
check "invalid UTF-8 kept readable (U+FFFD), the raw bytes as they came" \
	json "$T/logs.json" "any('bad utf-8 \ufffd\ufffd here' in m['text'] for m in j)"
check "quotes, backslashes, \$1 and ?1 taken as text" \
	json "$T/logs.json" "any(m['text'].endswith(\"quote ' and \" + chr(92) + \" backslash \$1 ?1\") for m in j)"
check "logs --match finds one, in any case" \
	json - "len(j) == 1" < <(logs --match 'PLAIN MESSAGE')

# a finding: opened, acknowledged, kept across a restart
fq() { "$NETPATROL" -f "$CONF" findings --all --json | json - "(lambda f: $1)([x for x in j if x['device']=='gone'][-1])"; }
wait_for 30 fq "f['state']=='open'"
ok $? "the unreachable device opens a finding"
ID=$(fq "f['id']")
"$NETPATROL" -f "$CONF" ack "$ID" checking the cable >"$T/ack.out"
ok $? "netpatrol ack $ID"
wait_for 20 fq "f['state']=='acknowledged'"
ok $? "acknowledged, in the store"
EMAX=$(psql -X -At -d np -c 'select max(id) from events')
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
start_daemon "$CONF"
ok $? "restarted"
check "the finding is there after the restart, acknowledged, same id" \
	fq "f['id']==$ID and f['state']=='acknowledged'"
logger -n 127.0.0.1 -P "$LPORT" -d -t app "after the restart"
wait_for 30 sh -c "[ \$(psql -X -At -d np -c \"select count(*) from events where id > $EMAX\") -ge 1 ]"
ok $? "new events after the restart"
check "their ids go on past the old ones (a new block)" \
	test "$(psql -X -At -d np -c "select min(id) > $EMAX from events where id > $EMAX")" = t
check "event ids are unique" \
	test "$(psql -X -At -d np -c 'select count(*) - count(distinct id) from events')" = 0

# a statement PostgreSQL refuses aborts its transaction there: the batch
# is written again (not committed short of it, nor rolled back unsaid)
psql -X -q -d np -c "ALTER TABLE events ADD CONSTRAINT np_test_refuse CHECK (text NOT LIKE '%refused for now%')"
logger -n 127.0.0.1 -P "$LPORT" -d -t app "after the restart: refused for now"
failed() { "$NETPATROL" -f "$CONF" status --json | json - "j['store']['failed_commits'] >= 1"; }
wait_for 30 failed
ok $? "the refused batch is a failed commit (status store.failed_commits)"
check "... and not in the store" \
	test "$(psql -X -At -d np -c "select count(*) from events where text like '%refused for now%'")" = 0
psql -X -q -d np -c "ALTER TABLE events DROP CONSTRAINT np_test_refuse"
stored() { [ "$(psql -X -At -d np -c "select count(*) from events where text like '%refused for now%'")" = 1 ]; }
wait_for 60 stored
ok $? "once PostgreSQL takes it, the batch is written, the event once"

# the server restarted while messages come: none lost
N0=$(psql -X -At -d np -c 'select count(*) from logs')
pg_ctlcluster "$PGVERSION" regress stop -m fast
ok $? "PostgreSQL stopped"
for i in $(seq 1 200); do
	logger -n 127.0.0.1 -P "$LPORT" -d -t app "while the database is away $i"
done
wait_for 30 sh -c "'$NETPATROL' -f '$CONF' status --json | python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if s[\"syslog\"][\"received\"] >= 201 else 1)'"
ok $? "the daemon received the 200 messages"
"$NETPATROL" -f "$CONF" status >"$T/away.txt" 2>&1
ok $? "and answers while the database is away"
pg_ctlcluster "$PGVERSION" regress start
ok $? "PostgreSQL started again"
wait_for 90 sh -c "[ \$(psql -X -At -d np -c 'select count(*) from logs') -ge $((N0 + 200)) ]"
ok $? "every message received while it was away is stored"
check "each once ($(psql -X -At -d np -c "select count(*) from logs where text like 'while the database is away%'"))" \
	test "$(psql -X -At -d np -c "select count(distinct text), count(*) from logs where text like 'while the database is away%'")" = "200|200"
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
check "status: none lost" \
	json "$T/st.json" "j['store']['lost'] == 0 and j['syslog']['dropped'] == 0"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# the scheduled plans run once, by one node: a run of "tick" 20 minutes
# ago in the store, and two nodes starting together; the runs missed
# since are recorded once (by the node holding the lock), not twice
OLD=$(($(date +%s) - 1200))
# (the runs of tick the daemon above made are removed: the last one in
# the store is the one 20 minutes ago; its id from the ids' sequence, a
# block no node will take)
psql -X -q -d np -c "delete from plan_results where run in (select id from plan_runs where plan = 'tick'); delete from report_copies where run in (select id from plan_runs where plan = 'tick'); delete from plan_runs where plan = 'tick'; insert into plan_runs (id, plan, category, trigger, state, started, ended, period_start, period_end, scheduled) values (nextval('np_planrun_ids'), 'tick', 'special', 'schedule', 'done', $OLD, $OLD, $OLD - 60, $OLD, $OLD)"
"$NETPATROLD" -d -v -f "$T/n1/netpatrold.conf" >>"$T/daemon.log" 2>&1 &
P1=$!
"$NETPATROLD" -d -v -f "$T/n2/netpatrold.conf" >>"$T/daemon.log" 2>&1 &
P2=$!
PIDS="$PIDS $P1 $P2"
wait_for 30 "$NETPATROL" -f "$T/n1/netpatrold.conf" status &&
	wait_for 30 "$NETPATROL" -f "$T/n2/netpatrold.conf" status
ok $? "two nodes start together"
missed() { [ "$(psql -X -At -d np -c "select count(*) from plan_runs where plan = 'tick' and state = 'missed'")" -ge 10 ]; }
wait_for 30 missed
ok $? "the runs missed are recorded ($(psql -X -At -d np -c "select count(*) from plan_runs where plan = 'tick' and state = 'missed'"))"
check "each once: no planned time twice" \
	test "$(psql -X -At -d np -c "select count(*) - count(distinct scheduled) from plan_runs where plan = 'tick'")" = 0
check "one node says it runs the plans, the other that another does" \
	sh -c "grep -c 'plans: this node runs\|run planned at.*was missed' '$T/daemon.log' >/dev/null && grep -q 'plans: another node runs the scheduled plans' '$T/daemon.log'"
stop_pid "$P1"
ok $? "node 1: SIGTERM, exit 0"
stop_pid "$P2"
ok $? "node 2: SIGTERM, exit 0"
sanitizer_check
done_testing
