#!/bin/bash
# run.sh TARGET... - run each libFuzzer target for $FUZZ_SECONDS seconds
# (make fuzz-run): seeds from tests/fuzz/corpus/NAME, plus, when
# ../shared/corpus is there, its syslog messages and device configurations
# (configurations behind the platform byte the harness expects). The
# corpus each run grows is kept in $FUZZ_WORK/NAME/corpus for the next
# run; a crash, leak or timeout leaves its input in $FUZZ_WORK/NAME/ and
# fails the run. Prints one line per target and a total.
set -u
: "${FUZZ_SECONDS:=60}" "${FUZZ_WORK:=$PWD/fuzz-work}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED=${NP_SHARED:-$top_srcdir/../shared}/corpus
total=0 failed=0 n=0

# shared_seeds NAME DIR: the shared corpus's inputs for NAME into DIR
shared_seeds() {
	local name=$1 dir=$2 f i=0
	[ -d "$SHARED" ] || return 0
	case $name in
	fuzz_syslog)
		find "$SHARED/syslog" -type f -size -64k 2>/dev/null | head -400 |
			while read -r f; do head -c 4096 "$f" >"$dir/s$((i++))"; done ;;
	fuzz_config|fuzz_acl|fuzz_cfgtree)
		find "$SHARED/configs" -type f -size -256k 2>/dev/null | head -100 |
			while read -r f; do
				{ printf '\000'; [ "$name" = fuzz_cfgtree ] && printf '\200'
				  head -c 30000 "$f"; } >"$dir/c$((i++))"
			done ;;
	esac
}

for t in "$@"; do
	name=$(basename "$t")
	bin=${top_builddir:-.}/$t
	[ -x "$bin" ] || bin=$t
	w=$FUZZ_WORK/$name
	mkdir -p "$w/corpus" "$w/seeds" "$w/old"
	rm -f "$w/seeds"/*
	# what an earlier run found stays, out of this run's way
	for a in "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-*; do
		[ -e "$a" ] && mv "$a" "$w/old/"
	done
	[ -d "$top_srcdir/tests/fuzz/corpus/$name" ] &&
		cp "$top_srcdir/tests/fuzz/corpus/$name"/* "$w/seeds/" 2>/dev/null
	shared_seeds "$name" "$w/seeds"
	dict=
	[ "$name" = fuzz_syslog ] && dict=-dict=$top_srcdir/tests/fuzz/syslog.dict
	(cd "$w" && "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=20 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$w/" $dict corpus seeds) >"$w/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$w/log" | tail -1)
	runs=${runs:-0}
	total=$((total + runs))
	n=$((n + 1))
	found=$(for a in "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-*; do
		[ -e "$a" ] && echo "$a"; done)
	if [ $rc -ne 0 ] || [ -n "$found" ]; then
		failed=$((failed + 1))
		echo "$name: FAILED after $runs runs ($cov): $(echo "$found" | head -3 | tr '\n' ' ')"
		grep -m1 -A12 "ERROR: \|==ERROR\|runtime error" "$w/log" | sed 's/^/    /'
	else
		echo "$name: $runs runs in ${FUZZ_SECONDS} s, ${cov:-cov: ?}, no crash"
	fi
done
echo "fuzz: $n targets, $total executions, $failed failed"
[ $failed -eq 0 ]
