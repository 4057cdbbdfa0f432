#!/bin/bash
# traps.sh - the trap and inform receiver against net-snmp's own senders:
# v1 and v2c traps, v2c and v3 informs (acknowledged), v3 traps with the
# sender's engine ID, rejected communities and keys (counted, and said as
# a rate-limited event), standard traps as typed events (linkDown with the
# poller's port key), rules with varbind matches, storms folded, garbage
# datagrams counted, and the traps stored whole for `netpatrol traps`.
. "$(dirname "$0")/lib.sh"
need snmpd snmptrap snmpinform snmpget python3

SPORT=$(port_pick)
start_snmpd agent "$SPORT"
ok $? "snmpd answers (the device the traps come from)"
TPORT=$(port_pick)
# IPv6 on loopback where this machine has it
V6=""
python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' \
	2>/dev/null && V6="listen trap udp ::1 port $TPORT"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
$V6
trap community "traps-ro"
trap user "noc" auth sha "nocauth123" priv aes "nocpriv123"
trap user "noc2" auth sha "noc2auth12" engine-id "0x8000000001020304"
trap storm 20 per 1h
trap mibs "$top_srcdir/mibs"
trap rule "1.3.6.1.4.1.9.9.43.2.0.2" kind "config.changed" severity minor \\
	text "running configuration changed on %device (%name)"
trap rule "1.3.6.1.4.1.99999.0.1" match "1.3.6.1.4.1.99999.1" "^CONFIG_" \\
	kind "config.changed" severity warning key "config:%2" \\
	text "config event %1 by %2 from %sender"
device "host" {
	address 127.0.0.1 port $SPORT
	snmp v2c community "public"
	interval 2
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts with a trap listener on udp 127.0.0.1:$TPORT"
wait_for 30 polls_at_least "$CONF" host 1
ok $? "the device is polled (its ports are known)"

export MIBS=
tv2() { snmptrap -v2c -c "${C:-traps-ro}" "127.0.0.1:$TPORT" '' "$@"; }
traps() { "$NETPATROL" -f "$CONF" traps --json; }
ntraps() { traps | json - "len(j) >= $1"; }
status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }

# linkDown: the port named as the poller names it, key port:NAME
tv2 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.1 i 1 1.3.6.1.2.1.2.2.1.7.1 i 1 \
	1.3.6.1.2.1.2.2.1.8.1 i 2
wait_for 20 ntraps 1
ok $? "a v2c linkDown is stored"
traps >"$T/t.json"
"$NETPATROL" -f "$CONF" ports host --json >"$T/p.json"
LO=$(json "$T/p.json" "[p['name'] for p in j if p['index']==1][0]")
check "linkDown ifIndex 1 is port.down with the poller's key port:$LO" \
	json "$T/t.json" "j[0]['kind']=='port.down' and j[0]['key']=='port:$LO' and j[0]['severity']=='major'"
check "the sender is mapped to the device" \
	json "$T/t.json" "j[0]['device']=='host' and j[0]['known'] and j[0]['sender']=='127.0.0.1'"
check "MIB names: IF-MIB::linkDown, and enum labels" \
	json "$T/t.json" "j[0]['trap_name']=='IF-MIB::linkDown' and j[0]['varbinds'][2]['label']=='down' and j[0]['varbinds'][0]['name']=='IF-MIB::ifIndex.1'"
"$NETPATROL" -f "$CONF" events --json --kind port. >"$T/e.json"
check "the event has source trap and the same key" \
	json "$T/e.json" "any(e['source']=='trap' and e['key']=='port:$LO' and e['new_state']=='down' for e in j)"

# v1: generic coldStart, and an enterprise-specific trap (RFC 3584 form)
snmptrap -v1 -c traps-ro "127.0.0.1:$TPORT" 1.3.6.1.4.1.8072.4 127.0.0.1 0 0 ''
snmptrap -v1 -c traps-ro "127.0.0.1:$TPORT" 1.3.6.1.4.1.99998 127.0.0.1 6 17 '' \
	1.3.6.1.4.1.99998.1.0 s "hello"
wait_for 20 ntraps 3
ok $? "two v1 traps are stored"
traps >"$T/t.json"
check "v1 coldStart: device.reboot, key uptime" \
	json "$T/t.json" "j[1]['version']=='v1' and j[1]['kind']=='device.reboot' and j[1]['key']=='uptime' and j[1]['trap_oid']=='.1.3.6.1.6.3.1.1.5.1'"
check "v1 enterprise-specific: ENTERPRISE.0.SPECIFIC, agent-addr and enterprise kept" \
	json "$T/t.json" "j[2]['trap_oid']=='.1.3.6.1.4.1.99998.0.17' and j[2]['kind']=='trap' and j[2]['varbinds'][0]['value']=='hello' and j[2]['varbinds'][1]['value']=='127.0.0.1' and j[2]['varbinds'][2]['value']=='.1.3.6.1.4.1.99998'"

