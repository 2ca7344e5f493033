#include "validate/completeness.h"

#include <gtest/gtest.h>

namespace nbapc::validate {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

DateCounts Full(Date date, int games, int players) {
  DateCounts d;
  d.date = date;
  d.games = d.pgs_games = d.pcf_games = d.mlfs_games = games;
  d.tdgs_rows = d.togs_rows = 2 * games;
  d.pgs_players = d.pcf_players = d.mlfs_players = players;
  d.tdza_rows = d.psza_rows = d.pdc_rows = players;
  for (bool& covered : d.covered) covered = true;
  d.any_success = true;
  return d;
}

const Check& Find(const CompletenessResult& result, const std::string& id) {
  for (const Check& check : result.checks) {
    if (check.id == id) return check;
  }
  ADD_FAILURE() << "no check " << id;
  return result.checks.front();
}

TEST(ValidateCompletenessTest, CompleteRangePasses) {
  std::vector<DateCounts> dates;
  DateCounts boot = Full(D("2024-10-22"), 2, 50);
  boot.bootstrap = true;
  boot.pcf_games = boot.mlfs_games = boot.pcf_players = boot.mlfs_players = 0;
  dates.push_back(boot);
  for (int day = 0; day < 5; ++day) dates.push_back(Full(D("2024-11-05") + day, 10, 250));
  CompletenessResult result = ComputeCompleteness(D("2024-10-22"), D("2024-11-09"), dates);
  EXPECT_EQ(result.l1_games, 52);
  EXPECT_EQ(result.l4_games, 50);
  EXPECT_EQ(result.l1_non_bootstrap, 50);
  for (const Check& check : result.checks) EXPECT_EQ(check.status, CheckStatus::kPass) << check.id;
  EXPECT_EQ(DateStatusSymbol(result.dates[0]), "⊘");
  EXPECT_EQ(DateStatusSymbol(result.dates[1]), "✓");
}

TEST(ValidateCompletenessTest, GapRunsAndTeamMismatch) {
  std::vector<DateCounts> dates;
  for (int day = 0; day < 10; ++day) {
    DateCounts d = Full(D("2024-11-05") + day, 10, 250);
    if (day >= 2 && day <= 5) d.pcf_games = 4;  // 4 consecutive gap dates
    if (day == 8) d.togs_rows = 19;
    dates.push_back(d);
  }
  CompletenessResult result = ComputeCompleteness(D("2024-11-05"), D("2024-11-14"), dates);
  EXPECT_EQ(result.longest_gap_run, 4);
  ASSERT_EQ(result.gap_lines.size(), 4u);
  EXPECT_EQ(result.gap_lines[0], "2024-11-10: 4/10 games (40.0%)");  // newest first
  EXPECT_EQ(Find(result, "P5").status, CheckStatus::kFail);
  EXPECT_EQ(Find(result, "P4").status, CheckStatus::kFail);
  EXPECT_NE(Find(result, "P4").message.find("2024-11-13"), std::string::npos);
  // L4 = (100 - 4 * 6) / 100 = 76 % < 80 -> fail.
  EXPECT_EQ(Find(result, "P2").status, CheckStatus::kFail);
  EXPECT_EQ(DateStatusSymbol(result.dates[2]), "✓");  // players still reconcile
}

TEST(ValidateCompletenessTest, UpcomingDatesAreNotApplicable) {
  DateCounts upcoming;
  upcoming.date = D("2026-01-03");
  upcoming.historical = false;
  upcoming.games = 0;
  CompletenessResult result = ComputeCompleteness(D("2026-01-03"), D("2026-01-03"), {upcoming});
  EXPECT_EQ(result.upcoming_dates, 1);
  EXPECT_EQ(result.historical_dates, 0);
  EXPECT_EQ(DateStatusSymbol(result.dates[0]), "─");
}

}  // namespace
}  // namespace nbapc::validate
