#!/bin/bash
# port_events.sh - real port state changes become events: in a network
# namespace of its own, a veth pair is polled by net-snmp's snmpd; taking
# one end down administratively gives port.admin_down for it and port.down
# for its peer (no carrier, admin up: a fault); bringing it back gives
# port.up. A linkDown trap and a %LINK-3-UPDOWN syslog message for the
# port get the polled event's key. Everything runs inside the namespace,
# on its loopback.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget ip python3
[ "$(id -u)" = 0 ] || skip_all "needs root for a network namespace"
NS=np-test-$$
ip netns add "$NS" 2>/dev/null || skip_all "cannot create a network namespace"
# (in a chroot without its own mounts, ip netns exec cannot remount /)
ip netns exec "$NS" true 2>/dev/null ||
	{ ip netns del "$NS" 2>/dev/null; skip_all "cannot run in a network namespace here (ip netns exec fails)"; }
trap 'cleanup; ip netns del "$NS" 2>/dev/null' EXIT
in_ns() { ip netns exec "$NS" "$@"; }
# `ip netns exec` remounts /sys; some containers and chroots refuse that
in_ns true 2>"$T/netns.err" || skip_all "ip netns exec does not work here: $(head -1 "$T/netns.err")"
in_ns ip link set lo up
in_ns ip link add npa type veth peer name npb
in_ns ip link set npa up
in_ns ip link set npb up
ok 0 "namespace $NS with a veth pair npa <-> npb"

PORT=$(port_pick)
TPORT=$(port_pick)
SLPORT=$(port_pick)
mkdir -p "$T/agent"
cat >"$T/agent/snmpd.conf" <<EOF
agentaddress udp:127.0.0.1:$PORT
rocommunity public 127.0.0.1
EOF
# (not through in_ns: a function in the background would be a subshell,
# and its PID not the agent's)
MIBS= SNMP_PERSISTENT_DIR=$T/agent ip netns exec "$NS" /usr/sbin/snmpd -f -Lf "$T/agent/snmpd.log" -C \
	-c "$T/agent/snmpd.conf" -I -smux,mteTrigger,mteTriggerConf &
PIDS="$PIDS $!"
wait_for 20 in_ns snmpget -v2c -c public -t 0.5 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0
ok $? "snmpd answers inside the namespace"

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
listen syslog udp 127.0.0.1 port $SLPORT
trap community "public"
device "host" {
	address 127.0.0.1 port $PORT
	interval 1
	timeout 1 retries 1
}
EOF
ip netns exec "$NS" "$NETPATROLD" -d -v -f "$CONF" >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
wait_for 30 polls_at_least "$CONF" host 2
ok $? "netpatrold polls the namespace's snmpd"
"$NETPATROL" -f "$CONF" ports host --json >"$T/p.json"
check "npa and npb are up" json "$T/p.json" "sorted(p['name'] for p in j if p['oper_status']=='up' and p['name'] in ('npa','npb')) == ['npa','npb']"

events() { "$NETPATROL" -f "$CONF" events --json --device host; }
has_event() {  # has_event KIND KEY
	events | json - "any(e['kind']=='$1' and e['key']=='$2' for e in j)"
}
in_ns ip link set npb down
wait_for 30 has_event port.admin_down port:npb
ok $? "npb set down: port.admin_down, key port:npb"
wait_for 30 has_event port.down port:npa
ok $? "its peer npa loses carrier: port.down, key port:npa"
events >"$T/e.json"
check "port.down is a major fault with old and new state" \
	json "$T/e.json" "[e for e in j if e['kind']=='port.down'][0]['severity']=='major' and [e for e in j if e['kind']=='port.down'][0]['old_state']=='up'"
check "admin down is not a fault" \
	json "$T/e.json" "[e for e in j if e['kind']=='port.admin_down'][0]['severity']=='info'"
# the device's linkDown trap for npa: the same key as the polled change
IDX=$(json "$T/p.json" "[p['index'] for p in j if p['name']=='npa'][0]")
MIBS= in_ns snmptrap -v2c -c public "127.0.0.1:$TPORT" '' 1.3.6.1.6.3.1.1.5.3 \
	1.3.6.1.2.1.2.2.1.1.$IDX i "$IDX" 1.3.6.1.2.1.2.2.1.7.$IDX i 1 \
	1.3.6.1.2.1.2.2.1.8.$IDX i 2
trap_event() { events | json - "any(e['source']=='trap' and e['kind']=='port.down' and e['key']=='port:npa' for e in j)"; }
wait_for 30 trap_event
ok $? "a linkDown trap for npa (ifIndex $IDX) is port.down with the polled event's key"
# and the device's syslog line for it, as IOS would say it
in_ns python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"<187>12: host: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: Interface npa, changed state to down", ("127.0.0.1", int(sys.argv[1])))' "$SLPORT"
syslog_event() { events | json - "any(e['source']=='syslog' and e['kind']=='port.down' and e['key']=='port:npa' for e in j)"; }
wait_for 30 syslog_event
ok $? "a %LINK-3-UPDOWN syslog message for npa is port.down with the same key"
in_ns ip link set npb up
wait_for 30 has_event port.up port:npa
ok $? "npb up again: port.up for npa"
wait_for 30 has_event port.up port:npb
ok $? "and for npb"
"$NETPATROL" -f "$CONF" ports host --json >"$T/p.json"
check "both ports are up again in the store" json "$T/p.json" "all(p['oper_status']=='up' for p in j if p['name'] in ('npa','npb'))"
check "no event for the ports that did not change" \
	json "$T/e.json" "all(e['key'] in ('port:npa','port:npb') for e in j if e['kind'].startswith('port.'))"
check "the poll, the trap and syslog gave port:npa the same kind of event" \
	json - "sorted(e['source'] for e in j if e['kind']=='port.down' and e['key']=='port:npa')==['poll','syslog','trap']" < <(events)
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
