#!/usr/bin/env python3
"""syslog_corpus.py - syslog_parse() against the shared third-party corpus.

Runs tests/unit/syslog_corpus (the C driver) over ../shared/corpus/syslog
and compares, exactly, what the parser found with what other projects
expect from the same messages:

  rsyslog    rsyslog_parser_vectors.json: each expected line is rsyslog's
             output through a template; the template is rendered here from
             our fields with rsyslog's property conventions.
  napalm     napalm-logs/<os>/<error>/<variant>/{syslog.msg,yang.json}: the
             message_details fields (host, tag, process name and id,
             message, sequence number, date and time, zone, node...).
  fuzz       rsyslog's fuzz seeds, the wazuh log samples: no crash, and
             the output invariants (valid UTF-8, no control characters).

The whole corpus also runs under valgrind when it is installed.

A difference is a failure unless KNOWN lists it (message and field) with
the reason: the expected data's own convention, a parser option rsyslog was
run with that netpatrol does not have, or a format netpatrol does not
decode. A KNOWN entry that no longer differs is a failure too, so that the
list stays true. Skipped when the corpus is absent.
"""
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys

TOP_SRC = os.environ.get("top_srcdir") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOP_BUILD = os.environ.get("top_builddir") or TOP_SRC
SHARED = os.environ.get("NP_SHARED") or os.path.join(TOP_SRC, "..", "shared")
CORPUS = os.path.join(SHARED, "corpus", "syslog")
DRIVER = os.path.join(TOP_BUILD, "tests", "unit", "syslog_corpus")
RECEIVED = "1700000000"  # 2023-11-14T22:13:20Z

# (source, case, field) -> why it differs. Fields as compared below.
RSYSLOG_HOSTLESS = ("rsyslog takes the first words of a message without "
                    "timestamp as HOSTNAME and TAG; netpatrol only when a "
                    "TAG (\"name:\", \"name[pid]:\") follows, else it is text")
PERCENT_TAG = ("a Cisco mnemonic in the TAG's place: rsyslog makes "
               "\"%PIX-7-710005\" the TAG, netpatrol keeps it in the text "
               "(app empty, mnemonic PIX-7-710005) as for every Cisco form")
FORCE_COLON = ("rsyslog ran with force.tagEndingByColon=\"on\" (no TAG "
               "without ':'); netpatrol takes a TAG ended by a space too, "
               "like rsyslog's default")
NAPALM_FUNC = ("napalm calls the Junos function name before ':' (or the "
               "first words) the tag and drops it from the message; it is "
               "message text, not a Junos tag")
NAPALM_SLASH = "napalm drops the '/' of Junos's \"/kernel\" TAG"
NAPALM_TRAIL = "napalm strips trailing spaces from the message"
NAPALM_PFE = ("Junos PFE message (\"fpc3 fpc3 dcpfe: JPRDS_NH:...\"): the "
              "PFE prefixes are not decoded, so no tag is found")
NAPALM_NH = ("\"NH:\" has no '_': netpatrol takes only tags of two or more "
             "words (UI_COMMIT, RPD_BGP_...) so that \"ERROR:\" is no tag")
NAPALM_OSPF = ("napalm takes IOS OSPF's \"Process 1, \" as the process id "
               "and drops it from the message; it is message text")
FORTINET = ("Fortinet key=value log without syslog header: host and time "
            "are in devname= and date= time=, which netpatrol does not read")
HUAWEI = ("Huawei VRP \"2018-7-23 01:00:34.270.1 host %%01IFNET/4/..\": "
          "this timestamp form and %% mnemonics are not decoded")
OPENGEAR = ("Opengear \"host port02 2018-Nov- 9 15:38:25.341 RXDATA:\": "
            "host before a non-standard timestamp, not decoded")

KNOWN = {}


def known(source, case, fields, why):
    for f in fields.split():
        KNOWN[(source, case, f)] = why


