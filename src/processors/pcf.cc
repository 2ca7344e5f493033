#include "processors/pcf.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/hash.h"
#include "core/numbers.h"

namespace nbapc::processors {
namespace {

double Clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

// ---- Trace helpers (explain, issue 7): used only when a trace sink is given ----

constexpr char kSpec2[] = "pcf.md §2";
constexpr char kSpec5[] = "pcf.md §5";
constexpr char kSpec71[] = "pcf.md §7.1";
constexpr char kSpec72[] = "pcf.md §7.2";
constexpr char kSpec73[] = "pcf.md §7.3";
constexpr char kSpec74[] = "pcf.md §7.4";
constexpr char kSpec75[] = "pcf.md §7.5";
constexpr char kSpec76[] = "pcf.md §7.6";
constexpr char kSpec8[] = "pcf.md §8";
constexpr char kSpec9[] = "pcf.md §9";
constexpr char kSpec10[] = "pcf.md §10";
constexpr char kSpec11[] = "pcf.md §11";
constexpr char kSpec12[] = "pcf.md §12";
constexpr char kSpec132[] = "pcf.md §13.2";
constexpr char kSpec133[] = "pcf.md §13.3";

void AddStep(Trace* trace, const char* spec, std::string name, std::string formula, Value value, bool column = false) {
  trace->push_back(TraceStep{spec, std::move(name), std::move(formula), std::move(value), column});
}
void AddColumn(Trace* trace, const char* spec, std::string name, std::string formula, Value value) {
  AddStep(trace, spec, std::move(name), std::move(formula), std::move(value), true);
}

// Operand texts: doubles by format_float, ints plainly, NULL as "NULL".
std::string Num(double x) { return FormatFloat(x); }
std::string Num(int64_t x) { return std::to_string(x); }
std::string Num(const std::optional<double>& x) { return x ? FormatFloat(*x) : "NULL"; }
std::string Num(const std::optional<int64_t>& x) { return x ? std::to_string(*x) : "NULL"; }
std::string BoolText(bool b) { return b ? "true" : "false"; }
std::string BoolText(const std::optional<bool>& b) { return b ? BoolText(*b) : "NULL"; }
std::string Text(const std::optional<std::string>& t) { return t ? "'" + *t + "'" : "NULL"; }
// Appends one operand of an "a + b + c" sum text.
void AppendTerm(std::string& out, double x) {
  if (!out.empty()) out += " + ";
  out += FormatFloat(x);
}
void AppendListItem(std::string& out, std::string_view item) {
  if (!out.empty()) out += ", ";
  out += item;
}
template <typename T>
Value ValueOf(const std::optional<T>& v) {
  return v ? Value{*v} : Value{};
}
// "running - 15 (why)" for a fatigue rule.
std::string RuleFormula(int64_t before, int64_t points, const std::string& why) {
  return Num(before) + (points < 0 ? " - " : " + ") + Num(points < 0 ? -points : points) + " (" + why + ")";
}

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

// Appends `text` as a JSON string (PcfJsonString's format) to `out`.
void AppendPcfJsonString(std::string& out, std::string_view text);

// Builds one §10 JSON object: keys in call order, separators ", " and ": ".
// Keys, values and braces are appended into one buffer reserved up front, so
// an object costs one allocation (the objects of §10 are under 256 bytes).
class JsonObject {
 public:
  JsonObject() {
    out_.reserve(256);
    out_ += '{';
  }
  JsonObject& Int(std::string_view key, int64_t value) {
    Key(key);
    char digits[24];
    const auto res = std::to_chars(digits, digits + sizeof(digits), value);
    out_.append(digits, res.ptr);
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
    AppendPcfJsonString(out_, value);
    return *this;
  }
  JsonObject& Null(std::string_view key) {
    Key(key);
    out_ += "null";
    return *this;
  }
  std::string Finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(std::string_view key) {
    if (out_.size() > 1) out_ += ", ";  // past the opening brace: not the first key
    AppendPcfJsonString(out_, key);
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

// The distinct player_lookup values of the PGS and UPGC rows, ascending, and
// per row the index of its player there. One hash lookup per row; the result
// depends on neither the hash order nor the input order.
void GroupByLookup(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc,
                   std::vector<std::string_view>* lookups, std::vector<uint32_t>* player_of_pgs,
                   std::vector<uint32_t>* player_of_upgc) {
  NameRanker ranker;
  player_of_pgs->resize(pgs.size());
  for (size_t idx = 0; idx < pgs.size(); ++idx) (*player_of_pgs)[idx] = ranker.Add(pgs[idx].player_lookup);
  player_of_upgc->resize(upgc.size());
  for (size_t idx = 0; idx < upgc.size(); ++idx) (*player_of_upgc)[idx] = ranker.Add(upgc[idx].player_lookup);
  ranker.Finish();
  *lookups = ranker.Sorted();
  for (uint32_t& player : *player_of_pgs) player = ranker.Rank(player);
  for (uint32_t& player : *player_of_upgc) player = ranker.Rank(player);
}

bool EntryLess(const PcfPlayerEntry& a, const PcfPlayerEntry& b) {
  return a.context.player_lookup < b.context.player_lookup;
}

// §13.1: the full synthetic context of one entry: identity from the entry,
// §13.2 from the player's history, §13.3 pace_differential.
// `identity` is consumed: its player_lookup, universal_player_id and game_id
// move into the result (team texts are copied: the trace reads them).
PcfContext BuildSyntheticContext(PcfContext&& identity, const PcfPlayerHistory* history,
                                 const PcfPaceIndex& pace_index, const PcfPaceIndex::Snapshot& pace, Date analysis_date,
                                 Trace* trace) {
  static const PcfPlayerHistory kEmptyHistory;
  PcfContext context = PcfSyntheticFromHistory(history ? *history : kEmptyHistory, analysis_date, trace);
  context.player_lookup = std::move(identity.player_lookup);
  context.universal_player_id = std::move(identity.universal_player_id);
  context.game_id = std::move(identity.game_id);
  context.game_date = analysis_date;
  context.team_abbr = identity.team_abbr;
  context.opponent_team_abbr = identity.opponent_team_abbr;
  if (identity.opponent_team_abbr) {
    context.pace_differential = pace.Differential(identity.team_abbr, *identity.opponent_team_abbr);
  }
  if (trace) {
    if (!identity.opponent_team_abbr) {
      AddStep(trace, kSpec133, "pace_differential", "opponent_team_abbr NULL -> NULL", Value{});
      return context;
    }
    const std::string& team = identity.team_abbr;
    const std::string& opponent = *identity.opponent_team_abbr;
    pace_index.TraceL10(team, analysis_date, trace);
    pace_index.TraceL10(opponent, analysis_date, trace);
    AddStep(trace, kSpec133, "league(D)",
            pace.league ? "sum of L10 over " + Num(pace.league_count) + " teams (ascending team_abbr) / " +
                              Num(pace.league_count) + " = " + Num(pace.league_sum) + " / " + Num(pace.league_count)
                        : "no team with an L10 -> NULL",
            ValueOf(pace.league));
    const std::optional<double> team_l10 = pace.L10(team);
    const std::optional<double> opponent_l10 = pace.L10(opponent);
    std::string formula;
    if (context.pace_differential) {
      formula = "round_py((L10(" + team + ") + L10(" + opponent + ")) / 2.0 - league, 1) = round_py((" + Num(team_l10) +
                " + " + Num(opponent_l10) + ") / 2.0 - " + Num(pace.league) + ", 1)";
    } else {
      formula = std::string(!team_l10       ? "L10(" + team + ")"
                            : !opponent_l10 ? "L10(" + opponent + ")"
                                            : "league(D)") +
                " NULL -> NULL";
    }
    AddStep(trace, kSpec133, "pace_differential", formula, ValueOf(context.pace_differential));
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

PcfFatigue PcfComputeFatigue(const PcfContext& context, Trace* trace) {
  PcfFatigue f;
  f.days_rest = IntOr(context.days_rest, 1);
  const bool flag = context.back_to_back.value_or(false);
  const bool rest_zero = context.days_rest && *context.days_rest == 0;
  f.back_to_back_effective = flag || rest_zero;
  f.games_in_last_7_days = IntOr(context.games_in_last_7_days, 3);
  f.minutes_in_last_7_days = FloatOr(context.minutes_in_last_7_days, 200.0);
  f.avg_minutes_per_game_last_7 = FloatOr(context.avg_minutes_per_game_last_7, 30.0);
  f.back_to_backs_last_14_days = IntOr(context.back_to_backs_last_14_days, 0);
  f.player_age = IntOr(context.player_age, 25);
  if (trace) {
    AddStep(trace, kSpec71, "days_rest", "int(" + Num(context.days_rest) + ", 1)", Value{f.days_rest});
    AddStep(trace, kSpec71, "games_in_last_7_days", "int(" + Num(context.games_in_last_7_days) + ", 3)",
            Value{f.games_in_last_7_days});
    AddStep(trace, kSpec71, "minutes_in_last_7_days", "float(" + Num(context.minutes_in_last_7_days) + ", 200.0)",
            Value{f.minutes_in_last_7_days});
    AddStep(trace, kSpec71, "avg_minutes_per_game_last_7",
            "float(" + Num(context.avg_minutes_per_game_last_7) + ", 30.0)", Value{f.avg_minutes_per_game_last_7});
    AddStep(trace, kSpec71, "back_to_backs_last_14_days", "int(" + Num(context.back_to_backs_last_14_days) + ", 0)",
            Value{f.back_to_backs_last_14_days});
    AddStep(trace, kSpec71, "player_age", "int(" + Num(context.player_age) + ", 25)", Value{f.player_age});
    AddStep(trace, kSpec71, "b2b",
            "bool(back_to_back, false) OR days_rest = 0 = bool(" + BoolText(context.back_to_back) + ", false) OR (" +
                Num(context.days_rest) + " = 0) = " + BoolText(flag) + " OR " + BoolText(rest_zero),
            Value{f.back_to_back_effective});
  }

  int64_t score = 100;
  // Rule 1 / 1'.
  const int64_t rest_points = f.back_to_back_effective ? -15 : (f.days_rest >= 3 ? 5 : 0);
  score += rest_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 1 (b2b / rest)",
            RuleFormula(score - rest_points, rest_points,
                        f.back_to_back_effective
                            ? "b2b"
                            : "not b2b, days_rest " + Num(f.days_rest) + (rest_points > 0 ? " >= 3" : " < 3")),
            Value{score});
  }
  // Rule 2.
  const int64_t games_points = f.games_in_last_7_days >= 4 ? -10 : 0;
  score += games_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 2 (games)",
            RuleFormula(score - games_points, games_points,
                        "games " + Num(f.games_in_last_7_days) + (games_points < 0 ? " >= 4" : " < 4")),
            Value{score});
  }
  // Rule 3 (strict).
  const int64_t minutes_points = f.minutes_in_last_7_days > 240.0 ? -10 : 0;
  score += minutes_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 3 (minutes)",
            RuleFormula(score - minutes_points, minutes_points,
                        "minutes " + Num(f.minutes_in_last_7_days) + (minutes_points < 0 ? " > 240" : " <= 240")),
            Value{score});
  }
  // Rule 4 (strict).
  const int64_t avg_points = f.avg_minutes_per_game_last_7 > 35.0 ? -8 : 0;
  score += avg_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 4 (avg minutes)",
            RuleFormula(score - avg_points, avg_points,
                        "avg " + Num(f.avg_minutes_per_game_last_7) + (avg_points < 0 ? " > 35" : " <= 35")),
            Value{score});
  }
  // Rule 5.
  const int64_t b2b14_points = f.back_to_backs_last_14_days >= 2 ? -12 : (f.back_to_backs_last_14_days == 1 ? -5 : 0);
  score += b2b14_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 5 (b2b in 14 days)",
            RuleFormula(score - b2b14_points, b2b14_points,
                        "b2b14 " + Num(f.back_to_backs_last_14_days) +
                            (b2b14_points == -12 ? " >= 2" : (b2b14_points == -5 ? " = 1" : " = 0"))),
            Value{score});
  }
  // Rule 6.
  const int64_t age_points = f.player_age >= 35 ? -10 : (f.player_age >= 30 ? -5 : 0);
  score += age_points;
  if (trace) {
    AddStep(trace, kSpec71, "score after rule 6 (age)",
            RuleFormula(
                score - age_points, age_points,
                "age " + Num(f.player_age) + (age_points == -10 ? " >= 35" : (age_points == -5 ? " >= 30" : " < 30"))),
            Value{score});
  }
  f.fatigue_score = std::clamp<int64_t>(score, 0, 100);
  f.fatigue_adjustment = PcfFatigueAdjustment(f.fatigue_score);
  if (trace) {
    AddColumn(trace, kSpec71, "fatigue_score", "clamp(" + Num(score) + ", 0, 100)", Value{f.fatigue_score});
    AddStep(trace, kSpec71, "fatigue_adj", "(fatigue_score - 100) / 20.0 = (" + Num(f.fatigue_score) + " - 100) / 20.0",
            Value{f.fatigue_adjustment});
  }
  return f;
}

