#include "processors/pdc.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"
#include "core/value.h"

namespace nbapc::processors {

namespace {

Value OptText(const std::optional<std::string>& v) { return v ? Value{*v} : Value{}; }
Value OptDouble(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }
Value OptInt(const std::optional<int64_t>& v) { return v ? Value{*v} : Value{}; }

// Every column of §11 except processed_at / engine_version / data_hash, in
// order: exactly the 38 hash fields of §10.
NamedValues ValuesWithoutHash(const PdcRow& row) {
  NamedValues out;
  out.reserve(39);
  out.emplace_back("player_lookup", Value{row.player_lookup});
  out.emplace_back("universal_player_id", OptText(row.universal_player_id));
  out.emplace_back("cache_date", Value{row.cache_date.ToString()});
  out.emplace_back("points_avg_last_5", OptDouble(row.points_avg_last_5));
  out.emplace_back("points_avg_last_10", OptDouble(row.points_avg_last_10));
  out.emplace_back("points_avg_season", OptDouble(row.points_avg_season));
  out.emplace_back("points_std_last_10", OptDouble(row.points_std_last_10));
  out.emplace_back("minutes_avg_last_10", OptDouble(row.minutes_avg_last_10));
  out.emplace_back("usage_rate_last_10", OptDouble(row.usage_rate_last_10));
  out.emplace_back("ts_pct_last_10", OptDouble(row.ts_pct_last_10));
  out.emplace_back("games_played_season", Value{row.games_played_season});
  out.emplace_back("player_usage_rate_season", OptDouble(row.player_usage_rate_season));
  out.emplace_back("team_abbr", Value{row.team_abbr});
  out.emplace_back("team_pace_last_10", OptDouble(row.team_pace_last_10));
  out.emplace_back("team_off_rating_last_10", OptDouble(row.team_off_rating_last_10));
  out.emplace_back("games_in_last_7_days", OptInt(row.games_in_last_7_days));
  out.emplace_back("games_in_last_14_days", OptInt(row.games_in_last_14_days));
  out.emplace_back("minutes_in_last_7_days", OptInt(row.minutes_in_last_7_days));
  out.emplace_back("minutes_in_last_14_days", OptInt(row.minutes_in_last_14_days));
  out.emplace_back("back_to_backs_last_14_days", OptInt(row.back_to_backs_last_14_days));
  out.emplace_back("avg_minutes_per_game_last_7", OptDouble(row.avg_minutes_per_game_last_7));
  out.emplace_back("fourth_quarter_minutes_last_7", OptInt(row.fourth_quarter_minutes_last_7));
  out.emplace_back("context_source", Value{row.context_source});
  out.emplace_back("primary_scoring_zone", OptText(row.primary_scoring_zone));
  out.emplace_back("paint_rate_last_10", OptDouble(row.paint_rate_last_10));
  out.emplace_back("three_pt_rate_last_10", OptDouble(row.three_pt_rate_last_10));
  out.emplace_back("shot_zone_data_available", Value{row.shot_zone_data_available});
  out.emplace_back("assisted_rate_last_10", OptDouble(row.assisted_rate_last_10));
  out.emplace_back("player_age", OptInt(row.player_age));
  out.emplace_back("early_season_flag", Value{row.early_season_flag});
  out.emplace_back("insufficient_data_reason", OptText(row.insufficient_data_reason));
  out.emplace_back("completeness_percentage", OptDouble(row.completeness_percentage));
  out.emplace_back("l10_completeness_pct", OptDouble(row.l10_completeness_pct));
  out.emplace_back("l7d_completeness_pct", OptDouble(row.l7d_completeness_pct));
  out.emplace_back("l14d_completeness_pct", OptDouble(row.l14d_completeness_pct));
  out.emplace_back("is_production_ready", Value{row.is_production_ready});
  out.emplace_back("quality_tier", Value{row.quality_tier});
  out.emplace_back("cache_version", Value{row.cache_version});
  return out;
}

// §10: the algorithm of tdza.md §14 over every column but data_hash,
// processed_at and engine_version (the columns of ValuesWithoutHash, in
// that order; the canonical string takes them in sorted name order).
constexpr std::string_view kHashFields[] = {
    "player_lookup",
    "universal_player_id",
    "cache_date",
    "points_avg_last_5",
    "points_avg_last_10",
    "points_avg_season",
    "points_std_last_10",
    "minutes_avg_last_10",
    "usage_rate_last_10",
    "ts_pct_last_10",
    "games_played_season",
    "player_usage_rate_season",
    "team_abbr",
    "team_pace_last_10",
    "team_off_rating_last_10",
    "games_in_last_7_days",
    "games_in_last_14_days",
    "minutes_in_last_7_days",
    "minutes_in_last_14_days",
    "back_to_backs_last_14_days",
    "avg_minutes_per_game_last_7",
    "fourth_quarter_minutes_last_7",
    "context_source",
    "primary_scoring_zone",
    "paint_rate_last_10",
    "three_pt_rate_last_10",
    "shot_zone_data_available",
    "assisted_rate_last_10",
    "player_age",
    "early_season_flag",
    "insufficient_data_reason",
    "completeness_percentage",
    "l10_completeness_pct",
    "l7d_completeness_pct",
    "l14d_completeness_pct",
    "is_production_ready",
    "quality_tier",
    "cache_version",
};

std::string RowDataHash(const PdcRow& row) {
  static const std::vector<uint8_t> kOrder = SortedFieldOrder(kHashFields);
  const DateText cache_date_text(row.cache_date);
  const HashValue values[] = {
      ToHashValue(row.player_lookup),
      ToHashValue(row.universal_player_id),
      ToHashValue(cache_date_text.view()),
      ToHashValue(row.points_avg_last_5),
      ToHashValue(row.points_avg_last_10),
      ToHashValue(row.points_avg_season),
      ToHashValue(row.points_std_last_10),
      ToHashValue(row.minutes_avg_last_10),
      ToHashValue(row.usage_rate_last_10),
      ToHashValue(row.ts_pct_last_10),
      ToHashValue(row.games_played_season),
      ToHashValue(row.player_usage_rate_season),
      ToHashValue(row.team_abbr),
      ToHashValue(row.team_pace_last_10),
      ToHashValue(row.team_off_rating_last_10),
      ToHashValue(row.games_in_last_7_days),
      ToHashValue(row.games_in_last_14_days),
      ToHashValue(row.minutes_in_last_7_days),
      ToHashValue(row.minutes_in_last_14_days),
      ToHashValue(row.back_to_backs_last_14_days),
      ToHashValue(row.avg_minutes_per_game_last_7),
      ToHashValue(row.fourth_quarter_minutes_last_7),
      ToHashValue(row.context_source),
      ToHashValue(row.primary_scoring_zone),
      ToHashValue(row.paint_rate_last_10),
      ToHashValue(row.three_pt_rate_last_10),
      ToHashValue(row.shot_zone_data_available),
      ToHashValue(row.assisted_rate_last_10),
      ToHashValue(row.player_age),
      ToHashValue(row.early_season_flag),
      ToHashValue(row.insufficient_data_reason),
      ToHashValue(row.completeness_percentage),
      ToHashValue(row.l10_completeness_pct),
      ToHashValue(row.l7d_completeness_pct),
      ToHashValue(row.l14d_completeness_pct),
      ToHashValue(row.is_production_ready),
      ToHashValue(row.quality_tier),
      ToHashValue(row.cache_version),
  };
  static_assert(std::size(values) == std::size(kHashFields));
  return DataHashOrdered(kHashFields, values, kOrder);
}

// §5 "context integer copy": NULL stays NULL, else truncation toward zero.
std::optional<int64_t> IntegerCopy(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  return static_cast<int64_t>(std::trunc(*value));
}

std::optional<double> ToDouble(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

// §5 mean(x, W): Σ of the non-NULL values as doubles added oldest first from
// 0.0, ÷ their count; NULL if none. `values` are in window order oldest first.
std::optional<double> MeanOldestFirst(const std::vector<std::optional<double>>& values) {
  double sum = 0.0;
  int64_t count = 0;
  for (const std::optional<double>& value : values) {
    if (!value) continue;
    sum += *value;
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
}

// §5 sample_std(x, W): ss = Σ (x − m)·(x − m) oldest first; sqrt(ss / (n − 1)); NULL if n < 2.
std::optional<double> SampleStdOldestFirst(const std::vector<std::optional<double>>& values) {
  const std::optional<double> mean = MeanOldestFirst(values);
  int64_t count = 0;
  double ss = 0.0;
  for (const std::optional<double>& value : values) {
    if (!value) continue;
    const double diff = *value - *mean;
    ss += diff * diff;
    ++count;
  }
  if (count < 2) return std::nullopt;
  return std::sqrt(ss / static_cast<double>(count - 1));
}

// The values of one column over a window of rows (ascending = oldest first).
template <typename Getter>
std::vector<std::optional<double>> Column(std::span<const PlayerGame* const> window, Getter getter) {
  std::vector<std::optional<double>> out;
  out.reserve(window.size());
  for (const PlayerGame* row : window) out.push_back(getter(*row));
  return out;
}

std::optional<double> PointsOf(const PlayerGame& row) { return ToDouble(row.points); }
std::optional<double> MinutesOf(const PlayerGame& row) { return row.minutes_played; }
std::optional<double> UsageOf(const PlayerGame& row) { return row.usage_rate; }
std::optional<double> TsPctOf(const PlayerGame& row) { return row.ts_pct; }

// (game_date, game_id) order with a total tie-break over the fields read, so
// the order never depends on load order (README §8.3), even for duplicates.
bool PlayerGameLess(const PlayerGame& a, const PlayerGame& b) {
  const auto key = [](const PlayerGame& r) {
    return std::tie(r.game_date, r.game_id, r.season_year, r.universal_player_id, r.team_abbr, r.is_active,
                    r.minutes_played, r.points, r.fg_attempts, r.fg_makes, r.assisted_fg_makes, r.usage_rate, r.ts_pct);
  };
  return key(a) < key(b);
}

// §9 core: `team_dates` and `player_dates` ascending and distinct.
PdcWindowCompleteness CompletenessSorted(Date cache_date, PdcWindowKind kind, int n, std::span<const Date> team_dates,
                                         std::span<const Date> player_dates) {
  const auto end = std::lower_bound(team_dates.begin(), team_dates.end(), cache_date);
  auto begin = team_dates.begin();
  if (kind == PdcWindowKind::kGames) {
    begin = (end - team_dates.begin()) > n ? end - n : team_dates.begin();
  } else {
    begin = std::lower_bound(team_dates.begin(), end, cache_date - n);
  }
  PdcWindowCompleteness out;
  out.expected_games = static_cast<int64_t>(end - begin);
  for (auto it = begin; it != end; ++it) {
    if (std::binary_search(player_dates.begin(), player_dates.end(), *it)) ++out.actual_games;
  }
  if (out.expected_games > 0) {
    out.completeness_pct =
        RoundPy((100.0 * static_cast<double>(out.actual_games)) / static_cast<double>(out.expected_games), 1);
  }
  return out;
}

std::vector<Date> SortedDistinct(std::span<const Date> dates) {
  std::vector<Date> out(dates.begin(), dates.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// §6 over a player's history.
PdcSyntheticContext SyntheticFromHistory(Date cache_date, const PdcPlayerHistory& history) {
  PdcSyntheticContext out;
  const std::span<const PlayerGame> before = history.RowsBefore(cache_date);
  const Date from14 = cache_date - 14;
  const Date from7 = cache_date - 7;
  auto it = std::lower_bound(before.begin(), before.end(), from14,
                             [](const PlayerGame& row, Date date) { return row.game_date < date; });
  // Ascending date: minutes are summed in this order (§6).
  double sum7 = 0.0;
  double sum14 = 0.0;
  int64_t minutes_rows7 = 0;
  int64_t minutes_rows14 = 0;
  std::vector<Date> dates14;
  for (; it != before.end(); ++it) {
    const PlayerGame& row = *it;
    if (!PdcIsAppearance(row)) continue;
    const bool in7 = row.game_date >= from7;
    ++out.games_in_last_14_days;
    if (in7) ++out.games_in_last_7_days;
    if (dates14.empty() || dates14.back() != row.game_date) dates14.push_back(row.game_date);
    if (row.minutes_played) {
      sum14 += *row.minutes_played;
      ++minutes_rows14;
      if (in7) {
        sum7 += *row.minutes_played;
        ++minutes_rows7;
      }
    }
  }
  // Empty set -> 0; non-empty with every minutes NULL -> NULL; else llround.
  if (out.games_in_last_7_days == 0) {
    out.minutes_in_last_7_days = 0;
  } else if (minutes_rows7 > 0) {
    out.minutes_in_last_7_days = std::llround(sum7);
  }
  if (out.games_in_last_14_days == 0) {
    out.minutes_in_last_14_days = 0;
  } else if (minutes_rows14 > 0) {
    out.minutes_in_last_14_days = std::llround(sum14);
  }
  if (minutes_rows7 > 0) out.avg_minutes_per_game_last_7 = RoundPy(sum7 / static_cast<double>(minutes_rows7), 1);
  for (size_t date_idx = 1; date_idx < dates14.size(); ++date_idx) {
    if (dates14[date_idx] - dates14[date_idx - 1] == 1) ++out.back_to_backs_last_14_days;
  }
  // Latest non-NULL age with game_date in [D − 365, D − 1].
  const std::vector<PdcAgeObservation>& ages = history.ages();
  auto age_end = std::lower_bound(ages.begin(), ages.end(), cache_date,
                                  [](const PdcAgeObservation& obs, Date date) { return obs.game_date < date; });
  if (age_end != ages.begin()) {
    const PdcAgeObservation& latest = *(age_end - 1);
    if (latest.game_date >= cache_date - kPdcAgeLookbackDays) out.player_age = latest.player_age;
  }
  return out;
}

EntityExclusion InsufficientData(const std::string& player_lookup, int64_t games) {
  EntityExclusion exclusion;
  exclusion.entity_id = player_lookup;
  exclusion.failure_category = "INSUFFICIENT_DATA";
  exclusion.failure_reason =
      "Only " + std::to_string(games) + " games played, need " + std::to_string(kPdcMinGames) + " minimum";
  exclusion.can_retry = false;
  return exclusion;
}

PdcContext SyntheticContextFor(Date cache_date, const PdcPlayerHistory& history, const PlayerGame* identity_row,
                               const std::string& team_abbr) {
  PdcContext context;
  context.synthetic = true;
  if (identity_row != nullptr) context.universal_player_id = identity_row->universal_player_id;
  context.team_abbr = team_abbr;
  context.fields = PdcSyntheticFields(SyntheticFromHistory(cache_date, history));
  return context;
}

}  // namespace

NamedValues ToNamedValues(const PdcRow& row) {
  NamedValues out = ValuesWithoutHash(row);
  out.emplace_back("data_hash", Value{row.data_hash});
  return out;
}

PdcContext PdcContextFromUpgc(const UpcomingPlayerContext& row) {
  PdcContext context;
  context.synthetic = false;
  context.universal_player_id = row.universal_player_id;
  context.team_abbr = row.team_abbr;
  context.fields.games_in_last_7_days = ToDouble(row.games_in_last_7_days);
  context.fields.games_in_last_14_days = ToDouble(row.games_in_last_14_days);
  context.fields.minutes_in_last_7_days = ToDouble(row.minutes_in_last_7_days);
  context.fields.minutes_in_last_14_days = ToDouble(row.minutes_in_last_14_days);
  context.fields.back_to_backs_last_14_days = ToDouble(row.back_to_backs_last_14_days);
  context.fields.avg_minutes_per_game_last_7 = row.avg_minutes_per_game_last_7;
  context.fields.fourth_quarter_minutes_last_7 = ToDouble(row.fourth_quarter_minutes_last_7);
  context.fields.player_age = ToDouble(row.player_age);
  return context;
}

PdcContextFields PdcSyntheticFields(const PdcSyntheticContext& context) {
  PdcContextFields fields;
  fields.games_in_last_7_days = static_cast<double>(context.games_in_last_7_days);
  fields.games_in_last_14_days = static_cast<double>(context.games_in_last_14_days);
  fields.minutes_in_last_7_days = ToDouble(context.minutes_in_last_7_days);
  fields.minutes_in_last_14_days = ToDouble(context.minutes_in_last_14_days);
  fields.back_to_backs_last_14_days = static_cast<double>(context.back_to_backs_last_14_days);
  fields.avg_minutes_per_game_last_7 = context.avg_minutes_per_game_last_7;
  fields.fourth_quarter_minutes_last_7 = ToDouble(context.fourth_quarter_minutes_last_7);
  fields.player_age = ToDouble(context.player_age);
  return fields;
}

bool PdcIsAppearance(const PlayerGame& row) {
  // §6: NULL counts as 0.
  return row.minutes_played.value_or(0.0) > 0.0 || row.points.value_or(0) > 0 || row.fg_attempts.value_or(0) > 0;
}

bool PdcQualifies(const PlayerGame& row) {
  // §5: a NULL operand is false; FGA does not count (kept from upstream, §15).
  if (!row.is_active) return false;
  const bool has_minutes = row.minutes_played.has_value() && *row.minutes_played > 0.0;
  const bool has_points = row.points.has_value() && *row.points > 0;
  return has_minutes || has_points;
}

PdcSyntheticContext PdcComputeSyntheticContext(Date cache_date, std::span<const PlayerGame> pgs_rows,
                                               std::span<const PdcAgeObservation> upgc_rows) {
  const PdcPlayerHistory history("", std::vector<PlayerGame>(pgs_rows.begin(), pgs_rows.end()),
                                 std::vector<PdcAgeObservation>(upgc_rows.begin(), upgc_rows.end()));
  return SyntheticFromHistory(cache_date, history);
}

const char* PdcQualityTier(std::optional<double> completeness_percentage) {
  // §9.
  if (!completeness_percentage) return "unusable";
  const double score = *completeness_percentage;
  if (score >= 95.0) return "gold";
  if (score >= 75.0) return "silver";
  if (score >= 50.0) return "bronze";
  if (score >= 25.0) return "poor";
  return "unusable";
}

PdcWindowCompleteness PdcComputeWindowCompleteness(Date cache_date, PdcWindowKind kind, int n,
                                                   std::span<const Date> team_game_dates,
                                                   std::span<const Date> player_game_dates) {
  const std::vector<Date> team = SortedDistinct(team_game_dates);
  const std::vector<Date> player = SortedDistinct(player_game_dates);
  return CompletenessSorted(cache_date, kind, n, team, player);
}

// ---- PdcPlayerHistory ----

PdcPlayerHistory::PdcPlayerHistory(std::string player_lookup, std::vector<PlayerGame> rows,
                                   std::vector<PdcAgeObservation> ages)
    : player_lookup_(std::move(player_lookup)), rows_(std::move(rows)) {
  std::sort(rows_.begin(), rows_.end(), PlayerGameLess);
  dates_.reserve(rows_.size());
  for (const PlayerGame& row : rows_) {
    if (dates_.empty() || dates_.back() != row.game_date) dates_.push_back(row.game_date);
  }
  for (PdcAgeObservation& obs : ages) {
    if (obs.player_age) ages_.push_back(obs);
  }
  std::sort(ages_.begin(), ages_.end(), [](const PdcAgeObservation& a, const PdcAgeObservation& b) {
    return std::tie(a.game_date, a.player_age) < std::tie(b.game_date, b.player_age);
  });
  // §5 G: qualifying rows per season_year (the PGS column), ascending.
  for (uint32_t row_idx = 0; row_idx < rows_.size(); ++row_idx) {
    const PlayerGame& row = rows_[row_idx];
    if (!PdcQualifies(row)) continue;
    auto it = std::lower_bound(qualifying_by_season_.begin(), qualifying_by_season_.end(), row.season_year,
                               [](const auto& entry, int year) { return entry.first < year; });
    if (it == qualifying_by_season_.end() || it->first != row.season_year) {
      it = qualifying_by_season_.insert(it, {row.season_year, {}});
    }
    it->second.push_back(row_idx);
  }
}

const PlayerGame* PdcPlayerHistory::RowOn(Date date) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), date,
                             [](const PlayerGame& row, Date d) { return row.game_date < d; });
  if (it == rows_.end() || it->game_date != date) return nullptr;
  return &*it;
}

std::span<const PlayerGame> PdcPlayerHistory::RowsBefore(Date date) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), date,
                             [](const PlayerGame& row, Date d) { return row.game_date < d; });
  return std::span<const PlayerGame>(rows_.data(), static_cast<size_t>(it - rows_.begin()));
}

