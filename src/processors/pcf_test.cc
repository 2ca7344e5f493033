#include "processors/pcf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
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
using testing::OptString;

Date D(const char* text) { return Date::Parse(text).value(); }

// int(v, d) reading of a vector value: NULL/absent -> nullopt; a JSON float
// truncates toward zero (pcf.md §6).
std::optional<int64_t> OptIntTrunc(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (it->is_number_float()) return static_cast<int64_t>(std::trunc(it->get<double>()));
  return it->get<int64_t>();
}

PcfContext ParseContext(const json& j) {
  PcfContext context;
  context.player_lookup = j.value("player_lookup", "");
  context.universal_player_id = OptString(j, "universal_player_id");
  context.game_id = j.value("game_id", "");
  if (j.contains("game_date")) context.game_date = JsonDate(j.at("game_date"));
  context.team_abbr = j.value("team_abbr", "");
  context.opponent_team_abbr = OptString(j, "opponent_team_abbr");
  context.days_rest = OptIntTrunc(j, "days_rest");
  context.back_to_back = OptBool(j, "back_to_back");
  context.games_in_last_7_days = OptIntTrunc(j, "games_in_last_7_days");
  context.minutes_in_last_7_days = OptDouble(j, "minutes_in_last_7_days");
  context.avg_minutes_per_game_last_7 = OptDouble(j, "avg_minutes_per_game_last_7");
  context.back_to_backs_last_14_days = OptIntTrunc(j, "back_to_backs_last_14_days");
  context.player_age = OptIntTrunc(j, "player_age");
  context.projected_usage_rate = OptDouble(j, "projected_usage_rate");
  context.avg_usage_rate_last_7_games = OptDouble(j, "avg_usage_rate_last_7_games");
  context.star_teammates_out = OptIntTrunc(j, "star_teammates_out");
  context.pace_differential = OptDouble(j, "pace_differential");
  return context;
}

std::optional<PcfShotZoneInput> ParseShot(const json& j) {
  if (j.is_null()) return std::nullopt;
  PcfShotZoneInput shot;
  shot.player_lookup = j.value("player_lookup", "");
  shot.primary_scoring_zone = OptString(j, "primary_scoring_zone");
  shot.paint_rate_last_10 = OptDouble(j, "paint_rate_last_10");
  shot.mid_range_rate_last_10 = OptDouble(j, "mid_range_rate_last_10");
  shot.three_pt_rate_last_10 = OptDouble(j, "three_pt_rate_last_10");
  return shot;
}

std::optional<PcfTeamDefenseInput> ParseDefense(const json& j) {
  if (j.is_null()) return std::nullopt;
  PcfTeamDefenseInput defense;
  defense.team_abbr = j.value("team_abbr", "");
  defense.paint_defense_vs_league_avg = OptDouble(j, "paint_defense_vs_league_avg");
  defense.mid_range_defense_vs_league_avg = OptDouble(j, "mid_range_defense_vs_league_avg");
  defense.three_pt_defense_vs_league_avg = OptDouble(j, "three_pt_defense_vs_league_avg");
  defense.weakest_zone = OptString(j, "weakest_zone");
  return defense;
}

template <typename T>
const T* Ptr(const std::optional<T>& v) {
  return v ? &*v : nullptr;
}

PlayerGame ParsePgs(const json& j, const char* default_lookup = "player") {
  PlayerGame row;
  row.player_lookup = j.value("player_lookup", default_lookup);
  row.universal_player_id = OptString(j, "universal_player_id");
  row.game_date = j.contains("game_date") ? JsonDate(j.at("game_date")) : Date();
  row.game_id = j.value("game_id", "");
  row.season_year = SeasonYear(row.game_date);
  row.team_abbr = j.value("team_abbr", "");
  row.opponent_team_abbr = j.value("opponent_team_abbr", "");
  row.minutes_played = OptDouble(j, "minutes_played");
  row.points = OptIntTrunc(j, "points");
  row.fg_attempts = OptIntTrunc(j, "fg_attempts");
  row.usage_rate = OptDouble(j, "usage_rate");
  return row;
}

UpcomingPlayerContext ParseUpgc(const json& j, const char* default_lookup = "player") {
  UpcomingPlayerContext row;
  row.player_lookup = j.value("player_lookup", default_lookup);
  row.universal_player_id = OptString(j, "universal_player_id");
  row.game_id = j.value("game_id", "");
  row.game_date = j.contains("game_date") ? JsonDate(j.at("game_date")) : Date();
  row.team_abbr = j.value("team_abbr", "");
  row.opponent_team_abbr = j.value("opponent_team_abbr", "");
  row.player_age = OptIntTrunc(j, "player_age");
  return row;
}

TeamOffenseGame ParseTogs(const json& j) {
  TeamOffenseGame row;
  row.team_abbr = j.at("team_abbr").get<std::string>();
  row.game_date = JsonDate(j.at("game_date"));
  row.season_year = SeasonYear(row.game_date);
  row.game_id = row.game_date.ToString() + "_" + row.team_abbr;
  row.pace = OptDouble(j, "pace");
  return row;
}

void ExpectOpt(const std::optional<double>& actual, const json& expected, const char* key) {
  SCOPED_TRACE(key);
  ASSERT_TRUE(expected.contains(key));
  std::optional<double> want = OptDouble(expected, key);
  ASSERT_EQ(actual.has_value(), want.has_value());
  if (want) {
    EXPECT_EQ(*actual, *want);
  }
}

void ExpectOptInt(const std::optional<int64_t>& actual, const json& expected, const char* key) {
  SCOPED_TRACE(key);
  ASSERT_TRUE(expected.contains(key));
  std::optional<int64_t> want = OptIntTrunc(expected, key);
  EXPECT_EQ(actual, want);
}

// Strict comparison of one cell with its expected JSON value (tdza.md §17).
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
void ExpectRecord(const PcfRow& row, const json& expected) {
  NamedValues values = ToNamedValues(row);
  EXPECT_EQ(values.size(), expected.size());
  for (const auto& [column, value] : values) {
    ASSERT_TRUE(expected.contains(std::string(column))) << column;
    ExpectCell(std::string(column), value, expected.at(std::string(column)));
  }
}

void ExpectPlayers(const std::vector<PcfPlayerEntry>& entries, const json& expected) {
  ASSERT_EQ(entries.size(), expected.size());
  for (size_t idx = 0; idx < entries.size(); ++idx) {
    SCOPED_TRACE(idx);
    const PcfContext& c = entries[idx].context;
    const json& want = expected[idx];
    EXPECT_EQ(c.player_lookup, want.at("player_lookup").get<std::string>());
    EXPECT_EQ(PcfContextSourceName(entries[idx].context_source), want.at("context_source").get<std::string>());
    EXPECT_EQ(c.universal_player_id, OptString(want, "universal_player_id"));
    EXPECT_EQ(c.game_id, want.at("game_id").get<std::string>());
    EXPECT_EQ(c.opponent_team_abbr, OptString(want, "opponent_team_abbr"));
  }
}

// §7 ranges of every stored score.
void ExpectScoresInRange(const PcfRow& row) {
  SCOPED_TRACE(row.player_lookup);
  EXPECT_GE(row.fatigue_score, 35);
  EXPECT_LE(row.fatigue_score, 100);
  EXPECT_GE(row.shot_zone_mismatch_score, -10.0);
  EXPECT_LE(row.shot_zone_mismatch_score, 10.0);
  EXPECT_GE(row.pace_score, -3.0);
  EXPECT_LE(row.pace_score, 3.0);
  EXPECT_GE(row.usage_spike_score, -3.0);
  EXPECT_LE(row.usage_spike_score, 3.0);
  EXPECT_EQ(row.referee_favorability_score, 0.0);
  EXPECT_EQ(row.look_ahead_pressure_score, 0.0);
  EXPECT_EQ(row.travel_impact_score, 0.0);
  EXPECT_EQ(row.opponent_strength_score, 0.0);
  EXPECT_GE(row.total_composite_adjustment, -19.25);
  EXPECT_LE(row.total_composite_adjustment, 16.0);
  EXPECT_GE(row.data_completeness_pct, 0.0);
  EXPECT_LE(row.data_completeness_pct, 100.0);
  EXPECT_EQ(std::fmod(row.data_completeness_pct, 20.0), 0.0);
  if (row.context_source == PcfContextSource::kSynthetic) {
    EXPECT_LE(row.data_completeness_pct, 80.0);  // §8: check 2 always fails
    EXPECT_EQ(row.usage_spike_score, 0.0);       // §16 #2: never an invented usage signal
  }
}

// ---------------------------------------------------------------- vectors

TEST(PcfVectors, Fatigue) {
  auto vectors = LoadVectors("pcf", "pcf.fatigue");
  ASSERT_EQ(vectors.size(), 36u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const PcfFatigue fatigue = PcfComputeFatigue(ParseContext(vec["inputs"]));
    const json& want = vec["expected"];
    EXPECT_EQ(fatigue.fatigue_score, want.at("fatigue_score").get<int64_t>());
    EXPECT_EQ(fatigue.fatigue_adjustment, want.at("fatigue_adjustment").get<double>());
    EXPECT_EQ(fatigue.back_to_back_effective, want.at("back_to_back_effective").get<bool>());
  }
}

TEST(PcfVectors, FatigueAdjustment) {
  auto vectors = LoadVectors("pcf", "pcf.fatigue_adjustment");
  ASSERT_EQ(vectors.size(), 7u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    EXPECT_EQ(PcfFatigueAdjustment(vec["inputs"].at("fatigue_score").get<int64_t>()),
              vec["expected"].at("fatigue_adjustment").get<double>());
  }
}

