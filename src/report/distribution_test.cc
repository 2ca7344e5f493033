#include "report/distribution.h"

#include <gtest/gtest.h>

#include "validate/feature_thresholds.h"

namespace nbapc::report {
namespace {

std::vector<Observation> Obs(std::initializer_list<double> values) {
  std::vector<Observation> out;
  for (double v : values) out.push_back(Observation{v, false, false});
  return out;
}

using validate::FieldRule;
using validate::kMlfsTable;
using validate::kPcfTable;
using validate::kPdcTable;
using validate::kPszaTable;
using validate::kTdzaTable;

const FieldSpec* FindSpec(const std::string& table, const std::string& field) {
  for (const FieldSpec& spec : AllFieldSpecs()) {
    if (spec.rule->table == table && spec.rule->field == field) return &spec;
  }
  return nullptr;
}

const FieldSpec& SpecOf(const std::string& table, const std::string& field) {
  if (const FieldSpec* spec = FindSpec(table, field)) return *spec;
  static const FieldRule none_rule;
  static const FieldSpec none{&none_rule, std::nullopt};
  ADD_FAILURE() << "no spec " << table << "." << field;
  return none;
}

const FieldRule* RegistryRule(const std::string& table, const std::string& field) {
  for (const FieldRule* rule : validate::RulesOfTable(table)) {
    if (rule->field == field) return rule;
  }
  return nullptr;
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
  const FieldSpec& spec = SpecOf(kMlfsTable, "points_avg_last_5");  // hard [0, 60], min 95 %
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
  const FieldSpec& spec = SpecOf(kMlfsTable, "home_away");
  EXPECT_EQ(spec.rule->index, 15);
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
  const FieldSpec& spec = SpecOf(kTdzaTable, "opponent_pace");
  EXPECT_FALSE(spec.rule->hard);
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
  const FieldSpec& win = SpecOf(kMlfsTable, "team_win_pct");
  std::vector<Observation> obs;
  for (int idx = 0; idx < 1000; ++idx) obs.push_back(Observation{0.5, false, true});
  FieldStats stats = ComputeFieldStats(win, obs);
  EXPECT_EQ(stats.defaults, 1000);
  EXPECT_EQ(FieldCheckResult(win, stats), "FAIL: F5 always default");
  const FieldSpec& injury = SpecOf(kMlfsTable, "injury_risk");
  EXPECT_EQ(FieldCheckResult(injury, ComputeFieldStats(injury, obs)), "FAIL: F2 1,000 outside hard bounds; F1 valid 0.0% < 95%");
  std::vector<Observation> zeros(1000, Observation{0.0, false, true});
  EXPECT_EQ(FieldCheckResult(injury, ComputeFieldStats(injury, zeros)), "PASS (context-dependent)");
  zeros.resize(10);
  zeros.push_back(Observation{0.5, false, false});
  // 10 of 11 default (90.9 %) > 25 %: warning below 1000 rows.
  EXPECT_EQ(FieldCheckResult(win, ComputeFieldStats(win, zeros)), "WARN: F5 default 90.9% > 25%");
}

TEST(ReportDistributionTest, PcfFatigueAxisIsTheScoreRangeShadingTheHardBounds) {
  const FieldSpec& spec = SpecOf(kPcfTable, "fatigue_score");
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
  EXPECT_NE(html.find(">30 bins over the pcf.md §7 range<"), std::string::npos);
}

TEST(ReportDistributionTest, PcfScoreAxisIsTheRegistryRangeOfTheMlfsFeature) {
  // fatigue_score: the registry's MLFS feature 5 carries the pcf.md §7 range
  // [0, 100]; the PCF row the reachable [35, 100].
  const FieldSpec& fatigue = SpecOf(kPcfTable, "fatigue_score");
  const FieldRule* feature = RegistryRule(kMlfsTable, "fatigue_score");
  ASSERT_NE(feature, nullptr);
  ASSERT_TRUE(fatigue.axis);
  EXPECT_EQ(fatigue.axis->lo, *feature->lo);
  EXPECT_EQ(fatigue.axis->hi, *feature->hi);
  EXPECT_EQ(fatigue.axis->lo, 0);
  EXPECT_EQ(fatigue.axis->hi, 100);
  // The other scores' hard bounds are already their §7 ranges: no override.
  for (const char* field : {"shot_zone_mismatch_score", "pace_score", "usage_spike_score"}) {
    EXPECT_FALSE(SpecOf(kPcfTable, field).axis) << field;
  }
  const FieldSpec& pace = SpecOf(kPcfTable, "pace_score");
  FieldStats stats = ComputeFieldStats(pace, Obs({0}));
  EXPECT_EQ(stats.axis.lo, -3);
  EXPECT_EQ(stats.axis.hi, 3);
  EXPECT_NE(RenderHistogram(pace, stats).find(">30 bins over the hard bounds<"), std::string::npos);
}

TEST(ReportDistributionTest, BoundsSetsAndFlagsAreTheRegistrys) {
  // Every charted field is a registry row itself (not a copy).
  for (const FieldSpec& spec : AllFieldSpecs()) {
    EXPECT_EQ(spec.rule, RegistryRule(spec.rule->table, spec.rule->field)) << spec.rule->field;
  }
  // A few fields with the values of validation.md §4.3.
  const FieldSpec& games = SpecOf(kPdcTable, "games_played_season");
  ASSERT_TRUE(RuleBounds(*games.rule));
  EXPECT_TRUE(games.rule->hard);
  EXPECT_EQ(RuleBounds(*games.rule)->lo, 5);
  EXPECT_EQ(RuleBounds(*games.rule)->hi, 82);
  EXPECT_EQ(*games.rule->min_pct, 100);

  const FieldSpec& pace = SpecOf(kTdzaTable, "opponent_pace");
  EXPECT_FALSE(pace.rule->hard);
  EXPECT_EQ(RuleBounds(*pace.rule)->lo, 85);
  EXPECT_EQ(RuleBounds(*pace.rule)->hi, 115);

  const FieldSpec& free_throw = SpecOf(kMlfsTable, "pct_free_throw");
  EXPECT_EQ(free_throw.rule->index, 21);
  EXPECT_TRUE(free_throw.rule->hard);
  EXPECT_EQ(RuleBounds(*free_throw.rule)->hi, 0.5);

  EXPECT_EQ(RuleValueSet(*SpecOf(kPcfTable, "data_completeness_pct").rule),
            (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(RuleValueSet(*SpecOf(kPszaTable, "games_in_sample_10").rule), (std::vector<double>{10}));  // hard = 10
  EXPECT_EQ(RuleValueSet(*SpecOf(kMlfsTable, "injury_risk").rule), (std::vector<double>{0, 1, 2, 3}));

  const FieldSpec& paint_pct = SpecOf(kPszaTable, "paint_pct_last_10");
  EXPECT_TRUE(paint_pct.rule->null_allowed);
  EXPECT_TRUE(paint_pct.rule->min_on_non_null);
  EXPECT_EQ(*paint_pct.rule->min_pct, 90);
}

TEST(ReportDistributionTest, ValuesOutsideTheRegistryRuleAreFlaggedInTheCheckLine) {
  // Hard bound: shot_zone_mismatch_score ∈ [−10, 10]; 10.5 breaks it (F2).
  const FieldSpec& mismatch = SpecOf(kPcfTable, "shot_zone_mismatch_score");
  FieldStats stats = ComputeFieldStats(mismatch, Obs({0, 1.5, 10.5}));
  EXPECT_EQ(stats.hard_violations, 1);
  EXPECT_EQ(FieldCheckResult(mismatch, stats), "FAIL: F2 1 outside hard bounds; F1 valid 66.7% < 100%");
  EXPECT_NE(RenderHistogram(mismatch, stats).find("<span class=\"fail\">FAIL: F2 1 outside hard bounds"),
            std::string::npos);
  // games_played_season is a hard *integer* range [5, 82]: 12.5 and 4 break it.
  const FieldSpec& games = SpecOf(kPdcTable, "games_played_season");
  EXPECT_EQ(FieldCheckResult(games, ComputeFieldStats(games, Obs({10, 12.5, 4, 82}))),
            "FAIL: F2 2 outside hard bounds; F1 valid 50.0% < 100%");
  // Non-hard range (TDZA opponent_pace [85, 115], min 95 %): no F2, F1 only.
  const FieldSpec& pace = SpecOf(kTdzaTable, "opponent_pace");
  std::vector<Observation> obs(97, Observation{100, false, false});
  obs.push_back(Observation{120, false, false});
  // 97 of 98 = 98.98 %: 99.0 % at one decimal, as `validate` compares it.
  EXPECT_EQ(FieldCheckResult(pace, ComputeFieldStats(pace, obs)), "PASS");
  obs.push_back(Observation{84, false, false});
  obs.push_back(Observation{116, false, false});
  EXPECT_EQ(FieldCheckResult(pace, ComputeFieldStats(pace, obs)), "WARN: F1 valid 97.0% < 99%");
  for (int idx = 0; idx < 3; ++idx) obs.push_back(Observation{200, false, false});
  EXPECT_EQ(FieldCheckResult(pace, ComputeFieldStats(pace, obs)), "FAIL: F1 valid 94.2% < 95%");
  // paint_pct_last_10: NULLs valid, F1 on the non-NULL share (90 %).
  const FieldSpec& paint_pct = SpecOf(kPszaTable, "paint_pct_last_10");
  std::vector<Observation> paint(8, Observation{0.6, false, false});
  paint.push_back(Observation{0, true, false});
  paint.push_back(Observation{0, true, false});
  EXPECT_EQ(FieldCheckResult(paint_pct, ComputeFieldStats(paint_pct, paint)), "FAIL: F1 non-NULL 80.0% < 90%");
  paint.resize(9);
  paint.insert(paint.begin(), 10, Observation{0.6, false, false});
  EXPECT_EQ(FieldCheckResult(paint_pct, ComputeFieldStats(paint_pct, paint)), "PASS");  // 18 of 19 non-NULL
}

TEST(ReportDistributionTest, EverySpecHasAnAxisRule) {
  int mlfs_features = 0;
  for (const FieldSpec& spec : AllFieldSpecs()) {
    if (spec.rule->index >= 0) ++mlfs_features;
    EXPECT_TRUE(!RuleValueSet(*spec.rule).empty() || RuleBounds(*spec.rule)) << spec.rule->field;
  }
  EXPECT_EQ(mlfs_features, 25);
  // TDZA 9, PSZA 6, PDC 10, PCF 10, MLFS 25 features + feature_quality_score.
  EXPECT_EQ(AllFieldSpecs().size(), 61u);
  // Not a range of one value: text, a relation, row shape.
  EXPECT_EQ(FindSpec(kPszaTable, "primary_scoring_zone"), nullptr);
  EXPECT_EQ(FindSpec(kPdcTable, "early_season_flag"), nullptr);
  EXPECT_EQ(FindSpec(kPcfTable, "context_source"), nullptr);
  EXPECT_EQ(FindSpec(kMlfsTable, "feature_count"), nullptr);
  EXPECT_EQ(FindSpec(kMlfsTable, "features"), nullptr);
  EXPECT_NE(FindSpec(kMlfsTable, "feature_quality_score"), nullptr);
  EXPECT_EQ(FindSpec("nba_analytics.player_game_summary", "points"), nullptr);
}

}  // namespace
}  // namespace nbapc::report