known("rsyslog", "parsertest-parse-nodate.sh#2", "line", RSYSLOG_HOSTLESS)
known("rsyslog", "pmlastmsg.sh#3", "line", RSYSLOG_HOSTLESS)
known("rsyslog", "pmlastmsg.sh#4", "line", RSYSLOG_HOSTLESS)
known("rsyslog", "pmlastmsg.sh#5", "line", RSYSLOG_HOSTLESS)
known("rsyslog", "parsertest-parse1.sh#1", "line", PERCENT_TAG)
known("rsyslog", "pmrfc3164-defaultTag.sh#1", "line", FORCE_COLON)
known("rsyslog", "pmrfc3164-defaultTag.sh#2", "line", FORCE_COLON)
known("rsyslog", "pmrfc3164-defaultTag.sh#3", "line", FORCE_COLON)

for c in ("BGP_CONNECTION_REJECTED/default", "BGP_INCORRECT_AS_NUMBER/default",
          "BGP_PEER_NOT_CONFIGURED/default",
          "BGP_SESSION_NOT_CONFIGURED/default", "BGP_CONNECTION_RESET/default",
          "BGP_MD5_INCORRECT/ISO8601", "BGP_MD5_INCORRECT/default",
          "BGP_MD5_INCORRECT/missing", "NH_INSTALL_FAILED/default",
          "SYSTEM_ALARM/default_fpc", "SYSTEM_ALARM/reason_nonalpha",
          "SYSTEM_ALARM_CLEARED/default",
          "SYSTEM_ALARM_CLEARED/reason_nonalpha"):
    known("napalm", "junos/" + c, "tag message", NAPALM_FUNC)
known("napalm", "junos/BGP_MD5_INCORRECT/ISO8601", "processName", NAPALM_SLASH)
known("napalm", "junos/BGP_MD5_INCORRECT/default", "processName", NAPALM_SLASH)
known("napalm", "junos/NH_REGION_GRAB_FAILED/default", "tag message",
      NAPALM_PFE)
known("napalm", "junos/NH_HOLD_PACKET/default", "tag message", NAPALM_NH)
known("napalm", "ios/OSPF_NEIGHBOR_DOWN/init_to_down", "processId message",
      NAPALM_OSPF)
for c in ("established_to_idle_no_vrf", "established_to_idle_with_vrf",
          "idle_to_established_no_vrf", "idle_to_established_with_vrf"):
    known("napalm", "netiron/BGP_NEIGHBOR_STATE_CHANGED/" + c, "message",
          NAPALM_TRAIL)
known("napalm", "netiron/OSPF_NEIGHBOR_UP/down_to_full", "message",
      NAPALM_TRAIL)
for c in ("FORWARD_TRAFFIC", "LOCAL_TRAFFIC"):
    known("napalm", "fortinet/%s/default" % c,
          "host tag processName message date time", FORTINET)
for c in ("INTERFACE_DOWN", "INTERFACE_UP"):
    known("napalm", "huawei/%s/default" % c,
          "host tag messageId message date time", HUAWEI)
for c in ("AUTORESPONSE", "RXDATA", "SIGNAL", "USER_LOGIN", "USER_LOGOUT"):
    known("napalm", "opengear/%s/default" % c,
          "host tag message date time", OPENGEAR)

tap_n = 0
tap_failed = 0


def ok(cond, what):
    global tap_n, tap_failed
    tap_n += 1
    if not cond:
        tap_failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", tap_n, what))
    sys.stdout.flush()


def diag(text):
    for line in str(text).splitlines():
        print("# " + line)


def parse_many(messages):
    """messages: list of bytes; returns the driver's objects, in order."""
    data = "".join(m.hex() + "\n" for m in messages).encode()
    out = subprocess.run([DRIVER, "-r", RECEIVED, "-x"], input=data,
                         stdout=subprocess.PIPE, check=True).stdout
    return [json.loads(l) for l in out.decode().splitlines()]


