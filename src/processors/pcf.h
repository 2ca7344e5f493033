#pragma once
// player_composite_factors (PCF), processor 4 of the cascade (spec/pcf.md).
// Per player and game date D: four pre-game point adjustments (fatigue,
// shot-zone mismatch, pace, usage spike), four deferred factors at 0.0, their
// sum, completeness, warnings and four context JSON columns.
//
// Pure in-memory computation: the runner loads UPGC, PGS, TOGS, the schedule
// and the stored TDZA / PSZA rows for the range plus look-back (pcf.md §3,
// §14), builds one PcfProcessor, and calls ComputeDate for each date (from any
// number of threads). The processor never loads, writes or logs. Bootstrap
// dates (pcf.md §2, D7) are skipped by the runner: ComputeDate does not check
// them.
//
// The free functions below are the pieces the spec vectors (vectors/pcf.json)
// exercise; the class is built from the same pieces.
//
// Tracing (`nba-precompute explain`, issue 7): the functions taking a
// `Trace* trace` append the steps they compute, in computation order, when
// `trace` is not null; ComputeDate passes nullptr (no formatting, no
// allocation) and TraceEntity a sink, so both run the very same code.

#include <cstdint>
#include <map>
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

inline constexpr const char kPcfProcessorName[] = "player_composite_factors";
inline constexpr const char kPcfCalculationVersion[] = "v1_4factors";
inline constexpr const char kPcfTdzaTable[] = "nba_precompute.team_defense_zone_analysis";
inline constexpr const char kPcfPszaTable[] = "nba_precompute.player_shot_zone_analysis";
// §13.2: days_rest when no appearance in [D-30, D-1] ("30 or more").
inline constexpr int kPcfRestCapDays = 30;

// ---- Upstream inputs (pcf.md §3), the stored values of the warehouse ----

// One stored row of nba_precompute.team_defense_zone_analysis (the fields PCF
// reads; names equal the stored column names).
struct PcfTeamDefenseInput {
  std::string team_abbr;
  Date analysis_date;
  std::optional<double> paint_defense_vs_league_avg;
  std::optional<double> mid_range_defense_vs_league_avg;
  std::optional<double> three_pt_defense_vs_league_avg;
  std::optional<std::string> weakest_zone;
};

// One stored row of nba_precompute.player_shot_zone_analysis (the fields PCF reads).
struct PcfShotZoneInput {
  std::string player_lookup;
  Date analysis_date;
  std::optional<std::string> primary_scoring_zone;
  std::optional<double> paint_rate_last_10;
  std::optional<double> mid_range_rate_last_10;
  std::optional<double> three_pt_rate_last_10;
};

// ---- Player context (§5, §13) ----

enum class PcfContextSource { kUpcoming, kSynthetic };
// "upcoming" / "synthetic" (the stored context_source).
const char* PcfContextSourceName(PcfContextSource source);

// The context of one player for D, with the UPGC field names: a UPGC row
// (context_source 'upcoming') or the synthetic derivation of §13. NULL fields
// are std::nullopt. minutes_in_last_7_days is read as a float (§7.1).
struct PcfContext {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  std::string game_id;
  Date game_date;
  std::string team_abbr;
  std::optional<std::string> opponent_team_abbr;
  std::optional<int64_t> days_rest;
  std::optional<bool> back_to_back;
  std::optional<int64_t> games_in_last_7_days;
  std::optional<double> minutes_in_last_7_days;
  std::optional<double> avg_minutes_per_game_last_7;
  std::optional<int64_t> back_to_backs_last_14_days;
  std::optional<int64_t> player_age;
  std::optional<double> projected_usage_rate;
  std::optional<double> avg_usage_rate_last_7_games;
  std::optional<int64_t> star_teammates_out;
  std::optional<double> pace_differential;
};

// A UPGC row as a context (the fields of §3; the rest are not read).
PcfContext PcfContextFromUpcoming(const UpcomingPlayerContext& row);

