#include "processors/psza.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
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
using testing::OptBool;
using testing::OptDouble;
using testing::OptInt;
using testing::OptString;

Date D(const char* text) { return Date::Parse(text).value(); }

// A vector input row (tdza.md §17: absent or null = NULL).
PlayerGame ParseRow(const json& j) {
  PlayerGame row;
  row.player_lookup = j.at("player_lookup").get<std::string>();
  row.universal_player_id = OptString(j, "universal_player_id");
  row.game_id = j.at("game_id").get<std::string>();
  row.game_date = JsonDate(j.at("game_date"));
  row.season_year = SeasonYear(row.game_date);
  // PlayerGame::is_active is NOT NULL (inputs.md); a NULL in a vector is "not TRUE".
  row.is_active = OptBool(j, "is_active").value_or(false);
  row.minutes_played = OptDouble(j, "minutes_played");
  row.fg_attempts = OptInt(j, "fg_attempts");
  row.fg_makes = OptInt(j, "fg_makes");
  row.paint_makes = OptInt(j, "paint_makes");
  row.paint_attempts = OptInt(j, "paint_attempts");
  row.mid_range_makes = OptInt(j, "mid_range_makes");
  row.mid_range_attempts = OptInt(j, "mid_range_attempts");
  row.three_pt_makes = OptInt(j, "three_pt_makes");
  row.three_pt_attempts = OptInt(j, "three_pt_attempts");
  row.assisted_fg_makes = OptInt(j, "assisted_fg_makes");
  row.unassisted_fg_makes = OptInt(j, "unassisted_fg_makes");
  return row;
}

std::vector<PlayerGame> ParseRows(const json& rows) {
  std::vector<PlayerGame> out;
  for (const json& row : rows) out.push_back(ParseRow(row));
  return out;
}

// Strict comparison of one cell with its expected JSON value: the JSON type
// decides the expected Value alternative (integers vs doubles, §17).
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
  } else if (expected.is_array()) {
    // Arrays are stored as compact JSON text.
    ASSERT_TRUE(std::holds_alternative<std::string>(actual));
    EXPECT_EQ(json::parse(std::get<std::string>(actual)), expected);
    EXPECT_EQ(std::get<std::string>(actual), expected.dump());
  } else {
    ADD_FAILURE() << "unexpected JSON type";
  }
}

// Every expected column, and no column the record lacks.
void ExpectRecord(const PszaRow& row, const json& expected) {
  NamedValues values = ToNamedValues(row);
  EXPECT_EQ(values.size(), expected.size());
  for (const auto& [column, value] : values) {
    ASSERT_TRUE(expected.contains(std::string(column))) << column;
    ExpectCell(std::string(column), value, expected.at(std::string(column)));
  }
}

void ExpectOutcome(const EntityExclusion& exclusion, const json& expected) {
  EXPECT_EQ(exclusion.entity_id, expected.at("entity_id").get<std::string>());
  EXPECT_EQ(exclusion.failure_category, expected.at("failure_category").get<std::string>());
  EXPECT_EQ(exclusion.failure_reason, expected.at("failure_reason").get<std::string>());
  EXPECT_FALSE(exclusion.can_retry);  // every INSUFFICIENT_DATA row (README §8.8)
}

void ExpectOptDouble(const std::optional<double>& actual, const json& expected, const char* key) {
  SCOPED_TRACE(key);
  std::optional<double> want = OptDouble(expected, key);
  ASSERT_EQ(actual.has_value(), want.has_value());
  if (want) {
    EXPECT_EQ(*actual, *want);
  }
}

// A calendar whose schedule has one final regular-season game on each date.
SeasonCalendar ScheduleCalendar(const std::vector<Date>& final_dates, GameType type = GameType::kRegularSeason) {
  std::vector<ScheduleGame> schedule;
  int game_number = 0;
  for (Date date : final_dates) {
    ScheduleGame game;
    game.game_id = "00224" + std::to_string(10000 + game_number++);
    game.game_date = date;
    game.season_year = SeasonYear(date);
    game.home_team_abbr = "BOS";
    game.away_team_abbr = "NYK";
    game.game_type = type;
    game.game_status = GameStatus::kFinal;
    schedule.push_back(game);
  }
  return SeasonCalendar(schedule, {}, D("2026-01-03"));
}

// ---------------------------------------------------------------- vectors

TEST(PszaVectors, NumpyRound) {
  auto vectors = LoadVectors("psza", "psza.numpy_round");
  ASSERT_EQ(vectors.size(), 16u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const double x = vec["inputs"]["x"].get<double>();
    const int ndigits = vec["inputs"]["ndigits"].get<int>();
    EXPECT_EQ(PszaNumpyRound(x, ndigits), vec["expected"]["result"].get<double>());
    EXPECT_EQ(RoundPy(x, ndigits), vec["expected"]["round_py_result"].get<double>());
  }
}

TEST(PszaVectors, PrimaryZone) {
  auto vectors = LoadVectors("psza", "psza.primary_zone");
  ASSERT_EQ(vectors.size(), 16u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    std::optional<std::string> zone =
        PszaPrimaryZone(OptDouble(in, "paint_rate"), OptDouble(in, "mid_range_rate"), OptDouble(in, "three_pt_rate"));
    EXPECT_EQ(zone, OptString(vec["expected"], "primary_scoring_zone"));
  }
}

TEST(PszaVectors, QualityTier) {
  auto vectors = LoadVectors("psza", "psza.quality_tier");
  ASSERT_EQ(vectors.size(), 8u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    EXPECT_EQ(PszaQualityTier(vec["inputs"]["games"].get<int64_t>()),
              vec["expected"]["data_quality_tier"].get<std::string>());
  }
}

TEST(PszaVectors, SampleQuality) {
  auto vectors = LoadVectors("psza", "psza.sample_quality");
  ASSERT_EQ(vectors.size(), 16u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    EXPECT_EQ(PszaSampleQuality(vec["inputs"]["games"].get<int64_t>(), vec["inputs"]["target"].get<int64_t>()),
              vec["expected"]["sample_quality"].get<std::string>());
  }
}

TEST(PszaVectors, Qualifies) {
  auto vectors = LoadVectors("psza", "psza.qualifies");
  ASSERT_EQ(vectors.size(), 1u);
  for (const json& vec : vectors) {
    std::vector<PlayerGame> rows = ParseRows(vec["inputs"]["rows"]);
    const json& expected = vec["expected"]["qualifies"];
    ASSERT_EQ(rows.size(), expected.size());
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      EXPECT_EQ(PszaQualifies(rows[row_idx]), expected[row_idx].get<bool>()) << "row " << row_idx;
    }
  }
}

