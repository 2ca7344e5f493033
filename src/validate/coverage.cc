#include "validate/coverage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/numbers.h"
#include "store/schema.h"

namespace nbapc::validate {
namespace {

std::vector<std::string> DateStrings(const std::vector<Date>& dates) {
  std::vector<std::string> out;
  out.reserve(dates.size());
  for (Date date : dates) out.push_back(date.ToString());
  return out;
}

nlohmann::ordered_json DateArray(const std::vector<Date>& dates) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (Date date : dates) out.push_back(date.ToString());
  return out;
}

Check MakeCheck(const CoverageInput& input, const char* id, const char* name, bool bad, CheckStatus bad_status,
                nlohmann::ordered_json value, nlohmann::ordered_json threshold, std::string message) {
  Check check;
  check.id = id;
  check.name = name;
  check.processor = input.processor;
  check.status = bad ? bad_status : CheckStatus::kPass;
  check.value = std::move(value);
  check.threshold = std::move(threshold);
  check.message = std::move(message);
  return check;
}

}  // namespace

double Pct1(double num, double den) { return den > 0 ? RoundPy(num / den * 100.0, 1) : 0.0; }

bool IsCovered(const std::map<Date, LatestOutcome>& latest, const std::map<Date, int64_t>& rows_by_date, Date date) {
  // §2.1: latest outcome success (0 rows included); or no outcome and >= 1 row (imported outputs).
  auto it = latest.find(date);
  auto rows = rows_by_date.find(date);
  bool has_rows = rows != rows_by_date.end() && rows->second > 0;
  if (it != latest.end()) {
    // A success whose rows were deleted afterwards no longer covers the date.
    return it->second.status == "success" && (has_rows || it->second.records_written == 0);
  }
  return has_rows;
}

CoverageResult ComputeCoverage(const CoverageInput& input, double min_coverage) {
  CoverageResult out;
  out.processor = input.processor;
  out.table = input.table;
  out.game_dates = static_cast<int>(input.game_dates.size());
  std::set<Date> game_set(input.game_dates.begin(), input.game_dates.end());
  for (Date date : input.game_dates) {
    auto rows_it = input.rows_by_date.find(date);
    int64_t rows = rows_it == input.rows_by_date.end() ? 0 : rows_it->second;
    auto outcome_it = input.latest.find(date);
    const LatestOutcome* outcome = outcome_it == input.latest.end() ? nullptr : &outcome_it->second;
    if (input.bootstrap.count(date)) {
      ++out.bootstrap_dates;
      // C2: any row or success outcome on a bootstrap date.
      if (rows > 0 || (outcome && outcome->status == "success")) out.bootstrap_violations.push_back(date);
      // C8: no skipped/bootstrap outcome recorded.
      if (!outcome || outcome->status != "skipped" || outcome->reason_code != "bootstrap") {
        if (!(outcome && outcome->status == "success")) out.bootstrap_unrecorded.push_back(date);
      }
      continue;
    }
    ++out.processable_dates;
    if (IsCovered(input.latest, input.rows_by_date, date)) {
      ++out.covered_dates;
      out.covered.insert(date);
      if (rows == 0) ++out.zero_row_dates;
    } else if (outcome && outcome->status == "success") {
      out.missing_row_dates.push_back(date);
    } else if (outcome && outcome->status == "failed") {
      out.failed_dates.push_back(date);
    } else if (!outcome) {
      out.not_run_dates.push_back(date);
    } else {
      // Latest outcome skipped for another reason (e.g. a gate): not covered,
      // counted with the not-run dates (it has no rows of its own run).
      out.not_run_dates.push_back(date);
    }
  }
  for (const auto& [date, rows] : input.rows_by_date) {
    out.rows += rows;
    if (rows > 0 && !game_set.count(date)) out.non_game_row_dates.push_back(date);
  }
  out.coverage_pct = Pct1(out.covered_dates, out.game_dates);
  out.max_coverage_pct = Pct1(out.processable_dates, out.game_dates);
  out.processable_coverage_pct = Pct1(out.covered_dates, out.processable_dates);
  out.stale_dates = input.stale_dates;

  // §2.2 checks.
  out.checks.push_back(MakeCheck(input, "C1", "coverage", out.coverage_pct < min_coverage, CheckStatus::kFail,
                                 out.coverage_pct, min_coverage,
                                 fmt::format("coverage {:.1f}% ({} of {} game dates; max {:.1f}%)", out.coverage_pct,
                                             out.covered_dates, out.game_dates, out.max_coverage_pct)));
  out.checks.push_back(MakeCheck(
      input, "C2", "bootstrap respected", !out.bootstrap_violations.empty(), CheckStatus::kFail,
      static_cast<int>(out.bootstrap_violations.size()), 0,
      out.bootstrap_violations.empty()
          ? fmt::format("{} bootstrap dates without rows", out.bootstrap_dates)
          : fmt::format("{} bootstrap dates with rows or success ({})", out.bootstrap_violations.size(),
                        DateList(DateStrings(out.bootstrap_violations)))));
  {
    size_t bad = out.failed_dates.size() + out.not_run_dates.size() + out.missing_row_dates.size();
    std::string message;
    if (bad == 0) {
      message = "0 failed, 0 not run";
    } else {
      std::vector<std::string> parts;
      if (!out.failed_dates.empty()) {
        parts.push_back(fmt::format("{} failed dates ({})", out.failed_dates.size(),
                                    DateList(DateStrings(out.failed_dates))));
      }
      if (!out.not_run_dates.empty()) {
        parts.push_back(fmt::format("{} not run dates ({})", out.not_run_dates.size(),
                                    DateList(DateStrings(out.not_run_dates))));
      }
      if (!out.missing_row_dates.empty()) {
        parts.push_back(fmt::format("{} dates whose rows were deleted after a success ({})",
                                    out.missing_row_dates.size(), DateList(DateStrings(out.missing_row_dates))));
      }
      message = fmt::format("{}", fmt::join(parts, "; "));
    }
    out.checks.push_back(MakeCheck(input, "C3", "no critical failures", bad > 0, CheckStatus::kFail,
                                   static_cast<int>(bad), 0, message));
  }
  out.checks.push_back(MakeCheck(
      input, "C4", "no rows on non-game dates", !out.non_game_row_dates.empty(), CheckStatus::kFail,
      static_cast<int>(out.non_game_row_dates.size()), 0,
      out.non_game_row_dates.empty() ? "no rows outside game dates"
                                     : fmt::format("rows on {} non-game dates ({})", out.non_game_row_dates.size(),
                                                   DateList(DateStrings(out.non_game_row_dates)))));
  if (input.check_populated) {
    out.checks.push_back(MakeCheck(input, "C6", "MLFS populated", out.rows == 0, CheckStatus::kFail, out.rows, 1,
                                   out.rows == 0 ? "ml_feature_store_v2 has no row in the range"
                                                 : fmt::format("{} rows", out.rows)));
  }
  out.checks.push_back(MakeCheck(
      input, "C7", "nothing stale", !out.stale_dates.empty(), CheckStatus::kWarn,
      static_cast<int>(out.stale_dates.size()), 0,
      out.stale_dates.empty() ? "no stale dates"
                              : fmt::format("{} stale dates ({}): rerun with --cascade", out.stale_dates.size(),
                                            DateList(DateStrings(out.stale_dates)))));
  out.checks.push_back(MakeCheck(
      input, "C8", "bootstrap outcomes recorded", !out.bootstrap_unrecorded.empty(), CheckStatus::kWarn,
      static_cast<int>(out.bootstrap_unrecorded.size()), 0,
      out.bootstrap_unrecorded.empty()
          ? fmt::format("{} bootstrap dates recorded as skipped/bootstrap", out.bootstrap_dates)
          : fmt::format("{} bootstrap dates without a skipped/bootstrap outcome ({})",
                        out.bootstrap_unrecorded.size(), DateList(DateStrings(out.bootstrap_unrecorded)))));
  return out;
}

