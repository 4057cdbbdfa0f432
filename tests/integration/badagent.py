#!/usr/bin/python3
"""badagent.py - an SNMPv2c agent that lies, for the bad-input tests.

No real agent can be made to loop or send garbage on purpose, so this
one does, on 127.0.0.1 only. The community chooses the misbehaviour:

  loop     GETNEXT/GETBULK answers repeat the OIDs asked for (no progress)
  types    every table value has the wrong type (OCTET STRING)
  garbage  table requests are answered with random bytes
  early    sysUpTime is noSuchObject, every table is empty (endOfMibView)
  huge     400 interfaces with 400-byte names, well-formed GETBULK answers
  slow     table requests are never answered (timeouts mid-walk)
  backwards  one interface, ifSpeed 0, Counter32 octets that go back a
           little every third second (a reset without a reboot)
  renumber three interfaces, Gi0/1-3, as ifIndex 1-3; the third ifXTable
           walk and all after it see them as 101-103, the fourth ifTable
           walk and all after it too (an agent restarted between the two
           tables of a poll, its interfaces renumbered)
  split    ifTable has ifIndex 1-3, ifXTable 101-103, always

The system group (GET sysUpTime, sysName, ...) is answered properly unless
said otherwise, so the device stays reachable and the walk is what fails.

usage: badagent.py PORT PIDFILE
"""
import os
import random
import socket
import sys
import time

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1905

port, pidfile = int(sys.argv[1]), sys.argv[2]
pMod = api.protoModules[api.protoVersion2c]
SYS = (1, 3, 6, 1, 2, 1, 1)
IFDESCR = (1, 3, 6, 1, 2, 1, 2, 2, 1, 2)


def sys_value(oid):
    if oid == SYS + (3, 0):
        return pMod.TimeTicks(123456)
    if oid == SYS + (2, 0):
        return pMod.ObjectIdentifier((1, 3, 6, 1, 4, 1, 99999))
    if oid[:len(SYS)] == SYS:
        return pMod.OctetString("badagent")
    return rfc1905.noSuchObject


IFTABLE = (1, 3, 6, 1, 2, 1, 2, 2, 1)


def backwards_value(o):
    col = o[9]
    if col in (10, 16):                      # ifIn/OutOctets, Counter32
        # 100000 a second, but every third second back by 1000 from
        # the second before (the same within a poll, however it walks)
        n = int(time.time())
        v = 5000000 + 100000 * (n % 30000)
        if n % 3 == 2:
            v -= 101000
        return pMod.Counter32(v)
    return {1: pMod.Integer(1), 2: pMod.OctetString("eth0"),
            3: pMod.Integer(6), 4: pMod.Integer(1500),
            5: pMod.Gauge32(0), 7: pMod.Integer(1), 8: pMod.Integer(1),
            11: pMod.Counter32(0), 17: pMod.Counter32(0)}.get(col)


BACKWARDS_COLS = (1, 2, 3, 4, 5, 7, 8, 10, 11, 16, 17)


def backwards_next(o):
    """The next OID of the one-interface table after O, or None."""
    for col in BACKWARDS_COLS:
        cand = IFTABLE + (col, 1)
        if cand > tuple(o):
            return cand
    return None


def backwards(pdu, asked):
    if pdu.isSameTypeWith(pMod.GetBulkRequestPDU()):
        nonrep = int(pMod.apiBulkPDU.getNonRepeaters(pdu))
        reps = int(pMod.apiBulkPDU.getMaxRepetitions(pdu))
    else:
        nonrep, reps = len(asked), 1
    out = []
    for o in asked[:nonrep]:
        nx = backwards_next(o)
        out.append((nx, backwards_value(nx)) if nx else (o, rfc1905.endOfMibView))
    cur = list(asked[nonrep:])
    for _ in range(max(reps, 1)):
        if not cur:
            break
        row = []
        for k, o in enumerate(cur):
            nx = backwards_next(o)
            if nx is None:
                row.append((o, rfc1905.endOfMibView))
            else:
                row.append((nx, backwards_value(nx)))
                cur[k] = nx
        out += row
    return out


IFXTABLE = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
IFT_COLS = (2, 3, 5, 7, 8, 10, 16)
IFX_COLS = (1, 6, 10, 15)
walks = {}   # (community, table): walks begun


def if_rows(table, base):
    """The table's cells for ifIndex base+1..base+3, {oid: value}."""
    cells = {}
    for n in (1, 2, 3):
        i = base + n
        name = pMod.OctetString("Gi0/%d" % n)
        if table == IFTABLE:
            vals = {2: name, 3: pMod.Integer(6), 5: pMod.Gauge32(1000000000),
                    7: pMod.Integer(1), 8: pMod.Integer(1),
                    10: pMod.Counter32(1000 * n), 16: pMod.Counter32(2000 * n)}
        else:
            vals = {1: name, 6: pMod.Counter64(1000 * n),
                    10: pMod.Counter64(2000 * n), 15: pMod.Gauge32(1000)}
        for col, v in vals.items():
            cells[table + (col, i)] = v
    return cells


