#include "processors/tdza.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/calendar.h"
#include "core/hash.h"
#include "core/numbers.h"
#include "store/schema.h"
#include "testing/trace.h"
#include "testing/vectors.h"

namespace nbapc::processors {
namespace {

using nlohmann::json;
using testing::ExpectStep;
using testing::FindStep;
using testing::JsonDate;
using testing::LoadVectors;
using testing::OptDouble;
using testing::OptInt;
using testing::OptString;

Date D(const char* text) { return Date::Parse(text).value(); }

TeamDefenseGame GameFromJson(const json& row) {
  TeamDefenseGame game;
  game.defending_team_abbr = row.at("defending_team_abbr").get<std::string>();
  game.game_id = row.at("game_id").get<std::string>();
  game.game_date = JsonDate(row.at("game_date"));
  game.season_year = SeasonYear(game.game_date);
  game.opp_paint_makes = OptInt(row, "opp_paint_makes");
  game.opp_paint_attempts = OptInt(row, "opp_paint_attempts");
  game.opp_mid_range_makes = OptInt(row, "opp_mid_range_makes");
  game.opp_mid_range_attempts = OptInt(row, "opp_mid_range_attempts");
  game.opp_three_pt_makes = OptInt(row, "opp_three_pt_makes");
  game.opp_three_pt_attempts = OptInt(row, "opp_three_pt_attempts");
  game.points_in_paint_allowed = OptInt(row, "points_in_paint_allowed");
  game.blocks_paint = OptInt(row, "blocks_paint");
  game.blocks_mid_range = OptInt(row, "blocks_mid_range");
  game.blocks_three_pt = OptInt(row, "blocks_three_pt");
  game.points_allowed = OptInt(row, "points_allowed");
  game.defensive_rating = OptDouble(row, "defensive_rating");
  game.opponent_pace = OptDouble(row, "opponent_pace");
  return game;
}

std::vector<TeamDefenseGame> GamesFromJson(const json& rows) {
  std::vector<TeamDefenseGame> games;
  for (const json& row : rows) games.push_back(GameFromJson(row));
  return games;
}

// Asserts that `value` equals the expected JSON value under the vector rules
// (tdza.md §17): null = NULL, integers vs int64, floats vs double with ==,
// strings byte-equal, arrays vs the compact JSON text of the column.
void ExpectValueMatches(const std::string& column, const Value& value, const json& expected) {
  SCOPED_TRACE("column " + column);
  if (expected.is_null()) {
    EXPECT_TRUE(IsNull(value)) << "expected NULL, got " << HashFieldText(value);
  } else if (expected.is_boolean()) {
    ASSERT_TRUE(std::holds_alternative<bool>(value));
    EXPECT_EQ(std::get<bool>(value), expected.get<bool>());
  } else if (expected.is_number_integer()) {
    ASSERT_TRUE(std::holds_alternative<int64_t>(value)) << HashFieldText(value);
    EXPECT_EQ(std::get<int64_t>(value), expected.get<int64_t>());
  } else if (expected.is_number_float()) {
    ASSERT_TRUE(std::holds_alternative<double>(value)) << HashFieldText(value);
    EXPECT_EQ(std::get<double>(value), expected.get<double>())
        << FormatFloat(std::get<double>(value)) << " vs " << FormatFloat(expected.get<double>());
  } else if (expected.is_string()) {
    ASSERT_TRUE(std::holds_alternative<std::string>(value));
    EXPECT_EQ(std::get<std::string>(value), expected.get<std::string>());
  } else if (expected.is_array()) {
    ASSERT_TRUE(std::holds_alternative<std::string>(value));
    EXPECT_EQ(std::get<std::string>(value), expected.dump());
  } else {
    ADD_FAILURE() << "unexpected JSON kind " << expected.dump();
  }
}

// Every key of `expected` must be a column of `values` and match.
void ExpectRowMatches(const NamedValues& values, const json& expected) {
  for (const auto& [key, want] : expected.items()) {
    auto it = std::find_if(values.begin(), values.end(), [&](const auto& pair) { return pair.first == key; });
    ASSERT_NE(it, values.end()) << "no column " << key;
    ExpectValueMatches(key, it->second, want);
  }
}

std::vector<std::string> IssuesFromJson(const json& array) {
  std::vector<std::string> out;
  for (const json& item : array) out.push_back(item.get<std::string>());
  return out;
}

// ---------------------------------------------------------------- vectors

TEST(TdzaVectors, Window) {
  const auto vectors = LoadVectors("tdza", "tdza.window");
  ASSERT_EQ(vectors.size(), 4u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const std::vector<TeamDefenseGame> rows = GamesFromJson(vec.at("inputs").at("rows"));
    const std::vector<TeamDefenseGame> window = TdzaWindow(rows, JsonDate(vec.at("inputs").at("analysis_date")));
    std::vector<std::string> ids;
    for (const TeamDefenseGame& game : window) ids.push_back(game.game_id);
    EXPECT_EQ(ids, vec.at("expected").at("game_ids").get<std::vector<std::string>>());
    EXPECT_EQ(static_cast<int64_t>(window.size()), vec.at("expected").at("games_in_sample").get<int64_t>());
  }
}

TEST(TdzaVectors, ZoneDefense) {
  const auto vectors = LoadVectors("tdza", "tdza.zone_defense");
  ASSERT_EQ(vectors.size(), 11u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& league_json = vec.at("inputs").at("league");
    TdzaLeague league;
    league.paint_pct = league_json.at("paint_pct").get<double>();
    league.mid_range_pct = league_json.at("mid_range_pct").get<double>();
    league.three_pt_pct = league_json.at("three_pt_pct").get<double>();
    league.is_default = league_json.at("is_default").get<bool>();
    const std::vector<TeamDefenseGame> rows = GamesFromJson(vec.at("inputs").at("rows"));
    const TdzaRow row = TdzaZoneDefense(TdzaSumGames(rows), league);
    const json& expected = vec.at("expected");
    EXPECT_EQ(expected.size(), 24u);  // every §8-§10 column
    ExpectRowMatches(ToNamedValues(row), expected);
    EXPECT_EQ(row.data_quality_issues, IssuesFromJson(expected.at("data_quality_issues")));
    EXPECT_FALSE(row.early_season_flag.has_value());
  }
}

TEST(TdzaVectors, Strengths) {
  const auto vectors = LoadVectors("tdza", "tdza.strengths");
  ASSERT_EQ(vectors.size(), 10u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec.at("inputs");
    const TdzaZoneStrengths result =
        TdzaStrengths(OptDouble(in, "paint_defense_vs_league_avg"), OptDouble(in, "mid_range_defense_vs_league_avg"),
                      OptDouble(in, "three_pt_defense_vs_league_avg"));
    EXPECT_EQ(result.strongest_zone, OptString(vec.at("expected"), "strongest_zone"));
    EXPECT_EQ(result.weakest_zone, OptString(vec.at("expected"), "weakest_zone"));
  }
}

TEST(TdzaVectors, QualityTier) {
  const auto vectors = LoadVectors("tdza", "tdza.quality_tier");
  ASSERT_EQ(vectors.size(), 7u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    EXPECT_EQ(std::string(TdzaQualityTier(vec.at("inputs").at("games").get<int64_t>())),
              vec.at("expected").at("data_quality_tier").get<std::string>());
  }
}

TEST(TdzaVectors, LeagueFromTeamTotals) {
  const auto vectors = LoadVectors("tdza", "tdza.league_from_team_totals");
  ASSERT_EQ(vectors.size(), 5u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<TdzaLeagueTeamTotals> teams;
    for (const auto& [abbr, totals] : vec.at("inputs").at("teams").items()) {
      TdzaLeagueTeamTotals team;
      team.team_abbr = abbr;
      team.games = totals.at("games").get<int64_t>();
      team.paint_makes = totals.at("paint_makes").get<int64_t>();
      team.paint_attempts = totals.at("paint_attempts").get<int64_t>();
      team.mid_range_makes = totals.at("mid_range_makes").get<int64_t>();
      team.mid_range_attempts = totals.at("mid_range_attempts").get<int64_t>();
      team.three_pt_makes = totals.at("three_pt_makes").get<int64_t>();
      team.three_pt_attempts = totals.at("three_pt_attempts").get<int64_t>();
      teams.push_back(team);
    }
    // The function orders teams itself: feed them in descending order.
    std::reverse(teams.begin(), teams.end());
    const TdzaLeague league = TdzaLeagueFromTeamTotals(teams);
    const json& expected = vec.at("expected");
    EXPECT_EQ(league.paint_pct, expected.at("paint_pct").get<double>());
    EXPECT_EQ(league.mid_range_pct, expected.at("mid_range_pct").get<double>());
    EXPECT_EQ(league.three_pt_pct, expected.at("three_pt_pct").get<double>());
    EXPECT_EQ(league.teams_in_sample, expected.at("teams_in_sample").get<int>());
    EXPECT_EQ(league.is_default, expected.at("is_default").get<bool>());
  }
}

std::unique_ptr<SeasonCalendar> CalendarWithFinalDates(const std::vector<Date>& dates) {
  std::vector<ScheduleGame> schedule;
  int counter = 1;
  for (Date date : dates) {
    ScheduleGame game;
    game.game_id = "00224" + std::to_string(10000 + counter++);
    game.game_date = date;
    game.season_year = SeasonYear(date);
    game.home_team_abbr = "LAL";
    game.away_team_abbr = "BOS";
    game.game_type = GameType::kRegularSeason;
    game.game_status = GameStatus::kFinal;
    schedule.push_back(game);
  }
  return std::make_unique<SeasonCalendar>(schedule, std::vector<Date>{}, D("2026-01-03"));
}

TEST(TdzaVectors, ComputeDate) {
  const auto vectors = LoadVectors("tdza", "tdza.compute_date");
  ASSERT_EQ(vectors.size(), 8u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec.at("inputs");
    const json& expected = vec.at("expected");
    const Date date = JsonDate(in.at("analysis_date"));
    const std::vector<TeamDefenseGame> rows = GamesFromJson(in.at("rows"));
    std::unique_ptr<SeasonCalendar> calendar;
    if (in.contains("schedule_final_dates")) {
      std::vector<Date> dates;
      for (const json& d : in.at("schedule_final_dates")) dates.push_back(JsonDate(d));
      calendar = CalendarWithFinalDates(dates);
    }
    const TdzaProcessor processor(rows, calendar.get());
    const TdzaDateResult result = processor.ComputeDate(date);

    if (expected.at("status") == "failed") {
      ASSERT_FALSE(result.outcome.ok());
      EXPECT_EQ(result.outcome.reason_code, expected.at("reason").get<std::string>());
      EXPECT_TRUE(result.rows.empty());
      EXPECT_TRUE(result.exclusions.empty());
      if (expected.contains("missing_date")) {
        const Date missing = JsonDate(expected.at("missing_date"));
        EXPECT_EQ(result.stale_date, missing);
        EXPECT_EQ(result.outcome.reason, "stale_input: team_defense_game_summary has no rows for " +
                                             missing.ToString() + " (final games in the schedule)");
      } else {
        EXPECT_EQ(result.outcome.reason, "missing_input: team_defense_game_summary has no rows for season " +
                                             std::to_string(SeasonYear(date)) + " before " + date.ToString());
      }
      continue;
    }

    ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
    EXPECT_EQ(expected.at("status").get<std::string>(), "success");
    const json& league = expected.at("league");
    EXPECT_EQ(result.league.paint_pct, league.at("paint_pct").get<double>());
    EXPECT_EQ(result.league.mid_range_pct, league.at("mid_range_pct").get<double>());
    EXPECT_EQ(result.league.three_pt_pct, league.at("three_pt_pct").get<double>());
    EXPECT_EQ(result.league.teams_in_sample, league.at("teams_in_sample").get<int>());
    EXPECT_EQ(result.league.is_default, league.at("is_default").get<bool>());

    // Rows: every column, in ascending team_abbr.
    const json& want_rows = expected.at("rows");
    ASSERT_EQ(result.rows.size(), want_rows.size());
    std::vector<json> sorted_rows(want_rows.begin(), want_rows.end());
    std::sort(sorted_rows.begin(), sorted_rows.end(),
              [](const json& a, const json& b) { return a.at("team_abbr") < b.at("team_abbr"); });
    for (size_t idx = 0; idx < sorted_rows.size(); ++idx) {
      const NamedValues values = ToNamedValues(result.rows[idx]);
      EXPECT_EQ(values.size(), sorted_rows[idx].size());  // the vector lists every column
      ExpectRowMatches(values, sorted_rows[idx]);
      EXPECT_EQ(result.rows[idx].data_quality_issues, IssuesFromJson(sorted_rows[idx].at("data_quality_issues")));
    }

    // Exclusions in ascending entity_id.
    std::vector<json> outcomes(expected.at("entity_outcomes").begin(), expected.at("entity_outcomes").end());
    std::sort(outcomes.begin(), outcomes.end(),
              [](const json& a, const json& b) { return a.at("entity_id") < b.at("entity_id"); });
    ASSERT_EQ(result.exclusions.size(), outcomes.size());
    for (size_t idx = 0; idx < outcomes.size(); ++idx) {
      EXPECT_EQ(result.exclusions[idx].entity_id, outcomes[idx].at("entity_id").get<std::string>());
      EXPECT_EQ(result.exclusions[idx].failure_category, outcomes[idx].at("failure_category").get<std::string>());
      EXPECT_EQ(result.exclusions[idx].failure_reason, outcomes[idx].at("failure_reason").get<std::string>());
      EXPECT_FALSE(result.exclusions[idx].can_retry);
    }

    EXPECT_EQ(result.stats.teams_processed, static_cast<int>(result.rows.size()));
    EXPECT_EQ(result.stats.teams_insufficient, static_cast<int>(result.exclusions.size()));
    EXPECT_EQ(result.stats.league_avg_teams_in_sample, result.league.teams_in_sample);
    EXPECT_EQ(result.stats.league_avg_is_default, result.league.is_default);
  }
}

// The data_hash vector's record is the LAL row of compute_date_one_team_default_league
// dated one day earlier: the full row path must give the spec's hash.
TEST(TdzaVectors, DataHashRecord) {
  const auto hash_vectors = LoadVectors("tdza", "data_hash");
  const json* record = nullptr;
  for (const json& vec : hash_vectors) {
    if (vec.at("name") == "data_hash_tdza_record") record = &vec;
  }
  ASSERT_NE(record, nullptr);
  const auto compute = LoadVectors("tdza", "tdza.compute_date");
  const json* source = nullptr;
  for (const json& vec : compute) {
    if (vec.at("name") == "compute_date_one_team_default_league") source = &vec;
  }
  ASSERT_NE(source, nullptr);
  const std::vector<TeamDefenseGame> rows = GamesFromJson(source->at("inputs").at("rows"));
  const Date date = D("2025-01-27");
  std::vector<TeamDefenseGame> window = TdzaWindow(rows, D("2025-01-28"));
  ASSERT_EQ(window.size(), 15u);
  const TdzaRow row = TdzaBuildRow("LAL", date, TdzaSumGames(window), TdzaLeague{});
  EXPECT_EQ(row.data_hash, record->at("expected").at("data_hash").get<std::string>());
  ExpectRowMatches(ToNamedValues(row), record->at("inputs").at("fields"));
  EXPECT_EQ(row.data_hash, "e641b36f958dc302");
}

// ---------------------------------------------------------------- hand-computed cases

TeamDefenseGame MakeGame(const std::string& team, Date date, int64_t pm, int64_t pa, int64_t mm, int64_t ma, int64_t tm,
                         int64_t ta) {
  TeamDefenseGame game;
  game.defending_team_abbr = team;
  game.game_date = date;
  game.season_year = SeasonYear(date);
  game.game_id = fmt::format("{:04d}{:02d}{:02d}_OPP_{}", date.year(), date.month(), date.day(), team);
  game.opp_paint_makes = pm;
  game.opp_paint_attempts = pa;
  game.opp_mid_range_makes = mm;
  game.opp_mid_range_attempts = ma;
  game.opp_three_pt_makes = tm;
  game.opp_three_pt_attempts = ta;
  game.points_in_paint_allowed = 2 * pm;
  game.blocks_paint = 3;
  game.blocks_mid_range = 1;
  game.blocks_three_pt = 0;
  game.points_allowed = 110;
  game.defensive_rating = 110.0;
  game.opponent_pace = 99.0;
  return game;
}

TEST(TdzaHand, NullCountsSumToZeroAndMeansSkipNulls) {
  // 15 games; points/blocks all NULL (sum 0, divisor n, tdza.md §11); one
  // rating 101.25 and one pace 97.3, the rest NULL; paint pair half NULL in
  // game 0 and mid pair NULL in game 1.
  std::vector<TeamDefenseGame> games;
  for (int idx = 0; idx < 15; ++idx) {
    TeamDefenseGame game = MakeGame("PHX", D("2025-01-01") + idx, 10, 20, 4, 10, 6, 15);
    game.points_in_paint_allowed.reset();
    game.blocks_paint.reset();
    game.blocks_mid_range.reset();
    game.blocks_three_pt.reset();
    game.points_allowed.reset();
    game.defensive_rating.reset();
    game.opponent_pace.reset();
    games.push_back(game);
  }
  games[0].opp_paint_makes.reset();
  games[1].opp_mid_range_attempts.reset();
  games[1].opp_mid_range_makes.reset();
  games[5].defensive_rating = 101.25;
  games[6].opponent_pace = 97.3;
  const TdzaTotals totals = TdzaSumGames(games);
  EXPECT_EQ(totals.paint_makes, 140);
  EXPECT_EQ(totals.paint_attempts, 280);
  EXPECT_EQ(totals.mid_range_attempts, 140);
  EXPECT_EQ(totals.complete_games, 13);
  EXPECT_EQ(totals.rating_hundredths, 10125);
  EXPECT_EQ(totals.pace_tenths, 973);

  TdzaLeague league;  // defaults
  const TdzaRow row = TdzaBuildRow("PHX", D("2025-01-20"), totals, league);
  EXPECT_EQ(row.paint_pct_allowed_last_15, 0.5);
  EXPECT_EQ(row.paint_attempts_allowed_per_game, 280.0 / 15.0);
  EXPECT_EQ(row.paint_points_allowed_per_game, 0.0);
  EXPECT_EQ(row.paint_blocks_per_game, 0.0);
  EXPECT_EQ(row.mid_range_blocks_per_game, 0.0);
  EXPECT_EQ(row.three_pt_blocks_per_game, 0.0);
  EXPECT_EQ(row.opponent_points_per_game, 0.0);
  EXPECT_EQ(row.defensive_rating_last_15, 101.25);
  EXPECT_EQ(row.opponent_pace, 97.3);
  EXPECT_EQ(row.paint_defense_vs_league_avg, (0.5 - 0.58) * 100.0);
  EXPECT_EQ(row.mid_range_pct_allowed_last_15, 0.4);
  EXPECT_EQ(row.three_pt_pct_allowed_last_15, 0.4);
  // vs-league: paint -8.0.., mid -1.0.., three +4.5..: strongest paint, weakest perimeter.
  EXPECT_EQ(row.strongest_zone, "paint");
  EXPECT_EQ(row.weakest_zone, "perimeter");
  EXPECT_EQ(row.completeness_percentage, 86.7);
  EXPECT_TRUE(row.is_production_ready);
  EXPECT_EQ(row.data_quality_issues, (std::vector<std::string>{"league_avg_defaults", "zone_data_incomplete"}));
  EXPECT_FALSE(row.calculation_notes.has_value());

  // ToNamedValues: types and text forms.
  const NamedValues values = ToNamedValues(row);
  ASSERT_EQ(values.size(), 28u);
  EXPECT_EQ(values[0], (std::pair<std::string_view, Value>{"team_abbr", Value{std::string("PHX")}}));
  EXPECT_EQ(values[1], (std::pair<std::string_view, Value>{"analysis_date", Value{std::string("2025-01-20")}}));
  EXPECT_EQ(values[18], (std::pair<std::string_view, Value>{"games_in_sample", Value{int64_t{15}}}));
  EXPECT_EQ(values[23].first, "early_season_flag");
  EXPECT_TRUE(IsNull(values[23].second));
  EXPECT_EQ(values[25], (std::pair<std::string_view, Value>{"is_production_ready", Value{true}}));
  EXPECT_EQ(values[26],
            (std::pair<std::string_view, Value>{"data_quality_issues",
                                           Value{std::string(R"(["league_avg_defaults","zone_data_incomplete"])")}}));
  EXPECT_EQ(values[27].first, "data_hash");
  EXPECT_EQ(std::get<std::string>(values[27].second).size(), 16u);
}

TEST(TdzaHand, EmptyIssuesIsEmptyJsonArray) {
  std::vector<TeamDefenseGame> games;
  for (int idx = 0; idx < 15; ++idx) games.push_back(MakeGame("UTA", D("2025-01-01") + idx, 10, 20, 4, 10, 6, 15));
  TdzaLeague league;
  league.is_default = false;
  league.teams_in_sample = 12;
  const TdzaRow row = TdzaBuildRow("UTA", D("2025-01-20"), TdzaSumGames(games), league);
  EXPECT_TRUE(row.data_quality_issues.empty());
  const NamedValues values = ToNamedValues(row);
  EXPECT_EQ(std::get<std::string>(values[26].second), "[]");
  EXPECT_EQ(row.completeness_percentage, 100.0);
}

TEST(TdzaHand, ColumnsMatchSchema) {
  const store::TableDef table = store::TdzaTableDef();
  EXPECT_EQ(table.FullName(), "nba_precompute.team_defense_zone_analysis");
  EXPECT_EQ(table.kind, store::TableKind::kOutput);
  EXPECT_EQ(table.key, (std::vector<std::string>{"team_abbr", "analysis_date"}));
  EXPECT_EQ(table.date_column, "analysis_date");
  ASSERT_EQ(table.columns.size(), 30u);
  EXPECT_EQ(table.columns[28].name, "processed_at");
  EXPECT_EQ(table.columns[28].type, store::ColumnType::kTimestamp);
  EXPECT_EQ(table.columns[29].name, "engine_version");
  const NamedValues values = ToNamedValues(TdzaBuildRow("UTA", D("2025-01-20"), TdzaTotals{}, TdzaLeague{}));
  ASSERT_EQ(values.size(), 28u);
  for (size_t idx = 0; idx < values.size(); ++idx) {
    EXPECT_EQ(values[idx].first, table.columns[idx].name);
    // A NULL value only in a nullable column (the empty-window row has the most NULLs).
    if (IsNull(values[idx].second)) {
      EXPECT_TRUE(table.columns[idx].nullable) << values[idx].first;
    }
  }
  for (const store::ColumnDef& column : table.columns) {
    if (column.name.find("_per_game") != std::string::npos || column.name.find("_pct") != std::string::npos) {
      EXPECT_EQ(column.type, store::ColumnType::kFloat) << column.name;
    }
  }
  EXPECT_EQ(table.columns[26].type, store::ColumnType::kArray);
  EXPECT_FALSE(table.columns[26].nullable);
}

// League built by the processor: NULL zone pairs of some games are skipped
// per game, games before S(D) count when within 30 days, a game on D - 31 does not.
TEST(TdzaHand, LeagueFromProcessorPairsAndBounds) {
  const Date date = D("2024-10-12");  // league window 2024-09-12 .. 2024-10-11
  std::vector<TeamDefenseGame> rows;
  const char* teams[] = {"ATL", "BKN", "BOS", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW"};
  for (int team_idx = 0; team_idx < 10; ++team_idx) {
    // 10 games 2024-09-27 .. 2024-10-06 (four before October 1).
    for (int game_idx = 0; game_idx < 10; ++game_idx) {
      rows.push_back(MakeGame(teams[team_idx], D("2024-09-27") + game_idx, 10 + team_idx, 20, 5, 10, 7, 20));
    }
  }
  // ATL: two games with a NULL paint pair side; its paint pct uses the other 8.
  rows[0].opp_paint_attempts.reset();
  rows[1].opp_paint_makes.reset();
  // GSW: an extra game on D - 31 (outside) with absurd numbers.
  rows.push_back(MakeGame("GSW", date - 31, 0, 40, 0, 40, 0, 40));
  // A game on D itself (ignored).
  rows.push_back(MakeGame("GSW", date, 0, 40, 0, 40, 0, 40));

  const TdzaProcessor processor(rows, nullptr);
  const TdzaDateResult result = processor.ComputeDate(date);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  EXPECT_FALSE(result.league.is_default);
  EXPECT_EQ(result.league.teams_in_sample, 10);
  // Team paint pcts: 0.5, 0.55, ..., 0.95; each exactly (10 + t) / 20 with ATL 80/160.
  double paint_sum = 0.0;
  for (int team_idx = 0; team_idx < 10; ++team_idx) paint_sum += static_cast<double>(10 + team_idx) / 20.0;
  EXPECT_EQ(result.league.paint_pct, paint_sum / 10.0);
  EXPECT_EQ(result.league.paint_pct, 0.725);
  EXPECT_EQ(result.league.mid_range_pct, 0.5);
  EXPECT_EQ(result.league.three_pt_pct, 0.35000000000000003);  // 10 x 0.35 added one by one
  // Entities: only the 6 games from 2024-10-01 count for the season window.
  ASSERT_EQ(result.exclusions.size(), 10u);
  EXPECT_EQ(result.exclusions[0].entity_id, "ATL");
  EXPECT_EQ(result.exclusions[0].failure_reason, "Only 6 games, need 15");
  EXPECT_EQ(result.exclusions[9].entity_id, "GSW");
  EXPECT_TRUE(result.rows.empty());

  // Without the ATL season-start games, ATL drops below 10 league games -> defaults.
  std::vector<TeamDefenseGame> fewer(rows.begin() + 1, rows.end());
  const TdzaDateResult defaults = TdzaProcessor(fewer, nullptr).ComputeDate(date);
  EXPECT_TRUE(defaults.league.is_default);
  EXPECT_EQ(defaults.league.teams_in_sample, 0);
  EXPECT_EQ(defaults.league.paint_pct, 0.58);
  EXPECT_EQ(TdzaLeagueLogLine(defaults.league),
            "League averages: Paint 0.580, Mid-range 0.410, Three-pt 0.355 (defaults)");
  EXPECT_EQ(TdzaLeagueLogLine(result.league),
            "League averages: Paint 0.725, Mid-range 0.500, Three-pt 0.350 (10 teams)");
}

TEST(TdzaHand, PreviousSeasonOnlyTeamIsNoEntityAndOrdering) {
  std::vector<TeamDefenseGame> rows;
  for (int idx = 0; idx < 16; ++idx) rows.push_back(MakeGame("SAS", D("2024-11-01") + 2 * idx, 10, 20, 4, 10, 6, 15));
  for (int idx = 0; idx < 15; ++idx) rows.push_back(MakeGame("BOS", D("2024-11-02") + 2 * idx, 9, 20, 4, 10, 6, 15));
  for (int idx = 0; idx < 3; ++idx) rows.push_back(MakeGame("MIA", D("2024-11-02") + idx, 9, 20, 4, 10, 6, 15));
  for (int idx = 0; idx < 20; ++idx) rows.push_back(MakeGame("ATL", D("2024-03-01") + idx, 9, 20, 4, 10, 6, 15));
  const TdzaDateResult result = TdzaProcessor(rows, nullptr).ComputeDate(D("2025-01-10"));
  ASSERT_TRUE(result.outcome.ok());
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].team_abbr, "BOS");
  EXPECT_EQ(result.rows[1].team_abbr, "SAS");
  EXPECT_EQ(result.rows[1].games_in_sample, 15);
  ASSERT_EQ(result.exclusions.size(), 1u);  // ATL (previous season only) is not an entity
  EXPECT_EQ(result.exclusions[0].entity_id, "MIA");
  EXPECT_EQ(result.exclusions[0].failure_reason, "Only 3 games, need 15");
  EXPECT_EQ(result.stats.teams_processed, 2);
  EXPECT_EQ(result.stats.teams_insufficient, 1);

