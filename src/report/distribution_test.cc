#include "report/distribution.h"

#include <gtest/gtest.h>

namespace nbapc::report {
namespace {

std::vector<Observation> Obs(std::initializer_list<double> values) {
  std::vector<Observation> out;
  for (double v : values) out.push_back(Observation{v, false, false});
  return out;
}

const FieldSpec& SpecOf(const std::string& table, const std::string& field) {
  for (const FieldSpec& spec : AllFieldSpecs()) {
    if (spec.table == table && spec.field == field) return spec;
  }
  static FieldSpec none;
  ADD_FAILURE() << "no spec " << table << "." << field;
  return none;
}

TEST(ReportDistributionTest, NearestRank) {
  std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(NearestRank(sorted, 0.01), 1);  // ceil(0.1) = 1
  EXPECT_EQ(NearestRank(sorted, 0.50), 5);  // ceil(5) = 5
  EXPECT_EQ(NearestRank(sorted, 0.95), 10);  // ceil(9.5) = 10
  EXPECT_EQ(NearestRank(sorted, 0.99), 10);
  EXPECT_EQ(NearestRank({7}, 0.5), 7);
}

TEST(ReportDistributionTest, HardBoundsGiveThirtyBinsAndViolations) {
  FieldSpec spec;
  spec.field = "points_avg_last_5";
  spec.hard = Bounds{0, 60};
  std::vector<Observation> obs = Obs({0, 30, 60, 61, 1.9999});
  obs.push_back(Observation{0, true, false});
  FieldStats stats = ComputeFieldStats(spec, obs);
  EXPECT_EQ(stats.n, 6);
  EXPECT_EQ(stats.nulls, 1);
  EXPECT_EQ(stats.hard_violations, 1);
  EXPECT_EQ(stats.valid, 4);
  ASSERT_TRUE(stats.mean);
  EXPECT_DOUBLE_EQ(*stats.mean, (0 + 30 + 60 + 61 + 1.9999) / 5);
  EXPECT_EQ(*stats.p50, 30);  // sorted 0, 1.9999, 30, 60, 61: rank ceil(2.5) = 3
  ASSERT_EQ(stats.bins.size(), 30u);
  EXPECT_EQ(stats.bins[0].count, 2);   // 0 and 1.9999 (bin width 2)
  EXPECT_EQ(stats.bins[15].count, 1);  // 30
  EXPECT_EQ(stats.bins[29].count, 1);  // 60 sits in the closed last bin
  EXPECT_EQ(stats.above_axis, 1);      // 61
  EXPECT_EQ(stats.below_axis, 0);
  EXPECT_DOUBLE_EQ(stats.bins[1].lo, 2.0);
  EXPECT_DOUBLE_EQ(stats.bins[29].hi, 60.0);
  // 4 valid of 6 = 66.7 % < 95 %; one value outside the hard bounds.
  EXPECT_EQ(FieldCheckResult(spec, stats), "FAIL: F2 1 outside hard bounds; F1 valid 66.7% < 95%");
}

TEST(ReportDistributionTest, SetValuedFieldsGetOneBarPerValue) {
  const FieldSpec& spec = SpecOf("nba_predictions.ml_feature_store_v2", "home_away");
  EXPECT_EQ(spec.feature_index, 15);
  FieldStats stats = ComputeFieldStats(spec, Obs({0, 0, 1, 2}));
  EXPECT_TRUE(stats.set_valued);
  ASSERT_EQ(stats.bins.size(), 3u);
  EXPECT_EQ(stats.bins[0].count, 2);
  EXPECT_EQ(stats.bins[1].count, 1);
  EXPECT_FALSE(stats.bins[2].in_set);
  EXPECT_EQ(stats.bins[2].count, 1);
  EXPECT_EQ(stats.hard_violations, 1);
}

TEST(ReportDistributionTest, RangeOnlyFieldsUseP01P99Axis) {
  const FieldSpec& spec = SpecOf("nba_precompute.team_defense_zone_analysis", "opponent_pace");
  EXPECT_FALSE(spec.hard);
  std::vector<Observation> obs;
  for (int value = 1; value <= 200; ++value) obs.push_back(Observation{static_cast<double>(value), false, false});
  FieldStats stats = ComputeFieldStats(spec, obs);
  EXPECT_EQ(stats.axis.lo, 2);    // rank ceil(2) = 2
  EXPECT_EQ(stats.axis.hi, 198);  // rank ceil(198) = 198
  EXPECT_EQ(stats.below_axis, 1);
  EXPECT_EQ(stats.above_axis, 2);
  // Valid range [85, 115]: 31 of 200 values.
  EXPECT_EQ(stats.valid, 31);
  EXPECT_EQ(stats.hard_violations, 0);
}

TEST(ReportDistributionTest, DefaultsAndContextDependentFeatures) {
  const FieldSpec& win = SpecOf("nba_predictions.ml_feature_store_v2", "team_win_pct");
  std::vector<Observation> obs;
  for (int idx = 0; idx < 1000; ++idx) obs.push_back(Observation{0.5, false, true});
  FieldStats stats = ComputeFieldStats(win, obs);
  EXPECT_EQ(stats.defaults, 1000);
  EXPECT_EQ(FieldCheckResult(win, stats), "FAIL: F5 always default");
  const FieldSpec& injury = SpecOf("nba_predictions.ml_feature_store_v2", "injury_risk");
  EXPECT_EQ(FieldCheckResult(injury, ComputeFieldStats(injury, obs)), "FAIL: F2 1,000 outside hard bounds; F1 valid 0.0% < 95%");
  std::vector<Observation> zeros(1000, Observation{0.0, false, true});
  EXPECT_EQ(FieldCheckResult(injury, ComputeFieldStats(injury, zeros)), "PASS (context-dependent)");
  zeros.resize(10);
  zeros.push_back(Observation{0.5, false, false});
  // 10 of 11 default (90.9 %) > 25 %: warning below 1000 rows.
  EXPECT_EQ(FieldCheckResult(win, ComputeFieldStats(win, zeros)), "WARN: F5 default 90.9% > 25%");
}

TEST(ReportDistributionTest, PcfFatigueAxisIsTheScoreRangeShadingTheHardBounds) {
  const FieldSpec& spec = SpecOf("nba_precompute.player_composite_factors", "fatigue_score");
  FieldStats stats = ComputeFieldStats(spec, Obs({35, 100, 95}));
  EXPECT_EQ(stats.axis.lo, 0);
  EXPECT_EQ(stats.axis.hi, 100);
  std::string html = RenderHistogram(spec, stats);
  EXPECT_NE(html.find("<svg class=\"hist\""), std::string::npos);
  // Shading from x(35) = 44 + 0.35 * 278 = 141.3 to x(100) = 322.
  EXPECT_NE(html.find("<rect class=\"valid\" x=\"141.3\" y=\"10.0\" width=\"180.7\""), std::string::npos) << html;
  EXPECT_NE(html.find("<title>[33.33, 36.67): 1</title>"), std::string::npos);
  EXPECT_NE(html.find("class=\"mean\""), std::string::npos);
  EXPECT_NE(html.find("class=\"p50\""), std::string::npos);
  EXPECT_NE(html.find("n 3 · NULL 0.0% · mean 76.67 · p50 95"), std::string::npos) << html;
  EXPECT_NE(html.find(">PASS<"), std::string::npos);
}

TEST(ReportDistributionTest, EverySpecHasAnAxisRule) {
  int mlfs_features = 0;
  for (const FieldSpec& spec : AllFieldSpecs()) {
    if (spec.feature_index >= 0) ++mlfs_features;
    EXPECT_TRUE(!spec.set.empty() || spec.hard || spec.range) << spec.field;
  }
  EXPECT_EQ(mlfs_features, 25);
}

}  // namespace
}  // namespace nbapc::report
