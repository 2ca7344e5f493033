#include "processors/mlfs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <unordered_map>
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

// One field of every game, in game order. The P3 last-10 (at most
// kMlfsLastGamesMax games) fits in a fixed buffer, so the compute path does
// not allocate; longer lists (possible through MlfsAssembleFeatures) use the heap.
class GameValues {
 public:
  template <typename FieldFn>
  GameValues(std::span<const MlfsRecentGame> games, FieldFn field) {
    std::optional<double>* out = fixed_.data();
    if (games.size() > fixed_.size()) {
      heap_.resize(games.size());
      out = heap_.data();
    }
    for (size_t idx = 0; idx < games.size(); ++idx) out[idx] = field(games[idx]);
    values_ = std::span<const std::optional<double>>(out, games.size());
  }
  GameValues(const GameValues&) = delete;  // values_ may point into fixed_
  GameValues& operator=(const GameValues&) = delete;
  std::span<const std::optional<double>> span() const { return values_; }

 private:
  std::array<std::optional<double>, kMlfsLastGamesMax> fixed_{};
  std::vector<std::optional<double>> heap_;
  std::span<const std::optional<double>> values_;
};

std::optional<double> PointsOf(const MlfsRecentGame& game) {
  return game.points ? std::optional<double>(static_cast<double>(*game.points)) : std::nullopt;
}
std::optional<double> MinutesOf(const MlfsRecentGame& game) { return game.minutes_played; }

// Compact JSON string (README §4.2).
void AppendJsonString(std::string& out, std::string_view text) {
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

std::vector<Value> NameValues() {
  std::vector<Value> out;
  out.reserve(kMlfsFeatureCount);
  for (const char* name : MlfsFeatureNames()) out.emplace_back(std::string(name));
  return out;
}

// MlfsArrayText of a list of strings, built straight from the strings into
// one buffer of the (unescaped) final size.
template <typename Strings>
std::string StringArrayText(const Strings& items) {
  size_t length = 2;  // the brackets
  for (std::string_view item : items) length += item.size() + 3;  // quotes and comma
  std::string out;
  out.reserve(length);
  out += '[';
  bool first = true;
  for (std::string_view item : items) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, item);
  }
  out += ']';
  return out;
}

// ---- Formula steps (explain, issue 7). Only called with a trace sink, so
// the compute path formats nothing. ----

constexpr const char kSpecRows[] = "mlfs.md §3";
constexpr const char kSpecInputs[] = "mlfs.md §4";
constexpr const char kSpecDerived[] = "mlfs.md §5";
constexpr const char kSpecFeatures[] = "mlfs.md §6";
constexpr const char kSpecCalculated[] = "mlfs.md §7";
constexpr const char kSpecQuality[] = "mlfs.md §8";
constexpr const char kSpecStorage[] = "mlfs.md §9";
constexpr const char kSpecSchema[] = "mlfs.md §10";

void AddStep(Trace* trace, const char* spec, std::string name, std::string formula, Value value, bool column = false) {
  trace->push_back(TraceStep{spec, std::move(name), std::move(formula), std::move(value), column});
}

std::string OptText(const std::optional<double>& value) { return value ? FormatFloat(*value) : "NULL"; }
std::string OptText(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : "NULL"; }
std::string OptText(const std::optional<bool>& value) { return value ? (*value ? "TRUE" : "FALSE") : "NULL"; }
std::string OptText(const std::optional<std::string>& value) { return value ? "'" + *value + "'" : "NULL"; }
Value OptDateValue(const std::optional<Date>& date) { return date ? Value{date->ToString()} : Value{}; }

// One feature's step: "features[i] name = <tag>: <how> = value".
void FeatureStep(Trace* trace, const char* spec, size_t idx, const MlfsFeature& feature, std::string_view how) {
  AddStep(trace, spec, fmt::format("features[{}] {}", idx, MlfsFeatureNames()[idx]),
          fmt::format("{}: {}", MlfsSourceName(feature.source), how), Value{feature.value});
}

// The operands of MeanOfFirst in the order it adds them (oldest first, NULL
// skipped): "(a + b + c) / 3".
std::string MeanText(std::span<const std::optional<double>> newest_first, size_t n) {
  const size_t take = std::min(n, newest_first.size());
  std::string terms;
  int64_t count = 0;
  for (size_t idx = take; idx > 0; --idx) {
    if (!newest_first[idx - 1]) continue;
    if (count > 0) terms += " + ";
    terms += FormatFloat(*newest_first[idx - 1]);
    ++count;
  }
  if (count == 0) return "no non-NULL value";
  return fmt::format("({}) / {}{}", terms, count, static_cast<size_t>(count) < take ? " (NULL skipped)" : "");
}

// F11 / F12 buckets (mlfs.md §7): x >= big -> 2, >= small -> 1, <= -big ->
// -2, <= -small -> -1, else 0.
enum class Bucket { kUpBig, kUp, kDownBig, kDown, kFlat };

Bucket Bucketize(double x, double big, double small) {
  if (x >= big) return Bucket::kUpBig;
  if (x >= small) return Bucket::kUp;
  if (x <= -big) return Bucket::kDownBig;
  if (x <= -small) return Bucket::kDown;
  return Bucket::kFlat;
}

double BucketValue(Bucket bucket) {
  switch (bucket) {
    case Bucket::kUpBig:
      return 2.0;
    case Bucket::kUp:
      return 1.0;
    case Bucket::kDownBig:
      return -2.0;
    case Bucket::kDown:
      return -1.0;
    case Bucket::kFlat:
      return 0.0;
  }
  return 0.0;
}

// "6.0 >= 5.0 -> 2" for the bucket `x` fell in.
std::string BucketText(std::string_view name, double x, double big, double small, Bucket bucket) {
  const std::string value = FormatFloat(x);
  switch (bucket) {
    case Bucket::kUpBig:
      return fmt::format("{} {} >= {} -> 2", name, value, FormatFloat(big));
    case Bucket::kUp:
      return fmt::format("{} {} >= {} -> 1", name, value, FormatFloat(small));
    case Bucket::kDownBig:
      return fmt::format("{} {} <= {} -> -2", name, value, FormatFloat(-big));
    case Bucket::kDown:
      return fmt::format("{} {} <= {} -> -1", name, value, FormatFloat(-small));
    case Bucket::kFlat:
      return fmt::format("{} {} in ({}, {}) -> 0", name, value, FormatFloat(-small), FormatFloat(small));
  }
  return "";
}

// L10 completeness over sorted ascending spans (pdc.md §9); `trace`
// (nullptr on the compute path) gets the window and the result.
std::optional<double> CompletenessSorted(Date game_date, std::span<const Date> team_dates_ascending,
                                         std::span<const Date> player_dates_ascending, Trace* trace = nullptr) {
  const size_t end =
      static_cast<size_t>(std::lower_bound(team_dates_ascending.begin(), team_dates_ascending.end(), game_date) -
                          team_dates_ascending.begin());
  const size_t begin = end > static_cast<size_t>(kMlfsCompletenessGames) ? end - kMlfsCompletenessGames : 0;
  const int64_t expected = static_cast<int64_t>(end - begin);
  if (expected == 0) {
    if (trace) {
      AddStep(trace, kSpecDerived, "completeness_percentage", "the team has no game before D -> NULL", Value{}, true);
    }
    return std::nullopt;
  }
  int64_t actual = 0;
  std::string missing;
  for (size_t idx = begin; idx < end; ++idx) {
    if (std::binary_search(player_dates_ascending.begin(), player_dates_ascending.end(), team_dates_ascending[idx])) {
      ++actual;
    } else if (trace) {
      missing += (missing.empty() ? "" : ", ") + team_dates_ascending[idx].ToString();
    }
  }
  const std::optional<double> pct = RoundPy((100.0 * static_cast<double>(actual)) / static_cast<double>(expected), 1);
  if (trace) {
    AddStep(trace, kSpecDerived, "L10 team games",
            fmt::format("the team's last {} TOGS game dates before D: {} .. {}", kMlfsCompletenessGames,
                        team_dates_ascending[begin].ToString(), team_dates_ascending[end - 1].ToString()),
            Value{expected});
    AddStep(trace, kSpecDerived, "L10 player rows",
            fmt::format("player PGS rows on those dates (missing: {})", missing.empty() ? "none" : missing),
            Value{actual});
    AddStep(trace, kSpecDerived, "completeness_percentage",
            fmt::format("round_py(100 * rows / games, 1) = round_py(100 * {} / {}, 1)", actual, expected),
            OptionalValue(pct), true);
  }
  return pct;
}

// Latest date < D of an ascending list.
std::optional<Date> LatestBefore(std::span<const Date> ascending, Date game_date) {
  auto it = std::lower_bound(ascending.begin(), ascending.end(), game_date);
  if (it == ascending.begin()) return std::nullopt;
  return *(it - 1);
}

