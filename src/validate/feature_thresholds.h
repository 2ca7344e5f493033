#pragma once
// The thresholds registry of spec/validation.md §4.3: one row per validated
// (table, field), with its rule (hard F2 bound or range counted in valid_pct),
// F1 minimum, F4 typical band and the exceptions of F3/F5/F6. The rows live in
// feature_thresholds.cc and are exactly those of the spec.

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nbapc::validate {

inline constexpr const char* kPgsTable = "nba_analytics.player_game_summary";
inline constexpr const char* kTdgsTable = "nba_analytics.team_defense_game_summary";
inline constexpr const char* kTogsTable = "nba_analytics.team_offense_game_summary";
inline constexpr const char* kTdzaTable = "nba_precompute.team_defense_zone_analysis";
inline constexpr const char* kPszaTable = "nba_precompute.player_shot_zone_analysis";
inline constexpr const char* kPdcTable = "nba_precompute.player_daily_cache";
inline constexpr const char* kPcfTable = "nba_precompute.player_composite_factors";
inline constexpr const char* kMlfsTable = "nba_predictions.ml_feature_store_v2";

enum class RuleKind {
  kRange,            // lo <= v <= hi (either side optional; lo_exclusive for "> 0")
  kSet,              // v in `set`
  kEquals,           // v == lo (constant by design: F3 never applies)
  kTextSet,          // text in `text_set`
  kTextEquals,       // text == text_set[0]
  kEarlySeasonFlag,  // PDC early_season_flag == (games_played_season < 10)
};

// Which rows the F4 band mean is computed over.
enum class BandFilter { kAll, kMinutesPositive, kMinutesAtLeast10 };

// When F3 (constant feature) does not fail for a season.
enum class ConstantAllowed {
  kNever,
  kAlways,          // deferred factors, equality rules
  kAllSynthetic,    // usage_spike_score: every PCF row of the season is synthetic
  kNoPlayoffDates,  // playoff_game: the season's range part has no playoff dates
  kAllDefault,      // injury_risk: the season's values are 100 % default
};

struct FieldRule {
  std::string stage;  // phase3, tdza, psza, pdc, pcf, mlfs
  std::string table;  // "dataset.table"
  std::string field;  // column name, or MLFS feature name
  int index = -1;     // MLFS feature index (§6 of mlfs.md); -1 for columns
  bool array_length = false;  // value = length of the JSON array column (must be 25)
  RuleKind kind = RuleKind::kRange;
  bool hard = false;  // F2: a violation is an error
  std::optional<double> lo, hi;
  bool lo_exclusive = false;
  bool integer = false;  // hard integer values
  std::vector<double> set;
  std::vector<std::string> text_set;
  bool null_allowed = false;  // NULLs count as valid
  std::optional<double> min_pct;   // F1 minimum (nullopt: no F1 error)
  bool min_on_non_null = false;    // F1 compares the non-NULL share
  bool min_warn_only = false;      // F1 below the minimum is only a warning
  std::optional<double> band_lo, band_hi;  // F4
  BandFilter band_filter = BandFilter::kAll;
  std::optional<double> class_min_share;   // text sets: each class >= share of rows (warn)
  std::optional<double> zero_limit;        // F6 "zero watched" (fraction)
  bool zero_over_upcoming = false;         // F6 over `upcoming` PCF rows only
  double default_limit = 0.25;             // F5 warn (MLFS features)
  bool context_dependent = false;          // F5 error exempt
  ConstantAllowed constant_allowed = ConstantAllowed::kNever;

  bool numeric() const { return kind != RuleKind::kTextSet && kind != RuleKind::kTextEquals; }
  // Does the non-NULL value satisfy the rule? (companion: games_played_season
  // for kEarlySeasonFlag.)
  bool Satisfies(double value, std::optional<double> companion = std::nullopt) const;
  bool SatisfiesText(const std::string& value) const;
  // "range [0, 63]", "hard ∈ {0, 1}" ... for messages.
  std::string RuleText() const;
};

// Every row of §4.3 in the spec's order.
std::span<const FieldRule> FeatureRegistry();
// Rows of one table in registry order.
std::vector<const FieldRule*> RulesOfTable(const std::string& table);

}  // namespace nbapc::validate
