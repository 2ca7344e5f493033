#!/usr/bin/env bash
# `run --date` loads only the look-back its windows need (inputs.cc
# InputLookbackStart: the season, D - 60, the teams' last 10 game dates, each
# player's latest age row): on a warehouse spanning a season boundary, the
# nightly run of a date must reproduce the backfill's rows of that date
# exactly (every processor's output_hash and status), including the first
# processable date of a season, when windows reach into the previous one.
#   nightly_test.sh BIN
set -uo pipefail
BIN=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
unset NBA_WAREHOUSE NBA_PRECOMPUTE_TODAY NBA_PRECOMPUTE_LOG_LEVEL PCF_WORKERS PARALLELIZATION_WORKERS
. "$(dirname "$0")/lib.sh"
WH="sqlite:$work/wh"

expect 0 "demo-data over a season boundary" -- "$BIN" --warehouse "$WH" demo-data --first-season 2021 --end-date 2022-11-25
expect 0 "backfill all" -- "$BIN" --warehouse "$WH" backfill all --start-date 2021-10-19 --end-date 2022-11-25
cp "$work/out" "$work/backfill.log"

# (processor, date) -> "status hash" of the PRECOMPUTE_STATS date lines of a log.
outcomes() {
  python3 - "$1" << 'PY'
import json, sys
for line in open(sys.argv[1]):
    i = line.find("PRECOMPUTE_STATS ")
    if i < 0: continue
    s = json.loads(line[i + 17:])
    if s.get("scope") == "date":
        print(s["processor"], s["date"], s["status"], s["output_hash"])
PY
}
outcomes "$work/backfill.log" | sort > "$work/backfill.outcomes"
# The first successful MLFS date of season 2022 (bootstrap just over), the
# last one of season 2021 (playoffs), one in mid-season and the last date.
first_2022=$(awk '$1 == "ml_feature_store" && $2 >= "2022-10-01" && $3 == "success" {print $2}' "$work/backfill.outcomes" | head -1)
last_2021=$(awk '$1 == "ml_feature_store" && $2 < "2022-10-01" && $3 == "success" {print $2}' "$work/backfill.outcomes" | tail -1)
check "season 2022 has a processable date" "$([ -n "$first_2022" ] && echo 0 || echo 1)"
for date in "$first_2022" "$last_2021" 2022-02-15 2022-11-25; do
  expect 0 "run --date $date" -- "$BIN" --warehouse "$WH" run --date "$date"
  outcomes "$work/out" | sort > "$work/run.outcomes"
  grep " $date " "$work/backfill.outcomes" > "$work/want"
  check "run --date $date: 5 processors" "$([ "$(wc -l < "$work/run.outcomes")" = 5 ] && echo 0 || echo 1)"
  if diff "$work/want" "$work/run.outcomes" > "$work/diff"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: run --date $date differs from the backfill:" >&2; cat "$work/diff" >&2; fi
done

echo "nightly_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
