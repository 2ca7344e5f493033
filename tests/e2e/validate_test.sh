#!/usr/bin/env bash
# `validate` end to end (spec/validation.md): coverage, completeness,
# features + regression, JSON output, exit codes, stored runs.
#   validate_test.sh BIN
set -uo pipefail
BIN=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
. "$(dirname "$0")/lib.sh"
unset NBA_WAREHOUSE NBA_PRECOMPUTE_TODAY PCF_WORKERS PARALLELIZATION_WORKERS

sql() { "$BIN" --warehouse "$WH" sql --format csv "$1" | tail -n +2; }

WH="sqlite:$work/wh"

# --- usage and missing warehouse ----------------------------------------------
expect 2 "missing warehouse" -- "$BIN" --warehouse "sqlite:$work/none" validate
contains "missing warehouse hint" "does not exist"
[ ! -e "$work/none" ]; check "missing warehouse not created" $?

# --- short demo warehouse: 2021-10-19..2021-12-31 ------------------------------
expect 0 "demo-data" -- "$BIN" --warehouse "$WH" demo-data --end-date 2021-12-31
expect 0 "backfill" -- "$BIN" --warehouse "$WH" --no-progress backfill all --start-date 2021-10-19 --end-date 2021-12-31
expect 2 "bad check" -- "$BIN" --warehouse "$WH" validate coverge
expect 2 "bad processor" -- "$BIN" --warehouse "$WH" validate coverage --processor pfc
contains "processor suggestion" "did you mean pcf?"
expect 2 "bad date" -- "$BIN" --warehouse "$WH" validate coverage --start-date 2021-13-01

game_dates=$(sql "SELECT COUNT(DISTINCT game_date) FROM nba_raw.nbac_schedule WHERE game_status = 'final' AND game_type IN ('regular_season','play_in','playoff')")
processable=$((game_dates - 14))

# The short range cannot reach 85 %: max coverage = processable / game dates.
expect 5 "coverage default threshold" -- "$BIN" --warehouse "$WH" validate coverage
contains "coverage header" "COVERAGE 2021-10-19..2021-12-31: $game_dates game dates, 14 bootstrap, $processable processable"
contains "bootstrap exclusions listed" "2021-22 2021-10-19..2021-11-01 (14)"
contains "C1 failure" "FAIL C1 player_composite_factors: coverage"

expect 0 "coverage passes at 75" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75
for p in team_defense_zone_analysis player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store; do
  grep -E "^$p +$processable " "$work/out" | grep -q "PASS"; check "coverage row $p" $?
done
contains "coverage result" "VALIDATION RESULT: PASS (0 failures, 0 warnings)"

expect 0 "coverage json" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --processor pcf --format json
python3 - "$work/out" "$game_dates" "$processable" <<'PY'; check "coverage json content" $?
import json, sys
doc = json.load(open(sys.argv[1]))
games, processable = int(sys.argv[2]), int(sys.argv[3])
assert doc["result"] == "pass" and doc["exit_code"] == 0 and doc["failures"] == 0, doc
for key in ("validation_id", "command", "start_date", "end_date", "engine_version", "checks", "coverage",
            "completeness", "features", "regression"):
    assert key in doc, key
assert doc["validation_id"].startswith("val-")
[pcf] = doc["coverage"]
assert pcf["processor"] == "player_composite_factors"
assert pcf["game_dates"] == games and pcf["bootstrap_dates"] == 14 and pcf["covered_dates"] == processable
assert pcf["coverage_pct"] == round(processable / games * 100, 1) == pcf["max_coverage_pct"]
assert pcf["failed_dates"] == [] and pcf["not_run_dates"] == []
assert doc["completeness"] is None and doc["features"] == [] and doc["regression"] is None
PY

# --- completeness ---------------------------------------------------------------
expect 0 "completeness" -- "$BIN" --warehouse "$WH" validate completeness --start-date 2021-10-01
contains "completeness header" "PIPELINE COMPLETENESS 2021-10-01..2021-12-31 (historical game dates $game_dates, bootstrap 14)"
contains "L3 line" "(100.0% of L1)"
contains "L4 line" "(100.0% of non-bootstrap L1)"
contains "gaps" "0 dates, longest run 0 (limit 3)"
expect 0 "completeness details" -- "$BIN" --warehouse "$WH" validate completeness --details
grep -q "^  2021-10-19 .*⊘$" "$work/out"; check "bootstrap symbol" $?
grep -q "^  2021-12-31 .*✓$" "$work/out"; check "complete symbol" $?

# --- features + regression --------------------------------------------------------
expect 0 "features first run" -- "$BIN" --warehouse "$WH" validate features --check-regression
contains "features header" "FEATURES 2021-10-19..2021-12-31 (non-bootstrap rows)"
contains "mlfs table" "ml_feature_store_v2  CLEAN"
contains "no baseline" "no baseline yet: this run will become the baseline if it passes"
contains "saved baseline" "saved as baseline val-"
expect 0 "features unchanged rerun" -- "$BIN" --warehouse "$WH" validate features --check-regression
contains "regression compared" "metrics compared"
contains "no regressions" "no regressions"
lacks "no R7 on rerun" "R7"
baselines=$(sql "SELECT COUNT(*) FROM nba_orchestration.validation_runs WHERE is_baseline = 1")
[ "$baselines" = 2 ]; check "two baselines stored ($baselines)" $?
hashes=$(sql "SELECT COUNT(*) FROM nba_orchestration.validation_output_hashes")
[ "$hashes" -gt 0 ]; check "output hashes stored" $?

