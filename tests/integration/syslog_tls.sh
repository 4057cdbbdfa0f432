#!/bin/bash
# syslog_tls.sh - syslog over TLS (RFC 5425) with certificates made here
# by openssl: Python's ssl module as the sender (logger has no TLS),
# octet-counted frames, several on one connection, and LF framing.
#
# Three listeners on one daemon:
#   open  no client certificates asked for; a client that speaks plain TCP
#         to it and one that refuses our certificate are TLS errors and
#         leave it working;
#   ca    "ca" with "peer" patterns and one pinned "fingerprint": a client
#         signed by the CA with a permitted name (subjectAltName, or CN
#         when it has none) is taken; no certificate, another CA's, a name
#         not permitted are rejected; the pinned self-signed one is taken;
#   fp    fingerprints only: the pinned self-signed client is taken, any
#         other certificate (self-signed or the CA's) and none rejected.
# Rejections are counted by reason per listener (status --json and text),
# logged with the client's address and the reason, once per reason until
# the complaint's interval passes; nothing of a rejected client is stored.
# Bad client settings are caught by netpatrold -n with FILE:LINE; a wrong
# key stops the daemon at start with a clear message.
. "$(dirname "$0")/lib.sh"
need openssl python3
python3 -c 'import ssl' 2>/dev/null || skip_all "python3 has no ssl module"

# --- certificates: a CA, our server's, clients of the CA, another CA's
# client, self-signed clients
cat >"$T/x509.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = CA:false
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[client]
basicConstraints = CA:false
extendedKeyUsage = clientAuth
[client_san]
basicConstraints = CA:false
extendedKeyUsage = clientAuth
subjectAltName = DNS:sw1.dc1.example,DNS:sw1-mgmt.dc1.example
[client_badname]
basicConstraints = CA:false
extendedKeyUsage = clientAuth
subjectAltName = DNS:printer.lab.example
EOF
EC="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
mkca() {  # mkca NAME SUBJECT
	openssl req -x509 $EC -days 2 -config "$T/x509.cnf" -extensions ca \
		-subj "$2" -keyout "$T/$1-key.pem" -out "$T/$1.pem"
}
mkcert() {  # mkcert NAME CA SUBJECT EXTENSIONS: a certificate signed by CA
	openssl req -new $EC -config "$T/x509.cnf" -subj "$3" \
		-keyout "$T/$1-key.pem" -out "$T/$1.csr" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2-key.pem" \
		-CAcreateserial -days 2 -extfile "$T/x509.cnf" -extensions "$4" \
		-out "$T/$1.pem"
}
mkself() {  # mkself NAME SUBJECT: a self-signed client
	openssl req -x509 $EC -days 2 -config "$T/x509.cnf" -extensions client \
		-subj "$2" -keyout "$T/$1-key.pem" -out "$T/$1.pem"
}
fpr() {  # fpr NAME: the certificate's SHA-256 fingerprint, AB:CD:...
	openssl x509 -in "$T/$1.pem" -noout -fingerprint -sha256 | sed 's/^.*=//'
}
{
	mkca ca "/CN=netpatrol test CA" &&
	mkca otherca "/CN=another CA" &&
	mkcert server ca "/CN=localhost" server &&
	mkcert good ca "/CN=sw1" client_san &&
	mkcert cnonly ca "/O=lab/CN=LOGS1.Example.NET" client &&
	mkcert badname ca "/CN=printer" client_badname &&
	mkcert stranger otherca "/CN=sw9.dc1.example" client_san &&
	mkself self1 "/CN=self-signed one" &&
	mkself self2 "/CN=self-signed two" &&
	mkself self3 "/CN=self-signed three"
} >"$T/openssl.out" 2>&1
ok $? "openssl makes a CA, a server certificate and seven clients"
FP1=$(fpr self1)
FP2=$(fpr self2)
# self-signed one pinned as RFC 5425 writes it, two as plain lower-case hex
FP2_HEX=$(echo "$FP2" | tr -d : | tr 'A-F' 'a-f')

SPORT=$(port_pick)
APORT=$(port_pick)
FPORT=$(port_pick)
while [ "$APORT" = "$SPORT" ]; do APORT=$(port_pick); done
while [ "$FPORT" = "$SPORT" ] || [ "$FPORT" = "$APORT" ]; do FPORT=$(port_pick); done
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog tls 127.0.0.1 port $SPORT certificate "$T/server.pem" key "$T/server-key.pem"
listen syslog tls 127.0.0.1 port $APORT certificate "$T/server.pem" \\
	key "$T/server-key.pem" ca "$T/ca.pem" peer "*.dc1.example" \\
	peer "logs?.example.net" fingerprint "sha-256:$FP1"
