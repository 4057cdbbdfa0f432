#!/bin/bash
# probes.sh - ICMP and TCP probes on the real daemon, against targets in a
# network namespace this test makes (a veth pair; nothing leaves the
# machine). The namespace's kernel does not answer pings
# (icmp_echo_ignore_all); a raw-socket responder does, with a delay and
# deterministic drops (this kernel has no netem). Checked: loss and round
# trips within tolerances, an unreachable target goes down and opens a
# finding, loss and latency past their limits open findings, a TCP port
# open and closed, IPv6 on ::1, and a device is unreachable only when SNMP
# and its probe both say so (one finding).
. "$(dirname "$0")/lib.sh"
need ip python3 sysctl
[ "$(id -u)" = 0 ] || skip_all "network namespaces need root"
# the interpreter itself, not a wrapper: the PIDs killed are its own
PY=$(python3 -c 'import sys; print(sys.executable)')

NS=np-probe-$$
VA=npp$$a
VB=npp$$b
NET=10.231.$(($$ % 200 + 10))
ns_cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del "$VA" 2>/dev/null
}
trap 'ns_cleanup; cleanup' EXIT
ip netns add "$NS" || skip_all "cannot make a network namespace"
# (in a chroot without its own mounts, ip netns exec cannot remount /)
ip netns exec "$NS" true 2>/dev/null ||
	{ ip netns del "$NS" 2>/dev/null; skip_all "cannot run in a network namespace here (ip netns exec fails)"; }
ip link add "$VA" type veth peer name "$VB" || skip_all "no veth pairs"
ip link set "$VB" netns "$NS"
ip addr add "$NET.1/29" dev "$VA"
ip link set "$VA" up
ip -n "$NS" addr add "$NET.2/29" dev "$VB"
ip -n "$NS" addr add "$NET.3/29" dev "$VB"
ip -n "$NS" link set "$VB" up
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
ok $? "namespace $NS: $NET.2 and $NET.3 behind a veth pair, no kernel echo"

# .2: 50 ms, no loss; .3: 10 ms, every 4th request dropped (25%)
ip netns exec "$NS" "$PY" "$top_srcdir/tests/integration/icmp_responder.py" \
	"$T/ready" "$NET.2:50:0" "$NET.3:10:4" &
RESP_PID=$!
PIDS="$PIDS $RESP_PID"
wait_for 20 test -e "$T/ready"
ok $? "the responder runs in the namespace"

# a TCP listener (open), and a port nothing listens on (closed)
OPEN=$(port_pick)
CLOSED=$(port_pick)
"$PY" -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
while True:
    c,_=s.accept(); c.close()' "$OPEN" &