// Phase 4 rows of one date in lookup order: players ascending, teams
// ascending (stable: the load order breaks impossible ties).
template <typename Row>
void SortPhase4Rows(std::vector<Row>& rows) {
  if constexpr (std::is_same_v<Row, MlfsTdzaInput>) {
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.team_abbr < b.team_abbr; });
  } else {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.player_lookup < b.player_lookup; });
  }
}

// Replaces the rows of a reserved date: assigning D's vector inserts nothing
// while the map is shared (the feed setters).
template <typename Row>
void ReplaceDateRows(std::map<Date, std::vector<Row>>& by_date, Date date, std::vector<Row>& rows) {
  SortPhase4Rows(rows);
  by_date[date] = std::move(rows);
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

// The distinct player_lookup values of `rows`, ascending, and per row the
// index of its player there. One hash lookup per row; the result depends on
// neither the hash order nor the input order.
void GroupByLookup(std::span<const PlayerGame> rows, std::vector<std::string_view>* lookups,
                   std::vector<uint32_t>* player_of_row) {
  NameRanker ranker;
  player_of_row->resize(rows.size());
  for (size_t idx = 0; idx < rows.size(); ++idx) (*player_of_row)[idx] = ranker.Add(rows[idx].player_lookup);
  ranker.Finish();
  *lookups = ranker.Sorted();
  for (uint32_t& player : *player_of_row) player = ranker.Rank(player);
}

// A qualifying game and its game_id, a view into the PGS row it came from
// (the rows outlive the sort).
using KeyedHistoryGame = std::pair<std::string_view, MlfsHistoryGame>;

bool HistoryGameLess(const KeyedHistoryGame& a, const KeyedHistoryGame& b) {
  // (game_date, game_id), then the values so the order is total even on
  // impossible duplicates (README §8.3). std::tie compares in place: the
  // sort calls this O(n log n) times.
  const auto key = [](const KeyedHistoryGame& entry) {
    const MlfsRecentGame& g = entry.second.game;
    return std::tie(g.game_date, entry.first, entry.second.season_year, g.points, g.minutes_played, g.ft_makes);
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

namespace {

// The implementations of §7; `trace` (nullptr on the compute path) gets the
// intermediate values and the feature's step.

MlfsFeature RestAdvantageImpl(std::optional<int64_t> days_rest, std::optional<int64_t> opponent_days_rest,
                              Trace* trace) {
  // F9.
  if (!days_rest || !opponent_days_rest) {
    const MlfsFeature feature = Default(0.0);
    if (trace) {
      FeatureStep(trace, kSpecCalculated, kRestAdvantage, feature,
                  fmt::format("days_rest {}, opponent_days_rest {}: a NULL -> constant", OptText(days_rest),
                              OptText(opponent_days_rest)));
    }
    return feature;
  }
  const int64_t diff = std::clamp<int64_t>(*days_rest - *opponent_days_rest, -2, 2);
  const MlfsFeature feature = Calculated(static_cast<double>(diff));
  if (trace) {
    FeatureStep(trace, kSpecCalculated, kRestAdvantage, feature,
                fmt::format("clamp(days_rest - opponent_days_rest, -2, 2) = clamp({} - {}, -2, 2)", *days_rest,
                            *opponent_days_rest));
  }
  return feature;
}

MlfsFeature InjuryRiskImpl(bool context_present, const std::optional<std::string>& player_status, Trace* trace) {
  // F10.
  MlfsFeature feature;
  std::string status;
  if (!context_present) {
    feature = Default(0.0);
  } else if (!player_status) {
    feature = Calculated(0.0);
  } else {
    status = Lower(*player_status);
    if (status == "probable") {
      feature = Calculated(1.0);
    } else if (status == "questionable") {
      feature = Calculated(2.0);
    } else if (status == "doubtful" || status == "out") {
      feature = Calculated(3.0);
    } else {
      feature = Calculated(0.0);  // available, anything else, empty
    }
  }
  if (trace) {
    std::string how;
    if (!context_present) {
      how = "no context (UPGC) row -> constant";
    } else if (!player_status) {
      how = "context player_status NULL -> 0";
    } else {
      how = fmt::format("lower(player_status {}) = '{}' -> {}", OptText(player_status), status,
                        static_cast<int>(feature.value));
    }
    FeatureStep(trace, kSpecCalculated, kInjuryRisk, feature, how);
  }
  return feature;
}

MlfsFeature RecentTrendImpl(std::span<const std::optional<double>> last_10_points, Trace* trace) {
  // F11: newest first, NULL as 0; positive = trending up (§14 deviation 2).
  if (last_10_points.size() < static_cast<size_t>(kMinTrendGames)) {
    const MlfsFeature feature = Default(0.0);
    if (trace) {
      FeatureStep(trace, kSpecCalculated, kRecentTrend, feature,
                  fmt::format("{} P3 last-10 games < {} -> constant", last_10_points.size(), kMinTrendGames));
    }
    return feature;
  }
  const auto p = [&](size_t idx) { return last_10_points[idx].value_or(0.0); };
  const double diff = (p(0) + p(1) + p(2)) / 3.0 - (p(3) + p(4)) / 2.0;
  const Bucket bucket = Bucketize(diff, 5.0, 2.0);
  const MlfsFeature feature = Calculated(BucketValue(bucket));
  if (trace) {
    const auto term = [&](size_t idx) {
      return last_10_points[idx] ? FormatFloat(*last_10_points[idx]) : std::string("0 (NULL)");
    };
    AddStep(
        trace, kSpecCalculated, "recent_trend diff",
        fmt::format("(p1 + p2 + p3) / 3 - (p4 + p5) / 2 of the 5 newest P3 games = ({} + {} + {}) / 3 - ({} + {}) / 2",
                    term(0), term(1), term(2), term(3), term(4)),
        Value{diff});
    FeatureStep(trace, kSpecCalculated, kRecentTrend, feature, BucketText("diff", diff, 5.0, 2.0, bucket));
  }
  return feature;
}

MlfsFeature MinutesChangeImpl(std::optional<double> pdc_minutes_avg_last_10,
                              std::span<const std::optional<double>> last_10_minutes,
                              std::optional<double> minutes_avg_season, Trace* trace) {
  // F12.
  const bool from_pdc = Usable(pdc_minutes_avg_last_10);
  std::optional<double> recent =
      from_pdc ? pdc_minutes_avg_last_10 : MeanOfFirst(last_10_minutes, last_10_minutes.size());
  if (trace) {
    AddStep(trace, kSpecCalculated, "minutes recent",
            from_pdc ? std::string("pdc.minutes_avg_last_10")
                     : fmt::format("pdc.minutes_avg_last_10 NULL or no PDC row -> mean(minutes_played) of the {} "
                                   "P3 last-10 games = {}",
                                   last_10_minutes.size(), MeanText(last_10_minutes, last_10_minutes.size())),
            OptionalValue(recent));
    AddStep(trace, kSpecCalculated, "minutes season", "P3 minutes_avg_season", OptionalValue(minutes_avg_season));
  }
  if (!recent || *recent == 0.0 || !minutes_avg_season || *minutes_avg_season == 0.0) {
    const MlfsFeature feature = Default(0.0);
    if (trace) {
      FeatureStep(
          trace, kSpecCalculated, kMinutesChange, feature,
          fmt::format("recent {}, season {}: NULL or 0 -> constant", OptText(recent), OptText(minutes_avg_season)));
    }
    return feature;
  }
  const double season = *minutes_avg_season;
  const double p = (*recent - season) / season;
  const Bucket bucket = Bucketize(p, 0.20, 0.10);
  const MlfsFeature feature = Calculated(BucketValue(bucket));
  if (trace) {
    AddStep(trace, kSpecCalculated, "minutes p",
            fmt::format("(recent - season) / season = ({} - {}) / {}", FormatFloat(*recent), FormatFloat(season),
                        FormatFloat(season)),
            Value{p});
    FeatureStep(trace, kSpecCalculated, kMinutesChange, feature, BucketText("p", p, 0.20, 0.10, bucket));
  }
  return feature;
}

MlfsFeature PctFreeThrowImpl(std::span<const MlfsRecentGame> last_10_games, Trace* trace) {
  // F21: NULL as 0; exact integer sums, one double division.
  if (last_10_games.size() < static_cast<size_t>(kMinFreeThrowGames)) {
    const MlfsFeature feature = Default(kDefaultPctFreeThrow);
    if (trace) {
      FeatureStep(trace, kSpecCalculated, kPctFreeThrow, feature,
                  fmt::format("{} P3 last-10 games < {} -> constant", last_10_games.size(), kMinFreeThrowGames));
    }
    return feature;
  }
  int64_t ft_makes = 0;
  int64_t points = 0;
  for (const MlfsRecentGame& game : last_10_games) {
    ft_makes += game.ft_makes.value_or(0);
    points += game.points.value_or(0);
  }
  if (trace) {
    AddStep(trace, kSpecCalculated, "free-throw totals",
            fmt::format("sum ft_makes / sum points over the {} P3 last-10 games (NULL as 0)", last_10_games.size()),
            Value{fmt::format("{} / {}", ft_makes, points)});
  }
  if (points == 0) {
    const MlfsFeature feature = Default(kDefaultPctFreeThrow);
    if (trace) FeatureStep(trace, kSpecCalculated, kPctFreeThrow, feature, "sum points = 0 -> constant");
    return feature;
  }
  const double ratio = static_cast<double>(ft_makes) / static_cast<double>(points);
  const double share = std::clamp(ratio, 0.0, 0.5);
  const MlfsFeature feature = Calculated(RoundPy(share, 9));
  if (trace) {
    AddStep(trace, kSpecCalculated, "free-throw share", fmt::format("ft_makes / points = {} / {}", ft_makes, points),
            Value{ratio});
    FeatureStep(trace, kSpecCalculated, kPctFreeThrow, feature,
                fmt::format("round_py(clamp({}, 0, 0.5), 9)", FormatFloat(ratio)));
  }
  return feature;
}

MlfsFeature TeamWinPctImpl(int64_t games, int64_t wins, Trace* trace) {
  // F24 (§14 deviation 1).
  if (games < kMinTeamGames) {
    const MlfsFeature feature = Default(kDefaultTeamWinPct);
    if (trace) {
      FeatureStep(trace, kSpecCalculated, kTeamWinPct, feature,
                  fmt::format("{} team season games < {} -> constant", games, kMinTeamGames));
    }
    return feature;
  }
  const MlfsFeature feature = Calculated(RoundPy(static_cast<double>(wins) / static_cast<double>(games), 9));
  if (trace) {
    FeatureStep(trace, kSpecCalculated, kTeamWinPct, feature,
                fmt::format("round_py(wins / games, 9) = round_py({} / {}, 9)", wins, games));
  }
  return feature;
}

}  // namespace

MlfsFeature MlfsRestAdvantage(std::optional<int64_t> days_rest, std::optional<int64_t> opponent_days_rest) {
  return RestAdvantageImpl(days_rest, opponent_days_rest, nullptr);
}

MlfsFeature MlfsInjuryRisk(bool context_present, const std::optional<std::string>& player_status) {
  return InjuryRiskImpl(context_present, player_status, nullptr);
}

MlfsFeature MlfsRecentTrend(std::span<const std::optional<double>> last_10_points) {
  return RecentTrendImpl(last_10_points, nullptr);
}

MlfsFeature MlfsMinutesChange(std::optional<double> pdc_minutes_avg_last_10,
                              std::span<const std::optional<double>> last_10_minutes,
                              std::optional<double> minutes_avg_season) {
  return MinutesChangeImpl(pdc_minutes_avg_last_10, last_10_minutes, minutes_avg_season, nullptr);
}

MlfsFeature MlfsPctFreeThrow(std::span<const MlfsRecentGame> last_10_games) {
  return PctFreeThrowImpl(last_10_games, nullptr);
}

MlfsFeature MlfsTeamWinPct(int64_t games, int64_t wins) { return TeamWinPctImpl(games, wins, nullptr); }

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

namespace {

// mlfs.md §8 tiers, checked in order; below the last: "unusable".
struct TierRule {
  double min_score;
  const char* tier;
};
constexpr TierRule kTierRules[] = {{95.0, "gold"}, {75.0, "silver"}, {50.0, "bronze"}, {25.0, "poor"}};
constexpr size_t kTierRuleCount = std::size(kTierRules);

// Index of the first rule the score meets; kTierRuleCount for "unusable".
size_t TierRuleIndex(double feature_quality_score) {
  size_t idx = 0;
  while (idx < kTierRuleCount && !(feature_quality_score >= kTierRules[idx].min_score)) ++idx;
  return idx;
}

const char* TierName(size_t rule_idx) { return rule_idx < kTierRuleCount ? kTierRules[rule_idx].tier : "unusable"; }

MlfsQuality QualityScoreImpl(std::span<const MlfsSource> feature_sources, Trace* trace) {
  // mlfs.md §8: weights phase4 100, phase3 75, calculated 100, default 40.
  int64_t weight_sum = 0;
  int64_t phase4 = 0;
  int64_t phase3 = 0;
  int64_t calculated = 0;
  int64_t defaults = 0;
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
        ++calculated;
        break;
      case MlfsSource::kDefault:
        weight_sum += 40;
        ++defaults;
        break;
    }
  }
  MlfsQuality quality;
  quality.feature_quality_score = RoundPy(static_cast<double>(weight_sum) / static_cast<double>(kMlfsFeatureCount), 2);
  const size_t tier_rule = TierRuleIndex(quality.feature_quality_score);
  quality.quality_tier = TierName(tier_rule);
  const double p4 = static_cast<double>(phase4) / static_cast<double>(kMlfsFeatureCount);
  const double p3 = static_cast<double>(phase3) / static_cast<double>(kMlfsFeatureCount);
  const char* rule = "";
  if (p4 >= 0.90) {
    quality.data_source = "phase4";
    rule = "p4 >= 0.90";
  } else if (p4 >= 0.50) {
    quality.data_source = "phase4_partial";
    rule = "p4 < 0.90, p4 >= 0.50";
  } else if (p3 >= 0.50) {
    quality.data_source = "phase3";
    rule = "p4 < 0.50, p3 >= 0.50";
  } else {
    quality.data_source = "mixed";
    rule = "p4 < 0.50, p3 < 0.50";
  }
  if (trace) {
    AddStep(trace, kSpecQuality, "weight sum",
            fmt::format("{} phase4 x 100 + {} phase3 x 75 + {} calculated x 100 + {} default x 40", phase4, phase3,
                        calculated, defaults),
            Value{weight_sum});
    AddStep(trace, kSpecQuality, "feature_quality_score",
            fmt::format("round_py(weight sum / {}, 2) = round_py({} / {}, 2)", kMlfsFeatureCount, weight_sum,
                        kMlfsFeatureCount),
            Value{quality.feature_quality_score}, true);
    const std::string score = FormatFloat(quality.feature_quality_score);
    AddStep(trace, kSpecQuality, "quality_tier",
            tier_rule < kTierRuleCount
                ? fmt::format("{} >= {}", score, FormatFloat(kTierRules[tier_rule].min_score))
                : fmt::format("{} < {}", score, FormatFloat(kTierRules[kTierRuleCount - 1].min_score)),
            Value{quality.quality_tier}, true);
    AddStep(trace, kSpecQuality, "data_source",
            fmt::format("p4 = {} / {} = {}, p3 = {} / {} = {}: {}", phase4, kMlfsFeatureCount, FormatFloat(p4), phase3,
                        kMlfsFeatureCount, FormatFloat(p3), rule),
            Value{quality.data_source}, true);
  }
  return quality;
}

}  // namespace

const char* MlfsQualityTier(double feature_quality_score) { return TierName(TierRuleIndex(feature_quality_score)); }

MlfsQuality MlfsQualityScore(std::span<const MlfsSource> feature_sources) {
  return QualityScoreImpl(feature_sources, nullptr);
}

// ---------------------------------------------------------------------------
// Rest (mlfs.md §5)

namespace {

// pcf.md §13.2: last date in [D - 30, D - 1], else 30; `how` (trace only)
// gets the operands.
int64_t DaysOffImpl(Date game_date, std::optional<Date> last, std::string* how) {
  if (!last || *last >= game_date || *last < game_date - kMlfsRestLookbackDays) {
    if (how) {
      *how = fmt::format("none in [{}, {}] -> {}", (game_date - kMlfsRestLookbackDays).ToString(),
                         (game_date - 1).ToString(), kMlfsRestLookbackDays);
    }
    return kMlfsRestLookbackDays;
  }
  if (how) *how = fmt::format("({} - {}).days - 1 = {} - 1", game_date.ToString(), last->ToString(), game_date - *last);
  return static_cast<int64_t>(game_date - *last) - 1;
}

MlfsRest RestFromDatesImpl(Date game_date, const std::optional<MlfsRestContext>& context,
                           std::optional<Date> last_appearance, bool opponent_known,
                           std::optional<Date> last_opponent_game, Trace* trace) {
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
    if (trace) {
      AddStep(trace, kSpecDerived, "days_rest", "context (UPGC) days_rest", OptionalValue(rest.days_rest), true);
      AddStep(trace, kSpecDerived, "back_to_back",
              fmt::format("TRUE if context back_to_back is TRUE or days_rest = 0, NULL if both NULL: back_to_back {}, "
                          "days_rest {}",
                          OptText(context->back_to_back), OptText(context->days_rest)),
              OptionalValue(rest.back_to_back));
    }
  } else {
    std::string how;
    rest.days_rest = DaysOffImpl(game_date, last_appearance, trace ? &how : nullptr);
    rest.back_to_back = *rest.days_rest == 0;
    if (trace) {
      AddStep(trace, kSpecDerived, "last appearance",
              "no context row: latest PGS row before D with minutes > 0 or points > 0 or fg_attempts > 0",
              OptDateValue(last_appearance));
      AddStep(trace, kSpecDerived, "days_rest", "synthetic (pcf.md §13.2): " + how, OptionalValue(rest.days_rest),
              true);
      AddStep(trace, kSpecDerived, "back_to_back",
              fmt::format("TRUE iff days_rest = 0: days_rest is {}", *rest.days_rest),
              OptionalValue(rest.back_to_back));
    }
  }
  if (opponent_known) {
    std::string how;
    rest.opponent_days_rest = DaysOffImpl(game_date, last_opponent_game, trace ? &how : nullptr);
    if (trace) {
      AddStep(trace, kSpecDerived, "opponent last game", "latest TOGS game_date of the opponent before D",
              OptDateValue(last_opponent_game));
      AddStep(trace, kSpecDerived, "opponent_days_rest", how, OptionalValue(rest.opponent_days_rest));
    }
  } else if (trace) {
    AddStep(trace, kSpecDerived, "opponent_days_rest", "opponent NULL -> NULL", Value{});
  }
  return rest;
}

}  // namespace

