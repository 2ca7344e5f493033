#pragma once
// ML Feature Store v2 (MLFS), processor 5 of the cascade (spec/mlfs.md).
// One fixed, ordered vector of 25 features per player-game, each taken from a
// Phase 4 row when it holds the value, else from Phase 3 history, else a
// constant; every feature tagged with its source and the row scored for how
// much of it is real data.
//
// Pure in-memory computation: the runner loads PGS, TOGS, UPGC, the schedule
// and the stored PDC / PCF / PSZA / TDZA rows (the Mlfs*Input structs below,
// mlfs.md §4) for the range plus look-back, builds one MlfsProcessor and calls
// ComputeDate for each date. Bootstrap dates and the per-date gate on the four
// Phase 4 tables (mlfs.md §11 steps 1-2) are the runner's job: ComputeDate
// checks neither. The free functions below are the pieces the spec vectors
// (vectors/mlfs.json) exercise; the class is built from the same pieces.

#include <array>
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
#include "core/value.h"
#include "processors/common.h"

namespace nbapc::processors {

// mlfs.md header table and §6.
inline constexpr const char kMlfsProcessorName[] = "ml_feature_store";
inline constexpr const char kMlfsFeatureVersion[] = "v1_baseline_25";
inline constexpr int kMlfsFeatureCount = 25;
inline constexpr int kMlfsLastGamesMax = 10;       // P3 last-10 size
inline constexpr int kMlfsLastGamesDays = 60;      // P3 last-10 look-back bound (D - 60 <= game_date)
inline constexpr int kMlfsRestLookbackDays = 30;   // synthetic / opponent rest look-back and cap
inline constexpr int kMlfsCompletenessGames = 10;  // pdc.md §9 L10 window
inline constexpr double kMlfsProductionReadyMinPct = 70.0;

// ---- Upstream rows as stored (mlfs.md §4). Field names = stored column
// names; the date column selects the rows of D. Every value field is optional:
// a NULL Phase 4 value falls back like a missing row (mlfs.md §6). ----

// nba_precompute.player_daily_cache
struct MlfsPdcInput {
  std::string player_lookup;
  Date cache_date;
  std::optional<double> points_avg_last_5;
  std::optional<double> points_avg_last_10;
  std::optional<double> points_avg_season;
  std::optional<double> points_std_last_10;
  std::optional<int64_t> games_in_last_7_days;  // INTEGER
  std::optional<double> minutes_avg_last_10;
  std::optional<double> team_pace_last_10;
  std::optional<double> team_off_rating_last_10;
};

// nba_precompute.player_composite_factors
struct MlfsPcfInput {
  std::string player_lookup;
  Date game_date;
  std::optional<int64_t> fatigue_score;            // INTEGER NOT NULL
  std::optional<double> shot_zone_mismatch_score;  // NUMERIC(4,1) NOT NULL
  std::optional<double> pace_score;                // NUMERIC(3,1) NOT NULL
  std::optional<double> usage_spike_score;         // NUMERIC(3,1) NOT NULL
};

// nba_precompute.player_shot_zone_analysis (rates in percent, 0-100)
struct MlfsPszaInput {
  std::string player_lookup;
  Date analysis_date;
  std::optional<double> paint_rate_last_10;      // NUMERIC(5,2)
  std::optional<double> mid_range_rate_last_10;  // NUMERIC(5,2)
  std::optional<double> three_pt_rate_last_10;   // NUMERIC(5,2)
};

// nba_precompute.team_defense_zone_analysis
struct MlfsTdzaInput {
  std::string team_abbr;
  Date analysis_date;
  std::optional<double> defensive_rating_last_15;
  std::optional<double> opponent_pace;
};

// ---- Features (mlfs.md §6-§8) ----

// Source tags of mlfs.md §6.
enum class MlfsSource { kPhase4, kPhase3, kCalculated, kDefault };
// "phase4", "phase3", "calculated", "default".
const char* MlfsSourceName(MlfsSource source);
// Inverse of MlfsSourceName; nullopt for an unknown tag.
std::optional<MlfsSource> ParseMlfsSource(std::string_view name);

// The 25 feature names in index order (mlfs.md §6; the order is the contract).
const std::array<const char*, kMlfsFeatureCount>& MlfsFeatureNames();

// One feature: value (never NULL/NaN, zero as +0.0) and tag.
struct MlfsFeature {
  double value = 0.0;
  MlfsSource source = MlfsSource::kDefault;
  bool operator==(const MlfsFeature&) const = default;
};

// One P3 game of a player (a qualifying game, pdc.md §5).
struct MlfsRecentGame {
  Date game_date;
  std::optional<int64_t> points;
  std::optional<double> minutes_played;
  std::optional<int64_t> ft_makes;
};

// P3 season aggregates (mlfs.md §5); absent when the player has no qualifying
// game of season S before D.
struct MlfsSeasonStats {
  std::optional<double> points_avg_season;   // mean of non-NULL points
  std::optional<double> minutes_avg_season;  // mean of non-NULL minutes
  int64_t games_played_season = 0;
};

// F9 (vector `mlfs.rest_advantage`): clamp(days_rest - opponent_days_rest, -2, 2),
// default when either is NULL.
MlfsFeature MlfsRestAdvantage(std::optional<int64_t> days_rest, std::optional<int64_t> opponent_days_rest);

// F10 (vector `mlfs.injury_risk`): status map on lower(player_status); default
// without a context row.
MlfsFeature MlfsInjuryRisk(bool context_present, const std::optional<std::string>& player_status);

// F11 (vector `mlfs.recent_trend`): points of the P3 last-10, newest first
// (NULL as 0). Positive = scoring trending up (mlfs.md §14 deviation 2).
MlfsFeature MlfsRecentTrend(std::span<const std::optional<double>> last_10_points);

// F12 (vector `mlfs.minutes_change`): `pdc_minutes_avg_last_10` is NULL when
// there is no PDC row; `last_10_minutes` newest first.
MlfsFeature MlfsMinutesChange(std::optional<double> pdc_minutes_avg_last_10,
                              std::span<const std::optional<double>> last_10_minutes,
                              std::optional<double> minutes_avg_season);

// F21 (vector `mlfs.pct_free_throw`): over all P3 last-10 games.
MlfsFeature MlfsPctFreeThrow(std::span<const MlfsRecentGame> last_10_games);

// F24 (vector `mlfs.team_win_pct`): `games` team season games of which `wins`
// have win_flag TRUE.
MlfsFeature MlfsTeamWinPct(int64_t games, int64_t wins);

// Season phase by month of D (vector `mlfs.season_phase_by_month`): Oct-Nov
// "early", Dec-Feb "mid", Mar-Apr "late", May-Sep "playoffs".
std::string MlfsSeasonPhaseByMonth(Date game_date);

// Third `_`-token of a Phase 3 game_id equals team_abbr (vector
// `mlfs.is_home_from_game_id`); nullopt when game_id has no third token.
std::optional<bool> MlfsIsHomeFromGameId(std::string_view game_id, std::string_view team_abbr);

// mlfs.md §8 (vector `mlfs.quality_score`).
struct MlfsQuality {
  double feature_quality_score = 0.0;  // round_py(sum of weights / 25, 2)
  std::string quality_tier;            // gold / silver / bronze / poor / unusable
  std::string data_source;             // phase4 / phase4_partial / phase3 / mixed
};
MlfsQuality MlfsQualityScore(std::span<const MlfsSource> feature_sources);
// Tier of a score: >= 95 gold, >= 75 silver, >= 50 bronze, >= 25 poor, else unusable.
const char* MlfsQualityTier(double feature_quality_score);

// ---- Rest (mlfs.md §5; vector `mlfs.rest_days`) ----

// The two fields of a context (UPGC) row that rest reads.
struct MlfsRestContext {
  std::optional<int64_t> days_rest;
  std::optional<bool> back_to_back;
};

struct MlfsRest {
  std::optional<int64_t> days_rest;
  std::optional<int64_t> opponent_days_rest;
  std::optional<bool> back_to_back;
  bool operator==(const MlfsRest&) const = default;
};

// (D - last).days - 1 when last is in [D - 30, D - 1], else 30 (pcf.md §13.2).
int64_t MlfsDaysOff(Date game_date, std::optional<Date> last);

// mlfs.md §5 from dates: `last_appearance` = the player's latest appearance
// (pcf.md §13.2) before D, used only without context; `last_opponent_game` =
// the opponent's latest TOGS game_date before D; `opponent_known` FALSE gives
// a NULL opponent_days_rest.
MlfsRest MlfsRestFromDates(Date game_date, const std::optional<MlfsRestContext>& context,
                           std::optional<Date> last_appearance, bool opponent_known,
                           std::optional<Date> last_opponent_game);

// Appearance (pcf.md §13.2): minutes > 0 or points > 0 or fg_attempts > 0,
// NULL as 0. DNP rows are not appearances.
bool MlfsIsAppearance(const PlayerGame& row);

// mlfs.md §5 from rows: `player_rows` = one player's PGS rows (any dates);
// `opponent_team_dates` = the opponent's TOGS game dates (any), nullptr when
// the opponent is unknown.
MlfsRest MlfsRestDays(Date game_date, const std::optional<MlfsRestContext>& context,
                      std::span<const PlayerGame> player_rows, const std::vector<Date>* opponent_team_dates);

// ---- Phase 3 inputs (mlfs.md §5; vector `mlfs.phase3_inputs`) ----

// Qualifying game (pdc.md §5): is_active and (minutes_played > 0 or points >
// 0), a NULL operand being false.
bool MlfsQualifies(const PlayerGame& row);

// One qualifying game of a player's history with its stored season_year.
struct MlfsHistoryGame {
  MlfsRecentGame game;
  int season_year = 0;
};

struct MlfsPhase3 {
  std::vector<MlfsRecentGame> last_10_games;  // newest first, <= 10, D - 60 <= game_date < D
  std::optional<MlfsSeasonStats> season;
};

// From one player's qualifying games sorted ascending by (game_date, game_id).
// Means add non-NULL values oldest game first from 0.0 (pdc.md §5).
MlfsPhase3 MlfsPhase3FromHistory(Date game_date, std::span<const MlfsHistoryGame> ascending_games);

// From one player's PGS rows in any order (filters qualifying rows and sorts).
MlfsPhase3 MlfsPhase3Inputs(Date game_date, std::span<const PlayerGame> player_rows);

// ---- Assembly (mlfs.md §6-§8; vector `mlfs.assemble_features`) ----

// The two context fields the features read (besides rest).
struct MlfsContextFields {
  std::optional<std::string> player_status;
  std::optional<std::string> season_phase;
};

// Player facts of D (mlfs.md §3, §5).
struct MlfsPlayerFacts {
  std::optional<bool> is_home;
  std::optional<int64_t> days_rest;
  std::optional<int64_t> opponent_days_rest;
  std::optional<bool> back_to_back;
};

struct MlfsAssembleInputs {
  Date game_date;
  const MlfsPdcInput* pdc = nullptr;             // nullptr = no row
  const MlfsPcfInput* pcf = nullptr;             // nullptr = no row
  const MlfsPszaInput* psza = nullptr;           // nullptr = no row
  const MlfsTdzaInput* tdza_opponent = nullptr;  // nullptr = no row (or opponent NULL)
  std::optional<MlfsContextFields> context;      // nullopt = no context row
  MlfsPlayerFacts player;
  std::span<const MlfsRecentGame> last_10_games;  // newest first
  std::optional<MlfsSeasonStats> season;
  int64_t team_season_games = 0;  // TOGS rows of the team, season S, before D
  int64_t team_season_wins = 0;   // of which win_flag TRUE
};

struct MlfsAssembled {
  std::array<double, kMlfsFeatureCount> features{};
  std::array<MlfsSource, kMlfsFeatureCount> feature_sources{};
  MlfsQuality quality;
};

MlfsAssembled MlfsAssembleFeatures(const MlfsAssembleInputs& inputs);

// ---- Rows (mlfs.md §8-§10; vector `mlfs.build_row`) ----

// Identity of one player row (mlfs.md §3).
struct MlfsPlayerIdentity {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  Date game_date;
  std::string game_id;
  std::string team_abbr;
  std::string opponent_team_abbr;
  std::optional<bool> is_home;
  std::optional<int64_t> days_rest;
};

// Which upstream rows exist for the player (issue tags, mlfs.md §8).
struct MlfsUpstreamPresence {
  bool player_daily_cache = false;
  bool player_composite_factors = false;
  bool player_shot_zone_analysis = false;
  bool team_defense_zone_analysis = false;  // of the opponent
};

// One output row: every column of mlfs.md §10 except processed_at and
// engine_version. feature_names is constant (MlfsFeatureNames()).
struct MlfsRow {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  Date game_date;
  std::string game_id;
  std::string team_abbr;
  std::string opponent_team_abbr;
  std::optional<bool> is_home;
  std::optional<int64_t> days_rest;
  std::array<double, kMlfsFeatureCount> features{};
  std::array<MlfsSource, kMlfsFeatureCount> feature_sources{};
  int64_t feature_count = kMlfsFeatureCount;
  std::string feature_version = kMlfsFeatureVersion;
  double feature_quality_score = 0.0;  // NUMERIC(5,2)
  std::string quality_tier;
  std::string data_source;
  std::optional<double> completeness_percentage;
  bool is_production_ready = false;
  std::vector<std::string> data_quality_issues;
  std::string data_hash;
};

// Issue tags in the fixed order of mlfs.md §8, one per absent row.
std::vector<std::string> MlfsDataQualityIssues(const MlfsUpstreamPresence& present);

// A complete row: identity + assembled features + quality + issues +
// readiness + data_hash.
MlfsRow MlfsBuildRow(const MlfsPlayerIdentity& player, const MlfsAssembled& assembled,
                     std::optional<double> completeness_percentage, const MlfsUpstreamPresence& present);

// data_hash of mlfs.md §10 (tdza.md §14 over the 19 fields, arrays as Python
// str(list)).
std::string MlfsDataHash(const MlfsRow& row);

// Compact JSON array text of README §4.2 (vector `mlfs.array_text`): no
// spaces, doubles by FormatFloat, strings double-quoted (JSON-escaped).
std::string MlfsArrayText(const std::vector<Value>& values);

// (column, value) pairs in §10 order without processed_at and
// engine_version: dates "YYYY-MM-DD", arrays as MlfsArrayText, NULL as monostate.
NamedValues ToNamedValues(const MlfsRow& row);

// L10 completeness of pdc.md §9: `team_dates_before` = the team's TOGS game
// dates (any order, may include dates >= D); `player_dates` = dates of the
// player's PGS rows. NULL when the team has no game before D.
std::optional<double> MlfsCompleteness(Date game_date, std::span<const Date> team_dates,
                                       std::span<const Date> player_dates);

// ---- The processor ----

// Stats of one date for PRECOMPUTE_STATS (mlfs.md §11).
struct MlfsDateStats {
  int64_t players = 0;
  int64_t rows = 0;
  std::string feature_version = kMlfsFeatureVersion;
  std::optional<double> avg_quality;             // round_py(mean feature_quality_score, 2); NULL with no row
  std::map<std::string, int64_t> quality_tiers;  // tier -> rows
  std::map<std::string, int64_t> data_sources;   // data_source -> rows
  int64_t default_features = 0;                  // number of `default` tags
  std::map<std::string, int64_t> issues;         // issue tag -> rows
  int64_t production_ready = 0;
};

struct MlfsDateResult {
  DateOutcome outcome;
  bool historical = false;
  std::vector<MlfsRow> rows;                // ascending player_lookup
  std::vector<EntityExclusion> exclusions;  // always empty: MLFS excludes nobody
  MlfsDateStats stats;
};

// Everything the processor reads. PGS and TOGS: every row before the end of
// the range back to the start of the season BEFORE the earliest season touched
// (the L10 completeness window of pdc.md §9 and the P3 last-10 cross season
// boundaries; loading all earlier rows is also correct). UPGC, the schedule
// and the four Phase 4 tables: the dates of the range (only D's rows are
// read). Spans are only read during construction; nothing is retained.
struct MlfsInputs {
  std::span<const PlayerGame> player_games;
  std::span<const TeamOffenseGame> team_offense_games;
  std::span<const UpcomingPlayerContext> player_contexts;
  std::span<const ScheduleGame> schedule;
  std::span<const MlfsPdcInput> pdc;
  std::span<const MlfsPcfInput> pcf;
  std::span<const MlfsPszaInput> psza;
  std::span<const MlfsTdzaInput> tdza;
};

// Built once: per-player sorted PGS histories, per-team sorted TOGS dates with
// prefix win counts, and per-date indexes of UPGC, schedule and the Phase 4
// rows. ComputeDate(D) then reads only the entries of D and the players of D,
// and is safe to call concurrently (it only reads the index). `calendar` must
// outlive the processor.
class MlfsProcessor {
 public:
  MlfsProcessor(const MlfsInputs& inputs, const SeasonCalendar& calendar);

