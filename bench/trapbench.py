#!/usr/bin/env python3
"""trapbench.py - the driver behind bench/run-traps.sh (see bench/README.md).

Sends paced SNMPv2c traps (bench/trapload, from 64 loopback sources) to
netpatrold (traps stored in its sqlite store), to snmptrapd logging them
to a file, and to snmptrapd running a traphandle shell script for each
trap, stepping the rate up with a fresh receiver per step, and finds the
highest rate each one takes with zero loss: every trap sent is received
AND durably stored (netpatrold: rows in the traps table once the daemon
has stopped; snmptrapd: lines in its log or in the handler's file). It
measures the receiver's CPU time per trap (utime + stime from
/proc/PID/stat), prints a table with the ratios, and appends it to
bench/RESULTS.md.

Everything it starts is stopped by PID when it ends, however it ends.
All traffic stays on 127.0.0.0/8.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
SEQBASE = 0x10000000          # trapload: request-id and counter = SEQBASE + sequence
MEASURED_SEQ = 10_000_000     # sequences of the measured part start here (warm-up below)
SNMPTRAPD = "/usr/sbin/snmptrapd"

RATES_FULL = [5000, 10000, 15000, 20000, 30000, 40000, 50000, 60000, 75000,
              100000, 125000, 150000, 200000, 250000]
RATES_QUICK = [5000, 10000, 20000, 50000, 100000, 150000]
HANDLE_FULL = [20, 50, 100, 200, 400]
HANDLE_QUICK = [20, 50, 100]

NAMES = {"netpatrold": "netpatrold (sqlite store)",
         "file": "snmptrapd, log file",
         "handle": "snmptrapd, traphandle script"}


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


class Fail(Exception):
    pass


# ---------------------------------------------------------------- processes

class Procs:
    """Every process we start, to stop by PID at the end."""

    def __init__(self):
        self.procs = []

    def start(self, name, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self.procs.append((name, p))
        return p

    def stop(self, p, sig=signal.SIGTERM, wait=30):
        if p.poll() is None:
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass
            try:
                p.wait(wait)
            except subprocess.TimeoutExpired:
                log("pid %d did not stop in %d s: SIGKILL" % (p.pid, wait))
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
        self.procs = [(n, q) for n, q in self.procs if q is not p]
        return p.returncode

    def stop_all(self):
        for name, p in reversed(self.procs):
            if p.poll() is None:
                log("stopping %s (pid %d)" % (name, p.pid))
                self.stop(p, wait=20)
        self.procs = []


PROCS = Procs()


def on_signal(sig, frame):
    raise SystemExit(128 + sig)


# ---------------------------------------------------------------- /proc

def read(path):
    with open(path) as f:
        return f.read()


def stat_fields(path):
    s = read(path)
    return s[s.rindex(")") + 2:].split()


def proc_cpu(pid):
    """(utime + stime, cutime + cstime) of a process, seconds."""
    f = stat_fields("/proc/%d/stat" % pid)
    return (int(f[11]) + int(f[12])) / HZ, (int(f[13]) + int(f[14])) / HZ


def thread_cpu(pid):
    """{tid: cpu seconds} of the live threads (schedstat, ns)."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            out[int(tid)] = int(read("/proc/%d/task/%s/schedstat" % (pid, tid)).split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            pass
    return out


def udp_socket(port):
    """(rx_queue bytes, drops, inode) of the UDP socket bound to 127.0.0.1:PORT, or None."""
    want = "0100007F:%04X" % port
    for line in read("/proc/net/udp").splitlines()[1:]:
        f = line.split()
        if f[1] == want:
            return int(f[4].split(":")[1], 16), int(f[12]), int(f[9])
    return None


def rcvbuf(port):
    r = subprocess.run(["ss", "-uamnH", "sport = :%d" % port], capture_output=True, text=True)
    m = re.search(r"rb(\d+)", r.stdout)
    return int(m.group(1)) if m else None


def loadavg():
    return read("/proc/loadavg").split()[:3]


def pick_port():
    for _ in range(200):
        port = 20000 + int.from_bytes(os.urandom(2), "big") % 30000
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise Fail("no free UDP port on 127.0.0.1")


