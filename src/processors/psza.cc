#include "processors/psza.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"
#include "core/value.h"

namespace nbapc::processors {

namespace {

// The first 25 columns of §11 are exactly the hash fields of §12.
constexpr size_t kHashFieldCount = 25;

Value OptText(const std::optional<std::string>& v) { return v ? Value{*v} : Value{}; }
Value OptDouble(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }
Value OptInt(const std::optional<int64_t>& v) { return v ? Value{*v} : Value{}; }
Value OptBool(const std::optional<bool>& v) { return v ? Value{*v} : Value{}; }

// Compact JSON array of strings (README §4.2 ARRAY).
std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (item_idx > 0) out += ',';
    out += '"';
    for (char ch : items[item_idx]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += ']';
  return out;
}

// Every column of §11 except processed_at / engine_version / data_hash, in order.
NamedValues ValuesWithoutHash(const PszaRow& row) {
  NamedValues out;
  out.reserve(30);
  out.emplace_back("player_lookup", Value{row.player_lookup});
  out.emplace_back("universal_player_id", OptText(row.universal_player_id));
  out.emplace_back("analysis_date", Value{row.analysis_date.ToString()});
  out.emplace_back("paint_rate_last_10", OptDouble(row.paint_rate_last_10));
  out.emplace_back("mid_range_rate_last_10", OptDouble(row.mid_range_rate_last_10));
  out.emplace_back("three_pt_rate_last_10", OptDouble(row.three_pt_rate_last_10));
  out.emplace_back("total_shots_last_10", OptInt(row.total_shots_last_10));
  out.emplace_back("games_in_sample_10", Value{row.games_in_sample_10});
  out.emplace_back("sample_quality_10", Value{row.sample_quality_10});
  out.emplace_back("paint_pct_last_10", OptDouble(row.paint_pct_last_10));
  out.emplace_back("mid_range_pct_last_10", OptDouble(row.mid_range_pct_last_10));
  out.emplace_back("three_pt_pct_last_10", OptDouble(row.three_pt_pct_last_10));
  out.emplace_back("paint_attempts_per_game", OptDouble(row.paint_attempts_per_game));
  out.emplace_back("mid_range_attempts_per_game", OptDouble(row.mid_range_attempts_per_game));
  out.emplace_back("three_pt_attempts_per_game", OptDouble(row.three_pt_attempts_per_game));
  out.emplace_back("paint_rate_last_20", OptDouble(row.paint_rate_last_20));
  out.emplace_back("paint_pct_last_20", OptDouble(row.paint_pct_last_20));
  out.emplace_back("games_in_sample_20", Value{row.games_in_sample_20});
  out.emplace_back("sample_quality_20", Value{row.sample_quality_20});
  out.emplace_back("assisted_rate_last_10", OptDouble(row.assisted_rate_last_10));
  out.emplace_back("unassisted_rate_last_10", OptDouble(row.unassisted_rate_last_10));
  out.emplace_back("player_position", OptText(row.player_position));
  out.emplace_back("primary_scoring_zone", OptText(row.primary_scoring_zone));
  out.emplace_back("data_quality_tier", Value{row.data_quality_tier});
  out.emplace_back("calculation_notes", OptText(row.calculation_notes));
  out.emplace_back("early_season_flag", OptBool(row.early_season_flag));
  out.emplace_back("completeness_percentage", Value{row.completeness_percentage});
  out.emplace_back("is_production_ready", Value{row.is_production_ready});
  out.emplace_back("data_quality_issues", Value{JsonStringArray(row.data_quality_issues)});
  return out;
}

// §12: the algorithm of tdza.md §14 over the hash fields: the first 25
// columns of §11 (the names and order of ValuesWithoutHash).
constexpr std::string_view kHashFieldNames[kHashFieldCount] = {
    "player_lookup",
    "universal_player_id",
    "analysis_date",
    "paint_rate_last_10",
    "mid_range_rate_last_10",
    "three_pt_rate_last_10",
    "total_shots_last_10",
    "games_in_sample_10",
    "sample_quality_10",
    "paint_pct_last_10",
    "mid_range_pct_last_10",
    "three_pt_pct_last_10",
    "paint_attempts_per_game",
    "mid_range_attempts_per_game",
    "three_pt_attempts_per_game",
    "paint_rate_last_20",
    "paint_pct_last_20",
    "games_in_sample_20",
    "sample_quality_20",
    "assisted_rate_last_10",
    "unassisted_rate_last_10",
    "player_position",
    "primary_scoring_zone",
    "data_quality_tier",
    "calculation_notes",
};

// ---- explain trace (only called with a non-null Trace*) ----
// [[gnu::cold]] keeps the explain code out of the compute path's instruction
// stream.

[[gnu::cold]] void AddStep(Trace* trace, const char* section, std::string name, std::string formula, Value value,
                           bool column = false) {
  trace->push_back(TraceStep{fmt::format("psza.md {}", section), std::move(name), std::move(formula),
                             std::move(value), column});
}

// §12: the canonical string of the hashed values, then data_hash.
[[gnu::cold]] void TraceDataHash(std::span<const HashValue> values, std::span<const uint8_t> order,
                                 const std::string& hash, Trace* trace) {
  std::string canonical;
  for (uint8_t field_idx : order) {
    if (!canonical.empty()) canonical += '|';
    canonical += kHashFieldNames[field_idx];
    canonical += ':';
    AppendHashFieldText(canonical, values[field_idx]);
  }
  AddStep(trace, "§12", "canonical string", "the 25 hash fields as name:text, sorted by name, joined with |",
          Value{canonical});
  AddStep(trace, "§12", "data_hash", "first 16 hex digits of sha256(canonical string)", Value{hash}, true);
}

std::string RowDataHash(const PszaRow& row, Trace* trace = nullptr) {
  static const std::vector<uint8_t> kOrder = SortedFieldOrder(kHashFieldNames);
  const DateText date_text(row.analysis_date);
  const HashValue values[kHashFieldCount] = {
      ToHashValue(row.player_lookup),
      ToHashValue(row.universal_player_id),
      ToHashValue(date_text.view()),
      ToHashValue(row.paint_rate_last_10),
      ToHashValue(row.mid_range_rate_last_10),
      ToHashValue(row.three_pt_rate_last_10),
      ToHashValue(row.total_shots_last_10),
      ToHashValue(row.games_in_sample_10),
      ToHashValue(row.sample_quality_10),
      ToHashValue(row.paint_pct_last_10),
      ToHashValue(row.mid_range_pct_last_10),
      ToHashValue(row.three_pt_pct_last_10),
      ToHashValue(row.paint_attempts_per_game),
      ToHashValue(row.mid_range_attempts_per_game),
      ToHashValue(row.three_pt_attempts_per_game),
      ToHashValue(row.paint_rate_last_20),
      ToHashValue(row.paint_pct_last_20),
      ToHashValue(row.games_in_sample_20),
      ToHashValue(row.sample_quality_20),
      ToHashValue(row.assisted_rate_last_10),
      ToHashValue(row.unassisted_rate_last_10),
      ToHashValue(row.player_position),
      ToHashValue(row.primary_scoring_zone),
      ToHashValue(row.data_quality_tier),
      ToHashValue(row.calculation_notes),
  };
  std::string hash = DataHashOrdered(kHashFieldNames, values, kOrder);
  if (trace != nullptr) TraceDataHash(values, kOrder, hash, trace);
  return hash;
}

// §7 operation order: one double division of exact integers, then round
// (no "× 100" here).
double Ratio(int64_t num, int64_t den) { return static_cast<double>(num) / static_cast<double>(den); }
// Division, then × 100, then round.
double Percent(int64_t num, int64_t den) { return static_cast<double>(num) / static_cast<double>(den) * 100.0; }

// S(D) = October 1 of season_year(D) (§4, D7).
Date SeasonFloor(int season_year) { return Date::FromYmd(season_year, 10, 1).value(); }

// §6: the exclusion of a player without a full L10.
EntityExclusion InsufficientData(const PszaPlayerHistory& history, int64_t g10) {
  EntityExclusion exclusion;
  exclusion.entity_id = history.player_lookup();
  exclusion.failure_category = "INSUFFICIENT_DATA";
  exclusion.failure_reason = "Only " + std::to_string(g10) + " games, need " + std::to_string(kPszaMinGames);
  exclusion.can_retry = false;
  return exclusion;
}

[[gnu::cold]] std::string DoubleText(const std::optional<double>& value) { return value ? FormatFloat(*value) : std::string("NULL"); }

// "2025-01-27 0022400650, 2025-01-25 ..." of games [begin, end), newest first.
[[gnu::cold]] std::string GameList(const PszaPlayerHistory& history, size_t begin, size_t end) {
  std::string out;
  for (size_t idx = end; idx > begin; --idx) {
    if (!out.empty()) out += ", ";
    const PszaPlayerHistory::Game& game = history.games()[idx - 1];
    out += game.game_date.ToString() + " " + std::string(game.game_id);
  }
  return out;
}

// "r<n>(expr) = r<n>(num / den [× 100] = exact)" for a rounded metric whose
// stored value is `value`, or why it is NULL. `exact` is the Ratio / Percent
// PszaComputeZoneMetrics rounded (the same helper on the same integers).
[[gnu::cold]] std::string RoundedText(int ndigits, const char* expr, int64_t num, int64_t den, bool percent,
                                      const std::optional<double>& value, std::string null_reason) {
  if (!value) return null_reason;
  const double exact = percent ? Percent(num, den) : Ratio(num, den);
  return fmt::format("r{}({}) = r{}({} / {}{} = {})", ndigits, expr, ndigits, num, den, percent ? " × 100" : "",
                     FormatFloat(exact));
}

// A rounded §7 column: its step with the operands and the value the row holds.
[[gnu::cold]] void AddRoundedStep(const char* column, int ndigits, const char* expr, int64_t num, int64_t den,
                                  bool percent, const std::optional<double>& value, const char* null_reason,
                                  Trace* trace) {
  AddStep(trace, "§7", column, RoundedText(ndigits, expr, num, den, percent, value, null_reason),
          OptionalValue(value), true);
}

// The window sums of §7 (prefix "L10 " / "L20 ").
[[gnu::cold]] void TraceSums(const char* label, const PszaZoneTotals& t, bool full, Trace* trace) {
  const std::string prefix = std::string(label) + " ";
  AddStep(trace, "§7", prefix + "PM", "Σ paint_makes (games with both paint fields non-NULL)", Value{t.paint_makes});
  AddStep(trace, "§7", prefix + "PA", "Σ paint_attempts (same games)", Value{t.paint_attempts});
  AddStep(trace, "§7", prefix + "MM", "Σ mid_range_makes (games with both mid-range fields non-NULL)",
          Value{t.mid_makes});
  AddStep(trace, "§7", prefix + "MA", "Σ mid_range_attempts (same games)", Value{t.mid_attempts});
  AddStep(trace, "§7", prefix + "TM", "Σ three_pt_makes (games with both three-point fields non-NULL)",
          Value{t.three_makes});
  AddStep(trace, "§7", prefix + "TA", "Σ three_pt_attempts (same games)", Value{t.three_attempts});
  AddStep(trace, "§7", prefix + "T",
          fmt::format("PA + MA + TA = {} + {} + {}", t.paint_attempts, t.mid_attempts, t.three_attempts),
          Value{t.paint_attempts + t.mid_attempts + t.three_attempts});
  if (!full) return;
  AddStep(trace, "§7", prefix + "F", "Σ fg_makes (NULL adds 0)", Value{t.fg_makes});
  AddStep(trace, "§7", prefix + "A", "Σ assisted_fg_makes (NULL adds 0)", Value{t.assisted});
  AddStep(trace, "§7", prefix + "U", "Σ unassisted_fg_makes (NULL adds 0)", Value{t.unassisted});
}

// The steps of FillRow for the row it computed. Step values are the row's
// cells; the window sums come from the Totals FillRow used (asked again here,
// so that FillRow keeps nothing for explain on the compute path).
[[gnu::cold]] void TraceRow(const PszaPlayerHistory& history, const PszaPlayerHistory::Windows& windows,
                            Date analysis_date, const PszaRow& row, Trace* trace) {
  const int64_t g10 = windows.g10();
  const int64_t g20 = windows.g20();
  const PszaZoneTotals l10 = history.Totals(windows.l10_begin, windows.end);
  // §4: the windows, newest first.
  const std::string source = fmt::format("{} qualifying games with {} <= game_date < {} ({} in the season)",
                                         history.player_lookup(), SeasonFloor(SeasonYear(analysis_date)).ToString(),
                                         analysis_date.ToString(), windows.end);
  AddStep(trace, "§4", "L10", source + ", by game_date, game_id DESC, first 10",
          Value{GameList(history, windows.l10_begin, windows.end)});
  AddStep(trace, "§4", "games_in_sample_10", "g10 = games in L10", Value{row.games_in_sample_10}, true);
  AddStep(trace, "§4", "L20", source + ", by game_date, game_id DESC, first 20",
          Value{GameList(history, windows.l20_begin, windows.end)});
  AddStep(trace, "§4", "games_in_sample_20", "g20 = games in L20", Value{row.games_in_sample_20}, true);
  const PszaPlayerHistory::Game& latest = history.games()[windows.end - 1];
  AddStep(trace, "§7", "universal_player_id",
          fmt::format("of the most recent L10 game ({} {}), no fallback", latest.game_date.ToString(), latest.game_id),
          OptionalValue(row.universal_player_id), true);

  // §7 L10.
  TraceSums("L10", l10, true, trace);
  const int64_t t10 = l10.paint_attempts + l10.mid_attempts + l10.three_attempts;
  const auto rounded = [trace](const char* column, int ndigits, const char* expr, int64_t num, int64_t den,
                               bool percent, const std::optional<double>& value, const char* null_reason) {
    AddRoundedStep(column, ndigits, expr, num, den, percent, value, null_reason, trace);
  };
  const int64_t pa = l10.paint_attempts;
  const int64_t ma = l10.mid_attempts;
  const int64_t ta = l10.three_attempts;
  rounded("paint_rate_last_10", 2, "PA / T × 100", pa, t10, true, row.paint_rate_last_10, "T = 0 -> NULL");
  rounded("mid_range_rate_last_10", 2, "MA / T × 100", ma, t10, true, row.mid_range_rate_last_10, "T = 0 -> NULL");
  rounded("three_pt_rate_last_10", 2, "TA / T × 100", ta, t10, true, row.three_pt_rate_last_10, "T = 0 -> NULL");
  AddStep(trace, "§7", "total_shots_last_10", row.total_shots_last_10 ? "T" : "T = 0 -> NULL",
          OptionalValue(row.total_shots_last_10), true);
  rounded("paint_pct_last_10", 3, "PM / PA", l10.paint_makes, pa, false, row.paint_pct_last_10, "PA = 0 -> NULL");
  rounded("mid_range_pct_last_10", 3, "MM / MA", l10.mid_makes, ma, false, row.mid_range_pct_last_10,
          "MA = 0 -> NULL");
  rounded("three_pt_pct_last_10", 3, "TM / TA", l10.three_makes, ta, false, row.three_pt_pct_last_10,
          "TA = 0 -> NULL");
  rounded("paint_attempts_per_game", 1, "PA / g10", pa, g10, false, row.paint_attempts_per_game, "g10 = 0 -> NULL");
  rounded("mid_range_attempts_per_game", 1, "MA / g10", ma, g10, false, row.mid_range_attempts_per_game,
          "g10 = 0 -> NULL");
  rounded("three_pt_attempts_per_game", 1, "TA / g10", ta, g10, false, row.three_pt_attempts_per_game,
          "g10 = 0 -> NULL");
  const char* assisted_null = t10 == 0 ? "T = 0 -> NULL" : "F = 0 -> NULL";
  rounded("assisted_rate_last_10", 2, "A / F × 100", l10.assisted, l10.fg_makes, true, row.assisted_rate_last_10,
          assisted_null);
  rounded("unassisted_rate_last_10", 2, "U / F × 100", l10.unassisted, l10.fg_makes, true,
          row.unassisted_rate_last_10, assisted_null);

  // §7 L20 (only the paint rate and pct, only when g20 >= 15).
  if (g20 >= kPszaL20MinGames) {
    const PszaZoneTotals l20 = history.Totals(windows.l20_begin, windows.end);
    TraceSums("L20", l20, false, trace);
    const int64_t t20 = l20.paint_attempts + l20.mid_attempts + l20.three_attempts;
    const std::string used = fmt::format("g20 = {} >= {}: ", g20, kPszaL20MinGames);
    AddStep(trace, "§7", "paint_rate_last_20",
            used + RoundedText(2, "PA / T × 100", l20.paint_attempts, t20, true, row.paint_rate_last_20,
                               "T = 0 -> NULL"),
            OptionalValue(row.paint_rate_last_20), true);
    AddStep(trace, "§7", "paint_pct_last_20",
            used + RoundedText(3, "PM / PA", l20.paint_makes, l20.paint_attempts, false, row.paint_pct_last_20,
                               "PA = 0 -> NULL"),
            OptionalValue(row.paint_pct_last_20), true);
  } else {
    const std::string why = fmt::format("g20 = {} < {} -> NULL", g20, kPszaL20MinGames);
    AddStep(trace, "§7", "paint_rate_last_20", why, OptionalValue(row.paint_rate_last_20), true);
    AddStep(trace, "§7", "paint_pct_last_20", why, OptionalValue(row.paint_pct_last_20), true);
  }

  // §9 labels and quality columns.
  const std::string paint = DoubleText(row.paint_rate_last_10);
  const std::string three = DoubleText(row.three_pt_rate_last_10);
  const std::string mid = DoubleText(row.mid_range_rate_last_10);
  std::string zone_formula;
  if (!row.primary_scoring_zone) {
    zone_formula = fmt::format("rates paint {}, mid {}, three {} all 0 (NULL = 0)", paint, mid, three);
  } else if (*row.primary_scoring_zone == "paint") {
    zone_formula = fmt::format("paint {} >= {}", paint, FormatFloat(kPszaPaintThreshold));
  } else if (*row.primary_scoring_zone == "perimeter") {
    zone_formula = fmt::format("paint {} < {}; three {} >= {}", paint, FormatFloat(kPszaPaintThreshold), three,
                               FormatFloat(kPszaThreeThreshold));
  } else {
    zone_formula = fmt::format("paint {} < {}; three {} < {}; mid {} {} {}", paint, FormatFloat(kPszaPaintThreshold),
                               three, FormatFloat(kPszaThreeThreshold), mid,
                               *row.primary_scoring_zone == "mid_range" ? ">=" : "<",
                               FormatFloat(kPszaMidRangeThreshold));
  }
  AddStep(trace, "§9", "primary_scoring_zone", zone_formula, OptionalValue(row.primary_scoring_zone), true);
  AddStep(trace, "§9", "data_quality_tier", fmt::format("g10 = {} (high >= 10, medium >= 7, else low)", g10),
          Value{row.data_quality_tier}, true);
  AddStep(trace, "§9", "sample_quality_10",
          fmt::format("sample_quality(g10 = {}, 10): excellent >= 10, good >= 7, limited >= 5", g10),
          Value{row.sample_quality_10}, true);
  AddStep(trace, "§9", "sample_quality_20",
          fmt::format("sample_quality(g20 = {}, 20): excellent >= 20, good >= 14, limited >= 10", g20),
          Value{row.sample_quality_20}, true);
  AddStep(trace, "§9", "c", "L10 games whose six zone fields are all non-NULL", Value{l10.complete_games});
  AddStep(trace, "§9", "completeness_percentage",
          fmt::format("round_py(c / g10 × 100, 1) = round_py({} / {} × 100, 1)", l10.complete_games, g10),
          Value{row.completeness_percentage}, true);
  AddStep(trace, "§9", "is_production_ready",
          fmt::format("completeness_percentage >= {}: {} >= {}", FormatFloat(kPszaProductionReadyMinPct),
                      FormatFloat(row.completeness_percentage), FormatFloat(kPszaProductionReadyMinPct)),
          Value{row.is_production_ready}, true);
  AddStep(trace, "§9", "data_quality_issues",
          fmt::format("zone_data_incomplete if c < g10 (c = {}, g10 = {})", l10.complete_games, g10),
          Value{JsonStringArray(row.data_quality_issues)}, true);
  AddStep(trace, "§9", "early_season_flag", "always NULL (D2)", OptionalValue(row.early_season_flag), true);
  AddStep(trace, "§9", "player_position", "always NULL (never computed)", OptionalValue(row.player_position), true);
  AddStep(trace, "§9", "calculation_notes", "always NULL (never computed)", OptionalValue(row.calculation_notes),
          true);
}

// Fills `row` (default-constructed) for a player with a full L10 (§7-§12).
// With a non-null `trace`, appends the row's steps (explain).
void FillRow(const PszaPlayerHistory& history, const PszaPlayerHistory::Windows& windows, Date analysis_date,
             PszaRow& row, Trace* trace = nullptr) {
  const int64_t g10 = windows.g10();
  const int64_t g20 = windows.g20();
  const PszaZoneTotals l10 = history.Totals(windows.l10_begin, windows.end);
  const PszaZoneMetrics m10 = PszaComputeZoneMetrics(l10);

  row.player_lookup = history.player_lookup();
  // §7 / §10: from the most recent L10 row, no fallback.
  row.universal_player_id = history.games()[windows.end - 1].universal_player_id;
  row.analysis_date = analysis_date;
  row.paint_rate_last_10 = m10.paint_rate;
  row.mid_range_rate_last_10 = m10.mid_range_rate;
  row.three_pt_rate_last_10 = m10.three_pt_rate;
  row.total_shots_last_10 = m10.total_shots;
  row.games_in_sample_10 = g10;
  row.sample_quality_10 = PszaSampleQuality(g10, kPszaMinGames);
  row.paint_pct_last_10 = m10.paint_pct;
  row.mid_range_pct_last_10 = m10.mid_range_pct;
  row.three_pt_pct_last_10 = m10.three_pt_pct;
  row.paint_attempts_per_game = m10.paint_attempts_pg;
  row.mid_range_attempts_per_game = m10.mid_range_attempts_pg;
  row.three_pt_attempts_per_game = m10.three_pt_attempts_pg;
  if (g20 >= kPszaL20MinGames) {
    const PszaZoneMetrics m20 = PszaComputeZoneMetrics(history.Totals(windows.l20_begin, windows.end));
    row.paint_rate_last_20 = m20.paint_rate;
    row.paint_pct_last_20 = m20.paint_pct;
  }
  row.games_in_sample_20 = g20;
  row.sample_quality_20 = PszaSampleQuality(g20, kPszaL20Size);
  row.assisted_rate_last_10 = m10.assisted_rate;
  row.unassisted_rate_last_10 = m10.unassisted_rate;
  row.primary_scoring_zone = PszaPrimaryZone(m10.paint_rate, m10.mid_range_rate, m10.three_pt_rate);
  row.data_quality_tier = PszaQualityTier(g10);
  // §9 quality columns.
  const PszaCompleteness completeness = PszaZoneCompleteness(l10.complete_games, g10);
  row.completeness_percentage = completeness.completeness_percentage;
  row.is_production_ready = completeness.is_production_ready;
  if (l10.complete_games < g10) row.data_quality_issues.push_back("zone_data_incomplete");
  if (trace != nullptr) TraceRow(history, windows, analysis_date, row, trace);
  row.data_hash = RowDataHash(row, trace);
}

PszaPlayerResult ComputeFromWindows(const PszaPlayerHistory& history, const PszaPlayerHistory::Windows& windows,
                                    Date analysis_date) {
  // §6: a row needs a full L10.
  if (windows.g10() < kPszaMinGames) return InsufficientData(history, windows.g10());
  PszaPlayerResult result{std::in_place_type<PszaRow>};
  FillRow(history, windows, analysis_date, std::get<PszaRow>(result));
  return result;
}

// Qualifying rows of `season_year` (by game_date) among `rows`, optionally of one player.
std::vector<const PlayerGame*> SeasonQualifyingRows(std::span<const PlayerGame> rows, int season_year,
                                                    const std::string_view* player_lookup) {
  std::vector<const PlayerGame*> out;
  for (const PlayerGame& row : rows) {
    if (player_lookup != nullptr && row.player_lookup != *player_lookup) continue;
    if (SeasonYear(row.game_date) != season_year || !PszaQualifies(row)) continue;
    out.push_back(&row);
  }
  return out;
}

}  // namespace

NamedValues ToNamedValues(const PszaRow& row) {
  NamedValues out = ValuesWithoutHash(row);
  out.emplace_back("data_hash", Value{row.data_hash});
  return out;
}

double PszaNumpyRound(double x, int ndigits) {
  // §8: r_n(x) = nearbyint(x × 10ⁿ) / 10ⁿ; 10ⁿ is an exact double for the
  // small n used here. Negative n mirrors numpy (divide, round, multiply).
  double scale = 1.0;
  for (int digit = 0; digit < (ndigits < 0 ? -ndigits : ndigits); ++digit) scale *= 10.0;
  if (ndigits >= 0) return std::nearbyint(x * scale) / scale;
  return std::nearbyint(x / scale) * scale;
}

bool PszaQualifies(const PlayerGame& row) {
  // §4 / §10: NULL operands are false.
  if (!row.is_active) return false;
  const bool has_minutes = row.minutes_played.has_value() && *row.minutes_played > 0.0;
  const bool has_fga = row.fg_attempts.has_value() && *row.fg_attempts > 0;
  return has_minutes || has_fga;
}

PszaZoneTotals& PszaZoneTotals::operator+=(const PszaZoneTotals& other) {
  games += other.games;
  paint_makes += other.paint_makes;
  paint_attempts += other.paint_attempts;
  mid_makes += other.mid_makes;
  mid_attempts += other.mid_attempts;
  three_makes += other.three_makes;
  three_attempts += other.three_attempts;
  fg_makes += other.fg_makes;
  assisted += other.assisted;
  unassisted += other.unassisted;
  complete_games += other.complete_games;
  return *this;
}

PszaZoneTotals PszaZoneTotals::operator-(const PszaZoneTotals& other) const {
  PszaZoneTotals out;
  out.games = games - other.games;
  out.paint_makes = paint_makes - other.paint_makes;
  out.paint_attempts = paint_attempts - other.paint_attempts;
  out.mid_makes = mid_makes - other.mid_makes;
  out.mid_attempts = mid_attempts - other.mid_attempts;
  out.three_makes = three_makes - other.three_makes;
  out.three_attempts = three_attempts - other.three_attempts;
  out.fg_makes = fg_makes - other.fg_makes;
  out.assisted = assisted - other.assisted;
  out.unassisted = unassisted - other.unassisted;
  out.complete_games = complete_games - other.complete_games;
  return out;
}

PszaZoneTotals PszaRowTotals(const PlayerGame& row) {
  PszaZoneTotals totals;
  totals.games = 1;
  // §10: a zone pair counts only when both sides are non-NULL.
  const bool paint = row.paint_makes.has_value() && row.paint_attempts.has_value();
  const bool mid = row.mid_range_makes.has_value() && row.mid_range_attempts.has_value();
  const bool three = row.three_pt_makes.has_value() && row.three_pt_attempts.has_value();
  if (paint) {
    totals.paint_makes = *row.paint_makes;
    totals.paint_attempts = *row.paint_attempts;
  }
  if (mid) {
    totals.mid_makes = *row.mid_range_makes;
    totals.mid_attempts = *row.mid_range_attempts;
  }
  if (three) {
    totals.three_makes = *row.three_pt_makes;
    totals.three_attempts = *row.three_pt_attempts;
  }
  // §10: NULL adds 0 (explicit exception to README §8.5).
  totals.fg_makes = row.fg_makes.value_or(0);
  totals.assisted = row.assisted_fg_makes.value_or(0);
  totals.unassisted = row.unassisted_fg_makes.value_or(0);
  // §9: all six zone fields non-NULL.
  totals.complete_games = (paint && mid && three) ? 1 : 0;
  return totals;
}

PszaZoneTotals PszaSumTotals(std::span<const PlayerGame> rows) {
  PszaZoneTotals totals;
  for (const PlayerGame& row : rows) totals += PszaRowTotals(row);
  return totals;
}

PszaZoneMetrics PszaComputeZoneMetrics(const PszaZoneTotals& t) {
  // §7 table.
  PszaZoneMetrics m;
  const int64_t total = t.paint_attempts + t.mid_attempts + t.three_attempts;  // T
  if (total > 0) {
    m.paint_rate = PszaNumpyRound(Percent(t.paint_attempts, total), 2);
    m.mid_range_rate = PszaNumpyRound(Percent(t.mid_attempts, total), 2);
    m.three_pt_rate = PszaNumpyRound(Percent(t.three_attempts, total), 2);
    m.total_shots = total;
    if (t.fg_makes > 0) {
      m.assisted_rate = PszaNumpyRound(Percent(t.assisted, t.fg_makes), 2);
      m.unassisted_rate = PszaNumpyRound(Percent(t.unassisted, t.fg_makes), 2);
    }
  }
  if (t.paint_attempts > 0) m.paint_pct = PszaNumpyRound(Ratio(t.paint_makes, t.paint_attempts), 3);
  if (t.mid_attempts > 0) m.mid_range_pct = PszaNumpyRound(Ratio(t.mid_makes, t.mid_attempts), 3);
  if (t.three_attempts > 0) m.three_pt_pct = PszaNumpyRound(Ratio(t.three_makes, t.three_attempts), 3);
  if (t.games > 0) {
    m.paint_attempts_pg = PszaNumpyRound(Ratio(t.paint_attempts, t.games), 1);
    m.mid_range_attempts_pg = PszaNumpyRound(Ratio(t.mid_attempts, t.games), 1);
    m.three_pt_attempts_pg = PszaNumpyRound(Ratio(t.three_attempts, t.games), 1);
  }
  return m;
}

PszaCompleteness PszaZoneCompleteness(int64_t complete_games, int64_t games) {
  // §9: round_py (D1), not numpy-style.
  PszaCompleteness out;
  out.complete_games = complete_games;
  out.completeness_percentage = games > 0 ? RoundPy(Percent(complete_games, games), 1) : 0.0;
  out.is_production_ready = out.completeness_percentage >= kPszaProductionReadyMinPct;
  return out;
}

std::optional<std::string> PszaPrimaryZone(std::optional<double> paint_rate, std::optional<double> mid_range_rate,
                                           std::optional<double> three_pt_rate) {
  // §9, checked in order; a NULL rate counts as 0.
  const double paint = paint_rate.value_or(0.0);
  const double mid = mid_range_rate.value_or(0.0);
  const double three = three_pt_rate.value_or(0.0);
  if (paint == 0.0 && mid == 0.0 && three == 0.0) return std::nullopt;
  if (paint >= kPszaPaintThreshold) return "paint";
  if (three >= kPszaThreeThreshold) return "perimeter";
  if (mid >= kPszaMidRangeThreshold) return "mid_range";
  return "balanced";
}

std::string PszaQualityTier(int64_t games) {
  if (games >= 10) return "high";
  if (games >= 7) return "medium";
  return "low";
}

std::string PszaSampleQuality(int64_t games, int64_t target) {
  // ⌊0.7 t⌋ and ⌊0.5 t⌋ in integers: 7/14 and 5/10 for t = 10/20.
  if (games >= target) return "excellent";
  if (games >= target * 7 / 10) return "good";
  if (games >= target / 2) return "limited";
  return "insufficient";
}

PszaPlayerHistory::PszaPlayerHistory(std::string player_lookup, std::span<const PlayerGame* const> rows)
    : player_lookup_(std::move(player_lookup)) {
  // §14: ascending (game_date, game_id) with integer prefix sums. Sorts views
  // of the rows (not copies), then copies each kept field once.
  std::vector<std::pair<const PlayerGame*, PszaZoneTotals>> sorted;
  sorted.reserve(rows.size());
  for (const PlayerGame* row : rows) sorted.emplace_back(row, PszaRowTotals(*row));
  const auto less = [](const std::pair<const PlayerGame*, PszaZoneTotals>& a,
                       const std::pair<const PlayerGame*, PszaZoneTotals>& b) {
    const PlayerGame& ra = *a.first;
    const PlayerGame& rb = *b.first;
    if (ra.game_date != rb.game_date) return ra.game_date < rb.game_date;
    if (ra.game_id != rb.game_id) return ra.game_id < rb.game_id;
    // (player, game_id) is unique in PGS; the last keys only keep the order of
    // impossible exact duplicates independent of load order (README §8.3).
    if (ra.universal_player_id != rb.universal_player_id) return ra.universal_player_id < rb.universal_player_id;
    // Identical keys: order by totals so the sort stays total (README §8.3).
    const auto key = [](const PszaZoneTotals& t) {
      return std::tuple(t.paint_makes, t.paint_attempts, t.mid_makes, t.mid_attempts, t.three_makes, t.three_attempts,
                        t.fg_makes, t.assisted, t.unassisted, t.complete_games);
    };
    return key(a.second) < key(b.second);
  };
  if (!std::is_sorted(sorted.begin(), sorted.end(), less)) std::sort(sorted.begin(), sorted.end(), less);
  // Text storage: every game_id, and universal_player_id when it differs
  // from the previous game's (a player keeps it for long runs).
  const auto same_id = [&sorted](size_t idx) {
    return idx > 0 && sorted[idx - 1].first->universal_player_id == sorted[idx].first->universal_player_id;
  };
  size_t text_size = 0;
  for (size_t idx = 0; idx < sorted.size(); ++idx) {
    const PlayerGame& row = *sorted[idx].first;
    text_size += row.game_id.size();
    if (row.universal_player_id && !same_id(idx)) text_size += row.universal_player_id->size();
  }
  text_.resize(text_size);
  size_t text_used = 0;
  const auto keep = [this, &text_used](const std::string& value) { return KeepText(text_, &text_used, value); };
  games_.reserve(sorted.size());
  prefix_.reserve(sorted.size() + 1);
  prefix_.emplace_back();
  for (size_t idx = 0; idx < sorted.size(); ++idx) {
    const PlayerGame& row = *sorted[idx].first;
    Game game{row.game_date, keep(row.game_id), std::nullopt};
    if (row.universal_player_id) {
      game.universal_player_id = same_id(idx) ? games_.back().universal_player_id : keep(*row.universal_player_id);
    }
    games_.push_back(game);
    PszaZoneTotals next = prefix_.back();
    next += sorted[idx].second;
    prefix_.push_back(next);
  }
}

PszaPlayerHistory::Windows PszaPlayerHistory::WindowsFor(Date analysis_date) const {
  // §14: j = first row with game_date >= D; L10 = [max(j - 10, s), j),
  // L20 = [max(j - 20, s), j), s = 0 (the history holds one season).
  auto it = std::lower_bound(games_.begin(), games_.end(), analysis_date,
                             [](const Game& game, Date date) { return game.game_date < date; });
  Windows w;
  w.end = static_cast<size_t>(it - games_.begin());
  w.l10_begin = w.end > static_cast<size_t>(kPszaMinGames) ? w.end - kPszaMinGames : 0;
  w.l20_begin = w.end > static_cast<size_t>(kPszaL20Size) ? w.end - kPszaL20Size : 0;
  return w;
}

PszaZoneTotals PszaPlayerHistory::Totals(size_t begin, size_t end) const { return prefix_[end] - prefix_[begin]; }

PszaWindowIds PszaWindows(Date analysis_date, std::span<const PlayerGame> rows) {
  const PszaPlayerHistory history("", SeasonQualifyingRows(rows, SeasonYear(analysis_date), nullptr));
  const PszaPlayerHistory::Windows w = history.WindowsFor(analysis_date);
  PszaWindowIds out;
  // Window order = most recent first (game_date DESC, game_id DESC).
  for (size_t idx = w.end; idx > w.l10_begin; --idx) {
    out.l10_game_ids.emplace_back(history.games()[idx - 1].game_id);
  }
  for (size_t idx = w.end; idx > w.l20_begin; --idx) {
    out.l20_game_ids.emplace_back(history.games()[idx - 1].game_id);
  }
  out.games_in_sample_10 = w.g10();
  out.games_in_sample_20 = w.g20();
  return out;
}

PszaPlayerResult PszaComputePlayerFromHistory(const PszaPlayerHistory& history, Date analysis_date) {
  return ComputeFromWindows(history, history.WindowsFor(analysis_date), analysis_date);
}

PszaPlayerResult PszaComputePlayer(Date analysis_date, std::string_view player_lookup,
                                   std::span<const PlayerGame> rows) {
  const PszaPlayerHistory history(std::string(player_lookup),
                                  SeasonQualifyingRows(rows, SeasonYear(analysis_date), &player_lookup));
  return PszaComputePlayerFromHistory(history, analysis_date);
}

PszaProcessor::PszaProcessor(std::span<const PlayerGame> pgs, const SeasonCalendar* calendar) : calendar_(calendar) {
  // Nothing built here depends on hash order or input order (README §8.3):
  // the hash map only numbers the distinct players (views of the input, used
  // during construction only); seasons are kept in ascending season_year,
  // each with its players in ascending player_lookup, and every history
  // sorts its rows.
  constexpr uint32_t kNotQualifying = UINT32_MAX;
  std::vector<int> season_years;                // distinct, first-seen order
  std::vector<std::vector<Date>> season_dates;  // per season: dates of every row (qualifying or not)
  std::vector<uint32_t> row_season(pgs.size());
  NameRanker players;  // the distinct qualifying players
  std::vector<uint32_t> row_slot(pgs.size(), kNotQualifying);
  uint32_t season = 0;
  Date season_begin;
  Date season_end;  // [season_begin, season_end): the dates of season_years[season]
  const PlayerGame* last_qualifying = nullptr;
  for (size_t row_idx = 0; row_idx < pgs.size(); ++row_idx) {
    const PlayerGame& row = pgs[row_idx];
    if (season_years.empty() || row.game_date < season_begin || row.game_date >= season_end) {
      const int season_year = SeasonYear(row.game_date);
      auto it = std::find(season_years.begin(), season_years.end(), season_year);
      season = static_cast<uint32_t>(it - season_years.begin());
      if (it == season_years.end()) {
        season_years.push_back(season_year);
        season_dates.emplace_back();
      }
      season_begin = SeasonFloor(season_year);
      season_end = SeasonFloor(season_year + 1);
    }
    row_season[row_idx] = season;
    std::vector<Date>& dates = season_dates[season];
    if (dates.empty() || dates.back() != row.game_date) dates.push_back(row.game_date);  // sorted, made distinct below
    // §14: drop non-qualifying rows on load (they still count for §6 rows 2-3).
    if (!PszaQualifies(row)) continue;
    if (last_qualifying != nullptr && last_qualifying->player_lookup == row.player_lookup) {
      row_slot[row_idx] = row_slot[static_cast<size_t>(last_qualifying - pgs.data())];
    } else {
      row_slot[row_idx] = players.Add(row.player_lookup);
    }
    last_qualifying = &row;
  }
  // Ranks: seasons by season_year, players by player_lookup.
  const size_t season_count = season_years.size();
  players.Finish();
  const size_t player_count = players.size();
  std::vector<uint32_t> seasons_by_year(season_count);
  for (uint32_t idx = 0; idx < season_count; ++idx) seasons_by_year[idx] = idx;
  std::sort(seasons_by_year.begin(), seasons_by_year.end(),
            [&season_years](uint32_t a, uint32_t b) { return season_years[a] < season_years[b]; });
  std::vector<uint32_t> season_rank(season_count);
  for (uint32_t idx = 0; idx < season_count; ++idx) season_rank[seasons_by_year[idx]] = idx;
  std::vector<uint32_t> player_rank(player_count);
  for (uint32_t slot = 0; slot < player_count; ++slot) player_rank[slot] = players.Rank(slot);
  // The qualifying rows grouped by (season rank, player rank) (counting sort:
  // each group keeps its input order, then the history sorts).
  const auto bucket_of = [&](size_t row_idx) {
    return static_cast<size_t>(season_rank[row_season[row_idx]]) * player_count + player_rank[row_slot[row_idx]];
  };
  std::vector<uint32_t> bucket_begin(season_count * player_count + 1, 0);
  for (size_t row_idx = 0; row_idx < pgs.size(); ++row_idx) {
    if (row_slot[row_idx] != kNotQualifying) ++bucket_begin[bucket_of(row_idx) + 1];
  }
  for (size_t bucket = 0; bucket + 1 < bucket_begin.size(); ++bucket) bucket_begin[bucket + 1] += bucket_begin[bucket];
  std::vector<const PlayerGame*> grouped(bucket_begin.back());
  {
    std::vector<uint32_t> cursor(bucket_begin.begin(), bucket_begin.end() - 1);
    for (size_t row_idx = 0; row_idx < pgs.size(); ++row_idx) {
      if (row_slot[row_idx] != kNotQualifying) grouped[cursor[bucket_of(row_idx)]++] = &pgs[row_idx];
    }
  }
  seasons_.reserve(season_count);
  for (size_t rank = 0; rank < season_count; ++rank) {
    const uint32_t season_idx = seasons_by_year[rank];
    SeasonIndex index;
    std::vector<Date>& dates = season_dates[season_idx];
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    index.pgs_dates = std::move(dates);
    size_t season_players = 0;
    for (size_t player = 0; player < player_count; ++player) {
      const size_t bucket = rank * player_count + player;
      if (bucket_begin[bucket + 1] > bucket_begin[bucket]) ++season_players;
    }
    index.players.reserve(season_players);
    for (size_t player = 0; player < player_count; ++player) {
      const size_t bucket = rank * player_count + player;
      if (bucket_begin[bucket + 1] == bucket_begin[bucket]) continue;
      index.players.emplace_back(std::string(players.Sorted()[player]),
                                 std::span<const PlayerGame* const>(grouped.data() + bucket_begin[bucket],
                                                                    bucket_begin[bucket + 1] - bucket_begin[bucket]));
    }
    seasons_.emplace_back(season_years[season_idx], std::move(index));
  }
}

const PszaProcessor::SeasonIndex* PszaProcessor::FindSeason(int season_year) const {
  auto it = std::lower_bound(seasons_.begin(), seasons_.end(), season_year,
                             [](const auto& entry, int year) { return entry.first < year; });
  if (it == seasons_.end() || it->first != season_year) return nullptr;
  return &it->second;
}

const PszaProcessor::SeasonIndex* PszaProcessor::CheckDate(Date analysis_date, PszaDateResult* result) const {
  const int season_year = SeasonYear(analysis_date);
  const SeasonIndex* season = FindSeason(season_year);

  // §6 row 2: any PGS row (qualifying or not) with S(D) <= game_date < D.
  // Every date of the season index is >= S(D) by construction.
  const bool has_rows = season != nullptr && !season->pgs_dates.empty() && season->pgs_dates.front() < analysis_date;
  if (!has_rows) {
    result->outcome.status = DateStatus::kFailed;
    result->outcome.reason_code = "missing_input";
    result->outcome.reason = "missing_input: player_game_summary has no rows for season " +
                             std::to_string(season_year) + " before " + analysis_date.ToString();
    return nullptr;
  }
  // §6 row 3: the latest final game date of [S(D), D) must have PGS rows.
  if (calendar_ != nullptr && calendar_->has_schedule()) {
    std::optional<Date> latest = calendar_->LatestFinalGameDate(SeasonFloor(season_year), analysis_date);
    if (latest && !std::binary_search(season->pgs_dates.begin(), season->pgs_dates.end(), *latest)) {
      result->outcome.status = DateStatus::kFailed;
      result->outcome.reason_code = "stale_input";
      result->outcome.reason =
          "stale_input: player_game_summary has no rows for " + latest->ToString() + " (final games in the schedule)";
      result->missing_date = latest;
      return nullptr;
    }
  }
  return season;
}

PszaDateResult PszaProcessor::ComputeDate(Date analysis_date) const {
  PszaDateResult result;
  const SeasonIndex* season = CheckDate(analysis_date, &result);
  if (season == nullptr) return result;
  // §6 row 4: players in ascending player_lookup; entities have >= 1
  // qualifying row in [S(D), D).
  // The windows first (to size the outputs), then each row built in place.
  std::vector<PszaPlayerHistory::Windows> windows(season->players.size());
  size_t row_count = 0;
  size_t exclusion_count = 0;
  for (size_t player_idx = 0; player_idx < season->players.size(); ++player_idx) {
    windows[player_idx] = season->players[player_idx].WindowsFor(analysis_date);
    if (windows[player_idx].end == 0) continue;
    if (windows[player_idx].g10() < kPszaMinGames) {
      ++exclusion_count;
    } else {
      ++row_count;
    }
  }
  result.rows.reserve(row_count);
  result.exclusions.reserve(exclusion_count);
  for (size_t player_idx = 0; player_idx < season->players.size(); ++player_idx) {
    const PszaPlayerHistory& history = season->players[player_idx];
    const PszaPlayerHistory::Windows& player_windows = windows[player_idx];
    if (player_windows.end == 0) continue;
    if (player_windows.g10() < kPszaMinGames) {
      result.exclusions.push_back(InsufficientData(history, player_windows.g10()));
    } else {
      FillRow(history, player_windows, analysis_date, result.rows.emplace_back());
    }
  }
  result.players_processed = static_cast<int64_t>(result.rows.size());
  result.players_insufficient = static_cast<int64_t>(result.exclusions.size());
  return result;
}

Trace PszaProcessor::TraceEntity(Date analysis_date, std::string_view player_lookup) const {
  // The steps of ComputeDate for one player: same date checks, windows and
  // row code, the row code given the trace sink.
  Trace trace;
  PszaDateResult date_result;
  const SeasonIndex* season = CheckDate(analysis_date, &date_result);
  if (season == nullptr) return trace;
  auto it = std::lower_bound(
      season->players.begin(), season->players.end(), player_lookup,
      [](const PszaPlayerHistory& history, std::string_view lookup) { return history.player_lookup() < lookup; });
  if (it == season->players.end() || it->player_lookup() != player_lookup) return trace;
  const PszaPlayerHistory::Windows windows = it->WindowsFor(analysis_date);
  if (windows.g10() < kPszaMinGames) return trace;  // no entity or excluded (§6)
  PszaRow row;
  FillRow(*it, windows, analysis_date, row, &trace);
  return trace;
}

PszaDateResult PszaComputeDate(Date analysis_date, std::span<const PlayerGame> rows, const SeasonCalendar* calendar) {
  return PszaProcessor(rows, calendar).ComputeDate(analysis_date);
}

}  // namespace nbapc::processors
