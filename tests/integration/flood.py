#!/usr/bin/python3
"""flood.py - a steady flood of numbered messages for the fault tests.

  flood.py KIND PORT RATE STOPFILE COUNTFILE

KIND is trap (SNMPv2c traps, community "flood", a varbind with the
number), udp or tcp (syslog, "flood KIND N" in the text). RATE messages a
second, paced, to 127.0.0.1:PORT, until STOPFILE exists or the peer goes
(a TCP connection reset by a killed daemon); the number sent is written to
COUNTFILE every 100 messages and at the end.
"""
import os
import socket
import sys
import time

kind, port, rate, stop, countfile = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), sys.argv[4], sys.argv[5]


def tlv(t, b):
    n = len(b)
    if n < 128:
        ln = bytes([n])
    else:
        lb = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(lb)]) + lb
    return bytes([t]) + ln + b


def integer(v, t=0x02):
    return tlv(t, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big",
                             signed=True))


def oid(s):
    p = [int(x) for x in s.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        enc = [x & 0x7f]
        x >>= 7
        while x:
            enc.insert(0, 0x80 | (x & 0x7f))
            x >>= 7
        out += bytes(enc)
    return tlv(0x06, out)


def trap(n):
    vbs = tlv(0x30, oid("1.3.6.1.2.1.1.3.0") + integer(n, 0x43)) + \
        tlv(0x30, oid("1.3.6.1.6.3.1.1.4.1.0") + oid("1.3.6.1.4.1.99999.0.7")) + \
        tlv(0x30, oid("1.3.6.1.4.1.99999.7.1.0") + integer(n))
    pdu = tlv(0xa7, integer(n) + integer(0) + integer(0) + tlv(0x30, vbs))
    return tlv(0x30, integer(1) + tlv(0x04, b"flood") + pdu)


def save(n):
    with open(countfile + ".tmp", "w") as f:
        f.write("%d\n" % n)
    os.rename(countfile + ".tmp", countfile)


if kind == "tcp":
    s = socket.create_connection(("127.0.0.1", port))
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sent = 0
t0 = time.monotonic()
try:
    while not os.path.exists(stop):
        if kind == "trap":
            s.sendto(trap(sent), ("127.0.0.1", port))
        elif kind == "udp":
            s.sendto(b"<13>Mar  1 10:00:00 h app: flood udp %07d" % sent,
                     ("127.0.0.1", port))
        else:
            s.sendall(b"<13>Mar  1 10:00:00 h app: flood tcp %07d\n" % sent)
        sent += 1
        if sent % 100 == 0:
            save(sent)
        ahead = sent / rate - (time.monotonic() - t0)
        if ahead > 0:
            time.sleep(ahead)
except OSError:
    pass   # the daemon went: what was sent is counted
save(sent)
