#pragma once
// Coverage per processor (spec/validation.md §2): definitions of §2.1 and the
// checks C1-C4, C6-C8 of §2.2 computed from already-loaded facts, plus the
// loader that reads those facts from the warehouse.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backfill/registry.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"
#include "validate/check.h"

namespace nbapc::validate {

// Latest outcome of (processor, date) in processor_run_latest.
struct LatestOutcome {
  std::string status;  // success / failed / skipped
  std::string reason_code;
  std::string reason;
  std::string finished_at;
  std::string output_hash;
  int64_t records_written = 0;
};

// What coverage needs for one processor over the range R.
struct CoverageInput {
  std::string processor;  // full name
  std::string table;      // "dataset.table"
  std::vector<Date> game_dates;  // G, ascending
  std::set<Date> bootstrap;      // B (bootstrap dates among G)
  std::map<Date, LatestOutcome> latest;   // outcomes dated in R
  std::map<Date, int64_t> rows_by_date;   // rows dated in R (any date)
  std::vector<Date> stale_dates;          // C7 (backfill.md §14.3)
  bool check_populated = false;           // C6 (MLFS)
};

struct CoverageResult {
  std::string processor;
  std::string table;
  int game_dates = 0;
  int bootstrap_dates = 0;
  int processable_dates = 0;
  int covered_dates = 0;
  double coverage_pct = 0;             // one decimal
  double max_coverage_pct = 0;
  double processable_coverage_pct = 0;
  int zero_row_dates = 0;
  std::vector<Date> failed_dates;
  std::vector<Date> not_run_dates;
  // Latest outcome a success that wrote rows, yet the table has none for the
  // date now (rows deleted after the run): not covered, a C3 failure.
  std::vector<Date> missing_row_dates;
  int64_t rows = 0;
  std::vector<Date> bootstrap_violations;  // C2
  std::vector<Date> non_game_row_dates;    // C4
  std::vector<Date> bootstrap_unrecorded;  // C8
  std::vector<Date> stale_dates;           // C7
  std::set<Date> covered;                  // covered(d), d in X
  std::vector<Check> checks;               // C1-C4, C6-C8 (pass included)

  nlohmann::ordered_json ToJson() const;
};

// covered(d) of §2.1.
bool IsCovered(const std::map<Date, LatestOutcome>& latest, const std::map<Date, int64_t>& rows_by_date, Date date);

// §2.1/§2.2. `min_coverage` is the C1 threshold (percent).
CoverageResult ComputeCoverage(const CoverageInput& input, double min_coverage);

// Stale dates of `processor` (backfill.md §14.3): its latest outcome is a
// success finished before a successful latest outcome of an upstream.
std::vector<Date> StaleDates(const std::map<Date, LatestOutcome>& own,
                             const std::vector<const std::map<Date, LatestOutcome>*>& upstreams);

// Percentage with one decimal (0 when the denominator is 0).
double Pct1(double num, double den);

// Reads processor_run_latest of `processor` over [start, end].
Result<std::map<Date, LatestOutcome>> LoadLatestOutcomes(store::Warehouse& warehouse, const std::string& processor,
                                                         Date start, Date end);
// Rows per date of `table` (date column) over [start, end].
Result<std::map<Date, int64_t>> LoadRowsByDate(store::Warehouse& warehouse, const std::string& table, Date start,
                                               Date end);

}  // namespace nbapc::validate
