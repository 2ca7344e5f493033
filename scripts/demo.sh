#!/usr/bin/env bash
# The main job on the embedded SQLite warehouse: generate the demo data into
# ./warehouse (replacing an earlier demo warehouse, so re-running is safe),
# run every Phase 4 processor that exists over the demo range, and summarise.
set -euo pipefail
BIN=${1:-build/nba-precompute}
WAREHOUSE=${NBA_WAREHOUSE:-sqlite:./warehouse}
START=2021-10-19
END=2026-01-02

started=$(date +%s%N)
"$BIN" --warehouse "$WAREHOUSE" demo-data --force --end-date "$END"

# The full cascade; its per-date log goes to demo-backfill.log, the summary blocks to the terminal.
LOG=${LOG_FILE:-demo-backfill.log}
"$BIN" --warehouse "$WAREHOUSE" --no-progress backfill all --start-date "$START" --end-date "$END" --no-resume \
  2> "$LOG" || { tail -30 "$LOG"; exit 1; }
grep -hE 'SUMMARY -|Successful:|Rows written|Elapsed:|PRECOMPUTE_STATS \{"scope":"run"' "$LOG" \
  | sed 's/^[^ ]* [A-Z]* *//'

echo
echo "Rows per table:"
"$BIN" --warehouse "$WAREHOUSE" sql "
  SELECT 'nba_raw.nbac_schedule' AS table_name, COUNT(*) AS rows FROM nba_raw.nbac_schedule
  UNION ALL SELECT 'nba_analytics.player_game_summary', COUNT(*) FROM nba_analytics.player_game_summary
  UNION ALL SELECT 'nba_analytics.team_defense_game_summary', COUNT(*) FROM nba_analytics.team_defense_game_summary
  UNION ALL SELECT 'nba_analytics.team_offense_game_summary', COUNT(*) FROM nba_analytics.team_offense_game_summary
  UNION ALL SELECT 'nba_analytics.upcoming_player_game_context', COUNT(*) FROM nba_analytics.upcoming_player_game_context
  UNION ALL SELECT 'nba_analytics.upcoming_team_game_context', COUNT(*) FROM nba_analytics.upcoming_team_game_context
  UNION ALL SELECT 'nba_precompute.team_defense_zone_analysis', COUNT(*) FROM nba_precompute.team_defense_zone_analysis
  UNION ALL SELECT 'nba_precompute.player_shot_zone_analysis', COUNT(*) FROM nba_precompute.player_shot_zone_analysis
  UNION ALL SELECT 'nba_precompute.player_daily_cache', COUNT(*) FROM nba_precompute.player_daily_cache
  UNION ALL SELECT 'nba_precompute.player_composite_factors', COUNT(*) FROM nba_precompute.player_composite_factors
  UNION ALL SELECT 'nba_predictions.ml_feature_store_v2', COUNT(*) FROM nba_predictions.ml_feature_store_v2"
"$BIN" --warehouse "$WAREHOUSE" sql "
  SELECT COUNT(DISTINCT game_date) AS game_dates, MIN(game_date) AS first, MAX(game_date) AS last
  FROM nba_analytics.player_game_summary WHERE game_date BETWEEN '$START' AND '$END'"
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf 'make demo: wall time %d.%03d s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
