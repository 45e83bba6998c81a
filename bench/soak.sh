#!/usr/bin/env bash
# bench/soak.sh MINUTES — a bounded mixed load on one Zones.Host (Release) on 127.0.0.1:
#   keep-alive plaintext (wrk), static files (wrk), WebSocket echo clients, SSE subscribers.
# Reports errors (must be 0), p99 latency, and the server's RSS after warm-up and at the end
# (must stay within 10%). Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:?usage: bench/soak.sh MINUTES}
SECONDS_TOTAL=$((MINUTES * 60))
PORT=18180
. bench/lib.sh soak

dotnet build Zones.Host -c Release -v q -nologo >/dev/null
dotnet build bench/WsLoad -c Release -v q -nologo >/dev/null
mkdir -p "$WORK/www"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$WORK/www/1k.txt"
head -c $((256 * 1024)) /dev/urandom > "$WORK/www/256k.bin"
cat > "$WORK/zones.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:$PORT" ] },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Zones": [
    { "Prefix": "/plaintext", "Handler": "hello" },
    { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
    { "Prefix": "/events", "Handler": "eventstream", "Feed": "soak", "HeartbeatSeconds": 5 },
    { "Prefix": "/feeds", "Handler": "publish" },
    { "Prefix": "/", "Handler": "staticfile", "Root": "$WORK/www" },
    { "Prefix": "/", "Handler": "notfound" }
  ]
}
JSON
dotnet Zones.Host/bin/Release/net10.0/Zones.Host.dll --zones "$WORK/zones.json" >"$WORK/server.log" 2>&1 &
SERVER=$!; PIDS+=("$SERVER")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/plaintext" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }

echo "== soak for $MINUTES minute(s) on port $PORT"
# SSE subscribers, and a publisher feeding them once a second.
for i in $(seq 1 50); do
  curl -sN --max-time "$SECONDS_TOTAL" "http://127.0.0.1:$PORT/events" >"$WORK/sse-$i.out" 2>/dev/null &
  PIDS+=($!)
done
( end=$((SECONDS + SECONDS_TOTAL)); n=0
  while [ $SECONDS -lt $end ]; do n=$((n + 1))
    if curl -sf -d "tick $n" "http://127.0.0.1:$PORT/feeds/soak" >/dev/null; then echo "$n" >"$WORK/published"; else echo "publish failed" >>"$WORK/errors"; fi
    sleep 1; done ) &
PIDS+=($!)
# WebSocket echo clients for the whole run.
dotnet bench/WsLoad/bin/Release/net10.0/WsLoad.dll echo "ws://127.0.0.1:$PORT/ws" 16 512 "$SECONDS_TOTAL" >"$WORK/ws.out" 2>&1 &
WS=$!; PIDS+=("$WS")
# HTTP load: plaintext and static in parallel, moderate connection counts.
wrk -t1 -c32 -d"${SECONDS_TOTAL}s" --latency "http://127.0.0.1:$PORT/plaintext" >"$WORK/wrk-plain.out" 2>&1 &
W1=$!; PIDS+=("$W1")
wrk -t1 -c16 -d"${SECONDS_TOTAL}s" --latency "http://127.0.0.1:$PORT/256k.bin" >"$WORK/wrk-static.out" 2>&1 &
W2=$!; PIDS+=("$W2")

# RSS every 30 s, from the start of the load. "Start" is taken after a quarter of the run, when
# pools, JIT tiers and the GC's budgets have mostly settled (RSS climbs fastest in the first
# minutes); "end" is the last sample while the load still runs. The whole timeline is printed too.
LOAD_START=$SECONDS
( while kill -0 "$SERVER" 2>/dev/null; do echo "$((SECONDS - LOAD_START)) $(rss)" >>"$WORK/rss.txt"; sleep 30; done ) &
PIDS+=($!)
WARMUP=$(( SECONDS_TOTAL / 4 ))
sleep "$WARMUP"
RSS_START=$(rss)
echo "rss after ${WARMUP}s warm-up: $RSS_START KiB"
set +e # from here on, gather and report; a missing number must not end the script
sleep $(( SECONDS_TOTAL - WARMUP - 5 ))
RSS_END=$(rss)
wait "$W1" "$W2" || true
wait "$WS" || echo "websocket load failed: $(tail -3 "$WORK/ws.out")" >>"$WORK/errors"
sleep 5
RSS_AFTER=$(rss)

errors() { # wrk output → the sum of its socket errors (connect, read, write, timeout)
  local line; line=$(grep -o 'Socket errors: .*' "$1")
  [ -z "$line" ] && { echo 0; return; }
  echo "$line" | grep -o '[0-9]\+' | paste -sd+ | bc
}
non2xx() { local n; n=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$1" | grep -o '[0-9]*$'); echo "${n:-0}"; }
p99() { awk '/ 99%/ {print $2}' "$1"; }
SSE_EVENTS=$(cat "$WORK"/sse-*.out | grep -c '^data:' || true)
PUBLISHED=$(cat "$WORK/published" 2>/dev/null || echo 0)
SSE_SHORT=0; SSE_FEWEST=$PUBLISHED
for f in "$WORK"/sse-*.out; do
  c=$(grep -c '^data:' "$f")
  [ "$c" -lt "$SSE_FEWEST" ] && SSE_FEWEST=$c
  # Subscribers connect as the publisher starts, and curl's own time limit ends them as it stops:
  # each may miss the first or the last publish, no more.
  [ "$c" -lt $((PUBLISHED - 2)) ] && SSE_SHORT=$((SSE_SHORT + 1))
done
OTHER=0; [ -f "$WORK/errors" ] && OTHER=$(wc -l < "$WORK/errors")
ERRS=$(( $(errors "$WORK/wrk-plain.out") + $(errors "$WORK/wrk-static.out") + $(non2xx "$WORK/wrk-plain.out") + $(non2xx "$WORK/wrk-static.out") + SSE_SHORT + OTHER ))

echo "plaintext: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-plain.out") req/s, p99 $(p99 "$WORK/wrk-plain.out"), $(awk '/requests in/ {print $1}' "$WORK/wrk-plain.out") requests"
echo "static 256 KiB: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-static.out") req/s, p99 $(p99 "$WORK/wrk-static.out")"
echo "websocket echo: $(cat "$WORK/ws.out" | tail -1)"
echo "sse: 50 subscribers, $PUBLISHED events published, $SSE_EVENTS received in all, the fewest by one subscriber $SSE_FEWEST; $SSE_SHORT subscriber(s) missed more than 2"
echo "rss: ${RSS_START} KiB after ${WARMUP}s, ${RSS_END} KiB just before the load ended ($(python3 -c "print(f'{($RSS_END - $RSS_START) * 100 / $RSS_START:+.1f}%')")), ${RSS_AFTER} KiB once it had ended"
echo "rss every 30 s (seconds KiB): $(tr '\n' ';' < "$WORK/rss.txt")"
echo "errors: $ERRS"
[ -f "$WORK/errors" ] && cat "$WORK/errors"
grep -iE "error|fail" "$WORK/server.log" | head -5
[ "$ERRS" -eq 0 ]
