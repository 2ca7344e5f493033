#!/usr/bin/env bash
# make bench: compute-only Google Benchmarks of the processors, then the
# end-to-end figures the issue tracks: demo-data, the full default-range
# cascade (`backfill all` over 2021-10-19..2026-01-02: wall time, peak RSS,
# per-processor timings from PRECOMPUTE_STATS) and one nightly `run --date`.
#   bench/run_bench.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build-bench}
BIN="$BUILD/nba-precompute"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"

echo "== Google Benchmark: processors, compute only (one thread) =="
"$BUILD/nba_precompute_bench" --benchmark_counters_tabular=true 2>/dev/null

# Runs a command, printing its wall time and peak RSS (children's ru_maxrss).
measure() {
  local label=$1
  shift
  python3 - "$label" "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
start = time.monotonic()
with open(label.replace(" ", "_") + ".log", "w") as log:
    rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
wall = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(f"{label:<34} wall {wall:7.2f} s   peak RSS {rss:7.1f} MB   exit {rc}")
sys.exit(rc)
PY
}

cd "$work"
echo
echo "== End to end (sqlite warehouse in a temp dir) =="
measure "demo-data" "$OLDPWD/$BIN" --warehouse "sqlite:$work/wh" demo-data
measure "backfill all (default range)" "$OLDPWD/$BIN" --warehouse "sqlite:$work/wh" --no-progress backfill all \
  --start-date 2021-10-19 --end-date 2026-01-02
measure "run --date 2026-01-02 (nightly)" "$OLDPWD/$BIN" --warehouse "sqlite:$work/wh" --no-progress run --date 2026-01-02
measure "run --date 2026-01-03 (upcoming)" "$OLDPWD/$BIN" --warehouse "sqlite:$work/wh" --no-progress run --date 2026-01-03

echo
echo "== backfill all: per-stage and per-processor figures (PRECOMPUTE_STATS, summary blocks) =="
grep -h 'PRECOMPUTE_STATS {"scope":"run"' "backfill_all_(default_range).log" | sed 's/.*PRECOMPUTE_STATS //'
grep -hE 'SUMMARY -|Elapsed:|Rows written' "backfill_all_(default_range).log" | sed 's/^[^ ]* [A-Z]* *//'
