#include "processors/tdza.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"

namespace nbapc::processors {
namespace {

// Division of two exact integers converted to double; NULL when the divisor
// is 0 (tdza.md §12, README §8.5).
std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// (pct - league) * 100: subtract first, then multiply (tdza.md §12).
std::optional<double> VsLeague(const std::optional<double>& pct, double league) {
  if (!pct) return std::nullopt;
  return (*pct - league) * 100.0;
}

bool PairPresent(const std::optional<int64_t>& makes, const std::optional<int64_t>& attempts) {
  return makes.has_value() && attempts.has_value();
}

std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t idx = 0; idx < items.size(); ++idx) {
    if (idx > 0) out += ',';
    out += '"';
    for (char c : items[idx]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += ']';
  return out;
}

// ---- explain trace (only called with a non-null Trace*) ----
// [[gnu::cold]] keeps this code out of the compute path's instruction stream.

[[gnu::cold]] void AddStep(Trace* trace, const char* section, std::string name, std::string formula, Value value,
                           bool column = false) {
  trace->push_back(TraceStep{fmt::format("tdza.md {}", section), std::move(name), std::move(formula),
                             std::move(value), column});
}

std::string OptText(const std::optional<double>& value) { return value ? FormatFloat(*value) : std::string("NULL"); }

// A ratio column: "num_name / den_name = num / den", or why it is NULL.
void AddRatioStep(Trace* trace, const char* section, const char* column, const char* num_name, const char* den_name,
                  int64_t num, int64_t den, const std::optional<double>& value) {
  std::string formula = value ? fmt::format("{} / {} = {} / {}", num_name, den_name, num, den)
                              : fmt::format("{} = 0 -> NULL", den_name);
  AddStep(trace, section, column, std::move(formula), OptionalValue(value), true);
}

void AddVsLeagueStep(Trace* trace, const char* column, const char* pct_name, const char* league_name,
                     const std::optional<double>& pct, double league, const std::optional<double>& value) {
  std::string formula = value ? fmt::format("({} - {}) × 100 = ({} - {}) × 100", pct_name, league_name,
                                            FormatFloat(*pct), FormatFloat(league))
                              : fmt::format("{} NULL -> NULL", pct_name);
  AddStep(trace, "§8", column, std::move(formula), OptionalValue(value), true);
}

// The steps of TdzaZoneDefense: window totals, then every column it computed
// (values taken from `row`, i.e. what the code computed).
[[gnu::cold]] void TraceZoneDefense(const TdzaTotals& w, const TdzaLeague& league, const TdzaRow& row, Trace* trace) {
  // tdza.md §8 sums (§11 NULL rules).
  AddStep(trace, "§8", "n", "games in W(T, D)", Value{w.games});
  AddStep(trace, "§8", "PM", "Σ opp_paint_makes (games with both paint fields non-NULL)", Value{w.paint_makes});
  AddStep(trace, "§8", "PA", "Σ opp_paint_attempts (same games)", Value{w.paint_attempts});
  AddStep(trace, "§8", "MM", "Σ opp_mid_range_makes (games with both mid-range fields non-NULL)",
          Value{w.mid_range_makes});
  AddStep(trace, "§8", "MA", "Σ opp_mid_range_attempts (same games)", Value{w.mid_range_attempts});
  AddStep(trace, "§8", "TM", "Σ opp_three_pt_makes (games with both three-point fields non-NULL)",
          Value{w.three_pt_makes});
  AddStep(trace, "§8", "TA", "Σ opp_three_pt_attempts (same games)", Value{w.three_pt_attempts});
  AddStep(trace, "§8", "Σ points_in_paint_allowed", "NULL adds 0", Value{w.paint_points});
  AddStep(trace, "§8", "Σ blocks_paint", "NULL adds 0", Value{w.blocks_paint});
  AddStep(trace, "§8", "Σ blocks_mid_range", "NULL adds 0", Value{w.blocks_mid_range});
  AddStep(trace, "§8", "Σ blocks_three_pt", "NULL adds 0", Value{w.blocks_three_pt});
  AddStep(trace, "§8", "Σ points_allowed", "NULL adds 0", Value{w.points_allowed});
  AddStep(trace, "§8", "Σ h_i", "Σ llround(defensive_rating × 100) over the non-NULL ratings",
          Value{w.rating_hundredths});
  AddStep(trace, "§8", "k (ratings)", "games with a non-NULL defensive_rating", Value{w.rating_count});
  AddStep(trace, "§8", "Σ t_i", "Σ llround(opponent_pace × 10) over the non-NULL paces", Value{w.pace_tenths});
  AddStep(trace, "§8", "k (paces)", "games with a non-NULL opponent_pace", Value{w.pace_count});

  // tdza.md §8 columns.
  AddRatioStep(trace, "§8", "paint_pct_allowed_last_15", "PM", "PA", w.paint_makes, w.paint_attempts,
               row.paint_pct_allowed_last_15);
  AddRatioStep(trace, "§8", "paint_attempts_allowed_per_game", "PA", "n", w.paint_attempts, w.games,
               row.paint_attempts_allowed_per_game);
  AddRatioStep(trace, "§8", "paint_points_allowed_per_game", "Σ points_in_paint_allowed", "n", w.paint_points,
               w.games, row.paint_points_allowed_per_game);
  AddRatioStep(trace, "§8", "paint_blocks_per_game", "Σ blocks_paint", "n", w.blocks_paint, w.games,
               row.paint_blocks_per_game);
  AddVsLeagueStep(trace, "paint_defense_vs_league_avg", "paint_pct", "L_paint", row.paint_pct_allowed_last_15,
                  league.paint_pct, row.paint_defense_vs_league_avg);
  AddRatioStep(trace, "§8", "mid_range_pct_allowed_last_15", "MM", "MA", w.mid_range_makes, w.mid_range_attempts,
               row.mid_range_pct_allowed_last_15);
  AddRatioStep(trace, "§8", "mid_range_attempts_allowed_per_game", "MA", "n", w.mid_range_attempts, w.games,
               row.mid_range_attempts_allowed_per_game);
  AddRatioStep(trace, "§8", "mid_range_blocks_per_game", "Σ blocks_mid_range", "n", w.blocks_mid_range, w.games,
               row.mid_range_blocks_per_game);
  AddVsLeagueStep(trace, "mid_range_defense_vs_league_avg", "mid_pct", "L_mid", row.mid_range_pct_allowed_last_15,
                  league.mid_range_pct, row.mid_range_defense_vs_league_avg);
  AddRatioStep(trace, "§8", "three_pt_pct_allowed_last_15", "TM", "TA", w.three_pt_makes, w.three_pt_attempts,
               row.three_pt_pct_allowed_last_15);
  AddRatioStep(trace, "§8", "three_pt_attempts_allowed_per_game", "TA", "n", w.three_pt_attempts, w.games,
               row.three_pt_attempts_allowed_per_game);
  AddRatioStep(trace, "§8", "three_pt_blocks_per_game", "Σ blocks_three_pt", "n", w.blocks_three_pt, w.games,
               row.three_pt_blocks_per_game);
  AddVsLeagueStep(trace, "three_pt_defense_vs_league_avg", "three_pct", "L_three", row.three_pt_pct_allowed_last_15,
                  league.three_pt_pct, row.three_pt_defense_vs_league_avg);
  AddStep(trace, "§8", "defensive_rating_last_15",
          row.defensive_rating_last_15
              ? fmt::format("Σ h_i / (100 × k) = {} / {}", w.rating_hundredths, 100 * w.rating_count)
              : std::string("k = 0 (no non-NULL rating) -> NULL"),
          OptionalValue(row.defensive_rating_last_15), true);
  AddRatioStep(trace, "§8", "opponent_points_per_game", "Σ points_allowed", "n", w.points_allowed, w.games,
               row.opponent_points_per_game);
  AddStep(trace, "§8", "opponent_pace",
          row.opponent_pace ? fmt::format("Σ t_i / (10 × k) = {} / {}", w.pace_tenths, 10 * w.pace_count)
                            : std::string("k = 0 (no non-NULL pace) -> NULL"),
          OptionalValue(row.opponent_pace), true);
  AddStep(trace, "§8", "games_in_sample", "n", Value{row.games_in_sample}, true);
  AddStep(trace, "§8", "calculation_notes",
          fmt::format("a note per zone with 0 attempts (PA = {}, MA = {}, TA = {}){}", w.paint_attempts,
                      w.mid_range_attempts, w.three_pt_attempts, row.calculation_notes ? "" : ": none -> NULL"),
          OptionalValue(row.calculation_notes), true);

  // tdza.md §9.
  const std::string candidates =
      fmt::format("paint {}, mid_range {}, perimeter {} (NULLs dropped, ties to the earlier)",
                  OptText(row.paint_defense_vs_league_avg), OptText(row.mid_range_defense_vs_league_avg),
                  OptText(row.three_pt_defense_vs_league_avg));
  AddStep(trace, "§9", "strongest_zone", "key of the minimum vs-league of " + candidates,
          OptionalValue(row.strongest_zone), true);
  AddStep(trace, "§9", "weakest_zone", "key of the maximum vs-league of " + candidates,
          OptionalValue(row.weakest_zone), true);

  // tdza.md §10.
  AddStep(trace, "§10", "data_quality_tier",
          fmt::format("n = {} (high >= {}, medium >= {}, else low)", w.games, kTdzaTierHighMinGames,
                      kTdzaTierMediumMinGames),
          Value{row.data_quality_tier}, true);
  AddStep(trace, "§10", "c", "games of W(T, D) whose six zone fields are all non-NULL", Value{w.complete_games});
  AddStep(trace, "§10", "completeness_percentage",
          w.games == 0 ? std::string("n = 0 -> 0.0")
                       : fmt::format("round_py(c / n × 100, 1) = round_py({} / {} × 100, 1)", w.complete_games,
                                     w.games),
          Value{row.completeness_percentage}, true);
  AddStep(trace, "§10", "is_production_ready",
          fmt::format("completeness_percentage >= {}: {} >= {}", FormatFloat(kTdzaProductionReadyMinPct),
                      FormatFloat(row.completeness_percentage), FormatFloat(kTdzaProductionReadyMinPct)),
          Value{row.is_production_ready}, true);
  AddStep(trace, "§10", "data_quality_issues",
          fmt::format("league_avg_defaults if the league used the defaults ({}); "
                      "zone_data_incomplete if c < n (c = {}, n = {})",
                      league.is_default ? "yes" : "no", w.complete_games, w.games),
          Value{JsonStringArray(row.data_quality_issues)}, true);
  AddStep(trace, "§10", "early_season_flag", "always NULL (D2)", OptionalValue(row.early_season_flag), true);
}

// tdza.md §7 step 1: the league window.
[[gnu::cold]] void TraceLeagueWindow(Date league_start, Date analysis_date, size_t teams, Trace* trace) {
  AddStep(trace, "§7", "league window",
          fmt::format("teams with games in [{}, {}) (all teams, any season)", league_start.ToString(),
                      analysis_date.ToString()),
          Value{static_cast<int64_t>(teams)});
}

// tdza.md §7 steps 2-4 for one team (its pcts unused when it has too few games).
[[gnu::cold]] void TraceLeagueTeam(const TdzaLeagueTeamTotals& team, bool enough_games, std::optional<double> paint,
                                   std::optional<double> mid, std::optional<double> three, Trace* trace) {
  if (!enough_games) {
    AddStep(trace, "§7", "league team " + team.team_abbr,
            fmt::format("{} games < {}", team.games, kTdzaLeagueMinGamesPerTeam), Value{std::string("dropped")});
    return;
  }
  const bool kept = paint && mid && three;
  AddStep(trace, "§7", "league team " + team.team_abbr,
          fmt::format("{} games; paint {} / {} = {}, mid-range {} / {} = {}, three-pt {} / {} = {}{}", team.games,
                      team.paint_makes, team.paint_attempts, OptText(paint), team.mid_range_makes,
                      team.mid_range_attempts, OptText(mid), team.three_pt_makes, team.three_pt_attempts,
                      OptText(three), kept ? "" : " (a NULL pct)"),
          Value{std::string(kept ? "kept" : "dropped")});
}

// tdza.md §7 steps 5-6.
[[gnu::cold]] void TraceLeagueMeans(const TdzaLeague& league, int teams_in_sample, double paint_sum, double mid_sum,
                                    double three_sum, Trace* trace) {
  AddStep(trace, "§7", "teams_in_sample",
          league.is_default
              ? fmt::format("{} teams kept < {} -> defaults, reported as 0", teams_in_sample, kTdzaLeagueMinTeams)
              : fmt::format("teams kept (>= {} games, three pcts non-NULL) = {} >= {}", kTdzaLeagueMinGamesPerTeam,
                            teams_in_sample, kTdzaLeagueMinTeams),
          Value{static_cast<int64_t>(league.teams_in_sample)});
  const auto mean_step = [&](const char* name, double sum, double value) {
    AddStep(trace, "§7", name,
            league.is_default ? std::string("default")
                              : fmt::format("Σ team pcts (ascending team_abbr) / teams_in_sample = {} / {}",
                                            FormatFloat(sum), teams_in_sample),
            Value{value});
  };
  mean_step("L_paint", paint_sum, league.paint_pct);
  mean_step("L_mid", mid_sum, league.mid_range_pct);
  mean_step("L_three", three_sum, league.three_pt_pct);
}

// Hash fields of tdza.md §14.
constexpr std::string_view kHashFields[] = {
    "team_abbr",
    "analysis_date",
    "paint_pct_allowed_last_15",
    "paint_attempts_allowed_per_game",
    "paint_points_allowed_per_game",
    "paint_blocks_per_game",
    "paint_defense_vs_league_avg",
    "mid_range_pct_allowed_last_15",
    "mid_range_attempts_allowed_per_game",
    "mid_range_blocks_per_game",
    "mid_range_defense_vs_league_avg",
    "three_pt_pct_allowed_last_15",
    "three_pt_attempts_allowed_per_game",
    "three_pt_blocks_per_game",
    "three_pt_defense_vs_league_avg",
    "defensive_rating_last_15",
    "opponent_points_per_game",
    "opponent_pace",
    "games_in_sample",
    "strongest_zone",
    "weakest_zone",
    "data_quality_tier",
    "calculation_notes",
};

// tdza.md §14: the canonical string of the hashed values, then data_hash.
[[gnu::cold]] void TraceDataHash(std::span<const HashValue> values, std::span<const uint8_t> order,
                                 const std::string& hash, Trace* trace) {
  std::string canonical;
  for (uint8_t field_idx : order) {
    if (!canonical.empty()) canonical += '|';
    canonical += kHashFields[field_idx];
    canonical += ':';
    AppendHashFieldText(canonical, values[field_idx]);
  }
  AddStep(trace, "§14", "canonical string", "the 23 hash fields as name:text, sorted by name, joined with |",
          Value{canonical});
  AddStep(trace, "§14", "data_hash", "first 16 hex digits of sha256(canonical string)", Value{hash}, true);
}

}  // namespace

TdzaTotals& TdzaTotals::operator+=(const TdzaTotals& other) {
  games += other.games;
  paint_makes += other.paint_makes;
  paint_attempts += other.paint_attempts;
  mid_range_makes += other.mid_range_makes;
  mid_range_attempts += other.mid_range_attempts;
  three_pt_makes += other.three_pt_makes;
  three_pt_attempts += other.three_pt_attempts;
  paint_points += other.paint_points;
  blocks_paint += other.blocks_paint;
  blocks_mid_range += other.blocks_mid_range;
  blocks_three_pt += other.blocks_three_pt;
  points_allowed += other.points_allowed;
  rating_hundredths += other.rating_hundredths;
  rating_count += other.rating_count;
  pace_tenths += other.pace_tenths;
  pace_count += other.pace_count;
  complete_games += other.complete_games;
  return *this;
}

TdzaTotals& TdzaTotals::operator-=(const TdzaTotals& other) {
  games -= other.games;
  paint_makes -= other.paint_makes;
  paint_attempts -= other.paint_attempts;
  mid_range_makes -= other.mid_range_makes;
  mid_range_attempts -= other.mid_range_attempts;
  three_pt_makes -= other.three_pt_makes;
  three_pt_attempts -= other.three_pt_attempts;
  paint_points -= other.paint_points;
  blocks_paint -= other.blocks_paint;
  blocks_mid_range -= other.blocks_mid_range;
  blocks_three_pt -= other.blocks_three_pt;
  points_allowed -= other.points_allowed;
  rating_hundredths -= other.rating_hundredths;
  rating_count -= other.rating_count;
  pace_tenths -= other.pace_tenths;
  pace_count -= other.pace_count;
  complete_games -= other.complete_games;
  return *this;
}

TdzaTotals operator-(TdzaTotals lhs, const TdzaTotals& rhs) {
  lhs -= rhs;
  return lhs;
}

TdzaTotals TdzaGameContribution(const TeamDefenseGame& game) {
  TdzaTotals t;
  t.games = 1;
  // tdza.md §11: a zone pair counts only when both sides are non-NULL.
  const bool paint = PairPresent(game.opp_paint_makes, game.opp_paint_attempts);
  const bool mid = PairPresent(game.opp_mid_range_makes, game.opp_mid_range_attempts);
  const bool three = PairPresent(game.opp_three_pt_makes, game.opp_three_pt_attempts);
  if (paint) {
    t.paint_makes = *game.opp_paint_makes;
    t.paint_attempts = *game.opp_paint_attempts;
  }
  if (mid) {
    t.mid_range_makes = *game.opp_mid_range_makes;
    t.mid_range_attempts = *game.opp_mid_range_attempts;
  }
  if (three) {
    t.three_pt_makes = *game.opp_three_pt_makes;
    t.three_pt_attempts = *game.opp_three_pt_attempts;
  }
  // tdza.md §10: c counts games whose six zone fields are all non-NULL.
  t.complete_games = (paint && mid && three) ? 1 : 0;
  // tdza.md §11: NULL adds 0; the divisor stays n.
  t.paint_points = game.points_in_paint_allowed.value_or(0);
  t.blocks_paint = game.blocks_paint.value_or(0);
  t.blocks_mid_range = game.blocks_mid_range.value_or(0);
  t.blocks_three_pt = game.blocks_three_pt.value_or(0);
  t.points_allowed = game.points_allowed.value_or(0);
  // tdza.md §8: rating and pace in exact hundredths / tenths.
  if (game.defensive_rating) {
    t.rating_hundredths = std::llround(*game.defensive_rating * 100.0);
    t.rating_count = 1;
  }
  if (game.opponent_pace) {
    t.pace_tenths = std::llround(*game.opponent_pace * 10.0);
    t.pace_count = 1;
  }
  return t;
}

TdzaTotals TdzaSumGames(std::span<const TeamDefenseGame> games) {
  TdzaTotals total;
  for (const TeamDefenseGame& game : games) total += TdzaGameContribution(game);
  return total;
}

TdzaLeague TdzaLeagueFromTeamTotals(std::span<const TdzaLeagueTeamTotals> teams, Trace* trace) {
  // Ascending team_abbr order (tdza.md §7 step 5), whatever the input order.
  std::vector<const TdzaLeagueTeamTotals*> ordered;
  ordered.reserve(teams.size());
  for (const TdzaLeagueTeamTotals& team : teams) ordered.push_back(&team);
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const TdzaLeagueTeamTotals* lhs, const TdzaLeagueTeamTotals* rhs) { return lhs->team_abbr < rhs->team_abbr; });
  double paint_sum = 0.0;
  double mid_sum = 0.0;
  double three_sum = 0.0;
  int teams_in_sample = 0;
  for (const TdzaLeagueTeamTotals* team : ordered) {
    if (team->games < kTdzaLeagueMinGamesPerTeam) {  // step 2
      if (trace != nullptr) TraceLeagueTeam(*team, false, std::nullopt, std::nullopt, std::nullopt, trace);
      continue;
    }
    std::optional<double> paint = Ratio(team->paint_makes, team->paint_attempts);  // step 3
    std::optional<double> mid = Ratio(team->mid_range_makes, team->mid_range_attempts);
    std::optional<double> three = Ratio(team->three_pt_makes, team->three_pt_attempts);
    const bool kept = paint && mid && three;
    if (trace != nullptr) TraceLeagueTeam(*team, true, paint, mid, three, trace);
    if (!kept) continue;  // step 4
    paint_sum += *paint;
    mid_sum += *mid;
    three_sum += *three;
    ++teams_in_sample;
  }
  TdzaLeague league;
  if (teams_in_sample >= kTdzaLeagueMinTeams) {  // step 5
    league.paint_pct = paint_sum / static_cast<double>(teams_in_sample);
    league.mid_range_pct = mid_sum / static_cast<double>(teams_in_sample);
    league.three_pt_pct = three_sum / static_cast<double>(teams_in_sample);
    league.teams_in_sample = teams_in_sample;
    league.is_default = false;
  }  // else step 6: the defaults of the default-constructed TdzaLeague
  if (trace != nullptr) TraceLeagueMeans(league, teams_in_sample, paint_sum, mid_sum, three_sum, trace);
  return league;
}

