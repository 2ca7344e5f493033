// The output table of team_defense_zone_analysis (spec/tdza.md §13).

#include <string>
#include <utility>

#include "store/schema.h"

namespace nbapc::store {
namespace {

ColumnDef Column(std::string name, ColumnType type, bool nullable, Domain domain = Domain::kNone) {
  ColumnDef column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = nullable;
  column.domain = domain;
  return column;
}

}  // namespace

TableDef TdzaTableDef() {
  // Metrics are FLOAT64 holding unrounded doubles (tdza.md §12-§13, D1).
  constexpr bool kNull = true;
  constexpr bool kNotNull = false;
  TableDef table;
  table.dataset = "nba_precompute";
  table.name = "team_defense_zone_analysis";
  table.kind = TableKind::kOutput;
  table.columns = {
      Column("team_abbr", ColumnType::kText, kNotNull, Domain::kTeam),
      Column("analysis_date", ColumnType::kDate, kNotNull),
      Column("paint_pct_allowed_last_15", ColumnType::kFloat, kNull),
      Column("paint_attempts_allowed_per_game", ColumnType::kFloat, kNull),
      Column("paint_points_allowed_per_game", ColumnType::kFloat, kNull),
      Column("paint_blocks_per_game", ColumnType::kFloat, kNull),
      Column("paint_defense_vs_league_avg", ColumnType::kFloat, kNull),
      Column("mid_range_pct_allowed_last_15", ColumnType::kFloat, kNull),
      Column("mid_range_attempts_allowed_per_game", ColumnType::kFloat, kNull),
      Column("mid_range_blocks_per_game", ColumnType::kFloat, kNull),
      Column("mid_range_defense_vs_league_avg", ColumnType::kFloat, kNull),
      Column("three_pt_pct_allowed_last_15", ColumnType::kFloat, kNull),
      Column("three_pt_attempts_allowed_per_game", ColumnType::kFloat, kNull),
      Column("three_pt_blocks_per_game", ColumnType::kFloat, kNull),
      Column("three_pt_defense_vs_league_avg", ColumnType::kFloat, kNull),
      Column("defensive_rating_last_15", ColumnType::kFloat, kNull),
      Column("opponent_points_per_game", ColumnType::kFloat, kNull),
      Column("opponent_pace", ColumnType::kFloat, kNull),
      Column("games_in_sample", ColumnType::kInteger, kNotNull, Domain::kNonNegative),
      Column("strongest_zone", ColumnType::kText, kNull),
      Column("weakest_zone", ColumnType::kText, kNull),
      Column("data_quality_tier", ColumnType::kText, kNotNull),
      Column("calculation_notes", ColumnType::kText, kNull),
      Column("early_season_flag", ColumnType::kBoolean, kNull),
      Column("completeness_percentage", ColumnType::kFloat, kNotNull),
      Column("is_production_ready", ColumnType::kBoolean, kNotNull),
      Column("data_quality_issues", ColumnType::kArray, kNotNull),
      Column("data_hash", ColumnType::kText, kNotNull),
      Column("processed_at", ColumnType::kTimestamp, kNotNull),
      Column("engine_version", ColumnType::kText, kNotNull),
  };
  table.key = {"team_abbr", "analysis_date"};
  table.date_column = "analysis_date";
  return table;
}

}  // namespace nbapc::store
