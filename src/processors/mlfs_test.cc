#include "processors/mlfs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/calendar.h"
#include "core/hash.h"
#include "core/numbers.h"
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

// "YYYYMMDD".
std::string CompactDateForTest(Date date) {
  std::string text = date.ToString();
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

// ---- JSON -> inputs ----

PlayerGame PgsFromJson(const json& row, const std::string& player_lookup = "marcusexample") {
  PlayerGame game;
  game.player_lookup = row.contains("player_lookup") ? row.at("player_lookup").get<std::string>() : player_lookup;
  game.game_id = row.at("game_id").get<std::string>();
  game.game_date = JsonDate(row.at("game_date"));
  game.season_year = row.at("season_year").get<int>();
  game.team_abbr = row.at("team_abbr").get<std::string>();
  game.opponent_team_abbr = row.value("opponent_team_abbr", "NYK");
  game.universal_player_id = OptString(row, "universal_player_id");
  game.is_active = OptBool(row, "is_active").value_or(true);
  game.minutes_played = OptDouble(row, "minutes_played");
  game.points = OptInt(row, "points");
  game.fg_attempts = OptInt(row, "fg_attempts");
  game.fg_makes = OptInt(row, "fg_makes");
  game.assisted_fg_makes = OptInt(row, "assisted_fg_makes");
  game.ft_makes = OptInt(row, "ft_makes");
  game.usage_rate = OptDouble(row, "usage_rate");
  game.ts_pct = OptDouble(row, "ts_pct");
  return game;
}

std::vector<PlayerGame> PgsRowsFromJson(const json& rows) {
  std::vector<PlayerGame> out;
  for (const json& row : rows) out.push_back(PgsFromJson(row));
  return out;
}

MlfsRecentGame RecentFromJson(const json& row) {
  MlfsRecentGame game;
  if (row.contains("game_date") && !row.at("game_date").is_null()) game.game_date = JsonDate(row.at("game_date"));
  game.points = OptInt(row, "points");
  game.minutes_played = OptDouble(row, "minutes_played");
  game.ft_makes = OptInt(row, "ft_makes");
  return game;
}

std::vector<MlfsRecentGame> RecentGamesFromJson(const json& rows) {
  std::vector<MlfsRecentGame> out;
  for (const json& row : rows) out.push_back(RecentFromJson(row));
  return out;
}

std::optional<MlfsSeasonStats> SeasonFromJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  MlfsSeasonStats season;
  season.points_avg_season = OptDouble(value, "points_avg_season");
  season.minutes_avg_season = OptDouble(value, "minutes_avg_season");
  season.games_played_season = value.at("games_played_season").get<int64_t>();
  return season;
}

std::vector<std::optional<double>> OptDoubles(const json& values) {
  std::vector<std::optional<double>> out;
  for (const json& value : values) {
    out.push_back(value.is_null() ? std::nullopt : std::optional<double>(value.get<double>()));
  }
  return out;
}

std::vector<MlfsSource> SourcesFromJson(const json& values) {
  std::vector<MlfsSource> out;
  for (const json& value : values) out.push_back(ParseMlfsSource(value.get<std::string>()).value());
  return out;
}

std::vector<std::string> SourceNames(std::span<const MlfsSource> sources) {
  std::vector<std::string> out;
  for (MlfsSource source : sources) out.emplace_back(MlfsSourceName(source));
  return out;
}

void ExpectFeature(const MlfsFeature& actual, const json& expected, const std::string& name) {
  EXPECT_EQ(actual.value, expected.at("value").get<double>()) << name;
  EXPECT_EQ(MlfsSourceName(actual.source), expected.at("source").get<std::string>()) << name;
}

template <typename Opt>
void ExpectOpt(const Opt& actual, const json& obj, const char* key, const std::string& name) {
  if (!obj.contains(key) || obj.at(key).is_null()) {
    EXPECT_FALSE(actual.has_value()) << name << " " << key;
  } else {
    ASSERT_TRUE(actual.has_value()) << name << " " << key;
    EXPECT_EQ(*actual, obj.at(key).get<typename Opt::value_type>()) << name << " " << key;
  }
}

// ---- Vector tests (vectors/mlfs.json) ----

TEST(MlfsVectorsTest, RestAdvantage) {
  const auto vectors = LoadVectors("mlfs", "mlfs.rest_advantage");
  ASSERT_EQ(vectors.size(), 10u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    ExpectFeature(MlfsRestAdvantage(OptInt(in, "days_rest"), OptInt(in, "opponent_days_rest")), v.at("expected"),
                  v.at("name"));
  }
}

TEST(MlfsVectorsTest, InjuryRisk) {
  const auto vectors = LoadVectors("mlfs", "mlfs.injury_risk");
  ASSERT_EQ(vectors.size(), 11u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    ExpectFeature(MlfsInjuryRisk(in.at("context_present").get<bool>(), OptString(in, "player_status")),
                  v.at("expected"), v.at("name"));
  }
}

TEST(MlfsVectorsTest, RecentTrend) {
  const auto vectors = LoadVectors("mlfs", "mlfs.recent_trend");
  ASSERT_EQ(vectors.size(), 13u);
  for (const json& v : vectors) {
    const auto points = OptDoubles(v.at("inputs").at("last_10_points"));
    ExpectFeature(MlfsRecentTrend(points), v.at("expected"), v.at("name"));
  }
}

TEST(MlfsVectorsTest, MinutesChange) {
  const auto vectors = LoadVectors("mlfs", "mlfs.minutes_change");
  ASSERT_EQ(vectors.size(), 16u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    const auto minutes = OptDoubles(in.at("last_10_minutes"));
    ExpectFeature(
        MlfsMinutesChange(OptDouble(in, "pdc_minutes_avg_last_10"), minutes, OptDouble(in, "minutes_avg_season")),
        v.at("expected"), v.at("name"));
  }
}

TEST(MlfsVectorsTest, PctFreeThrow) {
  const auto vectors = LoadVectors("mlfs", "mlfs.pct_free_throw");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& v : vectors) {
    const auto games = RecentGamesFromJson(v.at("inputs").at("last_10_games"));
    ExpectFeature(MlfsPctFreeThrow(games), v.at("expected"), v.at("name"));
  }
}

TEST(MlfsVectorsTest, TeamWinPct) {
  const auto vectors = LoadVectors("mlfs", "mlfs.team_win_pct");
  ASSERT_EQ(vectors.size(), 11u);
  for (const json& v : vectors) {
    int64_t games = 0;
    int64_t wins = 0;
    for (const json& game : v.at("inputs").at("team_season_games")) {
      ++games;
      if (OptBool(game, "win_flag").value_or(false)) ++wins;
    }
    ExpectFeature(MlfsTeamWinPct(games, wins), v.at("expected"), v.at("name"));
  }
}

TEST(MlfsVectorsTest, QualityScore) {
  const auto vectors = LoadVectors("mlfs", "mlfs.quality_score");
  ASSERT_EQ(vectors.size(), 17u);
  for (const json& v : vectors) {
    const auto sources = SourcesFromJson(v.at("inputs").at("feature_sources"));
    ASSERT_EQ(sources.size(), 25u);
    const MlfsQuality quality = MlfsQualityScore(sources);
    const json& e = v.at("expected");
    const std::string name = v.at("name");
    EXPECT_EQ(quality.feature_quality_score, e.at("feature_quality_score").get<double>()) << name;
    EXPECT_EQ(quality.quality_tier, e.at("quality_tier").get<std::string>()) << name;
    EXPECT_EQ(quality.data_source, e.at("data_source").get<std::string>()) << name;
  }
}

TEST(MlfsVectorsTest, SeasonPhaseByMonth) {
  const auto vectors = LoadVectors("mlfs", "mlfs.season_phase_by_month");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& v : vectors) {
    EXPECT_EQ(MlfsSeasonPhaseByMonth(JsonDate(v.at("inputs").at("game_date"))),
              v.at("expected").at("season_phase").get<std::string>())
        << v.at("name");
  }
}

TEST(MlfsVectorsTest, IsHomeFromGameId) {
  const auto vectors = LoadVectors("mlfs", "mlfs.is_home_from_game_id");
  ASSERT_EQ(vectors.size(), 2u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    const std::optional<bool> is_home =
        MlfsIsHomeFromGameId(in.at("game_id").get<std::string>(), in.at("team_abbr").get<std::string>());
    ASSERT_TRUE(is_home.has_value());
    EXPECT_EQ(*is_home, v.at("expected").at("is_home").get<bool>()) << v.at("name");
  }
  EXPECT_FALSE(MlfsIsHomeFromGameId("0022400561", "BOS").has_value());
}

TEST(MlfsVectorsTest, RestDays) {
  const auto vectors = LoadVectors("mlfs", "mlfs.rest_days");
  ASSERT_EQ(vectors.size(), 7u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    std::optional<MlfsRestContext> context;
    if (!in.at("context").is_null()) {
      context = MlfsRestContext{OptInt(in.at("context"), "days_rest"), OptBool(in.at("context"), "back_to_back")};
    }
    const auto rows = PgsRowsFromJson(in.at("pgs_rows"));
    std::optional<std::vector<Date>> opponent_dates;
    if (!in.at("opponent_team_dates").is_null()) {
      opponent_dates.emplace();
      for (const json& date : in.at("opponent_team_dates")) opponent_dates->push_back(JsonDate(date));
    }
    const MlfsRest rest =
        MlfsRestDays(JsonDate(in.at("game_date")), context, rows, opponent_dates ? &*opponent_dates : nullptr);
    const json& e = v.at("expected");
    const std::string name = v.at("name");
    ExpectOpt(rest.days_rest, e, "days_rest", name);
    ExpectOpt(rest.opponent_days_rest, e, "opponent_days_rest", name);
    ExpectOpt(rest.back_to_back, e, "back_to_back", name);
  }
}

