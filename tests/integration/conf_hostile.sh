#!/bin/bash
# conf_hostile.sh - what a careless operator can do to netpatrold and the
# CLI (issue 19, defects 5 and 6): a control path naming a regular file
# (refused, not deleted), an include of a FIFO (refused at once, not a
# blocked reload), hundreds of errors (the list says how many more), a
# size that rounds to 0 bytes (refused, not "no bound"), a secrets file
# readable by others (refused), and a CLI whose output pipe is closed (an
# error, not a silent death by SIGPIPE).
. "$(dirname "$0")/lib.sh"
need python3 mkfifo timeout

base() {
	cat <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
EOC
}

# control PATH naming a regular file
base | sed "s|$T/np.sock|$T/precious|" >"$T/c1.conf"
echo "keep me" >"$T/precious"
timeout 30 "$NETPATROLD" -d -f "$T/c1.conf" >"$T/c1.out" 2>&1
ok $(( $? == 0 || $? == 124 )) "a control path naming a regular file: the daemon refuses to start"
check "... and says why" grep -q "precious exists and is not a socket" "$T/c1.out"
check "... and the file is still there" grep -qx "keep me" "$T/precious"

# include of a FIFO: refused at once (it used to block in open)
mkfifo "$T/fifo"
{ base; echo "include \"$T/fifo\""; } >"$T/c2.conf"
timeout 20 "$NETPATROLD" -n -f "$T/c2.conf" >"$T/c2.out" 2>&1
rc=$?
ok $(( rc == 124 )) "an include of a FIFO does not block (rc $rc)"
check "... and is refused as not a regular file" grep -q "is not a regular file" "$T/c2.out"

# hundreds of errors: the list says how many more there were
{ base; for i in $(seq 1 400); do echo "colour \"blue$i\""; done; } >"$T/c3.conf"
"$NETPATROLD" -n -f "$T/c3.conf" >"$T/c3.out" 2>&1
ok $(( $? != 1 )) "400 errors: exit 1"
SHOWN=$(grep -c "c3.conf:[0-9]*: unknown keyword" "$T/c3.out")
MORE=$(sed -n 's/^\.\.\. and \([0-9]*\) more errors$/\1/p' "$T/c3.out")
ok $(( SHOWN + ${MORE:-0} != 400 )) "the errors shown ($SHOWN) and \"... and ${MORE:-?} more errors\" make 400"

# a size that rounds to 0 bytes is not "no bound"
{ base; echo "syslog max-size 0.0000001M"; } >"$T/c4.conf"
"$NETPATROLD" -n -f "$T/c4.conf" >"$T/c4.out" 2>&1
ok $(( $? != 1 )) "syslog max-size 0.0000001M is refused"
check "... as less than a byte" grep -q "less than a byte" "$T/c4.out"
{ base; echo "syslog max-size 0"; } >"$T/c5.conf"
check "syslog max-size 0 (no bound) is still allowed" "$NETPATROLD" -n -f "$T/c5.conf"

# secrets in a file of their own, readable by its owner only
cat >"$T/secrets.conf" <<EOC
ro = "s3cret-community"
EOC
chmod 644 "$T/secrets.conf"
{ base; echo "include secret \"$T/secrets.conf\""; echo 'device "a" {
	address 127.0.0.1 port 9
	snmp v2c community $ro
}'; } >"$T/c6.conf"
"$NETPATROLD" -n -f "$T/c6.conf" >"$T/c6.out" 2>&1
ok $(( $? != 1 )) "include secret of a file readable by others: refused"
check "... saying so (mode 0644)" grep -q "readable by others (mode 0644)" "$T/c6.out"
check "... without the secret in the message" sh -c "! grep -q s3cret '$T/c6.out'"
chmod 640 "$T/secrets.conf"
"$NETPATROLD" -n -f "$T/c6.conf" >"$T/c6.out" 2>&1
ok $(( $? != 1 )) "include secret of a file its group may read (0640): refused"
check "... saying so (mode 0640)" grep -q "readable by others (mode 0640)" "$T/c6.out"
chmod 602 "$T/secrets.conf"
"$NETPATROLD" -n -f "$T/c6.conf" >"$T/c6.out" 2>&1
ok $(( $? != 1 )) "include secret of a file others may write (0602): refused"
chmod 600 "$T/secrets.conf"
check "include secret of a 0600 file: accepted" "$NETPATROLD" -n -f "$T/c6.conf"
chmod 400 "$T/secrets.conf"
check "include secret of a 0400 file: accepted" "$NETPATROLD" -n -f "$T/c6.conf"
chmod 600 "$T/secrets.conf"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$T/secrets.conf"
	"$NETPATROLD" -n -f "$T/c6.conf" >"$T/c6.out" 2>&1
	ok $(( $? != 1 )) "include secret of another user's 0600 file: refused (as sshd)"
	check "... saying whose it is, without the secret" sh -c "grep -q 'neither root nor the user reading it' '$T/c6.out' && ! grep -q s3cret '$T/c6.out'"
	chown 0 "$T/secrets.conf"
else
	skip "another user's secrets file (needs root)"
	skip "... saying whose it is"
fi
{ base; echo "include public \"$T/secrets.conf\""; } >"$T/c7.conf"
"$NETPATROLD" -n -f "$T/c7.conf" >"$T/c7.out" 2>&1
ok $(( $? != 1 )) "include with another word than secret: an error"

# the CLI with its output pipe closed: an error, not a silent SIGPIPE
python3 - "$NETPATROL" >"$T/c8.out" 2>&1 <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)  # nobody reads the CLI's output
p = subprocess.run([sys.argv[1], "help"], stdout=w, stderr=subprocess.PIPE)
print("rc", p.returncode)
print(p.stderr.decode())
PY
check "netpatrol with a closed output pipe exits 1 (not killed by SIGPIPE)" grep -qx "rc 1" "$T/c8.out"
check "... saying why" grep -q "netpatrol: writing the output: Broken pipe" "$T/c8.out"
done_testing
