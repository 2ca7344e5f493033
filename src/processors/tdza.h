#pragma once
// team_defense_zone_analysis (TDZA), cascade position 1 (spec/tdza.md).
//
// Pure in-memory computation: the runner loads every TDGS row of the range plus
// look-back once, builds one TdzaProcessor, and calls ComputeDate for each date
// (from any number of threads). The processor never loads, writes or logs.
//
// Bootstrap dates (tdza.md §6 check 1, README §5) are skipped by the runner
// before ComputeDate is called: ComputeDate does not check them and would
// compute a normal result for such a date.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/phase3.h"
#include "processors/common.h"

namespace nbapc::processors {

// Constants of tdza.md §5.
inline constexpr int kTdzaWindowGames = 15;
inline constexpr int kTdzaLeagueLookbackDays = 30;
inline constexpr int kTdzaLeagueMinGamesPerTeam = 10;
inline constexpr int kTdzaLeagueMinTeams = 10;
inline constexpr double kTdzaLeagueDefaultPaint = 0.580;
inline constexpr double kTdzaLeagueDefaultMidRange = 0.410;
inline constexpr double kTdzaLeagueDefaultThreePt = 0.355;
inline constexpr int kTdzaTierHighMinGames = 15;
inline constexpr int kTdzaTierMediumMinGames = 10;
inline constexpr double kTdzaProductionReadyMinPct = 70.0;

inline constexpr const char kTdzaProcessorName[] = "team_defense_zone_analysis";

// Integer sums over a set of TDGS rows of one team (tdza.md §8, §11, §16).
// Every field is an exact integer, so a window's totals are the difference of
// two prefix sums. Zone pairs count only when both sides are non-NULL; other
// nullable counts add 0 for NULL; rating / pace are kept in hundredths / tenths
// with their non-NULL counts.
struct TdzaTotals {
  int64_t games = 0;  // n
  int64_t paint_makes = 0;
  int64_t paint_attempts = 0;
  int64_t mid_range_makes = 0;
  int64_t mid_range_attempts = 0;
  int64_t three_pt_makes = 0;
  int64_t three_pt_attempts = 0;
  int64_t paint_points = 0;
  int64_t blocks_paint = 0;
  int64_t blocks_mid_range = 0;
  int64_t blocks_three_pt = 0;
  int64_t points_allowed = 0;
  int64_t rating_hundredths = 0;  // sum of llround(defensive_rating * 100)
  int64_t rating_count = 0;       // k of the rating mean
  int64_t pace_tenths = 0;        // sum of llround(opponent_pace * 10)
  int64_t pace_count = 0;         // k of the pace mean
  int64_t complete_games = 0;     // c: games whose six zone fields are non-NULL