TEST(MlfsVectorsTest, Phase3Inputs) {
  const auto vectors = LoadVectors("mlfs", "mlfs.phase3_inputs");
  ASSERT_EQ(vectors.size(), 4u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    const std::string name = v.at("name");
    const auto rows = PgsRowsFromJson(in.at("pgs_rows"));
    const MlfsPhase3 phase3 = MlfsPhase3Inputs(JsonDate(in.at("game_date")), rows);
    const json& e = v.at("expected");
    const json& games = e.at("last_10_games");
    ASSERT_EQ(phase3.last_10_games.size(), games.size()) << name;
    for (size_t idx = 0; idx < games.size(); ++idx) {
      const MlfsRecentGame& game = phase3.last_10_games[idx];
      EXPECT_EQ(game.game_date, JsonDate(games[idx].at("game_date"))) << name << " " << idx;
      ExpectOpt(game.points, games[idx], "points", name);
      ExpectOpt(game.minutes_played, games[idx], "minutes_played", name);
      ExpectOpt(game.ft_makes, games[idx], "ft_makes", name);
    }
    if (e.at("season").is_null()) {
      EXPECT_FALSE(phase3.season.has_value()) << name;
    } else {
      ASSERT_TRUE(phase3.season.has_value()) << name;
      ExpectOpt(phase3.season->points_avg_season, e.at("season"), "points_avg_season", name);
      ExpectOpt(phase3.season->minutes_avg_season, e.at("season"), "minutes_avg_season", name);
      EXPECT_EQ(phase3.season->games_played_season, e.at("season").at("games_played_season").get<int64_t>()) << name;
    }
  }
}

std::optional<MlfsPdcInput> PdcFromJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  MlfsPdcInput row;
  row.points_avg_last_5 = OptDouble(value, "points_avg_last_5");
  row.points_avg_last_10 = OptDouble(value, "points_avg_last_10");
  row.points_avg_season = OptDouble(value, "points_avg_season");
  row.points_std_last_10 = OptDouble(value, "points_std_last_10");
  row.games_in_last_7_days = OptInt(value, "games_in_last_7_days");
  row.minutes_avg_last_10 = OptDouble(value, "minutes_avg_last_10");
  row.team_pace_last_10 = OptDouble(value, "team_pace_last_10");
  row.team_off_rating_last_10 = OptDouble(value, "team_off_rating_last_10");
  return row;
}

std::optional<MlfsPcfInput> PcfFromJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  MlfsPcfInput row;
  // fatigue_score is INTEGER in storage; the vectors write 82 or 65.0.
  if (auto fatigue = OptDouble(value, "fatigue_score")) row.fatigue_score = static_cast<int64_t>(*fatigue);
  row.shot_zone_mismatch_score = OptDouble(value, "shot_zone_mismatch_score");
  row.pace_score = OptDouble(value, "pace_score");
  row.usage_spike_score = OptDouble(value, "usage_spike_score");
  return row;
}

std::optional<MlfsPszaInput> PszaFromJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  MlfsPszaInput row;
  row.paint_rate_last_10 = OptDouble(value, "paint_rate_last_10");
  row.mid_range_rate_last_10 = OptDouble(value, "mid_range_rate_last_10");
  row.three_pt_rate_last_10 = OptDouble(value, "three_pt_rate_last_10");
  return row;
}

std::optional<MlfsTdzaInput> TdzaFromJson(const json& value) {
  if (value.is_null()) return std::nullopt;
  MlfsTdzaInput row;
  row.defensive_rating_last_15 = OptDouble(value, "defensive_rating_last_15");
  row.opponent_pace = OptDouble(value, "opponent_pace");
  return row;
}

TEST(MlfsVectorsTest, AssembleFeatures) {
  const auto vectors = LoadVectors("mlfs", "mlfs.assemble_features");
  ASSERT_EQ(vectors.size(), 9u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    const std::string name = v.at("name");
    const auto pdc = PdcFromJson(in.at("pdc"));
    const auto pcf = PcfFromJson(in.at("pcf"));
    const auto psza = PszaFromJson(in.at("psza"));
    const auto tdza = TdzaFromJson(in.at("tdza_opponent"));
    const auto games = RecentGamesFromJson(in.at("last_10_games"));
    MlfsAssembleInputs inputs;
    inputs.game_date = JsonDate(in.at("game_date"));
    inputs.pdc = pdc ? &*pdc : nullptr;
    inputs.pcf = pcf ? &*pcf : nullptr;
    inputs.psza = psza ? &*psza : nullptr;
    inputs.tdza_opponent = tdza ? &*tdza : nullptr;
    if (!in.at("context").is_null()) {
      inputs.context =
          MlfsContextFields{OptString(in.at("context"), "player_status"), OptString(in.at("context"), "season_phase")};
    }
    const json& player = in.at("player");
    inputs.player = MlfsPlayerFacts{OptBool(player, "is_home"), OptInt(player, "days_rest"),
                                    OptInt(player, "opponent_days_rest"), OptBool(player, "back_to_back")};
    inputs.last_10_games = games;
    inputs.season = SeasonFromJson(in.at("season"));
    for (const json& game : in.at("team_season_games")) {
      ++inputs.team_season_games;
      if (OptBool(game, "win_flag").value_or(false)) ++inputs.team_season_wins;
    }
    const MlfsAssembled assembled = MlfsAssembleFeatures(inputs);
    const json& e = v.at("expected");
    const std::vector<double> expected_features = e.at("features").get<std::vector<double>>();
    ASSERT_EQ(expected_features.size(), 25u);
    for (size_t idx = 0; idx < 25; ++idx) {
      EXPECT_EQ(assembled.features[idx], expected_features[idx]) << name << " feature " << idx;
    }
    EXPECT_EQ(SourceNames(assembled.feature_sources), e.at("feature_sources").get<std::vector<std::string>>()) << name;
    EXPECT_EQ(assembled.quality.feature_quality_score, e.at("feature_quality_score").get<double>()) << name;
    EXPECT_EQ(assembled.quality.quality_tier, e.at("quality_tier").get<std::string>()) << name;
    EXPECT_EQ(assembled.quality.data_source, e.at("data_source").get<std::string>()) << name;
  }
}

// Expected row JSON (arrays as JSON arrays) vs a row.
void ExpectRowMatchesJson(const MlfsRow& row, const json& e, const std::string& name) {
  EXPECT_EQ(row.player_lookup, e.at("player_lookup").get<std::string>()) << name;
  ExpectOpt(row.universal_player_id, e, "universal_player_id", name);
  EXPECT_EQ(row.game_date, JsonDate(e.at("game_date"))) << name;
  EXPECT_EQ(row.game_id, e.at("game_id").get<std::string>()) << name;
  EXPECT_EQ(row.team_abbr, e.at("team_abbr").get<std::string>()) << name;
  EXPECT_EQ(row.opponent_team_abbr, e.at("opponent_team_abbr").get<std::string>()) << name;
  ExpectOpt(row.is_home, e, "is_home", name);
  ExpectOpt(row.days_rest, e, "days_rest", name);
  const std::vector<double> features = e.at("features").get<std::vector<double>>();
  ASSERT_EQ(features.size(), 25u);
  for (size_t idx = 0; idx < 25; ++idx) EXPECT_EQ(row.features[idx], features[idx]) << name << " feature " << idx;
  std::vector<std::string> names(MlfsFeatureNames().begin(), MlfsFeatureNames().end());
  EXPECT_EQ(names, e.at("feature_names").get<std::vector<std::string>>()) << name;
  EXPECT_EQ(SourceNames(row.feature_sources), e.at("feature_sources").get<std::vector<std::string>>()) << name;
  EXPECT_EQ(row.feature_count, e.at("feature_count").get<int64_t>()) << name;
  EXPECT_EQ(row.feature_version, e.at("feature_version").get<std::string>()) << name;
  EXPECT_EQ(row.feature_quality_score, e.at("feature_quality_score").get<double>()) << name;
  EXPECT_EQ(row.quality_tier, e.at("quality_tier").get<std::string>()) << name;
  EXPECT_EQ(row.data_source, e.at("data_source").get<std::string>()) << name;
  ExpectOpt(row.completeness_percentage, e, "completeness_percentage", name);
  EXPECT_EQ(row.is_production_ready, e.at("is_production_ready").get<bool>()) << name;
  EXPECT_EQ(row.data_quality_issues, e.at("data_quality_issues").get<std::vector<std::string>>()) << name;
  EXPECT_EQ(row.data_hash, e.at("data_hash").get<std::string>()) << name;
}

TEST(MlfsVectorsTest, BuildRow) {
  const auto vectors = LoadVectors("mlfs", "mlfs.build_row");
  ASSERT_EQ(vectors.size(), 5u);
  for (const json& v : vectors) {
    const json& in = v.at("inputs");
    const std::string name = v.at("name");
    const json& p = in.at("player");
    MlfsPlayerIdentity player;
    player.player_lookup = p.at("player_lookup").get<std::string>();
    player.universal_player_id = OptString(p, "universal_player_id");
    player.game_date = JsonDate(p.at("game_date"));
    player.game_id = p.at("game_id").get<std::string>();
    player.team_abbr = p.at("team_abbr").get<std::string>();
    player.opponent_team_abbr = p.at("opponent_team_abbr").get<std::string>();
    player.is_home = OptBool(p, "is_home");
    player.days_rest = OptInt(p, "days_rest");
    const json& a = in.at("assembled");
    MlfsAssembled assembled;
    const std::vector<double> features = a.at("features").get<std::vector<double>>();
    const std::vector<MlfsSource> sources = SourcesFromJson(a.at("feature_sources"));
    ASSERT_EQ(features.size(), 25u);
    ASSERT_EQ(sources.size(), 25u);
    std::copy(features.begin(), features.end(), assembled.features.begin());
    std::copy(sources.begin(), sources.end(), assembled.feature_sources.begin());
    assembled.quality.feature_quality_score = a.at("feature_quality_score").get<double>();
    assembled.quality.quality_tier = a.at("quality_tier").get<std::string>();
    assembled.quality.data_source = a.at("data_source").get<std::string>();
    const json& up = in.at("upstream_rows_present");
    MlfsUpstreamPresence present;
    present.player_daily_cache = up.at("player_daily_cache").get<bool>();
    present.player_composite_factors = up.at("player_composite_factors").get<bool>();
    present.player_shot_zone_analysis = up.at("player_shot_zone_analysis").get<bool>();
    present.team_defense_zone_analysis = up.at("team_defense_zone_analysis").get<bool>();

    const MlfsRow row = MlfsBuildRow(player, assembled, OptDouble(in, "completeness_percentage"), present);
    ExpectRowMatchesJson(row, v.at("expected").at("row"), name);
    const NamedValues values = ToNamedValues(row);
    ASSERT_EQ(values.size(), 20u);
    EXPECT_EQ(values[8].first, "features");
    EXPECT_EQ(std::get<std::string>(values[8].second), v.at("expected").at("features_text").get<std::string>()) << name;
  }
}

