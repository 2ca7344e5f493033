#include "backfill/preflight.h"

#include <fmt/format.h>

#include "store/schema.h"

namespace nbapc::backfill {
namespace {

double Pct(int num, int den) { return den == 0 ? 100.0 : 100.0 * num / den; }

std::string MissingList(const std::vector<Date>& dates, size_t limit) {
  std::string out;
  for (size_t idx = 0; idx < dates.size() && idx < limit; ++idx) out += (idx ? ", " : "") + dates[idx].ToString();
  if (dates.size() > limit) out += ", ...";
  return out;
}

}  // namespace

Result<std::set<Date>> DatesWithRows(store::Warehouse& warehouse, const std::string& table, Date from, Date to) {
  const store::TableDef* def = store::FindTable(table);
  if (!def || def->date_column.empty()) return Status::Internal("no date column for " + table);
  std::vector<Value> params = {Value{from.ToString()}, Value{to.ToString()}};
  std::set<Date> out;
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT DISTINCT \"{0}\" FROM {1} WHERE \"{0}\" BETWEEN ?1 AND ?2", def->date_column, table), params,
      [&](const Row& row) {
        if (const auto* s = std::get_if<std::string>(&row[0])) {
          auto date = Date::Parse(*s);
          if (date.ok()) out.insert(*date);
        }
        return Status::Ok();
      },
      nullptr));
  return out;
}

Result<std::set<Date>> DatesWithSuccess(store::Warehouse& warehouse, const std::string& processor, Date from, Date to) {
  std::vector<Value> params = {Value{processor}, Value{from.ToString()}, Value{to.ToString()}};
  std::set<Date> out;
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT DISTINCT data_date FROM nba_reference.processor_run_history WHERE processor_name = ?1 "
      "AND status = 'success' AND data_date BETWEEN ?2 AND ?3",
      params,
      [&](const Row& row) {
        auto date = Date::Parse(std::get<std::string>(row[0]));
        if (date.ok()) out.insert(*date);
        return Status::Ok();
      },
      nullptr));
  return out;
}

