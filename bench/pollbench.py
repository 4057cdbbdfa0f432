#!/usr/bin/env python3
"""pollbench.py - the driver behind bench/run-poll.sh (see bench/README.md).

Polls N simulated 48-port switches (snmpfast, on 127.1.x.y) with
netpatrold, then with collectd's snmp plugin writing CSV files, then with
collectd writing RRD files, each for the same number of poll cycles, and
prints (and appends to RESULTS.md) wall time, CPU per varbind or value,
requests, timeouts and peak RSS, with the ratios between them.

Everything it starts is stopped by PID when it ends, however it ends.
All traffic stays on 127.0.0.0/8.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
PORTS = 48
IFX = ".1.3.6.1.2.1.31.1.1.1"
IFT = ".1.3.6.1.2.1.2.2.1"
LAST_PORT = "GigabitEthernet1_0_%d" % PORTS   # ifName of the last row, as collectd files it

# collectd: what it polls per port, as close to netpatrold as its model goes
CD_DATA = [
    # name, type, prefix, values
    ("if_octets", "if_octets", "", [IFX + ".6", IFX + ".10"]),
    ("if_ucast", "if_packets", "ucast-", [IFX + ".7", IFX + ".11"]),
    ("if_mcast", "if_packets", "mcast-", [IFX + ".8", IFX + ".12"]),
    ("if_bcast", "if_packets", "bcast-", [IFX + ".9", IFX + ".13"]),
    ("if_errors", "if_errors", "", [IFT + ".14", IFT + ".20"]),
    ("if_dropped", "if_dropped", "", [IFT + ".13", IFT + ".19"]),
    ("if_status", "if_status", "", [IFT + ".7", IFT + ".8"]),
]
CD_VALUES_PER_PORT = sum(len(d[3]) for d in CD_DATA)           # 14
CD_VALUES_PER_DEVICE = PORTS * CD_VALUES_PER_PORT + 1          # + sysUpTime
# the data block collectd reads last for a device: its last row is the
# last value list a poll of that device dispatches
CD_SENTINEL_TYPE = CD_DATA[-1][1]


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
        log("started %s, pid %d" % (name, p.pid))
        return p

    def stop(self, p, sig=signal.SIGTERM, wait=30):
        if p.poll() is not None:
            return p.returncode
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            return p.wait(wait)
        except subprocess.TimeoutExpired:
            log("pid %d did not stop in %d s: SIGKILL" % (p.pid, wait))
            os.kill(p.pid, signal.SIGKILL)
            return p.wait()

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
    # fields after the command name in parentheses
    return s[s.rindex(")") + 2:].split()


def proc_cpu(pid):
    """utime+stime of the whole process (dead threads included), seconds."""
    f = stat_fields("/proc/%d/stat" % pid)
    return (int(f[11]) + int(f[12])) / HZ, int(f[11]) / HZ, int(f[12]) / HZ


def thread_cpu(pid):
    """{tid: (cpu seconds from schedstat, comm, start time)} of live threads."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            ns = int(read(base + "schedstat").split()[0])
            f = stat_fields(base + "stat")
            comm = read(base + "comm").strip()
        except (OSError, ValueError, IndexError):
            continue
        out[int(tid)] = (ns / 1e9, comm, int(f[19]))
    return out


def vm_hwm_kb(pid):
    for line in read("/proc/%d/status" % pid).splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def du_bytes(path):
    total = 0
    for root, dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


# ---------------------------------------------------------------- snmpfast

def pick_port():
    """A UDP port free on the first simulated address."""
    for _ in range(200):
        port = 20000 + int.from_bytes(os.urandom(2), "big") % 30000
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.1.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise Fail("no free UDP port found on 127.1.0.1")


def device_addrs(snmpfast, n):
    out = subprocess.run([snmpfast, "-l", "-n", str(n), "-b", "127.1.0.1"],
                         check=True, capture_output=True, text=True).stdout.split()
    if len(out) != n or not all(a.startswith("127.") for a in out):
        raise Fail("snmpfast -l gave unexpected addresses")
    return out


class Agent:
    def __init__(self, a, n, wd, tag):
        self.errpath = os.path.join(wd, "snmpfast-%s.err" % tag)
        argv = [a.snmpfast, "-f", a.recording, "-n", str(n), "-b", "127.1.0.1",
                "-p", str(a.port), "-c", "public", "-t", str(a.agent_threads)]
        self.p = PROCS.start("snmpfast (%s)" % tag, argv, stdout=subprocess.PIPE,
                             stderr=open(self.errpath, "w"), text=True)
        deadline = time.time() + 60 + n * 0.05
        line = ""
        while time.time() < deadline:
            line = self.p.stdout.readline()
            if line.strip() == "ready" or not line:
                break
        if line.strip() != "ready":
            raise Fail("snmpfast did not get ready: " + read(self.errpath)[-500:])

    def stop(self):
        PROCS.stop(self.p)
        text = read(self.errpath)
        st = {}
        m = re.search(r"requests (\d+) responses (\d+) varbinds (\d+)", text)
        if m:
            st["requests"], st["responses"], st["varbinds"] = map(int, m.groups())
        m = re.search(r"cpu ([\d.]+)s", text)
        if m:
            st["cpu"] = float(m.group(1))
        for k in ("malformed", "toobig", "truncated", "senderr"):
            m = re.search(k + r" (\d+)", text)
            if m:
                st[k] = int(m.group(1))
        return st


# ---------------------------------------------------------------- netpatrold