TEST(PcfVectors, ShotZoneMismatch) {
  auto vectors = LoadVectors("pcf", "pcf.shot_zone_mismatch");
  ASSERT_EQ(vectors.size(), 29u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const auto shot = ParseShot(vec["inputs"].at("player_shot"));
    const auto defense = ParseDefense(vec["inputs"].at("team_defense"));
    const PcfFactorScore score = PcfShotZoneMismatch(Ptr(shot), Ptr(defense));
    EXPECT_EQ(score.raw, vec["expected"].at("score_raw").get<double>());
    EXPECT_EQ(score.stored, vec["expected"].at("score_stored").get<double>());
  }
}

TEST(PcfVectors, Pace) {
  auto vectors = LoadVectors("pcf", "pcf.pace");
  ASSERT_EQ(vectors.size(), 19u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const PcfFactorScore score = PcfPace(OptDouble(vec["inputs"], "pace_differential"));
    EXPECT_EQ(score.raw, vec["expected"].at("score_raw").get<double>());
    EXPECT_EQ(score.stored, vec["expected"].at("score_stored").get<double>());
    EXPECT_FALSE(std::signbit(score.stored) && score.stored == 0.0);  // -0.04 -> +0.0
  }
}

TEST(PcfVectors, UsageSpike) {
  auto vectors = LoadVectors("pcf", "pcf.usage_spike");
  ASSERT_EQ(vectors.size(), 22u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const PcfUsageSpike usage =
        PcfComputeUsageSpike(OptDouble(in, "projected_usage_rate"), OptDouble(in, "avg_usage_rate_last_7_games"),
                             OptIntTrunc(in, "star_teammates_out"));
    EXPECT_EQ(usage.usage_differential, vec["expected"].at("usage_differential").get<double>());
    EXPECT_EQ(usage.score.raw, vec["expected"].at("score_raw").get<double>());
    EXPECT_EQ(usage.score.stored, vec["expected"].at("score_stored").get<double>());
  }
}

TEST(PcfVectors, TotalCompositeAdjustment) {
  auto vectors = LoadVectors("pcf", "pcf.total_composite_adjustment");
  ASSERT_EQ(vectors.size(), 7u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const PcfTotal total =
        PcfTotalCompositeAdjustment(in.at("fatigue_score").get<int64_t>(), in.at("shot_zone_raw").get<double>(),
                                    in.at("pace_raw").get<double>(), in.at("usage_raw").get<double>());
    EXPECT_EQ(total.raw, vec["expected"].at("total_raw").get<double>());
    EXPECT_EQ(total.stored, vec["expected"].at("total_stored").get<double>());
  }
}

TEST(PcfVectors, DataCompleteness) {
  auto vectors = LoadVectors("pcf", "pcf.data_completeness");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const PcfCompleteness completeness =
        PcfDataCompleteness(ParseContext(in.at("context")), in.at("player_shot_present").get<bool>(),
                            in.at("team_defense_present").get<bool>());
    EXPECT_EQ(completeness.data_completeness_pct, vec["expected"].at("data_completeness_pct").get<double>());
    EXPECT_EQ(completeness.missing_data_fields, OptString(vec["expected"], "missing_data_fields"));
  }
}

TEST(PcfVectors, Warnings) {
  auto vectors = LoadVectors("pcf", "pcf.warnings");
  ASSERT_EQ(vectors.size(), 12u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const PcfWarnings warnings = PcfComputeWarnings(
        in.at("fatigue_score").get<int64_t>(), in.at("shot_zone_raw").get<double>(), in.at("total_raw").get<double>());
    EXPECT_EQ(warnings.has_warnings, vec["expected"].at("has_warnings").get<bool>());
    EXPECT_EQ(warnings.warning_details, OptString(vec["expected"], "warning_details"));
  }
}

TEST(PcfVectors, ComputeRow) {
  auto vectors = LoadVectors("pcf", "pcf.compute_row");
  ASSERT_EQ(vectors.size(), 12u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const std::string source = in.at("context_source").get<std::string>();
    ASSERT_TRUE(source == "upcoming" || source == "synthetic");
    const auto shot = ParseShot(in.at("player_shot"));
    const auto defense = ParseDefense(in.at("team_defense"));
    const PcfRow row = PcfComputeRow(JsonDate(in.at("analysis_date")),
                                     source == "upcoming" ? PcfContextSource::kUpcoming : PcfContextSource::kSynthetic,
                                     ParseContext(in.at("context")), Ptr(shot), Ptr(defense));
    ExpectRecord(row, vec["expected"]);
    EXPECT_EQ(PcfDataHash(row), vec["expected"].at("data_hash").get<std::string>());
    ExpectScoresInRange(row);
  }
}

TEST(PcfVectors, SyntheticHistory) {
  auto vectors = LoadVectors("pcf", "pcf.synthetic_history");
  ASSERT_EQ(vectors.size(), 15u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    std::vector<PlayerGame> pgs;
    for (const json& row : in.at("pgs_rows")) pgs.push_back(ParsePgs(row));
    std::vector<UpcomingPlayerContext> upgc;
    for (const json& row : in.at("upgc_rows")) upgc.push_back(ParseUpgc(row));
    const PcfContext c = PcfSyntheticHistory(JsonDate(in.at("analysis_date")), pgs, upgc);
    const json& want = vec["expected"];
    EXPECT_EQ(want.size(), 10u);
    ExpectOptInt(c.days_rest, want, "days_rest");
    EXPECT_EQ(c.back_to_back, OptBool(want, "back_to_back"));
    ExpectOptInt(c.games_in_last_7_days, want, "games_in_last_7_days");
    ExpectOpt(c.minutes_in_last_7_days, want, "minutes_in_last_7_days");
    ExpectOpt(c.avg_minutes_per_game_last_7, want, "avg_minutes_per_game_last_7");
    ExpectOptInt(c.back_to_backs_last_14_days, want, "back_to_backs_last_14_days");
    ExpectOpt(c.avg_usage_rate_last_7_games, want, "avg_usage_rate_last_7_games");
    ExpectOptInt(c.player_age, want, "player_age");
    ExpectOpt(c.projected_usage_rate, want, "projected_usage_rate");
    ExpectOptInt(c.star_teammates_out, want, "star_teammates_out");
    // Integral minutes (§13.2: rounded with llround) are whole numbers.
    if (c.minutes_in_last_7_days) {
      EXPECT_EQ(*c.minutes_in_last_7_days, std::trunc(*c.minutes_in_last_7_days));
    }
  }
}

TEST(PcfVectors, SyntheticPace) {
  auto vectors = LoadVectors("pcf", "pcf.synthetic_pace");
  ASSERT_EQ(vectors.size(), 4u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    std::vector<TeamOffenseGame> togs;
    for (const json& row : in.at("togs_rows")) togs.push_back(ParseTogs(row));
    const PcfSyntheticPace pace =
        PcfComputeSyntheticPace(JsonDate(in.at("analysis_date")), in.at("team_abbr").get<std::string>(),
                                in.at("opponent_team_abbr").get<std::string>(), togs);
    const json& want = vec["expected"];
    ExpectOpt(pace.team_pace_l10, want, "team_pace_l10");
    ExpectOpt(pace.opponent_pace_l10, want, "opponent_pace_l10");
    ExpectOpt(pace.league_avg_pace, want, "league_avg_pace");
    ExpectOpt(pace.pace_differential, want, "pace_differential");
  }
}

TEST(PcfVectors, PlayerSetHistorical) {
  auto vectors = LoadVectors("pcf", "pcf.player_set_historical");
  ASSERT_EQ(vectors.size(), 1u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const Date d = JsonDate(in.at("analysis_date"));
    std::vector<PcfPgsIdentity> pgs;
    for (const json& row : in.at("pgs_rows_on_date")) {
      PlayerGame game = ParsePgs(row);
      game.game_date = d;
      pgs.push_back(PcfIdentityOf(game));
    }
    std::vector<PcfContext> upgc;
    for (const json& row : in.at("upgc_rows_on_date")) upgc.push_back(ParseContext(row));
    ExpectPlayers(PcfHistoricalPlayers(d, pgs, upgc), vec["expected"].at("players"));
  }
}

TEST(PcfVectors, PlayerSetUpcoming) {
  auto vectors = LoadVectors("pcf", "pcf.player_set_upcoming");
  ASSERT_EQ(vectors.size(), 1u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    const Date d = JsonDate(in.at("analysis_date"));
    std::vector<ScheduleGame> schedule;
    for (const json& row : in.at("schedule_games_on_date")) {
      ScheduleGame game;
      game.game_id = row.at("game_id").get<std::string>();
      game.game_date = d;
      game.season_year = SeasonYear(d);
      game.home_team_abbr = row.at("home_team_abbr").get<std::string>();
      game.away_team_abbr = row.at("away_team_abbr").get<std::string>();
      game.game_type = GameType::kRegularSeason;
      game.game_status = row.value("postponed", false) ? GameStatus::kPostponed : GameStatus::kScheduled;
      schedule.push_back(game);
    }
    std::vector<PcfContext> upgc;
    for (const json& row : in.at("upgc_rows_on_date")) upgc.push_back(ParseContext(row));
    std::vector<PlayerGame> pgs;
    for (const json& row : in.at("pgs_rows_before_date")) {
      PlayerGame game = ParsePgs(row);
      game.minutes_played = 30.0;
      pgs.push_back(game);
    }
    const PcfPlayerIndex index(pgs, {});
    ExpectPlayers(PcfUpcomingPlayers(d, schedule, upgc, index), vec["expected"].at("players"));
  }
}