Result<PreflightReport> RunPreflight(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                     const ProcessorInfo& processor, const std::vector<Date>& game_dates, Date start,
                                     Date end, const std::set<std::string>& produced_by_run,
                                     const PreflightThresholds& thresholds) {
  PreflightReport report;
  report.processor = &processor;
  report.start = start;
  report.end = end;
  report.game_dates = static_cast<int>(game_dates.size());
  std::vector<Date> expected;     // E: non-bootstrap game dates
  std::vector<Date> historical;   // E_h
  for (Date date : game_dates) {
    if (calendar.IsBootstrap(date)) {
      ++report.bootstrap_dates;
      continue;
    }
    expected.push_back(date);
    if (calendar.IsHistorical(date)) historical.push_back(date);
  }
  report.historical_dates = static_cast<int>(historical.size());
  report.upcoming_dates = static_cast<int>(expected.size() - historical.size());
  if (expected.empty()) return report;  // passes: nothing to check

  auto measure = [&](const std::string& table, const std::string& role, const std::vector<Date>& dates,
                     const std::set<Date>& present, double threshold) {
    PreflightCheck check;
    check.table = table;
    check.role = role;
    check.dates_expected = static_cast<int>(dates.size());
    check.threshold_pct = threshold;
    for (Date date : dates) {
      if (present.count(date)) ++check.dates_with_data;
      else check.missing_dates.push_back(date);
    }
    check.coverage_pct = Pct(check.dates_with_data, check.dates_expected);
    return check;
  };
  for (const std::string& table : processor.phase3_tables) {
    NBAPC_ASSIGN_OR_RETURN(auto present, DatesWithRows(warehouse, table, start, end));
    PreflightCheck check = measure(table, "phase3", historical, present, thresholds.phase3_pct);
    if (historical.empty()) check.result = "N/A";
    else if (check.coverage_pct + 1e-9 >= thresholds.phase3_pct) check.result = "OK";
    else {
      check.result = "FAIL";
      report.phase3_failed = true;
    }
    report.checks.push_back(std::move(check));
  }
  for (const std::string& upstream : processor.upstreams) {
    const ProcessorInfo* up = FindProcessor(upstream);
    if (!up) continue;
    PreflightCheck check;
    if (produced_by_run.count(upstream)) {
      check = measure(up->output_table, "phase4", {}, {}, thresholds.phase4_pct);
      check.dates_expected = static_cast<int>(expected.size());
      check.result = "PRODUCED_BY_RUN";
    } else {
      NBAPC_ASSIGN_OR_RETURN(auto present, DatesWithRows(warehouse, up->output_table, start, end));
      NBAPC_ASSIGN_OR_RETURN(auto success, DatesWithSuccess(warehouse, upstream, start, end));
      present.insert(success.begin(), success.end());
      check = measure(up->output_table, "phase4", expected, present, thresholds.phase4_pct);
      if (check.coverage_pct + 1e-9 >= thresholds.phase4_pct) check.result = "OK";
      else {
        check.result = "FAIL";
        report.phase4_failed = true;
      }
    }
    report.checks.push_back(std::move(check));
  }
  for (const std::string& table : processor.context_tables) {
    NBAPC_ASSIGN_OR_RETURN(auto present, DatesWithRows(warehouse, table, start, end));
    PreflightCheck check = measure(table, "context", expected, present, thresholds.context_pct);
    check.result = check.coverage_pct + 1e-9 >= thresholds.context_pct ? "OK" : "NOTE";
    report.checks.push_back(std::move(check));
  }
  // Look-back: historical game dates from the opener of season_year(start) to start - 1.
  if (!processor.phase3_tables.empty()) {
    Date opener = calendar.SeasonStart(SeasonYear(start));
    if (opener < start) {
      GameDatesPlan plan = calendar.PlanRange(opener, start - 1);
      std::vector<Date> lookback;
      for (Date date : plan.game_dates) {
        if (calendar.IsHistorical(date)) lookback.push_back(date);
      }
      const std::string& table = processor.phase3_tables.front();
      NBAPC_ASSIGN_OR_RETURN(auto present, DatesWithRows(warehouse, table, opener, start - 1));
      PreflightCheck check = measure(table, "lookback", lookback, present, thresholds.phase3_pct);
      report.lookback_line = fmt::format("look-back {} {}..{}: {}/{} ({:.1f}%)", table, opener.ToString(),
                                         (start - 1).ToString(), check.dates_with_data, check.dates_expected,
                                         check.coverage_pct);
      report.lookback_warn = check.dates_expected > 0 && check.coverage_pct < thresholds.phase3_pct;
    }
  }
  report.passed = !report.phase3_failed && !report.phase4_failed;
  return report;
}

std::vector<std::string> PreflightReport::Lines(bool verbose) const {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("PRE-FLIGHT: {} {}..{}", processor->name, start.ToString(), end.ToString()));
  lines.push_back(fmt::format("  game dates {} (bootstrap {}; historical {}, upcoming {})", game_dates, bootstrap_dates,
                              historical_dates, upcoming_dates));
  if (game_dates - bootstrap_dates == 0) {
    lines.push_back("  no non-bootstrap game dates in range: nothing to check");
  } else {
    lines.push_back(fmt::format("  {:<46} {:<8} {:>9} {:>9}  {:<10} {}", "input", "role", "dates", "coverage",
                                "needed", "result"));
    for (const PreflightCheck& check : checks) {
      std::string needed = check.role == "context" ? fmt::format("note <{:.0f}%", check.threshold_pct)
                                                   : fmt::format(">= {:.0f}%", check.threshold_pct);
      std::string result = check.result == "NOTE" ? "OK" : check.result;
      if (check.result == "PRODUCED_BY_RUN") {
        lines.push_back(fmt::format("  {:<46} {:<8} {:>9} {:>9}  {:<10} {}", check.table, check.role, "-", "-", needed,
                                    "produced by this run"));
        continue;
      }
      if (check.result == "N/A") {
        lines.push_back(fmt::format("  {:<46} {:<8} {:>9} {:>9}  {:<10} {}", check.table, check.role, "0/0", "n/a",
                                    needed, "OK"));
        continue;
      }
      lines.push_back(fmt::format("  {:<46} {:<8} {:>9} {:>8.1f}%  {:<10} {}", check.table, check.role,
                                  fmt::format("{}/{}", check.dates_with_data, check.dates_expected), check.coverage_pct,
                                  needed, result));
      if (verbose && !check.missing_dates.empty()) {
        lines.push_back(fmt::format("    missing: {}", MissingList(check.missing_dates, 50)));
      }
    }
    for (const PreflightCheck& check : checks) {
      if (check.result != "NOTE") continue;
      lines.push_back(fmt::format(
          "NOTE: {} covers {}/{} game dates ({:.1f}%): synthetic context will be used where it is missing (not a "
          "failure)",
          check.table, check.dates_with_data, check.dates_expected, check.coverage_pct));
    }
    if (!lookback_line.empty()) lines.push_back("  " + lookback_line);
  }
  lines.push_back(fmt::format("PRE-FLIGHT {}: {}", passed ? "PASSED" : "FAILED", processor->name));
  return lines;
}