def wait_bound(port, p, what, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if p.poll() is not None:
            raise Fail("%s exited (%s) before binding" % (what, p.returncode))
        if udp_socket(port) is not None:
            return
        time.sleep(0.05)
    raise Fail("%s did not bind 127.0.0.1:%d" % (what, port))


# ---------------------------------------------------------------- sender

def trapload(a, port, rate, secs, seq0, informs=0):
    argv = [a.trapload, "-p", str(port), "-r", str(rate), "-t", str(secs), "-n",
            str(a.sources), "-k", a.kind, "-s", str(seq0), "-j"]
    if informs:
        argv += ["-I", str(informs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(argv, capture_output=True, text=True, timeout=secs + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise Fail("trapload failed: " + r.stderr.strip()[-300:])
    j = json.loads(r.stdout)
    j["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return j


# ---------------------------------------------------------------- receivers

class NetpatrolD:
    kind = "netpatrold"

    def __init__(self, a, wd, port):
        self.a, self.wd, self.port = a, wd, port
        self.state = os.path.join(wd, "state")
        self.conf = os.path.join(wd, "netpatrold.conf")
        mibs = a.mibdir if a.mibs else "none"
        with open(self.conf, "w") as f:
            f.write('state-dir "%s"\ncontrol "%s/np.sock"\npidfile "%s/np.pid"\n'
                    'store batch-window %dms\nstore queue %d\n'
                    'listen trap udp 127.0.0.1 port %d\ntrap community "public"\n'
                    'trap storm 10000000 per 1s\ntrap mibs "%s"\n'
                    % (self.state, wd, wd, a.batch_ms, a.queue, port, mibs))
        self.logpath = os.path.join(wd, "netpatrold.log")
        self.p = PROCS.start("netpatrold", [a.netpatrold, "-d", "-f", self.conf],
                             stdout=subprocess.DEVNULL, stderr=open(self.logpath, "w"))
        wait_bound(port, self.p, "netpatrold")
        end = time.time() + 20
        while True:
            j = self.status()
            if j is not None:
                break
            if time.time() > end or self.p.poll() is not None:
                raise Fail("netpatrold does not answer status: " + read(self.logpath)[-500:])
            time.sleep(0.05)
        self.version = j.get("version", "?")

    def status(self):
        r = subprocess.run([self.a.netpatrol, "-f", self.conf, "status", "--json"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return None
        try:
            return json.loads(r.stdout)
        except ValueError:
            return None

    def drain(self, sent):
        """Wait until every trap received is through the store queue."""
        end = time.time() + 120
        last, still = None, 0
        while time.time() < end:
            j = self.status()
            if j is None:
                raise Fail("netpatrold stopped answering")
            t, s = j["traps"], j["store"]
            sock = udp_socket(self.port)
            key = (t["received"], s["written"])
            done = (sock is None or sock[0] == 0) and s["depth"] == 0 and s["written"] == s["queued"]
            if done and (t["received"] >= sent or key == last):
                still += 1
                if t["received"] >= sent or still >= 3:
                    return j
            else:
                still = 0
            last = key
            time.sleep(0.2)
        raise Fail("netpatrold did not drain")

    def stop_and_count(self):
        rc = PROCS.stop(self.p)
        if rc not in (0, None):
            raise Fail("netpatrold exited with %s: %s" % (rc, read(self.logpath)[-500:]))
        db = sqlite3.connect("file:%s/netpatrol.db?mode=ro" % self.state, uri=True)
        seqs = [r[0] for r in db.execute(
            "SELECT json_extract(varbinds, '$[3].value') FROM traps")]
        db.close()
        warn = sum(1 for l in read(self.logpath).splitlines()
                   if " warning: " in l or " error: " in l or " warn: " in l)
        return seqs, {"log_warnings": warn}


class SnmpTrapd:
    def __init__(self, a, wd, port, handle):
        self.a, self.wd, self.port, self.handle = a, wd, port, handle
        self.kind = "handle" if handle else "file"
        self.out = os.path.join(wd, "traps.log" if not handle else "handler.out")
        argv = [SNMPTRAPD, "-f", "-n", "-C"]
        if a.mibs:
            argv += ["-M", "+" + a.mibdir, "-m", "ALL"]
        else:
            argv += ["-m", ""]
        if handle:
            script = os.path.join(wd, "handler.sh")
            with open(script, "w") as f:
                f.write("#!/bin/sh\n# one trap on stdin: appended to a file\ncat >> '%s'\n"
                        % self.out)
            os.chmod(script, 0o755)
            conf = os.path.join(wd, "snmptrapd.conf")
            with open(conf, "w") as f:
                f.write("disableAuthorization yes\ndoNotLogTraps yes\n"
                        "traphandle default %s\n" % script)
            argv += ["-c", conf, "-Ln"]
        else:
            argv += ["--disableAuthorization=yes", "-Lf", self.out, "-F", "%B %v\n"]
        argv.append("udp:127.0.0.1:%d" % port)
        self.argv = argv
        env = dict(os.environ)
        env["MIBS"] = "ALL" if a.mibs else ""
        env.pop("MIBDIRS", None)
        self.errpath = os.path.join(wd, "snmptrapd.err")
        self.p = PROCS.start("snmptrapd", argv, stdout=subprocess.DEVNULL,
                             stderr=open(self.errpath, "w"), env=env)
        wait_bound(port, self.p, "snmptrapd")

    def size(self):
        try:
            return os.path.getsize(self.out)
        except OSError:
            return 0

    def drain(self, sent):
        end = time.time() + (600 if self.handle else 120)
        last, still = None, 0
        while time.time() < end:
            if self.p.poll() is not None:
                raise Fail("snmptrapd exited (%s)" % self.p.returncode)
            sock = udp_socket(self.port)
            key = (self.size(), proc_cpu(self.p.pid)[0])
            if (sock is None or sock[0] == 0) and key == last:
                still += 1
                if still >= 3:
                    return {}
            else:
                still = 0
            last = key
            time.sleep(0.2)
        raise Fail("snmptrapd did not drain")

    def stop_and_count(self):
        PROCS.stop(self.p)
        seqs = []
        pat = re.compile(r"(?:2\.2\.1\.14|ifInErrors)\.\d+ (?:= Counter32: )?(\d+)")
        with open(self.out, errors="replace") as f:
            for line in f:
                for m in pat.finditer(line):
                    seqs.append(int(m.group(1)))
        return seqs, {}


# ---------------------------------------------------------------- one step

def step(a, wd0, kind, rate, secs, warm):
    """A fresh receiver, WARM seconds of warm-up, SECS measured, at RATE."""
    wd = os.path.join(wd0, "%s-%d" % (kind, rate))
    os.makedirs(wd, exist_ok=True)
    port = a.port or pick_port()
    if kind == "netpatrold":
        rx = NetpatrolD(a, wd, port)
        a.np_version = rx.version
    else:
        rx = SnmpTrapd(a, wd, port, kind == "handle")
    pid = rx.p.pid
    res = {"kind": kind, "rate": rate, "seconds": secs, "warmup": warm,
           "rcvbuf": rcvbuf(port), "load": loadavg()}
    sent = 0
    if warm > 0:
        w = trapload(a, port, rate, warm, 0)
        sent += w["sent"]
    cpu0, ccpu0 = proc_cpu(pid)
    th0 = thread_cpu(pid)
    m = trapload(a, port, rate, secs, MEASURED_SEQ)
    sent += m["sent"]
    res["send"] = m
    t_end = time.time()
    st = rx.drain(sent)
    res["drain_s"] = time.time() - t_end
    cpu1, ccpu1 = proc_cpu(pid)
    th1 = thread_cpu(pid)
    sock = udp_socket(port)
    res["kernel_drops"] = sock[1] if sock else None
    if kind == "netpatrold":
        t = st["traps"]
        res["np"] = {k: t[k] for k in ("received", "accepted", "stored", "store_dropped",
                                        "kernel_dropped", "malformed", "rejected", "folded")}
        res["np"]["store_sql_errors"] = st["store"]["sql_errors"]
        res["main_cpu"] = th1.get(pid, 0) - th0.get(pid, 0)
        res["writer_cpu"] = sum(v - th0.get(k, 0) for k, v in th1.items() if k != pid)
    seqs, extra = rx.stop_and_count()
    res.update(extra)
    good = [s - SEQBASE for s in seqs if s is not None]
    uniq = set(good)
    res["sent"] = sent
    res["stored"] = len(uniq)
    res["duplicates"] = len(good) - len(uniq)
    res["measured_sent"] = m["sent"]
    res["measured_stored"] = sum(1 for s in uniq if s >= MEASURED_SEQ)
    res["lost"] = sent - len(uniq)
    res["cpu"] = cpu1 - cpu0
    res["child_cpu"] = ccpu1 - ccpu0
    n = res["measured_stored"] or 1
    res["us_per_trap"] = res["cpu"] / n * 1e6
    res["us_per_trap_children"] = (res["cpu"] + res["child_cpu"]) / n * 1e6
    res["sender_us"] = m["cpu"] / max(1, m["sent"]) * 1e6
    res["achieved"] = m["rate"]
    res["sender_ok"] = m["rate"] >= rate * 0.97 and m["send_errors"] == 0
    res["ok"] = res["lost"] == 0 and res["duplicates"] == 0 and res["sender_ok"]
    if not a.keep:
        shutil.rmtree(os.path.join(wd, "state"), ignore_errors=True)
        for f in ("traps.log", "handler.out"):
            try:
                os.unlink(os.path.join(wd, f))
            except OSError:
                pass
        # the daemon logs a line per port event: keep its end only
        path = os.path.join(wd, "netpatrold.log")
        if os.path.exists(path) and os.path.getsize(path) > 1 << 20:
            with open(path, errors="replace") as f:
                lines = f.readlines()
            with open(path, "w") as f:
                f.write("[%d lines, the last 200 kept]\n" % len(lines))
                f.writelines(lines[-200:])
    extra = ""
    if kind == "netpatrold":
        extra = ", main %.1f + writer %.1f us" % (res["main_cpu"] / n * 1e6,
                                                   res["writer_cpu"] / n * 1e6)
    log("%-10s %7d/s: sent %d (%.0f/s), stored %d, lost %d, kernel drops %s, "
        "%.1f us/trap%s%s" % (kind, rate, sent, m["rate"], len(uniq), res["lost"],
                               res["kernel_drops"], res["us_per_trap"], extra,
                               "" if res["sender_ok"] else " (sender short of the rate)"))
    return res


def search(a, wd, kind, rates, secs, warm):
    """Step up the rates until the first loss (down, if the first loses); then
    halve the gap between the last lossless and the first lossy rate (full mode)."""
    steps = []
    best, bad = None, None
    for r in rates:
        s = step(a, wd, kind, r, secs, warm)
        steps.append(s)
        if s["ok"]:
            best = s
        else:
            bad = s
            if not s["sender_ok"] and s["lost"] == 0:
                log("%s: the sender could not keep %d/s: stopping here" % (kind, r))
            break
    # loss at the first rate already: halve it until a step is lossless
    for _ in range(6):
        if best is not None or bad is None or not bad["sender_ok"]:
            break
        r = bad["rate"] // 2
        r = int(round(r, -2)) if r > 1000 else r
        if r < 1:
            break
        s = step(a, wd, kind, r, secs, warm)
        steps.append(s)
        if s["ok"]:
            best = s
        else:
            bad = s
    for _ in range(a.refine):
        if best is None or bad is None or not bad["sender_ok"]:
            break
        mid = int(round((best["rate"] + bad["rate"]) / 2, -2 if bad["rate"] > 1000 else 0))
        if mid <= best["rate"] or mid >= bad["rate"]:
            break
        s = step(a, wd, kind, mid, secs, warm)
        steps.append(s)
        if s["ok"]:
            best = s
        else:
            bad = s
    return {"steps": steps, "best": best, "bad": bad}


def informs(a, wd0, kind, window, secs, ceiling):
    wd = os.path.join(wd0, "%s-informs" % kind)
    os.makedirs(wd, exist_ok=True)
    port = a.port or pick_port()
    rx = NetpatrolD(a, wd, port) if kind == "netpatrold" else SnmpTrapd(a, wd, port, False)
    pid = rx.p.pid
    cpu0 = proc_cpu(pid)[0]
    m = trapload(a, port, ceiling, secs, MEASURED_SEQ, informs=window)
    cpu1 = proc_cpu(pid)[0]
    rx.stop_and_count()
    if not a.keep:
        shutil.rmtree(os.path.join(wd, "state"), ignore_errors=True)
        if os.path.exists(os.path.join(wd, "traps.log")):
            os.unlink(os.path.join(wd, "traps.log"))
    res = {"kind": kind, "window": window, "sent": m["sent"], "acked": m["acked"],
           "lost": m["lost"], "acked_rate": m["acked_rate"], "latency": m["latency_ms"],
           "us_per_inform": (cpu1 - cpu0) / max(1, m["acked"]) * 1e6}
    log("%-10s informs, window %d: %d sent, %d acknowledged (%.0f/s), %d lost, p99 %.2f ms"
        % (kind, window, m["sent"], m["acked"], m["acked_rate"], m["lost"],
           m["latency_ms"]["p99"]))
    return res


# ---------------------------------------------------------------- profile

CATEGORIES = [
    # (label, symbols whose inclusive time counts, thread)
    ("receive: libevent wakeup + recvmsg (kernel)", ["epoll_wait", "netsnmp_transport_recv"], "main"),
    ("net-snmp decoding (snmp_parse)", ["snmp_parse"], "main"),
    ("our handling, all (trapev_handle)", ["trapev_handle"], "main"),
    ("  varbinds as JSON (trapmsg_json)", ["trapmsg_json"], "main"),
    ("  the event: rules, port, text (trapev_event)", ["trapev_event"], "main"),
    ("  MIB name lookups (get_tree, snprint_objid)", ["get_tree", "snprint_objid"], "main"),
    ("  log lines (vlog)", ["vlog"], "main"),
    ("  hand-off to the store queue (store_put_trap)", ["store_put_trap"], "main"),
    ("net-snmp freeing the PDU (snmp_free_pdu)", ["snmp_free_pdu"], "main"),
    ("malloc/free (self, all callers)", ["malloc", "_int_malloc", "free", "_int_free", "cfree",
                                         "calloc", "__libc_calloc", "realloc",
                                         "malloc_consolidate", "_int_realloc"], "main"),
    ("sqlite3_step (inserts, commit, checkpoints)", ["sqlite3_step"], "writer"),
    ("  WAL checkpoints", ["sqlite3WalCheckpoint"], "writer"),
    ("binding values (store_write_*)", ["sqlite3_bind_text", "sqlite3_bind_int64",
                                        "sqlite3_bind_double", "sqlite3_bind_int"], "writer"),
    ("malloc/free (self, all callers)", ["malloc", "_int_malloc", "free", "_int_free", "cfree",
                                         "calloc", "__libc_calloc", "realloc",
                                         "malloc_consolidate", "_int_realloc"], "writer"),
]


def profile(a, wd0, rate, secs):
    """perf record (DWARF call graphs) of netpatrold at RATE; shares per thread."""
    wd = os.path.join(wd0, "netpatrold-perf-%d" % rate)
    os.makedirs(wd, exist_ok=True)
    port = a.port or pick_port()
    rx = NetpatrolD(a, wd, port)
    pid = rx.p.pid
    trapload(a, port, rate, 1, 0)
    data = os.path.join(wd, "perf.data")
    perf = PROCS.start("perf", ["perf", "record", "-q", "-F", "999", "--call-graph",
                                "dwarf,16384", "-p", str(pid), "-o", data],
                       stdout=subprocess.DEVNULL, stderr=open(os.path.join(wd, "perf.err"), "w"))
    time.sleep(0.5)
    m = trapload(a, port, rate, secs, MEASURED_SEQ)
    rx.drain(m["sent"])
    PROCS.stop(perf, sig=signal.SIGINT, wait=120)
    st = rx.status()
    rx.stop_and_count()
    if not a.keep:
        shutil.rmtree(os.path.join(wd, "state"), ignore_errors=True)
    # inclusive (children) share by symbol, per thread
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--children", "--sort",
                        "pid,sym", "-g", "none", "--percent-limit", "0.05"],
                       capture_output=True, text=True)
    with open(os.path.join(wd, "perf-children.txt"), "w") as f:
        f.write(r.stdout)
    incl = {}
    for line in r.stdout.splitlines():
        mm = re.match(r"\s*([\d.]+)%\s+([\d.]+)%\s+(\d+):\S+\s+\[[.k]\]\s+(\S+)", line)
        if mm:
            # a symbol listed twice (inlined and not): its larger share
            d = incl.setdefault(int(mm.group(3)), {})
            v = (float(mm.group(1)), float(mm.group(2)))
            if v[0] > d.get(mm.group(4), (0, 0))[0]:
                d[mm.group(4)] = v
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort",
                        "pid,dso,sym", "-g", "none", "--percent-limit", "0.3"],
                       capture_output=True, text=True)
    with open(os.path.join(wd, "perf-self.txt"), "w") as f:
        f.write(r.stdout)
    selfs = {}
    for line in r.stdout.splitlines():
        mm = re.match(r"\s*([\d.]+)%\s+(\d+):\S+\s+(\S+)\s+\[[.k]\]\s+(.+?)\s*$", line)
        if mm:
            selfs.setdefault(int(mm.group(2)), []).append(
                (float(mm.group(1)), mm.group(3), mm.group(4)))
    # each thread's share of all samples
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort",
                        "pid", "-g", "none"], capture_output=True, text=True)
    tot = {}
    for line in r.stdout.splitlines():
        mm = re.match(r"\s*([\d.]+)%\s+(\d+):", line)
        if mm:
            tot[int(mm.group(2))] = float(mm.group(1))
    # each thread's samples by library (self time)
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort",
                        "pid,dso", "-g", "none"], capture_output=True, text=True)
    dsos = {}
    for line in r.stdout.splitlines():
        mm = re.match(r"\s*([\d.]+)%\s+(\d+):\S+\s+(\S+)", line)
        if mm:
            name = "kernel" if "kernel" in mm.group(3) else re.sub(r"\.so.*$", "", mm.group(3))
            dsos.setdefault(int(mm.group(2)), []).append((float(mm.group(1)), name))
    # the main thread is PID; the writer is the other busy one
    writer = max((t for t in tot if t != pid), key=lambda t: tot[t], default=None)
    threads = {"main": pid, "writer": writer}
    allself = sum(tot.values()) or 1
    for t in tot:
        selfs.setdefault(t, [])
    out = {"rate": rate, "sent": m["sent"], "threads": {}, "categories": [], "top": {},
           "dso": {}}
    for name, tid in threads.items():
        if tid is None or tid not in tot:
            continue
        share = tot[tid] / allself
        out["threads"][name] = share
        out["dso"][name] = ", ".join("%s %.0f%%" % (d, p / (tot[tid] or 1) * 100)
                                     for p, d in dsos.get(tid, []) if p / (tot[tid] or 1) >= 0.01)
        th = incl.get(tid, {})
        # inclusive shares are of all samples: rescale to this thread
        for label, syms, which in CATEGORIES:
            if which != name:
                continue
            if label.startswith("malloc"):
                v = sum(p for p, d, s in selfs[tid] if s in syms)
            else:
                v = sum(th.get(s, (0, 0))[0] for s in syms)
            out["categories"].append((name, label, v / (tot[tid] or 1) * 100))
        out["top"][name] = ["%5.1f%%  %-22s %s" % (p / tot[tid] * 100, d[:22], s[:60])
                            for p, d, s in selfs[tid][:18]]
    out["stored"] = st["traps"]["stored"] if st else None
    return out