def np_config(a, wd, state, addrs):
    lines = [
        "# generated by bench/pollbench.py",
        'state-dir "%s"' % state,
        'control "%s/np.sock"' % wd,
        'pidfile "%s/np.pid"' % wd,
        "rrd keep-step 1h",
        "store batch-window 1000ms",
    ]
    if a.rrd_off:
        lines.append("rrd off")
    if a.max_inflight:
        lines.append("max-inflight %d" % a.max_inflight)
    lines += ['template "bench" {', '\tsnmp v2c community "public"',
              "\tinterval %d" % a.interval, "\ttimeout %d retries %d" % (a.timeout, a.retries)]
    if a.max_reps:
        lines.append("\tmax-repetitions %d" % a.max_reps)
    lines.append("}")
    for i, addr in enumerate(addrs):
        lines += ['device "%s" {' % dev_name(i, len(addrs)),
                  "\taddress %s port %d" % (addr, a.port), '\tuse "bench"', "}"]
    path = os.path.join(wd, "netpatrold.conf")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def dev_name(i, n):
    return "sw%0*d" % (max(4, len(str(n))), i + 1)


CYCLE_RE = re.compile(r"poll cycle (\d+): (\d+) devices in ([\d.]+) s, (\d+) requests, "
                      r"(\d+) varbinds, (\d+) timeouts")


def np_status(a, conf):
    r = subprocess.run([a.netpatrol, "-f", conf, "status", "--json"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Fail("netpatrol status failed: " + r.stderr.strip()[:300])
    return json.loads(r.stdout)


def np_drained(j):
    """The writers took everything queued. A writer that keeps updates
    (rrd write-delay: "pending" in its status) has taken them when it
    accepted them; they are written by np_flush at the end of the run."""
    s, r = j["store"], j["rrd"]
    if "pending" in r:
        rrd_done = r["accepted"] + r["out_of_order"] + r["errors"] >= r["queued"]
    else:
        rrd_done = r["updates"] + r["errors"] >= r["queued"]
    return s["written"] + s.get("dropped", 0) >= s["queued"] and \
        rrd_done and r["depth"] == 0 and s["depth"] == 0


def np_flush(a, conf):
    """netpatrol rrd flush: what the RRD writer keeps is written (its CPU is
    then in the rrd thread's), and the call waits for it."""
    r = subprocess.run([a.netpatrol, "-f", conf, "rrd", "flush"],
                       capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        raise Fail("netpatrol rrd flush failed: " + (r.stderr or r.stdout).strip()[:300])
    log("netpatrold: " + r.stdout.strip())


def np_threads(pid, snap):
    """Name the threads: main (pid), then writer threads by creation order
    (store first, then rrd: see src/netpatrold.c)."""
    others = sorted((st, comm, tid) for tid, (cpu, comm, st) in snap.items() if tid != pid)
    names = {pid: "main"}
    # netpatrold names its threads ("store", "store-syslog", "rrd", ...);
    # an older one did not: the store's and the RRD writer by creation order
    if any(comm != snap[pid][1] for st, comm, tid in others):
        for st, comm, tid in others:
            names[tid] = {"store-syslog": "syslog"}.get(comm, comm)
        return names
    for i, (st, comm, tid) in enumerate(others):
        names[tid] = ["store", "rrd"][i] if i < 2 else "thread%d" % (i + 1)
    return names


def run_netpatrold(a, wd, addrs, env, tag, C, last, agent):
    """One netpatrold run of C cycles on the state in WD/state (kept for the
    next run unless LAST)."""
    n = len(addrs)
    npwd = os.path.join(wd, "np-" + tag)
    os.makedirs(npwd)
    state = os.path.join(wd, "np-state")
    conf = np_config(a, npwd, state, addrs)
    subprocess.run([a.netpatrold, "-n", "-f", conf], check=True, capture_output=True)
    logpath = os.path.join(npwd, "netpatrold.log")
    t0 = time.time()
    p = PROCS.start("netpatrold (%s)" % tag, [a.netpatrold, "-d", "-f", conf],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=open(logpath, "w"), env=env)
    pid = p.pid
    res = {"devices": n, "cycles": [], "tag": tag}
    cycles = res["cycles"]
    drains = []           # (time, thread snapshot, proc cpu, cycles seen)
    status_calls = 0
    calls_since = 0
    pending_drain = False
    last_status = 0.0
    perf = None
    if a.perf and tag == "run":
        perf = PROCS.start("perf record", [
            "perf", "record", "-q", "-F", "499", "-g", "-p", str(pid),
            "-o", os.path.join(wd, "perf.data")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(wd, "perf.err"), "w"))
    logf = open(logpath)
    buf = ""
    cycle_bound = a.interval + max(120, n * 0.2)
    deadline = t0 + cycle_bound
    drain_bound = max(600, n * 2.0)
    names = None
    try:
        while True:
            if p.poll() is not None:
                raise Fail("netpatrold exited (%s); log: %s" % (p.returncode, logpath))
            now = time.time()
            buf += logf.read()
            while "\n" in buf:
                line, buf = buf.split("\n", 1)
                m = CYCLE_RE.search(line)
                if not m or int(m.group(1)) <= len(cycles):
                    continue
                snap = thread_cpu(pid)
                if names is None or len(names) < len(snap):
                    names = np_threads(pid, snap)
                k, ndev, secs, req, vb, to = m.groups()
                cycles.append({"n": int(k), "t": time.time(), "wall": float(secs),
                               "requests": int(req), "varbinds": int(vb),
                               "timeouts": int(to), "snap": snap,
                               "status_calls_before": calls_since})
                calls_since = 0
                log("netpatrold (%s) cycle %s: %s s, %s requests, %s varbinds, %s timeouts"
                    % (tag, k, secs, req, vb, to))
                pending_drain = True
                deadline = time.time() + cycle_bound
            if pending_drain and now - last_status >= 1.0:
                j = np_status(a, conf)
                status_calls += 1
                calls_since += 1
                last_status = time.time()
                if np_drained(j):
                    if len(cycles) >= C and "pending" in j["rrd"] and j["rrd"]["pending"]:
                        np_flush(a, conf)
                        j = np_status(a, conf)
                        status_calls += 1
                        last_status = time.time()
                    drains.append((last_status, thread_cpu(pid), proc_cpu(pid), len(cycles),
                                   status_calls))
                    pending_drain = False
                    cycles[-1]["drain"] = last_status - cycles[-1]["t"]
                    log("netpatrold (%s) writers drained after cycle %d (%.1f s after it)"
                        % (tag, len(cycles), last_status - cycles[-1]["t"]))
                    if len(cycles) >= C:
                        break
                elif len(cycles) >= C:
                    deadline = max(deadline, cycles[-1]["t"] + drain_bound)
            if len(cycles) < C and time.time() > deadline:
                raise Fail("netpatrold: cycle %d not done within %.0f s" % (len(cycles) + 1,
                                                                            cycle_bound))
            if len(cycles) >= C and time.time() > cycles[-1]["t"] + drain_bound:
                raise Fail("netpatrold: writers not drained %.0f s after the last cycle"
                           % drain_bound)
            time.sleep(0.02)

        if perf is not None:
            PROCS.stop(perf, signal.SIGINT, wait=60)
        # what a status call costs the main thread, to take it out
        costs = []
        for _ in range(5):
            b = thread_cpu(pid)[pid][0]
            j = np_status(a, conf)
            costs.append(thread_cpu(pid)[pid][0] - b)
        res["status_cost"] = sum(costs) / len(costs)
        res["status_calls"] = status_calls
        res["final"] = j
        res["hwm_kb"] = vm_hwm_kb(pid)
        res["proc_cpu_end"] = proc_cpu(pid)
        final_snap = thread_cpu(pid)
        names = np_threads(pid, final_snap)
    finally:
        if p.poll() is None:
            rc = PROCS.stop(p, wait=120)
            if rc != 0:
                log("netpatrold exited %s on SIGTERM" % rc)
        if last:
            res["agent"] = agent.stop()

    # per-cycle figures
    sc = res["status_cost"]
    prev_main = 0.0
    for c in cycles:
        main = c["snap"][pid][0]
        c["main_cpu"] = main - prev_main - c["status_calls_before"] * sc
        prev_main = main
    # writer threads: between drain points
    segs = []
    prev = ({}, (0, 0, 0), 0)
    for t, snap, pc, k, calls in drains:
        w = 0.0
        for tid, (cpu, comm, st) in snap.items():
            if tid == pid:
                continue
            w += cpu - prev[0].get(tid, (0,))[0]
        segs.append({"upto": k, "from": prev[2] + 1, "writers": w})
        prev = (snap, pc, k)
    res["segments"] = segs
    t, snap, pc, k, calls = drains[-1]
    res["final_main"] = snap[pid][0] - calls * sc
    res["final_writers"] = sum(c[0] for tid, c in snap.items() if tid != pid)
    res["final_cycles"] = k
    res["final_varbinds"] = sum(c["varbinds"] for c in cycles[:k])
    res["drain_after"] = t - cycles[k - 1]["t"]
    res["threads_end"] = {names.get(tid, str(tid)): cpu for tid, (cpu, comm, st) in final_snap.items()}
    res["status_overhead"] = status_calls * sc
    res["state_bytes"] = du_bytes(state)
    res["log_warnings"] = sum(1 for l in open(logpath)
                              if re.match(r"\S+ (warning|error): ", l))
    res["logpath"] = logpath
    if perf is not None:
        res["perf"] = perf_report(a, wd, names)
    if last and not a.keep:
        shutil.rmtree(state, ignore_errors=True)
    return res


def perf_report(a, wd, names):
    """Self time by symbol, per thread (perf report's --tid does not filter
    here: sort by pid, which is the thread id, and split)."""
    data = os.path.join(wd, "perf.data")
    r = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                        "--sort", "pid,dso,sym", "-g", "none", "--percent-limit", "0.01"],
                       capture_output=True, text=True)
    with open(os.path.join(wd, "perf-report.txt"), "w") as f:
        f.write(r.stdout)
    rows = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\d+):\S+\s+(\S+)\s+\[[.k]\]\s+(.+?)(\s+-\s+-)?\s*$", line)
        if m:
            rows.setdefault(int(m.group(2)), []).append(
                (float(m.group(1)), m.group(3), m.group(4)))
    out = {}
    for tid, lst in rows.items():
        tot = sum(p for p, d, sym in lst)
        name = names.get(tid, str(tid))
        out[name] = ["%6.2f%%  %-28s %s" % (p / tot * 100, d[:28], sym) for p, d, sym in lst[:30]]
        out[name].insert(0, "%s thread: %.1f%% of the samples" % (name, tot))
    with open(os.path.join(wd, "perf-threads.txt"), "w") as f:
        for name, lines in out.items():
            f.write("\n".join(lines) + "\n\n")
    return out


