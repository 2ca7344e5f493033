#pragma once
// Player Shot Zone Analysis (PSZA), processor 2 of the cascade
// (spec/psza.md). For every player with at least 10 qualifying games in D's
// season before D: shot mix, efficiency and attempts per zone over his last
// 10 games, assisted / unassisted shares and a 20-game paint trend.
//
// Pure in-memory computation: the runner loads player_game_summary (and the
// schedule, through a SeasonCalendar) for the range plus look-back, builds one
// PszaProcessor, calls ComputeDate for each date and writes the result.
// Bootstrap dates (README §5, psza.md §6 row 1) are skipped by the runner:
// ComputeDate does not check them and would compute a normal result.
//
// The free functions below are the pieces the spec vectors
// (vectors/psza.json) exercise; the class is built from the same pieces.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/phase3.h"
#include "processors/common.h"

namespace nbapc::processors {

// psza.md §5.
inline constexpr int kPszaMinGames = 10;           // L10 size; a row needs a full L10
inline constexpr int kPszaL20Size = 20;            // L20 size
inline constexpr int kPszaL20MinGames = 15;        // L20 metrics need g20 >= 15
inline constexpr double kPszaPaintThreshold = 40.0;
inline constexpr double kPszaThreeThreshold = 40.0;
inline constexpr double kPszaMidRangeThreshold = 35.0;
inline constexpr double kPszaProductionReadyMinPct = 70.0;
inline constexpr const char* kPszaProcessorName = "player_shot_zone_analysis";

// One output row: every column of psza.md §11 except processed_at and
// engine_version. Doubles hold the stored (already rounded) values.
struct PszaRow {
  std::string player_lookup;
  std::optional<std::string> universal_player_id;
  Date analysis_date;
  std::optional<double> paint_rate_last_10;
  std::optional<double> mid_range_rate_last_10;
  std::optional<double> three_pt_rate_last_10;
  std::optional<int64_t> total_shots_last_10;
  int64_t games_in_sample_10 = 0;
  std::string sample_quality_10;
  std::optional<double> paint_pct_last_10;
  std::optional<double> mid_range_pct_last_10;
  std::optional<double> three_pt_pct_last_10;
  std::optional<double> paint_attempts_per_game;
  std::optional<double> mid_range_attempts_per_game;
  std::optional<double> three_pt_attempts_per_game;
  std::optional<double> paint_rate_last_20;
  std::optional<double> paint_pct_last_20;
  int64_t games_in_sample_20 = 0;
  std::string sample_quality_20;
  std::optional<double> assisted_rate_last_10;
  std::optional<double> unassisted_rate_last_10;
  std::optional<std::string> player_position;       // always NULL (§9)
  std::optional<std::string> primary_scoring_zone;  // paint / perimeter / mid_range / balanced / NULL
  std::string data_quality_tier;
  std::optional<std::string> calculation_notes;  // always NULL (§9)
  std::optional<bool> early_season_flag;         // always NULL (§9, D2)
  double completeness_percentage = 0.0;
  bool is_production_ready = false;
  std::vector<std::string> data_quality_issues;
  std::string data_hash;  // §12
};

// (column, value) pairs in §11 column order without processed_at and
// engine_version: dates as "YYYY-MM-DD", booleans as bool, arrays as compact
// JSON text (`["zone_data_incomplete"]`, `[]`), NULLs as monostate.
NamedValues ToNamedValues(const PszaRow& row);

// ---- Pieces (each tested by the psza.* vectors) ----

// psza.numpy_round (§8): nearbyint(x * 10^n) / 10^n in IEEE double arithmetic,
// ties to even (the rounding of the system we replace; differs from RoundPy
// only on representation ties).
double PszaNumpyRound(double x, int ndigits);

// psza.qualifies (§4): is_active and (minutes_played > 0 or fg_attempts > 0),
// a NULL operand being false.
bool PszaQualifies(const PlayerGame& row);

// Integer sums of a window (§7, §9, §10). Summing is exact, so totals of a
// window can be taken as differences of prefix sums.
struct PszaZoneTotals {
  int64_t games = 0;           // g
  int64_t paint_makes = 0;     // PM (pair non-NULL only)
  int64_t paint_attempts = 0;  // PA
  int64_t mid_makes = 0;       // MM
  int64_t mid_attempts = 0;    // MA
  int64_t three_makes = 0;     // TM
  int64_t three_attempts = 0;  // TA
  int64_t fg_makes = 0;        // F (NULL adds 0)
  int64_t assisted = 0;        // A
  int64_t unassisted = 0;      // U
  int64_t complete_games = 0;  // c: games whose six zone fields are all non-NULL

