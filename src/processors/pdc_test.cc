#include "processors/pdc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/calendar.h"
#include "core/hash.h"
#include "core/numbers.h"
#include "store/schema.h"
#include "testing/date_results.h"
#include "testing/trace.h"
#include "testing/vectors.h"

namespace nbapc::processors {
namespace {

using nlohmann::json;
using testing::ExpectStep;
using testing::FindStep;
using testing::JsonDate;
using testing::LoadVectors;
using testing::OptBool;
using testing::OptDouble;
using testing::OptInt;
using testing::OptString;

Date D(const char* text) { return Date::Parse(text).value(); }

// ---------------------------------------------------------------- vector parsing

// A PGS vector row (tdza.md §17: absent or null = NULL).
PlayerGame ParsePgs(const json& j, const std::string& player_lookup) {
  PlayerGame row;
  row.player_lookup = player_lookup;
  row.game_id = OptString(j, "game_id").value_or("");
  row.game_date = JsonDate(j.at("game_date"));
  row.season_year = static_cast<int>(OptInt(j, "season_year").value_or(SeasonYear(row.game_date)));
  row.universal_player_id = OptString(j, "universal_player_id");
  row.team_abbr = OptString(j, "team_abbr").value_or("");
  // is_active is NOT NULL (inputs.md); a NULL in a vector is "not TRUE".
  row.is_active = OptBool(j, "is_active").value_or(false);
  row.minutes_played = OptDouble(j, "minutes_played");
  row.points = OptInt(j, "points");
  row.fg_attempts = OptInt(j, "fg_attempts");
  row.fg_makes = OptInt(j, "fg_makes");
  row.assisted_fg_makes = OptInt(j, "assisted_fg_makes");
  row.ft_makes = OptInt(j, "ft_makes");
  row.usage_rate = OptDouble(j, "usage_rate");
  row.ts_pct = OptDouble(j, "ts_pct");
  return row;
}

std::vector<PlayerGame> ParsePgsRows(const json& rows, const std::string& player_lookup) {
  std::vector<PlayerGame> out;
  for (const json& row : rows) out.push_back(ParsePgs(row, player_lookup));
  return out;
}

std::vector<TeamOffenseGame> ParseTeamGames(const json& rows) {
  std::vector<TeamOffenseGame> out;
  for (const json& j : rows) {
    TeamOffenseGame game;
    game.team_abbr = j.at("team_abbr").get<std::string>();
    game.game_date = JsonDate(j.at("game_date"));
    game.game_id = OptString(j, "game_id").value_or("");
    game.season_year = static_cast<int>(OptInt(j, "season_year").value_or(SeasonYear(game.game_date)));
    game.win_flag = OptBool(j, "win_flag").value_or(false);
    game.pace = OptDouble(j, "pace");
    game.offensive_rating = OptDouble(j, "offensive_rating");
    out.push_back(game);
  }
  return out;
}

std::vector<PdcAgeObservation> ParseAges(const json& rows) {
  std::vector<PdcAgeObservation> out;
  for (const json& j : rows) out.push_back({JsonDate(j.at("game_date")), OptInt(j, "player_age")});
  return out;
}

// A UPGC context of a vector: values may be non-integral doubles (108.9).
PdcContext ParseContext(const json& j) {
  PdcContext context;
  context.synthetic = false;
  context.universal_player_id = OptString(j, "universal_player_id");
  context.team_abbr = j.at("team_abbr").get<std::string>();
  context.fields.games_in_last_7_days = OptDouble(j, "games_in_last_7_days");
  context.fields.games_in_last_14_days = OptDouble(j, "games_in_last_14_days");
  context.fields.minutes_in_last_7_days = OptDouble(j, "minutes_in_last_7_days");
  context.fields.minutes_in_last_14_days = OptDouble(j, "minutes_in_last_14_days");
  context.fields.back_to_backs_last_14_days = OptDouble(j, "back_to_backs_last_14_days");
  context.fields.avg_minutes_per_game_last_7 = OptDouble(j, "avg_minutes_per_game_last_7");
  context.fields.fourth_quarter_minutes_last_7 = OptDouble(j, "fourth_quarter_minutes_last_7");
  context.fields.player_age = OptDouble(j, "player_age");
  return context;
}

PdcShotZoneInput ParseShotZone(const json& j, const std::string& player_lookup, Date date) {
  PdcShotZoneInput psza;
  psza.player_lookup = player_lookup;
  psza.analysis_date = date;
  psza.primary_scoring_zone = OptString(j, "primary_scoring_zone");
  psza.paint_rate_last_10 = OptDouble(j, "paint_rate_last_10");
  psza.three_pt_rate_last_10 = OptDouble(j, "three_pt_rate_last_10");
  return psza;
}

// Strict comparison of one cell with its expected JSON value: the JSON type
// decides the expected Value alternative (integers vs doubles, tdza.md §17).
void ExpectCell(const std::string& column, const Value& actual, const json& expected) {
  SCOPED_TRACE(column);
  if (expected.is_null()) {
    EXPECT_TRUE(IsNull(actual));
  } else if (expected.is_boolean()) {
    ASSERT_TRUE(std::holds_alternative<bool>(actual));
    EXPECT_EQ(std::get<bool>(actual), expected.get<bool>());
  } else if (expected.is_number_integer()) {
    ASSERT_TRUE(std::holds_alternative<int64_t>(actual));
    EXPECT_EQ(std::get<int64_t>(actual), expected.get<int64_t>());
  } else if (expected.is_number_float()) {
    ASSERT_TRUE(std::holds_alternative<double>(actual));
    EXPECT_EQ(std::get<double>(actual), expected.get<double>());
  } else if (expected.is_string()) {
    ASSERT_TRUE(std::holds_alternative<std::string>(actual));
    EXPECT_EQ(std::get<std::string>(actual), expected.get<std::string>());
  } else {
    ADD_FAILURE() << "unexpected JSON type";
  }
}

// Every expected column, and no column the record lacks.
void ExpectRecord(const PdcRow& row, const json& expected) {
  NamedValues values = ToNamedValues(row);
  EXPECT_EQ(values.size(), expected.size());
  for (const auto& [column, value] : values) {
    ASSERT_TRUE(expected.contains(std::string(column))) << column;
    ExpectCell(std::string(column), value, expected.at(std::string(column)));
  }
}

void ExpectOptDouble(const std::optional<double>& actual, const std::optional<double>& want, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(actual.has_value(), want.has_value());
  if (want) {
    EXPECT_EQ(*actual, *want);
  }
}

void ExpectOptInt(const std::optional<int64_t>& actual, const std::optional<int64_t>& want, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(actual.has_value(), want.has_value());
  if (want) {
    EXPECT_EQ(*actual, *want);
  }
}

std::vector<Date> ParseDates(const json& dates) {
  std::vector<Date> out;
  for (const json& date : dates) out.push_back(JsonDate(date));
  return out;
}

// ---------------------------------------------------------------- vectors

TEST(PdcVectors, RoundPy) {
  const auto vectors = LoadVectors("pdc", "round_py");
  ASSERT_EQ(vectors.size(), 12u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const double result = RoundPy(vec.at("inputs").at("x").get<double>(), vec.at("inputs").at("ndigits").get<int>());
    EXPECT_EQ(result, vec.at("expected").at("result").get<double>());
    EXPECT_EQ(FormatFloat(result), vec.at("expected").at("text").get<std::string>());
  }
}

TEST(PdcVectors, QualityTier) {
  const auto vectors = LoadVectors("pdc", "pdc.quality_tier");
  ASSERT_EQ(vectors.size(), 11u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    EXPECT_EQ(std::string(PdcQualityTier(OptDouble(vec.at("inputs"), "score"))),
              vec.at("expected").at("tier").get<std::string>());
  }
}

TEST(PdcVectors, WindowCompleteness) {
  const auto vectors = LoadVectors("pdc", "pdc.window_completeness");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec.at("inputs");
    const std::string kind = in.at("kind").get<std::string>();
    ASSERT_TRUE(kind == "games" || kind == "days");
    const std::vector<Date> team = ParseDates(in.at("team_game_dates"));
    const std::vector<Date> player = ParseDates(in.at("player_game_dates"));
    const PdcWindowCompleteness got = PdcComputeWindowCompleteness(
        JsonDate(in.at("cache_date")), kind == "games" ? PdcWindowKind::kGames : PdcWindowKind::kDays,
        in.at("n").get<int>(), team, player);
    const json& want = vec.at("expected");
    EXPECT_EQ(got.expected_games, want.at("expected_games").get<int64_t>());
    EXPECT_EQ(got.actual_games, want.at("actual_games").get<int64_t>());
    ExpectOptDouble(got.completeness_pct, OptDouble(want, "completeness_pct"), "completeness_pct");
  }
}

TEST(PdcVectors, SyntheticContext) {
  const auto vectors = LoadVectors("pdc", "pdc.synthetic_context");
  ASSERT_EQ(vectors.size(), 6u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec.at("inputs");
    const std::vector<PlayerGame> rows = ParsePgsRows(in.at("pgs_rows"), "p");
    const std::vector<PdcAgeObservation> ages = ParseAges(in.at("upgc_rows"));
    const PdcSyntheticContext got = PdcComputeSyntheticContext(JsonDate(in.at("cache_date")), rows, ages);
    const json& want = vec.at("expected");
    EXPECT_EQ(want.size(), 8u);
    EXPECT_EQ(got.games_in_last_7_days, want.at("games_in_last_7_days").get<int64_t>());
    EXPECT_EQ(got.games_in_last_14_days, want.at("games_in_last_14_days").get<int64_t>());
    ExpectOptInt(got.minutes_in_last_7_days, OptInt(want, "minutes_in_last_7_days"), "minutes_in_last_7_days");
    ExpectOptInt(got.minutes_in_last_14_days, OptInt(want, "minutes_in_last_14_days"), "minutes_in_last_14_days");
    EXPECT_EQ(got.back_to_backs_last_14_days, want.at("back_to_backs_last_14_days").get<int64_t>());
    ExpectOptDouble(got.avg_minutes_per_game_last_7, OptDouble(want, "avg_minutes_per_game_last_7"),
                    "avg_minutes_per_game_last_7");
    ExpectOptInt(got.fourth_quarter_minutes_last_7, OptInt(want, "fourth_quarter_minutes_last_7"),
                 "fourth_quarter_minutes_last_7");
    ExpectOptInt(got.player_age, OptInt(want, "player_age"), "player_age");
  }
}

TEST(PdcVectors, ComputeRow) {
  const auto vectors = LoadVectors("pdc", "pdc.compute_row");
  ASSERT_EQ(vectors.size(), 32u);
  int rows = 0;
  int excluded = 0;
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec.at("inputs");
    const Date cache_date = JsonDate(in.at("cache_date"));
    const std::string player_lookup = in.at("player_lookup").get<std::string>();
    std::optional<PdcContext> context;
    if (!in.at("context").is_null()) context = ParseContext(in.at("context"));
    std::optional<PdcShotZoneInput> psza;
    if (!in.at("psza").is_null()) psza = ParseShotZone(in.at("psza"), player_lookup, cache_date);
    const std::vector<PlayerGame> pgs = ParsePgsRows(in.at("pgs_rows"), player_lookup);
    const std::vector<TeamOffenseGame> team_games = ParseTeamGames(in.at("team_games"));
    const std::vector<PdcAgeObservation> ages = ParseAges(in.at("upgc_history_rows"));
    const PdcPlayerResult got = PdcComputeRow(cache_date, player_lookup, context ? &*context : nullptr, pgs, team_games,
                                              psza ? &*psza : nullptr, ages);
    const json& want = vec.at("expected");
    if (want.contains("row")) {
      ++rows;
      ASSERT_TRUE(std::holds_alternative<PdcRow>(got));
      ExpectRecord(std::get<PdcRow>(got), want.at("row"));
    } else {
      ++excluded;
      ASSERT_TRUE(std::holds_alternative<EntityExclusion>(got));
      const EntityExclusion& exclusion = std::get<EntityExclusion>(got);
      const json& ex = want.at("excluded");
      EXPECT_EQ(exclusion.entity_id, player_lookup);
      EXPECT_EQ(exclusion.failure_category, ex.at("failure_category").get<std::string>());
      EXPECT_EQ(exclusion.failure_reason, ex.at("failure_reason").get<std::string>());
      EXPECT_EQ(exclusion.can_retry, ex.at("can_retry").get<bool>());
    }
  }
  EXPECT_EQ(rows, 30);
  EXPECT_EQ(excluded, 2);
}