TEST(PszaVectors, Windows) {
  auto vectors = LoadVectors("psza", "psza.windows");
  ASSERT_EQ(vectors.size(), 3u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<PlayerGame> rows = ParseRows(vec["inputs"]["rows"]);
    PszaWindowIds windows = PszaWindows(JsonDate(vec["inputs"]["analysis_date"]), rows);
    const json& expected = vec["expected"];
    EXPECT_EQ(windows.l10_game_ids, expected["l10_game_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(windows.l20_game_ids, expected["l20_game_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(windows.games_in_sample_10, expected["games_in_sample_10"].get<int64_t>());
    EXPECT_EQ(windows.games_in_sample_20, expected["games_in_sample_20"].get<int64_t>());
  }
}

TEST(PszaVectors, ZoneMetrics) {
  auto vectors = LoadVectors("psza", "psza.zone_metrics");
  ASSERT_EQ(vectors.size(), 11u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<PlayerGame> rows = ParseRows(vec["inputs"]["rows"]);
    PszaZoneMetrics m = PszaComputeZoneMetrics(PszaSumTotals(rows));
    const json& expected = vec["expected"];
    ExpectOptDouble(m.paint_rate, expected, "paint_rate");
    ExpectOptDouble(m.mid_range_rate, expected, "mid_range_rate");
    ExpectOptDouble(m.three_pt_rate, expected, "three_pt_rate");
    ExpectOptDouble(m.paint_pct, expected, "paint_pct");
    ExpectOptDouble(m.mid_range_pct, expected, "mid_range_pct");
    ExpectOptDouble(m.three_pt_pct, expected, "three_pt_pct");
    ExpectOptDouble(m.paint_attempts_pg, expected, "paint_attempts_pg");
    ExpectOptDouble(m.mid_range_attempts_pg, expected, "mid_range_attempts_pg");
    ExpectOptDouble(m.three_pt_attempts_pg, expected, "three_pt_attempts_pg");
    ExpectOptDouble(m.assisted_rate, expected, "assisted_rate");
    ExpectOptDouble(m.unassisted_rate, expected, "unassisted_rate");
    EXPECT_EQ(m.total_shots, OptInt(expected, "total_shots"));
  }
}

TEST(PszaVectors, ZoneCompleteness) {
  auto vectors = LoadVectors("psza", "psza.zone_completeness");
  ASSERT_EQ(vectors.size(), 5u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<PlayerGame> rows = ParseRows(vec["inputs"]["rows"]);
    PszaZoneTotals totals = PszaSumTotals(rows);
    PszaCompleteness c = PszaZoneCompleteness(totals.complete_games, totals.games);
    const json& expected = vec["expected"];
    EXPECT_EQ(c.complete_games, expected["complete_games"].get<int64_t>());
    EXPECT_EQ(c.completeness_percentage, expected["completeness_percentage"].get<double>());
    EXPECT_EQ(c.is_production_ready, expected["is_production_ready"].get<bool>());
  }
}

TEST(PszaVectors, ComputePlayer) {
  auto vectors = LoadVectors("psza", "psza.compute_player");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<PlayerGame> rows = ParseRows(vec["inputs"]["rows"]);
    PszaPlayerResult result = PszaComputePlayer(JsonDate(vec["inputs"]["analysis_date"]),
                                                vec["inputs"]["player_lookup"].get<std::string>(), rows);
    const json& expected = vec["expected"];
    if (expected.contains("record")) {
      ASSERT_TRUE(std::holds_alternative<PszaRow>(result));
      ExpectRecord(std::get<PszaRow>(result), expected["record"]);
    } else {
      ASSERT_TRUE(std::holds_alternative<EntityExclusion>(result));
      ExpectOutcome(std::get<EntityExclusion>(result), expected["outcome"]);
    }
  }
}

TEST(PszaVectors, ComputeDate) {
  auto vectors = LoadVectors("psza", "psza.compute_date");
  ASSERT_EQ(vectors.size(), 4u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    const json& in = vec["inputs"];
    std::vector<PlayerGame> rows = ParseRows(in["rows"]);
    const Date date = JsonDate(in["analysis_date"]);
    std::optional<SeasonCalendar> calendar;
    if (in.contains("schedule_final_dates") && !in["schedule_final_dates"].is_null()) {
      std::vector<Date> finals;
      for (const json& d : in["schedule_final_dates"]) finals.push_back(JsonDate(d));
      calendar.emplace(ScheduleCalendar(finals));
    }
    PszaDateResult result = PszaComputeDate(date, rows, calendar ? &*calendar : nullptr);
    const json& expected = vec["expected"];
    if (expected["status"] == "success") {
      ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
      ASSERT_EQ(result.rows.size(), expected["rows"].size());
      for (size_t row_idx = 0; row_idx < result.rows.size(); ++row_idx) {
        ExpectRecord(result.rows[row_idx], expected["rows"][row_idx]);
      }
      ASSERT_EQ(result.exclusions.size(), expected["entity_outcomes"].size());
      for (size_t ex_idx = 0; ex_idx < result.exclusions.size(); ++ex_idx) {
        ExpectOutcome(result.exclusions[ex_idx], expected["entity_outcomes"][ex_idx]);
      }
      EXPECT_EQ(result.players_processed, static_cast<int64_t>(expected["rows"].size()));
      EXPECT_EQ(result.players_insufficient, static_cast<int64_t>(expected["entity_outcomes"].size()));
    } else {
      ASSERT_EQ(expected["status"], "failed");
      EXPECT_EQ(result.outcome.status, DateStatus::kFailed);
      EXPECT_EQ(result.outcome.reason_code, expected["reason"].get<std::string>());
      EXPECT_EQ(result.outcome.reason.rfind(result.outcome.reason_code + ": ", 0), 0u);
      EXPECT_TRUE(result.rows.empty());
      EXPECT_TRUE(result.exclusions.empty());
      if (expected.contains("missing_date")) {
        ASSERT_TRUE(result.missing_date.has_value());
        EXPECT_EQ(result.missing_date->ToString(), expected["missing_date"].get<std::string>());
      }
    }
  }
}

TEST(PszaVectors, DataHash) {
  auto vectors = LoadVectors("psza", "data_hash");
  ASSERT_EQ(vectors.size(), 1u);
  for (const json& vec : vectors) {
    SCOPED_TRACE(vec.at("name").get<std::string>());
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& [name, value] : vec["inputs"]["fields"].items()) {
      Value cell;
      if (value.is_number_integer()) cell = value.get<int64_t>();
      else if (value.is_number_float()) cell = value.get<double>();
      else if (value.is_string()) cell = value.get<std::string>();
      else if (value.is_boolean()) cell = value.get<bool>();
      fields.emplace_back(name, HashFieldText(cell));
    }
    EXPECT_EQ(CanonicalHashString(fields), vec["expected"]["canonical_string"].get<std::string>());
    EXPECT_EQ(DataHash(fields), vec["expected"]["data_hash"].get<std::string>());
  }
}

