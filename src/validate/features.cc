#include "validate/features.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/numbers.h"
#include "store/schema.h"
#include "validate/coverage.h"
#include "validate/stats.h"

namespace nbapc::validate {
namespace {

std::string KeyColumn(const std::string& table) {
  if (table == kTdgsTable) return "defending_team_abbr, game_id";
  if (table == kTogsTable) return "team_abbr, game_id";
  if (table == kPgsTable) return "player_lookup, game_id";
  if (table == kTdzaTable) return "team_abbr";
  return "player_lookup";
}

std::optional<double> AsDouble(const Value& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* i = std::get_if<int64_t>(&cell)) return static_cast<double>(*i);
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? 1.0 : 0.0;
  return std::nullopt;
}

// Elements of a compact JSON array of numbers or strings (README §4.2).
std::vector<std::string> SplitArray(const std::string& text) {
  std::vector<std::string> items;
  if (text.size() < 2 || text.front() != '[') return items;
  std::string body = text.substr(1, text.size() - 2);
  if (body.empty()) return items;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t comma = body.find(',', pos);
    if (comma == std::string::npos) comma = body.size();
    std::string item = body.substr(pos, comma - pos);
    if (item.size() >= 2 && item.front() == '"') item = item.substr(1, item.size() - 2);
    items.push_back(std::move(item));
    pos = comma + 1;
  }
  return items;
}

const char* Alias(const std::string& table) {
  if (table == kTdzaTable) return "tdza";
  if (table == kPszaTable) return "psza";
  if (table == kPdcTable) return "pdc";
  if (table == kPcfTable) return "pcf";
  if (table == kMlfsTable) return "mlfs";
  if (table == kPgsTable) return "pgs";
  if (table == kTdgsTable) return "tdgs";
  if (table == kTogsTable) return "togs";
  return "";
}

Check FCheck(const char* id, const char* name, const FieldMetrics& m, CheckStatus status, nlohmann::ordered_json value,
             nlohmann::ordered_json threshold, std::string message) {
  Check check;
  check.id = id;
  check.name = name;
  check.table = m.table;
  check.field = m.field;
  if (m.season_year != 0) check.season_year = m.season_year;
  check.status = status;
  check.value = std::move(value);
  check.threshold = std::move(threshold);
  check.message = std::move(message);
  return check;
}

void Escalate(FieldMetrics& m, CheckStatus status) {
  if (status == CheckStatus::kFail) m.status = "fail";
  else if (status == CheckStatus::kWarn && m.status == "pass") m.status = "warn";
}

std::string F3(double v) { return FormatFloat(RoundPy(v, 3)); }

}  // namespace

