#pragma once
// player_daily_cache (PDC), processor 3 of the cascade (spec/pdc.md). One row
// per player per date D with the slowly changing numbers every prediction
// needs: recent and season scoring, volatility, minutes/usage/efficiency, team
// pace and offensive rating, recent workload (pre-game context), shot-zone
// tendency (from PSZA rows of D) and assisted share.
//
// Headline property (pdc.md §1): every value of the row for D comes from
// games with game_date < D; PGS rows dated D only decide who gets a row and
// his identity (universal_player_id, team).
//
// Pure in-memory computation: the runner loads PGS, TOGS, UPGC, the schedule
// and the stored PSZA rows (PdcShotZoneInput) for the range plus look-back,
// builds one PdcProcessor and calls ComputeDate for each date (from any
// number of threads). The processor never loads, writes or logs.
//
// Not checked by ComputeDate (the runner's job): bootstrap dates (pdc.md §2)
// and the per-date PSZA gate (pdc.md §12 step 2, backfill.md §7 row 4: it
// needs run history). HasShotZoneRows() answers the "≥ 1 PSZA row for D" half
// of that gate from the loaded rows.
//
// The free functions below are the pieces the spec vectors (vectors/pdc.json)
// exercise; the class is built from the same pieces.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/phase3.h"
#include "processors/common.h"