  // Only ATL's previous-season rows before D: missing_input.
  const TdzaDateResult missing = TdzaProcessor(rows, nullptr).ComputeDate(D("2024-10-30"));
  EXPECT_FALSE(missing.outcome.ok());
  EXPECT_EQ(missing.outcome.reason,
            "missing_input: team_defense_game_summary has no rows for season 2024 before 2024-10-30");
}

TEST(TdzaHand, StaleCheckIgnoresAllStarAndOtherSeasonsAndNoSchedule) {
  std::vector<TeamDefenseGame> rows;
  for (int idx = 0; idx < 15; ++idx) rows.push_back(MakeGame("LAL", D("2025-01-01") + idx, 10, 20, 4, 10, 6, 15));
  const Date date = D("2025-01-20");  // latest TDGS date 2025-01-15

  auto make_schedule = [](Date game_date, GameType type, GameStatus status) {
    ScheduleGame game;
    game.game_id = "0022400001";
    game.game_date = game_date;
    game.season_year = SeasonYear(game_date);
    game.home_team_abbr = "LAL";
    game.away_team_abbr = "BOS";
    game.game_type = type;
    game.game_status = status;
    return game;
  };
  std::vector<ScheduleGame> schedule = {
      make_schedule(D("2025-01-15"), GameType::kRegularSeason, GameStatus::kFinal),
      make_schedule(D("2025-01-18"), GameType::kAllStar, GameStatus::kFinal),
      make_schedule(D("2025-01-19"), GameType::kRegularSeason, GameStatus::kPostponed)};
  const SeasonCalendar ok_calendar(schedule, {}, D("2026-01-03"));
  EXPECT_TRUE(TdzaProcessor(rows, &ok_calendar).ComputeDate(date).outcome.ok());

  // A final playoff game on 2025-01-17 without TDGS rows: stale.
  schedule.push_back(make_schedule(D("2025-01-17"), GameType::kPlayoff, GameStatus::kFinal));
  const SeasonCalendar stale_calendar(schedule, {}, D("2026-01-03"));
  const TdzaDateResult stale = TdzaProcessor(rows, &stale_calendar).ComputeDate(date);
  EXPECT_FALSE(stale.outcome.ok());
  EXPECT_EQ(stale.outcome.reason_code, "stale_input");
  EXPECT_EQ(stale.outcome.reason,
            "stale_input: team_defense_game_summary has no rows for 2025-01-17 (final games in the schedule)");
  // A calendar without a schedule never triggers the check.
  const SeasonCalendar no_schedule({}, {D("2025-01-17")}, D("2026-01-03"));
  EXPECT_TRUE(TdzaProcessor(rows, &no_schedule).ComputeDate(date).outcome.ok());
  EXPECT_TRUE(TdzaProcessor(rows, nullptr).ComputeDate(date).outcome.ok());

  // Final games only in the previous season: nothing to check in [S(D), D).
  std::vector<ScheduleGame> old_schedule = {
      make_schedule(D("2024-04-10"), GameType::kRegularSeason, GameStatus::kFinal)};
  const SeasonCalendar old_calendar(old_schedule, {}, D("2026-01-03"));
  EXPECT_TRUE(TdzaProcessor(rows, &old_calendar).ComputeDate(date).outcome.ok());
}

TEST(TdzaHand, WindowTieOnDateInProcessor) {
  // Two rows on the 15th date: game_id DESC keeps the later id (tdza.md §4).
  std::vector<TeamDefenseGame> rows;
  for (int idx = 0; idx < 14; ++idx) rows.push_back(MakeGame("NYK", D("2025-01-05") + idx, 10, 20, 4, 10, 6, 15));
  TeamDefenseGame keep = MakeGame("NYK", D("2025-01-04"), 20, 20, 4, 10, 6, 15);
  keep.game_id = "20250104_ZZZ_NYK";
  TeamDefenseGame drop = MakeGame("NYK", D("2025-01-04"), 0, 20, 4, 10, 6, 15);
  drop.game_id = "20250104_AAA_NYK";
  rows.push_back(drop);
  rows.push_back(keep);
  const TdzaDateResult result = TdzaProcessor(rows, nullptr).ComputeDate(D("2025-01-19"));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].paint_pct_allowed_last_15, 160.0 / 300.0);
}

