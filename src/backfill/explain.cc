#include "backfill/explain.h"

#include <fmt/format.h>

#include "backfill/inputs.h"
#include "backfill/preflight.h"
#include "backfill/prepared.h"
#include "core/numbers.h"
#include "io/import.h"

namespace nbapc::backfill {
namespace {

using ojson = nlohmann::ordered_json;

ojson CellJson(const store::ColumnDef& column, const Value& cell) {
  if (IsNull(cell)) return nullptr;
  if (const auto* b = std::get_if<bool>(&cell)) return *b;
  if (const auto* i = std::get_if<int64_t>(&cell)) {
    if (column.type == store::ColumnType::kBoolean) return *i != 0;
    if (column.type == store::ColumnType::kFloat || column.type == store::ColumnType::kNumeric) return static_cast<double>(*i);
    return *i;
  }
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  return std::get<std::string>(cell);
}

ojson StepJson(const Value& cell) {
  if (IsNull(cell)) return nullptr;
  if (const auto* b = std::get_if<bool>(&cell)) return *b;
  if (const auto* i = std::get_if<int64_t>(&cell)) return *i;
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  return std::get<std::string>(cell);
}

std::string ValueText(const ojson& value) {
  if (value.is_number_float()) return FormatFloat(value.get<double>());
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// The Phase 3 rows an entity's row is computed from: its games of the look-back before D (the window
// each processor takes from them is in its spec file).
Result<ojson> InputRows(store::Warehouse& warehouse, const ProcessorInfo& info, const std::string& entity, Date date) {
  std::string table = info.alias == "tdza" ? "nba_analytics.team_defense_game_summary" : "nba_analytics.player_game_summary";
  std::string key = info.alias == "tdza" ? "defending_team_abbr" : "player_lookup";
  const store::TableDef& def = *store::FindTable(table);
  std::vector<Value> params = {Value{entity}, Value{LookbackStart(date).ToString()}, Value{date.ToString()}};
  ojson rows = ojson::array();
  // Newest first: the physical order is date-first, so read the look-back in
  // descending order through a subquery.
  std::string sql = fmt::format(
      "SELECT * FROM ({}) ORDER BY game_date DESC, game_id DESC LIMIT 25",
      store::SelectWhereSql(def, fmt::format("\"{}\" = ?1 AND game_date >= ?2 AND game_date <= ?3", key)));
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      sql, params,
      [&](const Row& row) {
        ojson obj = ojson::object();
        for (size_t idx = 0; idx < row.size(); ++idx) obj[def.columns[idx].name] = CellJson(def.columns[idx], row[idx]);
        rows.push_back(obj);
        return Status::Ok();
      },
      nullptr));
  return rows;
}

}  // namespace

