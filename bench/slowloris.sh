#!/usr/bin/env bash
# bench/slowloris.sh [SECONDS] — slowhttptest (Debian) against Zones.Host on 127.0.0.1 while a
# normal client probes every half second. Modes: slow headers (-H), slow body (-B), slow read (-X),
# 1,000 connections each. Reports, per mode, the probe's worst latency and any probe that was not
# a 200 within one second, plus slowhttptest's own last status line. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
LENGTH=${1:-60}
PORT=18280
. bench/lib.sh slow
command -v slowhttptest >/dev/null || { echo "slowhttptest is missing: apt-get install slowhttptest"; exit 1; }

dotnet build Zones.Host -c Release -v q -nologo >/dev/null
mkdir -p "$WORK/www"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$WORK/www/big.bin"
echo '<!doctype html><title>probe</title>ok' > "$WORK/www/index.html"
cat > "$WORK/zones.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:$PORT" ] },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Feeds": { "Names": [ "news" ] },
  "Zones": [
    { "Prefix": "/feeds", "Handler": "publish" },
    { "Prefix": "/", "Handler": "indexfile", "Root": "$WORK/www" },
    { "Prefix": "/", "Handler": "staticfile", "Root": "$WORK/www" },
    { "Prefix": "/", "Handler": "notfound" }
  ]
}
JSON
dotnet Zones.Host/bin/Release/net10.0/Zones.Host.dll --zones "$WORK/zones.json" >"$WORK/server.log" 2>&1 &
SERVER=$!; PIDS+=("$SERVER")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done

run() { # name, slowhttptest args...
  local name=$1; shift
  : >"$WORK/probe.txt"
  ( while true; do curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/" >>"$WORK/probe.txt" || echo "000 5" >>"$WORK/probe.txt"; sleep 0.5; done ) &
  local probe=$!
  # What the server holds, counted on its side: slowhttptest's own "connected" figure does not
  # notice connections the server cut in slow-read mode.
  : >"$WORK/open.txt"
  ( while true; do ss -Htn state established "( sport = :$PORT )" | wc -l >>"$WORK/open.txt"; sleep 1; done ) &
  local sampler=$!
  slowhttptest "$@" -l "$LENGTH" -p 3 >"$WORK/$name.out" 2>&1 || true
  kill "$probe" "$sampler"; wait "$probe" "$sampler" 2>/dev/null || true
  local count worst bad rss
  count=$(wc -l <"$WORK/probe.txt")
  worst=$(awk 'BEGIN{m=0} {if ($2>m) m=$2} END{printf "%.3f", m}' "$WORK/probe.txt")
  bad=$(awk '$1 != 200 || $2 >= 1.0' "$WORK/probe.txt" | wc -l)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  local most last
  most=$(sort -n "$WORK/open.txt" | tail -1); last=$(tail -1 "$WORK/open.txt")
  echo "$name: $count probes, worst ${worst}s, $bad not 200-within-1s; server RSS ${rss} KiB; connections open at the server: at most ${most}, ${last} at the end; slowhttptest: $(grep -a -E 'closed:|pending:|connected:' "$WORK/$name.out" | tail -4 | sed "s/\x1b\[[0-9;]*m//g" | tr -s ' \t' ' ' | tr '\n' ' ')"
}

echo "== slowhttptest, 1000 connections, ${LENGTH}s per mode, against port $PORT"
run slow-headers -c 1000 -H -i 10 -r 200 -t GET -u "http://127.0.0.1:$PORT/" -x 24
run slow-body -c 1000 -B -i 10 -r 200 -s 8192 -t POST -u "http://127.0.0.1:$PORT/feeds/news" -x 10
run slow-read -c 1000 -X -r 200 -w 512 -y 1024 -n 5 -z 32 -k 3 -u "http://127.0.0.1:$PORT/big.bin"
kill -0 "$SERVER" && echo "server still running"