std::vector<const PlayerGame*> PdcPlayerHistory::SeasonWindow(Date date) const {
  std::vector<const PlayerGame*> out;
  const int season_year = SeasonYear(date);
  auto season = std::lower_bound(qualifying_by_season_.begin(), qualifying_by_season_.end(), season_year,
                                 [](const auto& entry, int year) { return entry.first < year; });
  if (season == qualifying_by_season_.end() || season->first != season_year) return out;
  const std::vector<uint32_t>& indices = season->second;
  auto end = std::lower_bound(indices.begin(), indices.end(), date,
                              [this](uint32_t row_idx, Date d) { return rows_[row_idx].game_date < d; });
  auto begin = (end - indices.begin()) > kPdcSeasonWindowGames ? end - kPdcSeasonWindowGames : indices.begin();
  out.reserve(static_cast<size_t>(end - begin));
  for (auto it = begin; it != end; ++it) out.push_back(&rows_[*it]);
  return out;
}

const PlayerGame* PdcPlayerHistory::LatestSeasonRowBefore(Date date) const {
  // season_year(game_date) grows with the date, so the latest row before D
  // is the latest of D's season iff it belongs to that season.
  const std::span<const PlayerGame> before = RowsBefore(date);
  if (before.empty()) return nullptr;
  const PlayerGame& latest = before.back();
  if (SeasonYear(latest.game_date) != SeasonYear(date)) return nullptr;
  return &latest;
}

