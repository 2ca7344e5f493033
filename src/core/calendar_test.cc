#include "core/calendar.h"

#include "core/teams.h"

#include <gtest/gtest.h>

namespace nbapc {
namespace {

Date D(const char* text) { return Date::Parse(text).value(); }

ScheduleGame Game(const char* date, GameType type, GameStatus status, const char* home = "BOS",
                  const char* away = "NYK") {
  ScheduleGame game;
  game.game_id = "0022100001";
  game.game_date = D(date);
  game.season_year = SeasonYear(game.game_date);
  game.home_team_abbr = home;
  game.away_team_abbr = away;
  game.game_type = type;
  game.game_status = status;
  return game;
}

TEST(DateTest, ParseAndFormat) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_FALSE(Date::Parse("2024-02-30").ok());
  EXPECT_FALSE(Date::Parse("2023-02-29").ok());
  EXPECT_FALSE(Date::Parse("1/5/2024").ok());
  EXPECT_FALSE(Date::Parse("20240105").ok());
  EXPECT_EQ(Date::Parse("2024-02-30").status().message(), "\"2024-02-30\" is not a date");
  EXPECT_EQ(D("2024-03-01") - D("2024-02-28"), 2);
  EXPECT_EQ((D("2024-12-31") + 1).ToString(), "2025-01-01");
}

TEST(CalendarTest, SeasonYear) {
  EXPECT_EQ(SeasonYear(D("2024-10-01")), 2024);
  EXPECT_EQ(SeasonYear(D("2024-09-30")), 2023);
  EXPECT_EQ(SeasonYear(D("2025-06-15")), 2024);
}

// The table of spec/backfill.md §5.2: bootstrap window and first processed date.
TEST(CalendarTest, BootstrapTableFromBuiltIns) {
  SeasonCalendar calendar({}, {}, D("2026-01-03"));
  struct Row {
    int season;
    const char* opener;
    const char* last_bootstrap;
    const char* first_processed;
  };
  const Row rows[] = {
      {2021, "2021-10-19", "2021-11-01", "2021-11-02"}, {2022, "2022-10-18", "2022-10-31", "2022-11-01"},
      {2023, "2023-10-24", "2023-11-06", "2023-11-07"}, {2024, "2024-10-22", "2024-11-04", "2024-11-05"},
      {2025, "2025-10-21", "2025-11-03", "2025-11-04"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(calendar.SeasonStart(row.season), D(row.opener)) << row.season;
    EXPECT_TRUE(calendar.IsBootstrap(D(row.opener))) << row.season;
    EXPECT_TRUE(calendar.IsBootstrap(D(row.last_bootstrap))) << row.season;
    EXPECT_FALSE(calendar.IsBootstrap(D(row.first_processed))) << row.season;
    EXPECT_FALSE(calendar.IsBootstrap(D(row.opener) - 1)) << "before the opener is not bootstrap";
    EXPECT_EQ(calendar.DayOfSeason(D(row.first_processed)), 14);
  }
}

TEST(CalendarTest, SeasonStartRules) {
  std::vector<ScheduleGame> schedule = {
      Game("2024-10-04", GameType::kPreseason, GameStatus::kFinal),
      Game("2024-10-22", GameType::kRegularSeason, GameStatus::kPostponed),
      Game("2024-10-23", GameType::kRegularSeason, GameStatus::kFinal),
  };
  SeasonCalendar calendar(schedule, {}, D("2026-01-03"));
  std::string warning;
  EXPECT_EQ(calendar.SeasonStart(2024, &warning), D("2024-10-23"));
  EXPECT_EQ(warning, "season 2024 start from schedule 2024-10-23 differs from the built-in 2024-10-22; using the schedule");
  EXPECT_EQ(calendar.SeasonStart(2023, &warning), D("2023-10-24"));
  EXPECT_EQ(warning, "");
  EXPECT_EQ(calendar.SeasonStart(2026, &warning), D("2026-10-22"));
  EXPECT_EQ(warning, "season 2026 start unknown: assuming 2026-10-22");
}

TEST(CalendarTest, GameDatesOfARange) {
  std::vector<ScheduleGame> schedule = {
      Game("2021-12-17", GameType::kRegularSeason, GameStatus::kFinal),
      Game("2021-12-19", GameType::kRegularSeason, GameStatus::kPostponed),
      Game("2021-12-20", GameType::kRegularSeason, GameStatus::kScheduled),  // stale: past, never final
      Game("2021-12-21", GameType::kAllStar, GameStatus::kFinal, "LBN", "DRT"),
      Game("2021-12-22", GameType::kPlayoff, GameStatus::kFinal),
      Game("2021-12-23", GameType::kRegularSeason, GameStatus::kScheduled),  // today: upcoming
      Game("2021-12-24", GameType::kRegularSeason, GameStatus::kScheduled),
  };
  SeasonCalendar calendar(schedule, {}, D("2021-12-23"));
  GameDatesPlan plan = calendar.PlanRange(D("2021-12-16"), D("2021-12-31"));
  std::vector<Date> expected = {D("2021-12-17"), D("2021-12-22"), D("2021-12-23"), D("2021-12-24")};
  EXPECT_EQ(plan.game_dates, expected);
  EXPECT_EQ(plan.postponed_only_dates, std::vector<Date>{D("2021-12-19")});
  EXPECT_EQ(plan.stale_scheduled_dates, std::vector<Date>{D("2021-12-20")});
  EXPECT_EQ(plan.calendar_days, 16);
  EXPECT_TRUE(calendar.IsHistorical(D("2021-12-17")));
  EXPECT_FALSE(calendar.IsHistorical(D("2021-12-23")));
  EXPECT_EQ(calendar.LatestFinalGameDate(D("2021-10-01"), D("2021-12-22")), D("2021-12-17"));
  EXPECT_EQ(calendar.LatestFinalGameDate(D("2021-12-18"), D("2021-12-22")), std::nullopt);
}

TEST(CalendarTest, WithoutScheduleUsesPgsDates) {
  SeasonCalendar calendar({}, {D("2024-01-05"), D("2024-01-07")}, D("2026-01-03"));
  EXPECT_FALSE(calendar.has_schedule());
  GameDatesPlan plan = calendar.PlanRange(D("2024-01-01"), D("2024-01-31"));
  EXPECT_EQ(plan.game_dates.size(), 2u);
  EXPECT_TRUE(calendar.IsHistorical(D("2024-01-07")));
}

}  // namespace
}  // namespace nbapc

namespace nbapc {
namespace {

TEST(ClosestNameTest, DidYouMean) {
  std::vector<std::string> names = {"LAC", "LAL", "MIA"};
  EXPECT_EQ(ClosestName("LAK", names, 1), "LAL");
  EXPECT_EQ(ClosestName("MIX", names, 1), "MIA");
  EXPECT_EQ(ClosestName("ZZZ", names, 1), "");
  std::vector<std::string> aliases = {"tdza", "psza", "pdc", "pcf", "mlfs"};
  EXPECT_EQ(ClosestName("pfc", aliases, 2), "pcf");  // transposition beats substitution
  EXPECT_EQ(EditDistance("pfc", "pcf"), 1u);
}

}  // namespace
}  // namespace nbapc