std::string TdzaLeagueLogLine(const TdzaLeague& league) {
  std::string sample = league.is_default ? std::string("defaults") : fmt::format("{} teams", league.teams_in_sample);
  return fmt::format("League averages: Paint {:.3f}, Mid-range {:.3f}, Three-pt {:.3f} ({})", league.paint_pct,
                     league.mid_range_pct, league.three_pt_pct, sample);
}

Date TdzaSeasonLowerBound(Date analysis_date) { return Date::FromYmd(SeasonYear(analysis_date), 10, 1).value(); }

TdzaWindowRange TdzaWindowRangeOf(std::span<const Date> ascending_dates, Date analysis_date) {
  // tdza.md §4 / §16: S(D) <= game_date < D, the last 15 of them.
  const Date season_start = TdzaSeasonLowerBound(analysis_date);
  const size_t end = static_cast<size_t>(
      std::lower_bound(ascending_dates.begin(), ascending_dates.end(), analysis_date) - ascending_dates.begin());
  const size_t season_begin = static_cast<size_t>(
      std::lower_bound(ascending_dates.begin(), ascending_dates.begin() + end, season_start) - ascending_dates.begin());
  const size_t window = static_cast<size_t>(kTdzaWindowGames);
  TdzaWindowRange range;
  range.end = end;
  range.begin = std::max(end >= window ? end - window : size_t{0}, season_begin);
  return range;
}

