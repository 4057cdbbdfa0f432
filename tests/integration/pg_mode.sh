#!/bin/bash
# pg_mode.sh - other integration tests again, with the store in PostgreSQL
# (store postgresql "CONNINFO"): each in a database of its own in one
# throwaway cluster (pg_virtualenv), its TAP lines given as this test's,
# named after it. The list is PG_MODE_TESTS (or the arguments).
#
# In the plain build only: whole suites again under the sanitizers doubled
# CI's length (50 min). There store_pg.sh, cluster_forward.sh, test_dbpg
# and fuzz_dbpg check the PostgreSQL code; NP_PG_MODE_SANITIZERS=1 runs
# these too (make check TESTS=... in build-asan).
. "$(dirname "$0")/lib.sh"
[ -n "${NP_SANITIZERS:-}" ] && [ -z "${NP_PG_MODE_SANITIZERS:-}" ] &&
	skip_all "whole suites against PostgreSQL: in the plain build only (NP_PG_MODE_SANITIZERS=1 runs them here)"
in_pg_virtualenv "$@"
need psql createdb

TESTS=${*:-${PG_MODE_TESTS:-findings.sh syslog.sh traps.sh poll_snmpd.sh}}
for t in $TESTS; do
	db=np_$(echo "${t%.sh}" | tr -c 'a-z0-9_\n' '_')
	if ! createdb "$db" 2>"$T/createdb.err"; then
		ok 1 "$t: createdb $db ($(head -1 "$T/createdb.err"))"
		continue
	fi
	PGDATABASE=$db NP_TEST_STORE=postgresql bash "$(dirname "$0")/$t" \
		>"$T/$db.out" 2>&1
	rc=$?
	n=0
	while IFS= read -r line; do
		case $line in
		"ok "*" # SKIP"*) n=$((n + 1)); skip "$t: ${line#ok * # SKIP }" ;;
		"ok "*) n=$((n + 1)); ok 0 "$t: $(echo "$line" | sed 's/^ok [0-9]* - //')" ;;
		"not ok "*) n=$((n + 1)); ok 1 "$t: $(echo "$line" | sed 's/^not ok [0-9]* - //')" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/$db.out"
	if [ $rc != 0 ] || [ $n = 0 ]; then
		ok 1 "$t: exit status $rc, $n tests"
		tail -20 "$T/$db.out" | sed 's/^/#   /'
	fi
done
done_testing