// ---------------------------------------------------------------- point-in-time

std::vector<TeamDefenseGame> WorkedExampleRows() {
  for (const json& vec : LoadVectors("tdza", "tdza.compute_date")) {
    if (vec.at("name") == "worked_example_tdza_md") return GamesFromJson(vec.at("inputs").at("rows"));
  }
  return {};
}

// Byte-exact text form of everything a date writes.
std::string Dump(const TdzaDateResult& result) {
  std::string out = result.outcome.ok() ? "success" : "failed:" + result.outcome.reason;
  out += fmt::format("|league {} {} {} {} {}\n", FormatFloat(result.league.paint_pct),
                     FormatFloat(result.league.mid_range_pct), FormatFloat(result.league.three_pt_pct),
                     result.league.teams_in_sample, result.league.is_default);
  for (const TdzaRow& row : result.rows) {
    for (const auto& [column, value] : ToNamedValues(row)) {
      out += std::string(column) + "=" + (IsNull(value) ? std::string("<null>") : HashFieldText(value)) + ";";
    }
    out += "\n";
  }
  for (const EntityExclusion& exclusion : result.exclusions) {
    out += fmt::format("x {} {} {} {}\n", exclusion.entity_id, exclusion.failure_category, exclusion.failure_reason,
                       exclusion.can_retry);
  }
  return out;
}

