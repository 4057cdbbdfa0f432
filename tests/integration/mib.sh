#!/bin/bash
# mib.sh - NETPATROL-MIB, the MIB of netpatrold's notifications, loads
# cleanly: net-snmp's MIB parser with its warnings on, and libsmi's
# smilint at its strictest level when it is installed (Debian: smitools).
# Any warning about the module fails the test.
. "$(dirname "$0")/lib.sh"
need snmptranslate
MIBDIR=$top_srcdir/mibs
MIB=$MIBDIR/NETPATROL-MIB.txt
[ -f "$MIB" ]
ok $? "mibs/NETPATROL-MIB.txt is there"

# net-snmp: only the project's MIB directory, only this module and what it
# imports. -Pw warns of what it ignores and of conflicts; -PW says more.
# SNMPv2-SMI's own macros are "parsed and ignored" (said under -Pw), and
# -PW finds over-long DESCRIPTION strings in SNMPv2-TC and
# SNMP-FRAMEWORK-MIB: neither is about this module.
tr_() { MIBS= MIBDIRS= snmptranslate -M "$MIBDIR" -m NETPATROL-MIB "$@"; }
for opt in -Pw -PW; do
	tr_ "$opt" -IR -On netpatrolFindingNotification >"$T/out" 2>"$T/err"
	ok $? "snmptranslate $opt loads NETPATROL-MIB"
	grep -v -e 'MACRO (lines [0-9.]* parsed and ignored)\.$' \
		-e '^Warning: string too long (.*/SNMPv2-TC\.txt$' \
		-e '^Warning: string too long (.*/SNMP-FRAMEWORK-MIB\.txt$' \
		"$T/err" >"$T/warn"
	[ ! -s "$T/warn" ]
	ok $? "snmptranslate $opt: no warning ($(head -3 "$T/warn" | tr '\n' ' '))"
done
check "netpatrolFindingNotification is 1.3.6.1.4.1.32473.0.1" \
	grep -qx '.1.3.6.1.4.1.32473.0.1' "$T/out"
check "netpatrolFindingResolved is 1.3.6.1.4.1.32473.0.2" \
	test "$(tr_ -Pw -IR -On netpatrolFindingResolved 2>/dev/null)" = .1.3.6.1.4.1.32473.0.2
# the objects netpatrold sends, at the OIDs it sends them under
i=1
for o in Id Device Key Object Kind Severity State Priority Role Text Change \
	Owner Location Opened Events; do
	got=$(tr_ -IR -On "netpatrolFinding$o" 2>/dev/null)
	[ "$got" = ".1.3.6.1.4.1.32473.1.1.$i" ] || { diag "netpatrolFinding$o is $got"; break; }
	i=$((i + 1))
done
ok $(( i != 16 )) "the 15 finding objects are 1.3.6.1.4.1.32473.1.1.1 to .15"
tr_ -Td -IR netpatrolFindingSeverity >"$T/sev" 2>/dev/null
check "severity is an enumeration info(1) .. critical(5)" \
	grep -q 'INTEGER {info(1), warning(2), minor(3), major(4), critical(5)}' "$T/sev"
# with the system's directories too, as the brief's command has it
snmptranslate -M "+:$MIBDIR" -m +NETPATROL-MIB -Pw -Tp -IR netpatrolFindingNotification \
	>"$T/tp" 2>"$T/err"
check "snmptranslate -M +:mibs -m +NETPATROL-MIB -Tp names the notification" \
	grep -q 'netpatrolFindingNotification(1)' "$T/tp"
# (net-snmp may print its search path, which names the checkout's folder)
! grep NETPATROL-MIB "$T/err"
ok $? "... and says nothing about NETPATROL-MIB on stderr"

if command -v smilint >/dev/null 2>&1; then
	SMIPATH=$MIBDIR smilint -l 6 -s "$MIB" >"$T/smi" 2>&1
	[ ! -s "$T/smi" ]
	ok $? "smilint -l 6: no error or warning ($(head -3 "$T/smi" | tr '\n' ' '))"
else
	skip "smilint is not installed (Debian: smitools)"
fi
done_testing