// ---------------------------------------------------------------- hand-computed

TEST(PcfHand, JsonStringEscapesLikePython) {
  EXPECT_EQ(PcfJsonString("paint"), "\"paint\"");
  EXPECT_EQ(PcfJsonString("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(PcfJsonString(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(PcfJsonString("D\xc4\x81vis"), "\"D\\u0101vis\"");         // ā
  EXPECT_EQ(PcfJsonString("\xf0\x9f\x8f\x80"), "\"\\ud83c\\udfc0\"");  // U+1F3C0
}

TEST(PcfHand, ShotZoneJsonKeepsUnknownStrings) {
  PcfShotZoneInput shot;
  shot.primary_scoring_zone = "balanced";
  shot.paint_rate_last_10 = 25.0;
  PcfTeamDefenseInput defense;
  defense.paint_defense_vs_league_avg = -2.0;
  PcfContext context;
  context.player_lookup = "someone";
  context.game_id = "20240110_NYK_BOS";
  const PcfRow row = PcfComputeRow(D("2024-01-10"), PcfContextSource::kUpcoming, context, &shot, &defense);
  // balanced -> paint pair: -2.0 * 0.5 = -1.0.
  EXPECT_EQ(row.shot_zone_context_json,
            "{\"player_primary_zone\": \"balanced\", \"opponent_weak_zone\": \"unknown\", \"final_score\": -1.0}");
  EXPECT_EQ(row.shot_zone_mismatch_score, -1.0);
  // Every context field NULL: §7.1 defaults in the fatigue JSON.
  EXPECT_EQ(row.fatigue_context_json,
            "{\"days_rest\": 1, \"back_to_back\": false, \"games_last_7\": 3, \"minutes_last_7\": 200.0, "
            "\"avg_minutes_pg_last_7\": 30.0, \"back_to_backs_last_14\": 0, \"player_age\": 25, \"final_score\": 100}");
  EXPECT_EQ(row.data_completeness_pct, 40.0);
  EXPECT_EQ(row.missing_data_fields, "days_rest, projected_usage_rate, pace_differential");
}

TEST(PcfHand, NamedValuesFollowSchemaOrder) {
  const store::TableDef table = store::PcfTableDef();
  EXPECT_EQ(table.FullName(), "nba_precompute.player_composite_factors");
  EXPECT_EQ(table.kind, store::TableKind::kOutput);
  EXPECT_EQ(table.key, (std::vector<std::string>{"player_lookup", "game_date"}));
  EXPECT_EQ(table.date_column, "game_date");
  ASSERT_EQ(table.columns.size(), 29u);
  EXPECT_EQ(table.columns[27].name, "processed_at");
  EXPECT_EQ(table.columns[27].type, store::ColumnType::kTimestamp);
  EXPECT_EQ(table.columns[28].name, "engine_version");
  PcfContext context;
  context.player_lookup = "someone";
  const NamedValues values =
      ToNamedValues(PcfComputeRow(D("2024-01-10"), PcfContextSource::kSynthetic, context, nullptr, nullptr));
  ASSERT_EQ(values.size(), 27u);
  for (size_t idx = 0; idx < values.size(); ++idx) {
    EXPECT_EQ(values[idx].first, table.columns[idx].name);
    // NOT NULL columns never receive NULL.
    if (!table.columns[idx].nullable) {
      EXPECT_FALSE(IsNull(values[idx].second)) << values[idx].first;
    }
  }
  const store::ColumnDef* total = table.FindColumn("total_composite_adjustment");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->type, store::ColumnType::kNumeric);
  EXPECT_EQ(total->scale, 2);
  EXPECT_EQ(table.FindColumn("shot_zone_mismatch_score")->scale, 1);
  EXPECT_EQ(table.FindColumn("data_completeness_pct")->scale, 2);
  EXPECT_EQ(table.FindColumn("fatigue_score")->type, store::ColumnType::kInteger);
}

// The §13.5 world: D = 2024-01-10 (historical: NYK at BOS final), jalenbrunson
// (synthetic: no UPGC row on D) and a BOS player with a real UPGC row.
struct World {
  std::vector<PlayerGame> pgs;
  std::vector<TeamOffenseGame> togs;
  std::vector<UpcomingPlayerContext> upgc;
  std::vector<ScheduleGame> schedule;
  std::vector<PcfTeamDefenseInput> tdza;
  std::vector<PcfShotZoneInput> psza;
  std::vector<Date> tdza_success;
  std::vector<Date> psza_success;

  PcfInputs Inputs() const {
    PcfInputs inputs;
    inputs.pgs = pgs;
    inputs.togs = togs;
    inputs.upgc = upgc;
    inputs.schedule = schedule;
    inputs.tdza = tdza;
    inputs.psza = psza;
    inputs.tdza_success_dates = tdza_success;
    inputs.psza_success_dates = psza_success;
    return inputs;
  }
};

ScheduleGame MakeGame(const std::string& game_id, Date date, const std::string& away, const std::string& home,
                      GameStatus status) {
  ScheduleGame game;
  game.game_id = game_id;
  game.game_date = date;
  game.season_year = SeasonYear(date);
  game.away_team_abbr = away;
  game.home_team_abbr = home;
  game.game_type = GameType::kRegularSeason;
  game.game_status = status;
  return game;
}

// The compute_row vector of the §13.5 worked example.
json WorkedExampleRowVector() {
  for (const json& vec : LoadVectors("pcf", "pcf.compute_row")) {
    if (vec.at("name") == "row/worked_example_synthetic") return vec;
  }
  ADD_FAILURE() << "row/worked_example_synthetic not found";
  return json::object();
}

World WorkedExampleWorld() {
  World world;
  const Date d = D("2024-01-10");
  // PGS history of §13.5 (the row on D is identity only).
  const std::vector<json> history_vectors = LoadVectors("pcf", "pcf.synthetic_history");
  for (const json& row : history_vectors.at(0).at("inputs").at("pgs_rows")) {
    PlayerGame game = ParsePgs(row, "jalenbrunson");
    game.universal_player_id = "jalenbrunson_001";
    game.team_abbr = "NYK";
    game.opponent_team_abbr = "BOS";
    game.game_id = PcfPhase3GameId(game.game_date, "NYK", "BOS");
    world.pgs.push_back(game);
  }
  UpcomingPlayerContext age_row;
  age_row.player_lookup = "jalenbrunson";
  age_row.game_id = "20231220_NYK_MIA";
  age_row.game_date = D("2023-12-20");
  age_row.team_abbr = "NYK";
  age_row.opponent_team_abbr = "MIA";
  age_row.player_age = 27;
  world.upgc.push_back(age_row);
  const std::vector<json> pace_vectors = LoadVectors("pcf", "pcf.synthetic_pace");
  for (const json& row : pace_vectors.at(0).at("inputs").at("togs_rows")) {
    world.togs.push_back(ParseTogs(row));
  }
  // A BOS player with a real context on D (upstream-style back_to_back = false
  // with days_rest 0) and a PGS row on D.
  PlayerGame real_game;
  real_game.player_lookup = "realplayer";
  real_game.universal_player_id = "realplayer_001";
  real_game.game_id = "20240110_NYK_BOS";
  real_game.game_date = d;
  real_game.season_year = 2023;
  real_game.team_abbr = "BOS";
  real_game.opponent_team_abbr = "NYK";
  real_game.minutes_played = 31.0;
  real_game.points = 14;
  real_game.fg_attempts = 11;
  world.pgs.push_back(real_game);
  UpcomingPlayerContext real;
  real.player_lookup = "realplayer";
  real.universal_player_id = "realplayer_001";
  real.game_id = "20240110_NYK_BOS";
  real.game_date = d;
  real.team_abbr = "BOS";
  real.opponent_team_abbr = "NYK";
  real.days_rest = 0;
  real.back_to_back = false;
  real.games_in_last_7_days = 4;
  real.minutes_in_last_7_days = 150;
  real.avg_minutes_per_game_last_7 = 30.0;
  real.back_to_backs_last_14_days = 1;
  real.player_age = 31;
  real.projected_usage_rate = 24.0;
  real.avg_usage_rate_last_7_games = 22.0;
  real.star_teammates_out = 1;
  real.pace_differential = 2.4;
  world.upgc.push_back(real);
  // UPGC player without a PGS row on D: not processed on a historical date.
  UpcomingPlayerContext absent = real;
  absent.player_lookup = "absentplayer";
  world.upgc.push_back(absent);

  world.schedule.push_back(MakeGame("0022300001", D("2023-10-24"), "LAL", "DEN", GameStatus::kFinal));
  world.schedule.push_back(MakeGame("0022300555", d, "NYK", "BOS", GameStatus::kFinal));

  const json row_inputs = WorkedExampleRowVector().at("inputs");
  EXPECT_EQ(row_inputs.at("context_source").get<std::string>(), "synthetic");
  PcfShotZoneInput shot = *ParseShot(row_inputs.at("player_shot"));
  shot.analysis_date = d;
  world.psza.push_back(shot);
  PcfShotZoneInput real_shot;
  real_shot.player_lookup = "realplayer";
  real_shot.analysis_date = d;
  real_shot.primary_scoring_zone = "paint";
  real_shot.paint_rate_last_10 = 60.0;
  world.psza.push_back(real_shot);
  // TDZA for BOS only: NYK (realplayer's opponent) has no row.
  PcfTeamDefenseInput defense = *ParseDefense(row_inputs.at("team_defense"));
  defense.analysis_date = d;
  world.tdza.push_back(defense);
  return world;
}

