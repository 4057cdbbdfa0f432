#!/bin/sh
# snmpfast-check.sh - check snmpfast against net-snmp's client tools.
#
#	snmpfast-check.sh [PATH/TO/snmpfast] [PORT]
#
# Generates the 48-port recording with gen-switch.sh, serves it on
# 127.1.0.1-127.1.0.3, and checks: full v2c GetBulk and GetNext walks and
# a v1 walk return every OID of the recording in order (v1 without
# Counter64) and end at endOfMibView / noSuchName; ifInOctets is the low
# half of ifHCInOctets; counters advance; devices differ; the protocol
# edge cases of snmpfast-edge.py (when pysnmp is installed); SIGTERM
# exits 0, prints the counters and removes the pid file.
# Everything stays on 127.0.0.0/8.
set -u

here=$(cd "$(dirname "$0")" && pwd)
snmpfast=${1:-$here/snmpfast}
port=${2:-16100}
tmp=$(mktemp -d)
pid=
fails=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

export MIBS='' MIBDIRS=/nonexistent SNMP_PERSISTENT_DIR="$tmp/snmp"

"$here/gen-switch.sh" > "$tmp/sw.snmprec" || exit 1
"$snmpfast" -f "$tmp/sw.snmprec" -n 3 -b 127.1.0.1 -p "$port" \
    -P "$tmp/pid" > "$tmp/out" 2> "$tmp/err" &
pid=$!
i=0
until grep -q '^ready$' "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		cat "$tmp/err"
		echo "FAIL snmpfast did not start"
		exit 1
	fi
	sleep 0.1
done

a1=127.1.0.1:$port
cut -d'|' -f1 "$tmp/sw.snmprec" | sed 's/^/./' > "$tmp/oids"
last=$(tail -1 "$tmp/oids")

# v2c GetBulk walk of everything, 25 repetitions
snmpbulkwalk -v2c -c public -On -Cr25 "$a1" .1 > "$tmp/bw" 2>> "$tmp/stderr"
if awk '{print $1}' "$tmp/bw" | sed '$d' | cmp -s - "$tmp/oids" &&
    tail -1 "$tmp/bw" | grep -q "^$last = No more variables left"; then
	ok "snmpbulkwalk v2c: $(wc -l < "$tmp/oids") OIDs in order, endOfMibView"
else
	fail "snmpbulkwalk v2c"
fi

# v2c GetNext walk, on the second device
snmpwalk -v2c -c public -On 127.1.0.2:"$port" .1 > "$tmp/w2" 2>> "$tmp/stderr"
if awk '{print $1}' "$tmp/w2" | sed '$d' | cmp -s - "$tmp/oids" &&
    tail -1 "$tmp/w2" | grep -q "No more variables left"; then
	ok "snmpwalk v2c: every OID in order, endOfMibView"
else
	fail "snmpwalk v2c"
fi

# v1 GetNext walk: Counter64 objects are skipped (RFC 3584)
awk -F'|' '$2 !~ /^70/ { print "." $1 }' "$tmp/sw.snmprec" > "$tmp/oids1"
snmpwalk -v1 -c public -On 127.1.0.3:"$port" .1 > "$tmp/w1" 2>> "$tmp/stderr"
if grep -v '^End of MIB' "$tmp/w1" | awk '{print $1}' |
    cmp -s - "$tmp/oids1" && grep -q '^End of MIB' "$tmp/w1"; then
	ok "snmpwalk v1: every non-Counter64 OID in order, End of MIB"
else
	fail "snmpwalk v1"
fi

# the ifTable alone, as in the benchmark
n=$(snmpbulkwalk -v2c -c public -On -Cr25 "$a1" 1.3.6.1.2.1.2.2 | wc -l)
if [ "$n" -eq "$(grep -c '^\.1\.3\.6\.1\.2\.1\.2\.2\.' "$tmp/oids")" ]; then
	ok "snmpbulkwalk ifTable: $n varbinds"
else
	fail "snmpbulkwalk ifTable: $n varbinds"
fi

# one response, one instant: Counter32 == Counter64 mod 2^32
# shellcheck disable=SC2046 # two words wanted
set -- $(snmpget -v2c -c public -On -Oqv "$a1" 1.3.6.1.2.1.2.2.1.10.1 \
    1.3.6.1.2.1.31.1.1.1.6.1)
if [ $# -eq 2 ] && [ "$1" = "$(echo "$2 % 4294967296" | bc)" ]; then
	ok "ifInOctets.1 $1 = ifHCInOctets.1 $2 mod 2^32"
else
	fail "ifInOctets/ifHCInOctets: $*"
fi

# counters and sysUpTime advance
u1=$(snmpget -v2c -c public -On -Oqvt "$a1" 1.3.6.1.2.1.1.3.0)
c1=$(snmpget -v2c -c public -On -Oqv "$a1" 1.3.6.1.2.1.31.1.1.1.6.2)
sleep 1.1
u2=$(snmpget -v2c -c public -On -Oqvt "$a1" 1.3.6.1.2.1.1.3.0)
c2=$(snmpget -v2c -c public -On -Oqv "$a1" 1.3.6.1.2.1.31.1.1.1.6.2)
if [ "$u2" -ge $((u1 + 100)) ] && [ "$c2" -gt "$c1" ]; then
	ok "sysUpTime $u1 -> $u2, ifHCInOctets.2 $c1 -> $c2"
else
	fail "values do not advance: $u1 $u2 $c1 $c2"
fi

# devices differ
d1=$(snmpget -v2c -c public -On -Oqv "$a1" 1.3.6.1.2.1.31.1.1.1.6.2)
d2=$(snmpget -v2c -c public -On -Oqv 127.1.0.2:"$port" 1.3.6.1.2.1.31.1.1.1.6.2)
if [ "$d1" != "$d2" ]; then
	ok "devices differ: $d1 vs $d2"
else
	fail "devices identical: $d1"
fi

# get exceptions
snmpget -v2c -c public -On "$a1" 1.3.6.1.2.1.2.2.1.10.99 1.3.6.1.9.9 \
    > "$tmp/g" 2>&1
if grep -q 'No Such Instance' "$tmp/g" && grep -q 'No Such Object' "$tmp/g"
then
	ok "get: noSuchInstance, noSuchObject"
else
	fail "get exceptions"
fi
if snmpget -v1 -c public -On "$a1" 1.3.6.1.2.1.1.5.0 1.3.6.1.9.9 2>&1 |
    grep -q 'Failed object: .1.3.6.1.9.9'; then
	ok "get v1: noSuchName on the second varbind"
else
	fail "get v1 noSuchName"
fi

if /usr/bin/python3 -c 'import pysnmp' 2>/dev/null; then
	if /usr/bin/python3 "$here/snmpfast-edge.py" "$port" 127.1.0.1 \
	    > "$tmp/edge" 2>&1; then
		ok "snmpfast-edge.py: $(grep -c '^ok' "$tmp/edge") cases"
	else
		grep -v '^ok' "$tmp/edge"
		fail "snmpfast-edge.py"
	fi
else
	echo "skip snmpfast-edge.py (no pysnmp)"
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
if [ $rc -eq 0 ] && grep -q '^snmpfast: requests' "$tmp/err" &&
    [ ! -e "$tmp/pid" ]; then
	ok "SIGTERM: exit 0, counters printed, pid file removed"
else
	fail "SIGTERM: rc $rc"
fi
grep '^snmpfast: requests' "$tmp/err"

[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
[ $fails -eq 0 ]