// ---------------------------------------------------------- hand-computed

// A qualifying row with the given zone fields (NULL = nullopt).
PlayerGame Game(const std::string& player, const char* date, std::optional<int64_t> pm, std::optional<int64_t> pa,
                std::optional<int64_t> mm, std::optional<int64_t> ma, std::optional<int64_t> tm,
                std::optional<int64_t> ta, std::optional<int64_t> fgm = 5, std::optional<int64_t> ast = 3,
                std::optional<int64_t> unast = 2) {
  PlayerGame row;
  row.player_lookup = player;
  row.universal_player_id = player + "_001";
  row.game_date = D(date);
  row.season_year = SeasonYear(row.game_date);
  row.game_id = row.game_date.ToString().substr(0, 4) + row.game_date.ToString().substr(5, 2) +
                row.game_date.ToString().substr(8, 2) + "_NYK_BOS";
  row.is_active = true;
  row.minutes_played = 30.0;
  row.fg_attempts = 12;
  row.fg_makes = fgm;
  row.paint_makes = pm;
  row.paint_attempts = pa;
  row.mid_range_makes = mm;
  row.mid_range_attempts = ma;
  row.three_pt_makes = tm;
  row.three_pt_attempts = ta;
  row.assisted_fg_makes = ast;
  row.unassisted_fg_makes = unast;
  return row;
}

// `count` games of a player on consecutive days from `first` (paint 2/4, mid 1/2, three 1/3).
std::vector<PlayerGame> Streak(const std::string& player, const char* first, int count) {
  std::vector<PlayerGame> rows;
  for (int game_idx = 0; game_idx < count; ++game_idx) {
    PlayerGame row = Game(player, first, 2, 4, 1, 2, 1, 3);
    row.game_date = D(first) + game_idx;
    std::string text = row.game_date.ToString();
    row.game_id = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2) + "_NYK_BOS";
    rows.push_back(row);
  }
  return rows;
}

TEST(PszaHand, NumpyRoundNegativeDigitsAndTies) {
  // numpy: round(1250, -2) = 1200 (tie to even), round(1350, -2) = 1400.
  EXPECT_EQ(PszaNumpyRound(1250.0, -2), 1200.0);
  EXPECT_EQ(PszaNumpyRound(1350.0, -2), 1400.0);
  // 2.5 -> 2.0 and 3.5 -> 4.0 at 0 digits (ties to even).
  EXPECT_EQ(PszaNumpyRound(2.5, 0), 2.0);
  EXPECT_EQ(PszaNumpyRound(3.5, 0), 4.0);
}

TEST(PszaHand, ZoneMetricsMadeShotsWithoutZoneAttempts) {
  // T = 0 but F > 0: assisted / unassisted NULL (§7 "T = 0 or F = 0").
  std::vector<PlayerGame> rows = {Game("p", "2025-01-10", std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                       std::nullopt, std::nullopt, 4, 3, 1)};
  PszaZoneMetrics m = PszaComputeZoneMetrics(PszaSumTotals(rows));
  EXPECT_FALSE(m.assisted_rate.has_value());
  EXPECT_FALSE(m.unassisted_rate.has_value());
  EXPECT_FALSE(m.total_shots.has_value());
  EXPECT_EQ(m.paint_attempts_pg, 0.0);
  // Three-point pair with a NULL side contributes nothing either (§10, deviation 11).
  PszaZoneTotals t = PszaRowTotals(Game("p", "2025-01-10", 1, 2, 1, 2, std::nullopt, 5));
  EXPECT_EQ(t.three_attempts, 0);
  EXPECT_EQ(t.complete_games, 0);
  EXPECT_EQ(t.paint_attempts, 2);
}

TEST(PszaHand, ZoneMetricsAssistedRatesDivideByFgMakes) {
  // 3 games: PA 4+4+4, MA 2+2+2, TA 3+3+3 -> T = 27; F = 5+5+2 = 12, A = 3+3+1 = 7, U = 2+2+1 = 5.
  std::vector<PlayerGame> rows = {Game("p", "2025-01-10", 2, 4, 1, 2, 1, 3),
                                  Game("p", "2025-01-11", 2, 4, 1, 2, 1, 3),
                                  Game("p", "2025-01-12", 2, 4, 1, 2, 1, 3, 2, 1, 1)};
  PszaZoneMetrics m = PszaComputeZoneMetrics(PszaSumTotals(rows));
  EXPECT_EQ(m.paint_rate, 44.44);      // 12/27*100 = 44.444...
  EXPECT_EQ(m.mid_range_rate, 22.22);  // 6/27*100
  EXPECT_EQ(m.three_pt_rate, 33.33);   // 9/27*100
  EXPECT_EQ(m.assisted_rate, 58.33);   // 7/12*100 = 58.333...
  EXPECT_EQ(m.unassisted_rate, 41.67);  // 5/12*100 = 41.666...
  EXPECT_EQ(m.paint_pct, 0.5);
  EXPECT_EQ(m.three_pt_pct, 0.333);
  EXPECT_EQ(m.three_pt_attempts_pg, 3.0);
  EXPECT_EQ(m.total_shots, 27);
}

TEST(PszaHand, WindowsCapAtTwentyAndSkipOtherSeasons) {
  // 25 games from 2024-11-01; D = 2024-11-30 sees games 11-01 .. 11-25 (25): L20 = 11-06 .. 11-25.
  std::vector<PlayerGame> rows = Streak("p", "2024-11-01", 25);
  rows.push_back(Game("p", "2024-09-30", 1, 1, 1, 1, 1, 1));  // season 2023: ignored
  PszaWindowIds w = PszaWindows(D("2024-11-30"), rows);
  EXPECT_EQ(w.games_in_sample_10, 10);
  EXPECT_EQ(w.games_in_sample_20, 20);
  EXPECT_EQ(w.l20_game_ids.front(), "20241125_NYK_BOS");
  EXPECT_EQ(w.l20_game_ids.back(), "20241106_NYK_BOS");
  EXPECT_EQ(w.l10_game_ids.back(), "20241116_NYK_BOS");
  // D = 2024-11-05: 4 games before D.
  w = PszaWindows(D("2024-11-05"), rows);
  EXPECT_EQ(w.games_in_sample_10, 4);
  EXPECT_EQ(w.games_in_sample_20, 4);
}

