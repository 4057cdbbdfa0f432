#!/bin/bash
# remote_write.sh - remote-write: what the daemon polls from a real snmpd
# reaches a real Prometheus (its remote write receiver), with the extra
# labels; samples polled while the receiver was away are kept (bounded),
# sent once it is there, with their own times; a receiver that refuses a
# batch (400) has it dropped and counted, one that fails (503) or never
# answers has it sent again after a back-off, one that answers 64 MB is
# cut off; bad settings are refused with file:line errors.
. "$(dirname "$0")/lib.sh"
need snmpd prometheus curl python3

SPORT=$(port_pick)
start_snmpd agent "$SPORT" || { ok 1 "snmpd starts"; done_testing; }
ok 0 "snmpd answers on 127.0.0.1:$SPORT"
PPORT=$(port_pick)
CONF=$T/netpatrold.conf
write_conf() {  # write_conf URL [SETTINGS...]
	local url=$1
	shift
	{
		cat <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
remote-write "$url" {
	batch 40
	flush 500ms
	timeout 3s
	label "site" "lab1"
	header "X-Scope-OrgID" "noc"
EOF
		for s in "$@"; do printf '\t%s\n' "$s"; done
		cat <<EOF
}
device "agent" {
	address 127.0.0.1 port $SPORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
}
EOF
	} >"$CONF"
}
rw() {  # rw EXPR: a check on status' remote_write object r
	"$NETPATROL" -f "$CONF" status --json | json - "(lambda r: $1)(j['remote_write'])"
}

# --- the receiver away at first ---
write_conf "http://127.0.0.1:$PPORT/api/v1/write"
check "the configuration checks" "$NETPATROLD" -n -f "$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 30 rw "r['failed_requests'] >= 2 and r['pending'] > 0"
ok $? "nobody listens: requests fail, samples wait"
check "the reason is in the status" rw "'no answer' in r['last_error'] and r['sent'] == 0 and r['backoff'] >= 1"
check "said in the log" grep -q "remote-write http://127.0.0.1:$PPORT/api/v1/write: no answer" "$T/daemon.log"
# three polls done: two of them made the ports' rates, which wait too (a
# slow run, under the sanitizers, could fail twice before a second poll)
wait_for 60 polls_at_least "$CONF" agent 3
T0=$(date +%s)

# --- Prometheus comes ---
mkdir -p "$T/prom"
printf 'global:\n  scrape_interval: 1m\n' >"$T/prom/prometheus.yml"
prometheus --config.file="$T/prom/prometheus.yml" --storage.tsdb.path="$T/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" --web.enable-remote-write-receiver \
	>"$T/prom/log" 2>&1 &
PROM=$!
PIDS="$PIDS $PROM"
wait_for 60 curl -sf "http://127.0.0.1:$PPORT/-/ready"
ok $? "Prometheus is ready on 127.0.0.1:$PPORT"
wait_for 90 rw "r['sent'] > 0 and r['pending'] < 100"
ok $? "the waiting samples are sent once it is there"
q() {  # q PROMQL: the query's result list
	curl -sfG "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1"
}
has() { q "$1" | json - "len(j['data']['result']) > 0"; }
wait_for 30 has 'netpatrol_port_receive_bytes_per_second{device="agent"}'
ok $? "Prometheus has the ports' rates"
q 'netpatrol_port_receive_bytes_per_second{device="agent"}' >"$T/q.json"
check "labelled: device, port, the extra label site" json "$T/q.json" \
	"all(r['metric']['site'] == 'lab1' and r['metric']['port'] != '' for r in j['data']['result'])"
check "a port named as the agent names it (lo)" json "$T/q.json" \
	"'lo' in [r['metric']['port'] for r in j['data']['result']]"