// ---- PdcTeamHistory ----

PdcTeamHistory::PdcTeamHistory(std::string team_abbr, std::span<const TeamOffenseGame> rows)
    : team_abbr_(std::move(team_abbr)) {
  games_.reserve(rows.size());
  for (const TeamOffenseGame& row : rows) {
    games_.push_back(Game{row.game_date, row.game_id, row.pace, row.offensive_rating});
  }
  std::sort(games_.begin(), games_.end(), [](const Game& a, const Game& b) {
    return std::tie(a.game_date, a.game_id, a.pace, a.offensive_rating) <
           std::tie(b.game_date, b.game_id, b.pace, b.offensive_rating);
  });
  for (const Game& game : games_) {
    if (dates_.empty() || dates_.back() != game.game_date) dates_.push_back(game.game_date);
  }
}

std::span<const PdcTeamHistory::Game> PdcTeamHistory::LastTenBefore(Date date) const {
  auto end =
      std::lower_bound(games_.begin(), games_.end(), date, [](const Game& game, Date d) { return game.game_date < d; });
  auto begin = (end - games_.begin()) > kPdcTeamWindowGames ? end - kPdcTeamWindowGames : games_.begin();
  return std::span<const Game>(games_.data() + (begin - games_.begin()), static_cast<size_t>(end - begin));
}

