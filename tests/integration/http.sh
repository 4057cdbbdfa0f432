#!/bin/bash
# http.sh - the web server (issue 17) against the running daemon on
# 127.0.0.1: authentication (401 for the API, a redirect to /login for
# pages, bad passwords refused, CSRF checked, bearer tokens, roles), the
# API's keys equal the CLI's --json keys for the same records, /metrics
# passes promtool, a graph is a real PNG (and the second one comes from
# the cache), the pages in headless Chromium (screenshots kept under the
# test's directory, $T/shots), an acknowledge through the page's form,
# and hostile clients: huge headers and bodies, ".." paths, an idle
# connection closed by the timeout, a dripping one by the deadline, the
# connection cap.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget snmptrap logger python3 curl
# librrd has no frame pointers: without the slow unwinder its leaks' stacks
# stop short of librrd.so and tests/lsan.supp cannot name them
[ -n "${NP_SANITIZERS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"

SPORT=$(port_pick)
HPORT=$(port_pick)
TPORT=$(port_pick)
LPORT=$(port_pick)
start_snmpd agent "$SPORT"
ok $? "snmpd answers"
H=http://127.0.0.1:$HPORT
ALICE=$(echo "alice-pw-1" | "$NETPATROL" passwd)
VERA=$(echo "vera-pw-2" | "$NETPATROL" passwd --sha512)
check "netpatrol passwd prints a crypt hash, \$ escaped for the file" python3 -c '
import sys
a, b = sys.argv[1:]
sys.exit(0 if a.startswith(r"\$y\$") and b.startswith(r"\$6\$") else 1)' "$ALICE" "$VERA"
OPTOK=op-token-0123456789abcdef
VIEWTOK=view-token-0123456789abcdef
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
trap community "public"
listen syslog udp 127.0.0.1 port $LPORT
http {
	listen 127.0.0.1 port $HPORT
	user "alice" role admin password "$ALICE"
	user "vera" role viewer password "$VERA"
	token "ci" role operator secret "$OPTOK"
	token "view" role viewer secret "$VIEWTOK"
}
device "sw" {
	address 127.0.0.1 port $SPORT
	interval 1
}
probe "lo" {
	icmp 127.0.0.1 count 2 interval 1
}
plan "web" {
	on demand
	devices "*"
	check ports health security
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration with an http block checks"
start_daemon "$CONF"
ok $? "netpatrold starts"
np() { "$NETPATROL" -f "$CONF" "$@"; }
wait_for 30 polls_at_least "$CONF" sw 3
ok $? "sw is polled"
export MIBS=
snmptrap -v2c -c public "127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.3 \
	1.3.6.1.2.1.2.2.1.1.1 i 1 1.3.6.1.2.1.2.2.1.8.1 i 2
logger -n 127.0.0.1 -P "$LPORT" -d --rfc5424 -t app "<script>alert(1)</script> hostile text"
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' findings --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin) else 1)'"
ok $? "the trap opened a finding"
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' logs --json | grep -q hostile"
ok $? "the syslog message is stored"
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' probes --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[0][\"updated\"] else 1)'"
ok $? "the probe has a step"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
B="Authorization: Bearer $OPTOK"
V="Authorization: Bearer $VIEWTOK"

# --- authentication ---
check "the API without a login: 401" test "$(code "$H/api/v1/devices")" = 401
check "/metrics without a login: 401" test "$(code "$H/metrics")" = 401
curl -s -D "$T/redir.h" -o /dev/null "$H/device?d=sw"
check "a page without a login: 302 to /login, with the way back" \
	grep -qi '^Location: /login?next=%2Fdevice%3Fd%3Dsw' "$T/redir.h"
check "the login page and the style sheet need no login" \
	test "$(code "$H/login")$(code "$H/static/style.css")" = 200200
check "a wrong token: 401" test "$(code -H 'Authorization: Bearer nope-nope-nope-nope' "$H/api/v1/devices")" = 401
curl -s -D "$T/bad.h" -o /dev/null -d "user=alice&password=wrong" "$H/login"
check "a bad password is refused (403, no cookie)" \
	sh -c "head -1 '$T/bad.h' | grep -q 403 && ! grep -qi '^Set-Cookie' '$T/bad.h'"
check "an unknown user is refused" test "$(code -d "user=mallory&password=x" "$H/login")" = 403
curl -s -D "$T/login.h" -o /dev/null -c "$T/jar" -d "user=alice&password=alice-pw-1&next=/findings" "$H/login"
check "alice logs in: 302 to where she was going" grep -qi '^Location: /findings' "$T/login.h"
check "the session cookie is HttpOnly and SameSite=Strict (not Secure without TLS)" \
	sh -c "grep -i '^Set-Cookie: np_session=' '$T/login.h' | grep -i HttpOnly | grep -i 'SameSite=Strict' | grep -vqi secure"
check "with the cookie the overview renders" sh -c "curl -s -b '$T/jar' '$H/' | grep -q '<h1>Overview</h1>'"
check "the token works for the API" test "$(code -H "$B" "$H/api/v1/devices")" = 200

# --- CSRF and roles ---
ID=$(np findings --json | json - "j[0]['id']")
check "a form post without its CSRF token: 403" \
	test "$(code -b "$T/jar" -d "id=$ID&action=note&text=x" "$H/finding/action")" = 403
check "with a wrong CSRF token: 403" \
	test "$(code -b "$T/jar" -d "id=$ID&action=note&text=x&csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$H/finding/action")" = 403
check "the viewer token may not acknowledge: 403" \
	test "$(code -H "$V" -X POST "$H/api/v1/findings/$ID/ack")" = 403
curl -s -H "$B" -d "text=on it" "$H/api/v1/findings/$ID/ack" >"$T/ack.json"
check "the operator token acknowledges through the API" json "$T/ack.json" "j['state']=='acknowledged'"
check "the operator token may not resolve: 403" \
	test "$(code -H "$B" -X POST "$H/api/v1/findings/$ID/resolve")" = 403
check "acknowledging twice is a conflict: 409" \
	test "$(code -H "$B" -X POST "$H/api/v1/findings/$ID/ack")" = 409
# (the history is in the store once the writer's batch is committed)
acked() {
	np finding "$ID" --json >"$T/f1.json" &&
		json "$T/f1.json" "[h['actor'] for h in j['history'] if h['action']=='acknowledge']==['web:ci']"
}
wait_for 30 acked
ok $? "the actor is the token's name, as web:NAME"

# --- the same keys as the CLI ---
curl -s -H "$B" "$H/api/v1/status" >"$T/api_status.json"
np status --json >"$T/cli_status.json"
for r in devices "ports?device=sw:ports sw" "sensors?device=sw:sensors sw" probes \
	events traps logs "findings?all=1:findings --all" "findings/$ID:finding $ID"; do
	case $r in *:*) api=${r%%:*} cli=${r#*:} ;; *) api=$r cli=$r ;; esac
	f=$(echo "$api" | tr '/?=&' '____')
	curl -s -H "$B" "$H/api/v1/$api" >"$T/api_$f.json"
	# shellcheck disable=SC2086
	np $cli --json >"$T/cli_$f.json"
	check "/api/v1/$api has the keys of netpatrol $cli --json" python3 - "$T/api_$f.json" "$T/cli_$f.json" <<'PY'
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:3])
if isinstance(a, dict):
    a, c = [a], [c]