Result<TableData> LoadTableData(store::Warehouse& warehouse, const std::string& table, const SeasonCalendar& calendar,
                                Date start, Date end) {
  const store::TableDef* def = store::FindTable(table);
  if (!def) return Status::NotFound(fmt::format("unknown table {}", table));
  TableData data;
  data.table = table;
  std::vector<const FieldRule*> rules = RulesOfTable(table);
  bool mlfs = table == kMlfsTable;
  // Columns to select: registry columns (MLFS features come from the arrays).
  std::vector<std::string> columns;
  auto column_index = [&](const std::string& name) {
    for (size_t idx = 0; idx < columns.size(); ++idx) {
      if (columns[idx] == name) return idx;
    }
    columns.push_back(name);
    return columns.size() - 1;
  };
  std::vector<size_t> rule_col(rules.size());
  std::vector<size_t> companion_col(rules.size(), SIZE_MAX);
  for (size_t idx = 0; idx < rules.size(); ++idx) {
    const FieldRule& rule = *rules[idx];
    rule_col[idx] = rule.index >= 0 ? column_index("features") : column_index(rule.field);
    if (rule.kind == RuleKind::kEarlySeasonFlag) companion_col[idx] = column_index("games_played_season");
  }
  size_t sources_col = mlfs ? column_index("feature_sources") : SIZE_MAX;
  size_t minutes_col = table == kPgsTable ? column_index("minutes_played") : SIZE_MAX;
  size_t context_col = table == kPcfTable ? column_index("context_source") : SIZE_MAX;
  std::string select;
  for (const std::string& name : columns) select += fmt::format(", \"{}\"", name);
  std::string sql = fmt::format("SELECT \"{0}\"{1} FROM {2} WHERE \"{0}\" BETWEEN ?1 AND ?2 ORDER BY \"{0}\", {3}",
                                def->date_column, select, def->FullName(), KeyColumn(table));
  data.fields.resize(rules.size());
  for (size_t idx = 0; idx < rules.size(); ++idx) data.fields[idx].rule = rules[idx];
  std::vector<Value> params = {Value{start.ToString()}, Value{end.ToString()}};
  std::map<Date, bool> bootstrap_cache;
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(sql, params, [&](const Row& row) -> Status {
    NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
    auto cached = bootstrap_cache.find(date);
    bool bootstrap = cached != bootstrap_cache.end() ? cached->second
                                                     : (bootstrap_cache[date] = calendar.IsBootstrap(date));
    if (bootstrap) return Status::Ok();  // §4.1: non-bootstrap dates only
    data.dates.push_back(date);
    auto cell = [&](size_t col) -> const Value& { return row[col + 1]; };
    std::vector<std::string> features, sources;
    if (mlfs) {
      if (const auto* text = std::get_if<std::string>(&cell(column_index("features")))) features = SplitArray(*text);
      if (const auto* text = std::get_if<std::string>(&cell(sources_col))) sources = SplitArray(*text);
    }
    if (minutes_col != SIZE_MAX) {
      auto minutes = AsDouble(cell(minutes_col));
      data.minutes.push_back(minutes.value_or(0));
      data.minutes_null.push_back(minutes ? 0 : 1);
    }
    if (context_col != SIZE_MAX) {
      const auto* text = std::get_if<std::string>(&cell(context_col));
      data.upcoming.push_back(text && *text == "upcoming" ? 1 : 0);
    }
    for (size_t idx = 0; idx < rules.size(); ++idx) {
      const FieldRule& rule = *rules[idx];
      FieldColumn& column = data.fields[idx];
      const Value& value = cell(rule_col[idx]);
      std::optional<double> number;
      std::string text;
      bool is_null = IsNull(value);
      if (rule.index >= 0) {
        is_null = static_cast<size_t>(rule.index) >= features.size() || features[rule.index] == "null";
        if (!is_null) number = std::strtod(features[rule.index].c_str(), nullptr);
        column.is_default.push_back(static_cast<size_t>(rule.index) < sources.size() &&
                                            sources[rule.index] == "default"
                                        ? 1
                                        : 0);
      } else if (rule.array_length) {
        if (const auto* array = std::get_if<std::string>(&value)) number = static_cast<double>(SplitArray(*array).size());
      } else if (rule.numeric()) {
        number = AsDouble(value);
        is_null = !number.has_value();
      } else if (const auto* str = std::get_if<std::string>(&value)) {
        text = *str;
      }
      column.is_null.push_back(is_null ? 1 : 0);
      column.num.push_back(number.value_or(0));
      if (!rule.numeric()) column.text.push_back(std::move(text));
      if (companion_col[idx] != SIZE_MAX) column.companion.push_back(AsDouble(cell(companion_col[idx])).value_or(-1));
    }
    return Status::Ok();
  }));
  return data;
}