TEST(TdzaPointInTime, GamesOnDateNeverInfluenceTheDate) {
  const std::vector<TeamDefenseGame> rows = WorkedExampleRows();
  ASSERT_FALSE(rows.empty());
  const Date date = D("2025-01-28");
  const TdzaDateResult base = TdzaProcessor(rows, nullptr).ComputeDate(date);
  ASSERT_TRUE(base.outcome.ok());
  ASSERT_EQ(base.rows.size(), 1u);
  EXPECT_EQ(base.rows[0].data_hash, "4b265a1524ea3a8c");
  int on_date = 0;
  for (const TeamDefenseGame& game : rows) on_date += game.game_date == date ? 1 : 0;
  ASSERT_GE(on_date, 2);  // BOS and ATL play on D

  // Change every statistic of every game on or after D.
  std::vector<TeamDefenseGame> changed = rows;
  for (TeamDefenseGame& game : changed) {
    if (game.game_date < date) continue;
    game.opp_paint_makes = 1;
    game.opp_paint_attempts = 99;
    game.opp_mid_range_makes.reset();
    game.opp_mid_range_attempts = 3;
    game.opp_three_pt_makes = 30;
    game.opp_three_pt_attempts = 31;
    game.points_in_paint_allowed.reset();
    game.blocks_paint = 20;
    game.points_allowed = 200;
    game.defensive_rating = 150.55;
    game.opponent_pace.reset();
  }
  // Add games after D and a new team playing only on D.
  changed.push_back(MakeGame("BOS", date + 1, 0, 10, 0, 10, 0, 10));
  changed.push_back(MakeGame("OKC", date, 0, 10, 0, 10, 0, 10));
  EXPECT_EQ(Dump(TdzaProcessor(changed, nullptr).ComputeDate(date)), Dump(base));

  // Delete every game on D.
  std::vector<TeamDefenseGame> deleted;
  for (const TeamDefenseGame& game : rows) {
    if (game.game_date != date) deleted.push_back(game);
  }
  EXPECT_EQ(Dump(TdzaProcessor(deleted, nullptr).ComputeDate(date)), Dump(base));

  // Changing a game on D - 1 changes D's BOS row.
  std::vector<TeamDefenseGame> earlier = rows;
  bool touched = false;
  for (TeamDefenseGame& game : earlier) {
    if (game.game_date == date - 1 && game.defending_team_abbr == "BOS") {
      game.opp_paint_makes = *game.opp_paint_makes + 1;
      touched = true;
    }
  }
  ASSERT_TRUE(touched);
  const TdzaDateResult moved = TdzaProcessor(earlier, nullptr).ComputeDate(date);
  ASSERT_EQ(moved.rows.size(), 1u);
  EXPECT_NE(moved.rows[0].paint_pct_allowed_last_15, base.rows[0].paint_pct_allowed_last_15);
  EXPECT_NE(moved.rows[0].data_hash, base.rows[0].data_hash);
  EXPECT_NE(Dump(moved), Dump(base));
}