  TdzaTotals& operator+=(const TdzaTotals& other);
  TdzaTotals& operator-=(const TdzaTotals& other);
  bool operator==(const TdzaTotals&) const = default;
};
TdzaTotals operator-(TdzaTotals lhs, const TdzaTotals& rhs);

// The contribution of one game (games = 1), per the NULL rules of tdza.md §11.
TdzaTotals TdzaGameContribution(const TeamDefenseGame& game);
// Sum of the contributions of `games` (any order: integer sums).
TdzaTotals TdzaSumGames(std::span<const TeamDefenseGame> games);

// League zone percentages of one date (tdza.md §7).
struct TdzaLeague {
  double paint_pct = kTdzaLeagueDefaultPaint;
  double mid_range_pct = kTdzaLeagueDefaultMidRange;
  double three_pt_pct = kTdzaLeagueDefaultThreePt;
  int teams_in_sample = 0;  // 0 when the defaults are used
  bool is_default = true;
};

// One team's totals over the league window [D - 30, D).
struct TdzaLeagueTeamTotals {
  std::string team_abbr;
  int64_t games = 0;
  int64_t paint_makes = 0;
  int64_t paint_attempts = 0;
  int64_t mid_range_makes = 0;
  int64_t mid_range_attempts = 0;
  int64_t three_pt_makes = 0;
  int64_t three_pt_attempts = 0;
};

// tdza.md §7 steps 2-6 (vector function `tdza.league_from_team_totals`): keep
// teams with >= 10 games and three non-NULL pcts; unweighted mean of the team
// pcts added in ascending team_abbr order (the input may be in any order), or
// the defaults when fewer than 10 teams qualify. With a non-null `trace`,
// appends one step per input team (kept or dropped, with its pcts), then
// teams_in_sample and the three league values (explain); nullptr costs
// nothing.
TdzaLeague TdzaLeagueFromTeamTotals(std::span<const TdzaLeagueTeamTotals> teams, Trace* trace = nullptr);

// "League averages: Paint 0.572, Mid-range 0.417, Three-pt 0.356 (11 teams)"
// or "... (defaults)" (tdza.md §7), for the runner's log.
std::string TdzaLeagueLogLine(const TdzaLeague& league);

// S(D) = October 1 of season_year(D) (tdza.md §4).
Date TdzaSeasonLowerBound(Date analysis_date);

// Half-open index range [begin, end) of W(T, D) within one team's game dates
// sorted ascending (by game_date, then game_id): end = first index with
// game_date >= D, begin = max(end - 15, first index with game_date >= S(D)).
// W(T, D) in window order (game_date DESC, game_id DESC) is end-1 down to begin.
struct TdzaWindowRange {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
};
TdzaWindowRange TdzaWindowRangeOf(std::span<const Date> ascending_dates, Date analysis_date);

// Strict weak order of a team's rows: (game_date, game_id) ascending.
bool TdzaGameOrderLess(const TeamDefenseGame& lhs, const TeamDefenseGame& rhs);

// W(T, D) of one team's rows (vector function `tdza.window`): copies of the
// window rows in window order (game_date DESC, game_id DESC), at most 15.
std::vector<TeamDefenseGame> TdzaWindow(std::span<const TeamDefenseGame> team_rows, Date analysis_date);

// tdza.md §9 (vector function `tdza.strengths`).
struct TdzaZoneStrengths {
  std::optional<std::string> strongest_zone;
  std::optional<std::string> weakest_zone;
};
TdzaZoneStrengths TdzaStrengths(std::optional<double> paint_vs_league, std::optional<double> mid_range_vs_league,
                                std::optional<double> three_pt_vs_league);

// tdza.md §10 (vector function `tdza.quality_tier`): "high" / "medium" / "low".
const char* TdzaQualityTier(int64_t games);

// One output row: every column of tdza.md §13 except processed_at and
// engine_version (the runner adds those). Metrics are unrounded doubles (D1).
struct TdzaRow {
  std::string team_abbr;
  Date analysis_date;
  std::optional<double> paint_pct_allowed_last_15;
  std::optional<double> paint_attempts_allowed_per_game;
  std::optional<double> paint_points_allowed_per_game;
  std::optional<double> paint_blocks_per_game;
  std::optional<double> paint_defense_vs_league_avg;
  std::optional<double> mid_range_pct_allowed_last_15;
  std::optional<double> mid_range_attempts_allowed_per_game;
  std::optional<double> mid_range_blocks_per_game;
  std::optional<double> mid_range_defense_vs_league_avg;
  std::optional<double> three_pt_pct_allowed_last_15;
  std::optional<double> three_pt_attempts_allowed_per_game;
  std::optional<double> three_pt_blocks_per_game;
  std::optional<double> three_pt_defense_vs_league_avg;
  std::optional<double> defensive_rating_last_15;
  std::optional<double> opponent_points_per_game;
  std::optional<double> opponent_pace;
  int64_t games_in_sample = 0;
  std::optional<std::string> strongest_zone;
  std::optional<std::string> weakest_zone;
  std::string data_quality_tier;
  std::optional<std::string> calculation_notes;
  std::optional<bool> early_season_flag;  // always NULL (tdza.md §10, D2)
  double completeness_percentage = 0.0;
  bool is_production_ready = false;
  std::vector<std::string> data_quality_issues;
  std::string data_hash;
};

// tdza.md §8-§10 (vector function `tdza.zone_defense`): the metric and quality
// columns from a window's totals and the date's league values. team_abbr,
// analysis_date and data_hash are left empty/default. With a non-null
// `trace`, appends the window totals and one `column` step per computed
// column, with the operands' values (explain).
TdzaRow TdzaZoneDefense(const TdzaTotals& window, const TdzaLeague& league, Trace* trace = nullptr);

// data_hash of tdza.md §14 over the row's hash fields. With a non-null
// `trace`, appends the canonical string and the data_hash column step.
std::string TdzaDataHash(const TdzaRow& row, Trace* trace = nullptr);

// A complete row: TdzaZoneDefense + key columns + data_hash (`trace` as there).
TdzaRow TdzaBuildRow(const std::string& team_abbr, Date analysis_date, const TdzaTotals& window,
                     const TdzaLeague& league, Trace* trace = nullptr);

// (column, value) pairs in tdza.md §13 order without processed_at and
// engine_version: dates as "YYYY-MM-DD", booleans as bool, games_in_sample as
// int64, data_quality_issues as compact JSON text (`["zone_data_incomplete"]`,
// `[]`), early_season_flag NULL.
NamedValues ToNamedValues(const TdzaRow& row);

struct TdzaDateStats {
  int teams_processed = 0;
  int teams_insufficient = 0;
  int league_avg_teams_in_sample = 0;
  bool league_avg_is_default = true;
};

// The result of one date (tdza.md §6). On failure `rows`, `exclusions` and
// `league` are empty/default and nothing may be written for the date.
struct TdzaDateResult {
  DateOutcome outcome;
  std::optional<Date> stale_date;  // d* of a stale_input failure
  TdzaLeague league;
  std::vector<TdzaRow> rows;                // ascending team_abbr
  std::vector<EntityExclusion> exclusions;  // ascending entity_id
  TdzaDateStats stats;
};

// The processor. Construction indexes the TDGS rows once: per team, sorted
// ascending by (game_date, game_id), with prefix sums of TdzaTotals (tdza.md
// §16). ComputeDate is then O(teams * log games) per date and is safe to call
// concurrently from several threads (it only reads the index). The rows and
// the calendar are not retained by reference except `calendar`, which must
// outlive the processor.
class TdzaProcessor {
 public:
  // `calendar` may be nullptr; a calendar without a schedule
  // (!has_schedule()) disables the stale-input check like nullptr does.
  explicit TdzaProcessor(std::span<const TeamDefenseGame> tdgs_rows, const SeasonCalendar* calendar = nullptr);

