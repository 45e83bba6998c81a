#!/usr/bin/env bash
# bench/run.sh [ROUNDS] — Zones side by side with Kestrel (and nginx for static files) on 127.0.0.1.
#
# Builds everything in Release, then for each round runs every test against every server in
# turn (the order alternates between rounds), and prints one table of medians with the ratios
# Zones / Kestrel and Zones / nginx. Writes bench/results.md. Stops every process it started.
# Environment: DURATION (seconds per wrk/echo run, default 6), CONNS (wrk connections, 64),
# IDLE (idle connections for ws-idle-mem and http-idle-mem — WebSockets, and keep-alive HTTP
# connections after one request each — 10000), TESTS (space-separated subset), OUT (the report file),
# PROFILES (the wrk load shapes: "t2c64" — CONNS connections on two wrk threads — and "t1c32",
# one thread and 32 connections, which leaves a core to the server; each wrk test runs in each,
# the second named TEST@t1c32).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
OUT=${OUT:-bench/results.md}
DURATION=${DURATION:-6}
CONNS=${CONNS:-64}
IDLE=${IDLE:-10000}
ALL_TESTS="plaintext plaintext-accesslog pipelined browser browser-pipelined conn-per-request static-1k static-1k-browser static-1k-reload static-mix static-10m ws-echo ws-idle-mem http-idle-mem tls-plaintext tls-static-1k tls-static-10m tls-ws-echo tls-handshakes startup startup-aot"
TESTS=${TESTS:-$ALL_TESTS}
PROFILES=${PROFILES:-t2c64 t1c32}
WRK_TESTS=" plaintext plaintext-accesslog pipelined browser browser-pipelined conn-per-request static-1k static-1k-browser static-1k-reload static-mix static-10m tls-plaintext tls-static-1k tls-static-10m tls-handshakes "
# Each wrk test once per profile: the first profile keeps the plain name.
expanded=""
for test in $TESTS; do
  expanded="$expanded $test"
  if [[ "$WRK_TESTS" == *" $test "* ]]; then
    for profile in ${PROFILES#* }; do [ "$profile" = "${PROFILES%% *}" ] || expanded="$expanded $test@$profile"; done
  fi
done
TESTS=${expanded# }
ZPORT=18080; KPORT=18081; NPORT=18082; ZTPORT=18443; KTPORT=18444
WORK=$(mktemp -d /tmp/zones-bench.XXXX)
chmod 755 "$WORK" # nginx workers run as nobody
RESULTS="$WORK/results.txt"
PIDS=()

cleanup() {
  set +e
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== building (Release)"
dotnet build Zones.Host -c Release -v q -nologo >/dev/null
dotnet build bench/Kestrel -c Release -v q -nologo >/dev/null
dotnet build bench/WsLoad -c Release -v q -nologo >/dev/null
if [[ " $TESTS " == *" startup-aot "* ]]; then
  echo "== publishing both as native AOT (startup-aot)"
  dotnet publish Zones.Host -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/zones-aot" -v q -nologo >/dev/null
  dotnet publish bench/Kestrel -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false -o "$WORK/kestrel-aot" -v q -nologo >/dev/null
fi
ZONES_DLL=Zones.Host/bin/Release/net10.0/Zones.Host.dll
KESTREL_DLL=bench/Kestrel/bin/Release/net10.0/Kestrel.dll
WSLOAD="dotnet bench/WsLoad/bin/Release/net10.0/WsLoad.dll"

# The files both servers serve.
mkdir -p "$WORK/www"
head -c 1024 /dev/urandom | base64 -w 0 | head -c 1024 > "$WORK/www/1k.txt"
head -c $((10 * 1024 * 1024)) /dev/urandom > "$WORK/www/10m.bin"
# static-mix: 20 files from 0.5 KiB to 200 KiB (geometric steps), requested in turn (bench/mix.lua).
mkdir -p "$WORK/www/mix"
for i in $(seq 1 20); do
  head -c "$(python3 -c "print(round(512 * 400 ** (($i - 1) / 19)))")" /dev/urandom > "$WORK/www/mix/$(printf %02d "$i").bin"
done

# One certificate for both servers' https listeners (ECDSA P-256, as a modern site would use).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1

source bench/confs.sh
zones_conf "[ \"http://127.0.0.1:$ZPORT\", \"https://127.0.0.1:$ZTPORT\" ]" > "$WORK/zones.json"

nginx_conf auto "$NPORT" > "$WORK/nginx.conf"

ZONES_CMD=(dotnet "$ZONES_DLL" --zones "$WORK/zones.json")
KESTREL_CMD=(dotnet "$KESTREL_DLL" --urls "http://127.0.0.1:$KPORT;https://127.0.0.1:$KTPORT" --root "$WORK/www"
  --Kestrel:Certificates:Default:Path "$WORK/cert.pem" --Kestrel:Certificates:Default:KeyPath "$WORK/key.pem")
NGINX_CMD=(nginx -p "$WORK" -c "$WORK/nginx.conf" -g "daemon off;")

port_of() { case $1 in zones) echo $ZPORT;; kestrel) echo $KPORT;; nginx) echo $NPORT;; esac; }
tls_port_of() { case $1 in zones) echo $ZTPORT;; kestrel) echo $KTPORT;; esac; }