listen syslog tls 127.0.0.1 port $FPORT certificate "$T/server.pem" \\
	key "$T/server-key.pem" fingerprint "SHA256:$FP1" fingerprint "$FP2_HEX"
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts with TLS listeners on $SPORT (open), $APORT (ca), $FPORT (fingerprints)"

cat >"$T/send.py" <<'PY'
# send.py PORT CAFILE CERT|- KEY|- VERSION MESSAGE...: octet-counted over
# TLS; VERSION "1.2" at most TLS 1.2, "lf" ended by LFs, the last without
import socket, ssl, sys
port, ca, cert, key, ver = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = True
if cert != "-":
    ctx.load_cert_chain(cert, key)
if ver == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
try:
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
            data = b""
            for m in sys.argv[6:]:
                b = m.encode()
                data += b"\n" + b if ver == "lf" else b"%d %s" % (len(b), b)
            data = data.lstrip(b"\n")
            s.sendall(data)
            print("sent over", s.version())
except (ssl.SSLError, OSError) as e:
    print("refused:", e)
    sys.exit(2)
PY
send() {  # send PORT CLIENT|- VERSION MESSAGE...
	local port=$1 c=$2 ver=$3
	shift 3
	if [ "$c" = - ]; then
		python3 "$T/send.py" "$port" "$T/ca.pem" - - "$ver" "$@"
	else
		python3 "$T/send.py" "$port" "$T/ca.pem" "$T/$c.pem" "$T/$c-key.pem" "$ver" "$@"
	fi
}
msg() { echo "<13>Mar  1 10:00:00 h1 $1: $2"; }
logs() { "$NETPATROL" -f "$CONF" logs --json; }
nlogs() { logs | json - "len(j) >= $1"; }
# lst PORT PYTHON-EXPR: with l bound to that listener's status
lst() {
	"$NETPATROL" -f "$CONF" status --json | json - \
		"(lambda l: $2)([l for l in j['syslog']['listeners'] if l['address']=='tls:127.0.0.1:$1'][0])"
}

# --- the open listener, as before
send "$SPORT" - any "<165>1 2024-03-01T10:00:00Z h1 app1 - - - over tls one" \
	"<13>Mar  1 10:00:00 h1 app2: over tls two" >"$T/send.out" 2>&1
ok $? "a TLS client verifies the certificate and sends ($(cat "$T/send.out"))"
wait_for 20 nlogs 2
ok $? "both messages are stored"
logs >"$T/l.json"
check "transport tls, fields parsed" \
	json "$T/l.json" "[(m['transport'],m['app'],m['text']) for m in j]==[('tls','app1','over tls one'),('tls','app2','over tls two')]"

# plain TCP to the TLS port, and a client that does not trust us
python3 - "$SPORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"12 <13>plaintext\n" * 10)
s.settimeout(5)
try:
    s.recv(100)
except Exception:
    pass
PY
python3 "$T/send.py" "$SPORT" "$T/otherca.pem" - - any "<13>untrusted" >/dev/null 2>&1
ok $(( $? == 0 )) "a client with another CA refuses our certificate"
wait_for 20 lst "$SPORT" "l['tls_errors'] >= 1"
ok $? "plain TCP on the TLS port is a TLS error, counted"
send "$SPORT" - any "$(msg app3 'still listening')" >/dev/null 2>&1
wait_for 20 nlogs 3
ok $? "the listener still takes TLS clients"
check "nothing of the plain or refused clients was stored" json - "len(j)==3" < <(logs)
# closed without close_notify: an end, not an error, and the last line is
# taken without its LF
send "$SPORT" - lf "$(msg lf-one 'LF framing')" "$(msg lf-last 'the last without its LF')" >/dev/null 2>&1
wait_for 20 nlogs 5
ok $? "LF-framed messages are stored, the last one without its LF too"
check "a client that closes without close_notify is no TLS error" \
	lst "$SPORT" "l['tls_errors']==2"
check "a listener without ca or fingerprint: no client certificates, none rejected" \
	lst "$SPORT" "l['client_auth']=='none' and l['tls_rejected']==0 and l['tls_authenticated']==0"