FieldMetrics ComputeFieldMetrics(const TableData& data, const FieldColumn& column, const std::vector<size_t>& rows,
                                 int season_year) {
  const FieldRule& rule = *column.rule;
  FieldMetrics m;
  m.table = data.table;
  m.field = rule.field;
  m.index = rule.index;
  m.season_year = season_year;
  m.n = static_cast<int64_t>(rows.size());
  std::vector<double> values;
  values.reserve(rows.size());
  int64_t valid = 0, defaults = 0, band_n = 0, upcoming_n = 0, upcoming_zero = 0;
  double band_sum = 0;
  for (size_t row : rows) {
    if (!column.is_default.empty() && column.is_default[row]) ++defaults;
    if (column.is_null[row]) {
      ++m.null_count;
      if (rule.null_allowed) ++valid;
      continue;
    }
    if (!rule.numeric()) {
      const std::string& text = column.text[row];
      if (m.classes.size() < static_cast<size_t>(kDistinctCap) || m.classes.count(text)) ++m.classes[text];
      if (rule.SatisfiesText(text)) {
        ++valid;
      } else {
        ++m.out_of_range;
        if (rule.hard) ++m.hard_violations;
      }
      continue;
    }
    double value = column.num[row];
    values.push_back(value);
    std::optional<double> companion;
    if (!column.companion.empty()) companion = column.companion[row];
    if (rule.Satisfies(value, companion)) {
      ++valid;
    } else {
      ++m.out_of_range;
      if (rule.hard) ++m.hard_violations;
    }
    bool in_band = true;
    if (rule.band_filter != BandFilter::kAll) {
      bool minutes_known = !data.minutes.empty() && !data.minutes_null[row];
      double minutes = minutes_known ? data.minutes[row] : 0;
      in_band = minutes_known &&
                (rule.band_filter == BandFilter::kMinutesPositive ? minutes > 0 : minutes >= 10);
    }
    if (in_band) {
      band_sum += value;
      ++band_n;
    }
    if (!data.upcoming.empty() && data.upcoming[row]) {
      ++upcoming_n;
      if (value == 0.0) ++upcoming_zero;
    }
  }
  double n = static_cast<double>(m.n);
  m.valid_pct = m.n ? RoundPy(static_cast<double>(valid) / n * 100.0, 1) : 0.0;
  m.null_rate = m.n ? static_cast<double>(m.null_count) / n : 0.0;
  m.non_null_pct = m.n ? RoundPy(static_cast<double>(m.n - m.null_count) / n * 100.0, 1) : 0.0;
  if (rule.numeric()) {
    ValueStats stats = ComputeValueStats(values);
    m.mean = stats.mean;
    m.sd = stats.sd;
    m.min = stats.min;
    m.p05 = stats.p05;
    m.p50 = stats.p50;
    m.p95 = stats.p95;
    m.max = stats.max;
    m.distinct = stats.distinct;
    if (rule.zero_limit) {
      if (rule.zero_over_upcoming) {
        if (upcoming_n) m.zero_share = static_cast<double>(upcoming_zero) / static_cast<double>(upcoming_n);
      } else if (stats.count) {
        m.zero_share = static_cast<double>(stats.zeros) / static_cast<double>(stats.count);
      }
    }
    if (band_n) m.band_mean = band_sum / static_cast<double>(band_n);
  } else {
    m.distinct = static_cast<int64_t>(m.classes.size());
  }
  if (!column.is_default.empty() && m.n) m.default_share = static_cast<double>(defaults) / n;
  if (!data.dates.empty() && !rows.empty()) {
    m.span_start = data.dates[rows.front()];
    m.span_end = data.dates[rows.back()];
  }
  return m;
}

