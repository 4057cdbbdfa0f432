#!/bin/bash
# control_commit.sh - a command that changes something answers once the
# store has committed what it did: a read right after it (the CLI, or
# sqlite3 on the store) sees the change, with the default batch window of
# a second that would otherwise leave it unseen for up to that long. The
# same for the web API's and pages' changes; a client that goes while its
# answer is held is forgotten.
. "$(dirname "$0")/lib.sh"
need sqlite3 python3 curl

DEAD=$(port_pick)
HPORT=$(port_pick)
OPTOK=op-token-0123456789abcdef
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 1s
http {
	listen 127.0.0.1 port $HPORT
	token "ci" role operator secret "$OPTOK"
}
device "sw" {
	address 127.0.0.1 port $DEAD
	interval 3600
	timeout 1 retries 0
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts (store batch-window 1s)"
DB=$T/state/netpatrol.db

seen=0 acked=0 tries=10
for i in $(seq $tries); do
	"$NETPATROL" -f "$CONF" open sw minor "seen on site $i" --json >"$T/open.json" || continue
	id=$(json "$T/open.json" "j['id']")
	# at once, no wait: the finding is in the store
	[ "$(sq "$DB" "select count(*) from findings where id = $id")" = 1 ] && seen=$((seen + 1))
	"$NETPATROL" -f "$CONF" ack "$id" "on it" >/dev/null || continue
	[ "$(sq "$DB" "select state from findings where id = $id")" = acknowledged ] && acked=$((acked + 1))
done
ok $((seen == tries ? 0 : 1)) "open: the finding is in the store when the CLI returns ($seen of $tries)"
ok $((acked == tries ? 0 : 1)) "ack: the new state is in the store when the CLI returns ($acked of $tries)"
"$NETPATROL" -f "$CONF" finding "$id" --json >"$T/f.json"
check "and netpatrol finding reads it at once" json "$T/f.json" "j['state'] == 'acknowledged'"
check "a read-only command answers as before" "$NETPATROL" -f "$CONF" status

# the web API: acknowledged through it, read at once
H=http://127.0.0.1:$HPORT
B="Authorization: Bearer $OPTOK"
webacked=0
for i in $(seq 5); do
	"$NETPATROL" -f "$CONF" open sw minor "web $i" --json >"$T/open.json" || continue
	id=$(json "$T/open.json" "j['id']")
	curl -sf -H "$B" -d "text=from the web" "$H/api/v1/findings/$id/ack" >"$T/ack.json" || continue
	[ "$(sq "$DB" "select count(*) from finding_history where finding_id = $id and actor = 'web:ci' and action = 'acknowledge'")" = 1 ] &&
		webacked=$((webacked + 1))
done
ok $((webacked == 5 ? 0 : 1)) "the API's ack is in the store when it answers ($webacked of 5)"
# a client that goes before its answer: nothing breaks
"$NETPATROL" -f "$CONF" open sw minor "gone" --json >"$T/open.json"
id=$(json "$T/open.json" "j['id']")
python3 - "$HPORT" "$OPTOK" "$id" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
body = b"text=bye"
s.sendall(b"POST /api/v1/findings/%s/ack HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
          b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s"
          % (sys.argv[3].encode(), sys.argv[2].encode(), len(body), body))
s.close()
PY
gone_acked() { [ "$(sq "$DB" "select state from findings where id = $id")" = acknowledged ]; }
wait_for 30 gone_acked
ok $? "a client gone before its answer: the change is made"
check "the API answers the next one" test "$(curl -s -o /dev/null -w '%{http_code}' -H "$B" "$H/api/v1/status")" = 200
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