check "and the other metrics" has 'netpatrol_port_transmit_unicast_packets_per_second{device="agent",site="lab1"}'
q 'netpatrol_port_receive_bytes_per_second{device="agent",port="lo"}[10m]' >"$T/range.json"
check "samples polled while it was away, with their own times (before $T0)" json "$T/range.json" \
	"min(float(v[0]) for v in j['data']['result'][0]['values']) < $T0 or sys.exit('the earliest at %s' % min(float(v[0]) for v in j['data']['result'][0]['values']))"
five() {  # the newest keep coming: five samples of lo or more
	q 'netpatrol_port_receive_bytes_per_second{device="agent",port="lo"}[10m]' >"$T/range.json"
	json "$T/range.json" "len(j['data']['result'][0]['values']) >= 5"
}
wait_for 30 five
ok $? "the newest follow"
check "one sample a poll, none twice" json "$T/range.json" \
	"(lambda ts: len(ts) == len(set(ts)) and ts == sorted(ts))([v[0] for v in j['data']['result'][0]['values']])"
check "nothing refused or dropped" rw "r['rejected'] == 0 and r['dropped'] == 0"
check "netpatrol status --json: requests counted" rw "r['requests'] >= r['failed_requests'] + 1 and r['samples'] >= r['sent']"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
kill "$PROM"
wait "$PROM" 2>/dev/null

# --- receivers that refuse, fail, or never answer ---
HPORT=$(port_pick)
python3 - "$HPORT" "$T/hits" <<'PY' &
import http.server, sys, time
port, hits = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        with open(hits, "a") as f:
            f.write("%s %s %s %s\n" % (self.path, self.headers.get("Content-Encoding"),
                    self.headers.get("X-Scope-OrgID"), n))
        if self.path.endswith("/hang"):
            time.sleep(30)
            return
        if self.path.endswith("/huge"):
            self.send_response(200)
            self.send_header("Content-Length", str(64 << 20))
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * (1 << 20))
            except OSError:
                pass
            return
        code = (204 if self.path.endswith("/ok") else
                400 if self.path.endswith("/refuse") else 503)
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
PIDS="$PIDS $!"
wait_for 20 python3 -c "import socket; socket.create_connection(('127.0.0.1', $HPORT))"
ok $? "a test receiver on 127.0.0.1:$HPORT"

write_conf "http://127.0.0.1:$HPORT/refuse"
start_daemon "$CONF"
wait_for 30 rw "r['rejected'] >= 80"
ok $? "400: batches dropped and counted (rejected)"
check "not sent again" rw "r['retries'] == 0 and r['backoff'] == 0 and r['sent'] == 0"
check "the request as receivers want it: snappy, the extra header" \
	grep -q "^/refuse snappy noc " "$T/hits"
stop_pid "$DAEMON_PID"

write_conf "http://127.0.0.1:$HPORT/fail" "queue 100"
start_daemon "$CONF"
wait_for 30 rw "r['retries'] >= 2 and r['backoff'] >= 2"
ok $? "503: the batch is sent again, after a growing back-off"
wait_for 30 rw "r['dropped'] > 0 and r['pending'] <= 140"
ok $? "queue 100: the oldest dropped, counted; what waits stays bounded"
wait_for 30 polls_at_least "$CONF" agent 5
ok $? "the daemon goes on polling"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM with batches waiting: exit 0"
check "what was not sent is said at the stop" grep -q "samples not sent at the stop" "$T/daemon.log"

write_conf "http://127.0.0.1:$HPORT/hang" "timeout 1s"
start_daemon "$CONF"
wait_for 30 rw "r['failed_requests'] >= 1"
ok $? "a receiver that never answers: the request times out"
check "the control socket answers meanwhile" "$NETPATROL" -f "$CONF" status
stop_pid "$DAEMON_PID"
ok $? "SIGTERM with a request hanging: exit 0"

