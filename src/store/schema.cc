#include "store/schema.h"

#include <algorithm>
#include <fmt/format.h>

#include "core/teams.h"

namespace nbapc::store {
namespace {

using CT = ColumnType;

ColumnDef Col(std::string name, ColumnType type, bool nullable, Domain domain = Domain::kNone) {
  ColumnDef col;
  col.name = std::move(name);
  col.type = type;
  col.nullable = nullable;
  col.domain = domain;
  return col;
}
ColumnDef Num(std::string name, int scale, std::optional<double> lo, std::optional<double> hi) {
  ColumnDef col = Col(std::move(name), CT::kNumeric, true);
  col.scale = scale;
  col.range_min = lo;
  col.range_max = hi;
  return col;
}
// A nullable non-negative count with a realistic range.
ColumnDef Count(std::string name, double hi, double lo = 0) {
  ColumnDef col = Col(std::move(name), CT::kInteger, true, Domain::kNonNegative);
  col.range_min = lo;
  col.range_max = hi;
  return col;
}

// spec/inputs.md §2
TableDef Schedule() {
  TableDef t;
  t.dataset = "nba_raw";
  t.name = "nbac_schedule";
  t.columns = {Col("game_id", CT::kText, false, Domain::kNbaGameId),
               Col("game_date", CT::kDate, false),
               Col("season_year", CT::kInteger, false),
               Col("home_team_abbr", CT::kText, false, Domain::kScheduleTeam),
               Col("away_team_abbr", CT::kText, false, Domain::kScheduleTeam),
               Col("game_type", CT::kText, false, Domain::kGameType),
               Col("game_status", CT::kText, false, Domain::kGameStatus)};
  t.key = {"game_id"};
  t.date_column = "game_date";
  return t;
}

// spec/inputs.md §3.1
TableDef PlayerGameSummary() {
  TableDef t;
  t.dataset = "nba_analytics";
  t.name = "player_game_summary";
  t.columns = {Col("player_lookup", CT::kText, false, Domain::kPlayerLookup),
               Col("game_id", CT::kText, false, Domain::kPhase3GameId),
               Col("game_date", CT::kDate, false),
               Col("season_year", CT::kInteger, false),
               Col("universal_player_id", CT::kText, true, Domain::kUniversalPlayerId),
               Col("team_abbr", CT::kText, false, Domain::kTeam),
               Col("opponent_team_abbr", CT::kText, false, Domain::kTeam),
               Col("is_active", CT::kBoolean, false),
               Num("minutes_played", 1, 0, 63),
               Count("points", 70),
               Count("fg_attempts", 40),
               Count("fg_makes", 25),
               Count("three_pt_attempts", 20),
               Count("three_pt_makes", 14),
               Count("ft_makes", 25),
               Count("paint_attempts", 25),
               Count("paint_makes", 25),
               Count("mid_range_attempts", 15),
               Count("mid_range_makes", 15),
               Count("assisted_fg_makes", 20),
               Count("unassisted_fg_makes", 20),
               Num("usage_rate", 2, 0, 100),
               Num("ts_pct", 3, 0, 1.5)};
  t.key = {"player_lookup", "game_id"};
  t.unique_key = {"player_lookup", "game_date"};
  t.date_column = "game_date";
  return t;
}

// spec/inputs.md §3.2
TableDef TeamDefenseGameSummary() {
  TableDef t;
  t.dataset = "nba_analytics";
  t.name = "team_defense_game_summary";
  t.columns = {Col("game_id", CT::kText, false, Domain::kPhase3GameId),
               Col("game_date", CT::kDate, false),
               Col("season_year", CT::kInteger, false),
               Col("defending_team_abbr", CT::kText, false, Domain::kTeam),
               Col("opponent_team_abbr", CT::kText, false, Domain::kTeam),
               Count("points_allowed", 155, 80),
               Count("opp_paint_attempts", 60, 28),
               Count("opp_paint_makes", 35, 15),
               Count("opp_mid_range_attempts", 22, 5),
               Count("opp_mid_range_makes", 10, 1),
               Count("opp_three_pt_attempts", 55, 22),
               Count("opp_three_pt_makes", 25, 6),
               Count("points_in_paint_allowed", 70, 30),
               Count("blocks_paint", 12),
               Count("blocks_mid_range", 4),
               Count("blocks_three_pt", 3),
               Num("defensive_rating", 2, 90, 135),
               Num("opponent_pace", 1, 88, 112)};
  t.key = {"defending_team_abbr", "game_id"};
  t.unique_key = {"defending_team_abbr", "game_date"};
  t.date_column = "game_date";
  return t;
}

// spec/inputs.md §3.3
TableDef TeamOffenseGameSummary() {
  TableDef t;
  t.dataset = "nba_analytics";
  t.name = "team_offense_game_summary";
  t.columns = {Col("game_id", CT::kText, false, Domain::kPhase3GameId),
               Col("game_date", CT::kDate, false),
               Col("season_year", CT::kInteger, false),
               Col("team_abbr", CT::kText, false, Domain::kTeam),
               Col("opponent_team_abbr", CT::kText, false, Domain::kTeam),
               Col("win_flag", CT::kBoolean, false),
               Num("pace", 1, 88, 112),
               Num("offensive_rating", 2, 90, 135)};
  t.key = {"team_abbr", "game_id"};
  t.unique_key = {"team_abbr", "game_date"};
  t.date_column = "game_date";
  return t;
}

// spec/inputs.md §3.4
TableDef UpcomingPlayerGameContext() {
  TableDef t;
  t.dataset = "nba_analytics";
  t.name = "upcoming_player_game_context";
  t.columns = {Col("player_lookup", CT::kText, false, Domain::kPlayerLookup),
               Col("game_id", CT::kText, false, Domain::kPhase3GameId),
               Col("game_date", CT::kDate, false),
               Col("universal_player_id", CT::kText, true, Domain::kUniversalPlayerId),
               Col("team_abbr", CT::kText, false, Domain::kTeam),
               Col("opponent_team_abbr", CT::kText, false, Domain::kTeam),
               Col("home_game", CT::kBoolean, true),
               Count("days_rest", 365),  // §3.4 says 0-10 "typical"; the outer bound is a season
               Col("back_to_back", CT::kBoolean, true),
               Count("games_in_last_7_days", 5),
               Count("games_in_last_14_days", 10),
               Count("minutes_in_last_7_days", 200),
               Count("minutes_in_last_14_days", 480),
               Num("avg_minutes_per_game_last_7", 1, 0, 63),
               Count("back_to_backs_last_14_days", 7),
               Count("fourth_quarter_minutes_last_7", 60),
               Count("player_age", 42, 19),
               Num("projected_usage_rate", 2, 0, 100),
               Num("avg_usage_rate_last_7_games", 2, 0, 100),
               Count("star_teammates_out", 2),
               Num("pace_differential", 1, -8, 8),
               Col("season_phase", CT::kText, true),
               Col("player_status", CT::kText, true)};
  t.key = {"player_lookup", "game_id"};
  t.unique_key = {"player_lookup", "game_date"};
  t.date_column = "game_date";
  return t;
}

// spec/inputs.md §3.5
TableDef UpcomingTeamGameContext() {
  TableDef t;
  t.dataset = "nba_analytics";
  t.name = "upcoming_team_game_context";
  t.columns = {Col("team_abbr", CT::kText, false, Domain::kTeam),
               Col("game_id", CT::kText, false, Domain::kNbaGameId),
               Col("game_date", CT::kDate, false),
               Col("season_year", CT::kInteger, false),
               Col("opponent_team_abbr", CT::kText, false, Domain::kTeam),
               Num("game_spread", 2, -30, 30),
               Num("game_total", 1, 205, 245)};
  t.key = {"team_abbr", "game_id"};
  t.unique_key = {"team_abbr", "game_date"};
  t.date_column = "game_date";
  return t;
}

// README §8.8, one per output dataset.
TableDef PrecomputeFailures(std::string dataset) {
  TableDef t;
  t.dataset = std::move(dataset);
  t.name = "precompute_failures";
  t.kind = TableKind::kOutput;
  t.columns = {Col("processor_name", CT::kText, false), Col("analysis_date", CT::kDate, false),
               Col("entity_id", CT::kText, false),      Col("failure_category", CT::kText, false),
               Col("failure_reason", CT::kText, false), Col("can_retry", CT::kBoolean, false),
               Col("run_id", CT::kText, false),         Col("created_at", CT::kTimestamp, false)};
  t.key = {"processor_name", "analysis_date", "entity_id"};
  t.date_column = "analysis_date";
  return t;
}

TableDef Bookkeeping(std::string dataset, std::string name, std::vector<ColumnDef> columns,
                     std::vector<std::string> key, std::string date_column = "") {
  TableDef t;
  t.dataset = std::move(dataset);
  t.name = std::move(name);
  t.kind = TableKind::kBookkeeping;
  t.columns = std::move(columns);
  t.key = std::move(key);
  t.date_column = std::move(date_column);
  return t;
}

// backfill.md §14.1
TableDef ProcessorRunHistory() {
  return Bookkeeping("nba_reference", "processor_run_history",
                     {Col("run_id", CT::kText, false), Col("processor_name", CT::kText, false),
                      Col("data_date", CT::kDate, false), Col("season_year", CT::kInteger, false),
                      Col("status", CT::kText, false), Col("reason_code", CT::kText, true),
                      Col("reason", CT::kText, true), Col("mode", CT::kText, true),
                      Col("records_written", CT::kInteger, false), Col("entities_excluded", CT::kInteger, false),
                      Col("exclusion_counts", CT::kJson, false), Col("stats", CT::kJson, false),
                      Col("output_hash", CT::kText, true), Col("attempts", CT::kInteger, false),
                      Col("trigger", CT::kText, false), Col("backfill_mode", CT::kBoolean, false),
                      Col("started_at", CT::kTimestamp, false), Col("finished_at", CT::kTimestamp, false),
                      Col("duration_ms", CT::kFloat, false), Col("execution_host", CT::kText, false),
                      Col("pid", CT::kInteger, false), Col("engine_version", CT::kText, false)},
                     {"run_id", "processor_name", "data_date"}, "data_date");
}

// backfill.md §14.2
TableDef RunLog() {
  return Bookkeeping(
      "nba_reference", "run_log",
      {Col("run_id", CT::kText, false), Col("command", CT::kText, false), Col("subcommand", CT::kText, false),
       Col("processors", CT::kJson, false), Col("start_date", CT::kDate, true), Col("end_date", CT::kDate, true),
       Col("dates", CT::kJson, true), Col("started_at", CT::kTimestamp, false),
       Col("finished_at", CT::kTimestamp, false), Col("exit_code", CT::kInteger, false),
       Col("dates_total", CT::kInteger, false), Col("successful", CT::kInteger, false),
       Col("failed", CT::kInteger, false), Col("skipped", CT::kInteger, false), Col("pending", CT::kInteger, false),
       Col("rows_written", CT::kInteger, false), Col("workers", CT::kInteger, false),
       Col("stage_ms", CT::kJson, false), Col("interrupted", CT::kBoolean, false),
       Col("execution_host", CT::kText, false), Col("pid", CT::kInteger, false),
       Col("engine_version", CT::kText, false), Col("warehouse", CT::kText, false)},
      {"run_id"});
}

// inputs.md §4.6
TableDef ImportHistory() {
  return Bookkeeping("nba_reference", "import_history",
                     {Col("import_id", CT::kText, false), Col("table_name", CT::kText, false),
                      Col("source", CT::kText, false), Col("files", CT::kJson, false), Col("format", CT::kText, false),
                      Col("mode", CT::kText, false), Col("rows_read", CT::kInteger, false),
                      Col("rows_inserted", CT::kInteger, false), Col("rows_deleted", CT::kInteger, false),
                      Col("warnings", CT::kInteger, false), Col("content_hash", CT::kText, false),
                      Col("started_at", CT::kTimestamp, false), Col("finished_at", CT::kTimestamp, false),
                      Col("engine_version", CT::kText, false)},
                     {"import_id"});
}

// README §4.1
TableDef WarehouseInfo() {
  return Bookkeeping("nba_reference", "warehouse_info",
                     {Col("key", CT::kText, false), Col("value", CT::kText, false)}, {"key"});
}

// backfill.md §14.3
TableDef Phase4Completion() {
  std::vector<ColumnDef> cols = {Col("game_date", CT::kDate, false), Col("season_year", CT::kInteger, false),
                                 Col("is_bootstrap", CT::kBoolean, false)};
  for (const char* alias : {"tdza", "psza", "pdc", "pcf", "mlfs"}) cols.push_back(Col(fmt::format("{}_status", alias), CT::kText, true));
  for (const char* alias : {"tdza", "psza", "pdc", "pcf", "mlfs"}) cols.push_back(Col(fmt::format("{}_rows", alias), CT::kInteger, true));
  for (const char* alias : {"tdza", "psza", "pdc", "pcf", "mlfs"}) {
    cols.push_back(Col(fmt::format("{}_finished_at", alias), CT::kTimestamp, true));
  }
  cols.push_back(Col("phase4_complete", CT::kBoolean, false));
  cols.push_back(Col("completed_at", CT::kTimestamp, true));
  cols.push_back(Col("updated_at", CT::kTimestamp, false));
  return Bookkeeping("nba_orchestration", "phase4_completion", std::move(cols), {"game_date"}, "game_date");
}

// validation.md §7
TableDef ValidationRuns() {
  return Bookkeeping(
      "nba_orchestration", "validation_runs",
      {Col("validation_id", CT::kText, false), Col("command", CT::kText, false), Col("checks_run", CT::kJson, false),
       Col("start_date", CT::kDate, true), Col("end_date", CT::kDate, true), Col("started_at", CT::kTimestamp, false),
       Col("finished_at", CT::kTimestamp, false), Col("result", CT::kText, false), Col("exit_code", CT::kInteger, false),
       Col("failures", CT::kInteger, false), Col("warnings", CT::kInteger, false),
       Col("is_baseline", CT::kBoolean, false), Col("input_fingerprint", CT::kJson, false),
       Col("engine_version", CT::kText, false), Col("summary", CT::kJson, false)},
      {"validation_id"});
}

TableDef ValidationMetrics() {
  std::vector<ColumnDef> cols = {Col("validation_id", CT::kText, false), Col("table_name", CT::kText, false),
                                 Col("field", CT::kText, false), Col("season_year", CT::kInteger, false),
                                 Col("span_start", CT::kDate, true), Col("span_end", CT::kDate, true)};
  for (const char* name : {"n", "null_count", "out_of_range", "distinct_count", "covered_dates", "rows"}) {
    cols.push_back(Col(name, CT::kInteger, true));
  }
  for (const char* name : {"valid_pct", "null_rate", "mean", "sd", "min", "p05", "p50", "p95", "max", "default_share",
                           "zero_share"}) {
    cols.push_back(Col(name, CT::kFloat, true));
  }
  return Bookkeeping("nba_orchestration", "validation_metrics", std::move(cols),
                     {"validation_id", "table_name", "field", "season_year"});
}

TableDef ValidationOutputHashes() {
  return Bookkeeping("nba_orchestration", "validation_output_hashes",
                     {Col("validation_id", CT::kText, false), Col("processor_name", CT::kText, false),
                      Col("data_date", CT::kDate, false), Col("output_hash", CT::kText, false)},
                     {"validation_id", "processor_name", "data_date"}, "data_date");
}

std::vector<TableDef> BuildCatalog() {
  std::vector<TableDef> tables = {Schedule(),
                                  PlayerGameSummary(),
                                  TeamDefenseGameSummary(),
                                  TeamOffenseGameSummary(),
                                  UpcomingPlayerGameContext(),
                                  UpcomingTeamGameContext(),
                                  TdzaTableDef(),
                                  PszaTableDef(),
                                  PdcTableDef(),
                                  PcfTableDef(),
                                  MlfsTableDef(),
                                  PrecomputeFailures("nba_precompute"),
                                  PrecomputeFailures("nba_predictions"),
                                  ProcessorRunHistory(),
                                  RunLog(),
                                  ImportHistory(),
                                  WarehouseInfo(),
                                  Phase4Completion(),
                                  ValidationRuns(),
                                  ValidationMetrics(),
                                  ValidationOutputHashes()};
  return tables;
}

const char* SqliteType(ColumnType type) {
  switch (type) {
    case CT::kInteger:
    case CT::kBoolean: return "INTEGER";
    case CT::kFloat:
    case CT::kNumeric: return "REAL";
    default: return "TEXT";
  }
}

}  // namespace

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case CT::kInteger: return "INTEGER";
    case CT::kFloat: return "FLOAT64";
    case CT::kNumeric: return "NUMERIC";
    case CT::kText: return "TEXT";
    case CT::kBoolean: return "BOOLEAN";
    case CT::kDate: return "DATE";
    case CT::kTimestamp: return "TIMESTAMP";
    case CT::kArray: return "ARRAY";
    case CT::kJson: return "JSON";
  }
  return "TEXT";
}