TEST(MlfsVectorsTest, ArrayText) {
  const auto vectors = LoadVectors("mlfs", "mlfs.array_text");
  ASSERT_EQ(vectors.size(), 3u);
  for (const json& v : vectors) {
    std::vector<Value> values;
    for (const json& item : v.at("inputs").at("values")) {
      if (item.is_string()) {
        values.emplace_back(item.get<std::string>());
      } else {
        values.emplace_back(item.get<double>());
      }
    }
    EXPECT_EQ(MlfsArrayText(values), v.at("expected").at("text").get<std::string>()) << v.at("name");
  }
}

TEST(MlfsVectorsTest, DataHashOfWorkedExampleRow) {
  const auto vectors = LoadVectors("mlfs", "data_hash");
  ASSERT_EQ(vectors.size(), 1u);
  const json& f = vectors[0].at("inputs").at("fields");
  MlfsRow row;
  row.player_lookup = f.at("player_lookup").get<std::string>();
  row.universal_player_id = OptString(f, "universal_player_id");
  row.game_date = JsonDate(f.at("game_date"));
  row.game_id = f.at("game_id").get<std::string>();
  row.team_abbr = f.at("team_abbr").get<std::string>();
  row.opponent_team_abbr = f.at("opponent_team_abbr").get<std::string>();
  row.is_home = OptBool(f, "is_home");
  row.days_rest = OptInt(f, "days_rest");
  const std::vector<double> features = f.at("features").get<std::vector<double>>();
  std::copy(features.begin(), features.end(), row.features.begin());
  const std::vector<MlfsSource> sources = SourcesFromJson(f.at("feature_sources"));
  std::copy(sources.begin(), sources.end(), row.feature_sources.begin());
  row.feature_quality_score = f.at("feature_quality_score").get<double>();
  row.quality_tier = f.at("quality_tier").get<std::string>();
  row.data_source = f.at("data_source").get<std::string>();
  row.completeness_percentage = OptDouble(f, "completeness_percentage");
  row.is_production_ready = f.at("is_production_ready").get<bool>();
  EXPECT_EQ(MlfsDataHash(row), vectors[0].at("expected").at("data_hash").get<std::string>());
}

// ---- The processor on the worked example (mlfs.md §12) ----

struct Warehouse {
  std::vector<PlayerGame> pgs;
  std::vector<TeamOffenseGame> togs;
  std::vector<UpcomingPlayerContext> upgc;
  std::vector<ScheduleGame> schedule;
  std::vector<MlfsPdcInput> pdc;
  std::vector<MlfsPcfInput> pcf;
  std::vector<MlfsPszaInput> psza;
  std::vector<MlfsTdzaInput> tdza;
  Date today = D("2026-01-03");

  MlfsInputs Inputs() const { return MlfsInputs{pgs, togs, upgc, schedule, pdc, pcf, psza, tdza}; }
  std::vector<Date> PgsDates() const {
    std::set<Date> dates;
    for (const PlayerGame& row : pgs) dates.insert(row.game_date);
    return {dates.begin(), dates.end()};
  }
};

TeamOffenseGame Togs(const std::string& team, Date date, bool win) {
  TeamOffenseGame game;
  game.team_abbr = team;
  game.game_date = date;
  game.season_year = SeasonYear(date);
  game.game_id = CompactDateForTest(date) + "_" + team + "_XXX";
  game.win_flag = win;
  return game;
}

Warehouse WorkedExample() {
  Warehouse w;
  const json v = LoadVectors("mlfs", "mlfs.rest_days").at(0);
  for (const json& row : v.at("inputs").at("pgs_rows")) w.pgs.push_back(PgsFromJson(row));
  // BOS team season games of the assemble vector (25 wins of 38).
  const json a = LoadVectors("mlfs", "mlfs.assemble_features").at(0);
  for (const json& game : a.at("inputs").at("team_season_games")) {
    w.togs.push_back(Togs("BOS", JsonDate(game.at("game_date")), game.at("win_flag").get<bool>()));
  }
  for (const char* date : {"2025-01-14", "2025-01-12", "2025-01-10"}) w.togs.push_back(Togs("NYK", D(date), true));
  const Date d = D("2025-01-15");
  w.pdc.push_back(MlfsPdcInput{"marcusexample", d, 24.6, 23.3, 22.9167, 4.296, 3, 33.1667, 100.0, 114.2});
  w.pcf.push_back(MlfsPcfInput{"marcusexample", d, 82, 1.8, 0.5, -0.4});
  w.psza.push_back(MlfsPszaInput{"marcusexample", d, 28.57, 19.05, 52.38});
  w.tdza.push_back(MlfsTdzaInput{"NYK", d, 110.73, 98.6});
  return w;
}

TEST(MlfsProcessorTest, WorkedExampleThroughTheProcessor) {
  const Warehouse w = WorkedExample();
  const SeasonCalendar calendar({}, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const MlfsDateResult result = processor.ComputeDate(D("2025-01-15"));
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  EXPECT_TRUE(result.historical);
  ASSERT_EQ(result.rows.size(), 1u);
  const json fields = LoadVectors("mlfs", "data_hash").at(0).at("inputs").at("fields");
  json expected = fields;
  expected["data_hash"] = "86a996cbae825926";
  ExpectRowMatchesJson(result.rows[0], expected, "worked example");
  EXPECT_TRUE(result.exclusions.empty());
  EXPECT_EQ(result.stats.players, 1);
  EXPECT_EQ(result.stats.rows, 1);
  EXPECT_EQ(result.stats.feature_version, "v1_baseline_25");
  EXPECT_EQ(result.stats.avg_quality, 94.6);
  EXPECT_EQ(result.stats.default_features, 1);
  EXPECT_EQ(result.stats.production_ready, 1);
  EXPECT_EQ(result.stats.quality_tiers.at("silver"), 1);
  EXPECT_EQ(result.stats.data_sources.at("phase4_partial"), 1);
  EXPECT_TRUE(result.stats.issues.empty());
  const NamedValues values = ToNamedValues(result.rows[0]);
  EXPECT_EQ(std::get<std::string>(values[8].second),
            "[24.6,23.3,22.9167,4.296,3.0,82.0,1.8,0.5,-0.4,1.0,0.0,2.0,0.0,110.73,98.6,1.0,0.0,0.0,0.2857,0.1905,"
            "0.5238,0.214592275,100.0,114.2,0.657894737]");
  EXPECT_EQ(std::get<std::string>(values[18].second), "[]");
}

// ---- Hand-computed cases through the processor ----

PlayerGame Pgs(const std::string& player, const char* date, const std::string& team, const std::string& opponent,
               const std::string& game_id, std::optional<int64_t> points, std::optional<double> minutes,
               std::optional<int64_t> ft_makes) {
  PlayerGame game;
  game.player_lookup = player;
  game.game_date = D(date);
  game.season_year = SeasonYear(game.game_date);
  game.team_abbr = team;
  game.opponent_team_abbr = opponent;
  game.game_id = game_id;
  game.universal_player_id = player + "_001";
  game.is_active = true;
  game.points = points;
  game.minutes_played = minutes;
  game.fg_attempts = points ? std::optional<int64_t>(*points / 2) : std::nullopt;
  game.ft_makes = ft_makes;
  return game;
}

ScheduleGame Sched(const char* date, const std::string& away, const std::string& home, GameStatus status) {
  ScheduleGame game;
  game.game_date = D(date);
  game.season_year = SeasonYear(game.game_date);
  game.game_id = "00224" + CompactDateForTest(game.game_date).substr(3);
  game.away_team_abbr = away;
  game.home_team_abbr = home;
  game.game_type = GameType::kRegularSeason;
  game.game_status = status;
  return game;
}

// D = 2025-01-15, BOS at NYK. `fallbackguy` (BOS) has 6 games and no Phase 4
// row; `newguy` (NYK) debuts on D; `ctxguy` (BOS) has only a UPGC row.
Warehouse HandWarehouse() {
  Warehouse w;
  const std::string g = "20250115_BOS_NYK";
  struct Game {
    const char* date;
    int64_t points;
    double minutes;
    int64_t ft;
    bool win;
  };
  const Game games[] = {{"2025-01-03", 10, 20.0, 1, true},  {"2025-01-05", 22, 31.0, 6, false},
                        {"2025-01-07", 15, 25.0, 3, true},  {"2025-01-09", 25, 33.0, 5, true},
                        {"2025-01-11", 18, 28.0, 2, false}, {"2025-01-13", 20, 30.0, 4, true}};
  for (const Game& game : games) {
    const std::string id = CompactDateForTest(D(game.date)) + "_BOS_MIA";
    w.pgs.push_back(Pgs("fallbackguy", game.date, "BOS", "MIA", id, game.points, game.minutes, game.ft));
    w.togs.push_back(Togs("BOS", D(game.date), game.win));
  }
  w.togs.push_back(Togs("NYK", D("2025-01-14"), true));
  // The game of D itself (used only by later dates).
  w.togs.push_back(Togs("BOS", D("2025-01-15"), false));
  w.togs.push_back(Togs("NYK", D("2025-01-15"), true));
  w.pgs.push_back(Pgs("fallbackguy", "2025-01-15", "BOS", "NYK", g, 31, 40.0, 9));
  w.pgs.push_back(Pgs("newguy", "2025-01-15", "NYK", "BOS", g, 12, 22.0, 2));
  w.pgs.push_back(Pgs("ctxguy", "2025-01-15", "BOS", "NYK", g, 3, 8.0, 0));
  UpcomingPlayerContext ctx;
  ctx.player_lookup = "ctxguy";
  ctx.game_id = g;
  ctx.game_date = D("2025-01-15");
  ctx.team_abbr = "BOS";
  ctx.opponent_team_abbr = "NYK";
  ctx.home_game = false;
  ctx.days_rest = 2;
  ctx.player_status = "questionable";
  w.upgc.push_back(ctx);
  // Upcoming 2025-01-17 NYK hosts BOS: UPGC rows only for NYK (newguy).
  UpcomingPlayerContext upcoming = ctx;
  upcoming.player_lookup = "newguy";
  upcoming.game_id = "20250117_BOS_NYK";
  upcoming.game_date = D("2025-01-17");
  upcoming.team_abbr = "NYK";
  upcoming.opponent_team_abbr = "BOS";
  upcoming.home_game = true;
  upcoming.days_rest = 1;
  upcoming.back_to_back = false;
  upcoming.player_status = "available";
  upcoming.season_phase = "Playoffs";
  w.upgc.push_back(upcoming);
  w.schedule.push_back(Sched("2025-01-15", "BOS", "NYK", GameStatus::kFinal));
  w.schedule.push_back(Sched("2025-01-17", "BOS", "NYK", GameStatus::kScheduled));
  w.schedule.push_back(Sched("2025-01-19", "MIA", "BOS", GameStatus::kFinal));  // final, but no PGS rows
  w.today = D("2025-01-16");
  return w;
}

std::vector<std::string> Expand(const std::string& codes) {
  // p = phase4, 3 = phase3, c = calculated, d = default.
  std::vector<std::string> out;
  for (char code : codes) {
    out.push_back(code == 'p' ? "phase4" : code == '3' ? "phase3" : code == 'c' ? "calculated" : "default");
  }
  return out;
}

const MlfsRow& RowOf(const MlfsDateResult& result, const std::string& player) {
  for (const MlfsRow& row : result.rows) {
    if (row.player_lookup == player) return row;
  }
  ADD_FAILURE() << "no row for " << player;
  static const MlfsRow kEmpty;
  return kEmpty;
}

std::vector<double> Features(const MlfsRow& row) { return {row.features.begin(), row.features.end()}; }

const std::vector<std::string> kAllIssues = {
    "upstream_player_daily_cache_incomplete", "upstream_player_composite_factors_incomplete",
    "upstream_player_shot_zone_incomplete", "upstream_team_defense_zone_incomplete"};

TEST(MlfsProcessorTest, PhaseThreeFallbackWithoutPhaseFourRows) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const MlfsDateResult result = processor.ComputeDate(D("2025-01-15"));
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].player_lookup, "ctxguy");
  EXPECT_EQ(result.rows[1].player_lookup, "fallbackguy");
  EXPECT_EQ(result.rows[2].player_lookup, "newguy");

  const MlfsRow& row = RowOf(result, "fallbackguy");
  // Last-10 newest first: 20, 18, 25, 15, 22, 10 (110 points, 167 minutes, 21 FT).
  // F0 = 100/5; F1 = F2 = 110/6; F11: 63/3 - 37/2 = 2.5 -> 1; F12: 167/6 vs
  // 167/6 -> 0; F21 = round(21/110, 9); F24 = 4/6; rest 1 vs NYK 0 -> +1.
  const std::vector<double> expected = {20.0, 110.0 / 6.0, 110.0 / 6.0, 5.0,         3.0,   50.0,  0.0,        0.0, 0.0,
                                        1.0,  0.0,         1.0,         0.0,         112.0, 100.0, 0.0,        0.0, 0.0,
                                        0.3,  0.2,         0.35,        0.190909091, 100.0, 112.0, 0.666666667};
  EXPECT_EQ(Features(row), expected);
  EXPECT_EQ(SourceNames(row.feature_sources), Expand("333ddddddcdccdd333dddcddc"));
  // (6 * 75 + 5 * 100 + 14 * 40) / 25 = 60.4.
  EXPECT_EQ(row.feature_quality_score, 60.4);
  EXPECT_EQ(row.quality_tier, "bronze");
  EXPECT_EQ(row.data_source, "mixed");
  EXPECT_EQ(row.game_id, "20250115_BOS_NYK");
  EXPECT_EQ(row.is_home, false);
  EXPECT_EQ(row.days_rest, 1);
  EXPECT_EQ(row.completeness_percentage, 100.0);  // 6 of BOS's 6 earlier games
  EXPECT_EQ(row.data_quality_issues, kAllIssues);
  EXPECT_FALSE(row.is_production_ready);
  EXPECT_EQ(row.data_hash, MlfsDataHash(row));
}

