# lib.sh - helpers for the integration tests: TAP output, a private
# directory, real peers (snmpd, snmpsim) on loopback high ports, the daemon,
# and waiting for conditions with a generous bound (never a fixed sleep).
#
# Everything here talks to 127.0.0.0/8 only.

set -u
# Debian's python3 first: one found earlier on PATH may be a version
# manager's shim (pyenv's is a bash script that takes 0.3 s of CPU a start,
# 8x Debian's python3): with a python3 in most checks it was half the
# suite's CPU and doubled CI's length
[ -x /usr/bin/python3 ] && case ":$PATH:" in
	:/usr/bin:*) ;;
	*) PATH=/usr/bin:$PATH ;;
esac
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
NETPATROLD=$top_builddir/netpatrold
NETPATROL=$top_builddir/netpatrol
SHARED=${NP_SHARED:-$top_srcdir/../shared}

tap_n=0
tap_failed=0
PIDS=""
T=$(mktemp -d "${NP_TMPDIR:-${TMPDIR:-/tmp}}/np-it.XXXXXX")
chmod 755 "$T"
# net-snmp's tools (snmptrap, snmpinform, snmptranslate) keep their state
# (engine boots, engine IDs) in the test's own directory, not in
# /var/lib/snmp where tests running side by side would share and race on it
export SNMP_PERSISTENT_DIR="$T/snmp-persist"
mkdir -p "$SNMP_PERSISTENT_DIR/cert_indexes"

# A sanitizer build (configure --enable-sanitizers): every instrumented
# process this test starts (the daemon, the CLI) writes its reports under
# $T/san, which done_testing checks; the daemon may run as another user.
# A test that runs again inside pg_virtualenv (in_pg_virtualenv) sources
# this file twice: the options are made from the caller's own (kept in
# NP_*_BASE the first time), else the first, removed, directory's log_path
# and suppressions would win (the last of an option wins): the reports
# went nowhere, and LeakSanitizer, its suppressions missing, failed the
# process with exit 1.
if [ -n "${NP_SANITIZERS:-}" ]; then
	export NP_ASAN_BASE="${NP_ASAN_BASE-${ASAN_OPTIONS:-}}"
	export NP_LSAN_BASE="${NP_LSAN_BASE-${LSAN_OPTIONS:-}}"
	export NP_UBSAN_BASE="${NP_UBSAN_BASE-${UBSAN_OPTIONS:-}}"
	mkdir -p "$T/san"
	chmod 1777 "$T/san"
	export ASAN_OPTIONS="log_path=$T/san/asan:detect_leaks=1:abort_on_error=0${NP_ASAN_BASE:+:$NP_ASAN_BASE}"
	# a copy beside the reports: the daemon's children start under its
	# Landlock sandbox, which lets them read $T (under /tmp), not the tree
	cp "$top_srcdir/tests/lsan.supp" "$T/lsan.supp"
	chmod 644 "$T/lsan.supp"
	export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${NP_LSAN_BASE:+:$NP_LSAN_BASE}"
	export UBSAN_OPTIONS="log_path=$T/san/ubsan:print_stacktrace=1${NP_UBSAN_BASE:+:$NP_UBSAN_BASE}"
fi

ok() {  # ok CONDITION-RESULT(0/1) DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {  # check DESCRIPTION COMMAND...: ok if the command succeeds
	local d=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then ok 0 "$d"; else
		ok 1 "$d"
		tail -4 "$T/check.out" | sed 's/^/#   /'
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

diag() { echo "# $*"; }

# in_pg_virtualenv "$@" (first thing after sourcing this file): the test
# runs again inside a throwaway PostgreSQL cluster of its own (Debian's
# pg_virtualenv; -t: a temporary directory, on a free port, so that two
# such tests may run at once), with PGHOST, PGPORT, PGUSER, PGPASSWORD
# set; skipped without pg_virtualenv or root.
in_pg_virtualenv() {
	[ -n "${NP_PGVENV:-}" ] && return 0
	command -v pg_virtualenv >/dev/null 2>&1 && [ "$(id -u)" = 0 ] ||
		skip_all "no pg_virtualenv (Debian's postgresql), or not root"
	rm -rf "$T"
	trap - EXIT
	NP_PGVENV=1 PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
		exec pg_virtualenv -t bash "$0" "$@" 2>&1
}

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	if [ "${NP_KEEP:-}" = "" ]; then rm -rf "$T"; else echo "# kept $T"; fi
}
trap cleanup EXIT

