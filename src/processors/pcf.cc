#include "processors/pcf.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <set>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"

namespace nbapc::processors {
namespace {

double Clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

// A serialised or stored double equal to 0 is +0.0 (pcf.md §6).
double PositiveZero(double x) { return x == 0.0 ? 0.0 : x; }

// Appends one Unicode code point as a \uXXXX escape (lowercase hex, UTF-16
// surrogate pairs above U+FFFF), as Python json.dumps(ensure_ascii=True).
void AppendUnicodeEscape(std::string& out, uint32_t code_point) {
  char buf[16];
  if (code_point > 0xFFFF) {
    const uint32_t v = code_point - 0x10000;
    std::snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
  } else {
    std::snprintf(buf, sizeof(buf), "\\u%04x", code_point);
  }
  out += buf;
}

// Builds one §10 JSON object: keys in call order, separators ", " and ": ".
class JsonObject {
 public:
  JsonObject& Int(std::string_view key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonObject& Double(std::string_view key, double value) {
    Key(key);
    AppendFormatFloat(out_, PositiveZero(value));
    return *this;
  }
  JsonObject& OptDouble(std::string_view key, const std::optional<double>& value) {
    if (!value) return Null(key);
    return Double(key, *value);
  }
  JsonObject& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonObject& String(std::string_view key, std::string_view value) {
    Key(key);
    out_ += PcfJsonString(value);
    return *this;
  }
  JsonObject& Null(std::string_view key) {
    Key(key);
    out_ += "null";
    return *this;
  }
  std::string Finish() { return "{" + out_ + "}"; }

 private:
  void Key(std::string_view key) {
    if (!out_.empty()) out_ += ", ";
    out_ += PcfJsonString(key);
    out_ += ": ";
  }
  std::string out_;
};

// §7.1 reading rules: int(v, d), float(v, d), bool(v, d).
int64_t IntOr(const std::optional<int64_t>& v, int64_t d) { return v ? *v : d; }
double FloatOr(const std::optional<double>& v, double d) { return v ? *v : d; }

// §10 fatigue_context_json: the inputs after the §7.1 defaults.
std::string FatigueJson(const PcfFatigue& fatigue) {
  return JsonObject()
      .Int("days_rest", fatigue.days_rest)
      .Bool("back_to_back", fatigue.back_to_back_effective)
      .Int("games_last_7", fatigue.games_in_last_7_days)
      .Double("minutes_last_7", fatigue.minutes_in_last_7_days)
      .Double("avg_minutes_pg_last_7", fatigue.avg_minutes_per_game_last_7)
      .Int("back_to_backs_last_14", fatigue.back_to_backs_last_14_days)
      .Int("player_age", fatigue.player_age)
      .Int("final_score", fatigue.fatigue_score)
      .Finish();
}

// §10 shot_zone_context_json.
std::string ShotZoneJson(const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense, double raw) {
  if (shot == nullptr || defense == nullptr) return JsonObject().Bool("missing_data", true).Finish();
  return JsonObject()
      .String("player_primary_zone", shot->primary_scoring_zone.value_or("unknown"))
      .String("opponent_weak_zone", defense->weakest_zone.value_or("unknown"))
      .Double("final_score", raw)
      .Finish();
}

// §10 pace_context_json.
std::string PaceJson(const std::optional<double>& pace_differential, double raw) {
  return JsonObject().Double("pace_differential", FloatOr(pace_differential, 0.0)).Double("final_score", raw).Finish();
}

// §10 usage_context_json.
std::string UsageJson(const PcfContext& context, const PcfUsageSpike& usage) {
  return JsonObject()
      .OptDouble("projected_usage_rate", context.projected_usage_rate)
      .OptDouble("avg_usage_last_7", context.avg_usage_rate_last_7_games)
      .Double("usage_differential", usage.usage_differential)
      .Int("star_teammates_out", usage.star_teammates_out)
      .Double("final_score", usage.score.raw)
      .Finish();
}

Value OptText(const std::optional<std::string>& v) { return v ? Value{*v} : Value{}; }
Value OptBoolValue(const std::optional<bool>& v) { return v ? Value{*v} : Value{}; }

// The 22 hash fields of §12.
constexpr std::string_view kHashFields[] = {
    "analysis_date",
    "calculation_version",
    "context_source",
    "data_completeness_pct",
    "early_season_flag",
    "fatigue_score",
    "game_date",
    "game_id",
    "has_warnings",
    "insufficient_data_reason",
    "look_ahead_pressure_score",
    "missing_data_fields",
    "opponent_strength_score",
    "pace_score",
    "player_lookup",
    "referee_favorability_score",
    "shot_zone_mismatch_score",
    "total_composite_adjustment",
    "travel_impact_score",
    "universal_player_id",
    "usage_spike_score",
    "warning_details",
};

// (column, value) pairs of §11 without data_hash.
NamedValues ValuesWithoutHash(const PcfRow& row) {
  NamedValues out;
  out.reserve(27);
  out.emplace_back("player_lookup", Value{row.player_lookup});
  out.emplace_back("game_date", Value{row.game_date.ToString()});
  out.emplace_back("analysis_date", Value{row.analysis_date.ToString()});
  out.emplace_back("universal_player_id", OptText(row.universal_player_id));
  out.emplace_back("game_id", Value{row.game_id});
  out.emplace_back("context_source", Value{std::string(PcfContextSourceName(row.context_source))});
  out.emplace_back("fatigue_score", Value{row.fatigue_score});
  out.emplace_back("shot_zone_mismatch_score", Value{PositiveZero(row.shot_zone_mismatch_score)});
  out.emplace_back("pace_score", Value{PositiveZero(row.pace_score)});
  out.emplace_back("usage_spike_score", Value{PositiveZero(row.usage_spike_score)});
  out.emplace_back("referee_favorability_score", Value{PositiveZero(row.referee_favorability_score)});
  out.emplace_back("look_ahead_pressure_score", Value{PositiveZero(row.look_ahead_pressure_score)});
  out.emplace_back("travel_impact_score", Value{PositiveZero(row.travel_impact_score)});
  out.emplace_back("opponent_strength_score", Value{PositiveZero(row.opponent_strength_score)});
  out.emplace_back("total_composite_adjustment", Value{PositiveZero(row.total_composite_adjustment)});
  out.emplace_back("fatigue_context_json", Value{row.fatigue_context_json});
  out.emplace_back("shot_zone_context_json", Value{row.shot_zone_context_json});
  out.emplace_back("pace_context_json", Value{row.pace_context_json});
  out.emplace_back("usage_context_json", Value{row.usage_context_json});
  out.emplace_back("calculation_version", Value{row.calculation_version});
  out.emplace_back("data_completeness_pct", Value{PositiveZero(row.data_completeness_pct)});
  out.emplace_back("missing_data_fields", OptText(row.missing_data_fields));
  out.emplace_back("has_warnings", Value{row.has_warnings});
  out.emplace_back("warning_details", OptText(row.warning_details));
  out.emplace_back("early_season_flag", OptBoolValue(row.early_season_flag));
  out.emplace_back("insufficient_data_reason", OptText(row.insufficient_data_reason));
  return out;
}

// §13.2 appearance: minutes > 0 or points > 0 or fg_attempts > 0, NULL as 0.
bool IsAppearance(const PlayerGame& row) {
  return (row.minutes_played && *row.minutes_played > 0.0) || (row.points && *row.points > 0) ||
         (row.fg_attempts && *row.fg_attempts > 0);
}

// Order of one player's PGS rows: game_date, then game_id (PGS is unique per
// (player, game_date); game_id only fixes the order of impossible duplicates).
bool PgsLess(const PlayerGame* a, const PlayerGame* b) {
  if (a->game_date != b->game_date) return a->game_date < b->game_date;
  return a->game_id < b->game_id;
}

// Binary search of a vector sorted by `key(elem)`.
template <typename T, typename KeyFn>
const T* FindSorted(const std::vector<T>& items, std::string_view key, KeyFn key_of) {
  auto it = std::lower_bound(items.begin(), items.end(), key,
                             [&](const T& item, std::string_view k) { return key_of(item) < k; });
  if (it == items.end() || key_of(*it) != key) return nullptr;
  return &*it;
}

// Indices of `contexts` sorted by (player_lookup, game_id): a deterministic
// lookup order whatever the input order.
std::vector<size_t> SortedContextOrder(std::span<const PcfContext> contexts) {
  std::vector<size_t> order(contexts.size());
  for (size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (contexts[a].player_lookup != contexts[b].player_lookup) {
      return contexts[a].player_lookup < contexts[b].player_lookup;
    }
    return contexts[a].game_id < contexts[b].game_id;
  });
  return order;
}

bool EntryLess(const PcfPlayerEntry& a, const PcfPlayerEntry& b) {
  return a.context.player_lookup < b.context.player_lookup;
}

// §13.1: the full synthetic context of one entry: identity from the entry,
// §13.2 from the player's history, §13.3 pace_differential.
PcfContext BuildSyntheticContext(const PcfContext& identity, const PcfPlayerHistory* history,
                                 const PcfPaceIndex::Snapshot& pace, Date analysis_date) {
  static const PcfPlayerHistory kEmptyHistory;
  PcfContext context = PcfSyntheticFromHistory(history ? *history : kEmptyHistory, analysis_date);
  context.player_lookup = identity.player_lookup;
  context.universal_player_id = identity.universal_player_id;
  context.game_id = identity.game_id;
  context.game_date = analysis_date;
  context.team_abbr = identity.team_abbr;
  context.opponent_team_abbr = identity.opponent_team_abbr;
  if (identity.opponent_team_abbr) {
    context.pace_differential = pace.Differential(identity.team_abbr, *identity.opponent_team_abbr);
  }
  return context;
}

DateOutcome Failed(std::string code, const std::string& message) {
  DateOutcome outcome;
  outcome.status = DateStatus::kFailed;
  outcome.reason = code + ": " + message;
  outcome.reason_code = std::move(code);
  return outcome;
}

}  // namespace

const char* PcfContextSourceName(PcfContextSource source) {
  return source == PcfContextSource::kUpcoming ? "upcoming" : "synthetic";
}

PcfContext PcfContextFromUpcoming(const UpcomingPlayerContext& row) {
  PcfContext context;
  context.player_lookup = row.player_lookup;
  context.universal_player_id = row.universal_player_id;
  context.game_id = row.game_id;
  context.game_date = row.game_date;
  context.team_abbr = row.team_abbr;
  context.opponent_team_abbr = row.opponent_team_abbr;
  context.days_rest = row.days_rest;
  context.back_to_back = row.back_to_back;
  context.games_in_last_7_days = row.games_in_last_7_days;
  if (row.minutes_in_last_7_days) context.minutes_in_last_7_days = static_cast<double>(*row.minutes_in_last_7_days);
  context.avg_minutes_per_game_last_7 = row.avg_minutes_per_game_last_7;
  context.back_to_backs_last_14_days = row.back_to_backs_last_14_days;
  context.player_age = row.player_age;
  context.projected_usage_rate = row.projected_usage_rate;
  context.avg_usage_rate_last_7_games = row.avg_usage_rate_last_7_games;
  context.star_teammates_out = row.star_teammates_out;
  context.pace_differential = row.pace_differential;
  return context;
}

// ---- §7 factors ----

PcfFatigue PcfComputeFatigue(const PcfContext& context) {
  PcfFatigue f;
  f.days_rest = IntOr(context.days_rest, 1);
  f.back_to_back_effective = context.back_to_back.value_or(false) || (context.days_rest && *context.days_rest == 0);
  f.games_in_last_7_days = IntOr(context.games_in_last_7_days, 3);
  f.minutes_in_last_7_days = FloatOr(context.minutes_in_last_7_days, 200.0);
  f.avg_minutes_per_game_last_7 = FloatOr(context.avg_minutes_per_game_last_7, 30.0);
  f.back_to_backs_last_14_days = IntOr(context.back_to_backs_last_14_days, 0);
  f.player_age = IntOr(context.player_age, 25);

  int64_t score = 100;
  if (f.back_to_back_effective) {
    score -= 15;  // rule 1
  } else if (f.days_rest >= 3) {
    score += 5;  // rule 1'
  }
  if (f.games_in_last_7_days >= 4) score -= 10;          // rule 2
  if (f.minutes_in_last_7_days > 240.0) score -= 10;     // rule 3 (strict)
  if (f.avg_minutes_per_game_last_7 > 35.0) score -= 8;  // rule 4 (strict)
  if (f.back_to_backs_last_14_days >= 2) {               // rule 5
    score -= 12;
  } else if (f.back_to_backs_last_14_days == 1) {
    score -= 5;
  }
  if (f.player_age >= 35) {  // rule 6
    score -= 10;
  } else if (f.player_age >= 30) {
    score -= 5;
  }
  f.fatigue_score = std::clamp<int64_t>(score, 0, 100);
  f.fatigue_adjustment = PcfFatigueAdjustment(f.fatigue_score);
  return f;
}

double PcfFatigueAdjustment(int64_t fatigue_score) { return static_cast<double>(fatigue_score - 100) / 20.0; }

PcfFactorScore PcfShotZoneMismatch(const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense) {
  PcfFactorScore out;
  if (shot == nullptr || defense == nullptr) return out;  // step 1
  // Step 2: pair by the exact zone string; anything else -> the paint pair.
  std::optional<double> rate = shot->paint_rate_last_10;
  std::optional<double> rating = defense->paint_defense_vs_league_avg;
  if (shot->primary_scoring_zone == "mid_range") {
    rate = shot->mid_range_rate_last_10;
    rating = defense->mid_range_defense_vs_league_avg;
  } else if (shot->primary_scoring_zone == "perimeter") {
    rate = shot->three_pt_rate_last_10;
    rating = defense->three_pt_defense_vs_league_avg;
  }
  const double rate_value = FloatOr(rate, 0.0);  // step 3
  const double rating_value = FloatOr(rating, 0.0);
  const double weight = std::min(rate_value / 50.0, 1.0);  // step 4
  double m = rating_value * weight;
  if (std::abs(m) > 5.0) m = m * 1.2;  // step 5
  m = Clamp(m, -10.0, 10.0);           // step 6
  out.raw = PositiveZero(m);
  out.stored = RoundPy(m, 1);
  return out;
}

PcfFactorScore PcfPace(std::optional<double> pace_differential) {
  PcfFactorScore out;
  const double pace = Clamp(FloatOr(pace_differential, 0.0) / 2.0, -3.0, 3.0);
  out.raw = PositiveZero(pace);
  out.stored = RoundPy(pace, 1);
  return out;
}

PcfUsageSpike PcfComputeUsageSpike(std::optional<double> projected_usage_rate,
                                   std::optional<double> avg_usage_rate_last_7_games,
                                   std::optional<int64_t> star_teammates_out) {
  PcfUsageSpike out;
  out.star_teammates_out = IntOr(star_teammates_out, 0);  // step 1
  // Step 2: no projection or no (non-zero) baseline -> no measurable spike.
  if (!projected_usage_rate || !avg_usage_rate_last_7_games || *avg_usage_rate_last_7_games == 0.0) return out;
  const double diff = *projected_usage_rate - *avg_usage_rate_last_7_games;  // step 3
  double s = diff * 0.3;
  if (out.star_teammates_out > 0 && s > 0.0) {  // step 4
    s = out.star_teammates_out >= 2 ? s * 1.30 : s * 1.15;
  }
  s = Clamp(s, -3.0, 3.0);  // step 5
  out.usage_differential = PositiveZero(diff);
  out.score.raw = PositiveZero(s);
  out.score.stored = RoundPy(s, 1);
  return out;
}

PcfTotal PcfTotalCompositeAdjustment(int64_t fatigue_score, double shot_zone_raw, double pace_raw, double usage_raw) {
  PcfTotal out;
  // §7.6: left to right, with the four deferred factors at 0.0.
  const double total =
      PcfFatigueAdjustment(fatigue_score) + shot_zone_raw + pace_raw + usage_raw + 0.0 + 0.0 + 0.0 + 0.0;
  out.raw = PositiveZero(total);
  out.stored = RoundPy(total, 2);
  return out;
}

PcfCompleteness PcfDataCompleteness(const PcfContext& context, bool player_shot_present, bool team_defense_present) {
  std::vector<const char*> failed;
  if (!context.days_rest) failed.push_back("days_rest");
  if (!context.projected_usage_rate) failed.push_back("projected_usage_rate");
  if (!context.pace_differential) failed.push_back("pace_differential");
  if (!player_shot_present) failed.push_back("player_shot_zone");
  if (!team_defense_present) failed.push_back("team_defense_zone");
  PcfCompleteness out;
  out.data_completeness_pct = static_cast<double>(5 - static_cast<int>(failed.size())) * 20.0;
  if (!failed.empty()) {
    std::string joined;
    for (size_t idx = 0; idx < failed.size(); ++idx) {
      if (idx > 0) joined += ", ";
      joined += failed[idx];
    }
    out.missing_data_fields = std::move(joined);
  }
  return out;
}

PcfWarnings PcfComputeWarnings(int64_t fatigue_score, double shot_zone_raw, double total_raw) {
  std::vector<const char*> messages;
  if (fatigue_score < 50) messages.push_back("EXTREME_FATIGUE: Player showing severe fatigue");
  if (std::abs(shot_zone_raw) > 8.0) messages.push_back("EXTREME_MATCHUP: Unusual zone mismatch");
  if (std::abs(total_raw) > 12.0) messages.push_back("EXTREME_ADJUSTMENT: Very large composite adjustment");
  PcfWarnings out;
  out.has_warnings = !messages.empty();
  if (out.has_warnings) {
    std::string joined;
    for (size_t idx = 0; idx < messages.size(); ++idx) {
      if (idx > 0) joined += "; ";
      joined += messages[idx];
    }
    out.warning_details = std::move(joined);
  }
  return out;
}

// ---- §10-§12 ----

std::string PcfJsonString(std::string_view text) {
  std::string out = "\"";
  size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      switch (byte) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (byte < 0x20) {
            AppendUnicodeEscape(out, byte);
          } else {
            out += static_cast<char>(byte);
          }
      }
      ++pos;
      continue;
    }
    // Decode one UTF-8 sequence; an invalid one becomes U+FFFD.
    int length = 0;
    uint32_t code_point = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    }
    bool valid = length > 0 && pos + static_cast<size_t>(length) <= text.size();
    for (int cont = 1; valid && cont < length; ++cont) {
      const auto next = static_cast<unsigned char>(text[pos + static_cast<size_t>(cont)]);
      if ((next & 0xC0) != 0x80) {
        valid = false;
      } else {
        code_point = (code_point << 6) | (next & 0x3F);
      }
    }
    if (!valid) {
      AppendUnicodeEscape(out, 0xFFFD);
      ++pos;
      continue;
    }
    AppendUnicodeEscape(out, code_point);
    pos += static_cast<size_t>(length);
  }
  out += '"';
  return out;
}

