#pragma once
// Field metrics of spec/validation.md §4.1: counts, mean/sd summed in the
// given (date, key) order, nearest-rank percentiles, distinct values.
// Pure functions over in-memory values; no I/O.

#include <cstdint>
#include <optional>
#include <vector>

namespace nbapc::validate {

inline constexpr int kDistinctCap = 1000;

// Metrics of the non-NULL values of one field (NULLs are counted by the caller).
struct ValueStats {
  int64_t count = 0;  // non-NULL values
  std::optional<double> mean;
  std::optional<double> sd;  // n - 1; NULL below 2 values
  std::optional<double> min, p05, p50, p95, max;
  int64_t distinct = 0;  // capped at kDistinctCap
  int64_t zeros = 0;     // exact 0.0
};

// `values` in (date, key) order; the mean is summed in that order (§4.1).
ValueStats ComputeValueStats(const std::vector<double>& values);

// Nearest rank: the value at 1-based position ceil(q * n) of `sorted`
// (at least position 1). Precondition: !sorted.empty().
double NearestRank(const std::vector<double>& sorted, double q);

}  // namespace nbapc::validate