double PcfFatigueAdjustment(int64_t fatigue_score) { return static_cast<double>(fatigue_score - 100) / 20.0; }

PcfFactorScore PcfShotZoneMismatch(const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense, Trace* trace) {
  PcfFactorScore out;
  if (shot == nullptr || defense == nullptr) {  // step 1
    if (trace) {
      const std::string why = shot == nullptr ? "PSZA row missing" : "TDZA row missing";
      AddStep(trace, kSpec72, "shot (unrounded)", why + " -> 0.0", Value{out.raw});
      AddColumn(trace, kSpec72, "shot_zone_mismatch_score", why + " -> 0.0", Value{PositiveZero(out.stored)});
    }
    return out;
  }
  // Step 2: pair by the exact zone string; anything else -> the paint pair.
  const char* pair = "paint";
  std::optional<double> rate = shot->paint_rate_last_10;
  std::optional<double> rating = defense->paint_defense_vs_league_avg;
  if (shot->primary_scoring_zone == "mid_range") {
    pair = "mid_range";
    rate = shot->mid_range_rate_last_10;
    rating = defense->mid_range_defense_vs_league_avg;
  } else if (shot->primary_scoring_zone == "perimeter") {
    pair = "perimeter";
    rate = shot->three_pt_rate_last_10;
    rating = defense->three_pt_defense_vs_league_avg;
  }
  const double rate_value = FloatOr(rate, 0.0);  // step 3
  const double rating_value = FloatOr(rating, 0.0);
  const double weight = std::min(rate_value / 50.0, 1.0);  // step 4
  double m = rating_value * weight;
  const double unboosted = m;
  const bool boosted = std::abs(m) > 5.0;
  if (boosted) m = m * 1.2;  // step 5
  const double boosted_value = m;
  m = Clamp(m, -10.0, 10.0);  // step 6
  out.raw = PositiveZero(m);
  out.stored = RoundPy(m, 1);
  if (trace) {
    const std::string pair_name = pair;
    const std::string rate_field = pair_name == "perimeter" ? "three_pt_rate_last_10" : pair_name + "_rate_last_10";
    const std::string rating_field =
        pair_name == "perimeter" ? "three_pt_defense_vs_league_avg" : pair_name + "_defense_vs_league_avg";
    AddStep(
        trace, kSpec72, "zone pair",
        "primary_scoring_zone " + Text(shot->primary_scoring_zone) + " -> (" + rate_field + ", " + rating_field + ")" +
            (pair_name == "paint" && shot->primary_scoring_zone != "paint" ? " (not a mapped zone: paint pair)" : ""),
        Value{pair_name});
    AddStep(trace, kSpec72, "rate", "float(" + rate_field + " = " + Num(rate) + ", 0.0)", Value{rate_value});
    AddStep(trace, kSpec72, "rating", "float(" + rating_field + " = " + Num(rating) + ", 0.0)", Value{rating_value});
    AddStep(trace, kSpec72, "weight", "min(rate / 50.0, 1.0) = min(" + Num(rate_value) + " / 50.0, 1.0)",
            Value{weight});
    AddStep(trace, kSpec72, "m", "rating * weight = " + Num(rating_value) + " * " + Num(weight), Value{unboosted});
    AddStep(trace, kSpec72, "m after boost",
            boosted ? "abs(m) > 5.0: m * 1.2 = " + Num(unboosted) + " * 1.2" : "abs(m) <= 5.0: unchanged",
            Value{boosted_value});
    AddStep(trace, kSpec72, "shot (unrounded)", "clamp(" + Num(boosted_value) + ", -10.0, 10.0)", Value{out.raw});
    AddColumn(trace, kSpec72, "shot_zone_mismatch_score", "round_py(" + Num(m) + ", 1)",
              Value{PositiveZero(out.stored)});
  }
  return out;
}