// ---- per player ----

PdcPlayerResult PdcComputePlayer(Date cache_date, const PdcPlayerHistory& player, const PdcContext& context,
                                 const PdcTeamHistory* team, const PdcShotZoneInput* psza) {
  // §5 G, oldest first; L10 / L5 = its newest 10 / 5.
  const std::vector<const PlayerGame*> season = player.SeasonWindow(cache_date);
  const int64_t games = static_cast<int64_t>(season.size());
  // §7 gate.
  if (games < kPdcMinGames) return InsufficientData(player.player_lookup(), games);
  const std::span<const PlayerGame* const> g(season);
  const std::span<const PlayerGame* const> l10 = g.last(std::min<size_t>(g.size(), kPdcL10Games));
  const std::span<const PlayerGame* const> l5 = g.last(std::min<size_t>(g.size(), kPdcL5Games));

  PdcRow row;
  row.player_lookup = player.player_lookup();
  row.universal_player_id = context.universal_player_id;
  row.cache_date = cache_date;
  // §8, r4 = round_py(x, 4).
  row.points_avg_last_5 = RoundPy(MeanOldestFirst(Column(l5, PointsOf)), 4);
  row.points_avg_last_10 = RoundPy(MeanOldestFirst(Column(l10, PointsOf)), 4);
  row.points_avg_season = RoundPy(MeanOldestFirst(Column(g, PointsOf)), 4);
  row.points_std_last_10 = RoundPy(SampleStdOldestFirst(Column(l10, PointsOf)), 4);
  row.minutes_avg_last_10 = RoundPy(MeanOldestFirst(Column(l10, MinutesOf)), 4);
  row.usage_rate_last_10 = RoundPy(MeanOldestFirst(Column(l10, UsageOf)), 4);
  row.ts_pct_last_10 = RoundPy(MeanOldestFirst(Column(l10, TsPctOf)), 4);
  row.games_played_season = games;
  row.player_usage_rate_season = RoundPy(MeanOldestFirst(Column(g, UsageOf)), 4);
  row.team_abbr = context.team_abbr;
  // §8 team metrics over T10 (no season filter); NULL if T10 is empty.
  if (team != nullptr) {
    std::vector<std::optional<double>> pace;
    std::vector<std::optional<double>> rating;
    for (const PdcTeamHistory::Game& game : team->LastTenBefore(cache_date)) {
      pace.push_back(game.pace);
      rating.push_back(game.offensive_rating);
    }
    row.team_pace_last_10 = RoundPy(MeanOldestFirst(pace), 4);
    row.team_off_rating_last_10 = RoundPy(MeanOldestFirst(rating), 4);
  }
  // §8 context: integer copy, r4 of the average.
  row.games_in_last_7_days = IntegerCopy(context.fields.games_in_last_7_days);
  row.games_in_last_14_days = IntegerCopy(context.fields.games_in_last_14_days);
  row.minutes_in_last_7_days = IntegerCopy(context.fields.minutes_in_last_7_days);
  row.minutes_in_last_14_days = IntegerCopy(context.fields.minutes_in_last_14_days);
  row.back_to_backs_last_14_days = IntegerCopy(context.fields.back_to_backs_last_14_days);
  row.avg_minutes_per_game_last_7 = RoundPy(context.fields.avg_minutes_per_game_last_7, 4);
  row.fourth_quarter_minutes_last_7 = IntegerCopy(context.fields.fourth_quarter_minutes_last_7);
  row.player_age = IntegerCopy(context.fields.player_age);
  row.context_source = context.synthetic ? "synthetic" : "upcoming";
  // §4 / §8 PSZA: values as stored; a missing row gives NULLs.
  if (psza != nullptr) {
    row.primary_scoring_zone = psza->primary_scoring_zone;
    row.paint_rate_last_10 = psza->paint_rate_last_10;
    row.three_pt_rate_last_10 = psza->three_pt_rate_last_10;
    row.shot_zone_data_available = true;
  }
  // §8 assisted rate: integer sums over L10, NULL terms as 0.
  int64_t assisted = 0;
  int64_t makes = 0;
  for (const PlayerGame* game : l10) {
    assisted += game->assisted_fg_makes.value_or(0);
    makes += game->fg_makes.value_or(0);
  }
  if (makes != 0) row.assisted_rate_last_10 = RoundPy(static_cast<double>(assisted) / static_cast<double>(makes), 9);
  // §7 flags.
  row.early_season_flag = games < kPdcEarlySeasonGames;
  if (row.early_season_flag) {
    row.insufficient_data_reason =
        "Only " + std::to_string(games) + " games played, need " + std::to_string(kPdcEarlySeasonGames) + " minimum";
  }
  // §9 completeness over team T's TOGS dates; "any PGS row" of the player.
  static const std::vector<Date> kNoDates;
  const std::vector<Date>& team_dates = team != nullptr ? team->dates() : kNoDates;
  row.completeness_percentage =
      CompletenessSorted(cache_date, PdcWindowKind::kGames, kPdcL5Games, team_dates, player.dates()).completeness_pct;
  row.l10_completeness_pct =
      CompletenessSorted(cache_date, PdcWindowKind::kGames, kPdcL10Games, team_dates, player.dates()).completeness_pct;
  row.l7d_completeness_pct =
      CompletenessSorted(cache_date, PdcWindowKind::kDays, 7, team_dates, player.dates()).completeness_pct;
  row.l14d_completeness_pct =
      CompletenessSorted(cache_date, PdcWindowKind::kDays, 14, team_dates, player.dates()).completeness_pct;
  const auto ready = [](const std::optional<double>& pct) { return pct && *pct >= kPdcProductionReadyMinPct; };
  const auto ready_or_null = [](const std::optional<double>& pct) { return !pct || *pct >= kPdcProductionReadyMinPct; };
  row.is_production_ready = ready(row.completeness_percentage) && ready(row.l10_completeness_pct) &&
                            ready_or_null(row.l7d_completeness_pct) && ready_or_null(row.l14d_completeness_pct);
  row.quality_tier = PdcQualityTier(row.completeness_percentage);
  row.cache_version = kPdcCacheVersion;
  row.data_hash = RowDataHash(row);
  return row;
}