  // mlfs.md §2-§11 for date D: failed (missing_input / no_players) or success
  // with one row per player, ascending player_lookup. Does not check bootstrap
  // or the Phase 4 gate (the runner's job). Uses only games with game_date < D.
  MlfsDateResult ComputeDate(Date game_date) const;

  // The formula steps of `player_lookup`'s row for D (`nba-precompute
  // explain`, issue 7), in computation order: the row's origin and context,
  // rest, the Phase 3 windows, team games and completeness (§3-§5), each of
  // the 25 features with its source and operands (§6-§7), quality, issues and
  // readiness (§8), the stored arrays (§9) and the constants and data_hash
  // (§10). Built by the very code ComputeDate runs (ComputeRow with a trace
  // sink), so every `column` step equals the row's ToNamedValues cell. Empty
  // when the date fails or the player has no row on D. Thread-safe.
  Trace TraceEntity(Date game_date, std::string_view player_lookup) const;

  // The pipelined cascade (backfill runner): the Phase 4 rows of a date
  // arrive once their processor has written that date, while other dates
  // compute. Reserve the dates before the processor is shared between
  // threads; then each setter replaces D's rows of one upstream and may run
  // while other threads compute other dates (never D itself). Same result as
  // the rows given in MlfsInputs.
  void ReserveUpstreamDates(std::span<const Date> dates);
  void SetPdcRows(Date date, std::vector<MlfsPdcInput> rows);
  void SetPcfRows(Date date, std::vector<MlfsPcfInput> rows);
  void SetPszaRows(Date date, std::vector<MlfsPszaInput> rows);
  void SetTdzaRows(Date date, std::vector<MlfsTdzaInput> rows);