// ---- Factors (§7), each tested by its vector function ----

// pcf.fatigue (§7.1): the inputs after their defaults, the score and its adjustment.
struct PcfFatigue {
  int64_t days_rest = 1;
  bool back_to_back_effective = false;  // b2b
  int64_t games_in_last_7_days = 3;
  double minutes_in_last_7_days = 200.0;
  double avg_minutes_per_game_last_7 = 30.0;
  int64_t back_to_backs_last_14_days = 0;
  int64_t player_age = 25;
  int64_t fatigue_score = 100;      // clamped to [0, 100]
  double fatigue_adjustment = 0.0;  // (score - 100) / 20.0
};
PcfFatigue PcfComputeFatigue(const PcfContext& context, Trace* trace = nullptr);

// pcf.fatigue_adjustment (§7.1): (fatigue_score - 100) / 20.0.
double PcfFatigueAdjustment(int64_t fatigue_score);

// A factor's unrounded value (used by the total, warnings and JSON) and its
// stored value round_py(raw, 1) (§7.7).
struct PcfFactorScore {
  double raw = 0.0;
  double stored = 0.0;
};

// pcf.shot_zone_mismatch (§7.2). nullptr = the row is missing.
PcfFactorScore PcfShotZoneMismatch(const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense,
                                   Trace* trace = nullptr);

// pcf.pace (§7.3).
PcfFactorScore PcfPace(std::optional<double> pace_differential, Trace* trace = nullptr);

// pcf.usage_spike (§7.4).
struct PcfUsageSpike {
  double usage_differential = 0.0;
  int64_t star_teammates_out = 0;  // int(star_teammates_out, 0)
  PcfFactorScore score;
};
PcfUsageSpike PcfComputeUsageSpike(std::optional<double> projected_usage_rate,
                                   std::optional<double> avg_usage_rate_last_7_games,
                                   std::optional<int64_t> star_teammates_out, Trace* trace = nullptr);

// pcf.total_composite_adjustment (§7.6): from the unrounded parts, left to right.
struct PcfTotal {
  double raw = 0.0;
  double stored = 0.0;  // round_py(raw, 2)
};
PcfTotal PcfTotalCompositeAdjustment(int64_t fatigue_score, double shot_zone_raw, double pace_raw, double usage_raw,
                                     Trace* trace = nullptr);

// pcf.data_completeness (§8).
struct PcfCompleteness {
  double data_completeness_pct = 0.0;
  std::optional<std::string> missing_data_fields;  // labels joined with ", ", NULL if none
};
PcfCompleteness PcfDataCompleteness(const PcfContext& context, bool player_shot_present, bool team_defense_present,
                                    Trace* trace = nullptr);

// pcf.warnings (§9), on the integer fatigue score and the unrounded shot and total.
struct PcfWarnings {
  bool has_warnings = false;
  std::optional<std::string> warning_details;  // messages joined with "; ", NULL if none
};
PcfWarnings PcfComputeWarnings(int64_t fatigue_score, double shot_zone_raw, double total_raw, Trace* trace = nullptr);

// ---- Output row (§10-§12) ----

// One output row: every column of pcf.md §11 except processed_at and
// engine_version (the runner adds those). Doubles hold the stored (rounded) values.
struct PcfRow {
  std::string player_lookup;
  Date game_date;
  Date analysis_date;
  std::optional<std::string> universal_player_id;
  std::string game_id;
  PcfContextSource context_source = PcfContextSource::kUpcoming;
  int64_t fatigue_score = 100;
  double shot_zone_mismatch_score = 0.0;
  double pace_score = 0.0;
  double usage_spike_score = 0.0;
  double referee_favorability_score = 0.0;  // deferred (§7.5)
  double look_ahead_pressure_score = 0.0;   // deferred
  double travel_impact_score = 0.0;         // deferred
  double opponent_strength_score = 0.0;     // deferred
  double total_composite_adjustment = 0.0;
  std::string fatigue_context_json;
  std::string shot_zone_context_json;
  std::string pace_context_json;
  std::string usage_context_json;
  std::string calculation_version = kPcfCalculationVersion;
  double data_completeness_pct = 0.0;
  std::optional<std::string> missing_data_fields;
  bool has_warnings = false;
  std::optional<std::string> warning_details;
  std::optional<bool> early_season_flag;                // always NULL (§11)
  std::optional<std::string> insufficient_data_reason;  // always NULL (§11)
  std::string data_hash;                                // §12
};