  PszaZoneTotals& operator+=(const PszaZoneTotals& other);
  PszaZoneTotals operator-(const PszaZoneTotals& other) const;
};

// The contribution of one row (counted as one game whether it qualifies or not;
// callers pass qualifying rows).
PszaZoneTotals PszaRowTotals(const PlayerGame& row);
// Sum over a window of rows.
PszaZoneTotals PszaSumTotals(std::span<const PlayerGame> rows);

// psza.zone_metrics (§7): the metrics of one window, rounded per §8.
struct PszaZoneMetrics {
  std::optional<double> paint_rate;
  std::optional<double> mid_range_rate;
  std::optional<double> three_pt_rate;
  std::optional<double> paint_pct;
  std::optional<double> mid_range_pct;
  std::optional<double> three_pt_pct;
  std::optional<double> paint_attempts_pg;
  std::optional<double> mid_range_attempts_pg;
  std::optional<double> three_pt_attempts_pg;
  std::optional<double> assisted_rate;
  std::optional<double> unassisted_rate;
  std::optional<int64_t> total_shots;
};
PszaZoneMetrics PszaComputeZoneMetrics(const PszaZoneTotals& totals);

// psza.zone_completeness (§9).
struct PszaCompleteness {
  int64_t complete_games = 0;
  double completeness_percentage = 0.0;  // round_py(c / g * 100, 1); 0.0 when g = 0
  bool is_production_ready = false;      // completeness_percentage >= 70.0
};
PszaCompleteness PszaZoneCompleteness(int64_t complete_games, int64_t games);

// psza.primary_zone (§9): from the rounded L10 rates, NULL counting as 0.
std::optional<std::string> PszaPrimaryZone(std::optional<double> paint_rate, std::optional<double> mid_range_rate,
                                           std::optional<double> three_pt_rate);
// psza.quality_tier (§9): high >= 10, medium >= 7, else low.
std::string PszaQualityTier(int64_t games);
// psza.sample_quality (§9): excellent >= t, good >= floor(0.7 t), limited >= floor(0.5 t), else insufficient.
std::string PszaSampleQuality(int64_t games, int64_t target);

// One player's qualifying rows of one season, ascending by (game_date,
// game_id), with prefix sums (§14). Built by the processor for each (season,
// player) and by the single-player free functions below.
class PszaPlayerHistory {
 public:
  // The text fields view the owning history's character storage.
  struct Game {
    Date game_date;
    std::string_view game_id;
    std::optional<std::string_view> universal_player_id;
  };
  // Window bounds for D as indices into games(): L10 = [l10_begin, end),
  // L20 = [l20_begin, end); end = first row with game_date >= D (§4, §14).
  struct Windows {
    size_t l10_begin = 0;
    size_t l20_begin = 0;
    size_t end = 0;
    int64_t g10() const { return static_cast<int64_t>(end - l10_begin); }
    int64_t g20() const { return static_cast<int64_t>(end - l20_begin); }
  };

  // `rows`: qualifying rows of one player and one season, any order.
  PszaPlayerHistory(std::string player_lookup, std::span<const PlayerGame* const> rows);
  // Movable, not copyable (the games view the history's own storage).
  PszaPlayerHistory(PszaPlayerHistory&&) noexcept = default;
  PszaPlayerHistory& operator=(PszaPlayerHistory&&) noexcept = default;
  PszaPlayerHistory(const PszaPlayerHistory&) = delete;
  PszaPlayerHistory& operator=(const PszaPlayerHistory&) = delete;

  const std::string& player_lookup() const { return player_lookup_; }
  const std::vector<Game>& games() const { return games_; }
  Windows WindowsFor(Date analysis_date) const;
  // Totals of games [begin, end).
  PszaZoneTotals Totals(size_t begin, size_t end) const;