PcfFactorScore PcfPace(std::optional<double> pace_differential, Trace* trace) {
  PcfFactorScore out;
  const double pace = Clamp(FloatOr(pace_differential, 0.0) / 2.0, -3.0, 3.0);
  out.raw = PositiveZero(pace);
  out.stored = RoundPy(pace, 1);
  if (trace) {
    AddStep(trace, kSpec73, "pace (unrounded)",
            "clamp(float(pace_differential, 0.0) / 2.0, -3.0, 3.0) = clamp(" + Num(FloatOr(pace_differential, 0.0)) +
                " / 2.0, -3.0, 3.0)" + (pace_differential ? "" : " (pace_differential NULL)"),
            Value{out.raw});
    AddColumn(trace, kSpec73, "pace_score", "round_py(" + Num(pace) + ", 1)", Value{PositiveZero(out.stored)});
  }
  return out;
}

PcfUsageSpike PcfComputeUsageSpike(std::optional<double> projected_usage_rate,
                                   std::optional<double> avg_usage_rate_last_7_games,
                                   std::optional<int64_t> star_teammates_out, Trace* trace) {
  PcfUsageSpike out;
  out.star_teammates_out = IntOr(star_teammates_out, 0);  // step 1
  if (trace) {
    AddStep(trace, kSpec74, "stars", "int(star_teammates_out = " + Num(star_teammates_out) + ", 0)",
            Value{out.star_teammates_out});
  }
  // Step 2: no projection or no (non-zero) baseline -> no measurable spike.
  if (!projected_usage_rate || !avg_usage_rate_last_7_games || *avg_usage_rate_last_7_games == 0.0) {
    if (trace) {
      const std::string why = !projected_usage_rate          ? "projected_usage_rate NULL"
                              : !avg_usage_rate_last_7_games ? "avg_usage_rate_last_7_games NULL"
                                                             : "avg_usage_rate_last_7_games = 0.0";
      AddStep(trace, kSpec74, "usage_differential", why + " -> 0.0 (no measurable spike)",
              Value{out.usage_differential});
      AddStep(trace, kSpec74, "usage (unrounded)", why + " -> 0.0", Value{out.score.raw});
      AddColumn(trace, kSpec74, "usage_spike_score", why + " -> 0.0", Value{PositiveZero(out.score.stored)});
    }
    return out;
  }
  const double diff = *projected_usage_rate - *avg_usage_rate_last_7_games;  // step 3
  double s = diff * 0.3;
  const double unboosted = s;
  if (out.star_teammates_out > 0 && s > 0.0) {  // step 4
    s = out.star_teammates_out >= 2 ? s * 1.30 : s * 1.15;
  }
  const double boosted = s;
  s = Clamp(s, -3.0, 3.0);  // step 5
  out.usage_differential = PositiveZero(diff);
  out.score.raw = PositiveZero(s);
  out.score.stored = RoundPy(s, 1);
  if (trace) {
    AddStep(trace, kSpec74, "usage_differential",
            "proj - base = " + Num(*projected_usage_rate) + " - " + Num(*avg_usage_rate_last_7_games),
            Value{out.usage_differential});
    AddStep(trace, kSpec74, "s", "diff * 0.3 = " + Num(diff) + " * 0.3", Value{unboosted});
    std::string boost;
    if (out.star_teammates_out > 0 && unboosted > 0.0) {
      boost = "stars " + Num(out.star_teammates_out) +
              (out.star_teammates_out >= 2 ? " >= 2, s > 0: s * 1.30 = " : " = 1, s > 0: s * 1.15 = ") +
              Num(unboosted) + (out.star_teammates_out >= 2 ? " * 1.30" : " * 1.15");
    } else {
      boost = "stars " + Num(out.star_teammates_out) + ", s " + Num(unboosted) + ": no star boost";
    }
    AddStep(trace, kSpec74, "s after star boost", boost, Value{boosted});
    AddStep(trace, kSpec74, "usage (unrounded)", "clamp(" + Num(boosted) + ", -3.0, 3.0)", Value{out.score.raw});
    AddColumn(trace, kSpec74, "usage_spike_score", "round_py(" + Num(s) + ", 1)",
              Value{PositiveZero(out.score.stored)});
  }
  return out;
}

PcfTotal PcfTotalCompositeAdjustment(int64_t fatigue_score, double shot_zone_raw, double pace_raw, double usage_raw,
                                     Trace* trace) {
  PcfTotal out;
  // §7.6: left to right, with the four deferred factors at 0.0.
  const double fatigue_adj = PcfFatigueAdjustment(fatigue_score);
  const double total = fatigue_adj + shot_zone_raw + pace_raw + usage_raw + 0.0 + 0.0 + 0.0 + 0.0;
  out.raw = PositiveZero(total);
  out.stored = RoundPy(total, 2);
  if (trace) {
    AddStep(trace, kSpec76, "total (unrounded)",
            "fatigue_adj + shot + pace + usage + 0.0 + 0.0 + 0.0 + 0.0 = " + Num(fatigue_adj) + " + " +
                Num(shot_zone_raw) + " + " + Num(pace_raw) + " + " + Num(usage_raw) + " + 0.0 + 0.0 + 0.0 + 0.0",
            Value{out.raw});
    AddColumn(trace, kSpec76, "total_composite_adjustment", "round_py(" + Num(total) + ", 2)",
              Value{PositiveZero(out.stored)});
  }
  return out;
}

PcfCompleteness PcfDataCompleteness(const PcfContext& context, bool player_shot_present, bool team_defense_present,
                                    Trace* trace) {
  // §8 checks in order: (label, passed).
  const std::pair<const char*, bool> checks[] = {
      {"days_rest", context.days_rest.has_value()},
      {"projected_usage_rate", context.projected_usage_rate.has_value()},
      {"pace_differential", context.pace_differential.has_value()},
      {"player_shot_zone", player_shot_present},
      {"team_defense_zone", team_defense_present},
  };
  int passed = 0;
  size_t missing_length = 0;  // of the joined labels, to allocate the text once
  for (const auto& [label, ok] : checks) {
    if (!ok) missing_length += (missing_length > 0 ? 2 : 0) + std::char_traits<char>::length(label);
  }
  PcfCompleteness out;
  for (const auto& [label, ok] : checks) {
    if (ok) {
      ++passed;
    } else if (!out.missing_data_fields) {
      out.missing_data_fields.emplace();
      out.missing_data_fields->reserve(missing_length);
      *out.missing_data_fields += label;
    } else {
      *out.missing_data_fields += ", ";
      *out.missing_data_fields += label;
    }
  }
  out.data_completeness_pct = static_cast<double>(passed) * 20.0;
  if (trace) {
    int number = 0;
    for (const auto& [label, ok] : checks) {
      ++number;
      const std::string_view name = label;
      const bool is_row = name == "player_shot_zone" || name == "team_defense_zone";
      AddStep(trace, kSpec8, "check " + std::to_string(number) + " " + label,
              std::string(is_row ? (name == "player_shot_zone" ? "PSZA row" : "TDZA row") : label) +
                  (ok ? (is_row ? " present" : " not NULL") : (is_row ? " missing" : " NULL")),
              Value{ok});
    }
    AddColumn(trace, kSpec8, "data_completeness_pct", "passed * 20.0 = " + std::to_string(passed) + " * 20.0",
              Value{PositiveZero(out.data_completeness_pct)});
    AddColumn(
        trace, kSpec8, "missing_data_fields",
        out.missing_data_fields ? "failed labels in check order, joined with \", \"" : "every check passed -> NULL",
        ValueOf(out.missing_data_fields));
  }
  return out;
}

