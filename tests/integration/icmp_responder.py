#!/usr/bin/env python3
"""icmp_responder.py - answers ICMP echo requests in a network namespace
whose kernel does not (net.ipv4.icmp_echo_ignore_all=1), with a delay and
deterministic drops per destination address: a stand-in for netem, which
this kernel lacks.

usage: icmp_responder.py READYFILE ADDR:DELAY_MS:DROP_EVERY ...
  DROP_EVERY 0 answers all; N drops every Nth request to ADDR.
Writes READYFILE once its socket is open; runs until killed.
"""
import heapq
import select
import socket
import struct
import sys
import time

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # Linux


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def main():
    ready = sys.argv[1]
    rules = {}
    for arg in sys.argv[2:]:
        addr, delay, drop = arg.split(":")
        rules[addr] = [float(delay) / 1000.0, int(drop), 0]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    open(ready, "w").close()
    pending = []  # (due, n, to, from, packet)
    n = 0
    while True:
        timeout = None
        if pending:
            timeout = max(0.0, pending[0][0] - time.monotonic())
        r, _, _ = select.select([s], [], [], timeout)
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, to, frm, pkt = heapq.heappop(pending)
            # from the address asked, not the link's first one
            info = struct.pack("@i4s4s", 0, socket.inet_aton(frm),
                               socket.inet_aton("0.0.0.0"))
            s.sendmsg([pkt], [(socket.IPPROTO_IP, IP_PKTINFO, info)],
                      0, (to, 0))
        if not r:
            continue
        data, (src, _) = s.recvfrom(65535)
        if len(data) < 20:
            continue
        hl = (data[0] & 0x0F) * 4
        dst = socket.inet_ntoa(data[16:20])
        icmp = data[hl:]
        if len(icmp) < 8 or icmp[0] != 8 or dst not in rules:
            continue
        rule = rules[dst]
        rule[2] += 1
        if rule[1] and rule[2] % rule[1] == 0:
            continue
        reply = b"\0\0\0\0" + icmp[4:]
        reply = b"\0\0" + struct.pack("!H", cksum(reply)) + icmp[4:]
        n += 1
        heapq.heappush(pending, (now + rule[0], n, src, dst, reply))


if __name__ == "__main__":
    main()
