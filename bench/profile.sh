#!/usr/bin/env bash
# bench/profile.sh [SECONDS] — where a server's CPU goes under load: kernel or its own code.
#
# Runs Zones.Host and the bench/Kestrel app in turn (Release, JIT with perf maps) under plaintext
# keep-alive load (wrk -t1 -c32) and under the WebSocket echo (bench/WsLoad, 64 clients × 128 B),
# records the server with perf for SECONDS (default 5) after a 3 s warm-up, and prints the share
# of its samples in the kernel, in JIT-compiled .NET code, and in the runtime's native libraries.
# A server whose time is mostly in the kernel (send, receive, epoll, scheduling) cannot get much
# faster from its own code: the share outside the kernel is the most it could win. (W^X off so
# perf can name JIT-compiled code from the perf map.)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RECORDED=${1:-5}
OUT=${OUT:-bench/results-profile.md}
source bench/lib.sh profile
command -v perf >/dev/null || { echo "perf is needed (apt-get install linux-perf)" >&2; exit 1; }
PORT=18097

echo "== building (Release)"
dotnet build Zones.Host -c Release -v q -nologo >/dev/null
dotnet build bench/Kestrel -c Release -v q -nologo >/dev/null
dotnet build bench/WsLoad -c Release -v q -nologo >/dev/null
mkdir -p "$WORK/www"
cat > "$WORK/zones.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:$PORT" ] },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Zones": [
    { "Prefix": "/plaintext", "Handler": "hello" },
    { "Prefix": "/ws", "Handler": "websocket", "Endpoint": "echo" }
  ]
}
JSON

echo "| server | load | kernel | .NET code (JIT) | runtime and libc | other |" > "$WORK/table.md"
echo "|---|---|---:|---:|---:|---:|" >> "$WORK/table.md"
for load in plaintext ws-echo; do
  for server in zones kestrel; do
    case $server in
      zones) DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet Zones.Host/bin/Release/net10.0/Zones.Host.dll --zones "$WORK/zones.json" >"$WORK/server.log" 2>&1 & ;;
      kestrel) DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet bench/Kestrel/bin/Release/net10.0/Kestrel.dll --urls "http://127.0.0.1:$PORT" --root "$WORK/www" >"$WORK/server.log" 2>&1 & ;;
    esac
    pid=$!; PIDS+=("$pid")
    until curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext"; do sleep 0.1; done
    total=$((SECONDS_RECORDED + 5))
    case $load in
      plaintext) wrk -t1 -c32 -d"${total}s" "http://127.0.0.1:$PORT/plaintext" >/dev/null 2>&1 & ;;
      ws-echo) dotnet bench/WsLoad/bin/Release/net10.0/WsLoad.dll echo "ws://127.0.0.1:$PORT/ws" 64 128 "$total" >/dev/null 2>&1 & ;;
    esac
    client=$!
    sleep 3
    perf record -q -F 999 -p "$pid" -o "$WORK/perf.data" -- sleep "$SECONDS_RECORDED" >/dev/null 2>&1
    wait "$client" || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
    perf report -i "$WORK/perf.data" --no-children --sort dso -g none 2>/dev/null | python3 -c "
import re, sys
shares = {'kernel': 0.0, 'jit': 0.0, 'native': 0.0, 'other': 0.0}
for line in sys.stdin:
    m = re.match(r'\s*([\d.]+)%\s+(.+?)\s*$', line)
    if not m: continue
    share, dso = float(m.group(1)), m.group(2)
    if 'kernel' in dso: shares['kernel'] += share
    elif dso.startswith('[JIT]') or dso.endswith('.dll'): shares['jit'] += share
    elif re.search(r'lib(coreclr|clrjit|System\.Native|c|m)[.-]|ld-linux', dso): shares['native'] += share
    else: shares['other'] += share
print(f\"| $server | $load | {shares['kernel']:.0f}% | {shares['jit']:.0f}% | {shares['native']:.0f}% | {shares['other']:.0f}% |\")
" | tee -a "$WORK/table.md"
  done
done
{
  echo "# Where the CPU goes (bench/profile.sh)"
  echo
  echo "perf record -F 999 of the server process for ${SECONDS_RECORDED} s under load, after a 3 s warm-up; $(nproc) cores, load average at the end $(uptime | sed 's/.*load average: //')."
  echo "Plaintext: wrk -t1 -c32 keep-alive. WebSocket echo: bench/WsLoad, 64 clients × 128-byte messages. .NET code counts JIT-compiled methods and the framework's assemblies."
  echo
  cat "$WORK/table.md"
} > "$OUT"
cat "$OUT"
