#!/bin/sh
# gen-switch.sh - print a synthetic switch recording in snmpsim format.
#
#	gen-switch.sh [-p PORTS] [-n SYSNAME] > switch.snmprec
#
# System group (sysUpTime ticking, 67:numeric rate=100), ifNumber,
# IF-MIB ifTable and ifXTable for PORTS ports (default 48) named
# GigabitEthernet1/0/N, and ifTableLastChange.  Most ports are up and
# carry traffic: their octet and packet counters use the snmpsim numeric
# variation (rate= per second), with the same initial value and rate for
# the 32-bit and 64-bit counter of a pair so ifInOctets is always the low
# half of ifHCInOctets.  Every 12th port is down (every 24th also
# administratively down), with frozen counters.  Rates stay well under
# line rate (1 Gbit/s = 125000000 octets/s) even at +5% (snmpfast varies
# counter rates by +-5% per device).
#
# Output is sorted by OID, sub-identifier by sub-identifier, as snmpsim
# requires.  Only awk and sort are needed.
set -eu

ports=48
sysname=sw1
while getopts p:n: opt; do
	case $opt in
	p) ports=$OPTARG ;;
	n) sysname=$OPTARG ;;
	*) echo "usage: gen-switch.sh [-p ports] [-n sysname]" >&2; exit 2 ;;
	esac
done
case $ports in
''|*[!0-9]*) echo "gen-switch.sh: -p wants a number" >&2; exit 2 ;;
esac
if [ "$ports" -lt 1 ] || [ "$ports" -gt 4096 ]; then
	echo "gen-switch.sh: -p: 1..4096" >&2
	exit 2
fi

awk -v ports="$ports" -v sysname="$sysname" '
function rec(oid, tag, value) {
	print oid "|" tag "|" value
}
# A counter: moving when the port is up, frozen when it is down.
function ctr(oid, tag, initial, rate) {
	if (up && rate > 0)
		rec(oid, tag ":numeric", "initial=" initial ",rate=" rate)
	else
		rec(oid, tag, initial)
}
BEGIN {
	sys = "1.3.6.1.2.1.1"
	rec(sys ".1.0", 4, "Synthetic " ports "-port Gigabit switch (netpatrol bench), IOS-like 15.2(7)E")
	rec(sys ".2.0", 6, "1.3.6.1.4.1.9.1.1208")
	rec(sys ".3.0", "67:numeric", "initial=360000,rate=100")
	rec(sys ".4.0", 4, "noc@example.net")
	rec(sys ".5.0", 4, sysname)
	rec(sys ".6.0", 4, "DC1 row 3 rack 7")
	rec(sys ".7.0", 2, 2)
	rec(sys ".8.0", 67, 0)
	rec("1.3.6.1.2.1.2.1.0", 2, ports)
	rec("1.3.6.1.2.1.31.1.5.0", 67, 0)

	it = "1.3.6.1.2.1.2.2.1"
	ix = "1.3.6.1.2.1.31.1.1.1"
	for (p = 1; p <= ports; p++) {
		admin = (p % 24 == 0) ? 2 : 1
		up = (p % 12 != 0)
		name = "GigabitEthernet1/0/" p
		# traffic in octets/s: port 1 is the busy uplink
		inr = (p == 1) ? 50000000 : 10000 * (1 + (p * 37) % 97)
		outr = (p == 1) ? 20000000 : 8000 * (1 + (p * 53) % 89)
		base = p * 1234567

		rec(it ".1." p, 2, p)
		rec(it ".2." p, 4, name)
		rec(it ".3." p, 2, 6)
		rec(it ".4." p, 2, 1500)
		rec(it ".5." p, 66, 1000000000)
		rec(it ".6." p, "4x", sprintf("001a2b3c%02x%02x", int(p / 256), p % 256))
		rec(it ".7." p, 2, admin)
		rec(it ".8." p, 2, up ? 1 : 2)
		rec(it ".9." p, 67, up ? 100 : 250000 + p)
		ctr(it ".10." p, 65, base, inr)
		ctr(it ".11." p, 65, int(base / 800), int(inr / 800))
		ctr(it ".12." p, 65, int(base / 40000), int(inr / 40000) + 1)
		ctr(it ".13." p, 65, p * 3, (p % 5 == 0) ? 0.05 : 0)
		ctr(it ".14." p, 65, p % 7, (p % 7 == 0) ? 0.01 : 0)
		rec(it ".15." p, 65, 0)
		ctr(it ".16." p, 65, base * 2, outr)
		ctr(it ".17." p, 65, int(base * 2 / 700), int(outr / 700))
		ctr(it ".18." p, 65, int(base / 50000), int(outr / 50000) + 1)
		ctr(it ".19." p, 65, p * 2, (p % 6 == 0) ? 0.02 : 0)
		rec(it ".20." p, 65, 0)
		rec(it ".21." p, 66, 0)
		rec(it ".22." p, 6, "0.0")

		rec(ix ".1." p, 4, name)
		ctr(ix ".2." p, 65, int(base / 40000), int(inr / 40000) + 1)
		ctr(ix ".3." p, 65, int(base / 100000), int(inr / 100000) + 1)
		ctr(ix ".4." p, 65, int(base / 50000), int(outr / 50000) + 1)
		ctr(ix ".5." p, 65, int(base / 120000), int(outr / 120000) + 1)
		ctr(ix ".6." p, 70, base, inr)
		ctr(ix ".7." p, 70, int(base / 800), int(inr / 800))
		ctr(ix ".8." p, 70, int(base / 40000), int(inr / 40000) + 1)
		ctr(ix ".9." p, 70, int(base / 100000), int(inr / 100000) + 1)
		ctr(ix ".10." p, 70, base * 2, outr)
		ctr(ix ".11." p, 70, int(base * 2 / 700), int(outr / 700))
		ctr(ix ".12." p, 70, int(base / 50000), int(outr / 50000) + 1)
		ctr(ix ".13." p, 70, int(base / 120000), int(outr / 120000) + 1)
		rec(ix ".14." p, 2, 1)
		rec(ix ".15." p, 66, 1000)
		rec(ix ".16." p, 2, 2)
		rec(ix ".17." p, 2, 1)
		rec(ix ".18." p, 4, (p == 1) ? "uplink to core1 Te1/1/1" : up ? "access port " p : "")
		rec(ix ".19." p, 67, 0)
	}
}' |
# Sort numerically sub-identifier by sub-identifier: prefix each line
# with its OID, every arc zero-padded to 10 digits, sort bytewise, cut.
awk -F'|' '{
	n = split($1, a, ".")
	k = ""
	for (i = 1; i <= n; i++)
		k = k sprintf("%010d.", a[i])
	print k "\t" $0
}' | LC_ALL=C sort | cut -f2-