# --- rsyslog -----------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def local_time(p):
    """The message time as written: in its own offset when known."""
    t = float(p["time"])
    off = p["tz_offset"] if "tz" in p["flags"] else 0
    sec = int(t // 1)
    usec = round((t - sec) * 1e6)
    if usec == 1000000:
        sec, usec = sec + 1, 0
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(
        seconds=sec + off * 60)
    return d, usec, off


def date_3164(p, buggyday=False):
    d, _, _ = local_time(p)
    day = ("%02d" if buggyday else "%2d") % d.day
    return "%s %s %02d:%02d:%02d" % (MONTHS[d.month - 1], day, d.hour,
                                     d.minute, d.second)


def date_3339(p):
    d, usec, off = local_time(p)
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if p["time_digits"]:
        s += "." + ("%06d" % usec)[:p["time_digits"]]
    if p["tz"] in ("Z", "z") or "tz" not in p["flags"]:
        return s + "Z"
    return s + "%s%02d:%02d" % ("-" if off < 0 else "+", abs(off) // 60,
                                abs(off) % 60)


def syslogtag(p):
    tag = p["app"] + ("[%s]" % p["procid"] if p["procid"] else "")
    return tag + (":" if "tag_colon" in p["flags"] else "")


def rfc5424_sd_json(p):
    """mmpstrucdata's JSON: SD-IDs and names lower case by default."""
    sd = {}
    for sid, name, value in p["sdp"]:
        e = sd.setdefault(sid.lower(), {})
        if name:
            e[name.lower()] = value
    return sd


def prop(p, name, opts):
    if name == "PRI":
        return str(p["pri"])
    if name == "syslogfacility-text":
        return FACILITIES[p["facility"]]
    if name == "syslogseverity-text":
        return SEVERITIES[p["severity"]]
    if name == "syslogseverity":
        return str(p["severity"])
    if name in ("timestamp", "timereported"):
        if "date-rfc3339" in opts:
            return date_3339(p)
        return date_3164(p, "date-rfc3164-buggyday" in opts)
    if name == "hostname":
        return p["host"] if "host" in p["flags"] else "$RS_HOSTNAME"
    if name == "programname":
        return p["app"]
    if name == "syslogtag":
        return syslogtag(p)
    if name == "msg":
        return p["msg"]
    raise KeyError(name)


FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
              "news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit",
              "alert", "clock", "local0", "local1", "local2", "local3",
              "local4", "local5", "local6", "local7"]
SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info",
              "debug"]


def render(template, p, msg):
    """rsyslog's string template, with %msg% given as MSG."""
    s = re.search(r'string="(.*)"', template).group(1)
    s = s.replace("\\n", "")
    out = []
    for lit, var in re.findall(r'([^%]*)(?:%([^%]*)%)?', s):
        out.append(lit)
        if not var:
            continue
        parts = var.split(":")
        name = parts[0]
        frm = parts[1] if len(parts) > 1 else ""
        to = parts[2] if len(parts) > 2 else ""
        opts = ":".join(parts[3:]).split(",") if len(parts) > 3 else []
        if name.startswith("$!"):
            out.append(("SD", rfc5424_sd_json(p)))
            continue
        if frm.startswith("R,"):
            # %prop:R,ERE,0,BLANK:regex--end:csv%
            rx, rest = var.split(":", 2)[2].rsplit("--end", 1)
            v = prop(p, name, [])
            mt = re.search(rx, v)
            v = mt.group(0) if mt else ""
            opts = rest.lstrip(":").split(",")
        else:
            v = msg if name == "msg" else prop(p, name, opts)
            if frm and to:
                v = v[int(frm) - 1:int(to)]
        if "drop-last-lf" in opts and v.endswith("\n"):
            v = v[:-1]
        if "csv" in opts:
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return out


def rsyslog_line(template, p, first_space):
    """The rendered line, or the SD dict; with the one space rsyslog keeps
    before an RFC 3164 MSG when FIRST_SPACE."""
    parts = render(template, p, (" " if first_space else "") + p["msg"])
    if any(isinstance(x, tuple) for x in parts):
        return [x[1] for x in parts if isinstance(x, tuple)][0]
    return "".join(parts)


