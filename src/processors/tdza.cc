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

TdzaLeague TdzaLeagueFromTeamTotals(std::span<const TdzaLeagueTeamTotals> teams) {
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
    if (team->games < kTdzaLeagueMinGamesPerTeam) continue;                        // step 2
    std::optional<double> paint = Ratio(team->paint_makes, team->paint_attempts);  // step 3
    std::optional<double> mid = Ratio(team->mid_range_makes, team->mid_range_attempts);
    std::optional<double> three = Ratio(team->three_pt_makes, team->three_pt_attempts);
    if (!paint || !mid || !three) continue;  // step 4
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

TdzaRow TdzaZoneDefense(const TdzaTotals& w, const TdzaLeague& league) {
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

std::string TdzaDataHash(const TdzaRow& row) {
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
  return DataHashOrdered(kHashFields, values, kOrder);
}

TdzaRow TdzaBuildRow(const std::string& team_abbr, Date analysis_date, const TdzaTotals& window,
                     const TdzaLeague& league) {
  TdzaRow row = TdzaZoneDefense(window, league);
  row.team_abbr = team_abbr;
  row.analysis_date = analysis_date;
  row.data_hash = TdzaDataHash(row);
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

TdzaDateResult TdzaProcessor::ComputeDate(Date analysis_date) const {
  TdzaDateResult result;
  const int season_year = SeasonYear(analysis_date);
  const Date season_start = TdzaSeasonLowerBound(analysis_date);

  // Team windows first: they also tell whether D's season has any row before D.
  std::vector<TdzaWindowRange> windows;
  windows.reserve(teams_.size());
  bool any_season_rows = false;
  for (const TeamIndex& team : teams_) {
    windows.push_back(TdzaWindowRangeOf(team.dates, analysis_date));
    if (windows.back().size() > 0) any_season_rows = true;
  }

  // tdza.md §6 check 2.
  if (!any_season_rows) {
    result.outcome.status = DateStatus::kFailed;
    result.outcome.reason_code = "missing_input";
    result.outcome.reason = fmt::format("missing_input: team_defense_game_summary has no rows for season {} before {}",
                                        season_year, analysis_date.ToString());
    return result;
  }
  // tdza.md §6 check 3 (only with a schedule).
  if (calendar_ != nullptr && calendar_->has_schedule()) {
    std::optional<Date> latest = calendar_->LatestFinalGameDate(season_start, analysis_date);
    if (latest && !std::binary_search(all_dates_.begin(), all_dates_.end(), *latest)) {
      result.outcome.status = DateStatus::kFailed;
      result.outcome.reason_code = "stale_input";
      result.outcome.reason =
          fmt::format("stale_input: team_defense_game_summary has no rows for {} (final games in the schedule)",
                      latest->ToString());
      result.stale_date = latest;
      return result;
    }
  }

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
  result.league = TdzaLeagueFromTeamTotals(league_teams);

  // tdza.md §6 entities and §8-§10 rows, in ascending team_abbr.
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

}  // namespace nbapc::processors