PdcPlayerResult PdcComputeRow(Date cache_date, std::string_view player_lookup, const PdcContext* context,
                              std::span<const PlayerGame> pgs_rows, std::span<const TeamOffenseGame> team_games,
                              const PdcShotZoneInput* psza, std::span<const PdcAgeObservation> upgc_history) {
  const PdcPlayerHistory history(std::string(player_lookup), std::vector<PlayerGame>(pgs_rows.begin(), pgs_rows.end()),
                                 std::vector<PdcAgeObservation>(upgc_history.begin(), upgc_history.end()));
  const PlayerGame* row_on_d = history.RowOn(cache_date);
  PdcContext resolved;
  if (context != nullptr) {
    resolved = *context;
    // §3: a NULL UPGC id falls back to the PGS row on D (historical D).
    if (!resolved.universal_player_id && row_on_d != nullptr) {
      resolved.universal_player_id = row_on_d->universal_player_id;
    }
  } else {
    // §3 synthetic identity: the PGS row on D, else the roster row.
    const PlayerGame* identity = row_on_d != nullptr ? row_on_d : history.LatestSeasonRowBefore(cache_date);
    resolved = SyntheticContextFor(cache_date, history, identity, identity != nullptr ? identity->team_abbr : "");
  }
  std::vector<TeamOffenseGame> team_rows;
  for (const TeamOffenseGame& game : team_games) {
    if (game.team_abbr == resolved.team_abbr) team_rows.push_back(game);
  }
  const PdcTeamHistory team(resolved.team_abbr, team_rows);
  return PdcComputePlayer(cache_date, history, resolved, team_rows.empty() ? nullptr : &team, psza);
}