def unescape_8bit(s):
    return re.sub(r"#([0-3][0-7][0-7])",
                  lambda mt: bytes([int(mt.group(1), 8)]).decode("latin-1"),
                  s).encode("latin-1").decode("utf-8")


def compare_rsyslog():
    with open(os.path.join(CORPUS, "rsyslog",
                           "rsyslog_parser_vectors.json")) as f:
        vec = json.load(f)
    results = []  # (case, status, detail)
    for t in vec["tests"]:
        name = t["test"]
        tpl = t["templates"][0]
        cfg = " ".join(t.get("parser_config", []) + t.get("other_config", []))
        if "pairs" in t:
            inputs = [x["input"] for x in t["pairs"]]
            expected = [x["expected_output"] for x in t["pairs"]]
        else:
            inputs = [x["msg"] if isinstance(x, dict) else x
                      for x in t["inputs"]]
            expected = t["expected_lines"]
        got = parse_many([i.encode() for i in inputs])
        if "tagEndingByColon" in cfg and "pairs" not in t:
            # only messages whose TAG has "tag" and ends in ':' are output
            got = [p for p in got
                   if "tag" in syslogtag(p) and "tag_colon" in p["flags"]]
            inputs = [None] * len(got)
        if len(got) != len(expected):
            results.append((name, "fail", "%d outputs, %d expected" %
                            (len(got), len(expected))))
            continue
        for i, (p, want) in enumerate(zip(got, expected), 1):
            case = "%s#%d" % (name, i)
            if "Escape8BitCharactersOnReceive" in cfg:
                want = unescape_8bit(want)  # bytes the same, escapes apart
            if want.startswith("{"):
                mine = rsyslog_line(tpl, p, False)
                same = mine == json.loads(want)
            else:
                # rsyslog keeps the space that follows an RFC 3164 TAG in
                # MSG (unless remove.msgFirstSpace); netpatrol drops it
                mine = rsyslog_line(tpl, p, False)
                same = mine == want
                if (not same and "rfc5424" not in p["flags"]
                        and "msgFirstSpace" not in cfg):
                    mine = rsyslog_line(tpl, p, True)
                    same = mine == want
            detail = "input %r\n  rsyslog   %r\n  netpatrol %r" % (
                inputs[i - 1], want, mine)
            results.append((case, "match" if same else "diff:line", detail))
    return results


# --- napalm-logs ----------------------------------------------------------

