#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET ...] — fuzz Zones' parsers with AFL++ through SharpFuzz.
#
# From a clean clone: installs afl++ (apt, when root) and the SharpFuzz instrumenter (a local
# dotnet tool), publishes fuzz/Zones.Fuzz, instruments Zones.Core.dll, seeds each target from
# fuzz/corpus/TARGET and the bad-request corpus, runs afl-fuzz for SECONDS per target, prints
# the executions and findings, and adds the new queue entries to fuzz/corpus/TARGET so the
# CI replay test (Zones.Tests/Fuzz) runs them. Targets: head, chunked, wshandshake (default: all).
set -euo pipefail
cd "$(dirname "$0")"
DURATION=${1:?usage: fuzz/run.sh SECONDS [TARGET ...]}
shift
TARGETS=${*:-head chunked wshandshake}

if ! command -v afl-fuzz >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "afl-fuzz is missing: apt-get install afl++"; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
if [ ! -x .tools/sharpfuzz ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path .tools >/dev/null
fi

rm -rf out
dotnet publish Zones.Fuzz -c Release -o out -v q -nologo >/dev/null
.tools/sharpfuzz out/Zones.Core.dll >/dev/null
.tools/sharpfuzz out/Zones.Handlers.dll >/dev/null

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
for target in $TARGETS; do
  seeds=$(mktemp -d)
  mkdir -p "corpus/$target"
  cp corpus/"$target"/* "$seeds"/ 2>/dev/null || true
  python3 seeds.py "$target" "$seeds"
  findings="findings/$target"
  rm -rf "$findings"; mkdir -p findings
  echo "== fuzzing $target for ${DURATION}s ($(ls "$seeds" | wc -l) seeds)"
  afl-fuzz -i "$seeds" -o "$findings" -t 5000 -m none -V "$DURATION" -- dotnet out/Zones.Fuzz.dll "$target" >"findings-$target.log" 2>&1 || {
    echo "afl-fuzz failed; the end of its log:"; tail -20 "findings-$target.log"; exit 1; }
  stats="$findings/default/fuzzer_stats"
  for key in run_time execs_done execs_per_sec corpus_count saved_crashes saved_hangs; do
    printf '  %-14s %s\n' "$key" "$(awk -v k="$key" '$1 == k {print $3}' "$stats")"
  done
  # Keep what AFL found interesting (and every crash or hang) for the CI replay.
  for f in "$findings"/default/queue/id:* "$findings"/default/crashes/id:* "$findings"/default/hangs/id:*; do
    [ -f "$f" ] || continue
    cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
  done
  rm -rf "$seeds"
done