PIDS="$PIDS $!"
DEAD=$(port_pick)

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
probe "slow" {
	icmp $NET.2 count 8 interval 2
	latency 30ms
}
probe "lossy" {
	icmp $NET.3 count 8 interval 2
	loss 20
}
probe "gone" {
	icmp $NET.5 count 4 interval 2
	down-after 2
}
probe "open" {
	tcp 127.0.0.1 port $OPEN count 3 interval 2
}
probe "closed" {
	tcp 127.0.0.1 port $CLOSED count 3 interval 2
}
probe "v6" {
	icmp ::1 count 5 interval 2 size 100
}
template "pinged" {
	probe "ping" {
		icmp count 4 interval 2
	}
}
device "both-down" {
	address $NET.5 port $DEAD
	interval 1
	timeout 1 retries 0
	use "pinged"
}
device "snmp-down" {
	address $NET.2 port $DEAD
	interval 1
	timeout 1 retries 0
	use "pinged"
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration is good"
start_daemon "$CONF"
ok $? "netpatrold starts"
np() { "$NETPATROL" -f "$CONF" "$@"; }
probe() {  # probe NAME PYTHON-EXPR [DEVICE] (p: the probe's object)
	np probes --json | python3 -c "import json,sys
p=[x for x in json.load(sys.stdin) if x['name']==sys.argv[1] and x['device']==sys.argv[3]]
sys.exit(0 if p and p[0]['updated'] and eval(sys.argv[2], {'p': p[0]}) else 1)" "$1" "$2" "${3:-}"
}
stepped() { np status --json | json - "j['probes']['steps'] >= 2 * j['probes']['configured']"; }
wait_for 60 stepped
ok $? "every probe has done two steps"
np probes >"$T/probes.txt"
sed 's/^/# /' "$T/probes.txt"

wait_for 20 probe slow "p['loss_pct'] == 0 and 45 <= p['rtt_median_ms'] <= 90 and 45 <= p['rtt_min_ms'] and p['rtt_max_ms'] <= 120"
ok $? "50 ms away, no loss: loss 0, round trips 45..120 ms"
wait_for 20 probe slow "p['state'] == 'degraded'"
ok $? "above its latency limit: degraded"
wait_for 20 probe slow "p['jitter_ms'] is not None and p['jitter_ms'] < 20"
ok $? "a steady delay has a small jitter"
wait_for 20 probe lossy "p['loss_pct'] == 25 and p['received'] == 6 and 8 <= p['rtt_median_ms'] <= 50"
ok $? "every 4th dropped: 25% loss, round trips about 10 ms"
wait_for 30 probe gone "p['loss_pct'] == 100 and p['state'] == 'down' and p['rtt_median_ms'] is None"
ok $? "nobody at $NET.5: 100% loss, down"
wait_for 20 probe open "p['loss_pct'] == 0 and p['rtt_median_ms'] < 100 and p['state'] == 'up'"
ok $? "tcp port $OPEN open: no loss"
wait_for 20 probe closed "p['loss_pct'] == 100 and p['state'] == 'down'"
ok $? "tcp port $CLOSED closed: 100% loss, down"
wait_for 20 probe v6 "p['loss_pct'] == 0 and p['rtt_median_ms'] < 50 and p['target'] == '::1'"
ok $? "IPv6 to ::1: no loss"
wait_for 20 probe ping "p['state'] == 'up'" snmp-down
ok $? "a template's probe runs for each device (snmp-down: up)"
wait_for 20 probe ping "p['state'] == 'down'" both-down
ok $? "a template's probe runs for each device (both-down: down)"

finding() {  # finding DEVICE KIND
	np findings --json | json - "any(f['device']=='$1' and f['kind']=='$2' for f in j)"
}
wait_for 30 finding gone probe.down
ok $? "the unreachable target opened a probe.down finding"
wait_for 30 finding lossy probe.loss
ok $? "25% loss past 20% opened a probe.loss finding"
wait_for 30 finding slow probe.latency
ok $? "50 ms past 30 ms opened a probe.latency finding"
wait_for 30 finding both-down device.unreachable
ok $? "SNMP and the probe both fail: the device is unreachable"
np findings --json >"$T/findings.json"
json "$T/findings.json" "len([f for f in j if f['device']=='both-down']) == 1"
ok $? "... in one finding, not two"
json "$T/findings.json" "not any(f['device']=='snmp-down' for f in j)"
ok $? "SNMP fails but the probe answers: no finding"
np events --json >"$T/events.json"
json "$T/events.json" "any(e['device']=='snmp-down' and e['kind']=='device.unreachable' for e in j)"
ok $? "... though SNMP's event is stored"

# the RRD: SmokePing's layout
RRD=$(np probes --json | json - "[p['rrd'] for p in j if p['name']=='lossy'][0]")
if command -v rrdtool >/dev/null; then
	wait_for 20 test -s "$RRD"
	rrdtool info "$RRD" >"$T/rrd.info"
	grep -q 'ds\[uptime\].index = 0' "$T/rrd.info" &&
		grep -q 'ds\[loss\].index = 1' "$T/rrd.info" &&
		grep -q 'ds\[median\].index = 2' "$T/rrd.info" &&
		grep -q 'ds\[ping8\].index = 10' "$T/rrd.info"
	ok $? "the RRD has SmokePing's data sources (uptime, loss, median, ping1..8)"
	lastupd() { "$NETPATROL" -f "$CONF" rrd flush "$RRD" && rrdtool lastupdate "$RRD" | awk '$1 ~ /:$/ { print $3; exit }' | grep -qx 2; }
	wait_for 20 lastupd
	ok $? "its loss is a count: 2 of 8"
else
	skip "rrdtool is not installed"
	skip "rrdtool is not installed"
fi

# the loss and the delay go away: the findings resolve
stop_pid "$RESP_PID"
ip netns exec "$NS" "$PY" "$top_srcdir/tests/integration/icmp_responder.py" \
	"$T/ready2" "$NET.2:1:0" "$NET.3:1:0" &
PIDS="$PIDS $!"
resolved() {  # resolved DEVICE KIND
	np findings --all --json | json - "any(f['device']=='$1' and f['kind']=='$2' and f['state'] in ('resolved','verified','closed') for f in j)"
}
wait_for 30 resolved lossy probe.loss
ok $? "no more loss: probe.ok resolves the probe.loss finding"
wait_for 30 resolved slow probe.latency
ok $? "1 ms: probe.ok resolves the probe.latency finding"

stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
done_testing
