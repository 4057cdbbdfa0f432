#!/bin/bash
# trap_corpus.sh - the real trap texts of ../shared/corpus/traps/ (LibreNMS's
# test traps, in snmptrapd's output form) sent again with net-snmp's
# snmptrap: every one must be accepted, stored, and decoded to the trap OID
# the corpus lists, with its varbinds in order. Skipped without the corpus.
. "$(dirname "$0")/lib.sh"
need snmptrap python3
CORPUS=$SHARED/corpus/traps/librenms_snmptrapd_traps.txt
[ -f "$CORPUS" ] || skip_all "no trap corpus at $CORPUS"

TPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
trap community "corpus"
trap mibs "$top_srcdir/mibs"
EOF
start_daemon "$CONF"
ok $? "netpatrold listens for traps"

# Each block: its numeric trap OID, and its varbinds as (numeric OID, text)
python3 - "$CORPUS" >"$T/plan.json" <<'PY'
import json, re, sys
blocks = open(sys.argv[1]).read().split("### TRAP ")[1:]
plan = []
for b in blocks:
    head, _, rest = b.partition("-----BEGIN TRAP-----")
    body = rest.partition("-----END TRAP-----")[0].strip("\n").split("\n")
    m = re.search(r"^# trap-oid: .*mibs/: (\.[0-9.]+)\)", head, re.M)
    if not m:
        continue  # no numeric trap OID: the negative tests
    objs = {}
    vm = re.search(r"^# varbind-objects: (.*)$", head, re.M)
    for part in (vm.group(1).split("; ") if vm else []):
        name, _, num = part.partition("=")
        objs[name.strip()] = num.strip()
    vbs, skipped = [], 0
    lines = []
    for line in body[2:]:
        # the VMware block has two varbinds on one line
        lines += re.split(r"\s+(?=[A-Za-z0-9-]+::[A-Za-z0-9]+\.\S+\s)", line.strip())
    for line in lines:
        mm = re.match(r"([A-Za-z0-9-]+::[A-Za-z0-9]+)(\S*)\s*(?:=\s*[A-Za-z0-9 -]+:\s*)?(.*)$", line)
        if not mm:
            skipped += 1
            continue
        name, idx, val = mm.groups()
        if name.endswith("sysUpTimeInstance") or name.endswith("::sysUpTime") \
                or name.endswith("::snmpTrapOID"):
            continue
        if name not in objs or objs[name] in ("", "?"):
            skipped += 1
            continue
        sub = []
        for p in re.findall(r'\."([^"]*)"|\.(\d+)', idx):
            if p[0] or (p[1] == "" and p[0] == ""):
                sub += [str(len(p[0]))] + [str(ord(c)) for c in p[0]]
            else:
                sub.append(p[1])
        vbs.append([objs[name] + "".join("." + s for s in sub), val.strip().strip('"')[:200]])
    plan.append({"n": head.split("\n")[0].strip(), "oid": m.group(1),
                 "vbs": vbs, "skipped": skipped})
json.dump(plan, sys.stdout)
PY
N=$(json "$T/plan.json" "len(j)")
[ "$N" -ge 30 ]
ok $? "$N corpus traps have a numeric trap OID (of 41; two are negative tests)"
i=0
while [ $i -lt "$N" ]; do
	# shellcheck disable=SC2046
	eval "set -- $(json "$T/plan.json" "' '.join(\"'%s' s '%s'\" % (o, v.replace(\"'\", '')) for o, v in j[$i]['vbs'])")"
	MIBS= snmptrap -v2c -c corpus "127.0.0.1:$TPORT" '' "$(json "$T/plan.json" "j[$i]['oid']")" "$@"
	i=$((i + 1))
done
stored() { "$NETPATROL" -f "$CONF" traps --json --limit 100000 >"$T/t.json" && json "$T/t.json" "len(j) >= $N"; }
wait_for 30 stored
ok $? "all $N corpus traps are stored"
python3 - "$T/plan.json" "$T/t.json" >"$T/diff" <<'PY'
import json, sys
plan, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
for p, t in zip(plan, got):
    if t["trap_oid"] != p["oid"]:
        bad.append(f"TRAP {p['n']}: trap OID {t['trap_oid']}, corpus {p['oid']}")
    oids = [v["oid"] for v in t["varbinds"]]
    want = [o if o.startswith(".") else "." + o for o, _ in p["vbs"]]
    if oids != want:
        bad.append(f"TRAP {p['n']}: varbinds {oids}, corpus {want}")
    vals = [str(v["value"]) for v in t["varbinds"]]
    if vals != [v for _, v in p["vbs"]]:
        bad.append(f"TRAP {p['n']}: values differ: {vals}")
for b in bad[:10]:
    print(b)
print(f"{len(plan)} traps, {sum(len(p['vbs']) for p in plan)} varbinds "
      f"({sum(p['skipped'] for p in plan)} without a numeric OID in the corpus), "
      f"{len(bad)} differences")
sys.exit(1 if bad or len(got) != len(plan) else 0)
PY
rc=$?
ok $rc "decoded to the corpus's trap OIDs and varbinds ($(tail -1 "$T/diff"))"
[ $rc -ne 0 ] && sed 's/^/#   /' "$T/diff"
"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
check "none rejected, none malformed" json "$T/st.json" \
	"j['traps']['rejected']==0 and j['traps']['malformed']==0 and j['traps']['accepted']==$N"
check "standard traps typed: linkDown, linkUp, coldStart, warmStart, authenticationFailure" \
	json "$T/t.json" "[t['kind'] for t in j][:5]==['port.down','port.up','device.reboot','device.reboot','security.snmp_auth_failure']"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