TEST(MlfsProcessorTest, NeitherPhaseFourNorHistoryGivesDefaults) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const MlfsDateResult result = processor.ComputeDate(D("2025-01-15"));
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;

  const MlfsRow& row = RowOf(result, "newguy");
  // No appearance in 30 days -> days_rest 30; BOS last played 01-13 -> 1;
  // clamp(29) = 2. Home (third token NYK). NYK has 1 earlier game: win pct
  // default; completeness 0/1.
  const std::vector<double> expected = {10.0,  10.0,  10.0, 5.0, 3.0, 50.0, 0.0, 0.0,  0.0,  2.0,   0.0,   0.0, 0.0,
                                        112.0, 100.0, 1.0,  0.0, 0.0, 0.3,  0.2, 0.35, 0.15, 100.0, 112.0, 0.5};
  EXPECT_EQ(Features(row), expected);
  EXPECT_EQ(SourceNames(row.feature_sources), Expand("dddddddddcddddd333ddddddd"));
  // (3 * 75 + 1 * 100 + 21 * 40) / 25 = 46.6.
  EXPECT_EQ(row.feature_quality_score, 46.6);
  EXPECT_EQ(row.quality_tier, "poor");
  EXPECT_EQ(row.data_source, "mixed");
  EXPECT_EQ(row.is_home, true);
  EXPECT_EQ(row.days_rest, 30);
  EXPECT_EQ(row.completeness_percentage, 0.0);
  EXPECT_EQ(row.data_quality_issues, kAllIssues);
  EXPECT_FALSE(row.is_production_ready);

  // ctxguy: UPGC row on D gives rest 2 (BOS-NYK 2 - 0 -> +2) and injury 2;
  // BOS record 4/6.
  const MlfsRow& ctx = RowOf(result, "ctxguy");
  const std::vector<double> ctx_expected = {10.0, 10.0, 10.0, 5.0,  3.0,   50.0,  0.0,        0.0, 0.0,
                                            2.0,  2.0,  0.0,  0.0,  112.0, 100.0, 0.0,        0.0, 0.0,
                                            0.3,  0.2,  0.35, 0.15, 100.0, 112.0, 0.666666667};
  EXPECT_EQ(Features(ctx), ctx_expected);
  EXPECT_EQ(SourceNames(ctx.feature_sources), Expand("dddddddddccdddd333ddddddc"));
  EXPECT_EQ(ctx.feature_quality_score, 51.4);
  EXPECT_EQ(ctx.days_rest, 2);
  EXPECT_EQ(ctx.is_home, false);  // from game_id, not UPGC home_game
  EXPECT_EQ(result.stats.default_features, 14 + 21 + 19);
  EXPECT_EQ(result.stats.issues.at("upstream_player_daily_cache_incomplete"), 3);
  EXPECT_EQ(result.stats.quality_tiers.at("bronze"), 2);
  EXPECT_EQ(result.stats.quality_tiers.at("poor"), 1);
  EXPECT_EQ(result.stats.production_ready, 0);
  EXPECT_EQ(result.stats.avg_quality, RoundPy((51.4 + 60.4 + 46.6) / 3.0, 2));
}

TEST(MlfsProcessorTest, UpcomingDateUsesContextRowsAndRosterFallback) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const MlfsDateResult result = processor.ComputeDate(D("2025-01-17"));
  ASSERT_TRUE(result.outcome.ok()) << result.outcome.reason;
  EXPECT_FALSE(result.historical);
  ASSERT_EQ(result.rows.size(), 3u);
  // BOS has no UPGC row on D: its roster (latest row of the season with BOS).
  const MlfsRow& roster = RowOf(result, "fallbackguy");
  EXPECT_EQ(roster.game_id, "20250117_BOS_NYK");
  EXPECT_EQ(roster.team_abbr, "BOS");
  EXPECT_EQ(roster.opponent_team_abbr, "NYK");
  EXPECT_EQ(roster.is_home, false);
  EXPECT_EQ(roster.universal_player_id, "fallbackguy_001");
  EXPECT_EQ(roster.days_rest, 1);                               // appeared 01-15
  EXPECT_EQ(roster.feature_sources[10], MlfsSource::kDefault);  // no context
  EXPECT_EQ(RowOf(result, "ctxguy").team_abbr, "BOS");
  // NYK's player from UPGC: home_game, days_rest 1 vs BOS (TOGS 01-15) 1 -> 0;
  // injury "available" 0 calculated; "Playoffs" -> playoff_game 1.
  const MlfsRow& upgc = RowOf(result, "newguy");
  EXPECT_EQ(upgc.is_home, true);
  EXPECT_EQ(upgc.days_rest, 1);
  EXPECT_EQ(upgc.features[9], 0.0);
  EXPECT_EQ(upgc.feature_sources[9], MlfsSource::kCalculated);
  EXPECT_EQ(upgc.feature_sources[10], MlfsSource::kCalculated);
  EXPECT_EQ(upgc.features[17], 1.0);
  // newguy's 01-15 game (12 points) is history now: last-10 of one game.
  EXPECT_EQ(upgc.features[1], 12.0);
  EXPECT_EQ(upgc.feature_sources[1], MlfsSource::kPhase3);
}

TEST(MlfsProcessorTest, DateLevelFailures) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const MlfsDateResult missing = processor.ComputeDate(D("2025-01-19"));
  EXPECT_FALSE(missing.outcome.ok());
  EXPECT_EQ(missing.outcome.reason_code, "missing_input");
  EXPECT_EQ(missing.outcome.reason, "missing_input: player_game_summary has no rows for 2025-01-19");
  EXPECT_TRUE(missing.rows.empty());
  const MlfsDateResult none = processor.ComputeDate(D("2025-01-20"));
  EXPECT_FALSE(none.outcome.ok());
  EXPECT_EQ(none.outcome.reason_code, "no_players");
  EXPECT_EQ(none.outcome.reason, "no_players: no players for 2025-01-20");
}

// ---- A synthetic season for point-in-time and determinism ----

struct Synthetic {
  Warehouse w;
  std::vector<Date> game_dates;  // historical game dates, ascending
  Date upcoming;
};