std::vector<Date> StaleDates(const std::map<Date, LatestOutcome>& own,
                             const std::vector<const std::map<Date, LatestOutcome>*>& upstreams) {
  std::vector<Date> stale;
  for (const auto& [date, outcome] : own) {
    if (outcome.status != "success") continue;
    for (const auto* upstream : upstreams) {
      auto it = upstream->find(date);
      if (it != upstream->end() && it->second.status == "success" && outcome.finished_at < it->second.finished_at) {
        stale.push_back(date);
        break;
      }
    }
  }
  return stale;
}

nlohmann::ordered_json CoverageResult::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["processor"] = processor;
  out["game_dates"] = game_dates;
  out["bootstrap_dates"] = bootstrap_dates;
  out["processable_dates"] = processable_dates;
  out["covered_dates"] = covered_dates;
  out["coverage_pct"] = coverage_pct;
  out["max_coverage_pct"] = max_coverage_pct;
  out["processable_coverage_pct"] = processable_coverage_pct;
  out["zero_row_dates"] = zero_row_dates;
  out["failed_dates"] = DateArray(failed_dates);
  out["not_run_dates"] = DateArray(not_run_dates);
  out["missing_row_dates"] = DateArray(missing_row_dates);
  out["rows"] = rows;
  out["stale_dates"] = DateArray(stale_dates);
  out["bootstrap_violations"] = DateArray(bootstrap_violations);
  out["non_game_row_dates"] = DateArray(non_game_row_dates);
  return out;
}

Result<std::map<Date, LatestOutcome>> LoadLatestOutcomes(store::Warehouse& warehouse, const std::string& processor,
                                                         Date start, Date end) {
  std::map<Date, LatestOutcome> out;
  std::vector<Value> params = {Value{processor}, Value{start.ToString()}, Value{end.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT data_date, status, reason_code, reason, finished_at, output_hash, records_written FROM nba_reference.processor_run_latest "
      "WHERE processor_name = ?1 AND data_date BETWEEN ?2 AND ?3 ORDER BY data_date",
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        LatestOutcome outcome;
        auto text = [&](size_t col) { return IsNull(row[col]) ? std::string() : std::get<std::string>(row[col]); };
        outcome.status = text(1);
        outcome.reason_code = text(2);
        outcome.reason = text(3);
        outcome.finished_at = text(4);
        outcome.output_hash = text(5);
        if (const auto* written = std::get_if<int64_t>(&row[6])) outcome.records_written = *written;
        out[date] = std::move(outcome);
        return Status::Ok();
      }));
  return out;
}

Result<std::map<Date, int64_t>> LoadRowsByDate(store::Warehouse& warehouse, const std::string& table, Date start,
                                               Date end) {
  const store::TableDef* def = store::FindTable(table);
  if (!def) return Status::NotFound(fmt::format("unknown table {}", table));
  std::map<Date, int64_t> out;
  std::vector<Value> params = {Value{start.ToString()}, Value{end.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT \"{0}\", COUNT(*) FROM {1} WHERE \"{0}\" BETWEEN ?1 AND ?2 GROUP BY \"{0}\"",
                  def->date_column, def->FullName()),
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        out[date] = std::get<int64_t>(row[1]);
        return Status::Ok();
      }));
  return out;
}

}  // namespace nbapc::validate