PcfWarnings PcfComputeWarnings(int64_t fatigue_score, double shot_zone_raw, double total_raw, Trace* trace) {
  const bool fatigue = fatigue_score < 50;
  const bool matchup = std::abs(shot_zone_raw) > 8.0;
  const bool adjustment = std::abs(total_raw) > 12.0;
  PcfWarnings out;
  out.has_warnings = fatigue || matchup || adjustment;
  if (out.has_warnings) {
    std::string joined;
    auto add = [&](const char* message) {
      if (!joined.empty()) joined += "; ";
      joined += message;
    };
    if (fatigue) add("EXTREME_FATIGUE: Player showing severe fatigue");
    if (matchup) add("EXTREME_MATCHUP: Unusual zone mismatch");
    if (adjustment) add("EXTREME_ADJUSTMENT: Very large composite adjustment");
    out.warning_details = std::move(joined);
  }
  if (trace) {
    AddColumn(trace, kSpec9, "has_warnings",
              "fatigue_score " + Num(fatigue_score) + (fatigue ? " < 50" : " >= 50") + "; abs(shot) " +
                  Num(std::abs(shot_zone_raw)) + (matchup ? " > 8.0" : " <= 8.0") + "; abs(total) " +
                  Num(std::abs(total_raw)) + (adjustment ? " > 12.0" : " <= 12.0"),
              Value{out.has_warnings});
    AddColumn(trace, kSpec9, "warning_details",
              out.has_warnings ? "messages in rule order, joined with \"; \"" : "no warning -> NULL",
              ValueOf(out.warning_details));
  }
  return out;
}

// ---- §10-§12 ----

namespace {

void AppendPcfJsonString(std::string& out, std::string_view text) {
  out += '"';
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
}

}  // namespace

std::string PcfJsonString(std::string_view text) {
  std::string out;
  AppendPcfJsonString(out, text);
  return out;
}