SeasonCalendar CalendarOf(const World& world, Date today) {
  std::set<Date> dates;
  for (const PlayerGame& row : world.pgs) dates.insert(row.game_date);
  return SeasonCalendar(world.schedule, std::vector<Date>(dates.begin(), dates.end()), today);
}

TEST(PcfHand, WorkedExampleSyntheticAndRealContext) {
  const World world = WorkedExampleWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
  const PcfProcessor processor(world.Inputs(), calendar);
  const PcfDateResult result = processor.ComputeDate(D("2024-01-10"));
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  ASSERT_EQ(result.rows.size(), 2u);  // absentplayer has no PGS row on D
  EXPECT_TRUE(result.exclusions.empty());
  EXPECT_EQ(result.stats.players_processed, 2);
  EXPECT_EQ(result.stats.players_upcoming_context, 1);
  EXPECT_EQ(result.stats.players_synthetic_context, 1);

  // Synthetic: exactly the spec's worked example row (§13.5).
  const PcfRow& brunson = result.rows[0];
  EXPECT_EQ(brunson.player_lookup, "jalenbrunson");
  ExpectRecord(brunson, WorkedExampleRowVector().at("expected"));
  EXPECT_EQ(brunson.context_source, PcfContextSource::kSynthetic);
  EXPECT_EQ(brunson.data_hash, "669165c040b5529c");
  EXPECT_EQ(brunson.fatigue_score, 55);  // back-to-back: days_rest 0 from 01-09
  ExpectScoresInRange(brunson);

  // Real context, back-to-back via days_rest = 0, opponent NYK has no TDZA row.
  const PcfRow& real = result.rows[1];
  EXPECT_EQ(real.player_lookup, "realplayer");
  EXPECT_EQ(real.context_source, PcfContextSource::kUpcoming);
  EXPECT_EQ(real.universal_player_id, "realplayer_001");
  EXPECT_EQ(real.game_id, "20240110_NYK_BOS");
  // 100 - 15 (b2b) - 10 (4 games) - 5 (one b2b in 14 days) - 5 (age 31) = 65.
  EXPECT_EQ(real.fatigue_score, 65);
  EXPECT_EQ(real.shot_zone_mismatch_score, 0.0);
  EXPECT_EQ(real.pace_score, 1.2);         // 2.4 / 2
  EXPECT_EQ(real.usage_spike_score, 0.7);  // (24 - 22) * 0.3 * 1.15 = 0.69
  // -1.75 + 0.0 + 1.2 + 0.69 = 0.1399999999999999 -> 0.14.
  EXPECT_EQ(real.total_composite_adjustment, 0.14);
  EXPECT_EQ(real.fatigue_context_json,
            "{\"days_rest\": 0, \"back_to_back\": true, \"games_last_7\": 4, \"minutes_last_7\": 150.0, "
            "\"avg_minutes_pg_last_7\": 30.0, \"back_to_backs_last_14\": 1, \"player_age\": 31, \"final_score\": 65}");
  EXPECT_EQ(real.shot_zone_context_json, "{\"missing_data\": true}");
  EXPECT_EQ(real.pace_context_json, "{\"pace_differential\": 2.4, \"final_score\": 1.2}");
  EXPECT_EQ(real.usage_context_json,
            "{\"projected_usage_rate\": 24.0, \"avg_usage_last_7\": 22.0, \"usage_differential\": 2.0, "
            "\"star_teammates_out\": 1, \"final_score\": 0.69}");
  EXPECT_EQ(real.data_completeness_pct, 80.0);
  EXPECT_EQ(real.missing_data_fields, "team_defense_zone");
  EXPECT_FALSE(real.has_warnings);
  EXPECT_EQ(real.warning_details, std::nullopt);
  EXPECT_EQ(real.early_season_flag, std::nullopt);
  EXPECT_EQ(real.insufficient_data_reason, std::nullopt);
  EXPECT_EQ(real.calculation_version, "v1_4factors");
  EXPECT_EQ(real.data_hash, PcfDataHash(real));
  ExpectScoresInRange(real);
}

TEST(PcfHand, DependencyGateAndDateFailures) {
  const Date d = D("2024-01-10");
  {
    World world = WorkedExampleWorld();
    world.tdza.clear();
    const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
    const PcfDateResult result = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    EXPECT_FALSE(result.outcome.ok());
    EXPECT_EQ(result.outcome.reason_code, "missing_dependency");
    EXPECT_EQ(result.outcome.reason,
              "missing_dependency: missing dependency: nba_precompute.team_defense_zone_analysis for 2024-01-10");
    EXPECT_TRUE(result.rows.empty());
    // A success outcome in run history passes the gate with 0 rows: defence missing for all.
    world.tdza_success.push_back(d);
    const PcfDateResult gated = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    ASSERT_TRUE(gated.outcome.ok()) << gated.outcome.reason;
    for (const PcfRow& row : gated.rows) EXPECT_EQ(row.shot_zone_context_json, "{\"missing_data\": true}");
  }
  {
    World world = WorkedExampleWorld();
    world.psza.clear();
    const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
    const PcfDateResult result = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    EXPECT_EQ(result.outcome.reason,
              "missing_dependency: missing dependency: nba_precompute.player_shot_zone_analysis for 2024-01-10");
    world.psza_success.push_back(d);
    EXPECT_TRUE(PcfProcessor(world.Inputs(), calendar).ComputeDate(d).outcome.ok());
  }
  {
    // Historical D (final game in the schedule) without PGS rows on D.
    World world = WorkedExampleWorld();
    std::erase_if(world.pgs, [&](const PlayerGame& row) { return row.game_date == d; });
    const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
    const PcfDateResult result = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    EXPECT_EQ(result.outcome.reason_code, "missing_input");
    EXPECT_EQ(result.outcome.reason, "missing_input: player_game_summary has no rows for 2024-01-10");
  }
  {
    // Upcoming D (scheduled game) with neither UPGC rows nor rosters.
    World world = WorkedExampleWorld();
    world.schedule[1].game_status = GameStatus::kScheduled;
    std::erase_if(world.pgs, [&](const PlayerGame& row) { return row.game_date <= d; });
    std::erase_if(world.upgc, [&](const UpcomingPlayerContext& row) { return row.game_date == d; });
    const SeasonCalendar calendar = CalendarOf(world, D("2024-01-10"));
    const PcfDateResult result = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    EXPECT_EQ(result.outcome.reason_code, "no_players");
    EXPECT_EQ(result.outcome.reason, "no_players: no players for 2024-01-10");
  }
}

TEST(PcfHand, UpcomingDateUsesRosterFallback) {
  // The same world, but D's game is still scheduled: realplayer keeps his UPGC
  // row (BOS has UPGC), NYK has none so jalenbrunson comes from the roster.
  World world = WorkedExampleWorld();
  const Date d = D("2024-01-10");
  world.schedule[1].game_status = GameStatus::kScheduled;
  std::erase_if(world.pgs, [&](const PlayerGame& row) { return row.game_date >= d; });
  const SeasonCalendar calendar = CalendarOf(world, d);
  const PcfDateResult result = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  ASSERT_EQ(result.rows.size(), 3u);  // absentplayer (UPGC, BOS) now counts
  EXPECT_EQ(result.rows[0].player_lookup, "absentplayer");
  EXPECT_EQ(result.rows[1].player_lookup, "jalenbrunson");
  EXPECT_EQ(result.rows[2].player_lookup, "realplayer");
  EXPECT_EQ(result.stats.players_upcoming_context, 2);
  EXPECT_EQ(result.stats.players_synthetic_context, 1);
  // The roster player gets the same synthetic row as on the historical date.
  ExpectRecord(result.rows[1], WorkedExampleRowVector().at("expected"));
}

// ---------------------------------------------------------------- random world

