#!/bin/bash
# json_keys.sh - the JSON keys of every `netpatrol ... --json` command, as
# printed by the real CLI and daemon, are the keys netpatrol(8) documents
# in its JSON OUTPUT section: no key printed that the page does not name,
# and, where every object carries all its keys, none named that is not
# printed. A real snmpd is polled, a linkDown trap and a syslog message
# arrive, a finding opens and goes to an exec hook, a mail and a syslog
# target.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget snmptrap logger python3

MAN=$top_srcdir/man/netpatrol.8
SPORT=$(port_pick)
start_snmpd agent "$SPORT"
ok $? "snmpd answers"
TPORT=$(port_pick)
LPORT=$(port_pick)
DEAD=$(port_pick)
HPORT=$(port_pick)
cat >"$T/hook" <<EOS
#!/bin/sh
cat >"$T/hook.\$(date +%s%N).json"
EOS
cat >"$T/sendmail" <<EOS
#!/bin/sh
cat >/dev/null
EOS
chmod +x "$T/hook" "$T/sendmail"
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
sendmail "$T/sendmail"
listen trap udp 127.0.0.1 port $TPORT
trap community "public"
listen syslog udp 127.0.0.1 port $LPORT
listen syslog tcp 127.0.0.1 port $LPORT
http {
	listen 127.0.0.1 port $HPORT
	token "keys" role viewer secret "keys-token-0123456789"
}
notify "hook" { exec "$T/hook" }
notify "noc" { trap v2c 127.0.0.1 port $DEAD community "noc" }
notify "log" { syslog tcp 127.0.0.1 port $DEAD }
notify "mail" { mail "noc@example.net" }
remote-write "http://127.0.0.1:$DEAD/api/v1/write"
device "sw" {
	address 127.0.0.1 port $SPORT
	interval 1
	config fetch "/bin/cat" "$T/sw.cfg"
	config platform ios
	config interval off
	policy "keys"
}
policy "keys" {
	require "^hostname " text "a host name"
	check "weak-community"
}
probe "lo" {
	icmp 127.0.0.1 count 2 interval 1
}
link "lo" {
	interface "lo"
	step 1
}
plan "p" {
	on demand
	devices "sw"
	check ports health probes security
}
EOF
cp "$top_srcdir/tests/data/configs/r1-v1.ios" "$T/sw.cfg"
chmod u+w "$T/sw.cfg"
start_daemon "$CONF"
ok $? "netpatrold starts"
wait_for 30 polls_at_least "$CONF" sw 2
ok $? "sw is polled"
export MIBS=
snmptrap -v2c -c public "127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.3 \
	1.3.6.1.2.1.2.2.1.1.1 i 1 1.3.6.1.2.1.2.2.1.8.1 i 2 \
	1.3.6.1.2.1.2.2.1.2.1 x 00ff10
logger -n 127.0.0.1 -P "$LPORT" -d --rfc5424 -t app "a message for the keys"
np() { "$NETPATROL" -f "$CONF" "$@"; }
open_finding() { np findings --json | json - "len(j) >= 1"; }
wait_for 20 open_finding
ok $? "the trap opened a finding"
logged() { np logs --json | json - "len(j) >= 1"; }
wait_for 20 logged
ok $? "the syslog message is stored"
wait_for 20 sh -c "ls '$T'/hook.*.json >/dev/null 2>&1"
ok $? "the exec hook ran"
ID=$(np findings --json | json - "j[0]['id']")
probed() { np probes --json | json - "j[0]['updated'] is not None"; }
wait_for 20 probed
ok $? "the probe has a step"
linked() { np traffic --json | json - "j[0]['updated'] is not None and j[0]['in_packets'] > 0"; }
wait_for 20 linked
ok $? "the link has a step"

# what the commands print, one file each
np devices --json >"$T/devices.json"
np ports sw --json >"$T/ports.json"
np events --json >"$T/events.json"
np traps --json >"$T/traps.json"
np logs --json >"$T/logs.json"
np sensors sw --json >"$T/sensors.json"
np health --json >"$T/health.json"
np probes --json >"$T/probes.json"
np traffic --json >"$T/traffic.json"
np traffic lo --top --json >"$T/traffic --top.json"
np traffic lo --protocols --json >"$T/traffic --protocols.json"
np findings --all --json >"$T/findings.json"
np finding "$ID" --json >"$T/finding.json"
np note "$ID" keys --json >"$T/actions.json"
np ack 99999 --json >"$T/refused.json"
np config fetch sw --json >"$T/config fetch.json"
sed -i 's/description uplink/description core/' "$T/sw.cfg"
np config fetch sw --json >/dev/null
np config versions sw --json >"$T/config versions.json"
np config show sw --json >"$T/config show.json"
np config diff sw --json >"$T/config diff.json"
np config approve sw 1 --json >"$T/config approve.json"
np config status --json >"$T/config status.json"
np compliance --json >"$T/compliance.json"
np inspect p --json >/dev/null
np inspect p --json >"$T/report.json"
np reports --json >"$T/reports.json"
np kpi --json >"$T/kpi.json"
np report compliance --json >"$T/report compliance.json"
np status --json >"$T/status.json"
np reload --json >"$T/reload.json"
np rrd flush --json >"$T/rrd flush.json"
np rrd flush sw/port-lo.rrd --json >"$T/rrd flush file.json"
cp "$(ls "$T"/hook.*.json | head -1)" "$T/hook.json"