write_conf "http://127.0.0.1:$HPORT/huge"
start_daemon "$CONF"
wait_for 30 rw "r['failed_requests'] >= 2"
ok $? "an answer of 64 MB: cut off, the request fails"
check "nothing counted as sent" rw "r['sent'] == 0"
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
ok $((rss < 200000 ? 0 : 1)) "the daemon did not keep it (VmRSS $((rss / 1024)) MB)"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# --- two receivers: one away holds up no other; a host name (localhost,
# looked up through evdns, not a blocking getaddrinfo on the loop) ---
write_conf "http://localhost:$HPORT/ok"
cat >>"$CONF" <<EOF
remote-write "http://127.0.0.1:$HPORT/fail" {
	batch 40
	flush 500ms
}
EOF
check "two receivers: the configuration checks" "$NETPATROLD" -n -f "$CONF"
start_daemon "$CONF"
rws() {  # rws EXPR: a check on status' remote_writes list rs
	"$NETPATROL" -f "$CONF" status --json | json - "(lambda rs: $1)(j['remote_writes'])"
}
wait_for 30 rws "rs[0]['sent'] >= 80 and rs[1]['retries'] >= 1"
ok $? "the first receiver takes the samples while the second fails and is retried"
"$NETPATROL" -f "$CONF" status --json >"$T/two.json"
check "remote_writes: both, in order; remote_write is the first" json "$T/two.json" \
	"[r['url'] for r in j['remote_writes']] == ['http://localhost:$HPORT/ok', 'http://127.0.0.1:$HPORT/fail'] and j['remote_write']['url'] == j['remote_writes'][0]['url'] and j['remote_writes'][1]['sent'] == 0"
check "the receiver named localhost got them, snappy" grep -q "^/ok snappy noc " "$T/hits"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# --- bad settings ---
bad() {  # bad WHAT URL [SETTING]: refused with a file:line error
	write_conf "$2" ${3:+"$3"}
	"$NETPATROLD" -n -f "$CONF" >"$T/n.out" 2>&1
	local rc=$?
	[ $rc -ne 0 ] && grep -q "netpatrold.conf:[0-9]*: .*remote-write" "$T/n.out"
	ok $? "refused: $1 ($(head -1 "$T/n.out"))"
}
bad "https" "https://127.0.0.1:9/api/v1/write"
bad "no scheme" "127.0.0.1:9/api/v1/write"
bad "no host" "http:///api/v1/write"
bad "a port out of range" "http://127.0.0.1:70000/w"
bad "a space in the path" "http://127.0.0.1:9/a b"
bad "a label name of Prometheus' own" "http://127.0.0.1:9/w" 'label "__name__" "x"'
bad "a header the sender sets" "http://127.0.0.1:9/w" 'header "Content-Encoding" "gzip"'
bad "batch 0" "http://127.0.0.1:9/w" "batch 0"
bad "a queue smaller than a batch" "http://127.0.0.1:9/w" "queue 10"
bad "an unknown setting" "http://127.0.0.1:9/w" "compress yes"
write_conf "http://127.0.0.1:9/w"
printf 'remote-write "http://127.0.0.1:9/w"\n' >>"$CONF"
"$NETPATROLD" -n -f "$CONF" >"$T/n.out" 2>&1
rc=$?
check "refused: a receiver twice ($(head -1 "$T/n.out"))" sh -c "[ $rc != 0 ] && grep -q 'remote-write \"http://127.0.0.1:9/w\" twice' '$T/n.out'"
write_conf "http://127.0.0.1:9/w"
for i in 1 2 3 4; do printf 'remote-write "http://127.0.0.1:9/w%d"\n' "$i" >>"$CONF"; done
"$NETPATROLD" -n -f "$CONF" >"$T/n.out" 2>&1
rc=$?
check "refused: a fifth receiver ($(head -1 "$T/n.out"))" sh -c "[ $rc != 0 ] && grep -q 'netpatrold.conf:[0-9]*: remote-write: at most 4 receivers' '$T/n.out'"
done_testing