# informs are acknowledged; v3 with discovery of our engine ID
snmpinform -v2c -c traps-ro -t 2 -r 1 "127.0.0.1:$TPORT" '' 1.3.6.1.4.1.99999.0.1 \
	1.3.6.1.4.1.99999.1.0 s CONFIG_I 1.3.6.1.4.1.99999.2.0 s admin
ok $? "a v2c inform is acknowledged"
snmpinform -v3 -u noc -l authPriv -a SHA -A nocauth123 -x AES -X nocpriv123 -t 2 -r 1 \
	"127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.2
ok $? "a v3 authPriv inform is acknowledged (engine ID discovered)"
snmptrap -v3 -e 0x8000000001020304 -u noc2 -l authNoPriv -a SHA -A noc2auth12 \
	"127.0.0.1:$TPORT" '' 1.3.6.1.4.1.9.9.43.2.0.2
wait_for 20 ntraps 6
ok $? "a v3 trap from a configured engine ID is stored"
traps >"$T/t.json"
check "the inform matched its rule: kind, key and text from the varbinds" \
	json "$T/t.json" "j[3]['inform'] and j[3]['kind']=='config.changed' and j[3]['key']=='config:admin' and j[3]['text']=='config event CONFIG_I by admin from 127.0.0.1'"
check "the v3 inform: user noc, warmStart" \
	json "$T/t.json" "j[4]['version']=='v3' and j[4]['security']=='noc' and j[4]['kind']=='device.reboot'"
check "the v3 trap hit the ccmCLIRunningConfigChanged rule" \
	json "$T/t.json" "j[5]['security']=='noc2' and j[5]['kind']=='config.changed' and j[5]['severity']=='minor' and j[5]['text'].startswith('running configuration changed on host')"

# rejected: a wrong community, a wrong key, a user without a trap user
C=wrong tv2 1.3.6.1.6.3.1.1.5.1
snmpinform -v3 -u noc -l authPriv -a SHA -A wrongauth12 -x AES -X nocpriv123 -t 3 -r 1 \
	"127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.2 2>/dev/null
ok $(( $? == 0 )) "an inform with a wrong key is not acknowledged"
snmptrap -v3 -e 0x8000000001020305 -u noc2 -l authNoPriv -a SHA -A noc2auth12 \
	"127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.2
rejected() { status; json "$T/st.json" "j['traps']['rejected'] >= 3"; }
wait_for 20 rejected
ok $? "three rejections counted"
rejected_event() { "$NETPATROL" -f "$CONF" events --json --kind trap.rejected >"$T/e.json" && json "$T/e.json" "len(j) >= 1"; }
wait_for 20 rejected_event   # the store writes in batches
check "one trap.rejected event (rate-limited), on the device" \
	json "$T/e.json" "len(j)==1 and j[0]['device']=='host' and j[0]['severity']=='warning'"
check "nothing rejected was stored" json - "len(j)==6" < <(traps)

# garbage: counted as malformed, the receiver goes on
python3 - "$TPORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a = ("127.0.0.1", int(sys.argv[1]))
bad = [b"", b"\x30", b"\x30\x82\xff\xff\x02\x01\x01",   # truncated, lying length
       b"\x30\x0b\x02\x01\x05\x04\x01x\xa7\x03\x02\x01\x00",  # version 5
       b"\x30\x84\x7f\xff\xff\xff" + b"\x00" * 20,      # absurd length
       bytes(range(256)) * 4, b"\x04\x05hello"]
for b in bad:
    s.sendto(b, a)
PY
malformed() { status; json "$T/st.json" "j['traps']['malformed'] >= 5"; }
wait_for 20 malformed
ok $? "garbage datagrams are counted as malformed"
tv2 1.3.6.1.4.1.99999.0.9
wait_for 20 ntraps 7
ok $? "and the receiver still takes traps"
traps >"$T/t.json"
check "an unmatched trap is an event of kind trap, never dropped" \
	json "$T/t.json" "j[6]['kind']=='trap' and j[6]['key']=='trap:.1.3.6.1.4.1.99999.0.9' and j[6]['severity']=='info'"

# an SNMPv3 message with an unknown security model (99), and one trap
# with 300 varbinds: stored whole
python3 - "$TPORT" <<'PY'
import socket, sys
def tlv(t, v): 
    n = len(v)
    l = bytes([n]) if n < 128 else bytes([0x82, n >> 8, n & 255])
    return bytes([t]) + l + v