int64_t MlfsDaysOff(Date game_date, std::optional<Date> last) { return DaysOffImpl(game_date, last, nullptr); }

MlfsRest MlfsRestFromDates(Date game_date, const std::optional<MlfsRestContext>& context,
                           std::optional<Date> last_appearance, bool opponent_known,
                           std::optional<Date> last_opponent_game) {
  return RestFromDatesImpl(game_date, context, last_appearance, opponent_known, last_opponent_game, nullptr);
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

namespace {

// Fills `out` (cleared first, so a caller can reuse its capacity).
void Phase3FromHistoryImpl(Date game_date, std::span<const MlfsHistoryGame> ascending_games, Trace* trace,
                           MlfsPhase3* out) {
  out->last_10_games.clear();
  out->season.reset();
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
  out->last_10_games.reserve(end - last_begin);
  for (size_t idx = end; idx > last_begin; --idx) out->last_10_games.push_back(ascending_games[idx - 1].game);
  if (trace) {
    std::string games;
    for (const MlfsRecentGame& game : out->last_10_games) {
      if (!games.empty()) games += "; ";
      games += fmt::format("{} {} pts {} min {} ft", game.game_date.ToString(), OptText(game.points),
                           OptText(game.minutes_played), OptText(game.ft_makes));
    }
    AddStep(trace, kSpecDerived, "P3 last-10 games",
            fmt::format("qualifying games with {} <= game_date < {}, newest first, at most {}: {} games",
                        (game_date - kMlfsLastGamesDays).ToString(), game_date.ToString(), kMlfsLastGamesMax,
                        out->last_10_games.size()),
            Value{games.empty() ? std::string("(none)") : games});
  }

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
    out->season = season;
  }
  if (trace) {
    AddStep(trace, kSpecDerived, "P3 season games",
            fmt::format("qualifying games of season {} before {}{}", season_year, game_date.ToString(),
                        games == 0 ? ": none -> season aggregates absent" : ""),
            Value{games});
    if (games > 0) {
      AddStep(trace, kSpecDerived, "P3 points_avg_season",
              points_count > 0
                  ? fmt::format("sum points / non-NULL count = {} / {}", FormatFloat(points_sum), points_count)
                  : std::string("every points NULL -> NULL"),
              OptionalValue(out->season->points_avg_season));
      AddStep(trace, kSpecDerived, "P3 minutes_avg_season",
              minutes_count > 0 ? fmt::format("sum minutes_played / non-NULL count = {} / {}", FormatFloat(minutes_sum),
                                              minutes_count)
                                : std::string("every minutes_played NULL -> NULL"),
              OptionalValue(out->season->minutes_avg_season));
    }
  }
}

}  // namespace