# ---------------------------------------------------------------- collectd

def cd_config(a, wd, addrs, writer, tag):
    types = os.path.join(wd, "types.local")
    with open(types, "w") as f:
        f.write("if_status\tadmin:GAUGE:0:U, oper:GAUGE:0:U\n")
    L = [
        "# generated by bench/pollbench.py",
        'Hostname "pollbench"',
        "FQDNLookup false",
        'BaseDir "%s"' % wd,
        'PIDFile "%s/collectd.pid"' % wd,
        'PluginDir "/usr/lib/collectd"',
        'TypesDB "/usr/share/collectd/types.db" "%s"' % types,
        "Interval %d" % a.interval,
        "ReadThreads %d" % a.cd_read_threads,
        "WriteThreads %d" % a.cd_write_threads,
        "AutoLoadPlugin false",
        "LoadPlugin logfile",
        "<Plugin logfile>",
        "\tLogLevel info",
        '\tFile "%s/collectd-%s.log"' % (wd, tag),
        "\tTimestamp true",
        "</Plugin>",
        "LoadPlugin snmp",
        "LoadPlugin %s" % writer,
    ]
    if writer == "csv":
        L += ["<Plugin csv>", '\tDataDir "%s/csv"' % wd, "\tStoreRates false", "</Plugin>"]
    else:
        L += ["<Plugin rrdtool>", '\tDataDir "%s/rrd"' % wd, "</Plugin>"]
    L += ["<Plugin snmp>",
          '\t<Data "uptime">', '\t\tType "uptime"', "\t\tTable false",
          '\t\tValues ".1.3.6.1.2.1.1.3.0"', "\t</Data>"]
    for name, typ, prefix, values in CD_DATA:
        L += ['\t<Data "%s">' % name, '\t\tType "%s"' % typ, "\t\tTable true",
              '\t\tTypeInstanceOID "%s.1"' % IFX]
        if prefix:
            L.append('\t\tTypeInstancePrefix "%s"' % prefix)
        L += ["\t\tValues " + " ".join('"%s"' % v for v in values), "\t</Data>"]
    collect = " ".join('"%s"' % d for d in ["uptime"] + [d[0] for d in CD_DATA])
    for i, addr in enumerate(addrs):
        L += ['\t<Host "%s">' % dev_name(i, len(addrs)),
              '\t\tAddress "%s:%d"' % (addr, a.port), "\t\tVersion 2",
              '\t\tCommunity "public"', "\t\tCollect " + collect,
              "\t\tInterval %d" % a.interval, "\t\tTimeout %d" % a.timeout,
              "\t\tRetries %d" % a.retries, "\t</Host>"]
    L.append("</Plugin>")
    path = os.path.join(wd, "collectd-%s.conf" % tag)
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")
    return path