// pcf.compute_row (§7-§12): one row from a player's context and his shot /
// defence rows (nullptr = missing). game_date = analysis_date = D. With a
// trace: the steps of §7-§12 (every output column except the keys and the
// identity columns, which the processor traces with the context). `context`
// is taken by value: the processor moves its own copy in, and the identity
// texts move on into the row.
PcfRow PcfComputeRow(Date analysis_date, PcfContextSource context_source, PcfContext context,
                     const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense, Trace* trace = nullptr);

// data_hash of §12 (tdza.md §14 over the 22 listed fields).
std::string PcfDataHash(const PcfRow& row);

// (column, value) pairs in §11 order without processed_at and engine_version:
// dates as "YYYY-MM-DD", booleans as bool, fatigue_score as int64, NULLs as monostate.
NamedValues ToNamedValues(const PcfRow& row);

// The compact JSON text of §10 (separators ", " and ": ", doubles by
// format_float with zero as 0.0, strings escaped as Python json.dumps does
// with ensure_ascii). Exposed for tests.
std::string PcfJsonString(std::string_view text);

// ---- Synthetic context (§13) ----

// One player's PGS rows (every row, appearances or not, ascending game_date;
// PGS is unique per (player, game_date)) and his known UPGC ages. Built once
// by the processor for every player; the single-player vector functions build
// one from their rows.
class PcfPlayerHistory {
 public:
  struct Game {
    Date game_date;
    int season_year = 0;      // season_year(game_date)
    bool appearance = false;  // §13.2
    std::optional<double> minutes_played;
    std::optional<double> usage_rate;
    std::string team_abbr;
    // The row's universal_player_id: index into universal_player_ids() (a
    // player's rows share a few values; one copy each).
    uint32_t universal_player_id_index = 0;
  };
  struct Age {
    Date game_date;
    int64_t player_age = 0;
  };

  PcfPlayerHistory() = default;
  // `games`: rows of one player (any order). `ages`: UPGC rows of the same
  // player (any order; NULL ages are ignored).
  PcfPlayerHistory(std::string player_lookup, std::vector<const PlayerGame*> games,
                   std::vector<const UpcomingPlayerContext*> ages);

  const std::string& player_lookup() const { return player_lookup_; }
  const std::vector<Game>& games() const { return games_; }
  const std::vector<Age>& ages() const { return ages_; }
  // The distinct universal_player_id values of the games (Game::universal_player_id_index).
  const std::vector<std::optional<std::string>>& universal_player_ids() const { return universal_player_ids_; }
  const std::optional<std::string>& UniversalPlayerId(const Game& game) const {
    return universal_player_ids_[game.universal_player_id_index];
  }
  // Index of the first game with game_date >= D (the games before D are [0, k)).
  size_t EndBefore(Date date) const;

 private:
  friend class PcfPlayerIndex;  // builds histories in place
  // Index of `id` in universal_player_ids_, appended when new (the last
  // value is checked first: a player's rows mostly share one).
  uint32_t InternUniversalPlayerId(const std::optional<std::string>& id);

  std::string player_lookup_;
  std::vector<Game> games_;
  std::vector<Age> ages_;
  std::vector<std::optional<std::string>> universal_player_ids_;
};

// §13.2 for D from one player's history: every field except identity and
// pace_differential (left NULL/empty). projected_usage_rate and
// star_teammates_out are always NULL. With a trace: the window and each field's derivation.
PcfContext PcfSyntheticFromHistory(const PcfPlayerHistory& history, Date analysis_date, Trace* trace = nullptr);

