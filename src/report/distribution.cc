#include "report/distribution.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html.h"

namespace nbapc::report {
namespace {

constexpr const char* kPcf = "nba_precompute.player_composite_factors";
constexpr const char* kMlfs = "nba_predictions.ml_feature_store_v2";
constexpr const char* kTdza = "nba_precompute.team_defense_zone_analysis";
constexpr const char* kPsza = "nba_precompute.player_shot_zone_analysis";
constexpr const char* kPdc = "nba_precompute.player_daily_cache";

// A field with a valid range; `hard` bounds are also the chart axis.
FieldSpec Spec(const char* table, const char* field, double lo, double hi, bool hard, double min_pct,
               bool null_allowed) {
  FieldSpec spec;
  spec.table = table;
  spec.field = field;
  (hard ? spec.hard : spec.range) = Bounds{lo, hi};
  spec.min_pct = min_pct;
  spec.null_allowed = null_allowed;
  return spec;
}

FieldSpec Ranged(const char* table, const char* field, double lo, double hi, double min_pct = 95.0,
                 bool null_allowed = false) {
  return Spec(table, field, lo, hi, false, min_pct, null_allowed);
}

FieldSpec Hard(const char* table, const char* field, double lo, double hi, double min_pct = 95.0,
               bool null_allowed = false) {
  return Spec(table, field, lo, hi, true, min_pct, null_allowed);
}

FieldSpec Set(const char* table, const char* field, std::vector<double> values, double min_pct = 100.0) {
  FieldSpec spec;
  spec.table = table;
  spec.field = field;
  spec.set = std::move(values);
  spec.min_pct = min_pct;
  return spec;
}

FieldSpec Feature(int index, const char* name, std::optional<Bounds> hard, std::vector<double> set = {}) {
  FieldSpec spec;
  spec.table = kMlfs;
  spec.field = name;
  spec.feature_index = index;
  spec.hard = hard;
  spec.set = std::move(set);
  spec.min_pct = 95.0;
  spec.mlfs = true;
  return spec;
}

std::vector<FieldSpec> BuildSpecs() {
  std::vector<FieldSpec> specs;
  // TDZA (validation.md §4.3).
  for (const char* field : {"paint_defense_vs_league_avg", "mid_range_defense_vs_league_avg",
                            "three_pt_defense_vs_league_avg"}) {
    specs.push_back(Ranged(kTdza, field, -25, 25));
  }
  specs.push_back(Ranged(kTdza, "paint_pct_allowed_last_15", 0.40, 0.75));
  specs.push_back(Ranged(kTdza, "three_pt_pct_allowed_last_15", 0.25, 0.45));
  specs.push_back(Ranged(kTdza, "defensive_rating_last_15", 90, 130));
  specs.push_back(Ranged(kTdza, "opponent_pace", 85, 115));
  specs.push_back(Set(kTdza, "games_in_sample", {15}));
  specs.push_back(Hard(kTdza, "completeness_percentage", 0, 100, 100));
  // PSZA.
  for (const char* field : {"paint_rate_last_10", "mid_range_rate_last_10", "three_pt_rate_last_10"}) {
    specs.push_back(Hard(kPsza, field, 0, 100));
  }
  {
    FieldSpec spec = Hard(kPsza, "paint_pct_last_10", 0, 1, 95.0, true);
    spec.min_non_null_pct = 90.0;
    specs.push_back(spec);
  }
  specs.push_back(Set(kPsza, "games_in_sample_10", {10}));
  specs.push_back(Hard(kPsza, "completeness_percentage", 0, 100, 100));
  // PDC.
  for (const char* field : {"points_avg_last_5", "points_avg_last_10", "points_avg_season"}) {
    specs.push_back(Ranged(kPdc, field, 0, 50, 99));
  }
  specs.push_back(Ranged(kPdc, "points_std_last_10", 0, 30, 95, true));
  specs.push_back(Ranged(kPdc, "ts_pct_last_10", 0, 1.5, 90));
  specs.push_back(Hard(kPdc, "games_played_season", 5, 82, 100));
  specs.push_back(Ranged(kPdc, "team_pace_last_10", 85, 115, 99));
  specs.push_back(Ranged(kPdc, "team_off_rating_last_10", 90, 130, 99));
  specs.push_back(Hard(kPdc, "assisted_rate_last_10", 0, 1, 90, true));
  specs.push_back(Hard(kPdc, "completeness_percentage", 0, 100, 95, true));
  // PCF: axis = the score ranges of pcf.md §7, shading = validation.md §4.3.
  {
    FieldSpec spec = Hard(kPcf, "fatigue_score", 35, 100, 100);
    spec.axis = Bounds{0, 100};
    specs.push_back(spec);
  }
  specs.push_back(Hard(kPcf, "shot_zone_mismatch_score", -10, 10, 100));
  specs.push_back(Hard(kPcf, "pace_score", -3, 3, 100));
  specs.push_back(Hard(kPcf, "usage_spike_score", -3, 3, 100));
  for (const char* field : {"referee_favorability_score", "look_ahead_pressure_score", "travel_impact_score",
                            "opponent_strength_score"}) {
    specs.push_back(Set(kPcf, field, {0.0}));
  }
  specs.push_back(Hard(kPcf, "total_composite_adjustment", -19.25, 16.0, 100));
  specs.push_back(Set(kPcf, "data_completeness_pct", {0, 20, 40, 60, 80, 100}));
  // MLFS features (mlfs.md §6, validation.md §4.3).
  const std::vector<double> kFive = {-2, -1, 0, 1, 2};
  const std::vector<double> kBinary = {0, 1};
  specs.push_back(Feature(0, "points_avg_last_5", Bounds{0, 60}));
  specs.push_back(Feature(1, "points_avg_last_10", Bounds{0, 60}));
  specs.push_back(Feature(2, "points_avg_season", Bounds{0, 60}));
  specs.push_back(Feature(3, "points_std_last_10", Bounds{0, 30}));
  specs.push_back(Feature(4, "games_in_last_7_days", Bounds{0, 7}));
  specs.push_back(Feature(5, "fatigue_score", Bounds{0, 100}));
  specs.push_back(Feature(6, "shot_zone_mismatch_score", Bounds{-10, 10}));
  specs.push_back(Feature(7, "pace_score", Bounds{-3, 3}));
  specs.push_back(Feature(8, "usage_spike_score", Bounds{-3, 3}));
  specs.push_back(Feature(9, "rest_advantage", std::nullopt, kFive));
  {
    FieldSpec spec = Feature(10, "injury_risk", std::nullopt, {0, 1, 2, 3});
    spec.context_dependent = true;
    specs.push_back(spec);
  }
  specs.push_back(Feature(11, "recent_trend", std::nullopt, kFive));
  specs.push_back(Feature(12, "minutes_change", std::nullopt, kFive));
  specs.push_back(Feature(13, "opponent_def_rating", Bounds{90, 130}));
  specs.push_back(Feature(14, "opponent_pace", Bounds{85, 115}));
  specs.push_back(Feature(15, "home_away", std::nullopt, kBinary));
  specs.push_back(Feature(16, "back_to_back", std::nullopt, kBinary));
  specs.push_back(Feature(17, "playoff_game", std::nullopt, kBinary));
  specs.push_back(Feature(18, "pct_paint", Bounds{0, 1}));
  specs.push_back(Feature(19, "pct_mid_range", Bounds{0, 1}));
  specs.push_back(Feature(20, "pct_three", Bounds{0, 1}));
  specs.push_back(Feature(21, "pct_free_throw", Bounds{0, 0.5}));
  specs.push_back(Feature(22, "team_pace", Bounds{85, 115}));
  specs.push_back(Feature(23, "team_off_rating", Bounds{90, 130}));
  specs.push_back(Feature(24, "team_win_pct", Bounds{0, 1}));
  {
    FieldSpec spec = Hard(kMlfs, "feature_quality_score", 41.4, 97.0, 100);
    specs.push_back(spec);
  }
  return specs;
}

bool InSet(const std::vector<double>& set, double value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool Inside(const std::optional<Bounds>& bounds, double value) {
  return !bounds || (value >= bounds->lo && value <= bounds->hi);
}

std::string Coord(double value) { return Fixed(value, 1); }

}  // namespace

const std::vector<FieldSpec>& AllFieldSpecs() {
  static const std::vector<FieldSpec> specs = BuildSpecs();
  return specs;
}

double NearestRank(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  auto rank = static_cast<long long>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<long long>(rank, 1, static_cast<long long>(sorted.size()));
  return sorted[static_cast<size_t>(rank - 1)];
}

FieldStats ComputeFieldStats(const FieldSpec& spec, const std::vector<Observation>& observations) {
  FieldStats stats;
  std::vector<double> values;
  values.reserve(observations.size());
  double sum = 0.0;
  for (const Observation& obs : observations) {
    ++stats.n;
    if (obs.is_default) ++stats.defaults;
    if (obs.null) {
      ++stats.nulls;
      if (spec.null_allowed) ++stats.valid;
      continue;
    }
    double v = obs.value;
    bool hard_ok = Inside(spec.hard, v) && (spec.set.empty() || InSet(spec.set, v));
    if (!hard_ok) ++stats.hard_violations;
    if (hard_ok && Inside(spec.range, v)) ++stats.valid;
    sum += v;
    values.push_back(v);
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) {
    stats.mean = sum / static_cast<double>(sorted.size());
    stats.min = sorted.front();
    stats.max = sorted.back();
    stats.p01 = NearestRank(sorted, 0.01);
    stats.p50 = NearestRank(sorted, 0.50);
    stats.p99 = NearestRank(sorted, 0.99);
  }

  if (!spec.set.empty()) {
    stats.set_valued = true;
    std::vector<double> set = spec.set;
    std::sort(set.begin(), set.end());
    stats.axis = Bounds{set.front(), set.back()};
    for (double member : set) stats.bins.push_back(Bin{member, member, 0, true});
    Bin other{0, 0, 0, false};
    for (double v : values) {
      auto it = std::find(set.begin(), set.end(), v);
      if (it == set.end()) ++other.count;
      else ++stats.bins[static_cast<size_t>(it - set.begin())].count;
    }
    if (other.count > 0) stats.bins.push_back(other);
    return stats;
  }

  if (spec.axis) stats.axis = *spec.axis;
  else if (spec.hard) stats.axis = *spec.hard;
  else if (stats.p01) stats.axis = Bounds{*stats.p01, *stats.p99};
  else stats.axis = Bounds{0, 1};
  if (!(stats.axis.hi > stats.axis.lo)) stats.axis = Bounds{stats.axis.lo - 0.5, stats.axis.lo + 0.5};
  const double lo = stats.axis.lo;
  const double width = stats.axis.hi - lo;
  for (int bin_idx = 0; bin_idx < kHistogramBins; ++bin_idx) {
    stats.bins.push_back(Bin{lo + width * bin_idx / kHistogramBins, lo + width * (bin_idx + 1) / kHistogramBins, 0, true});
  }
  stats.bins.back().hi = stats.axis.hi;
  for (double v : values) {
    if (v < lo) {
      ++stats.below_axis;
    } else if (v > stats.axis.hi) {
      ++stats.above_axis;
    } else {
      auto bin_idx = static_cast<int>(std::floor((v - lo) / width * kHistogramBins));
      bin_idx = std::clamp(bin_idx, 0, kHistogramBins - 1);
      ++stats.bins[static_cast<size_t>(bin_idx)].count;
    }
  }
  return stats;
}

std::string FieldCheckResult(const FieldSpec& spec, const FieldStats& stats) {
  if (stats.n == 0) return "no rows";
  std::vector<std::string> fails;
  std::vector<std::string> warns;
  if (stats.hard_violations > 0) fails.push_back(fmt::format("F2 {} outside hard bounds", Count(stats.hard_violations)));
  double valid = stats.valid_pct();
  if (valid < spec.min_pct) fails.push_back(fmt::format("F1 valid {}% < {}%", Fixed(valid, 1), ShortNumber(spec.min_pct)));
  else if (valid < 99.0) warns.push_back(fmt::format("F1 valid {}% < 99%", Fixed(valid, 1)));
  if (spec.min_non_null_pct > 0) {
    double non_null = 100.0 - stats.null_pct();
    if (non_null < spec.min_non_null_pct) {
      fails.push_back(fmt::format("non-NULL {}% < {}%", Fixed(non_null, 1), ShortNumber(spec.min_non_null_pct)));
    }
  }
  if (spec.mlfs && spec.feature_index >= 0) {
    double share = stats.default_pct();
    if (stats.defaults == stats.n && stats.n >= 1000 && !spec.context_dependent) {
      fails.push_back("F5 always default");
    } else if (share > spec.default_limit && !spec.context_dependent) {
      warns.push_back(fmt::format("F5 default {}% > {}%", Fixed(share, 1), ShortNumber(spec.default_limit)));
    }
  }
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
  };
  if (!fails.empty()) return "FAIL: " + join(fails) + (warns.empty() ? "" : "; " + join(warns));
  if (!warns.empty()) return "WARN: " + join(warns);
  return spec.context_dependent ? "PASS (context-dependent)" : "PASS";
}

std::string RenderHistogram(const FieldSpec& spec, const FieldStats& stats) {
  // Geometry of the plot area (px).
  constexpr double kWidth = 330, kHeight = 150;
  constexpr double kLeft = 44, kRight = 322, kTop = 10, kBottom = 116;
  const double plot_w = kRight - kLeft, plot_h = kBottom - kTop;
  long long max_count = 1;
  for (const Bin& bin : stats.bins) max_count = std::max(max_count, bin.count);

  const size_t nbars = stats.bins.size();
  // Set-valued fields: slots of at most 46 px, centred.
  double slot = plot_w / static_cast<double>(std::max<size_t>(nbars, 1));
  if (stats.set_valued) slot = std::min(slot, 46.0);
  const double x0 = stats.set_valued ? kLeft + (plot_w - slot * static_cast<double>(nbars)) / 2 : kLeft;
  // x of a value, and the slot of each bar.
  auto x_of = [&](double v) {
    if (stats.set_valued) {
      // Piecewise linear between the centres of the in-set slots.
      size_t nset = 0;
      for (const Bin& bin : stats.bins) nset += bin.in_set ? 1 : 0;
      if (nset <= 1) return x0 + slot / 2;
      for (size_t idx = 0; idx + 1 < nset; ++idx) {
        double a = stats.bins[idx].lo, b = stats.bins[idx + 1].lo;
        if (v <= b || idx + 2 == nset) {
          double t = std::clamp((v - a) / (b - a), 0.0, 1.0);
          return x0 + slot * (static_cast<double>(idx) + 0.5 + t);
        }
      }
      return x0 + slot / 2;
    }
    return kLeft + (v - stats.axis.lo) / (stats.axis.hi - stats.axis.lo) * plot_w;
  };

  std::string svg;
  svg += fmt::format("<svg class=\"hist\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\">",
                     ShortNumber(kWidth), ShortNumber(kHeight));
  // Valid range shading.
  std::optional<Bounds> valid = spec.range ? spec.range : spec.hard;
  if (stats.set_valued) {
    for (size_t idx = 0; idx < nbars; ++idx) {
      if (!stats.bins[idx].in_set) continue;
      svg += fmt::format("<rect class=\"valid\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                         Coord(x0 + slot * idx), Coord(kTop), Coord(slot), Coord(plot_h));
    }
  } else if (valid) {
    double a = std::max(valid->lo, stats.axis.lo), b = std::min(valid->hi, stats.axis.hi);
    if (b > a) {
      svg += fmt::format("<rect class=\"valid\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>valid range [{}, {}]</title></rect>",
                         Coord(x_of(a)), Coord(kTop), Coord(x_of(b) - x_of(a)), Coord(plot_h), ShortNumber(valid->lo),
                         ShortNumber(valid->hi));
    }
  }
  // Bars.
  for (size_t idx = 0; idx < nbars; ++idx) {
    const Bin& bin = stats.bins[idx];
    double h = static_cast<double>(bin.count) / static_cast<double>(max_count) * plot_h;
    double x = x0 + slot * idx + (stats.set_valued ? slot * 0.15 : 0.0);
    double w = stats.set_valued ? slot * 0.7 : slot - 0.6;
    std::string label;
    if (!bin.in_set) label = "other values";
    else if (stats.set_valued) label = ShortNumber(bin.lo);
    else label = fmt::format("[{}, {}{}", ShortNumber(bin.lo), ShortNumber(bin.hi), idx + 1 == nbars ? "]" : ")");
    svg += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>",
                       bin.in_set ? "bar" : "bad", Coord(x), Coord(kBottom - h), Coord(w), Coord(h),
                       HtmlEscape(label), Count(bin.count));
  }
  // Axes and labels.
  svg += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", Coord(kLeft), Coord(kBottom),
                     Coord(kRight));
  svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", Coord(kLeft - 4),
                     Coord(kTop + 8), Count(max_count));
  svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", Coord(kLeft - 4),
                     Coord(kBottom));
  if (stats.set_valued) {
    if (nbars <= 12) {
      for (size_t idx = 0; idx < nbars; ++idx) {
        svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                           Coord(x0 + slot * (idx + 0.5)), Coord(kBottom + 13),
                           stats.bins[idx].in_set ? ShortNumber(stats.bins[idx].lo) : "other");
      }
    }
  } else {
    svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>", Coord(kLeft),
                       Coord(kBottom + 13), ShortNumber(stats.axis.lo));
    svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       Coord((kLeft + kRight) / 2), Coord(kBottom + 13),
                       ShortNumber((stats.axis.lo + stats.axis.hi) / 2));
    svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", Coord(kRight),
                       Coord(kBottom + 13), ShortNumber(stats.axis.hi));
  }
  // Mean and p50 markers (only when on the axis).
  auto marker = [&](const std::optional<double>& value, const char* cls, const char* name) {
    if (!value) return;
    if (!stats.set_valued && (*value < stats.axis.lo || *value > stats.axis.hi)) return;
    double x = x_of(*value);
    svg += fmt::format("<line class=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" y2=\"{3}\"><title>{4} {5}</title></line>", cls,
                       Coord(x), Coord(kTop - 4), Coord(kBottom), name, ShortNumber(*value));
  };
  marker(stats.mean, "mean", "mean");
  marker(stats.p50, "p50", "p50");
  svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>", Coord(kLeft),
                     Coord(kBottom + 28), stats.set_valued ? "one bar per value" : (spec.hard || spec.axis) ? "30 bins over the hard bounds" : "30 bins over [p01, p99]");
  svg += "</svg>";

  // Caption.
  std::string result = FieldCheckResult(spec, stats);
  const char* result_class = result.rfind("FAIL", 0) == 0 ? "fail" : result.rfind("WARN", 0) == 0 ? "warn" : "pass";
  std::string caption = "<b>";
  if (spec.feature_index >= 0) caption += fmt::format("{} ", spec.feature_index);
  caption += HtmlEscape(spec.field) + "</b><br>";
  caption += fmt::format("n {} · NULL {}%", Count(stats.n), Fixed(stats.null_pct(), 1));
  if (spec.mlfs && spec.feature_index >= 0) caption += fmt::format(" · default {}%", Fixed(stats.default_pct(), 1));
  if (stats.mean) caption += fmt::format(" · mean {} · p50 {}", ShortNumber(*stats.mean), ShortNumber(*stats.p50));
  if (stats.below_axis + stats.above_axis > 0) {
    caption += fmt::format(" · off axis {} below, {} above", Count(stats.below_axis), Count(stats.above_axis));
  }
  caption += fmt::format("<br><span class=\"{}\">{}</span>", result_class, HtmlEscape(result));
  return "<figure class=\"dist\">" + svg + "<figcaption>" + caption + "</figcaption></figure>\n";
}

}  // namespace nbapc::report