# --- ca, peer patterns, one pinned fingerprint
send "$APORT" good any "$(msg ca-good 'sw1 by its CA, TLS 1.3')" >"$T/s.out" 2>&1
ok $? "a client of the CA named *.dc1.example sends ($(cat "$T/s.out"))"
send "$APORT" good 1.2 "$(msg ca-good12 'sw1 by its CA, TLS 1.2')" >/dev/null 2>&1
ok $? "and again over TLS 1.2"
send "$APORT" cnonly any "$(msg ca-cn 'no subjectAltName, its CN matches')" >/dev/null 2>&1
ok $? "a client of the CA whose CN (no subjectAltName) matches logs?.example.net, in other case, sends"
send "$APORT" self1 any "$(msg ca-pinned 'self-signed, pinned')" >/dev/null 2>&1
ok $? "a self-signed client whose fingerprint is pinned sends"
wait_for 20 nlogs 9
ok $? "their four messages are stored"
for i in 1 2 3; do
	send "$APORT" - any "$(msg ca-nocert "no certificate $i")" >>"$T/nocert.out" 2>&1
done
send "$APORT" stranger 1.2 "$(msg ca-stranger 'another CA')" >"$T/stranger.out" 2>&1
ok $(( $? == 0 )) "a client of another CA is refused in the handshake ($(cat "$T/stranger.out"))"
send "$APORT" badname any "$(msg ca-badname 'a name not permitted')" >/dev/null 2>&1
send "$APORT" self2 any "$(msg ca-self2 'self-signed, not pinned here')" >/dev/null 2>&1
wait_for 20 lst "$APORT" "l['tls_rejected'] >= 6"
ok $? "six clients rejected on the ca listener"
check "by reason: 3 without a certificate, 2 not verified (another CA, self-signed), 1 name" \
	lst "$APORT" "(l['tls_rejected_no_certificate'],l['tls_rejected_not_verified'],l['tls_rejected_name'],l['tls_rejected_fingerprint'],l['tls_rejected'])==(3,2,1,0,6)"
check "four authenticated, none a TLS error, the policy shown" \
	lst "$APORT" "l['tls_authenticated']==4 and l['tls_errors']==0 and l['client_auth']=='ca+peer+fingerprint'"

# --- fingerprints only
send "$FPORT" self1 any "$(msg fp-self1 'pinned as SHA256:')" >/dev/null 2>&1
send "$FPORT" self2 1.2 "$(msg fp-self2 'pinned in plain hex')" >/dev/null 2>&1
wait_for 20 nlogs 11
ok $? "both pinned self-signed clients are taken without a CA"
send "$FPORT" self3 any "$(msg fp-self3 'a wrong fingerprint')" >/dev/null 2>&1
send "$FPORT" good any "$(msg fp-good 'the CA means nothing here')" >/dev/null 2>&1
send "$FPORT" - any "$(msg fp-nocert 'none')" >/dev/null 2>&1
wait_for 20 lst "$FPORT" "l['tls_rejected'] >= 3"
ok $? "three clients rejected on the fingerprint listener"
check "by reason: 2 fingerprints not permitted, 1 without a certificate; 2 taken" \
	lst "$FPORT" "(l['tls_rejected_fingerprint'],l['tls_rejected_no_certificate'],l['tls_rejected'],l['tls_authenticated'],l['client_auth'])==(2,1,3,2,'fingerprint')"

# --- the rest unaffected, and nothing of the rejected stored
send "$SPORT" - any "$(msg open-after 'the open listener, after all that')" >/dev/null 2>&1
send "$APORT" good any "$(msg ca-after 'sw1 again, after all that')" >/dev/null 2>&1
wait_for 20 nlogs 13
ok $? "the open and the ca listeners still take their clients"
check "exactly the permitted clients' messages were stored, as tls" json - \
	"sorted((m['app'],m['transport']) for m in j)==sorted((a,'tls') for a in ['app1','app2','app3','lf-one','lf-last','ca-good','ca-good12','ca-cn','ca-pinned','fp-self1','fp-self2','open-after','ca-after'])" \
	< <(logs)

# --- the log: address and reason, each reason once (rate-limited)
grep "rejected" "$T/daemon.log" >"$T/rejected.log"
check "logged: no certificate, with the client's address" \
	grep -q "syslog tls:127.0.0.1:$APORT: TLS client 127.0.0.1 rejected: no certificate$" "$T/rejected.log"
check "logged once for three (the complaint's interval)" \
	test "$(grep -c "tls:127.0.0.1:$APORT: .* rejected: no certificate" "$T/rejected.log")" = 1
check "logged: not verified, with the verify error and the certificate's fingerprint" \
	grep -q "tls:127.0.0.1:$APORT: TLS client 127.0.0.1 rejected: not verified: unable to get local issuer certificate (certificate SHA-256:$(fpr stranger))" "$T/rejected.log"