 private:
  std::string player_lookup_;
  // The characters the games' text fields view (one allocation per history;
  // a moved vector keeps its buffer, so the views survive a move).
  std::vector<char> text_;
  std::vector<Game> games_;
  std::vector<PszaZoneTotals> prefix_;  // prefix_[k] = totals of games_[0, k)
};

// psza.windows (§4): the windows of D for one player's rows (any order, may
// include non-qualifying rows, rows of other seasons and rows on/after D).
struct PszaWindowIds {
  std::vector<std::string> l10_game_ids;  // most recent first
  std::vector<std::string> l20_game_ids;
  int64_t games_in_sample_10 = 0;
  int64_t games_in_sample_20 = 0;
};
PszaWindowIds PszaWindows(Date analysis_date, std::span<const PlayerGame> rows);

// The row or the exclusion of one entity (a player with g10 >= 1).
using PszaPlayerResult = std::variant<PszaRow, EntityExclusion>;

// Computes one player from his history (§6-§12); the processor's per-player step.
PszaPlayerResult PszaComputePlayerFromHistory(const PszaPlayerHistory& history, Date analysis_date);

// psza.compute_player: `rows` may hold any rows; only `player_lookup`'s
// qualifying rows of D's season before D are used. A player without any such
// row gets the exclusion "Only 0 games, need 10" (ComputeDate never reports
// him: he is not an entity).
PszaPlayerResult PszaComputePlayer(Date analysis_date, std::string_view player_lookup,
                                   std::span<const PlayerGame> rows);

// Result of one date.
struct PszaDateResult {
  DateOutcome outcome;
  std::optional<Date> missing_date;          // stale_input: d*
  std::vector<PszaRow> rows;                 // ascending player_lookup
  std::vector<EntityExclusion> exclusions;   // ascending entity_id
  int64_t players_processed = 0;             // rows written
  int64_t players_insufficient = 0;          // INSUFFICIENT_DATA exclusions
};

// The processor. Built once from every PGS row of the range plus look-back;
// then ComputeDate(D) reads only the index of D's season. Immutable after
// construction: ComputeDate is safe to call concurrently from several threads.
class PszaProcessor {
 public:
  // `calendar` may be nullptr (or have no schedule): then the stale-input
  // check of §6 row 3 is not made. The calendar must outlive the processor.
  // The rows are not referenced after construction.
  explicit PszaProcessor(std::span<const PlayerGame> pgs, const SeasonCalendar* calendar = nullptr);

  // §6: failed (missing_input / stale_input) or success with the date's rows
  // and excluded entities. Does not check bootstrap (the runner's job).
  PszaDateResult ComputeDate(Date analysis_date) const;

  // The formula steps of `player_lookup`'s row for D (explain), in
  // computation order: the L10 and L20 windows with their games (§4), their
  // sums and every column (§7, §9) and the data hash (§12). Runs the code
  // ComputeDate runs, so every `column` step equals the row's cell. Empty
  // when the player gets no row for D (date failed, fewer than 10 qualifying
  // games, unknown player). Thread-safe.
  Trace TraceEntity(Date analysis_date, std::string_view player_lookup) const;

 private:
  struct SeasonIndex {
    std::vector<Date> pgs_dates;              // distinct dates of every PGS row (qualifying or not), ascending
    std::vector<PszaPlayerHistory> players;   // ascending player_lookup; qualifying rows only
  };
  const SeasonIndex* FindSeason(int season_year) const;
  // §6 rows 2-3: D's season index, or nullptr with `result->outcome` failed.
  const SeasonIndex* CheckDate(Date analysis_date, PszaDateResult* result) const;

  const SeasonCalendar* calendar_;
  std::vector<std::pair<int, SeasonIndex>> seasons_;  // ascending season_year
};

// psza.compute_date: builds a PszaProcessor over `rows` and computes D.
PszaDateResult PszaComputeDate(Date analysis_date, std::span<const PlayerGame> rows,
                               const SeasonCalendar* calendar = nullptr);

}  // namespace nbapc::processors