// pcf.synthetic_history: builds a history from one player's PGS rows and UPGC
// age rows (any dates; only those before D are used) and derives §13.2.
PcfContext PcfSyntheticHistory(Date analysis_date, std::span<const PlayerGame> pgs_rows,
                               std::span<const UpcomingPlayerContext> upgc_rows);

// TOGS pace per team (§13.3): rows with non-NULL pace, ascending game_date.
class PcfPaceIndex {
 public:
  // The L10 values of every team and the league mean for one date.
  struct Snapshot {
    std::vector<std::pair<std::string, std::optional<double>>> team_l10;  // ascending team_abbr
    std::optional<double> league;                                         // league(D), unrounded
    double league_sum = 0.0;                                      // sum of the non-NULL L10, ascending team_abbr
    int64_t league_count = 0;                                     // number of teams with a non-NULL L10
    std::optional<double> L10(std::string_view team_abbr) const;  // NULL for an unknown team
    // round_py((L10(team) + L10(opponent)) / 2.0 - league, 1); NULL if any operand is NULL.
    std::optional<double> Differential(std::string_view team_abbr, std::string_view opponent_team_abbr) const;
  };

  PcfPaceIndex() = default;
  explicit PcfPaceIndex(std::span<const TeamOffenseGame> togs_rows);
  // L10 of every team and league(D), using rows with game_date < D of season_year(D).
  Snapshot SnapshotFor(Date analysis_date) const;
  // Appends the steps of L10(team_abbr) for D (the window's games and their
  // mean), computed by the same code as SnapshotFor.
  void TraceL10(std::string_view team_abbr, Date analysis_date, Trace* trace) const;

 private:
  struct Team {
    std::string team_abbr;
    std::vector<Date> dates;    // ascending
    std::vector<double> paces;  // parallel to dates
  };
  // L10 of one team for D (§13.3); NULL with fewer than 5 paced games.
  static std::optional<double> TeamL10(const Team& team, Date analysis_date, int season, Trace* trace);
  std::vector<Team> teams_;  // ascending team_abbr
};

// pcf.synthetic_pace (§13.3).
struct PcfSyntheticPace {
  std::optional<double> team_pace_l10;
  std::optional<double> opponent_pace_l10;
  std::optional<double> league_avg_pace;
  std::optional<double> pace_differential;
};
PcfSyntheticPace PcfComputeSyntheticPace(Date analysis_date, std::string_view team_abbr,
                                         std::string_view opponent_team_abbr,
                                         std::span<const TeamOffenseGame> togs_rows);

// ---- Player set (§5, §13.4) ----

// Identity of a PGS row on D (§3: PGS on D contributes identity only).
struct PcfPgsIdentity {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  std::string game_id;
  std::string team_abbr;
  std::string opponent_team_abbr;
};
PcfPgsIdentity PcfIdentityOf(const PlayerGame& row);

// One player of D's set. For 'upcoming', `context` is the UPGC row (with the
// §5 identity fills on historical dates); for 'synthetic', only the identity
// fields (player_lookup, universal_player_id, game_id, game_date, team_abbr,
// opponent_team_abbr) are set and §13.2 / §13.3 fill the rest.
struct PcfPlayerEntry {
  PcfContextSource context_source = PcfContextSource::kUpcoming;
  PcfContext context;
  // 'upcoming' on a historical date: the UPGC field was NULL and was filled
  // from the player's PGS row on D (§5). Read by the trace only.
  bool universal_player_id_from_pgs = false;
  bool opponent_from_pgs = false;
};

// Per-player PGS histories and per-(season, team) rosters (§13.2, §13.4).
class PcfPlayerIndex {
 public:
  PcfPlayerIndex() = default;
  // `pgs`: any PGS rows; `upgc`: UPGC rows (for the §13.2 player_age).
  PcfPlayerIndex(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc);
  // Same, and for each PGS row its (player, game) position: players()[player].games()[game].
  PcfPlayerIndex(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc,
                 std::vector<std::pair<uint32_t, uint32_t>>* pgs_positions);

