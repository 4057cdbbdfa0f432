#!/bin/bash
# config_poll.sh - a Cisco device's own word on its configuration, polled:
# a real snmpd says it is a Cisco (sysObjectID) and answers
# CISCO-CONFIG-MAN-MIB's ccmHistoryRunningLastChanged and
# ccmHistoryStartupLastChanged through a pass script; the running
# configuration moving is a fetch, and a change not written to startup
# is a config.unsaved finding until it is saved.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget python3

CCM=.1.3.6.1.4.1.9.9.43.1.1
echo 1000 >"$T/run"
echo 1000 >"$T/start"
cat >"$T/ccm.sh" <<EOS
#!/bin/sh
# snmpd pass: -g OID (get), -n OID (getnext)
run=\$(cat "$T/run"); start=\$(cat "$T/start")
case "\$1 \$2" in
"-g $CCM.1.0") printf '%s\ntimeticks\n%s\n' "$CCM.1.0" "\$run" ;;
"-g $CCM.3.0") printf '%s\ntimeticks\n%s\n' "$CCM.3.0" "\$start" ;;
esac
EOS
chmod +x "$T/ccm.sh"
SPORT=$(port_pick)
start_snmpd agent "$SPORT" "sysObjectID .1.3.6.1.4.1.9.1.1208
pass $CCM /bin/sh $T/ccm.sh"
ok $? "snmpd answers"
check "it answers ccmHistoryRunningLastChanged" sh -c \
	"snmpget -v2c -c public -On 127.0.0.1:$SPORT $CCM.1.0 | grep -q 1000"

cp "$top_srcdir/tests/data/configs/r1-v1.ios" "$T/r1.cfg"
chmod u+w "$T/r1.cfg"
CONF=$T/np.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
device "r1" {
	address 127.0.0.1 port $SPORT
	interval 1
	config fetch "/bin/cat" "$T/r1.cfg"
	config platform ios
	config interval off
	config coalesce 0
}
EOF
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
NP() { "$NETPATROL" -f "$CONF" "$@"; }
wait_for 30 polls_at_least "$CONF" r1 2
ok $? "r1 is polled"
check "no configuration yet: nothing fetched" sh -c "! '$NETPATROL' -f '$CONF' config versions r1 >/dev/null 2>&1"

sed -i 's/description uplink/description changed on the box/' "$T/r1.cfg"
echo 2000 >"$T/run"
v1() { NP config versions r1 --json | json - "len(j) >= 1 and j[-1]['trigger'].startswith('poll: ')"; }
wait_for 30 v1
ok $? "ccmHistoryRunningLastChanged moved: a fetch, triggered by the poll"
unsaved() { NP findings --json | json - "any(f['kind'] == 'config.unsaved' and f['device'] == 'r1' for f in j)"; }
wait_for 30 unsaved
ok $? "running changed after startup was written: a config.unsaved finding"
st_unsaved() { NP config status r1 --json | json - "j[0]['unsaved'] is True"; }
wait_for 20 st_unsaved
ok $? "config status says unsaved"
echo 2500 >"$T/start"
saved() { NP findings --all --json | json - "any(f['kind'] == 'config.unsaved' and f['state'] == 'resolved' for f in j)"; }
wait_for 30 saved
ok $? "written to startup: the finding is resolved"
st_saved() { NP config status r1 --json | json - "j[0]['unsaved'] is False"; }
wait_for 20 st_saved
ok $? "config status says saved"
stop_pid "$DAEMON_PID"
done_testing