bool TdzaGameOrderLess(const TeamDefenseGame& lhs, const TeamDefenseGame& rhs) {
  if (lhs.game_date != rhs.game_date) return lhs.game_date < rhs.game_date;
  return lhs.game_id < rhs.game_id;
}

std::vector<TeamDefenseGame> TdzaWindow(std::span<const TeamDefenseGame> team_rows, Date analysis_date) {
  std::vector<TeamDefenseGame> sorted(team_rows.begin(), team_rows.end());
  std::sort(sorted.begin(), sorted.end(), TdzaGameOrderLess);
  std::vector<Date> dates;
  dates.reserve(sorted.size());
  for (const TeamDefenseGame& game : sorted) dates.push_back(game.game_date);
  const TdzaWindowRange range = TdzaWindowRangeOf(dates, analysis_date);
  std::vector<TeamDefenseGame> window;
  window.reserve(range.size());
  for (size_t idx = range.end; idx > range.begin; --idx) window.push_back(sorted[idx - 1]);
  return window;
}

TdzaZoneStrengths TdzaStrengths(std::optional<double> paint_vs_league, std::optional<double> mid_range_vs_league,
                                std::optional<double> three_pt_vs_league) {
  // tdza.md §9: candidates in order paint, mid_range, perimeter; strict
  // comparisons so that ties keep the earlier candidate.
  const std::pair<const char*, std::optional<double>> candidates[] = {
      {"paint", paint_vs_league}, {"mid_range", mid_range_vs_league}, {"perimeter", three_pt_vs_league}};
  TdzaZoneStrengths result;
  std::optional<double> min_value;
  std::optional<double> max_value;
  for (const auto& [key, value] : candidates) {
    if (!value) continue;
    if (!min_value || *value < *min_value) {
      min_value = value;
      result.strongest_zone = key;
    }
    if (!max_value || *value > *max_value) {
      max_value = value;
      result.weakest_zone = key;
    }
  }
  return result;
}

