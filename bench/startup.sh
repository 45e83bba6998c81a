#!/usr/bin/env bash
# bench/startup.sh [ROUNDS] — native AOT start-up, spawn to first 200, and what it is made of.
#
# Publishes with native AOT: Zones.Host, the Kestrel app of bench/run.sh, and bench/HostFloor (the
# generic host Zones is built on with one raw-socket answer: the floor no Zones change can go
# under while it keeps the generic host, with and without the console logger Zones.Hosting adds).
# Each round starts every variant REPEATS times in turn (the order alternates between rounds) and
# takes the medians of wall time and of the process's CPU time at its first answer; the report is
# the median over rounds, with each variant's ratio to Kestrel. Writes OUT (bench/results-startup.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
REPEATS=${REPEATS:-5}
OUT=${OUT:-bench/results-startup.md}
source bench/lib.sh startup
PORT=18090; TLSPORT=18493

echo "== publishing Zones.Host, bench/Kestrel and bench/HostFloor with native AOT"
dotnet publish Zones.Host -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/zones" -v q -nologo >/dev/null
dotnet publish bench/Kestrel -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false -o "$WORK/kestrel" -v q -nologo >/dev/null
dotnet publish bench/HostFloor -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/floor" -v q -nologo >/dev/null

mkdir -p "$WORK/www"; echo hello > "$WORK/www/index.txt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
source bench/confs.sh
zones_conf "[ \"http://127.0.0.1:$PORT\", \"https://127.0.0.1:$TLSPORT\" ]" > "$WORK/zones.json"
zones_conf "[ \"http://127.0.0.1:$PORT\" ]" > "$WORK/zones-plain.json"

# One command line per variant (as bench/run.sh's startup-aot runs the first two).
declare -A CMD=(
  [kestrel]="$WORK/kestrel/Kestrel --urls http://127.0.0.1:$PORT;https://127.0.0.1:$TLSPORT --root $WORK/www --Kestrel:Certificates:Default:Path $WORK/cert.pem --Kestrel:Certificates:Default:KeyPath $WORK/key.pem"
  [zones]="$WORK/zones/Zones.Host --zones $WORK/zones.json"
  [zones-http-only]="$WORK/zones/Zones.Host --zones $WORK/zones-plain.json"
  [host-floor+console]="env HOSTFLOOR_CONSOLE=1 $WORK/floor/HostFloor --port $PORT"
  [host-floor]="$WORK/floor/HostFloor --port $PORT"
)
VARIANTS="kestrel zones zones-http-only host-floor+console host-floor"
RESULTS="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  order=$VARIANTS
  [ $((round % 2)) -eq 0 ] && order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
  for variant in $order; do
    # shellcheck disable=SC2086 # the command lines are word lists
    read -r wall cpu < <(python3 bench/tools.py startup-cpu "$REPEATS" "$PORT" /plaintext ${CMD[$variant]})
    echo "  round $round $variant wall ${wall} ms cpu ${cpu} ms"
    echo "$variant $wall $cpu" >> "$RESULTS"
  done
done

python3 - "$RESULTS" "$OUT" "$ROUNDS" "$REPEATS" "$VARIANTS" "$(nproc)" "$(dotnet --version)" "$(uptime | sed 's/.*load average: //')" \
  "$(stat -c %s "$WORK/zones/Zones.Host" "$WORK/kestrel/Kestrel" "$WORK/floor/HostFloor" | tr '\n' ' ')" <<'PY'
import statistics, sys
results, out, rounds, repeats, variants, cores, sdk, load, sizes = sys.argv[1:]
zones_size, kestrel_size, floor_size = (int(s) / 2**20 for s in sizes.split())
data = {}
for line in open(results):
    v, wall, cpu = line.split()
    data.setdefault(v, []).append((float(wall), float(cpu)))
med = {v: (statistics.median(w for w, _ in xs), statistics.median(c for _, c in xs)) for v, xs in data.items()}
k = med["kestrel"]
rows = ["| variant | wall ms | CPU ms | wall / Kestrel | CPU / Kestrel |", "|---|---:|---:|---:|---:|"]
for v in variants.split():
    w, c = med[v]
    rows.append(f"| {v} | {w:.1f} | {c:.1f} | {w / k[0]:.2f}× | {c / k[1]:.2f}× |")
table = "\n".join(rows)
print(table)
print(f"binaries: Zones.Host {zones_size:.1f} MiB, Kestrel {kestrel_size:.1f} MiB, HostFloor {floor_size:.1f} MiB")
with open(out, "w") as f:
    f.write("# Start-up, native AOT (bench/startup.sh)\n\n")
    f.write(f"{rounds} rounds × {repeats} starts per variant, medians; {cores} cores, .NET SDK {sdk}, load average at the end {load}.\n")
    f.write("Wall: spawn to the first 200 on /plaintext. CPU: the process's threads' run time at that moment.\n")
    f.write("kestrel: bench/Kestrel (no logging providers); zones: Zones.Host with http and https listeners, as bench/run.sh;\n")
    f.write("host-floor: bench/HostFloor, the empty generic host and a raw-socket answer (+console: with the console logger).\n")
    f.write(f"Binary sizes: Zones.Host {zones_size:.1f} MiB, Kestrel {kestrel_size:.1f} MiB, HostFloor {floor_size:.1f} MiB.\n\n")
    f.write(table + "\n\nRaw (variant wall cpu, one line per round):\n\n```\n" + open(results).read() + "```\n")
PY
