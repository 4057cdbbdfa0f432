#!/bin/bash
# trap_big.sh - traps too big for the old store path (issue 19, defect 1):
# one 16 KB octet string, one 16 KB binary string (48 KB of hex), and one
# trap with 1,000 varbinds, sent by net-snmp's snmptrap to a listener on a
# loopback high port. The daemon survives each, and each is stored whole
# (the varbinds' JSON past 35 KB once killed the daemon), then a v1 trap
# with a negative specific-trap is named without wrapping around.
. "$(dirname "$0")/lib.sh"
need snmptrap python3

TPORT=$(port_pick)
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOC
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port $TPORT
trap community "traps-ro"
EOC
start_daemon "$CONF"
ok $? "netpatrold starts with a trap listener on udp 127.0.0.1:$TPORT"

export MIBS=
traps() { "$NETPATROL" -f "$CONF" traps --json; }
ntraps() { traps | json - "len(j) >= $1"; }
alive() { kill -0 "$DAEMON_PID" && "$NETPATROL" -f "$CONF" status >/dev/null; }

BIG=$(python3 -c 'print("A" * 16384)')
snmptrap -v2c -c traps-ro "127.0.0.1:$TPORT" '' 1.3.6.1.4.1.99999.0.1 \
	1.3.6.1.4.1.99999.1.0 s "$BIG"
wait_for 30 ntraps 1
ok $? "a trap with a 16 KB octet string is stored"
check "the daemon survives it" alive
traps >"$T/t.json"
check "the 16 KB string is stored whole" \
	json "$T/t.json" "len(j[0]['varbinds'][0]['value'])==16384"

snmptrap -v2c -c traps-ro "127.0.0.1:$TPORT" '' 1.3.6.1.4.1.99999.0.2 \
	1.3.6.1.4.1.99999.1.0 x "$(python3 -c 'print("01" * 16384)')"
wait_for 30 ntraps 2
ok $? "a trap with a 16 KB binary string (48 KB of hex) is stored"
check "the daemon survives it" alive
traps >"$T/t.json"
check "the binary string is stored as hex, whole" \
	json "$T/t.json" "j[1]['varbinds'][0].get('hex') and len(j[1]['varbinds'][0]['value'])==3*16384-1"

ARGS=$(python3 -c 'print(" ".join("1.3.6.1.4.1.99999.2.%d i %d" % (i, i) for i in range(1000)))')
# shellcheck disable=SC2086
snmptrap -v2c -c traps-ro "127.0.0.1:$TPORT" '' 1.3.6.1.4.1.99999.0.3 $ARGS
wait_for 30 ntraps 3
ok $? "a trap with 1,000 varbinds is stored"
check "the daemon survives it" alive
traps >"$T/t.json"
check "all 1,000 varbinds are in the stored trap" \
	json "$T/t.json" "len(j[2]['varbinds'])==1000 and j[2]['varbinds'][999]['value']==999"

# a v1 trap with specific-trap -5: out of range (RFC 1157: 0..2^31-1)
python3 - "$TPORT" <<'PYEOF'
import socket, sys
def tlv(t, b):
    n = len(b)
    if n < 128: ln = bytes([n])
    else:
        lb = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(lb)]) + lb
    return bytes([t]) + ln + b
def integer(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))
def oid(s):
    p = [int(x) for x in s.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        enc = [x & 0x7f]
        x >>= 7
        while x:
            enc.insert(0, 0x80 | (x & 0x7f)); x >>= 7
        out += bytes(enc)
    return tlv(0x06, out)
pdu = tlv(0xa4, oid("1.3.6.1.4.1.99998") + tlv(0x40, bytes([127, 0, 0, 1]))
          + integer(6) + integer(-5) + tlv(0x43, b"\x01") + tlv(0x30, b""))
msg = tlv(0x30, integer(0) + tlv(0x04, b"traps-ro") + pdu)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(msg, ("127.0.0.1", int(sys.argv[1])))
PYEOF
wait_for 30 ntraps 4
ok $? "a v1 trap with specific-trap -5 is received"
traps >"$T/t.json"
check "its trap OID does not wrap -5 around to 2^64-5" \
	json "$T/t.json" "'18446744073709551611' not in j[3]['trap_oid'] and j[3]['trap_oid'].startswith('.1.3.6.1.4.1.99998')"
check "the daemon says what was wrong with it" \
	grep -q "specific-trap -5 out of range" "$T/daemon.log"
check "the daemon is still running" alive

done_testing
