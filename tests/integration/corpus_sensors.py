#!/usr/bin/env python3
"""corpus_sensors.py - compare what netpatrol found on one recording of the
shared corpus with what LibreNMS found on it.

usage: corpus_sensors.py NAME.sensors.tsv|- NAME.json NAME.snmprec SENSORS.json

 * sensors (expected-simple/NAME.sensors.tsv) of the MIBs netpatrol reads,
   by the OID the value is read from: same class, same value (a state
   sensor's value is the device's raw code, as LibreNMS's);
 * CISCO-ENTITY-SENSOR-MIB critical thresholds: netpatrol's crit_high and
   crit_low are the tightest major/critical rows of the recording's
   entSensorThresholdTable (checked against the recording itself), and
   equal LibreNMS's limit_high/limit_low where LibreNMS took them from one
   such row. Where the recording has several major/critical rows on a side,
   LibreNMS keeps the last row and netpatrol the tightest: these are
   counted and listed, not hidden;
 * processors and memory (expected/NAME.json) read from HOST-RESOURCES-MIB
   hrProcessorLoad and JUNIPER-MIB jnxOperatingCPU/jnxOperatingBuffer.

Prints the differences and a last line "N sensors, D differences, ..."; exits
1 on any difference.
"""
import csv
import json
import sys

# OIDs netpatrol reads a value from (sensor tables of the MIBs it knows)
PREFIXES = [
    '1.3.6.1.2.1.99.1.1.1.4',            # ENTITY-SENSOR entPhySensorValue
    '1.3.6.1.4.1.9.9.91.1.1.1.1.4',      # CISCO-ENTITY-SENSOR entSensorValue
    '1.3.6.1.4.1.9.9.13.1.3.1.3',        # CISCO-ENVMON temperature
    '1.3.6.1.4.1.9.9.13.1.4.1.3',        # fan state
    '1.3.6.1.4.1.9.9.13.1.5.1.3',        # power supply state
    '1.3.6.1.4.1.9.9.13.1.2.1.3',        # voltage
    '1.3.6.1.4.1.2636.3.1.13.1.7',       # JUNIPER-MIB jnxOperatingTemp
    '1.3.6.1.4.1.2636.3.1.15.1.8',       # jnxFruState
    '1.3.6.1.4.1.2636.3.4.2.2.1',        # jnxYellowAlarmState
    '1.3.6.1.4.1.2636.3.4.2.3.1',        # jnxRedAlarmState
    '1.3.6.1.4.1.2636.3.60.1.1.1.1.5',   # JUNIPER-DOM-MIB rx power
    '1.3.6.1.4.1.2636.3.60.1.1.1.1.6',   # bias
    '1.3.6.1.4.1.2636.3.60.1.1.1.1.7',   # tx power
    '1.3.6.1.4.1.2636.3.60.1.1.1.1.8',   # module temperature
    '1.3.6.1.4.1.11.2.14.11.1.2.6.1.4',  # HP-ICF-CHASSIS hpicfSensorStatus
    '1.3.6.1.4.1.11.2.14.11.5.1.54.2.1.1.4',  # HP-ICF-FAN hpicfFanState
    '1.3.6.1.4.1.11.2.14.11.5.1.55.1.1.1.2',  # HP-ICF-POWER-SUPPLY state
    '1.3.6.1.4.1.11.2.14.11.5.1.55.1.1.1.4',  # temperature
    '1.3.6.1.4.1.11.2.14.11.5.1.55.1.1.1.6',  # wattage
] + ['1.3.6.1.4.1.11.2.14.11.5.1.82.1.1.1.1.%d' % c  # HP transceivers
     for c in range(11, 16)] + [
    '1.3.6.1.4.1.14988.1.1.3.100.1.3',   # MIKROTIK-MIB mtxrGaugeValue
] + ['1.3.6.1.4.1.14988.1.1.19.1.1.%d' % c  # mtxrOpticalTable
     for c in (3, 4, 6, 7, 8, 9, 10)] + [
    '1.3.6.1.4.1.2021.13.16.2.1.3',      # LM-SENSORS lmTempSensorsValue
    '1.3.6.1.4.1.2021.13.16.3.1.3',      # lmFanSensorsValue
]
# Not compared: LibreNMS's separate state sensors for ENTITY-SENSOR-MIB's
# entPhySensorOperStatus (.99.1.1.1.5): netpatrol folds that status into the
# state of the value's own sensor.

CET = '1.3.6.1.4.1.9.9.91.1.'
# EntitySensorDataScale -> power of ten (RFC 3433, as sensor.c)
SCALE_EXP = {1: -24, 2: -21, 3: -18, 4: -15, 5: -12, 6: -9, 7: -6, 8: -3,
             9: 0, 10: 3, 11: 6, 12: 9, 13: 12, 14: 15, 15: 18, 16: 21, 17: 24}


def snmprec(path):
    d = {}
    for line in open(path):
        o, _t, v = line.rstrip('\n').split('|', 2)
        d[o] = v
    return d