wait_ready() { # server path
  local url="http://127.0.0.1:$(port_of "$1")$2"
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.1
  done
  echo "server $1 did not answer $url" >&2; return 1
}

SERVER_PID=""
start() { # server [test]
  # plaintext-accesslog: each server's own file access log — Zones' Server:AccessLog, ASP.NET
  # Core's W3C logger (bench/Kestrel --accesslog) — written under $WORK/logs, removed after the run.
  local log=()
  if [ "${2%@*}" = plaintext-accesslog ]; then
    rm -rf "$WORK/logs"; mkdir -p "$WORK/logs"
    case $1 in zones) log=(--Server:AccessLog "$WORK/logs/access.log") ;; kestrel) log=(--accesslog "$WORK/logs") ;; esac
  fi
  case $1 in
    zones) "${ZONES_CMD[@]}" "${log[@]}" >"$WORK/zones.log" 2>&1 & ;;
    kestrel) "${KESTREL_CMD[@]}" "${log[@]}" >"$WORK/kestrel.log" 2>&1 & ;;
    nginx) command -v nginx >/dev/null || return 1; "${NGINX_CMD[@]}" >"$WORK/nginx.log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_ready "$1" "$([ "$1" = nginx ] && echo /1k.txt || echo /plaintext)"
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; rm -rf "$WORK/logs"; }

WRK_SHAPE=(-t2 -c"$CONNS")
wrk_rps() { # url [wrk options…]
  # --timeout: a 10 MiB response over TLS to 64 clients takes longer than wrk's 2 s default, and
  # wrk would count it as an error and reconnect (which sometimes crashes wrk 4.1 over TLS).
  wrk "${WRK_SHAPE[@]}" --timeout 30s -d2s "${@:2}" "$1" >/dev/null 2>&1 # warm-up (JIT, caches)
  wrk "${WRK_SHAPE[@]}" --timeout 30s -d"${DURATION}s" "${@:2}" "$1" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
}

idle_mem() { # client command… → KiB of server RSS per connection the client holds idle
  local before after fifo="$WORK/idle.fifo"
  sleep 1; before=$(python3 bench/tools.py rss "$SERVER_PID")
  rm -f "$fifo"; mkfifo "$fifo"
  "$@" <"$fifo" >"$WORK/idle.out" 2>&1 &
  local load=$!
  exec 9>"$fifo"
  for _ in $(seq 1 600); do grep -q ready "$WORK/idle.out" 2>/dev/null && break; sleep 0.1; done
  sleep 3; after=$(python3 bench/tools.py rss "$SERVER_PID")
  exec 9>&-; wait "$load" 2>/dev/null || true
  if grep -q "ready $IDLE" "$WORK/idle.out"; then
    python3 -c "print(f'{($after - $before) / $IDLE:.2f}')"
  else
    echo nan; cat "$WORK/idle.out" >&2
  fi
}

validator() { # url field → that response field's value (the server's ETag or Last-Modified)
  curl -sI "$1" | tr -d '\r' | awk -v f="$2" 'tolower($1) == f ":" { sub(/^[^:]*: */, ""); print; exit }'
}