const char* TdzaQualityTier(int64_t games) {
  if (games >= kTdzaTierHighMinGames) return "high";
  if (games >= kTdzaTierMediumMinGames) return "medium";
  return "low";
}

TdzaRow TdzaZoneDefense(const TdzaTotals& w, const TdzaLeague& league, Trace* trace) {
  TdzaRow row;
  const int64_t n = w.games;
  // tdza.md §8.
  row.paint_pct_allowed_last_15 = Ratio(w.paint_makes, w.paint_attempts);
  row.paint_attempts_allowed_per_game = Ratio(w.paint_attempts, n);
  row.paint_points_allowed_per_game = Ratio(w.paint_points, n);
  row.paint_blocks_per_game = Ratio(w.blocks_paint, n);
  row.paint_defense_vs_league_avg = VsLeague(row.paint_pct_allowed_last_15, league.paint_pct);
  row.mid_range_pct_allowed_last_15 = Ratio(w.mid_range_makes, w.mid_range_attempts);
  row.mid_range_attempts_allowed_per_game = Ratio(w.mid_range_attempts, n);
  row.mid_range_blocks_per_game = Ratio(w.blocks_mid_range, n);
  row.mid_range_defense_vs_league_avg = VsLeague(row.mid_range_pct_allowed_last_15, league.mid_range_pct);
  row.three_pt_pct_allowed_last_15 = Ratio(w.three_pt_makes, w.three_pt_attempts);
  row.three_pt_attempts_allowed_per_game = Ratio(w.three_pt_attempts, n);
  row.three_pt_blocks_per_game = Ratio(w.blocks_three_pt, n);
  row.three_pt_defense_vs_league_avg = VsLeague(row.three_pt_pct_allowed_last_15, league.three_pt_pct);
  // Σ h_i / (100 · k) and Σ t_i / (10 · k): exact decimal means (§12).
  row.defensive_rating_last_15 = Ratio(w.rating_hundredths, 100 * w.rating_count);
  row.opponent_points_per_game = Ratio(w.points_allowed, n);
  row.opponent_pace = Ratio(w.pace_tenths, 10 * w.pace_count);
  row.games_in_sample = n;

  std::vector<std::string> notes;
  if (w.paint_attempts == 0) notes.emplace_back("No paint attempts");
  if (w.mid_range_attempts == 0) notes.emplace_back("No mid-range attempts");
  if (w.three_pt_attempts == 0) notes.emplace_back("No three-point attempts");
  if (!notes.empty()) {
    std::string joined;
    for (size_t idx = 0; idx < notes.size(); ++idx) {
      if (idx > 0) joined += "; ";
      joined += notes[idx];
    }
    row.calculation_notes = std::move(joined);
  }

  // tdza.md §9.
  TdzaZoneStrengths strengths = TdzaStrengths(row.paint_defense_vs_league_avg, row.mid_range_defense_vs_league_avg,
                                              row.three_pt_defense_vs_league_avg);
  row.strongest_zone = std::move(strengths.strongest_zone);
  row.weakest_zone = std::move(strengths.weakest_zone);

  // tdza.md §10.
  row.data_quality_tier = TdzaQualityTier(n);
  row.completeness_percentage =
      n == 0 ? 0.0 : RoundPy(static_cast<double>(w.complete_games) / static_cast<double>(n) * 100.0, 1);
  row.is_production_ready = row.completeness_percentage >= kTdzaProductionReadyMinPct;
  if (league.is_default) row.data_quality_issues.emplace_back("league_avg_defaults");
  if (w.complete_games < n) row.data_quality_issues.emplace_back("zone_data_incomplete");
  row.early_season_flag = std::nullopt;
  if (trace != nullptr) TraceZoneDefense(w, league, row, trace);
  return row;
}

