#include "validate/feature_thresholds.h"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/numbers.h"

namespace nbapc::validate {
namespace {

FieldRule Range(std::string stage, std::string table, std::string field, std::optional<double> lo,
                std::optional<double> hi, std::optional<double> min_pct) {
  FieldRule rule;
  rule.stage = std::move(stage);
  rule.table = std::move(table);
  rule.field = std::move(field);
  rule.lo = lo;
  rule.hi = hi;
  rule.min_pct = min_pct;
  return rule;
}

FieldRule Hard(FieldRule rule) {
  rule.hard = true;
  return rule;
}

FieldRule Band(FieldRule rule, double lo, double hi) {
  rule.band_lo = lo;
  rule.band_hi = hi;
  return rule;
}

FieldRule NullOk(FieldRule rule) {
  rule.null_allowed = true;
  return rule;
}

FieldRule Equals(std::string stage, std::string table, std::string field, double value) {
  FieldRule rule = Range(std::move(stage), std::move(table), std::move(field), value, value, 100.0);
  rule.kind = RuleKind::kEquals;
  rule.hard = true;
  rule.constant_allowed = ConstantAllowed::kAlways;
  return rule;
}

FieldRule Set(std::string stage, std::string table, std::string field, std::vector<double> set,
              std::optional<double> min_pct) {
  FieldRule rule = Range(std::move(stage), std::move(table), std::move(field), std::nullopt, std::nullopt, min_pct);
  rule.kind = RuleKind::kSet;
  rule.hard = true;
  rule.set = std::move(set);
  return rule;
}

FieldRule TextSet(std::string stage, std::string table, std::string field, std::vector<std::string> set,
                  std::optional<double> min_pct) {
  FieldRule rule = Range(std::move(stage), std::move(table), std::move(field), std::nullopt, std::nullopt, min_pct);
  rule.kind = set.size() == 1 ? RuleKind::kTextEquals : RuleKind::kTextSet;
  rule.hard = true;
  rule.text_set = std::move(set);
  rule.constant_allowed = ConstantAllowed::kAlways;
  return rule;
}

FieldRule Feature(int index, std::string name, std::optional<double> lo, std::optional<double> hi,
                  std::optional<double> band_lo, std::optional<double> band_hi) {
  FieldRule rule = Hard(Range("mlfs", kMlfsTable, std::move(name), lo, hi, 95.0));
  rule.index = index;
  rule.band_lo = band_lo;
  rule.band_hi = band_hi;
  return rule;
}

FieldRule SetFeature(int index, std::string name, std::vector<double> set, std::optional<double> band_lo,
                     std::optional<double> band_hi) {
  FieldRule rule = Set("mlfs", kMlfsTable, std::move(name), std::move(set), 95.0);
  rule.index = index;
  rule.band_lo = band_lo;
  rule.band_hi = band_hi;
  return rule;
}

std::vector<FieldRule> BuildRegistry() {
  std::vector<FieldRule> r;
  // Phase 3 inputs (stage phase3).
  {
    FieldRule minutes = Band(NullOk(Range("phase3", kPgsTable, "minutes_played", 0, 63, std::nullopt)), 21, 25);
    r.push_back(minutes);
    FieldRule points = Band(Range("phase3", kPgsTable, "points", 0, 80, 99), 10, 12.5);
    points.band_filter = BandFilter::kMinutesPositive;
    r.push_back(points);
    FieldRule usage = Band(NullOk(Range("phase3", kPgsTable, "usage_rate", 0, 100, std::nullopt)), 18, 21);
    usage.band_filter = BandFilter::kMinutesAtLeast10;
    r.push_back(usage);
    FieldRule paint = NullOk(Range("phase3", kPgsTable, "paint_attempts", std::nullopt, std::nullopt, 80));
    paint.min_on_non_null = true;
    paint.min_warn_only = true;
    r.push_back(paint);
    FieldRule threes = Band(Range("phase3", kTdgsTable, "opp_three_pt_attempts", 0, std::nullopt, 99), 30, 42);
    threes.lo_exclusive = true;
    r.push_back(threes);
    for (const char* field : {"opp_paint_attempts", "opp_mid_range_attempts"}) {
      FieldRule zone = NullOk(Range("phase3", kTdgsTable, field, 0, std::nullopt, 80));
      zone.lo_exclusive = true;
      zone.min_on_non_null = true;
      zone.min_warn_only = true;
      r.push_back(zone);
    }
    r.push_back(Band(Range("phase3", kTogsTable, "pace", 85, 115, 99), 98, 101));
    r.push_back(Band(Range("phase3", kTogsTable, "offensive_rating", 90, 135, 95), 110, 116));
  }
  // TDZA (tdza.md §13).
  for (const char* field : {"paint_defense_vs_league_avg", "mid_range_defense_vs_league_avg",
                            "three_pt_defense_vs_league_avg"}) {
    r.push_back(Band(Range("tdza", kTdzaTable, field, -25, 25, 95), -2, 2));
  }
  r.push_back(Band(Range("tdza", kTdzaTable, "paint_pct_allowed_last_15", 0.40, 0.75, 95), 0.55, 0.61));
  r.push_back(Band(Range("tdza", kTdzaTable, "three_pt_pct_allowed_last_15", 0.25, 0.45, 95), 0.34, 0.38));
  r.push_back(Band(Range("tdza", kTdzaTable, "defensive_rating_last_15", 90, 130, 95), 110, 116));
  r.push_back(Band(Range("tdza", kTdzaTable, "opponent_pace", 85, 115, 95), 98, 101));
  r.push_back(Equals("tdza", kTdzaTable, "games_in_sample", 15));
  r.push_back(Band(Hard(Range("tdza", kTdzaTable, "completeness_percentage", 0, 100, 100)), 90, 100));
  // PSZA (psza.md §11).
  {
    const std::pair<const char*, std::pair<double, double>> rates[] = {
        {"paint_rate_last_10", {30, 45}}, {"mid_range_rate_last_10", {12, 22}}, {"three_pt_rate_last_10", {35, 50}}};
    for (const auto& [field, band] : rates) {
      r.push_back(Band(Hard(Range("psza", kPszaTable, field, 0, 100, 95)), band.first, band.second));
    }
    FieldRule paint_pct = Band(NullOk(Hard(Range("psza", kPszaTable, "paint_pct_last_10", 0, 1, 90))), 0.55, 0.62);
    paint_pct.min_on_non_null = true;
    r.push_back(paint_pct);
    r.push_back(Equals("psza", kPszaTable, "games_in_sample_10", 10));
    FieldRule zone =
        NullOk(TextSet("psza", kPszaTable, "primary_scoring_zone", {"paint", "perimeter", "mid_range", "balanced"}, 95));
    zone.min_on_non_null = true;
    zone.class_min_share = 0.01;
    r.push_back(zone);
    r.push_back(Band(Hard(Range("psza", kPszaTable, "completeness_percentage", 0, 100, 100)), 85, 100));
  }
  // PDC (pdc.md §11).
  for (const char* field : {"points_avg_last_5", "points_avg_last_10", "points_avg_season"}) {
    r.push_back(Band(Range("pdc", kPdcTable, field, 0, 50, 99), 9, 14));
  }
  r.push_back(Band(NullOk(Range("pdc", kPdcTable, "points_std_last_10", 0, 30, 95)), 3, 7));
  r.push_back(Band(Range("pdc", kPdcTable, "ts_pct_last_10", 0, 1.5, 90), 0.52, 0.60));
  {
    FieldRule games = Hard(Range("pdc", kPdcTable, "games_played_season", 5, 82, 100));
    games.integer = true;
    r.push_back(games);
  }
  r.push_back(Band(Range("pdc", kPdcTable, "team_pace_last_10", 85, 115, 99), 98, 101));
  r.push_back(Band(Range("pdc", kPdcTable, "team_off_rating_last_10", 90, 130, 99), 110, 116));
  r.push_back(Band(NullOk(Hard(Range("pdc", kPdcTable, "assisted_rate_last_10", 0, 1, 90))), 0.50, 0.65));
  r.push_back(NullOk(Hard(Range("pdc", kPdcTable, "completeness_percentage", 0, 100, 95))));
  {
    FieldRule flag = Range("pdc", kPdcTable, "early_season_flag", std::nullopt, std::nullopt, 100);
    flag.kind = RuleKind::kEarlySeasonFlag;
    flag.hard = true;
    flag.constant_allowed = ConstantAllowed::kAlways;
    r.push_back(flag);
  }
  // PCF (pcf.md §11).
  {
    FieldRule fatigue = Band(Hard(Range("pcf", kPcfTable, "fatigue_score", 35, 100, 100)), 80, 97);
    fatigue.integer = true;
    r.push_back(fatigue);
    FieldRule mismatch = Band(Hard(Range("pcf", kPcfTable, "shot_zone_mismatch_score", -10, 10, 100)), -1.5, 1.5);
    mismatch.zero_limit = 0.40;
    r.push_back(mismatch);
    r.push_back(Band(Hard(Range("pcf", kPcfTable, "pace_score", -3, 3, 100)), -0.5, 0.5));
    FieldRule usage = Band(Hard(Range("pcf", kPcfTable, "usage_spike_score", -3, 3, 100)), -0.5, 0.5);
    usage.zero_limit = 0.90;
    usage.zero_over_upcoming = true;
    usage.constant_allowed = ConstantAllowed::kAllSynthetic;
    r.push_back(usage);
    for (const char* field : {"referee_favorability_score", "look_ahead_pressure_score", "travel_impact_score",
                              "opponent_strength_score"}) {
      r.push_back(Equals("pcf", kPcfTable, field, 0.0));
    }
    r.push_back(Band(Hard(Range("pcf", kPcfTable, "total_composite_adjustment", -19.25, 16.0, 100)), -2.5, 1.0));
    r.push_back(Set("pcf", kPcfTable, "data_completeness_pct", {0, 20, 40, 60, 80, 100}, 100));
    r.push_back(TextSet("pcf", kPcfTable, "context_source", {"upcoming", "synthetic"}, 100));
  }
  // MLFS features (mlfs.md §6): every feature non-NULL, min 95 %, default limit 25 %.
  r.push_back(Feature(0, "points_avg_last_5", 0, 60, 9, 14));
  r.push_back(Feature(1, "points_avg_last_10", 0, 60, 9, 14));
  r.push_back(Feature(2, "points_avg_season", 0, 60, 9, 14));
  r.push_back(Feature(3, "points_std_last_10", 0, 30, 3, 7));
  r.push_back(Feature(4, "games_in_last_7_days", 0, 7, 2.5, 3.8));
  r.push_back(Feature(5, "fatigue_score", 0, 100, 80, 97));
  {
    FieldRule mismatch = Feature(6, "shot_zone_mismatch_score", -10, 10, -1.5, 1.5);
    mismatch.zero_limit = 0.40;
    r.push_back(mismatch);
  }
  r.push_back(Feature(7, "pace_score", -3, 3, -0.5, 0.5));
  {
    FieldRule usage = Feature(8, "usage_spike_score", -3, 3, -0.5, 0.5);
    usage.constant_allowed = ConstantAllowed::kAllSynthetic;
    r.push_back(usage);
  }
  r.push_back(SetFeature(9, "rest_advantage", {-2, -1, 0, 1, 2}, -0.3, 0.3));
  {
    FieldRule injury = SetFeature(10, "injury_risk", {0, 1, 2, 3}, 0.1, 0.6);
    injury.context_dependent = true;
    injury.constant_allowed = ConstantAllowed::kAllDefault;
    r.push_back(injury);
  }
  r.push_back(SetFeature(11, "recent_trend", {-2, -1, 0, 1, 2}, -0.3, 0.3));
  r.push_back(SetFeature(12, "minutes_change", {-2, -1, 0, 1, 2}, -0.3, 0.3));
  r.push_back(Feature(13, "opponent_def_rating", 90, 130, 110, 116));
  r.push_back(Feature(14, "opponent_pace", 85, 115, 98, 101));
  r.push_back(SetFeature(15, "home_away", {0, 1}, 0.45, 0.55));
  r.push_back(SetFeature(16, "back_to_back", {0, 1}, 0.10, 0.25));
  {
    FieldRule playoff = SetFeature(17, "playoff_game", {0, 1}, std::nullopt, std::nullopt);
    playoff.constant_allowed = ConstantAllowed::kNoPlayoffDates;
    r.push_back(playoff);
  }
  r.push_back(Feature(18, "pct_paint", 0, 1, 0.30, 0.45));
  r.push_back(Feature(19, "pct_mid_range", 0, 1, 0.12, 0.22));
  r.push_back(Feature(20, "pct_three", 0, 1, 0.35, 0.50));
  r.push_back(Feature(21, "pct_free_throw", 0, 0.5, 0.10, 0.22));
  r.push_back(Feature(22, "team_pace", 85, 115, 98, 101));
  r.push_back(Feature(23, "team_off_rating", 90, 130, 110, 116));
  r.push_back(Feature(24, "team_win_pct", 0, 1, 0.45, 0.55));
  // MLFS row fields (mlfs.md §8).
  r.push_back(Equals("mlfs", kMlfsTable, "feature_count", 25));
  r.push_back(TextSet("mlfs", kMlfsTable, "feature_version", {"v1_baseline_25"}, 100));
  for (const char* field : {"features", "feature_names", "feature_sources"}) {
    FieldRule length = Equals("mlfs", kMlfsTable, field, 25);
    length.array_length = true;
    r.push_back(length);
  }
  r.push_back(Band(Hard(Range("mlfs", kMlfsTable, "feature_quality_score", 41.4, 97.0, 100)), 80, 97));
  r.push_back(TextSet("mlfs", kMlfsTable, "quality_tier", {"gold", "silver", "bronze", "poor", "unusable"}, 100));
  r.push_back(TextSet("mlfs", kMlfsTable, "data_source", {"phase4", "phase4_partial", "phase3", "mixed"}, 100));
  return r;
}

std::string Num(double value) {
  std::string text = FormatFloat(value);
  if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

}  // namespace

bool FieldRule::Satisfies(double value, std::optional<double> companion) const {
  switch (kind) {
    case RuleKind::kRange:
      if (lo && (lo_exclusive ? !(value > *lo) : !(value >= *lo))) return false;
      if (hi && !(value <= *hi)) return false;
      if (integer && value != std::floor(value)) return false;
      return true;
    case RuleKind::kEquals:
      return lo && value == *lo;
    case RuleKind::kSet:
      for (double allowed : set) {
        if (value == allowed) return true;
      }
      return false;
    case RuleKind::kEarlySeasonFlag:
      // pdc.md §11: early_season_flag = games_played_season < 10.
      return companion && (value != 0.0) == (*companion < 10);
    default:
      return false;
  }
}

bool FieldRule::SatisfiesText(const std::string& value) const {
  for (const std::string& allowed : text_set) {
    if (value == allowed) return true;
  }
  return false;
}

std::string FieldRule::RuleText() const {
  std::string prefix = hard ? "hard " : "range ";
  switch (kind) {
    case RuleKind::kRange: {
      if (lo && hi) return fmt::format("{}{}[{}, {}]", prefix, integer ? "integer " : "", Num(*lo), Num(*hi));
      if (lo) return fmt::format("{}{} {}", prefix, lo_exclusive ? ">" : ">=", Num(*lo));
      if (hi) return fmt::format("{}<= {}", prefix, Num(*hi));
      return "any value";
    }
    case RuleKind::kEquals:
      return fmt::format("{}{}= {}", prefix, array_length ? "length " : "", Num(*lo));
    case RuleKind::kSet: {
      std::vector<std::string> parts;
      for (double v : set) parts.push_back(Num(v));
      return fmt::format("{}in {{{}}}", prefix, fmt::join(parts, ", "));
    }
    case RuleKind::kTextSet:
      return fmt::format("{}in {{{}}}", prefix, fmt::join(text_set, ", "));
    case RuleKind::kTextEquals:
      return fmt::format("{}= {}", prefix, text_set.empty() ? "" : text_set[0]);
    case RuleKind::kEarlySeasonFlag:
      return "hard = (games_played_season < 10)";
  }
  return "";
}

std::span<const FieldRule> FeatureRegistry() {
  static const std::vector<FieldRule> registry = BuildRegistry();
  return registry;
}

std::vector<const FieldRule*> RulesOfTable(const std::string& table) {
  std::vector<const FieldRule*> rules;
  for (const FieldRule& rule : FeatureRegistry()) {
    if (rule.table == table) rules.push_back(&rule);
  }
  return rules;
}

}  // namespace nbapc::validate