measure() { # test[@profile] server → prints one number
  local port; port=$(port_of "$2")
  local tls; tls=$(tls_port_of "$2")
  case $1 in
    *@t1c32) WRK_SHAPE=(-t1 -c32) ;;
    *) WRK_SHAPE=(-t2 -c"$CONNS") ;;
  esac
  case ${1%@*} in
    tls-plaintext) wrk_rps "https://127.0.0.1:$tls/plaintext" ;;
    tls-static-1k) wrk_rps "https://127.0.0.1:$tls/1k.txt" ;;
    tls-static-10m) wrk_rps "https://127.0.0.1:$tls/10m.bin" ;;
    tls-handshakes) wrk_rps "https://127.0.0.1:$tls/plaintext" -H "Connection: close" ;; # a full handshake per request
    pipelined) wrk_rps "http://127.0.0.1:$port/plaintext" -s bench/pipeline.lua ;;
    browser) PIPE=1 wrk_rps "http://127.0.0.1:$port/plaintext" -s bench/browser.lua ;;
    browser-pipelined) PIPE=16 wrk_rps "http://127.0.0.1:$port/plaintext" -s bench/browser.lua ;;
    conn-per-request) wrk_rps "http://127.0.0.1:$port/plaintext" -H "Connection: close" ;;
    static-mix) wrk_rps "http://127.0.0.1:$port/" -s bench/mix.lua ;;
    tls-ws-echo)
      $WSLOAD echo "wss://127.0.0.1:$tls/ws" 16 128 2 >/dev/null 2>&1 || true
      $WSLOAD echo "wss://127.0.0.1:$tls/ws" 64 128 "$DURATION" 2>/dev/null | awk '/messages/ {print $2}' ;;
    plaintext|plaintext-accesslog) wrk_rps "http://127.0.0.1:$port/plaintext" ;;
    static-1k) wrk_rps "http://127.0.0.1:$port/1k.txt" ;;
    static-1k-browser) PIPE=1 wrk_rps "http://127.0.0.1:$port/1k.txt" -s bench/browser.lua ;;
    static-1k-reload) # a browser's reload: its fields and the server's own validators, answered 304
      PIPE=1 IF_NONE_MATCH=$(validator "http://127.0.0.1:$port/1k.txt" etag) IF_MODIFIED_SINCE=$(validator "http://127.0.0.1:$port/1k.txt" last-modified) \
        wrk_rps "http://127.0.0.1:$port/1k.txt" -s bench/browser.lua ;;
    static-10m) wrk_rps "http://127.0.0.1:$port/10m.bin" ;;
    ws-echo)
      $WSLOAD echo "ws://127.0.0.1:$port/ws" 16 128 2 >/dev/null 2>&1 || true
      $WSLOAD echo "ws://127.0.0.1:$port/ws" 64 128 "$DURATION" 2>/dev/null | awk '/messages/ {print $2}' ;;
    ws-idle-mem) idle_mem $WSLOAD idle "ws://127.0.0.1:$port/ws" "$IDLE" ;;
    http-idle-mem) idle_mem python3 bench/tools.py http-idle "$port" /plaintext "$IDLE" ;;
  esac
}

servers_for() { case ${1%@*} in static-1k|static-1k-browser|static-1k-reload|static-mix|static-10m) echo "zones kestrel nginx";; *) echo "zones kestrel";; esac; }

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round of $ROUNDS"
  for test in $TESTS; do
    order=$(servers_for "$test")
    [ $((round % 2)) -eq 0 ] && order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
    for server in $order; do
      if [ "$test" = startup ]; then
        case $server in
          zones) value=$(python3 bench/tools.py startup $ZPORT /plaintext "${ZONES_CMD[@]}") ;;
          kestrel) value=$(python3 bench/tools.py startup $KPORT /plaintext "${KESTREL_CMD[@]}") ;;
        esac
      elif [ "$test" = startup-aot ]; then
        case $server in
          zones) value=$(python3 bench/tools.py startup $ZPORT /plaintext "$WORK/zones-aot/Zones.Host" "${ZONES_CMD[@]:2}") ;;
          kestrel) value=$(python3 bench/tools.py startup $KPORT /plaintext "$WORK/kestrel-aot/Kestrel" "${KESTREL_CMD[@]:2}") ;;
        esac
      else
        if ! start "$server" "$test"; then echo "$test $server nan" >> "$RESULTS"; continue; fi
        value=$(measure "$test" "$server" || echo nan)
        stop
      fi
      echo "  $test $server ${value:-nan}"
      echo "$test $server ${value:-nan}" >> "$RESULTS"
    done
  done
done

MACHINE="Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr), .NET SDK $(dotnet --version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), nginx $(nginx -v 2>&1 | cut -d/ -f2).
Settings: $ROUNDS rounds, ${DURATION}s per run after a 2 s warm-up, wrk -t2 -c$CONNS (TEST@t1c32: wrk -t1 -c32), pipelined: 16 requests per write, browser: the fields Chromium sends (bench/browser.lua, 16 per write when pipelined), WebSocket echo 64 clients × 128-byte messages, idle memory at $IDLE connections (RSS delta / connections; http-idle-mem: keep-alive connections that each sent one GET /plaintext and read its answer).
Builds: throughput, memory and \`startup\` use \`dotnet build -c Release\` (JIT) for both; \`startup-aot\` uses \`dotnet publish -p:PublishAot=true\` for both. Kestrel is the \`dotnet new web\` builder (WebApplication.CreateBuilder) with /plaintext as raw middleware, UseStaticFiles and UseWebSockets.
Command: \`bench/run.sh $ROUNDS\`" || true  # wrk -v exits 1; the line is still complete
if [ "$TESTS" != "$ALL_TESTS" ]; then MACHINE="$MACHINE with TESTS=\"$TESTS\""; fi
echo
python3 bench/tools.py report "$RESULTS" "$OUT" "$MACHINE"
echo
echo "wrote $OUT"
