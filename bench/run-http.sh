#!/bin/bash
# run-http.sh - requests per second of netpatrold's web server (issue 17):
# the JSON API (/api/v1/devices, /api/v1/ports), /metrics, a cached graph
# and uncached graphs, measured with ApacheBench (ab, Debian apache2-utils)
# against the daemon polling a real snmpd on 127.0.0.1. See bench/README.md.
#
#   bench/run-http.sh [-n REQUESTS] [-c CONCURRENCY] [-o RESULTS-FILE|-]
#
# NETPATROLD=... NETPATROL=... use given binaries (default: ./build).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
N=2000 C=8 OUT=bench/RESULTS.md
while getopts n:c:o: o; do
	case $o in
	n) N=$OPTARG ;; c) C=$OPTARG ;; o) OUT=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-c C] [-o FILE|-]" >&2; exit 2 ;;
	esac
done
NETPATROLD=${NETPATROLD:-$top/build/netpatrold}
NETPATROL=${NETPATROL:-$top/build/netpatrol}
command -v ab >/dev/null || { echo "run-http.sh: ab is missing (Debian: apache2-utils)" >&2; exit 1; }
W=$(mktemp -d /tmp/np-bench-http.XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
pick() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SPORT=$(pick) HPORT=$(pick)
cat >"$W/snmpd.conf" <<EOF
agentaddress udp:127.0.0.1:$SPORT
rocommunity public 127.0.0.1
EOF
MIBS= SNMP_PERSISTENT_DIR=$W /usr/sbin/snmpd -f -Lf "$W/snmpd.log" -C -c "$W/snmpd.conf" \
	-I -smux,mteTrigger,mteTriggerConf &
pids="$pids $!"
TOK=bench-token-0123456789abcdef
cat >"$W/np.conf" <<EOF
state-dir "$W/state"
control "$W/np.sock"
pidfile "$W/np.pid"
http {
	listen 127.0.0.1 port $HPORT
	token "bench" role viewer secret "$TOK"
}
device "sw" {
	address 127.0.0.1 port $SPORT
	interval 1
}
EOF
"$NETPATROLD" -d -f "$W/np.conf" >"$W/daemon.log" 2>&1 &
pids="$pids $!"
H=http://127.0.0.1:$HPORT
A="Authorization: Bearer $TOK"
for _ in $(seq 60); do
	IFX=$("$NETPATROL" -f "$W/np.conf" ports sw --json 2>/dev/null |
		python3 -c 'import json,sys; print([p["index"] for p in json.load(sys.stdin) if p["rrd"]][0])' 2>/dev/null) && break
	sleep 1
done
# a few polls in the RRD files
sleep 5
rps() {  # rps URL [N]: requests per second, keep-alive, C at once
	ab -q -k -n "${2:-$N}" -c "$C" -H "$A" "$1" 2>/dev/null |
		awk '/^Requests per second/ {print $4} /^Non-2xx/ {x=$3}
		     END {if (x > 0) print "non-2xx answers: " x > "/dev/stderr"}'
}
api=$(rps "$H/api/v1/devices")
ports=$(rps "$H/api/v1/ports?device=sw")
metrics=$(rps "$H/metrics")
curl -s -o /dev/null -H "$A" "$H/graph?d=sw&i=$IFX&t=bits&p=1d"
cached=$(rps "$H/graph?d=sw&i=$IFX&t=bits&p=1d")
# uncached: each request a graph not rendered before (period x kind x
# size: 23 more keys), one at a time; the time is curl's own time_total
# (request to last byte), not its start-up
M=0
: >"$W/times"
for p in 1d 1w 1m 1y; do for t in bits pkts errs; do for s in 0 1; do
	[ "$p$t$s" = 1dbits0 ] && continue
	curl -s -o /dev/null -w '%{time_total}\n' -H "$A" "$H/graph?d=sw&i=$IFX&t=$t&p=$p&s=$s" >>"$W/times"
	M=$((M + 1))
done; done; done
uncached=$(awk '{t+=$1} END {printf "%.1f (%.1f ms each)", NR/t, 1000*t/NR}' "$W/times")
rs=$(curl -s -H "$A" "$H/api/v1/status" | python3 -c 'import json,sys; g=json.load(sys.stdin)["http"]["graphs"]; print(g["rendered"], round(g["render_seconds"],3))')
ports_n=$("$NETPATROL" -f "$W/np.conf" ports sw --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
report=$(cat <<EOF

### run-http.sh, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs, ab -k -c $C

| endpoint | requests/s |
|---|---|
| /api/v1/devices (1 device) | $api |
| /api/v1/ports?device=sw ($ports_n ports) | $ports |
| /metrics | $metrics |
| /graph, cached PNG | $cached |
| /graph, uncached PNG (one at a time, $M distinct graphs) | $uncached |

Graph renders: $(echo "$rs" | cut -d' ' -f1), $(echo "$rs" | cut -d' ' -f2) s rendering in all.
No LibreNMS or Cacti graph-endpoint numbers are published in the research
notes; none were run here.
EOF
)
echo "$report"
[ "$OUT" = - ] || echo "$report" >>"$OUT"