std::vector<std::string> PreflightReport::FailureLines(const std::string& rerun_hint) const {
  std::vector<std::string> lines;
  if (phase3_failed) {
    lines.push_back("ERROR: PRE-FLIGHT CHECK FAILED: Phase 3 data is incomplete!");
    lines.push_back(fmt::format("Cannot proceed with Phase 4 backfill of {} until Phase 3 is complete.", processor->name));
    for (const PreflightCheck& check : checks) {
      if (check.role != "phase3" || check.result != "FAIL") continue;
      lines.push_back(fmt::format("  {}: {}/{} game dates ({:.1f}%), need >= {:.0f}%; missing: {} ({})", check.table,
                                  check.dates_with_data, check.dates_expected, check.coverage_pct, check.threshold_pct,
                                  MissingList(check.missing_dates, 10), check.missing_dates.size()));
    }
  }
  if (phase4_failed) {
    if (!phase3_failed) lines.push_back("ERROR: PRE-FLIGHT CHECK FAILED: Phase 4 dependencies are incomplete!");
    for (const PreflightCheck& check : checks) {
      if (check.role != "phase4" || check.result != "FAIL") continue;
      std::string upstream = check.table.substr(check.table.find('.') + 1);
      for (const ProcessorInfo& info : AllProcessors()) {
        if (info.output_table == check.table) upstream = info.name;
      }
      lines.push_back(fmt::format("Cannot proceed with {} until {} covers at least {:.0f}% of the game dates.",
                                  processor->name, upstream, check.threshold_pct));
      lines.push_back(fmt::format("  {}: {}/{} game dates ({:.1f}%); missing: {} ({})", check.table,
                                  check.dates_with_data, check.dates_expected, check.coverage_pct,
                                  MissingList(check.missing_dates, 10), check.missing_dates.size()));
    }
  }
  lines.push_back("Options:");
  lines.push_back(
      "  1. Fill the gaps first: import the missing Phase 3 rows (nba-precompute import ...) or backfill the missing "
      "upstream processors");
  lines.push_back(
      "  2. Use --skip-preflight to bypass (NOT RECOMMENDED: dates whose inputs are missing will fail one by one)");
  lines.push_back("To see details, run:");
  lines.push_back("  " + rerun_hint);
  return lines;
}

nlohmann::ordered_json PreflightReport::ToJson() const {
  nlohmann::ordered_json j;
  j["processor"] = processor->name;
  j["start_date"] = start.ToString();
  j["end_date"] = end.ToString();
  j["game_dates"] = game_dates;
  j["bootstrap_dates"] = bootstrap_dates;
  j["historical_dates"] = historical_dates;
  j["upcoming_dates"] = upcoming_dates;
  j["checks"] = nlohmann::ordered_json::array();
  for (const PreflightCheck& check : checks) {
    nlohmann::ordered_json c;
    c["table"] = check.table;
    c["role"] = check.role;
    c["dates_with_data"] = check.dates_with_data;
    c["dates_expected"] = check.dates_expected;
    c["coverage_pct"] = check.coverage_pct;
    c["threshold_pct"] = check.threshold_pct;
    c["result"] = check.result;
    c["missing_dates"] = nlohmann::ordered_json::array();
    for (Date date : check.missing_dates) c["missing_dates"].push_back(date.ToString());
    j["checks"].push_back(c);
  }
  j["passed"] = passed;
  return j;
}

}  // namespace nbapc::backfill