NamedValues ToNamedValues(const TdzaRow& row) {
  NamedValues out;
  out.reserve(27);
  out.emplace_back("team_abbr", Value{row.team_abbr});
  out.emplace_back("analysis_date", Value{row.analysis_date.ToString()});
  out.emplace_back("paint_pct_allowed_last_15", OptionalValue(row.paint_pct_allowed_last_15));
  out.emplace_back("paint_attempts_allowed_per_game", OptionalValue(row.paint_attempts_allowed_per_game));
  out.emplace_back("paint_points_allowed_per_game", OptionalValue(row.paint_points_allowed_per_game));
  out.emplace_back("paint_blocks_per_game", OptionalValue(row.paint_blocks_per_game));
  out.emplace_back("paint_defense_vs_league_avg", OptionalValue(row.paint_defense_vs_league_avg));
  out.emplace_back("mid_range_pct_allowed_last_15", OptionalValue(row.mid_range_pct_allowed_last_15));
  out.emplace_back("mid_range_attempts_allowed_per_game", OptionalValue(row.mid_range_attempts_allowed_per_game));
  out.emplace_back("mid_range_blocks_per_game", OptionalValue(row.mid_range_blocks_per_game));
  out.emplace_back("mid_range_defense_vs_league_avg", OptionalValue(row.mid_range_defense_vs_league_avg));
  out.emplace_back("three_pt_pct_allowed_last_15", OptionalValue(row.three_pt_pct_allowed_last_15));
  out.emplace_back("three_pt_attempts_allowed_per_game", OptionalValue(row.three_pt_attempts_allowed_per_game));
  out.emplace_back("three_pt_blocks_per_game", OptionalValue(row.three_pt_blocks_per_game));
  out.emplace_back("three_pt_defense_vs_league_avg", OptionalValue(row.three_pt_defense_vs_league_avg));
  out.emplace_back("defensive_rating_last_15", OptionalValue(row.defensive_rating_last_15));
  out.emplace_back("opponent_points_per_game", OptionalValue(row.opponent_points_per_game));
  out.emplace_back("opponent_pace", OptionalValue(row.opponent_pace));
  out.emplace_back("games_in_sample", Value{row.games_in_sample});
  out.emplace_back("strongest_zone", OptionalValue(row.strongest_zone));
  out.emplace_back("weakest_zone", OptionalValue(row.weakest_zone));
  out.emplace_back("data_quality_tier", Value{row.data_quality_tier});
  out.emplace_back("calculation_notes", OptionalValue(row.calculation_notes));
  out.emplace_back("early_season_flag", OptionalValue(row.early_season_flag));
  out.emplace_back("completeness_percentage", Value{row.completeness_percentage});
  out.emplace_back("is_production_ready", Value{row.is_production_ready});
  out.emplace_back("data_quality_issues", Value{JsonStringArray(row.data_quality_issues)});
  out.emplace_back("data_hash", Value{row.data_hash});
  return out;
}