TableFeatures EvaluateTable(const TableData& data, const FeatureContext& context, bool full,
                            double min_feature_coverage, std::vector<Check>* checks) {
  TableFeatures out;
  out.table = data.table;
  out.rows = static_cast<int64_t>(data.dates.size());
  std::vector<size_t> all_rows(data.dates.size());
  for (size_t idx = 0; idx < all_rows.size(); ++idx) all_rows[idx] = idx;
  std::map<int, std::vector<size_t>> season_rows;
  for (size_t idx = 0; idx < data.dates.size(); ++idx) season_rows[SeasonYear(data.dates[idx])].push_back(idx);

  double worst_valid = 100.0;
  for (const FieldColumn& column : data.fields) {
    const FieldRule& rule = *column.rule;
    FieldMetrics m = ComputeFieldMetrics(data, column, all_rows, 0);
    m.span_start = context.start;
    m.span_end = context.end;
    if (rule.context_dependent) m.note = "(context-dependent)";
    std::vector<Check> field_checks;
    auto add = [&](Check check) {
      Escalate(m, check.status);
      field_checks.push_back(std::move(check));
    };
    if (m.n > 0) {
      worst_valid = std::min(worst_valid, m.valid_pct);
      // F1 (§4.2): valid % (or the non-NULL share) below the field's minimum.
      // The registry's 95 % is the default minimum, i.e. --min-feature-coverage.
      std::optional<double> minimum = rule.min_pct;
      if (minimum && *minimum == 95.0 && !rule.min_on_non_null) minimum = min_feature_coverage;
      double measured = rule.min_on_non_null ? m.non_null_pct : m.valid_pct;
      if (minimum && measured < *minimum) {
        add(FCheck("F1", "feature coverage", m, rule.min_warn_only ? CheckStatus::kWarn : CheckStatus::kFail, measured,
                   *minimum,
                   fmt::format("{} {:.1f}% < {}%", rule.min_on_non_null ? "non-NULL" : "valid", measured,
                               FormatFloat(*minimum))));
      } else if (m.valid_pct < 99.0) {
        add(FCheck("F1", "feature coverage", m, CheckStatus::kWarn, m.valid_pct, 99.0,
                   fmt::format("valid {:.1f}% < 99% (PARTIAL)", m.valid_pct)));
      }
      // F2: hard bounds.
      if (m.hard_violations > 0) {
        add(FCheck("F2", "hard bounds", m, CheckStatus::kFail, m.hard_violations, 0,
                   fmt::format("{} values outside {}", m.hard_violations, rule.RuleText())));
      }
      // F5 (warn part): default share above the limit.
      if (m.default_share && *m.default_share > rule.default_limit && !rule.context_dependent) {
        add(FCheck("F5", "defaults", m, CheckStatus::kWarn, RoundPy(*m.default_share, 3), rule.default_limit,
                   fmt::format("default share {:.1f}% > {}%", *m.default_share * 100, rule.default_limit * 100)));
      }
      // F6: zero share.
      if (rule.zero_limit && m.zero_share && *m.zero_share > *rule.zero_limit) {
        add(FCheck("F6", "zero share", m, CheckStatus::kWarn, RoundPy(*m.zero_share, 3), *rule.zero_limit,
                   fmt::format("zero share {:.1f}% > {:.0f}%", *m.zero_share * 100, *rule.zero_limit * 100)));
      }
    }
    // Per season: F3, F4, F5 (error part).
    for (const auto& [season, rows] : season_rows) {
      FieldMetrics sm = ComputeFieldMetrics(data, column, rows, season);
      auto span = context.season_spans.find(season);
      if (span != context.season_spans.end()) {
        sm.span_start = span->second.first;
        sm.span_end = span->second.second;
      }
      bool big = sm.n >= 1000;
      if (big && rule.numeric() && sm.distinct == 1 && sm.null_count < sm.n) {
        bool allowed = false;
        switch (rule.constant_allowed) {
          case ConstantAllowed::kAlways:
            allowed = true;
            break;
          case ConstantAllowed::kAllSynthetic:
            allowed = !context.seasons_with_upcoming.count(season) && sm.min && *sm.min == 0.0;
            break;
          case ConstantAllowed::kNoPlayoffDates:
            allowed = !context.seasons_with_playoffs.count(season);
            break;
          case ConstantAllowed::kAllDefault:
            allowed = sm.default_share && *sm.default_share == 1.0;
            break;
          case ConstantAllowed::kNever:
            break;
        }
        if (!allowed) {
          Check check = FCheck("F3", "constant feature", sm, CheckStatus::kFail, sm.distinct, 1,
                               fmt::format("one distinct value ({}) over {} rows", F3(*sm.min), sm.n));
          Escalate(m, CheckStatus::kFail);
          field_checks.push_back(std::move(check));
        }
      }
      if (rule.band_lo && sm.band_mean && (*sm.band_mean < *rule.band_lo || *sm.band_mean > *rule.band_hi)) {
        Check check = FCheck("F4", "distribution", sm, CheckStatus::kWarn, RoundPy(*sm.band_mean, 3),
                             nlohmann::ordered_json::array({*rule.band_lo, *rule.band_hi}),
                             fmt::format("season mean {} outside the typical band {}..{}", F3(*sm.band_mean),
                                         FormatFloat(*rule.band_lo), FormatFloat(*rule.band_hi)));
        Escalate(m, CheckStatus::kWarn);
        field_checks.push_back(std::move(check));
      }
      if (rule.class_min_share && sm.n > 0) {
        for (const std::string& cls : rule.text_set) {
          auto it = sm.classes.find(cls);
          double share = it == sm.classes.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(sm.n);
          if (share < *rule.class_min_share) {
            Check check = FCheck("F4", "distribution", sm, CheckStatus::kWarn, RoundPy(share, 3), *rule.class_min_share,
                                 fmt::format("class {} is {:.2f}% of rows (< {:.0f}%)", cls, share * 100,
                                             *rule.class_min_share * 100));
            Escalate(m, CheckStatus::kWarn);
            field_checks.push_back(std::move(check));
          }
        }
      }
      if (big && sm.default_share && *sm.default_share == 1.0 && !rule.context_dependent) {
        Check check = FCheck("F5", "defaults", sm, CheckStatus::kFail, 1.0, 1.0,
                             fmt::format("default for 100% of {} rows (feature never fed)", sm.n));
        Escalate(m, CheckStatus::kFail);
        field_checks.push_back(std::move(check));
      }
      out.season_metrics.push_back(std::move(sm));
    }
    for (Check& check : field_checks) checks->push_back(std::move(check));
    out.range_metrics.push_back(std::move(m));
  }
  out.status = worst_valid >= 99.0 ? "CLEAN" : worst_valid >= 50.0 ? "PARTIAL" : "CONTAMINATED";

  if (full) {
    // §4.4 --full: dates on which a field is < 50 % valid (or a zero-watched field is mostly zero).
    std::map<Date, std::vector<size_t>> date_rows;
    for (size_t idx = 0; idx < data.dates.size(); ++idx) date_rows[data.dates[idx]].push_back(idx);
    for (const auto& [date, rows] : date_rows) {
      for (const FieldColumn& column : data.fields) {
        FieldMetrics dm = ComputeFieldMetrics(data, column, rows, 0);
        std::string what;
        if (dm.valid_pct < 50.0) {
          what = fmt::format("valid {:.1f}%", dm.valid_pct);
        } else if (column.rule->zero_limit && dm.zero_share && *dm.zero_share > 0.5) {
          what = fmt::format("zero {:.0f}%", *dm.zero_share * 100);
        }
        if (what.empty()) continue;
        ++out.contaminated_total;
        if (out.contaminated_dates.size() < 20) {
          out.contaminated_dates.push_back(
              fmt::format("[X] {} {} {} {}", date.ToString(), Alias(data.table), column.rule->field, what));
        }
      }
    }
  }
  return out;
}

