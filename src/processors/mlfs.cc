#include "processors/mlfs.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"

namespace nbapc::processors {

namespace {

// Feature indexes of mlfs.md §6.
enum FeatureIndex : size_t {
  kPointsAvgLast5 = 0,
  kPointsAvgLast10 = 1,
  kPointsAvgSeason = 2,
  kPointsStdLast10 = 3,
  kGamesInLast7Days = 4,
  kFatigueScore = 5,
  kShotZoneMismatchScore = 6,
  kPaceScore = 7,
  kUsageSpikeScore = 8,
  kRestAdvantage = 9,
  kInjuryRisk = 10,
  kRecentTrend = 11,
  kMinutesChange = 12,
  kOpponentDefRating = 13,
  kOpponentPace = 14,
  kHomeAway = 15,
  kBackToBack = 16,
  kPlayoffGame = 17,
  kPctPaint = 18,
  kPctMidRange = 19,
  kPctThree = 20,
  kPctFreeThrow = 21,
  kTeamPace = 22,
  kTeamOffRating = 23,
  kTeamWinPct = 24,
};

// Defaults of mlfs.md §6 / §7.
constexpr double kDefaultPoints = 10.0;
constexpr double kDefaultPointsStd = 5.0;
constexpr double kDefaultGamesLast7 = 3.0;
constexpr double kDefaultFatigue = 50.0;
constexpr double kDefaultOpponentDefRating = 112.0;
constexpr double kDefaultOpponentPace = 100.0;
constexpr double kDefaultPctPaint = 0.30;
constexpr double kDefaultPctMidRange = 0.20;
constexpr double kDefaultPctThree = 0.35;
constexpr double kDefaultPctFreeThrow = 0.15;
constexpr double kDefaultTeamPace = 100.0;
constexpr double kDefaultTeamOffRating = 112.0;
constexpr double kDefaultTeamWinPct = 0.5;
constexpr int kMinTrendGames = 5;
constexpr int kMinFreeThrowGames = 5;
constexpr int kMinTeamGames = 5;

// Zeros are stored as +0.0 (mlfs.md §9).
double PositiveZero(double value) { return value == 0.0 ? 0.0 : value; }

MlfsFeature Calculated(double value) { return MlfsFeature{PositiveZero(value), MlfsSource::kCalculated}; }
MlfsFeature Default(double value) { return MlfsFeature{value, MlfsSource::kDefault}; }

// A Phase 4 value counts only if the row exists and the field is non-NULL
// (mlfs.md §6); NaN never enters the engine (README §8.5), a non-finite value
// is treated as missing all the same.
bool Usable(const std::optional<double>& value) { return value.has_value() && std::isfinite(*value); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// mean of the non-NULL values among the first `n` of a newest-first list,
// added oldest game first from 0.0 (pdc.md §5); NULL when none.
std::optional<double> MeanOfFirst(std::span<const std::optional<double>> newest_first, size_t n) {
  const size_t take = std::min(n, newest_first.size());
  double sum = 0.0;
  int64_t count = 0;
  for (size_t idx = take; idx > 0; --idx) {
    const std::optional<double>& value = newest_first[idx - 1];
    if (!value) continue;
    sum += *value;
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
}

std::vector<std::optional<double>> PointsOf(std::span<const MlfsRecentGame> games) {
  std::vector<std::optional<double>> out;
  out.reserve(games.size());
  for (const MlfsRecentGame& game : games) {
    out.push_back(game.points ? std::optional<double>(static_cast<double>(*game.points)) : std::nullopt);
  }
  return out;
}

std::vector<std::optional<double>> MinutesOf(std::span<const MlfsRecentGame> games) {
  std::vector<std::optional<double>> out;
  out.reserve(games.size());
  for (const MlfsRecentGame& game : games) out.push_back(game.minutes_played);
  return out;
}

// Compact JSON string (README §4.2).
void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (char ch : text) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(ch >> 4) & 0xF];
          out += kHex[ch & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::vector<Value> FeatureValues(const MlfsRow& row) {
  std::vector<Value> out;
  out.reserve(kMlfsFeatureCount);
  for (double value : row.features) out.emplace_back(value);
  return out;
}

std::vector<Value> NameValues() {
  std::vector<Value> out;
  out.reserve(kMlfsFeatureCount);
  for (const char* name : MlfsFeatureNames()) out.emplace_back(std::string(name));
  return out;
}

std::vector<Value> SourceValues(const MlfsRow& row) {
  std::vector<Value> out;
  out.reserve(kMlfsFeatureCount);
  for (MlfsSource source : row.feature_sources) out.emplace_back(std::string(MlfsSourceName(source)));
  return out;
}

std::vector<Value> StringValues(const std::vector<std::string>& items) {
  std::vector<Value> out;
  out.reserve(items.size());
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

// L10 completeness over sorted ascending spans (pdc.md §9).
std::optional<double> CompletenessSorted(Date game_date, std::span<const Date> team_dates_ascending,
                                         std::span<const Date> player_dates_ascending) {
  const size_t end =
      static_cast<size_t>(std::lower_bound(team_dates_ascending.begin(), team_dates_ascending.end(), game_date) -
                          team_dates_ascending.begin());
  const size_t begin = end > static_cast<size_t>(kMlfsCompletenessGames) ? end - kMlfsCompletenessGames : 0;
  const int64_t expected = static_cast<int64_t>(end - begin);
  if (expected == 0) return std::nullopt;
  int64_t actual = 0;
  for (size_t idx = begin; idx < end; ++idx) {
    if (std::binary_search(player_dates_ascending.begin(), player_dates_ascending.end(), team_dates_ascending[idx])) {
      ++actual;
    }
  }
  return RoundPy((100.0 * static_cast<double>(actual)) / static_cast<double>(expected), 1);
}

// Latest date < D of an ascending list.
std::optional<Date> LatestBefore(std::span<const Date> ascending, Date game_date) {
  auto it = std::lower_bound(ascending.begin(), ascending.end(), game_date);
  if (it == ascending.begin()) return std::nullopt;
  return *(it - 1);
}

template <typename Row>
const Row* FindByLookup(const std::map<Date, std::vector<Row>>& by_date, Date game_date, std::string_view key) {
  auto day = by_date.find(game_date);
  if (day == by_date.end()) return nullptr;
  const std::vector<Row>& rows = day->second;
  auto it = std::lower_bound(rows.begin(), rows.end(), key,
                             [](const Row& row, std::string_view k) { return row.player_lookup < k; });
  if (it == rows.end() || it->player_lookup != key) return nullptr;
  return &*it;
}

// "YYYYMMDD" of a date.
std::string CompactDate(Date date) {
  std::string text = date.ToString();
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

bool HistoryGameLess(const std::pair<std::string, MlfsHistoryGame>& a,
                     const std::pair<std::string, MlfsHistoryGame>& b) {
  // (game_date, game_id), then the values so the order is total even on
  // impossible duplicates (README §8.3).
  const auto key = [](const std::pair<std::string, MlfsHistoryGame>& entry) {
    const MlfsRecentGame& g = entry.second.game;
    return std::tuple(g.game_date, entry.first, entry.second.season_year, g.points, g.minutes_played, g.ft_makes);
  };
  return key(a) < key(b);
}

}  // namespace

// ---------------------------------------------------------------------------
// Sources, names

const char* MlfsSourceName(MlfsSource source) {
  switch (source) {
    case MlfsSource::kPhase4:
      return "phase4";
    case MlfsSource::kPhase3:
      return "phase3";
    case MlfsSource::kCalculated:
      return "calculated";
    case MlfsSource::kDefault:
      return "default";
  }
  return "default";
}

std::optional<MlfsSource> ParseMlfsSource(std::string_view name) {
  if (name == "phase4") return MlfsSource::kPhase4;
  if (name == "phase3") return MlfsSource::kPhase3;
  if (name == "calculated") return MlfsSource::kCalculated;
  if (name == "default") return MlfsSource::kDefault;
  return std::nullopt;
}

const std::array<const char*, kMlfsFeatureCount>& MlfsFeatureNames() {
  // mlfs.md §6, index order (the contract).
  static const std::array<const char*, kMlfsFeatureCount> kNames = {"points_avg_last_5",
                                                                    "points_avg_last_10",
                                                                    "points_avg_season",
                                                                    "points_std_last_10",
                                                                    "games_in_last_7_days",
                                                                    "fatigue_score",
                                                                    "shot_zone_mismatch_score",
                                                                    "pace_score",
                                                                    "usage_spike_score",
                                                                    "rest_advantage",
                                                                    "injury_risk",
                                                                    "recent_trend",
                                                                    "minutes_change",
                                                                    "opponent_def_rating",
                                                                    "opponent_pace",
                                                                    "home_away",
                                                                    "back_to_back",
                                                                    "playoff_game",
                                                                    "pct_paint",
                                                                    "pct_mid_range",
                                                                    "pct_three",
                                                                    "pct_free_throw",
                                                                    "team_pace",
                                                                    "team_off_rating",
                                                                    "team_win_pct"};
  return kNames;
}

// ---------------------------------------------------------------------------
// Calculated features (mlfs.md §7)

MlfsFeature MlfsRestAdvantage(std::optional<int64_t> days_rest, std::optional<int64_t> opponent_days_rest) {
  // F9.
  if (!days_rest || !opponent_days_rest) return Default(0.0);
  const int64_t diff = std::clamp<int64_t>(*days_rest - *opponent_days_rest, -2, 2);
  return Calculated(static_cast<double>(diff));
}

MlfsFeature MlfsInjuryRisk(bool context_present, const std::optional<std::string>& player_status) {
  // F10.
  if (!context_present) return Default(0.0);
  if (!player_status) return Calculated(0.0);
  const std::string status = Lower(*player_status);
  if (status == "probable") return Calculated(1.0);
  if (status == "questionable") return Calculated(2.0);
  if (status == "doubtful" || status == "out") return Calculated(3.0);
  return Calculated(0.0);  // available, anything else, empty
}

MlfsFeature MlfsRecentTrend(std::span<const std::optional<double>> last_10_points) {
  // F11: newest first, NULL as 0; positive = trending up (§14 deviation 2).
  if (last_10_points.size() < static_cast<size_t>(kMinTrendGames)) return Default(0.0);
  const auto p = [&](size_t idx) { return last_10_points[idx].value_or(0.0); };
  const double diff = (p(0) + p(1) + p(2)) / 3.0 - (p(3) + p(4)) / 2.0;
  if (diff >= 5.0) return Calculated(2.0);
  if (diff >= 2.0) return Calculated(1.0);
  if (diff <= -5.0) return Calculated(-2.0);
  if (diff <= -2.0) return Calculated(-1.0);
  return Calculated(0.0);
}

MlfsFeature MlfsMinutesChange(std::optional<double> pdc_minutes_avg_last_10,
                              std::span<const std::optional<double>> last_10_minutes,
                              std::optional<double> minutes_avg_season) {
  // F12.
  std::optional<double> recent =
      Usable(pdc_minutes_avg_last_10) ? pdc_minutes_avg_last_10 : MeanOfFirst(last_10_minutes, last_10_minutes.size());
  if (!recent || *recent == 0.0 || !minutes_avg_season || *minutes_avg_season == 0.0) return Default(0.0);
  const double season = *minutes_avg_season;
  const double p = (*recent - season) / season;
  if (p >= 0.20) return Calculated(2.0);
  if (p >= 0.10) return Calculated(1.0);
  if (p <= -0.20) return Calculated(-2.0);
  if (p <= -0.10) return Calculated(-1.0);
  return Calculated(0.0);
}

MlfsFeature MlfsPctFreeThrow(std::span<const MlfsRecentGame> last_10_games) {
  // F21: NULL as 0; exact integer sums, one double division.
  if (last_10_games.size() < static_cast<size_t>(kMinFreeThrowGames)) return Default(kDefaultPctFreeThrow);
  int64_t ft_makes = 0;
  int64_t points = 0;
  for (const MlfsRecentGame& game : last_10_games) {
    ft_makes += game.ft_makes.value_or(0);
    points += game.points.value_or(0);
  }
  if (points == 0) return Default(kDefaultPctFreeThrow);
  const double share = std::clamp(static_cast<double>(ft_makes) / static_cast<double>(points), 0.0, 0.5);
  return Calculated(RoundPy(share, 9));
}

MlfsFeature MlfsTeamWinPct(int64_t games, int64_t wins) {
  // F24 (§14 deviation 1).
  if (games < kMinTeamGames) return Default(kDefaultTeamWinPct);
  return Calculated(RoundPy(static_cast<double>(wins) / static_cast<double>(games), 9));
}

std::string MlfsSeasonPhaseByMonth(Date game_date) {
  // mlfs.md §5 season phase.
  const int month = game_date.month();
  if (month == 10 || month == 11) return "early";
  if (month == 12 || month == 1 || month == 2) return "mid";
  if (month == 3 || month == 4) return "late";
  return "playoffs";
}

std::optional<bool> MlfsIsHomeFromGameId(std::string_view game_id, std::string_view team_abbr) {
  // inputs.md §1: YYYYMMDD_AWAY_HOME, home = third token.
  const size_t first = game_id.find('_');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = game_id.find('_', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string_view home = game_id.substr(second + 1);
  const size_t third = home.find('_');
  if (third != std::string_view::npos) home = home.substr(0, third);
  return home == team_abbr;
}

const char* MlfsQualityTier(double feature_quality_score) {
  if (feature_quality_score >= 95.0) return "gold";
  if (feature_quality_score >= 75.0) return "silver";
  if (feature_quality_score >= 50.0) return "bronze";
  if (feature_quality_score >= 25.0) return "poor";
  return "unusable";
}

MlfsQuality MlfsQualityScore(std::span<const MlfsSource> feature_sources) {
  // mlfs.md §8: weights phase4 100, phase3 75, calculated 100, default 40.
  int64_t weight_sum = 0;
  int64_t phase4 = 0;
  int64_t phase3 = 0;
  for (MlfsSource source : feature_sources) {
    switch (source) {
      case MlfsSource::kPhase4:
        weight_sum += 100;
        ++phase4;
        break;
      case MlfsSource::kPhase3:
        weight_sum += 75;
        ++phase3;
        break;
      case MlfsSource::kCalculated:
        weight_sum += 100;
        break;
      case MlfsSource::kDefault:
        weight_sum += 40;
        break;
    }
  }
  MlfsQuality quality;
  quality.feature_quality_score = RoundPy(static_cast<double>(weight_sum) / static_cast<double>(kMlfsFeatureCount), 2);
  quality.quality_tier = MlfsQualityTier(quality.feature_quality_score);
  const double p4 = static_cast<double>(phase4) / static_cast<double>(kMlfsFeatureCount);
  const double p3 = static_cast<double>(phase3) / static_cast<double>(kMlfsFeatureCount);
  if (p4 >= 0.90) {
    quality.data_source = "phase4";
  } else if (p4 >= 0.50) {
    quality.data_source = "phase4_partial";
  } else if (p3 >= 0.50) {
    quality.data_source = "phase3";
  } else {
    quality.data_source = "mixed";
  }
  return quality;
}

// ---------------------------------------------------------------------------
// Rest (mlfs.md §5)

int64_t MlfsDaysOff(Date game_date, std::optional<Date> last) {
  // pcf.md §13.2: last appearance in [D - 30, D - 1], else 30.
  if (!last || *last >= game_date || *last < game_date - kMlfsRestLookbackDays) return kMlfsRestLookbackDays;
  return static_cast<int64_t>(game_date - *last) - 1;
}

MlfsRest MlfsRestFromDates(Date game_date, const std::optional<MlfsRestContext>& context,
                           std::optional<Date> last_appearance, bool opponent_known,
                           std::optional<Date> last_opponent_game) {
  MlfsRest rest;
  if (context) {
    // The context row as it is; back_to_back TRUE if flagged or days_rest = 0,
    // NULL if both are NULL, else FALSE.
    rest.days_rest = context->days_rest;
    if (!context->days_rest && !context->back_to_back) {
      rest.back_to_back = std::nullopt;
    } else {
      rest.back_to_back = context->back_to_back.value_or(false) || (context->days_rest && *context->days_rest == 0);
    }
  } else {
    rest.days_rest = MlfsDaysOff(game_date, last_appearance);
    rest.back_to_back = *rest.days_rest == 0;
  }
  if (opponent_known) rest.opponent_days_rest = MlfsDaysOff(game_date, last_opponent_game);
  return rest;
}

bool MlfsIsAppearance(const PlayerGame& row) {
  return row.minutes_played.value_or(0.0) > 0.0 || row.points.value_or(0) > 0 || row.fg_attempts.value_or(0) > 0;
}

MlfsRest MlfsRestDays(Date game_date, const std::optional<MlfsRestContext>& context,
                      std::span<const PlayerGame> player_rows, const std::vector<Date>* opponent_team_dates) {
  std::optional<Date> last_appearance;
  for (const PlayerGame& row : player_rows) {
    if (row.game_date >= game_date || !MlfsIsAppearance(row)) continue;
    if (!last_appearance || row.game_date > *last_appearance) last_appearance = row.game_date;
  }
  std::optional<Date> last_opponent;
  if (opponent_team_dates != nullptr) {
    for (Date date : *opponent_team_dates) {
      if (date >= game_date) continue;
      if (!last_opponent || date > *last_opponent) last_opponent = date;
    }
  }
  return MlfsRestFromDates(game_date, context, last_appearance, opponent_team_dates != nullptr, last_opponent);
}

// ---------------------------------------------------------------------------
// Phase 3 inputs (mlfs.md §5)

bool MlfsQualifies(const PlayerGame& row) {
  // pdc.md §5: a NULL operand is false.
  if (!row.is_active) return false;
  const bool minutes = row.minutes_played.has_value() && *row.minutes_played > 0.0;
  const bool points = row.points.has_value() && *row.points > 0;
  return minutes || points;
}

MlfsPhase3 MlfsPhase3FromHistory(Date game_date, std::span<const MlfsHistoryGame> ascending_games) {
  MlfsPhase3 out;
  const auto before = [](const MlfsHistoryGame& g, Date d) { return g.game.game_date < d; };
  const size_t end = static_cast<size_t>(
      std::lower_bound(ascending_games.begin(), ascending_games.end(), game_date, before) - ascending_games.begin());
  // Last-10: D - 60 <= game_date < D (any season), newest first, at most 10.
  const size_t window_floor = static_cast<size_t>(
      std::lower_bound(ascending_games.begin(), ascending_games.begin() + static_cast<std::ptrdiff_t>(end),
                       game_date - kMlfsLastGamesDays, before) -
      ascending_games.begin());
  const size_t last_begin =
      std::max(window_floor, end > static_cast<size_t>(kMlfsLastGamesMax) ? end - kMlfsLastGamesMax : size_t{0});
  for (size_t idx = end; idx > last_begin; --idx) out.last_10_games.push_back(ascending_games[idx - 1].game);

  // Season S before D. season_year agrees with game_date (inputs.md §1), so
  // the season's games are contiguous and end at `end`.
  const int season_year = SeasonYear(game_date);
  const size_t season_begin = static_cast<size_t>(
      std::partition_point(ascending_games.begin(), ascending_games.begin() + static_cast<std::ptrdiff_t>(end),
                           [&](const MlfsHistoryGame& g) { return g.season_year < season_year; }) -
      ascending_games.begin());
  int64_t games = 0;
  double points_sum = 0.0;
  int64_t points_count = 0;
  double minutes_sum = 0.0;
  int64_t minutes_count = 0;
  for (size_t idx = season_begin; idx < end; ++idx) {  // oldest first
    const MlfsHistoryGame& g = ascending_games[idx];
    if (g.season_year != season_year) continue;
    ++games;
    if (g.game.points) {
      points_sum += static_cast<double>(*g.game.points);
      ++points_count;
    }
    if (g.game.minutes_played) {
      minutes_sum += *g.game.minutes_played;
      ++minutes_count;
    }
  }
  if (games > 0) {
    MlfsSeasonStats season;
    season.games_played_season = games;
    if (points_count > 0) season.points_avg_season = points_sum / static_cast<double>(points_count);
    if (minutes_count > 0) season.minutes_avg_season = minutes_sum / static_cast<double>(minutes_count);
    out.season = season;
  }
  return out;
}

MlfsPhase3 MlfsPhase3Inputs(Date game_date, std::span<const PlayerGame> player_rows) {
  std::vector<std::pair<std::string, MlfsHistoryGame>> games;
  for (const PlayerGame& row : player_rows) {
    if (!MlfsQualifies(row)) continue;
    MlfsHistoryGame game;
    game.game = MlfsRecentGame{row.game_date, row.points, row.minutes_played, row.ft_makes};
    game.season_year = row.season_year;
    games.emplace_back(row.game_id, game);
  }
  std::sort(games.begin(), games.end(), HistoryGameLess);
  std::vector<MlfsHistoryGame> ascending;
  ascending.reserve(games.size());
  for (auto& entry : games) ascending.push_back(entry.second);
  return MlfsPhase3FromHistory(game_date, ascending);
}

// ---------------------------------------------------------------------------
// Assembly (mlfs.md §6)

MlfsAssembled MlfsAssembleFeatures(const MlfsAssembleInputs& in) {
  MlfsAssembled out;
  std::array<MlfsFeature, kMlfsFeatureCount> f{};
  const auto phase4 = [](double value) { return MlfsFeature{PositiveZero(value), MlfsSource::kPhase4}; };
  const auto phase3 = [](double value) { return MlfsFeature{PositiveZero(value), MlfsSource::kPhase3}; };
  // Phase 4 value of a field, or the fallback.
  const auto p4_or = [&](const std::optional<double>& value, MlfsFeature fallback) {
    return Usable(value) ? phase4(*value) : fallback;
  };
  const auto int_as_double = [](const std::optional<int64_t>& value) -> std::optional<double> {
    if (!value) return std::nullopt;
    return static_cast<double>(*value);
  };
  const auto percent_to_share = [](const std::optional<double>& value) -> std::optional<double> {
    if (!Usable(value)) return std::nullopt;
    return *value / 100.0;  // one double division, unrounded
  };

  const MlfsPdcInput* pdc = in.pdc;
  const MlfsPcfInput* pcf = in.pcf;
  const MlfsPszaInput* psza = in.psza;
  const MlfsTdzaInput* tdza = in.tdza_opponent;
  const std::vector<std::optional<double>> points = PointsOf(in.last_10_games);
  const std::vector<std::optional<double>> minutes = MinutesOf(in.last_10_games);

  // 0-2: PDC -> Phase 3 -> default (NULL points skipped; all NULL -> default).
  MlfsFeature last5_fallback = Default(kDefaultPoints);
  if (points.size() >= 5) {
    if (auto mean = MeanOfFirst(points, 5)) last5_fallback = phase3(*mean);
  }
  f[kPointsAvgLast5] = p4_or(pdc ? pdc->points_avg_last_5 : std::nullopt, last5_fallback);
  MlfsFeature last10_fallback = Default(kDefaultPoints);
  if (auto mean = MeanOfFirst(points, points.size())) last10_fallback = phase3(*mean);
  f[kPointsAvgLast10] = p4_or(pdc ? pdc->points_avg_last_10 : std::nullopt, last10_fallback);
  MlfsFeature season_fallback = Default(kDefaultPoints);
  if (in.season && Usable(in.season->points_avg_season)) season_fallback = phase3(*in.season->points_avg_season);
  f[kPointsAvgSeason] = p4_or(pdc ? pdc->points_avg_season : std::nullopt, season_fallback);
  // 3-4: PDC only.
  f[kPointsStdLast10] = p4_or(pdc ? pdc->points_std_last_10 : std::nullopt, Default(kDefaultPointsStd));
  f[kGamesInLast7Days] =
      p4_or(pdc ? int_as_double(pdc->games_in_last_7_days) : std::nullopt, Default(kDefaultGamesLast7));
  // 5-8: PCF.
  f[kFatigueScore] = p4_or(pcf ? int_as_double(pcf->fatigue_score) : std::nullopt, Default(kDefaultFatigue));
  f[kShotZoneMismatchScore] = p4_or(pcf ? pcf->shot_zone_mismatch_score : std::nullopt, Default(0.0));
  f[kPaceScore] = p4_or(pcf ? pcf->pace_score : std::nullopt, Default(0.0));
  f[kUsageSpikeScore] = p4_or(pcf ? pcf->usage_spike_score : std::nullopt, Default(0.0));
  // 9-12: calculated (§7).
  f[kRestAdvantage] = MlfsRestAdvantage(in.player.days_rest, in.player.opponent_days_rest);
  f[kInjuryRisk] =
      MlfsInjuryRisk(in.context.has_value(), in.context ? in.context->player_status : std::optional<std::string>());
  f[kRecentTrend] = MlfsRecentTrend(points);
  f[kMinutesChange] = MlfsMinutesChange(pdc ? pdc->minutes_avg_last_10 : std::nullopt, minutes,
                                        in.season ? in.season->minutes_avg_season : std::nullopt);
  // 13-14: TDZA of the opponent.
  f[kOpponentDefRating] =
      p4_or(tdza ? tdza->defensive_rating_last_15 : std::nullopt, Default(kDefaultOpponentDefRating));
  f[kOpponentPace] = p4_or(tdza ? tdza->opponent_pace : std::nullopt, Default(kDefaultOpponentPace));
  // 15-17: Phase 3 facts of D.
  f[kHomeAway] = in.player.is_home ? phase3(*in.player.is_home ? 1.0 : 0.0) : Default(0.0);
  f[kBackToBack] = in.player.back_to_back ? phase3(*in.player.back_to_back ? 1.0 : 0.0) : Default(0.0);
  const std::string season_phase = (in.context && in.context->season_phase) ? Lower(*in.context->season_phase)
                                                                            : MlfsSeasonPhaseByMonth(in.game_date);
  f[kPlayoffGame] = phase3(season_phase == "playoffs" ? 1.0 : 0.0);
  // 18-20: PSZA / 100.
  f[kPctPaint] = p4_or(psza ? percent_to_share(psza->paint_rate_last_10) : std::nullopt, Default(kDefaultPctPaint));
  f[kPctMidRange] =
      p4_or(psza ? percent_to_share(psza->mid_range_rate_last_10) : std::nullopt, Default(kDefaultPctMidRange));
  f[kPctThree] = p4_or(psza ? percent_to_share(psza->three_pt_rate_last_10) : std::nullopt, Default(kDefaultPctThree));
  // 21: calculated.
  f[kPctFreeThrow] = MlfsPctFreeThrow(in.last_10_games);
  // 22-23: PDC team values.
  f[kTeamPace] = p4_or(pdc ? pdc->team_pace_last_10 : std::nullopt, Default(kDefaultTeamPace));
  f[kTeamOffRating] = p4_or(pdc ? pdc->team_off_rating_last_10 : std::nullopt, Default(kDefaultTeamOffRating));
  // 24: calculated.
  f[kTeamWinPct] = MlfsTeamWinPct(in.team_season_games, in.team_season_wins);

  for (size_t idx = 0; idx < f.size(); ++idx) {
    out.features[idx] = PositiveZero(f[idx].value);
    out.feature_sources[idx] = f[idx].source;
  }
  out.quality = MlfsQualityScore(out.feature_sources);
  return out;
}

// ---------------------------------------------------------------------------
// Rows (mlfs.md §8-§10)

std::vector<std::string> MlfsDataQualityIssues(const MlfsUpstreamPresence& present) {
  std::vector<std::string> issues;
  if (!present.player_daily_cache) issues.emplace_back("upstream_player_daily_cache_incomplete");
  if (!present.player_composite_factors) issues.emplace_back("upstream_player_composite_factors_incomplete");
  if (!present.player_shot_zone_analysis) issues.emplace_back("upstream_player_shot_zone_incomplete");
  if (!present.team_defense_zone_analysis) issues.emplace_back("upstream_team_defense_zone_incomplete");
  return issues;
}

MlfsRow MlfsBuildRow(const MlfsPlayerIdentity& player, const MlfsAssembled& assembled,
                     std::optional<double> completeness_percentage, const MlfsUpstreamPresence& present) {
  MlfsRow row;
  row.player_lookup = player.player_lookup;
  row.universal_player_id = player.universal_player_id;
  row.game_date = player.game_date;
  row.game_id = player.game_id;
  row.team_abbr = player.team_abbr;
  row.opponent_team_abbr = player.opponent_team_abbr;
  row.is_home = player.is_home;
  row.days_rest = player.days_rest;
  row.features = assembled.features;
  row.feature_sources = assembled.feature_sources;
  row.feature_count = kMlfsFeatureCount;
  row.feature_version = kMlfsFeatureVersion;
  row.feature_quality_score = assembled.quality.feature_quality_score;
  row.quality_tier = assembled.quality.quality_tier;
  row.data_source = assembled.quality.data_source;
  row.completeness_percentage = completeness_percentage;
  row.data_quality_issues = MlfsDataQualityIssues(present);
  row.is_production_ready = completeness_percentage.has_value() &&
                            *completeness_percentage >= kMlfsProductionReadyMinPct && row.data_quality_issues.empty();
  row.data_hash = MlfsDataHash(row);
  return row;
}

namespace {

// The 19 hash fields of mlfs.md §10 (every column but data_hash,
// processed_at and engine_version), in column order.
constexpr std::string_view kHashFields[] = {
    "player_lookup",
    "universal_player_id",
    "game_date",
    "game_id",
    "team_abbr",
    "opponent_team_abbr",
    "is_home",
    "days_rest",
    "features",
    "feature_names",
    "feature_sources",
    "feature_count",
    "feature_version",
    "feature_quality_score",
    "quality_tier",
    "data_source",
    "completeness_percentage",
    "is_production_ready",
    "data_quality_issues",
};

// Python str(list) of strings, as PyListText of string values: "['a', 'b']".
void AppendPyStringList(std::string& out, std::span<const std::string_view> items) {
  out += '[';
  for (size_t idx = 0; idx < items.size(); ++idx) {
    if (idx > 0) out += ", ";
    out += '\'';
    out += items[idx];
    out += '\'';
  }
  out += ']';
}

}  // namespace

std::string MlfsDataHash(const MlfsRow& row) {
  // tdza.md §14 over the 19 columns of §10 other than data_hash,
  // processed_at, engine_version; arrays as Python str(list) (the texts of
  // PyListText, built here without temporaries).
  static const std::vector<uint8_t> kOrder = SortedFieldOrder(kHashFields);
  static const std::string kFeatureNamesText = PyListText(NameValues());
  thread_local std::string features_text;
  thread_local std::string sources_text;
  thread_local std::string issues_text;
  features_text.clear();
  features_text += '[';
  for (size_t idx = 0; idx < row.features.size(); ++idx) {
    if (idx > 0) features_text += ", ";
    AppendHashFieldText(features_text, HashValue{row.features[idx]});
  }
  features_text += ']';
  std::string_view sources[kMlfsFeatureCount];
  for (size_t idx = 0; idx < row.feature_sources.size(); ++idx) sources[idx] = MlfsSourceName(row.feature_sources[idx]);
  sources_text.clear();
  AppendPyStringList(sources_text, std::span<const std::string_view>(sources, row.feature_sources.size()));
  std::vector<std::string_view> issues(row.data_quality_issues.begin(), row.data_quality_issues.end());
  issues_text.clear();
  AppendPyStringList(issues_text, issues);
  const DateText game_date_text(row.game_date);
  const HashValue values[] = {
      ToHashValue(row.player_lookup),
      ToHashValue(row.universal_player_id),
      ToHashValue(game_date_text.view()),
      ToHashValue(row.game_id),
      ToHashValue(row.team_abbr),
      ToHashValue(row.opponent_team_abbr),
      ToHashValue(row.is_home),
      ToHashValue(row.days_rest),
      ToHashValue(features_text),
      ToHashValue(kFeatureNamesText),
      ToHashValue(sources_text),
      ToHashValue(row.feature_count),
      ToHashValue(row.feature_version),
      ToHashValue(row.feature_quality_score),
      ToHashValue(row.quality_tier),
      ToHashValue(row.data_source),
      ToHashValue(row.completeness_percentage),
      ToHashValue(row.is_production_ready),
      ToHashValue(issues_text),
  };
  static_assert(std::size(values) == std::size(kHashFields));
  return DataHashOrdered(kHashFields, values, kOrder);
}

std::string MlfsArrayText(const std::vector<Value>& values) {
  std::string out = "[";
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (idx > 0) out += ',';
    const Value& value = values[idx];
    if (const auto* text = std::get_if<std::string>(&value)) {
      AppendJsonString(out, *text);
    } else if (const auto* number = std::get_if<double>(&value)) {
      AppendFormatFloat(out, PositiveZero(*number));
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      out += std::to_string(*integer);
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      out += *flag ? "true" : "false";
    } else {
      out += "null";
    }
  }
  out += ']';
  return out;
}

NamedValues ToNamedValues(const MlfsRow& row) {
  NamedValues out;
  out.reserve(20);
  out.emplace_back("player_lookup", Value{row.player_lookup});
  out.emplace_back("universal_player_id", OptionalValue(row.universal_player_id));
  out.emplace_back("game_date", Value{row.game_date.ToString()});
  out.emplace_back("game_id", Value{row.game_id});
  out.emplace_back("team_abbr", Value{row.team_abbr});
  out.emplace_back("opponent_team_abbr", Value{row.opponent_team_abbr});
  out.emplace_back("is_home", OptionalValue(row.is_home));
  out.emplace_back("days_rest", OptionalValue(row.days_rest));
  out.emplace_back("features", Value{MlfsArrayText(FeatureValues(row))});
  out.emplace_back("feature_names", Value{MlfsArrayText(NameValues())});
  out.emplace_back("feature_sources", Value{MlfsArrayText(SourceValues(row))});
  out.emplace_back("feature_count", Value{row.feature_count});
  out.emplace_back("feature_version", Value{row.feature_version});
  out.emplace_back("feature_quality_score", Value{row.feature_quality_score});
  out.emplace_back("quality_tier", Value{row.quality_tier});
  out.emplace_back("data_source", Value{row.data_source});
  out.emplace_back("completeness_percentage", OptionalValue(row.completeness_percentage));
  out.emplace_back("is_production_ready", Value{row.is_production_ready});
  out.emplace_back("data_quality_issues", Value{MlfsArrayText(StringValues(row.data_quality_issues))});
  out.emplace_back("data_hash", Value{row.data_hash});
  return out;
}

std::optional<double> MlfsCompleteness(Date game_date, std::span<const Date> team_dates,
                                       std::span<const Date> player_dates) {
  std::vector<Date> team(team_dates.begin(), team_dates.end());
  std::sort(team.begin(), team.end());
  team.erase(std::unique(team.begin(), team.end()), team.end());
  std::vector<Date> player(player_dates.begin(), player_dates.end());
  std::sort(player.begin(), player.end());
  return CompletenessSorted(game_date, team, player);
}

// ---------------------------------------------------------------------------
// The processor

MlfsProcessor::MlfsProcessor(const MlfsInputs& inputs, const SeasonCalendar& calendar) : calendar_(calendar) {
  // Ordered containers only: nothing may depend on hash order or input order
  // (README §8.3).
  struct PlayerBuild {
    std::vector<std::pair<std::string, PgsEntry>> rows;  // (game_id, entry)
    std::vector<Date> appearances;
    std::vector<std::pair<std::string, MlfsHistoryGame>> qualifying;
  };
  std::map<std::string, PlayerBuild> players;
  for (const PlayerGame& row : inputs.player_games) {
    PlayerBuild& build = players[row.player_lookup];
    PgsEntry entry;
    entry.game_date = row.game_date;
    entry.season_year = row.season_year;
    entry.game_id = row.game_id;
    entry.team_abbr = row.team_abbr;
    entry.opponent_team_abbr = row.opponent_team_abbr;
    entry.universal_player_id = row.universal_player_id;
    build.rows.emplace_back(row.game_id, std::move(entry));
    if (MlfsIsAppearance(row)) build.appearances.push_back(row.game_date);
    if (MlfsQualifies(row)) {
      MlfsHistoryGame game;
      game.game = MlfsRecentGame{row.game_date, row.points, row.minutes_played, row.ft_makes};
      game.season_year = row.season_year;
      build.qualifying.emplace_back(row.game_id, game);
    }
    pgs_players_by_date_[row.game_date].push_back(row.player_lookup);
  }
  players_.reserve(players.size());
  for (auto& [player_lookup, build] : players) {
    PlayerIndex index;
    index.player_lookup = player_lookup;
    std::sort(build.rows.begin(), build.rows.end(), [](const auto& a, const auto& b) {
      const auto key = [](const std::pair<std::string, PgsEntry>& e) {
        return std::tie(e.second.game_date, e.first, e.second.team_abbr, e.second.opponent_team_abbr,
                        e.second.universal_player_id, e.second.season_year);
      };
      return key(a) < key(b);
    });
    for (auto& [game_id, entry] : build.rows) {
      index.row_dates.push_back(entry.game_date);
      index.rows.push_back(std::move(entry));
    }
    std::sort(build.appearances.begin(), build.appearances.end());
    build.appearances.erase(std::unique(build.appearances.begin(), build.appearances.end()), build.appearances.end());
    index.appearance_dates = std::move(build.appearances);
    std::sort(build.qualifying.begin(), build.qualifying.end(), HistoryGameLess);
    for (auto& entry : build.qualifying) index.qualifying.push_back(entry.second);
    players_.push_back(std::move(index));
  }
  for (auto& [date, lookups] : pgs_players_by_date_) {
    std::sort(lookups.begin(), lookups.end());
    lookups.erase(std::unique(lookups.begin(), lookups.end()), lookups.end());
  }

  // Teams: TOGS dates ascending with prefix win counts.
  std::map<std::string, std::vector<std::tuple<Date, std::string, int, bool>>> team_rows;
  for (const TeamOffenseGame& row : inputs.team_offense_games) {
    team_rows[row.team_abbr].emplace_back(row.game_date, row.game_id, row.season_year, row.win_flag);
  }
  for (auto& [team_abbr, rows] : team_rows) {
    std::sort(rows.begin(), rows.end());
    TeamIndex index;
    index.wins_prefix.push_back(0);
    for (const auto& [date, game_id, season_year, win] : rows) {
      index.dates.push_back(date);
      index.season_years.push_back(season_year);
      index.wins_prefix.push_back(index.wins_prefix.back() + (win ? 1 : 0));
    }
    teams_.emplace(team_abbr, std::move(index));
  }

  for (const UpcomingPlayerContext& row : inputs.player_contexts) {
    ContextEntry entry;
    entry.player_lookup = row.player_lookup;
    entry.game_id = row.game_id;
    entry.universal_player_id = row.universal_player_id;
    entry.team_abbr = row.team_abbr;
    entry.opponent_team_abbr = row.opponent_team_abbr;
    entry.home_game = row.home_game;
    entry.rest = MlfsRestContext{row.days_rest, row.back_to_back};
    entry.fields = MlfsContextFields{row.player_status, row.season_phase};
    contexts_by_date_[row.game_date].push_back(std::move(entry));
  }
  for (auto& [date, entries] : contexts_by_date_) {
    std::sort(entries.begin(), entries.end(), [](const ContextEntry& a, const ContextEntry& b) {
      return std::tie(a.player_lookup, a.game_id, a.team_abbr) < std::tie(b.player_lookup, b.game_id, b.team_abbr);
    });
  }

  // pcf.md §13.4: non-postponed regular-season, play-in or playoff games.
  for (const ScheduleGame& game : inputs.schedule) {
    if (!IsIncludedGameType(game.game_type) || game.game_status == GameStatus::kPostponed) continue;
    schedule_by_date_[game.game_date].push_back(ScheduledGame{game.home_team_abbr, game.away_team_abbr});
  }
  for (auto& [date, games] : schedule_by_date_) {
    std::sort(games.begin(), games.end(), [](const ScheduledGame& a, const ScheduledGame& b) {
      return std::tie(a.away_team_abbr, a.home_team_abbr) < std::tie(b.away_team_abbr, b.home_team_abbr);
    });
  }

  // Phase 4 rows by date, sorted by key (unique per key in the warehouse).
  for (const MlfsPdcInput& row : inputs.pdc) pdc_by_date_[row.cache_date].push_back(row);
  for (const MlfsPcfInput& row : inputs.pcf) pcf_by_date_[row.game_date].push_back(row);
  for (const MlfsPszaInput& row : inputs.psza) psza_by_date_[row.analysis_date].push_back(row);
  for (const MlfsTdzaInput& row : inputs.tdza) tdza_by_date_[row.analysis_date].push_back(row);
  const auto by_player = [](const auto& a, const auto& b) { return a.player_lookup < b.player_lookup; };
  for (auto& [date, rows] : pdc_by_date_) std::stable_sort(rows.begin(), rows.end(), by_player);
  for (auto& [date, rows] : pcf_by_date_) std::stable_sort(rows.begin(), rows.end(), by_player);
  for (auto& [date, rows] : psza_by_date_) std::stable_sort(rows.begin(), rows.end(), by_player);
  for (auto& [date, rows] : tdza_by_date_) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MlfsTdzaInput& a, const MlfsTdzaInput& b) { return a.team_abbr < b.team_abbr; });
  }
}

const MlfsProcessor::PlayerIndex* MlfsProcessor::FindPlayer(std::string_view player_lookup) const {
  auto it = std::lower_bound(players_.begin(), players_.end(), player_lookup,
                             [](const PlayerIndex& p, std::string_view key) { return p.player_lookup < key; });
  if (it == players_.end() || it->player_lookup != player_lookup) return nullptr;
  return &*it;
}

const MlfsProcessor::TeamIndex* MlfsProcessor::FindTeam(std::string_view team_abbr) const {
  auto it = teams_.find(std::string(team_abbr));
  return it == teams_.end() ? nullptr : &it->second;
}

MlfsDateResult MlfsProcessor::ComputeDate(Date game_date) const {
  MlfsDateResult result;
  result.historical = calendar_.IsHistorical(game_date);
  const int season_year = SeasonYear(game_date);

  // §3: the player rows of D with their identity and context.
  struct Candidate {
    MlfsPlayerIdentity identity;
    const ContextEntry* context = nullptr;
  };
  std::vector<Candidate> candidates;
  auto contexts_it = contexts_by_date_.find(game_date);
  const std::vector<ContextEntry>* contexts = contexts_it == contexts_by_date_.end() ? nullptr : &contexts_it->second;
  const auto find_context = [&](std::string_view player_lookup) -> const ContextEntry* {
    if (contexts == nullptr) return nullptr;
    auto it = std::lower_bound(contexts->begin(), contexts->end(), player_lookup,
                               [](const ContextEntry& e, std::string_view key) { return e.player_lookup < key; });
    if (it == contexts->end() || it->player_lookup != player_lookup) return nullptr;
    return &*it;
  };

  if (result.historical) {
    auto day = pgs_players_by_date_.find(game_date);
    if (day == pgs_players_by_date_.end() || day->second.empty()) {
      result.outcome.status = DateStatus::kFailed;
      result.outcome.reason_code = "missing_input";
      result.outcome.reason = "missing_input: player_game_summary has no rows for " + game_date.ToString();
      return result;
    }
    for (const std::string& player_lookup : day->second) {
      const PlayerIndex* player = FindPlayer(player_lookup);
      auto row_it = std::lower_bound(player->row_dates.begin(), player->row_dates.end(), game_date);
      const PgsEntry& row = player->rows[static_cast<size_t>(row_it - player->row_dates.begin())];
      Candidate candidate;
      candidate.identity.player_lookup = player_lookup;
      candidate.identity.universal_player_id = row.universal_player_id;
      candidate.identity.game_date = game_date;
      candidate.identity.game_id = row.game_id;
      candidate.identity.team_abbr = row.team_abbr;
      candidate.identity.opponent_team_abbr = row.opponent_team_abbr;
      candidate.identity.is_home = MlfsIsHomeFromGameId(row.game_id, row.team_abbr);
      candidate.context = find_context(player_lookup);
      candidates.push_back(std::move(candidate));
    }
  } else {
    std::set<std::string> in_set;
    std::set<std::string> teams_with_context;
    if (contexts != nullptr) {
      for (const ContextEntry& entry : *contexts) {
        if (!in_set.insert(entry.player_lookup).second) continue;  // unique per (player, date)
        teams_with_context.insert(entry.team_abbr);
        Candidate candidate;
        candidate.identity.player_lookup = entry.player_lookup;
        candidate.identity.universal_player_id = entry.universal_player_id;
        candidate.identity.game_date = game_date;
        candidate.identity.game_id = entry.game_id;
        candidate.identity.team_abbr = entry.team_abbr;
        candidate.identity.opponent_team_abbr = entry.opponent_team_abbr;
        candidate.identity.is_home = entry.home_game;
        candidate.context = &entry;
        candidates.push_back(std::move(candidate));
      }
    }
    // Roster fallback (pcf.md §13.4) for each team of a scheduled game on D
    // without UPGC rows: T -> (opponent, game_id, is_home).
    struct FallbackTeam {
      std::string opponent;
      std::string game_id;
      bool is_home = false;
    };
    std::map<std::string, FallbackTeam> fallback_teams;
    auto schedule_it = schedule_by_date_.find(game_date);
    if (schedule_it != schedule_by_date_.end()) {
      for (const ScheduledGame& game : schedule_it->second) {
        const std::string game_id = CompactDate(game_date) + "_" + game.away_team_abbr + "_" + game.home_team_abbr;
        if (!teams_with_context.contains(game.away_team_abbr)) {
          fallback_teams.emplace(game.away_team_abbr, FallbackTeam{game.home_team_abbr, game_id, false});
        }
        if (!teams_with_context.contains(game.home_team_abbr)) {
          fallback_teams.emplace(game.home_team_abbr, FallbackTeam{game.away_team_abbr, game_id, true});
        }
      }
    }
    if (!fallback_teams.empty()) {
      for (const PlayerIndex& player : players_) {
        if (in_set.contains(player.player_lookup)) continue;
        // Latest PGS row before D; it is of season S iff any row of S before D exists.
        auto row_it = std::lower_bound(player.row_dates.begin(), player.row_dates.end(), game_date);
        if (row_it == player.row_dates.begin()) continue;
        const PgsEntry& latest = player.rows[static_cast<size_t>(row_it - player.row_dates.begin()) - 1];
        if (SeasonYear(latest.game_date) != season_year) continue;
        auto team_it = fallback_teams.find(latest.team_abbr);
        if (team_it == fallback_teams.end()) continue;
        in_set.insert(player.player_lookup);
        Candidate candidate;
        candidate.identity.player_lookup = player.player_lookup;
        candidate.identity.universal_player_id = latest.universal_player_id;
        candidate.identity.game_date = game_date;
        candidate.identity.game_id = team_it->second.game_id;
        candidate.identity.team_abbr = team_it->first;
        candidate.identity.opponent_team_abbr = team_it->second.opponent;
        candidate.identity.is_home = team_it->second.is_home;
        candidates.push_back(std::move(candidate));
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.identity.player_lookup < b.identity.player_lookup;
    });
  }
  if (candidates.empty()) {
    result.outcome.status = DateStatus::kFailed;
    result.outcome.reason_code = "no_players";
    result.outcome.reason = "no_players: no players for " + game_date.ToString();
    return result;
  }

  result.rows.reserve(candidates.size());
  for (Candidate& candidate : candidates) {
    MlfsPlayerIdentity& identity = candidate.identity;
    const PlayerIndex* player = FindPlayer(identity.player_lookup);
    const TeamIndex* team = FindTeam(identity.team_abbr);
    const bool opponent_known = !identity.opponent_team_abbr.empty();
    const TeamIndex* opponent = opponent_known ? FindTeam(identity.opponent_team_abbr) : nullptr;

    // §5 rest.
    std::optional<MlfsRestContext> rest_context;
    std::optional<MlfsContextFields> context_fields;
    if (candidate.context != nullptr) {
      rest_context = candidate.context->rest;
      context_fields = candidate.context->fields;
    }
    const std::optional<Date> last_appearance =
        player != nullptr ? LatestBefore(player->appearance_dates, game_date) : std::nullopt;
    const std::optional<Date> last_opponent_game =
        opponent != nullptr ? LatestBefore(opponent->dates, game_date) : std::nullopt;
    const MlfsRest rest =
        MlfsRestFromDates(game_date, rest_context, last_appearance, opponent_known, last_opponent_game);
    identity.days_rest = rest.days_rest;

    // §5 Phase 3 history.
    const MlfsPhase3 phase3 = player != nullptr ? MlfsPhase3FromHistory(game_date, player->qualifying) : MlfsPhase3{};

    // §5 team season games (season S, before D; season_year agrees with dates).
    int64_t team_games = 0;
    int64_t team_wins = 0;
    std::optional<double> completeness;
    if (team != nullptr) {
      const size_t end = static_cast<size_t>(std::lower_bound(team->dates.begin(), team->dates.end(), game_date) -
                                             team->dates.begin());
      const size_t begin =
          static_cast<size_t>(std::partition_point(team->season_years.begin(),
                                                   team->season_years.begin() + static_cast<std::ptrdiff_t>(end),
                                                   [&](int year) { return year < season_year; }) -
                              team->season_years.begin());
      team_games = static_cast<int64_t>(end - begin);
      team_wins = team->wins_prefix[end] - team->wins_prefix[begin];
      static const std::vector<Date> kNoDates;
      completeness = CompletenessSorted(game_date, team->dates, player != nullptr ? player->row_dates : kNoDates);
    }

    // §4 Phase 4 rows of D.
    const MlfsPdcInput* pdc = FindByLookup(pdc_by_date_, game_date, identity.player_lookup);
    const MlfsPcfInput* pcf = FindByLookup(pcf_by_date_, game_date, identity.player_lookup);
    const MlfsPszaInput* psza = FindByLookup(psza_by_date_, game_date, identity.player_lookup);
    const MlfsTdzaInput* tdza = nullptr;
    if (opponent_known) {
      auto day = tdza_by_date_.find(game_date);
      if (day != tdza_by_date_.end()) {
        auto it =
            std::lower_bound(day->second.begin(), day->second.end(), identity.opponent_team_abbr,
                             [](const MlfsTdzaInput& row, const std::string& key) { return row.team_abbr < key; });
        if (it != day->second.end() && it->team_abbr == identity.opponent_team_abbr) tdza = &*it;
      }
    }

    MlfsAssembleInputs in;
    in.game_date = game_date;
    in.pdc = pdc;
    in.pcf = pcf;
    in.psza = psza;
    in.tdza_opponent = tdza;
    in.context = context_fields;
    in.player = MlfsPlayerFacts{identity.is_home, rest.days_rest, rest.opponent_days_rest, rest.back_to_back};
    in.last_10_games = phase3.last_10_games;
    in.season = phase3.season;
    in.team_season_games = team_games;
    in.team_season_wins = team_wins;
    const MlfsAssembled assembled = MlfsAssembleFeatures(in);

    MlfsUpstreamPresence present;
    present.player_daily_cache = pdc != nullptr;
    present.player_composite_factors = pcf != nullptr;
    present.player_shot_zone_analysis = psza != nullptr;
    present.team_defense_zone_analysis = tdza != nullptr;
    result.rows.push_back(MlfsBuildRow(identity, assembled, completeness, present));
  }

  // §11 stats, reduced in row order.
  MlfsDateStats& stats = result.stats;
  stats.players = static_cast<int64_t>(candidates.size());
  stats.rows = static_cast<int64_t>(result.rows.size());
  double quality_sum = 0.0;
  for (const MlfsRow& row : result.rows) {
    quality_sum += row.feature_quality_score;
    ++stats.quality_tiers[row.quality_tier];
    ++stats.data_sources[row.data_source];
    for (MlfsSource source : row.feature_sources) {
      if (source == MlfsSource::kDefault) ++stats.default_features;
    }
    for (const std::string& issue : row.data_quality_issues) ++stats.issues[issue];
    if (row.is_production_ready) ++stats.production_ready;
  }
  if (!result.rows.empty()) stats.avg_quality = RoundPy(quality_sum / static_cast<double>(result.rows.size()), 2);
  return result;
}

}  // namespace nbapc::processors
