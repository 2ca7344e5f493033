#pragma once
// Regression check against a stored baseline (spec/validation.md §5, §7):
// metric rows of validation_metrics and output hashes of
// validation_output_hashes compared with the current run (R1-R7).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"
#include "validate/check.h"

namespace nbapc::validate {

// One validation_metrics row (§7). field "*" = per-table coverage.
struct MetricRow {
  std::string table;
  std::string field;
  int season_year = 0;
  std::string span_start, span_end;
  std::optional<int64_t> n, null_count, out_of_range, distinct_count, covered_dates, rows;
  std::optional<double> valid_pct, null_rate, mean, sd, min, p05, p50, p95, max, default_share, zero_share;
};

using MetricKey = std::tuple<std::string, std::string, int>;  // table, field, season_year
using HashKey = std::pair<std::string, Date>;                 // processor, date

struct RunSnapshot {
  std::string validation_id;
  std::string engine_version;
  nlohmann::ordered_json input_fingerprint = nlohmann::ordered_json::object();
  std::map<MetricKey, MetricRow> metrics;
  std::map<HashKey, std::string> output_hashes;
  // processor -> table, for R1 per-date checks (current run only).
  std::map<std::string, std::set<Date>> covered;  // current covered dates per processor
};

struct RegressionResult {
  std::string baseline_id;  // "" when there is no baseline
  int compared = 0;
  int not_comparable = 0;
  std::vector<std::string> not_comparable_keys;
  std::vector<std::string> context_lines;
  std::vector<Check> regressions;  // R1-R7 (warn or fail)

  nlohmann::ordered_json ToJson() const;
};

// §5: `current` against `baseline`. Dates outside [start, end] are ignored.
RegressionResult CompareWithBaseline(const RunSnapshot& baseline, const RunSnapshot& current, double tolerance,
                                     Date start, Date end);

// Latest baseline id (is_baseline = true), or "" when none.
Result<std::string> LatestBaselineId(store::Warehouse& warehouse);
// Loads a stored run (kNotFound when the id does not exist).
Result<RunSnapshot> LoadSnapshot(store::Warehouse& warehouse, const std::string& validation_id);

// output_hash per covered date of `table` (backfill.md §14.1): 16 hex of
// SHA-256 over "<entity>\t<data_hash>\n" in entity byte order.
Result<std::map<Date, std::string>> ComputeOutputHashes(store::Warehouse& warehouse, const std::string& table,
                                                        const std::string& entity_column, Date start, Date end);

}  // namespace nbapc::validate