sanitizer_check() {
	local f n=0
	[ -d "$T/san" ] || return 0
	for f in "$T"/san/*; do
		[ -s "$f" ] || continue
		n=$((n + 1))
		sed -n '1,40s/^/#   /p' "$f"
	done
	ok $((n > 0)) "no sanitizer reports ($n)"
}

done_testing() {
	sanitizer_check
	echo "# $(basename "$0") ran ${SECONDS} s"
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# wait_for SECONDS COMMAND...: poll the condition every 0.2 s, up to the bound.
wait_for() {
	local limit=$1 i=0
	shift
	while [ $i -lt $((limit * 5)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# A free UDP/TCP port on loopback.
free_port() {
	python3 -c 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0))
t=socket.socket(); 
try:
  t.bind(("127.0.0.1", s.getsockname()[1])); print(s.getsockname()[1])
except OSError:
  print(0)'
}

port_pick() {
	local p=0
	while [ "$p" = 0 ]; do p=$(free_port); done
	echo "$p"
}

need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
	done
}

# start_snmpd NAME PORT [EXTRA-CONF-LINES]: real net-snmp snmpd on 127.0.0.1:PORT
start_snmpd() {
	local name=$1 port=$2 extra=${3:-}
	mkdir -p "$T/$name"
	cat >"$T/$name/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:$port
rocommunity public 127.0.0.1
createUser npv3 SHA "authpass123" AES "privpass123"
rouser npv3 priv
$extra
EOC
	MIBS= SNMP_PERSISTENT_DIR=$T/$name /usr/sbin/snmpd -f -Lf "$T/$name/snmpd.log" \
		-C -c "$T/$name/snmpd.conf" -I -smux,mteTrigger,mteTriggerConf \
		-p "$T/$name/snmpd.pid" &
	local pid=$!
	PIDS="$PIDS $pid"
	eval "SNMPD_PID_$name=$pid"
	wait_for 20 snmpget -v2c -c public -t 0.5 -r 0 "127.0.0.1:$port" 1.3.6.1.2.1.1.3.0
}

# start_snmpsim DATADIR PORT [ADDRESS...]: Debian's snmpsimd serving DATADIR
start_snmpsim() {
	local data=$1 port=$2 ep="" a
	shift 2
	for a in "${@:-127.0.0.1}"; do ep="$ep --agent-udpv4-endpoint=$a:$port"; done
	mkdir -p "$T/simcache"
	chmod -R a+rX "$data" "$T/simcache"
	chown nobody:nogroup "$T/simcache" 2>/dev/null
	# shellcheck disable=SC2086
	snmpsimd --data-dir="$data" --cache-dir="$T/simcache" $ep \
		--process-user=nobody --process-group=nogroup \
		--logging-method=file:"$T/snmpsim.log" >/dev/null 2>&1 &
	SNMPSIM_PID=$!
	PIDS="$PIDS $SNMPSIM_PID"
}

# start_daemon CONF: netpatrold in the foreground, logging to $T/daemon.log
start_daemon() {
	# NP_TEST_STORE=postgresql (tests/pg-mode.sh): the store in the
	# throwaway PostgreSQL cluster the test runs in
	if [ "${NP_TEST_STORE:-}" = postgresql ] && ! grep -q '^store postgresql' "$1"; then
		echo "store postgresql \"host=$PGHOST port=$PGPORT user=$PGUSER password=$PGPASSWORD dbname=${PGDATABASE:-postgres}\"" >>"$1"
	fi
	# NP_VALGRIND=1 runs the daemon under valgrind (errors fail the test run)
	if [ -n "${NP_VALGRIND:-}" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full --log-file="$T/valgrind.%p" \
			"$NETPATROLD" -d -v -f "$1" >>"$T/daemon.log" 2>&1 &
	else
		"$NETPATROLD" -d -v -f "$1" >>"$T/daemon.log" 2>&1 &
	fi
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
	wait_for 20 "$NETPATROL" -f "$1" status
}

stop_pid() {  # stop_pid PID: SIGTERM, wait for it to exit; its exit status
	local rc
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	rc=$?
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
	return $rc
}

# jq-less JSON checks through python3
json() {  # json FILE-OR-- PYTHON-EXPR (with j bound to the document)
	python3 -c "import json,sys
j=json.load(open(sys.argv[1]) if sys.argv[1] != '-' else sys.stdin)
r=eval(sys.argv[2])
if isinstance(r, bool): sys.exit(0 if r else 1)
print(r)" "$@"
}

# polls_at_least CONF DEVICE N: the daemon has polled DEVICE N times
polls_at_least() {
	"$NETPATROL" -f "$1" status --json | json - \
		"[d for d in j['devices'] if d['name']=='$2'][0]['polls'] >= $3"
}

sq() {  # sq DB SQL: one query through the real sqlite3 client
	# (NP_TEST_STORE=postgresql: the store's through psql, rows as sqlite3
	# prints them)
	case "${NP_TEST_STORE:-}:$1" in
	postgresql:*/netpatrol.db | postgresql:*/syslog.db)
		psql -X -q -At -F '|' -c "$2" ;;
	*) sqlite3 -batch -noheader "$1" "$2" ;;
	esac
}