def rrd_last_up(path):
    """last_up of an RRD file (x86-64 layout of rrd_format.h)."""
    with open(path, "rb") as f:
        head = f.read(48)
        if len(head) < 48 or head[:4] != b"RRD\0":
            return None
        ds_cnt, rra_cnt = struct.unpack_from("<QQ", head, 24)
        f.seek(128 + 120 * ds_cnt + 120 * rra_cnt)
        b = f.read(8)
        return struct.unpack("<q", b)[0] if len(b) == 8 else None


class CdProgress:
    """How many poll cycles of each device collectd has written, read from
    the file of the value list it dispatches last for a device."""

    def __init__(self, wd, names, writer, t0, interval):
        self.wd, self.names, self.writer = wd, names, writer
        self.t0, self.interval = t0, interval
        self.files = [None] * len(names)
        self.base = [0] * len(names)
        if writer == "csv":     # lines left by an earlier run
            self.base = [self.count(i) for i in range(len(names))]
        self.done = [0] * len(names)

    def count(self, i):
        name = self.names[i]
        if self.writer == "csv":
            if self.files[i] is None or not os.path.exists(self.files[i][-1]):
                fs = sorted(glob.glob("%s/csv/%s/snmp/%s-%s-*" % (
                    self.wd, name, CD_SENTINEL_TYPE, LAST_PORT)))
                if not fs:
                    return 0
                self.files[i] = fs
            n = -self.base[i]
            for f in self.files[i]:
                try:
                    with open(f, "rb") as fh:
                        n += max(0, fh.read().count(b"\n") - 1)
                except OSError:
                    pass
            return n
        path = "%s/rrd/%s/snmp/%s-%s.rrd" % (self.wd, name, CD_SENTINEL_TYPE, LAST_PORT)
        try:
            up = rrd_last_up(path)
        except OSError:
            return 0
        if up is None:
            return 0
        # collectd reads device d at t0 + d's offset + (k-1) x interval; RRD
        # times are whole seconds (hence the second taken off t0)
        return int((up - (self.t0 - 1.0)) // self.interval) + 1

    def at_least(self, k):
        ok = True
        for i in range(len(self.names)):
            if self.done[i] >= k:
                continue
            self.done[i] = self.count(i)
            if self.done[i] < k:
                ok = False
        return ok


def run_collectd(a, wd0, addrs, writer, env, tag, C, last, agent):
    """One collectd run of C cycles; its files stay for the next run unless LAST."""
    n = len(addrs)
    wd = os.path.join(wd0, "collectd-" + writer)
    os.makedirs(wd, exist_ok=True)
    conf = cd_config(a, wd, addrs, writer, tag)
    r = subprocess.run([a.collectd, "-t", "-C", conf], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise Fail("collectd -t: " + (r.stdout + r.stderr)[-500:])
    t0 = time.time()
    prog = CdProgress(wd, [dev_name(i, n) for i in range(n)], writer, t0, a.interval)
    p = PROCS.start("collectd (%s, %s)" % (writer, tag), [a.collectd, "-f", "-C", conf],
                    stdin=subprocess.DEVNULL,
                    stdout=open(os.path.join(wd, "collectd-%s.out" % tag), "w"),
                    stderr=subprocess.STDOUT, env=env)
    pid = p.pid
    res = {"devices": n, "writer": writer, "cycles": [], "tag": tag}
    bound = a.interval + max(300, n * (0.3 if writer == "csv" else 3.0))
    try:
        for k in range(1, C + 1):
            start = t0 + (k - 1) * a.interval
            deadline = start + bound
            while not prog.at_least(k):
                if p.poll() is not None:
                    raise Fail("collectd exited (%s): see %s" % (p.returncode, wd))
                if time.time() > deadline:
                    late = sum(1 for d in prog.done if d < k)
                    raise Fail("collectd (%s): cycle %d not written within %.0f s "
                               "(%d devices behind)" % (writer, k, bound, late))
                time.sleep(0.2)
            t = time.time()
            cpu = proc_cpu(pid)
            res["cycles"].append({"n": k, "t": t, "wall": t - start, "cpu": cpu[0],
                                  "user": cpu[1], "sys": cpu[2]})
            log("collectd (%s, %s) cycle %d written: %.1f s after it started, cpu %.2f s"
                % (writer, tag, k, t - start, cpu[0]))
        res["hwm_kb"] = vm_hwm_kb(pid)
        th = {}
        for tid, (cpu, comm, st) in thread_cpu(pid).items():
            comm = re.sub(r"#\d+$", "", comm)
            th[comm] = th.get(comm, 0.0) + cpu
        res["threads_end"] = th
        if not last:
            # let what is still queued be written before stopping (not measured)
            c0, quiet_since = proc_cpu(pid)[0], time.time()
            end = time.time() + max(120, n * 2.0)
            while time.time() < end and time.time() - quiet_since < 2.0:
                time.sleep(0.5)
                c1 = proc_cpu(pid)[0]
                if c1 - c0 > 0.05:
                    quiet_since = time.time()
                c0 = c1
    finally:
        PROCS.stop(p, wait=60)
        if last:
            res["agent"] = agent.stop()
    logtext = read(os.path.join(wd, "collectd-%s.log" % tag))
    res["timeouts"] = logtext.count("Timeout")
    res["log_errors"] = sum(1 for l in logtext.splitlines()
                            if "error" in l.lower() or "failed" in l.lower())
    data = os.path.join(wd, "csv" if writer == "csv" else "rrd")
    res["data_bytes"] = du_bytes(data)
    if last and not a.keep:
        shutil.rmtree(data, ignore_errors=True)
    return res


# ---------------------------------------------------------------- report

def us(cpu, n):
    return cpu / n * 1e6 if n else float("nan")


def fmt(x, d=2):
    if x is None or (isinstance(x, float) and x != x):
        return "-"
    if isinstance(x, int):
        return "{:,}".format(x)
    return "{:,.{}f}".format(x, d)


def verdict(ok):
    return "met" if ok else "**MISSED**"


def np_rows(P, res, n, label):
    for c in res["cycles"]:
        P("| %s | %d | %s | %s | %s | %s | %s | %d | %s | %s |" % (
            label, c["n"], fmt(c["wall"], 3), fmt(c["requests"]), fmt(c["requests"] / n, 1),
            fmt(c["varbinds"]), fmt(c["varbinds"] / c["wall"] if c["wall"] else None, 0),
            c["timeouts"], fmt(c["main_cpu"], 3), fmt(us(c["main_cpu"], c["varbinds"]))))


def np_sum(res, skip_first=False):
    cyc = res["cycles"][1:] if skip_first else res["cycles"]
    vb = sum(c["varbinds"] for c in cyc)
    main = sum(c["main_cpu"] for c in cyc)
    return {"vb": vb, "main": main, "main_us": us(main, vb),
            "total_us": us(res["final_main"] + res["final_writers"], res["final_varbinds"]),
            "writers_us": us(res["final_writers"], res["final_varbinds"]),
            "total_cpu": res["final_main"] + res["final_writers"],
            "per_port_us": (res["final_main"] + res["final_writers"]) /
            (res["devices"] * PORTS * res["final_cycles"]) * 1e6,
            "wall_max": max(c["wall"] for c in res["cycles"])}


def cd_sum(res):
    n = res["devices"]
    cyc = res["cycles"]
    vals = n * CD_VALUES_PER_DEVICE * len(cyc)
    return {"vals": vals, "cpu": cyc[-1]["cpu"], "us": us(cyc[-1]["cpu"], vals),
            "per_port_us": cyc[-1]["cpu"] / (n * PORTS * len(cyc)) * 1e6,
            "wall_max": max(c["wall"] for c in cyc)}


def report(a, np, cds, meta):
    out = []
    P = out.append
    P("### %s: %d devices x %d ports, %d cycles, interval %d s" % (
        meta["date"], a.devices, PORTS, a.cycles, a.interval))
    P("")
    P("`%s`: kernel %s, %s CPUs (%s), netpatrold %s (%s), collectd %s." % (
        meta["cmd"], meta["kernel"], meta["nproc"], meta["cpu"], meta["np_version"],
        meta["np_sum"], meta["cd_version"]))
    P("")
    S = {}
    if np:
        run, cold = np["run"], np.get("cold")
        n = run["devices"]
        P("**netpatrold** (max-repetitions %d, max-inflight %d, timeout %d s, retries %d). %s"
          "main = the event-loop thread = the poll path."
          % (a.max_reps or 10, a.max_inflight or 256, a.timeout, a.retries,
             "*cold*: first cycle on a fresh state dir (creates the store rows and one RRD "
             "file per port); *run*: a second daemon on that state, the measured cycles. "
             if cold else "*run*: the measured cycles, on a fresh state dir (-F). "))
        if a.rrd_off:
            P("")
            P("With `rrd off` (-Z): no RRD files, no RRD writer work; the store and everything "
              "else as in the other runs.")
        P("")
        P("| run | cycle | wall s | requests | req/device | varbinds | varbinds/s | timeouts "
          "| main CPU s | main us/varbind |")
        P("|---|---|---|---|---|---|---|---|---|---|")
        if cold:
            np_rows(P, dict(cold, cycles=cold["cycles"][:1]), n, "cold")
        np_rows(P, run, n, "run")
        P("")
        P("| whole process until the writers had drained | cycles | main CPU s | writers CPU s "
          "(store + rrd) | total us/varbind | CPU s per 100k varbinds | drained after |")
        P("|---|---|---|---|---|---|---|")
        for label, r in (("cold", cold), ("run", run)):
            if not r:
                continue
            tot = r["final_main"] + r["final_writers"]
            P("| %s | 1..%d | %s | %s | %s | %s | %.1f s |" % (
                label, r["final_cycles"], fmt(r["final_main"], 2), fmt(r["final_writers"], 2),
                fmt(us(tot, r["final_varbinds"])), fmt(tot / r["final_varbinds"] * 1e5, 3),
                r["drain_after"]))
        s = np_sum(run)
        S["np"] = s
        if cold:
            S["np_cold"] = np_sum(dict(cold, cycles=cold["cycles"][:1]))
            S["np_cold"]["total_us"] = us(cold["final_main"] + cold["final_writers"],
                                          cold["final_varbinds"])
            later = (cold["final_cycles"] - 1) * s["total_cpu"] / run["final_cycles"]
            S["np_cold"]["first_cpu"] = cold["final_main"] + cold["final_writers"] - later
            S["np_cold"]["first_per_port_us"] = S["np_cold"]["first_cpu"] / (n * PORTS) * 1e6
        if cold:
            P("")
            P("Cold run: the files of the first cycle cost about %.0f s of CPU (%.2f ms per port): "
              "its CPU until drained less %d later cycles at the run's %.1f s per cycle."
              % (S["np_cold"]["first_cpu"], S["np_cold"]["first_per_port_us"] / 1e3,
                 cold["final_cycles"] - 1, s["total_cpu"] / run["final_cycles"]))
        P("")
        P("| netpatrold, run | value |")
        P("|---|---|")
        P("| poll path (main thread), cycles 1..%d | %s us/varbind, %s s CPU per 100k varbinds |"
          % (len(run["cycles"]), fmt(s["main_us"]), fmt(s["main"] / s["vb"] * 1e5, 3)))
        if len(run["cycles"]) > 1:
            s2 = np_sum(run, skip_first=True)
            P("| poll path, cycles 2..%d (start-up left out) | %s us/varbind |"
              % (len(run["cycles"]), fmt(s2["main_us"])))
        P("| threads at the end (schedstat) | %s |" % ", ".join(
            "%s %.2f s" % (k, v) for k, v in sorted(run["threads_end"].items())))
        pc = run["proc_cpu_end"]
        P("| process CPU at the end (/proc stat) | %s s (user %s, sys %s) |"
          % (fmt(pc[0]), fmt(pc[1]), fmt(pc[2])))
        P("| control-socket status calls taken out of main | %d x %.2f ms |"
          % (run["status_calls"], run["status_cost"] * 1e3))
        P("| peak RSS (VmHWM) | %.1f MB%s |" % (
            run["hwm_kb"] / 1024, " (cold run: %.1f MB)" % (cold["hwm_kb"] / 1024) if cold else ""))
        r, st = run["final"]["rrd"], run["final"]["store"]
        P("| RRD updates / files created / errors / dropped | %s / %s / %s / %s |" % (
            fmt(r["updates"]), fmt(r["created"]), fmt(r["errors"]), fmt(r["dropped"])))
        rrd_cpu = run["threads_end"].get("rrd")
        if rrd_cpu is not None and r["updates"]:
            P("| RRD writer thread CPU per port update (run) | %s us (%s s for %s updates%s) |" % (
                fmt(rrd_cpu / r["updates"] * 1e6, 1), fmt(rrd_cpu, 2), fmt(r["updates"]),
                ", %s values per rrd_update, write-delay %s s" % (
                    fmt(r["updates"] / max(1, r["writes"]), 1), r["write_delay"])
                if "writes" in r else ""))
        P("| store rows queued / written / dropped | %s / %s / %s |" % (
            fmt(st["queued"]), fmt(st["written"]), fmt(st["dropped"])))
        P("| state dir on disk | %.1f GB |" % (run["state_bytes"] / 1e9))
        ag = run["agent"]
        P("| snmpfast served (all runs) | %s requests, %s varbinds, %s s CPU |" % (
            fmt(ag.get("requests")), fmt(ag.get("varbinds")), fmt(ag.get("cpu"))))
        P("| warnings/errors in the daemon log | %d%s |" % (
            run["log_warnings"], " (cold run: %d)" % cold["log_warnings"] if cold else ""))
        P("")
    for cd in cds:
        run, cold = cd["run"], cd.get("cold")
        n = run["devices"]
        vals = n * CD_VALUES_PER_DEVICE
        P("**collectd %s, snmp plugin + %s writer** (%d devices, %d values per device and "
          "cycle, ReadThreads %d, WriteThreads %d; CPU of the whole process)" % (
              meta["cd_version"], cd["writer"], n, CD_VALUES_PER_DEVICE,
              a.cd_read_threads, a.cd_write_threads))
        P("")
        P("| run | cycle | written after s | values | CPU s | us/value | CPU s per 100k values |")
        P("|---|---|---|---|---|---|---|")
        for label, r in (("cold", cold), ("run", run)):
            if not r:
                continue
            prev = 0.0
            for c in r["cycles"]:
                cpu = c["cpu"] - prev
                prev = c["cpu"]
                P("| %s | %d | %s | %s | %s | %s | %s |" % (
                    label, c["n"], fmt(c["wall"], 1), fmt(vals), fmt(cpu, 2),
                    fmt(us(cpu, vals), 1), fmt(cpu / vals * 1e5, 2)))
        s = cd_sum(run)
        S["cd_" + cd["writer"]] = s
        if cold:
            S["cd_%s_cold" % cd["writer"]] = cd_sum(cold)
        ag = run["agent"]
        P("")
        P("| collectd + %s, run | value |" % cd["writer"])
        P("|---|---|")
        P("| cycles 1..%d (process start-up included) | %s us/value |" % (
            len(run["cycles"]), fmt(s["us"], 1)))
        P("| CPU by thread at the end | %s |" % ", ".join(
            "%s %.2f s" % (k, v) for k, v in sorted(run["threads_end"].items())))
        P("| peak RSS (VmHWM) | %.1f MB |" % (run["hwm_kb"] / 1024))
        P("| snmpfast served (all runs) | %s requests, %s varbinds (1 GET + 7 x 49 GETNEXT "
          "= 344 requests per device and cycle; may include the start of a cycle not measured) |"
          % (fmt(ag.get("requests")), fmt(ag.get("varbinds"))))
        P("| timeouts / error lines in its log | %d / %d |" % (run["timeouts"], run["log_errors"]))
        P("| data on disk | %.2f GB |" % (run["data_bytes"] / 1e9))
        P("")
    if "np" in S and ("cd_csv" in S or "cd_rrdtool" in S):
        P("**Ratios** (collectd CPU per value / netpatrold CPU per varbind; per port and cycle "
          "counts netpatrold's 30 columns + system group against collectd's 14 values + sysUpTime)")
        P("")
        P("| comparison | collectd | netpatrold | ratio | target |")
        P("|---|---|---|---|---|")
        npS = S["np"]
        if "cd_csv" in S:
            c = S["cd_csv"]
            r = c["us"] / npS["main_us"]
            P("| poll path: collectd+csv us/value vs netpatrold main thread us/varbind | %s | %s "
              "| %.1fx | >= 15x and <= 1.5 us/varbind: %s |" % (
                  fmt(c["us"], 1), fmt(npS["main_us"]), r,
                  verdict(r >= 15 and npS["main_us"] <= 1.5)))
            P("| collectd+csv us/value vs netpatrold whole process us/varbind | %s | %s | %.1fx | |"
              % (fmt(c["us"], 1), fmt(npS["total_us"]), c["us"] / npS["total_us"]))
            P("| CPU per port and cycle: collectd+csv vs netpatrold whole process | %s us | %s us "
              "| %.1fx | |" % (fmt(c["per_port_us"], 1), fmt(npS["per_port_us"], 1),
                               c["per_port_us"] / npS["per_port_us"]))
        if "cd_rrdtool" in S:
            c = S["cd_rrdtool"]
            r = c["us"] / npS["total_us"]
            P("| whole path with RRD writes (files exist): collectd+rrdtool us/value vs netpatrold "
              "us/varbind | %s | %s | %.1fx | >= 50x: %s |" % (
                  fmt(c["us"], 1), fmt(npS["total_us"]), r, verdict(r >= 50)))
            if "cd_rrdtool_cold" in S and "np_cold" in S:
                cc, nc = S["cd_rrdtool_cold"], S["np_cold"]
                P("| first cycle on a fresh state (RRD files created), CPU per port: collectd+rrdtool "
                  "cycle 1 vs netpatrold (cold run until drained, less its later cycles at the "
                  "run's rate) | %s us | %s us | %.1fx | |"
                  % (fmt(cc["per_port_us"], 1), fmt(nc["first_per_port_us"], 1),
                     cc["per_port_us"] / nc["first_per_port_us"]))
            P("| CPU per port and cycle: collectd+rrdtool vs netpatrold whole process | %s us | %s us "
              "| %.1fx | |" % (fmt(c["per_port_us"], 1), fmt(npS["per_port_us"], 1),
                               c["per_port_us"] / npS["per_port_us"]))
        P("| against the issue's reference figures: 25 us/value (collectd poll path), "
          "250 us/value (with rrdtool) | 25 / 250 | %s / %s | %.1fx / %.1fx | 15x / 50x: %s / %s |"
          % (fmt(npS["main_us"]), fmt(npS["total_us"]), 25 / npS["main_us"],
             250 / npS["total_us"], verdict(25 / npS["main_us"] >= 15),
             verdict(250 / npS["total_us"] >= 50)))
        P("")
    if "np" in S:
        w = S["np"]["wall_max"]
        wc = S["np_cold"]["wall_max"] if "np_cold" in S else None
        if a.devices > 1000:
            # issue 18: 10,000 switches at 60 s, the writers keeping up every cycle
            lag = max(c["wall"] + c.get("drain", a.interval)
                      for c in np["run"]["cycles"])
            P("Cycle wall time of netpatrold: longest %.2f s in the run%s, %d devices; the "
              "longest cycle and its writers' drain together %.1f s (target: every cycle and "
              "its store and RRD writes within the %d s interval: %s)." % (
                  w, ", %.2f s cold" % wc if wc is not None else "", a.devices, lag,
                  a.interval, verdict(lag < a.interval)))
        else:
            P("Cycle wall time of netpatrold: longest %.2f s in the run%s, %d devices (target: a "
              "1000-switch cycle under 10 s on 2 cores: %s)." % (
                  w, ", %.2f s cold" % wc if wc is not None else "", a.devices,
                  verdict(w < 10 and (wc is None or wc < 10)) if a.devices >= 1000
                  else "not judged below 1000 devices"))
        P("")
    if np and np["run"].get("perf"):
        for th in ("main", "rrd", "store"):
            lines = np["run"]["perf"].get(th)
            if not lines:
                continue
            P("perf, netpatrold %s thread, run (self time by symbol, share of that thread):" % th)
            P("")
            P("```")
            out.extend(lines[:26])
            P("```")
            P("")
    return "\n".join(out) + "\n", S


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", dest="devices", type=int, default=1000)
    ap.add_argument("-c", dest="cycles", type=int, default=3)
    ap.add_argument("-i", dest="interval", type=int, default=30)
    ap.add_argument("-p", dest="port", type=int, default=0)
    ap.add_argument("-m", dest="max_inflight", type=int, default=0)
    ap.add_argument("-r", dest="max_reps", type=int, default=0)
    ap.add_argument("-R", dest="rrd_devices", type=int, default=100)
    ap.add_argument("-T", dest="timeout", type=int, default=2)
    ap.add_argument("--retries", type=int, default=1)
    ap.add_argument("-w", dest="workbase", default="/tmp")
    ap.add_argument("-k", dest="keep", action="store_true")
    ap.add_argument("-P", dest="perf", action="store_true")
    ap.add_argument("-F", dest="fresh_only", action="store_true")
    ap.add_argument("-Z", dest="rrd_off", action="store_true")
    ap.add_argument("-x", dest="phases", default="netpatrold,csv,rrdtool")
    ap.add_argument("-o", dest="results", default="")
    ap.add_argument("--agent-threads", type=int, default=1)
    ap.add_argument("--cd-read-threads", type=int, default=5)
    ap.add_argument("--cd-write-threads", type=int, default=5)
    # paths come from the environment too, so that this process's command
    # line does not name the programs it runs (a "pkill -f collectd" meant
    # for them would stop the driver as well)
    env = os.environ.get
    ap.add_argument("--snmpfast", default=env("PB_SNMPFAST"))
    ap.add_argument("--gen-switch", default=env("PB_GEN_SWITCH"))
    ap.add_argument("--netpatrold", default=env("PB_NETPATROLD"))
    ap.add_argument("--netpatrol", default=env("PB_NETPATROL"))
    ap.add_argument("--collectd", default=env("PB_COLLECTD", "/usr/sbin/collectd"))
    ap.add_argument("--cmd", default="")
    a = ap.parse_args()
    for k in ("snmpfast", "gen_switch", "netpatrold", "netpatrol"):
        if not getattr(a, k):
            ap.error("no path for %s (--%s or PB_%s)" % (k, k.replace("_", "-"), k.upper()))
    phases = [x.strip() for x in a.phases.split(",") if x.strip()]
    for x in phases:
        if x not in ("netpatrold", "csv", "rrdtool"):
            ap.error("unknown phase %s" % x)
    if a.devices < 1 or a.cycles < 1 or a.interval < 1:
        ap.error("devices, cycles and interval must be positive")

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    wd = os.path.join(a.workbase, "pollbench.%d.%d" % (os.getpid(), int(time.time())))
    os.makedirs(wd)
    log("work dir %s" % wd)
    a.recording = os.path.join(wd, "switch.snmprec")
    with open(a.recording, "w") as f:
        subprocess.run([a.gen_switch, "-p", str(PORTS)], stdout=f, check=True)
    if not a.port:
        a.port = pick_port()
    addrs = device_addrs(a.snmpfast, a.devices)
    env = dict(os.environ, MIBS="")     # numeric OIDs only: no MIB loading in either client

    # disk: netpatrold's RRD files are about 1.3 MB per port (rrdw_create_args)
    step = a.interval
    rows = max(10, 3600 // step) + sum(span // (max(1, per // step) * step) for per, span in
                                      ((300, 14 * 86400), (3600, 62 * 86400), (86400, 732 * 86400)))
    np_need = 0 if a.rrd_off else a.devices * PORTS * (rows * 2 * 12 * 8 + 8192)
    cd_need = min(a.rrd_devices, a.devices) * PORTS * len(CD_DATA) * 330 * 1024
    need = max(np_need if "netpatrold" in phases else 0, cd_need if "rrdtool" in phases else 0)
    if need > free_bytes(wd) * 0.9:
        raise Fail("about %.1f GB of RRD files would be written under %s, which has %.1f GB "
                   "free: use -w DIR, fewer devices (-n) or fewer collectd rrdtool devices (-R)"
                   % (need / 1e9, wd, free_bytes(wd) / 1e9))

    meta = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "host": platform.node(),
        "kernel": platform.release(),
        "nproc": os.cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
                     if l.startswith("model name")), "?"),
        "cmd": a.cmd or " ".join(sys.argv),
        "np_version": "?", "np_sum": "?", "cd_version": "-",
    }
    try:
        import hashlib
        with open(a.netpatrold, "rb") as f:
            meta["np_sum"] = "sha256 " + hashlib.sha256(f.read()).hexdigest()[:12]
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "collectd-core"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            meta["cd_version"] = r.stdout.strip()
    except OSError:
        pass

    np = None
    cds = []
    try:
        if "netpatrold" in phases:
            log("phase netpatrold: %d devices, %d cycles, interval %d s" % (
                a.devices, a.cycles, a.interval))
            np = {}
            # one agent for both runs: the simulated devices do not restart
            agent = Agent(a, a.devices, wd, "netpatrold")
            if not a.fresh_only:
                np["cold"] = run_netpatrold(a, wd, addrs, env, "cold", 1, False, agent)
            np["run"] = run_netpatrold(a, wd, addrs, env, "run", a.cycles, True, agent)
            meta["np_version"] = np["run"]["final"].get("version", "?")
        for writer in ("csv", "rrdtool"):
            if writer not in phases:
                continue
            k = a.devices if writer == "csv" else min(a.rrd_devices, a.devices)
            log("phase collectd %s: %d devices" % (writer, k))
            cd = {"writer": writer}
            agent = Agent(a, k, wd, "collectd-" + writer)
            if not a.fresh_only:
                cd["cold"] = run_collectd(a, wd, addrs[:k], writer, env, "cold", 1, False, agent)
            cd["run"] = run_collectd(a, wd, addrs[:k], writer, env, "run", a.cycles, True, agent)
            cds.append(cd)
    finally:
        PROCS.stop_all()
    text, summary = report(a, np, cds, meta)
    print(text)
    with open(os.path.join(wd, "result.md"), "w") as f:
        f.write(text)
    with open(os.path.join(wd, "result.json"), "w") as f:
        json.dump({"summary": summary, "meta": meta}, f, indent=1)
    if a.results and a.results != "-":
        new = not os.path.exists(a.results) or os.path.getsize(a.results) == 0
        with open(a.results, "a") as f:
            if new:
                f.write("# Poll benchmark results\n\nAppended by bench/run-poll.sh, one "
                        "section per run; the method is in bench/README.md.\n")
            f.write("\n" + text)
        log("appended to %s" % a.results)
    log("results, configurations and logs in %s" % wd)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        PROCS.stop_all()
        log("FAILED: %s" % e)
        sys.exit(1)
    finally:
        PROCS.stop_all()
