#pragma once
// Feature distributions of the report (spec/validation.md §8 "feature
// distributions"): the fields charted, their bounds, summary statistics over
// the non-bootstrap values of the range, and the histogram SVG.
//
// Fields, rules, hard bounds, value sets, NULL handling, F1 minima and F5
// limits are those of the thresholds registry (validation.md §4.3,
// src/validate/feature_thresholds.h), the one the `validate` command applies;
// the report keeps no copy of them.

#include <optional>
#include <string>
#include <vector>

#include "validate/feature_thresholds.h"

namespace nbapc::report {

struct Bounds {
  double lo = 0;
  double hi = 0;
};

// One charted field: its registry row, plus the chart axis when it is not the
// rule's hard bounds.
struct FieldSpec {
  const validate::FieldRule* rule = nullptr;  // never null; points into the registry (or a test's rule)
  // PCF scores: the pcf.md §7 score range, when it differs from the rule's
  // hard bounds (the reachable range; so far only fatigue_score).
  std::optional<Bounds> axis;
};

// The rule's closed [lo, hi] when it has both sides (kRange), else nullopt.
std::optional<Bounds> RuleBounds(const validate::FieldRule& rule);
// The rule's value set when it is set-valued (kSet: `set`; kEquals: {lo}),
// else empty: one bar per value.
std::vector<double> RuleValueSet(const validate::FieldRule& rule);

// Every charted field, in registry order (so per table: TDZA, PSZA, PDC, PCF,
// MLFS — the 25 features, then feature_quality_score). Charted: the numeric
// registry rows of the Phase 4 / MLFS output tables, except rules that are not
// a range of one value (early_season_flag, the array lengths) and the MLFS
// row-shape constant feature_count (mlfs.md §8).
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
// the axis override, else the hard bounds, else [p01, p99].
FieldStats ComputeFieldStats(const FieldSpec& spec, const std::vector<Observation>& observations);

inline constexpr int kHistogramBins = 30;

// The F-check result of the caption: the registry rule applied by the report
// itself over the whole range (validation.md §4.2): F2 hard bounds, F1 minimum
// (valid % or, where the registry says so, non-NULL %; warn below 99 % valid),
// F5 defaults (MLFS features). "PASS", "WARN: …" or "FAIL: …".
std::string FieldCheckResult(const FieldSpec& spec, const FieldStats& stats);

// <figure> with the inline <svg> histogram (valid range shaded, mean and p50
// markers, <title> tooltips per bar) and the caption.
std::string RenderHistogram(const FieldSpec& spec, const FieldStats& stats);

}  // namespace nbapc::report