Result<ExplainResult> Explain(store::Warehouse& warehouse, const ExplainOptions& options) {
  const ProcessorInfo& info = *options.processor;
  ExplainResult result;
  ojson& report = result.report;
  Date date = options.date;
  NBAPC_ASSIGN_OR_RETURN(auto calendar, LoadCalendar(warehouse, options.today, nullptr));
  int season = SeasonYear(date);
  report["processor"] = info.name;
  report["date"] = date.ToString();
  report["season"] = fmt::format("{}-{:02d}", season, (season + 1) % 100);
  report["season_start"] = calendar->SeasonStart(season).ToString();
  report["day_of_season"] = calendar->DayOfSeason(date);
  report["game_date"] = calendar->IsGameDate(date);
  report["bootstrap"] = calendar->IsBootstrap(date);
  report["mode"] = calendar->IsHistorical(date) ? "historical" : "upcoming";

  // Gates of backfill.md §7 with their evidence.
  ojson gates = ojson::array();
  gates.push_back({{"gate", "1 game date"}, {"passes", calendar->IsGameDate(date)}});
  gates.push_back({{"gate", "2 not bootstrap"}, {"passes", !calendar->IsBootstrap(date)}});
  for (const std::string& upstream : info.upstreams) {
    const ProcessorInfo* up = FindProcessor(upstream);
    NBAPC_ASSIGN_OR_RETURN(auto rows, DatesWithRows(warehouse, up->output_table, date, date));
    NBAPC_ASSIGN_OR_RETURN(auto success, DatesWithSuccess(warehouse, upstream, date, date));
    NBAPC_ASSIGN_OR_RETURN(auto count, warehouse.Query(fmt::format("SELECT COUNT(*) FROM {} WHERE \"{}\" = ?1",
                                                                   up->output_table,
                                                                   store::FindTable(up->output_table)->date_column),
                                                       std::vector<Value>{Value{date.ToString()}}));
    gates.push_back({{"gate", "4 dependency " + upstream},
                     {"passes", !rows.empty() || !success.empty()},
                     {"evidence", fmt::format("{} rows; success recorded: {}", std::get<int64_t>(count.rows[0][0]),
                                              success.empty() ? "no" : "yes")}});
  }
  report["gates"] = gates;
  ojson history = ojson::array();
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT run_id, status, reason_code, reason, records_written, finished_at FROM nba_reference.processor_run_history "
      "WHERE processor_name = ?1 AND data_date = ?2 ORDER BY finished_at, run_id",
      std::vector<Value>{Value{info.name}, Value{date.ToString()}},
      [&](const Row& row) {
        ojson entry;
        entry["run_id"] = std::get<std::string>(row[0]);
        entry["status"] = std::get<std::string>(row[1]);
        entry["reason_code"] = IsNull(row[2]) ? ojson(nullptr) : ojson(std::get<std::string>(row[2]));
        entry["reason"] = IsNull(row[3]) ? ojson(nullptr) : ojson(std::get<std::string>(row[3]));
        entry["rows"] = std::get<int64_t>(row[4]);
        entry["finished_at"] = std::get<std::string>(row[5]);
        history.push_back(entry);
        return Status::Ok();
      },
      nullptr));
  report["history"] = history;
  if (options.entity.empty()) return result;

  // Recompute the date with the runner's adapter and pick the entity.
  report["entity"] = options.entity;
  NBAPC_ASSIGN_OR_RETURN(report["input_rows"], InputRows(warehouse, info, options.entity, date));
  InputStore inputs(warehouse, date, date);
  PrepareContext context{warehouse, inputs, *calendar, date, date, {}, {}};
  NBAPC_ASSIGN_OR_RETURN(auto prepared, Prepare(info, context));
  DateComputation computation = prepared->Compute(date);
  if (!computation.outcome.ok()) {
    report["computed"] = false;
    report["reason"] = computation.outcome.reason;
    result.computed = false;
    return result;
  }
  const store::TableDef& table = *store::FindTable(info.output_table);
  int entity_idx = table.ColumnIndex(info.entity_column);
  const Row* row = nullptr;
  for (const Row& candidate : computation.rows) {
    if (std::get<std::string>(candidate[static_cast<size_t>(entity_idx)]) == options.entity) row = &candidate;
  }
  if (!row) {
    report["computed"] = false;
    std::string why = fmt::format("{} is not in the universe of {} for {}", options.entity, info.name, date.ToString());
    for (const auto& exclusion : computation.exclusions) {
      if (exclusion.entity_id == options.entity) {
        why = fmt::format("excluded: {}: {}", exclusion.failure_category, exclusion.failure_reason);
      }
    }
    report["reason"] = why;
    result.computed = false;
    return result;
  }
  report["computed"] = true;
  // Date-level intermediate values of the computation (e.g. TDZA's league
  // averages, tdza.md §7) and the processor's per-date stats.
  ojson notes = ojson::array();
  for (const std::string& line : computation.info_lines) notes.push_back(line.substr(line.find_first_not_of(' ')));
  report["date_values"] = notes;
  report["date_stats"] = computation.stats;
  ojson computed = ojson::object();
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    const std::string& name = table.columns[idx].name;
    if (name == "processed_at" || name == "engine_version") continue;
    computed[name] = CellJson(table.columns[idx], (*row)[idx]);
  }
  report["row"] = computed;
  // Each step of each formula (issue 7), checked against the row: a column
  // step whose value is not the row's cell is reported, never hidden.
  ojson steps = ojson::array();
  ojson step_mismatches = ojson::array();
  for (const processors::TraceStep& step : prepared->Trace(date, options.entity)) {
    ojson value = StepJson(step.value);
    ojson entry = {{"spec", step.spec}, {"name", step.name}, {"formula", step.formula}, {"value", value},
                   {"column", step.column}};
    if (step.column) {
      int idx = table.ColumnIndex(step.name);
      ojson cell = idx < 0 ? ojson("(no such column)") : CellJson(table.columns[static_cast<size_t>(idx)], (*row)[static_cast<size_t>(idx)]);
      if (cell != value) step_mismatches.push_back({{"column", step.name}, {"step", value}, {"row", cell}});
    }
    steps.push_back(std::move(entry));
  }
  report["steps"] = steps;
  report["steps_match_row"] = step_mismatches.empty();
  if (!step_mismatches.empty()) report["step_mismatches"] = step_mismatches;
  // The stored row, compared column by column.
  std::string sql =
      store::SelectWhereSql(table, fmt::format("\"{}\" = ?1 AND \"{}\" = ?2", info.entity_column, table.date_column));
  NBAPC_ASSIGN_OR_RETURN(auto stored, warehouse.Query(sql, std::vector<Value>{Value{options.entity}, Value{date.ToString()}}));
  if (stored.rows.empty()) {
    report["stored_row_matches"] = nullptr;
    report["stored"] = "no stored row";
    return result;
  }
  ojson differences = ojson::array();
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    const std::string& name = table.columns[idx].name;
    if (name == "processed_at" || name == "engine_version") continue;
    ojson stored_value = CellJson(table.columns[idx], stored.rows[0][idx]);
    if (stored_value != computed[name]) differences.push_back({{"column", name}, {"stored", stored_value}, {"recomputed", computed[name]}});
  }
  report["stored_row_matches"] = differences.empty();
  report["differences"] = differences;
  return result;
}

