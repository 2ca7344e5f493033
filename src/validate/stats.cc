#include "validate/stats.h"

#include <algorithm>
#include <cmath>

namespace nbapc::validate {

double NearestRank(const std::vector<double>& sorted, double q) {
  // spec/validation.md §4.1: position ceil(q * n), 1-based.
  auto n = static_cast<int64_t>(sorted.size());
  auto pos = static_cast<int64_t>(std::ceil(q * static_cast<double>(n)));
  pos = std::clamp<int64_t>(pos, 1, n);
  return sorted[static_cast<size_t>(pos - 1)];
}

ValueStats ComputeValueStats(const std::vector<double>& values) {
  ValueStats stats;
  stats.count = static_cast<int64_t>(values.size());
  if (values.empty()) return stats;
  double sum = 0;
  for (double v : values) {
    sum += v;
    if (v == 0.0) ++stats.zeros;
  }
  double mean = sum / static_cast<double>(values.size());
  stats.mean = mean;
  if (values.size() >= 2) {
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    stats.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  stats.min = sorted.front();
  stats.max = sorted.back();
  stats.p05 = NearestRank(sorted, 0.05);
  stats.p50 = NearestRank(sorted, 0.50);
  stats.p95 = NearestRank(sorted, 0.95);
  int64_t distinct = 0;
  for (size_t idx = 0; idx < sorted.size() && distinct < kDistinctCap; ++idx) {
    if (idx == 0 || sorted[idx] != sorted[idx - 1]) ++distinct;
  }
  stats.distinct = distinct;
  return stats;
}

}  // namespace nbapc::validate