namespace nbapc::processors {

// pdc.md header table and §7.
inline constexpr int kPdcMinGames = 5;            // fewer: no row (INSUFFICIENT_DATA)
inline constexpr int kPdcEarlySeasonGames = 10;   // fewer: early_season_flag TRUE
inline constexpr int kPdcSeasonWindowGames = 82;  // G holds at most 82 games
inline constexpr int kPdcL5Games = 5;
inline constexpr int kPdcL10Games = 10;
inline constexpr int kPdcTeamWindowGames = 10;   // T10
inline constexpr int kPdcAgeLookbackDays = 365;  // synthetic player_age (§6)
inline constexpr double kPdcProductionReadyMinPct = 70.0;
inline constexpr const char kPdcCacheVersion[] = "v1";
inline constexpr const char kPdcProcessorName[] = "player_daily_cache";

// The stored PSZA columns PDC reads (pdc.md §4), loaded by the runner from
// nba_precompute.player_shot_zone_analysis (field names = column names).
struct PdcShotZoneInput {
  std::string player_lookup;
  Date analysis_date;
  std::optional<std::string> primary_scoring_zone;
  std::optional<double> paint_rate_last_10;     // percent, as stored (e.g. 28.57)
  std::optional<double> three_pt_rate_last_10;  // percent, as stored
};

// One UPGC observation of a player's age (synthetic player_age, §6).
struct PdcAgeObservation {
  Date game_date;
  std::optional<int64_t> player_age;
};

// The 8 context fields of pdc.md §6 / §8 as read from UPGC or derived. Doubles
// so that a non-integral value of an integer column is representable; the row
// keeps the "context integer copy" (§5: truncation toward zero) of the
// integer fields and r4 of avg_minutes_per_game_last_7.
struct PdcContextFields {
  std::optional<double> games_in_last_7_days;
  std::optional<double> games_in_last_14_days;
  std::optional<double> minutes_in_last_7_days;
  std::optional<double> minutes_in_last_14_days;
  std::optional<double> back_to_backs_last_14_days;
  std::optional<double> avg_minutes_per_game_last_7;
  std::optional<double> fourth_quarter_minutes_last_7;
  std::optional<double> player_age;
};

// A player's context and identity for D (pdc.md §3).
struct PdcContext {
  bool synthetic = false;  // context_source 'synthetic' vs 'upcoming'
  std::optional<std::string> universal_player_id;
  std::string team_abbr;  // T
  PdcContextFields fields;
};

// UPGC row -> context (`upcoming`). The row is used as it is: NULL fields stay
// NULL. The universal_player_id fallback of §3 (historical D, NULL in UPGC ->
// PGS row on D) is applied by the caller.
PdcContext PdcContextFromUpgc(const UpcomingPlayerContext& row);

// pdc.synthetic_context (§6, = pcf.md §13.2 for the shared fields).
struct PdcSyntheticContext {
  int64_t games_in_last_7_days = 0;
  int64_t games_in_last_14_days = 0;
  std::optional<int64_t> minutes_in_last_7_days;
  std::optional<int64_t> minutes_in_last_14_days;
  int64_t back_to_backs_last_14_days = 0;
  std::optional<double> avg_minutes_per_game_last_7;
  std::optional<int64_t> fourth_quarter_minutes_last_7;  // always NULL
  std::optional<int64_t> player_age;
};
PdcContextFields PdcSyntheticFields(const PdcSyntheticContext& context);

// Appearance (§6): minutes > 0 or points > 0 or fg_attempts > 0, NULL as 0.
bool PdcIsAppearance(const PlayerGame& row);
// Qualifying game (§5): is_active and (minutes > 0 or points > 0), NULL false.
bool PdcQualifies(const PlayerGame& row);

// `pgs_rows`: the player's rows (any order, any dates: rows on/after D are
// ignored); `upgc_rows`: his UPGC age observations (any order).
PdcSyntheticContext PdcComputeSyntheticContext(Date cache_date, std::span<const PlayerGame> pgs_rows,
                                               std::span<const PdcAgeObservation> upgc_rows);

// pdc.quality_tier (§9): >= 95 gold, >= 75 silver, >= 50 bronze, >= 25 poor,
// else (or NULL) unusable.
const char* PdcQualityTier(std::optional<double> completeness_percentage);

// pdc.window_completeness (§9).
enum class PdcWindowKind { kGames, kDays };
struct PdcWindowCompleteness {
  int64_t expected_games = 0;
  int64_t actual_games = 0;
  std::optional<double> completeness_pct;  // round_py(100 * actual / expected, 1); NULL when expected = 0
};
// `team_game_dates` / `player_game_dates` in any order, duplicates allowed.
// kGames: E = the n newest team dates before D; kDays: team dates in [D-n, D-1].
PdcWindowCompleteness PdcComputeWindowCompleteness(Date cache_date, PdcWindowKind kind, int n,
                                                   std::span<const Date> team_game_dates,
                                                   std::span<const Date> player_game_dates);

// One output row: every column of pdc.md §11 except processed_at and
// engine_version. Doubles hold the stored (already rounded) values.
struct PdcRow {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  Date cache_date;
  std::optional<double> points_avg_last_5;
  std::optional<double> points_avg_last_10;
  std::optional<double> points_avg_season;
  std::optional<double> points_std_last_10;
  std::optional<double> minutes_avg_last_10;
  std::optional<double> usage_rate_last_10;
  std::optional<double> ts_pct_last_10;
  int64_t games_played_season = 0;
  std::optional<double> player_usage_rate_season;
  std::string team_abbr;
  std::optional<double> team_pace_last_10;
  std::optional<double> team_off_rating_last_10;
  std::optional<int64_t> games_in_last_7_days;
  std::optional<int64_t> games_in_last_14_days;
  std::optional<int64_t> minutes_in_last_7_days;
  std::optional<int64_t> minutes_in_last_14_days;
  std::optional<int64_t> back_to_backs_last_14_days;
  std::optional<double> avg_minutes_per_game_last_7;
  std::optional<int64_t> fourth_quarter_minutes_last_7;
  std::string context_source;  // "upcoming" / "synthetic"
  std::optional<std::string> primary_scoring_zone;
  std::optional<double> paint_rate_last_10;
  std::optional<double> three_pt_rate_last_10;
  bool shot_zone_data_available = false;
  std::optional<double> assisted_rate_last_10;
  std::optional<int64_t> player_age;
  bool early_season_flag = false;
  std::optional<std::string> insufficient_data_reason;
  std::optional<double> completeness_percentage;
  std::optional<double> l10_completeness_pct;
  std::optional<double> l7d_completeness_pct;
  std::optional<double> l14d_completeness_pct;
  bool is_production_ready = false;
  std::string quality_tier;
  std::string cache_version = kPdcCacheVersion;
  std::string data_hash;  // §10
};

// (column, value) pairs in §11 column order without processed_at and
// engine_version: date "YYYY-MM-DD", booleans bool, NULLs monostate.
NamedValues ToNamedValues(const PdcRow& row);

// One PGS row as PDC keeps it: the fields §3 and §5-§9 read (the others,
// e.g. the zone columns, are not copied). The text fields view the owning
// PdcPlayerHistory's character storage.
struct PdcGame {
  Date game_date;
  int season_year = 0;
  bool is_active = true;
  std::string_view game_id;
  std::optional<std::string_view> universal_player_id;
  std::string_view team_abbr;
  std::optional<double> minutes_played;
  std::optional<int64_t> points;
  std::optional<int64_t> fg_attempts;
  std::optional<int64_t> fg_makes;
  std::optional<int64_t> assisted_fg_makes;
  std::optional<double> usage_rate;
  std::optional<double> ts_pct;
};

// One player's PGS rows (all of them, qualifying or not, every season) sorted
// by (game_date, game_id), plus his UPGC age observations. Immutable; owns
// copies of what it keeps (movable, not copyable: the rows view its storage).
class PdcPlayerHistory {
 public:
  // `rows`: the player's rows, any order (copied; not referenced afterwards).
  PdcPlayerHistory(std::string player_lookup, std::span<const PlayerGame* const> rows,
                   std::vector<PdcAgeObservation> ages);
  PdcPlayerHistory(PdcPlayerHistory&&) noexcept = default;
  PdcPlayerHistory& operator=(PdcPlayerHistory&&) noexcept = default;
  PdcPlayerHistory(const PdcPlayerHistory&) = delete;
  PdcPlayerHistory& operator=(const PdcPlayerHistory&) = delete;