def near(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol


def main():
    tsv, expected, rec, mine = sys.argv[1:5]
    got = json.load(open(mine))
    by_oid = {x['oid']: x for x in got}
    pre = tuple('.' + p + '.' for p in PREFIXES)
    exp = []
    if tsv != '-':
        exp = [e for e in csv.DictReader(open(tsv), delimiter='\t')
               if e['oid'].startswith(pre)]
    bad, notes = [], []
    for e in exp:
        x = by_oid.get(e['oid'])
        if x is None:
            bad.append(f"{e['oid']} {e['descr']}: missing")
            continue
        if x['class'] != e['class']:
            bad.append(f"{e['oid']} class: netpatrol {x['class']}, "
                       f"LibreNMS {e['class']}")
        v = float(e['value'])
        # LibreNMS rounds what it computes (dBm) to the decimals it prints
        dec = len(e['value'].split('.')[1]) if '.' in e['value'] else 0
        tol = max(1e-6 * max(1, abs(v)),
                  0.5 * 10 ** -dec if x['class'] == 'dbm' else 0)
        if not near(x['value'], v, tol):
            bad.append(f"{e['oid']} value: netpatrol {x['value']}, "
                       f"LibreNMS {v}")

    # CISCO-ENTITY-SENSOR-MIB thresholds
    thr_n = thr_same = 0
    by_design = []
    d = snmprec(rec)
    rows = {}
    for o, v in d.items():
        if o.startswith(CET + '2.1.1.'):
            col, idx, ti = o[len(CET + '2.1.1.'):].split('.')
            rows.setdefault(int(idx), {}).setdefault(int(ti), {})[
                int(col)] = int(v)
    for e in exp:
        if not e['oid'].startswith('.' + CET + '1.1.1.4.'):
            continue
        x = by_oid.get(e['oid'])
        if x is None or x['class'] == 'state':
            continue
        idx = int(e['oid'].rsplit('.', 1)[1])
        scale = int(d.get(CET + '1.1.1.2.%d' % idx, 9))
        prec = int(d.get(CET + '1.1.1.3.%d' % idx, 0))
        if x['class'] != 'dbm' or int(d.get(CET + '1.1.1.1.%d' % idx, 0)) \
                == 14:
            factor = 10.0 ** (SCALE_EXP.get(scale, 0) - prec)
        else:
            continue    # watts shown as dBm: not a linear scale
        t = [rows[idx][k] for k in sorted(rows.get(idx, {}))]
        for side, rel, mine_k, theirs_k, tight in (
                ('high', (3, 4), 'crit_high', 'limit_high', min),
                ('low', (1, 2), 'crit_low', 'limit_low', max)):
            vals = [r[4] for r in t if r.get(2) in (20, 30) and
                    r.get(3) in rel and r.get(4) is not None and
                    r[4] != -32768]
            if not vals:
                continue    # LibreNMS's limit, if any, is not the device's
            thr_n += 1
            want = tight(vals) * factor
            ours = x[mine_k]
            tol = 1e-6 * max(1, abs(want))
            if not near(ours, want, tol):
                bad.append(f"{e['oid']} {mine_k}: netpatrol {ours}, the "
                           f"recording's tightest major/critical {want}")
                continue
            theirs = float(e[theirs_k]) if e[theirs_k] != '' else None
            if near(ours, theirs, tol):
                thr_same += 1
            elif len(set(vals)) > 1 and near(theirs, vals[-1] * factor, tol):
                by_design.append(f"{e['oid']} {e['descr']} {side}: "
                                 f"netpatrol {ours} (tightest of "
                                 f"{[v * factor for v in vals]}), LibreNMS "
                                 f"{theirs} (last row)")
            else:
                bad.append(f"{e['oid']} {theirs_k}: netpatrol {ours}, "
                           f"LibreNMS {theirs}")

    # processors and memory
    pm = 0
    j = json.load(open(expected))
    procs = (j.get('processors') or {}).get('discovery', {}).get(
        'processors', [])
    for p in procs:
        o = p.get('processor_oid') or ''
        if not o.startswith(('.1.3.6.1.2.1.25.3.3.1.2.',
                             '.1.3.6.1.4.1.2636.3.1.13.1.8.')):
            continue
        pm += 1
        x = by_oid.get(o)
        if x is None or not near(x['value'], p['processor_usage'], 1e-9):
            bad.append(f"processor {o} {p['processor_descr']}: netpatrol "
                       f"{x and x['value']}, LibreNMS "
                       f"{p['processor_usage']}")
    pools = (j.get('mempools') or {}).get('discovery', {}).get(
        'mempools', [])
    for p in pools:
        o = p.get('mempool_perc_oid') or ''
        if not o.startswith('.1.3.6.1.4.1.2636.3.1.13.1.11.'):
            continue
        pm += 1
        x = by_oid.get(o)
        if x is None or not near(x['value'], p['mempool_perc'], 1e-9):
            bad.append(f"memory {o} {p['mempool_descr']}: netpatrol "
                       f"{x and x['value']}, LibreNMS {p['mempool_perc']}")

    for b in bad[:15]:
        print(b)
    for n in by_design[:5]:
        print('# by design: ' + n)
    if len(by_design) > 5:
        print(f'# by design: ... and {len(by_design) - 5} more')
    print(f"{len(exp)} sensors, {len(bad)} differences; "
          f"{thr_n} device thresholds ({thr_same} as LibreNMS, "
          f"{len(by_design)} tightest where LibreNMS keeps the last row); "
          f"{pm} processors/memory")
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