def table_walk(community, pdu, asked):
    """GETNEXT/GETBULK over the interface tables of renumber and split."""
    starts = [o for o in asked if (o[:9] == IFTABLE and len(o) == 10) or
              (o[:10] == IFXTABLE and len(o) == 11)]
    for o in starts[:1]:   # a walk begins with its bare columns
        t = IFTABLE if o[:9] == IFTABLE else IFXTABLE
        walks[(community, t)] = walks.get((community, t), 0) + 1

    def base(t):
        if community == "split":
            return 0 if t == IFTABLE else 100
        n = walks.get((community, t), 0)
        return 100 if n >= (4 if t == IFTABLE else 3) else 0
    cells = {}
    cells.update(if_rows(IFTABLE, base(IFTABLE)))
    cells.update(if_rows(IFXTABLE, base(IFXTABLE)))
    order = sorted(cells)

    def nxt(o):
        for k in order:
            if k > o:
                return k
        return None
    if pdu.isSameTypeWith(pMod.GetBulkRequestPDU()):
        nonrep = int(pMod.apiBulkPDU.getNonRepeaters(pdu))
        reps = int(pMod.apiBulkPDU.getMaxRepetitions(pdu))
    else:
        nonrep, reps = len(asked), 1
    out, cur = [], list(asked)
    for k, o in enumerate(cur[:nonrep]):
        n = nxt(o)
        out.append((n, cells[n]) if n else (o, rfc1905.endOfMibView))
    cur = cur[nonrep:]
    for _ in range(max(reps, 1)):
        if not cur:
            break
        for k, o in enumerate(cur):
            n = nxt(o)
            if n is None:
                out.append((o, rfc1905.endOfMibView))
            else:
                out.append((n, cells[n]))
                cur[k] = n
    return out


def answer(community, pdu, rsp):
    asked = [tuple(o) for o, _ in pMod.apiPDU.getVarBinds(pdu)]
    if pdu.isSameTypeWith(pMod.GetRequestPDU()):
        vbs = []
        for o in asked:
            v = sys_value(o)
            if community == "early" and o == SYS + (3, 0):
                v = rfc1905.noSuchObject
            vbs.append((o, v))
        return vbs
    # GETNEXT / GETBULK: the table walks
    if community == "backwards":
        return backwards(pdu, asked)
    if community in ("renumber", "split"):
        return table_walk(community, pdu, asked)
    if community == "loop":
        # the first row of each column, then that same OID again and again
        def first(o):
            return (o[:9] == (1, 3, 6, 1, 2, 1, 2, 2, 1) and len(o) == 10) or \
                   (o[:10] == (1, 3, 6, 1, 2, 1, 31, 1, 1, 1) and len(o) == 11)
        return [(o + (1,) if first(o) else o, pMod.Integer(1)) for o in asked]
    if community == "types":
        out = []
        for o in asked:
            if len(o) == 10 or len(o) == 11:         # a column: its first row
                out.append((o + (1,), pMod.OctetString("not a number")))
            else:
                out.append((o, rfc1905.endOfMibView))
        return out
    if community == "early":
        return [(o, rfc1905.endOfMibView) for o in asked]
    if community == "huge":
        # well-formed GETBULK (row by row), with 400-byte interface names:
        # about 60 KB per answer
        reps = 1
        if pdu.isSameTypeWith(pMod.GetBulkRequestPDU()):
            reps = int(pMod.apiBulkPDU.getMaxRepetitions(pdu))
        cur, out = list(asked), []
        for _ in range(reps):
            for k, o in enumerate(cur):
                if o[:10] == IFDESCR and len(o) <= 11:
                    i = o[10] + 1 if len(o) == 11 else 1
                    if i <= 400:
                        cur[k] = IFDESCR + (i,)
                        out.append((cur[k], pMod.OctetString(("if%d-" % i) * 80)[:400]))
                        continue
                out.append((o, rfc1905.endOfMibView))
        return out
    return [(o, rfc1905.endOfMibView) for o in asked]


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    with open(pidfile, "w") as f:
        f.write(str(os.getpid()))
    while True:
        data, peer = s.recvfrom(65535)
        try:
            msg, _ = decoder.decode(data, asn1Spec=pMod.Message())
        except Exception:
            continue
        community = str(pMod.apiMessage.getCommunity(msg))
        pdu = pMod.apiMessage.getPDU(msg)
        table = not pdu.isSameTypeWith(pMod.GetRequestPDU())
        if table and community == "garbage":
            s.sendto(bytes(random.getrandbits(8) for _ in range(200)), peer)
            continue
        if table and community == "slow":
            continue
        rsp = pMod.apiMessage.getResponse(msg)
        rpdu = pMod.apiMessage.getPDU(rsp)
        pMod.apiPDU.setVarBinds(rpdu, answer(community, pdu, rsp))
        s.sendto(encoder.encode(rsp), peer)


main()
