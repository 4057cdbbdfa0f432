#!/usr/bin/env python3
"""notifylat.py - how long a finding takes to leave for the NOC.

Two modes, both on 127.0.0.0/8 only, bounded in time, stopping by themselves:

  drive   The notifier alone (now): tests/unit/notify_drive is fed
          findings on stdin, a "probe" finding every 1/P s among BG
          background findings per second, and sends them as SNMPv2c traps
          of NETPATROL-MIB to this script's UDP receiver. Latency = the
          trap's arrival - the moment the probe's line was written to the
          driver. Background findings are filtered out by the target
          (severity info below its "severity major") unless --bg-notify,
          which sends them too, to a second target and receiver.

  daemon  End to end (needs the findings engine in netpatrold): this
          script sends BG SNMPv2c traps per second to netpatrold's trap
          listener, and a probe trap every 1/P s that a `trap rule` turns
          into a major event "probe-SEQ", which opens a finding, which a
          `notify` target sends here as a trap. Latency = the
          notification's arrival - the probe trap's departure. Without
          the findings engine no notification comes: it says so.

Probes carry "probe-SEQ" in their text; the receiver finds it in the raw
datagram (v2c: the text is in clear). Output: a summary line and, with
--json, a JSON object (p50, p90, p99, max in ms, counts).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PROBE = re.compile(rb"probe-(\d+)\.")  # "." ends it: BER follows


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Receiver(threading.Thread):
    """A UDP receiver: the arrival time of each probe, and a count."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.arrived = {}
        self.count = 0
        self.stop = False

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                b = self.sock.recv(65536)
            except socket.timeout:
                continue
            t = time.time()
            self.count += 1
            m = PROBE.search(b)
            if m:
                self.arrived.setdefault(int(m.group(1)), t)


def percentile(v, p):
    if not v:
        return float("nan")
    v = sorted(v)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def summary(mode, sent, rx, bg_rate, probe_rate, secs, extra):
    lat = [(rx.arrived[s] - t) * 1000.0 for s, t in sent.items() if s in rx.arrived]
    r = {
        "mode": mode,
        "seconds": secs,
        "background_per_s": bg_rate,
        "probes_per_s": probe_rate,
        "probes_sent": len(sent),
        "probes_received": len(lat),
        "p50_ms": percentile(lat, 50),
        "p90_ms": percentile(lat, 90),
        "p99_ms": percentile(lat, 99),
        "max_ms": max(lat) if lat else float("nan"),
    }
    r.update(extra)
    return r


def pace(seconds, bg_rate, probe_rate, send_bg, send_probe):
    """Send BG_RATE background and PROBE_RATE probes per second."""
    start = time.perf_counter()
    nbg = nprobe = 0
    while True:
        el = time.perf_counter() - start
        if el >= seconds:
            break
        while nbg < int(el * bg_rate):
            send_bg(nbg)
            nbg += 1
        if nprobe < int(el * probe_rate) + 1:
            send_probe(nprobe)
            nprobe += 1
        time.sleep(0.0005)
    return nbg, nprobe


# --- drive mode ---------------------------------------------------------


def run_drive(a):
    rx = Receiver()
    rx.start()
    bgrx = Receiver()
    bgrx.start()
    work = tempfile.mkdtemp(prefix="nt-notifylat.", dir=a.tmp)
    conf = os.path.join(work, "notify.conf")
    with open(conf, "w") as f:
        f.write('notify "noc" {\n trap v2c 127.0.0.1 port %d community "noc"\n'
                ' severity major\n queue 100000\n}\n' % rx.port)
        if a.bg_notify:
            f.write('notify "bg" {\n trap v2c 127.0.0.1 port %d community "bg"\n'
                    ' severity info\n kinds "bg.*"\n queue 100000\n}\n' % bgrx.port)
    status = os.path.join(work, "status.json")
    drv = subprocess.Popen([a.drive, "-f", conf, "-s", status, "-T", str(int(a.seconds) + 60)],
                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                           stderr=open(os.path.join(work, "drive.log"), "w"))
    sent = {}
    out = drv.stdin

    def bg(i):
        fid = 1 + i % 50000
        out.write(b'open %d device=bg%d kind=bg.load severity=info title="background %d"\n'
                  % (fid, fid % 1000, i))
        if i % 50 == 49:
            out.flush()

    def probe(i):
        fid = 60000 + i % 30000
        out.write(b'open %d device=core%d kind=port.down severity=major title="probe-%d."\n'
                  % (fid, i % 100, i))
        out.flush()
        sent[i] = time.time()

    time.sleep(0.5)  # the driver reads its configuration
    nbg, nprobe = pace(a.seconds, a.background, a.probes, bg, probe)
    out.flush()
    deadline = time.time() + 10
    while len(rx.arrived) < len(sent) and time.time() < deadline:
        time.sleep(0.05)
    out.close()
    try:
        drv.wait(timeout=30)
    except subprocess.TimeoutExpired:
        drv.kill()
    rx.stop = bgrx.stop = True
    st = {}
    try:
        st = json.load(open(status))["notify"]
    except (OSError, ValueError, KeyError):
        pass
    noc = next((t for t in st.get("targets", []) if t["name"] == "noc"), {})
    extra = {"background_sent": nbg, "background_received": bgrx.count,
             "bg_notify": a.bg_notify, "notifier_latency_ms_max": noc.get("latency_ms_max"),
             "notifier_latency_ms_avg": noc.get("latency_ms_avg"),
             "dropped": sum(t.get("dropped", 0) for t in st.get("targets", [])),
             "work": work}
    return summary("drive", sent, rx, a.background, a.probes, a.seconds, extra)


