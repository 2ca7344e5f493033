#pragma once
// Feature validation (spec/validation.md §4): per (table, field) metrics over
// the rows of non-bootstrap dates of the range, per season and for the whole
// range (season_year 0), and the checks F1-F7 against the registry of §4.3.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"
#include "validate/check.h"
#include "validate/feature_thresholds.h"

namespace nbapc::validate {

// One field's values in (date, key) order, loaded for the whole table.
struct FieldColumn {
  const FieldRule* rule = nullptr;
  std::vector<double> num;          // numeric value (0 when NULL or text)
  std::vector<std::string> text;    // text fields only
  std::vector<uint8_t> is_null;
  std::vector<uint8_t> is_default;  // MLFS features: feature_sources[i] == "default"
  std::vector<double> companion;    // early_season_flag: games_played_season
};

struct TableData {
  std::string table;
  std::vector<Date> dates;       // per row
  std::vector<double> minutes;   // PGS minutes_played (NaN-free; see minutes_null)
  std::vector<uint8_t> minutes_null;
  std::vector<uint8_t> upcoming;  // PCF context_source == upcoming
  std::vector<FieldColumn> fields;  // registry order
};

struct FieldMetrics {
  std::string table;
  std::string field;
  int index = -1;
  int season_year = 0;  // 0 = whole range
  Date span_start, span_end;
  int64_t n = 0, null_count = 0, out_of_range = 0, distinct = 0, hard_violations = 0;
  double valid_pct = 0, null_rate = 0, non_null_pct = 0;
  std::optional<double> mean, sd, min, p05, p50, p95, max;
  std::optional<double> default_share, zero_share;
  std::optional<double> band_mean;  // mean over the band-filter rows (F4)
  std::map<std::string, int64_t> classes;  // text values (capped)
  std::string status = "pass";  // pass / warn / fail
  std::string note;             // "(context-dependent)"

  nlohmann::ordered_json ToJson() const;
};

struct TableFeatures {
  std::string table;
  std::string status;  // CLEAN / PARTIAL / CONTAMINATED
  int64_t rows = 0;
  std::vector<FieldMetrics> range_metrics;   // season 0, registry order
  std::vector<FieldMetrics> season_metrics;  // per season
  std::vector<std::string> contaminated_dates;  // --full lines
  int64_t contaminated_total = 0;
};

// Facts the exceptions of §4.3 need.
struct FeatureContext {
  std::set<int> seasons_with_playoffs;  // playoff dates in the season's range part
  std::set<int> seasons_with_upcoming;  // seasons where some PCF row is `upcoming`
  std::map<int, std::pair<Date, Date>> season_spans;  // processable game dates per season in R
  Date start, end;
};

// Loads the registry fields of `table` over non-bootstrap dates of [start, end].
Result<TableData> LoadTableData(store::Warehouse& warehouse, const std::string& table, const SeasonCalendar& calendar,
                                Date start, Date end);

// Metrics of one field over the given rows (indices into `data`).
FieldMetrics ComputeFieldMetrics(const TableData& data, const FieldColumn& column, const std::vector<size_t>& rows,
                                 int season_year);

// Metrics and checks F1-F7 of one table. `full` adds contaminated dates.
TableFeatures EvaluateTable(const TableData& data, const FeatureContext& context, bool full, double min_feature_coverage,
                            std::vector<Check>* checks);

// F7 over PGS (minutes / usage NULL cascade).
void CheckNullCascade(const TableData& pgs, std::vector<Check>* checks);

}  // namespace nbapc::validate