MlfsPhase3 MlfsPhase3FromHistory(Date game_date, std::span<const MlfsHistoryGame> ascending_games) {
  MlfsPhase3 out;
  Phase3FromHistoryImpl(game_date, ascending_games, nullptr, &out);
  return out;
}

MlfsPhase3 MlfsPhase3Inputs(Date game_date, std::span<const PlayerGame> player_rows) {
  std::vector<KeyedHistoryGame> games;
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

namespace {

MlfsAssembled AssembleFeaturesImpl(const MlfsAssembleInputs& in, Trace* trace) {
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
  const GameValues points_values(in.last_10_games, PointsOf);
  const GameValues minutes_values(in.last_10_games, MinutesOf);
  const std::span<const std::optional<double>> points = points_values.span();
  const std::span<const std::optional<double>> minutes = minutes_values.span();

  // Trace only: the step of a Phase 4 feature, "table.field" when taken,
  // else why not and the fallback.
  const auto p4_step = [&](size_t idx, std::string_view table, bool row_present, std::string_view field,
                           std::string_view taken, std::string_view fallback) {
    const MlfsFeature& feature = f[idx];
    std::string how;
    if (feature.source == MlfsSource::kPhase4) {
      how = fmt::format("{}.{}{}", table, field, taken);
    } else if (row_present) {
      how = fmt::format("{}.{} NULL -> {}", table, field, fallback);
    } else {
      how = fmt::format("no {} row -> {}", table, fallback);
    }
    FeatureStep(trace, kSpecFeatures, idx, feature, how);
  };

  // 0-2: PDC -> Phase 3 -> default (NULL points skipped; all NULL -> default).
  MlfsFeature last5_fallback = Default(kDefaultPoints);
  if (points.size() >= 5) {
    if (auto mean = MeanOfFirst(points, 5)) last5_fallback = phase3(*mean);
  }
  f[kPointsAvgLast5] = p4_or(pdc ? pdc->points_avg_last_5 : std::nullopt, last5_fallback);
  if (trace) {
    p4_step(kPointsAvgLast5, "pdc", pdc != nullptr, "points_avg_last_5", "",
            last5_fallback.source == MlfsSource::kPhase3
                ? "mean(points) of the 5 newest P3 last-10 games = " + MeanText(points, 5)
            : points.size() < 5 ? fmt::format("{} P3 last-10 games < 5 -> constant", points.size())
                                : std::string("every points NULL -> constant"));
  }
  MlfsFeature last10_fallback = Default(kDefaultPoints);
  if (auto mean = MeanOfFirst(points, points.size())) last10_fallback = phase3(*mean);
  f[kPointsAvgLast10] = p4_or(pdc ? pdc->points_avg_last_10 : std::nullopt, last10_fallback);
  if (trace) {
    p4_step(kPointsAvgLast10, "pdc", pdc != nullptr, "points_avg_last_10", "",
            last10_fallback.source == MlfsSource::kPhase3 ? fmt::format("mean(points) of the {} P3 last-10 games = {}",
                                                                        points.size(), MeanText(points, points.size()))
            : points.empty()                              ? std::string("no P3 last-10 game -> constant")
                                                          : std::string("every points NULL -> constant"));
  }
  MlfsFeature season_fallback = Default(kDefaultPoints);
  if (in.season && Usable(in.season->points_avg_season)) season_fallback = phase3(*in.season->points_avg_season);
  f[kPointsAvgSeason] = p4_or(pdc ? pdc->points_avg_season : std::nullopt, season_fallback);
  if (trace) {
    p4_step(kPointsAvgSeason, "pdc", pdc != nullptr, "points_avg_season", "",
            season_fallback.source == MlfsSource::kPhase3 ? std::string("P3 points_avg_season")
            : in.season                                   ? std::string("P3 points_avg_season NULL -> constant")
                                                          : std::string("no P3 season game -> constant"));
  }
  // 3-4: PDC only.
  f[kPointsStdLast10] = p4_or(pdc ? pdc->points_std_last_10 : std::nullopt, Default(kDefaultPointsStd));
  if (trace) p4_step(kPointsStdLast10, "pdc", pdc != nullptr, "points_std_last_10", "", "constant");
  f[kGamesInLast7Days] =
      p4_or(pdc ? int_as_double(pdc->games_in_last_7_days) : std::nullopt, Default(kDefaultGamesLast7));
  if (trace)
    p4_step(kGamesInLast7Days, "pdc", pdc != nullptr, "games_in_last_7_days", " (INTEGER, as double)", "constant");
  // 5-8: PCF.
  f[kFatigueScore] = p4_or(pcf ? int_as_double(pcf->fatigue_score) : std::nullopt, Default(kDefaultFatigue));
  if (trace) p4_step(kFatigueScore, "pcf", pcf != nullptr, "fatigue_score", " (INTEGER, as double)", "constant");
  f[kShotZoneMismatchScore] = p4_or(pcf ? pcf->shot_zone_mismatch_score : std::nullopt, Default(0.0));
  if (trace) p4_step(kShotZoneMismatchScore, "pcf", pcf != nullptr, "shot_zone_mismatch_score", "", "constant");
  f[kPaceScore] = p4_or(pcf ? pcf->pace_score : std::nullopt, Default(0.0));
  if (trace) p4_step(kPaceScore, "pcf", pcf != nullptr, "pace_score", "", "constant");
  f[kUsageSpikeScore] = p4_or(pcf ? pcf->usage_spike_score : std::nullopt, Default(0.0));
  if (trace) p4_step(kUsageSpikeScore, "pcf", pcf != nullptr, "usage_spike_score", "", "constant");
  // 9-12: calculated (§7).
  f[kRestAdvantage] = RestAdvantageImpl(in.player.days_rest, in.player.opponent_days_rest, trace);
  f[kInjuryRisk] = InjuryRiskImpl(in.context.has_value(),
                                  in.context ? in.context->player_status : std::optional<std::string>(), trace);
  f[kRecentTrend] = RecentTrendImpl(points, trace);
  f[kMinutesChange] = MinutesChangeImpl(pdc ? pdc->minutes_avg_last_10 : std::nullopt, minutes,
                                        in.season ? in.season->minutes_avg_season : std::nullopt, trace);
  // 13-14: TDZA of the opponent.
  f[kOpponentDefRating] =
      p4_or(tdza ? tdza->defensive_rating_last_15 : std::nullopt, Default(kDefaultOpponentDefRating));
  const auto tdza_table = [&] { return tdza ? "tdza(" + tdza->team_abbr + ")" : std::string("tdza(opponent)"); };
  if (trace) p4_step(kOpponentDefRating, tdza_table(), tdza != nullptr, "defensive_rating_last_15", "", "constant");
  f[kOpponentPace] = p4_or(tdza ? tdza->opponent_pace : std::nullopt, Default(kDefaultOpponentPace));
  if (trace) p4_step(kOpponentPace, tdza_table(), tdza != nullptr, "opponent_pace", "", "constant");
  // 15-17: Phase 3 facts of D.
  f[kHomeAway] = in.player.is_home ? phase3(*in.player.is_home ? 1.0 : 0.0) : Default(0.0);
  if (trace) {
    FeatureStep(trace, kSpecFeatures, kHomeAway, f[kHomeAway],
                in.player.is_home ? fmt::format("is_home {}", OptText(in.player.is_home))
                                  : std::string("is_home NULL -> constant"));
  }
  f[kBackToBack] = in.player.back_to_back ? phase3(*in.player.back_to_back ? 1.0 : 0.0) : Default(0.0);
  if (trace) {
    FeatureStep(trace, kSpecFeatures, kBackToBack, f[kBackToBack],
                in.player.back_to_back ? fmt::format("back_to_back {}", OptText(in.player.back_to_back))
                                       : std::string("back_to_back NULL -> constant"));
  }
  const bool phase_from_context = in.context && in.context->season_phase;
  const std::string season_phase =
      phase_from_context ? Lower(*in.context->season_phase) : MlfsSeasonPhaseByMonth(in.game_date);
  f[kPlayoffGame] = phase3(season_phase == "playoffs" ? 1.0 : 0.0);
  if (trace) {
    FeatureStep(
        trace, kSpecFeatures, kPlayoffGame, f[kPlayoffGame],
        fmt::format("1.0 iff season phase is 'playoffs': '{}' ({})", season_phase,
                    phase_from_context ? "lower(context season_phase)"
                                       : fmt::format("month {} of D, no context season_phase", in.game_date.month())));
  }
  // 18-20: PSZA / 100.
  const auto share_taken = [&](const std::optional<double>& percent) {
    return Usable(percent) ? fmt::format(" / 100 = {} / 100", FormatFloat(*percent)) : std::string();
  };
  f[kPctPaint] = p4_or(psza ? percent_to_share(psza->paint_rate_last_10) : std::nullopt, Default(kDefaultPctPaint));
  if (trace) {
    p4_step(kPctPaint, "psza", psza != nullptr, "paint_rate_last_10",
            share_taken(psza ? psza->paint_rate_last_10 : std::nullopt), "constant");
  }
  f[kPctMidRange] =
      p4_or(psza ? percent_to_share(psza->mid_range_rate_last_10) : std::nullopt, Default(kDefaultPctMidRange));
  if (trace) {
    p4_step(kPctMidRange, "psza", psza != nullptr, "mid_range_rate_last_10",
            share_taken(psza ? psza->mid_range_rate_last_10 : std::nullopt), "constant");
  }
  f[kPctThree] = p4_or(psza ? percent_to_share(psza->three_pt_rate_last_10) : std::nullopt, Default(kDefaultPctThree));
  if (trace) {
    p4_step(kPctThree, "psza", psza != nullptr, "three_pt_rate_last_10",
            share_taken(psza ? psza->three_pt_rate_last_10 : std::nullopt), "constant");
  }
  // 21: calculated.
  f[kPctFreeThrow] = PctFreeThrowImpl(in.last_10_games, trace);
  // 22-23: PDC team values.
  f[kTeamPace] = p4_or(pdc ? pdc->team_pace_last_10 : std::nullopt, Default(kDefaultTeamPace));
  if (trace) p4_step(kTeamPace, "pdc", pdc != nullptr, "team_pace_last_10", "", "constant");
  f[kTeamOffRating] = p4_or(pdc ? pdc->team_off_rating_last_10 : std::nullopt, Default(kDefaultTeamOffRating));
  if (trace) p4_step(kTeamOffRating, "pdc", pdc != nullptr, "team_off_rating_last_10", "", "constant");
  // 24: calculated.
  f[kTeamWinPct] = TeamWinPctImpl(in.team_season_games, in.team_season_wins, trace);

  for (size_t idx = 0; idx < f.size(); ++idx) {
    out.features[idx] = PositiveZero(f[idx].value);
    out.feature_sources[idx] = f[idx].source;
  }
  out.quality = QualityScoreImpl(out.feature_sources, trace);
  return out;
}

}  // namespace

MlfsAssembled MlfsAssembleFeatures(const MlfsAssembleInputs& in) { return AssembleFeaturesImpl(in, nullptr); }

// ---------------------------------------------------------------------------
// Rows (mlfs.md §8-§10)

std::vector<std::string> MlfsDataQualityIssues(const MlfsUpstreamPresence& present) {
  std::vector<std::string> issues;
  const int absent = !present.player_daily_cache + !present.player_composite_factors +
                     !present.player_shot_zone_analysis + !present.team_defense_zone_analysis;
  issues.reserve(static_cast<size_t>(absent));  // one allocation, not one per growth
  if (!present.player_daily_cache) issues.emplace_back("upstream_player_daily_cache_incomplete");
  if (!present.player_composite_factors) issues.emplace_back("upstream_player_composite_factors_incomplete");
  if (!present.player_shot_zone_analysis) issues.emplace_back("upstream_player_shot_zone_incomplete");
  if (!present.team_defense_zone_analysis) issues.emplace_back("upstream_team_defense_zone_incomplete");
  return issues;
}

namespace {

// The stored text of the array columns (README §4.2), shared by ToNamedValues
// and the trace.
// Each is MlfsArrayText of the column's values, appended into one reserved
// buffer (one allocation per text on the per-row path).
std::string FeaturesText(const MlfsRow& row) {
  std::string out;
  out.reserve(kMlfsFeatureCount * 25 + 2);  // a format_float repr is at most 24 characters, plus the comma
  out += '[';
  for (size_t idx = 0; idx < row.features.size(); ++idx) {
    if (idx > 0) out += ',';
    AppendFormatFloat(out, PositiveZero(row.features[idx]));
  }
  out += ']';
  return out;
}
const std::string& FeatureNamesText() {
  static const std::string kText = MlfsArrayText(NameValues());  // the same 25 names on every row
  return kText;
}
std::string FeatureSourcesText(const MlfsRow& row) {
  std::array<std::string_view, kMlfsFeatureCount> names;
  for (size_t idx = 0; idx < names.size(); ++idx) names[idx] = MlfsSourceName(row.feature_sources[idx]);
  return StringArrayText(names);
}
std::string IssuesText(const MlfsRow& row) { return StringArrayText(row.data_quality_issues); }

// `player` by value: the compute path moves its candidate's identity in, so
// the identity texts are not copied again.
MlfsRow BuildRowImpl(MlfsPlayerIdentity player, const MlfsAssembled& assembled,
                     std::optional<double> completeness_percentage, const MlfsUpstreamPresence& present, Trace* trace) {
  MlfsRow row;
  row.player_lookup = std::move(player.player_lookup);
  row.universal_player_id = std::move(player.universal_player_id);
  row.game_date = player.game_date;
  row.game_id = std::move(player.game_id);
  row.team_abbr = std::move(player.team_abbr);
  row.opponent_team_abbr = std::move(player.opponent_team_abbr);
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
  const bool complete_enough =
      completeness_percentage.has_value() && *completeness_percentage >= kMlfsProductionReadyMinPct;
  row.is_production_ready = complete_enough && row.data_quality_issues.empty();
  row.data_hash = MlfsDataHash(row);
  if (trace) {
    const auto yes_no = [](bool present_row) { return present_row ? "present" : "ABSENT"; };
    AddStep(
        trace, kSpecQuality, "data_quality_issues",
        fmt::format("one tag per absent row: PDC {}, PCF {}, PSZA {}, TDZA({}) {}", yes_no(present.player_daily_cache),
                    yes_no(present.player_composite_factors), yes_no(present.player_shot_zone_analysis),
                    row.opponent_team_abbr, yes_no(present.team_defense_zone_analysis)),
        Value{IssuesText(row)}, true);
    AddStep(
        trace, kSpecQuality, "is_production_ready",
        fmt::format("completeness_percentage {} >= {} ({}) and {} issue tags ({})", OptText(completeness_percentage),
                    FormatFloat(kMlfsProductionReadyMinPct), complete_enough ? "yes" : "no",
                    row.data_quality_issues.size(), row.data_quality_issues.empty() ? "yes" : "no"),
        Value{row.is_production_ready}, true);
    AddStep(trace, kSpecStorage, "features", "the 25 values in index order, compact JSON (format_float)",
            Value{FeaturesText(row)}, true);
    AddStep(trace, kSpecStorage, "feature_names", "the 25 names of §6", Value{FeatureNamesText()}, true);
    AddStep(trace, kSpecStorage, "feature_sources", "the 25 tags in index order", Value{FeatureSourcesText(row)}, true);
    AddStep(trace, kSpecSchema, "feature_count", "constant", Value{row.feature_count}, true);
    AddStep(trace, kSpecSchema, "feature_version", "constant", Value{row.feature_version}, true);
    AddStep(trace, kSpecSchema, "data_hash",
            "sha256 of the 19 hash fields of §10 (tdza.md §14; arrays as Python str(list)), first 16 hex",
            Value{row.data_hash}, true);
  }
  return row;
}

}  // namespace

MlfsRow MlfsBuildRow(const MlfsPlayerIdentity& player, const MlfsAssembled& assembled,
                     std::optional<double> completeness_percentage, const MlfsUpstreamPresence& present) {
  return BuildRowImpl(player, assembled, completeness_percentage, present, nullptr);
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
template <typename Strings>
void AppendPyStringList(std::string& out, const Strings& items) {
  out += '[';
  bool first = true;
  for (std::string_view item : items) {
    if (!first) out += ", ";
    first = false;
    out += '\'';
    out += item;
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
  issues_text.clear();
  AppendPyStringList(issues_text, row.data_quality_issues);
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
  std::string out;
  out.reserve(2 + values.size() * 16);  // a guess: saves most regrowth
  out += '[';
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
  out.emplace_back("features", Value{FeaturesText(row)});
  out.emplace_back("feature_names", Value{FeatureNamesText()});
  out.emplace_back("feature_sources", Value{FeatureSourcesText(row)});
  out.emplace_back("feature_count", Value{row.feature_count});
  out.emplace_back("feature_version", Value{row.feature_version});
  out.emplace_back("feature_quality_score", Value{row.feature_quality_score});
  out.emplace_back("quality_tier", Value{row.quality_tier});
  out.emplace_back("data_source", Value{row.data_source});
  out.emplace_back("completeness_percentage", OptionalValue(row.completeness_percentage));
  out.emplace_back("is_production_ready", Value{row.is_production_ready});
  out.emplace_back("data_quality_issues", Value{IssuesText(row)});
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
  // Nothing may depend on hash order or input order (README §8.3): the hash
  // map below only groups rows by player; players are then ranked by
  // player_lookup and each player's rows sorted by a total key.
  const std::span<const PlayerGame> pgs = inputs.player_games;
  std::vector<std::string_view> lookups;  // ascending, views into inputs.player_games
  std::vector<uint32_t> player_of_row;    // index into `lookups` per PGS row
  GroupByLookup(pgs, &lookups, &player_of_row);

  // Per player: `rows` ascending (game_date, game_id, team_abbr,
  // opponent_team_abbr, universal_player_id, season_year); `qualifying`
  // ascending by HistoryGameLess (game_date, game_id, season_year, points,
  // minutes_played, ft_makes); `appearance_dates` ascending, unique. When a
  // player's rows come in strictly ascending game_date (the load order), both
  // orders are the input order: one sequential pass over the input builds
  // everything. Players whose rows do not are rebuilt from sorted rows.
  std::vector<uint32_t> row_count(lookups.size(), 0);
  for (uint32_t player : player_of_row) ++row_count[player];
  players_.resize(lookups.size());
  for (size_t player = 0; player < lookups.size(); ++player) {
    PlayerIndex& index = players_[player];
    index.player_lookup = lookups[player];
    index.rows.reserve(row_count[player]);
    index.row_dates.reserve(row_count[player]);
    index.appearance_dates.reserve(row_count[player]);
    index.qualifying.reserve(row_count[player]);
  }
  // Texts: game_id, team and opponent per row; universal_player_id once per
  // run of equal values of a player.
  text_.reserve(pgs.size() * 24 + lookups.size() * 16);
  const auto add_text = [&](std::string_view text) {
    TextRef ref{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text.size())};
    text_.append(text);
    return ref;
  };
  std::vector<std::optional<TextRef>> last_uid(lookups.size());
  const auto add_row = [&](const PlayerGame& row, uint32_t player) {
    PlayerIndex& index = players_[player];
    PgsEntry entry;
    entry.game_date = row.game_date;
    entry.season_year = row.season_year;
    entry.game_id = add_text(row.game_id);
    entry.team_abbr = add_text(row.team_abbr);
    entry.opponent_team_abbr = add_text(row.opponent_team_abbr);
    if (row.universal_player_id) {
      entry.has_universal_player_id = true;
      std::optional<TextRef>& last = last_uid[player];
      if (!last || Text(*last) != *row.universal_player_id) last = add_text(*row.universal_player_id);
      entry.universal_player_id = *last;
    }
    index.rows.push_back(entry);
    index.row_dates.push_back(row.game_date);
    if (MlfsIsAppearance(row)) index.appearance_dates.push_back(row.game_date);
    if (MlfsQualifies(row)) {
      index.qualifying.push_back(MlfsHistoryGame{
          MlfsRecentGame{row.game_date, row.points, row.minutes_played, row.ft_makes}, row.season_year});
    }
  };
  std::vector<bool> unordered(lookups.size(), false);
  bool any_unordered = false;
  for (size_t idx = 0; idx < pgs.size(); ++idx) {
    const PlayerGame& row = pgs[idx];
    const uint32_t player = player_of_row[idx];
    const std::vector<Date>& dates = players_[player].row_dates;
    if (!dates.empty() && !(dates.back() < row.game_date)) {
      unordered[player] = true;
      any_unordered = true;
    }
    add_row(row, player);
  }
  if (any_unordered) {
    // The rows of each such player, sorted by the keys above (the qualifying
    // games by their own key), then added again.
    std::vector<std::vector<const PlayerGame*>> rows_of(lookups.size());
    for (size_t idx = 0; idx < pgs.size(); ++idx) {
      if (unordered[player_of_row[idx]]) rows_of[player_of_row[idx]].push_back(&pgs[idx]);
    }
    const auto row_less = [](const PlayerGame* a, const PlayerGame* b) {
      return std::tie(a->game_date, a->game_id, a->team_abbr, a->opponent_team_abbr, a->universal_player_id,
                      a->season_year) < std::tie(b->game_date, b->game_id, b->team_abbr, b->opponent_team_abbr,
                                                 b->universal_player_id, b->season_year);
    };
    const auto qualifying_less = [](const PlayerGame* a, const PlayerGame* b) {
      return std::tie(a->game_date, a->game_id, a->season_year, a->points, a->minutes_played, a->ft_makes) <
             std::tie(b->game_date, b->game_id, b->season_year, b->points, b->minutes_played, b->ft_makes);
    };
    for (size_t player = 0; player < lookups.size(); ++player) {
      if (!unordered[player]) continue;
      PlayerIndex& index = players_[player];
      index.rows.clear();
      index.row_dates.clear();
      index.appearance_dates.clear();
      index.qualifying.clear();
      std::vector<const PlayerGame*>& rows = rows_of[player];
      std::sort(rows.begin(), rows.end(), row_less);
      for (const PlayerGame* row : rows) add_row(*row, player);
      index.appearance_dates.erase(std::unique(index.appearance_dates.begin(), index.appearance_dates.end()),
                                   index.appearance_dates.end());
      std::vector<const PlayerGame*> qualifying;
      for (const PlayerGame* row : rows) {
        if (MlfsQualifies(*row)) qualifying.push_back(row);
      }
      std::sort(qualifying.begin(), qualifying.end(), qualifying_less);
      index.qualifying.clear();
      for (const PlayerGame* row : qualifying) {
        index.qualifying.push_back(MlfsHistoryGame{
            MlfsRecentGame{row->game_date, row->points, row->minutes_played, row->ft_makes}, row->season_year});
      }
    }
  }

  pgs_players_by_date_.reserve(pgs.size());
  for (size_t idx = 0; idx < pgs.size(); ++idx)
    pgs_players_by_date_.emplace_back(pgs[idx].game_date, player_of_row[idx]);
  if (!std::is_sorted(pgs_players_by_date_.begin(), pgs_players_by_date_.end())) {
    std::sort(pgs_players_by_date_.begin(), pgs_players_by_date_.end());
  }
  pgs_players_by_date_.erase(std::unique(pgs_players_by_date_.begin(), pgs_players_by_date_.end()),
                             pgs_players_by_date_.end());
  pgs_players_by_date_.shrink_to_fit();

  // Teams: TOGS dates ascending with prefix win counts.
  // Views into inputs.team_offense_games.
  std::map<std::string_view, std::vector<std::tuple<Date, std::string_view, int, bool>>> team_rows;
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
    teams_.emplace(std::string(team_abbr), std::move(index));
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
  // Sorted once by (game_date, away, home), then each date's games appended
  // to its (new, last) map entry.
  std::vector<const ScheduleGame*> included;
  included.reserve(inputs.schedule.size());
  for (const ScheduleGame& game : inputs.schedule) {
    if (!IsIncludedGameType(game.game_type) || game.game_status == GameStatus::kPostponed) continue;
    included.push_back(&game);
  }
  const auto schedule_less = [](const ScheduleGame* a, const ScheduleGame* b) {
    if (a->game_date != b->game_date) return a->game_date < b->game_date;
    return std::tie(a->away_team_abbr, a->home_team_abbr) < std::tie(b->away_team_abbr, b->home_team_abbr);
  };
  std::sort(included.begin(), included.end(), schedule_less);
  for (size_t begin = 0; begin < included.size();) {
    const Date date = included[begin]->game_date;
    size_t end = begin;
    while (end < included.size() && included[end]->game_date == date) ++end;
    std::vector<ScheduledGame>& games =
        schedule_by_date_.emplace_hint(schedule_by_date_.end(), date, std::vector<ScheduledGame>())->second;
    games.reserve(end - begin);
    for (size_t idx = begin; idx < end; ++idx) {
      games.push_back(ScheduledGame{included[idx]->home_team_abbr, included[idx]->away_team_abbr});
    }
    begin = end;
  }

  // Phase 4 rows by date, sorted by key (unique per key in the warehouse).
  for (const MlfsPdcInput& row : inputs.pdc) pdc_by_date_[row.cache_date].push_back(row);
  for (const MlfsPcfInput& row : inputs.pcf) pcf_by_date_[row.game_date].push_back(row);
  for (const MlfsPszaInput& row : inputs.psza) psza_by_date_[row.analysis_date].push_back(row);
  for (const MlfsTdzaInput& row : inputs.tdza) tdza_by_date_[row.analysis_date].push_back(row);
  for (auto& [date, rows] : pdc_by_date_) SortPhase4Rows(rows);
  for (auto& [date, rows] : pcf_by_date_) SortPhase4Rows(rows);
  for (auto& [date, rows] : psza_by_date_) SortPhase4Rows(rows);
  for (auto& [date, rows] : tdza_by_date_) SortPhase4Rows(rows);
}

void MlfsProcessor::ReserveUpstreamDates(std::span<const Date> dates) {
  for (Date date : dates) {
    pdc_by_date_.try_emplace(date);
    pcf_by_date_.try_emplace(date);
    psza_by_date_.try_emplace(date);
    tdza_by_date_.try_emplace(date);
  }
}

void MlfsProcessor::SetPdcRows(Date date, std::vector<MlfsPdcInput> rows) { ReplaceDateRows(pdc_by_date_, date, rows); }
void MlfsProcessor::SetPcfRows(Date date, std::vector<MlfsPcfInput> rows) { ReplaceDateRows(pcf_by_date_, date, rows); }
void MlfsProcessor::SetPszaRows(Date date, std::vector<MlfsPszaInput> rows) {
  ReplaceDateRows(psza_by_date_, date, rows);
}
void MlfsProcessor::SetTdzaRows(Date date, std::vector<MlfsTdzaInput> rows) {
  ReplaceDateRows(tdza_by_date_, date, rows);
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

bool MlfsProcessor::BuildCandidates(Date game_date, bool historical, std::vector<Candidate>* candidates,
                                    DateOutcome* outcome) const {
  // §3: the player rows of D with their identity and context.
  const int season_year = SeasonYear(game_date);
  auto contexts_it = contexts_by_date_.find(game_date);
  const std::vector<ContextEntry>* contexts = contexts_it == contexts_by_date_.end() ? nullptr : &contexts_it->second;
  const auto find_context = [&](std::string_view player_lookup) -> const ContextEntry* {
    if (contexts == nullptr) return nullptr;
    auto it = std::lower_bound(contexts->begin(), contexts->end(), player_lookup,
                               [](const ContextEntry& e, std::string_view key) { return e.player_lookup < key; });
    if (it == contexts->end() || it->player_lookup != player_lookup) return nullptr;
    return &*it;
  };

  if (historical) {
    const auto day = std::equal_range(
        pgs_players_by_date_.begin(), pgs_players_by_date_.end(), std::make_pair(game_date, uint32_t{0}),
        [](const std::pair<Date, uint32_t>& a, const std::pair<Date, uint32_t>& b) { return a.first < b.first; });
    if (day.first == day.second) {
      outcome->status = DateStatus::kFailed;
      outcome->reason_code = "missing_input";
      outcome->reason = "missing_input: player_game_summary has no rows for " + game_date.ToString();
      return false;
    }
    candidates->reserve(static_cast<size_t>(day.second - day.first));
    for (auto day_it = day.first; day_it != day.second; ++day_it) {
      const PlayerIndex* player = &players_[day_it->second];
      const std::string& player_lookup = player->player_lookup;
      auto row_it = std::lower_bound(player->row_dates.begin(), player->row_dates.end(), game_date);
      const PgsEntry& row = player->rows[static_cast<size_t>(row_it - player->row_dates.begin())];
      Candidate candidate;
      candidate.identity.player_lookup = player_lookup;
      if (row.has_universal_player_id)
        candidate.identity.universal_player_id = std::string(Text(row.universal_player_id));
      candidate.identity.game_date = game_date;
      candidate.identity.game_id = Text(row.game_id);
      candidate.identity.team_abbr = Text(row.team_abbr);
      candidate.identity.opponent_team_abbr = Text(row.opponent_team_abbr);
      candidate.identity.is_home = MlfsIsHomeFromGameId(Text(row.game_id), Text(row.team_abbr));
      candidate.context = find_context(player_lookup);
      candidate.origin = Origin::kPgsRow;
      candidates->push_back(std::move(candidate));
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
        candidate.origin = Origin::kContextRow;
        candidates->push_back(std::move(candidate));
      }
    }
    // Roster fallback (pcf.md §13.4) for each team of a scheduled game on D
    // without UPGC rows: T -> (opponent, game_id, is_home).
    struct FallbackTeam {
      std::string opponent;
      std::string game_id;
      bool is_home = false;
    };
    std::map<std::string, FallbackTeam, std::less<>> fallback_teams;
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
        auto team_it = fallback_teams.find(Text(latest.team_abbr));
        if (team_it == fallback_teams.end()) continue;
        in_set.insert(player.player_lookup);
        Candidate candidate;
        candidate.identity.player_lookup = player.player_lookup;
        if (latest.has_universal_player_id) {
          candidate.identity.universal_player_id = std::string(Text(latest.universal_player_id));
        }
        candidate.identity.game_date = game_date;
        candidate.identity.game_id = team_it->second.game_id;
        candidate.identity.team_abbr = team_it->first;
        candidate.identity.opponent_team_abbr = team_it->second.opponent;
        candidate.identity.is_home = team_it->second.is_home;
        candidate.origin = Origin::kRosterFallback;
        candidate.latest_row_date = latest.game_date;
        candidates->push_back(std::move(candidate));
      }
    }
    std::sort(candidates->begin(), candidates->end(), [](const Candidate& a, const Candidate& b) {
      return a.identity.player_lookup < b.identity.player_lookup;
    });
  }
  if (candidates->empty()) {
    outcome->status = DateStatus::kFailed;
    outcome->reason_code = "no_players";
    outcome->reason = "no_players: no players for " + game_date.ToString();
    return false;
  }
  return true;
}

