#!/usr/bin/env bash
# bench/feeds.sh latency [RATES] — publish → delivery latency over SSE with 1,000 subscribers:
#     the in-process backend on one instance, then Redis with three instances (subscribers spread
#     over all three, publishing on A, latency measured on B's subscribers), RATES events/s
#     (default 10,250,500,1000,2000,4000; 10 shows one event's fan-out alone) for 5 s each.
# bench/feeds.sh soak [SECONDS] — 10,000 events/s for SECONDS (default 30) through three
#     instances on Redis, 30 subscribers; RSS of each instance every 5 s.
# Everything runs on 127.0.0.1 (Zones.Host in Release, a private redis-server on a free port)
# and is stopped at the end. Results go to stdout and bench/results-feeds-MODE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?usage: bench/feeds.sh latency|soak [ARG]}
. bench/lib.sh feeds

dotnet build Zones.Host -c Release -v q -nologo >/dev/null
# The client is C (bench/feedlat/feedlat.c: one thread, epoll): a .NET client reading 1,000 streams
# took as much of the two cores as the server it measured, and its own queueing showed as latency.
TOOL="$WORK/feedlat"
"${CC:-clang}" -O2 -Wall -Wextra -o "$TOOL" bench/feedlat/feedlat.c
HOST=Zones.Host/bin/Release/net10.0/Zones.Host.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --loglevel warning >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

# zones.json for the instances: $1 = "redis" or "local".
write_zones() {
  local redis=""
  [ "$1" = redis ] && redis=", \"Redis\": { \"Configuration\": \"127.0.0.1:$REDIS_PORT\", \"Prefix\": \"bench$RANDOM:\" }"
  cat > "$WORK/zones-$1.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:0" ] },
  "Logging": { "LogLevel": { "Default": "Warning", "Zones.Server": "Information" } },
  "Feeds": { "Names": [ "bench" ], "SubscriberQueueSize": 4096$redis },
  "Zones": [
    { "Prefix": "/events", "Handler": "eventstream", "HeartbeatSeconds": 15 },
    { "Prefix": "/feeds", "Handler": "publish" },
    { "Prefix": "/", "Handler": "notfound" }
  ]
}
JSON
}

URLS=(); SERVERS=()
start_instance() { # $1 = zones file; sets URLS and SERVERS
  local log="$WORK/host-${#URLS[@]}.log"
  ZONES_Demo__Clock=false dotnet "$HOST" --zones "$1" >"$log" 2>&1 &
  local pid=$!; PIDS+=("$pid"); SERVERS+=("$pid")
  for _ in $(seq 1 200); do grep -q "Now listening on" "$log" && break; sleep 0.05; done
  URLS+=("$(grep -o 'Now listening on: http://[0-9.:]*' "$log" | head -1 | sed 's/Now listening on: //')")
}
stop_instances() { for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; URLS=(); SERVERS=(); }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

OUT=bench/results-feeds-$MODE.md
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
case "$MODE" in
latency)
  RATES=${2:-10,250,500,1000,2000,4000}
  write_zones local; write_zones redis
  echo "== in-process, one instance, 1000 subscribers"
  start_instance "$WORK/zones-local.json"
  "$TOOL" "${URLS[0]}" "${URLS[0]}" 1000 "$RATES" 5 stride=3 | tee "$WORK/local.out"
  stop_instances
  echo "== Redis, three instances, 1000 subscribers spread over them, publish on A, measured on B"
  for _ in 1 2 3; do start_instance "$WORK/zones-redis.json"; done
  "$TOOL" "${URLS[0]}" "${URLS[0]},${URLS[1]},${URLS[2]}" 1000 "$RATES" 5 "url=${URLS[1]}" | tee "$WORK/redis.out"
  stop_instances
  { echo "# Feeds: publish → delivery latency (bench/feeds.sh latency, $(date -u +%Y-%m-%d))"; echo
    echo "SSE subscribers read by bench/feedlat (C, epoll); latency from the publish request's write to the read that brought the event; 5 s per rate"
    echo "after a 3 s warm-up; 333 of the 1,000 subscribers measured (in-process: every third; Redis: those on B). Load average before: $LOAD."; echo
    echo '```'; echo "in-process, one instance:"; cat "$WORK/local.out"; echo; echo "Redis, three instances (measured on B):"; cat "$WORK/redis.out"; echo '```'; } > "$OUT"
  ;;
soak)
  SECONDS_RUN=${2:-30}
  write_zones redis
  for _ in 1 2 3; do start_instance "$WORK/zones-redis.json"; done
  echo "== 10,000 events/s for $SECONDS_RUN s through three instances on Redis, 30 subscribers"
  ( for t in $(seq 0 5 "$SECONDS_RUN"); do
      echo "t=${t}s rss_mib A=$(rss_mib "${SERVERS[0]}") B=$(rss_mib "${SERVERS[1]}") C=$(rss_mib "${SERVERS[2]}")"; sleep 5; done ) > "$WORK/rss.out" &
  SAMPLER=$!; PIDS+=("$SAMPLER")
  "$TOOL" "${URLS[0]}" "${URLS[0]},${URLS[1]},${URLS[2]}" 30 10000 "$SECONDS_RUN" | tee "$WORK/soak.out"
  wait "$SAMPLER" 2>/dev/null || true
  cat "$WORK/rss.out"
  echo "after: rss_mib A=$(rss_mib "${SERVERS[0]}") B=$(rss_mib "${SERVERS[1]}") C=$(rss_mib "${SERVERS[2]}")" | tee -a "$WORK/rss.out"
  stop_instances
  { echo "# Feeds: soak (bench/feeds.sh soak $SECONDS_RUN, $(date -u +%Y-%m-%d))"; echo; echo '```'; cat "$WORK/soak.out" "$WORK/rss.out"; echo '```'; } > "$OUT"
  ;;
*) echo "usage: bench/feeds.sh latency|soak [ARG]"; exit 2 ;;
esac
echo "wrote $OUT"