// A deterministic season: 6 teams, 5 players each (one trade), games on 3 of
// every 4 days, partial UPGC coverage, PSZA/TDZA with holes, games after
// 2024-01-20 still scheduled ("today" 2024-01-21).
World RandomWorld() {
  World world;
  std::mt19937 rng(20240110u);
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<uint32_t>(hi - lo + 1)); };
  const std::vector<std::string> teams = {"ATL", "BOS", "CHI", "DEN", "LAL", "NYK"};
  const Date opener = D("2023-10-24");
  const Date last_final = D("2024-01-20");
  const Date last_day = D("2024-01-26");
  auto player_of = [&](size_t team_idx, int slot) {
    std::string team = teams[team_idx];
    std::transform(team.begin(), team.end(), team.begin(), [](char c) { return static_cast<char>(c - 'A' + 'a'); });
    return team + "player" + std::to_string(slot);
  };
  int game_number = 0;
  for (Date date = opener; date <= last_day; date = date + 1) {
    const int day = date - opener;
    if (day % 4 == 3) continue;
    const bool final_game = date <= last_final;
    std::vector<size_t> order = {0, 1, 2, 3, 4, 5};
    std::rotate(order.begin(), order.begin() + (day % 5), order.end());
    for (size_t pair = 0; pair < 3; ++pair) {
      const size_t away = order[2 * pair];
      const size_t home = order[2 * pair + 1];
      const std::string game_id = PcfPhase3GameId(date, teams[away], teams[home]);
      world.schedule.push_back(MakeGame("00223" + std::to_string(10000 + game_number++), date, teams[away], teams[home],
                                        final_game ? GameStatus::kFinal : GameStatus::kScheduled));
      for (size_t side = 0; side < 2; ++side) {
        const size_t team_idx = side == 0 ? away : home;
        const size_t opp_idx = side == 0 ? home : away;
        if (final_game) {
          TeamOffenseGame togs;
          togs.game_id = game_id;
          togs.game_date = date;
          togs.season_year = 2023;
          togs.team_abbr = teams[team_idx];
          togs.opponent_team_abbr = teams[opp_idx];
          if (uniform(0, 19) != 0) togs.pace = 95.0 + uniform(0, 100) / 10.0;
          world.togs.push_back(togs);
        }
        for (int slot = 0; slot < 5; ++slot) {
          std::string lookup = player_of(team_idx, slot);
          // Trade: atlplayer4 plays for BOS from 2023-12-15 on.
          if (lookup == "atlplayer4" && date >= D("2023-12-15")) continue;
          if (team_idx == 1 && slot == 4 && date >= D("2023-12-15")) lookup = "atlplayer4";
          if (final_game && uniform(0, 9) != 0) {  // some players miss games
            PlayerGame pgs;
            pgs.player_lookup = lookup;
            pgs.universal_player_id = lookup + "_001";
            pgs.game_id = game_id;
            pgs.game_date = date;
            pgs.season_year = 2023;
            pgs.team_abbr = teams[team_idx];
            pgs.opponent_team_abbr = teams[opp_idx];
            const int kind = uniform(0, 9);
            if (kind == 0) {  // DNP
              pgs.points = 0;
              pgs.fg_attempts = 0;
            } else {
              if (kind != 1) pgs.minutes_played = static_cast<double>(uniform(5, 42));
              pgs.points = uniform(0, 35);
              pgs.fg_attempts = uniform(1, 25);
              if (kind != 2) pgs.usage_rate = uniform(800, 3800) / 100.0;
            }
            world.pgs.push_back(pgs);
          }
          // UPGC for even-indexed teams on days divisible by 3, and on every
          // upcoming date for ATL / CHI / LAL.
          const bool has_upgc = final_game ? (team_idx % 2 == 0 && day % 3 == 0) : (team_idx % 2 == 0);
          if (has_upgc) {
            UpcomingPlayerContext upgc;
            upgc.player_lookup = lookup;
            upgc.universal_player_id = lookup + "_001";
            upgc.game_id = game_id;
            upgc.game_date = date;
            upgc.team_abbr = teams[team_idx];
            upgc.opponent_team_abbr = teams[opp_idx];
            upgc.days_rest = uniform(0, 3);
            upgc.back_to_back = *upgc.days_rest == 0;
            upgc.games_in_last_7_days = uniform(1, 5);
            upgc.minutes_in_last_7_days = uniform(40, 260);
            upgc.avg_minutes_per_game_last_7 = uniform(100, 400) / 10.0;
            upgc.back_to_backs_last_14_days = uniform(0, 3);
            if (uniform(0, 3) != 0) upgc.player_age = uniform(19, 40);
            if (uniform(0, 2) != 0) upgc.projected_usage_rate = uniform(800, 3800) / 100.0;
            upgc.avg_usage_rate_last_7_games = uniform(800, 3800) / 100.0;
            upgc.star_teammates_out = uniform(0, 2);
            if (uniform(0, 4) != 0) upgc.pace_differential = uniform(-80, 80) / 10.0;
            world.upgc.push_back(upgc);
          }
          if (uniform(0, 7) != 0) {
            PcfShotZoneInput shot;
            shot.player_lookup = lookup;
            shot.analysis_date = date;
            const char* zones[] = {"paint", "mid_range", "perimeter", "balanced"};
            if (uniform(0, 5) != 0) shot.primary_scoring_zone = zones[uniform(0, 3)];
            shot.paint_rate_last_10 = uniform(0, 1000) / 10.0;
            shot.mid_range_rate_last_10 = uniform(0, 1000) / 10.0;
            if (uniform(0, 5) != 0) shot.three_pt_rate_last_10 = uniform(0, 1000) / 10.0;
            world.psza.push_back(shot);
          }
        }
        if (uniform(0, 6) != 0) {
          PcfTeamDefenseInput defense;
          defense.team_abbr = teams[team_idx];
          defense.analysis_date = date;
          defense.paint_defense_vs_league_avg = uniform(-120, 120) / 10.0;
          defense.mid_range_defense_vs_league_avg = uniform(-120, 120) / 10.0;
          if (uniform(0, 5) != 0) defense.three_pt_defense_vs_league_avg = uniform(-120, 120) / 10.0;
          if (uniform(0, 3) != 0) defense.weakest_zone = "paint";
          world.tdza.push_back(defense);
        }
      }
    }
  }
  return world;
}

// Non-bootstrap game dates of the random world.
std::vector<Date> RandomWorldDates(const SeasonCalendar& calendar) {
  std::vector<Date> out;
  for (Date date : calendar.PlanRange(D("2023-10-24"), D("2024-01-26")).game_dates) {
    if (!calendar.IsBootstrap(date)) out.push_back(date);
  }
  return out;
}

// A byte-comparable image of one date's result.
std::vector<NamedValues> RowsImage(const PcfDateResult& result) {
  std::vector<NamedValues> out;
  for (const PcfRow& row : result.rows) out.push_back(ToNamedValues(row));
  return out;
}

struct DateImage {
  bool ok = false;
  std::string reason;
  std::vector<NamedValues> rows;
  int64_t processed = 0;
  int64_t upcoming = 0;
  int64_t synthetic = 0;
  bool operator==(const DateImage&) const = default;
};

DateImage ImageOf(const PcfDateResult& result) {
  return DateImage{result.outcome.ok(),
                   result.outcome.reason,
                   RowsImage(result),
                   result.stats.players_processed,
                   result.stats.players_upcoming_context,
                   result.stats.players_synthetic_context};
}

std::vector<DateImage> ComputeAll(const PcfProcessor& processor, const std::vector<Date>& dates, int threads) {
  std::vector<DateImage> out(dates.size());
  std::vector<std::thread> workers;
  for (int worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      for (size_t idx = static_cast<size_t>(worker); idx < dates.size(); idx += static_cast<size_t>(threads)) {
        out[idx] = ImageOf(processor.ComputeDate(dates[idx]));
      }
    });
  }
  for (std::thread& t : workers) t.join();
  return out;
}

TEST(PcfRandomWorld, EveryDateSucceedsWithScoresInRange) {
  const World world = RandomWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
  const PcfProcessor processor(world.Inputs(), calendar);
  const std::vector<Date> dates = RandomWorldDates(calendar);
  ASSERT_GT(dates.size(), 50u);
  int64_t synthetic = 0;
  int64_t upcoming = 0;
  int upcoming_dates = 0;
  for (Date date : dates) {
    SCOPED_TRACE(date.ToString());
    const PcfDateResult result = processor.ComputeDate(date);
    ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
    if (!calendar.IsHistorical(date)) ++upcoming_dates;
    EXPECT_EQ(result.stats.players_processed, static_cast<int64_t>(result.rows.size()));
    EXPECT_EQ(result.stats.players_upcoming_context + result.stats.players_synthetic_context,
              result.stats.players_processed);
    synthetic += result.stats.players_synthetic_context;
    upcoming += result.stats.players_upcoming_context;
    for (size_t idx = 0; idx < result.rows.size(); ++idx) {
      const PcfRow& row = result.rows[idx];
      if (idx > 0) {
        EXPECT_LT(result.rows[idx - 1].player_lookup, row.player_lookup);
      }
      EXPECT_EQ(row.game_date, date);
      EXPECT_EQ(row.analysis_date, date);
      EXPECT_EQ(row.data_hash, PcfDataHash(row));
      ExpectScoresInRange(row);
    }
  }
  EXPECT_GT(upcoming_dates, 0);
  EXPECT_GT(synthetic, 0);
  EXPECT_GT(upcoming, 0);
}