Synthetic MakeSynthetic() {
  Synthetic s;
  Warehouse& w = s.w;
  std::mt19937 rng(20250115);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const auto chance = [&](int percent) { return uniform(1, 100) <= percent; };
  const std::vector<std::string> teams = {"BOS", "LAL", "MIA", "NYK"};
  const auto roster_team = [&](const std::string& team, int slot, Date date) {
    // lalplayer5 is traded to MIA on 2024-12-15.
    if (team == "LAL" && slot == 5 && date >= D("2024-12-15")) return std::string("MIA");
    return team;
  };
  const int pairings[3][2][2] = {{{0, 3}, {1, 2}}, {{0, 1}, {2, 3}}, {{0, 2}, {1, 3}}};
  const std::vector<std::string> statuses = {"available", "probable", "questionable", "out", "Doubtful", ""};
  int game_idx = 0;
  for (Date date = D("2024-10-22"); date <= D("2025-02-01"); date = date + 2, ++game_idx) {
    s.game_dates.push_back(date);
    for (const auto& pair : pairings[game_idx % 3]) {
      const bool flip = game_idx % 2 == 1;
      const std::string away = teams[flip ? pair[1] : pair[0]];
      const std::string home = teams[flip ? pair[0] : pair[1]];
      const std::string game_id = CompactDateForTest(date) + "_" + away + "_" + home;
      ScheduleGame sched = Sched("2024-10-22", away, home, GameStatus::kFinal);
      sched.game_date = date;
      sched.game_id = "0022400" + std::to_string(100 + game_idx * 2 + (pair[0] % 2));
      w.schedule.push_back(sched);
      const bool home_wins = chance(57);
      for (const std::string& team : {away, home}) {
        const std::string opponent = team == away ? home : away;
        TeamOffenseGame togs;
        togs.team_abbr = team;
        togs.opponent_team_abbr = opponent;
        togs.game_id = game_id;
        togs.game_date = date;
        togs.season_year = SeasonYear(date);
        togs.win_flag = (team == home) == home_wins;
        togs.pace = 95.0 + uniform(0, 100) / 10.0;
        w.togs.push_back(togs);
        // Players on this team today (including a traded-in player).
        for (const std::string& base : teams) {
          for (int slot = 0; slot < 6; ++slot) {
            if (roster_team(base, slot, date) != team) continue;
            std::string lookup = base + "player" + std::to_string(slot);
            for (char& ch : lookup) ch = static_cast<char>(std::tolower(ch));
            if (chance(5)) continue;  // no row (inactive)
            PlayerGame row;
            row.player_lookup = lookup;
            row.game_id = game_id;
            row.game_date = date;
            row.season_year = SeasonYear(date);
            row.universal_player_id = chance(3) ? std::nullopt : std::optional<std::string>(lookup + "_001");
            row.team_abbr = team;
            row.opponent_team_abbr = opponent;
            if (chance(10)) {  // DNP
              row.points = 0;
              row.fg_attempts = 0;
              row.ft_makes = 0;
            } else {
              row.minutes_played = uniform(10, 80) / 2.0;
              row.points = chance(3) ? std::nullopt : std::optional<int64_t>(uniform(0, 35));
              row.fg_attempts = uniform(0, 25);
              row.ft_makes = chance(3) ? std::nullopt : std::optional<int64_t>(uniform(0, 8));
            }
            row.is_active = !chance(2);
            w.pgs.push_back(row);
            if (game_idx % 4 == 0) {
              UpcomingPlayerContext ctx;
              ctx.player_lookup = lookup;
              ctx.game_id = game_id;
              ctx.game_date = date;
              ctx.universal_player_id = row.universal_player_id;
              ctx.team_abbr = team;
              ctx.opponent_team_abbr = opponent;
              ctx.home_game = team == home;
              if (!chance(20)) ctx.days_rest = uniform(0, 3);
              if (!chance(30)) ctx.back_to_back = chance(20);
              if (!chance(20)) ctx.player_status = statuses[static_cast<size_t>(uniform(0, 5))];
              if (chance(50)) ctx.season_phase = chance(50) ? "mid" : "PLAYOFFS";
              w.upgc.push_back(ctx);
            }
            if (date >= D("2024-12-01")) {
              if (chance(80)) {
                w.pdc.push_back(MlfsPdcInput{lookup, date, uniform(50, 300) / 10.0, uniform(50, 300) / 10.0,
                                             chance(10) ? std::nullopt : std::optional<double>(uniform(50, 300) / 10.0),
                                             uniform(0, 100) / 10.0, uniform(0, 4), uniform(100, 400) / 10.0,
                                             uniform(950, 1050) / 10.0, uniform(1050, 1200) / 10.0});
              }
              if (chance(85)) {
                w.pcf.push_back(MlfsPcfInput{lookup, date, uniform(0, 100), uniform(-100, 100) / 10.0,
                                             uniform(-30, 30) / 10.0, uniform(-30, 30) / 10.0});
              }
              if (chance(70)) {
                w.psza.push_back(
                    MlfsPszaInput{lookup, date, uniform(1000, 5000) / 100.0,
                                  chance(10) ? std::nullopt : std::optional<double>(uniform(500, 3000) / 100.0),
                                  uniform(1000, 5000) / 100.0});
              }
            }
          }
        }
        if (date >= D("2024-12-01") && chance(85)) {
          w.tdza.push_back(MlfsTdzaInput{team, date, uniform(1000, 1250) / 10.0, uniform(900, 1100) / 10.0});
        }
      }
    }
  }
  // One upcoming date: BOS at NYK and LAL at MIA scheduled, UPGC only for NYK.
  s.upcoming = D("2025-02-03");
  ScheduleGame a = Sched("2025-02-03", "BOS", "NYK", GameStatus::kScheduled);
  ScheduleGame b = Sched("2025-02-03", "LAL", "MIA", GameStatus::kScheduled);
  b.game_id = "0022400999";
  w.schedule.push_back(a);
  w.schedule.push_back(b);
  for (int slot = 0; slot < 6; ++slot) {
    UpcomingPlayerContext ctx;
    ctx.player_lookup = "nykplayer" + std::to_string(slot);
    ctx.game_id = "20250203_BOS_NYK";
    ctx.game_date = s.upcoming;
    ctx.team_abbr = "NYK";
    ctx.opponent_team_abbr = "BOS";
    ctx.home_game = true;
    ctx.days_rest = 1;
    ctx.player_status = slot == 0 ? "out" : "available";
    w.upgc.push_back(ctx);
    w.pdc.push_back(MlfsPdcInput{ctx.player_lookup, s.upcoming, 20.0, 19.5, 18.25, 4.0, 2, 30.0, 99.5, 113.0});
  }
  w.tdza.push_back(MlfsTdzaInput{"BOS", s.upcoming, 111.5, 99.0});
  w.today = s.upcoming;
  return s;
}

// Every column of every row (and the outcome), as text.
std::string ResultText(const MlfsDateResult& result) {
  std::string out = result.outcome.reason_code + "|" + result.outcome.reason + "\n";
  for (const MlfsRow& row : result.rows) {
    for (const auto& [name, value] : ToNamedValues(row)) out += std::string(name) + "=" + HashFieldText(value) + ";";
    out += "\n";
  }
  return out;
}

std::vector<Date> ProcessedDates(const Synthetic& s) {
  std::vector<Date> dates;
  for (Date date : s.game_dates) {
    if (date >= D("2024-11-05")) dates.push_back(date);
  }
  dates.push_back(s.upcoming);
  return dates;
}