# --- daemon mode ----------------------------------------------------------


def ber_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(t, v):
    return bytes([t]) + ber_len(len(v)) + v


def ber_int(n):
    return tlv(2, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))


def ber_oid(s):
    p = [int(x) for x in s.strip(".").split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        enc = [x & 0x7F]
        x >>= 7
        while x:
            enc.insert(0, 0x80 | (x & 0x7F))
            x >>= 7
        out += bytes(enc)
    return tlv(6, out)


def v2c_trap(community, reqid, trapoid, varbinds):
    vbs = tlv(0x30, ber_oid("1.3.6.1.2.1.1.3.0") + tlv(0x43, (1).to_bytes(1, "big")))
    vbs += tlv(0x30, ber_oid("1.3.6.1.6.3.1.1.4.1.0") + ber_oid(trapoid))
    for o, v in varbinds:
        vbs += tlv(0x30, ber_oid(o) + tlv(4, v))
    pdu = tlv(0xA7, ber_int(reqid) + ber_int(0) + ber_int(0) + tlv(0x30, vbs))
    return tlv(0x30, ber_int(1) + tlv(4, community) + pdu)


def run_daemon(a):
    rx = Receiver()
    rx.start()
    work = tempfile.mkdtemp(prefix="nt-notifylat.", dir=a.tmp)
    tport = free_port()
    conf = os.path.join(work, "netpatrold.conf")
    with open(conf, "w") as f:
        f.write(f'''state-dir "{work}/state"
control "{work}/np.sock"
pidfile "{work}/np.pid"
store batch-window 100ms
listen trap udp 127.0.0.1 port {tport}
trap community "bench"
trap storm 10000000 per 1s
trap mibs "none"
trap rule "1.3.6.1.4.1.32473.99.0.1" match "1.3.6.1.4.1.32473.99.1" "^probe-" \\
	kind "bench.probe" severity major key "%1" text "%1"
device "bench" {{
	address 127.0.0.1 port 9
	snmp v2c community "bench"
	interval 86400
}}
notify "noc" {{
	trap v2c 127.0.0.1 port {rx.port} community "noc"
	severity major
	queue 100000
}}
''')
    d = subprocess.Popen([a.netpatrold, "-d", "-f", conf],
                         stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(work, "daemon.log"), "w"))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dst = ("127.0.0.1", tport)
    sent = {}
    time.sleep(2.0)  # the daemon starts
    if d.poll() is not None:
        sys.exit(f"netpatrold exited: see {work}/daemon.log")

    def bg(i):
        s.sendto(v2c_trap(b"bench", i, "1.3.6.1.4.1.32473.99.0.2",
                          [("1.3.6.1.4.1.32473.99.2.0", b"background")]), dst)

    def probe(i):
        p = v2c_trap(b"bench", 1 << 30 | i, "1.3.6.1.4.1.32473.99.0.1",
                     [("1.3.6.1.4.1.32473.99.1.0", b"probe-%d." % i)])
        sent[i] = time.time()
        s.sendto(p, dst)

    try:
        nbg, nprobe = pace(a.seconds, a.background, a.probes, bg, probe)
        deadline = time.time() + 10
        while len(rx.arrived) < len(sent) and time.time() < deadline:
            time.sleep(0.05)
    finally:
        d.send_signal(signal.SIGTERM)
        try:
            d.wait(timeout=30)
        except subprocess.TimeoutExpired:
            d.kill()
    rx.stop = True
    extra = {"background_sent": nbg, "work": work}
    if not rx.arrived:
        extra["note"] = ("no notification arrived: this netpatrold has no findings "
                         "engine yet (events do not open findings)")
    return summary("daemon", sent, rx, a.background, a.probes, a.seconds, extra)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["drive", "daemon"])
    ap.add_argument("-b", "--background", type=float, default=1000,
                    help="background findings or traps per second (1000)")
    ap.add_argument("-p", "--probes", type=float, default=20, help="probes per second (20)")
    ap.add_argument("-s", "--seconds", type=float, default=10, help="how long (10)")
    ap.add_argument("--bg-notify", action="store_true",
                    help="drive: background findings are sent too (to a second target)")
    build = os.environ.get("NP_BUILD", "/tmp/nt-build")
    ap.add_argument("--drive", default=os.path.join(build, "tests/unit/notify_drive"))
    ap.add_argument("--netpatrold", default=os.path.join(build, "netpatrold"))
    ap.add_argument("--tmp", default="/tmp", help="where its work folder goes (/tmp)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("-k", "--keep", action="store_true", help="keep the work folder")
    a = ap.parse_args()
    if a.seconds > 600 or a.background > 100000:
        sys.exit("notifylat: at most 600 s and 100000/s")
    r = run_drive(a) if a.mode == "drive" else run_daemon(a)
    if not a.keep:
        shutil.rmtree(r.pop("work"), ignore_errors=True)
    if a.json:
        print(json.dumps(r, indent=1))
    else:
        print("%s: %d probes, %d received, background %g/s%s: p50 %.2f ms, p90 %.2f ms, "
              "p99 %.2f ms, max %.2f ms" % (
                  r["mode"], r["probes_sent"], r["probes_received"], r["background_per_s"],
                  " (sent too)" if r.get("bg_notify") else "", r["p50_ms"], r["p90_ms"],
                  r["p99_ms"], r["max_ms"]))
        if r.get("note"):
            print(r["note"])
    return 0 if r["probes_received"] == r["probes_sent"] and r["probes_sent"] else 1


if __name__ == "__main__":
    sys.exit(main())