TEST(PszaHand, ComputePlayerTwentyOneGamesUsesLatestTwenty) {
  // 21 games; the oldest one has a huge paint volume that must not reach L20.
  std::vector<PlayerGame> rows = Streak("p", "2024-11-01", 21);
  rows[0].paint_attempts = 100;
  rows[0].paint_makes = 100;
  PszaPlayerResult result = PszaComputePlayer(D("2024-11-22"), "p", rows);
  ASSERT_TRUE(std::holds_alternative<PszaRow>(result));
  const PszaRow& row = std::get<PszaRow>(result);
  EXPECT_EQ(row.games_in_sample_20, 20);
  EXPECT_EQ(row.sample_quality_20, "excellent");
  EXPECT_EQ(row.paint_rate_last_20, 44.44);  // 80 / 180 * 100
  EXPECT_EQ(row.paint_pct_last_20, 0.5);
  EXPECT_EQ(row.primary_scoring_zone, "paint");
  EXPECT_FALSE(row.early_season_flag.has_value());
  EXPECT_FALSE(row.player_position.has_value());
  EXPECT_FALSE(row.calculation_notes.has_value());
  // No row at all for the player: 0 games.
  PszaPlayerResult none = PszaComputePlayer(D("2024-11-22"), "nobody", rows);
  ASSERT_TRUE(std::holds_alternative<EntityExclusion>(none));
  EXPECT_EQ(std::get<EntityExclusion>(none).failure_reason, "Only 0 games, need 10");
}

TEST(PszaHand, NamedValuesFollowSchemaOrder) {
  std::vector<PlayerGame> rows = Streak("p", "2024-11-01", 12);
  rows[3].paint_makes = std::nullopt;
  PszaPlayerResult result = PszaComputePlayer(D("2024-11-13"), "p", rows);
  ASSERT_TRUE(std::holds_alternative<PszaRow>(result));
  NamedValues values = ToNamedValues(std::get<PszaRow>(result));
  store::TableDef table = store::PszaTableDef();
  ASSERT_EQ(values.size() + 2, table.columns.size());
  for (size_t col_idx = 0; col_idx < values.size(); ++col_idx) {
    EXPECT_EQ(values[col_idx].first, table.columns[col_idx].name);
    if (!table.columns[col_idx].nullable) {
      EXPECT_FALSE(IsNull(values[col_idx].second)) << values[col_idx].first;
    }
  }
  EXPECT_EQ(table.columns[values.size()].name, "processed_at");
  EXPECT_EQ(table.columns[values.size() + 1].name, "engine_version");
  // Game 4 (2024-11-04) lacks paint data and is in L10 (11-03 .. 11-12): 9/10 complete.
  const PszaRow& row = std::get<PszaRow>(result);
  EXPECT_EQ(row.completeness_percentage, 90.0);
  EXPECT_TRUE(row.is_production_ready);
  EXPECT_EQ(std::get<std::string>(values[28].second), "[\"zone_data_incomplete\"]");
  EXPECT_EQ(std::get<std::string>(values[2].second), "2024-11-13");
}

TEST(PszaHand, SchemaDefinition) {
  store::TableDef table = store::PszaTableDef();
  EXPECT_EQ(table.FullName(), "nba_precompute.player_shot_zone_analysis");
  EXPECT_EQ(table.kind, store::TableKind::kOutput);
  EXPECT_EQ(table.key, (std::vector<std::string>{"player_lookup", "analysis_date"}));
  EXPECT_EQ(table.date_column, "analysis_date");
  ASSERT_EQ(table.columns.size(), 32u);
  const store::ColumnDef* pct = table.FindColumn("paint_pct_last_20");
  ASSERT_NE(pct, nullptr);
  EXPECT_EQ(pct->type, store::ColumnType::kNumeric);
  EXPECT_EQ(pct->scale, 3);
  EXPECT_EQ(table.FindColumn("three_pt_attempts_per_game")->scale, 1);
  EXPECT_EQ(table.FindColumn("assisted_rate_last_10")->scale, 2);
  EXPECT_EQ(table.FindColumn("completeness_percentage")->type, store::ColumnType::kFloat);
  EXPECT_FALSE(table.FindColumn("completeness_percentage")->nullable);
  EXPECT_EQ(table.FindColumn("data_quality_issues")->type, store::ColumnType::kArray);
  EXPECT_TRUE(table.FindColumn("early_season_flag")->nullable);
  EXPECT_EQ(table.FindColumn("early_season_flag")->type, store::ColumnType::kBoolean);
}

TEST(PszaHand, MissingInputReasonText) {
  // Only a row on D and a previous-season row: nothing in [S(D), D).
  std::vector<PlayerGame> rows = {Game("p", "2024-11-20", 1, 2, 1, 2, 1, 2), Game("p", "2024-04-10", 1, 2, 1, 2, 1, 2)};
  PszaDateResult result = PszaComputeDate(D("2024-11-20"), rows);
  EXPECT_EQ(result.outcome.status, DateStatus::kFailed);
  EXPECT_EQ(result.outcome.reason_code, "missing_input");
  EXPECT_EQ(result.outcome.reason, "missing_input: player_game_summary has no rows for season 2024 before 2024-11-20");
  EXPECT_EQ(PszaComputeDate(D("2024-11-20"), {}).outcome.reason_code, "missing_input");
}

