#!/bin/bash
# check_config.sh - netpatrold -n: "configuration OK" and exit 0, or
# "FILE:LINE: message" and exit 1; SIGHUP reload keeps the old
# configuration when the new one is broken, and applies a good one.
. "$(dirname "$0")/lib.sh"
need python3

CONF=$T/good.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
device "a" {
	address 127.0.0.1 port 9
	interval 60
}
EOF
out=$("$NETPATROLD" -n -f "$CONF" 2>&1); rc=$?
ok $(( rc != 0 )) "-n on a good file exits 0"
ok $([ "$out" = "configuration OK" ]; echo $?) "-n prints 'configuration OK'"

check "the shipped example configuration checks" "$NETPATROLD" -n -f "$top_srcdir/etc/netpatrold.conf"

bad() {  # bad DESCRIPTION EXPECTED-REGEX CONFIG-TEXT
	printf '%s\n' "$3" >"$T/bad.conf"
	out=$("$NETPATROLD" -n -f "$T/bad.conf" 2>&1); rc=$?
	if [ $rc -eq 1 ] && echo "$out" | grep -Eq "^$T/bad.conf:[0-9]+: .*$2"; then ok 0 "$1"; else
		ok 1 "$1"; echo "#   rc=$rc out=$out"; fi
}
bad "unknown keyword" 'unknown keyword "colour"' 'colour "blue"'
bad "interval out of range" 'interval' 'device "x" {
	address 127.0.0.1
	interval 0
}'
bad "device without address" 'no address' 'device "x" {
	interval 5
}'
bad "duplicate device" 'defined twice' 'device "x" {
	address 127.0.0.1
}
device "x" {
	address 127.0.0.2
}'
bad "unknown template" 'not defined' 'device "x" {
	address 127.0.0.1
	use "nope"
}'
bad "short v3 passphrase" 'at least 8' 'device "x" {
	address 127.0.0.1
	snmp v3 user "u" auth sha "short"
}'
bad "undefined macro" 'macro' 'device "x" {
	address $nowhere
}'
out=$("$NETPATROLD" -n -f "$T/missing.conf" 2>&1); rc=$?
ok $([ $rc -eq 1 ] && echo "$out" | grep -q "missing.conf"; echo $?) "a missing file is an error naming it"

# reload: a broken file leaves the running configuration in place
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
ok 0 "daemon starts"
cp "$CONF" "$T/saved.conf"
echo 'bogus line here' >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for 20 grep -q "reload failed" "$T/daemon.log"
ok $? "SIGHUP with a broken file: reload refused and logged"
check "the daemon still answers after a failed reload" "$NETPATROL" -f "$T/saved.conf" status
check "status counts the failed reload" sh -c "'$NETPATROL' -f '$T/saved.conf' status --json | grep -q '\"reload_failures\":1'"
cp "$T/saved.conf" "$CONF"
cat >>"$CONF" <<EOF
device "b" {
	address 127.0.0.1 port 9
	interval 60
}
EOF
kill -HUP "$DAEMON_PID"
wait_for 20 sh -c "'$NETPATROL' -f '$CONF' status --json | grep -q '\"name\":\"b\"'"
ok $? "SIGHUP with a good file: device b added without a restart"
check "the first device is still there" sh -c "'$NETPATROL' -f '$CONF' status --json | grep -q '\"name\":\"a\"'"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
done_testing