PcfRow PcfComputeRow(Date analysis_date, PcfContextSource context_source, PcfContext context,
                     const PcfShotZoneInput* shot, const PcfTeamDefenseInput* defense, Trace* trace) {
  const PcfFatigue fatigue = PcfComputeFatigue(context, trace);
  const PcfFactorScore shot_zone = PcfShotZoneMismatch(shot, defense, trace);
  const PcfFactorScore pace = PcfPace(context.pace_differential, trace);
  const PcfUsageSpike usage = PcfComputeUsageSpike(context.projected_usage_rate, context.avg_usage_rate_last_7_games,
                                                   context.star_teammates_out, trace);
  if (trace) {
    // §7.5: the PcfRow defaults, stored as they are.
    const PcfRow defaults;
    AddColumn(trace, kSpec75, "referee_favorability_score", "deferred factor -> 0.0",
              Value{PositiveZero(defaults.referee_favorability_score)});
    AddColumn(trace, kSpec75, "look_ahead_pressure_score", "deferred factor -> 0.0",
              Value{PositiveZero(defaults.look_ahead_pressure_score)});
    AddColumn(trace, kSpec75, "travel_impact_score", "deferred factor -> 0.0",
              Value{PositiveZero(defaults.travel_impact_score)});
    AddColumn(trace, kSpec75, "opponent_strength_score", "deferred factor -> 0.0",
              Value{PositiveZero(defaults.opponent_strength_score)});
  }
  const PcfTotal total =
      PcfTotalCompositeAdjustment(fatigue.fatigue_score, shot_zone.raw, pace.raw, usage.score.raw, trace);
  // Not const: their texts are moved into the row.
  PcfCompleteness completeness = PcfDataCompleteness(context, shot != nullptr, defense != nullptr, trace);
  PcfWarnings warnings = PcfComputeWarnings(fatigue.fatigue_score, shot_zone.raw, total.raw, trace);

  PcfRow row;
  // The identity texts are not read again: move them.
  row.player_lookup = std::move(context.player_lookup);
  row.game_date = analysis_date;
  row.analysis_date = analysis_date;
  row.universal_player_id = std::move(context.universal_player_id);
  row.game_id = std::move(context.game_id);
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
  row.missing_data_fields = std::move(completeness.missing_data_fields);
  row.has_warnings = warnings.has_warnings;
  row.warning_details = std::move(warnings.warning_details);
  row.data_hash = PcfDataHash(row);
  if (trace) {
    AddColumn(trace, kSpec10, "fatigue_context_json", "the §7.1 inputs after their defaults, b2b and the score",
              Value{row.fatigue_context_json});
    AddColumn(trace, kSpec10, "shot_zone_context_json",
              shot == nullptr || defense == nullptr ? "a row is missing" : "zones and the unrounded shot",
              Value{row.shot_zone_context_json});
    AddColumn(trace, kSpec10, "pace_context_json", "float(pace_differential, 0.0) and the unrounded pace",
              Value{row.pace_context_json});
    AddColumn(trace, kSpec10, "usage_context_json", "proj, base, diff, stars and the unrounded usage",
              Value{row.usage_context_json});
    AddColumn(trace, kSpec11, "calculation_version", "constant", Value{row.calculation_version});
    AddColumn(trace, kSpec11, "early_season_flag", "always NULL (no PCF row is an early-season placeholder)",
              ValueOf(row.early_season_flag));
    AddColumn(trace, kSpec11, "insufficient_data_reason", "always NULL", ValueOf(row.insufficient_data_reason));
    AddColumn(trace, kSpec12, "data_hash", "sha256 of the 22 §12 hash fields (tdza.md §14)", Value{row.data_hash});
  }
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
    game.universal_player_id_index = InternUniversalPlayerId(row->universal_player_id);
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

uint32_t PcfPlayerHistory::InternUniversalPlayerId(const std::optional<std::string>& id) {
  if (!universal_player_ids_.empty() && universal_player_ids_.back() == id) {
    return static_cast<uint32_t>(universal_player_ids_.size() - 1);
  }
  for (size_t idx = 0; idx < universal_player_ids_.size(); ++idx) {
    if (universal_player_ids_[idx] == id) return static_cast<uint32_t>(idx);
  }
  universal_player_ids_.push_back(id);
  return static_cast<uint32_t>(universal_player_ids_.size() - 1);
}

size_t PcfPlayerHistory::EndBefore(Date date) const {
  auto it =
      std::lower_bound(games_.begin(), games_.end(), date, [](const Game& game, Date d) { return game.game_date < d; });
  return static_cast<size_t>(it - games_.begin());
}

PcfContext PcfSyntheticFromHistory(const PcfPlayerHistory& history, Date analysis_date, Trace* trace) {
  const Date d = analysis_date;
  const auto& games = history.games();
  const size_t end = history.EndBefore(d);

  PcfContext context;
  context.player_lookup = history.player_lookup();
  context.game_date = d;
  if (trace) {
    // The inputs: every PGS row of the 30-day look-back, DNP rows marked.
    std::string rows;
    int64_t appearances = 0;
    const size_t begin = history.EndBefore(d - kPcfRestCapDays);
    for (size_t idx = begin; idx < end; ++idx) {
      AppendListItem(rows, games[idx].game_date.ToString() + (games[idx].appearance ? "" : " DNP"));
      if (games[idx].appearance) ++appearances;
    }
    AddStep(trace, kSpec132, "PGS rows in [D-30, D-1]",
            Num(static_cast<int64_t>(end - begin)) + " rows in [" + (d - kPcfRestCapDays).ToString() + ", " +
                (d - 1).ToString() + "], " + Num(appearances) +
                " appearances (minutes, points or FGA > 0; DNP = not an appearance)",
            rows.empty() ? Value{} : Value{rows});
  }

  // Appearances in [D-30, D-1], most recent first; A14 / A7 are their suffixes.
  std::optional<Date> last;
  // Per-thread scratch, reused across rows (this runs once per synthetic row).
  thread_local std::vector<const PcfPlayerHistory::Game*> a14;  // descending date
  a14.clear();
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
  if (trace) {
    AddStep(trace, kSpec132, "days_rest",
            last ? "(D - last appearance) - 1 = (" + d.ToString() + " - " + last->ToString() + ") - 1"
                 : "no appearance in [" + (d - kPcfRestCapDays).ToString() + ", " + (d - 1).ToString() + "] -> 30",
            Value{days_rest});
    AddStep(trace, kSpec132, "back_to_back", "days_rest = 0 = (" + Num(days_rest) + " = 0)",
            Value{*context.back_to_back});
    std::string a7_dates;
    for (size_t idx = a7_count; idx-- > 0;) AppendListItem(a7_dates, a14[idx]->game_date.ToString());
    AddStep(trace, kSpec132, "games_in_last_7_days",
            "count of A7 (appearances in [" + (d - 7).ToString() + ", " + (d - 1).ToString() +
                "]): " + (a7_dates.empty() ? "none" : a7_dates),
            Value{*context.games_in_last_7_days});
  }

  // Minutes over A7 in ascending date (a14's first a7_count entries, reversed).
  double minutes_sum = 0.0;
  int64_t minutes_count = 0;
  std::string minutes_terms;  // trace only
  std::string minutes_nulls;  // trace only
  for (size_t idx = a7_count; idx-- > 0;) {
    if (a14[idx]->minutes_played) {
      minutes_sum += *a14[idx]->minutes_played;
      ++minutes_count;
      if (trace) AppendTerm(minutes_terms, *a14[idx]->minutes_played);
    } else if (trace) {
      AppendListItem(minutes_nulls, a14[idx]->game_date.ToString());
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
  if (trace) {
    const std::string nulls = minutes_nulls.empty() ? "" : " (NULL minutes: " + minutes_nulls + ")";
    AddStep(trace, kSpec132, "A7 minutes sum",
            (minutes_terms.empty() ? std::string("no non-NULL minutes") : minutes_terms) + nulls, Value{minutes_sum});
    AddStep(trace, kSpec132, "minutes_in_last_7_days",
            a7_count == 0        ? "A7 empty -> 0"
            : minutes_count == 0 ? "every A7 minutes value NULL -> NULL"
                                 : "llround(" + Num(minutes_sum) + ")",
            ValueOf(context.minutes_in_last_7_days));
    AddStep(trace, kSpec132, "avg_minutes_per_game_last_7",
            minutes_count == 0 ? "no A7 row with minutes -> NULL"
                               : "round_py(" + Num(minutes_sum) + " / " + Num(minutes_count) + ", 1)",
            ValueOf(context.avg_minutes_per_game_last_7));
  }

  // Dates d of A14 with d-1 also in A14 (dates are distinct and descending).
  int64_t back_to_backs = 0;
  std::string pair_dates;  // trace only
  for (size_t idx = 0; idx + 1 < a14.size(); ++idx) {
    if (a14[idx]->game_date - a14[idx + 1]->game_date == 1) {
      ++back_to_backs;
      if (trace) pair_dates = a14[idx]->game_date.ToString() + (pair_dates.empty() ? "" : ", " + pair_dates);
    }
  }
  context.back_to_backs_last_14_days = back_to_backs;
  if (trace) {
    std::string a14_dates;
    for (size_t idx = a14.size(); idx-- > 0;) AppendListItem(a14_dates, a14[idx]->game_date.ToString());
    AddStep(trace, kSpec132, "back_to_backs_last_14_days",
            "A14 (appearances in [" + (d - 14).ToString() + ", " + (d - 1).ToString() +
                "]): " + (a14_dates.empty() ? "none" : a14_dates) +
                "; dates whose previous day is in A14: " + (pair_dates.empty() ? "none" : pair_dates),
            Value{back_to_backs});
  }

  // Usage baseline: the 7 most recent appearances of D's season, summed in
  // ascending date over the non-NULL values.
  const int season = SeasonYear(d);
  thread_local std::vector<const PcfPlayerHistory::Game*> recent;  // descending date; per-thread scratch
  recent.clear();
  for (size_t idx = end; idx-- > 0 && recent.size() < 7;) {
    const auto& game = games[idx];
    if (game.season_year != season) break;
    if (game.appearance) recent.push_back(&game);
  }
  double usage_sum = 0.0;
  int64_t usage_count = 0;
  std::string usage_terms;  // trace only
  std::string usage_nulls;  // trace only
  for (size_t idx = recent.size(); idx-- > 0;) {
    if (recent[idx]->usage_rate) {
      usage_sum += *recent[idx]->usage_rate;
      ++usage_count;
      if (trace) AppendTerm(usage_terms, *recent[idx]->usage_rate);
    } else if (trace) {
      AppendListItem(usage_nulls, recent[idx]->game_date.ToString());
    }
  }
  if (usage_count > 0) {
    context.avg_usage_rate_last_7_games = RoundPy(usage_sum / static_cast<double>(usage_count), 2);
  }
  if (trace) {
    std::string window;
    for (size_t idx = recent.size(); idx-- > 0;) AppendListItem(window, recent[idx]->game_date.ToString());
    AddStep(trace, kSpec132, "usage window",
            "the 7 most recent appearances of season " + std::to_string(season) + " before D (" +
                Num(static_cast<int64_t>(recent.size())) + " found)",
            window.empty() ? Value{} : Value{window});
    AddStep(trace, kSpec132, "usage sum",
            (usage_terms.empty() ? std::string("no non-NULL usage_rate") : usage_terms) +
                (usage_nulls.empty() ? "" : " (NULL usage_rate: " + usage_nulls + ")"),
            Value{usage_sum});
    AddStep(trace, kSpec132, "avg_usage_rate_last_7_games",
            usage_count == 0 ? "no non-NULL usage_rate -> NULL"
                             : "round_py(" + Num(usage_sum) + " / " + Num(usage_count) + ", 2)",
            ValueOf(context.avg_usage_rate_last_7_games));
  }

  // Age: the latest known age in [D-365, D-1].
  const auto& ages = history.ages();
  auto age_it = std::lower_bound(ages.begin(), ages.end(), d,
                                 [](const PcfPlayerHistory::Age& age, Date date) { return age.game_date < date; });
  if (age_it != ages.begin()) {
    const auto& latest = *std::prev(age_it);
    if (latest.game_date >= d - 365) context.player_age = latest.player_age;
  }
  if (trace) {
    std::string formula;
    if (context.player_age) {
      formula = "latest non-NULL UPGC player_age in [" + (d - 365).ToString() + ", " + (d - 1).ToString() +
                "]: " + std::prev(age_it)->game_date.ToString();
    } else if (age_it != ages.begin()) {
      formula = "latest known age (" + std::prev(age_it)->game_date.ToString() + ") is before " + (d - 365).ToString() +
                " -> NULL";
    } else {
      formula = "no UPGC player_age before D -> NULL";
    }
    AddStep(trace, kSpec132, "player_age", formula, ValueOf(context.player_age));
    // projected_usage_rate, star_teammates_out: always NULL (§13.2).
    AddStep(trace, kSpec132, "projected_usage_rate",
            "always NULL for synthetic: projection = baseline (no change), reported missing", Value{});
    AddStep(trace, kSpec132, "star_teammates_out", "always NULL for synthetic (unknown, read as 0)", Value{});
  }
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

std::optional<double> PcfPaceIndex::TeamL10(const Team& team, Date analysis_date, int season, Trace* trace) {
  const size_t end =
      static_cast<size_t>(std::lower_bound(team.dates.begin(), team.dates.end(), analysis_date) - team.dates.begin());
  size_t begin = end;
  while (begin > 0 && end - begin < 10 && SeasonYear(team.dates[begin - 1]) == season) --begin;
  std::optional<double> l10;
  std::string terms;  // trace only
  if (end - begin >= 5) {
    double sum = 0.0;
    for (size_t idx = begin; idx < end; ++idx) {  // ascending date
      sum += team.paces[idx];
      if (trace) AppendTerm(terms, team.paces[idx]);
    }
    l10 = sum / static_cast<double>(end - begin);
  }
  if (trace) {
    const std::string count = std::to_string(end - begin);
    std::string formula;
    if (l10) {
      formula = "(" + terms + ") / " + count + " over " + team.dates[begin].ToString() + ".." +
                team.dates[end - 1].ToString();
    } else {
      formula = count + " paced TOGS games of season " + std::to_string(season) + " before D (< 5) -> NULL";
    }
    AddStep(trace, kSpec133, "L10(" + team.team_abbr + ")", formula, ValueOf(l10));
  }
  return l10;
}

PcfPaceIndex::Snapshot PcfPaceIndex::SnapshotFor(Date analysis_date) const {
  const int season = SeasonYear(analysis_date);
  Snapshot snapshot;
  snapshot.team_l10.reserve(teams_.size());
  for (const Team& team : teams_) {  // ascending team_abbr
    const std::optional<double> l10 = TeamL10(team, analysis_date, season, nullptr);
    if (l10) {
      snapshot.league_sum += *l10;
      ++snapshot.league_count;
    }
    snapshot.team_l10.emplace_back(team.team_abbr, l10);
  }
  if (snapshot.league_count > 0) snapshot.league = snapshot.league_sum / static_cast<double>(snapshot.league_count);
  return snapshot;
}

void PcfPaceIndex::TraceL10(std::string_view team_abbr, Date analysis_date, Trace* trace) const {
  auto it = std::lower_bound(teams_.begin(), teams_.end(), team_abbr,
                             [](const Team& team, std::string_view key) { return team.team_abbr < key; });
  if (it == teams_.end() || it->team_abbr != team_abbr) {
    AddStep(trace, kSpec133, "L10(" + std::string(team_abbr) + ")", "no TOGS row with a pace -> NULL", Value{});
    return;
  }
  TeamL10(*it, analysis_date, SeasonYear(analysis_date), trace);
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

PcfPlayerIndex::PcfPlayerIndex(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc)
    : PcfPlayerIndex(pgs, upgc, nullptr) {}

PcfPlayerIndex::PcfPlayerIndex(std::span<const PlayerGame> pgs, std::span<const UpcomingPlayerContext> upgc,
                               std::vector<std::pair<uint32_t, uint32_t>>* pgs_positions) {
  // Players ranked by player_lookup (the hash map only groups: nothing depends
  // on hash or input order, README §8.3).
  std::vector<std::string_view> lookups;
  std::vector<uint32_t> player_of_pgs;
  std::vector<uint32_t> player_of_upgc;
  GroupByLookup(pgs, upgc, &lookups, &player_of_pgs, &player_of_upgc);
  const size_t player_count = lookups.size();
  players_.resize(player_count);

  // Pass 1, PGS rows in input order (read once, sequentially): each row's
  // game, placed in its player's block (counting sort by player).
  struct BuildGame {
    PcfPlayerHistory::Game game;
    const PlayerGame* row = nullptr;  // game_id: the tie-break of PgsLess
    uint32_t input = 0;
  };
  std::vector<uint32_t> first(player_count + 1, 0);
  for (uint32_t player : player_of_pgs) ++first[player + 1];
  for (size_t player = 0; player < player_count; ++player) first[player + 1] += first[player];
  std::vector<BuildGame> build(pgs.size());
  {
    std::vector<uint32_t> next(first.begin(), first.end() - 1);
    for (size_t idx = 0; idx < pgs.size(); ++idx) {
      const PlayerGame& row = pgs[idx];
      const uint32_t player = player_of_pgs[idx];
      BuildGame& out = build[next[player]++];
      out.game.game_date = row.game_date;
      out.game.season_year = SeasonYear(row.game_date);
      out.game.appearance = IsAppearance(row);
      out.game.minutes_played = row.minutes_played;
      out.game.usage_rate = row.usage_rate;
      out.game.team_abbr = row.team_abbr;
      out.game.universal_player_id_index = players_[player].InternUniversalPlayerId(row.universal_player_id);
      out.row = &row;
      out.input = static_cast<uint32_t>(idx);
    }
  }
  for (size_t idx = 0; idx < upgc.size(); ++idx) {
    const UpcomingPlayerContext& row = upgc[idx];
    if (row.player_age)
      players_[player_of_upgc[idx]].ages_.push_back(PcfPlayerHistory::Age{row.game_date, *row.player_age});
  }

  // Pass 2, per player: the block in PgsLess order, the history, the rosters.
  const auto game_less = [](const BuildGame& a, const BuildGame& b) {
    if (a.game.game_date != b.game.game_date) return a.game.game_date < b.game.game_date;
    return a.row->game_id < b.row->game_id;
  };
  if (pgs_positions) pgs_positions->resize(pgs.size());
  for (size_t player = 0; player < player_count; ++player) {
    PcfPlayerHistory& history = players_[player];
    history.player_lookup_ = lookups[player];
    const auto begin = build.begin() + first[player];
    const auto end = build.begin() + first[player + 1];
    if (!std::is_sorted(begin, end, game_less)) std::sort(begin, end, game_less);
    history.games_.reserve(static_cast<size_t>(end - begin));
    for (auto it = begin; it != end; ++it) {
      if (pgs_positions) {
        (*pgs_positions)[it->input] = {static_cast<uint32_t>(player), static_cast<uint32_t>(history.games_.size())};
      }
      history.games_.push_back(std::move(it->game));
    }
    std::sort(history.ages_.begin(), history.ages_.end(),
              [](const PcfPlayerHistory::Age& a, const PcfPlayerHistory::Age& b) {
                if (a.game_date != b.game_date) return a.game_date < b.game_date;
                return a.player_age < b.player_age;
              });
    // Rosters: one lookup per run of games with the same (season, team).
    const PcfPlayerHistory::Game* previous = nullptr;
    for (const auto& game : history.games_) {
      if (previous && previous->season_year == game.season_year && previous->team_abbr == game.team_abbr) continue;
      previous = &game;
      std::vector<size_t>& roster = rosters_[std::make_pair(game.season_year, game.team_abbr)];
      if (roster.empty() || roster.back() != player) roster.push_back(player);
    }
  }
  // Each player is added once per roster, in ascending order: already sorted and unique.
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
    out.push_back(RosterPlayer{history.player_lookup(), history.UniversalPlayerId(latest)});
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
      if (!entry.context.universal_player_id) {
        entry.context.universal_player_id = pgs.universal_player_id;
        entry.universal_player_id_from_pgs = true;
      }
      if (!entry.context.opponent_team_abbr) {
        entry.context.opponent_team_abbr = pgs.opponent_team_abbr;
        entry.opponent_from_pgs = true;
      }
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
    : calendar_(calendar), pace_(inputs.togs) {
  // Deterministic order whatever the load order (README §8.3); keys are
  // unique per date, the second key only orders impossible duplicates.
  std::vector<std::pair<uint32_t, uint32_t>> positions;
  players_ = PcfPlayerIndex(inputs.pgs, inputs.upgc, &positions);

  // PGS identities: (player, game) of the history plus game_id and opponent.
  text_.reserve(inputs.pgs.size() * 20);
  const auto add_text = [&](std::string_view text) {
    TextRef ref{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(text.size())};
    text_.append(text);
    return ref;
  };
  pgs_.resize(inputs.pgs.size());
  for (size_t idx = 0; idx < inputs.pgs.size(); ++idx) {
    const PlayerGame& row = inputs.pgs[idx];
    PgsRef& ref = pgs_[idx];
    ref.game_date = row.game_date;
    ref.player = positions[idx].first;
    ref.game = positions[idx].second;
    ref.game_id = add_text(row.game_id);
    ref.opponent_team_abbr = add_text(row.opponent_team_abbr);
  }
  const auto pgs_less = [this](const PgsRef& a, const PgsRef& b) {
    if (a.game_date != b.game_date) return a.game_date < b.game_date;
    if (a.player != b.player) return a.player < b.player;  // players are ranked by player_lookup
    return PgsText(a.game_id) < PgsText(b.game_id);
  };
  if (!std::is_sorted(pgs_.begin(), pgs_.end(), pgs_less)) std::stable_sort(pgs_.begin(), pgs_.end(), pgs_less);

  for (const UpcomingPlayerContext& row : inputs.upgc)
    dates_[row.game_date].upgc.push_back(PcfContextFromUpcoming(row));
  // §13.4 reads only the non-postponed included games of D (PcfUpcomingPlayers
  // filters the same way): sorted once by (game_date, game_id).
  std::vector<const ScheduleGame*> schedule;
  schedule.reserve(inputs.schedule.size());
  for (const ScheduleGame& game : inputs.schedule) {
    if (game.game_status == GameStatus::kPostponed || !IsIncludedGameType(game.game_type)) continue;
    schedule.push_back(&game);
  }
  std::stable_sort(schedule.begin(), schedule.end(), [](const ScheduleGame* a, const ScheduleGame* b) {
    if (a->game_date != b->game_date) return a->game_date < b->game_date;
    return a->game_id < b->game_id;
  });
  for (size_t begin = 0; begin < schedule.size();) {
    const Date date = schedule[begin]->game_date;
    size_t end = begin;
    while (end < schedule.size() && schedule[end]->game_date == date) ++end;
    std::vector<ScheduleGame>& games = dates_[date].schedule;
    games.reserve(end - begin);
    for (size_t idx = begin; idx < end; ++idx) games.push_back(*schedule[idx]);
    begin = end;
  }
  for (const PcfShotZoneInput& row : inputs.psza) dates_[row.analysis_date].psza.push_back(row);
  for (const PcfTeamDefenseInput& row : inputs.tdza) dates_[row.analysis_date].tdza.push_back(row);
  for (Date date : inputs.tdza_success_dates) dates_[date].tdza_success = true;
  for (Date date : inputs.psza_success_dates) dates_[date].psza_success = true;
  for (auto& [date, slice] : dates_) {
    std::sort(slice.upgc.begin(), slice.upgc.end(), [](const PcfContext& a, const PcfContext& b) {
      if (a.player_lookup != b.player_lookup) return a.player_lookup < b.player_lookup;
      return a.game_id < b.game_id;
    });
    SortShotZoneRows(slice.psza);
    SortTeamDefenseRows(slice.tdza);
  }
}

std::vector<PcfPgsIdentity> PcfProcessor::PgsOnDate(Date analysis_date) const {
  const auto begin =
      std::partition_point(pgs_.begin(), pgs_.end(), [&](const PgsRef& ref) { return ref.game_date < analysis_date; });
  const auto end =
      std::partition_point(begin, pgs_.end(), [&](const PgsRef& ref) { return ref.game_date == analysis_date; });
  std::vector<PcfPgsIdentity> out;
  out.reserve(static_cast<size_t>(end - begin));
  for (auto it = begin; it != end; ++it) {
    const PcfPlayerHistory& history = players_.players()[it->player];
    const PcfPlayerHistory::Game& game = history.games()[it->game];
    out.push_back(PcfPgsIdentity{history.player_lookup(), history.UniversalPlayerId(game),
                                 std::string(PgsText(it->game_id)), game.team_abbr,
                                 std::string(PgsText(it->opponent_team_abbr))});
  }
  return out;
}

void PcfProcessor::SortShotZoneRows(std::vector<PcfShotZoneInput>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const PcfShotZoneInput& a, const PcfShotZoneInput& b) {
    return a.player_lookup < b.player_lookup;
  });
}

void PcfProcessor::SortTeamDefenseRows(std::vector<PcfTeamDefenseInput>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const PcfTeamDefenseInput& a, const PcfTeamDefenseInput& b) {
    return a.team_abbr < b.team_abbr;
  });
}

void PcfProcessor::ReserveUpstreamDates(std::span<const Date> dates) {
  for (Date date : dates) dates_.try_emplace(date);
}

void PcfProcessor::SetTeamDefenseRows(Date analysis_date, std::vector<PcfTeamDefenseInput> rows, bool success) {
  SortTeamDefenseRows(rows);
  DateSlice& slice = dates_[analysis_date];  // reserved: no insertion while shared
  slice.tdza = std::move(rows);
  slice.tdza_success = slice.tdza_success || success;
}

void PcfProcessor::SetShotZoneRows(Date analysis_date, std::vector<PcfShotZoneInput> rows, bool success) {
  SortShotZoneRows(rows);
  DateSlice& slice = dates_[analysis_date];
  slice.psza = std::move(rows);
  slice.psza_success = slice.psza_success || success;
}

PcfProcessor::DatePlan PcfProcessor::PlanDate(Date analysis_date) const {
  static const DateSlice kEmptySlice;
  const Date d = analysis_date;
  auto slice_it = dates_.find(d);
  DatePlan plan;
  plan.slice = slice_it == dates_.end() ? &kEmptySlice : &slice_it->second;
  const DateSlice& slice = *plan.slice;

  // §4 step 2: the dependency gate on TDZA then PSZA (backfill.md §7 row 4).
  if (slice.tdza.empty() && !slice.tdza_success) {
    plan.outcome =
        Failed("missing_dependency", std::string("missing dependency: ") + kPcfTdzaTable + " for " + d.ToString());
    return plan;
  }
  if (slice.psza.empty() && !slice.psza_success) {
    plan.outcome =
        Failed("missing_dependency", std::string("missing dependency: ") + kPcfPszaTable + " for " + d.ToString());
    return plan;
  }

  // §4 steps 3-4, §5: the player set.
  plan.historical = calendar_.IsHistorical(d);
  if (plan.historical) {
    const std::vector<PcfPgsIdentity> pgs = PgsOnDate(d);
    if (pgs.empty()) {
      plan.outcome = Failed("missing_input", "player_game_summary has no rows for " + d.ToString());
      return plan;
    }
    plan.entries = PcfHistoricalPlayers(d, pgs, slice.upgc);
  } else {
    plan.entries = PcfUpcomingPlayers(d, slice.schedule, slice.upgc, players_);
  }
  if (plan.entries.empty()) plan.outcome = Failed("no_players", "no players for " + d.ToString());
  return plan;
}

PcfRow PcfProcessor::ComputePlayer(Date analysis_date, const DatePlan& plan, PcfPlayerEntry entry,
                                   const PcfPaceIndex::Snapshot* pace, Trace* trace) const {
  const Date d = analysis_date;
  const bool synthetic_source = entry.context_source == PcfContextSource::kSynthetic;
  if (trace) {
    // §5: where the context and the identity come from.
    const bool roster = synthetic_source && !plan.historical;
    const std::string team = entry.context.team_abbr;
    AddColumn(trace, kSpec5, "context_source",
              !synthetic_source ? "UPGC row (player, D) found -> upcoming"
              : roster          ? "roster fallback (§13.4): " + team + " has no UPGC row on D -> synthetic"
                                : "no UPGC row (player, D), PGS row on D -> synthetic (§13)",
              Value{std::string(PcfContextSourceName(entry.context_source))});
    const std::string identity_origin = !synthetic_source ? "UPGC row"
                                        : roster          ? "the player's latest PGS row of the season (§13.4)"
                                                          : "PGS row on D";
    AddColumn(trace, kSpec5, "universal_player_id",
              entry.universal_player_id_from_pgs ? "NULL in UPGC, filled from the PGS row on D" : identity_origin,
              ValueOf(entry.context.universal_player_id));
    AddColumn(trace, kSpec5, "game_id", roster ? "YYYYMMDD_AWAY_HOME of the scheduled game (§13.4)" : identity_origin,
              Value{entry.context.game_id});
    AddStep(trace, kSpec5, "team_abbr", roster ? "the roster's team (§13.4)" : identity_origin,
            Value{entry.context.team_abbr});
    AddStep(trace, kSpec5, "opponent_team_abbr",
            entry.opponent_from_pgs ? "NULL in UPGC, filled from the PGS row on D"
            : roster                ? "the other team of the scheduled game (§13.4)"
                                    : identity_origin,
            ValueOf(entry.context.opponent_team_abbr));
    if (!synthetic_source) {
      // The UPGC row is used as it is (NULL fields are not filled, §5).
      const PcfContext& c = entry.context;
      AddStep(trace, kSpec5, "days_rest", "UPGC", ValueOf(c.days_rest));
      AddStep(trace, kSpec5, "back_to_back", "UPGC", ValueOf(c.back_to_back));
      AddStep(trace, kSpec5, "games_in_last_7_days", "UPGC", ValueOf(c.games_in_last_7_days));
      AddStep(trace, kSpec5, "minutes_in_last_7_days", "UPGC", ValueOf(c.minutes_in_last_7_days));
      AddStep(trace, kSpec5, "avg_minutes_per_game_last_7", "UPGC", ValueOf(c.avg_minutes_per_game_last_7));
      AddStep(trace, kSpec5, "back_to_backs_last_14_days", "UPGC", ValueOf(c.back_to_backs_last_14_days));
      AddStep(trace, kSpec5, "player_age", "UPGC", ValueOf(c.player_age));
      AddStep(trace, kSpec5, "projected_usage_rate", "UPGC", ValueOf(c.projected_usage_rate));
      AddStep(trace, kSpec5, "avg_usage_rate_last_7_games", "UPGC", ValueOf(c.avg_usage_rate_last_7_games));
      AddStep(trace, kSpec5, "star_teammates_out", "UPGC", ValueOf(c.star_teammates_out));
      AddStep(trace, kSpec5, "pace_differential", "UPGC", ValueOf(c.pace_differential));
    }
  }
  // §5: shot row by player, defence row by opponent (identity fields, the same
  // in the synthetic context, which copies them).
  const PcfContext& identity = entry.context;
  const PcfShotZoneInput* shot =
      FindSorted(plan.slice->psza, identity.player_lookup,
                 [](const PcfShotZoneInput& r) -> const std::string& { return r.player_lookup; });
  const PcfTeamDefenseInput* defense = nullptr;
  if (identity.opponent_team_abbr) {
    defense = FindSorted(plan.slice->tdza, *identity.opponent_team_abbr,
                         [](const PcfTeamDefenseInput& r) -> const std::string& { return r.team_abbr; });
  }
  if (trace) {
    // §5: the upstream rows used (no join on game_id).
    if (shot) {
      AddStep(trace, kSpec5, "PSZA row", "PSZA (" + identity.player_lookup + ", " + d.ToString() + ")",
              Value{"primary_scoring_zone " + Text(shot->primary_scoring_zone) + ", paint_rate_last_10 " +
                    Num(shot->paint_rate_last_10) + ", mid_range_rate_last_10 " + Num(shot->mid_range_rate_last_10) +
                    ", three_pt_rate_last_10 " + Num(shot->three_pt_rate_last_10)});
    } else {
      AddStep(trace, kSpec5, "PSZA row",
              "no PSZA row for (" + identity.player_lookup + ", " + d.ToString() + ") -> missing", Value{});
    }
    if (defense) {
      AddStep(trace, kSpec5, "TDZA row", "TDZA (opponent " + defense->team_abbr + ", " + d.ToString() + ")",
              Value{"paint_defense_vs_league_avg " + Num(defense->paint_defense_vs_league_avg) +
                    ", mid_range_defense_vs_league_avg " + Num(defense->mid_range_defense_vs_league_avg) +
                    ", three_pt_defense_vs_league_avg " + Num(defense->three_pt_defense_vs_league_avg) +
                    ", weakest_zone " + Text(defense->weakest_zone)});
    } else {
      AddStep(trace, kSpec5, "TDZA row",
              identity.opponent_team_abbr
                  ? "no TDZA row for (opponent " + *identity.opponent_team_abbr + ", " + d.ToString() + ") -> missing"
                  : std::string("opponent_team_abbr NULL -> missing"),
              Value{});
    }
  }
  if (synthetic_source) {
    const PcfPlayerHistory* history = players_.Find(entry.context.player_lookup);
    return PcfComputeRow(d, entry.context_source,
                         BuildSyntheticContext(std::move(entry.context), history, pace_, *pace, d, trace), shot,
                         defense, trace);
  }
  return PcfComputeRow(d, entry.context_source, std::move(entry.context), shot, defense, trace);
}

PcfDateResult PcfProcessor::ComputeDate(Date analysis_date) const {
  const Date d = analysis_date;
  PcfDateResult result;
  DatePlan plan = PlanDate(d);  // not const: the entries move into ComputePlayer
  if (!plan.outcome.ok()) {
    result.outcome = plan.outcome;
    return result;
  }

  // §13.3: L10 of every team once per date, only when needed.
  std::optional<PcfPaceIndex::Snapshot> pace;
  for (const PcfPlayerEntry& entry : plan.entries) {
    if (entry.context_source == PcfContextSource::kSynthetic) {
      pace = pace_.SnapshotFor(d);
      break;
    }
  }

  // §4 step 5: one row per player (entries are in ascending player_lookup).
  result.rows.reserve(plan.entries.size());
  for (PcfPlayerEntry& entry : plan.entries) {
    if (entry.context_source == PcfContextSource::kSynthetic) {
      ++result.stats.players_synthetic_context;
    } else {
      ++result.stats.players_upcoming_context;
    }
    result.rows.push_back(ComputePlayer(d, plan, std::move(entry), pace ? &*pace : nullptr, nullptr));
  }
  result.stats.players_processed = static_cast<int64_t>(result.rows.size());
  return result;
}

Trace PcfProcessor::TraceEntity(Date analysis_date, std::string_view player_lookup) const {
  const Date d = analysis_date;
  Trace trace;
  const DatePlan plan = PlanDate(d);
  if (!plan.outcome.ok()) return trace;
  auto it = std::lower_bound(
      plan.entries.begin(), plan.entries.end(), player_lookup,
      [](const PcfPlayerEntry& entry, std::string_view key) { return entry.context.player_lookup < key; });
  if (it == plan.entries.end() || it->context.player_lookup != player_lookup) return trace;
  // The same §13.3 snapshot ComputeDate builds when the date has a synthetic player.
  std::optional<PcfPaceIndex::Snapshot> pace;
  if (it->context_source == PcfContextSource::kSynthetic) pace = pace_.SnapshotFor(d);
  AddStep(
      &trace, kSpec2, "date mode",
      plan.historical ? "every non-postponed included game on D is final" : "not every game on D is final (README §5)",
      Value{std::string(plan.historical ? "historical" : "upcoming")});
  int64_t synthetic = 0;
  for (const PcfPlayerEntry& entry : plan.entries) {
    if (entry.context_source == PcfContextSource::kSynthetic) ++synthetic;
  }
  AddStep(&trace, kSpec5, "player set",
          std::string(plan.historical ? "distinct player_lookup of PGS rows on D"
                                      : "UPGC rows on D plus roster fallback players (§13.4)") +
              ": " + Num(static_cast<int64_t>(plan.entries.size()) - synthetic) + " upcoming, " + Num(synthetic) +
              " synthetic",
          Value{static_cast<int64_t>(plan.entries.size())});
  ComputePlayer(d, plan, *it, pace ? &*pace : nullptr, &trace);
  return trace;
}

}  // namespace nbapc::processors