TEST(PszaHand, StaleInputChecks) {
  std::vector<PlayerGame> rows = Streak("p", "2025-01-01", 12);  // 01-01 .. 01-12
  const Date date = D("2025-01-20");
  // Schedule has a final game on 01-15 without PGS rows -> stale.
  SeasonCalendar stale = ScheduleCalendar({D("2025-01-10"), D("2025-01-15"), D("2025-01-20")});
  PszaDateResult result = PszaComputeDate(date, rows, &stale);
  EXPECT_EQ(result.outcome.reason_code, "stale_input");
  EXPECT_EQ(result.outcome.reason,
            "stale_input: player_game_summary has no rows for 2025-01-15 (final games in the schedule)");
  EXPECT_EQ(result.missing_date, D("2025-01-15"));
  // A DNP row on 01-15 is a PGS row: not stale (§6 row 3 asks for any row).
  std::vector<PlayerGame> with_dnp = rows;
  PlayerGame dnp = Game("bench", "2025-01-15", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                        std::nullopt);
  dnp.minutes_played = std::nullopt;
  dnp.fg_attempts = std::nullopt;
  with_dnp.push_back(dnp);
  result = PszaComputeDate(date, with_dnp, &stale);
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  EXPECT_EQ(result.rows.size(), 1u);
  EXPECT_TRUE(result.exclusions.empty());  // bench has only a DNP row: not an entity
  // All-Star games never count for d*.
  SeasonCalendar all_star = ScheduleCalendar({D("2025-01-15")}, GameType::kAllStar);
  EXPECT_TRUE(PszaComputeDate(date, rows, &all_star).outcome.ok());
  // No schedule (calendar from PGS dates, or none): no stale check.
  SeasonCalendar pgs_only({}, {D("2025-01-15")}, D("2026-01-03"));
  EXPECT_TRUE(PszaComputeDate(date, rows, &pgs_only).outcome.ok());
  EXPECT_TRUE(PszaComputeDate(date, rows, nullptr).outcome.ok());
  // The latest final date is on PGS rows -> fine even if an older final date is not.
  SeasonCalendar older_gap = ScheduleCalendar({D("2024-12-25"), D("2025-01-12")});
  EXPECT_TRUE(PszaComputeDate(date, rows, &older_gap).outcome.ok());
  // Missing input wins over stale input.
  EXPECT_EQ(PszaComputeDate(D("2025-01-01"), rows, &stale).outcome.reason_code, "missing_input");
}

TEST(PszaHand, DateStatsAndOrder) {
  std::vector<PlayerGame> rows;
  for (const char* player : {"zed", "amy", "mid"}) {
    std::vector<PlayerGame> streak = Streak(player, "2024-11-01", 12);
    rows.insert(rows.end(), streak.begin(), streak.end());
  }
  for (const char* player : {"yan", "bob"}) {
    std::vector<PlayerGame> streak = Streak(player, "2024-11-05", 3);
    rows.insert(rows.end(), streak.begin(), streak.end());
  }
  // A player whose only games are on/after D is not an entity.
  std::vector<PlayerGame> late = Streak("late", "2024-11-13", 3);
  rows.insert(rows.end(), late.begin(), late.end());
  PszaDateResult result = PszaComputeDate(D("2024-11-13"), rows);
  ASSERT_TRUE(result.outcome.ok());
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].player_lookup, "amy");
  EXPECT_EQ(result.rows[1].player_lookup, "mid");
  EXPECT_EQ(result.rows[2].player_lookup, "zed");
  ASSERT_EQ(result.exclusions.size(), 2u);
  EXPECT_EQ(result.exclusions[0].entity_id, "bob");
  EXPECT_EQ(result.exclusions[1].entity_id, "yan");
  EXPECT_EQ(result.exclusions[1].failure_reason, "Only 3 games, need 10");
  EXPECT_EQ(result.exclusions[1].failure_category, "INSUFFICIENT_DATA");
  EXPECT_EQ(result.players_processed, 3);
  EXPECT_EQ(result.players_insufficient, 2);
  // Same row from the class and from the single-player function.
  PszaPlayerResult single = PszaComputePlayer(D("2024-11-13"), "mid", rows);
  ASSERT_TRUE(std::holds_alternative<PszaRow>(single));
  EXPECT_EQ(ToNamedValues(std::get<PszaRow>(single)), ToNamedValues(result.rows[1]));
}

// ------------------------------------------- point-in-time and determinism

// A season of varied games for several players (fixed seed).
std::vector<PlayerGame> SyntheticSeason() {
  std::mt19937 rng(20250128);
  auto pick = [&rng](uint32_t n) { return static_cast<int64_t>(rng() % n); };
  std::vector<PlayerGame> rows;
  const std::vector<std::string> players = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
  const Date first = D("2024-10-22");
  for (int day = 0; day < 80; ++day) {
    const Date date = first + day;
    for (const std::string& player : players) {
      if (pick(10) < 3) continue;  // not every player every day
      PlayerGame row = Game(player, "2024-10-22", 0, 0, 0, 0, 0, 0);
      row.game_date = date;
      std::string text = date.ToString();
      row.game_id = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2) + "_NYK_BOS";
      row.universal_player_id = player + (day < 40 ? "_001" : "_002");
      const int64_t pa = pick(12), ma = pick(7), ta = pick(10);
      row.paint_attempts = pa;
      row.paint_makes = pa > 0 ? pick(static_cast<uint32_t>(pa + 1)) : 0;
      row.mid_range_attempts = ma;
      row.mid_range_makes = ma > 0 ? pick(static_cast<uint32_t>(ma + 1)) : 0;
      row.three_pt_attempts = ta;
      row.three_pt_makes = ta > 0 ? pick(static_cast<uint32_t>(ta + 1)) : 0;
      row.fg_attempts = pa + ma + ta;
      row.fg_makes = *row.paint_makes + *row.mid_range_makes + *row.three_pt_makes;
      row.assisted_fg_makes = *row.fg_makes > 0 ? pick(static_cast<uint32_t>(*row.fg_makes + 1)) : 0;
      row.unassisted_fg_makes = *row.fg_makes - *row.assisted_fg_makes;
      row.minutes_played = static_cast<double>(pick(40));
      if (pick(8) == 0) {  // missing play-by-play
        row.paint_makes = std::nullopt;
        row.paint_attempts = std::nullopt;
        row.mid_range_makes = std::nullopt;
        row.mid_range_attempts = std::nullopt;
        row.assisted_fg_makes = std::nullopt;
        row.unassisted_fg_makes = std::nullopt;
      }
      if (pick(12) == 0) {  // DNP
        row.minutes_played = std::nullopt;
        row.fg_attempts = 0;
      }
      rows.push_back(row);
    }
  }
  return rows;
}

struct DateSnapshot {
  bool ok = false;
  std::string reason;
  std::vector<NamedValues> rows;
  std::vector<std::string> exclusions;
  bool operator==(const DateSnapshot&) const = default;
};

DateSnapshot Snapshot(const PszaDateResult& result) {
  DateSnapshot snap;
  snap.ok = result.outcome.ok();
  snap.reason = result.outcome.reason;
  for (const PszaRow& row : result.rows) snap.rows.push_back(ToNamedValues(row));
  for (const EntityExclusion& ex : result.exclusions) {
    snap.exclusions.push_back(ex.entity_id + "|" + ex.failure_category + "|" + ex.failure_reason + "|" +
                              (ex.can_retry ? "1" : "0"));
  }
  return snap;
}

