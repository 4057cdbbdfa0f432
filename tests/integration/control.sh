#!/bin/bash
# control.sh - the control socket's commands come from tables: "help"
# lists them (name, syntax, who may run them, help), as JSON and through
# `netpatrol help daemon`; an unknown command gets the same answer as
# ever; "status" keeps its keys in their order; "reload" and "ping" work.
. "$(dirname "$0")/lib.sh"
need python3

CONF=$T/np.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
device "a" {
	address 127.0.0.1 port 9
	interval 60
}
EOF
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
ok 0 "daemon starts"

ask() {  # ask LINE: the daemon's answer to one raw command line
	python3 -c "import socket,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode()+b'\n'); b=b''
while True:
    d=s.recv(65536)
    if not d: break
    b+=d
sys.stdout.write(b.decode())" "$T/np.sock" "$1"
}

ask help >"$T/help.json"
check "help is JSON" json "$T/help.json" "isinstance(j['commands'], list)"
check "help lists the commands in order" json "$T/help.json" \
	"[c['name'] for c in j['commands']] == ['status', 'reload', 'rrd-flush', 'finding', 'plan-run', 'plan-result', 'cluster', 'config-fetch', 'config-approve', 'traffic', 'ping', 'help']"
check "each has a syntax, who may run it and a help" json "$T/help.json" \
	"all(set(c) == {'name', 'syntax', 'who', 'help'} and c['syntax'].startswith(c['name']) and c['help'] and c['who'] in ('anyone', 'user', 'root', 'read', 'change') for c in j['commands'])"
check "status, cluster and traffic read; reload, finding, plan-run, plan-result, config-fetch and config-approve change" json "$T/help.json" \
	"{c['name']: c['who'] for c in j['commands']} == {'status': 'read', 'reload': 'change', 'rrd-flush': 'read', 'finding': 'change', 'plan-run': 'change', 'plan-result': 'change', 'cluster': 'read', 'config-fetch': 'change', 'config-approve': 'change', 'traffic': 'read', 'ping': 'anyone', 'help': 'anyone'}"
check "netpatrol help daemon --json gives the daemon's answer" sh -c \
	"'$NETPATROL' -f '$CONF' help daemon --json | cmp -s - '$T/help.json'"
"$NETPATROL" -f "$CONF" help daemon >"$T/help.txt" 2>&1
check "netpatrol help daemon shows them" grep -q '^  reload  *read the configuration again' "$T/help.txt"
check "netpatrol help still works without a configuration" "$NETPATROL" -f "$T/none.conf" help

check "an unknown command: the same error as ever" test \
	"$(ask frobnicate)" = '{"error":"unknown command","command":"frobnicate"}'
ask ping >"$T/ping.json"
check "ping answers the version" json "$T/ping.json" "list(j) == ['pong']"

"$NETPATROL" -f "$CONF" status --json >"$T/st.json"
check "status: the keys in their order" json "$T/st.json" \
	"list(j) == ['version', 'pid', 'started', 'uptime', 'config', 'state_dir', 'reloads', 'reload_failures', 'store', 'log_store', 'rrd', 'poller', 'devices', 'traps', 'findings', 'notify', 'syslog', 'config_archive', 'probes', 'links', 'plans', 'report_archive']"
ask finding >"$T/finding.json"
check "finding without arguments: its usage" json "$T/finding.json" "j['error'].startswith('usage: finding')"

check "reload is requested" test "$(ask reload)" = '{"reload":"requested"}'
reloaded() { "$NETPATROL" -f "$CONF" status --json | json - "j['reloads'] == 1"; }
wait_for 20 reloaded
ok $? "and done"

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
check "the socket is removed" test ! -e "$T/np.sock"
done_testing