TEST(PcfPointInTime, StatisticsOnOrAfterDNeverChangeD) {
  const World base = RandomWorld();
  const Date d = D("2024-01-10");  // day 78: games on D and D-1, UPGC for some teams
  const SeasonCalendar base_calendar = CalendarOf(base, D("2024-01-21"));
  ASSERT_TRUE(base_calendar.IsHistorical(d));
  const PcfDateResult before = PcfProcessor(base.Inputs(), base_calendar).ComputeDate(d);
  ASSERT_TRUE(before.outcome.ok()) << before.outcome.reason;
  ASSERT_GT(before.stats.players_synthetic_context, 0);
  ASSERT_GT(before.stats.players_upcoming_context, 0);

  for (int variant = 0; variant < 2; ++variant) {
    SCOPED_TRACE(variant == 0 ? "changed" : "deleted");
    World world = base;
    // Rows dated > D are deleted; the statistics of rows on D are changed
    // (variant 0) or set to NULL (variant 1). Identity on D stays.
    std::erase_if(world.pgs, [&](const PlayerGame& row) { return row.game_date > d; });
    std::erase_if(world.togs, [&](const TeamOffenseGame& row) { return row.game_date > d; });
    std::erase_if(world.upgc, [&](const UpcomingPlayerContext& row) { return row.game_date > d; });
    for (PlayerGame& row : world.pgs) {
      if (row.game_date != d) continue;
      if (variant == 0) {
        row.minutes_played = 48.0;
        row.points = 60;
        row.fg_attempts = 40;
        row.usage_rate = 45.0;
      } else {
        row.minutes_played.reset();
        row.points.reset();
        row.fg_attempts.reset();
        row.usage_rate.reset();
      }
    }
    for (TeamOffenseGame& row : world.togs) {
      if (row.game_date != d) continue;
      if (variant == 0) {
        row.pace = 130.0;
      } else {
        row.pace.reset();
      }
    }
    const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
    const PcfDateResult after = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
    ASSERT_TRUE(after.outcome.ok()) << after.outcome.reason;
    EXPECT_TRUE(RowsImage(before) == RowsImage(after));
  }

  // A change on D-1 does change D: the synthetic players who played on D-1
  // lose that appearance (days_rest, and with it the fatigue JSON, changes).
  World world = base;
  std::set<std::string> synthetic_players;
  for (const PcfRow& row : before.rows) {
    if (row.context_source == PcfContextSource::kSynthetic) synthetic_players.insert(row.player_lookup);
  }
  int changed = 0;
  for (PlayerGame& row : world.pgs) {
    if (row.game_date == d - 1 && synthetic_players.count(row.player_lookup) > 0) {
      row.minutes_played.reset();
      row.points = 0;
      row.fg_attempts = 0;
      ++changed;
    }
  }
  ASSERT_GT(changed, 0);
  const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
  const PcfDateResult after = PcfProcessor(world.Inputs(), calendar).ComputeDate(d);
  ASSERT_TRUE(after.outcome.ok());
  EXPECT_FALSE(RowsImage(before) == RowsImage(after));
  // And a TOGS pace on D-1 of one synthetic player's team (the away team of
  // his game_id YYYYMMDD_AWAY_HOME) moves his synthetic pace differential.
  std::string paced_team;
  for (const PcfRow& row : before.rows) {
    if (row.context_source == PcfContextSource::kSynthetic) {
      paced_team = row.game_id.substr(9, 3);
      break;
    }
  }
  World pace_world = base;
  int paced_rows = 0;
  for (TeamOffenseGame& row : pace_world.togs) {
    if (row.game_date == d - 1 && row.team_abbr == paced_team) {
      row.pace = 130.0;
      ++paced_rows;
    }
  }
  ASSERT_EQ(paced_rows, 1);
  const PcfDateResult paced = PcfProcessor(pace_world.Inputs(), CalendarOf(pace_world, D("2024-01-21"))).ComputeDate(d);
  ASSERT_TRUE(paced.outcome.ok());
  EXPECT_FALSE(RowsImage(before) == RowsImage(paced));
}

TEST(PcfDeterminism, ThreadsAndInputOrder) {
  const World world = RandomWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
  const std::vector<Date> dates = RandomWorldDates(calendar);
  const PcfProcessor processor(world.Inputs(), calendar);
  const std::vector<DateImage> serial = ComputeAll(processor, dates, 1);
  const std::vector<DateImage> parallel = ComputeAll(processor, dates, 4);
  EXPECT_TRUE(serial == parallel);

  World shuffled = world;
  std::mt19937 rng(7u);
  std::shuffle(shuffled.pgs.begin(), shuffled.pgs.end(), rng);
  std::shuffle(shuffled.togs.begin(), shuffled.togs.end(), rng);
  std::shuffle(shuffled.upgc.begin(), shuffled.upgc.end(), rng);
  std::shuffle(shuffled.schedule.begin(), shuffled.schedule.end(), rng);
  std::shuffle(shuffled.tdza.begin(), shuffled.tdza.end(), rng);
  std::shuffle(shuffled.psza.begin(), shuffled.psza.end(), rng);
  const SeasonCalendar shuffled_calendar = CalendarOf(shuffled, D("2024-01-21"));
  const PcfProcessor shuffled_processor(shuffled.Inputs(), shuffled_calendar);
  EXPECT_TRUE(serial == ComputeAll(shuffled_processor, dates, 4));
  // The images are not trivially empty.
  size_t total_rows = 0;
  for (const DateImage& image : serial) total_rows += image.rows.size();
  EXPECT_GT(total_rows, 1000u);
}

// ---------------------------------------------------------------- trace (explain)

Value Int(int64_t v) { return Value{v}; }
Value Dbl(double v) { return Value{v}; }
Value Str(const char* v) { return Value{std::string(v)}; }