assert a and len(a) == len(c), (len(a), len(c))
for x, y in zip(a, c):
    assert set(x) == set(y), set(x) ^ set(y)
PY
done
check "/api/v1/status has the keys of netpatrol status --json" python3 - "$T/api_status.json" "$T/cli_status.json" <<'PY'
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:3])
assert set(a) == set(c), set(a) ^ set(c)
assert "http" in a
PY

# --- /metrics ---
curl -s -H "$V" "$H/metrics" >"$T/metrics.txt"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$T/metrics.txt" >"$T/promtool.out" 2>&1
	ok $? "promtool check metrics passes ($(wc -l <"$T/metrics.txt") lines)"
else
	skip "promtool is not installed (Debian: prometheus)"
fi
check "/metrics has the pipeline's counters" sh -c \
	"grep -q '^netpatrol_polls_total [0-9]' '$T/metrics.txt' && grep -q '^netpatrol_snmp_timeouts_total{device=\"sw\"}' '$T/metrics.txt' && grep -q '^netpatrol_traps_received_total 1' '$T/metrics.txt' && grep -q '^netpatrol_syslog_messages_total 1' '$T/metrics.txt' && grep -q '^netpatrol_findings{state=\"acknowledged\"} 1' '$T/metrics.txt'"
check "/metrics has each device's refused values, counter resets and skipped port polls" sh -c \
	"grep -q '^netpatrol_device_bad_values_total{device=\"sw\"} [0-9]' '$T/metrics.txt' && grep -q '^netpatrol_device_value_resets_total{device=\"sw\"} [0-9]' '$T/metrics.txt' && grep -q '^netpatrol_device_ports_skipped_total{device=\"sw\"} 0' '$T/metrics.txt'"