std::vector<std::string> ComputeAll(const Warehouse& w, const std::vector<Date>& dates, int threads) {
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  std::vector<std::string> out(dates.size());
  std::vector<std::thread> workers;
  for (int worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      for (size_t idx = static_cast<size_t>(worker); idx < dates.size(); idx += static_cast<size_t>(threads)) {
        out[idx] = ResultText(processor.ComputeDate(dates[idx]));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return out;
}

TEST(MlfsSyntheticTest, CoversEveryBranch) {
  // Sanity of the synthetic season: rows on every date, both phases of the
  // fallback chain and a roster fallback on the upcoming date.
  const Synthetic s = MakeSynthetic();
  const SeasonCalendar calendar(s.w.schedule, s.w.PgsDates(), s.w.today);
  const MlfsProcessor processor(s.w.Inputs(), calendar);
  std::set<std::string> seen_sources;
  int64_t rows = 0;
  for (Date date : ProcessedDates(s)) {
    const MlfsDateResult result = processor.ComputeDate(date);
    ASSERT_TRUE(result.outcome.ok()) << date.ToString() << " " << result.outcome.reason;
    ASSERT_FALSE(result.rows.empty());
    EXPECT_TRUE(std::is_sorted(result.rows.begin(), result.rows.end(),
                               [](const MlfsRow& a, const MlfsRow& b) { return a.player_lookup < b.player_lookup; }));
    for (const MlfsRow& row : result.rows) {
      for (MlfsSource source : row.feature_sources) seen_sources.insert(MlfsSourceName(source));
      for (double value : row.features) EXPECT_TRUE(std::isfinite(value));
      EXPECT_EQ(row.data_hash, MlfsDataHash(row));
    }
    rows += static_cast<int64_t>(result.rows.size());
  }
  EXPECT_EQ(seen_sources.size(), 4u);
  EXPECT_GT(rows, 1000);
  const MlfsDateResult upcoming = processor.ComputeDate(s.upcoming);
  EXPECT_FALSE(upcoming.historical);
  // NYK from UPGC (6), BOS, LAL (minus the traded player) and MIA (plus him) by roster.
  EXPECT_EQ(upcoming.rows.size(), 24u);
  const MlfsRow& traded = RowOf(upcoming, "lalplayer5");
  EXPECT_EQ(traded.team_abbr, "MIA");
  EXPECT_EQ(traded.game_id, "20250203_LAL_MIA");
  EXPECT_EQ(traded.is_home, true);
  EXPECT_EQ(RowOf(upcoming, "nykplayer0").features[10], 3.0);  // out
}

TEST(MlfsPointInTimeTest, StatisticsOnOrAfterTheDateDoNotChangeItsRows) {
  const Synthetic s = MakeSynthetic();
  const std::vector<Date> dates = {s.game_dates[20], s.game_dates[33], s.game_dates[44]};
  const std::vector<std::string> baseline = ComputeAll(s.w, dates, 1);
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    const Date d = dates[date_idx];
    for (int variant = 0; variant < 2; ++variant) {
      Warehouse w = s.w;
      // PGS: rows on D keep only their identity; later rows are changed or deleted.
      std::vector<PlayerGame> pgs;
      for (PlayerGame row : w.pgs) {
        if (row.game_date < d) {
          pgs.push_back(row);
          continue;
        }
        if (row.game_date > d && variant == 0) continue;
        row.is_active = !row.is_active;
        row.minutes_played = variant == 0 ? std::nullopt : std::optional<double>(47.0);
        row.points = variant == 0 ? std::nullopt : std::optional<int64_t>(99);
        row.fg_attempts = variant == 0 ? std::nullopt : std::optional<int64_t>(40);
        row.fg_makes = variant == 0 ? std::nullopt : std::optional<int64_t>(30);
        row.ft_makes = variant == 0 ? std::nullopt : std::optional<int64_t>(20);
        pgs.push_back(row);
      }
      w.pgs = pgs;
      // TOGS on or after D: deleted or changed.
      std::vector<TeamOffenseGame> togs;
      for (TeamOffenseGame row : w.togs) {
        if (row.game_date >= d) {
          if (variant == 0) continue;
          row.win_flag = !row.win_flag;
          row.pace = 120.0;
        }
        togs.push_back(row);
      }
      w.togs = togs;
      // Rows of other dates of UPGC and the Phase 4 tables: deleted or changed.
      std::erase_if(w.upgc, [&](const UpcomingPlayerContext& row) { return row.game_date > d && variant == 0; });
      for (UpcomingPlayerContext& row : w.upgc) {
        if (row.game_date > d) row.player_status = "out";
      }
      std::erase_if(w.pdc, [&](const MlfsPdcInput& row) { return row.cache_date != d && variant == 0; });
      for (MlfsPdcInput& row : w.pdc) {
        if (row.cache_date != d) row.points_avg_last_5 = 55.0;
      }
      std::erase_if(w.pcf, [&](const MlfsPcfInput& row) { return row.game_date != d && variant == 0; });
      std::erase_if(w.psza, [&](const MlfsPszaInput& row) { return row.analysis_date != d && variant == 0; });
      std::erase_if(w.tdza, [&](const MlfsTdzaInput& row) { return row.analysis_date != d && variant == 0; });
      const std::vector<std::string> mutated = ComputeAll(w, {d}, 1);
      EXPECT_EQ(mutated[0], baseline[date_idx]) << d.ToString() << " variant " << variant;
    }
  }
  // The test can fail: a statistic before D does change D's rows.
  Warehouse w = s.w;
  for (PlayerGame& row : w.pgs) {
    if (row.game_date == s.game_dates[19] && row.points) row.points = *row.points + 7;
  }
  EXPECT_NE(ComputeAll(w, {dates[0]}, 1)[0], baseline[0]);
}

TEST(MlfsDeterminismTest, ThreadsAndInputOrderDoNotMatter) {
  const Synthetic s = MakeSynthetic();
  const std::vector<Date> dates = ProcessedDates(s);
  const std::vector<std::string> one = ComputeAll(s.w, dates, 1);
  const std::vector<std::string> four = ComputeAll(s.w, dates, 4);
  EXPECT_EQ(one, four);

  Warehouse shuffled = s.w;
  std::mt19937 rng(7);
  std::shuffle(shuffled.pgs.begin(), shuffled.pgs.end(), rng);
  std::shuffle(shuffled.togs.begin(), shuffled.togs.end(), rng);
  std::shuffle(shuffled.upgc.begin(), shuffled.upgc.end(), rng);
  std::shuffle(shuffled.schedule.begin(), shuffled.schedule.end(), rng);
  std::shuffle(shuffled.pdc.begin(), shuffled.pdc.end(), rng);
  std::shuffle(shuffled.pcf.begin(), shuffled.pcf.end(), rng);
  std::shuffle(shuffled.psza.begin(), shuffled.psza.end(), rng);
  std::shuffle(shuffled.tdza.begin(), shuffled.tdza.end(), rng);
  EXPECT_EQ(ComputeAll(shuffled, dates, 4), one);
}

// ---- Formula steps for explain (issue 7) ----

TEST(MlfsTraceTest, WorkedExampleSteps) {
  // mlfs.md §12, step by step.
  const Warehouse w = WorkedExample();
  const SeasonCalendar calendar({}, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  const Trace trace = processor.TraceEntity(D("2025-01-15"), "marcusexample");
  ASSERT_FALSE(trace.empty());
  const std::string s3 = "mlfs.md §3", s4 = "mlfs.md §4", s5 = "mlfs.md §5", s6 = "mlfs.md §6", s7 = "mlfs.md §7",
                    s8 = "mlfs.md §8", s9 = "mlfs.md §9", s10 = "mlfs.md §10";
  // §3 identity, §4 upstream rows.
  ExpectStep(trace, "player row", s3, "historical date: the player's PGS row on D", Value{std::string("PGS row on D")},
             false);
  ExpectStep(trace, "is_home", s3, "third '_'-token of game_id 20250115_NYK_BOS is team_abbr BOS?", Value{true}, true);
  ExpectStep(trace, "context", s3, "UPGC row (player, D)", Value{std::string("none")}, false);
  ExpectStep(trace, "Phase 4 rows of D", s4,
             "PDC (cache_date = D), PCF (game_date = D), PSZA (analysis_date = D) of the player; TDZA of the opponent",
             Value{std::string("PDC yes, PCF yes, PSZA yes, TDZA(NYK) yes")}, false);
  // §5 rest: last appearance 01-13 -> 1; NYK last played 01-14 -> 0.
  ExpectStep(trace, "last appearance", s5,
             "no context row: latest PGS row before D with minutes > 0 or points > 0 or fg_attempts > 0",
             Value{std::string("2025-01-13")}, false);
  ExpectStep(trace, "days_rest", s5, "synthetic (pcf.md §13.2): (2025-01-15 - 2025-01-13).days - 1 = 2 - 1",
             Value{int64_t{1}}, true);
  ExpectStep(trace, "back_to_back", s5, "TRUE iff days_rest = 0: days_rest is 1", Value{false}, false);
  ExpectStep(trace, "opponent_days_rest", s5, "(2025-01-15 - 2025-01-14).days - 1 = 1 - 1", Value{int64_t{0}}, false);
  // §5 Phase 3: 10 of the 12 qualifying games of season 2024 (01-10 is a DNP).
  const TraceStep* last10 = FindStep(trace, "P3 last-10 games");
  ASSERT_NE(last10, nullptr);
  EXPECT_EQ(last10->formula,
            "qualifying games with 2024-11-16 <= game_date < 2025-01-15, newest first, at most 10: 10 games");
  EXPECT_EQ(std::get<std::string>(last10->value).substr(0, 74),
            "2025-01-13 30 pts 36.0 min 8 ft; 2025-01-11 27 pts 34.0 min 6 ft; 2025-01-");
  ExpectStep(trace, "P3 season games", s5, "qualifying games of season 2024 before 2025-01-15", Value{int64_t{12}},
             false);
  ExpectStep(trace, "P3 points_avg_season", s5, "sum points / non-NULL count = 275.0 / 12", Value{275.0 / 12.0}, false);
  ExpectStep(trace, "P3 minutes_avg_season", s5, "sum minutes_played / non-NULL count = 360.5 / 11",
             Value{360.5 / 11.0}, false);
  ExpectStep(trace, "team season games", s5,
             "TOGS rows of BOS with season_year 2024 and game_date < 2025-01-15; wins = win_flag TRUE",
             Value{std::string("25 wins / 38 games")}, false);
  ExpectStep(trace, "L10 player rows", s5, "player PGS rows on those dates (missing: 2025-01-09)", Value{int64_t{9}},
             false);
  ExpectStep(trace, "completeness_percentage", s5, "round_py(100 * rows / games, 1) = round_py(100 * 9 / 10, 1)",
             Value{90.0}, true);
  // §6 / §7 features.
  ExpectStep(trace, "features[0] points_avg_last_5", s6, "phase4: pdc.points_avg_last_5", Value{24.6}, false);
  ExpectStep(trace, "features[4] games_in_last_7_days", s6, "phase4: pdc.games_in_last_7_days (INTEGER, as double)",
             Value{3.0}, false);
  ExpectStep(trace, "features[8] usage_spike_score", s6, "phase4: pcf.usage_spike_score", Value{-0.4}, false);
  ExpectStep(trace, "features[9] rest_advantage", s7,
             "calculated: clamp(days_rest - opponent_days_rest, -2, 2) = clamp(1 - 0, -2, 2)", Value{1.0}, false);
  ExpectStep(trace, "features[10] injury_risk", s7, "default: no context (UPGC) row -> constant", Value{0.0}, false);
  ExpectStep(
      trace, "recent_trend diff", s7,
      "(p1 + p2 + p3) / 3 - (p4 + p5) / 2 of the 5 newest P3 games = (30.0 + 27.0 + 24.0) / 3 - (22.0 + 20.0) / 2",
      Value{6.0}, false);
  ExpectStep(trace, "features[11] recent_trend", s7, "calculated: diff 6.0 >= 5.0 -> 2", Value{2.0}, false);
  ExpectStep(trace, "minutes recent", s7, "pdc.minutes_avg_last_10", Value{33.1667}, false);
  const double season_minutes = 360.5 / 11.0;
  const double p = (33.1667 - season_minutes) / season_minutes;
  ExpectStep(
      trace, "minutes p", s7,
      "(recent - season) / season = (33.1667 - " + FormatFloat(season_minutes) + ") / " + FormatFloat(season_minutes),
      Value{p}, false);
  ExpectStep(trace, "features[12] minutes_change", s7, "calculated: p " + FormatFloat(p) + " in (-0.1, 0.1) -> 0",
             Value{0.0}, false);
  ExpectStep(trace, "features[13] opponent_def_rating", s6, "phase4: tdza(NYK).defensive_rating_last_15", Value{110.73},
             false);
  ExpectStep(trace, "features[15] home_away", s6, "phase3: is_home TRUE", Value{1.0}, false);
  ExpectStep(trace, "features[16] back_to_back", s6, "phase3: back_to_back FALSE", Value{0.0}, false);
  ExpectStep(trace, "features[17] playoff_game", s6,
             "phase3: 1.0 iff season phase is 'playoffs': 'mid' (month 1 of D, no context season_phase)", Value{0.0},
             false);
  ExpectStep(trace, "features[18] pct_paint", s6, "phase4: psza.paint_rate_last_10 / 100 = 28.57 / 100",
             Value{28.57 / 100.0}, false);
  ExpectStep(trace, "free-throw totals", s7, "sum ft_makes / sum points over the 10 P3 last-10 games (NULL as 0)",
             Value{std::string("50 / 233")}, false);
  ExpectStep(trace, "free-throw share", s7, "ft_makes / points = 50 / 233", Value{50.0 / 233.0}, false);
  ExpectStep(trace, "features[21] pct_free_throw", s7,
             "calculated: round_py(clamp(" + FormatFloat(50.0 / 233.0) + ", 0, 0.5), 9)", Value{0.214592275}, false);
  ExpectStep(trace, "features[24] team_win_pct", s7, "calculated: round_py(wins / games, 9) = round_py(25 / 38, 9)",
             Value{0.657894737}, false);
  // §8 quality: 16 phase4 + 3 phase3 + 5 calculated + 1 default.
  ExpectStep(trace, "weight sum", s8, "16 phase4 x 100 + 3 phase3 x 75 + 5 calculated x 100 + 1 default x 40",
             Value{int64_t{2365}}, false);
  ExpectStep(trace, "feature_quality_score", s8, "round_py(weight sum / 25, 2) = round_py(2365 / 25, 2)", Value{94.6},
             true);
  ExpectStep(trace, "quality_tier", s8, "94.6 >= 75.0", Value{std::string("silver")}, true);
  ExpectStep(trace, "data_source", s8, "p4 = 16 / 25 = 0.64, p3 = 3 / 25 = 0.12: p4 < 0.90, p4 >= 0.50",
             Value{std::string("phase4_partial")}, true);
  ExpectStep(trace, "data_quality_issues", s8,
             "one tag per absent row: PDC present, PCF present, PSZA present, TDZA(NYK) present",
             Value{std::string("[]")}, true);
  ExpectStep(trace, "is_production_ready", s8, "completeness_percentage 90.0 >= 70.0 (yes) and 0 issue tags (yes)",
             Value{true}, true);
  // §9 stored arrays, §10.
  ExpectStep(trace, "features", s9, "the 25 values in index order, compact JSON (format_float)",
             Value{std::string("[24.6,23.3,22.9167,4.296,3.0,82.0,1.8,0.5,-0.4,1.0,0.0,2.0,0.0,110.73,98.6,1.0,0.0,0.0,"
                               "0.2857,0.1905,0.5238,0.214592275,100.0,114.2,0.657894737]")},
             true);
  ExpectStep(trace, "feature_sources", s9, "the 25 tags in index order",
             Value{std::string("[\"phase4\",\"phase4\",\"phase4\",\"phase4\",\"phase4\",\"phase4\",\"phase4\","
                               "\"phase4\",\"phase4\",\"calculated\",\"default\",\"calculated\",\"calculated\","
                               "\"phase4\",\"phase4\",\"phase3\",\"phase3\",\"phase3\",\"phase4\",\"phase4\","
                               "\"phase4\",\"calculated\",\"phase4\",\"phase4\",\"calculated\"]")},
             true);
  ExpectStep(trace, "feature_count", s10, "constant", Value{int64_t{25}}, true);
  ExpectStep(trace, "data_hash", s10,
             "sha256 of the 19 hash fields of §10 (tdza.md §14; arrays as Python str(list)), first 16 hex",
             Value{std::string("86a996cbae825926")}, true);
  // The 25 feature steps come in index order, §3 first, data_hash last.
  std::vector<std::string> feature_steps;
  for (const TraceStep& step : trace) {
    if (step.name.rfind("features[", 0) == 0) feature_steps.push_back(step.name);
  }
  ASSERT_EQ(feature_steps.size(), 25u);
  for (size_t idx = 0; idx < feature_steps.size(); ++idx) {
    EXPECT_EQ(feature_steps[idx], "features[" + std::to_string(idx) + "] " + MlfsFeatureNames()[idx]);
  }
  EXPECT_EQ(trace.front().name, "player row");
  EXPECT_EQ(trace.back().name, "data_hash");
}

TEST(MlfsTraceTest, FallbacksDefaultsAndRosterOrigin) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  // fallbackguy on 01-15: no Phase 4 row, 6 P3 games (newest 20, 18, 25, 15, 22, 10).
  const Trace fallback = processor.TraceEntity(D("2025-01-15"), "fallbackguy");
  ExpectStep(fallback, "features[0] points_avg_last_5", "mlfs.md §6",
             "phase3: no pdc row -> mean(points) of the 5 newest P3 last-10 games = (22.0 + 15.0 + 25.0 + 18.0 + "
             "20.0) / 5",
             Value{20.0}, false);
  ExpectStep(fallback, "features[2] points_avg_season", "mlfs.md §6", "phase3: no pdc row -> P3 points_avg_season",
             Value{110.0 / 6.0}, false);
  ExpectStep(fallback, "features[3] points_std_last_10", "mlfs.md §6", "default: no pdc row -> constant", Value{5.0},
             false);
  ExpectStep(fallback, "features[13] opponent_def_rating", "mlfs.md §6", "default: no tdza(opponent) row -> constant",
             Value{112.0}, false);
  ExpectStep(fallback, "minutes recent", "mlfs.md §7",
             "pdc.minutes_avg_last_10 NULL or no PDC row -> mean(minutes_played) of the 6 P3 last-10 games = (20.0 + "
             "31.0 + 25.0 + 33.0 + 28.0 + 30.0) / 6",
             Value{167.0 / 6.0}, false);
  ExpectStep(fallback, "data_quality_issues", "mlfs.md §8",
             "one tag per absent row: PDC ABSENT, PCF ABSENT, PSZA ABSENT, TDZA(NYK) ABSENT",
             Value{std::string("[\"upstream_player_daily_cache_incomplete\",\"upstream_player_composite_factors_"
                               "incomplete\",\"upstream_player_shot_zone_incomplete\",\"upstream_team_defense_zone_"
                               "incomplete\"]")},
             true);
  ExpectStep(fallback, "is_production_ready", "mlfs.md §8",
             "completeness_percentage 100.0 >= 70.0 (yes) and 4 issue tags (no)", Value{false}, true);
  // newguy on 01-15: no history at all.
  const Trace debut = processor.TraceEntity(D("2025-01-15"), "newguy");
  ExpectStep(debut, "features[0] points_avg_last_5", "mlfs.md §6",
             "default: no pdc row -> 0 P3 last-10 games < 5 -> constant", Value{10.0}, false);
  ExpectStep(debut, "features[1] points_avg_last_10", "mlfs.md §6",
             "default: no pdc row -> no P3 last-10 game -> constant", Value{10.0}, false);
  ExpectStep(debut, "days_rest", "mlfs.md §5", "synthetic (pcf.md §13.2): none in [2024-12-16, 2025-01-14] -> 30",
             Value{int64_t{30}}, true);
  ExpectStep(debut, "features[24] team_win_pct", "mlfs.md §7", "default: 1 team season games < 5 -> constant",
             Value{0.5}, false);
  ExpectStep(debut, "completeness_percentage", "mlfs.md §5",
             "round_py(100 * rows / games, 1) = round_py(100 * 0 / 1, 1)", Value{0.0}, true);
  // ctxguy on 01-15: UPGC row (days_rest 2, back_to_back NULL, questionable).
  const Trace ctx = processor.TraceEntity(D("2025-01-15"), "ctxguy");
  ExpectStep(ctx, "context", "mlfs.md §3", "UPGC row (player, D)",
             Value{std::string("days_rest=2 back_to_back=NULL player_status='questionable' season_phase=NULL")}, false);
  ExpectStep(ctx, "days_rest", "mlfs.md §5", "context (UPGC) days_rest", Value{int64_t{2}}, true);
  ExpectStep(ctx, "back_to_back", "mlfs.md §5",
             "TRUE if context back_to_back is TRUE or days_rest = 0, NULL if both NULL: back_to_back NULL, days_rest 2",
             Value{false}, false);
  ExpectStep(ctx, "features[10] injury_risk", "mlfs.md §7",
             "calculated: lower(player_status 'questionable') = 'questionable' -> 2", Value{2.0}, false);
  // Upcoming 01-17: BOS has no UPGC row, fallbackguy comes from the roster.
  const Trace roster = processor.TraceEntity(D("2025-01-17"), "fallbackguy");
  ExpectStep(roster, "player row", "mlfs.md §3",
             "upcoming date, no UPGC row for BOS: roster fallback (pcf.md §13.4), latest PGS row 2025-01-15 with BOS",
             Value{std::string("roster fallback")}, false);
  ExpectStep(roster, "is_home", "mlfs.md §3", "schedule home team of 20250117_BOS_NYK is team_abbr BOS?", Value{false},
             true);
  ExpectStep(roster, "universal_player_id", "mlfs.md §3", "latest PGS row (2025-01-15)",
             Value{std::string("fallbackguy_001")}, true);
  // newguy on 01-17: UPGC season_phase "Playoffs".
  const Trace upgc = processor.TraceEntity(D("2025-01-17"), "newguy");
  ExpectStep(upgc, "player row", "mlfs.md §3", "upcoming date: the player's UPGC row on D",
             Value{std::string("UPGC row on D")}, false);
  ExpectStep(upgc, "features[17] playoff_game", "mlfs.md §6",
             "phase3: 1.0 iff season phase is 'playoffs': 'playoffs' (lower(context season_phase))", Value{1.0}, false);
}

TEST(MlfsTraceTest, NoRowGivesAnEmptyTrace) {
  const Warehouse w = HandWarehouse();
  const SeasonCalendar calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor processor(w.Inputs(), calendar);
  EXPECT_FALSE(processor.TraceEntity(D("2025-01-15"), "ctxguy").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-15"), "nosuchplayer").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-15"), "ctxguz").empty());
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-19"), "fallbackguy").empty());  // missing_input
  EXPECT_TRUE(processor.TraceEntity(D("2025-01-20"), "fallbackguy").empty());  // no_players
}