TEST(PcfTraceHand, WorkedExampleSyntheticPlayer) {
  // §13.5: every derivation step of jalenbrunson's synthetic row.
  const World world = WorkedExampleWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
  const PcfProcessor processor(world.Inputs(), calendar);
  const Trace trace = processor.TraceEntity(D("2024-01-10"), "jalenbrunson");
  ASSERT_FALSE(trace.empty());
  EXPECT_EQ(trace.front().name, "date mode");
  ExpectStep(trace, "date mode", "pcf.md §2", "every non-postponed included game on D is final", Str("historical"));
  ExpectStep(trace, "player set", "pcf.md §5", "distinct player_lookup of PGS rows on D: 1 upcoming, 1 synthetic",
             Int(2));
  ExpectStep(trace, "context_source", "pcf.md §5", "no UPGC row (player, D), PGS row on D -> synthetic (§13)",
             Str("synthetic"), true);
  ExpectStep(trace, "universal_player_id", "pcf.md §5", "PGS row on D", Str("jalenbrunson_001"), true);
  ExpectStep(trace, "game_id", "pcf.md §5", "PGS row on D", Str("20240110_NYK_BOS"), true);
  ExpectStep(trace, "opponent_team_abbr", "pcf.md §5", "PGS row on D", Str("BOS"));

  // §13.2 synthetic context.
  ExpectStep(trace, "PGS rows in [D-30, D-1]", "pcf.md §13.2",
             "8 rows in [2023-12-11, 2024-01-09], 7 appearances (minutes, points or FGA > 0; DNP = not an appearance)",
             Str("2023-12-23, 2023-12-27, 2023-12-28, 2023-12-30 DNP, 2024-01-03, 2024-01-05, 2024-01-06, "
                 "2024-01-09"));
  ExpectStep(trace, "days_rest", "pcf.md §13.2", "(D - last appearance) - 1 = (2024-01-10 - 2024-01-09) - 1", Int(0));
  ExpectStep(trace, "back_to_back", "pcf.md §13.2", "days_rest = 0 = (0 = 0)", Value{true});
  ExpectStep(trace, "games_in_last_7_days", "pcf.md §13.2",
             "count of A7 (appearances in [2024-01-03, 2024-01-09]): 2024-01-03, 2024-01-05, 2024-01-06, 2024-01-09",
             Int(4));
  ExpectStep(trace, "A7 minutes sum", "pcf.md §13.2", "38.0 + 37.0 + 36.0 (NULL minutes: 2024-01-06)", Dbl(111.0));
  ExpectStep(trace, "minutes_in_last_7_days", "pcf.md §13.2", "llround(111.0)", Dbl(111.0));
  ExpectStep(trace, "avg_minutes_per_game_last_7", "pcf.md §13.2", "round_py(111.0 / 3, 1)", Dbl(37.0));
  ExpectStep(trace, "back_to_backs_last_14_days", "pcf.md §13.2",
             "A14 (appearances in [2023-12-27, 2024-01-09]): 2023-12-27, 2023-12-28, 2024-01-03, 2024-01-05, "
             "2024-01-06, 2024-01-09; dates whose previous day is in A14: 2023-12-28, 2024-01-06",
             Int(2));
  ExpectStep(trace, "usage window", "pcf.md §13.2", "the 7 most recent appearances of season 2023 before D (7 found)",
             Str("2023-12-23, 2023-12-27, 2023-12-28, 2024-01-03, 2024-01-05, 2024-01-06, 2024-01-09"));
  ExpectStep(trace, "usage sum", "pcf.md §13.2",
             "27.5 + 30.0 + 28.9 + 30.4 + 29.8 + 31.2 (NULL usage_rate: 2023-12-28)", Dbl(177.8));
  ExpectStep(trace, "avg_usage_rate_last_7_games", "pcf.md §13.2", "round_py(177.8 / 6, 2)", Dbl(29.63));
  ExpectStep(trace, "player_age", "pcf.md §13.2",
             "latest non-NULL UPGC player_age in [2023-01-10, 2024-01-09]: 2023-12-20", Int(27));
  ExpectStep(trace, "projected_usage_rate", "pcf.md §13.2",
             "always NULL for synthetic: projection = baseline (no change), reported missing", Value{});
  // §13.3 pace from TOGS (a 3-team league: CHA has only 4 current-season games).
  ExpectStep(trace, "L10(NYK)", "pcf.md §13.3",
             "(96.1 + 97.4 + 95.8 + 98.0 + 96.5 + 97.2 + 95.9 + 96.8 + 97.7 + 96.6) / 10 over 2023-12-18..2024-01-05",
             Dbl(96.8));
  ExpectStep(
      trace, "L10(BOS)", "pcf.md §13.3",
      "(99.5 + 100.2 + 98.9 + 99.8 + 100.6 + 99.1 + 98.7 + 100.0 + 99.4 + 99.8) / 10 over 2023-12-20..2024-01-07",
      Dbl(99.6));
  ExpectStep(trace, "league(D)", "pcf.md §13.3", "sum of L10 over 3 teams (ascending team_abbr) / 3 = 298.2 / 3",
             Dbl(99.39999999999999));
  ExpectStep(trace, "pace_differential", "pcf.md §13.3",
             "round_py((L10(NYK) + L10(BOS)) / 2.0 - league, 1) = round_py((96.8 + 99.6) / 2.0 - 99.39999999999999, 1)",
             Dbl(-1.2));
  ExpectStep(trace, "PSZA row", "pcf.md §5", "PSZA (jalenbrunson, 2024-01-10)",
             Str("primary_scoring_zone 'mid_range', paint_rate_last_10 31.0, mid_range_rate_last_10 38.5, "
                 "three_pt_rate_last_10 30.5"));
  ExpectStep(trace, "TDZA row", "pcf.md §5", "TDZA (opponent BOS, 2024-01-10)",
             Str("paint_defense_vs_league_avg -1.1, mid_range_defense_vs_league_avg 2.6, "
                 "three_pt_defense_vs_league_avg -0.4, weakest_zone 'mid_range'"));

  // §7.1 fatigue: 100 - 15 - 10 - 8 - 12 = 55.
  ExpectStep(trace, "b2b", "pcf.md §7.1",
             "bool(back_to_back, false) OR days_rest = 0 = bool(true, false) OR (0 = 0) = true OR true", Value{true});
  ExpectStep(trace, "score after rule 1 (b2b / rest)", "pcf.md §7.1", "100 - 15 (b2b)", Int(85));
  ExpectStep(trace, "score after rule 2 (games)", "pcf.md §7.1", "85 - 10 (games 4 >= 4)", Int(75));
  ExpectStep(trace, "score after rule 3 (minutes)", "pcf.md §7.1", "75 + 0 (minutes 111.0 <= 240)", Int(75));
  ExpectStep(trace, "score after rule 4 (avg minutes)", "pcf.md §7.1", "75 - 8 (avg 37.0 > 35)", Int(67));
  ExpectStep(trace, "score after rule 5 (b2b in 14 days)", "pcf.md §7.1", "67 - 12 (b2b14 2 >= 2)", Int(55));
  ExpectStep(trace, "score after rule 6 (age)", "pcf.md §7.1", "55 + 0 (age 27 < 30)", Int(55));
  ExpectStep(trace, "fatigue_score", "pcf.md §7.1", "clamp(55, 0, 100)", Int(55), true);
  ExpectStep(trace, "fatigue_adj", "pcf.md §7.1", "(fatigue_score - 100) / 20.0 = (55 - 100) / 20.0", Dbl(-2.25));
  // §7.2 shot zone: mid_range pair, 2.6 * 0.77.
  ExpectStep(trace, "zone pair", "pcf.md §7.2",
             "primary_scoring_zone 'mid_range' -> (mid_range_rate_last_10, mid_range_defense_vs_league_avg)",
             Str("mid_range"));
  ExpectStep(trace, "weight", "pcf.md §7.2", "min(rate / 50.0, 1.0) = min(38.5 / 50.0, 1.0)", Dbl(0.77));
  ExpectStep(trace, "m", "pcf.md §7.2", "rating * weight = 2.6 * 0.77", Dbl(2.0020000000000002));
  ExpectStep(trace, "m after boost", "pcf.md §7.2", "abs(m) <= 5.0: unchanged", Dbl(2.0020000000000002));
  ExpectStep(trace, "shot_zone_mismatch_score", "pcf.md §7.2", "round_py(2.0020000000000002, 1)", Dbl(2.0), true);
  // §7.3 pace, §7.4 usage (NULL projection), §7.5, §7.6.
  ExpectStep(trace, "pace (unrounded)", "pcf.md §7.3",
             "clamp(float(pace_differential, 0.0) / 2.0, -3.0, 3.0) = clamp(-1.2 / 2.0, -3.0, 3.0)", Dbl(-0.6));
  ExpectStep(trace, "pace_score", "pcf.md §7.3", "round_py(-0.6, 1)", Dbl(-0.6), true);
  ExpectStep(trace, "usage_differential", "pcf.md §7.4", "projected_usage_rate NULL -> 0.0 (no measurable spike)",
             Dbl(0.0));
  ExpectStep(trace, "usage_spike_score", "pcf.md §7.4", "projected_usage_rate NULL -> 0.0", Dbl(0.0), true);
  ExpectStep(trace, "travel_impact_score", "pcf.md §7.5", "deferred factor -> 0.0", Dbl(0.0), true);
  ExpectStep(trace, "total (unrounded)", "pcf.md §7.6",
             "fatigue_adj + shot + pace + usage + 0.0 + 0.0 + 0.0 + 0.0 = -2.25 + 2.0020000000000002 + -0.6 + 0.0 + "
             "0.0 + 0.0 + 0.0 + 0.0",
             Dbl(-0.8479999999999998));
  ExpectStep(trace, "total_composite_adjustment", "pcf.md §7.6", "round_py(-0.8479999999999998, 2)", Dbl(-0.85), true);
  // §8, §9, §10-§12.
  ExpectStep(trace, "check 2 projected_usage_rate", "pcf.md §8", "projected_usage_rate NULL", Value{false});
  ExpectStep(trace, "check 4 player_shot_zone", "pcf.md §8", "PSZA row present", Value{true});
  ExpectStep(trace, "data_completeness_pct", "pcf.md §8", "passed * 20.0 = 4 * 20.0", Dbl(80.0), true);
  ExpectStep(trace, "missing_data_fields", "pcf.md §8", "failed labels in check order, joined with \", \"",
             Str("projected_usage_rate"), true);
  ExpectStep(trace, "has_warnings", "pcf.md §9",
             "fatigue_score 55 >= 50; abs(shot) 2.0020000000000002 <= 8.0; abs(total) 0.8479999999999998 <= 12.0",
             Value{false}, true);
  ExpectStep(trace, "warning_details", "pcf.md §9", "no warning -> NULL", Value{}, true);
  ExpectStep(trace, "pace_context_json", "pcf.md §10", "float(pace_differential, 0.0) and the unrounded pace",
             Str("{\"pace_differential\": -1.2, \"final_score\": -0.6}"), true);
  ExpectStep(trace, "early_season_flag", "pcf.md §11", "always NULL (no PCF row is an early-season placeholder)",
             Value{}, true);
  ExpectStep(trace, "data_hash", "pcf.md §12", "sha256 of the 22 §12 hash fields (tdza.md §14)",
             Str("669165c040b5529c"), true);
  EXPECT_EQ(trace.back().name, "data_hash");
}

TEST(PcfTraceHand, RealContextPlayer) {
  // realplayer: UPGC context used as it is, one star out, no TDZA row for NYK.
  const World world = WorkedExampleWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
  const PcfProcessor processor(world.Inputs(), calendar);
  const Trace trace = processor.TraceEntity(D("2024-01-10"), "realplayer");
  ASSERT_FALSE(trace.empty());
  ExpectStep(trace, "context_source", "pcf.md §5", "UPGC row (player, D) found -> upcoming", Str("upcoming"), true);
  ExpectStep(trace, "universal_player_id", "pcf.md §5", "UPGC row", Str("realplayer_001"), true);
  ExpectStep(trace, "days_rest", "pcf.md §5", "UPGC", Int(0));
  ExpectStep(trace, "back_to_back", "pcf.md §5", "UPGC", Value{false});
  ExpectStep(trace, "minutes_in_last_7_days", "pcf.md §5", "UPGC", Dbl(150.0));
  ExpectStep(trace, "pace_differential", "pcf.md §5", "UPGC", Dbl(2.4));
  ExpectStep(trace, "TDZA row", "pcf.md §5", "no TDZA row for (opponent NYK, 2024-01-10) -> missing", Value{});
  // Upstream-style back_to_back = false with days_rest 0: b2b via days_rest.
  ExpectStep(trace, "b2b", "pcf.md §7.1",
             "bool(back_to_back, false) OR days_rest = 0 = bool(false, false) OR (0 = 0) = false OR true", Value{true});
  ExpectStep(trace, "score after rule 5 (b2b in 14 days)", "pcf.md §7.1", "75 - 5 (b2b14 1 = 1)", Int(70));
  ExpectStep(trace, "score after rule 6 (age)", "pcf.md §7.1", "70 - 5 (age 31 >= 30)", Int(65));
  ExpectStep(trace, "fatigue_score", "pcf.md §7.1", "clamp(65, 0, 100)", Int(65), true);
  ExpectStep(trace, "shot (unrounded)", "pcf.md §7.2", "TDZA row missing -> 0.0", Dbl(0.0));
  ExpectStep(trace, "shot_zone_mismatch_score", "pcf.md §7.2", "TDZA row missing -> 0.0", Dbl(0.0), true);
  ExpectStep(trace, "stars", "pcf.md §7.4", "int(star_teammates_out = 1, 0)", Int(1));
  ExpectStep(trace, "usage_differential", "pcf.md §7.4", "proj - base = 24.0 - 22.0", Dbl(2.0));
  ExpectStep(trace, "s", "pcf.md §7.4", "diff * 0.3 = 2.0 * 0.3", Dbl(0.6));
  ExpectStep(trace, "s after star boost", "pcf.md §7.4", "stars 1 = 1, s > 0: s * 1.15 = 0.6 * 1.15", Dbl(0.69));
  ExpectStep(trace, "usage_spike_score", "pcf.md §7.4", "round_py(0.69, 1)", Dbl(0.7), true);
  ExpectStep(trace, "total_composite_adjustment", "pcf.md §7.6", "round_py(0.1399999999999999, 2)", Dbl(0.14), true);
  ExpectStep(trace, "check 5 team_defense_zone", "pcf.md §8", "TDZA row missing", Value{false});
  ExpectStep(trace, "missing_data_fields", "pcf.md §8", "failed labels in check order, joined with \", \"",
             Str("team_defense_zone"), true);
  // No §13 steps for an 'upcoming' context.
  for (const TraceStep& step : trace) EXPECT_NE(step.spec.rfind("pcf.md §13", 0), 0u) << step.name;
}