check "/metrics has the last polled values of ports, sensors and probes" sh -c \
	"grep -q '^netpatrol_port_receive_bytes_per_second{device=\"sw\",port=' '$T/metrics.txt' && grep -q '^netpatrol_probe_loss_ratio{probe=\"lo\"' '$T/metrics.txt' && grep -q '^netpatrol_device_up{device=\"sw\"} 1' '$T/metrics.txt'"

# --- graphs ---
IFX=$(np ports sw --json | json - "[p['index'] for p in j if p['rrd']][0]")
wait_for 30 sh -c "test \$(curl -s -o /dev/null -w '%{http_code}' -H '$B' '$H/graph?d=sw&i=$IFX&t=bits&p=1d') = 200"
ok $? "a port's traffic graph renders"
curl -s -H "$B" -o "$T/g1.png" "$H/graph?d=sw&i=$IFX&t=bits&p=1w"
check "a graph flushes its RRD file first (rrd write-delay)" \
	sh -c "curl -s -H '$B' '$H/api/v1/status' | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[\"rrd\"][\"flushes\"] >= 1 else 1)'"
check "the graph is a real PNG" sh -c "head -c 8 '$T/g1.png' | od -An -tx1 | tr -d ' \n' | grep -qx 89504e470d0a1a0a"
before=$(curl -s -H "$B" "$H/api/v1/status" | json - "j['http']['graphs']['cached']")
curl -s -H "$B" -o "$T/g2.png" "$H/graph?d=sw&i=$IFX&t=bits&p=1w"
after=$(curl -s -H "$B" "$H/api/v1/status" | json - "j['http']['graphs']['cached']")
check "the same graph again comes from the cache, the same bytes" \
	sh -c "test $after = \$(($before + 1)) && cmp -s '$T/g1.png' '$T/g2.png'"
check "a graph of no record: 404" test "$(code -H "$B" "$H/graph?d=sw&i=999999&p=1d")" = 404
check "a probe's graph renders" test "$(code -H "$B" "$H/graph?probe=lo&p=1d")" = 200

# --- pages: HTML escaped, the form's acknowledge ---
curl -s -b "$T/jar" "$H/device?d=sw" >"$T/device.html"
check "the device page escapes what devices send" \
	sh -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$T/device.html' && ! grep -q '<script>' '$T/device.html'"