def i(n): return tlv(2, n.to_bytes(4, "big"))
pdu = tlv(0xa7, i(1) + i(0) + i(0) + tlv(0x30, b""))
msg = tlv(0x30, i(3) + tlv(0x30, i(7) + i(65507) + tlv(4, b"\x00") + i(99))
          + tlv(4, b"") + tlv(0x30, tlv(4, b"") + tlv(4, b"") + pdu))
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(msg, ("127.0.0.1", int(sys.argv[1])))
PY
unknown_model() { status; json "$T/st.json" "j['traps']['malformed'] >= 6"; }
wait_for 20 unknown_model
ok $? "an unknown security model is counted as malformed"
set --
for k in $(seq 1 300); do set -- "$@" "1.3.6.1.4.1.99999.4.$k" i "$k"; done
tv2 1.3.6.1.4.1.99999.0.10 "$@"
wait_for 20 ntraps 8
ok $? "a trap with 300 varbinds is stored"
check "with all 300 varbinds, in order" json - \
	"len(j[7]['varbinds'])==300 and j[7]['varbinds'][299]['value']==300" < <(traps)

if [ -n "$V6" ]; then
	snmptrap -v2c -c traps-ro "udp6:[::1]:$TPORT" '' 1.3.6.1.6.3.1.1.5.1
	wait_for 20 ntraps 9
	ok $? "a trap over IPv6 (::1) is stored"
	check "its sender is ::1, not in the inventory" json - \
		"j[8]['sender']=='::1' and not j[8]['known']" < <(traps)
else
	skip "no IPv6 loopback here"
	skip "no IPv6 loopback here"
fi
N0=$(traps | json - "len(j)")

# a storm from one sender (127.0.0.5): 20 stored, the rest folded
for i in $(seq 1 30); do
	snmptrap -v2c -c traps-ro --clientaddr=127.0.0.5 "127.0.0.1:$TPORT" '' \
		1.3.6.1.4.1.99999.0.7 1.3.6.1.4.1.99999.3.0 i "$i"
done
folded() { status; json "$T/st.json" "[s for s in j['traps']['senders'] if s['address']=='127.0.0.5'][0]['received']==30"; }
wait_for 20 folded
ok $? "30 traps received from 127.0.0.5"
check "20 stored, 10 folded, storming" json "$T/st.json" \
	"[(s['stored'],s['folded'],s['storming'],s['device']) for s in j['traps']['senders'] if s['address']=='127.0.0.5'][0]==(20,10,True,None)"
"$NETPATROL" -f "$CONF" events --json --kind trap.storm >"$T/e.json"
check "one trap.storm event for the unknown sender" \
	json "$T/e.json" "len(j)==1 and j[0]['device']=='127.0.0.5'"
"$NETPATROL" -f "$CONF" traps --json --device 127.0.0.5 >"$T/t.json"
check "traps --device takes an unknown sender's address" \
	json "$T/t.json" "len(j)==20 and not j[0]['known']"
"$NETPATROL" -f "$CONF" traps --json --device host >"$T/th.json"
check "traps --device takes a device's name: its traps only" \
	json "$T/th.json" "len(j) >= 1 and all(t['device']=='host' and t['known'] for t in j)"
"$NETPATROL" -f "$CONF" traps --json --device 127.0.0.1 >"$T/ta.json"
check "... and the address it sent from: the same traps" \
	json "$T/ta.json" "[t['time'] for t in j if t['device']=='host'] == [t['time'] for t in json.load(open('$T/th.json'))]"
"$NETPATROL" -f "$CONF" traps --json --device host --since 2099-01-01 >"$T/tf.json"
check "... not in the future" json "$T/tf.json" "len(j)==0"
"$NETPATROL" -f "$CONF" status >"$T/st.txt"
check "status shows the trap counters" grep -q "^traps: .* folded" "$T/st.txt"

# reload: a new community is taken at once
sed -i 's/trap community "traps-ro"/trap community "traps-new"/' "$CONF"
kill -HUP "$DAEMON_PID"
reloaded() { status; json "$T/st.json" "j['reloads']==1"; }
wait_for 20 reloaded
C=traps-new tv2 1.3.6.1.6.3.1.1.5.4 1.3.6.1.2.1.2.2.1.1.1 i 1
wait_for 20 ntraps $((N0 + 21))
ok $? "after reload the new community is accepted"
check "linkUp: port.up with the same key" json - \
	"j[-1]['kind']=='port.up' and j[-1]['key']=='port:$LO'" < <(traps)

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
DB=$T/state/netpatrol.db
check "every stored trap links to its event by id" test \
	"$(sq "$DB" "select count(*) from traps t join events e on e.id = t.event_id and e.source = 'trap'")" \
	= "$(sq "$DB" "select count(*) from traps")"
check "event ids are unique and ascending with time" test \
	"$(sq "$DB" "select count(*) from events a join events b on b.id > a.id and b.time < a.time - 0.5")" = 0
done_testing