// ---------------------------------------------------------------- determinism

// A synthetic season: 12 teams, games every 1-3 days from 2024-10-22, with
// occasional NULL pairs, ratings and paces (fixed seed).
std::vector<TeamDefenseGame> SyntheticSeason() {
  std::mt19937 rng(20240422);
  std::uniform_int_distribution<int> gap(1, 3);
  std::uniform_int_distribution<int> pct(0, 99);
  const char* teams[] = {"ATL", "BKN", "BOS", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW", "HOU", "IND"};
  std::vector<TeamDefenseGame> rows;
  for (const char* team : teams) {
    Date date = D("2024-10-22") + gap(rng);
    while (date < D("2025-02-28")) {
      const int64_t pa = 30 + pct(rng) % 15;
      const int64_t ma = 12 + pct(rng) % 10;
      const int64_t ta = 28 + pct(rng) % 14;
      TeamDefenseGame game =
          MakeGame(team, date, pa / 2 + pct(rng) % 6, pa, ma / 3 + pct(rng) % 4, ma, ta / 3 + pct(rng) % 5, ta);
      if (pct(rng) < 8) {
        game.opp_paint_makes.reset();
        game.opp_mid_range_attempts.reset();
      }
      game.defensive_rating = (pct(rng) < 5) ? std::nullopt : std::optional<double>(100.0 + pct(rng) * 0.23);
      game.opponent_pace = (pct(rng) < 5) ? std::nullopt : std::optional<double>(95.0 + pct(rng) % 90 * 0.1);
      game.points_allowed = 95 + pct(rng) % 30;
      if (pct(rng) < 5) game.blocks_paint.reset();
      rows.push_back(game);
      date = date + gap(rng);
    }
  }
  return rows;
}

std::vector<std::string> ComputeAll(const TdzaProcessor& processor, const std::vector<Date>& dates, int threads) {
  std::vector<std::string> out(dates.size());
  std::vector<std::thread> workers;
  for (int worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      for (size_t idx = static_cast<size_t>(worker); idx < dates.size(); idx += static_cast<size_t>(threads)) {
        out[idx] = Dump(processor.ComputeDate(dates[idx]));
      }
    });
  }
  for (std::thread& thread : workers) thread.join();
  return out;
}