std::string TdzaDataHash(const TdzaRow& row, Trace* trace) {
  // tdza.md §14: the hash fields with the stored values, via the shared
  // algorithm (values in kHashFields order; the order of the canonical
  // string is the sorted name order, computed once).
  static const std::vector<uint8_t> kOrder = SortedFieldOrder(kHashFields);
  const DateText analysis_date_text(row.analysis_date);
  const HashValue values[] = {
      ToHashValue(row.team_abbr),
      ToHashValue(analysis_date_text.view()),
      ToHashValue(row.paint_pct_allowed_last_15),
      ToHashValue(row.paint_attempts_allowed_per_game),
      ToHashValue(row.paint_points_allowed_per_game),
      ToHashValue(row.paint_blocks_per_game),
      ToHashValue(row.paint_defense_vs_league_avg),
      ToHashValue(row.mid_range_pct_allowed_last_15),
      ToHashValue(row.mid_range_attempts_allowed_per_game),
      ToHashValue(row.mid_range_blocks_per_game),
      ToHashValue(row.mid_range_defense_vs_league_avg),
      ToHashValue(row.three_pt_pct_allowed_last_15),
      ToHashValue(row.three_pt_attempts_allowed_per_game),
      ToHashValue(row.three_pt_blocks_per_game),
      ToHashValue(row.three_pt_defense_vs_league_avg),
      ToHashValue(row.defensive_rating_last_15),
      ToHashValue(row.opponent_points_per_game),
      ToHashValue(row.opponent_pace),
      ToHashValue(row.games_in_sample),
      ToHashValue(row.strongest_zone),
      ToHashValue(row.weakest_zone),
      ToHashValue(row.data_quality_tier),
      ToHashValue(row.calculation_notes),
  };
  static_assert(std::size(values) == std::size(kHashFields));
  std::string hash = DataHashOrdered(kHashFields, values, kOrder);
  if (trace != nullptr) TraceDataHash(values, kOrder, hash, trace);
  return hash;
}

