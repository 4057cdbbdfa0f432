#!/bin/bash
# store_perms.sh - what the store holds is not for every local user
# (issue 19, defect 5): the state dir 0750 and the store 0640 whatever
# the umask, also when an older version left them 0755 and 0644; and the
# CLI needs only the control socket (-s or NETPATROL_SOCKET), not the
# configuration and its secrets.
. "$(dirname "$0")/lib.sh"
need python3 stat

CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
EOC
mode() { stat -c %a "$1"; }

# an older version's modes, and a umask that takes nothing away
mkdir -p "$T/state"
chmod 755 "$T/state"
umask 000
start_daemon "$CONF"
ok $? "netpatrold starts with umask 000"
umask 022
check "the state dir is 0750 ($(mode "$T/state"))" test "$(mode "$T/state")" = 750
check "the store is 0640 ($(mode "$T/state/netpatrol.db"))" test "$(mode "$T/state/netpatrol.db")" = 640
check "the syslog messages' database is 0640 ($(mode "$T/state/syslog.db"))" test "$(mode "$T/state/syslog.db")" = 640
stop_pid "$DAEMON_PID"
chmod 644 "$T/state/netpatrol.db" "$T/state/syslog.db"
chmod 755 "$T/state"
start_daemon "$CONF"
ok $? "restarted over a store left 0644 in a dir left 0755"
check "the state dir is 0750 again" test "$(mode "$T/state")" = 750
check "the store is 0640 again" test "$(mode "$T/state/netpatrol.db")" = 640
check "and syslog.db" test "$(mode "$T/state/syslog.db")" = 640
if command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
	check "another user cannot read the store" \
		sh -c "! runuser -u nobody -- cat '$T/state/netpatrol.db' >/dev/null 2>&1 && ! runuser -u nobody -- cat '$T/state/syslog.db' >/dev/null 2>&1"
else
	skip "no runuser or no user nobody"
fi

# the CLI with the socket only: no configuration read
check "netpatrol -s SOCKET status answers" "$NETPATROL" -s "$T/np.sock" status
check "... without reading a configuration (none at the default path either)" \
	"$NETPATROL" -f "$T/nowhere.conf" -s "$T/np.sock" status --json
NETPATROL_SOCKET=$T/np.sock "$NETPATROL" -f "$T/nowhere.conf" events --json >"$T/ev.json" 2>"$T/ev.err"
ok $? "NETPATROL_SOCKET: a command that reads the store finds it from the daemon"
check "... and prints its events" json "$T/ev.json" "isinstance(j, list)"
"$NETPATROL" -f "$T/nowhere.conf" status >/dev/null 2>&1
ok $(( $? == 0 )) "without -s a missing configuration is still an error"
done_testing