// ---- PdcProcessor ----

PdcProcessor::PdcProcessor(std::span<const PlayerGame> pgs, std::span<const TeamOffenseGame> togs,
                           std::span<const UpcomingPlayerContext> upgc, std::span<const PdcShotZoneInput> psza,
                           std::span<const ScheduleGame> schedule, const SeasonCalendar& calendar)
    : calendar_(&calendar) {
  // Ordered maps only: nothing here may depend on hash order (README §8.3).
  std::map<std::string, std::vector<PlayerGame>> pgs_by_player;
  for (const PlayerGame& row : pgs) pgs_by_player[row.player_lookup].push_back(row);
  std::map<std::string, std::vector<PdcAgeObservation>> ages_by_player;
  for (const UpcomingPlayerContext& row : upgc) {
    if (row.player_age) ages_by_player[row.player_lookup].push_back({row.game_date, row.player_age});
    upgc_by_date_[row.game_date].push_back(row);
  }
  players_.reserve(pgs_by_player.size());
  for (auto& [player_lookup, rows] : pgs_by_player) {
    auto ages = ages_by_player.find(player_lookup);
    players_.emplace_back(player_lookup, std::move(rows),
                          ages != ages_by_player.end() ? std::move(ages->second) : std::vector<PdcAgeObservation>{});
  }
  for (uint32_t player_idx = 0; player_idx < players_.size(); ++player_idx) {
    const PdcPlayerHistory& player = players_[player_idx];
    for (Date date : player.dates()) pgs_players_by_date_[date].push_back(player_idx);
    for (const PlayerGame& row : player.rows()) {
      std::vector<uint32_t>& roster = season_team_players_[{SeasonYear(row.game_date), row.team_abbr}];
      if (roster.empty() || roster.back() != player_idx) roster.push_back(player_idx);
    }
  }
  for (auto& [date, rows] : upgc_by_date_) {
    std::sort(rows.begin(), rows.end(), [](const UpcomingPlayerContext& a, const UpcomingPlayerContext& b) {
      return std::tie(a.player_lookup, a.game_id, a.team_abbr) < std::tie(b.player_lookup, b.game_id, b.team_abbr);
    });
  }
  std::map<std::string, std::vector<TeamOffenseGame>> togs_by_team;
  for (const TeamOffenseGame& row : togs) togs_by_team[row.team_abbr].push_back(row);
  teams_.reserve(togs_by_team.size());
  for (const auto& [team_abbr, rows] : togs_by_team) teams_.emplace_back(team_abbr, rows);
  for (const PdcShotZoneInput& row : psza) psza_by_date_[row.analysis_date].push_back(row);
  for (auto& [date, rows] : psza_by_date_) {
    std::sort(rows.begin(), rows.end(), [](const PdcShotZoneInput& a, const PdcShotZoneInput& b) {
      return std::tie(a.player_lookup, a.primary_scoring_zone, a.paint_rate_last_10, a.three_pt_rate_last_10) <
             std::tie(b.player_lookup, b.primary_scoring_zone, b.paint_rate_last_10, b.three_pt_rate_last_10);
    });
  }
  // pcf.md §13.4: non-postponed regular-season, play-in and playoff games.
  for (const ScheduleGame& game : schedule) {
    if (!IsIncludedGameType(game.game_type) || game.game_status == GameStatus::kPostponed) continue;
    schedule_by_date_[game.game_date].push_back(game);
  }
  for (auto& [date, games] : schedule_by_date_) {
    std::sort(games.begin(), games.end(), [](const ScheduleGame& a, const ScheduleGame& b) {
      return std::tie(a.game_id, a.away_team_abbr, a.home_team_abbr) <
             std::tie(b.game_id, b.away_team_abbr, b.home_team_abbr);
    });
  }
}