TEST(PdcVectors, DataHash) {
  const auto vectors = LoadVectors("pdc", "data_hash");
  ASSERT_EQ(vectors.size(), 1u);
  const json& fields = vectors[0].at("inputs").at("fields");
  EXPECT_EQ(fields.size(), 38u);
  // The worked-example row as the processor produces it hashes to the vector.
  PdcRow row;
  row.player_lookup = fields.at("player_lookup").get<std::string>();
  row.universal_player_id = OptString(fields, "universal_player_id");
  row.cache_date = JsonDate(fields.at("cache_date"));
  row.points_avg_last_5 = OptDouble(fields, "points_avg_last_5");
  row.points_avg_last_10 = OptDouble(fields, "points_avg_last_10");
  row.points_avg_season = OptDouble(fields, "points_avg_season");
  row.points_std_last_10 = OptDouble(fields, "points_std_last_10");
  row.minutes_avg_last_10 = OptDouble(fields, "minutes_avg_last_10");
  row.usage_rate_last_10 = OptDouble(fields, "usage_rate_last_10");
  row.ts_pct_last_10 = OptDouble(fields, "ts_pct_last_10");
  row.games_played_season = fields.at("games_played_season").get<int64_t>();
  row.player_usage_rate_season = OptDouble(fields, "player_usage_rate_season");
  row.team_abbr = fields.at("team_abbr").get<std::string>();
  row.team_pace_last_10 = OptDouble(fields, "team_pace_last_10");
  row.team_off_rating_last_10 = OptDouble(fields, "team_off_rating_last_10");
  row.games_in_last_7_days = OptInt(fields, "games_in_last_7_days");
  row.games_in_last_14_days = OptInt(fields, "games_in_last_14_days");
  row.minutes_in_last_7_days = OptInt(fields, "minutes_in_last_7_days");
  row.minutes_in_last_14_days = OptInt(fields, "minutes_in_last_14_days");
  row.back_to_backs_last_14_days = OptInt(fields, "back_to_backs_last_14_days");
  row.avg_minutes_per_game_last_7 = OptDouble(fields, "avg_minutes_per_game_last_7");
  row.fourth_quarter_minutes_last_7 = OptInt(fields, "fourth_quarter_minutes_last_7");
  row.context_source = fields.at("context_source").get<std::string>();
  row.primary_scoring_zone = OptString(fields, "primary_scoring_zone");
  row.paint_rate_last_10 = OptDouble(fields, "paint_rate_last_10");
  row.three_pt_rate_last_10 = OptDouble(fields, "three_pt_rate_last_10");
  row.shot_zone_data_available = fields.at("shot_zone_data_available").get<bool>();
  row.assisted_rate_last_10 = OptDouble(fields, "assisted_rate_last_10");
  row.player_age = OptInt(fields, "player_age");
  row.early_season_flag = fields.at("early_season_flag").get<bool>();
  row.insufficient_data_reason = OptString(fields, "insufficient_data_reason");
  row.completeness_percentage = OptDouble(fields, "completeness_percentage");
  row.l10_completeness_pct = OptDouble(fields, "l10_completeness_pct");
  row.l7d_completeness_pct = OptDouble(fields, "l7d_completeness_pct");
  row.l14d_completeness_pct = OptDouble(fields, "l14d_completeness_pct");
  row.is_production_ready = fields.at("is_production_ready").get<bool>();
  row.quality_tier = fields.at("quality_tier").get<std::string>();
  row.cache_version = fields.at("cache_version").get<std::string>();
  // The hash fields are ToNamedValues minus data_hash, in the same names.
  NamedValues values = ToNamedValues(row);
  ASSERT_EQ(values.size(), 39u);
  EXPECT_EQ(values.back().first, "data_hash");
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t idx = 0; idx + 1 < values.size(); ++idx) {
    ASSERT_TRUE(fields.contains(values[idx].first)) << values[idx].first;
    parts.emplace_back(values[idx].first, HashFieldText(values[idx].second));
  }
  const json& want = vectors[0].at("expected");
  EXPECT_EQ(CanonicalHashString(parts), want.at("canonical_string").get<std::string>());
  EXPECT_EQ(DataHash(parts), want.at("data_hash").get<std::string>());
}

// ---------------------------------------------------------------- processor fixtures

ScheduleGame Game(Date date, const std::string& away, const std::string& home, GameStatus status, int number) {
  ScheduleGame game;
  game.game_id = "00224" + std::to_string(10000 + number);
  game.game_date = date;
  game.season_year = SeasonYear(date);
  game.away_team_abbr = away;
  game.home_team_abbr = home;
  game.game_type = GameType::kRegularSeason;
  game.game_status = status;
  return game;
}

PlayerGame Pgs(const std::string& player, Date date, const std::string& team, std::optional<int64_t> points,
               std::optional<double> minutes) {
  PlayerGame row;
  row.player_lookup = player;
  row.universal_player_id = player + "_001";
  row.game_date = date;
  row.season_year = SeasonYear(date);
  row.game_id =
      date.ToString().substr(0, 4) + date.ToString().substr(5, 2) + date.ToString().substr(8, 2) + "_NYK_" + team;
  row.team_abbr = team;
  row.opponent_team_abbr = "NYK";
  row.is_active = true;
  row.points = points;
  row.minutes_played = minutes;
  row.fg_attempts = points ? std::optional<int64_t>(*points / 2 + 1) : std::nullopt;
  row.fg_makes = 5;
  row.assisted_fg_makes = 2;
  row.usage_rate = 20.0;
  row.ts_pct = 0.5;
  return row;
}

TeamOffenseGame Togs(const std::string& team, Date date, std::optional<double> pace, std::optional<double> rating) {
  TeamOffenseGame game;
  game.team_abbr = team;
  game.game_date = date;
  game.season_year = SeasonYear(date);
  game.game_id = date.ToString() + "_" + team;
  game.pace = pace;
  game.offensive_rating = rating;
  return game;
}

UpcomingPlayerContext Upgc(const std::string& player, Date date, const std::string& team) {
  UpcomingPlayerContext row;
  row.player_lookup = player;
  row.game_date = date;
  row.game_id = date.ToString() + "_" + team;
  row.team_abbr = team;
  row.universal_player_id = player + "_001";
  return row;
}

// The hand-computed league of PdcHand: BOS plays every day 01-08 … 01-20
// (final), and a scheduled game on 01-21.
struct HandLeague {
  std::vector<PlayerGame> pgs;
  std::vector<TeamOffenseGame> togs;
  std::vector<UpcomingPlayerContext> upgc;
  std::vector<PdcShotZoneInput> psza;
  std::vector<ScheduleGame> schedule;
};