  // Every player, ascending player_lookup.
  const std::vector<PcfPlayerHistory>& players() const { return players_; }

  // nullptr when the player has neither PGS nor UPGC rows.
  const PcfPlayerHistory* Find(std::string_view player_lookup) const;

  // §13.4 roster(T) for D: players whose latest PGS row with game_date < D and
  // season_year(game_date) = season_year(D) has team_abbr = T, ascending
  // player_lookup, each with that row's universal_player_id.
  struct RosterPlayer {
    std::string player_lookup;
    std::optional<std::string> universal_player_id;
  };
  std::vector<RosterPlayer> Roster(std::string_view team_abbr, Date analysis_date) const;

 private:
  std::vector<PcfPlayerHistory> players_;  // ascending player_lookup
  // (season_year, team_abbr) -> indices into players_ of everyone with a row
  // for that team in that season, ascending.
  std::map<std::pair<int, std::string>, std::vector<size_t>, std::less<>> rosters_;
};

// §5 historical: one entry per PGS row on D; the UPGC row of the player on D
// (if any) is his context, with NULL universal_player_id / opponent filled from
// the PGS row; else synthetic with the PGS identity. Ascending player_lookup.
std::vector<PcfPlayerEntry> PcfHistoricalPlayers(Date analysis_date, std::span<const PcfPgsIdentity> pgs_on_date,
                                                 std::span<const PcfContext> upgc_on_date);

// §5 upcoming + §13.4: every UPGC row on D ('upcoming'), plus for each
// non-postponed included schedule game on D and each of its teams without a
// UPGC row on D, the roster players not already in the set ('synthetic').
// `schedule_on_date` may hold any games of D (filtered here). Ascending player_lookup.
std::vector<PcfPlayerEntry> PcfUpcomingPlayers(Date analysis_date, std::span<const ScheduleGame> schedule_on_date,
                                               std::span<const PcfContext> upgc_on_date, const PcfPlayerIndex& players);

// `YYYYMMDD_AWAY_HOME` of a scheduled game (§13.4).
std::string PcfPhase3GameId(Date game_date, std::string_view away_team_abbr, std::string_view home_team_abbr);

// ---- The processor ----

// All inputs of one run (range plus look-back, pcf.md §14). Spans are read
// during construction only.
struct PcfInputs {
  std::span<const PlayerGame> pgs;
  std::span<const TeamOffenseGame> togs;
  std::span<const UpcomingPlayerContext> upgc;
  std::span<const ScheduleGame> schedule;
  std::span<const PcfTeamDefenseInput> tdza;  // stored TDZA rows of the range
  std::span<const PcfShotZoneInput> psza;     // stored PSZA rows of the range
  // Dates with a `success` outcome of TDZA / PSZA in run history (§4 gate:
  // early-season dates legitimately have 0 rows).
  std::span<const Date> tdza_success_dates;
  std::span<const Date> psza_success_dates;
};

struct PcfDateStats {
  int64_t players_processed = 0;
  int64_t players_upcoming_context = 0;
  int64_t players_synthetic_context = 0;
};

// The result of one date (§4). On failure `rows` is empty and nothing may be
// written for the date.
struct PcfDateResult {
  DateOutcome outcome;
  std::vector<PcfRow> rows;                 // ascending player_lookup
  std::vector<EntityExclusion> exclusions;  // always empty: PCF excludes nobody (README §4)
  PcfDateStats stats;
};

// The processor. Construction indexes every input once (per-player PGS
// histories and rosters, per-team TOGS pace, per-date UPGC / PGS identity /
// schedule / TDZA / PSZA). ComputeDate then reads only D's slices and the
// players' histories; it is safe to call concurrently from several threads.
// `calendar` must outlive the processor.
class PcfProcessor {
 public:
  PcfProcessor(const PcfInputs& inputs, const SeasonCalendar& calendar);