const PdcPlayerHistory* PdcProcessor::FindPlayer(std::string_view player_lookup) const {
  auto it = std::lower_bound(players_.begin(), players_.end(), player_lookup,
                             [](const PdcPlayerHistory& p, std::string_view key) { return p.player_lookup() < key; });
  if (it == players_.end() || it->player_lookup() != player_lookup) return nullptr;
  return &*it;
}

const PdcTeamHistory* PdcProcessor::FindTeam(std::string_view team_abbr) const {
  auto it = std::lower_bound(teams_.begin(), teams_.end(), team_abbr,
                             [](const PdcTeamHistory& t, std::string_view key) { return t.team_abbr() < key; });
  if (it == teams_.end() || it->team_abbr() != team_abbr) return nullptr;
  return &*it;
}

const PdcShotZoneInput* PdcProcessor::FindShotZone(Date cache_date, std::string_view player_lookup) const {
  auto date_it = psza_by_date_.find(cache_date);
  if (date_it == psza_by_date_.end()) return nullptr;
  const std::vector<PdcShotZoneInput>& rows = date_it->second;
  auto it = std::lower_bound(rows.begin(), rows.end(), player_lookup,
                             [](const PdcShotZoneInput& r, std::string_view key) { return r.player_lookup < key; });
  if (it == rows.end() || it->player_lookup != player_lookup) return nullptr;
  return &*it;
}