HandLeague MakeHandLeague() {
  HandLeague league;
  const Date first = D("2025-01-08");
  const Date d = D("2025-01-20");
  int game_number = 0;
  for (Date date = first; date <= d; date = date + 1) {
    league.schedule.push_back(Game(date, "NYK", "BOS", GameStatus::kFinal, game_number++));
  }
  league.schedule.push_back(Game(d + 1, "NYK", "BOS", GameStatus::kScheduled, game_number++));
  // BOS TOGS 01-08 … 01-19: pace 95 … 106, ortg 110.0. (01-20 = D: pace 200.)
  for (int k = 0; k < 12; ++k) league.togs.push_back(Togs("BOS", first + k, 95.0 + k, 110.0));
  league.togs.push_back(Togs("BOS", d, 200.0, 200.0));
  // aa: 12 games 01-08 … 01-19, points 10 … 21; row on D (99 points).
  for (int k = 0; k < 12; ++k) league.pgs.push_back(Pgs("aa", first + k, "BOS", 10 + k, 30.0));
  league.pgs.push_back(Pgs("aa", d, "BOS", 99, 40.0));
  // bb: no row on 01-15 / 01-16, DNP on 01-17, 25.5 minutes and 20 points otherwise.
  for (int k = 0; k < 12; ++k) {
    const Date date = first + k;
    if (date == D("2025-01-15") || date == D("2025-01-16")) continue;
    if (date == D("2025-01-17")) {
      PlayerGame dnp = Pgs("bb", date, "BOS", 0, std::nullopt);
      dnp.fg_attempts = 0;
      dnp.fg_makes = 0;
      dnp.assisted_fg_makes = 0;
      dnp.usage_rate = std::nullopt;
      dnp.ts_pct = std::nullopt;
      league.pgs.push_back(dnp);
      continue;
    }
    league.pgs.push_back(Pgs("bb", date, "BOS", 20, 25.5));
  }
  league.pgs.push_back(Pgs("bb", d, "BOS", 50, 30.0));
  // cc: 7 games 01-13 … 01-19 (8 points); dd: 3 games 01-17 … 01-19.
  for (int k = 5; k < 12; ++k) league.pgs.push_back(Pgs("cc", first + k, "BOS", 8, 20.0));
  league.pgs.push_back(Pgs("cc", d, "BOS", 8, 20.0));
  for (int k = 9; k < 12; ++k) league.pgs.push_back(Pgs("dd", first + k, "BOS", 4, 10.0));
  league.pgs.push_back(Pgs("dd", d, "BOS", 4, 10.0));
  // ny: 6 NYK games (no NYK TOGS rows), then a UPGC row on D + 1.
  for (int k = 6; k < 12; ++k) league.pgs.push_back(Pgs("ny", first + k, "NYK", 15, 28.0));
  // tr: played for BOS, then NYK: not on the BOS roster on D + 1.
  for (int k = 0; k < 6; ++k) league.pgs.push_back(Pgs("tr", first + k, "BOS", 12, 25.0));
  for (int k = 6; k < 12; ++k) league.pgs.push_back(Pgs("tr", first + k, "NYK", 12, 25.0));

  // UPGC on D: aa (universal_player_id NULL -> PGS row on D), ee (no PGS row on D).
  UpcomingPlayerContext aa = Upgc("aa", d, "BOS");
  aa.universal_player_id = std::nullopt;
  aa.games_in_last_7_days = 4;
  aa.games_in_last_14_days = 8;
  aa.minutes_in_last_7_days = 120;
  aa.minutes_in_last_14_days = 240;
  aa.back_to_backs_last_14_days = 3;
  aa.avg_minutes_per_game_last_7 = 30.0;
  aa.fourth_quarter_minutes_last_7 = 9;
  aa.player_age = 25;
  league.upgc.push_back(aa);
  league.upgc.push_back(Upgc("ee", d, "BOS"));
  // bb's age history: 30 on 2025-01-01, 28 before the 365-day window, 31 after D.
  UpcomingPlayerContext bb1 = Upgc("bb", D("2025-01-01"), "BOS");
  bb1.player_age = 30;
  UpcomingPlayerContext bb0 = Upgc("bb", D("2023-12-01"), "BOS");
  bb0.player_age = 28;
  UpcomingPlayerContext bb2 = Upgc("bb", d + 1, "LAL");  // after D: ignored on D; team LAL
  bb2.player_age = 31;
  league.upgc.push_back(bb0);
  league.upgc.push_back(bb1);
  league.upgc.push_back(bb2);
  // UPGC on D + 1 for NYK's "ny" only: BOS gets the roster fallback.
  UpcomingPlayerContext ny = Upgc("ny", d + 1, "NYK");
  ny.games_in_last_7_days = 2;
  league.upgc.push_back(ny);

  // PSZA on D for aa only.
  league.psza.push_back({"aa", d, std::string("paint"), 45.5, 20.25});
  league.psza.push_back({"bb", d - 1, std::string("perimeter"), 10.0, 60.0});  // another date: not used
  return league;
}

// ---------------------------------------------------------------- hand-computed cases

TEST(PdcHand, HistoricalRealAndSyntheticContext) {
  const HandLeague league = MakeHandLeague();
  const SeasonCalendar calendar(league.schedule, {}, D("2025-01-21"));
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  const Date d = D("2025-01-20");
  ASSERT_TRUE(calendar.IsHistorical(d));
  const PdcDateResult result = processor.ComputeDate(d);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;

  // Player set = PGS rows on D (ee has UPGC only: not in the set; ny / tr no row on D).
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].player_lookup, "aa");
  EXPECT_EQ(result.rows[1].player_lookup, "bb");
  EXPECT_EQ(result.rows[2].player_lookup, "cc");
  ASSERT_EQ(result.exclusions.size(), 1u);
  EXPECT_EQ(result.exclusions[0].entity_id, "dd");
  EXPECT_EQ(result.exclusions[0].failure_category, "INSUFFICIENT_DATA");
  EXPECT_EQ(result.exclusions[0].failure_reason, "Only 3 games played, need 5 minimum");
  EXPECT_FALSE(result.exclusions[0].can_retry);

  // aa: UPGC context; NULL universal_player_id filled from the PGS row on D.
  const PdcRow& aa = result.rows[0];
  EXPECT_EQ(aa.context_source, "upcoming");
  EXPECT_EQ(aa.universal_player_id, "aa_001");
  EXPECT_EQ(aa.team_abbr, "BOS");
  EXPECT_EQ(aa.games_played_season, 12);
  EXPECT_EQ(aa.points_avg_last_5, 19.0);     // 17 … 21
  EXPECT_EQ(aa.points_avg_last_10, 16.5);    // 12 … 21
  EXPECT_EQ(aa.points_avg_season, 15.5);     // 10 … 21
  EXPECT_EQ(aa.points_std_last_10, 3.0277);  // sqrt(82.5 / 9)
  EXPECT_EQ(aa.minutes_avg_last_10, 30.0);
  EXPECT_EQ(aa.team_pace_last_10, 101.5);  // 97 … 106; the row on D (200) excluded
  EXPECT_EQ(aa.team_off_rating_last_10, 110.0);
  EXPECT_EQ(aa.games_in_last_7_days, 4);
  EXPECT_EQ(aa.games_in_last_14_days, 8);
  EXPECT_EQ(aa.minutes_in_last_7_days, 120);
  EXPECT_EQ(aa.minutes_in_last_14_days, 240);
  EXPECT_EQ(aa.back_to_backs_last_14_days, 3);
  EXPECT_EQ(aa.avg_minutes_per_game_last_7, 30.0);
  EXPECT_EQ(aa.fourth_quarter_minutes_last_7, 9);
  EXPECT_EQ(aa.player_age, 25);
  EXPECT_TRUE(aa.shot_zone_data_available);
  EXPECT_EQ(aa.primary_scoring_zone, "paint");
  EXPECT_EQ(aa.paint_rate_last_10, 45.5);
  EXPECT_EQ(aa.three_pt_rate_last_10, 20.25);
  EXPECT_EQ(aa.assisted_rate_last_10, 0.4);  // 20 / 50
  EXPECT_FALSE(aa.early_season_flag);
  EXPECT_FALSE(aa.insufficient_data_reason.has_value());
  EXPECT_EQ(aa.completeness_percentage, 100.0);
  EXPECT_EQ(aa.l10_completeness_pct, 100.0);
  EXPECT_EQ(aa.l7d_completeness_pct, 100.0);
  EXPECT_EQ(aa.l14d_completeness_pct, 100.0);
  EXPECT_TRUE(aa.is_production_ready);
  EXPECT_EQ(aa.quality_tier, "gold");
  EXPECT_EQ(aa.cache_version, "v1");

  // bb: no UPGC row on D -> synthetic context from games before D (§6).
  const PdcRow& bb = result.rows[1];
  EXPECT_EQ(bb.context_source, "synthetic");
  EXPECT_EQ(bb.universal_player_id, "bb_001");
  EXPECT_EQ(bb.team_abbr, "BOS");
  EXPECT_EQ(bb.games_played_season, 9);  // 10 rows, the DNP row is not a game
  EXPECT_TRUE(bb.early_season_flag);
  EXPECT_EQ(bb.insufficient_data_reason, "Only 9 games played, need 10 minimum");
  EXPECT_EQ(bb.points_avg_last_5, 20.0);
  EXPECT_EQ(bb.points_std_last_10, 0.0);
  EXPECT_EQ(bb.games_in_last_7_days, 4);       // 01-13, 01-14, 01-18, 01-19
  EXPECT_EQ(bb.games_in_last_14_days, 9);      // + 01-08 … 01-12
  EXPECT_EQ(bb.minutes_in_last_7_days, 102);   // 4 × 25.5
  EXPECT_EQ(bb.minutes_in_last_14_days, 230);  // 229.5 -> 230 (half away from zero)
  EXPECT_EQ(bb.avg_minutes_per_game_last_7, 25.5);
  EXPECT_EQ(bb.back_to_backs_last_14_days, 7);  // 01-08 … 01-14 (6) + (01-18, 01-19)
  EXPECT_FALSE(bb.fourth_quarter_minutes_last_7.has_value());
  EXPECT_EQ(bb.player_age, 30);               // 2025-01-01; 2023-12-01 too old; D + 1 after D
  EXPECT_FALSE(bb.shot_zone_data_available);  // PSZA row only on another date
  EXPECT_FALSE(bb.primary_scoring_zone.has_value());
  EXPECT_FALSE(bb.paint_rate_last_10.has_value());
  EXPECT_FALSE(bb.three_pt_rate_last_10.has_value());
  EXPECT_EQ(bb.completeness_percentage, 60.0);  // 01-15 … 01-19: 17 (DNP), 18, 19
  EXPECT_EQ(bb.l10_completeness_pct, 80.0);     // 01-10 … 01-19: 8
  EXPECT_EQ(bb.l7d_completeness_pct, 71.4);     // 01-13 … 01-19: 5 / 7
  EXPECT_EQ(bb.l14d_completeness_pct, 83.3);    // 01-08 … 01-19: 10 / 12
  EXPECT_FALSE(bb.is_production_ready);
  EXPECT_EQ(bb.quality_tier, "bronze");

  // cc: 7 games, synthetic; L14d 7 / 12 = 58.3 keeps it from production.
  const PdcRow& cc = result.rows[2];
  EXPECT_EQ(cc.context_source, "synthetic");
  EXPECT_EQ(cc.games_played_season, 7);
  EXPECT_TRUE(cc.early_season_flag);
  EXPECT_EQ(cc.insufficient_data_reason, "Only 7 games played, need 10 minimum");
  EXPECT_EQ(cc.completeness_percentage, 100.0);
  EXPECT_EQ(cc.l10_completeness_pct, 70.0);
  EXPECT_EQ(cc.l7d_completeness_pct, 100.0);
  EXPECT_EQ(cc.l14d_completeness_pct, 58.3);
  EXPECT_FALSE(cc.is_production_ready);
  EXPECT_FALSE(cc.player_age.has_value());

  EXPECT_EQ(result.stats.players, 4);
  EXPECT_EQ(result.stats.rows, 3);
  EXPECT_EQ(result.stats.excluded_insufficient_data, 1);
  EXPECT_EQ(result.stats.synthetic_context, 2);
  EXPECT_EQ(result.stats.early_season, 2);
  EXPECT_EQ(result.stats.no_shot_zone, 2);
  EXPECT_EQ(result.stats.production_ready, 1);

  // Every row's data_hash is the §10 hash of its other columns.
  for (const PdcRow& row : result.rows) {
    NamedValues values = ToNamedValues(row);
    std::vector<std::pair<std::string, std::string>> parts;
    for (size_t idx = 0; idx + 1 < values.size(); ++idx) {
      parts.emplace_back(values[idx].first, HashFieldText(values[idx].second));
    }
    EXPECT_EQ(row.data_hash, DataHash(parts));
  }
}

