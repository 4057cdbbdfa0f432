#!/bin/sh
# run-traps.sh - trap benchmark: traps per second received, decoded and
# stored without loss, netpatrold against snmptrapd (logging to a file, and
# running a traphandle script). See bench/README.md.
#
#	bench/run-traps.sh [-q] [options]
#
#	-q           quick: fewer, shorter steps, no refinement, no informs (< 1 min)
#	-x LIST      receivers, comma list of netpatrold,file,handle (default all)
#	-r RATES     rates to step through for netpatrold and snmptrapd to a file,
#	             e.g. 5k,10k,20k (default 5k..250k; quick 5k,10k,20k,50k,100k,150k)
#	-H RATES     rates for snmptrapd with a traphandle (default 20,50,100,200,400)
#	-d SECONDS   measured seconds per step (default 5; quick 2)
#	-W SECONDS   warm-up seconds per step, same rate (default 1; quick 0.5)
#	-k KIND      linkdown (default) or enterprise: the trap sent
#	-M           both receivers load MIBs (the project's mibs/ and the
#	             system's; default: numeric OIDs, MIBS= and trap mibs "none")
#	-I WINDOW    informs: acknowledged v2c informs/s with WINDOW in flight
#	             (default 64; 0 for none; quick: none)
#	-P RATE      also profile netpatrold with perf at RATE (0: at its best)
#	-n SOURCES   source addresses, 127.1.0.1 on (default 64)
#	-p PORT      receivers' UDP port on 127.0.0.1 (default: a free one per step)
#	-w DIR       where the work folder is made (default /tmp)
#	-o FILE      append the results there (default bench/RESULTS.md; - for none)
#	-K           keep the stores and logs of every step
#
# Environment: NETPATROLD and NETPATROL (binaries to use instead of building),
# NP_BUILD (out-of-tree build folder, default /tmp/netpatrol-bench-build; it must
# have been configured from this tree, if it was configured at all).
#
# Builds trapload and netpatrold, installs snmptrapd if it is missing (and
# stops any snmptrapd service the package starts), then runs
# bench/trapbench.py. Everything it starts is stopped by PID at the end.
# All traffic stays on 127.0.0.0/8.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

usage() {
	sed -n '2,/^set -eu/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

quick= receivers=netpatrold,file,handle rates= hrates= secs= warm= kind=linkdown
mibs= window= perfrate= sources=64 port=0 workbase=/tmp results=$here/RESULTS.md keep=
while getopts qx:r:H:d:W:k:MI:P:n:p:w:o:Kh opt; do
	case $opt in
	q) quick=-q ;;
	x) receivers=$OPTARG ;;
	r) rates=$OPTARG ;;
	H) hrates=$OPTARG ;;
	d) secs=$OPTARG ;;
	W) warm=$OPTARG ;;
	k) kind=$OPTARG ;;
	M) mibs=-M ;;
	I) window=$OPTARG ;;
	P) perfrate=$OPTARG ;;
	n) sources=$OPTARG ;;
	p) port=$OPTARG ;;
	w) workbase=$OPTARG ;;
	o) results=$OPTARG ;;
	K) keep=-K ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
for v in "$sources" "$port" ${window:+"$window"} ${perfrate:+"$perfrate"}; do
	case $v in
	''|*[!0-9]*) echo "run-traps.sh: not a number: $v" >&2; exit 2 ;;
	esac
done

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "run-traps.sh: $1 is needed" >&2; exit 1; }
}
need python3
need make
need cc
need ss

# --- build what is needed
make -s -C "$here" trapload >&2

