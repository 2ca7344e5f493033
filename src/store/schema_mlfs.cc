// The output table of MLFS (spec/mlfs.md §10), contributed to the catalog of
// store/schema.h.

#include <string>
#include <utility>

#include "store/schema.h"

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

TableDef MlfsTableDef() {
  constexpr bool kNull = true;
  constexpr bool kNotNull = false;
  TableDef table;
  table.dataset = "nba_predictions";
  table.name = "ml_feature_store_v2";
  table.kind = TableKind::kOutput;
  // mlfs.md §10, in order. NUMERIC(p,s) -> kNumeric with scale s; arrays are
  // compact JSON text (README §4.2, mlfs.md §9).
  table.columns = {
      Col("player_lookup", ColumnType::kText, kNotNull, -1, Domain::kPlayerLookup),
      Col("universal_player_id", ColumnType::kText, kNull, -1, Domain::kUniversalPlayerId),
      Col("game_date", ColumnType::kDate, kNotNull),
      Col("game_id", ColumnType::kText, kNotNull, -1, Domain::kPhase3GameId),
      Col("team_abbr", ColumnType::kText, kNotNull, -1, Domain::kTeam),
      Col("opponent_team_abbr", ColumnType::kText, kNotNull, -1, Domain::kTeam),
      Col("is_home", ColumnType::kBoolean, kNull),
      Col("days_rest", ColumnType::kInteger, kNull),
      Col("features", ColumnType::kArray, kNotNull),
      Col("feature_names", ColumnType::kArray, kNotNull),
      Col("feature_sources", ColumnType::kArray, kNotNull),
      Col("feature_count", ColumnType::kInteger, kNotNull),
      Col("feature_version", ColumnType::kText, kNotNull),
      Col("feature_quality_score", ColumnType::kNumeric, kNotNull, 2),
      Col("quality_tier", ColumnType::kText, kNotNull),
      Col("data_source", ColumnType::kText, kNotNull),
      Col("completeness_percentage", ColumnType::kFloat, kNull),
      Col("is_production_ready", ColumnType::kBoolean, kNotNull),
      Col("data_quality_issues", ColumnType::kArray, kNotNull),
      Col("data_hash", ColumnType::kText, kNotNull),
      Col("processed_at", ColumnType::kTimestamp, kNotNull),
      Col("engine_version", ColumnType::kText, kNotNull),
  };
  table.key = {"player_lookup", "game_date"};
  table.date_column = "game_date";
  return table;
}

}  // namespace nbapc::store
