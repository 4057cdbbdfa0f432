#!/bin/bash
# sdnotify.sh - systemd's notification protocol (Type=notify) without
# systemd: a python listener plays $NOTIFY_SOCKET (a path, then an abstract
# socket), netpatrold -d says READY=1 with a status once it runs,
# RELOADING=1 (with MONOTONIC_USEC) then READY=1 around a SIGHUP reload,
# READY=1 again after a reload that fails, and STOPPING=1 at SIGTERM.
# Without NOTIFY_SOCKET nothing changes. The shipped unit passes
# systemd-analyze verify once installed (a DESTDIR install here).
. "$(dirname "$0")/lib.sh"
need python3

CONF=$T/np.conf
cat >"$CONF" <<XEOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
XEOF

# listen NAME: record every datagram on the socket NAME into $T/NAME.log
listen() {
	python3 - "$1" "$T/$2.log" <<'PYEOF' &
import socket, sys
name, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(name if name[0] != '@' else '\0' + name[1:])
open(out + '.ready', 'w').close()
with open(out, 'a') as f:
    while True:
        m = s.recv(4096).decode()
        f.write(m.replace('\n', '|') + '\n')
        f.flush()
PYEOF
	PIDS="$PIDS $!"
	wait_for 10 test -e "$T/$2.log.ready"
}

listen "$T/notify" path
NOTIFY_SOCKET=$T/notify "$NETPATROLD" -d -f "$CONF" >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
has() { grep -q "$2" "$T/$1.log" 2>/dev/null; }
lines() { grep -c "$2" "$T/$1.log" 2>/dev/null; }
wait_for 20 has path '^READY=1|STATUS=running: 0 devices'
ok $? "READY=1 with a status once it runs"
"$NETPATROL" -f "$CONF" status >/dev/null
ok $? "and it answers by then"
kill -HUP "$DAEMON_PID"
wait_for 20 sh -c "grep -q '^READY=1|STATUS=reloaded' '$T/path.log'"
ok $? "SIGHUP: READY=1 after the reload"
check "RELOADING=1 with MONOTONIC_USEC before it" sh -c \
	"grep -n '' '$T/path.log' | grep -A1 'RELOADING=1|MONOTONIC_USEC=[0-9]*|' | grep -q 'READY=1|STATUS=reloaded'"
echo 'nonsense here' >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for 20 has path 'STATUS=reload failed'
ok $? "a reload that fails: READY=1 again, the running configuration stays"
stop_pid "$DAEMON_PID"
ok $? "netpatrold stops cleanly"
check "STOPPING=1 at SIGTERM" has path '^STOPPING=1'

# an abstract socket, as systemd may give
sed -i '/nonsense/d' "$CONF"
listen "@np-notify-$$" abstract
NOTIFY_SOCKET=@np-notify-$$ "$NETPATROLD" -d -f "$CONF" >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
wait_for 20 has abstract '^READY=1'
ok $? "an abstract NOTIFY_SOCKET: READY=1"
stop_pid "$DAEMON_PID"

# no NOTIFY_SOCKET: the daemon runs as ever
env -u NOTIFY_SOCKET "$NETPATROLD" -d -f "$CONF" >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
wait_for 20 "$NETPATROL" -f "$CONF" status
ok $? "without NOTIFY_SOCKET it runs as ever"
stop_pid "$DAEMON_PID"
ok $? "and stops cleanly"

# the unit, installed with its binaries and man pages
if command -v systemd-analyze >/dev/null && [ -n "${top_builddir:-}" ]; then
	D=$T/root
	make -s -C "$top_builddir" install DESTDIR="$D" >"$T/install.log" 2>&1
	ok $? "make install DESTDIR=... works"
	U=$(find "$D" -name netpatrold.service | head -1)
	check "the unit is installed" test -n "$U"
	if [ -n "$U" ]; then
		check "it starts netpatrold -d, Type=notify" sh -c \
			"grep -q '^Type=notify' '$U' && grep -q '^ExecStart=.*/netpatrold -d ' '$U'"
		# verify against the DESTDIR tree: the same unit with D's paths
		sed "s|=/|=$D/|; s|ExecReload=$D/|ExecReload=/|" "$U" >"$T/netpatrold.service"
		MANPATH=$(find "$D" -type d -name man | head -1) \
			systemd-analyze verify --man=no "$T/netpatrold.service" >"$T/verify.out" 2>&1
		ok $? "systemd-analyze verify: clean"
		grep -q . "$T/verify.out" && diag "$(cat "$T/verify.out")"
	fi
else
	skip "systemd-analyze or top_builddir missing"
fi
done_testing