PcfRow PcfComputeRow(Date analysis_date, PcfContextSource context_source, const PcfContext& context,
                     const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense) {
  const PcfFatigue fatigue = PcfComputeFatigue(context);
  const PcfFactorScore shot_zone = PcfShotZoneMismatch(shot, defense);
  const PcfFactorScore pace = PcfPace(context.pace_differential);
  const PcfUsageSpike usage = PcfComputeUsageSpike(context.projected_usage_rate, context.avg_usage_rate_last_7_games,
                                                   context.star_teammates_out);
  const PcfTotal total = PcfTotalCompositeAdjustment(fatigue.fatigue_score, shot_zone.raw, pace.raw, usage.score.raw);
  const PcfCompleteness completeness = PcfDataCompleteness(context, shot != nullptr, defense != nullptr);
  const PcfWarnings warnings = PcfComputeWarnings(fatigue.fatigue_score, shot_zone.raw, total.raw);

  PcfRow row;
  row.player_lookup = context.player_lookup;
  row.game_date = analysis_date;
  row.analysis_date = analysis_date;
  row.universal_player_id = context.universal_player_id;
  row.game_id = context.game_id;
  row.context_source = context_source;
  row.fatigue_score = fatigue.fatigue_score;
  row.shot_zone_mismatch_score = shot_zone.stored;
  row.pace_score = pace.stored;
  row.usage_spike_score = usage.score.stored;
  row.total_composite_adjustment = total.stored;
  row.fatigue_context_json = FatigueJson(fatigue);
  row.shot_zone_context_json = ShotZoneJson(shot, defense, shot_zone.raw);
  row.pace_context_json = PaceJson(context.pace_differential, pace.raw);
  row.usage_context_json = UsageJson(context, usage);
  row.data_completeness_pct = completeness.data_completeness_pct;
  row.missing_data_fields = completeness.missing_data_fields;
  row.has_warnings = warnings.has_warnings;
  row.warning_details = warnings.warning_details;
  row.data_hash = PcfDataHash(row);
  return row;
}