TEST(TdzaDeterminism, ThreadsAndInputOrderDoNotChangeOutput) {
  const std::vector<TeamDefenseGame> rows = SyntheticSeason();
  std::vector<Date> dates;
  for (Date date = D("2024-10-15"); date <= D("2025-03-05"); date = date + 2) dates.push_back(date);

  const TdzaProcessor processor(rows, nullptr);
  const std::vector<std::string> one = ComputeAll(processor, dates, 1);
  const std::vector<std::string> four = ComputeAll(processor, dates, 4);
  EXPECT_EQ(one, four);

  std::vector<TeamDefenseGame> shuffled = rows;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const TdzaProcessor shuffled_processor(shuffled, nullptr);
  EXPECT_EQ(ComputeAll(shuffled_processor, dates, 4), one);

  // The data set exercises the interesting branches.
  int rows_written = 0;
  int computed_league = 0;
  int incomplete = 0;
  int failed = 0;
  for (size_t idx = 0; idx < dates.size(); ++idx) {
    const TdzaDateResult result = processor.ComputeDate(dates[idx]);
    if (!result.outcome.ok()) {
      ++failed;
      continue;
    }
    rows_written += static_cast<int>(result.rows.size());
    computed_league += result.league.is_default ? 0 : 1;
    for (const TdzaRow& row : result.rows) {
      incomplete += row.completeness_percentage < 100.0 ? 1 : 0;
      // Each row equals the reference path over its explicit window.
      std::vector<TeamDefenseGame> team_rows;
      for (const TeamDefenseGame& game : rows) {
        if (game.defending_team_abbr == row.team_abbr) team_rows.push_back(game);
      }
      const TdzaRow reference =
          TdzaBuildRow(row.team_abbr, dates[idx], TdzaSumGames(TdzaWindow(team_rows, dates[idx])), result.league);
      ASSERT_EQ(ToNamedValues(row), ToNamedValues(reference));
    }
  }
  EXPECT_GT(failed, 0);  // dates before the first game
  EXPECT_GT(rows_written, 100);
  EXPECT_GT(computed_league, 10);
  EXPECT_GT(incomplete, 0);
}

// ---------------------------------------------------------------- explain trace

