#include "validate/coverage.h"

#include <gtest/gtest.h>

namespace nbapc::validate {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

LatestOutcome Outcome(const char* status, const char* code = "", int64_t written = 0, const char* finished = "") {
  LatestOutcome outcome;
  outcome.status = status;
  outcome.reason_code = code;
  outcome.records_written = written;
  outcome.finished_at = finished;
  return outcome;
}

const Check& Find(const CoverageResult& result, const std::string& id) {
  for (const Check& check : result.checks) {
    if (check.id == id) return check;
  }
  ADD_FAILURE() << "no check " << id;
  return result.checks.front();
}

TEST(ValidateCoverageTest, DefinitionsAndChecks) {
  CoverageInput input;
  input.processor = "player_composite_factors";
  input.table = "nba_precompute.player_composite_factors";
  // 10 game dates, the first 2 bootstrap.
  for (int day = 1; day <= 10; ++day) input.game_dates.push_back(D("2024-11-01") + (day - 1));
  input.bootstrap = {D("2024-11-01"), D("2024-11-02")};
  input.latest[D("2024-11-01")] = Outcome("skipped", "bootstrap");
  // 2024-11-02: bootstrap without outcome -> C8 warning.
  input.latest[D("2024-11-03")] = Outcome("success", "", 5);
  input.rows_by_date[D("2024-11-03")] = 5;
  input.latest[D("2024-11-04")] = Outcome("success", "", 0);  // 0-row success
  input.latest[D("2024-11-05")] = Outcome("failed", "missing_input");
  input.rows_by_date[D("2024-11-05")] = 3;  // older rows kept
  // 2024-11-06: no outcome, rows (imported) -> covered.
  input.rows_by_date[D("2024-11-06")] = 4;
  // 2024-11-07: nothing -> not run.
  input.latest[D("2024-11-08")] = Outcome("success", "", 7);  // rows deleted afterwards
  input.latest[D("2024-11-09")] = Outcome("success", "", 2);
  input.rows_by_date[D("2024-11-09")] = 2;
  input.latest[D("2024-11-10")] = Outcome("success", "", 2);
  input.rows_by_date[D("2024-11-10")] = 2;
  input.rows_by_date[D("2024-11-11")] = 1;  // not a game date -> C4
  CoverageResult result = ComputeCoverage(input, 85.0);
  EXPECT_EQ(result.game_dates, 10);
  EXPECT_EQ(result.bootstrap_dates, 2);
  EXPECT_EQ(result.processable_dates, 8);
  EXPECT_EQ(result.covered_dates, 5);  // 03, 04, 06, 09, 10
  EXPECT_EQ(result.zero_row_dates, 1);
  EXPECT_EQ(result.coverage_pct, 50.0);
  EXPECT_EQ(result.max_coverage_pct, 80.0);
  EXPECT_EQ(result.processable_coverage_pct, 62.5);
  ASSERT_EQ(result.failed_dates.size(), 1u);
  EXPECT_EQ(result.failed_dates[0], D("2024-11-05"));
  ASSERT_EQ(result.not_run_dates.size(), 1u);
  EXPECT_EQ(result.not_run_dates[0], D("2024-11-07"));
  ASSERT_EQ(result.missing_row_dates.size(), 1u);
  EXPECT_EQ(result.rows, 17);
  EXPECT_EQ(Find(result, "C1").status, CheckStatus::kFail);
  EXPECT_EQ(Find(result, "C2").status, CheckStatus::kPass);
  const Check& c3 = Find(result, "C3");
  EXPECT_EQ(c3.status, CheckStatus::kFail);
  EXPECT_NE(c3.message.find("1 failed dates (2024-11-05)"), std::string::npos);
  EXPECT_NE(c3.message.find("2024-11-07"), std::string::npos);
  EXPECT_NE(c3.message.find("2024-11-08"), std::string::npos);
  EXPECT_EQ(Find(result, "C4").status, CheckStatus::kFail);
  const Check& c8 = Find(result, "C8");
  EXPECT_EQ(c8.status, CheckStatus::kWarn);
  EXPECT_NE(c8.message.find("2024-11-02"), std::string::npos);
}

TEST(ValidateCoverageTest, BootstrapRowsViolateC2) {
  CoverageInput input;
  input.processor = "team_defense_zone_analysis";
  input.game_dates = {D("2024-10-22"), D("2024-11-05")};
  input.bootstrap = {D("2024-10-22")};
  input.rows_by_date[D("2024-10-22")] = 30;
  input.latest[D("2024-11-05")] = Outcome("success", "", 0);
  CoverageResult result = ComputeCoverage(input, 40.0);
  EXPECT_EQ(Find(result, "C2").status, CheckStatus::kFail);
  EXPECT_EQ(Find(result, "C1").status, CheckStatus::kPass);  // 50.0 >= 40
  EXPECT_EQ(Find(result, "C3").status, CheckStatus::kPass);
}

TEST(ValidateCoverageTest, StaleDatesCompareFinishedAt) {
  std::map<Date, LatestOutcome> own, upstream;
  own[D("2024-01-05")] = Outcome("success", "", 1, "2026-01-03T10:00:00.000Z");
  own[D("2024-01-06")] = Outcome("success", "", 1, "2026-01-03T12:00:00.000Z");
  upstream[D("2024-01-05")] = Outcome("success", "", 1, "2026-01-03T11:00:00.000Z");
  upstream[D("2024-01-06")] = Outcome("success", "", 1, "2026-01-03T11:00:00.000Z");
  std::vector<Date> stale = StaleDates(own, {&upstream});
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0], D("2024-01-05"));
}

}  // namespace
}  // namespace nbapc::validate