TEST(PcfTraceConsistency, ColumnStepsEqualTheRowOnEveryDate) {
  // The random world: historical and upcoming dates, synthetic (PGS and
  // roster) and real contexts, missing PSZA / TDZA rows, NULL fields.
  const World world = RandomWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
  const PcfProcessor processor(world.Inputs(), calendar);
  // Key columns: no step by design (the task's deliberate exceptions).
  const std::set<std::string, std::less<>> kKeys = {"player_lookup", "game_date", "analysis_date"};
  int64_t rows = 0;
  int64_t synthetic_rows = 0;
  int64_t roster_rows = 0;
  for (Date date : RandomWorldDates(calendar)) {
    SCOPED_TRACE(date.ToString());
    const PcfDateResult result = processor.ComputeDate(date);
    ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
    for (const PcfRow& row : result.rows) {
      SCOPED_TRACE(row.player_lookup);
      ++rows;
      if (row.context_source == PcfContextSource::kSynthetic) {
        ++synthetic_rows;
        if (!calendar.IsHistorical(date)) ++roster_rows;
      }
      const Trace trace = processor.TraceEntity(date, row.player_lookup);
      ASSERT_FALSE(trace.empty());
      testing::ExpectColumnStepsMatchRow(trace, ToNamedValues(row), "", kKeys);
    }
    // Not in the set of this date: empty.
    EXPECT_TRUE(processor.TraceEntity(date, "nosuchplayer").empty());
  }
  EXPECT_GT(rows, 1000);
  EXPECT_GT(synthetic_rows, 100);
  EXPECT_GT(roster_rows, 0);
}

TEST(PcfTraceEmpty, ExcludedUnknownOrFailedDate) {
  const World world = WorkedExampleWorld();
  const SeasonCalendar calendar = CalendarOf(world, D("2026-01-03"));
  const PcfProcessor processor(world.Inputs(), calendar);
  const Date d = D("2024-01-10");
  ASSERT_FALSE(processor.TraceEntity(d, "jalenbrunson").empty());
  // A UPGC-only player on a historical date gets no row (§5), nor a trace.
  EXPECT_TRUE(processor.TraceEntity(d, "absentplayer").empty());
  EXPECT_TRUE(processor.TraceEntity(d, "nosuchplayer").empty());
  EXPECT_TRUE(processor.TraceEntity(d, "").empty());
  // A date without input rows (fails the gate).
  EXPECT_TRUE(processor.TraceEntity(d + 1, "jalenbrunson").empty());
  // A failing date (missing TDZA dependency): no rows, no trace.
  World gated = world;
  gated.tdza.clear();
  const PcfProcessor gated_processor(gated.Inputs(), calendar);
  ASSERT_FALSE(gated_processor.ComputeDate(d).outcome.ok());
  EXPECT_TRUE(gated_processor.TraceEntity(d, "jalenbrunson").empty());
}

// ---------------------------------------------------------------- pipelined feed

// The backfill cascade hands TDZA / PSZA rows (and the upstream's success) of
// a date to an already built processor (ReserveUpstreamDates + the setters).
// Whatever the order they arrive in, the result must be the one of a
// processor given the same rows and success dates in PcfInputs.

using testing::ExpectSameDateResult;

TEST(PcfFeedTest, FedRowsEqualConstructorRows) {
  const World world = RandomWorld();
  const Date plain = D("2024-01-08");     // rows, no success outcome: the rows alone pass the gate
  const Date refed = D("2024-01-09");     // wrong rows first, then the right ones
  const Date empty = D("2024-01-10");     // TDZA success with 0 rows: defence missing for everyone
  const Date gated = D("2024-01-12");     // games, but neither TDZA rows nor success
  const Date upcoming = D("2024-01-22");  // scheduled games ("today" 2024-01-21)
  const std::vector<Date> dates = {plain, refed, empty, gated, upcoming};
  const auto in = [](const std::vector<Date>& set, Date date) {
    return std::find(set.begin(), set.end(), date) != set.end();
  };

  // Processor A: the upstream rows of these dates in PcfInputs, scrambled.
  World constructed_world = world;
  const std::vector<Date> tdza_dates = {plain, refed, upcoming};
  const std::vector<Date> psza_dates = {plain, refed, empty, upcoming};
  std::erase_if(constructed_world.tdza,
                [&](const PcfTeamDefenseInput& row) { return !in(tdza_dates, row.analysis_date); });
  std::erase_if(constructed_world.psza,
                [&](const PcfShotZoneInput& row) { return !in(psza_dates, row.analysis_date); });
  std::mt19937 rng(20240109u);
  std::shuffle(constructed_world.tdza.begin(), constructed_world.tdza.end(), rng);
  std::shuffle(constructed_world.psza.begin(), constructed_world.psza.end(), rng);
  constructed_world.tdza_success = {refed, empty, upcoming};
  constructed_world.psza_success = {refed, empty, upcoming};
  const SeasonCalendar calendar = CalendarOf(world, D("2024-01-21"));
  const PcfProcessor constructed(constructed_world.Inputs(), calendar);

  // Processor B: no upstream row nor success date; everything fed after construction.
  World fed_world = world;
  fed_world.tdza.clear();
  fed_world.psza.clear();
  PcfProcessor fed(fed_world.Inputs(), calendar);
  fed.ReserveUpstreamDates(dates);

  // Each date's rows keep A's scrambled order.
  std::map<Date, std::vector<PcfTeamDefenseInput>> tdza_rows;
  std::map<Date, std::vector<PcfShotZoneInput>> psza_rows;
  for (const PcfTeamDefenseInput& row : constructed_world.tdza) tdza_rows[row.analysis_date].push_back(row);
  for (const PcfShotZoneInput& row : constructed_world.psza) psza_rows[row.analysis_date].push_back(row);
  ASSERT_GE(tdza_rows[refed].size(), 3u);
  ASSERT_GE(psza_rows[refed].size(), 10u);

  // Wrong rows for `refed`, with the same success flag (the flag only ever
  // turns on): every team and every player, other values and a zone no right
  // row has, so a setter that appends instead of replacing shows in the rows.
  std::vector<PcfTeamDefenseInput> wrong_tdza;
  for (const std::string team : {"ATL", "BOS", "CHI", "DEN", "LAL", "NYK"}) {
    wrong_tdza.push_back({team, refed, 11.1, -11.1, 11.1, std::string("WRONG")});
  }
  std::vector<PcfShotZoneInput> wrong_psza;
  for (const std::string team : {"atl", "bos", "chi", "den", "lal", "nyk"}) {
    for (int slot = 0; slot < 5; ++slot) {
      wrong_psza.push_back({team + "player" + std::to_string(slot), refed, std::string("WRONG"), 99.0, 0.5, 0.5});
    }
  }
  fed.SetTeamDefenseRows(refed, wrong_tdza, true);
  fed.SetShotZoneRows(refed, wrong_psza, true);

  // The right rows, one setter call per (table, date), in scrambled order.
  std::vector<std::function<void()>> feeds;
  for (Date date : dates) {
    const bool tdza_success = in(constructed_world.tdza_success, date);
    const bool psza_success = in(constructed_world.psza_success, date);
    if (!tdza_rows[date].empty() || tdza_success) {
      feeds.push_back([&, date, tdza_success] { fed.SetTeamDefenseRows(date, tdza_rows[date], tdza_success); });
    }
    if (!psza_rows[date].empty() || psza_success) {
      feeds.push_back([&, date, psza_success] { fed.SetShotZoneRows(date, psza_rows[date], psza_success); });
    }
  }
  ASSERT_EQ(feeds.size(), 8u);  // `gated` is reserved and never fed
  std::shuffle(feeds.begin(), feeds.end(), rng);
  for (const std::function<void()>& feed : feeds) feed();

  for (Date date : dates) {
    SCOPED_TRACE(date.ToString());
    ExpectSameDateResult(constructed.ComputeDate(date), fed.ComputeDate(date));
  }

  // Not vacuous. No TDZA row and no success: the dependency gate fails the date.
  const PcfDateResult gated_result = fed.ComputeDate(gated);
  EXPECT_FALSE(gated_result.outcome.ok());
  EXPECT_EQ(gated_result.outcome.reason_code, "missing_dependency");
  EXPECT_EQ(gated_result.outcome.reason,
            "missing_dependency: missing dependency: nba_precompute.team_defense_zone_analysis for 2024-01-12");
  EXPECT_TRUE(gated_result.rows.empty());
  // Success with 0 TDZA rows passes the gate; every player lacks the defence row.
  const PcfDateResult empty_result = fed.ComputeDate(empty);
  ASSERT_TRUE(empty_result.outcome.ok()) << empty_result.outcome.reason;
  ASSERT_FALSE(empty_result.rows.empty());
  for (const PcfRow& row : empty_result.rows) {
    SCOPED_TRACE(row.player_lookup);
    EXPECT_EQ(row.shot_zone_context_json, "{\"missing_data\": true}");
    ASSERT_TRUE(row.missing_data_fields.has_value());
    EXPECT_NE(row.missing_data_fields->find("team_defense_zone"), std::string::npos);
  }
  // The re-fed date uses the right rows only: real shot-zone contexts, no
  // trace of the wrong zone.
  const PcfDateResult refed_result = fed.ComputeDate(refed);
  ASSERT_TRUE(refed_result.outcome.ok()) << refed_result.outcome.reason;
  ASSERT_GE(refed_result.rows.size(), 10u);
  int with_shot_zone = 0;
  for (const PcfRow& row : refed_result.rows) {
    EXPECT_EQ(row.shot_zone_context_json.find("WRONG"), std::string::npos) << row.player_lookup;
    if (row.shot_zone_context_json.find("player_primary_zone") != std::string::npos) ++with_shot_zone;
  }
  EXPECT_GT(with_shot_zone, 5);
}

}  // namespace
}  // namespace nbapc::processors