ID2=$(np open sw major "a finding for the form" --json | json - "j['id']")
curl -s -b "$T/jar" "$H/finding?id=$ID2" >"$T/finding.html"
CSRF=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' "$T/finding.html" | head -1)
check "the finding page has the session's CSRF token in its forms" test ${#CSRF} = 43
curl -s -D "$T/form.h" -o /dev/null -b "$T/jar" -d "csrf=$CSRF&id=$ID2&action=ack&text=from+the+page" "$H/finding/action"
check "the page's acknowledge form works: back to the finding" grep -qi "^Location: /finding?id=$ID2" "$T/form.h"
# (the store writes in batches: wait for the action to be there)
acked_by_alice() {
	"$NETPATROL" -f "$CONF" finding "$ID2" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j["state"]=="acknowledged" and j["history"][-1]["actor"]=="web:alice" else 1)'
}
wait_for 20 acked_by_alice
ok $? "the finding is acknowledged by web:alice"
curl -s -D "$T/vera.h" -o /dev/null -c "$T/jar2" -d "user=vera&password=vera-pw-2" "$H/login"
curl -s -b "$T/jar2" "$H/finding?id=$ID2" >"$T/finding2.html"
CSRF2=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' "$T/finding2.html" | head -1)
check "a viewer's form post with a good CSRF token is still refused: 403" \
	test "$(code -b "$T/jar2" -d "csrf=$CSRF2&id=$ID2&action=close" "$H/finding/action")" = 403
check "another session's CSRF token is refused" test "$CSRF" != "$CSRF2" -a \
	"$(code -b "$T/jar2" -d "csrf=$CSRF&id=$ID2&action=note&text=x" "$H/finding/action")" = 403

# --- headless Chromium through one-time login links ---
CHROME=$(command -v chromium || command -v chromium-browser || true)
link() {  # link NEXT: a one-time login link for the operator token
	curl -s -H "$B" --data-urlencode "next=$1" "$H/api/v1/login-link" | json - "j['link']"
}
# (the pages are drawn the same whatever the store: with the store in
# PostgreSQL, pg_mode_reports.sh, the API's answers are checked, not Chromium)
if [ -n "$CHROME" ] && [ "${NP_TEST_STORE:-}" != postgresql ]; then
	mkdir -p "$T/shots" "$T/chrome"
	chrome() {  # chrome NAME URL: the DOM in $T/shots/NAME.html, a screenshot
		timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu \
			--user-data-dir="$T/chrome/$1" --virtual-time-budget=5000 \
			--dump-dom "$2" >"$T/shots/$1.html" 2>>"$T/chrome.log"
		timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu \
			--user-data-dir="$T/chrome/$1" --window-size=1280,1600 \
			--virtual-time-budget=5000 --screenshot="$T/shots/$1.png" \
			"$H$3" >>"$T/chrome.log" 2>&1
	}
	r0=$(curl -s -H "$B" "$H/api/v1/status" | json - "j['http']['graphs']['rendered']+j['http']['graphs']['cached']")
	chrome overview "$H$(link /)" /
	check "Chromium: the overview renders" grep -q 'id="devices"' "$T/shots/overview.html"
	chrome device "$H$(link "/device?d=sw")" "/device?d=sw"
	check "Chromium: the device page renders with its ports' graphs" \
		sh -c "grep -q 'id=\"ports\"' '$T/shots/device.html' && grep -q 'src=\"/graph?d=sw&amp;i=' '$T/shots/device.html'"
	chrome port "$H$(link "/port?d=sw&i=$IFX")" "/port?d=sw&i=$IFX"
	check "Chromium: the port page renders with its twelve graphs" \
		test "$(grep -o '<img' "$T/shots/port.html" | wc -l)" -ge 12
	r1=$(curl -s -H "$B" "$H/api/v1/status" | json - "j['http']['graphs']['rendered']+j['http']['graphs']['cached']")
	check "Chromium fetched the graphs ($r0 -> $r1 served)" test "$r1" -ge $((r0 + 12))
	check "the screenshots are PNG files" sh -c "file '$T/shots/overview.png' '$T/shots/port.png' | grep -c 'PNG image' | grep -qx 2"
	# kept after the test (its directory is removed): the artifacts
	rm -rf "$top_builddir/tests/integration/http-shots"
	cp -r "$T/shots" "$top_builddir/tests/integration/http-shots"
	diag "screenshots: $top_builddir/tests/integration/http-shots"
	L=$(link /)
	curl -s -o /dev/null "$H$L"
	check "a login link works once only" test "$(code "$H$L")" = 403
