#pragma once
// Feature distributions of the report (spec/validation.md §8 "feature
// distributions"): the fields charted, their bounds, summary statistics over
// the non-bootstrap values of the range, and the histogram SVG.
//
// The bounds restate spec/validation.md §4.3 (hard bounds, valid ranges,
// minimum %), spec/mlfs.md §6 (MLFS feature ranges) and spec/pcf.md §7 (PCF
// score ranges, used as the chart axis). They are kept here, not taken from
// src/validate/, so the report renders without the validator.

#include <optional>
#include <string>
#include <vector>

namespace nbapc::report {

struct Bounds {
  double lo = 0;
  double hi = 0;
};

struct FieldSpec {
  std::string table;             // "nba_predictions.ml_feature_store_v2"
  std::string field;             // column, or MLFS feature name
  int feature_index = -1;        // >= 0: element of the MLFS `features` array
  std::optional<Bounds> hard;    // F2 hard bounds (validation.md §4.3 / mlfs.md §6)
  std::vector<double> set;       // F2 value set: one bar per value
  std::optional<Bounds> axis;    // chart axis when not the hard bounds (pcf.md §7 score ranges)
  std::optional<Bounds> range;   // non-hard valid range ("range" rule, counted in valid %)
  bool null_allowed = false;     // NULLs count as valid
  double min_pct = 95.0;         // F1 minimum valid %
  double min_non_null_pct = 0;   // minimum non-NULL % of a NULL-allowed field
  bool mlfs = false;             // default % reported (F5)
  double default_limit = 25.0;   // F5 warning limit (%)
  bool context_dependent = false;  // F5 error exempt
};

// Every charted field, in report order: TDZA, PSZA, PDC, PCF, MLFS (the 25
// features, then feature_quality_score).
const std::vector<FieldSpec>& AllFieldSpecs();

// One observed value; `null` for SQL NULL; `is_default` for MLFS features
// whose feature_sources tag is "default".
struct Observation {
  double value = 0;
  bool null = false;
  bool is_default = false;
};

struct Bin {
  double lo = 0;
  double hi = 0;
  long long count = 0;
  bool in_set = true;  // false for the "other values" bar of a set-valued field
};

struct FieldStats {
  long long n = 0;            // rows
  long long nulls = 0;
  long long valid = 0;        // non-NULL and inside the rule (NULL too when allowed)
  long long hard_violations = 0;
  long long defaults = 0;     // MLFS `default` tags
  std::optional<double> mean, min, max, p01, p50, p99;  // over non-NULL values
  // Histogram
  Bounds axis;
  bool set_valued = false;
  std::vector<Bin> bins;
  long long below_axis = 0;   // non-NULL values left of / right of the axis
  long long above_axis = 0;

  double null_pct() const { return n ? nulls * 100.0 / n : 0.0; }
  double valid_pct() const { return n ? valid * 100.0 / n : 0.0; }
  double default_pct() const { return n ? defaults * 100.0 / n : 0.0; }
};

// Nearest-rank quantile (validation.md §4.1): the value at 1-based position
// ceil(q * n) of the sorted values (position clamped to [1, n]).
double NearestRank(const std::vector<double>& sorted, double q);

// Statistics and bins of one field. Values are summed in the given order
// (callers pass them in (date, key) order). Histogram: one bar per set value
// (plus an "other" bar when values break the set), else 30 equal bins over
// the hard bounds, else the axis override, else [p01, p99].
FieldStats ComputeFieldStats(const FieldSpec& spec, const std::vector<Observation>& observations);

inline constexpr int kHistogramBins = 30;

// The F-check result of the caption, evaluated by the report itself over the
// whole range: F2 hard bounds, F1 minimum valid %, non-NULL minimum, F5
// defaults (MLFS). "PASS", "WARN: …" or "FAIL: …".
std::string FieldCheckResult(const FieldSpec& spec, const FieldStats& stats);

// <figure> with the inline <svg> histogram (valid range shaded, mean and p50
// markers, <title> tooltips per bar) and the caption.
std::string RenderHistogram(const FieldSpec& spec, const FieldStats& stats);

}  // namespace nbapc::report