TEST(PszaPointInTime, GamesOnOrAfterDNeverChangeD) {
  const std::vector<PlayerGame> rows = SyntheticSeason();
  const Date date = D("2024-12-20");
  const DateSnapshot base = Snapshot(PszaProcessor(rows).ComputeDate(date));
  ASSERT_TRUE(base.ok);
  ASSERT_GE(base.rows.size(), 5u);

  // Every statistic of every game on or after D changed.
  std::vector<PlayerGame> changed = rows;
  int touched = 0;
  for (PlayerGame& row : changed) {
    if (row.game_date < date) continue;
    ++touched;
    row.paint_attempts = 50;
    row.paint_makes = 1;
    row.mid_range_makes = std::nullopt;
    row.three_pt_attempts = 40;
    row.fg_makes = 33;
    row.assisted_fg_makes = 30;
    row.minutes_played = 48.0;
    row.universal_player_id = "changed_999";
  }
  ASSERT_GT(touched, 0);
  EXPECT_EQ(Snapshot(PszaProcessor(changed).ComputeDate(date)), base);

  // Every game on D deleted (and everything after D).
  std::vector<PlayerGame> deleted;
  for (const PlayerGame& row : rows) {
    if (row.game_date < date) deleted.push_back(row);
  }
  EXPECT_EQ(Snapshot(PszaProcessor(deleted).ComputeDate(date)), base);

  // A game on D - 1 changes D's rows.
  std::vector<PlayerGame> yesterday = rows;
  int changed_yesterday = 0;
  for (PlayerGame& row : yesterday) {
    if (row.game_date != date - 1 || !PszaQualifies(row)) continue;
    row.paint_attempts = row.paint_attempts.value_or(0) + 9;
    row.paint_makes = row.paint_makes.value_or(0) + 4;
    ++changed_yesterday;
  }
  ASSERT_GT(changed_yesterday, 0);
  EXPECT_NE(Snapshot(PszaProcessor(yesterday).ComputeDate(date)), base);
}

TEST(PszaDeterminism, ThreadsAndInputOrder) {
  const std::vector<PlayerGame> rows = SyntheticSeason();
  std::vector<Date> dates;
  for (Date date = D("2024-10-25"); date <= D("2025-01-12"); date = date + 1) dates.push_back(date);
  SeasonCalendar calendar = ScheduleCalendar({D("2024-10-22")});

  const PszaProcessor processor(rows, &calendar);
  std::vector<DateSnapshot> serial;
  for (Date date : dates) serial.push_back(Snapshot(processor.ComputeDate(date)));
  size_t total_rows = 0;
  for (const DateSnapshot& snap : serial) total_rows += snap.rows.size();
  ASSERT_GT(total_rows, 100u);

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

  std::vector<PlayerGame> shuffled = rows;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::reverse(shuffled.begin() + shuffled.size() / 3, shuffled.end());
  const PszaProcessor shuffled_processor(shuffled, &calendar);
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    EXPECT_EQ(Snapshot(shuffled_processor.ComputeDate(dates[date_idx])), serial[date_idx])
        << dates[date_idx].ToString();
  }
}

// ---------------------------------------------------------------- explain trace

std::vector<PlayerGame> WorkedExampleRows() {
  for (const json& vec : LoadVectors("psza", "psza.compute_player")) {
    if (vec.at("name") == "worked_example_psza_md") return ParseRows(vec.at("inputs").at("rows"));
  }
  return {};
}