elif [ -n "$CHROME" ]; then
	skip "Chromium: the pages with the store in PostgreSQL (drawn as with sqlite)"
else
	skip "chromium is not installed (Debian: chromium)"
fi
check "a viewer may not make login links" \
	test "$(code -H "$V" -X POST "$H/api/v1/login-link")" = 403

# --- hostile clients ---
check "a \"..\" path is refused" test "$(code --path-as-is "$H/static/../etc/passwd")" = 400
check "a %-escaped path is refused" test "$(code "$H/static/%2e%2e/x")" = 400
big=$(head -c 20000 /dev/zero | tr '\0' a)
c=$(code -H "X-Big: $big" -H "$B" "$H/api/v1/devices")
check "huge headers are refused ($c)" test "$c" != 200
head -c 100000 /dev/zero | tr '\0' a >"$T/body"
c=$(code -H "$B" --data-binary @"$T/body" "$H/api/v1/findings/$ID/note")
check "a huge body is refused ($c)" test "$c" != 200
check "an unknown route: 404" test "$(code -H "$B" "$H/nothing")" = 404
check "a NUL in a form value is refused" \
	test "$(code -H "$B" -d "text=a%00b" "$H/api/v1/findings/$ID/note")" = 400
python3 - "$HPORT" >"$T/idle.out" 2>&1 <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(40)
t = time.time()
try:
    d = s.recv(100)
except Exception as e:
    d = b"?"
print("closed" if d == b"" else "open", round(time.time() - t, 1))
PY
check "an idle connection is closed by the timeout ($(cat "$T/idle.out"))" grep -q '^closed' "$T/idle.out"
# a client dripping a header byte every 2 s: closed by the deadline (60 s)
python3 - "$HPORT" >"$T/drip.out" 2>&1 <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
t = time.time()
while time.time() - t < 100:
    try:
        s.sendall(b"X")
        s.settimeout(2)
        if s.recv(100) == b"":
            break
    except socket.timeout:
        continue
    except OSError:
        break
print("closed" if time.time() - t < 100 else "open", round(time.time() - t))
PY
check "a dripping client is closed by the connection deadline ($(cat "$T/drip.out"))" grep -q '^closed' "$T/drip.out"
python3 - "$HPORT" >"$T/cap.out" 2>&1 <<'PY'
import socket, sys, time
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(70)]
time.sleep(0.5)
# the 65th and later wait in the backlog: the listener is paused
print(len(socks))
PY
check "the connection cap pauses the listener" sh -c \
	"curl -s -H '$B' '$H/api/v1/status' | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[\"http\"][\"connections_paused\"]>=1 else 1)'"
check "and it serves again once they are gone" test "$(code -H "$B" "$H/api/v1/devices")" = 200

# --- the reports' archive ---
np inspect web --format json >"$T/web.json"
ok $? "netpatrol inspect web"
RUN=$(json "$T/web.json" "j['run']")
archived() { curl -s -H "$V" "$H/api/v1/reports" | json - "any(x['run']==$RUN and x['archived'] for x in j)"; }
wait_for 60 archived
ok $? "/api/v1/reports lists run $RUN, archived"
curl -s -H "$V" "$H/api/v1/reports/$RUN" >"$T/api_report.json"
check "/api/v1/reports/$RUN: the archived JSON report" \
	json "$T/api_report.json" "j['run']==$RUN and j['plan']=='web' and 'coverage' in j"
curl -s -D "$T/rep.h" -b "$T/jar" "$H/report?run=$RUN" >"$T/report.html"
check "/report?run=$RUN: the archived HTML, its CSP allowing only inline style and data: images" \
	sh -c "grep -q '</html>' '$T/report.html' && grep -i '^Content-Security-Policy:' '$T/rep.h' | grep -q \"img-src data:; style-src 'unsafe-inline'\" && test \$(grep -ci '^Content-Security-Policy:' '$T/rep.h') = 1"