// tdza.md §15: every intermediate value of the worked example.
TEST(TdzaTrace, WorkedExampleSteps) {
  const std::vector<TeamDefenseGame> rows = WorkedExampleRows();
  ASSERT_FALSE(rows.empty());
  const TdzaProcessor processor(rows, nullptr);
  const Trace trace = processor.TraceEntity(D("2025-01-28"), "BOS");
  ASSERT_FALSE(trace.empty());

  // §4: 15 games every other day from 2025-01-27 back to 2024-12-30.
  const TraceStep* window = FindStep(trace, "W(T, D)");
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->spec, "tdza.md §4");
  EXPECT_EQ(window->formula,
            "game dates of BOS with 2024-10-01 <= game_date < 2025-01-28 (16 in the season), newest first, first 15");
  std::vector<TeamDefenseGame> bos;
  for (const TeamDefenseGame& game : rows) {
    if (game.defending_team_abbr == "BOS") bos.push_back(game);
  }
  std::string expected_text;
  for (const TeamDefenseGame& game : TdzaWindow(bos, D("2025-01-28"))) {
    if (!expected_text.empty()) expected_text += ", ";
    expected_text += game.game_date.ToString();
  }
  EXPECT_EQ(window->value, Value{expected_text});
  EXPECT_EQ(window->value, Value{"2025-01-27, 2025-01-25, 2025-01-23, 2025-01-21, 2025-01-19, 2025-01-17, 2025-01-15, "
                                 "2025-01-13, 2025-01-11, 2025-01-09, 2025-01-07, 2025-01-05, 2025-01-03, 2025-01-01, "
                                 "2024-12-30"});

  // §7: the league of the date, team by team.
  ExpectStep(trace, "league window", "tdza.md §7",
             "teams with games in [2024-12-29, 2025-01-28) (all teams, any season)", Value{int64_t{13}}, false);
  ExpectStep(trace, "league team ATL", "tdza.md §7",
             "10 games; paint 220 / 400 = 0.55, mid-range 80 / 200 = 0.4, three-pt 140 / 400 = 0.35", Value{"kept"},
             false);
  ExpectStep(trace, "league team LAC", "tdza.md §7", "9 games < 10", Value{"dropped"}, false);
  const TraceStep* mem = FindStep(trace, "league team MEM");
  ASSERT_NE(mem, nullptr);
  EXPECT_EQ(mem->value, Value{"dropped"});
  EXPECT_NE(mem->formula.find("mid-range 0 / 0 = NULL"), std::string::npos) << mem->formula;
  EXPECT_NE(mem->formula.find("(a NULL pct)"), std::string::npos) << mem->formula;
  ExpectStep(trace, "teams_in_sample", "tdza.md §7",
             "teams kept (>= 10 games, three pcts non-NULL) = 11 >= 10", Value{int64_t{11}}, false);
  ExpectStep(trace, "L_paint", "tdza.md §7",
             "Σ team pcts (ascending team_abbr) / teams_in_sample = 6.287121212121212 / 11",
             Value{0.571556473829201}, false);
  ExpectStep(trace, "L_mid", "tdza.md §7",
             "Σ team pcts (ascending team_abbr) / teams_in_sample = 4.590000000000001 / 11",
             Value{0.41727272727272735}, false);
  ExpectStep(trace, "L_three", "tdza.md §7",
             "Σ team pcts (ascending team_abbr) / teams_in_sample = 3.918725868725869 / 11",
             Value{0.3562478062478063}, false);

  // §8: the window totals of the §15 table, then the columns.
  ExpectStep(trace, "n", "tdza.md §8", "games in W(T, D)", Value{int64_t{15}}, false);
  ExpectStep(trace, "PM", "tdza.md §8", "Σ opp_paint_makes (games with both paint fields non-NULL)",
             Value{int64_t{310}}, false);
  ExpectStep(trace, "PA", "tdza.md §8", "Σ opp_paint_attempts (same games)", Value{int64_t{528}}, false);
  ExpectStep(trace, "TA", "tdza.md §8", "Σ opp_three_pt_attempts (same games)", Value{int64_t{518}}, false);
  ExpectStep(trace, "Σ points_in_paint_allowed", "tdza.md §8", "NULL adds 0", Value{int64_t{664}}, false);
  ExpectStep(trace, "Σ blocks_three_pt", "tdza.md §8", "NULL adds 0", Value{int64_t{6}}, false);
  ExpectStep(trace, "Σ h_i", "tdza.md §8", "Σ llround(defensive_rating × 100) over the non-NULL ratings",
             Value{int64_t{154950}}, false);
  ExpectStep(trace, "k (ratings)", "tdza.md §8", "games with a non-NULL defensive_rating", Value{int64_t{14}},
             false);
  ExpectStep(trace, "paint_pct_allowed_last_15", "tdza.md §8", "PM / PA = 310 / 528", Value{0.5871212121212122},
             true);
  ExpectStep(trace, "paint_attempts_allowed_per_game", "tdza.md §8", "PA / n = 528 / 15", Value{35.2}, true);
  ExpectStep(trace, "paint_points_allowed_per_game", "tdza.md §8", "Σ points_in_paint_allowed / n = 664 / 15",
             Value{44.266666666666666}, true);
  ExpectStep(trace, "paint_defense_vs_league_avg", "tdza.md §8",
             "(paint_pct - L_paint) × 100 = (0.5871212121212122 - 0.571556473829201) × 100",
             Value{1.5564738292011104}, true);
  ExpectStep(trace, "mid_range_defense_vs_league_avg", "tdza.md §8",
             "(mid_pct - L_mid) × 100 = (0.44 - 0.41727272727272735) × 100", Value{2.2727272727272654}, true);
  ExpectStep(trace, "mid_range_blocks_per_game", "tdza.md §8", "Σ blocks_mid_range / n = 8 / 15",
             Value{0.5333333333333333}, true);
  ExpectStep(trace, "three_pt_pct_allowed_last_15", "tdza.md §8", "TM / TA = 191 / 518", Value{0.3687258687258687},
             true);
  ExpectStep(trace, "defensive_rating_last_15", "tdza.md §8", "Σ h_i / (100 × k) = 154950 / 1400",
             Value{110.67857142857143}, true);
  ExpectStep(trace, "opponent_points_per_game", "tdza.md §8", "Σ points_allowed / n = 1684 / 15",
             Value{112.26666666666667}, true);
  ExpectStep(trace, "opponent_pace", "tdza.md §8", "Σ t_i / (10 × k) = 13940 / 140", Value{99.57142857142857}, true);
  ExpectStep(trace, "games_in_sample", "tdza.md §8", "n", Value{int64_t{15}}, true);
  ExpectStep(trace, "calculation_notes", "tdza.md §8",
             "a note per zone with 0 attempts (PA = 528, MA = 250, TA = 518): none -> NULL", Value{}, true);

  // §9, §10, §14.
  ExpectStep(trace, "strongest_zone", "tdza.md §9",
             "key of the minimum vs-league of paint 1.5564738292011104, mid_range 2.2727272727272654, perimeter "
             "1.2478062478062435 (NULLs dropped, ties to the earlier)",
             Value{"perimeter"}, true);
  const TraceStep* weakest = FindStep(trace, "weakest_zone");
  ASSERT_NE(weakest, nullptr);
  EXPECT_EQ(weakest->value, Value{"mid_range"});
  ExpectStep(trace, "data_quality_tier", "tdza.md §10", "n = 15 (high >= 15, medium >= 10, else low)",
             Value{"high"}, true);
  ExpectStep(trace, "c", "tdza.md §10", "games of W(T, D) whose six zone fields are all non-NULL", Value{int64_t{14}},
             false);
  ExpectStep(trace, "completeness_percentage", "tdza.md §10",
             "round_py(c / n × 100, 1) = round_py(14 / 15 × 100, 1)", Value{93.3}, true);
  ExpectStep(trace, "is_production_ready", "tdza.md §10", "completeness_percentage >= 70.0: 93.3 >= 70.0",
             Value{true}, true);
  ExpectStep(trace, "data_quality_issues", "tdza.md §10",
             "league_avg_defaults if the league used the defaults (no); "
             "zone_data_incomplete if c < n (c = 14, n = 15)",
             Value{"[\"zone_data_incomplete\"]"}, true);
  ExpectStep(trace, "early_season_flag", "tdza.md §10", "always NULL (D2)", Value{}, true);
  ExpectStep(trace, "data_hash", "tdza.md §14", "first 16 hex digits of sha256(canonical string)",
             Value{"4b265a1524ea3a8c"}, true);
  const TraceStep* canonical = FindStep(trace, "canonical string");
  ASSERT_NE(canonical, nullptr);
  const std::string& text = std::get<std::string>(canonical->value);
  EXPECT_EQ(text.rfind("analysis_date:2025-01-28|calculation_notes:NULL|data_quality_tier:high|", 0), 0u) << text;
  EXPECT_EQ(Sha256Hex(text).substr(0, 16), "4b265a1524ea3a8c");

  // Computation order: window, league, totals, columns, hash.
  EXPECT_EQ(trace.front().name, "W(T, D)");
  EXPECT_EQ(trace.back().name, "data_hash");
}