// psza.md §13: the windows, sums and every column of the worked example.
TEST(PszaTrace, WorkedExampleSteps) {
  const std::vector<PlayerGame> rows = WorkedExampleRows();
  ASSERT_FALSE(rows.empty());
  const Date date = D("2025-01-28");
  const PszaProcessor processor(rows);
  const Trace trace = processor.TraceEntity(date, "jaysontatum");
  ASSERT_FALSE(trace.empty());

  // §4: L10 and L20, newest first (the ids of the psza.windows function).
  const PszaWindowIds ids = PszaWindows(date, rows);
  ASSERT_EQ(ids.l10_game_ids.size(), 10u);
  ASSERT_EQ(ids.l20_game_ids.size(), 20u);
  const auto list = [&rows](const std::vector<std::string>& game_ids) {
    std::string out;
    for (const std::string& game_id : game_ids) {
      for (const PlayerGame& row : rows) {
        if (row.game_id != game_id) continue;
        if (!out.empty()) out += ", ";
        out += row.game_date.ToString() + " " + game_id;
      }
    }
    return out;
  };
  ExpectStep(trace, "L10", "psza.md §4",
             "jaysontatum qualifying games with 2024-10-01 <= game_date < 2025-01-28 (22 in the season), by "
             "game_date, game_id DESC, first 10",
             Value{list(ids.l10_game_ids)}, false);
  ExpectStep(trace, "L20", "psza.md §4",
             "jaysontatum qualifying games with 2024-10-01 <= game_date < 2025-01-28 (22 in the season), by "
             "game_date, game_id DESC, first 20",
             Value{list(ids.l20_game_ids)}, false);
  EXPECT_EQ(std::get<std::string>(FindStep(trace, "L10")->value).substr(0, 11), "2025-01-27 ");
  EXPECT_EQ(std::get<std::string>(FindStep(trace, "L20")->value).find("2025-01-07"), std::string::npos);  // DNP
  ExpectStep(trace, "games_in_sample_10", "psza.md §4", "g10 = games in L10", Value{int64_t{10}}, true);
  ExpectStep(trace, "games_in_sample_20", "psza.md §4", "g20 = games in L20", Value{int64_t{20}}, true);
  ExpectStep(trace, "universal_player_id", "psza.md §7",
             "of the most recent L10 game (2025-01-27 " + ids.l10_game_ids[0] + "), no fallback",
             Value{"jaysontatum_001"}, true);

  // §7: the L10 sums of the §13 table.
  ExpectStep(trace, "L10 PM", "psza.md §7", "Σ paint_makes (games with both paint fields non-NULL)",
             Value{int64_t{42}}, false);
  ExpectStep(trace, "L10 PA", "psza.md §7", "Σ paint_attempts (same games)", Value{int64_t{66}}, false);
  ExpectStep(trace, "L10 MM", "psza.md §7", "Σ mid_range_makes (games with both mid-range fields non-NULL)",
             Value{int64_t{15}}, false);
  ExpectStep(trace, "L10 MA", "psza.md §7", "Σ mid_range_attempts (same games)", Value{int64_t{33}}, false);
  ExpectStep(trace, "L10 TM", "psza.md §7", "Σ three_pt_makes (games with both three-point fields non-NULL)",
             Value{int64_t{26}}, false);
  ExpectStep(trace, "L10 TA", "psza.md §7", "Σ three_pt_attempts (same games)", Value{int64_t{75}}, false);
  ExpectStep(trace, "L10 T", "psza.md §7", "PA + MA + TA = 66 + 33 + 75", Value{int64_t{174}}, false);
  ExpectStep(trace, "L10 F", "psza.md §7", "Σ fg_makes (NULL adds 0)", Value{int64_t{86}}, false);
  ExpectStep(trace, "L10 A", "psza.md §7", "Σ assisted_fg_makes (NULL adds 0)", Value{int64_t{48}}, false);
  ExpectStep(trace, "L10 U", "psza.md §7", "Σ unassisted_fg_makes (NULL adds 0)", Value{int64_t{33}}, false);

  // §7 columns: the exact value, then the §8 rounding.
  ExpectStep(trace, "paint_rate_last_10", "psza.md §7", "r2(PA / T × 100) = r2(66 / 174 × 100 = 37.93103448275862)",
             Value{37.93}, true);
  ExpectStep(trace, "mid_range_rate_last_10", "psza.md §7",
             "r2(MA / T × 100) = r2(33 / 174 × 100 = 18.96551724137931)", Value{18.97}, true);
  ExpectStep(trace, "three_pt_rate_last_10", "psza.md §7",
             "r2(TA / T × 100) = r2(75 / 174 × 100 = 43.103448275862064)", Value{43.1}, true);
  ExpectStep(trace, "total_shots_last_10", "psza.md §7", "T", Value{int64_t{174}}, true);
  ExpectStep(trace, "paint_pct_last_10", "psza.md §7", "r3(PM / PA) = r3(42 / 66 = " + FormatFloat(42.0 / 66.0) + ")",
             Value{0.636}, true);
  ExpectStep(trace, "mid_range_pct_last_10", "psza.md §7",
             "r3(MM / MA) = r3(15 / 33 = " + FormatFloat(15.0 / 33.0) + ")", Value{0.455}, true);
  ExpectStep(trace, "three_pt_pct_last_10", "psza.md §7",
             "r3(TM / TA) = r3(26 / 75 = " + FormatFloat(26.0 / 75.0) + ")", Value{0.347}, true);
  ExpectStep(trace, "paint_attempts_per_game", "psza.md §7", "r1(PA / g10) = r1(66 / 10 = 6.6)", Value{6.6}, true);
  ExpectStep(trace, "three_pt_attempts_per_game", "psza.md §7", "r1(TA / g10) = r1(75 / 10 = 7.5)", Value{7.5}, true);
  ExpectStep(trace, "assisted_rate_last_10", "psza.md §7",
             "r2(A / F × 100) = r2(48 / 86 × 100 = " + FormatFloat(48.0 / 86.0 * 100.0) + ")", Value{55.81}, true);
  ExpectStep(trace, "unassisted_rate_last_10", "psza.md §7",
             "r2(U / F × 100) = r2(33 / 86 × 100 = " + FormatFloat(33.0 / 86.0 * 100.0) + ")", Value{38.37}, true);

  // §7 L20: g20 = 20 >= 15.
  ExpectStep(trace, "L20 PM", "psza.md §7", "Σ paint_makes (games with both paint fields non-NULL)",
             Value{int64_t{102}}, false);
  ExpectStep(trace, "L20 T", "psza.md §7", "PA + MA + TA = 166 + 53 + 135", Value{int64_t{354}}, false);
  EXPECT_TRUE(std::none_of(trace.begin(), trace.end(), [](const TraceStep& step) { return step.name == "L20 F"; }));
  ExpectStep(trace, "paint_rate_last_20", "psza.md §7",
             "g20 = 20 >= 15: r2(PA / T × 100) = r2(166 / 354 × 100 = " + FormatFloat(166.0 / 354.0 * 100.0) + ")",
             Value{46.89}, true);
  ExpectStep(trace, "paint_pct_last_20", "psza.md §7",
             "g20 = 20 >= 15: r3(PM / PA) = r3(102 / 166 = " + FormatFloat(102.0 / 166.0) + ")", Value{0.614}, true);

  // §9.
  ExpectStep(trace, "primary_scoring_zone", "psza.md §9", "paint 37.93 < 40.0; three 43.1 >= 40.0", Value{"perimeter"},
             true);
  ExpectStep(trace, "data_quality_tier", "psza.md §9", "g10 = 10 (high >= 10, medium >= 7, else low)", Value{"high"},
             true);
  ExpectStep(trace, "sample_quality_20", "psza.md §9",
             "sample_quality(g20 = 20, 20): excellent >= 20, good >= 14, limited >= 10", Value{"excellent"}, true);
  ExpectStep(trace, "c", "psza.md §9", "L10 games whose six zone fields are all non-NULL", Value{int64_t{9}}, false);
  ExpectStep(trace, "completeness_percentage", "psza.md §9",
             "round_py(c / g10 × 100, 1) = round_py(9 / 10 × 100, 1)", Value{90.0}, true);
  ExpectStep(trace, "is_production_ready", "psza.md §9", "completeness_percentage >= 70.0: 90.0 >= 70.0",
             Value{true}, true);
  ExpectStep(trace, "data_quality_issues", "psza.md §9", "zone_data_incomplete if c < g10 (c = 9, g10 = 10)",
             Value{"[\"zone_data_incomplete\"]"}, true);
  ExpectStep(trace, "player_position", "psza.md §9", "always NULL (never computed)", Value{}, true);

  // §12.
  ExpectStep(trace, "data_hash", "psza.md §12", "first 16 hex digits of sha256(canonical string)",
             Value{"b1ba24226b8cc033"}, true);
  const std::string& canonical = std::get<std::string>(FindStep(trace, "canonical string")->value);
  EXPECT_EQ(canonical.substr(0, 25), "analysis_date:2025-01-28|");
  EXPECT_EQ(Sha256Hex(canonical).substr(0, 16), "b1ba24226b8cc033");
  EXPECT_EQ(trace.front().name, "L10");
  EXPECT_EQ(trace.back().name, "data_hash");
}

