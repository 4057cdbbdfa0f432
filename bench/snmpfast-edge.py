#!/usr/bin/python3
# snmpfast-edge.py - protocol edge cases against a running snmpfast.
#
#	snmpfast-edge.py PORT [ADDRESS [COMMUNITY]]
#
# Sends hand-built requests (bad BER, limits, odd PDUs) and checks each
# answer, decoded strictly with pyasn1/pysnmp (installed with snmpsim),
# or that malformed and unsupported packets get no answer.  Expects the
# recording of gen-switch.sh and snmpfast's default limits (-m 1000
# varbinds, -M 65000 bytes).  Exit status 1 if any check fails.
import socket
import sys

from pyasn1.codec.ber import decoder
from pysnmp.proto import api

PORT = int(sys.argv[1])
ADDR = sys.argv[2] if len(sys.argv) > 2 else "127.1.0.1"
COMM = (sys.argv[3] if len(sys.argv) > 3 else "public").encode()
assert ADDR.startswith("127."), "loopback only"

failed = 0


def tl(tag, body, form=None):
    n = len(body)
    if form == 4:
        return bytes([tag, 0x84]) + n.to_bytes(4, "big") + body
    if n < 128:
        return bytes([tag, n]) + body
    if n < 256:
        return bytes([tag, 0x81, n]) + body
    return bytes([tag, 0x82, n >> 8, n & 255]) + body


def subid(v):
    enc = [v & 0x7F]
    v >>= 7
    while v:
        enc.append(0x80 | (v & 0x7F))
        v >>= 7
    return bytes(reversed(enc))


def oidc(arcs):
    if not arcs:
        return b""
    return subid(arcs[0] * 40 + arcs[1]) + b"".join(subid(v) for v in arcs[2:])


def oid(text):
    return tl(6, oidc([int(x) for x in text.split(".")]) if text else b"")