MlfsRow MlfsProcessor::ComputeRow(Date game_date, Candidate& candidate, Trace* trace) const {
  const int season_year = SeasonYear(game_date);
  MlfsPlayerIdentity& identity = candidate.identity;
  const PlayerIndex* player = FindPlayer(identity.player_lookup);
  const TeamIndex* team = FindTeam(identity.team_abbr);
  const bool opponent_known = !identity.opponent_team_abbr.empty();
  const TeamIndex* opponent = opponent_known ? FindTeam(identity.opponent_team_abbr) : nullptr;

  if (trace) {
    // §3: where the row's identity comes from.
    const char* from = "";
    std::string origin;
    switch (candidate.origin) {
      case Origin::kPgsRow:
        from = "PGS row on D";
        origin = "historical date: the player's PGS row on D";
        break;
      case Origin::kContextRow:
        from = "UPGC row on D";
        origin = "upcoming date: the player's UPGC row on D";
        break;
      case Origin::kRosterFallback:
        from = "roster fallback";
        origin =
            fmt::format("upcoming date, no UPGC row for {}: roster fallback (pcf.md §13.4), latest PGS row {} with {}",
                        identity.team_abbr, candidate.latest_row_date.ToString(), identity.team_abbr);
        break;
    }
    AddStep(trace, kSpecRows, "player row", origin, Value{std::string(from)});
    const bool roster = candidate.origin == Origin::kRosterFallback;
    AddStep(trace, kSpecRows, "game_id", roster ? "YYYYMMDD_AWAY_HOME of the scheduled game" : from,
            Value{identity.game_id}, true);
    AddStep(trace, kSpecRows, "team_abbr", roster ? "team of the latest PGS row" : from, Value{identity.team_abbr},
            true);
    AddStep(trace, kSpecRows, "opponent_team_abbr", roster ? "the other team of the scheduled game" : from,
            Value{identity.opponent_team_abbr}, true);
    AddStep(trace, kSpecRows, "universal_player_id",
            roster ? fmt::format("latest PGS row ({})", candidate.latest_row_date.ToString()) : std::string(from),
            OptionalValue(identity.universal_player_id), true);
    std::string home;
    switch (candidate.origin) {
      case Origin::kPgsRow:
        home = fmt::format("third '_'-token of game_id {} is team_abbr {}?", identity.game_id, identity.team_abbr);
        break;
      case Origin::kContextRow:
        home = "UPGC home_game";
        break;
      case Origin::kRosterFallback:
        home = fmt::format("schedule home team of {} is team_abbr {}?", identity.game_id, identity.team_abbr);
        break;
    }
    AddStep(trace, kSpecRows, "is_home", home, OptionalValue(identity.is_home), true);
    const ContextEntry* context = candidate.context;
    AddStep(trace, kSpecRows, "context", "UPGC row (player, D)",
            context == nullptr
                ? Value{std::string("none")}
                : Value{fmt::format("days_rest={} back_to_back={} player_status={} season_phase={}",
                                    OptText(context->rest.days_rest), OptText(context->rest.back_to_back),
                                    OptText(context->fields.player_status), OptText(context->fields.season_phase))});
  }

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
      RestFromDatesImpl(game_date, rest_context, last_appearance, opponent_known, last_opponent_game, trace);
  identity.days_rest = rest.days_rest;

  // §5 Phase 3 history.
  // Per-thread scratch: the last-10 vector keeps its capacity across rows.
  thread_local MlfsPhase3 phase3;
  Phase3FromHistoryImpl(game_date,
                        player != nullptr ? std::span<const MlfsHistoryGame>(player->qualifying)
                                          : std::span<const MlfsHistoryGame>(),
                        trace, &phase3);

  // §5 team season games (season S, before D; season_year agrees with dates).
  int64_t team_games = 0;
  int64_t team_wins = 0;
  std::optional<double> completeness;
  if (team != nullptr) {
    const size_t end =
        static_cast<size_t>(std::lower_bound(team->dates.begin(), team->dates.end(), game_date) - team->dates.begin());
    const size_t begin = static_cast<size_t>(
        std::partition_point(team->season_years.begin(), team->season_years.begin() + static_cast<std::ptrdiff_t>(end),
                             [&](int year) { return year < season_year; }) -
        team->season_years.begin());
    team_games = static_cast<int64_t>(end - begin);
    team_wins = team->wins_prefix[end] - team->wins_prefix[begin];
    if (trace) {
      AddStep(trace, kSpecDerived, "team season games",
              fmt::format("TOGS rows of {} with season_year {} and game_date < {}; wins = win_flag TRUE",
                          identity.team_abbr, season_year, game_date.ToString()),
              Value{fmt::format("{} wins / {} games", team_wins, team_games)});
    }
    static const std::vector<Date> kNoDates;
    completeness = CompletenessSorted(game_date, team->dates, player != nullptr ? player->row_dates : kNoDates, trace);
  } else if (trace) {
    AddStep(trace, kSpecDerived, "team season games", fmt::format("no TOGS row of {}", identity.team_abbr),
            Value{std::string("0 wins / 0 games")});
    AddStep(trace, kSpecDerived, "completeness_percentage",
            fmt::format("no TOGS row of {} -> NULL", identity.team_abbr), Value{}, true);
  }

  // §4 Phase 4 rows of D.
  const MlfsPdcInput* pdc = FindByLookup(pdc_by_date_, game_date, identity.player_lookup);
  const MlfsPcfInput* pcf = FindByLookup(pcf_by_date_, game_date, identity.player_lookup);
  const MlfsPszaInput* psza = FindByLookup(psza_by_date_, game_date, identity.player_lookup);
  const MlfsTdzaInput* tdza = nullptr;
  if (opponent_known) {
    auto day = tdza_by_date_.find(game_date);
    if (day != tdza_by_date_.end()) {
      auto it = std::lower_bound(day->second.begin(), day->second.end(), identity.opponent_team_abbr,
                                 [](const MlfsTdzaInput& row, const std::string& key) { return row.team_abbr < key; });
      if (it != day->second.end() && it->team_abbr == identity.opponent_team_abbr) tdza = &*it;
    }
  }
  if (trace) {
    const auto yes_no = [](const void* row) { return row != nullptr ? "yes" : "no"; };
    AddStep(trace, kSpecInputs, "Phase 4 rows of D",
            "PDC (cache_date = D), PCF (game_date = D), PSZA (analysis_date = D) of the player; TDZA of the opponent",
            Value{fmt::format("PDC {}, PCF {}, PSZA {}, TDZA({}) {}", yes_no(pdc), yes_no(pcf), yes_no(psza),
                              identity.opponent_team_abbr, yes_no(tdza))});
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
  const MlfsAssembled assembled = AssembleFeaturesImpl(in, trace);

  MlfsUpstreamPresence present;
  present.player_daily_cache = pdc != nullptr;
  present.player_composite_factors = pcf != nullptr;
  present.player_shot_zone_analysis = psza != nullptr;
  present.team_defense_zone_analysis = tdza != nullptr;
  // Last use of the candidate's identity: its texts move into the row.
  return BuildRowImpl(std::move(identity), assembled, completeness, present, trace);
}

MlfsDateResult MlfsProcessor::ComputeDate(Date game_date) const {
  MlfsDateResult result;
  result.historical = calendar_.IsHistorical(game_date);
  std::vector<Candidate> candidates;
  if (!BuildCandidates(game_date, result.historical, &candidates, &result.outcome)) return result;

  result.rows.reserve(candidates.size());
  for (Candidate& candidate : candidates) result.rows.push_back(ComputeRow(game_date, candidate, nullptr));

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

Trace MlfsProcessor::TraceEntity(Date game_date, std::string_view player_lookup) const {
  Trace trace;
  std::vector<Candidate> candidates;
  DateOutcome outcome;
  if (!BuildCandidates(game_date, calendar_.IsHistorical(game_date), &candidates, &outcome)) return trace;
  auto it = std::lower_bound(candidates.begin(), candidates.end(), player_lookup,
                             [](const Candidate& c, std::string_view key) { return c.identity.player_lookup < key; });
  if (it == candidates.end() || it->identity.player_lookup != player_lookup) return trace;
  ComputeRow(game_date, *it, &trace);
  return trace;
}

}  // namespace nbapc::processors
