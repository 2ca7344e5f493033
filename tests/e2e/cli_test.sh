#!/usr/bin/env bash
# CLI end-to-end checks: exit codes, messages, sql, import/export round trip,
# demo-data determinism, the runbook's Phase 3 queries, backfill basics.
#   cli_test.sh BIN
set -uo pipefail
BIN=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
. "$(dirname "$0")/lib.sh"
unset NBA_WAREHOUSE NBA_PRECOMPUTE_TODAY PCF_WORKERS PARALLELIZATION_WORKERS


WH="sqlite:$work/wh"

# --- usage errors: exit 2 with a suggestion -----------------------------------
expect 0 "version" -- "$BIN" --version
contains "version text" "nba-precompute 0.1.0"
expect 2 "unknown subcommand" -- "$BIN" backfil tdza
contains "subcommand suggestion" 'unknown subcommand "backfil" (did you mean backfill?)'
expect 2 "unknown processor" -- "$BIN" --warehouse "$WH" backfill pfc --start-date 2024-01-01 --end-date 2024-01-02
contains "processor suggestion" 'unknown processor "pfc" (did you mean pcf?)'
expect 2 "unknown flag" -- "$BIN" --warehouse "$WH" backfill pcf --start-dat 2024-01-01
contains "flag suggestion" "did you mean --start-date?"
expect 2 "missing warehouse" -- "$BIN" --warehouse "$WH" sql "SELECT 1"
contains "missing warehouse hint" 'create it with "nba-precompute demo-data" or "nba-precompute import"'

# --- demo-data: realistic counts, determinism ------------------------------------
expect 0 "demo-data" -- "$BIN" --warehouse "$WH" demo-data
contains "demo-data summary" "nba_analytics.player_game_summary"
expect 2 "demo-data refuses to overwrite" -- "$BIN" --warehouse "$WH" demo-data
contains "overwrite hint" "already exists; use --force to replace it"
expect 0 "game dates query" -- "$BIN" --warehouse "$WH" sql --format csv \
  "SELECT COUNT(DISTINCT game_date) FROM nba_analytics.player_game_summary WHERE game_date BETWEEN '2021-10-19' AND '2026-01-02'"
dates=$(tail -1 "$work/out")
[ "$dates" -ge 880 ] && [ "$dates" -le 960 ]; check "realistic game-date count ($dates)" $?
expect 0 "players per date" -- "$BIN" --warehouse "$WH" sql --format csv \
  "SELECT CAST(AVG(n) AS INTEGER) FROM (SELECT COUNT(*) AS n FROM nba_analytics.player_game_summary WHERE game_date BETWEEN '2024-01-01' AND '2024-03-31' GROUP BY game_date)"
per_date=$(tail -1 "$work/out")
[ "$per_date" -ge 150 ] && [ "$per_date" -le 260 ]; check "players with a game per date ($per_date)" $?
expect 0 "today from the warehouse" -- "$BIN" --warehouse "$WH" sql --format csv "SELECT value FROM nba_reference.warehouse_info WHERE key = 'today'"
contains "demo today" "2026-01-03"
# The runbook's Phase 3 queries run verbatim.
expect 0 "runbook null players query" -- "$BIN" --warehouse "$WH" sql "SELECT game_date, COUNT(*) as null_players
FROM nba_analytics.player_game_summary
WHERE game_date BETWEEN '2024-01-01' AND '2024-01-31'
  AND (player_lookup IS NULL OR universal_player_id IS NULL)
GROUP BY game_date
HAVING null_players > 0"
contains "runbook query result" "(0 rows)"