void CheckNullCascade(const TableData& pgs, std::vector<Check>* checks) {
  // §4.2 F7 over the range and per month.
  const FieldColumn* usage = nullptr;
  for (const FieldColumn& column : pgs.fields) {
    if (column.rule->field == "usage_rate") usage = &column;
  }
  int64_t n = static_cast<int64_t>(pgs.dates.size());
  if (n == 0) return;
  int64_t minutes_null = 0, with_minutes = 0, usage_known = 0;
  std::map<std::pair<int, int>, std::pair<int64_t, int64_t>> months;  // (y, m) -> (null, n)
  for (int64_t row = 0; row < n; ++row) {
    auto& month = months[{pgs.dates[row].year(), pgs.dates[row].month()}];
    ++month.second;
    if (pgs.minutes_null[row]) {
      ++minutes_null;
      ++month.first;
    } else if (pgs.minutes[row] > 0) {
      ++with_minutes;
      if (usage && !usage->is_null[row]) ++usage_known;
    }
  }
  auto make = [&](CheckStatus status, const std::string& field, nlohmann::ordered_json value,
                  nlohmann::ordered_json threshold, std::string message) {
    Check check;
    check.id = "F7";
    check.name = "input NULL cascade";
    check.table = kPgsTable;
    check.field = field;
    check.status = status;
    check.value = std::move(value);
    check.threshold = std::move(threshold);
    check.message = std::move(message);
    checks->push_back(std::move(check));
  };
  double null_pct = Pct1(static_cast<double>(minutes_null), static_cast<double>(n));
  if (null_pct > 60.0) {
    make(CheckStatus::kFail, "minutes_played", null_pct, 60.0, fmt::format("minutes_played NULL for {:.1f}% of rows", null_pct));
  } else if (null_pct > 45.0) {
    make(CheckStatus::kWarn, "minutes_played", null_pct, 45.0, fmt::format("minutes_played NULL for {:.1f}% of rows", null_pct));
  }
  for (const auto& [month, counts] : months) {
    double pct = Pct1(static_cast<double>(counts.first), static_cast<double>(counts.second));
    if (pct >= 90.0) {
      make(CheckStatus::kFail, "minutes_played", pct, 90.0,
           fmt::format("minutes_played NULL for {:.1f}% of rows in {}-{:02d}", pct, month.first, month.second));
    }
  }
  if (with_minutes > 0) {
    double known_pct = Pct1(static_cast<double>(usage_known), static_cast<double>(with_minutes));
    if (known_pct < 90.0) {
      make(CheckStatus::kFail, "usage_rate", known_pct, 90.0,
           fmt::format("usage_rate non-NULL for {:.1f}% of rows with minutes > 0", known_pct));
    }
  }
}

nlohmann::ordered_json FieldMetrics::ToJson() const {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["table"] = table;
  out["field"] = field;
  out["index"] = index >= 0 ? nlohmann::ordered_json(index) : nlohmann::ordered_json(nullptr);
  out["season_year"] = season_year ? nlohmann::ordered_json(season_year) : nlohmann::ordered_json(nullptr);
  out["n"] = n;
  out["null_rate"] = null_rate;
  out["valid_pct"] = valid_pct;
  out["out_of_range"] = out_of_range;
  out["mean"] = opt(mean);
  out["sd"] = opt(sd);
  out["min"] = opt(min);
  out["p05"] = opt(p05);
  out["p50"] = opt(p50);
  out["p95"] = opt(p95);
  out["max"] = opt(max);
  out["distinct"] = distinct;
  out["default_share"] = opt(default_share);
  out["zero_share"] = opt(zero_share);
  out["status"] = status;
  return out;
}

}  // namespace nbapc::validate
