#include "validate/regression.h"

#include <gtest/gtest.h>

namespace nbapc::validate {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

MetricRow Field(const char* field, int season, double mean, double sd, double p50, double valid) {
  MetricRow row;
  row.table = "nba_predictions.ml_feature_store_v2";
  row.field = field;
  row.season_year = season;
  row.span_start = "2024-11-05";
  row.span_end = "2025-01-02";
  row.mean = mean;
  row.sd = sd;
  row.p50 = p50;
  row.valid_pct = valid;
  return row;
}

RunSnapshot Snapshot(const char* id) {
  RunSnapshot snap;
  snap.validation_id = id;
  snap.engine_version = "0.1.0";
  snap.input_fingerprint = {{"nba_analytics.player_game_summary", "abc"}};
  return snap;
}

TEST(ValidateRegressionTest, UnchangedRunHasNoRegressions) {
  RunSnapshot base = Snapshot("val-a");
  base.metrics[{"nba_predictions.ml_feature_store_v2", "team_win_pct", 2024}] = Field("team_win_pct", 2024, 0.5, 0.15, 0.5, 100);
  base.output_hashes[{"ml_feature_store", D("2024-11-05")}] = "1111";
  RunSnapshot now = base;
  now.validation_id = "val-b";
  now.covered["ml_feature_store"] = {D("2024-11-05")};
  RegressionResult result = CompareWithBaseline(base, now, 0.25, D("2024-10-01"), D("2025-01-02"));
  EXPECT_EQ(result.compared, 1);
  EXPECT_TRUE(result.regressions.empty());
  EXPECT_TRUE(result.context_lines.empty());
}

TEST(ValidateRegressionTest, MeanShiftValidDropAndDeterminism) {
  RunSnapshot base = Snapshot("val-a");
  base.metrics[{"t", "a", 2024}] = Field("a", 2024, 0.5, 0.1, 0.5, 100);
  base.metrics[{"t", "b", 2024}] = Field("b", 2024, 10, 2, 10, 99);
  base.output_hashes[{"ml_feature_store", D("2024-11-05")}] = "1111";
  base.output_hashes[{"ml_feature_store", D("2024-11-06")}] = "2222";
  RunSnapshot now = base;
  now.metrics[{"t", "a", 2024}] = Field("a", 2024, 0.53, 0.1, 0.5, 100);  // shift 0.03 > 0.025
  now.metrics[{"t", "b", 2024}] = Field("b", 2024, 10.4, 2, 10, 93.5);   // shift 0.4 <= 0.5; valid -5.5 pp
  now.output_hashes[{"ml_feature_store", D("2024-11-05")}] = "9999";
  now.covered["ml_feature_store"] = {D("2024-11-05")};  // 11-06 lost
  RegressionResult result = CompareWithBaseline(base, now, 0.25, D("2024-10-01"), D("2025-01-02"));
  std::vector<std::string> ids;
  for (const Check& check : result.regressions) ids.push_back(check.id + ":" + check.field);
  EXPECT_EQ(ids, (std::vector<std::string>{"R4:a", "R3:b", "R1:", "R7:"}));
  EXPECT_NE(result.regressions[3].message.find("non-deterministic output: ml_feature_store 2024-11-05"),
            std::string::npos);
}

TEST(ValidateRegressionTest, ChangedInputsDisableR7AndDifferentSpansAreNotComparable) {
  RunSnapshot base = Snapshot("val-a");
  base.metrics[{"t", "a", 2024}] = Field("a", 2024, 0.5, 0.1, 0.5, 100);
  base.output_hashes[{"pcf", D("2024-11-05")}] = "1111";
  RunSnapshot now = base;
  now.input_fingerprint["nba_analytics.player_game_summary"] = "def";
  now.metrics[{"t", "a", 2024}].span_end = "2025-01-09";
  now.output_hashes[{"pcf", D("2024-11-05")}] = "9999";
  RegressionResult result = CompareWithBaseline(base, now, 0.25, D("2024-10-01"), D("2025-01-02"));
  EXPECT_TRUE(result.regressions.empty());
  EXPECT_EQ(result.not_comparable, 1);
  ASSERT_EQ(result.context_lines.size(), 1u);
  EXPECT_EQ(result.context_lines[0], "inputs changed since the baseline: nba_analytics.player_game_summary");
}

TEST(ValidateRegressionTest, RowCountDropIsAnErrorAndRiseAWarning) {
  RunSnapshot base = Snapshot("val-a");
  MetricRow rows;
  rows.table = "nba_precompute.player_daily_cache";
  rows.field = "*";
  rows.season_year = 2024;
  rows.covered_dates = 50;
  rows.rows = 1000;
  base.metrics[{rows.table, "*", 2024}] = rows;
  RunSnapshot now = base;
  now.metrics[{rows.table, "*", 2024}].rows = 970;
  RegressionResult drop = CompareWithBaseline(base, now, 0.25, D("2024-10-01"), D("2025-01-02"));
  ASSERT_EQ(drop.regressions.size(), 1u);
  EXPECT_EQ(drop.regressions[0].id, "R2");
  EXPECT_EQ(drop.regressions[0].status, CheckStatus::kFail);
  now.metrics[{rows.table, "*", 2024}].rows = 1030;
  now.metrics[{rows.table, "*", 2024}].covered_dates = 49;
  RegressionResult rise = CompareWithBaseline(base, now, 0.25, D("2024-10-01"), D("2025-01-02"));
  ASSERT_EQ(rise.regressions.size(), 2u);
  EXPECT_EQ(rise.regressions[0].id, "R1");
  EXPECT_EQ(rise.regressions[1].status, CheckStatus::kWarn);
}

}  // namespace
}  // namespace nbapc::validate
