#include "processors/pdc.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <tuple>
#include <unordered_map>
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

// ---- explain trace (TraceStep, processors/common.h) ----
// Only reached with a non-null Trace*: the compute path never formats.

constexpr char kSpec3[] = "pdc.md §3";
constexpr char kSpec5[] = "pdc.md §5";
constexpr char kSpec6[] = "pdc.md §6";
constexpr char kSpec7[] = "pdc.md §7";
constexpr char kSpec8[] = "pdc.md §8";
constexpr char kSpec9[] = "pdc.md §9";
constexpr char kSpec10[] = "pdc.md §10";

void AddStep(Trace* trace, const char* spec, std::string name, std::string formula, Value value) {
  trace->push_back(TraceStep{spec, std::move(name), std::move(formula), std::move(value), false});
}

// A step whose value is the output column's exact cell (ToNamedValues form).
void AddColumn(Trace* trace, const char* spec, std::string_view column, std::string formula, Value value) {
  trace->push_back(TraceStep{spec, std::string(column), std::move(formula), std::move(value), true});
}

std::string NumText(const std::optional<double>& value) { return value ? FormatFloat(*value) : "NULL"; }

// "a + b + NULL + c" in window order (oldest first), "(no game)" for an empty window.
std::string OperandsText(std::span<const std::optional<double>> values) {
  if (values.empty()) return "(no game)";
  std::string out;
  bool has_null = false;
  for (const std::optional<double>& value : values) {
    if (!out.empty()) out += " + ";
    if (value) {
      AppendFormatFloat(out, *value);
    } else {
      out += "NULL";
      has_null = true;
    }
  }
  if (has_null) out += " (NULL skipped)";
  return out;
}

// "n games: d1, d2, ..." (oldest first).
template <typename Range, typename DateOf>
std::string GamesText(const Range& window, DateOf date_of) {
  std::string out = std::to_string(std::size(window)) + (std::size(window) == 1 ? " game" : " games");
  bool first = true;
  for (const auto& game : window) {
    out += first ? ": " : ", ";
    out += date_of(game).ToString();
    first = false;
  }
  return out;
}

std::string DateRangeText(Date from, Date to) { return "[" + from.ToString() + ", " + to.ToString() + "]"; }

// §5 mean(x, W) / sample_std(x, W): Σ of the non-NULL values as doubles added
// oldest first from 0.0; `values` are in window order oldest first.
struct WindowSum {
  double sum = 0.0;
  int64_t count = 0;  // non-NULL values
};

WindowSum SumOldestFirst(std::span<const std::optional<double>> values) {
  WindowSum out;
  for (const std::optional<double>& value : values) {
    if (!value) continue;
    out.sum += *value;
    ++out.count;
  }
  return out;
}

// Σ ÷ count; NULL if none.
std::optional<double> MeanOf(const WindowSum& total) {
  if (total.count == 0) return std::nullopt;
  return total.sum / static_cast<double>(total.count);
}

// r4(mean(x, W)); traced: the Σ step and the column step. kTraced is a
// compile-time switch so that the compute path (false) carries no trace code;
// both instantiations are this one body.
template <bool kTraced>
std::optional<double> Mean4(std::span<const std::optional<double>> values, Trace* trace, std::string_view x,
                            std::string_view window, std::string_view column) {
  const WindowSum total = SumOldestFirst(values);
  const std::optional<double> mean = MeanOf(total);
  const std::optional<double> out = RoundPy(mean, 4);
  if constexpr (kTraced) {
    AddStep(trace, kSpec8, "Σ " + std::string(x) + " over " + std::string(window), OperandsText(values),
            Value{total.sum});
    AddColumn(trace, kSpec8, column,
              mean ? "r4(" + FormatFloat(total.sum) + " / " + std::to_string(total.count) + ") = r4(" +
                         FormatFloat(*mean) + ")"
                   : "no non-NULL " + std::string(x) + " in " + std::string(window) + " -> NULL",
              OptDouble(out));
  }
  return out;
}

// r4(sample_std(x, W)): m = mean; ss = Σ (x − m)·(x − m) over the non-NULL x,
// oldest first; sqrt(ss / (n − 1)); NULL if n < 2.
template <bool kTraced>
std::optional<double> Std4(std::span<const std::optional<double>> values, Trace* trace, std::string_view x,
                           std::string_view window, std::string_view column) {
  const std::optional<double> mean = MeanOf(SumOldestFirst(values));
  int64_t count = 0;
  double ss = 0.0;
  for (const std::optional<double>& value : values) {
    if (!value) continue;
    const double diff = *value - *mean;
    ss += diff * diff;
    ++count;
  }
  std::optional<double> std_dev;
  if (count >= 2) std_dev = std::sqrt(ss / static_cast<double>(count - 1));
  const std::optional<double> out = RoundPy(std_dev, 4);
  if constexpr (kTraced) {
    AddStep(trace, kSpec8, "Σ (" + std::string(x) + " − m)² over " + std::string(window),
            "m = " + NumText(mean) + ", oldest first", Value{ss});
    AddColumn(trace, kSpec8, column,
              std_dev ? "r4(sqrt(" + FormatFloat(ss) + " / " + std::to_string(count - 1) + ")) = r4(" +
                            FormatFloat(*std_dev) + ")"
                      : "n = " + std::to_string(count) + " non-NULL " + std::string(x) + " < 2 -> NULL",
              OptDouble(out));
  }
  return out;
}

// The values of one column over a window, oldest first. Every window holds at
// most kPdcSeasonWindowGames values (G; L10, L5 and T10 are shorter), so the
// values live in a fixed array: several columns are taken per computed row.
class WindowValues {
 public:
  void push_back(const std::optional<double>& value) { values_[size_++] = value; }
  std::span<const std::optional<double>> view() const { return {values_.data(), size_}; }
  operator std::span<const std::optional<double>>() const { return view(); }  // NOLINT: a view of the values

 private:
  std::array<std::optional<double>, kPdcSeasonWindowGames> values_;
  size_t size_ = 0;
};

template <typename Getter>
WindowValues Column(std::span<const PdcGame* const> window, Getter getter) {
  WindowValues out;
  for (const PdcGame* row : window) out.push_back(getter(*row));
  return out;
}

std::optional<double> PointsOf(const PdcGame& row) { return ToDouble(row.points); }
std::optional<double> MinutesOf(const PdcGame& row) { return row.minutes_played; }
std::optional<double> UsageOf(const PdcGame& row) { return row.usage_rate; }
std::optional<double> TsPctOf(const PdcGame& row) { return row.ts_pct; }