# Alter one feature's distribution: fatigue_score (MLFS index 5 and PCF) shifted.
expect 0 "alter pcf" -- "$BIN" --warehouse "$WH" sql --write "UPDATE nba_precompute.player_composite_factors SET fatigue_score = fatigue_score - 20 WHERE fatigue_score >= 75"
expect 5 "features regression detected" -- "$BIN" --warehouse "$WH" validate features --check-regression --processor pcf
contains "R4 names the feature" "FAIL R4 nba_precompute.player_composite_factors.fatigue_score"
lacks "no R7: data_hash unchanged" "non-deterministic output"
contains "fail result" "VALIDATION RESULT: FAIL"
last=$(sql "SELECT result || ':' || exit_code || ':' || is_baseline FROM nba_orchestration.validation_runs ORDER BY finished_at DESC LIMIT 1")
[ "$last" = "fail:5:0" ]; check "failed run stored, not a baseline ($last)" $?

# --- C5 entity reconciliation (--details) -------------------------------------------
expect 0 "details reconciles every entity" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --details
contains "reconciliation line" "pdc  universe "
lines=$(grep -cE "^  [0-9-]{10}  (tdza|psza|pdc|pcf|mlfs)  universe [0-9]+ = rows [0-9]+ \+ excluded [0-9]+.* \+ unaccounted 0$" "$work/out")
[ "$lines" = $((5 * processable)) ]; check "C5: 5 x $processable dates with unaccounted 0 ($lines)" $?
bad=$(grep -E "  universe " "$work/out" | grep -cvE "unaccounted 0$")
[ "$bad" = 0 ]; check "C5: no date with unaccounted entities ($bad)" $?
# Excluded entities are counted: TDZA early in the season excludes all 30 teams.
contains "tdza exclusions" "2021-11-02  tdza  universe 30 = rows 0 + excluded 30 (INSUFFICIENT_DATA 30) + unaccounted 0"
victim=$(sql "SELECT MIN(player_lookup) FROM nba_precompute.player_composite_factors WHERE game_date = '2021-12-15'")
universe=$(sql "SELECT COUNT(DISTINCT player_lookup) FROM nba_analytics.player_game_summary WHERE game_date = '2021-12-15'")
expect 0 "delete one pcf row" -- "$BIN" --warehouse "$WH" sql --write "DELETE FROM nba_precompute.player_composite_factors WHERE game_date = '2021-12-15' AND player_lookup = '$victim'"
expect 5 "C5 fails after the deletion" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --details --processor pcf
contains "C5 names date, processor and counts" "FAIL C5 player_composite_factors: 1 of $processable dates with entities not accounted for: 2021-12-15  pcf  universe $universe = rows $((universe - 1)) + excluded 0 + unaccounted 1 ($victim)"
expect 0 "without --details no C5" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --processor pcf

# --- a deleted date fails coverage and is named -----------------------------------
expect 0 "delete date" -- "$BIN" --warehouse "$WH" sql --write "DELETE FROM nba_predictions.ml_feature_store_v2 WHERE game_date = '2021-12-10'"
expect 0 "delete history" -- "$BIN" --warehouse "$WH" sql --write "DELETE FROM nba_reference.processor_run_history WHERE processor_name = 'ml_feature_store' AND data_date = '2021-12-10'"
expect 5 "coverage deleted date" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75
contains "C3 names the date" "FAIL C3 ml_feature_store: 1 not run dates (2021-12-10)"
expect 5 "coverage json deleted" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --processor mlfs --format json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['coverage'][0]['not_run_dates']==['2021-12-10'] and d['exit_code']==5" "$work/out"
check "json names the deleted date" $?
expect 0 "delete pdc rows only" -- "$BIN" --warehouse "$WH" sql --write "DELETE FROM nba_precompute.player_daily_cache WHERE cache_date = '2021-12-11'"
expect 5 "coverage rows deleted after success" -- "$BIN" --warehouse "$WH" validate coverage --min-coverage 75 --processor pdc --details
contains "C3 rows deleted" "rows were deleted after a success (2021-12-11)"
contains "details line" "2021-12-11  rows deleted after a success"

# --- validate all -------------------------------------------------------------------
expect 5 "all fails after the damage" -- "$BIN" --warehouse "$WH" validate --min-coverage 75
contains "all has coverage" "COVERAGE 2021-10-19..2021-12-31"
contains "all has completeness" "PIPELINE COMPLETENESS"
contains "all has features" "FEATURES 2021-10-19"
contains "all has regression" "REGRESSION"
contains "gap listed" "2021-12-10: 0/"

# Read-only on the data: Phase 4 row counts unchanged by validate.
before=$(sql "SELECT COUNT(*) FROM nba_precompute.player_composite_factors")
"$BIN" --warehouse "$WH" validate --min-coverage 75 > /dev/null 2>&1
after=$(sql "SELECT COUNT(*) FROM nba_precompute.player_composite_factors")
[ "$before" = "$after" ]; check "validate writes no Phase 4 rows" $?

echo "validate_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