int TableDef::ColumnIndex(std::string_view column) const {
  for (size_t idx = 0; idx < columns.size(); ++idx) {
    if (columns[idx].name == column) return static_cast<int>(idx);
  }
  return -1;
}

const ColumnDef* TableDef::FindColumn(std::string_view column) const {
  int idx = ColumnIndex(column);
  return idx < 0 ? nullptr : &columns[static_cast<size_t>(idx)];
}

std::span<const TableDef> AllTables() {
  static const std::vector<TableDef> tables = BuildCatalog();
  return tables;
}

std::span<const std::string> AllDatasets() {
  static const std::vector<std::string> datasets = {"nba_raw", "nba_analytics", "nba_precompute", "nba_predictions",
                                                    "nba_reference", "nba_orchestration"};
  return datasets;
}

const TableDef* FindTable(std::string_view name) {
  const TableDef* bare_match = nullptr;
  int bare_count = 0;
  for (const TableDef& table : AllTables()) {
    // "dataset.name", compared in place (the runner looks tables up per date).
    const size_t dataset_size = table.dataset.size();
    if (name.size() == dataset_size + 1 + table.name.size() && name.substr(0, dataset_size) == table.dataset &&
        name[dataset_size] == '.' && name.substr(dataset_size + 1) == table.name) {
      return &table;
    }
    if (table.name == name) {
      bare_match = &table;
      ++bare_count;
    }
  }
  return bare_count == 1 ? bare_match : nullptr;
}

