#!/usr/bin/env bash
# bench/idle-heap.sh [ws|http] [N] — what Zones holds per idle connection, for the numbers in
# bench/results-idle.md: starts the Release build of Zones.Host alone (build it first:
# dotnet build Zones.Host -c Release; and bench/WsLoad for ws), opens N idle connections
# (default 10,000: WebSockets with bench/WsLoad idle, or keep-alive HTTP connections that each
# sent one GET /plaintext, with bench/tools.py http-idle), and prints the server's RSS growth per
# connection measured as bench/run.sh does (3 s after the last one opened). Then it takes a heap
# snapshot with dotnet-gcdump (dotnet tool install -g dotnet-gcdump) and prints the live managed
# bytes per connection and the largest types by total size (count × size).
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-ws}
N=${2:-10000}
PORT=18095
source bench/lib.sh idle-heap
GCDUMP=${GCDUMP:-$HOME/.dotnet/tools/dotnet-gcdump}

cat > "$WORK/zones.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:$PORT" ] },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Zones": [
    { "Prefix": "/plaintext", "Handler": "hello" },
    { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" },
    { "Prefix": "/", "Handler": "notfound" }
  ]
}
JSON
dotnet Zones.Host/bin/Release/net10.0/Zones.Host.dll --zones "$WORK/zones.json" >"$WORK/zones.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/plaintext" || true)" = 200 ] && break; sleep 0.1; done
sleep 1
before=$(python3 bench/tools.py rss "$SERVER")
mkfifo "$WORK/fifo"
case $KIND in
  ws) dotnet bench/WsLoad/bin/Release/net10.0/WsLoad.dll idle "ws://127.0.0.1:$PORT/ws" "$N" <"$WORK/fifo" >"$WORK/load.out" 2>&1 & ;;
  http) python3 bench/tools.py http-idle "$PORT" /plaintext "$N" <"$WORK/fifo" >"$WORK/load.out" 2>&1 & ;;
  *) echo "usage: bench/idle-heap.sh [ws|http] [N]" >&2; exit 2 ;;
esac
PIDS+=("$!")
exec 9>"$WORK/fifo"
for _ in $(seq 1 600); do grep -q ready "$WORK/load.out" 2>/dev/null && break; sleep 0.1; done
grep -q "ready $N" "$WORK/load.out" || { cat "$WORK/load.out" >&2; exit 1; }
sleep 3
after=$(python3 bench/tools.py rss "$SERVER")
python3 -c "print(f'RSS growth: {($after - $before) / $N:.2f} KiB per idle connection ($N, $KIND)')"
if [ -x "$GCDUMP" ]; then
  "$GCDUMP" collect -p "$SERVER" -o "$WORK/heap.gcdump" >/dev/null 2>&1
  # The report gives each type's object size and count; the total is their product.
  "$GCDUMP" report "$WORK/heap.gcdump" 2>/dev/null | awk -v n="$N" 'NR > 4 && NF >= 3 {
      size = $1; gsub(",", "", size); count = $2; gsub(",", "", count); $1 = ""; $2 = ""
      total += size * count; printf "%10d %7d %6d %s\n", size * count, count, size, $0 }
    END { printf "%10d live managed bytes: %.0f B per connection\n", total, total / n }' | sort -k1,1nr | head -"${TOP:-40}"
else
  echo "no dotnet-gcdump at $GCDUMP: no heap snapshot" >&2
fi
exec 9>&-