std::string PcfDataHash(const PcfRow& row) {
  // Values in kHashFields order, as ValuesWithoutHash stores them; the
  // canonical string takes them in sorted name order (computed once).
  static const std::vector<uint8_t> kOrder = SortedFieldOrder(kHashFields);
  const DateText game_date_text(row.game_date);
  const DateText analysis_date_text(row.analysis_date);
  const HashValue values[] = {
      ToHashValue(analysis_date_text.view()),
      ToHashValue(row.calculation_version),
      ToHashValue(PcfContextSourceName(row.context_source)),
      ToHashValue(PositiveZero(row.data_completeness_pct)),
      ToHashValue(row.early_season_flag),
      ToHashValue(row.fatigue_score),
      ToHashValue(game_date_text.view()),
      ToHashValue(row.game_id),
      ToHashValue(row.has_warnings),
      ToHashValue(row.insufficient_data_reason),
      ToHashValue(PositiveZero(row.look_ahead_pressure_score)),
      ToHashValue(row.missing_data_fields),
      ToHashValue(PositiveZero(row.opponent_strength_score)),
      ToHashValue(PositiveZero(row.pace_score)),
      ToHashValue(row.player_lookup),
      ToHashValue(PositiveZero(row.referee_favorability_score)),
      ToHashValue(PositiveZero(row.shot_zone_mismatch_score)),
      ToHashValue(PositiveZero(row.total_composite_adjustment)),
      ToHashValue(PositiveZero(row.travel_impact_score)),
      ToHashValue(row.universal_player_id),
      ToHashValue(PositiveZero(row.usage_spike_score)),
      ToHashValue(row.warning_details),
  };
  static_assert(std::size(values) == std::size(kHashFields));
  return DataHashOrdered(kHashFields, values, kOrder);
}

