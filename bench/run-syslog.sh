#!/bin/bash
# run-syslog.sh - netpatrold's syslog receiver against rsyslog, side by
# side in one run, on the same load from bench/syslogload (a mix of ten
# device formats, 90-350 bytes, each numbered):
#
#   UDP: for each rate in RATES, RATE x SECONDS messages at that rate to a
#        fresh receiver; how many it kept (netpatrold: rows in its sqlite
#        store, parsed into fields, raw bytes kept; rsyslog: lines in a
#        file through imudp and omfile), and the receiver's CPU time per
#        message (all its threads).
#   TCP: TCP_COUNT messages over one connection (octet counting) as fast
#        as the sender goes; the rate at which the receiver had them all.
#
#   bench/run-syslog.sh [BUILDDIR]      (default ./build)
#   RATES="100000 200000 300000 400000" SECS=5 TCP_COUNT=2000000
#   OUT=bench/RESULTS.md (appended, the default) or OUT=- (stdout only)
#
# rsyslog runs as a separate instance of its own: its own configuration,
# pid file and work directory, on a loopback high port, nothing else
# loaded; the system's rsyslog (if any) is not touched. Needs rsyslogd
# (Debian: rsyslog), sqlite3, python3 and a C compiler. Everything goes
# to 127.0.0.1. Run it on an otherwise idle machine: it prints the load.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$top/build}" && pwd) || exit 2
RATES=${RATES:-"100000 200000 300000 400000"}
SECS=${SECONDS_PER_RATE:-${SECS:-5}}
TCP_COUNT=${TCP_COUNT:-2000000}
for c in rsyslogd sqlite3 python3 cc bc; do
	command -v $c >/dev/null || { echo "run-syslog.sh: $c is needed" >&2; exit 2; }
