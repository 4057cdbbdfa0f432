#!/bin/bash
# privdrop.sh - netpatrold started as root with `user "nobody"`: it binds
# and opens what it needs first, then runs as nobody, and still writes RRD
# files and the store, receives syslog on a privileged port (UDP and TCP,
# bound before the drop), and removes its socket and pidfile at exit. A user
# that does not exist is refused rather than staying root.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget snmptrap python3 logger
[ "$(id -u)" = 0 ] || skip_all "needs root"

PORT=$(port_pick)
start_snmpd agent "$PORT" || { ok 1 "snmpd starts"; done_testing; }
mkdir -p "$T/run"
# a privileged port for traps, free here: bound before the drop
LOW=$(python3 -c 'import socket
for p in range(990, 1020):
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", p)); print(p); break
    except OSError: pass')
# a privileged port free for both UDP and TCP on 127.0.0.1
SLPORT=$(python3 -c 'import socket
for p in range(700, 1000):
    u, t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket()
    try:
        u.bind(("127.0.0.1", p)); t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass')
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/run/np.sock"
pidfile "$T/run/np.pid"
user "nobody"
listen trap udp 127.0.0.1 port $LOW
trap community "public"
rrd keep-step 1h
store batch-window 100ms
listen syslog udp 127.0.0.1 port $SLPORT
listen syslog tcp 127.0.0.1 port $SLPORT
device "d" {
	address 127.0.0.1 port $PORT
	interval 1
}
EOF
start_daemon "$CONF"
ok $? "netpatrold starts as root"
check "it runs as nobody" sh -c "test \"\$(ps -o user= -p $DAEMON_PID)\" = nobody"
check "with no capability in any set (bounding and ambient too), and no_new_privs" \
	sh -c "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb):[[:space:]]+0+|NoNewPrivs:[[:space:]]+1)\$' /proc/$DAEMON_PID/status | wc -l | grep -qx 6"
wait_for 30 polls_at_least "$CONF" d 3
ok $? "polls as nobody"
wait_for 30 test -f "$T/state/rrd/d/port-lo.rrd"
ok $? "RRD files are created after the drop"
"$NETPATROL" -f "$CONF" status --json >"$T/status.json"
check "no RRD or store errors" json "$T/status.json" "j['rrd']['errors'] == 0 and j['store']['sql_errors'] == 0 and j['rrd']['created'] >= 1"
logger -n 127.0.0.1 -P "$SLPORT" -d -t privudp "over udp"
logger -n 127.0.0.1 -P "$SLPORT" -T -t privtcp "over tcp"
two_logs() { "$NETPATROL" -f "$CONF" logs --json | json - "sorted(m['app'] for m in j)==['privtcp','privudp']"; }
wait_for 20 two_logs
ok $? "syslog on privileged port $SLPORT (UDP and TCP, bound as root) is received as nobody"
check "the store belongs to nobody" sh -c "test \"\$(stat -c %U '$T/state/netpatrol.db')\" = nobody"
MIBS= snmptrap -v2c -c public "127.0.0.1:$LOW" '' 1.3.6.1.6.3.1.1.5.1
trapped() { "$NETPATROL" -f "$CONF" traps --json | json - "len(j) == 1"; }
wait_for 20 trapped
ok $? "traps on privileged port $LOW, bound as root, are received as nobody"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
check "socket and pidfile removed at exit" sh -c "! test -e '$T/run/np.sock' && ! test -e '$T/run/np.pid'"

sed -i 's/user "nobody"/user "no-such-user-np"/' "$CONF"
out=$("$NETPATROLD" -d -f "$CONF" 2>&1); rc=$?
ok $([ $rc -ne 0 ] && echo "$out" | grep -q "no-such-user-np"; echo $?) "an unknown user is refused (exit $rc)"
done_testing