TEST(PdcHand, UpcomingDateRosterFallback) {
  HandLeague league = MakeHandLeague();
  // zz: a UPGC row on D and no PGS history at all.
  league.upgc.push_back(Upgc("zz", D("2025-01-21"), "NYK"));
  const Date d = D("2025-01-21");
  const SeasonCalendar calendar(league.schedule, {}, d);
  ASSERT_FALSE(calendar.IsHistorical(d));
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  const PdcDateResult result = processor.ComputeDate(d);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  // UPGC: ny (NYK) and bb (LAL, after his BOS games). NYK has UPGC rows: no
  // fallback for NYK (tr stays out). BOS has none: roster = players whose
  // latest season row before D is with BOS: aa, cc, dd (bb already in the set).
  EXPECT_EQ(result.stats.players, 6);
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_EQ(result.rows[0].player_lookup, "aa");
  EXPECT_EQ(result.rows[1].player_lookup, "bb");
  EXPECT_EQ(result.rows[2].player_lookup, "cc");
  EXPECT_EQ(result.rows[3].player_lookup, "ny");
  ASSERT_EQ(result.exclusions.size(), 2u);
  EXPECT_EQ(result.exclusions[0].entity_id, "dd");
  EXPECT_EQ(result.exclusions[0].failure_reason, "Only 4 games played, need 5 minimum");
  EXPECT_EQ(result.exclusions[1].entity_id, "zz");
  EXPECT_EQ(result.exclusions[1].failure_reason, "Only 0 games played, need 5 minimum");
  EXPECT_EQ(result.stats.excluded_insufficient_data, 2);

  const PdcRow& aa = result.rows[0];
  EXPECT_EQ(aa.context_source, "synthetic");
  EXPECT_EQ(aa.team_abbr, "BOS");
  EXPECT_EQ(aa.universal_player_id, "aa_001");
  EXPECT_EQ(aa.games_played_season, 13);            // now includes 01-20
  EXPECT_EQ(aa.points_avg_last_5, 35.4);            // 18, 19, 20, 21, 99
  EXPECT_EQ(aa.team_pace_last_10, 111.8);           // 98 … 106 and 200: 1118 / 10
  EXPECT_EQ(aa.games_in_last_7_days, 7);            // 01-14 … 01-20
  EXPECT_EQ(aa.minutes_in_last_7_days, 220);        // 6 × 30 + 40
  EXPECT_EQ(aa.avg_minutes_per_game_last_7, 31.4);  // round_py(220 / 7, 1)
  EXPECT_FALSE(aa.shot_zone_data_available);        // no PSZA row for D

  const PdcRow& bb = result.rows[1];
  EXPECT_EQ(bb.context_source, "upcoming");
  EXPECT_EQ(bb.team_abbr, "LAL");                  // the UPGC team wins
  EXPECT_FALSE(bb.team_pace_last_10.has_value());  // no LAL TOGS rows
  EXPECT_FALSE(bb.completeness_percentage.has_value());
  EXPECT_EQ(bb.quality_tier, "unusable");
  EXPECT_FALSE(bb.is_production_ready);
  EXPECT_EQ(bb.player_age, 31);  // the UPGC row is used as it is

  const PdcRow& ny = result.rows[3];
  EXPECT_EQ(ny.context_source, "upcoming");
  EXPECT_EQ(ny.games_played_season, 6);
  EXPECT_EQ(ny.games_in_last_7_days, 2);
  EXPECT_FALSE(ny.games_in_last_14_days.has_value());  // NULL in UPGC stays NULL
  EXPECT_FALSE(ny.player_age.has_value());             // not derived for a UPGC row

  EXPECT_EQ(result.stats.synthetic_context, 2);  // aa, cc
}

TEST(PdcHand, DateFailures) {
  const HandLeague league = MakeHandLeague();
  // Historical date without PGS rows: schedule final on 01-07 only.
  std::vector<ScheduleGame> schedule = league.schedule;
  schedule.push_back(Game(D("2025-01-07"), "NYK", "BOS", GameStatus::kFinal, 900));
  schedule.push_back(Game(D("2025-01-25"), "LAL", "GSW", GameStatus::kScheduled, 901));
  const SeasonCalendar calendar(schedule, {}, D("2025-01-21"));
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, schedule, calendar);

  const PdcDateResult missing = processor.ComputeDate(D("2025-01-07"));
  EXPECT_FALSE(missing.outcome.ok());
  EXPECT_EQ(missing.outcome.reason_code, "missing_input");
  EXPECT_EQ(missing.outcome.reason, "missing_input: player_game_summary has no rows for 2025-01-07");
  EXPECT_TRUE(missing.rows.empty());

  // Upcoming LAL @ GSW: no UPGC rows, nobody's latest row is with LAL or GSW.
  const PdcDateResult nobody = processor.ComputeDate(D("2025-01-25"));
  EXPECT_FALSE(nobody.outcome.ok());
  EXPECT_EQ(nobody.outcome.reason_code, "no_players");
  EXPECT_EQ(nobody.outcome.reason, "no_players: no players for 2025-01-25");

  EXPECT_TRUE(processor.HasShotZoneRows(D("2025-01-20")));
  EXPECT_FALSE(processor.HasShotZoneRows(D("2025-01-21")));
}

TEST(PdcHand, WorkedExampleThroughProcessor) {
  // The class reproduces vector "worked example (synthetic context)" exactly.
  const auto vectors = LoadVectors("pdc", "pdc.compute_row");
  const json* worked = nullptr;
  for (const json& vec : vectors) {
    if (vec.at("name").get<std::string>() == "worked example (synthetic context)") worked = &vec;
  }
  ASSERT_NE(worked, nullptr);
  const json& in = worked->at("inputs");
  const Date d = JsonDate(in.at("cache_date"));
  const std::vector<PlayerGame> pgs = ParsePgsRows(in.at("pgs_rows"), "marcusexample");
  const std::vector<TeamOffenseGame> togs = ParseTeamGames(in.at("team_games"));
  std::vector<UpcomingPlayerContext> upgc;
  for (const PdcAgeObservation& obs : ParseAges(in.at("upgc_history_rows"))) {
    UpcomingPlayerContext row = Upgc("marcusexample", obs.game_date, "BOS");
    row.player_age = obs.player_age;
    upgc.push_back(row);
  }
  const std::vector<PdcShotZoneInput> psza = {ParseShotZone(in.at("psza"), "marcusexample", d)};
  const std::vector<ScheduleGame> schedule = {Game(d, "NYK", "BOS", GameStatus::kFinal, 1)};
  const SeasonCalendar calendar(schedule, {}, D("2026-01-03"));
  const PdcProcessor processor(pgs, togs, upgc, psza, schedule, calendar);
  const PdcDateResult result = processor.ComputeDate(d);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  ASSERT_EQ(result.rows.size(), 1u);
  ExpectRecord(result.rows[0], worked->at("expected").at("row"));
  EXPECT_EQ(result.rows[0].data_hash, "5f510edaa2c9fa1d");
}