  const std::string& player_lookup() const { return player_lookup_; }
  const std::vector<PdcGame>& rows() const { return rows_; }
  // Distinct dates of all rows, ascending (completeness "any PGS row", §9).
  const std::vector<Date>& dates() const { return dates_; }
  // Non-NULL ages, ascending by game_date.
  const std::vector<PdcAgeObservation>& ages() const { return ages_; }

  // The row dated D, if any (identity only, §3).
  const PdcGame* RowOn(Date date) const;
  // Rows with game_date < D, ascending.
  std::span<const PdcGame> RowsBefore(Date date) const;
  // G (§5): qualifying rows with season_year = season_year(D) and
  // game_date < D, the newest 82, ascending (oldest first), as indices into
  // rows() (a view: this runs for every player of every date).
  std::span<const uint32_t> SeasonWindow(Date date) const;
  // The latest row with game_date < D and season_year(game_date) = season_year(D)
  // (roster fallback, pcf.md §13.4), if any.
  const PdcGame* LatestSeasonRowBefore(Date date) const;

 private:
  std::string player_lookup_;
  // The characters the rows' text fields view (one allocation per player; a
  // moved vector keeps its buffer, so the views survive a move).
  std::vector<char> text_;
  std::vector<PdcGame> rows_;
  std::vector<Date> dates_;
  std::vector<PdcAgeObservation> ages_;
  // Qualifying row indices per season_year (the PGS column), ascending.
  std::vector<std::pair<int, std::vector<uint32_t>>> qualifying_by_season_;
};

// One team's TOGS rows sorted by (game_date, game_id). Immutable.
class PdcTeamHistory {
 public:
  struct Game {
    Date game_date;
    std::string game_id;
    std::optional<double> pace;
    std::optional<double> offensive_rating;
  };
  // `rows` of one team, any order.
  PdcTeamHistory(std::string team_abbr, std::span<const TeamOffenseGame> rows);
  PdcTeamHistory(std::string team_abbr, std::span<const TeamOffenseGame* const> rows);