NamedValues ToNamedValues(const PcfRow& row) {
  NamedValues out = ValuesWithoutHash(row);
  out.emplace_back("data_hash", Value{row.data_hash});
  return out;
}

// ---- §13 synthetic context ----

PcfPlayerHistory::PcfPlayerHistory(std::string player_lookup, std::vector<const PlayerGame*> games,
                                   std::vector<const UpcomingPlayerContext*> ages)
    : player_lookup_(std::move(player_lookup)) {
  std::sort(games.begin(), games.end(), PgsLess);
  games_.reserve(games.size());
  for (const PlayerGame* row : games) {
    Game game;
    game.game_date = row->game_date;
    game.season_year = SeasonYear(row->game_date);
    game.appearance = IsAppearance(*row);
    game.minutes_played = row->minutes_played;
    game.usage_rate = row->usage_rate;
    game.team_abbr = row->team_abbr;
    game.universal_player_id = row->universal_player_id;
    games_.push_back(std::move(game));
  }
  for (const UpcomingPlayerContext* row : ages) {
    if (row->player_age) ages_.push_back(Age{row->game_date, *row->player_age});
  }
  std::sort(ages_.begin(), ages_.end(), [](const Age& a, const Age& b) {
    if (a.game_date != b.game_date) return a.game_date < b.game_date;
    return a.player_age < b.player_age;
  });
}

