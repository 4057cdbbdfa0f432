#!/bin/bash
# resolve.sh - host names in a device's address are resolved on the event
# loop (evdns), not by net-snmp inside it: "localhost" (the hosts file) is
# polled at its address; a name that cannot resolve fails fast, is said
# once, shown in the status, and the other devices are polled meanwhile;
# a reload resolves the names again.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget python3

grep -Eq '^[[:space:]]*127\.0\.0\.1([[:space:]].*)?[[:space:]]localhost([[:space:]]|$)' /etc/hosts ||
	skip_all "/etc/hosts does not name 127.0.0.1 localhost"

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
ok 0 "snmpd answers on 127.0.0.1:$PORT"

CONF=$T/netpatrold.conf
write_conf() {  # write_conf ADDRESS-OF-bad
	cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
rrd keep-step 1h
store batch-window 200ms
device "byname" {
	address "localhost" port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
}
device "bad" {
	address "$1" port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
}
device "literal" {
	address 127.0.0.1 port $PORT
	snmp v2c community "public"
	interval 1
	timeout 1 retries 0
}
EOF
}
write_conf no-such-host.invalid
check "the configuration checks" "$NETPATROLD" -n -f "$CONF"
start_daemon "$CONF"
ok $? "netpatrold starts and answers on its control socket"

dev() {  # dev NAME EXPR: a check on the device's status object d
	"$NETPATROL" -f "$CONF" status --json | json - \
		"(lambda d: $2)([d for d in j['devices'] if d['name']=='$1'][0])"
}
wait_for 30 polls_at_least "$CONF" byname 3
ok $? "localhost: polled 3 times"
check "localhost: reachable, at 127.0.0.1" \
	dev byname "d['reachable'] is True and d['address']=='localhost' and d['address_resolved']=='127.0.0.1'"
check "localhost: its ports are known" dev byname "d['ports'] > 0"
check "localhost: the name's address said once in the log" \
	test "$(grep -c 'byname: localhost resolves to 127.0.0.1' "$T/daemon.log")" -eq 1
wait_for 30 dev bad "d['polls_failed'] >= 3"
ok $? "no-such-host.invalid: its polls fail"
check "no-such-host.invalid: not resolved, the reason in its status" \
	dev bad "d['address_resolved']=='' and d['reachable'] is None and 'cannot resolve no-such-host.invalid' in d['last_error']"
check "no-such-host.invalid: said once in the log, not at every poll" \
	test "$(grep -c 'cannot resolve no-such-host.invalid' "$T/daemon.log")" -le 2
check "no-such-host.invalid: no SNMP request sent" dev bad "d['requests']==0"
check "the other devices are polled meanwhile" polls_at_least "$CONF" literal 3

# a reload resolves again: the bad device gets a name that resolves
write_conf localhost
kill -HUP "$DAEMON_PID"
wait_for 30 dev bad "d['reachable'] is True and d['address_resolved']=='127.0.0.1'"
ok $? "reload: the new name resolved, the device answers"
check "reload: the others still polled at their address" \
	dev byname "d['reachable'] is True and d['address_resolved']=='127.0.0.1'"

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
