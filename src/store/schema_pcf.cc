// The output table of PCF (spec/pcf.md §11), contributed to the catalog of
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

TableDef PcfTableDef() {
  constexpr bool kNull = true;
  constexpr bool kNotNull = false;
  TableDef table;
  table.dataset = "nba_precompute";
  table.name = "player_composite_factors";
  table.kind = TableKind::kOutput;
  // pcf.md §11, in order. NUMERIC(p,s) -> kNumeric with scale s. The four
  // context columns are TEXT in §11 (their §10 format is not compact JSON).
  table.columns = {
      Col("player_lookup", ColumnType::kText, kNotNull, -1, Domain::kPlayerLookup),
      Col("game_date", ColumnType::kDate, kNotNull),
      Col("analysis_date", ColumnType::kDate, kNotNull),
      Col("universal_player_id", ColumnType::kText, kNull, -1, Domain::kUniversalPlayerId),
      Col("game_id", ColumnType::kText, kNotNull),
      Col("context_source", ColumnType::kText, kNotNull),
      Col("fatigue_score", ColumnType::kInteger, kNotNull),
      Col("shot_zone_mismatch_score", ColumnType::kNumeric, kNotNull, 1),
      Col("pace_score", ColumnType::kNumeric, kNotNull, 1),
      Col("usage_spike_score", ColumnType::kNumeric, kNotNull, 1),
      Col("referee_favorability_score", ColumnType::kNumeric, kNotNull, 1),
      Col("look_ahead_pressure_score", ColumnType::kNumeric, kNotNull, 1),
      Col("travel_impact_score", ColumnType::kNumeric, kNotNull, 1),
      Col("opponent_strength_score", ColumnType::kNumeric, kNotNull, 1),
      Col("total_composite_adjustment", ColumnType::kNumeric, kNotNull, 2),
      Col("fatigue_context_json", ColumnType::kText, kNotNull),
      Col("shot_zone_context_json", ColumnType::kText, kNotNull),
      Col("pace_context_json", ColumnType::kText, kNotNull),
      Col("usage_context_json", ColumnType::kText, kNotNull),
      Col("calculation_version", ColumnType::kText, kNotNull),
      Col("data_completeness_pct", ColumnType::kNumeric, kNotNull, 2),
      Col("missing_data_fields", ColumnType::kText, kNull),
      Col("has_warnings", ColumnType::kBoolean, kNotNull),
      Col("warning_details", ColumnType::kText, kNull),
      Col("early_season_flag", ColumnType::kBoolean, kNull),
      Col("insufficient_data_reason", ColumnType::kText, kNull),
      Col("data_hash", ColumnType::kText, kNotNull),
      Col("processed_at", ColumnType::kTimestamp, kNotNull),
      Col("engine_version", ColumnType::kText, kNotNull),
  };
  table.key = {"player_lookup", "game_date"};
  table.date_column = "game_date";
  return table;
}

}  // namespace nbapc::store