TEST(PdcHand, SchemaAndNamedValues) {
  const store::TableDef table = store::PdcTableDef();
  EXPECT_EQ(table.FullName(), "nba_precompute.player_daily_cache");
  EXPECT_EQ(table.kind, store::TableKind::kOutput);
  EXPECT_EQ(table.key, (std::vector<std::string>{"player_lookup", "cache_date"}));
  EXPECT_EQ(table.date_column, "cache_date");
  ASSERT_EQ(table.columns.size(), 41u);  // 38 hash fields + data_hash, processed_at, engine_version
  EXPECT_EQ(table.columns[39].name, "processed_at");
  EXPECT_EQ(table.columns[39].type, store::ColumnType::kTimestamp);
  EXPECT_FALSE(table.columns[39].nullable);
  EXPECT_EQ(table.columns[40].name, "engine_version");
  EXPECT_FALSE(table.columns[40].nullable);

  PdcRow row;
  row.player_lookup = "aa";
  row.cache_date = D("2025-01-20");
  row.team_abbr = "BOS";
  row.context_source = "synthetic";
  row.quality_tier = "unusable";
  const NamedValues values = ToNamedValues(row);
  ASSERT_EQ(values.size(), 39u);
  for (size_t idx = 0; idx < values.size(); ++idx) {
    SCOPED_TRACE(values[idx].first);
    const store::ColumnDef& column = table.columns[idx];
    EXPECT_EQ(values[idx].first, column.name);
    // Types line up with the schema (README §4.2); NOT NULL columns are set.
    const Value& value = values[idx].second;
    if (!column.nullable) {
      EXPECT_FALSE(IsNull(value));
    }
    if (IsNull(value)) continue;
    switch (column.type) {
      case store::ColumnType::kFloat:
        EXPECT_TRUE(std::holds_alternative<double>(value));
        break;
      case store::ColumnType::kInteger:
        EXPECT_TRUE(std::holds_alternative<int64_t>(value));
        break;
      case store::ColumnType::kBoolean:
        EXPECT_TRUE(std::holds_alternative<bool>(value));
        break;
      default:
        EXPECT_TRUE(std::holds_alternative<std::string>(value));
        break;
    }
  }
  EXPECT_EQ(std::get<std::string>(values[2].second), "2025-01-20");
  EXPECT_EQ(std::get<std::string>(values[37].second), "v1");
}

// ---------------------------------------------------------------- generated league

// Four teams over 2024-10-22 … 2025-01-24 plus an April 2024 tail (T10 has no
// season filter), six players per team with DNP rows, NULL statistics,
// inactive rows, a trade and a late arrival; UPGC for some dates; PSZA rows for
// some players; scheduled games on 01-25.
struct League {
  std::vector<PlayerGame> pgs;
  std::vector<TeamOffenseGame> togs;
  std::vector<UpcomingPlayerContext> upgc;
  std::vector<PdcShotZoneInput> psza;
  std::vector<ScheduleGame> schedule;
  Date today;
};

League MakeLeague() {
  League league;
  league.today = D("2025-01-25");
  std::mt19937 rng(20250125);
  const auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> teams = {"BOS", "NYK", "LAL", "GSW"};
  int game_number = 0;
  const auto play = [&](Date date, const std::string& away, const std::string& home, bool final_game) {
    league.schedule.push_back(
        Game(date, away, home, final_game ? GameStatus::kFinal : GameStatus::kScheduled, game_number++));
    if (!final_game) return;
    for (const std::string& team : {away, home}) {
      std::optional<double> pace = 95.0 + uniform(0, 100) / 10.0;
      if (uniform(0, 20) == 0) pace = std::nullopt;
      league.togs.push_back(Togs(team, date, pace, 105.0 + uniform(0, 150) / 10.0));
      std::string prefix = team;
      std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](char c) { return static_cast<char>(c + 32); });
      for (int slot = 1; slot <= 6; ++slot) {
        std::string player = prefix + std::to_string(slot);
        std::string player_team = team;
        // nyk5 is traded to BOS on 2025-01-01.
        if (player == "nyk5" && date >= D("2025-01-01")) continue;
        if (team == "BOS" && slot == 6 && date >= D("2025-01-01")) player = "nyk5";
        // lal6 arrives on 2024-12-20.
        if (player == "lal6" && date < D("2024-12-20")) continue;
        if (uniform(0, 9) == 0) continue;  // missed game: no row
        PlayerGame row = Pgs(player, date, player_team, uniform(0, 35), 10.0 + uniform(0, 30));
        row.fg_makes = uniform(0, 12);
        row.assisted_fg_makes = uniform(0, static_cast<int>(*row.fg_makes));
        row.usage_rate = 10.0 + uniform(0, 250) / 10.0;
        row.ts_pct = 0.4 + uniform(0, 300) / 1000.0;
        const int defect = uniform(0, 19);
        if (defect == 0) {  // DNP
          row.minutes_played = std::nullopt;
          row.points = 0;
          row.fg_attempts = 0;
          row.fg_makes = 0;
          row.assisted_fg_makes = 0;
          row.usage_rate = std::nullopt;
          row.ts_pct = std::nullopt;
        } else if (defect == 1) {
          row.minutes_played = std::nullopt;
        } else if (defect == 2) {
          row.assisted_fg_makes = std::nullopt;
          row.usage_rate = std::nullopt;
        } else if (defect == 3) {
          row.is_active = false;
        } else if (defect == 4) {
          row.points = std::nullopt;
        }
        league.pgs.push_back(row);
        // UPGC rows on even days of the month for BOS and LAL.
        if ((team == "BOS" || team == "LAL") && date.day() % 2 == 0) {
          UpcomingPlayerContext context = Upgc(player, date, player_team);
          context.games_in_last_7_days = uniform(0, 4);
          context.minutes_in_last_7_days = uniform(0, 150);
          context.avg_minutes_per_game_last_7 = uniform(0, 400) / 10.0;
          if (uniform(0, 3) > 0) context.player_age = 20 + slot;
          if (uniform(0, 5) == 0) context.universal_player_id = std::nullopt;
          league.upgc.push_back(context);
        }
      }
    }
  };
  for (Date date = D("2024-04-01"); date <= D("2024-04-14"); date = date + 1) {
    if (date.day() % 2 == 0) play(date, "NYK", "BOS", true);
    if (date.day() % 3 == 0) play(date, "GSW", "LAL", true);
  }
  for (Date date = D("2024-10-22"); date <= D("2025-01-24"); date = date + 1) {
    const int k = date - D("2024-10-22");
    // Even days: NYK @ BOS and (unless k % 3 == 1) GSW @ LAL; odd days: BOS @ LAL
    // unless k % 3 == 1 (an off day).
    if (k % 2 == 0) play(date, "NYK", "BOS", true);
    if (k % 3 != 1) play(date, k % 2 == 0 ? "GSW" : "BOS", "LAL", true);
  }
  play(D("2025-01-25"), "NYK", "BOS", false);
  play(D("2025-01-25"), "GSW", "LAL", false);
  // UPGC for the upcoming date: LAL players only (BOS / NYK / GSW: roster fallback).
  for (int slot = 1; slot <= 6; ++slot)
    league.upgc.push_back(Upgc("lal" + std::to_string(slot), D("2025-01-25"), "LAL"));
  // PSZA rows: players of slots 1-4 on every date from 2024-11-05.
  for (Date date = D("2024-11-05"); date <= D("2025-01-25"); date = date + 1) {
    for (const std::string team : {"bos", "nyk", "lal", "gsw"}) {
      for (int slot = 1; slot <= 4; ++slot) {
        league.psza.push_back({team + std::to_string(slot), date, std::string("balanced"), 30.0 + slot, 35.0});
      }
    }
  }
  return league;
}

// A comparable image of one date's result: every column of every row as
// hash text, the exclusions, the outcome and the stats.
struct DateSnapshot {
  bool ok = false;
  std::string reason;
  std::vector<std::string> rows;
  std::vector<std::string> exclusions;
  std::vector<int64_t> stats;
  bool operator==(const DateSnapshot&) const = default;
};

DateSnapshot Snapshot(const PdcDateResult& result) {
  DateSnapshot snap;
  snap.ok = result.outcome.ok();
  snap.reason = result.outcome.reason;
  for (const PdcRow& row : result.rows) {
    std::string text;
    for (const auto& [name, value] : ToNamedValues(row)) text += std::string(name) + ":" + HashFieldText(value) + "|";
    snap.rows.push_back(text);
  }
  for (const EntityExclusion& ex : result.exclusions) {
    snap.exclusions.push_back(ex.entity_id + "|" + ex.failure_category + "|" + ex.failure_reason);
  }
  const PdcDateStats& s = result.stats;
  snap.stats = {s.players,           s.rows,         s.excluded_insufficient_data,
                s.synthetic_context, s.early_season, s.no_shot_zone,
                s.production_ready};
  return snap;
}

DateSnapshot Compute(const League& league, Date date) {
  const SeasonCalendar calendar(league.schedule, {}, league.today);
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  return Snapshot(processor.ComputeDate(date));
}

TEST(PdcPointInTime, GamesOnOrAfterDNeverChangeD) {
  const League league = MakeLeague();
  const Date date = D("2025-01-12");  // NYK @ BOS; UPGC rows for BOS only
  const DateSnapshot base = Compute(league, date);
  ASSERT_TRUE(base.ok) << base.reason;
  ASSERT_GE(base.rows.size(), 10u);
  ASSERT_GT(base.stats[3], 0);              // synthetic contexts
  ASSERT_LT(base.stats[3], base.stats[1]);  // and UPGC ones

  // Every statistic of every PGS / TOGS row dated >= D changed (identity kept:
  // player, game, team, universal_player_id).
  League changed = league;
  int touched = 0;
  for (PlayerGame& row : changed.pgs) {
    if (row.game_date < date) continue;
    ++touched;
    row.is_active = !row.is_active;
    row.minutes_played = 48.0;
    row.points = 70;
    row.fg_attempts = 40;
    row.fg_makes = 25;
    row.assisted_fg_makes = 1;
    row.usage_rate = 99.0;
    row.ts_pct = 1.4;
  }
  for (TeamOffenseGame& row : changed.togs) {
    if (row.game_date < date) continue;
    ++touched;
    row.pace = 130.0;
    row.offensive_rating = std::nullopt;
  }
  ASSERT_GT(touched, 0);
  EXPECT_EQ(Compute(changed, date), base);

  // Every TOGS row on/after D and every PGS row after D deleted (PGS rows on
  // D define the player set of a historical date).
  League deleted = league;
  std::erase_if(deleted.togs, [date](const TeamOffenseGame& row) { return row.game_date >= date; });
  std::erase_if(deleted.pgs, [date](const PlayerGame& row) { return row.game_date > date; });
  EXPECT_EQ(Compute(deleted, date), base);

  // A statistic of a game on D − 1 changes D's rows.
  League yesterday = league;
  int changed_yesterday = 0;
  for (PlayerGame& row : yesterday.pgs) {
    if (row.game_date != date - 1 || !PdcQualifies(row)) continue;
    row.points = row.points.value_or(0) + 7;
    ++changed_yesterday;
  }
  ASSERT_GT(changed_yesterday, 0);
  EXPECT_NE(Compute(yesterday, date), base);
  League team_yesterday = league;
  for (TeamOffenseGame& row : team_yesterday.togs) {
    if (row.game_date == date - 1) row.pace = row.pace.value_or(0.0) + 3.0;
  }
  EXPECT_NE(Compute(team_yesterday, date), base);
}

