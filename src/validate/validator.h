#pragma once
// `nba-precompute validate` (spec/validation.md §1-§7): runs the selected
// checks over one consistent read snapshot of the warehouse, renders the
// table or JSON output of §6 and appends the run to the validation tables of
// §7 (the only tables it writes). Never changes Phase 3 or Phase 4 rows.

#include <optional>
#include <ostream>
#include <string>

#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::validate {

struct ValidateOptions {
  std::string check = "all";  // all | coverage | completeness | features | regression
  std::optional<Date> start;  // default: first game date of the schedule
  std::optional<Date> end;    // default: last game date before today
  std::string processor = "all";
  std::string format = "table";  // table | json
  bool details = false;
  bool full = false;
  bool check_regression = false;   // on for `all` and `regression`
  std::string baseline;            // "" = latest baseline
  double tolerance = 0.25;
  double min_coverage = 85.0;
  double min_feature_coverage = 95.0;
  std::optional<bool> save_baseline;  // nullopt: save when the run passes and ran features
  std::string command_line = "validate";
  Date today;
};

// Runs the validation and writes its report to `out`. Returns the exit code
// (0 pass, 5 a check failed); a store error or unusable option is a Status
// (kInvalidArgument/kNotFound for usage, others = exit 1).
Result<int> RunValidate(store::Warehouse& warehouse, const ValidateOptions& options, std::ostream& out);

}  // namespace nbapc::validate