"$BIN" demo-data --out-dir "$work/a" --format csv > /dev/null 2>&1
"$BIN" demo-data --out-dir "$work/b" --format csv > /dev/null 2>&1
"$BIN" demo-data --seed 7 --out-dir "$work/c" --format csv > /dev/null 2>&1
same=0
for f in "$work"/a/*.csv; do cmp -s "$f" "$work/b/$(basename "$f")" || same=1; done
check "same seed, byte-identical files" $same
[ "$(ls "$work"/a/*.csv | wc -l)" = 6 ]; check "six tables exported" $?
cmp -s "$work/a/nba_analytics.player_game_summary.csv" "$work/c/nba_analytics.player_game_summary.csv"
[ $? != 0 ]; check "different seed, different box scores" $?

# --- sql: read-only by default, formats --------------------------------------------
expect 1 "sql is read-only" -- "$BIN" --warehouse "$WH" sql "DELETE FROM nba_raw.nbac_schedule"
contains "read-only hint" "add --write"
expect 1 "sql error" -- "$BIN" --warehouse "$WH" sql "SELEC 1"
expect 0 "sql json" -- "$BIN" --warehouse "$WH" sql --format json "SELECT 1 AS one, 'x' AS two, NULL AS three"
contains "json output" '"one": 1'

# --- export / import round trip, atomic failure -------------------------------------
expect 0 "export" -- "$BIN" --warehouse "$WH" export nba_analytics.team_offense_game_summary --out "$work/togs.csv"
WH2="sqlite:$work/wh2"
expect 0 "import" -- "$BIN" --warehouse "$WH2" import nba_analytics.team_offense_game_summary "$work/togs.csv"
contains "import summary" "rows into nba_analytics.team_offense_game_summary (replace: 0 deleted"
"$BIN" --warehouse "$WH2" export nba_analytics.team_offense_game_summary --out "$work/togs2.csv" > /dev/null 2>&1
cmp -s "$work/togs.csv" "$work/togs2.csv"; check "export, import, export is byte-identical" $?
head -3 "$work/togs.csv" > "$work/bad.csv"
sed -i '3s/,[0-9.]*$/,4O/' "$work/bad.csv"
expect 1 "bad import" -- "$BIN" --warehouse "$WH2" import nba_analytics.team_offense_game_summary "$work/bad.csv"
contains "bad import message" "bad.csv line 3: column offensive_rating: \"4O\" is not a number"
contains "nothing written" "import rejected: nothing was written"
"$BIN" --warehouse "$WH2" export nba_analytics.team_offense_game_summary --out "$work/togs3.csv" > /dev/null 2>&1
cmp -s "$work/togs.csv" "$work/togs3.csv"; check "failed import left the table unchanged" $?
expect 2 "unknown table" -- "$BIN" --warehouse "$WH2" import nba_analytics.player_game_sumary "$work/togs.csv"
contains "table suggestion" "(did you mean nba_analytics.player_game_summary?)"

# --- backfill basics ---------------------------------------------------------------
expect 0 "backfill tdza" -- "$BIN" --warehouse "$WH" backfill tdza --start-date 2021-10-19 --end-date 2021-11-20
contains "found dates" "Found "
contains "bootstrap skip" "⏭ Skipped: bootstrap period (2021-10-19 [tdza], day 0 of season 2021-22)"
contains "success line" "✓ Success:"
contains "stats line" 'PRECOMPUTE_STATS {"scope":"run"'
expect 0 "tdza rows" -- "$BIN" --warehouse "$WH" sql --format csv \
  "SELECT COUNT(*) FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date BETWEEN '2021-10-19' AND '2021-11-01'"
[ "$(tail -1 "$work/out")" = 0 ]; check "no rows on bootstrap dates" $?
expect 0 "checkpoint status" -- "$BIN" --warehouse "$WH" backfill tdza --start-date 2021-10-19 --end-date 2021-11-20 --status
contains "status complete" "Status:          COMPLETE"
expect 0 "resume is a no-op" -- "$BIN" --warehouse "$WH" backfill tdza --start-date 2021-10-19 --end-date 2021-11-20
contains "nothing to do" "Checkpoint complete: nothing to do"
expect 2 "bad range" -- "$BIN" --warehouse "$WH" backfill tdza --start-date 2021-11-20 --end-date 2021-10-19
expect 2 "half range" -- "$BIN" --warehouse "$WH" backfill tdza --start-date 2021-11-20
PCF_WORKERS=abc expect 2 "bad PCF_WORKERS" -- env PCF_WORKERS=abc "$BIN" --warehouse "$WH" backfill tdza --dates 2021-11-20
contains "workers variable named" "PCF_WORKERS"

# --- explain: recomputes one row and compares it with the stored one ---------------------------
expect 0 "backfill all two dates" -- "$BIN" --warehouse "$WH" backfill all --dates 2021-11-19,2021-11-20
expect 0 "explain tdza" -- "$BIN" --warehouse "$WH" explain tdza --date 2021-11-20 --team BOS
contains "explain tdza matches" "stored row matches: yes (data_hash"
contains "explain tdza league averages" "League averages: Paint"
player=$("$BIN" --warehouse "$WH" sql --format csv "SELECT MIN(player_lookup) FROM nba_precompute.player_composite_factors WHERE game_date = '2021-11-20'" | tail -1)
expect 0 "explain pcf" -- "$BIN" --warehouse "$WH" explain pcf --date 2021-11-20 --player "$player"
contains "explain pcf matches" "stored row matches: yes (data_hash"
contains "explain pcf context" "fatigue_context_json"
contains "explain pcf steps" "steps match the row: yes"
contains "explain pcf fatigue step" "* fatigue_score = clamp("
# Every processor: each formula step with its value, the column steps equal
# to the recomputed row, and the recomputed row equal to the stored one.
check_explain() {  # check_explain ALIAS FLAG ENTITY STEP-TEXT
  expect 0 "explain $1" -- "$BIN" --warehouse "$WH" explain "$1" --date 2021-11-20 "$2" "$3"
  contains "explain $1 stored" "stored row matches: yes (data_hash"
  contains "explain $1 steps match" "steps match the row: yes"
  contains "explain $1 step" "$4"
}
check_explain tdza --team BOS "* paint_pct_allowed_last_15 = PM / PA = "
check_explain psza --player "$player" "* paint_rate_last_10 = r2(PA / T × 100) = "
check_explain pdc --player "$player" "* points_avg_last_5 = r4("
check_explain pcf --player "$player" "* total_composite_adjustment = round_py("
check_explain mlfs --player "$player" "features[0] points_avg_last_5 = "
# The JSON form: every column step's value is the row's value (checked here
# independently of explain's own comparison).
"$BIN" --warehouse "$WH" explain pcf --date 2021-11-20 --player "$player" --format json > "$work/explain.json" 2>&1
if python3 - "$work/explain.json" << 'EOF2'
import json, sys
r = json.load(open(sys.argv[1]))
cols = [s for s in r["steps"] if s["column"]]
assert r["steps_match_row"] is True and r["stored_row_matches"] is True
assert len(cols) >= 20, len(cols)
for s in cols:
    assert r["row"][s["name"]] == s["value"], (s["name"], r["row"][s["name"]], s["value"])
EOF2
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: explain pcf json steps vs row" >&2; fi
expect 0 "explain date only" -- "$BIN" --warehouse "$WH" explain mlfs --date 2021-11-20
contains "explain gates" "4 dependency player_composite_factors"
expect 1 "explain unknown player" -- "$BIN" --warehouse "$WH" explain pcf --date 2021-11-20 --player nosuchplayer
contains "explain why" "is not in the universe"
expect 0 "status" -- "$BIN" --warehouse "$WH" status
contains "status processors" "team_defense_zone_analysis"

echo "cli_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