TEST(PdcPointInTime, UpcomingDateIgnoresRowsDatedD) {
  // An upcoming D whose PGS / TOGS rows exist (e.g. an early game already in
  // the box scores) gives the same rows as without them.
  const League league = MakeLeague();
  const Date date = D("2025-01-25");
  const DateSnapshot base = Compute(league, date);
  ASSERT_TRUE(base.ok) << base.reason;
  ASSERT_GE(base.rows.size(), 10u);

  League with_rows = league;
  for (const std::string player : {"bos1", "bos2", "nyk1", "lal1", "gsw3"}) {
    const std::string team = player.substr(0, 3) == "bos"   ? "BOS"
                             : player.substr(0, 3) == "nyk" ? "NYK"
                             : player.substr(0, 3) == "lal" ? "LAL"
                                                            : "GSW";
    with_rows.pgs.push_back(Pgs(player, date, team, 44, 41.0));
  }
  for (const std::string team : {"BOS", "NYK", "LAL", "GSW"}) with_rows.togs.push_back(Togs(team, date, 120.0, 140.0));
  EXPECT_EQ(Compute(with_rows, date), base);
}

TEST(PdcDeterminism, ThreadsAndInputOrder) {
  const League league = MakeLeague();
  std::vector<Date> dates;
  for (Date date = D("2024-11-05"); date <= D("2025-01-25"); date = date + 1) dates.push_back(date);
  const SeasonCalendar calendar(league.schedule, {}, league.today);
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  std::vector<DateSnapshot> serial;
  for (Date date : dates) serial.push_back(Snapshot(processor.ComputeDate(date)));
  size_t total_rows = 0;
  size_t failed = 0;
  for (const DateSnapshot& snap : serial) {
    total_rows += snap.rows.size();
    if (!snap.ok) ++failed;
  }
  ASSERT_GT(total_rows, 500u);
  ASSERT_GT(failed, 0u);  // off days (no PGS rows and no schedule) fail with no_players

  std::vector<DateSnapshot> parallel(dates.size());
  std::vector<std::thread> threads;
  constexpr size_t kThreads = 4;
  for (size_t thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (size_t date_idx = thread_idx; date_idx < dates.size(); date_idx += kThreads) {
        parallel[date_idx] = Snapshot(processor.ComputeDate(dates[date_idx]));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(parallel, serial);

  League shuffled = league;
  std::mt19937 rng(7);
  std::shuffle(shuffled.pgs.begin(), shuffled.pgs.end(), rng);
  std::shuffle(shuffled.togs.begin(), shuffled.togs.end(), rng);
  std::shuffle(shuffled.upgc.begin(), shuffled.upgc.end(), rng);
  std::shuffle(shuffled.psza.begin(), shuffled.psza.end(), rng);
  std::shuffle(shuffled.schedule.begin(), shuffled.schedule.end(), rng);
  const SeasonCalendar shuffled_calendar(shuffled.schedule, {}, shuffled.today);
  const PdcProcessor shuffled_processor(shuffled.pgs, shuffled.togs, shuffled.upgc, shuffled.psza, shuffled.schedule,
                                        shuffled_calendar);
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    EXPECT_EQ(Snapshot(shuffled_processor.ComputeDate(dates[date_idx])), serial[date_idx])
        << dates[date_idx].ToString();
  }
}

// ---------------------------------------------------------------- explain trace

// The processor of vector "worked example (synthetic context)" (pdc.md §13).
struct WorkedExample {
  std::vector<PlayerGame> pgs;
  std::vector<TeamOffenseGame> togs;
  std::vector<UpcomingPlayerContext> upgc;
  std::vector<PdcShotZoneInput> psza;
  std::vector<ScheduleGame> schedule;
  Date date;
  json expected_row;
};

WorkedExample LoadWorkedExample() {
  WorkedExample out;
  for (const json& vec : LoadVectors("pdc", "pdc.compute_row")) {
    if (vec.at("name").get<std::string>() != "worked example (synthetic context)") continue;
    const json& in = vec.at("inputs");
    out.date = JsonDate(in.at("cache_date"));
    out.pgs = ParsePgsRows(in.at("pgs_rows"), "marcusexample");
    out.togs = ParseTeamGames(in.at("team_games"));
    for (const PdcAgeObservation& obs : ParseAges(in.at("upgc_history_rows"))) {
      UpcomingPlayerContext row = Upgc("marcusexample", obs.game_date, "BOS");
      row.player_age = obs.player_age;
      out.upgc.push_back(row);
    }
    out.psza = {ParseShotZone(in.at("psza"), "marcusexample", out.date)};
    out.schedule = {Game(out.date, "NYK", "BOS", GameStatus::kFinal, 1)};
    out.expected_row = vec.at("expected").at("row");
  }
  return out;
}

TEST(PdcTraceWorkedExample, StepsOfSection13) {
  const WorkedExample ex = LoadWorkedExample();
  ASSERT_FALSE(ex.pgs.empty());
  const SeasonCalendar calendar(ex.schedule, {}, D("2026-01-03"));
  const PdcProcessor processor(ex.pgs, ex.togs, ex.upgc, ex.psza, ex.schedule, calendar);
  const Trace trace = processor.TraceEntity(ex.date, "marcusexample");
  ASSERT_FALSE(trace.empty());
  const std::string s3 = "pdc.md §3", s5 = "pdc.md §5", s6 = "pdc.md §6", s7 = "pdc.md §7", s8 = "pdc.md §8",
                    s9 = "pdc.md §9", s10 = "pdc.md §10";
  // §3 player set and identity.
  ExpectStep(trace, "player set", s3, "historical D: PGS row on D (game 20250115_NYK_BOS, BOS)",
             Value{std::string("PGS row on D")}, false);
  ExpectStep(trace, "context_source", s3, "no UPGC row (player, D) -> synthetic context (§6)",
             Value{std::string("synthetic")}, true);
  ExpectStep(trace, "universal_player_id", s3, "synthetic: the PGS row on D", Value{std::string("marcusexample_001")},
             true);
  ExpectStep(trace, "team_abbr", s3, "synthetic: the PGS row on D", Value{std::string("BOS")}, true);
  // §6 synthetic context: A7 = 01-08, 01-11, 01-13 (01-10 is a DNP row).
  const std::string appearance = " with minutes > 0 or points > 0 or fg_attempts > 0 (NULL as 0)";
  ExpectStep(trace, "A7 (appearances)", s6, "PGS rows in [2025-01-08, 2025-01-14]" + appearance,
             Value{std::string("3 games: 2025-01-08, 2025-01-11, 2025-01-13")}, false);
  ExpectStep(trace, "A14 (appearances)", s6, "PGS rows in [2025-01-01, 2025-01-14]" + appearance,
             Value{std::string("7 games: 2025-01-01, 2025-01-03, 2025-01-05, 2025-01-07, 2025-01-08, 2025-01-11, "
                               "2025-01-13")},
             false);
  ExpectStep(trace, "Σ minutes over A7", s6, "30.5 + 34.0 + 36.0", Value{100.5}, false);
  ExpectStep(trace, "synthetic minutes_in_last_7_days", s6, "llround(100.5)", Value{int64_t{101}}, false);
  ExpectStep(trace, "Σ minutes over A14", s6, "36.0 + NULL + 33.0 + 35.0 + 30.5 + 34.0 + 36.0 (NULL skipped)",
             Value{204.5}, false);
  ExpectStep(trace, "synthetic minutes_in_last_14_days", s6, "llround(204.5)", Value{int64_t{205}}, false);
  ExpectStep(trace, "synthetic avg_minutes_per_game_last_7", s6, "round_py(100.5 / 3, 1)", Value{33.5}, false);
  ExpectStep(trace, "synthetic back_to_backs_last_14_days", s6, "dates d of A14 with d − 1 in A14: 2025-01-08",
             Value{int64_t{1}}, false);
  ExpectStep(trace, "synthetic player_age", s6, "latest UPGC player_age in [2024-01-16, 2025-01-14]: 2024-11-20",
             Value{int64_t{27}}, false);
  // §5 windows.
  ExpectStep(trace, "G (season window)", s5,
             "qualifying PGS rows (is_active and (minutes > 0 or points > 0)) with season_year 2024 and game_date < D, "
             "newest 82 at most, oldest first",
             Value{std::string("12 games: 2024-12-23, 2024-12-25, 2024-12-27, 2024-12-28, 2024-12-30, 2025-01-01, "
                               "2025-01-03, 2025-01-05, 2025-01-07, 2025-01-08, 2025-01-11, 2025-01-13")},
             false);
  ExpectStep(trace, "L5", s5, "the newest 5 of G",
             Value{std::string("5 games: 2025-01-05, 2025-01-07, 2025-01-08, 2025-01-11, 2025-01-13")}, false);
  // §7.
  ExpectStep(trace, "games_played_season", s7, "n = |G| (≥ 5: the player gets a row)", Value{int64_t{12}}, true);
  ExpectStep(trace, "early_season_flag", s7, "n = 12 < 10", Value{false}, true);
  ExpectStep(trace, "insufficient_data_reason", s7, "n = 12 ≥ 10 -> NULL", Value{}, true);
  // §8 sums and means (table of §13).
  ExpectStep(trace, "Σ points over L5", s8, "20.0 + 22.0 + 24.0 + 27.0 + 30.0", Value{123.0}, false);
  ExpectStep(trace, "points_avg_last_5", s8, "r4(123.0 / 5) = r4(24.6)", Value{24.6}, true);
  ExpectStep(trace, "points_avg_season", s8, "r4(275.0 / 12) = r4(22.916666666666668)", Value{22.9167}, true);
  ExpectStep(trace, "Σ (points − m)² over L10", s8, "m = 23.3, oldest first", Value{166.1}, false);
  ExpectStep(trace, "points_std_last_10", s8, "r4(sqrt(166.1 / 9)) = r4(4.295992965026311)", Value{4.296}, true);
  ExpectStep(trace, "Σ minutes_played over L10", s8,
             "31.0 + 34.0 + 29.0 + 36.0 + NULL + 33.0 + 35.0 + 30.5 + 34.0 + 36.0 (NULL skipped)", Value{298.5}, false);
  ExpectStep(trace, "minutes_avg_last_10", s8, "r4(298.5 / 9) = r4(33.166666666666664)", Value{33.1667}, true);
  ExpectStep(trace, "T10", s8, "the 10 newest TOGS rows of BOS with game_date < D (any season), oldest first",
             Value{std::string("10 games: 2024-12-30, 2025-01-01, 2025-01-03, 2025-01-05, 2025-01-07, 2025-01-08, "
                               "2025-01-09, 2025-01-10, 2025-01-11, 2025-01-13")},
             false);
  ExpectStep(trace, "Σ pace over T10", s8, "98.0 + 100.0 + 101.0 + 99.5 + 100.5 + 102.0 + 98.5 + 100.0 + 101.5 + 99.0",
             Value{1000.0}, false);
  ExpectStep(trace, "team_off_rating_last_10", s8, "r4(1142.0 / 10) = r4(114.2)", Value{114.2}, true);
  ExpectStep(trace, "games_in_last_7_days", s8, "trunc(synthetic 3.0)", Value{int64_t{3}}, true);
  ExpectStep(trace, "minutes_in_last_14_days", s8, "trunc(synthetic 205.0)", Value{int64_t{205}}, true);
  ExpectStep(trace, "avg_minutes_per_game_last_7", s8, "r4(synthetic 33.5)", Value{33.5}, true);
  ExpectStep(trace, "fourth_quarter_minutes_last_7", s8, "synthetic NULL -> NULL", Value{}, true);
  ExpectStep(trace, "primary_scoring_zone", s8, "the PSZA row (player, D)", Value{std::string("perimeter")}, true);
  ExpectStep(trace, "paint_rate_last_10", s8, "the PSZA row (player, D) (percent)", Value{28.57}, true);
  ExpectStep(trace, "Σ assisted_fg_makes over L10", s8, "4 + 5 + 3 + 6 + 5 + 4 + 6 + 4 + 5 + 5", Value{int64_t{47}},
             false);
  ExpectStep(trace, "Σ fg_makes over L10", s8, "8 + 9 + 6 + 10 + 8 + 8 + 10 + 7 + 9 + 11", Value{int64_t{86}}, false);
  ExpectStep(trace, "assisted_rate_last_10", s8, "r9(47 / 86) = r9(0.5465116279069767)", Value{0.546511628}, true);
  ExpectStep(trace, "cache_version", s8, "constant", Value{std::string("v1")}, true);
  // §9: BOS played 01-09 without a player row.
  const std::string actual = "; actual = dates with any PGS row of the player";
  ExpectStep(trace, "L5 window (E)", s9, "the 5 newest BOS TOGS game dates before D" + actual,
             Value{std::string("5 dates: 2025-01-08, 2025-01-09 (no player row), 2025-01-10, 2025-01-11, 2025-01-13")},
             false);
  ExpectStep(trace, "completeness_percentage", s9, "round_py(100.0 × 4 / 5, 1)", Value{80.0}, true);
  ExpectStep(trace, "l10_completeness_pct", s9, "round_py(100.0 × 9 / 10, 1)", Value{90.0}, true);
  ExpectStep(trace, "L7d window (E)", s9, "BOS TOGS game dates in [2025-01-08, 2025-01-14]" + actual,
             Value{std::string("5 dates: 2025-01-08, 2025-01-09 (no player row), 2025-01-10, 2025-01-11, 2025-01-13")},
             false);
  ExpectStep(trace, "l14d_completeness_pct", s9, "round_py(100.0 × 8 / 9, 1)", Value{88.9}, true);
  ExpectStep(trace, "is_production_ready", s9,
             "L5 80.0 ≥ 70 and L10 90.0 ≥ 70 and L7d 80.0 (NULL or ≥ 70) and L14d 88.9 (NULL or ≥ 70)", Value{true},
             true);
  ExpectStep(trace, "quality_tier", s9,
             "tier(80.0): ≥ 95 gold, ≥ 75 silver, ≥ 50 bronze, ≥ 25 poor, else (or NULL) unusable",
             Value{std::string("silver")}, true);
  ExpectStep(trace, "data_hash", s10,
             "first 16 hex of sha256 of the canonical string of the 38 columns of §11 but data_hash, processed_at, "
             "engine_version (tdza.md §14)",
             Value{std::string("5f510edaa2c9fa1d")}, true);
  // Sections appear in computation order, each once: §3, §6, §5, §7, §8, §9, §10.
  std::vector<std::string> sections;
  for (const TraceStep& step : trace) {
    if (sections.empty() || sections.back() != step.spec) sections.push_back(step.spec);
  }
  EXPECT_EQ(sections, (std::vector<std::string>{s3, s6, s5, s7, s8, s9, s10}));
}

TEST(PdcTraceHand, UpgcContextNullIdAndMissingTeam) {
  const HandLeague league = MakeHandLeague();
  {
    // Historical 01-20: aa has a UPGC row with a NULL id (-> PGS row on D).
    const SeasonCalendar calendar(league.schedule, {}, D("2025-01-21"));
    const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
    const Trace trace = processor.TraceEntity(D("2025-01-20"), "aa");
    ExpectStep(trace, "context_source", "pdc.md §3", "UPGC row (player, D) of game 2025-01-20_BOS",
               Value{std::string("upcoming")}, true);
    ExpectStep(trace, "universal_player_id", "pdc.md §3", "UPGC NULL -> the PGS row on D", Value{std::string("aa_001")},
               true);
    ExpectStep(trace, "games_in_last_14_days", "pdc.md §8", "trunc(UPGC 8.0)", Value{int64_t{8}}, true);
    ExpectStep(trace, "points_std_last_10", "pdc.md §8", "r4(sqrt(82.5 / 9)) = r4(3.0276503540974917)", Value{3.0277},
               true);
    EXPECT_EQ(testing::FindStep(trace, "A7 (appearances)"), nullptr);  // no §6 steps for a UPGC context
    // bb: 9 games (early season), no PSZA row on D.
    const Trace bb = processor.TraceEntity(D("2025-01-20"), "bb");
    ExpectStep(bb, "early_season_flag", "pdc.md §7", "n = 9 < 10", Value{true}, true);
    ExpectStep(bb, "insufficient_data_reason", "pdc.md §7", "n = 9 < 10",
               Value{std::string("Only 9 games played, need 10 minimum")}, true);
    ExpectStep(bb, "primary_scoring_zone", "pdc.md §8", "no PSZA row (player, D) -> NULL", Value{}, true);
    ExpectStep(bb, "shot_zone_data_available", "pdc.md §8", "no PSZA row (player, D)", Value{false}, true);
    ExpectStep(bb, "synthetic back_to_backs_last_14_days", "pdc.md §6",
               "dates d of A14 with d − 1 in A14: 2025-01-09, 2025-01-10, 2025-01-11, 2025-01-12, 2025-01-13, "
               "2025-01-14, 2025-01-19",
               Value{int64_t{7}}, false);
    ExpectStep(bb, "L5 window (E)", "pdc.md §9",
               "the 5 newest BOS TOGS game dates before D; actual = dates with any PGS row of the player",
               Value{std::string("5 dates: 2025-01-15 (no player row), 2025-01-16 (no player row), 2025-01-17, "
                                 "2025-01-18, 2025-01-19")},
               false);
  }
  {
    // Upcoming 01-21: bb's UPGC team LAL has no TOGS row; aa comes from the roster fallback.
    const Date d = D("2025-01-21");
    const SeasonCalendar calendar(league.schedule, {}, d);
    const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
    const Trace bb = processor.TraceEntity(d, "bb");
    ExpectStep(bb, "player set", "pdc.md §3", "upcoming D: UPGC row on D (game 2025-01-21_LAL, LAL)",
               Value{std::string("UPGC row on D")}, false);
    ExpectStep(bb, "team_pace_last_10", "pdc.md §8", "no TOGS row of team 'LAL': T10 empty -> NULL", Value{}, true);
    ExpectStep(bb, "completeness_percentage", "pdc.md §9", "expected = 0 -> NULL", Value{}, true);
    ExpectStep(bb, "L7d window (E)", "pdc.md §9",
               "LAL TOGS game dates in [2025-01-14, 2025-01-20]; actual = dates with any PGS row of the player",
               Value{std::string("0 dates")}, false);
    ExpectStep(bb, "player_age", "pdc.md §8", "trunc(UPGC 31.0)", Value{int64_t{31}}, true);
    const Trace aa = processor.TraceEntity(d, "aa");
    ExpectStep(aa, "player set", "pdc.md §3",
               "upcoming D: roster fallback (pcf.md §13.4): BOS plays on D without UPGC rows; latest row of the season "
               "2025-01-20 (game 20250120_NYK_BOS) with BOS",
               Value{std::string("roster fallback")}, false);
    ExpectStep(aa, "team_abbr", "pdc.md §3", "synthetic: the roster row 2025-01-20", Value{std::string("BOS")}, true);
    ExpectStep(aa, "avg_minutes_per_game_last_7", "pdc.md §8", "r4(synthetic 31.4)", Value{31.4}, true);
  }
}

TEST(PdcTraceHand, ExcludedUnknownAndFailedDatesGiveEmptyTrace) {
  HandLeague league = MakeHandLeague();
  league.upgc.push_back(Upgc("zz", D("2025-01-21"), "NYK"));  // UPGC row, no PGS history
  const SeasonCalendar calendar(league.schedule, {}, D("2025-01-21"));
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  const Date d = D("2025-01-20");
  EXPECT_FALSE(processor.TraceEntity(d, "aa").empty());
  EXPECT_TRUE(processor.TraceEntity(d, "dd").empty());  // excluded: 3 games (§7)
  EXPECT_TRUE(processor.TraceEntity(d, "ee").empty());  // UPGC only: not in the historical player set
  EXPECT_TRUE(processor.TraceEntity(d, "ny").empty());  // no PGS row on D
  EXPECT_TRUE(processor.TraceEntity(d, "nobody").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-21"), "zz").empty());  // excluded: 0 games
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-07"), "aa").empty());  // no_players (no schedule, no rows)
  EXPECT_FALSE(processor.ComputeDate(D("2025-01-07")).outcome.ok());
}

// Every row ComputeDate produces is matched by its trace: each non-key column
// has exactly one column step, whose value is the row's cell, bit for bit.
void ExpectTracesMatchRows(const PdcProcessor& processor, Date date, int* rows_checked, int* synthetic_rows) {
  SCOPED_TRACE(date.ToString());
  const PdcDateResult result = processor.ComputeDate(date);
  for (const PdcRow& row : result.rows) {
    SCOPED_TRACE(row.player_lookup);
    const Trace trace = processor.TraceEntity(date, row.player_lookup);
    // Key columns (pdc.md §11 primary key) need no step; no other exception.
    testing::ExpectColumnStepsMatchRow(trace, ToNamedValues(row), "pdc.md", {"player_lookup", "cache_date"});
    ++*rows_checked;
    if (row.context_source == "synthetic") ++*synthetic_rows;
  }
  for (const EntityExclusion& exclusion : result.exclusions) {
    EXPECT_TRUE(processor.TraceEntity(date, exclusion.entity_id).empty()) << exclusion.entity_id;
  }
}

TEST(PdcTraceConsistency, ColumnStepsEqualTheRowOnEveryDate) {
  const League league = MakeLeague();
  const SeasonCalendar calendar(league.schedule, {}, league.today);
  const PdcProcessor processor(league.pgs, league.togs, league.upgc, league.psza, league.schedule, calendar);
  int rows_checked = 0;
  int synthetic_rows = 0;
  for (Date date = D("2024-11-05"); date <= D("2025-01-25"); date = date + 7) {
    ExpectTracesMatchRows(processor, date, &rows_checked, &synthetic_rows);
  }
  ExpectTracesMatchRows(processor, D("2025-01-25"), &rows_checked, &synthetic_rows);  // upcoming: roster fallback
  EXPECT_GT(rows_checked, 150);
  EXPECT_GT(synthetic_rows, 20);
  EXPECT_LT(synthetic_rows, rows_checked);

  const HandLeague hand = MakeHandLeague();
  for (const char* today : {"2025-01-21", "2025-01-20"}) {
    const SeasonCalendar hand_calendar(hand.schedule, {}, D(today));
    const PdcProcessor hand_processor(hand.pgs, hand.togs, hand.upgc, hand.psza, hand.schedule, hand_calendar);
    int hand_rows = 0;
    for (const char* date : {"2025-01-20", "2025-01-21"}) {
      ExpectTracesMatchRows(hand_processor, D(date), &hand_rows, &synthetic_rows);
    }
    EXPECT_GE(hand_rows, 4);
  }
}

// ---------------------------------------------------------------- pipelined feed

// The backfill cascade hands PSZA rows of a date to an already built
// processor (ReserveShotZoneDates + SetShotZoneRows). Whatever the order the
// rows and dates arrive in, the result must be the one of a processor given
// the same rows in its constructor.

using testing::ExpectSameDateResult;

TEST(PdcFeedTest, FedRowsEqualConstructorRows) {
  const League league = MakeLeague();
  const Date unfed = D("2025-01-12");     // NYK @ BOS; reserved, never fed: no PSZA row
  const Date first = D("2025-01-13");     // BOS @ LAL
  const Date refed = D("2025-01-14");     // NYK @ BOS, GSW @ LAL; wrong rows first, then the right ones
  const Date upcoming = D("2025-01-25");  // roster fallback
  const std::vector<Date> dates = {unfed, first, refed, upcoming};

  // PSZA rows whose values depend on player and date, so that a row fed under
  // another date or matched to another player would change a cell. Each
  // date's rows in scrambled order: the processor sorts them.
  std::mt19937 rng(20250114);
  const std::vector<std::string> zones = {"paint", "perimeter", "mid_range"};
  std::map<Date, std::vector<PdcShotZoneInput>> fed_rows;
  std::vector<PdcShotZoneInput> all_rows;
  for (Date date : {first, refed, upcoming}) {
    const int day = date - first;
    std::vector<PdcShotZoneInput>& rows = fed_rows[date];
    for (const std::string team : {"bos", "nyk", "lal", "gsw"}) {
      for (int slot = 1; slot <= 4; ++slot) {
        rows.push_back({team + std::to_string(slot), date, zones[static_cast<size_t>((slot + day) % 3)],
                        20.0 + slot + day * 0.25, 40.0 - slot - day * 0.5});
      }
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
  }
  std::shuffle(all_rows.begin(), all_rows.end(), rng);

  const SeasonCalendar calendar(league.schedule, {}, league.today);
  const PdcProcessor constructed(league.pgs, league.togs, league.upgc, all_rows, league.schedule, calendar);
  PdcProcessor fed(league.pgs, league.togs, league.upgc, {}, league.schedule, calendar);
  fed.ReserveShotZoneDates(dates);
  // A reserved date holds no row yet: the "≥ 1 PSZA row" gate must say no.
  for (Date date : dates) EXPECT_FALSE(fed.HasShotZoneRows(date)) << date.ToString();

  // Wrong rows for `refed`: other values, a zone that sorts before the right
  // ones (an appending setter would find them first) and slot-5 players who
  // get no right row. The right rows below must replace all of them.
  std::vector<PdcShotZoneInput> wrong;
  for (PdcShotZoneInput row : fed_rows[refed]) {
    row.primary_scoring_zone = "WRONG";
    row.paint_rate_last_10 = 99.0;
    row.three_pt_rate_last_10 = 1.0;
    wrong.push_back(row);
  }
  for (const std::string player : {"bos5", "nyk5", "lal5", "gsw5"}) {
    wrong.push_back({player, refed, std::string("WRONG"), 99.0, 1.0});
  }
  fed.SetShotZoneRows(refed, wrong);
  EXPECT_TRUE(fed.HasShotZoneRows(refed));
  for (Date date : {upcoming, refed, first}) fed.SetShotZoneRows(date, fed_rows[date]);

  for (Date date : dates) {
    SCOPED_TRACE(date.ToString());
    EXPECT_EQ(fed.HasShotZoneRows(date), constructed.HasShotZoneRows(date));
    ExpectSameDateResult(constructed.ComputeDate(date), fed.ComputeDate(date));
  }
  EXPECT_FALSE(fed.HasShotZoneRows(unfed));
  EXPECT_TRUE(fed.HasShotZoneRows(first));

  // Not vacuous: the fed date has rows carrying exactly the fed PSZA values,
  // and nothing of the replaced rows survives.
  const PdcDateResult refed_result = fed.ComputeDate(refed);
  ASSERT_TRUE(refed_result.outcome.ok()) << refed_result.outcome.reason;
  ASSERT_GE(refed_result.rows.size(), 10u);
  int with_shot_zone = 0;
  for (const PdcRow& row : refed_result.rows) {
    SCOPED_TRACE(row.player_lookup);
    EXPECT_NE(row.primary_scoring_zone, "WRONG");
    const auto fed_it =
        std::find_if(fed_rows[refed].begin(), fed_rows[refed].end(),
                     [&row](const PdcShotZoneInput& psza) { return psza.player_lookup == row.player_lookup; });
    if (fed_it == fed_rows[refed].end()) {
      EXPECT_FALSE(row.shot_zone_data_available);  // e.g. a slot-5 player of the wrong rows
      continue;
    }
    ++with_shot_zone;
    EXPECT_TRUE(row.shot_zone_data_available);
    EXPECT_EQ(row.primary_scoring_zone, fed_it->primary_scoring_zone);
    EXPECT_EQ(row.paint_rate_last_10, fed_it->paint_rate_last_10);
    EXPECT_EQ(row.three_pt_rate_last_10, fed_it->three_pt_rate_last_10);
  }
  EXPECT_GT(with_shot_zone, 5);
  const PdcDateResult unfed_result = fed.ComputeDate(unfed);
  ASSERT_TRUE(unfed_result.outcome.ok()) << unfed_result.outcome.reason;
  ASSERT_FALSE(unfed_result.rows.empty());
  for (const PdcRow& row : unfed_result.rows) EXPECT_FALSE(row.shot_zone_data_available) << row.player_lookup;
}

}  // namespace
}  // namespace nbapc::processors