  const std::string& team_abbr() const { return team_abbr_; }
  const std::vector<Game>& games() const { return games_; }
  // Distinct game dates, ascending.
  const std::vector<Date>& dates() const { return dates_; }
  // T10 (§5): the 10 newest games with game_date < D, ascending.
  std::span<const Game> LastTenBefore(Date date) const;

 private:
  std::string team_abbr_;
  std::vector<Game> games_;
  std::vector<Date> dates_;
};

// The row or the exclusion of one player.
using PdcPlayerResult = std::variant<PdcRow, EntityExclusion>;

// The per-player step (§5, §7-§10): `team` is the history of context.team_abbr
// (nullptr when the team has no TOGS row), `psza` the player's PSZA row of D.
// `trace` (explain): when non-null, receives the steps of §5, §7-§10 in
// computation order (windows, sums, every formula column); nullptr on the
// compute path (no formatting, no allocation for tracing).
PdcPlayerResult PdcComputePlayer(Date cache_date, const PdcPlayerHistory& player, const PdcContext& context,
                                 const PdcTeamHistory* team, const PdcShotZoneInput* psza, Trace* trace = nullptr);

// pdc.compute_row: `context` = the UPGC-derived context (synthetic = false),
// or nullptr for synthetic context (§6) with identity from the PGS row on D
// (or, without one, the latest row of D's season before D). `pgs_rows`: the
// player's rows (any order); `team_games`: TOGS rows of any teams;
// `upgc_history`: the player's UPGC age observations.
PdcPlayerResult PdcComputeRow(Date cache_date, std::string_view player_lookup, const PdcContext* context,
                              std::span<const PlayerGame> pgs_rows, std::span<const TeamOffenseGame> team_games,
                              const PdcShotZoneInput* psza, std::span<const PdcAgeObservation> upgc_history);

// Per-date statistics for PRECOMPUTE_STATS (§12). All but `players` count
// written rows (resp. excluded entities).
struct PdcDateStats {
  int64_t players = 0;                     // size of the player set (§3)
  int64_t rows = 0;                        // rows written
  int64_t excluded_insufficient_data = 0;  // INSUFFICIENT_DATA exclusions
  int64_t synthetic_context = 0;           // rows with context_source 'synthetic'
  int64_t early_season = 0;                // rows with early_season_flag
  int64_t no_shot_zone = 0;                // rows without a PSZA row
  int64_t production_ready = 0;            // rows with is_production_ready
};

struct PdcDateResult {
  DateOutcome outcome;
  std::vector<PdcRow> rows;                 // ascending player_lookup
  std::vector<EntityExclusion> exclusions;  // ascending entity_id
  PdcDateStats stats;
};

// The processor. Built once from every input row of the range plus look-back
// (PGS and TOGS of every season touched, UPGC for D and the year before, the
// schedule, the stored PSZA rows of the range). Owns copies of what it needs;
// the spans are not referenced after construction; `calendar` must outlive
// the processor. Immutable after construction (but for SetShotZoneRows):
// ComputeDate is safe to call concurrently from several threads.
class PdcProcessor {
 public:
  PdcProcessor(std::span<const PlayerGame> pgs, std::span<const TeamOffenseGame> togs,
               std::span<const UpcomingPlayerContext> upgc, std::span<const PdcShotZoneInput> psza,
               std::span<const ScheduleGame> schedule, const SeasonCalendar& calendar);

  // §12 steps 3-5: failed (missing_input / no_players) or success with the
  // rows and excluded entities of D. Does not check bootstrap or the PSZA
  // gate (runner).
  PdcDateResult ComputeDate(Date cache_date) const;