# ---------------------------------------------------------------- report

def fmt_rate(r):
    return "{:,}".format(int(r)) if r is not None else "-"


def report(a, res, meta):
    out = []
    P = out.append
    P("### %s: trap benchmark, %s v2c traps (%s)" % (
        meta["date"], "linkDown" if a.kind == "linkdown" else "enterprise",
        "MIBs loaded by both" if a.mibs else "numeric OIDs, no MIBs"))
    P("")
    P("`%s`: kernel %s, %s CPUs (%s), load average %s at the start, %s at the end; "
      "netpatrold %s (%s), snmptrapd %s." % (
          meta["cmd"], meta["kernel"], meta["nproc"], meta["cpu"], " ".join(meta["load0"]),
          " ".join(meta["load1"]), meta["np_version"], meta["np_sum"], meta["trapd_version"]))
    P("")
    P("Each step: a fresh receiver, %.1f s of warm-up then %.1f s measured at the rate, from "
      "%d sources (127.1.0.1..), %d-byte datagrams; *lost* = sent - stored over both (a "
      "netpatrold trap is stored when its row is in the traps table after the daemon stopped; "
      "snmptrapd's when its line is in the log or the handler's file); CPU = utime + stime of "
      "the receiver from the end of the warm-up until it had drained, per trap measured."
      % (a.warmup, a.seconds, a.sources, meta.get("bytes", 0)))
    P("")
    P("| receiver | rate/s | achieved/s | sent | stored | lost | kernel drops | CPU us/trap "
      "| detail |")
    P("|---|---|---|---|---|---|---|---|---|")
    for kind in ("netpatrold", "file", "handle"):
        if kind not in res:
            continue
        for s in sorted(res[kind]["steps"], key=lambda s: s["rate"]):
            det = ""
            if kind == "netpatrold":
                n = s["measured_stored"] or 1
                det = "main %.1f, writer %.1f; rcvbuf %s" % (
                    s["main_cpu"] / n * 1e6, s["writer_cpu"] / n * 1e6, s["rcvbuf"])
                if s["np"]["store_dropped"]:
                    det += "; store dropped %d" % s["np"]["store_dropped"]
            elif kind == "handle":
                det = "with the scripts: %.0f; rcvbuf %s" % (s["us_per_trap_children"],
                                                              s["rcvbuf"])
            else:
                det = "rcvbuf %s" % s["rcvbuf"]
            if not s["sender_ok"]:
                det += "; sender short of the rate"
            if s["duplicates"]:
                det += "; %d duplicates" % s["duplicates"]
            P("| %s | %s | %s | %s | %s | %s%s | %s | %.1f | %s |" % (
                NAMES[kind], fmt_rate(s["rate"]), fmt_rate(s["achieved"]),
                fmt_rate(s["sent"]), fmt_rate(s["stored"]),
                "**%s**" % fmt_rate(s["lost"]) if s["lost"] else "0",
                "", s["kernel_drops"], s["us_per_trap"], det))
    P("")
    P("| receiver | highest rate with zero loss | first rate with loss | CPU us/trap at the "
      "highest | sender CPU us/trap |")
    P("|---|---|---|---|---|")
    best = {}
    for kind in ("netpatrold", "file", "handle"):
        if kind not in res:
            continue
        b, bad = res[kind]["best"], res[kind]["bad"]
        best[kind] = b
        P("| %s | %s | %s | %s | %s |" % (
            NAMES[kind], fmt_rate(b["rate"]) + "/s" if b else "none",
            (fmt_rate(bad["rate"]) + "/s" + (" (sender short)" if not bad["sender_ok"] else "")
             if bad else "none up to %s/s" % fmt_rate(res[kind]["steps"][-1]["rate"])),
            ("%.1f" % b["us_per_trap"] + (" (%.0f with the scripts)" % b["us_per_trap_children"]
                                          if kind == "handle" else "")) if b else "-",
            "%.1f" % b["sender_us"] if b and b["rate"] >= 1000 else "-"))
    P("")
    if "netpatrold" in best and best["netpatrold"]:
        npb = best["netpatrold"]
        P("| ratio | zero-loss rate | CPU per trap |")
        P("|---|---|---|")
        for kind in ("file", "handle"):
            b = best.get(kind)
            if not b:
                continue
            P("| netpatrold / %s | **%.1fx** (%s / %s)%s | %.1fx less (%.1f / %.1f us) |" % (
                NAMES[kind], npb["rate"] / b["rate"], fmt_rate(npb["rate"]), fmt_rate(b["rate"]),
                "" if res["netpatrold"]["bad"] else " (netpatrold had no loss up to its last "
                "step: a lower bound)", b["us_per_trap"] / npb["us_per_trap"],
                b["us_per_trap"], npb["us_per_trap"]))
        tgt = npb["rate"] >= 50000
        P("")
        P("Target of the issue: at least 50,000 traps/s received, decoded and stored with zero "
          "loss (5x snmptrapd to a file): %s (%s/s%s)." % (
              "**met**" if tgt else "**missed**", fmt_rate(npb["rate"]),
              ", %.1fx snmptrapd to a file in this run" % (npb["rate"] / best["file"]["rate"])
              if best.get("file") else ""))
        P("")
    if "informs" in res:
        P("| informs (v2c), window %d | acknowledged/s | sent | lost | latency p50 / p99 ms "
          "| CPU us/inform |" % a.window)
        P("|---|---|---|---|---|---|")
        for i in res["informs"]:
            P("| %s | %s | %s | %d | %.2f / %.2f | %.1f |" % (
                NAMES[i["kind"]], fmt_rate(i["acked_rate"]), fmt_rate(i["sent"]), i["lost"],
                i["latency"]["p50"], i["latency"]["p99"], i["us_per_inform"]))
        P("")
    if "profile" in res:
        pr = res["profile"]
        P("perf of netpatrold at %s/s (DWARF call graphs, 999 Hz; inclusive share of each "
          "thread's samples; threads: %s):" % (fmt_rate(pr["rate"]), ", ".join(
              "%s %.0f%%" % (k, v * 100) for k, v in pr["threads"].items())))
        P("")
        for th, line in pr["dso"].items():
            P("- %s thread, by library (self time): %s" % (th, line))
        P("")
        P("| thread | where | share |")
        P("|---|---|---|")
        for th, label, v in pr["categories"]:
            P("| %s | %s | %.1f%% |" % (th, label, v))
        P("")
        for th, lines in pr["top"].items():
            P("perf, %s thread, self time by symbol:" % th)
            P("")
            P("```")
            out.extend(lines)
            P("```")
            P("")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main

