#include "demo/rng.h"

#include <array>
#include <vector>

#include <gtest/gtest.h>

namespace nbapc::demo {
namespace {

TEST(DemoRngTest, SplitMix64KnownValues) {
  SplitMix64 sm(0);
  EXPECT_EQ(sm.Next(), 0xe220a8397b1dcdafULL);
}

TEST(DemoRngTest, Fnv1a64KnownValues) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
}

TEST(DemoRngTest, XoshiroSeededBySplitMix) {
  // Reference values from an independent Python implementation.
  Rng rng(0);
  EXPECT_EQ(rng.Next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(rng.Next(), 0xbf6e1f784956452aULL);
}

TEST(DemoRngTest, StreamByKey) {
  Rng rng = Stream(42, "2023|schedule");
  EXPECT_EQ(rng.Next(), 0x336e66c47dd41604ULL);
  EXPECT_EQ(rng.Next(), 0xc067c7125f0e9c94ULL);
  // uniform01 = (0x79fbc6fe2972aa38 >> 11) * 2^-53
  EXPECT_DOUBLE_EQ(Stream(42, "2023|schedule").Uniform01(), 0.20090334221988848);
  EXPECT_NE(Stream(42, "2023|schedule").Next(), Stream(43, "2023|schedule").Next());
  EXPECT_NE(Stream(42, "2023|schedule").Next(), Stream(42, "2024|schedule").Next());
}

TEST(DemoRngTest, DistributionsStayInRangeAndHaveExpectedMeans) {
  Rng rng = Stream(7, "test");
  double sum = 0.0, sum_sq = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    double x = rng.Normal(10.0, 2.0);
    EXPECT_GE(x, -2.0);  // 12-uniform normal is bounded to mu +- 6 sigma
    EXPECT_LE(x, 22.0);
    sum += x;
    sum_sq += x * x;
  }
  double mean = sum / n;
  EXPECT_NEAR(mean, 10.0, 0.1);
  EXPECT_NEAR(sum_sq / n - mean * mean, 4.0, 0.2);

  int bin_sum = 0;
  for (int i = 0; i < 2000; ++i) {
    int b = rng.Binomial(82, 0.016);
    EXPECT_GE(b, 0);
    EXPECT_LE(b, 82);
    bin_sum += b;
  }
  EXPECT_NEAR(bin_sum / 2000.0, 1.312, 0.1);

  int geo_sum = 0;
  for (int i = 0; i < 2000; ++i) {
    int g = rng.Geometric(0.25);
    EXPECT_GE(g, 1);
    geo_sum += g;
  }
  EXPECT_NEAR(geo_sum / 2000.0, 4.0, 0.3);

  std::array<int, 3> counts{};
  const std::array<double, 3> weights{1.0, 0.0, 3.0};
  for (int i = 0; i < 4000; ++i) ++counts[rng.Categorical(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2] / 4000.0, 0.75, 0.03);

  for (int i = 0; i < 1000; ++i) {
    int v = rng.UniformInt(3, 5);
    EXPECT_GE(v, 3);
    EXPECT_LE(v, 5);
  }
}

}  // namespace
}  // namespace nbapc::demo