// Every row ComputeDate produces: the trace's column steps equal its cells
// exactly, every non-key column has one, and the 25 feature steps equal the
// features and their tags. Deliberate exceptions: the key columns
// player_lookup and game_date have no step.
void ExpectTraceMatchesRows(const MlfsProcessor& processor, Date date, int64_t* rows_checked) {
  const MlfsDateResult result = processor.ComputeDate(date);
  ASSERT_TRUE(result.outcome.ok()) << date.ToString();
  const std::set<std::string, std::less<>> keys = {"player_lookup", "game_date"};
  for (const MlfsRow& row : result.rows) {
    const std::string where = date.ToString() + " " + row.player_lookup;
    const Trace trace = processor.TraceEntity(date, row.player_lookup);
    ASSERT_FALSE(trace.empty()) << where;
    const NamedValues values = ToNamedValues(row);
    EXPECT_EQ(testing::ExpectColumnStepsMatchRow(trace, values, "mlfs.md", keys), values.size() - keys.size()) << where;
    size_t feature_idx = 0;
    for (const TraceStep& step : trace) {
      if (step.name.rfind("features[", 0) != 0) continue;
      ASSERT_LT(feature_idx, 25u) << where;
      EXPECT_EQ(step.name, "features[" + std::to_string(feature_idx) + "] " + MlfsFeatureNames()[feature_idx]);
      EXPECT_TRUE(testing::IdenticalValues(step.value, Value{row.features[feature_idx]})) << where << " " << step.name;
      EXPECT_EQ(step.formula.rfind(std::string(MlfsSourceName(row.feature_sources[feature_idx])) + ": ", 0), 0u)
          << where << " " << step.name << ": " << step.formula;
      ++feature_idx;
    }
    EXPECT_EQ(feature_idx, 25u) << where;
    ++*rows_checked;
  }
}