TdzaRow TdzaBuildRow(const std::string& team_abbr, Date analysis_date, const TdzaTotals& window,
                     const TdzaLeague& league, Trace* trace) {
  TdzaRow row = TdzaZoneDefense(window, league, trace);
  row.team_abbr = team_abbr;
  row.analysis_date = analysis_date;
  row.data_hash = TdzaDataHash(row, trace);
  return row;
}

TdzaProcessor::TdzaProcessor(std::span<const TeamDefenseGame> tdgs_rows, const SeasonCalendar* calendar)
    : calendar_(calendar) {
  // Group by team (std::map: ascending team_abbr), then sort each team's rows
  // by (game_date, game_id) so that the result never depends on input order.
  std::map<std::string, std::vector<const TeamDefenseGame*>> by_team;
  for (const TeamDefenseGame& game : tdgs_rows) {
    by_team[game.defending_team_abbr].push_back(&game);
    all_dates_.push_back(game.game_date);
  }
  std::sort(all_dates_.begin(), all_dates_.end());
  all_dates_.erase(std::unique(all_dates_.begin(), all_dates_.end()), all_dates_.end());

  teams_.reserve(by_team.size());
  for (auto& [team_abbr, games] : by_team) {
    std::sort(games.begin(), games.end(),
              [](const TeamDefenseGame* lhs, const TeamDefenseGame* rhs) { return TdzaGameOrderLess(*lhs, *rhs); });
    TeamIndex index;
    index.team_abbr = team_abbr;
    index.dates.reserve(games.size());
    index.prefix.reserve(games.size() + 1);
    index.prefix.emplace_back();
    for (const TeamDefenseGame* game : games) {
      index.dates.push_back(game->game_date);
      TdzaTotals next = index.prefix.back();
      next += TdzaGameContribution(*game);
      index.prefix.push_back(next);
    }
    teams_.push_back(std::move(index));
  }
}

std::vector<TdzaWindowRange> TdzaProcessor::WindowsOf(Date analysis_date) const {
  std::vector<TdzaWindowRange> windows;
  windows.reserve(teams_.size());
  for (const TeamIndex& team : teams_) windows.push_back(TdzaWindowRangeOf(team.dates, analysis_date));
  return windows;
}

bool TdzaProcessor::CheckDate(Date analysis_date, const std::vector<TdzaWindowRange>& windows,
                              TdzaDateResult* result) const {
  // tdza.md §6 check 2: the team windows tell whether D's season has any row before D.
  bool any_season_rows = false;
  for (const TdzaWindowRange& window : windows) {
    if (window.size() > 0) {
      any_season_rows = true;
      break;
    }
  }
  if (!any_season_rows) {
    result->outcome.status = DateStatus::kFailed;
    result->outcome.reason_code = "missing_input";
    result->outcome.reason =
        fmt::format("missing_input: team_defense_game_summary has no rows for season {} before {}",
                    SeasonYear(analysis_date), analysis_date.ToString());
    return false;
  }
  // tdza.md §6 check 3 (only with a schedule).
  if (calendar_ != nullptr && calendar_->has_schedule()) {
    std::optional<Date> latest = calendar_->LatestFinalGameDate(TdzaSeasonLowerBound(analysis_date), analysis_date);
    if (latest && !std::binary_search(all_dates_.begin(), all_dates_.end(), *latest)) {
      result->outcome.status = DateStatus::kFailed;
      result->outcome.reason_code = "stale_input";
      result->outcome.reason =
          fmt::format("stale_input: team_defense_game_summary has no rows for {} (final games in the schedule)",
                      latest->ToString());
      result->stale_date = latest;
      return false;
    }
  }
  return true;
}

