// The output table of PSZA (spec/psza.md §11), contributed to the catalog of
// store/schema.h.

#include "store/schema.h"

#include <string>
#include <utility>

namespace nbapc::store {

namespace {

ColumnDef Col(std::string name, ColumnType type, bool nullable, int scale = -1, Domain domain = Domain::kNone) {
  ColumnDef col;
  col.name = std::move(name);
  col.type = type;
  col.nullable = nullable;
  col.scale = scale;
  col.domain = domain;
  return col;
}

}  // namespace

TableDef PszaTableDef() {
  constexpr bool kNull = true;
  constexpr bool kNotNull = false;
  TableDef table;
  table.dataset = "nba_precompute";
  table.name = "player_shot_zone_analysis";
  table.kind = TableKind::kOutput;
  // psza.md §11, in order. NUMERIC(p,s) -> kNumeric with scale s.
  table.columns = {
      Col("player_lookup", ColumnType::kText, kNotNull, -1, Domain::kPlayerLookup),
      Col("universal_player_id", ColumnType::kText, kNull, -1, Domain::kUniversalPlayerId),
      Col("analysis_date", ColumnType::kDate, kNotNull),
      Col("paint_rate_last_10", ColumnType::kNumeric, kNull, 2),
      Col("mid_range_rate_last_10", ColumnType::kNumeric, kNull, 2),
      Col("three_pt_rate_last_10", ColumnType::kNumeric, kNull, 2),
      Col("total_shots_last_10", ColumnType::kInteger, kNull),
      Col("games_in_sample_10", ColumnType::kInteger, kNotNull),
      Col("sample_quality_10", ColumnType::kText, kNotNull),
      Col("paint_pct_last_10", ColumnType::kNumeric, kNull, 3),
      Col("mid_range_pct_last_10", ColumnType::kNumeric, kNull, 3),
      Col("three_pt_pct_last_10", ColumnType::kNumeric, kNull, 3),
      Col("paint_attempts_per_game", ColumnType::kNumeric, kNull, 1),
      Col("mid_range_attempts_per_game", ColumnType::kNumeric, kNull, 1),
      Col("three_pt_attempts_per_game", ColumnType::kNumeric, kNull, 1),
      Col("paint_rate_last_20", ColumnType::kNumeric, kNull, 2),
      Col("paint_pct_last_20", ColumnType::kNumeric, kNull, 3),
      Col("games_in_sample_20", ColumnType::kInteger, kNotNull),
      Col("sample_quality_20", ColumnType::kText, kNotNull),
      Col("assisted_rate_last_10", ColumnType::kNumeric, kNull, 2),
      Col("unassisted_rate_last_10", ColumnType::kNumeric, kNull, 2),
      Col("player_position", ColumnType::kText, kNull),
      Col("primary_scoring_zone", ColumnType::kText, kNull),
      Col("data_quality_tier", ColumnType::kText, kNotNull),
      Col("calculation_notes", ColumnType::kText, kNull),
      Col("early_season_flag", ColumnType::kBoolean, kNull),
      Col("completeness_percentage", ColumnType::kFloat, kNotNull),
      Col("is_production_ready", ColumnType::kBoolean, kNotNull),
      Col("data_quality_issues", ColumnType::kArray, kNotNull),
      Col("data_hash", ColumnType::kText, kNotNull),
      Col("processed_at", ColumnType::kTimestamp, kNotNull),
      Col("engine_version", ColumnType::kText, kNotNull),
  };
  table.key = {"player_lookup", "analysis_date"};
  table.date_column = "analysis_date";
  return table;
}

}  // namespace nbapc::store
