#!/bin/bash
# config_fetchers.sh - the shipped fetchers against real parts: OpenSSH's
# sshd on a loopback high port (its own host key, an authorized key, a
# ForceCommand that prints a device configuration) fetched by
# np-fetch-ssh by hand and by netpatrold; np-fetch-dropdir on a directory
# with a settled and a fresh file.
. "$(dirname "$0")/lib.sh"
need ssh ssh-keygen python3
[ -x /usr/sbin/sshd ] || skip_all "openssh-server is not installed"
[ "$(id -u)" = 0 ] || skip_all "sshd's privilege separation needs root"

FETCH=$top_srcdir/contrib/fetch
SPORT=$(port_pick)
mkdir -p "$T/ssh" /run/sshd
CFG=$SHARED/corpus/configs/oxidized/ios__asr920_16.8.1b__output.txt
[ -r "$CFG" ] || CFG=$top_srcdir/tests/data/configs/r1-v1.ios
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/client_key"
cp "$T/ssh/client_key.pub" "$T/ssh/authorized_keys"
chmod 600 "$T/ssh/authorized_keys"
cat >"$T/ssh/sshd_config" <<EOF
ListenAddress 127.0.0.1:$SPORT
HostKey $T/ssh/host_key
AuthorizedKeysFile $T/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $T/ssh/sshd.pid
ForceCommand /bin/cat $CFG
EOF
/usr/sbin/sshd -D -e -f "$T/ssh/sshd_config" 2>"$T/ssh/sshd.log" &
SSHD_PID=$!
PIDS="$PIDS $SSHD_PID"
listening() { python3 -c "import socket; socket.create_connection(('127.0.0.1', $SPORT), 1)"; }
wait_for 20 listening
ok $? "sshd listens"

"$FETCH/np-fetch-ssh" -p "$SPORT" -i "$T/ssh/client_key" -k "$T/ssh/known" \
	-u root 127.0.0.1 ios >"$T/out1" 2>"$T/err1"
ok $? "np-fetch-ssh fetches"
check "what it prints is the configuration" cmp -s "$T/out1" "$CFG"
check "the host key is remembered" ssh-keygen -F "[127.0.0.1]:$SPORT" -f "$T/ssh/known"
"$FETCH/np-fetch-ssh" -p "$SPORT" -i "$T/ssh/client_key" -k "$T/ssh/known" \
	-u nosuchuser 127.0.0.1 ios >/dev/null 2>"$T/err2"
check "a refused login fails, saying why" test $? -ne 0 -a -s "$T/err2"
"$FETCH/np-fetch-ssh" 127.0.0.1 vms >/dev/null 2>"$T/err3"
check "an unknown platform is refused" test $? = 2
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/other_host" 
printf '[127.0.0.1]:%s %s\n' "$SPORT" "$(cat "$T/ssh/other_host.pub")" >"$T/ssh/known"
"$FETCH/np-fetch-ssh" -p "$SPORT" -i "$T/ssh/client_key" -k "$T/ssh/known" \
	-u root 127.0.0.1 ios >/dev/null 2>&1
check "a changed host key fails the fetch" test $? -ne 0
rm -f "$T/ssh/known"

# through the daemon
CONF=$T/np.conf
DEAD=$(port_pick)
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
device "asr" {
	address 127.0.0.1 port $DEAD
	config fetch "$FETCH/np-fetch-ssh" "-p" "$SPORT" "-i" "$T/ssh/client_key" "-k" "$T/ssh/known" "-u" "root" "%a" "%p"
	config platform iosxe
	config interval off
}
EOF
start_daemon "$CONF" || { ok 1 "daemon starts"; done_testing; }
"$NETPATROL" -f "$CONF" config fetch asr >"$T/fetch.txt"
check "netpatrold fetches over SSH: version 1" grep -q "^asr: version 1 " "$T/fetch.txt"
"$NETPATROL" -f "$CONF" config show asr >"$T/show.txt"
check "the archived text is the normalised configuration" grep -q "^hostname" "$T/show.txt"
check "its secrets are digests" sh -c "grep -q '^enable secret 5 <secret:' '$T/show.txt' && ! grep -q 'ABCDEFGH1234' '$T/show.txt'"
stop_pid "$DAEMON_PID"

# np-fetch-dropdir
mkdir -p "$T/drop"
echo "hostname old" >"$T/drop/r1-confg-1"
touch -d '-1 hour' "$T/drop/r1-confg-1"
echo "hostname new" >"$T/drop/r1-confg-2"
touch -d '-10 min' "$T/drop/r1-confg-2"
echo "hostname writing" >"$T/drop/r1-confg-3"
check "dropdir: the newest settled file" test "$("$FETCH/np-fetch-dropdir" -s 60 "$T/drop" 'r1-confg-*' 2>/dev/null)" = "hostname new"
echo "hostname gz" | gzip >"$T/drop/r2.conf.gz"
touch -d '-1 min' "$T/drop/r2.conf.gz"
check "dropdir: gzip files are uncompressed" test "$("$FETCH/np-fetch-dropdir" "$T/drop" 'r2.conf.gz*')" = "hostname gz"
"$FETCH/np-fetch-dropdir" "$T/drop" 'r9-*' >/dev/null 2>"$T/derr"
check "dropdir: no file fails, saying why" test $? = 1 -a -s "$T/derr"
rm "$T/drop/r1-confg-1" "$T/drop/r1-confg-2"
"$FETCH/np-fetch-dropdir" -s 60 "$T/drop" 'r1-confg-*' >/dev/null 2>&1
check "dropdir: only a file still being written fails" test $? = 1
stop_pid "$SSHD_PID"
done_testing