 private:
  // A text kept in `text_` (the processor's copy of the PGS identity texts:
  // one buffer instead of one allocation per row and field).
  struct TextRef {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct PgsEntry {  // any PGS row of a player
    Date game_date;
    int season_year = 0;
    bool has_universal_player_id = false;
    TextRef game_id;
    TextRef team_abbr;
    TextRef opponent_team_abbr;
    TextRef universal_player_id;  // valid when has_universal_player_id
  };
  struct PlayerIndex {
    std::string player_lookup;
    std::vector<PgsEntry> rows;               // every PGS row, ascending (game_date, game_id)
    std::vector<Date> row_dates;              // game_date of `rows`
    std::vector<Date> appearance_dates;       // ascending
    std::vector<MlfsHistoryGame> qualifying;  // ascending (game_date, game_id)
  };
  struct TeamIndex {
    std::vector<Date> dates;           // TOGS game dates, ascending
    std::vector<int> season_years;     // per date
    std::vector<int64_t> wins_prefix;  // wins_prefix[k] = wins among the first k
  };
  struct ContextEntry {
    std::string player_lookup;
    std::string game_id;
    std::optional<std::string> universal_player_id;
    std::string team_abbr;
    std::string opponent_team_abbr;
    std::optional<bool> home_game;
    MlfsRestContext rest;
    MlfsContextFields fields;
  };
  struct ScheduledGame {
    std::string home_team_abbr;
    std::string away_team_abbr;
  };