  // §4 steps 2-5 for D: the dependency gate, the historical PGS check, the
  // player set, then one row per player. Uses no statistic dated >= D.
  PcfDateResult ComputeDate(Date analysis_date) const;

  // The formula steps of `player_lookup`'s row for D, in computation order:
  // the date mode and player set, the context (UPGC fields, or how each
  // synthetic field was derived), the PSZA / TDZA rows used, then §7-§12 with
  // every output column except player_lookup, game_date and analysis_date as a
  // column step. Runs the same code as ComputeDate. Empty when the date fails
  // or the player gets no row. Thread-safe.
  Trace TraceEntity(Date analysis_date, std::string_view player_lookup) const;

  // The pipelined cascade (backfill runner): TDZA and PSZA rows of a date
  // arrive once their processor has written that date, while other dates
  // compute. Reserve the dates before the processor is shared between
  // threads; then each setter replaces D's rows (and records whether the
  // upstream succeeded on D) and may run while other threads compute other
  // dates (never D itself). Same result as the rows given in PcfInputs.
  void ReserveUpstreamDates(std::span<const Date> dates);
  void SetTeamDefenseRows(Date analysis_date, std::vector<PcfTeamDefenseInput> rows, bool success);
  void SetShotZoneRows(Date analysis_date, std::vector<PcfShotZoneInput> rows, bool success);

 private:
  struct DateSlice {
    std::vector<PcfContext> upgc;           // UPGC rows on D, ascending player_lookup
    std::vector<ScheduleGame> schedule;     // non-postponed included schedule games on D, ascending game_id
    std::vector<PcfShotZoneInput> psza;     // ascending player_lookup
    std::vector<PcfTeamDefenseInput> tdza;  // ascending team_abbr
    bool tdza_success = false;
    bool psza_success = false;
  };

  // §4 steps 2-4 for D: the gate, the historical PGS check and the player
  // set. On failure `outcome` is set and `entries` is empty.
  // One PGS row (§3: PGS on D contributes identity only): the player's
  // history game holds universal_player_id and team_abbr, `text_` game_id
  // and opponent_team_abbr.
  struct TextRef {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct PgsRef {
    Date game_date;
    uint32_t player = 0;  // index into players_.players()
    uint32_t game = 0;    // index into that player's games()
    TextRef game_id;
    TextRef opponent_team_abbr;
  };
  std::string_view PgsText(TextRef ref) const { return std::string_view(text_).substr(ref.offset, ref.size); }
  // The PGS rows on D as identities, ascending player_lookup.
  std::vector<PcfPgsIdentity> PgsOnDate(Date analysis_date) const;

  struct DatePlan {
    const DateSlice* slice = nullptr;
    bool historical = false;
    std::vector<PcfPlayerEntry> entries;  // ascending player_lookup
    DateOutcome outcome;
  };
  DatePlan PlanDate(Date analysis_date) const;
  // One player's row (§4 step 5): the context (synthetic when needed, with
  // `pace` = the date's §13.3 snapshot), the shot / defence rows, §7-§12.
  // `entry` by value: ComputeDate moves each entry in (its identity texts
  // then move into the row instead of being copied).
  PcfRow ComputePlayer(Date analysis_date, const DatePlan& plan, PcfPlayerEntry entry,
                       const PcfPaceIndex::Snapshot* pace, Trace* trace) const;

  const SeasonCalendar& calendar_;
  PcfPlayerIndex players_;
  PcfPaceIndex pace_;
  static void SortShotZoneRows(std::vector<PcfShotZoneInput>& rows);
  static void SortTeamDefenseRows(std::vector<PcfTeamDefenseInput>& rows);

  std::map<Date, DateSlice> dates_;
  // Every PGS row, ascending (game_date, player_lookup, game_id).
  std::vector<PgsRef> pgs_;
  std::string text_;  // the texts of pgs_ (TextRef)
};

}  // namespace nbapc::processors
