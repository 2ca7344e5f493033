#include "validate/feature_thresholds.h"

#include <set>

#include <gtest/gtest.h>

namespace nbapc::validate {
namespace {

const FieldRule& Find(const std::string& table, const std::string& field) {
  for (const FieldRule& rule : FeatureRegistry()) {
    if (rule.table == table && rule.field == field) return rule;
  }
  ADD_FAILURE() << "no rule " << table << "." << field;
  return FeatureRegistry()[0];
}

TEST(FeatureThresholdsTest, MlfsHasTheTwentyFiveFeaturesInIndexOrder) {
  std::vector<const FieldRule*> rules = RulesOfTable(kMlfsTable);
  int expected_index = 0;
  for (const FieldRule* rule : rules) {
    if (rule->index < 0) continue;
    EXPECT_EQ(rule->index, expected_index++);
    EXPECT_TRUE(rule->hard);
    EXPECT_EQ(*rule->min_pct, 95.0);
  }
  EXPECT_EQ(expected_index, 25);
  EXPECT_EQ(Find(kMlfsTable, "team_win_pct").index, 24);
  EXPECT_TRUE(Find(kMlfsTable, "injury_risk").context_dependent);
}

TEST(FeatureThresholdsTest, RulesMatchTheSpecTable) {
  const FieldRule& fatigue = Find(kPcfTable, "fatigue_score");
  EXPECT_TRUE(fatigue.Satisfies(35));
  EXPECT_TRUE(fatigue.Satisfies(100));
  EXPECT_FALSE(fatigue.Satisfies(34));
  EXPECT_FALSE(fatigue.Satisfies(80.5));  // integer
  const FieldRule& threes = Find(kTdgsTable, "opp_three_pt_attempts");
  EXPECT_FALSE(threes.Satisfies(0));  // > 0
  EXPECT_TRUE(threes.Satisfies(1));
  const FieldRule& rest = Find(kMlfsTable, "rest_advantage");
  EXPECT_TRUE(rest.Satisfies(-2));
  EXPECT_FALSE(rest.Satisfies(0.5));
  const FieldRule& pct = Find(kPcfTable, "data_completeness_pct");
  EXPECT_TRUE(pct.Satisfies(60));
  EXPECT_FALSE(pct.Satisfies(50));
  const FieldRule& referee = Find(kPcfTable, "referee_favorability_score");
  EXPECT_TRUE(referee.Satisfies(0.0));
  EXPECT_FALSE(referee.Satisfies(0.1));
  EXPECT_EQ(referee.constant_allowed, ConstantAllowed::kAlways);
  const FieldRule& flag = Find(kPdcTable, "early_season_flag");
  EXPECT_TRUE(flag.Satisfies(1, 9));
  EXPECT_FALSE(flag.Satisfies(0, 9));
  EXPECT_TRUE(flag.Satisfies(0, 10));
  const FieldRule& zone = Find(kPszaTable, "primary_scoring_zone");
  EXPECT_TRUE(zone.SatisfiesText("perimeter"));
  EXPECT_FALSE(zone.SatisfiesText("rim"));
  EXPECT_TRUE(zone.null_allowed);
  EXPECT_EQ(Find(kMlfsTable, "feature_quality_score").RuleText(), "hard [41.4, 97]");
}

TEST(FeatureThresholdsTest, EveryFieldIsAColumnOrAFeature) {
  std::set<std::string> seen;
  for (const FieldRule& rule : FeatureRegistry()) {
    EXPECT_TRUE(seen.insert(rule.table + "." + rule.field).second) << rule.field;
  }
  EXPECT_EQ(RulesOfTable(kTdzaTable).size(), 9u);
  EXPECT_EQ(RulesOfTable(kPcfTable).size(), 11u);
}

}  // namespace
}  // namespace nbapc::validate