// Appearance (§6) and qualifying game (§5) of a PGS row or a kept PdcGame.
template <typename GameRow>
bool IsAppearance(const GameRow& row) {
  // §6: NULL counts as 0.
  return row.minutes_played.value_or(0.0) > 0.0 || row.points.value_or(0) > 0 || row.fg_attempts.value_or(0) > 0;
}
template <typename GameRow>
bool Qualifies(const GameRow& row) {
  // §5: a NULL operand is false; FGA does not count (kept from upstream, §15).
  if (!row.is_active) return false;
  const bool has_minutes = row.minutes_played.has_value() && *row.minutes_played > 0.0;
  const bool has_points = row.points.has_value() && *row.points > 0;
  return has_minutes || has_points;
}

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
// kTraced: `window_text` receives "n dates: d1, d2 (no player row), ...".
template <bool kTraced>
PdcWindowCompleteness CompletenessSorted(Date cache_date, PdcWindowKind kind, int n, std::span<const Date> team_dates,
                                         std::span<const Date> player_dates, std::string* window_text = nullptr) {
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
    const bool present = std::binary_search(player_dates.begin(), player_dates.end(), *it);
    if (present) ++out.actual_games;
    if constexpr (kTraced) {
      *window_text +=
          it == begin ? std::to_string(out.expected_games) + (out.expected_games == 1 ? " date: " : " dates: ") : ", ";
      *window_text += it->ToString();
      if (!present) *window_text += " (no player row)";
    }
  }
  if constexpr (kTraced) {
    if (begin == end) *window_text = "0 dates";
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

// §6 over a player's history; kTraced: `trace` receives the §6 steps.
template <bool kTraced>
PdcSyntheticContext SyntheticFromHistory(Date cache_date, const PdcPlayerHistory& history, Trace* trace = nullptr) {
  PdcSyntheticContext out;
  const std::span<const PdcGame> before = history.RowsBefore(cache_date);
  const Date from14 = cache_date - 14;
  const Date from7 = cache_date - 7;
  auto it = std::lower_bound(before.begin(), before.end(), from14,
                             [](const PdcGame& row, Date date) { return row.game_date < date; });
  // Ascending date: minutes are summed in this order (§6).
  double sum7 = 0.0;
  double sum14 = 0.0;
  int64_t minutes_rows7 = 0;
  int64_t minutes_rows14 = 0;
  // Distinct appearance dates in [D − 14, D − 1]: at most 14, kept in a fixed
  // array (this runs for every synthetic-context player of every date).
  std::array<Date, 14> dates14_storage;
  size_t dates14_count = 0;
  // Trace only: the appearances and their minutes, ascending.
  std::vector<std::optional<double>> minutes7;
  std::vector<std::optional<double>> minutes14;
  std::vector<Date> dates7;
  for (; it != before.end(); ++it) {
    const PdcGame& row = *it;
    if (!IsAppearance(row)) continue;
    const bool in7 = row.game_date >= from7;
    ++out.games_in_last_14_days;
    if (in7) ++out.games_in_last_7_days;
    if (dates14_count == 0 || dates14_storage[dates14_count - 1] != row.game_date) {
      dates14_storage[dates14_count++] = row.game_date;
    }
    if constexpr (kTraced) {
      minutes14.push_back(row.minutes_played);
      if (in7) {
        minutes7.push_back(row.minutes_played);
        dates7.push_back(row.game_date);
      }
    }
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
  const std::span<const Date> dates14(dates14_storage.data(), dates14_count);
  std::vector<Date> back_to_back_dates;  // trace only
  for (size_t date_idx = 1; date_idx < dates14.size(); ++date_idx) {
    if (dates14[date_idx] - dates14[date_idx - 1] == 1) {
      ++out.back_to_backs_last_14_days;
      if constexpr (kTraced) back_to_back_dates.push_back(dates14[date_idx]);
    }
  }
  // Latest non-NULL age with game_date in [D − 365, D − 1].
  const std::vector<PdcAgeObservation>& ages = history.ages();
  auto age_end = std::lower_bound(ages.begin(), ages.end(), cache_date,
                                  [](const PdcAgeObservation& obs, Date date) { return obs.game_date < date; });
  const PdcAgeObservation* age_row = nullptr;  // trace only
  if (age_end != ages.begin()) {
    const PdcAgeObservation& latest = *(age_end - 1);
    if (latest.game_date >= cache_date - kPdcAgeLookbackDays) {
      out.player_age = latest.player_age;
      age_row = &latest;
    }
  }
  if constexpr (kTraced) {
    const auto identity = [](Date date) { return date; };
    const std::string appearance = " with minutes > 0 or points > 0 or fg_attempts > 0 (NULL as 0)";
    AddStep(trace, kSpec6, "A14 (appearances)", "PGS rows in " + DateRangeText(from14, cache_date - 1) + appearance,
            Value{GamesText(dates14, identity)});
    AddStep(trace, kSpec6, "A7 (appearances)", "PGS rows in " + DateRangeText(from7, cache_date - 1) + appearance,
            Value{GamesText(dates7, identity)});
    AddStep(trace, kSpec6, "synthetic games_in_last_7_days", "|A7|", Value{out.games_in_last_7_days});
    AddStep(trace, kSpec6, "synthetic games_in_last_14_days", "|A14|", Value{out.games_in_last_14_days});
    const auto minutes_steps = [&](const char* set, const std::vector<std::optional<double>>& minutes, double sum,
                                   int64_t games, int64_t minutes_rows, const std::optional<int64_t>& result,
                                   const char* field) {
      AddStep(trace, kSpec6, std::string("Σ minutes over ") + set, OperandsText(minutes), Value{sum});
      std::string formula = games == 0          ? std::string(set) + " empty -> 0"
                            : minutes_rows == 0 ? std::string(set) + " minutes all NULL -> NULL"
                                                : "llround(" + FormatFloat(sum) + ")";
      AddStep(trace, kSpec6, std::string("synthetic ") + field, std::move(formula), OptInt(result));
    };
    minutes_steps("A7", minutes7, sum7, out.games_in_last_7_days, minutes_rows7, out.minutes_in_last_7_days,
                  "minutes_in_last_7_days");
    minutes_steps("A14", minutes14, sum14, out.games_in_last_14_days, minutes_rows14, out.minutes_in_last_14_days,
                  "minutes_in_last_14_days");
    AddStep(trace, kSpec6, "synthetic avg_minutes_per_game_last_7",
            minutes_rows7 > 0 ? "round_py(" + FormatFloat(sum7) + " / " + std::to_string(minutes_rows7) + ", 1)"
                              : "no A7 row with minutes -> NULL",
            OptDouble(out.avg_minutes_per_game_last_7));
    std::string b2b = "dates d of A14 with d − 1 in A14";
    for (size_t idx = 0; idx < back_to_back_dates.size(); ++idx) {
      b2b += (idx == 0 ? ": " : ", ") + back_to_back_dates[idx].ToString();
    }
    AddStep(trace, kSpec6, "synthetic back_to_backs_last_14_days", std::move(b2b),
            Value{out.back_to_backs_last_14_days});
    const std::string age_window = DateRangeText(cache_date - kPdcAgeLookbackDays, cache_date - 1);
    AddStep(trace, kSpec6, "synthetic player_age",
            age_row != nullptr ? "latest UPGC player_age in " + age_window + ": " + age_row->game_date.ToString()
                               : "no UPGC player_age in " + age_window + " -> NULL",
            OptInt(out.player_age));
    AddStep(trace, kSpec6, "synthetic fourth_quarter_minutes_last_7", "always NULL",
            OptInt(out.fourth_quarter_minutes_last_7));
  }
  return out;
}

EntityExclusion InsufficientData(const std::string& player_lookup, int64_t games) {
  EntityExclusion exclusion;
  exclusion.entity_id = player_lookup;
  exclusion.failure_category = "INSUFFICIENT_DATA";
  // fmt: one allocation (the chained operator+ reallocates on the way).
  exclusion.failure_reason = fmt::format("Only {} games played, need {} minimum", games, kPdcMinGames);
  exclusion.can_retry = false;
  return exclusion;
}

// §3 synthetic identity (universal_player_id and team from `identity_row`,
// the PGS row on D or the roster row); the §6 fields are filled separately.
PdcContext SyntheticIdentity(const PdcGame* identity_row, std::string_view team_abbr) {
  PdcContext context;
  context.synthetic = true;
  if (identity_row != nullptr) context.universal_player_id = identity_row->universal_player_id;
  context.team_abbr = team_abbr;
  return context;
}

std::string_view ContextSource(const PdcContext& context) { return context.synthetic ? "synthetic" : "upcoming"; }

std::vector<const PlayerGame*> RowPointers(std::span<const PlayerGame> rows) {
  std::vector<const PlayerGame*> out;
  out.reserve(rows.size());
  for (const PlayerGame& row : rows) out.push_back(&row);
  return out;
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

bool PdcIsAppearance(const PlayerGame& row) { return IsAppearance(row); }

bool PdcQualifies(const PlayerGame& row) { return Qualifies(row); }

PdcSyntheticContext PdcComputeSyntheticContext(Date cache_date, std::span<const PlayerGame> pgs_rows,
                                               std::span<const PdcAgeObservation> upgc_rows) {
  const PdcPlayerHistory history("", RowPointers(pgs_rows),
                                 std::vector<PdcAgeObservation>(upgc_rows.begin(), upgc_rows.end()));
  return SyntheticFromHistory<false>(cache_date, history);
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
  return CompletenessSorted<false>(cache_date, kind, n, team, player);
}

// ---- PdcPlayerHistory ----

PdcPlayerHistory::PdcPlayerHistory(std::string player_lookup, std::span<const PlayerGame* const> rows,
                                   std::vector<PdcAgeObservation> ages)
    : player_lookup_(std::move(player_lookup)) {
  // Sort views of the rows (not the rows), then copy each kept field once.
  const auto less = [](const PlayerGame* a, const PlayerGame* b) { return PlayerGameLess(*a, *b); };
  std::vector<const PlayerGame*> sorted(rows.begin(), rows.end());
  if (!std::is_sorted(sorted.begin(), sorted.end(), less)) std::sort(sorted.begin(), sorted.end(), less);
  // Text storage: every game_id, and universal_player_id / team_abbr when
  // they differ from the previous row's (a player keeps them for long runs).
  const auto same_id = [](const PlayerGame* a, const PlayerGame* b) {
    return a->universal_player_id == b->universal_player_id;
  };
  size_t text_size = 0;
  for (size_t idx = 0; idx < sorted.size(); ++idx) {
    const PlayerGame* row = sorted[idx];
    text_size += row->game_id.size();
    const PlayerGame* prev = idx > 0 ? sorted[idx - 1] : nullptr;
    if (row->universal_player_id && (prev == nullptr || !same_id(prev, row))) {
      text_size += row->universal_player_id->size();
    }
    if (prev == nullptr || prev->team_abbr != row->team_abbr) text_size += row->team_abbr.size();
  }
  text_.resize(text_size);
  size_t text_used = 0;
  const auto keep = [this, &text_used](const std::string& value) { return KeepText(text_, &text_used, value); };
  rows_.reserve(sorted.size());
  dates_.reserve(sorted.size());
  for (size_t idx = 0; idx < sorted.size(); ++idx) {
    const PlayerGame& row = *sorted[idx];
    const PlayerGame* prev = idx > 0 ? sorted[idx - 1] : nullptr;
    PdcGame game;
    game.game_date = row.game_date;
    game.season_year = row.season_year;
    game.is_active = row.is_active;
    game.game_id = keep(row.game_id);
    if (row.universal_player_id) {
      game.universal_player_id =
          prev != nullptr && same_id(prev, &row) ? rows_.back().universal_player_id : keep(*row.universal_player_id);
    }
    game.team_abbr = prev != nullptr && prev->team_abbr == row.team_abbr ? rows_.back().team_abbr : keep(row.team_abbr);
    game.minutes_played = row.minutes_played;
    game.points = row.points;
    game.fg_attempts = row.fg_attempts;
    game.fg_makes = row.fg_makes;
    game.assisted_fg_makes = row.assisted_fg_makes;
    game.usage_rate = row.usage_rate;
    game.ts_pct = row.ts_pct;
    rows_.push_back(game);
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
    const PdcGame& row = rows_[row_idx];
    if (!Qualifies(row)) continue;
    auto it = std::lower_bound(qualifying_by_season_.begin(), qualifying_by_season_.end(), row.season_year,
                               [](const auto& entry, int year) { return entry.first < year; });
    if (it == qualifying_by_season_.end() || it->first != row.season_year) {
      it = qualifying_by_season_.insert(it, {row.season_year, {}});
    }
    it->second.push_back(row_idx);
  }
}

const PdcGame* PdcPlayerHistory::RowOn(Date date) const {
  auto it =
      std::lower_bound(rows_.begin(), rows_.end(), date, [](const PdcGame& row, Date d) { return row.game_date < d; });
  if (it == rows_.end() || it->game_date != date) return nullptr;
  return &*it;
}

std::span<const PdcGame> PdcPlayerHistory::RowsBefore(Date date) const {
  auto it =
      std::lower_bound(rows_.begin(), rows_.end(), date, [](const PdcGame& row, Date d) { return row.game_date < d; });
  return std::span<const PdcGame>(rows_.data(), static_cast<size_t>(it - rows_.begin()));
}

std::span<const uint32_t> PdcPlayerHistory::SeasonWindow(Date date) const {
  const int season_year = SeasonYear(date);
  auto season = std::lower_bound(qualifying_by_season_.begin(), qualifying_by_season_.end(), season_year,
                                 [](const auto& entry, int year) { return entry.first < year; });
  if (season == qualifying_by_season_.end() || season->first != season_year) return {};
  const std::vector<uint32_t>& indices = season->second;
  auto end = std::lower_bound(indices.begin(), indices.end(), date,
                              [this](uint32_t row_idx, Date d) { return rows_[row_idx].game_date < d; });
  auto begin = (end - indices.begin()) > kPdcSeasonWindowGames ? end - kPdcSeasonWindowGames : indices.begin();
  return std::span<const uint32_t>(indices.data() + (begin - indices.begin()), static_cast<size_t>(end - begin));
}

const PdcGame* PdcPlayerHistory::LatestSeasonRowBefore(Date date) const {
  // season_year(game_date) grows with the date, so the latest row before D
  // is the latest of D's season iff it belongs to that season.
  const std::span<const PdcGame> before = RowsBefore(date);
  if (before.empty()) return nullptr;
  const PdcGame& latest = before.back();
  if (SeasonYear(latest.game_date) != SeasonYear(date)) return nullptr;
  return &latest;
}

// ---- PdcTeamHistory ----

PdcTeamHistory::PdcTeamHistory(std::string team_abbr, std::span<const TeamOffenseGame> rows)
    : PdcTeamHistory(std::move(team_abbr), [rows] {
        std::vector<const TeamOffenseGame*> pointers;
        pointers.reserve(rows.size());
        for (const TeamOffenseGame& row : rows) pointers.push_back(&row);
        return pointers;
      }()) {}

PdcTeamHistory::PdcTeamHistory(std::string team_abbr, std::span<const TeamOffenseGame* const> rows)
    : team_abbr_(std::move(team_abbr)) {
  games_.reserve(rows.size());
  for (const TeamOffenseGame* row : rows) {
    games_.push_back(Game{row->game_date, row->game_id, row->pace, row->offensive_rating});
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

namespace {

// The body of PdcComputePlayer; kTraced (= trace non-null) is a compile-time
// switch so that the compute path carries no trace code. `context` is taken
// by value so that the row can take its universal_player_id without a copy.
template <bool kTraced>
PdcPlayerResult ComputePlayer(Date cache_date, const PdcPlayerHistory& player, PdcContext context,
                              const PdcTeamHistory* team, const PdcShotZoneInput* psza, Trace* trace) {
  // §5 G, oldest first; L10 / L5 = its newest 10 / 5.
  const std::span<const uint32_t> season = player.SeasonWindow(cache_date);
  const int64_t games = static_cast<int64_t>(season.size());
  // §7 gate.
  if (games < kPdcMinGames) return InsufficientData(player.player_lookup(), games);
  std::array<const PdcGame*, kPdcSeasonWindowGames> season_rows;  // G holds at most 82 rows
  for (size_t idx = 0; idx < season.size(); ++idx) season_rows[idx] = &player.rows()[season[idx]];
  const std::span<const PdcGame* const> g(season_rows.data(), season.size());
  const std::span<const PdcGame* const> l10 = g.last(std::min<size_t>(g.size(), kPdcL10Games));
  const std::span<const PdcGame* const> l5 = g.last(std::min<size_t>(g.size(), kPdcL5Games));
  if constexpr (kTraced) {
    const auto date_of = [](const PdcGame* row) { return row->game_date; };
    AddStep(trace, kSpec5, "G (season window)",
            "qualifying PGS rows (is_active and (minutes > 0 or points > 0)) with season_year " +
                std::to_string(SeasonYear(cache_date)) + " and game_date < D, newest " +
                std::to_string(kPdcSeasonWindowGames) + " at most, oldest first",
            Value{GamesText(g, date_of)});
    AddStep(trace, kSpec5, "L10", "the newest 10 of G", Value{GamesText(l10, date_of)});
    AddStep(trace, kSpec5, "L5", "the newest 5 of G", Value{GamesText(l5, date_of)});
  }

  PdcRow row;
  row.player_lookup = player.player_lookup();
  row.universal_player_id = std::move(context.universal_player_id);  // not read below
  row.cache_date = cache_date;
  row.team_abbr = context.team_abbr;
  row.context_source = ContextSource(context);
  // §7 flags.
  row.games_played_season = games;
  row.early_season_flag = games < kPdcEarlySeasonGames;
  if (row.early_season_flag) {
    row.insufficient_data_reason = fmt::format("Only {} games played, need {} minimum", games, kPdcEarlySeasonGames);
  }
  if constexpr (kTraced) {
    const std::string n = "n = " + std::to_string(games);
    AddColumn(trace, kSpec7, "games_played_season", "n = |G| (≥ 5: the player gets a row)",
              Value{row.games_played_season});
    AddColumn(trace, kSpec7, "early_season_flag", n + " < 10", Value{row.early_season_flag});
    AddColumn(trace, kSpec7, "insufficient_data_reason", row.early_season_flag ? n + " < 10" : n + " ≥ 10 -> NULL",
              OptText(row.insufficient_data_reason));
  }
  // §8, r4 = round_py(x, 4).
  const WindowValues points_l10 = Column(l10, PointsOf);
  row.points_avg_last_5 = Mean4<kTraced>(Column(l5, PointsOf), trace, "points", "L5", "points_avg_last_5");
  row.points_avg_last_10 = Mean4<kTraced>(points_l10, trace, "points", "L10", "points_avg_last_10");
  row.points_avg_season = Mean4<kTraced>(Column(g, PointsOf), trace, "points", "G", "points_avg_season");
  row.points_std_last_10 = Std4<kTraced>(points_l10, trace, "points", "L10", "points_std_last_10");
  row.minutes_avg_last_10 =
      Mean4<kTraced>(Column(l10, MinutesOf), trace, "minutes_played", "L10", "minutes_avg_last_10");
  row.usage_rate_last_10 = Mean4<kTraced>(Column(l10, UsageOf), trace, "usage_rate", "L10", "usage_rate_last_10");
  row.ts_pct_last_10 = Mean4<kTraced>(Column(l10, TsPctOf), trace, "ts_pct", "L10", "ts_pct_last_10");
  row.player_usage_rate_season =
      Mean4<kTraced>(Column(g, UsageOf), trace, "usage_rate", "G", "player_usage_rate_season");
  // §8 team metrics over T10 (no season filter); NULL if T10 is empty.
  if (team != nullptr) {
    const std::span<const PdcTeamHistory::Game> t10 = team->LastTenBefore(cache_date);
    WindowValues pace;
    WindowValues rating;
    for (const PdcTeamHistory::Game& game : t10) {
      pace.push_back(game.pace);
      rating.push_back(game.offensive_rating);
    }
    if constexpr (kTraced) {
      AddStep(trace, kSpec8, "T10",
              "the 10 newest TOGS rows of " + context.team_abbr + " with game_date < D (any season), oldest first",
              Value{GamesText(t10, [](const PdcTeamHistory::Game& game) { return game.game_date; })});
    }
    row.team_pace_last_10 = Mean4<kTraced>(pace, trace, "pace", "T10", "team_pace_last_10");
    row.team_off_rating_last_10 = Mean4<kTraced>(rating, trace, "offensive_rating", "T10", "team_off_rating_last_10");
  } else if (kTraced) {
    const std::string why = "no TOGS row of team '" + context.team_abbr + "': T10 empty -> NULL";
    AddStep(trace, kSpec8, "T10", "the 10 newest TOGS rows of " + context.team_abbr + " with game_date < D",
            Value{std::string("0 games")});
    AddColumn(trace, kSpec8, "team_pace_last_10", why, OptDouble(row.team_pace_last_10));
    AddColumn(trace, kSpec8, "team_off_rating_last_10", why, OptDouble(row.team_off_rating_last_10));
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
  if constexpr (kTraced) {
    const std::string source = context.synthetic ? "synthetic " : "UPGC ";
    const auto copy = [&](std::string_view column, const std::optional<double>& value,
                          const std::optional<int64_t>& cell) {
      AddColumn(trace, kSpec8, column, value ? "trunc(" + source + FormatFloat(*value) + ")" : source + "NULL -> NULL",
                OptInt(cell));
    };
    copy("games_in_last_7_days", context.fields.games_in_last_7_days, row.games_in_last_7_days);
    copy("games_in_last_14_days", context.fields.games_in_last_14_days, row.games_in_last_14_days);
    copy("minutes_in_last_7_days", context.fields.minutes_in_last_7_days, row.minutes_in_last_7_days);
    copy("minutes_in_last_14_days", context.fields.minutes_in_last_14_days, row.minutes_in_last_14_days);
    copy("back_to_backs_last_14_days", context.fields.back_to_backs_last_14_days, row.back_to_backs_last_14_days);
    AddColumn(trace, kSpec8, "avg_minutes_per_game_last_7",
              context.fields.avg_minutes_per_game_last_7
                  ? "r4(" + source + FormatFloat(*context.fields.avg_minutes_per_game_last_7) + ")"
                  : source + "NULL -> NULL",
              OptDouble(row.avg_minutes_per_game_last_7));
    copy("fourth_quarter_minutes_last_7", context.fields.fourth_quarter_minutes_last_7,
         row.fourth_quarter_minutes_last_7);
    copy("player_age", context.fields.player_age, row.player_age);
  }
  // §4 / §8 PSZA: values as stored; a missing row gives NULLs.
  if (psza != nullptr) {
    row.primary_scoring_zone = psza->primary_scoring_zone;
    row.paint_rate_last_10 = psza->paint_rate_last_10;
    row.three_pt_rate_last_10 = psza->three_pt_rate_last_10;
    row.shot_zone_data_available = true;
  }
  if constexpr (kTraced) {
    const std::string from = psza != nullptr ? "the PSZA row (player, D)" : "no PSZA row (player, D) -> NULL";
    AddColumn(trace, kSpec8, "primary_scoring_zone", from, OptText(row.primary_scoring_zone));
    AddColumn(trace, kSpec8, "paint_rate_last_10", from + (psza != nullptr ? " (percent)" : ""),
              OptDouble(row.paint_rate_last_10));
    AddColumn(trace, kSpec8, "three_pt_rate_last_10", from + (psza != nullptr ? " (percent)" : ""),
              OptDouble(row.three_pt_rate_last_10));
    AddColumn(trace, kSpec8, "shot_zone_data_available",
              psza != nullptr ? "the PSZA row (player, D) exists" : "no PSZA row (player, D)",
              Value{row.shot_zone_data_available});
  }
  // §8 assisted rate: integer sums over L10, NULL terms as 0.
  int64_t assisted = 0;
  int64_t makes = 0;
  for (const PdcGame* game : l10) {
    assisted += game->assisted_fg_makes.value_or(0);
    makes += game->fg_makes.value_or(0);
  }
  double assisted_share = 0.0;  // Σ assisted / Σ makes when Σ makes != 0
  if (makes != 0) {
    assisted_share = static_cast<double>(assisted) / static_cast<double>(makes);
    row.assisted_rate_last_10 = RoundPy(assisted_share, 9);
  }
  if constexpr (kTraced) {
    const auto terms = [&l10](auto field) {
      std::string out;
      for (const PdcGame* game : l10) {
        if (!out.empty()) out += " + ";
        const std::optional<int64_t>& value = (*game).*field;
        out += value ? std::to_string(*value) : "NULL(0)";
      }
      return out;
    };
    AddStep(trace, kSpec8, "Σ assisted_fg_makes over L10", terms(&PdcGame::assisted_fg_makes), Value{assisted});
    AddStep(trace, kSpec8, "Σ fg_makes over L10", terms(&PdcGame::fg_makes), Value{makes});
    AddColumn(trace, kSpec8, "assisted_rate_last_10",
              makes != 0 ? "r9(" + std::to_string(assisted) + " / " + std::to_string(makes) + ") = r9(" +
                               FormatFloat(assisted_share) + ")"
                         : "Σ fg_makes = 0 -> NULL",
              OptDouble(row.assisted_rate_last_10));
  }
  row.cache_version = kPdcCacheVersion;
  if constexpr (kTraced) AddColumn(trace, kSpec8, "cache_version", "constant", Value{row.cache_version});
  // §9 completeness over team T's TOGS dates; "any PGS row" of the player.
  static const std::vector<Date> kNoDates;
  const std::vector<Date>& team_dates = team != nullptr ? team->dates() : kNoDates;
  const auto completeness = [&](PdcWindowKind kind, int n, const char* window, std::string_view column) {
    std::string window_text;
    const PdcWindowCompleteness result =
        CompletenessSorted<kTraced>(cache_date, kind, n, team_dates, player.dates(), &window_text);
    if constexpr (kTraced) {
      const std::string chosen =
          kind == PdcWindowKind::kGames
              ? "the " + std::to_string(n) + " newest " + context.team_abbr + " TOGS game dates before D"
              : context.team_abbr + " TOGS game dates in " + DateRangeText(cache_date - n, cache_date - 1);
      AddStep(trace, kSpec9, std::string(window) + " window (E)",
              chosen + "; actual = dates with any PGS row of the player", Value{window_text});
      AddColumn(trace, kSpec9, column,
                result.expected_games > 0 ? "round_py(100.0 × " + std::to_string(result.actual_games) + " / " +
                                                std::to_string(result.expected_games) + ", 1)"
                                          : "expected = 0 -> NULL",
                OptDouble(result.completeness_pct));
    }
    return result.completeness_pct;
  };
  row.completeness_percentage = completeness(PdcWindowKind::kGames, kPdcL5Games, "L5", "completeness_percentage");
  row.l10_completeness_pct = completeness(PdcWindowKind::kGames, kPdcL10Games, "L10", "l10_completeness_pct");
  row.l7d_completeness_pct = completeness(PdcWindowKind::kDays, 7, "L7d", "l7d_completeness_pct");
  row.l14d_completeness_pct = completeness(PdcWindowKind::kDays, 14, "L14d", "l14d_completeness_pct");
  const auto ready = [](const std::optional<double>& pct) { return pct && *pct >= kPdcProductionReadyMinPct; };
  const auto ready_or_null = [](const std::optional<double>& pct) { return !pct || *pct >= kPdcProductionReadyMinPct; };
  row.is_production_ready = ready(row.completeness_percentage) && ready(row.l10_completeness_pct) &&
                            ready_or_null(row.l7d_completeness_pct) && ready_or_null(row.l14d_completeness_pct);
  row.quality_tier = PdcQualityTier(row.completeness_percentage);
  if constexpr (kTraced) {
    AddColumn(trace, kSpec9, "is_production_ready",
              "L5 " + NumText(row.completeness_percentage) + " ≥ 70 and L10 " + NumText(row.l10_completeness_pct) +
                  " ≥ 70 and L7d " + NumText(row.l7d_completeness_pct) + " (NULL or ≥ 70) and L14d " +
                  NumText(row.l14d_completeness_pct) + " (NULL or ≥ 70)",
              Value{row.is_production_ready});
    AddColumn(trace, kSpec9, "quality_tier",
              "tier(" + NumText(row.completeness_percentage) +
                  "): ≥ 95 gold, ≥ 75 silver, ≥ 50 bronze, ≥ 25 poor, else (or NULL) unusable",
              Value{row.quality_tier});
  }
  row.data_hash = RowDataHash(row);
  if constexpr (kTraced) {
    AddColumn(trace, kSpec10, "data_hash",
              "first 16 hex of sha256 of the canonical string of the " + std::to_string(std::size(kHashFields)) +
                  " columns of §11 but data_hash, processed_at, engine_version (tdza.md §14)",
              Value{row.data_hash});
  }
  return row;
}

}  // namespace

PdcPlayerResult PdcComputePlayer(Date cache_date, const PdcPlayerHistory& player, const PdcContext& context,
                                 const PdcTeamHistory* team, const PdcShotZoneInput* psza, Trace* trace) {
  if (trace != nullptr) return ComputePlayer<true>(cache_date, player, context, team, psza, trace);
  return ComputePlayer<false>(cache_date, player, context, team, psza, nullptr);
}

PdcPlayerResult PdcComputeRow(Date cache_date, std::string_view player_lookup, const PdcContext* context,
                              std::span<const PlayerGame> pgs_rows, std::span<const TeamOffenseGame> team_games,
                              const PdcShotZoneInput* psza, std::span<const PdcAgeObservation> upgc_history) {
  const PdcPlayerHistory history(std::string(player_lookup), RowPointers(pgs_rows),
                                 std::vector<PdcAgeObservation>(upgc_history.begin(), upgc_history.end()));
  const PdcGame* row_on_d = history.RowOn(cache_date);
  PdcContext resolved;
  if (context != nullptr) {
    resolved = *context;
    // §3: a NULL UPGC id falls back to the PGS row on D (historical D).
    if (!resolved.universal_player_id && row_on_d != nullptr) {
      resolved.universal_player_id = row_on_d->universal_player_id;
    }
  } else {
    // §3 synthetic identity: the PGS row on D, else the roster row.
    const PdcGame* identity = row_on_d != nullptr ? row_on_d : history.LatestSeasonRowBefore(cache_date);
    resolved = SyntheticIdentity(identity, identity != nullptr ? identity->team_abbr : std::string_view());
    resolved.fields = PdcSyntheticFields(SyntheticFromHistory<false>(cache_date, history));
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
  // Nothing built here depends on hash order or input order (README §8.3):
  // the hash map only numbers the distinct players (views of the input,
  // used during construction only); players_ is then built in ascending
  // player_lookup and every history sorts its rows.
  NameRanker ranker;
  std::vector<uint32_t> row_slot(pgs.size());
  for (size_t row_idx = 0; row_idx < pgs.size(); ++row_idx) {
    const std::string& player_lookup = pgs[row_idx].player_lookup;
    row_slot[row_idx] = row_idx > 0 && player_lookup == pgs[row_idx - 1].player_lookup ? row_slot[row_idx - 1]
                                                                                         : ranker.Add(player_lookup);
  }
  // Slots in ascending player_lookup; the rows grouped by player (counting
  // sort: each player's rows keep their input order, then the history sorts).
  ranker.Finish();
  const size_t player_count = ranker.size();
  std::vector<uint32_t> rank(player_count);
  for (uint32_t slot = 0; slot < player_count; ++slot) rank[slot] = ranker.Rank(slot);
  std::vector<uint32_t> player_begin(player_count + 1, 0);
  for (uint32_t slot : row_slot) ++player_begin[rank[slot] + 1];
  for (size_t idx = 0; idx < player_count; ++idx) player_begin[idx + 1] += player_begin[idx];
  std::vector<const PlayerGame*> grouped(pgs.size());
  {
    std::vector<uint32_t> cursor(player_begin.begin(), player_begin.end() - 1);
    for (size_t row_idx = 0; row_idx < pgs.size(); ++row_idx) {
      grouped[cursor[rank[row_slot[row_idx]]]++] = &pgs[row_idx];
    }
  }

  std::map<std::string_view, std::vector<PdcAgeObservation>> ages_by_player;
  for (const UpcomingPlayerContext& row : upgc) {
    if (row.player_age) ages_by_player[row.player_lookup].push_back({row.game_date, row.player_age});
    upgc_by_date_[row.game_date].push_back(row);
  }
  players_.reserve(player_count);
  for (size_t idx = 0; idx < player_count; ++idx) {
    const std::string_view player_lookup = ranker.Sorted()[idx];
    auto ages = ages_by_player.find(player_lookup);
    players_.emplace_back(std::string(player_lookup),
                          std::span<const PlayerGame* const>(grouped.data() + player_begin[idx],
                                                             player_begin[idx + 1] - player_begin[idx]),
                          ages != ages_by_player.end() ? std::move(ages->second) : std::vector<PdcAgeObservation>{});
  }

  // The players of each PGS date, ascending player index (counting sort on
  // the date when the dates span a reasonable range, else a sort).
  size_t pair_count = 0;
  Date min_date;
  Date max_date;
  for (const PdcPlayerHistory& player : players_) {
    if (player.dates().empty()) continue;
    if (pair_count == 0 || player.dates().front() < min_date) min_date = player.dates().front();
    if (pair_count == 0 || player.dates().back() > max_date) max_date = player.dates().back();
    pair_count += player.dates().size();
  }
  pgs_date_players_.resize(pair_count);
  if (pair_count > 0 && static_cast<size_t>(max_date - min_date) <= 4 * pair_count + 4096) {
    const size_t span_days = static_cast<size_t>(max_date - min_date) + 1;
    std::vector<uint32_t> day_begin(span_days + 1, 0);
    for (const PdcPlayerHistory& player : players_) {
      for (Date date : player.dates()) ++day_begin[static_cast<size_t>(date - min_date) + 1];
    }
    for (size_t day = 0; day < span_days; ++day) {
      if (day_begin[day + 1] > 0) {
        pgs_dates_.push_back(min_date + static_cast<int32_t>(day));
        pgs_date_begin_.push_back(day_begin[day]);
      }
      day_begin[day + 1] += day_begin[day];
    }
    for (uint32_t player_idx = 0; player_idx < players_.size(); ++player_idx) {
      for (Date date : players_[player_idx].dates()) {
        pgs_date_players_[day_begin[static_cast<size_t>(date - min_date)]++] = player_idx;
      }
    }
  } else if (pair_count > 0) {
    std::vector<std::pair<Date, uint32_t>> pairs;
    pairs.reserve(pair_count);
    for (uint32_t player_idx = 0; player_idx < players_.size(); ++player_idx) {
      for (Date date : players_[player_idx].dates()) pairs.emplace_back(date, player_idx);
    }
    std::sort(pairs.begin(), pairs.end());
    for (size_t idx = 0; idx < pairs.size(); ++idx) {
      if (idx == 0 || pairs[idx].first != pairs[idx - 1].first) {
        pgs_dates_.push_back(pairs[idx].first);
        pgs_date_begin_.push_back(static_cast<uint32_t>(idx));
      }
      pgs_date_players_[idx] = pairs[idx].second;
    }
  }
  pgs_date_begin_.push_back(static_cast<uint32_t>(pair_count));

  // Roster candidates: each player's distinct (season_year(game_date),
  // team_abbr), players in ascending index.
  std::vector<std::pair<int, std::string_view>> player_teams;
  for (uint32_t player_idx = 0; player_idx < players_.size(); ++player_idx) {
    player_teams.clear();
    int season_year = 0;
    Date season_begin;
    Date season_end;  // [season_begin, season_end): the dates of season_year
    for (const PdcGame& row : players_[player_idx].rows()) {
      if (player_teams.empty() || row.game_date < season_begin || row.game_date >= season_end) {
        season_year = SeasonYear(row.game_date);
        season_begin = Date::FromYmd(season_year, 10, 1).value();
        season_end = Date::FromYmd(season_year + 1, 10, 1).value();
      }
      const std::pair<int, std::string_view> key(season_year, row.team_abbr);
      if (std::find(player_teams.begin(), player_teams.end(), key) == player_teams.end()) player_teams.push_back(key);
    }
    for (const auto& [year, team_abbr] : player_teams) {
      std::vector<uint32_t>& roster = season_team_players_[{year, std::string(team_abbr)}];
      if (roster.empty() || roster.back() != player_idx) roster.push_back(player_idx);
    }
  }
  for (auto& [date, rows] : upgc_by_date_) {
    std::sort(rows.begin(), rows.end(), [](const UpcomingPlayerContext& a, const UpcomingPlayerContext& b) {
      return std::tie(a.player_lookup, a.game_id, a.team_abbr) < std::tie(b.player_lookup, b.game_id, b.team_abbr);
    });
  }
  std::map<std::string_view, std::vector<const TeamOffenseGame*>> togs_by_team;
  for (const TeamOffenseGame& row : togs) togs_by_team[row.team_abbr].push_back(&row);
  teams_.reserve(togs_by_team.size());
  for (const auto& [team_abbr, rows] : togs_by_team) teams_.emplace_back(std::string(team_abbr), rows);
  for (const PdcShotZoneInput& row : psza) psza_by_date_[row.analysis_date].push_back(row);
  for (auto& [date, rows] : psza_by_date_) SortShotZoneRows(rows);
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

bool PdcProcessor::HasShotZoneRows(Date cache_date) const {
  auto it = psza_by_date_.find(cache_date);
  return it != psza_by_date_.end() && !it->second.empty();
}

void PdcProcessor::SortShotZoneRows(std::vector<PdcShotZoneInput>& rows) {
  std::sort(rows.begin(), rows.end(), [](const PdcShotZoneInput& a, const PdcShotZoneInput& b) {
    return std::tie(a.player_lookup, a.primary_scoring_zone, a.paint_rate_last_10, a.three_pt_rate_last_10) <
           std::tie(b.player_lookup, b.primary_scoring_zone, b.paint_rate_last_10, b.three_pt_rate_last_10);
  });
}

void PdcProcessor::ReserveShotZoneDates(std::span<const Date> dates) {
  for (Date date : dates) psza_by_date_.try_emplace(date);
}

void PdcProcessor::SetShotZoneRows(Date cache_date, std::vector<PdcShotZoneInput> rows) {
  SortShotZoneRows(rows);
  auto it = psza_by_date_.find(cache_date);
  if (it == psza_by_date_.end()) {
    psza_by_date_.emplace(cache_date, std::move(rows));  // not shared yet (see the header)
  } else {
    it->second = std::move(rows);
  }
}

PdcProcessor::EntityPlans PdcProcessor::PlayerSet(Date cache_date, DateOutcome* outcome) const {
  EntityPlans plans;
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

  // §3: the player set with each player's context source, keyed by player_lookup.
  if (calendar_->IsHistorical(cache_date)) {
    auto pgs_it = std::lower_bound(pgs_dates_.begin(), pgs_dates_.end(), cache_date);
    // §12 step 3.
    if (pgs_it == pgs_dates_.end() || *pgs_it != cache_date) {
      outcome->status = DateStatus::kFailed;
      outcome->reason_code = "missing_input";
      outcome->reason = "missing_input: player_game_summary has no rows for " + cache_date.ToString();
      return plans;
    }
    // Ascending player indices = ascending player_lookup, one per player.
    const size_t date_idx = static_cast<size_t>(pgs_it - pgs_dates_.begin());
    const std::span<const uint32_t> players_on_d(pgs_date_players_.data() + pgs_date_begin_[date_idx],
                                                 pgs_date_begin_[date_idx + 1] - pgs_date_begin_[date_idx]);
    plans.reserve(players_on_d.size());
    for (uint32_t player_idx : players_on_d) {
      const PdcPlayerHistory& player = players_[player_idx];
      // UPGC row -> 'upcoming' (the PGS row on D backs a NULL id); none -> synthetic.
      plans.push_back(EntityPlan{player.player_lookup(), find_upgc(player.player_lookup()), player.RowOn(cache_date)});
    }
  } else {
    std::set<std::string> teams_with_upgc;
    for (const UpcomingPlayerContext& row : upgc_on_d) {
      teams_with_upgc.insert(row.team_abbr);
      // The first row of a player (ascending game_id) if there were several.
      if (plans.empty() || plans.back().player_lookup != row.player_lookup) {
        plans.push_back(EntityPlan{row.player_lookup, &row, nullptr});
      }
    }
    // The UPGC plans are sorted and distinct; roster plans are appended and
    // merged below, the first plan of a player winning.
    const auto planned = [&plans, upgc_plans = plans.size()](std::string_view player_lookup) {
      const auto upgc_end = plans.begin() + static_cast<std::ptrdiff_t>(upgc_plans);
      auto it = std::lower_bound(plans.begin(), upgc_end, player_lookup,
                                 [](const EntityPlan& plan, std::string_view key) { return plan.player_lookup < key; });
      if (it != upgc_end && it->player_lookup == player_lookup) return true;
      return std::any_of(upgc_end, plans.end(),
                         [player_lookup](const EntityPlan& plan) { return plan.player_lookup == player_lookup; });
    };
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
            if (planned(player.player_lookup())) continue;
            const PdcGame* latest = player.LatestSeasonRowBefore(cache_date);
            if (latest == nullptr || latest->team_abbr != team_abbr) continue;
            plans.push_back(EntityPlan{player.player_lookup(), nullptr, latest});
          }
        }
      }
    }
    // Every player_lookup is planned once (planned() above): sorting gives
    // the ascending order of the set.
    std::sort(plans.begin(), plans.end(),
              [](const EntityPlan& a, const EntityPlan& b) { return a.player_lookup < b.player_lookup; });
  }
  // §12 step 4.
  if (plans.empty()) {
    outcome->status = DateStatus::kFailed;
    outcome->reason_code = "no_players";
    outcome->reason = "no_players: no players for " + cache_date.ToString();
  }
  return plans;
}

PdcPlayerResult PdcProcessor::ComputeEntity(Date cache_date, const EntityPlan& plan, Trace* trace) const {
  const std::string_view player_lookup = plan.player_lookup;
  // A UPGC player without any PGS row has an empty history (0 games).
  const PdcPlayerHistory* player = FindPlayer(player_lookup);
  std::optional<PdcPlayerHistory> no_history;
  if (player == nullptr) {
    player = &no_history.emplace(std::string(player_lookup), std::span<const PlayerGame* const>{},
                                 std::vector<PdcAgeObservation>{});
  }
  // §3 identity; the context fields: UPGC as they are, or §6.
  PdcContext context;
  if (plan.upgc != nullptr) {
    context = PdcContextFromUpgc(*plan.upgc);
    // A NULL UPGC id falls back to the PGS row on D (historical D).
    if (!context.universal_player_id && plan.identity != nullptr) {
      context.universal_player_id = plan.identity->universal_player_id;
    }
  } else {
    context = SyntheticIdentity(plan.identity, plan.identity->team_abbr);
  }
  if (trace != nullptr) {
    const PdcGame* identity = plan.identity;
    const bool historical = identity != nullptr && identity->game_date == cache_date;
    std::string member;
    if (plan.upgc != nullptr && !historical) {
      member = "upcoming D: UPGC row on D (game " + plan.upgc->game_id + ", " + plan.upgc->team_abbr + ")";
    } else if (historical) {
      member = "historical D: PGS row on D (game " + std::string(identity->game_id) + ", " +
               std::string(identity->team_abbr) + ")";
    } else {
      member = "upcoming D: roster fallback (pcf.md §13.4): " + std::string(identity->team_abbr) +
               " plays on D without UPGC rows; latest row of the season " + identity->game_date.ToString() + " (game " +
               std::string(identity->game_id) + ") with " + std::string(identity->team_abbr);
    }
    AddStep(trace, kSpec3, "player set", std::move(member),
            Value{std::string(plan.upgc != nullptr && !historical ? "UPGC row on D"
                              : historical                        ? "PGS row on D"
                                                                  : "roster fallback")});
    AddColumn(trace, kSpec3, "context_source",
              plan.upgc != nullptr ? "UPGC row (player, D) of game " + plan.upgc->game_id
                                   : std::string("no UPGC row (player, D) -> synthetic context (§6)"),
              Value{std::string(ContextSource(context))});
    std::string id_source;
    if (plan.upgc != nullptr) {
      id_source = plan.upgc->universal_player_id ? "the UPGC value"
                  : identity != nullptr          ? "UPGC NULL -> the PGS row on D"
                                                 : "UPGC NULL (upcoming D: no fallback) -> NULL";
    } else {
      id_source =
          historical ? "synthetic: the PGS row on D" : "synthetic: the roster row " + identity->game_date.ToString();
    }
    AddColumn(trace, kSpec3, "universal_player_id", std::move(id_source), OptText(context.universal_player_id));
    AddColumn(trace, kSpec3, "team_abbr",
              plan.upgc != nullptr ? std::string("the UPGC team_abbr")
              : historical         ? std::string("synthetic: the PGS row on D")
                                   : "synthetic: the roster row " + identity->game_date.ToString(),
              Value{context.team_abbr});
  }
  if (plan.upgc == nullptr) {
    context.fields = PdcSyntheticFields(trace != nullptr ? SyntheticFromHistory<true>(cache_date, *player, trace)
                                                         : SyntheticFromHistory<false>(cache_date, *player));
  }
  const PdcTeamHistory* team = FindTeam(context.team_abbr);
  const PdcShotZoneInput* psza = FindShotZone(cache_date, player_lookup);
  // = PdcComputePlayer, handing over the context (no copy of its strings).
  if (trace != nullptr) return ComputePlayer<true>(cache_date, *player, std::move(context), team, psza, trace);
  return ComputePlayer<false>(cache_date, *player, std::move(context), team, psza, nullptr);
}

PdcDateResult PdcProcessor::ComputeDate(Date cache_date) const {
  PdcDateResult result;
  const EntityPlans plans = PlayerSet(cache_date, &result.outcome);
  if (!result.outcome.ok()) return result;
  // §12 step 5, ascending player_lookup (byte order).
  result.stats.players = static_cast<int64_t>(plans.size());
  result.rows.reserve(plans.size());
  for (const EntityPlan& plan : plans) {
    PdcPlayerResult outcome = ComputeEntity(cache_date, plan, nullptr);
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

Trace PdcProcessor::TraceEntity(Date cache_date, std::string_view player_lookup) const {
  DateOutcome outcome;
  const EntityPlans plans = PlayerSet(cache_date, &outcome);
  if (!outcome.ok()) return {};
  auto it = std::lower_bound(plans.begin(), plans.end(), player_lookup,
                             [](const EntityPlan& plan, std::string_view key) { return plan.player_lookup < key; });
  if (it == plans.end() || it->player_lookup != player_lookup) return {};
  Trace trace;
  const PdcPlayerResult result = ComputeEntity(cache_date, *it, &trace);
  if (!std::holds_alternative<PdcRow>(result)) return {};  // excluded (§7)
  return trace;
}

}  // namespace nbapc::processors