std::string SuggestTable(std::string_view name) {
  std::vector<std::string> names;
  for (const TableDef& table : AllTables()) names.push_back(table.FullName());
  size_t max_distance = std::max<size_t>(3, name.size() / 4);
  return ClosestName(name, names, max_distance);
}

std::vector<std::string> PhysicalKey(const TableDef& table) {
  if (table.kind == TableKind::kBookkeeping || table.date_column.empty()) return table.key;
  for (const auto* key : {&table.key, &table.unique_key}) {
    if (std::find(key->begin(), key->end(), table.date_column) == key->end()) continue;
    std::vector<std::string> columns = {table.date_column};
    for (const std::string& part : *key) {
      if (part != table.date_column) columns.push_back(part);
    }
    return columns;
  }
  return table.key;
}

namespace {

std::string SelectSql(const TableDef& table, std::string_view where, const std::vector<std::string>& order_columns) {
  std::string cols;
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    cols += fmt::format("{}\"{}\"", idx ? ", " : "", table.columns[idx].name);
  }
  std::string order;
  for (size_t idx = 0; idx < order_columns.size(); ++idx) {
    order += fmt::format("{}\"{}\"", idx ? ", " : "", order_columns[idx]);
  }
  return fmt::format("SELECT {} FROM {}.{}{}{} ORDER BY {}", cols, table.dataset, table.name,
                     where.empty() ? "" : " WHERE ", where, order);
}

}  // namespace