done
[ -x "$B/netpatrold" ] || { echo "run-syslog.sh: no $B/netpatrold" >&2; exit 2; }
W=$(mktemp -d "${BENCH_TMP:-/tmp}/syslogbench.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.5
	[ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT
cc -O2 -o "$W/syslogload" "$top/bench/syslogload.c" || exit 1
PORT=$(python3 -c 'import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", u.getsockname()[1])); print(u.getsockname()[1]); break
    except OSError:
        pass')

cpu() {  # cpu PID: user+system seconds of the process, all threads
	awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat"
}

# --- the two receivers ---
np_start() {
	rm -rf "$W/np"
	mkdir -p "$W/np"
	cat >"$W/np/np.conf" <<EOF
state-dir "$W/np/state"
control "$W/np/np.sock"
pidfile "$W/np/np.pid"
listen syslog udp 127.0.0.1 port $PORT
listen syslog tcp 127.0.0.1 port $PORT
syslog ratelimit off
EOF
	"$B/netpatrold" -d -f "$W/np/np.conf" >"$W/np/log" 2>&1 &
	RPID=$!
	PIDS="$PIDS $RPID"
	for _ in $(seq 100); do
		"$B/netpatrol" -f "$W/np/np.conf" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
# netpatrold still has messages on their way to the store
np_busy() {
	"$B/netpatrol" -f "$W/np/np.conf" status --json 2>/dev/null | python3 -c 'import json, sys
j = json.load(sys.stdin)
sys.exit(0 if j["syslog"]["store_queued_bytes"] or j["store"]["depth"] else 1)'
}
rs_busy() { return 1; }
# the messages are in syslog.db (in netpatrol.db before the two were split)
np_count() {
	local db=$W/np/state/syslog.db
	[ -e "$db" ] || db=$W/np/state/netpatrol.db
	sqlite3 "$db" "select coalesce(max(id), 0) from logs" 2>/dev/null || echo 0
}
np_drops() {
	"$B/netpatrol" -f "$W/np/np.conf" status --json | python3 -c 'import json, sys
j = json.load(sys.stdin)["syslog"]
print("kernel %d store %d" % (j["kernel_dropped"], j["dropped"]))'
}

rs_start() {
	rm -rf "$W/rs"
	mkdir -p "$W/rs/work"
	cat >"$W/rs/rsyslog.conf" <<EOF
global(workDirectory="$W/rs/work")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="$PORT" rcvbufSize="32m")
input(type="imtcp" address="127.0.0.1" port="$PORT")
action(type="omfile" file="$W/rs/out.log" template="RSYSLOG_FileFormat"
       asyncWriting="on" ioBufferSize="1m" flushInterval="1")
EOF
	rsyslogd -n -f "$W/rs/rsyslog.conf" -i "$W/rs/rsyslogd.pid" >"$W/rs/log" 2>&1 &
	RPID=$!
	PIDS="$PIDS $RPID"
	for _ in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT)).close()" \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
rs_count() { [ -f "$W/rs/out.log" ] && wc -l <"$W/rs/out.log" || echo 0; }
rs_drops() { echo "-"; }

stop() {
	kill "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$RPID" | tr '\n' ' ')
}

# wait_count WHO N: until WHO has N, or its count stops for 3 s with
# nothing on its way; the count
wait_count() {
	local last=-1 n still=0
	for _ in $(seq 1500); do
		n=$("$1"_count)
		[ "$n" -ge "$2" ] && break
		if [ "$n" = "$last" ] && ! "$1"_busy; then
			still=$((still + 1))
			[ $still -ge 15 ] && break
		else
			still=0
		fi
		last=$n
		sleep 0.2
	done
	"$1"_count
}

measure() {
	echo "### $(date -u '+%Y-%m-%d %H:%M'): syslog receiver, netpatrold against rsyslog"
	echo
	echo "\`RATES=\"$RATES\" SECS=$SECS TCP_COUNT=$TCP_COUNT bench/run-syslog.sh\`:" \
		"kernel $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo |
			cut -d: -f2 | sed 's/^ //')), netpatrold $(git -C "$top" rev-parse \
			--short HEAD 2>/dev/null), $(rsyslogd -v | head -1 | sed 's/ compiled with.*//')." \
		"Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| transport | offered/s | receiver | sent | kept | lost | CPU us/msg | drops |"
	echo "|---|---|---|---|---|---|---|---|"
	for rate in $RATES; do
		n=$((rate * SECS))
		for who in np rs; do
			${who}_start || { echo "cannot start $who" >&2; exit 1; }
			c0=$(cpu "$RPID")
			out=$("$W/syslogload" -p "$PORT" -r "$rate" -n "$n")
			sent_rate=$(echo "$out" | sed -n 's/.*: \([0-9]*\)\/s$/\1/p')
			got=$(wait_count "$who" "$n")
			c1=$(cpu "$RPID")
			drops=$(${who}_drops)
			stop
			printf "| udp | %s (sent at %s) | %s | %d | %d | %.2f%% | %.2f | %s |\n" \
				"$rate" "$sent_rate" "$([ $who = np ] && echo netpatrold || echo rsyslog)" \
				"$n" "$got" "$(echo "($n - $got) * 100 / $n" | bc -l)" \
				"$(echo "($c1 - $c0) * 1000000 / ($got + 1)" | bc -l)" "$drops"
		done
	done
	for who in np rs; do
		${who}_start || exit 1
		c0=$(cpu "$RPID")
		t0=$(date +%s.%N)
		"$W/syslogload" -t tcp -p "$PORT" -n "$TCP_COUNT" >/dev/null
		got=$(wait_count "$who" "$TCP_COUNT")
		t1=$(date +%s.%N)
		c1=$(cpu "$RPID")
		drops=$(${who}_drops)
		stop
		# rate: all kept, over the time from the first sent (0.2 s polls)
		printf "| tcp | one connection, max | %s | %d | %d | %.2f%% | %.2f | %s (%.0f msg/s) |\n" \
			"$([ $who = np ] && echo netpatrold || echo rsyslog)" "$TCP_COUNT" "$got" \
			"$(echo "($TCP_COUNT - $got) * 100 / $TCP_COUNT" | bc -l)" \
			"$(echo "($c1 - $c0) * 1000000 / ($got + 1)" | bc -l)" "$drops" \
			"$(echo "$got / ($t1 - $t0)" | bc -l)"
	done
	echo
	echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
}

OUT=${OUT:-$top/bench/RESULTS.md}
measure | tee "$W/result.md"
[ "$OUT" = - ] || cat "$W/result.md" >>"$OUT"
