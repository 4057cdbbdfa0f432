#!/bin/bash
# syslog_tls.sh - syslog over TLS (RFC 5425) with a self-signed
# certificate made here: Python's ssl module as the sender (logger has no
# TLS), octet-counted frames, several on one connection; a client that
# speaks plain TCP to the TLS port and one that refuses our certificate
# are counted as TLS errors and leave the listener working; a wrong key
# stops the daemon at start with a clear message.
. "$(dirname "$0")/lib.sh"
need openssl python3
python3 -c 'import ssl' 2>/dev/null || skip_all "python3 has no ssl module"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
ok $? "a self-signed certificate for 127.0.0.1"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other" \
	-keyout "$T/other-key.pem" -out "$T/other-cert.pem" >/dev/null 2>&1

SPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog tls 127.0.0.1 port $SPORT certificate "$T/cert.pem" key "$T/key.pem"
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts with a TLS listener on $SPORT"

tls_send() {  # tls_send CAFILE MESSAGE...: octet-counted over TLS
	python3 - "$SPORT" "$@" <<'PY'
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = True
with socket.create_connection(("127.0.0.1", port)) as raw:
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
        data = b""
        for m in sys.argv[3:]:
            b = m.encode()
            data += b"%d %s" % (len(b), b)
        s.sendall(data)
        print("sent over", s.version())
PY
}
logs() { "$NETPATROL" -f "$CONF" logs --json; }
nlogs() { logs | json - "len(j) >= $1"; }

tls_send "$T/cert.pem" "<165>1 2024-03-01T10:00:00Z h1 app1 - - - over tls one" \
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
tls_send "$T/other-cert.pem" "<13>untrusted" >/dev/null 2>&1
ok $(( $? == 0 )) "a client with another CA refuses our certificate"
errors() { "$NETPATROL" -f "$CONF" status --json | json - "j['syslog']['listeners'][0]['tls_errors'] >= 1"; }
wait_for 20 errors
ok $? "plain TCP on the TLS port is a TLS error, counted"
tls_send "$T/cert.pem" "<13>Mar  1 10:00:00 h1 app3: still listening" >/dev/null 2>&1
wait_for 20 nlogs 3
ok $? "the listener still takes TLS clients"
check "nothing of the plain or refused clients was stored" json - "len(j)==3" < <(logs)

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"

# a key that is not the certificate's: refused at start, said clearly
sed -i "s|key \"$T/key.pem\"|key \"$T/other-key.pem\"|" "$CONF"
"$NETPATROLD" -d -f "$CONF" >"$T/bad.out" 2>&1
ok $(( $? == 0 )) "a mismatched key stops the daemon at start"
check "with the key's file named" grep -q "other-key.pem" "$T/bad.out"
done_testing