std::string SelectAllSql(const TableDef& table, bool with_date_range) {
  // A date range is read in physical (date-first) order, one contiguous scan;
  // whole tables in key order (export, content hashes).
  if (!with_date_range || table.date_column.empty()) return SelectSql(table, "", table.key);
  return SelectWhereSql(table, fmt::format("\"{0}\" >= ?1 AND \"{0}\" <= ?2", table.date_column));
}

std::string SelectWhereSql(const TableDef& table, std::string_view where) {
  return SelectSql(table, where, PhysicalKey(table));
}

std::vector<std::string> DatasetDdl(std::string_view dataset) {
  std::vector<std::string> ddl;
  for (const TableDef& table : AllTables()) {
    if (table.dataset != dataset) continue;
    std::string sql = fmt::format("CREATE TABLE IF NOT EXISTS {}.{} (", table.dataset, table.name);
    for (const ColumnDef& col : table.columns) {
      sql += fmt::format("\"{}\" {}{}, ", col.name, SqliteType(col.type), col.nullable ? "" : " NOT NULL");
    }
    // Tables are read and written by date ranges: the key (primary or second
    // unique) that contains the date column becomes the physical key of a
    // WITHOUT ROWID b-tree with the date first, so a date or a range of dates
    // is one contiguous key range; the other key stays a UNIQUE index. The
    // uniqueness rules are exactly the spec's.
    std::vector<std::string> key_columns = PhysicalKey(table);
    bool date_first = key_columns != table.key;
    std::string key;
    for (const std::string& part : key_columns) key += (key.empty() ? "" : ", ") + fmt::format("\"{}\"", part);
    sql += fmt::format("PRIMARY KEY ({})){}", key, date_first ? " WITHOUT ROWID" : "");
    ddl.push_back(sql);
    for (const auto* unique : {&table.key, &table.unique_key}) {
      if (unique->empty() || !date_first) continue;
      std::vector<std::string> sorted_unique = *unique;
      std::vector<std::string> sorted_key = key_columns;
      std::sort(sorted_unique.begin(), sorted_unique.end());
      std::sort(sorted_key.begin(), sorted_key.end());
      if (sorted_unique == sorted_key) continue;  // this one is the physical key
      std::string cols;
      for (const std::string& part : *unique) cols += (cols.empty() ? "" : ", ") + fmt::format("\"{}\"", part);
      ddl.push_back(fmt::format("CREATE UNIQUE INDEX IF NOT EXISTS {0}.{1}_{2} ON {1} ({3})", table.dataset,
                                table.name, unique == &table.key ? "key" : "unique", cols));
    }
    if (!date_first && !table.unique_key.empty()) {
      std::string cols;
      for (const std::string& part : table.unique_key) cols += (cols.empty() ? "" : ", ") + fmt::format("\"{}\"", part);
      ddl.push_back(fmt::format("CREATE UNIQUE INDEX IF NOT EXISTS {0}.{1}_unique ON {1} ({2})", table.dataset,
                                table.name, cols));
    }
    if (!table.date_column.empty() && key_columns.front() != table.date_column) {
      ddl.push_back(fmt::format("CREATE INDEX IF NOT EXISTS {0}.{1}_by_date ON {1} (\"{2}\")", table.dataset,
                                table.name, table.date_column));
    }
  }
  if (dataset == "nba_reference") {
    // backfill.md §14.1: latest outcome per (processor, date).
    ddl.push_back(
        // Written as NOT EXISTS so a filter on (processor_name, data_date) uses the index below.
        "CREATE VIEW IF NOT EXISTS nba_reference.processor_run_latest AS "
        "SELECT h.* FROM processor_run_history h WHERE NOT EXISTS (SELECT 1 FROM processor_run_history n "
        "WHERE n.processor_name = h.processor_name AND n.data_date = h.data_date "
        "AND (n.finished_at > h.finished_at OR (n.finished_at = h.finished_at AND n.run_id > h.run_id)))");
    ddl.push_back(
        "CREATE INDEX IF NOT EXISTS nba_reference.processor_run_history_by_date "
        "ON processor_run_history (processor_name, data_date)");
  }
  return ddl;
}

}  // namespace nbapc::store