check "logged: name not permitted, with its names" \
	grep -q "tls:127.0.0.1:$APORT: TLS client 127.0.0.1 rejected: name not permitted: printer.lab.example" "$T/rejected.log"
check "logged: fingerprint not permitted, with the fingerprint" \
	grep -q "tls:127.0.0.1:$FPORT: TLS client 127.0.0.1 rejected: fingerprint not permitted: SHA-256:$(fpr self3)" "$T/rejected.log"
check "logged (debug): who authenticated, and how" \
	grep -q "tls:127.0.0.1:$APORT: 127.0.0.1 authenticated as sw1.dc1.example, sw1-mgmt.dc1.example by a certificate verified against ca" "$T/daemon.log"
"$NETPATROL" -f "$CONF" status >"$T/status.txt"
check "status (text): the ca listener's handshakes" \
	grep -q "^syslog tls:127.0.0.1:$APORT (client certificates: ca+peer+fingerprint): [0-9]* accepted, 5 authenticated, 6 rejected (3 no certificate, 2 not verified, 1 name, 0 fingerprint), 0 TLS errors$" "$T/status.txt"

# --- a reload takes new fingerprints at once: self3 pinned, self1 no more
sed -i "s/fingerprint \"SHA256:$FP1\" fingerprint \"$FP2_HEX\"/fingerprint \"$(fpr self3)\"/" "$CONF"
check "the configuration now pins self3 only" grep -q "fingerprint \"$(fpr self3)\"" "$CONF"
kill -HUP "$DAEMON_PID"
reloaded() { "$NETPATROL" -f "$CONF" status --json | json - "j['reloads'] == 1"; }
wait_for 20 reloaded
ok $? "reloaded"
check "said in the log, with no restart asked for" sh -c \
	"grep -q 'syslog tls:127.0.0.1:$FPORT: client certificates. peers and fingerprints reloaded' '$T/daemon.log' && ! grep -q 'change at the next restart' '$T/daemon.log'"
send "$FPORT" self3 any "$(msg fp-self3-after 'pinned by the reload')" >/dev/null 2>&1
wait_for 20 nlogs 14
ok $? "the newly pinned client is taken"
send "$FPORT" self1 any "$(msg fp-self1-after 'no longer pinned')" >/dev/null 2>&1
wait_for 20 lst "$FPORT" "l['tls_rejected_fingerprint'] >= 3"
ok $? "the client no longer pinned is turned away"
check "and nothing of it stored" json - "not [m for m in j if m['app']=='fp-self1-after']" < <(logs)

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# --- bad client settings, caught by netpatrold -n
badconf() {  # badconf LISTEN-OPTIONS...: the check's output; exit 0 if it failed
	printf 'state-dir "%s"\nlisten syslog tls 127.0.0.1 port %s certificate "%s" key "%s" %s\n' \
		"$T/state" "$SPORT" "$T/server.pem" "$T/server-key.pem" "$1" >"$T/bad.conf"
	! "$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
}
badconf "ca \"$T/no-such-ca.pem\""
check "a CA file that cannot be read: FILE:LINE, the file and why" \
	grep -qx "$T/bad.conf:2: listen syslog tls: ca $T/no-such-ca.pem: No such file or directory" "$T/bad.out"
echo "not a certificate" >"$T/junk.pem"
badconf "ca \"$T/junk.pem\""
check "a CA file without certificates: FILE:LINE and the file ($(cat "$T/bad.out"))" \
	grep -q "^$T/bad.conf:2: listen syslog tls: ca $T/junk.pem: " "$T/bad.out"
badconf 'fingerprint "SHA256:AB:CD:EF"'
check "a fingerprint cut short" \
	grep -q "^$T/bad.conf:2: fingerprint \"SHA256:AB:CD:EF\": not a SHA-256 fingerprint" "$T/bad.out"
badconf "peer \"*.dc1.example\""
check "peer without ca" grep -q "^$T/bad.conf:2: peer needs ca" "$T/bad.out"
printf 'listen syslog tcp 127.0.0.1 port %s fingerprint "%s"\n' "$SPORT" "$FP1" >"$T/bad.conf"
"$NETPATROLD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1
ok $(( $? == 0 )) "a fingerprint on a TCP listener is refused: $(cat "$T/bad.out")"

# a key that is not the certificate's: refused at start, said clearly
sed -i "s|key \"$T/server-key.pem\"|key \"$T/otherca-key.pem\"|" "$CONF"
"$NETPATROLD" -d -f "$CONF" >"$T/bad.out" 2>&1
ok $(( $? == 0 )) "a mismatched key stops the daemon at start"
check "with the key's file named" grep -q "otherca-key.pem" "$T/bad.out"
done_testing
