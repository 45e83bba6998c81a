#!/usr/bin/env bash
# bench/sendfile.sh [ROUNDS] — large static files: Zones' pooled-buffer copy against sendfile(2)
# with three slice sizes, beside Kestrel and nginx (one worker, sendfile on), per file size.
#
# One Release build of Zones.Host, copied once per variant with its runtimeconfig.json telling
# where sendfile starts (Zones.SendFile.MinLength) and how much one call is given
# (Zones.SendFile.SliceLength); the file cache is off (CacheMaxFileSize 0) so even 64 KiB is read
# from the file. For each round, size and variant (the order alternates between rounds): a fresh
# server, a 2 s wrk warm-up, then DURATION s of wrk -t1 -c$CONNS; the row holds the median
# MiB/s and the server's CPU milliseconds per GiB sent (utime + stime over the measured run), the
# second being what sendfile is for on a machine whose cores the clients share.
# Environment: SIZES (default "64k 1m 10m 100m"), DURATION (5), CONNS (16), OUT (bench/results-sendfile.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
SIZES=${SIZES:-64k 1m 10m 100m}
DURATION=${DURATION:-5}
CONNS=${CONNS:-16}
OUT=${OUT:-bench/results-sendfile.md}
source bench/lib.sh sendfile
chmod 755 "$WORK" # nginx workers run as nobody
PORT=18095

echo "== building (Release)"
dotnet build Zones.Host -c Release -v q -nologo >/dev/null
dotnet build bench/Kestrel -c Release -v q -nologo >/dev/null
mkdir -p "$WORK/www"
for size in $SIZES; do head -c "$(numfmt --from=iec "${size^^}")" /dev/urandom > "$WORK/www/$size.bin"; done

declare -A MIN=([zones-copy]=9223372036854775807 [zones-sendfile-1m]=0 [zones-sendfile-4m]=0 [zones-sendfile-16m]=0)
declare -A SLICE=([zones-copy]=4194304 [zones-sendfile-1m]=1048576 [zones-sendfile-4m]=4194304 [zones-sendfile-16m]=16777216)
for variant in "${!MIN[@]}"; do
  cp -r Zones.Host/bin/Release/net10.0 "$WORK/$variant"
  python3 - "$WORK/$variant/Zones.Host.runtimeconfig.json" "${MIN[$variant]}" "${SLICE[$variant]}" <<'PY'
import json, sys
path, minimum, slice_length = sys.argv[1:]
config = json.load(open(path))
config["runtimeOptions"]["configProperties"].update({"Zones.SendFile.MinLength": minimum, "Zones.SendFile.SliceLength": slice_length})
json.dump(config, open(path, "w"), indent=2)
PY
done
cat > "$WORK/zones.json" <<JSON
{
  "Server": { "Urls": [ "http://127.0.0.1:$PORT" ] },
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Zones": [ { "Prefix": "/", "Handler": "staticfile", "Root": "$WORK/www", "CacheMaxFileSize": 0 } ]
}
JSON
source bench/confs.sh
nginx_conf 1 "$PORT" > "$WORK/nginx.conf"

SERVER_PID=""
start() { # variant
  case $1 in
    zones-*) dotnet "$WORK/$1/Zones.Host.dll" --zones "$WORK/zones.json" >"$WORK/server.log" 2>&1 & ;;
    kestrel) dotnet bench/Kestrel/bin/Release/net10.0/Kestrel.dll --urls "http://127.0.0.1:$PORT" --root "$WORK/www" >"$WORK/server.log" 2>&1 & ;;
    nginx) nginx -p "$WORK" -c "$WORK/nginx.conf" -g "daemon off;" >"$WORK/server.log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/64k.bin" 2>/dev/null || true)" = 200 ] && return 0
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/${SIZES%% *}.bin" 2>/dev/null || true)" = 200 ] && return 0
    sleep 0.1
  done
  echo "$1 did not start" >&2; cat "$WORK/server.log" >&2; return 1
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
cpu_ms() { # pid → utime + stime of it and its children (nginx's worker), in ms
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

VARIANTS="zones-copy zones-sendfile-1m zones-sendfile-4m zones-sendfile-16m kestrel nginx"
RESULTS="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  order=$VARIANTS
  [ $((round % 2)) -eq 0 ] && order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
  for size in $SIZES; do
    url="http://127.0.0.1:$PORT/$size.bin"
    for variant in $order; do
      start "$variant" || { echo "$size $variant nan nan" >> "$RESULTS"; continue; }
      wrk -t1 -c"$CONNS" --timeout 30s -d2s "$url" >/dev/null 2>&1
      before=$(cpu_ms "$SERVER_PID")
      out=$(wrk -t1 -c"$CONNS" --timeout 30s -d"${DURATION}s" "$url" 2>/dev/null)
      after=$(cpu_ms "$SERVER_PID")
      stop
      read -r mibs cpu_per_gib < <(echo "$out" | python3 -c "
import re, sys
text = sys.stdin.read()
m = re.search(r'(\d+) requests in ([\d.]+)s, ([\d.]+)(\w+) read', text)
unit = {'B': 1 / 2**20, 'KB': 1 / 1024, 'MB': 1, 'GB': 1024, 'TB': 2**20}
mib = float(m.group(3)) * unit[m.group(4)] if m else float('nan')
print(f'{mib / float(m.group(2)):.0f}' if m else 'nan', f'{($after - $before) / (mib / 1024):.0f}' if m and mib else 'nan')")
      echo "  round $round $size $variant ${mibs} MiB/s, ${cpu_per_gib} CPU ms/GiB"
      echo "$size $variant $mibs $cpu_per_gib" >> "$RESULTS"
    done
  done
done

python3 - "$RESULTS" "$OUT" "$ROUNDS" "$DURATION" "$CONNS" "$VARIANTS" "$(nproc)" "$(dotnet --version)" "$(nginx -v 2>&1 | cut -d/ -f2)" "$(uptime | sed 's/.*load average: //')" <<'PY'
import math, statistics, sys
results, out, rounds, duration, conns, variants, cores, sdk, nginx, load = sys.argv[1:]
data, sizes = {}, []
for line in open(results):
    size, variant, mibs, cpu = line.split()
    if size not in sizes: sizes.append(size)
    data.setdefault((size, variant), []).append((float(mibs), float(cpu)))
def med(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else float("nan")
variants = variants.split()
rows = ["| size | " + " | ".join(variants) + " |", "|---|" + "---:|" * len(variants)]
for size in sizes:
    cells = []
    for v in variants:
        xs = data.get((size, v), [])
        cells.append(f"{med([x[0] for x in xs]):,.0f} MiB/s · {med([x[1] for x in xs]):,.0f} ms/GiB")
    rows.append(f"| {size} | " + " | ".join(cells) + " |")
table = "\n".join(rows)
print(table)
with open(out, "w") as f:
    f.write("# Large files: copy against sendfile (bench/sendfile.sh)\n\n")
    f.write(f"{rounds} rounds, wrk -t1 -c{conns} for {duration} s after a 2 s warm-up, a fresh server per cell; {cores} cores, .NET SDK {sdk}, nginx {nginx} (one worker); load average at the end {load}.\n")
    f.write("Each cell: median throughput · the server's CPU milliseconds per GiB sent. zones-copy: 64 KiB pooled blocks through the pipe; zones-sendfile-N: sendfile(2) in slices of N.\n\n")
    f.write(table + "\n\nRaw (size variant MiB/s CPU-ms/GiB):\n\n```\n" + open(results).read() + "```\n")
PY
