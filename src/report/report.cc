#include "report/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backfill/inputs.h"
#include "backfill/registry.h"
#include "core/calendar.h"
#include "core/version.h"
#include "report/calendar.h"
#include "report/distribution.h"
#include "report/html.h"
#include "store/schema.h"

namespace nbapc::report {
namespace {

// ---------------------------------------------------------------- helpers

std::string Text(const Value& cell) {
  if (IsNull(cell)) return "";
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) return ShortNumber(*d, 10);
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "true" : "false";
  return std::get<std::string>(cell);
}

std::optional<double> Num(const Value& cell) {
  if (const auto* i = std::get_if<int64_t>(&cell)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? 1.0 : 0.0;
  if (const auto* s = std::get_if<std::string>(&cell)) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
    if (ec == std::errc() && ptr == s->data() + s->size()) return value;
  }
  return std::nullopt;
}

int64_t Int(const Value& cell) {
  std::optional<double> value = Num(cell);
  return value ? static_cast<int64_t>(*value) : 0;
}

// Compact JSON arrays as stored (mlfs.md §9): doubles by format_float, no
// spaces; strings quoted without escapes.
bool ParseDoubleArray(std::string_view text, std::vector<double>* out) {
  out->clear();
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  const char* ptr = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  while (ptr < end) {
    while (ptr < end && (*ptr == ' ' || *ptr == ',')) ++ptr;
    if (ptr >= end) break;
    double value = 0;
    auto [next, ec] = std::from_chars(ptr, end, value);
    if (ec != std::errc()) return false;
    out->push_back(value);
    ptr = next;
  }
  return true;
}

bool ParseStringArray(std::string_view text, std::vector<std::string>* out) {
  out->clear();
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  size_t pos = 1;
  while (true) {
    size_t open = text.find('"', pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find('"', open + 1);
    if (close == std::string_view::npos) return false;
    out->emplace_back(text.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return true;
}

std::string Pct(long long num, long long den) { return den ? Fixed(num * 100.0 / den, 1) + "%" : "—"; }

// ---------------------------------------------------------------- model

struct Outcome {
  std::string status;
  std::string reason_code;
  std::string reason;
  std::string run_id;
};

struct SeasonCounts {
  long long game_dates = 0, bootstrap = 0, processable = 0, covered = 0, zero_row = 0, failed = 0, not_run = 0,
            rows = 0;
  void Add(const SeasonCounts& other) {
    game_dates += other.game_dates;
    bootstrap += other.bootstrap;
    processable += other.processable;
    covered += other.covered;
    zero_row += other.zero_row;
    failed += other.failed;
    not_run += other.not_run;
    rows += other.rows;
  }
};

struct FailureEntry {
  std::string processor;
  Date first;
  Date last;
  int dates = 1;
  std::string status;  // "failed", "failed (older rows kept)", "not run"
  std::string reason_code;
  std::string reason;
  std::string run_id;
};

class ReportBuilder {
 public:
  ReportBuilder(store::Warehouse& warehouse, const ReportOptions& options)
      : warehouse_(warehouse), options_(options) {}

  Result<std::string> Build();

 private:
  Status Plan();
  Status LoadOutcomes();
  std::string Header(const std::string& validation);
  Result<std::string> Validation();
  std::string Coverage();
  std::string Failures();
  Result<std::string> Distributions();
  Result<std::string> Timings();

  store::Warehouse& warehouse_;
  const ReportOptions& options_;
  std::unique_ptr<SeasonCalendar> calendar_;
  Date start_;
  Date end_;
  std::vector<Date> game_dates_;
  std::set<Date> game_set_;
  std::set<Date> bootstrap_;
  std::vector<const backfill::ProcessorInfo*> processors_;
  std::map<std::string, std::map<Date, Outcome>> latest_;
  std::map<std::string, std::map<Date, long long>> rows_;
  std::vector<FailureEntry> failures_;
  std::map<std::string, SeasonCounts> totals_;
};

Status ReportBuilder::Plan() {
  NBAPC_ASSIGN_OR_RETURN(calendar_, backfill::LoadCalendar(warehouse_, options_.today, nullptr));
  // Default range as validate (validation.md §1).
  NBAPC_ASSIGN_OR_RETURN(auto range,
                         backfill::DefaultRange(warehouse_, *calendar_, options_.start_date, options_.end_date));
  start_ = range.first;
  end_ = range.second;
  game_dates_ = calendar_->PlanRange(start_, end_).game_dates;
  game_set_.insert(game_dates_.begin(), game_dates_.end());
  for (Date date : game_dates_) {
    if (calendar_->IsBootstrap(date)) bootstrap_.insert(date);
  }
  NBAPC_ASSIGN_OR_RETURN(processors_, backfill::ResolveProcessors(options_.processor));
  return Status::Ok();
}

Status ReportBuilder::LoadOutcomes() {
  std::vector<Value> range = {Value{start_.ToString()}, Value{end_.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(
      "SELECT processor_name, data_date, status, reason_code, reason, run_id FROM nba_reference.processor_run_latest "
      "WHERE data_date BETWEEN ?1 AND ?2 ORDER BY processor_name, data_date",
      range,
      [&](const Row& row) {
        auto date = Date::Parse(Text(row[1]));
        if (date.ok()) latest_[Text(row[0])][*date] = Outcome{Text(row[2]), Text(row[3]), Text(row[4]), Text(row[5])};
        return Status::Ok();
      }));
  for (const backfill::ProcessorInfo* info : processors_) {
    const store::TableDef* table = store::FindTable(info->output_table);
    if (!table) return Status::Internal("no table " + info->output_table);
    auto& by_date = rows_[info->name];
    NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(
        fmt::format("SELECT \"{0}\", COUNT(*) FROM {1} WHERE \"{0}\" BETWEEN ?1 AND ?2 GROUP BY \"{0}\" ORDER BY \"{0}\"",
                    table->date_column, table->FullName()),
        range, [&](const Row& row) {
          auto date = Date::Parse(Text(row[0]));
          if (date.ok()) by_date[*date] = Int(row[1]);
          return Status::Ok();
        }));
  }
  return Status::Ok();
}

Result<std::string> ReportBuilder::Validation() {
  auto result = warehouse_.Query(
      "SELECT validation_id, result, failures, warnings, start_date, end_date, finished_at "
      "FROM nba_orchestration.validation_runs ORDER BY finished_at DESC, validation_id DESC LIMIT 1");
  if (!result.ok()) {
    if (result.status().message().find("no such table") != std::string::npos) return std::string("not validated");
    return result.status();
  }
  if (result->rows.empty()) return std::string("not validated");
  const Row& row = result->rows[0];
  std::string verdict = Text(row[1]);
  for (char& c : verdict) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("<span class=\"{}\">{}</span> ({} failures, {} warnings) · {} · range {}..{} · finished {}",
                     verdict == "PASS" ? "pass" : "fail", HtmlEscape(verdict), Int(row[2]), Int(row[3]),
                     HtmlEscape(Text(row[0])), HtmlEscape(Text(row[4])), HtmlEscape(Text(row[5])),
                     HtmlEscape(Text(row[6])));
}

std::string ReportBuilder::Header(const std::string& validation) {
  std::string out = "<header>\n<h1>" + HtmlEscape(options_.title) + "</h1>\n<table class=\"meta\">\n";
  auto line = [&](const char* key, const std::string& html) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", key, html);
  };
  line("Warehouse", "<code>" + HtmlEscape(warehouse_.url()) + "</code>");
  line("Range", fmt::format("{} .. {} · {} game dates, {} bootstrap, {} processable", start_.ToString(),
                            end_.ToString(), game_dates_.size(), bootstrap_.size(),
                            game_dates_.size() - bootstrap_.size()));
  std::string names;
  for (const auto* info : processors_) names += (names.empty() ? "" : ", ") + HtmlEscape(info->name);
  line("Processors", names);
  line("Engine version", HtmlEscape(kEngineVersion));
  line("Today", calendar_->today().ToString());
  line("Latest validation", validation);
  out += "</table>\n";
  out += GenerationLine(options_.generated_at);
  out += "</header>\n";
  return out;
}

std::string ReportBuilder::Coverage() {
  // Seasons and their spans: every game date, outcome date and row date of
  // the selected processors in the range.
  std::map<int, std::pair<Date, Date>> spans;
  auto extend = [&](Date date) {
    if (date < start_ || date > end_) return;
    int season = SeasonYear(date);
    auto it = spans.find(season);
    if (it == spans.end()) spans.emplace(season, std::make_pair(date, date));
    else {
      it->second.first = std::min(it->second.first, date);
      it->second.second = std::max(it->second.second, date);
    }
  };
  for (Date date : game_dates_) extend(date);
  for (const auto* info : processors_) {
    for (const auto& [date, outcome] : latest_[info->name]) extend(date);
    for (const auto& [date, count] : rows_[info->name]) extend(date);
  }

  std::string body;
  std::string summary =
      "<table class=\"num\"><thead><tr><th>processor</th><th>game dates</th><th>bootstrap</th><th>processable</th>"
      "<th>covered</th><th>coverage</th><th>max coverage</th><th>processable coverage</th><th>0-row</th>"
      "<th>failed</th><th>not run</th><th>rows</th></tr></thead><tbody>\n";
  for (const auto* info : processors_) {
    const auto& outcomes = latest_[info->name];
    const auto& rows = rows_[info->name];
    SeasonCounts& total = totals_[info->name];
    body += fmt::format("<h3 id=\"cal-{0}\">{0}</h3>\n<div class=\"seasons\">\n", HtmlEscape(info->name));
    std::optional<FailureEntry> open_run;  // consecutive not-run dates
    auto flush_run = [&]() {
      if (open_run) failures_.push_back(*open_run);
      open_run.reset();
    };
    for (const auto& [season, span] : spans) {
      SeasonCounts counts;
      std::vector<DayCell> cells;
      for (Date date = span.first; date <= span.second; date = date + 1) {
        auto out_it = outcomes.find(date);
        const Outcome* outcome = out_it == outcomes.end() ? nullptr : &out_it->second;
        auto row_it = rows.find(date);
        long long nrows = row_it == rows.end() ? 0 : row_it->second;
        bool game = game_set_.count(date) > 0;
        bool boot = bootstrap_.count(date) > 0;
        DayCell cell;
        cell.date = date;
        std::string head = date.ToString() + " · " + info->name + " · ";
        std::string rows_text = fmt::format(" · {} row{}", Count(nrows), nrows == 1 ? "" : "s");
        bool covered = false;
        if (outcome) {
          std::string run = " · run " + outcome->run_id;
          if (outcome->status == "success") {
            covered = true;
            cell.state = nrows > 0 ? DayState::kSuccess : DayState::kSuccessZero;
            cell.tooltip = head + "success" + rows_text + run;
          } else if (outcome->status == "failed") {
            cell.state = DayState::kFailed;
            cell.tooltip = head + (nrows > 0 ? "failed (older rows kept)" : "failed") + " · " + outcome->reason_code +
                           rows_text + run;
          } else if (outcome->reason_code == "bootstrap") {
            cell.state = DayState::kBootstrap;
            cell.tooltip = head + "skipped · bootstrap" + rows_text + run;
          } else {
            cell.state = DayState::kSkipped;
            cell.tooltip = head + "skipped · " + outcome->reason_code + rows_text + run;
          }
        } else if (nrows > 0) {
          covered = true;
          cell.state = DayState::kSuccess;
          cell.tooltip = head + "imported (no run outcome)" + rows_text;
        } else if (boot) {
          cell.state = DayState::kBootstrap;
          cell.tooltip = head + "bootstrap · not run";
        } else if (game) {
          cell.state = DayState::kNotRun;
          cell.tooltip = head + "game date · not run";
        } else {
          cell.state = DayState::kNoGame;
          cell.tooltip = date.ToString() + " · no game";
        }
        cells.push_back(std::move(cell));

        counts.rows += nrows;
        if (!game) continue;
        ++counts.game_dates;
        if (boot) {
          ++counts.bootstrap;
          continue;
        }
        ++counts.processable;
        if (covered) {
          ++counts.covered;
          if (nrows == 0) ++counts.zero_row;
        }
        if (outcome && outcome->status == "failed") {
          ++counts.failed;
          flush_run();
          failures_.push_back(FailureEntry{info->name, date, date, 1,
                                           nrows > 0 ? "failed (older rows kept)" : "failed", outcome->reason_code,
                                           outcome->reason, outcome->run_id});
        } else if (!covered && !outcome) {
          ++counts.not_run;
          if (open_run) {
            open_run->last = date;
            ++open_run->dates;
          } else {
            open_run = FailureEntry{info->name, date, date, 1, "not run", "", "no outcome and no rows", ""};
          }
        } else {
          flush_run();
        }
      }
      total.Add(counts);
      body += fmt::format(
          "<div class=\"season\"><div class=\"shead\"><b>{}-{:02d}</b> · covered {} / {} processable · {} game "
          "dates ({} bootstrap) · <span class=\"{}\">{} failed</span> · <span class=\"{}\">{} not run</span> · {} "
          "rows</div>\n{}\n</div>\n",
          season, (season + 1) % 100, Count(counts.covered), Count(counts.processable), Count(counts.game_dates),
          Count(counts.bootstrap), counts.failed ? "fail" : "muted", Count(counts.failed),
          counts.not_run ? "fail" : "muted", Count(counts.not_run), Count(counts.rows), RenderCalendarSvg(cells));
    }
    flush_run();
    body += "</div>\n";
    summary += fmt::format(
        "<tr><td><a href=\"#cal-{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td>"
        "<td>{6}</td><td>{7}</td><td>{8}</td><td class=\"{9}\">{10}</td><td class=\"{11}\">{12}</td><td>{13}</td></tr>\n",
        HtmlEscape(info->name), Count(total.game_dates), Count(total.bootstrap), Count(total.processable),
        Count(total.covered), Pct(total.covered, total.game_dates), Pct(total.processable, total.game_dates),
        Pct(total.covered, total.processable), Count(total.zero_row), total.failed ? "fail" : "", Count(total.failed),
        total.not_run ? "fail" : "", Count(total.not_run), Count(total.rows));
  }
  summary += "</tbody></table>\n";
  return "<section id=\"coverage\">\n<h2>Coverage calendar</h2>\n" + summary +
         "<p class=\"note\">Coverage = covered / game dates (bootstrap dates included in the denominator); max "
         "coverage = processable / game dates; a date is covered when its latest outcome is success (0-row "
         "successes included) or it has rows but no outcome (imported). Hover a square for its outcome.</p>\n" +
         RenderCalendarLegend() + "\n" + body + "</section>\n";
}

std::string ReportBuilder::Failures() {
  std::string out = "<section id=\"failures\">\n<h2>Failures</h2>\n";
  if (failures_.empty()) {
    return out + "<p class=\"pass\">No failed or not-run processable dates in the range.</p>\n</section>\n";
  }
  long long failed = 0, not_run = 0;
  for (const FailureEntry& entry : failures_) (entry.status == "not run" ? not_run : failed) += entry.dates;
  out += fmt::format("<p>{} failed and {} not-run processable dates (consecutive not-run dates are grouped).</p>\n",
                     Count(failed), Count(not_run));
  out += "<table class=\"fails\"><thead><tr><th>processor</th><th>date</th><th>status</th><th>reason code</th>"
         "<th>message</th><th>run id</th></tr></thead><tbody>\n";
  for (const FailureEntry& entry : failures_) {
    std::string dates = entry.first.ToString();
    if (entry.dates > 1) dates += fmt::format(" .. {} ({} dates)", entry.last.ToString(), entry.dates);
    out += fmt::format("<tr><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
                       HtmlEscape(entry.processor), dates, HtmlEscape(entry.status), HtmlEscape(entry.reason_code),
                       HtmlEscape(entry.reason), HtmlEscape(entry.run_id));
  }
  return out + "</tbody></table>\n</section>\n";
}

Result<std::string> ReportBuilder::Distributions() {
  std::string out =
      "<section id=\"features\">\n<h2>Feature distributions</h2>\n<p class=\"note\">Values of non-bootstrap dates "
      "in the range. Fields, valid ranges, hard bounds and value sets come from the thresholds registry "
      "that <code>validate</code> applies (validation.md §4.3). Shaded: the valid range; "
      "<span class=\"k-mean\">dashed</span> = mean, <span class=\"k-p50\">solid</span> = p50. Hard-bounded fields "
      "use 30 equal bins over the hard bounds (PCF scores over their pcf.md §7 ranges), others over [p01, p99], "
      "set-valued fields one bar per value. The check line applies the registry's F1/F2/F5 thresholds over the whole "
      "range; <code>validate features</code> (per season, all checks) is authoritative.</p>\n";
  const auto& specs = AllFieldSpecs();
  for (const auto* info : processors_) {
    const store::TableDef* table = store::FindTable(info->output_table);
    std::vector<size_t> spec_idx;
    for (size_t idx = 0; idx < specs.size(); ++idx) {
      if (specs[idx].rule->table == table->FullName()) spec_idx.push_back(idx);
    }
    if (spec_idx.empty()) continue;
    std::vector<std::vector<Observation>> observations(spec_idx.size());
    bool mlfs = info->output_table == "nba_predictions.ml_feature_store_v2";
    // Columns: date, then the plain columns; MLFS adds features/feature_sources.
    std::vector<std::string> columns;
    std::vector<int> column_of(spec_idx.size(), -1);
    for (size_t k = 0; k < spec_idx.size(); ++k) {
      const FieldSpec& spec = specs[spec_idx[k]];
      if (spec.rule->index >= 0) continue;
      column_of[k] = static_cast<int>(columns.size()) + 1;
      columns.push_back(spec.rule->field);
    }
    std::string select = fmt::format("SELECT \"{}\"", table->date_column);
    for (const std::string& column : columns) select += fmt::format(", \"{}\"", column);
    const int features_col = static_cast<int>(columns.size()) + 1;
    if (mlfs) select += ", features, feature_sources";
    select += fmt::format(" FROM {0} WHERE \"{1}\" BETWEEN ?1 AND ?2 ORDER BY \"{1}\", \"{2}\"", table->FullName(),
                          table->date_column, info->entity_column);
    std::vector<Value> range = {Value{start_.ToString()}, Value{end_.ToString()}};
    std::string last_date_text;
    bool last_boot = false;
    std::vector<double> features;
    std::vector<std::string> sources;
    NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(select, range, [&](const Row& row) -> Status {
      const std::string& date_text = std::get<std::string>(row[0]);
      if (date_text != last_date_text) {
        last_date_text = date_text;
        auto date = Date::Parse(date_text);
        last_boot = date.ok() && calendar_->IsBootstrap(*date);
      }
      if (last_boot) return Status::Ok();
      if (mlfs) {
        if (!ParseDoubleArray(Text(row[features_col]), &features) ||
            !ParseStringArray(Text(row[features_col + 1]), &sources)) {
          return Status::Corruption(fmt::format("{} {}: features or feature_sources is not a JSON array",
                                                table->FullName(), date_text));
        }
      }
      for (size_t k = 0; k < spec_idx.size(); ++k) {
        const FieldSpec& spec = specs[spec_idx[k]];
        Observation obs;
        if (spec.rule->index >= 0) {
          auto idx = static_cast<size_t>(spec.rule->index);
          if (idx < features.size()) obs.value = features[idx];
          else obs.null = true;
          obs.is_default = idx < sources.size() && sources[idx] == "default";
        } else {
          std::optional<double> value = Num(row[static_cast<size_t>(column_of[k])]);
          if (value) obs.value = *value;
          else obs.null = true;
        }
        observations[k].push_back(obs);
      }
      return Status::Ok();
    }));
    out += fmt::format("<h3 id=\"dist-{0}\">{0}</h3>\n<div class=\"dists\">\n", HtmlEscape(table->FullName()));
    for (size_t k = 0; k < spec_idx.size(); ++k) {
      const FieldSpec& spec = specs[spec_idx[k]];
      out += RenderHistogram(spec, ComputeFieldStats(spec, observations[k]));
    }
    out += "</div>\n";
  }
  return out + "</section>\n";
}

Result<std::string> ReportBuilder::Timings() {
  std::string out = "<section id=\"timings\">\n<h2>Run timings</h2>\n";
  NBAPC_ASSIGN_OR_RETURN(
      auto runs, warehouse_.Query("SELECT run_id, command, started_at, finished_at, dates_total, successful, skipped, "
                                  "failed, pending, rows_written, workers, stage_ms, exit_code, interrupted "
                                  "FROM nba_reference.run_log ORDER BY started_at DESC, run_id DESC LIMIT 20"));
  static const char* kStages[] = {"plan", "preflight", "load", "compute", "write"};
  struct Stages {
    double ms[5] = {0, 0, 0, 0, 0};
    double total = 0;
  };
  std::vector<Stages> stages(runs.rows.size());
  double max_total = 0;
  for (size_t idx = 0; idx < runs.rows.size(); ++idx) {
    auto json = nlohmann::json::parse(Text(runs.rows[idx][11]), nullptr, false);
    double sum = 0;
    for (int stage = 0; stage < 5; ++stage) {
      if (json.is_object() && json.contains(kStages[stage]) && json[kStages[stage]].is_number()) {
        stages[idx].ms[stage] = std::max(0.0, json[kStages[stage]].get<double>());
      }
      sum += stages[idx].ms[stage];
    }
    stages[idx].total = json.is_object() && json.contains("total") && json["total"].is_number()
                            ? json["total"].get<double>()
                            : sum;
    max_total = std::max({max_total, sum, stages[idx].total});
  }
  if (runs.rows.empty()) {
    out += "<p class=\"muted\">No backfill or run invocation recorded in <code>nba_reference.run_log</code>.</p>\n";
  } else {
    out += fmt::format("<p>Last {} invocation{} (newest first). Stage bars: ", runs.rows.size(),
                       runs.rows.size() == 1 ? "" : "s");
    for (int stage = 0; stage < 5; ++stage) {
      out += fmt::format("<span class=\"sw st{}\"></span>{} ", stage, kStages[stage]);
    }
    out += "(scaled to the longest run shown).</p>\n";
    out += "<table class=\"runs\"><thead><tr><th>run id</th><th>command</th><th>start</th><th>duration</th>"
           "<th>ok / skipped / failed</th><th>rows</th><th>workers</th><th>stages</th></tr></thead><tbody>\n";
    constexpr double kBarWidth = 240;
    for (size_t idx = 0; idx < runs.rows.size(); ++idx) {
      const Row& row = runs.rows[idx];
      std::string bar = fmt::format("<svg class=\"stage\" viewBox=\"0 0 {0} 12\" width=\"{0}\" height=\"12\" role=\"img\">",
                                    ShortNumber(kBarWidth));
      double x = 0;
      for (int stage = 0; stage < 5; ++stage) {
        double w = max_total > 0 ? stages[idx].ms[stage] / max_total * kBarWidth : 0;
        if (w <= 0) continue;
        bar += fmt::format("<rect class=\"st{}\" x=\"{}\" y=\"0\" width=\"{}\" height=\"12\"><title>{} {} ms</title></rect>",
                           stage, Fixed(x, 2), Fixed(w, 2), kStages[stage], Fixed(stages[idx].ms[stage], 1));
        x += w;
      }
      bar += "</svg>";
      std::string command = Text(row[1]);
      std::string shown = command.size() > 140 ? command.substr(0, 137) + "..." : command;
      bool interrupted = Text(row[13]) == "1" || Text(row[13]) == "true";
      long long exit_code = Int(row[12]);
      out += fmt::format(
          "<tr><td><code>{}</code></td><td><code title=\"{}\">{}</code>{}</td><td class=\"nowrap\">{}</td>"
          "<td class=\"r\">{} s</td><td class=\"r\">{} / {} / <span class=\"{}\">{}</span></td><td class=\"r\">{}</td>"
          "<td class=\"r\">{}</td><td>{}</td></tr>\n",
          HtmlEscape(Text(row[0])), HtmlEscape(command), HtmlEscape(shown),
          interrupted ? " <span class=\"warn\">interrupted</span>"
                      : (exit_code != 0 ? fmt::format(" <span class=\"fail\">exit {}</span>", exit_code) : ""),
          HtmlEscape(Text(row[2])), Fixed(stages[idx].total / 1000.0, 1), Count(Int(row[5])), Count(Int(row[6])),
          Int(row[7]) ? "fail" : "", Count(Int(row[7])), Count(Int(row[9])), Int(row[10]), bar);
    }
    out += "</tbody></table>\n";
  }

  // Per processor: duration_ms of success outcomes dated in the range.
  std::map<std::string, std::vector<double>> durations;
  std::vector<Value> range = {Value{start_.ToString()}, Value{end_.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(
      "SELECT processor_name, duration_ms FROM nba_reference.processor_run_history WHERE data_date BETWEEN ?1 AND ?2 "
      "AND status = 'success' ORDER BY processor_name, duration_ms",
      range, [&](const Row& row) {
        std::optional<double> value = Num(row[1]);
        if (value) durations[Text(row[0])].push_back(*value);
        return Status::Ok();
      }));
  out += "<h3>Per processor: duration per date (success outcomes dated in the range, all runs)</h3>\n"
         "<table class=\"num\"><thead><tr><th>processor</th><th>outcomes</th><th>mean ms</th><th>p95 ms</th>"
         "<th>max ms</th><th>total s</th></tr></thead><tbody>\n";
  for (const auto* info : processors_) {
    const std::vector<double>& values = durations[info->name];  // ascending
    if (values.empty()) {
      out += fmt::format("<tr><td>{}</td><td>0</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>\n", HtmlEscape(info->name));
      continue;
    }
    double sum = 0;
    for (double value : values) sum += value;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       HtmlEscape(info->name), Count(static_cast<long long>(values.size())),
                       Fixed(sum / static_cast<double>(values.size()), 1), Fixed(NearestRank(values, 0.95), 1),
                       Fixed(values.back(), 1), Fixed(sum / 1000.0, 1));
  }
  return out + "</tbody></table>\n</section>\n";
}

constexpr const char* kStyle = R"CSS(
:root{--ok:#2da44e;--ok0:#aceebb;--fail:#cf222e;--skip:#8c959f;--none:#ebedf0;--ink:#1f2328;--muted:#656d76}
*{box-sizing:border-box}
svg.defs{position:absolute;width:0;height:0}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff;margin:20px 28px;max-width:1500px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin:28px 0 10px}
h3{font-size:14px;margin:18px 0 6px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:6px 0 10px}
th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
table.meta th{width:150px}
table.num td{text-align:right}
table.num td:first-child{text-align:left}
td.r{text-align:right}
.nowrap{white-space:nowrap}
nav{margin:10px 0}
nav a{margin-right:14px}
a{color:#0969da;text-decoration:none}
.gen{color:var(--muted);margin:4px 0}
.note{color:var(--muted);max-width:1100px}
.muted{color:var(--muted)}
.pass{color:#1a7f37;font-weight:600}
.warn{color:#9a6700;font-weight:600}
.fail{color:var(--fail);font-weight:600}
.seasons{display:flex;flex-wrap:wrap;gap:10px 26px}
.season{margin:4px 0;width:650px}
.shead{font-size:11px;margin-bottom:2px;white-space:nowrap}
svg .lbl{font-size:9px;fill:var(--muted)}
svg.cal rect.ok{fill:var(--ok)}
svg.cal rect.ok0{fill:var(--ok0)}
svg.cal rect.fail{fill:var(--fail)}
svg.cal rect.boot{fill:url(#hatch)}
svg.cal rect.skip{fill:var(--skip)}
svg.cal rect.miss{fill:#fff;stroke:var(--fail);stroke-width:1.2}
svg.cal rect.none{fill:var(--none)}
svg.legend .lbl{font-size:11px;fill:var(--ink)}
.dists{display:flex;flex-wrap:wrap;gap:8px 14px}
figure.dist{margin:0;width:330px;break-inside:avoid}
figure.dist figcaption{font-size:11px;line-height:1.35}
svg.hist rect.valid{fill:#ddf4ff}
svg.hist rect.bar{fill:#57606a}
svg.hist rect.bad{fill:var(--fail)}
svg.hist line.axis{stroke:#8c959f;stroke-width:1}
svg.hist line.mean{stroke:#0969da;stroke-width:1.5;stroke-dasharray:3 2}
svg.hist line.p50{stroke:#bf3989;stroke-width:1.5}
.k-mean{color:#0969da;font-weight:600}
.k-p50{color:#bf3989;font-weight:600}
table.fails td:nth-child(5){max-width:640px}
.st0{fill:#8250df;background:#8250df}.st1{fill:#bf8700;background:#bf8700}.st2{fill:#0969da;background:#0969da}
.st3{fill:#1a7f37;background:#1a7f37}.st4{fill:#cf222e;background:#cf222e}
.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:-1px}
@media print{body{margin:8mm;font-size:11px}nav{display:none}h2{break-after:avoid}h3{break-after:avoid}.season,figure.dist,tr{break-inside:avoid}}
)CSS";

Result<std::string> ReportBuilder::Build() {
  // One read transaction (validation.md §1 "consistent snapshot"). A deferred
  // BEGIN, because the warehouse is opened query_only and BEGIN IMMEDIATE
  // would ask for the write lock; reading every dataset at once pins the
  // snapshot of each attached file before any other query runs.
  NBAPC_RETURN_IF_ERROR(warehouse_.ExecuteScript("BEGIN"));
  struct ReadGuard {
    store::Warehouse& warehouse;
    ~ReadGuard() { (void)warehouse.ExecuteScript("ROLLBACK"); }
  } guard{warehouse_};
  for (const std::string& dataset : store::AllDatasets()) {
    NBAPC_RETURN_IF_ERROR(warehouse_.Query(fmt::format("SELECT COUNT(*) FROM {}.sqlite_master", dataset)).status());
  }
  NBAPC_RETURN_IF_ERROR(Plan());
  NBAPC_RETURN_IF_ERROR(LoadOutcomes());
  NBAPC_ASSIGN_OR_RETURN(std::string validation, Validation());
  std::string coverage = Coverage();
  std::string failures = Failures();
  NBAPC_ASSIGN_OR_RETURN(std::string distributions, Distributions());
  NBAPC_ASSIGN_OR_RETURN(std::string timings, Timings());

  std::string html;
  html.reserve(coverage.size() + distributions.size() + 65536);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  html += HtmlEscape(options_.title);
  html += "</title>\n<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n";
  html += CalendarDefs();
  html += Header(validation);
  html += "<nav><a href=\"#coverage\">Coverage calendar</a><a href=\"#failures\">Failures</a>"
          "<a href=\"#features\">Feature distributions</a><a href=\"#timings\">Run timings</a></nav>\n";
  html += coverage;
  html += failures;
  html += distributions;
  html += timings;
  html += "<footer class=\"muted\"><p>nba-precompute " + HtmlEscape(kEngineVersion) +
          " · spec/validation.md §8 · self-contained file: no external resources.</p></footer>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace

std::string GenerationLine(const std::string& generated_at) {
  return "<p class=\"gen\">Generated " + HtmlEscape(generated_at) + " (UTC)</p>\n";
}

Result<std::string> RenderReport(store::Warehouse& warehouse, const ReportOptions& options) {
  ReportBuilder builder(warehouse, options);
  return builder.Build();
}

}  // namespace nbapc::report