check "/report?run=$RUN&format=text: text/plain" \
	sh -c "curl -s -D - -o /dev/null -b '$T/jar' '$H/report?run=$RUN&format=text' | grep -qi '^Content-Type: text/plain'"
curl -s -b "$T/jar" "$H/reports" >"$T/reports.html"
check "/reports: the run with links to each format" \
	sh -c "grep -q 'report?run=$RUN&amp;format=html' '$T/reports.html' && grep -q 'report?run=$RUN&amp;format=json' '$T/reports.html'"
C1=$(code -b "$T/jar" "$H/report?run=999999"); C2=$(code -b "$T/jar" "$H/report?run=x1")
C3=$(code -b "$T/jar" "$H/report?run=$RUN&format=pdf"); C4=$(code "$H/report?run=$RUN"); C5=$(code "$H/api/v1/reports")
check "/report of an unknown run: 404; a bad id or format: 400; without a login no report ($C1 $C2 $C3 $C4 $C5)" \
	test "$C1 $C2 $C3 $C5" = "404 400 400 401" -a "$C4" != 200

# --- KPIs: a month's, as netpatrol kpi gives them ---
M=$(date +%Y-%m)
curl -s -H "$V" "$H/api/v1/kpi?month=$M" >"$T/api_kpi.json"
np kpi --month "$M" --json >"$T/cli_kpi.json"
check "/api/v1/kpi?month=$M: the keys and values of netpatrol kpi --json" python3 -c "
import json, sys
a, c = (json.load(open(f)) for f in sys.argv[1:3])
assert set(a) == set(c), set(a) ^ set(c)
for k in ('plan_execution_rate', 'runs_planned', 'runs_done', 'findings_discovered', 'devices'):
    assert a[k] == c[k], (k, a[k], c[k])
assert 'timeliness_rate' in a and 'failure_rate' in a
" "$T/api_kpi.json" "$T/cli_kpi.json"
check "/kpi: the page" sh -c "curl -s -b '$T/jar' '$H/kpi?month=$M' | grep -q 'plan execution rate'"
C6=$(code -H "$V" "$H/api/v1/kpi?month=2026-13"); C7=$(code "$H/kpi")
check "/api/v1/kpi of a bad month: 400; /kpi without a login: no page ($C6 $C7)" test "$C6" = 400 -a "$C7" != 200

# --- logout ---
curl -s -b "$T/jar" "$H/findings" >"$T/findings.html"
CSRF=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' "$T/findings.html" | head -1)
curl -s -o /dev/null -b "$T/jar" -d "csrf=$CSRF" "$H/logout"
check "after the logout the cookie is no good" test "$(code -b "$T/jar" "$H/")" = 302

# --- TLS: a second daemon serving HTTPS with a self-signed certificate ---
if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
		-out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1
	HPORT2=$(port_pick)
	cat >"$T/tls.conf" <<EOF
state-dir "$T/state2"
control "$T/np2.sock"
pidfile "$T/np2.pid"
http {
	listen 127.0.0.1 port $HPORT2 tls cert "$T/cert.pem" key "$T/key.pem"
	user "alice" role admin password "$ALICE"
}
EOF
	"$NETPATROLD" -d -f "$T/tls.conf" >>"$T/daemon2.log" 2>&1 &
	PID2=$!
	PIDS="$PIDS $PID2"
	wait_for 20 sh -c "test \$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$HPORT2/login) = 200"
	ok $? "HTTPS: the login page over TLS"
	curl -sk -D "$T/tls.h" -o /dev/null -d "user=alice&password=alice-pw-1" "https://127.0.0.1:$HPORT2/login"
	check "HTTPS: the session cookie is Secure" sh -c "grep -i '^Set-Cookie: np_session=' '$T/tls.h' | grep -qi '; Secure'"
	check "HTTPS: plain HTTP on the TLS port gets no page" \
		sh -c "! curl -s -m 5 http://127.0.0.1:$HPORT2/login | grep -q '<form'"
	stop_pid "$PID2"
	ok $? "the HTTPS daemon stops cleanly"
else
	skip "openssl is not installed"
fi

stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
done_testing