// NULL results say why; a league under 10 teams uses the defaults.
TEST(TdzaTrace, NullColumnsAndDefaultLeague) {
  std::vector<TeamDefenseGame> rows;
  for (int game_idx = 0; game_idx < 15; ++game_idx) {
    TeamDefenseGame game = MakeGame("NYK", D("2024-11-01") + 2 * game_idx, 0, 0, 5, 12, 9, 30);
    game.defensive_rating.reset();
    rows.push_back(game);
  }
  const TdzaProcessor processor(rows, nullptr);
  const Date date = D("2024-11-30");
  const TdzaDateResult result = processor.ComputeDate(date);
  ASSERT_EQ(result.rows.size(), 1u);
  const Trace trace = processor.TraceEntity(date, "NYK");
  ExpectStep(trace, "league team NYK", "tdza.md §7",
             "15 games; paint 0 / 0 = NULL, mid-range 75 / 180 = 0.4166666666666667, three-pt 135 / 450 = 0.3 (a NULL "
             "pct)",
             Value{"dropped"}, false);
  ExpectStep(trace, "teams_in_sample", "tdza.md §7", "0 teams kept < 10 -> defaults, reported as 0",
             Value{int64_t{0}}, false);
  ExpectStep(trace, "L_paint", "tdza.md §7", "default", Value{0.58}, false);
  ExpectStep(trace, "L_three", "tdza.md §7", "default", Value{0.355}, false);
  ExpectStep(trace, "paint_pct_allowed_last_15", "tdza.md §8", "PA = 0 -> NULL", Value{}, true);
  ExpectStep(trace, "paint_attempts_allowed_per_game", "tdza.md §8", "PA / n = 0 / 15", Value{0.0}, true);
  ExpectStep(trace, "paint_defense_vs_league_avg", "tdza.md §8", "paint_pct NULL -> NULL", Value{}, true);
  ExpectStep(trace, "three_pt_defense_vs_league_avg", "tdza.md §8",
             "(three_pct - L_three) × 100 = (0.3 - 0.355) × 100", Value{(0.3 - 0.355) * 100.0}, true);
  ExpectStep(trace, "defensive_rating_last_15", "tdza.md §8", "k = 0 (no non-NULL rating) -> NULL", Value{}, true);
  ExpectStep(trace, "calculation_notes", "tdza.md §8", "a note per zone with 0 attempts (PA = 0, MA = 180, TA = 450)",
             Value{"No paint attempts"}, true);
  const TraceStep* strongest = FindStep(trace, "strongest_zone");
  ASSERT_NE(strongest, nullptr);
  EXPECT_EQ(strongest->formula,
            "key of the minimum vs-league of paint NULL, mid_range " + FormatFloat((75.0 / 180.0 - 0.41) * 100.0) +
                ", perimeter " + FormatFloat((0.3 - 0.355) * 100.0) + " (NULLs dropped, ties to the earlier)");
  EXPECT_EQ(strongest->value, Value{"perimeter"});
  ExpectStep(trace, "data_quality_issues", "tdza.md §10",
             "league_avg_defaults if the league used the defaults (yes); "
             "zone_data_incomplete if c < n (c = 15, n = 15)",
             Value{"[\"league_avg_defaults\"]"}, true);
  EXPECT_EQ(FindStep(trace, "data_hash")->value, Value{result.rows[0].data_hash});
}

// Key columns need no step; every other column of ToNamedValues has exactly
// one `column` step, identical to the row's cell.
void ExpectTraceMatchesRow(const TdzaProcessor& processor, const TdzaRow& row) {
  SCOPED_TRACE(row.team_abbr + " " + row.analysis_date.ToString());
  const Trace trace = processor.TraceEntity(row.analysis_date, row.team_abbr);
  ASSERT_FALSE(trace.empty());
  EXPECT_EQ(testing::ExpectColumnStepsMatchRow(trace, ToNamedValues(row), "tdza.md", {"team_abbr", "analysis_date"}), 26u);
}

TEST(TdzaTrace, ColumnStepsEqualTheRowOnEveryRowOfASeason) {
  // The synthetic season (12 teams: computed league) and its first 8 teams
  // (under 10 teams: the league defaults).
  const std::vector<TeamDefenseGame> season = SyntheticSeason();
  std::vector<TeamDefenseGame> eight_teams;
  for (const TeamDefenseGame& game : season) {
    if (game.defending_team_abbr < "DET") eight_teams.push_back(game);
  }
  int traced = 0;
  int excluded = 0;
  int computed_league = 0;
  int default_league = 0;
  const std::vector<TeamDefenseGame>* inputs[] = {&season, &eight_teams};
  for (const std::vector<TeamDefenseGame>* rows : inputs) {
    const TdzaProcessor processor(*rows, nullptr);
    for (Date date = D("2024-10-15"); date <= D("2025-03-05"); date = date + 3) {
      const TdzaDateResult result = processor.ComputeDate(date);
      if (!result.outcome.ok()) {
        // A failed date has no row: no steps for any team.
        EXPECT_TRUE(processor.TraceEntity(date, "BOS").empty()) << date.ToString();
        continue;
      }
      if (!result.rows.empty()) ++(result.league.is_default ? default_league : computed_league);
      for (const TdzaRow& row : result.rows) {
        ExpectTraceMatchesRow(processor, row);
        ++traced;
      }
      for (const EntityExclusion& exclusion : result.exclusions) {
        EXPECT_TRUE(processor.TraceEntity(date, exclusion.entity_id).empty()) << exclusion.entity_id;
        ++excluded;
      }
      EXPECT_TRUE(processor.TraceEntity(date, "OKC").empty());  // never in the input
    }
  }
  EXPECT_GT(traced, 300);
  EXPECT_GT(excluded, 10);
  EXPECT_GT(computed_league, 10);
  EXPECT_GT(default_league, 10);
}

TEST(TdzaTrace, ExcludedUnknownAndFailedDatesGiveNoSteps) {
  const std::vector<TeamDefenseGame> rows = WorkedExampleRows();
  const TdzaProcessor processor(rows, nullptr);
  const Date date = D("2025-01-28");
  const TdzaDateResult result = processor.ComputeDate(date);
  ASSERT_EQ(result.rows.size(), 1u);
  ASSERT_FALSE(result.exclusions.empty());
  EXPECT_TRUE(processor.TraceEntity(date, "LAC").empty());  // "Only 10 games, need 15"
  EXPECT_TRUE(processor.TraceEntity(date, "ZZZ").empty());  // unknown
  EXPECT_TRUE(processor.TraceEntity(date, "").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2024-09-15"), "BOS").empty());  // missing_input date
  // Stale input: the schedule has a final game on D - 1 that TDGS lacks.
  auto calendar = CalendarWithFinalDates({date - 1, D("2025-01-29")});
  std::vector<TeamDefenseGame> without_last;
  for (const TeamDefenseGame& game : rows) {
    if (game.game_date != date - 1) without_last.push_back(game);
  }
  const TdzaProcessor stale(without_last, calendar.get());
  ASSERT_EQ(stale.ComputeDate(date).outcome.reason_code, "stale_input");
  EXPECT_TRUE(stale.TraceEntity(date, "BOS").empty());
}

}  // namespace
}  // namespace nbapc::processors