TdzaLeague TdzaProcessor::LeagueOf(Date analysis_date, const std::vector<TdzaWindowRange>& windows,
                                   Trace* trace) const {
  // tdza.md §7: league window [D - 30, D), not limited to the season.
  const Date league_start = analysis_date - kTdzaLeagueLookbackDays;
  std::vector<TdzaLeagueTeamTotals> league_teams;
  league_teams.reserve(teams_.size());
  for (size_t team_idx = 0; team_idx < teams_.size(); ++team_idx) {
    const TeamIndex& team = teams_[team_idx];
    const size_t end = windows[team_idx].end;
    const size_t begin = static_cast<size_t>(
        std::lower_bound(team.dates.begin(), team.dates.begin() + end, league_start) - team.dates.begin());
    if (begin == end) continue;
    const TdzaTotals totals = team.prefix[end] - team.prefix[begin];
    TdzaLeagueTeamTotals entry;
    entry.team_abbr = team.team_abbr;
    entry.games = totals.games;
    entry.paint_makes = totals.paint_makes;
    entry.paint_attempts = totals.paint_attempts;
    entry.mid_range_makes = totals.mid_range_makes;
    entry.mid_range_attempts = totals.mid_range_attempts;
    entry.three_pt_makes = totals.three_pt_makes;
    entry.three_pt_attempts = totals.three_pt_attempts;
    league_teams.push_back(std::move(entry));
  }
  if (trace != nullptr) TraceLeagueWindow(league_start, analysis_date, league_teams.size(), trace);
  return TdzaLeagueFromTeamTotals(league_teams, trace);
}

TdzaDateResult TdzaProcessor::ComputeDate(Date analysis_date) const {
  TdzaDateResult result;
  const std::vector<TdzaWindowRange> windows = WindowsOf(analysis_date);
  if (!CheckDate(analysis_date, windows, &result)) return result;
  result.league = LeagueOf(analysis_date, windows, nullptr);

  // tdza.md §6 entities and §8-§10 rows, in ascending team_abbr. At most one
  // row per team: reserve once instead of growing the vector row by row.
  result.rows.reserve(teams_.size());
  for (size_t team_idx = 0; team_idx < teams_.size(); ++team_idx) {
    const TeamIndex& team = teams_[team_idx];
    const TdzaWindowRange& range = windows[team_idx];
    const size_t n = range.size();
    if (n == 0) continue;  // not an entity: no row in [S(D), D)
    if (n < static_cast<size_t>(kTdzaWindowGames)) {
      EntityExclusion exclusion;
      exclusion.entity_id = team.team_abbr;
      exclusion.failure_category = "INSUFFICIENT_DATA";
      exclusion.failure_reason = fmt::format("Only {} games, need {}", n, kTdzaWindowGames);
      exclusion.can_retry = false;
      result.exclusions.push_back(std::move(exclusion));
      continue;
    }
    result.rows.push_back(
        TdzaBuildRow(team.team_abbr, analysis_date, team.prefix[range.end] - team.prefix[range.begin], result.league));
  }

  result.stats.teams_processed = static_cast<int>(result.rows.size());
  result.stats.teams_insufficient = static_cast<int>(result.exclusions.size());
  result.stats.league_avg_teams_in_sample = result.league.teams_in_sample;
  result.stats.league_avg_is_default = result.league.is_default;
  return result;
}

Trace TdzaProcessor::TraceEntity(Date analysis_date, std::string_view team_abbr) const {
  // The steps of ComputeDate for one team: same window, date checks, league
  // and row code, each given the trace sink.
  Trace trace;
  auto it = std::lower_bound(teams_.begin(), teams_.end(), team_abbr,
                             [](const TeamIndex& team, std::string_view abbr) { return team.team_abbr < abbr; });
  if (it == teams_.end() || it->team_abbr != team_abbr) return trace;  // no TDGS row at all
  const size_t team_idx = static_cast<size_t>(it - teams_.begin());
  const std::vector<TdzaWindowRange> windows = WindowsOf(analysis_date);
  const TdzaWindowRange& range = windows[team_idx];
  if (range.size() < static_cast<size_t>(kTdzaWindowGames)) return trace;  // no entity or excluded (§6)
  TdzaDateResult date_result;
  if (!CheckDate(analysis_date, windows, &date_result)) return trace;

  // tdza.md §4: W(T, D), newest first, as game dates: TDGS is unique on
  // (team, game_date) (§3), so a date names one game, and the index keeps no
  // game_id (copying them would slow the construction the compute path pays
  // for; explain lists the input rows with their ids).
  const TeamIndex& team = *it;
  const Date season_start = TdzaSeasonLowerBound(analysis_date);
  const size_t season_first = static_cast<size_t>(
      std::lower_bound(team.dates.begin(), team.dates.begin() + range.end, season_start) - team.dates.begin());
  std::string games;
  for (size_t idx = range.end; idx > range.begin; --idx) {
    if (!games.empty()) games += ", ";
    games += team.dates[idx - 1].ToString();
  }
  AddStep(&trace, "§4", "W(T, D)",
          fmt::format("game dates of {} with {} <= game_date < {} ({} in the season), newest first, first {}",
                      team.team_abbr, season_start.ToString(), analysis_date.ToString(), range.end - season_first,
                      kTdzaWindowGames),
          Value{games});

  const TdzaLeague league = LeagueOf(analysis_date, windows, &trace);
  TdzaBuildRow(team.team_abbr, analysis_date, team.prefix[range.end] - team.prefix[range.begin], league, &trace);
  return trace;
}

}  // namespace nbapc::processors