size_t PcfPlayerHistory::EndBefore(Date date) const {
  auto it =
      std::lower_bound(games_.begin(), games_.end(), date, [](const Game& game, Date d) { return game.game_date < d; });
  return static_cast<size_t>(it - games_.begin());
}

PcfContext PcfSyntheticFromHistory(const PcfPlayerHistory& history, Date analysis_date) {
  const Date d = analysis_date;
  const auto& games = history.games();
  const size_t end = history.EndBefore(d);

  PcfContext context;
  context.player_lookup = history.player_lookup();
  context.game_date = d;

  // Appearances in [D-30, D-1], most recent first; A14 / A7 are their suffixes.
  std::optional<Date> last;
  std::vector<const PcfPlayerHistory::Game*> a14;  // descending date
  size_t a7_count = 0;
  for (size_t idx = end; idx-- > 0;) {
    const auto& game = games[idx];
    if (game.game_date < d - kPcfRestCapDays) break;
    if (!game.appearance) continue;
    if (!last) last = game.game_date;
    if (game.game_date >= d - 14) {
      a14.push_back(&game);
      if (game.game_date >= d - 7) ++a7_count;
    }
  }
  const int64_t days_rest = last ? static_cast<int64_t>(d - *last) - 1 : kPcfRestCapDays;
  context.days_rest = days_rest;
  context.back_to_back = days_rest == 0;
  context.games_in_last_7_days = static_cast<int64_t>(a7_count);

  // Minutes over A7 in ascending date (a14's first a7_count entries, reversed).
  double minutes_sum = 0.0;
  int64_t minutes_count = 0;
  for (size_t idx = a7_count; idx-- > 0;) {
    if (a14[idx]->minutes_played) {
      minutes_sum += *a14[idx]->minutes_played;
      ++minutes_count;
    }
  }
  if (a7_count == 0) {
    context.minutes_in_last_7_days = 0.0;
  } else if (minutes_count > 0) {
    context.minutes_in_last_7_days = static_cast<double>(std::llround(minutes_sum));
  }
  if (minutes_count > 0) {
    context.avg_minutes_per_game_last_7 = RoundPy(minutes_sum / static_cast<double>(minutes_count), 1);
  }

  // Dates d of A14 with d-1 also in A14 (dates are distinct and descending).
  int64_t back_to_backs = 0;
  for (size_t idx = 0; idx + 1 < a14.size(); ++idx) {
    if (a14[idx]->game_date - a14[idx + 1]->game_date == 1) ++back_to_backs;
  }
  context.back_to_backs_last_14_days = back_to_backs;

  // Usage baseline: the 7 most recent appearances of D's season, summed in
  // ascending date over the non-NULL values.
  const int season = SeasonYear(d);
  std::vector<const PcfPlayerHistory::Game*> recent;  // descending date
  for (size_t idx = end; idx-- > 0 && recent.size() < 7;) {
    const auto& game = games[idx];
    if (game.season_year != season) break;
    if (game.appearance) recent.push_back(&game);
  }
  double usage_sum = 0.0;
  int64_t usage_count = 0;
  for (size_t idx = recent.size(); idx-- > 0;) {
    if (recent[idx]->usage_rate) {
      usage_sum += *recent[idx]->usage_rate;
      ++usage_count;
    }
  }
  if (usage_count > 0) {
    context.avg_usage_rate_last_7_games = RoundPy(usage_sum / static_cast<double>(usage_count), 2);
  }

  // Age: the latest known age in [D-365, D-1].
  const auto& ages = history.ages();
  auto age_it = std::lower_bound(ages.begin(), ages.end(), d,
                                 [](const PcfPlayerHistory::Age& age, Date date) { return age.game_date < date; });
  if (age_it != ages.begin()) {
    const auto& latest = *std::prev(age_it);
    if (latest.game_date >= d - 365) context.player_age = latest.player_age;
  }
  // projected_usage_rate, star_teammates_out: always NULL (§13.2).
  return context;
}