def rates_arg(s):
    return [int(float(x.lower().replace("k", "")) * (1000 if "k" in x.lower() else 1))
            for x in s.split(",") if x.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-q", dest="quick", action="store_true")
    ap.add_argument("-x", dest="receivers", default="netpatrold,file,handle")
    ap.add_argument("-r", dest="rates", type=rates_arg, default=None)
    ap.add_argument("-H", dest="handle_rates", type=rates_arg, default=None)
    ap.add_argument("-d", dest="seconds", type=float, default=None)
    ap.add_argument("-W", dest="warmup", type=float, default=None)
    ap.add_argument("-n", dest="sources", type=int, default=64)
    ap.add_argument("-k", dest="kind", default="linkdown", choices=("linkdown", "enterprise"))
    ap.add_argument("-M", dest="mibs", action="store_true")
    ap.add_argument("-I", dest="window", type=int, default=None)
    ap.add_argument("-P", dest="perf", type=rates_arg, default=None)
    ap.add_argument("-p", dest="port", type=int, default=0)
    ap.add_argument("-w", dest="workbase", default="/tmp")
    ap.add_argument("-o", dest="results", default="")
    ap.add_argument("-K", dest="keep", action="store_true")
    ap.add_argument("--batch-ms", type=int, default=100)
    ap.add_argument("--queue", type=int, default=1000000)
    ap.add_argument("--refine", type=int, default=None)
    env = os.environ.get
    ap.add_argument("--trapload", default=env("TB_TRAPLOAD"))
    ap.add_argument("--netpatrold", default=env("TB_NETPATROLD"))
    ap.add_argument("--netpatrol", default=env("TB_NETPATROL"))
    ap.add_argument("--mibdir", default=env("TB_MIBDIR"))
    ap.add_argument("--cmd", default="")
    a = ap.parse_args()
    kinds = [x.strip() for x in a.receivers.split(",") if x.strip()]
    for k in kinds:
        if k not in NAMES:
            ap.error("unknown receiver %s" % k)
    for k in ("trapload", "netpatrold", "netpatrol"):
        if not getattr(a, k):
            ap.error("no path for %s (--%s or TB_%s)" % (k, k, k.upper()))
    if a.mibs and not a.mibdir:
        ap.error("-M needs --mibdir (TB_MIBDIR)")
    if a.seconds is None:
        a.seconds = 2.0 if a.quick else 5.0
    if a.warmup is None:
        a.warmup = 0.5 if a.quick else 1.0
    if a.refine is None:
        a.refine = 0 if a.quick else 2
    rates = a.rates or (RATES_QUICK if a.quick else RATES_FULL)
    hrates = a.handle_rates or (HANDLE_QUICK if a.quick else HANDLE_FULL)
    if a.window is None:
        a.window = 0 if a.quick else 64

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    wd = os.path.join(a.workbase, "trapbench.%d.%d" % (os.getpid(), int(time.time())))
    os.makedirs(wd)
    log("work dir %s" % wd)
    meta = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "kernel": platform.release(),
        "nproc": os.cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
                     if l.startswith("model name")), "?"),
        "cmd": a.cmd or " ".join(sys.argv),
        "load0": loadavg(),
        "np_version": "?", "np_sum": "?", "trapd_version": "?",
    }
    with open(a.netpatrold, "rb") as f:
        meta["np_sum"] = "sha256 " + hashlib.sha256(f.read()).hexdigest()[:12]
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "snmptrapd"],
                       capture_output=True, text=True)
    if r.returncode == 0:
        meta["trapd_version"] = r.stdout.strip()
    log("load average %s; receivers %s; rates %s; %.1f s per step" % (
        " ".join(meta["load0"]), ",".join(kinds), rates, a.seconds))

    res = {}
    try:
        for k in kinds:
            log("receiver: %s" % NAMES[k])
            res[k] = search(a, wd, k, hrates if k == "handle" else rates, a.seconds, a.warmup)
            if res[k]["steps"]:
                meta["bytes"] = res[k]["steps"][0]["send"]["bytes"]
        if a.window:
            res["informs"] = []
            for k in kinds:
                if k == "handle":
                    continue
                res["informs"].append(informs(a, wd, k, a.window, a.seconds, 1000000))
        if a.perf is not None:
            pr = a.perf[0] if a.perf else (res.get("netpatrold", {}).get("best") or
                                           {"rate": 20000})["rate"]
            log("profiling netpatrold at %d/s" % pr)
            res["profile"] = profile(a, wd, pr, a.seconds)
    finally:
        PROCS.stop_all()
    meta["load1"] = loadavg()
    meta["np_version"] = getattr(a, "np_version", "?")
    text = report(a, res, meta)
    print(text)
    with open(os.path.join(wd, "result.md"), "w") as f:
        f.write(text)
    with open(os.path.join(wd, "result.json"), "w") as f:
        json.dump({"results": res, "meta": meta}, f, indent=1, default=str)
    if a.results and a.results != "-":
        with open(a.results, "a") as f:
            f.write("\n" + text)
        log("appended to %s" % a.results)
    log("results, configurations and logs in %s" % wd)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        log("failed: %s" % e)
        PROCS.stop_all()
        sys.exit(1)
