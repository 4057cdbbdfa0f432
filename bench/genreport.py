#!/usr/bin/env python3
"""genreport.py - a month of data for run-report.sh: RRD files of N devices
(a port and a temperature sensor each, 5-minute samples for 31 days, in
netpatrol's RRA layout), their rows in the store (devices, ports, sensors),
findings with their history, and the daily plan's runs (one missed).

usage: genreport.py STATE_DIR N_DEVICES END_TIME
The store must exist (netpatrold made it); everything is written through
the sqlite3 module and rrdtool's pipe mode. Deterministic (seeded).
"""
import json, math, os, random, sqlite3, subprocess, sys

state, n, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
step, days = 300, 31
start = end - days * 86400
start -= start % step
random.seed(16)
rrd = os.path.join(state, "rrd")
db = sqlite3.connect(os.path.join(state, "netpatrol.db"))

# RRAs as netpatrol makes them (rrdw.c) with keep-step 2 weeks
rras = []
for cf in ("AVERAGE", "MAX"):
    rras += [f"RRA:{cf}:0.5:1:{14 * 288}", f"RRA:{cf}:0.5:12:{62 * 24}",
             f"RRA:{cf}:0.5:288:732"]
p = subprocess.Popen(["rrdtool", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, text=True)
w = p.stdin
names = [f"sw{i:04d}" for i in range(n)]
for i, name in enumerate(names):
    d = os.path.join(rrd, name)
    os.makedirs(d, exist_ok=True)
    port, sens = f"{d}/port-Gi0%2F1.rrd", f"{d}/sensor-temperature-CPU.rrd"
    w.write(f"create {port} --start {start - step} --step {step} "
            f"DS:in_octets:GAUGE:900:0:U DS:out_octets:GAUGE:900:0:U "
            + " ".join(rras) + "\n")
    w.write(f"create {sens} --start {start - step} --step {step} "
            f"DS:value:GAUGE:900:U:U " + " ".join(rras) + "\n")
    base = random.uniform(1e6, 5e7)
    t = start
    while t <= end:
        chunk_p, chunk_s = [], []
        for _ in range(400):
            if t > end:
                break
            day = math.sin((t % 86400) / 86400 * 2 * math.pi)
            v = base * (1.2 + day) * random.uniform(0.7, 1.3)
            chunk_p.append(f"{t}:{v:.0f}:{v * 0.4:.0f}")
            chunk_s.append(f"{t}:{40 + 10 * day + random.uniform(-2, 2):.1f}")
            t += step
        w.write(f"update {port} " + " ".join(chunk_p) + "\n")
        w.write(f"update {sens} " + " ".join(chunk_s) + "\n")
    db.execute("insert or ignore into devices (name, configured) values (?, 1)",
               (name,))
    did = db.execute("select id from devices where name=?", (name,)).fetchone()[0]
    db.execute("insert or replace into ports (device_id, name, ifindex, speed_bps,"
               " admin_status, oper_status, rrd) values (?, 'Gi0/1', 1,"
               " 1000000000, 1, 1, ?)", (did, port))
    db.execute("insert or replace into sensors (device_id, key, name, class,"
               " unit, value, state, rrd) values (?, 'entity:CPU', 'CPU',"
               " 'temperature', 'C', 40, 'normal', ?)", (did, sens))
w.close()
if p.wait() != 0:
    sys.exit("rrdtool failed")

# findings: ~10 per device over the month, most resolved, with history
kinds = [("port.down", "Gi0/1", 3), ("sensor.critical", "CPU", 4),
         ("device.unreachable", "", 4), ("security.login_failure", "", 1)]
fid = db.execute("select coalesce(max(id), 0) from findings").fetchone()[0]
for name in names:
    for _ in range(10):
        fid += 1
        kind, obj, sev = random.choice(kinds)
        o = random.uniform(start, end - 3600)
        ack = o + random.uniform(60, 3600)
        res = ack + random.uniform(60, 6 * 3600) if random.random() < 0.8 else None
        rb = o + 8 * 3600
        state = "resolved" if res and res < end else "acknowledged"
        db.execute("insert into findings (id, key, device, object, kind, title,"
                   " severity, priority, role, owner, state, count, reopened,"
                   " first_seen, last_seen, respond_by, resolve_by, opened,"
                   " acknowledged, resolved, updated) values (?, ?, ?, ?, ?, ?,"
                   " ?, 2, 'operations', 'noc', ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (fid, f"{name}/{kind}:{obj}", name, obj, kind,
                    f"{name}: {kind} {obj}", sev, state, o, o, o + 1800, rb, o,
                    ack, res, res or ack))
        for t, a, s in ((o, "open", "open"), (ack, "acknowledge", "acknowledged"),
                        (res, "resolve", "resolved")):
            if t:
                db.execute("insert into finding_history (finding_id, time, action,"
                           " actor, state, text) values (?, ?, ?, 'netpatrold', ?, '')",
                           (fid, t, a, s))

# the daily plan's runs: every day at 06:00 local, the 10th missed
cov = json.dumps({"devices": [{"device": d, "done": True, "checks": [
    {"check": "ports", "done": True}, {"check": "health", "done": True}]}
    for d in names]})
rid = db.execute("select coalesce(max(id), 0) from plan_runs").fetchone()[0]
import time
lt = time.localtime(start)
t = time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday, 6, 0, 0, 0, 0, -1))
k = 0
while t < end:
    if t >= start + 86400:
        rid += 1
        k += 1
        missed = k == 10
        db.execute("insert into plan_runs (id, plan, category, trigger, state,"
                   " inspector, requested_by, scheduled, started, ended,"
                   " period_start, period_end, devices_planned, devices_done,"
                   " checks_planned, checks_done, coverage) values (?, 'daily',"
                   " 'daily', 'schedule', ?, 'bench', 'schedule', ?, ?, ?, ?, ?,"
                   " ?, ?, ?, ?, ?)",
                   (rid, "missed" if missed else "done", t, t, t + 1, t - 86400,
                    t, n, 0 if missed else n, 2 * n, 0 if missed else 2 * n,
                    cov))
    lt = time.localtime(t + 86400 + 3600)
    t = time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday, 6, 0, 0, 0, 0, -1))
db.commit()
print(f"{n} devices, {2 * n} RRD files of {days} days, {fid} findings, {rid} runs")