PcfContext PcfSyntheticHistory(Date analysis_date, std::span<const PlayerGame> pgs_rows,
                               std::span<const UpcomingPlayerContext> upgc_rows) {
  std::vector<const PlayerGame*> games;
  for (const PlayerGame& row : pgs_rows) games.push_back(&row);
  std::vector<const UpcomingPlayerContext*> ages;
  for (const UpcomingPlayerContext& row : upgc_rows) ages.push_back(&row);
  std::string lookup =
      pgs_rows.empty() ? (upgc_rows.empty() ? "" : upgc_rows.front().player_lookup) : pgs_rows.front().player_lookup;
  PcfPlayerHistory history(std::move(lookup), std::move(games), std::move(ages));
  return PcfSyntheticFromHistory(history, analysis_date);
}

PcfPaceIndex::PcfPaceIndex(std::span<const TeamOffenseGame> togs_rows) {
  std::map<std::string, std::vector<const TeamOffenseGame*>> by_team;
  for (const TeamOffenseGame& row : togs_rows) {
    if (row.pace) by_team[row.team_abbr].push_back(&row);
  }
  teams_.reserve(by_team.size());
  for (auto& [team_abbr, rows] : by_team) {
    std::sort(rows.begin(), rows.end(), [](const TeamOffenseGame* a, const TeamOffenseGame* b) {
      if (a->game_date != b->game_date) return a->game_date < b->game_date;
      if (a->game_id != b->game_id) return a->game_id < b->game_id;
      return *a->pace < *b->pace;
    });
    Team team;
    team.team_abbr = team_abbr;
    for (const TeamOffenseGame* row : rows) {
      team.dates.push_back(row->game_date);
      team.paces.push_back(*row->pace);
    }
    teams_.push_back(std::move(team));
  }
}

PcfPaceIndex::Snapshot PcfPaceIndex::SnapshotFor(Date analysis_date) const {
  const int season = SeasonYear(analysis_date);
  Snapshot snapshot;
  snapshot.team_l10.reserve(teams_.size());
  double league_sum = 0.0;
  int64_t league_count = 0;
  for (const Team& team : teams_) {  // ascending team_abbr
    const size_t end =
        static_cast<size_t>(std::lower_bound(team.dates.begin(), team.dates.end(), analysis_date) - team.dates.begin());
    size_t begin = end;
    while (begin > 0 && end - begin < 10 && SeasonYear(team.dates[begin - 1]) == season) --begin;
    std::optional<double> l10;
    if (end - begin >= 5) {
      double sum = 0.0;
      for (size_t idx = begin; idx < end; ++idx) sum += team.paces[idx];  // ascending date
      l10 = sum / static_cast<double>(end - begin);
      league_sum += *l10;
      ++league_count;
    }
    snapshot.team_l10.emplace_back(team.team_abbr, l10);
  }
  if (league_count > 0) snapshot.league = league_sum / static_cast<double>(league_count);
  return snapshot;
}