bool PdcProcessor::HasShotZoneRows(Date cache_date) const { return psza_by_date_.count(cache_date) > 0; }

PdcDateResult PdcProcessor::ComputeDate(Date cache_date) const {
  PdcDateResult result;
  const std::string date_text = cache_date.ToString();
  static const std::vector<UpcomingPlayerContext> kNoUpgc;
  auto upgc_it = upgc_by_date_.find(cache_date);
  const std::vector<UpcomingPlayerContext>& upgc_on_d = upgc_it != upgc_by_date_.end() ? upgc_it->second : kNoUpgc;
  const auto find_upgc = [&upgc_on_d](std::string_view player_lookup) -> const UpcomingPlayerContext* {
    auto it =
        std::lower_bound(upgc_on_d.begin(), upgc_on_d.end(), player_lookup,
                         [](const UpcomingPlayerContext& r, std::string_view key) { return r.player_lookup < key; });
    if (it == upgc_on_d.end() || it->player_lookup != player_lookup) return nullptr;
    return &*it;
  };

  // §3: the player set with each player's context, keyed by player_lookup.
  std::map<std::string, PdcContext> entities;
  if (calendar_->IsHistorical(cache_date)) {
    auto pgs_it = pgs_players_by_date_.find(cache_date);
    // §12 step 3.
    if (pgs_it == pgs_players_by_date_.end()) {
      result.outcome.status = DateStatus::kFailed;
      result.outcome.reason_code = "missing_input";
      result.outcome.reason = "missing_input: player_game_summary has no rows for " + date_text;
      return result;
    }
    for (uint32_t player_idx : pgs_it->second) {
      const PdcPlayerHistory& player = players_[player_idx];
      const PlayerGame* row_on_d = player.RowOn(cache_date);
      if (const UpcomingPlayerContext* upgc = find_upgc(player.player_lookup())) {
        PdcContext context = PdcContextFromUpgc(*upgc);
        if (!context.universal_player_id) context.universal_player_id = row_on_d->universal_player_id;
        entities.emplace(player.player_lookup(), std::move(context));
      } else {
        entities.emplace(player.player_lookup(),
                         SyntheticContextFor(cache_date, player, row_on_d, row_on_d->team_abbr));
      }
    }
  } else {
    std::set<std::string> teams_with_upgc;
    for (const UpcomingPlayerContext& row : upgc_on_d) {
      teams_with_upgc.insert(row.team_abbr);
      // The first row of a player (ascending game_id) if there were several.
      entities.emplace(row.player_lookup, PdcContextFromUpgc(row));
    }
    // pcf.md §13.4 roster fallback for each team of a game on D without UPGC rows.
    auto games_it = schedule_by_date_.find(cache_date);
    if (games_it != schedule_by_date_.end()) {
      const int season_year = SeasonYear(cache_date);
      for (const ScheduleGame& game : games_it->second) {
        for (const std::string& team_abbr : {game.away_team_abbr, game.home_team_abbr}) {
          if (teams_with_upgc.count(team_abbr) > 0) continue;
          auto roster_it = season_team_players_.find({season_year, team_abbr});
          if (roster_it == season_team_players_.end()) continue;
          for (uint32_t player_idx : roster_it->second) {
            const PdcPlayerHistory& player = players_[player_idx];
            if (entities.count(player.player_lookup()) > 0) continue;
            const PlayerGame* latest = player.LatestSeasonRowBefore(cache_date);
            if (latest == nullptr || latest->team_abbr != team_abbr) continue;
            entities.emplace(player.player_lookup(), SyntheticContextFor(cache_date, player, latest, team_abbr));
          }
        }
      }
    }
  }
  // §12 step 4.
  if (entities.empty()) {
    result.outcome.status = DateStatus::kFailed;
    result.outcome.reason_code = "no_players";
    result.outcome.reason = "no_players: no players for " + date_text;
    return result;
  }
  // §12 step 5, ascending player_lookup (std::map order = byte order).
  result.stats.players = static_cast<int64_t>(entities.size());
  for (const auto& [player_lookup, context] : entities) {
    // A UPGC player without any PGS row has an empty history (0 games).
    const PdcPlayerHistory* player = FindPlayer(player_lookup);
    std::optional<PdcPlayerHistory> no_history;
    if (player == nullptr)
      player = &no_history.emplace(player_lookup, std::vector<PlayerGame>{}, std::vector<PdcAgeObservation>{});
    PdcPlayerResult outcome = PdcComputePlayer(cache_date, *player, context, FindTeam(context.team_abbr),
                                               FindShotZone(cache_date, player_lookup));
    if (auto* row = std::get_if<PdcRow>(&outcome)) {
      if (row->context_source == "synthetic") ++result.stats.synthetic_context;
      if (row->early_season_flag) ++result.stats.early_season;
      if (!row->shot_zone_data_available) ++result.stats.no_shot_zone;
      if (row->is_production_ready) ++result.stats.production_ready;
      result.rows.push_back(std::move(*row));
    } else {
      result.exclusions.push_back(std::move(std::get<EntityExclusion>(outcome)));
    }
  }
  result.stats.rows = static_cast<int64_t>(result.rows.size());
  result.stats.excluded_insufficient_data = static_cast<int64_t>(result.exclusions.size());
  return result;
}

}  // namespace nbapc::processors
