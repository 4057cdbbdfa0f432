#!/bin/bash
# sandbox.sh - after start-up the daemon holds no capability in any set,
# in any thread, and has no_new_privs; where the kernel has Landlock, what
# it runs (an exec hook) may write beneath the state directory but not
# elsewhere, even as root; a reload still reads the configuration. Started
# as an ordinary user it drops what it has just the same. "sandbox off"
# keeps the capabilities dropped but neither Landlock nor no_new_privs.
. "$(dirname "$0")/lib.sh"
need python3 setpriv
[ "$(id -u)" = 0 ] || skip_all "needs root (the daemon starts as root)"

# a directory outside every path the sandbox allows (not under /tmp or
# /var/tmp, where a build tree may be)
OUT=$(mktemp -d /var/lib/np-sbx.XXXXXX)
chmod 755 "$OUT"
trap 'rm -rf "$OUT"; cleanup' EXIT
mkdir -p "$T/run"
cat >"$T/hook" <<YY
#!/bin/sh
cat >/dev/null
touch "$T/state/hook-inside" 2>>"$T/hook.err"
touch "$OUT/hook-outside" 2>>"$T/hook.err"
echo ran >>"$T/hook.ran"
YY
chmod 755 "$T/hook"
CONF=$T/netpatrold.conf
conf() {
	cat >"$CONF" <<YY
state-dir "$T/state"
control "$T/run/np.sock"
pidfile "$T/run/np.pid"
store batch-window 100ms
$1
notify "hook" { exec "$T/hook" }
device "d" {
	address 127.0.0.1 port $(port_pick)
	interval 1h
}
YY
}

# every thread: no capability, no new privileges (NNP 1 or 0); the
# bounding set too unless a third argument says it could not (an ordinary
# user has no CAP_SETPCAP to drop it: no_new_privs makes it moot)
caps_none() {  # caps_none PID NNP [nobound]
	local t n=0
	for t in /proc/"$1"/task/*; do
		n=$((n + 1))
		python3 - "$t/status" "$2" "${3:-}" <<'YY' || return 1
import sys
f = dict(l.split(':', 1) for l in open(sys.argv[1]).read().splitlines() if ':' in l)
sets = ('CapInh', 'CapPrm', 'CapEff', 'CapAmb') + (('CapBnd',) if not sys.argv[3] else ())
bad = [k for k in sets if int(f[k].strip(), 16) != 0]
nnp = f['NoNewPrivs'].strip()
if bad or nnp != sys.argv[2]:
    print(sys.argv[1], bad, 'NoNewPrivs', nnp)
    sys.exit(1)
YY
	done
	[ "$n" -ge 3 ] || { echo "only $n threads"; return 1; }
}

conf ""
start_daemon "$CONF"
ok $? "netpatrold starts as root"
check "no capability in any set of any thread (the writers' too), no_new_privs" caps_none "$DAEMON_PID" 1
check "it stays uid 0 (no user configured)" sh -c "test \"\$(ps -o uid= -p $DAEMON_PID | tr -d ' ')\" = 0"
if grep -q "sandbox: Landlock ABI" "$T/daemon.log"; then
	diag "$(grep -o 'sandbox: Landlock.*' "$T/daemon.log" | head -1)"
	"$NETPATROL" -f "$CONF" open d warning "sandbox probe" >/dev/null
	wait_for 20 test -s "$T/hook.ran"
	ok $? "the exec hook runs"
	check "the hook may write beneath the state directory" test -e "$T/state/hook-inside"
	check "... but not elsewhere, even as root (Landlock)" test ! -e "$OUT/hook-outside"
	check "... the write is refused" grep -q "Permission denied" "$T/hook.err"
else
	diag "$(grep -o 'sandbox:.*' "$T/daemon.log" | head -1)"
	for _ in 1 2 3 4; do skip "the kernel has no Landlock"; done
fi
kill -HUP "$DAEMON_PID"
reloaded() { "$NETPATROL" -f "$CONF" status --json | json - "j['reloads'] == 1 and j['reload_failures'] == 0"; }
wait_for 20 reloaded
ok $? "a reload reads the configuration in the sandbox"
check "status, findings and the store still work" sh -c "'$NETPATROL' -f '$CONF' findings --json | grep -q 'sandbox probe'"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
check "socket and pidfile removed at exit" sh -c "! test -e '$T/run/np.sock' && ! test -e '$T/run/np.pid'"

# sandbox off: capabilities dropped, nothing else
rm -f "$T/hook.ran" "$T/hook.err"
conf "sandbox off"
start_daemon "$CONF"
ok $? "netpatrold starts with sandbox off"
check "no capability, and no_new_privs not set" caps_none "$DAEMON_PID" 0
check "it says so" grep -q "sandbox off" "$T/daemon.log"
"$NETPATROL" -f "$CONF" open d warning "sandbox off probe" >/dev/null
wait_for 20 test -s "$T/hook.ran"
check "the hook writes where it likes" test -e "$OUT/hook-outside"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# started as an ordinary user: runs, drops what it has
rm -f "$OUT/hook-outside"
mkdir -p "$T/nr/run"
chown -R nobody "$T/nr"
cat >"$T/nr/np.conf" <<YY
state-dir "$T/nr/state"
control "$T/nr/run/np.sock"
pidfile "$T/nr/run/np.pid"
YY
setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	"$NETPATROLD" -d -v -f "$T/nr/np.conf" >>"$T/nr.log" 2>&1 &
NRPID=$!
PIDS="$PIDS $NRPID"
wait_for 20 "$NETPATROL" -s "$T/nr/run/np.sock" status
ok $? "started as nobody, it runs"
check "no capability, no_new_privs (the bounding set stays: no CAP_SETPCAP)" caps_none "$NRPID" 1 nobound
stop_pid "$NRPID"
ok $? "SIGTERM: exit 0"

# the statement
printf 'sandbox maybe\n' >"$T/bad.conf"
out=$("$NETPATROLD" -n -f "$T/bad.conf" 2>&1)
ok $([ $? -eq 1 ] && echo "$out" | grep -q "sandbox maybe: on, off"; echo $?) "sandbox takes on or off ($out)"
printf 'sandbox write "relative"\n' >"$T/bad.conf"
out=$("$NETPATROLD" -n -f "$T/bad.conf" 2>&1)
ok $([ $? -eq 1 ] && echo "$out" | grep -q "absolute"; echo $?) "sandbox paths are absolute"
printf 'sandbox read "/srv/mibs"\nsandbox write "/srv/out"\nsandbox on\n' >"$T/good.conf"
check "sandbox read, write and on are taken" "$NETPATROLD" -n -f "$T/good.conf"
done_testing