  // True when at least one loaded PSZA row has analysis_date = D.
  bool HasShotZoneRows(Date cache_date) const;

  // The pipelined cascade (backfill runner): PSZA rows of a date arrive once
  // PSZA has written that date, while other dates compute. Reserve the dates
  // before the processor is shared between threads; then SetShotZoneRows(D)
  // replaces D's rows and may run while other threads compute other dates
  // (never D itself). Same result as rows given to the constructor.
  void ReserveShotZoneDates(std::span<const Date> dates);
  void SetShotZoneRows(Date cache_date, std::vector<PdcShotZoneInput> rows);

  // The formula steps of `player_lookup`'s row for D (`nba-precompute
  // explain`), in computation order: player set and identity (§3), synthetic
  // context (§6), windows G / L10 / L5 (§5), gate and flags (§7), sums and
  // every §8 column, completeness windows (§9), data_hash (§10). Runs the
  // very code of ComputeDate with a trace sink. Empty when the date fails or
  // the player gets no row (not in the player set, or excluded).
  Trace TraceEntity(Date cache_date, std::string_view player_lookup) const;

 private:
  // How a player of D's set gets his context and identity (§3).
  struct EntityPlan {
    // Views the processor's own data (players_ or upgc_by_date_).
    std::string_view player_lookup;
    const UpcomingPlayerContext* upgc = nullptr;  // the UPGC row of D ('upcoming'), or nullptr (synthetic)
    // Synthetic: the identity row (the PGS row on D, historical; the roster
    // row, upcoming). UPGC on a historical date: the PGS row on D (NULL
    // universal_player_id fallback). Else nullptr.
    const PdcGame* identity = nullptr;
  };
  // Ascending player_lookup, one plan per player. A sorted vector rather than
  // a map: no node and key allocation per player of every date.
  using EntityPlans = std::vector<EntityPlan>;

  // §12 steps 3-4 and the player set of §3; on failure sets `outcome` and
  // returns no plan.
  EntityPlans PlayerSet(Date cache_date, DateOutcome* outcome) const;
  // §3 context + §5-§10 for one player of the set (ComputeDate and TraceEntity).
  PdcPlayerResult ComputeEntity(Date cache_date, const EntityPlan& plan, Trace* trace) const;
  const PdcPlayerHistory* FindPlayer(std::string_view player_lookup) const;
  const PdcTeamHistory* FindTeam(std::string_view team_abbr) const;
  const PdcShotZoneInput* FindShotZone(Date cache_date, std::string_view player_lookup) const;
  static void SortShotZoneRows(std::vector<PdcShotZoneInput>& rows);

  const SeasonCalendar* calendar_;
  std::vector<PdcPlayerHistory> players_;  // ascending player_lookup
  std::vector<PdcTeamHistory> teams_;      // ascending team_abbr
  // Indices into players_ of the PGS rows dated D (ascending player_lookup):
  // for pgs_dates_[k] (ascending, distinct), pgs_date_players_[pgs_date_begin_[k],
  // pgs_date_begin_[k + 1]).
  std::vector<Date> pgs_dates_;
  std::vector<uint32_t> pgs_date_begin_;
  std::vector<uint32_t> pgs_date_players_;
  // UPGC rows of D, ascending (player_lookup, game_id).
  std::map<Date, std::vector<UpcomingPlayerContext>> upgc_by_date_;
  // PSZA rows of D, ascending player_lookup.
  std::map<Date, std::vector<PdcShotZoneInput>> psza_by_date_;
  // Non-postponed regular-season / play-in / playoff games of D, ascending game_id.
  std::map<Date, std::vector<ScheduleGame>> schedule_by_date_;
  // (season_year(game_date), team_abbr) -> indices into players_ of every
  // player with a PGS row for that team in that season (roster candidates).
  std::map<std::pair<int, std::string>, std::vector<uint32_t>> season_team_players_;
};

}  // namespace nbapc::processors