std::string RenderExplainText(const ojson& report) {
  std::string out;
  out += fmt::format("EXPLAIN {} {}\n", report["processor"].get<std::string>(), report["date"].get<std::string>());
  out += fmt::format("  season {} (opener {}), day {} of season; game date: {}; bootstrap: {}; mode: {}\n",
                     report["season"].get<std::string>(), report["season_start"].get<std::string>(),
                     report["day_of_season"].get<int>(), report["game_date"].get<bool>() ? "yes" : "no",
                     report["bootstrap"].get<bool>() ? "yes" : "no", report["mode"].get<std::string>());
  out += "GATES (backfill.md §7)\n";
  for (const auto& gate : report["gates"]) {
    out += fmt::format("  {:<44} {}{}\n", gate["gate"].get<std::string>(), gate["passes"].get<bool>() ? "pass" : "FAIL",
                       gate.contains("evidence") ? "  (" + gate["evidence"].get<std::string>() + ")" : "");
  }
  out += "HISTORY\n";
  if (report["history"].empty()) out += "  (no outcome recorded)\n";
  for (const auto& entry : report["history"]) {
    out += fmt::format("  {}  {:<8} {:>6} rows  {}{}\n", entry["finished_at"].get<std::string>(),
                       entry["status"].get<std::string>(), entry["rows"].get<int64_t>(), entry["run_id"].get<std::string>(),
                       entry["reason_code"].is_null() ? "" : "  " + entry["reason_code"].get<std::string>() + ": " +
                                                                 entry["reason"].get<std::string>());
  }
  if (!report.contains("entity")) return out;
  out += fmt::format("INPUT ROWS of {} before {} (newest first, up to 25)\n", report["entity"].get<std::string>(),
                     report["date"].get<std::string>());
  for (const auto& row : report["input_rows"]) out += "  " + row.dump() + "\n";
  if (!report["computed"].get<bool>()) {
    out += fmt::format("NOT COMPUTED: {}\n", report["reason"].get<std::string>());
    return out;
  }
  if (report.contains("date_values")) {
    out += "DATE VALUES\n";
    for (const auto& line : report["date_values"]) out += "  " + line.get<std::string>() + "\n";
    out += "  stats " + report["date_stats"].dump() + "\n";
  }
  if (!report["steps"].empty()) {
    out += "FORMULA STEPS (column steps are checked against the row)\n";
    std::string section;
    for (const auto& step : report["steps"]) {
      if (step["spec"].get<std::string>() != section) {
        section = step["spec"].get<std::string>();
        out += "  [" + section + "]\n";
      }
      std::string formula = step["formula"].get<std::string>();
      out += fmt::format("    {}{} = {}{}\n", step["column"].get<bool>() ? "* " : "", step["name"].get<std::string>(),
                         formula.empty() ? "" : formula + "  → ", ValueText(step["value"]));
    }
    if (report["steps_match_row"].get<bool>()) {
      out += "  steps match the row: yes (* = output column)\n";
    } else {
      out += "  steps match the row: NO\n";
      for (const auto& diff : report["step_mismatches"]) {
        out += fmt::format("    {}: step {} row {}\n", diff["column"].get<std::string>(), diff["step"].dump(),
                           diff["row"].dump());
      }
    }
  }
  out += "RECOMPUTED ROW\n";
  for (const auto& [name, value] : report["row"].items()) {
    out += fmt::format("  {:<36} {}\n", name,
                       value.is_number_float() ? FormatFloat(value.get<double>()) : value.dump());
  }
  if (report["stored_row_matches"].is_null()) {
    out += "stored row matches: no stored row\n";
  } else if (report["stored_row_matches"].get<bool>()) {
    out += fmt::format("stored row matches: yes (data_hash {})\n", report["row"]["data_hash"].get<std::string>());
  } else {
    out += "stored row matches: NO\n";
    for (const auto& diff : report["differences"]) {
      out += fmt::format("  {}: stored {} recomputed {}\n", diff["column"].get<std::string>(), diff["stored"].dump(),
                         diff["recomputed"].dump());
    }
  }
  return out;
}

}  // namespace nbapc::backfill
