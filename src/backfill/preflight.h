#pragma once
// Pre-flight (spec/backfill.md §6): per processor, coverage of its critical
// Phase 3 inputs, its Phase 4 upstreams and its context tables over the
// range's game dates, against the runbook's thresholds.

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backfill/registry.h"
#include "core/calendar.h"
#include "core/date.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

struct PreflightThresholds {
  double phase3_pct = 80.0;
  double phase4_pct = 75.0;
  double context_pct = 60.0;
};

struct PreflightCheck {
  std::string table;
  std::string role;  // phase3 / phase4 / context
  int dates_with_data = 0;
  int dates_expected = 0;
  double coverage_pct = 0;
  double threshold_pct = 0;
  std::string result;  // OK, FAIL, NOTE, N/A, PRODUCED_BY_RUN
  std::vector<Date> missing_dates;
};

struct PreflightReport {
  const ProcessorInfo* processor = nullptr;
  Date start;
  Date end;
  int game_dates = 0;
  int bootstrap_dates = 0;
  int historical_dates = 0;
  int upcoming_dates = 0;
  std::vector<PreflightCheck> checks;
  std::string lookback_line;  // informational
  bool lookback_warn = false;
  bool passed = true;
  bool phase3_failed = false;
  bool phase4_failed = false;

  // The text lines of §6 (without log prefixes). `verbose` lists missing dates.
  std::vector<std::string> Lines(bool verbose) const;
  // The failure block (ERROR lines) of §6.
  std::vector<std::string> FailureLines(const std::string& rerun_hint) const;
  nlohmann::ordered_json ToJson() const;
};

// `game_dates`: the game dates of the range (or --dates); `produced_by_run`:
// upstreams this invocation will produce (not checked).
Result<PreflightReport> RunPreflight(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                     const ProcessorInfo& processor, const std::vector<Date>& game_dates, Date start,
                                     Date end, const std::set<std::string>& produced_by_run,
                                     const PreflightThresholds& thresholds);

// Distinct dates of `table` (date column) within [from, to].
Result<std::set<Date>> DatesWithRows(store::Warehouse& warehouse, const std::string& table, Date from, Date to);
// Dates with a `success` outcome of `processor` in run history within [from, to].
Result<std::set<Date>> DatesWithSuccess(store::Warehouse& warehouse, const std::string& processor, Date from, Date to);

}  // namespace nbapc::backfill