std::optional<double> PcfPaceIndex::Snapshot::L10(std::string_view team_abbr) const {
  auto it = std::lower_bound(team_l10.begin(), team_l10.end(), team_abbr,
                             [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it == team_l10.end() || it->first != team_abbr) return std::nullopt;
  return it->second;
}

std::optional<double> PcfPaceIndex::Snapshot::Differential(std::string_view team_abbr,
                                                           std::string_view opponent_team_abbr) const {
  const std::optional<double> team = L10(team_abbr);
  const std::optional<double> opponent = L10(opponent_team_abbr);
  if (!team || !opponent || !league) return std::nullopt;
  return RoundPy((*team + *opponent) / 2.0 - *league, 1);
}

PcfSyntheticPace PcfComputeSyntheticPace(Date analysis_date, std::string_view team_abbr,
                                         std::string_view opponent_team_abbr,
                                         std::span<const TeamOffenseGame> togs_rows) {
  const PcfPaceIndex index(togs_rows);
  const PcfPaceIndex::Snapshot snapshot = index.SnapshotFor(analysis_date);
  PcfSyntheticPace out;
  out.team_pace_l10 = snapshot.L10(team_abbr);
  out.opponent_pace_l10 = snapshot.L10(opponent_team_abbr);
  out.league_avg_pace = snapshot.league;
  out.pace_differential = snapshot.Differential(team_abbr, opponent_team_abbr);
  return out;
}

// ---- §5 player set ----

PcfPgsIdentity PcfIdentityOf(const PlayerGame& row) {
  return PcfPgsIdentity{row.player_lookup, row.universal_player_id, row.game_id, row.team_abbr, row.opponent_team_abbr};
}

PcfPlayerIndex::PcfPlayerIndex(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc) {
  std::map<std::string, std::pair<std::vector<const PlayerGame*>, std::vector<const UpcomingPlayerContext*>>,
           std::less<>>
      by_player;
  for (const PlayerGame& row : pgs) by_player[row.player_lookup].first.push_back(&row);
  for (const UpcomingPlayerContext& row : upgc) by_player[row.player_lookup].second.push_back(&row);
  players_.reserve(by_player.size());
  for (auto& [lookup, rows] : by_player) {
    players_.emplace_back(lookup, std::move(rows.first), std::move(rows.second));
  }
  for (size_t player_idx = 0; player_idx < players_.size(); ++player_idx) {
    for (const auto& game : players_[player_idx].games()) {
      std::vector<size_t>& roster = rosters_[std::make_pair(game.season_year, game.team_abbr)];
      if (roster.empty() || roster.back() != player_idx) roster.push_back(player_idx);
    }
  }
  // A player may return to a team within a season: deduplicate.
  for (auto& [key, roster] : rosters_) {
    std::sort(roster.begin(), roster.end());
    roster.erase(std::unique(roster.begin(), roster.end()), roster.end());
  }
}

const PcfPlayerHistory* PcfPlayerIndex::Find(std::string_view player_lookup) const {
  auto it = std::lower_bound(players_.begin(), players_.end(), player_lookup,
                             [](const PcfPlayerHistory& h, std::string_view key) { return h.player_lookup() < key; });
  if (it == players_.end() || it->player_lookup() != player_lookup) return nullptr;
  return &*it;
}

std::vector<PcfPlayerIndex::RosterPlayer> PcfPlayerIndex::Roster(std::string_view team_abbr, Date analysis_date) const {
  std::vector<RosterPlayer> out;
  const int season = SeasonYear(analysis_date);
  auto it = rosters_.find(std::make_pair(season, std::string(team_abbr)));
  if (it == rosters_.end()) return out;
  for (size_t player_idx : it->second) {  // ascending player_lookup
    const PcfPlayerHistory& history = players_[player_idx];
    const size_t end = history.EndBefore(analysis_date);
    if (end == 0) continue;
    const auto& latest = history.games()[end - 1];
    if (latest.season_year != season || latest.team_abbr != team_abbr) continue;
    out.push_back(RosterPlayer{history.player_lookup(), latest.universal_player_id});
  }
  return out;
}

std::vector<PcfPlayerEntry> PcfHistoricalPlayers(Date analysis_date, std::span<const PcfPgsIdentity> pgs_on_date,
                                                 std::span<const PcfContext> upgc_on_date) {
  const std::vector<size_t> upgc_order = SortedContextOrder(upgc_on_date);
  std::vector<PcfPlayerEntry> out;
  out.reserve(pgs_on_date.size());
  for (const PcfPgsIdentity& pgs : pgs_on_date) {
    auto it =
        std::lower_bound(upgc_order.begin(), upgc_order.end(), pgs.player_lookup,
                         [&](size_t idx, const std::string& key) { return upgc_on_date[idx].player_lookup < key; });
    PcfPlayerEntry entry;
    if (it != upgc_order.end() && upgc_on_date[*it].player_lookup == pgs.player_lookup) {
      // §5: the UPGC row as it is; NULL identity fields filled from PGS.
      entry.context_source = PcfContextSource::kUpcoming;
      entry.context = upgc_on_date[*it];
      if (!entry.context.universal_player_id) entry.context.universal_player_id = pgs.universal_player_id;
      if (!entry.context.opponent_team_abbr) entry.context.opponent_team_abbr = pgs.opponent_team_abbr;
    } else {
      entry.context_source = PcfContextSource::kSynthetic;
      entry.context.player_lookup = pgs.player_lookup;
      entry.context.universal_player_id = pgs.universal_player_id;
      entry.context.game_id = pgs.game_id;
      entry.context.team_abbr = pgs.team_abbr;
      entry.context.opponent_team_abbr = pgs.opponent_team_abbr;
    }
    entry.context.game_date = analysis_date;
    out.push_back(std::move(entry));
  }
  std::stable_sort(out.begin(), out.end(), EntryLess);
  // PGS is unique per (player, game_date): drop impossible duplicates.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const PcfPlayerEntry& a, const PcfPlayerEntry& b) {
                          return a.context.player_lookup == b.context.player_lookup;
                        }),
            out.end());
  return out;
}

std::string PcfPhase3GameId(Date game_date, std::string_view away_team_abbr, std::string_view home_team_abbr) {
  const Ymd ymd = ToYmd(game_date);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d", ymd.year, ymd.month, ymd.day);
  std::string out = buf;
  out += '_';
  out += away_team_abbr;
  out += '_';
  out += home_team_abbr;
  return out;
}

std::vector<PcfPlayerEntry> PcfUpcomingPlayers(Date analysis_date, std::span<const ScheduleGame> schedule_on_date,
                                               std::span<const PcfContext> upgc_on_date,
                                               const PcfPlayerIndex& players) {
  std::vector<PcfPlayerEntry> out;
  std::set<std::string, std::less<>> in_set;
  std::set<std::string, std::less<>> teams_with_upgc;
  for (size_t idx : SortedContextOrder(upgc_on_date)) {
    const PcfContext& context = upgc_on_date[idx];
    if (!in_set.insert(context.player_lookup).second) continue;  // unique per (player, date)
    teams_with_upgc.insert(context.team_abbr);
    PcfPlayerEntry entry;
    entry.context_source = PcfContextSource::kUpcoming;
    entry.context = context;
    entry.context.game_date = analysis_date;
    out.push_back(std::move(entry));
  }
  // §13.4: schedule games of D in game_id order (a team plays at most one).
  std::vector<const ScheduleGame*> games;
  for (const ScheduleGame& game : schedule_on_date) {
    if (game.game_date != analysis_date) continue;
    if (game.game_status == GameStatus::kPostponed || !IsIncludedGameType(game.game_type)) continue;
    games.push_back(&game);
  }
  std::sort(games.begin(), games.end(),
            [](const ScheduleGame* a, const ScheduleGame* b) { return a->game_id < b->game_id; });
  for (const ScheduleGame* game : games) {
    const std::string game_id = PcfPhase3GameId(analysis_date, game->away_team_abbr, game->home_team_abbr);
    for (int side = 0; side < 2; ++side) {
      const std::string& team = side == 0 ? game->away_team_abbr : game->home_team_abbr;
      const std::string& opponent = side == 0 ? game->home_team_abbr : game->away_team_abbr;
      if (teams_with_upgc.count(team) > 0) continue;
      for (const auto& roster_player : players.Roster(team, analysis_date)) {
        if (!in_set.insert(roster_player.player_lookup).second) continue;
        PcfPlayerEntry entry;
        entry.context_source = PcfContextSource::kSynthetic;
        entry.context.player_lookup = roster_player.player_lookup;
        entry.context.universal_player_id = roster_player.universal_player_id;
        entry.context.game_id = game_id;
        entry.context.game_date = analysis_date;
        entry.context.team_abbr = team;
        entry.context.opponent_team_abbr = opponent;
        out.push_back(std::move(entry));
      }
    }
  }
  std::sort(out.begin(), out.end(), EntryLess);
  return out;
}

