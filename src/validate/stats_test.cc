#include "validate/stats.h"

#include <cmath>

#include <gtest/gtest.h>

namespace nbapc::validate {
namespace {

TEST(ValidateStatsTest, NearestRankUsesCeilOfQTimesN) {
  std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(NearestRank(sorted, 0.05), 1);  // ceil(0.5) = 1
  EXPECT_EQ(NearestRank(sorted, 0.50), 5);  // ceil(5) = 5
  EXPECT_EQ(NearestRank(sorted, 0.95), 10); // ceil(9.5) = 10
  EXPECT_EQ(NearestRank(sorted, 0.0), 1);   // at least position 1
}

TEST(ValidateStatsTest, MeanSdPercentilesDistinctZeros) {
  ValueStats stats = ComputeValueStats({2, 4, 4, 4, 5, 5, 7, 9, 0});
  EXPECT_EQ(stats.count, 9);
  EXPECT_DOUBLE_EQ(*stats.mean, 40.0 / 9.0);
  double mean = 40.0 / 9.0, ss = 0;
  for (double v : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 0.0}) ss += (v - mean) * (v - mean);
  EXPECT_DOUBLE_EQ(*stats.sd, std::sqrt(ss / 8.0));
  EXPECT_EQ(*stats.min, 0);
  EXPECT_EQ(*stats.max, 9);
  EXPECT_EQ(*stats.p50, 4);  // sorted 0 2 4 4 4 5 5 7 9, position ceil(4.5) = 5
  EXPECT_EQ(*stats.p95, 9);
  EXPECT_EQ(stats.distinct, 6);
  EXPECT_EQ(stats.zeros, 1);
}

TEST(ValidateStatsTest, EmptyAndSingle) {
  ValueStats empty = ComputeValueStats({});
  EXPECT_EQ(empty.count, 0);
  EXPECT_FALSE(empty.mean.has_value());
  ValueStats one = ComputeValueStats({3.5});
  EXPECT_EQ(*one.mean, 3.5);
  EXPECT_FALSE(one.sd.has_value());
  EXPECT_EQ(one.distinct, 1);
}

}  // namespace
}  // namespace nbapc::validate