def napalm_checks(md, p):
    """(field, expected, ours) for every field napalm's expected gives."""
    d, usec, _ = local_time(p)
    checks = []

    def add(field, want, mine):
        if want is None:
            return
        checks.append((field, want, mine))

    add("pri", md.get("pri"), str(p["pri"]) if "pri" in p["flags"] else None)
    add("facility", md.get("facility"), p["facility"])
    add("severity", md.get("severity"), p["severity"])
    # napalm splits Junos "re0." off the host into hostPrefix
    host = md.get("host")
    if host is not None:
        add("host", (md.get("hostPrefix") or "") + host, p["host"])
    # napalm's tag: the mnemonic, the Junos tag, else the program
    add("tag", md.get("tag"), p["mnemonic"] or p["tag"] or p["app"])
    add("processName", md.get("processName"), p["app"])
    nil = "rfc5424" in p["flags"]
    add("processId", md.get("processId"),
        p["procid"] or ("-" if nil else ""))
    if md.get("messageId") is not None:
        if nil:
            add("messageId", md["messageId"], p["msgid"] or "-")
        else:
            add("messageId", md["messageId"],
                str(p["seq"]) if p["seq"] >= 0 else "")
    add("structedData", md.get("structedData"), p["sd"] or "-")
    add("version", md.get("version"), str(p["version"]))
    add("nodeId", md.get("nodeId"), p["node"])
    add("timeZone", md.get("timeZone"), p["tz"] or None)
    add("timeOffset", md.get("timeOffset"), p["tz"])
    if md.get("message") is not None:
        want = md["message"]
        if p["mnemonic"] and want.startswith(": "):
            # napalm's EOS patterns leave the mnemonic's ": " in front
            want = want[2:]
        add("message", want, p["text"])
    if "time" in p["flags"]:
        if md.get("time") is not None:
            t = md["time"]
            mine = "%02d:%02d:%02d" % (d.hour, d.minute, d.second)
            if len(t) > 8 and t[8] == ".":  # Opengear's "15:38:25.341"
                mine += ".%03d" % (usec // 1000)
            elif len(t) > 8:  # Junos ISO 8601 "08:41:59+00:00"
                mine += p["tz"]
            add("time", t, mine)
        if md.get("milliseconds") is not None:
            add("milliseconds", int(md["milliseconds"].lstrip(".")),
                usec // 1000)
        if md.get("timeSecfrac") is not None:
            add("timeSecfrac", md["timeSecfrac"],
                ("%06d" % usec)[:p["time_digits"]])
        if md.get("date") is not None:
            want = md["date"]
            if re.match(r"^\d{4}-\d{2}-\d{2}$", want):
                mine = d.strftime("%Y-%m-%d")
            elif re.match(r"^\d{4} ", want):
                mine = "%d %s %2d" % (d.year, MONTHS[d.month - 1], d.day)
            else:
                mine = "%s %2d" % (MONTHS[d.month - 1], d.day)
            add("date", want, mine)
    else:
        add("date", md.get("date"), None)
        add("time", md.get("time"), None)
    return checks


def compare_napalm():
    base = os.path.join(CORPUS, "napalm-logs")
    cases = sorted(glob.glob(os.path.join(base, "*", "*", "*", "yang.json")))
    msgs, names, mds = [], [], []
    for y in cases:
        d = os.path.dirname(y)
        with open(os.path.join(d, "syslog.msg"), "rb") as f:
            msgs.append(f.read())
        with open(y) as f:
            mds.append(json.load(f).get("message_details", {}))
        names.append(os.path.relpath(d, base))
    results = []
    for name, md, p in zip(names, mds, parse_many(msgs)):
        diffs = [(f, w, m) for f, w, m in napalm_checks(md, p) if w != m]
        if not diffs:
            results.append((name, "match", ""))
            continue
        for f, w, m in diffs:
            results.append((name, "diff:" + f,
                            "  napalm    %r\n  netpatrol %r" % (w, m)))
    return results


# --- fuzz seeds and samples: no crash, invariants --------------------------

CTRL = re.compile(r"[\x00-\x1f\x7f]")
TEXT_FIELDS = ("tz", "host", "app", "procid", "msgid", "sd", "node",
               "mnemonic", "mn_facility", "mn_name", "tag", "msg", "text")


def invariants(p):
    bad = [f for f in TEXT_FIELDS if CTRL.search(p[f]) or "\ufffd" in p[f]
           and "utf8" not in p["problems"]]
    for sid, name, value in p["sdp"]:
        if CTRL.search(sid + name + value):
            bad.append("sdp")
    return bad


def samples():
    """Every message of the corpus: (name, bytes)."""
    out = []
    for f in sorted(glob.glob(os.path.join(CORPUS, "rsyslog",
                                           "fuzz-corpus-syslog-message",
                                           "*"))):
        with open(f, "rb") as fh:
            out.append(("fuzz/" + os.path.basename(f), fh.read()))
    for f in sorted(glob.glob(os.path.join(CORPUS, "wazuh-ruleset",
                                           "*.ini"))):
        with open(f, "rb") as fh:
            for i, line in enumerate(fh.read().splitlines(), 1):
                mt = re.match(rb"^log \d+ (?:pass|fail) = (.*)$", line)
                if mt:
                    out.append(("wazuh/%s:%d" % (os.path.basename(f), i),
                                mt.group(1)))
    return out


def report(source, results):
    total = len({c for c, _, _ in results})
    failed, known_hits, stale = [], [], []
    cases = {}
    for case, status, detail in results:
        cases.setdefault(case, []).append((status, detail))
    for case, items in cases.items():
        for status, detail in items:
            if status == "match" or status == "fail":
                if status == "fail":
                    failed.append((case, status, detail))
                continue
            field = status.split(":", 1)[1]
            why = KNOWN.get((source, case, field))
            if why:
                known_hits.append((case, field, why, detail))
            else:
                failed.append((case, field, detail))
    for (src, case, field), why in KNOWN.items():
        if src != source:
            continue
        if not any(s == "diff:" + field for s, _ in cases.get(case, [])):
            stale.append((case, field))
    matched = sum(1 for c, items in cases.items()
                  if all(s == "match" for s, _ in items))
    ok(not failed and not stale,
       "%s: %d messages, %d matched, %d differ as listed (expected data's "
       "convention or unsupported), %d unexplained" %
       (source, total, matched, len({c for c, _, _, _ in known_hits}),
        len(failed)))
    for case, field, detail in failed:
        diag("UNEXPLAINED %s %s\n%s" % (case, field, detail))
    for case, field in stale:
        diag("STALE: %s %s is listed as a difference but matches" %
             (case, field))
    if os.environ.get("NP_VERBOSE"):
        for case, field, why, detail in known_hits:
            diag("known %s %s: %s\n%s" % (case, field, why, detail))
    return known_hits


def main():
    if not os.path.isdir(CORPUS):
        print("1..0 # SKIP no syslog corpus at %s" % CORPUS)
        return 0
    if not os.access(DRIVER, os.X_OK):
        print("1..0 # SKIP %s not built" % DRIVER)
        return 0
    report("rsyslog", compare_rsyslog())
    report("napalm", compare_napalm())

    smp = samples()
    got = parse_many([m for _, m in smp])
    bad = [(n, invariants(p)) for (n, _), p in zip(smp, got) if invariants(p)]
    ok(len(got) == len(smp) and not bad,
       "fuzz seeds and wazuh samples: %d messages parsed, invariants hold" %
       len(got))
    for n, fields in bad:
        diag("%s: %s" % (n, fields))

    sanitized = bool(os.environ.get("NP_SANITIZERS"))
    files = []
    if sanitized:
        # valgrind cannot run an ASan build: the same files under ASan
        files = sorted(glob.glob(os.path.join(CORPUS, "**", "syslog.msg"),
                                 recursive=True))
        files += sorted(glob.glob(os.path.join(
            CORPUS, "rsyslog", "fuzz-corpus-syslog-message", "*")))
        r = subprocess.run([DRIVER, "-r", RECEIVED] + files,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ok(r.returncode == 0,
           "ASan/UBSan: %d corpus files parsed clean" % len(files))
        if r.returncode:
            diag(r.stderr.decode(errors="replace")[-2000:])
    elif shutil.which("valgrind"):
        files = sorted(glob.glob(os.path.join(CORPUS, "**", "syslog.msg"),
                                 recursive=True))
        files += sorted(glob.glob(os.path.join(
            CORPUS, "rsyslog", "fuzz-corpus-syslog-message", "*")))
        r = subprocess.run(["valgrind", "-q", "--error-exitcode=99",
                            "--leak-check=full", DRIVER, "-r", RECEIVED] +
                           files, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        ok(r.returncode == 0,
           "valgrind: %d corpus files parsed clean" % len(files))
        if r.returncode:
            diag(r.stderr.decode(errors="replace")[-2000:])
    else:
        print("ok %d # SKIP valgrind not installed" % (tap_n + 1))
        globals()["tap_n"] += 1
    print("1..%d" % tap_n)
    return 1 if tap_failed else 0


if __name__ == "__main__":
    sys.exit(main())