// NULL results say why: no zone attempts, no made shots, a short L20.
TEST(PszaTrace, NullColumnsSayWhy) {
  std::vector<PlayerGame> rows = Streak("nozone", "2024-11-01", 10);
  for (PlayerGame& row : rows) {
    row.paint_makes = 0;
    row.paint_attempts = 0;
    row.mid_range_makes = 0;
    row.mid_range_attempts = 0;
    row.three_pt_makes = 0;
    row.three_pt_attempts = 0;
    row.fg_makes = std::nullopt;
  }
  std::vector<PlayerGame> noast = Streak("nomakes", "2024-11-01", 12);
  for (PlayerGame& row : noast) row.fg_makes = 0;
  rows.insert(rows.end(), noast.begin(), noast.end());
  const PszaProcessor processor(rows);
  const Date date = D("2024-11-20");
  const PszaDateResult result = processor.ComputeDate(date);
  ASSERT_EQ(result.rows.size(), 2u);

  const Trace nozone = processor.TraceEntity(date, "nozone");
  ExpectStep(nozone, "L10 T", "psza.md §7", "PA + MA + TA = 0 + 0 + 0", Value{int64_t{0}}, false);
  ExpectStep(nozone, "paint_rate_last_10", "psza.md §7", "T = 0 -> NULL", Value{}, true);
  ExpectStep(nozone, "total_shots_last_10", "psza.md §7", "T = 0 -> NULL", Value{}, true);
  ExpectStep(nozone, "paint_pct_last_10", "psza.md §7", "PA = 0 -> NULL", Value{}, true);
  ExpectStep(nozone, "paint_attempts_per_game", "psza.md §7", "r1(PA / g10) = r1(0 / 10 = 0.0)", Value{0.0}, true);
  ExpectStep(nozone, "assisted_rate_last_10", "psza.md §7", "T = 0 -> NULL", Value{}, true);
  ExpectStep(nozone, "paint_rate_last_20", "psza.md §7", "g20 = 10 < 15 -> NULL", Value{}, true);
  ExpectStep(nozone, "paint_pct_last_20", "psza.md §7", "g20 = 10 < 15 -> NULL", Value{}, true);
  ExpectStep(nozone, "primary_scoring_zone", "psza.md §9", "rates paint NULL, mid NULL, three NULL all 0 (NULL = 0)",
             Value{}, true);
  ExpectStep(nozone, "sample_quality_20", "psza.md §9",
             "sample_quality(g20 = 10, 20): excellent >= 20, good >= 14, limited >= 10", Value{"limited"}, true);
  EXPECT_TRUE(std::none_of(nozone.begin(), nozone.end(), [](const TraceStep& step) { return step.name == "L20 T"; }));

  // Streak games: paint 2/4, mid 1/2, three 1/3 -> rates 44.44 / 22.22 / 33.33.
  const Trace nomakes = processor.TraceEntity(date, "nomakes");
  ExpectStep(nomakes, "assisted_rate_last_10", "psza.md §7", "F = 0 -> NULL", Value{}, true);
  ExpectStep(nomakes, "unassisted_rate_last_10", "psza.md §7", "F = 0 -> NULL", Value{}, true);
  ExpectStep(nomakes, "primary_scoring_zone", "psza.md §9", "paint 44.44 >= 40.0", Value{"paint"}, true);
  ExpectStep(nomakes, "games_in_sample_20", "psza.md §4", "g20 = games in L20", Value{int64_t{12}}, true);
}

// Key columns need no step; every other column of ToNamedValues has exactly
// one `column` step, identical to the row's cell.
void ExpectTraceMatchesRow(const PszaProcessor& processor, const PszaRow& row) {
  SCOPED_TRACE(row.player_lookup + " " + row.analysis_date.ToString());
  const Trace trace = processor.TraceEntity(row.analysis_date, row.player_lookup);
  ASSERT_FALSE(trace.empty());
  EXPECT_EQ(testing::ExpectColumnStepsMatchRow(trace, ToNamedValues(row), "psza.md", {"player_lookup", "analysis_date"}), 28u);
}

TEST(PszaTrace, ColumnStepsEqualTheRowOnEveryRowOfASeason) {
  const std::vector<PlayerGame> rows = SyntheticSeason();
  SeasonCalendar calendar = ScheduleCalendar({D("2024-10-22")});
  const PszaProcessor processor(rows, &calendar);
  int traced = 0;
  int excluded = 0;
  int short_l20 = 0;
  int incomplete = 0;
  for (Date date = D("2024-10-20"); date <= D("2025-01-12"); date = date + 2) {
    const PszaDateResult result = processor.ComputeDate(date);
    if (!result.outcome.ok()) {
      EXPECT_TRUE(processor.TraceEntity(date, "alpha").empty()) << date.ToString();
      continue;
    }
    for (const PszaRow& row : result.rows) {
      ExpectTraceMatchesRow(processor, row);
      short_l20 += row.paint_rate_last_20.has_value() ? 0 : 1;
      incomplete += row.data_quality_issues.empty() ? 0 : 1;
      ++traced;
    }
    for (const EntityExclusion& exclusion : result.exclusions) {
      EXPECT_TRUE(processor.TraceEntity(date, exclusion.entity_id).empty()) << exclusion.entity_id;
      ++excluded;
    }
    EXPECT_TRUE(processor.TraceEntity(date, "zulu").empty());  // never in the input
  }
  EXPECT_GT(traced, 100);
  EXPECT_GT(excluded, 5);
  EXPECT_GT(short_l20, 0);
  EXPECT_GT(incomplete, 0);
}

TEST(PszaTrace, ExcludedUnknownAndFailedDatesGiveNoSteps) {
  std::vector<PlayerGame> rows = Streak("full", "2024-11-01", 12);
  std::vector<PlayerGame> few = Streak("few", "2024-11-05", 3);
  rows.insert(rows.end(), few.begin(), few.end());
  PlayerGame dnp = Game("dnp", "2024-11-06", 1, 2, 1, 2, 1, 2);
  dnp.minutes_played = std::nullopt;
  dnp.fg_attempts = std::nullopt;
  rows.push_back(dnp);
  const PszaProcessor processor(rows);
  const Date date = D("2024-11-13");
  ASSERT_EQ(processor.ComputeDate(date).rows.size(), 1u);
  EXPECT_FALSE(processor.TraceEntity(date, "full").empty());
  EXPECT_TRUE(processor.TraceEntity(date, "few").empty());  // Only 3 games, need 10
  EXPECT_TRUE(processor.TraceEntity(date, "dnp").empty());  // only a DNP row: no entity
  EXPECT_TRUE(processor.TraceEntity(date, "nobody").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2024-10-20"), "full").empty());  // missing_input
  // stale_input: the schedule has a final game on D - 1 that PGS lacks.
  SeasonCalendar calendar = ScheduleCalendar({date - 1});
  std::vector<PlayerGame> before;
  for (const PlayerGame& row : rows) {
    if (row.game_date < date - 1) before.push_back(row);
  }
  const PszaProcessor stale(before, &calendar);
  ASSERT_EQ(stale.ComputeDate(date).outcome.reason_code, "stale_input");
  EXPECT_TRUE(stale.TraceEntity(date, "full").empty());
}

}  // namespace
}  // namespace nbapc::processors
