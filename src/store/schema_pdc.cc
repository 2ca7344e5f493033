// The output table of PDC (spec/pdc.md §11), contributed to the catalog of
// store/schema.h.

#include "store/schema.h"

#include <string>
#include <utility>

namespace nbapc::store {

namespace {

ColumnDef Col(std::string name, ColumnType type, bool nullable, Domain domain = Domain::kNone) {
  ColumnDef col;
  col.name = std::move(name);
  col.type = type;
  col.nullable = nullable;
  col.domain = domain;
  return col;
}

}  // namespace

TableDef PdcTableDef() {
  constexpr bool kNull = true;
  constexpr bool kNotNull = false;
  TableDef table;
  table.dataset = "nba_precompute";
  table.name = "player_daily_cache";
  table.kind = TableKind::kOutput;
  // pdc.md §11, in order. Every numeric column is FLOAT64 (§11: no NUMERIC scales).
  table.columns = {
      Col("player_lookup", ColumnType::kText, kNotNull, Domain::kPlayerLookup),
      Col("universal_player_id", ColumnType::kText, kNull, Domain::kUniversalPlayerId),
      Col("cache_date", ColumnType::kDate, kNotNull),
      Col("points_avg_last_5", ColumnType::kFloat, kNull),
      Col("points_avg_last_10", ColumnType::kFloat, kNull),
      Col("points_avg_season", ColumnType::kFloat, kNull),
      Col("points_std_last_10", ColumnType::kFloat, kNull),
      Col("minutes_avg_last_10", ColumnType::kFloat, kNull),
      Col("usage_rate_last_10", ColumnType::kFloat, kNull),
      Col("ts_pct_last_10", ColumnType::kFloat, kNull),
      Col("games_played_season", ColumnType::kInteger, kNotNull),
      Col("player_usage_rate_season", ColumnType::kFloat, kNull),
      Col("team_abbr", ColumnType::kText, kNotNull, Domain::kTeam),
      Col("team_pace_last_10", ColumnType::kFloat, kNull),
      Col("team_off_rating_last_10", ColumnType::kFloat, kNull),
      Col("games_in_last_7_days", ColumnType::kInteger, kNull),
      Col("games_in_last_14_days", ColumnType::kInteger, kNull),
      Col("minutes_in_last_7_days", ColumnType::kInteger, kNull),
      Col("minutes_in_last_14_days", ColumnType::kInteger, kNull),
      Col("back_to_backs_last_14_days", ColumnType::kInteger, kNull),
      Col("avg_minutes_per_game_last_7", ColumnType::kFloat, kNull),
      Col("fourth_quarter_minutes_last_7", ColumnType::kInteger, kNull),
      Col("context_source", ColumnType::kText, kNotNull),
      Col("primary_scoring_zone", ColumnType::kText, kNull),
      Col("paint_rate_last_10", ColumnType::kFloat, kNull),
      Col("three_pt_rate_last_10", ColumnType::kFloat, kNull),
      Col("shot_zone_data_available", ColumnType::kBoolean, kNotNull),
      Col("assisted_rate_last_10", ColumnType::kFloat, kNull),
      Col("player_age", ColumnType::kInteger, kNull),
      Col("early_season_flag", ColumnType::kBoolean, kNotNull),
      Col("insufficient_data_reason", ColumnType::kText, kNull),
      Col("completeness_percentage", ColumnType::kFloat, kNull),
      Col("l10_completeness_pct", ColumnType::kFloat, kNull),
      Col("l7d_completeness_pct", ColumnType::kFloat, kNull),
      Col("l14d_completeness_pct", ColumnType::kFloat, kNull),
      Col("is_production_ready", ColumnType::kBoolean, kNotNull),
      Col("quality_tier", ColumnType::kText, kNotNull),
      Col("cache_version", ColumnType::kText, kNotNull),
      Col("data_hash", ColumnType::kText, kNotNull),
      Col("processed_at", ColumnType::kTimestamp, kNotNull),
      Col("engine_version", ColumnType::kText, kNotNull),
  };
  table.key = {"player_lookup", "cache_date"};
  table.date_column = "cache_date";
  return table;
}

}  // namespace nbapc::store
