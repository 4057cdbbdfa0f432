#!/bin/bash
# control_perms.sh - the control socket's group and mode from the
# configuration (set at bind, before the drop), and who may run what:
# reads for the read-group, changes (finding, reload, ...) for the
# change-group, decided on the peer's credentials as the kernel gives them
# (SO_PEERCRED, SO_PEERGROUPS); every change is in the name of that user,
# in the finding's history and in the log. Throwaway users and groups.
. "$(dirname "$0")/lib.sh"
need python3 setpriv useradd groupadd userdel groupdel
[ "$(id -u)" = 0 ] || skip_all "needs root (throwaway users and groups)"

S=$$
GSOCK=npsk$S GREAD=nprg$S GCHG=npcg$S
UNONE=npo$S UREAD=npr$S UCHG=npc$S UOUT=npx$S
undo() {
	for u in $UNONE $UREAD $UCHG $UOUT; do userdel "$u" 2>/dev/null; done
	for g in $GSOCK $GREAD $GCHG; do groupdel "$g" 2>/dev/null; done
}
trap 'undo; cleanup' EXIT
for g in $GSOCK $GREAD $GCHG; do groupadd "$g" || skip_all "groupadd $g failed"; done
mk() { useradd -M -N -s /usr/sbin/nologin -d /nonexistent "$@"; }
mk -g "$GSOCK" "$UNONE"
mk -g "$GSOCK" -G "$GREAD" "$UREAD"
mk -g "$GSOCK" -G "$GCHG" "$UCHG"
mk -g "$GREAD" "$UOUT" # in the read-group, not the socket's group

SOCK=$T/run/np.sock
CONF=$T/netpatrold.conf
conf() {  # conf READ-GROUP CHANGE-GROUP
	cat >"$CONF" <<YY
state-dir "$T/state"
control "$SOCK" group "$GSOCK" mode 0660 read-group "$1" change-group "$2"
pidfile "$T/run/np.pid"
user "nobody"
store batch-window 100ms
device "d" {
	address 127.0.0.1 port $(port_pick)
	interval 1h
}
YY
}
as() {  # as USER netpatrol-args...: the CLI as USER, over the socket only
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
		"$NETPATROL" -s "$SOCK" "$@"
}
conf "$GREAD" "$GCHG"
start_daemon "$CONF"
ok $? "netpatrold starts with control ... group mode read-group change-group"
check "the socket: mode 0660, group $GSOCK, owner nobody" \
	test "$(stat -c '%a %G %U' "$SOCK")" = "660 $GSOCK nobody"

out=$(as "$UOUT" status 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -qi "permission denied"; echo $?) "outside the socket's group: cannot connect, read-group or not ($out)"
check "in the socket's group: ping" as "$UNONE" help daemon
out=$(as "$UNONE" status 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -q "read-group"; echo $?) "... but not status, a read ($out)"
out=$(as "$UNONE" open d warning "by none" 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -q "change-group"; echo $?) "... nor open a finding, a change ($out)"
check "the read-group: status" as "$UREAD" status
out=$(as "$UREAD" open d warning "by reader" 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -q "change-group"; echo $?) "... but not open a finding ($out)"
out=$(as "$UREAD" reload 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -q "change-group"; echo $?) "... nor reload ($out)"
check "the change-group: status too" as "$UCHG" status
as "$UCHG" --json open d warning "by changer" >"$T/open.json" 2>&1
ok $? "the change-group: open a finding"
ID=$(json "$T/open.json" "j['id']")
as "$UCHG" ack "$ID" "mine" >/dev/null 2>&1
ok $? "... and acknowledge it"
acted() {
	"$NETPATROL" -f "$CONF" finding "$ID" --json | json - \
		"[(h['action'], h['actor']) for h in j['history'] if h['action'] != 'open'] == [('enter', '$UCHG'), ('acknowledge', '$UCHG')]"
}
wait_for 20 acted
ok $? "the history names the user the kernel gave, not a claim: $UCHG"
check "the log names the user, uid and pid of each change" \
	grep -Eq "control: finding ack $ID mine: by $UCHG \\(uid $(id -u "$UCHG"), pid [0-9]+\\)" "$T/daemon.log"
check "root may do anything" "$NETPATROL" -s "$SOCK" open d warning "by root"

# who may change is taken at a reload (the socket's group and mode at a restart)
conf "$GREAD" "$GREAD"
as "$UCHG" reload >/dev/null 2>&1
reloaded() { "$NETPATROL" -s "$SOCK" status --json | json - "j['reloads'] == 1"; }
wait_for 20 reloaded
ok $? "the change-group reloads the configuration"
check "now the read-group changes" as "$UREAD" open d warning "by reader now"
out=$(as "$UCHG" status 2>&1)
ok $([ $? -ne 0 ] && echo "$out" | grep -q "read-group"; echo $?) "... and the old change-group does not even read ($out)"
stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# the statement
bad() {  # bad CONTROL-OPTIONS EXPECTED: -n refuses it, saying EXPECTED
	printf 'control "%s" %s\n' "$SOCK" "$1" >"$T/bad.conf"
	out=$("$NETPATROLD" -n -f "$T/bad.conf" 2>&1)
	ok $([ $? -eq 1 ] && echo "$out" | grep -q "$2"; echo $?) "control $1: refused ($out)"
}
bad "mode 0777" "not executed"
bad "mode 0460" "0600 at least"
bad "mode 0680" "octal"
bad "perm 0660" "group, mode, read-group or change-group expected"
bad "group \"no-such-np-group\"" "no such group"
bad "change-group \"no-such-np-group\"" "no such group"
printf 'control "%s"\n' "$SOCK" >"$T/plain.conf"
check "a plain control PATH still works" "$NETPATROLD" -n -f "$T/plain.conf"
done_testing