if [ -z "${NETPATROLD:-}" ]; then
	build=${NP_BUILD:-/tmp/netpatrol-bench-build}
	if [ ! -x "$top/configure" ]; then
		echo "run-traps.sh: $top/configure is missing: running autoreconf -fi" >&2
		(cd "$top" && autoreconf -fi) >&2
	fi
	mkdir -p "$build"
	# a build folder configured from another tree would measure that tree
	if [ -f "$build/config.status" ] &&
	    ! grep -qx "srcdir='$top'" "$build/config.status"; then
		echo "run-traps.sh: $build was configured from $(sed -n "s/^srcdir='\(.*\)'$/\1/p" \
		    "$build/config.status"), not $top: set NP_BUILD to another folder" >&2
		exit 1
	fi
	if [ ! -f "$build/Makefile" ]; then
		echo "run-traps.sh: configuring netpatrol in $build" >&2
		(cd "$build" && "$top/configure" -q) >&2
	fi
	echo "run-traps.sh: building netpatrold in $build" >&2
	make -s -C "$build" -j"$(nproc)" netpatrold netpatrol >&2
	NETPATROLD=$build/netpatrold
	NETPATROL=$build/netpatrol
fi
NETPATROL=${NETPATROL:-$(dirname "$NETPATROLD")/netpatrol}
[ -x "$NETPATROLD" ] && [ -x "$NETPATROL" ] || {
	echo "run-traps.sh: no netpatrold/netpatrol at $NETPATROLD" >&2; exit 1; }

# --- snmptrapd (Debian package snmptrapd), only when it is measured
case $receivers in
*file*|*handle*)
	if [ ! -x /usr/sbin/snmptrapd ]; then
		echo "run-traps.sh: installing snmptrapd" >&2
		before=$(pgrep -x snmptrapd || true)
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		    snmptrapd >&2
		# the package may start a system snmptrapd: stop that one (by PID)
		for p in $(pgrep -x snmptrapd || true); do
			case " $before " in *" $p "*) continue ;; esac
			echo "run-traps.sh: stopping the snmptrapd the package started (pid $p)" >&2
			kill "$p" 2>/dev/null || true
		done
		if command -v systemctl >/dev/null 2>&1; then
			systemctl disable snmptrapd.service snmptrapd.socket >/dev/null 2>&1 || true
		fi
	fi
	;;
esac
if [ -n "$perfrate" ]; then need perf; fi

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

cmd="bench/run-traps.sh${quick:+ -q}"
[ "$receivers" != netpatrold,file,handle ] && cmd="$cmd -x $receivers"
[ -n "$rates" ] && cmd="$cmd -r $rates"
[ -n "$hrates" ] && cmd="$cmd -H $hrates"
[ -n "$secs" ] && cmd="$cmd -d $secs"
[ -n "$warm" ] && cmd="$cmd -W $warm"
[ "$kind" != linkdown ] && cmd="$cmd -k $kind"
[ -n "$mibs" ] && cmd="$cmd -M"
[ -n "$window" ] && cmd="$cmd -I $window"
[ -n "$perfrate" ] && cmd="$cmd -P $perfrate"
[ "$sources" -ne 64 ] && cmd="$cmd -n $sources"

set --
[ -n "$rates" ] && set -- "$@" -r "$rates"
[ -n "$hrates" ] && set -- "$@" -H "$hrates"
[ -n "$secs" ] && set -- "$@" -d "$secs"
[ -n "$warm" ] && set -- "$@" -W "$warm"
[ -n "$window" ] && set -- "$@" -I "$window"
if [ -n "$perfrate" ]; then
	if [ "$perfrate" -eq 0 ]; then set -- "$@" -P ""; else set -- "$@" -P "$perfrate"; fi
fi

TB_TRAPLOAD=$here/trapload TB_NETPATROLD=$NETPATROLD TB_NETPATROL=$NETPATROL \
TB_MIBDIR=$top/mibs \
python3 "$here/trapbench.py" $quick $mibs $keep -x "$receivers" -k "$kind" \
    -n "$sources" -p "$port" -w "$workbase" -o "$results" --cmd "$cmd" "$@" &
pid=$!
set +e
wait "$pid"
rc=$?
pid=
exit $rc
