#include "report/distribution.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/numbers.h"
#include "report/html.h"

namespace nbapc::report {
namespace {

using validate::FieldRule;
using validate::RuleKind;

// Charted: one numeric value per row whose rule is a range or a set
// (validation.md §8 lists the PCF scores, the MLFS features and the registry
// fields of TDZA/PSZA/PDC). Not charted: the Phase 3 inputs (no processor
// writes them), text rules, early_season_flag (a relation to
// games_played_season, not a range), the array lengths and feature_count
// (row shape, mlfs.md §8: one constant per row, not a distribution).
bool Charted(const FieldRule& rule) {
  if (rule.stage == "phase3" || !rule.numeric() || rule.array_length) return false;
  if (rule.kind == RuleKind::kEarlySeasonFlag) return false;
  return !(rule.table == validate::kMlfsTable && rule.index < 0 && rule.kind == RuleKind::kEquals);
}

// A PCF score's chart axis is its pcf.md §7 range. The registry holds that
// range as the hard bounds of the MLFS feature copied from the score
// (mlfs.md §6, features 5-8: "PCF → phase4"); the PCF row itself holds the
// reachable range. Set only where the two differ.
std::optional<Bounds> PcfScoreAxis(const FieldRule& rule) {
  if (rule.table != validate::kPcfTable) return std::nullopt;
  std::optional<Bounds> hard = RuleBounds(rule);
  for (const FieldRule& feature : validate::FeatureRegistry()) {
    if (feature.table != validate::kMlfsTable || feature.index < 0 || feature.field != rule.field) continue;
    std::optional<Bounds> range = RuleBounds(feature);
    if (range && (!hard || range->lo != hard->lo || range->hi != hard->hi)) return range;
  }
  return std::nullopt;
}

std::vector<FieldSpec> BuildSpecs() {
  std::vector<FieldSpec> specs;
  for (const FieldRule& rule : validate::FeatureRegistry()) {
    if (!Charted(rule)) continue;
    specs.push_back(FieldSpec{&rule, PcfScoreAxis(rule)});
  }
  return specs;
}

std::string Coord(double value) { return Fixed(value, 1); }

// The x-axis line under a histogram (the order of ComputeFieldStats).
const char* AxisText(const FieldSpec& spec, const FieldStats& stats) {
  if (stats.set_valued) return "one bar per value";
  if (spec.axis) return "30 bins over the pcf.md §7 range";
  if (spec.rule->hard && RuleBounds(*spec.rule)) return "30 bins over the hard bounds";
  return "30 bins over [p01, p99]";
}

}  // namespace

std::optional<Bounds> RuleBounds(const FieldRule& rule) {
  if (rule.kind != RuleKind::kRange || !rule.lo || !rule.hi) return std::nullopt;
  return Bounds{*rule.lo, *rule.hi};
}

std::vector<double> RuleValueSet(const FieldRule& rule) {
  if (rule.kind == RuleKind::kSet) return rule.set;
  if (rule.kind == RuleKind::kEquals && rule.lo) return {*rule.lo};
  return {};
}

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
  const FieldRule& rule = *spec.rule;
  FieldStats stats;
  std::vector<double> values;
  values.reserve(observations.size());
  double sum = 0.0;
  for (const Observation& obs : observations) {
    ++stats.n;
    if (obs.is_default) ++stats.defaults;
    if (obs.null) {
      ++stats.nulls;
      if (rule.null_allowed) ++stats.valid;
      continue;
    }
    double v = obs.value;
    // validation.md §4.1: valid = non-NULL and satisfying the rule; F2 counts
    // the values breaking a hard rule.
    if (rule.Satisfies(v)) ++stats.valid;
    else if (rule.hard) ++stats.hard_violations;
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

  std::vector<double> set = RuleValueSet(rule);
  if (!set.empty()) {
    stats.set_valued = true;
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

  std::optional<Bounds> hard = rule.hard ? RuleBounds(rule) : std::nullopt;
  if (spec.axis) stats.axis = *spec.axis;
  else if (hard) stats.axis = *hard;
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
  const FieldRule& rule = *spec.rule;
  if (stats.hard_violations > 0) fails.push_back(fmt::format("F2 {} outside hard bounds", Count(stats.hard_violations)));
  // F1 (validation.md §4.2) as `validate features` applies it: the registry's
  // minimum on valid % (or on the non-NULL share); below it an error (a
  // warning where the registry says so), else a warning below 99 % valid.
  // Percentages compared at one decimal, as `validate` rounds them.
  double valid = RoundPy(stats.valid_pct(), 1);
  double measured = rule.min_on_non_null ? RoundPy(100.0 - stats.null_pct(), 1) : valid;
  if (rule.min_pct && measured < *rule.min_pct) {
    std::string text = fmt::format("F1 {} {}% < {}%", rule.min_on_non_null ? "non-NULL" : "valid", Fixed(measured, 1),
                                   ShortNumber(*rule.min_pct));
    (rule.min_warn_only ? warns : fails).push_back(std::move(text));
  } else if (valid < 99.0) {
    warns.push_back(fmt::format("F1 valid {}% < 99%", Fixed(valid, 1)));
  }
  // F5: MLFS features, default share (the registry's limit is a fraction).
  if (rule.index >= 0 && !rule.context_dependent) {
    double share = stats.default_pct();
    if (stats.defaults == stats.n && stats.n >= 1000) {
      fails.push_back("F5 always default");
    } else if (share > rule.default_limit * 100.0) {
      warns.push_back(fmt::format("F5 default {}% > {}%", Fixed(share, 1), ShortNumber(rule.default_limit * 100.0)));
    }
  }
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
  };
  if (!fails.empty()) return "FAIL: " + join(fails) + (warns.empty() ? "" : "; " + join(warns));
  if (!warns.empty()) return "WARN: " + join(warns);
  return rule.context_dependent ? "PASS (context-dependent)" : "PASS";
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
  const FieldRule& rule = *spec.rule;
  std::optional<Bounds> valid = RuleBounds(rule);
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
                     Coord(kBottom + 28), AxisText(spec, stats));
  svg += "</svg>";

  // Caption.
  std::string result = FieldCheckResult(spec, stats);
  const char* result_class = result.rfind("FAIL", 0) == 0 ? "fail" : result.rfind("WARN", 0) == 0 ? "warn" : "pass";
  std::string caption = "<b>";
  if (rule.index >= 0) caption += fmt::format("{} ", rule.index);
  caption += HtmlEscape(rule.field) + "</b><br>";
  caption += fmt::format("n {} · NULL {}%", Count(stats.n), Fixed(stats.null_pct(), 1));
  if (rule.index >= 0) caption += fmt::format(" · default {}%", Fixed(stats.default_pct(), 1));
  if (stats.mean) caption += fmt::format(" · mean {} · p50 {}", ShortNumber(*stats.mean), ShortNumber(*stats.p50));
  if (stats.below_axis + stats.above_axis > 0) {
    caption += fmt::format(" · off axis {} below, {} above", Count(stats.below_axis), Count(stats.above_axis));
  }
  caption += fmt::format("<br><span class=\"{}\">{}</span>", result_class, HtmlEscape(result));
  return "<figure class=\"dist\">" + svg + "<figcaption>" + caption + "</figcaption></figure>\n";
}

}  // namespace nbapc::report
