#!/bin/bash
# syslog_corpus.sh - the shared corpus end to end: every syslog message of
# it (napalm-logs device messages, rsyslog's parser vectors and fuzz seeds,
# wazuh's log samples) is sent over UDP to the daemon and must land in the
# store, raw bytes as sent, with the fields syslog_parse() gives it (the
# parser is checked against the corpus's expectations by
# tests/unit/syslog_corpus.py; here, that the receiver keeps all of it).
# The napalm-logs interface and configuration messages must also become
# the built-in events. Skipped without the corpus.
. "$(dirname "$0")/lib.sh"
need python3
CORPUS=$SHARED/corpus/syslog
[ -d "$CORPUS" ] || skip_all "no shared corpus at $CORPUS"
DRIVER=$top_builddir/tests/unit/syslog_corpus
[ -x "$DRIVER" ] || skip_all "tests/unit/syslog_corpus is not built"

LPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog udp 127.0.0.1 port $LPORT
EOF
start_daemon "$CONF"
ok $? "netpatrold starts"

python3 - "$CORPUS" "$LPORT" "$T/sent.json" <<'PY'
import glob, json, os, re, socket, sys, time
corpus, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
msgs = []
for f in sorted(glob.glob(os.path.join(corpus, "napalm-logs/*/*/*/syslog.msg"))):
    parts = f.split(os.sep)
    msgs.append(("napalm", "%s/%s/%s" % tuple(parts[-4:-1]), open(f, "rb").read()))
vec = json.load(open(os.path.join(corpus, "rsyslog/rsyslog_parser_vectors.json")))
for t in vec["tests"]:
    for i, inp in enumerate(t["inputs"]):
        msgs.append(("rsyslog", "%s#%d" % (t["test"], i), inp["msg"].encode()))
for f in sorted(glob.glob(os.path.join(corpus, "rsyslog/fuzz-corpus-syslog-message/*"))):
    msgs.append(("fuzz", os.path.basename(f), open(f, "rb").read()))
for f in sorted(glob.glob(os.path.join(corpus, "wazuh-ruleset/*.ini"))):
    for n, line in enumerate(open(f, "rb").read().split(b"\n")):
        m = re.match(rb"log \d+ pass = (.*)$", line)
        if m:
            msgs.append(("wazuh", "%s:%d" % (os.path.basename(f), n + 1), m.group(1)))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, (_, _, b) in enumerate(msgs):
    s.sendto(b, ("127.0.0.1", port))
    if i % 50 == 49:
        time.sleep(0.05)
json.dump([(g, n, b.hex()) for g, n, b in msgs], open(out, "w"))

PY
N=$(json "$T/sent.json" "len(j)")
ok $? "$N corpus messages sent over UDP"
nlogs() { "$NETPATROL" -f "$CONF" logs --json --limit 0 | json - "len(j) >= $N"; }
wait_for 30 nlogs
ok $? "all $N are stored"
"$NETPATROL" -f "$CONF" logs --json --limit 0 >"$T/logs.json"
"$NETPATROL" -f "$CONF" events --json >"$T/events.json"
json "$T/sent.json" "'\n'.join(h for g, n, h in j)" | "$DRIVER" -r 1700000000 -x >"$T/parsed.jsonl"

(python3 - "$T/sent.json" "$T/logs.json" "$T/parsed.jsonl" "$T/events.json" <<'PY'
import json, sys
sent = json.load(open(sys.argv[1]))
logs = json.load(open(sys.argv[2]))
parsed = [json.loads(l) for l in open(sys.argv[3])]
events = json.load(open(sys.argv[4]))
def ok(cond, what):
    print("%s\t%s" % ("PASS" if cond else "FAIL", what))
FAC = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
       "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock"] + \
      ["local%d" % i for i in range(8)]
SEV = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]
ok(len(logs) == len(sent) == len(parsed), "as many stored (%d) as sent (%d) and parsed (%d)"
   % (len(logs), len(sent), len(parsed)))
bad = {}
for (group, name, hx), m, p in zip(sent, logs, parsed):
    raw = bytes.fromhex(hx)
    want = {
        "raw": raw[:8192].decode("utf-8", "replace"),
        "len": len(raw),
        "facility": FAC[p["facility"]], "severity": SEV[p["severity"]],
        "host": p["host"], "app": p["app"], "procid": p["procid"],
        "msgid": p["msgid"], "sd": p["sd"],
        "mnemonic": p["mnemonic"] or p["tag"], "text": p["msg"],
    }
    for k, v in want.items():
        if m[k] != v:
            bad.setdefault(group, []).append("%s %s: %r != %r" % (name, k, m[k], v))
for group in ("napalm", "rsyslog", "fuzz", "wazuh"):
    count = sum(1 for g, _, _ in sent if g == group)
    ok(group not in bad, "%s: %d messages stored with the parser's fields and raw bytes"
       % (group, count))
    for line in bad.get(group, [])[:5]:
        print("DIAG\t" + line)
# the built-in events of the napalm-logs messages
def kinds(tagprefix):
    ids = [m["event_id"] for (g, name, _), m in zip(sent, logs)
           if g == "napalm" and name.split("/")[1] == tagprefix]
    byid = {e["id"]: e for e in events}
    return [byid[i]["kind"] if i in byid else None for i in ids]
down = kinds("INTERFACE_DOWN")
up = kinds("INTERFACE_UP")
# NX-OS's PORT_INDIVIDUAL_DOWN is a port-channel member going individual,
# not a link down: napalm calls it INTERFACE_DOWN, netpatrol no event
ok(sum(k in ("port.down", "port.admin_down") for k in down) == len(down) - 1,
   "napalm INTERFACE_DOWN: %d of %d are port.down/port.admin_down (all but "
   "NX-OS PORT_INDIVIDUAL_DOWN)"
   % (sum(k in ("port.down", "port.admin_down") for k in down), len(down)))
ok(all(k == "port.up" for k in up),
   "napalm INTERFACE_UP: %d of %d are port.up" % (sum(k == "port.up" for k in up), len(up)))
cfg = kinds("USER_EXIT_CONFIG_MODE") + kinds("CONFIGURATION_COMMIT_COMPLETED")
ok(all(k == "config.changed" for k in cfg) and len(cfg) >= 4,
   "napalm USER_EXIT_CONFIG_MODE, CONFIGURATION_COMMIT_COMPLETED: %d config.changed"
   % len(cfg))
ok(all(k is None for k in kinds("USER_ENTER_CONFIG_MODE")),
   "napalm USER_ENTER_CONFIG_MODE (%SYS-5-CONFIG_E): no event")
PY
) >"$T/results.txt"
while IFS=$'\t' read -r what line; do
	case $what in
	PASS) ok 0 "$line" ;;
	FAIL) ok 1 "$line" ;;
	DIAG) diag "$line" ;;
	esac
done <"$T/results.txt"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