def intg(v):
    return tl(2, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def msg(ver, pdu, e1, e2, names, comm=None, reqid=1234):
    vbl = b"".join(tl(0x30, o + b"\x05\x00") for o in names)
    p = tl(pdu, intg(reqid) + intg(e1) + intg(e2) + tl(0x30, vbl))
    return tl(0x30, intg(ver) + tl(4, COMM if comm is None else comm) + p)


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(0.5)


def ask(pkt):
    sock.sendto(pkt, (ADDR, PORT))
    try:
        data = sock.recv(70000)
    except socket.timeout:
        return None
    m, rest = decoder.decode(data, asn1Spec=api.v2c.Message())
    assert not rest
    return len(data), m["data"].getComponent()


def check(name, ok):
    global failed
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failed += 1


def names(p):
    return [str(vb["name"]) for vb in p["variable-bindings"]]


def kinds(p):
    return [vb[1].getComponent().__class__.__name__
            for vb in p["variable-bindings"]]


def expect(name, pkt, errstat=0, nvb=None, first=None, last_kind=None,
           maxlen=None):
    r = ask(pkt)
    if r is None:
        check(name + " (no answer)", False)
        return None
    size, p = r
    ok = int(p["error-status"]) == errstat
    if nvb is not None:
        ok = ok and len(p["variable-bindings"]) == nvb
    if first is not None:
        ok = ok and names(p)[0] == first
    if last_kind is not None:
        ok = ok and kinds(p)[-1] == last_kind
    if maxlen is not None:
        ok = ok and size <= maxlen
    check("%s (status %d, %d varbinds, %d bytes)" % (
        name, int(p["error-status"]), len(p["variable-bindings"]), size), ok)
    return p


def dropped(name, pkt):
    check(name + " dropped", ask(pkt) is None)


SYSDESCR = oid("1.3.6.1.2.1.1.1.0")
SYSNAME = oid("1.3.6.1.2.1.1.5.0")

expect("getnext of empty OID", msg(1, 0xA1, 0, 0, [oid("")]),
       first="1.3.6.1.2.1.1.1.0")
expect("getnext past the end", msg(1, 0xA1, 0, 0, [oid("1.3.6.1.2.1.31.1.5.0")]),
       last_kind="EndOfMibView")
expect("get missing instance", msg(1, 0xA0, 0, 0, [oid("1.3.6.1.2.1.2.2.1.10.999")]),
       last_kind="NoSuchInstance")
expect("get missing object", msg(1, 0xA0, 0, 0, [oid("1.3.6.1.9.9.9")]),
       last_kind="NoSuchObject")
expect("v1 get missing: noSuchName index 2",
       msg(0, 0xA0, 0, 0, [SYSNAME, oid("1.3.6.1.9.9.9")]), errstat=2, nvb=2)
expect("v1 get Counter64: noSuchName",
       msg(0, 0xA0, 0, 0, [oid("1.3.6.1.2.1.31.1.1.1.6.1")]), errstat=2)
expect("v1 getnext skips Counter64",
       msg(0, 0xA1, 0, 0, [oid("1.3.6.1.2.1.31.1.1.1.5.48")]),
       first="1.3.6.1.2.1.31.1.1.1.14.1")
expect("128 sub-identifiers", msg(1, 0xA1, 0, 0, [tl(6, oidc([1, 3] + [6] * 126))]),
       last_kind="EndOfMibView")
dropped("129 sub-identifiers", msg(1, 0xA1, 0, 0, [tl(6, oidc([1, 3] + [6] * 127))]))
expect("sub-identifier 2^32-1",
       msg(1, 0xA1, 0, 0, [tl(6, oidc([1, 3, 6, 1, 2, 1, 1, 2**32 - 1]))]),
       first="1.3.6.1.2.1.2.1.0")
dropped("sub-identifier 2^32", msg(1, 0xA1, 0, 0, [tl(6, oidc([1, 3, 6, 1, 2**32]))]))
dropped("sub-identifier with 0x80 lead", msg(1, 0xA1, 0, 0, [tl(6, bytes([43, 6, 0x80, 1]))]))
dropped("cut sub-identifier", msg(1, 0xA1, 0, 0, [tl(6, bytes([43, 6, 0x81]))]))
expect("bulk, negative N and M", msg(1, 0xA5, -5, -3, [SYSDESCR, SYSNAME]), nvb=0)
expect("bulk, N > varbinds", msg(1, 0xA5, 10, 10, [SYSDESCR, SYSNAME]), nvb=2)
expect("bulk, huge M: varbind cap",
       msg(1, 0xA5, 0, 2**31 - 1, [oid("1.3.6.1.2.1.2.2.1.2"), oid("1.3.6.1.2.1.2.2.1.3")]),
       nvb=1000)
expect("bulk, 40 repeaters x 100: cut, not tooBig",
       msg(1, 0xA5, 0, 100, [oid("1.3.6.1.2.1.2.2.1.2")] * 40), nvb=1000,
       maxlen=65000)
p = expect("bulk, stops after a round all at the end",
           msg(1, 0xA5, 1, 50, [oid("1.3.6.1.2.1.1.3"),
                                oid("1.3.6.1.2.1.31.1.1.1.19.47"),
                                oid("1.3.6.1.2.1.31.1.5.0")]), nvb=7)
expect("get of 1100 varbinds: tooBig", msg(1, 0xA0, 0, 0, [SYSDESCR] * 1100),
       errstat=1, nvb=0)
expect("v1 get of 1100 varbinds: tooBig", msg(0, 0xA0, 0, 0, [SYSDESCR] * 1100),
       errstat=1)
dropped("v1 getbulk", msg(0, 0xA5, 0, 10, [SYSDESCR]))
dropped("version 3", msg(3, 0xA0, 0, 0, [SYSDESCR]))
dropped("response PDU", msg(1, 0xA2, 0, 0, [SYSDESCR]))
expect("v2c set: notWritable", msg(1, 0xA3, 0, 0, [SYSNAME]), errstat=17, nvb=1)
expect("v1 set: noSuchName", msg(0, 0xA3, 0, 0, [SYSNAME]), errstat=2, nvb=1)
expect("empty varbind list", msg(1, 0xA0, 0, 0, []), nvb=0)
dropped("trailing garbage", msg(1, 0xA0, 0, 0, [SYSNAME]) + b"\x00")
expect("negative request-id", msg(1, 0xA0, 0, 0, [SYSNAME], reqid=-7), nvb=1)
vb = tl(0x30, tl(6, oidc([1, 3, 6, 1, 2, 1, 1, 5, 0]), 4) + b"\x05\x00", 4)
pdu = tl(0xA0, intg(9) + intg(0) + intg(0) + tl(0x30, vb, 4), 4)
expect("4-octet lengths", tl(0x30, intg(1) + tl(4, COMM, 4) + pdu, 4), nvb=1)
good = msg(1, 0xA0, 0, 0, [SYSNAME])
dropped("indefinite length", bytes([0x30, 0x80]) + good[2:] + b"\0\0")
dropped("length past the end", bytes([0x30, good[1] + 1]) + good[2:])
dropped("high tag number", bytes([0x3F]) + good[1:])
dropped("community of 256", msg(1, 0xA0, 0, 0, [SYSNAME], comm=b"x" * 256))
sys.exit(1 if failed else 0)