TEST(MlfsTraceTest, ColumnStepsEqualTheRowsOfASyntheticSeason) {
  const Synthetic s = MakeSynthetic();
  const SeasonCalendar calendar(s.w.schedule, s.w.PgsDates(), s.w.today);
  const MlfsProcessor processor(s.w.Inputs(), calendar);
  int64_t rows = 0;
  for (Date date : ProcessedDates(s)) ExpectTraceMatchesRows(processor, date, &rows);
  EXPECT_GT(rows, 1000);

  const Warehouse w = HandWarehouse();
  const SeasonCalendar hand_calendar(w.schedule, w.PgsDates(), w.today);
  const MlfsProcessor hand(w.Inputs(), hand_calendar);
  int64_t hand_rows = 0;
  for (const char* date : {"2025-01-15", "2025-01-17"}) ExpectTraceMatchesRows(hand, D(date), &hand_rows);
  EXPECT_EQ(hand_rows, 6);
}

// ---- Pipelined feed of the Phase 4 rows ----

// The backfill cascade hands PDC / PCF / PSZA / TDZA rows of a date to an
// already built processor (ReserveUpstreamDates + the setters). Whatever the
// order they arrive in, the result must be the one of a processor given the
// same rows in MlfsInputs.

using testing::ExpectSameDateResult;

TEST(MlfsFeedTest, FedRowsEqualConstructorRows) {
  const Synthetic s = MakeSynthetic();
  const Date none = s.game_dates[15];   // 2024-11-21: before the Phase 4 tables start; reserved, never fed
  const Date first = s.game_dates[30];  // 2024-12-21
  const Date refed = s.game_dates[35];  // 2024-12-31: wrong rows first, then the right ones
  const Date upcoming = s.upcoming;     // PDC rows for NYK and a BOS TDZA row only
  ASSERT_LT(none, D("2024-12-01"));
  ASSERT_GE(first, D("2024-12-01"));
  const std::vector<Date> dates = {none, first, refed, upcoming};
  const auto fed_date = [&](Date date) { return date == first || date == refed || date == upcoming; };

  // Warehouse A: the Phase 4 rows of the fed dates in MlfsInputs, scrambled.
  Warehouse constructed_w = s.w;
  std::erase_if(constructed_w.pdc, [&](const MlfsPdcInput& row) { return !fed_date(row.cache_date); });
  std::erase_if(constructed_w.pcf, [&](const MlfsPcfInput& row) { return !fed_date(row.game_date); });
  std::erase_if(constructed_w.psza, [&](const MlfsPszaInput& row) { return !fed_date(row.analysis_date); });
  std::erase_if(constructed_w.tdza, [&](const MlfsTdzaInput& row) { return !fed_date(row.analysis_date); });
  std::mt19937 rng(20241231);
  std::shuffle(constructed_w.pdc.begin(), constructed_w.pdc.end(), rng);
  std::shuffle(constructed_w.pcf.begin(), constructed_w.pcf.end(), rng);
  std::shuffle(constructed_w.psza.begin(), constructed_w.psza.end(), rng);
  std::shuffle(constructed_w.tdza.begin(), constructed_w.tdza.end(), rng);
  const SeasonCalendar calendar(s.w.schedule, s.w.PgsDates(), s.w.today);
  const MlfsProcessor constructed(constructed_w.Inputs(), calendar);

  // Warehouse B: no Phase 4 row; everything fed after construction.
  Warehouse fed_w = s.w;
  fed_w.pdc.clear();
  fed_w.pcf.clear();
  fed_w.psza.clear();
  fed_w.tdza.clear();
  MlfsProcessor fed(fed_w.Inputs(), calendar);
  fed.ReserveUpstreamDates(dates);

  // Each date's rows keep A's scrambled order.
  std::map<Date, std::vector<MlfsPdcInput>> pdc_rows;
  std::map<Date, std::vector<MlfsPcfInput>> pcf_rows;
  std::map<Date, std::vector<MlfsPszaInput>> psza_rows;
  std::map<Date, std::vector<MlfsTdzaInput>> tdza_rows;
  for (const MlfsPdcInput& row : constructed_w.pdc) pdc_rows[row.cache_date].push_back(row);
  for (const MlfsPcfInput& row : constructed_w.pcf) pcf_rows[row.game_date].push_back(row);
  for (const MlfsPszaInput& row : constructed_w.psza) psza_rows[row.analysis_date].push_back(row);
  for (const MlfsTdzaInput& row : constructed_w.tdza) tdza_rows[row.analysis_date].push_back(row);

  // Wrong rows for `refed`: one row for every player with a PGS row on the
  // date (those with a right row, which an appending setter would find
  // first, and those without one) and every team, all with values no right
  // row has. The right rows below must replace them.
  std::vector<MlfsPdcInput> wrong_pdc;
  std::vector<MlfsPcfInput> wrong_pcf;
  std::vector<MlfsPszaInput> wrong_psza;
  for (const PlayerGame& row : s.w.pgs) {
    if (row.game_date != refed) continue;
    wrong_pdc.push_back(MlfsPdcInput{row.player_lookup, refed, 77.7, 77.7, 77.7, 7.7, 7, 7.7, 77.7, 77.7});
    wrong_pcf.push_back(MlfsPcfInput{row.player_lookup, refed, 7, 7.7, 7.7, 7.7});
    wrong_psza.push_back(MlfsPszaInput{row.player_lookup, refed, 7.7, 7.7, 7.7});
  }
  std::vector<MlfsTdzaInput> wrong_tdza;
  for (const std::string team : {"BOS", "LAL", "MIA", "NYK"}) {
    wrong_tdza.push_back(MlfsTdzaInput{team, refed, 77.7, 77.7});
  }
  ASSERT_GT(wrong_pdc.size(), pdc_rows[refed].size());  // some players have no right PDC row
  fed.SetPdcRows(refed, wrong_pdc);
  fed.SetPcfRows(refed, wrong_pcf);
  fed.SetPszaRows(refed, wrong_psza);
  fed.SetTdzaRows(refed, wrong_tdza);

  // The right rows, one setter call per (table, date) with rows, in scrambled order.
  std::vector<std::function<void()>> feeds;
  for (Date date : dates) {
    if (!pdc_rows[date].empty()) feeds.push_back([&, date] { fed.SetPdcRows(date, pdc_rows[date]); });
    if (!pcf_rows[date].empty()) feeds.push_back([&, date] { fed.SetPcfRows(date, pcf_rows[date]); });
    if (!psza_rows[date].empty()) feeds.push_back([&, date] { fed.SetPszaRows(date, psza_rows[date]); });
    if (!tdza_rows[date].empty()) feeds.push_back([&, date] { fed.SetTdzaRows(date, tdza_rows[date]); });
  }
  ASSERT_EQ(feeds.size(), 10u);  // 4 + 4 + PDC and TDZA of the upcoming date
  std::shuffle(feeds.begin(), feeds.end(), rng);
  for (const std::function<void()>& feed : feeds) feed();

  for (Date date : dates) {
    SCOPED_TRACE(date.ToString());
    ExpectSameDateResult(constructed.ComputeDate(date), fed.ComputeDate(date));
  }

  // Not vacuous. On the re-fed date, F0 (points_avg_last_5) is the fed PDC
  // value with source phase4 exactly for the players with a right PDC row.
  const MlfsDateResult refed_result = fed.ComputeDate(refed);
  ASSERT_TRUE(refed_result.outcome.ok()) << refed_result.outcome.reason;
  ASSERT_GE(refed_result.rows.size(), 10u);
  int from_pdc = 0;
  int without_pdc = 0;
  for (const MlfsRow& row : refed_result.rows) {
    SCOPED_TRACE(row.player_lookup);
    const std::vector<MlfsPdcInput>& right = pdc_rows[refed];
    const auto pdc = std::find_if(right.begin(), right.end(), [&row](const MlfsPdcInput& input) {
      return input.player_lookup == row.player_lookup;
    });
    if (pdc == right.end()) {
      ++without_pdc;
      EXPECT_NE(row.feature_sources[0], MlfsSource::kPhase4);
      EXPECT_NE(row.features[0], 77.7);
      continue;
    }
    ++from_pdc;
    ASSERT_TRUE(pdc->points_avg_last_5.has_value());
    EXPECT_EQ(row.features[0], *pdc->points_avg_last_5);
    EXPECT_EQ(row.feature_sources[0], MlfsSource::kPhase4);
  }
  EXPECT_GT(from_pdc, 5);
  EXPECT_GT(without_pdc, 0);
  // The reserved, never fed date has no Phase 4 row for anyone.
  const MlfsDateResult none_result = fed.ComputeDate(none);
  ASSERT_TRUE(none_result.outcome.ok()) << none_result.outcome.reason;
  ASSERT_FALSE(none_result.rows.empty());
  for (const MlfsRow& row : none_result.rows) EXPECT_EQ(row.data_quality_issues, kAllIssues) << row.player_lookup;
}

}  // namespace
}  // namespace nbapc::processors