  // A player row of D before computation (mlfs.md §3).
  enum class Origin { kPgsRow, kContextRow, kRosterFallback };
  struct Candidate {
    MlfsPlayerIdentity identity;
    const ContextEntry* context = nullptr;
    Origin origin = Origin::kPgsRow;
    Date latest_row_date;  // roster fallback: date of the latest PGS row (team, universal_player_id)
  };

  // The player rows of D (§3) ascending by player_lookup; FALSE with the
  // failed outcome (missing_input / no_players) when the date gets no row.
  bool BuildCandidates(Date game_date, bool historical, std::vector<Candidate>* candidates, DateOutcome* outcome) const;
  // One player's row (§4-§10); `trace` (nullptr on the compute path) gets the
  // formula steps.
  MlfsRow ComputeRow(Date game_date, Candidate& candidate, Trace* trace) const;
  const PlayerIndex* FindPlayer(std::string_view player_lookup) const;
  const TeamIndex* FindTeam(std::string_view team_abbr) const;
  std::string_view Text(TextRef ref) const { return std::string_view(text_).substr(ref.offset, ref.size); }

  const SeasonCalendar& calendar_;
  std::vector<PlayerIndex> players_;  // ascending player_lookup
  std::map<std::string, TeamIndex> teams_;
  std::string text_;  // the texts of every PgsEntry (TextRef)
  // (game_date, index into players_) of every PGS row, unique, ascending: the
  // players of a date in ascending player_lookup.
  std::vector<std::pair<Date, uint32_t>> pgs_players_by_date_;
  std::map<Date, std::vector<ContextEntry>> contexts_by_date_;    // ascending player_lookup
  std::map<Date, std::vector<ScheduledGame>> schedule_by_date_;   // included, not postponed
  std::map<Date, std::vector<MlfsPdcInput>> pdc_by_date_;         // ascending player_lookup
  std::map<Date, std::vector<MlfsPcfInput>> pcf_by_date_;
  std::map<Date, std::vector<MlfsPszaInput>> psza_by_date_;
  std::map<Date, std::vector<MlfsTdzaInput>> tdza_by_date_;  // ascending team_abbr
};

}  // namespace nbapc::processors