// ---- The processor ----

PcfProcessor::PcfProcessor(const PcfInputs& inputs, const SeasonCalendar& calendar)
    : calendar_(calendar), players_(inputs.pgs, inputs.upgc), pace_(inputs.togs) {
  for (const PlayerGame& row : inputs.pgs) dates_[row.game_date].pgs.push_back(PcfIdentityOf(row));
  for (const UpcomingPlayerContext& row : inputs.upgc)
    dates_[row.game_date].upgc.push_back(PcfContextFromUpcoming(row));
  for (const ScheduleGame& game : inputs.schedule) dates_[game.game_date].schedule.push_back(game);
  for (const PcfShotZoneInput& row : inputs.psza) dates_[row.analysis_date].psza.push_back(row);
  for (const PcfTeamDefenseInput& row : inputs.tdza) dates_[row.analysis_date].tdza.push_back(row);
  for (Date date : inputs.tdza_success_dates) dates_[date].tdza_success = true;
  for (Date date : inputs.psza_success_dates) dates_[date].psza_success = true;
  // Deterministic order whatever the load order (README §8.3); keys are
  // unique per date, the second key only orders impossible duplicates.
  for (auto& [date, slice] : dates_) {
    std::sort(slice.pgs.begin(), slice.pgs.end(), [](const PcfPgsIdentity& a, const PcfPgsIdentity& b) {
      if (a.player_lookup != b.player_lookup) return a.player_lookup < b.player_lookup;
      return a.game_id < b.game_id;
    });
    std::sort(slice.upgc.begin(), slice.upgc.end(), [](const PcfContext& a, const PcfContext& b) {
      if (a.player_lookup != b.player_lookup) return a.player_lookup < b.player_lookup;
      return a.game_id < b.game_id;
    });
    std::sort(slice.schedule.begin(), slice.schedule.end(),
              [](const ScheduleGame& a, const ScheduleGame& b) { return a.game_id < b.game_id; });
    std::stable_sort(slice.psza.begin(), slice.psza.end(), [](const PcfShotZoneInput& a, const PcfShotZoneInput& b) {
      return a.player_lookup < b.player_lookup;
    });
    std::stable_sort(
        slice.tdza.begin(), slice.tdza.end(),
        [](const PcfTeamDefenseInput& a, const PcfTeamDefenseInput& b) { return a.team_abbr < b.team_abbr; });
  }
}

PcfDateResult PcfProcessor::ComputeDate(Date analysis_date) const {
  static const DateSlice kEmptySlice;
  const Date d = analysis_date;
  auto slice_it = dates_.find(d);
  const DateSlice& slice = slice_it == dates_.end() ? kEmptySlice : slice_it->second;
  PcfDateResult result;

  // §4 step 2: the dependency gate on TDZA then PSZA (backfill.md §7 row 4).
  if (slice.tdza.empty() && !slice.tdza_success) {
    result.outcome =
        Failed("missing_dependency", std::string("missing dependency: ") + kPcfTdzaTable + " for " + d.ToString());
    return result;
  }
  if (slice.psza.empty() && !slice.psza_success) {
    result.outcome =
        Failed("missing_dependency", std::string("missing dependency: ") + kPcfPszaTable + " for " + d.ToString());
    return result;
  }

  // §4 steps 3-4, §5: the player set.
  std::vector<PcfPlayerEntry> entries;
  if (calendar_.IsHistorical(d)) {
    if (slice.pgs.empty()) {
      result.outcome = Failed("missing_input", "player_game_summary has no rows for " + d.ToString());
      return result;
    }
    entries = PcfHistoricalPlayers(d, slice.pgs, slice.upgc);
  } else {
    entries = PcfUpcomingPlayers(d, slice.schedule, slice.upgc, players_);
  }
  if (entries.empty()) {
    result.outcome = Failed("no_players", "no players for " + d.ToString());
    return result;
  }

  // §13.3: L10 of every team once per date, only when needed.
  std::optional<PcfPaceIndex::Snapshot> pace;
  for (const PcfPlayerEntry& entry : entries) {
    if (entry.context_source == PcfContextSource::kSynthetic) {
      pace = pace_.SnapshotFor(d);
      break;
    }
  }

  // §4 step 5: one row per player (entries are in ascending player_lookup).
  result.rows.reserve(entries.size());
  for (const PcfPlayerEntry& entry : entries) {
    const PcfContext* context = &entry.context;
    PcfContext synthetic;
    if (entry.context_source == PcfContextSource::kSynthetic) {
      synthetic = BuildSyntheticContext(entry.context, players_.Find(entry.context.player_lookup), *pace, d);
      context = &synthetic;
      ++result.stats.players_synthetic_context;
    } else {
      ++result.stats.players_upcoming_context;
    }
    const PcfShotZoneInput* shot =
        FindSorted(slice.psza, context->player_lookup,
                   [](const PcfShotZoneInput& r) -> const std::string& { return r.player_lookup; });
    const PcfTeamDefenseInput* defense = nullptr;
    if (context->opponent_team_abbr) {
      defense = FindSorted(slice.tdza, *context->opponent_team_abbr,
                           [](const PcfTeamDefenseInput& r) -> const std::string& { return r.team_abbr; });
    }
    result.rows.push_back(PcfComputeRow(d, entry.context_source, *context, shot, defense));
  }
  result.stats.players_processed = static_cast<int64_t>(result.rows.size());
  return result;
}

}  // namespace nbapc::processors
