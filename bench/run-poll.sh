#!/bin/sh
# run-poll.sh - poll benchmark: netpatrold against collectd's snmp plugin
# (CSV and RRD writers) on the same simulated switches. See bench/README.md.
#
#	bench/run-poll.sh [-n DEVICES] [-c CYCLES] [-i INTERVAL] [options]
#
#	-n DEVICES   simulated 48-port switches (default 1000)
#	-c CYCLES    poll cycles measured per client (default 3)
#	-i INTERVAL  poll interval, seconds (default 30)
#	-R DEVICES   devices for the collectd+rrdtool run (default 100, at most -n:
#	             collectd's default RRD layout is about 100 MB per switch)
#	-m N         netpatrold max-inflight (default: the daemon's, 256)
#	-r N         netpatrold max-repetitions (default: the daemon's, 10)
#	-T SECONDS   SNMP timeout for both clients (default 2; retries 1)
#	-p PORT      UDP port of the simulated agents (default: a free one)
#	-x PHASES    comma list of netpatrold,csv,rrdtool (default all three)
#	-w DIR       where the work folder is made (default /tmp)
#	-o FILE      append the results there (default bench/RESULTS.md; - for none)
#	-F           fresh state only: no cold run first, the measured cycles
#	             start on an empty state dir (RRD files created in cycle 1)
#	-Z           netpatrold with `rrd off`: no RRD files (the 10,000-switch
#	             run: its files would take ~600 GB); the RRD writer's cost
#	             is measured by the runs with files
#	-k           keep the RRD files, CSV files and store after the run
#	-P           profile netpatrold's measured run with perf (per thread)
#
# Environment: NETPATROLD and NETPATROL (binaries to use instead of building),
# NP_BUILD (out-of-tree build folder, default /tmp/netpatrol-bench-build).
#
# Builds snmpfast and netpatrold, installs collectd-core if it is missing
# (and stops any collectd service the package starts), then runs
# bench/pollbench.py. Everything it starts is stopped by PID at the end.
# All traffic stays on 127.0.0.0/8.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

usage() {
	sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

devices=1000 cycles=3 interval=30 rrd_devices=100 maxinf=0 maxrep=0 tmo=2
port=0 phases=netpatrold,csv,rrdtool workbase=/tmp results=$here/RESULTS.md
keep= perf= fresh= nrrd=
while getopts n:c:i:R:m:r:T:p:x:w:o:kFPZh opt; do
	case $opt in
	n) devices=$OPTARG ;;
	c) cycles=$OPTARG ;;
	i) interval=$OPTARG ;;
	R) rrd_devices=$OPTARG ;;
	m) maxinf=$OPTARG ;;
	r) maxrep=$OPTARG ;;
	T) tmo=$OPTARG ;;
	p) port=$OPTARG ;;
	x) phases=$OPTARG ;;
	w) workbase=$OPTARG ;;
	o) results=$OPTARG ;;
	k) keep=-k ;;
	F) fresh=-F ;;
	P) perf=-P ;;
	Z) nrrd=-Z ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
for v in "$devices" "$cycles" "$interval" "$rrd_devices" "$maxinf" "$maxrep" "$tmo" "$port"; do
	case $v in
	''|*[!0-9]*) echo "run-poll.sh: not a number: $v" >&2; exit 2 ;;
	esac
done

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "run-poll.sh: $1 is needed" >&2; exit 1; }
}
need python3
need make
need cc

# --- build what is needed
make -s -C "$here" snmpfast >&2

if [ -z "${NETPATROLD:-}" ]; then
	build=${NP_BUILD:-/tmp/netpatrol-bench-build}
	if [ ! -x "$top/configure" ]; then
		echo "run-poll.sh: $top/configure is missing: running autoreconf -fi" >&2
		(cd "$top" && autoreconf -fi) >&2
	fi
	mkdir -p "$build"
	if [ ! -f "$build/Makefile" ]; then
		echo "run-poll.sh: configuring netpatrol in $build" >&2
		(cd "$build" && "$top/configure" -q) >&2
	fi
	echo "run-poll.sh: building netpatrold in $build" >&2
	make -s -C "$build" -j"$(nproc)" netpatrold netpatrol >&2
	NETPATROLD=$build/netpatrold
	NETPATROL=$build/netpatrol
fi
NETPATROL=${NETPATROL:-$(dirname "$NETPATROLD")/netpatrol}
[ -x "$NETPATROLD" ] && [ -x "$NETPATROL" ] || {
	echo "run-poll.sh: no netpatrold/netpatrol at $NETPATROLD" >&2; exit 1; }

# --- collectd (Debian collectd-core), only when a collectd phase runs
case $phases in
*csv*|*rrdtool*)
	if [ ! -x /usr/sbin/collectd ] || [ ! -f /usr/lib/collectd/snmp.so ]; then
		echo "run-poll.sh: installing collectd-core" >&2
		before=$(pgrep -x collectd || true)
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		    collectd-core >&2
		# the package may start a system collectd: stop that one (by PID)
		for p in $(pgrep -x collectd || true); do
			case " $before " in *" $p "*) continue ;; esac
			echo "run-poll.sh: stopping the collectd the package started (pid $p)" >&2
			kill "$p" 2>/dev/null || true
		done
		if command -v systemctl >/dev/null 2>&1; then
			systemctl disable collectd >/dev/null 2>&1 || true
		fi
	fi
	;;
esac
if [ -n "$perf" ]; then need perf; fi

# --- run; the driver stops everything it started, and so does this trap
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

cmd="bench/run-poll.sh -n $devices -c $cycles -i $interval"
[ "$rrd_devices" -ne 100 ] && cmd="$cmd -R $rrd_devices"
[ "$maxinf" -ne 0 ] && cmd="$cmd -m $maxinf"
[ "$maxrep" -ne 0 ] && cmd="$cmd -r $maxrep"
[ "$phases" != netpatrold,csv,rrdtool ] && cmd="$cmd -x $phases"
[ -n "$fresh" ] && cmd="$cmd -F"
[ -n "$nrrd" ] && cmd="$cmd -Z"

PB_SNMPFAST=$here/snmpfast PB_GEN_SWITCH=$here/gen-switch.sh \
PB_NETPATROLD=$NETPATROLD PB_NETPATROL=$NETPATROL \
python3 "$here/pollbench.py" -n "$devices" -c "$cycles" -i "$interval" \
    -R "$rrd_devices" -m "$maxinf" -r "$maxrep" -T "$tmo" -p "$port" \
    -x "$phases" -w "$workbase" -o "$results" $keep $perf $fresh $nrrd --cmd "$cmd" &
pid=$!
set +e
wait "$pid"
rc=$?
pid=
exit $rc