  // tdza.md §6-§10 for date D. Uses only rows with game_date < D.
  TdzaDateResult ComputeDate(Date analysis_date) const;

  // The formula steps of `team_abbr`'s row for D (explain), in computation
  // order: the window's games (§4), the league averages of D (§7), the window
  // totals and every column (§8-§10, §14). Runs the code ComputeDate runs, so
  // every `column` step equals the row's cell. Empty when the team gets no row
  // for D (date failed, fewer than 15 games, unknown team). Thread-safe.
  Trace TraceEntity(Date analysis_date, std::string_view team_abbr) const;

 private:
  struct TeamIndex {
    std::string team_abbr;
    std::vector<Date> dates;         // ascending
    std::vector<TdzaTotals> prefix;  // prefix[k] = totals of the first k games
  };
  // W(T, D) of every team, in teams_ order.
  std::vector<TdzaWindowRange> WindowsOf(Date analysis_date) const;
  // tdza.md §6 checks 2-3; false (and `result->outcome` set) when D fails.
  bool CheckDate(Date analysis_date, const std::vector<TdzaWindowRange>& windows, TdzaDateResult* result) const;
  // tdza.md §7 over the league window [D - 30, D).
  TdzaLeague LeagueOf(Date analysis_date, const std::vector<TdzaWindowRange>& windows, Trace* trace) const;
  std::vector<TeamIndex> teams_;  // ascending team_abbr
  std::vector<Date> all_dates_;   // distinct TDGS game dates, ascending
  const SeasonCalendar* calendar_ = nullptr;
};

}  // namespace nbapc::processors