python3 - "$MAN" "$T" >"$T/keys.out" 2>&1 <<'PY'
import json, re, sys

man, d = sys.argv[1], sys.argv[2]
doc, sect, ss = {}, None, None
for line in open(man):
    if line.startswith(".Sh "):
        sect = line[4:].strip()
    elif sect == "JSON OUTPUT" and line.startswith(".Ss "):
        ss = line[4:].strip().strip('"')
        doc[ss] = set()
    elif sect == "JSON OUTPUT" and ss and line.startswith(".It Li "):
        doc[ss].add(line.split()[2])

def load(name):
    return json.load(open(f"{d}/{name}.json"))

def keys(objs):
    s = set()
    for o in objs:
        s |= set(o)
    return s

# (section, the objects printed, exact: every object has every key)
got = []
def add(sect, objs, exact=True):
    got.append((sect, objs, exact))

for cmd in ("devices", "ports", "events", "logs", "sensors", "health",
            "findings", "probes", "traffic", "traffic --top",
            "traffic --protocols"):
    add(cmd, load(cmd))
traps = load("traps")
add("traps", traps)
add("traps: varbinds[]", [v for t in traps for v in t["varbinds"]], False)
one = load("finding")
add("finding", [{k: v for k, v in one.items()
                 if k not in doc.get("findings", ())}])
add("finding: history[]", one["history"])
add("actions", [load("actions"), load("refused")])
add("reload", [load("reload")])
add("rrd flush", [load("rrd flush"), load("rrd flush file")], False)
for k in ("config versions", "config status", "compliance"):
    add(k, load(k))
for k in ("config show", "config diff", "config fetch", "config approve"):
    add(k, [load(k)])
add("reports", load("reports"))
add("reports: period", [r["period"] for r in load("reports")])
rep = load("report")
add("report", [rep])
for k in ("period", "scope", "coverage", "summary", "metrics", "security",
          "previous"):
    add("report: " + k, [rep[k]])
add("report: metrics.cpu_load", [rep["metrics"][m] for m in rep["metrics"]
                                 if m != "top_ports"])
add("report: security.devices[]", rep["security"]["devices"])
add("kpi", [load("kpi"), rep["kpi"]])
add("kpi: targets", [load("kpi")["targets"]])
rc = load("report compliance")
add("report compliance", [rc])
add("report compliance: devices[]", rc["devices"])
hook = load("hook")
add("exec hook", [hook])
add("findings", [hook["finding"]])
st = load("status")
add("status", [st])
for k in ("store", "log_store", "remote_write", "rrd", "poller", "findings", "notify", "traps",
          "syslog", "config_archive", "probes", "links", "plans", "http",
          "report_archive"):
    # (poller: devices_here only in a cluster, cluster.sh)
    add("status: " + k, [st[k]], k not in ("syslog", "poller"))
add("status: remote_write", st["remote_writes"])
add("status: http.graphs", [st["http"]["graphs"]])
add("status: syslog.retention", [st["syslog"]["retention"]])
add("status: devices[]", st["devices"], False)  # (node: in a cluster)
for k in ("notify.targets", "traps.listeners", "traps.senders",
          "syslog.listeners", "syslog.senders"):
    a, b = k.split(".")
    add(f"status: {k}[]", st[a][b], False)
add("status: plans.next[]", st["plans"]["next"])

bad = 0
for sect, objs, exact in got:
    if sect not in doc:
        print(f"not documented: section {sect}")
        bad += 1
        continue
    printed = keys(objs)
    if not objs:
        print(f"nothing printed for {sect}")
        bad += 1
    for k in sorted(printed - doc[sect]):
        print(f"{sect}: key {k} is printed, not documented")
        bad += 1
    if exact:
        for k in sorted(doc[sect] - printed):
            print(f"{sect}: key {k} is documented, not printed")
            bad += 1
# the cluster's sections: checked by cluster.sh, with a cluster
for ss in sorted(set(doc) - {s for s, _, _ in got} -
                 {"cluster", "status: cluster"}):
    print(f"section {ss} of the page is not checked")
    bad += 1
print(f"{len(got)} objects' keys against {len(doc)} sections")
sys.exit(1 if bad else 0)
PY
rc=$?
sed 's/^/# /' "$T/keys.out"
ok $rc "the keys printed are the keys netpatrol(8) documents"
stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
done_testing
