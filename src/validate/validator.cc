#include "validate/validator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "backfill/inputs.h"
#include "backfill/registry.h"
#include "core/numbers.h"
#include "core/version.h"
#include "store/schema.h"
#include "validate/check.h"
#include "validate/completeness.h"
#include "validate/coverage.h"
#include "validate/entities.h"
#include "validate/features.h"
#include "validate/regression.h"

namespace nbapc::validate {
namespace {

using ojson = nlohmann::ordered_json;

std::string NewValidationId() {
  // §7: val-YYYYMMDDTHHMMSSZ-<8 hex>.
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::random_device rd;
  return fmt::format("val-{:04d}{:02d}{:02d}T{:02d}{:02d}{:02d}Z-{:08x}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, rd());
}

std::string Opt(const std::optional<double>& v, int decimals) {
  if (!v) return "-";
  return fmt::format("{:.{}f}", *v, decimals);
}

std::string ShortTable(const std::string& table) {
  auto dot = table.find('.');
  return dot == std::string::npos ? table : table.substr(dot + 1);
}

// Bootstrap exclusions grouped per season: "2021-10-19..2021-11-01 (14)".
std::vector<std::string> BootstrapRanges(const std::vector<Date>& game_dates, const SeasonCalendar& calendar) {
  std::map<int, std::vector<Date>> per_season;
  for (Date date : game_dates) {
    if (calendar.IsBootstrap(date)) per_season[SeasonYear(date)].push_back(date);
  }
  std::vector<std::string> out;
  for (const auto& [season, dates] : per_season) {
    out.push_back(fmt::format("{}-{:02d} {}..{} ({})", season, (season + 1) % 100, dates.front().ToString(),
                              dates.back().ToString(), dates.size()));
  }
  return out;
}

Result<ojson> InputFingerprint(store::Warehouse& warehouse) {
  // §7: content_hash of the latest import_history row per input table.
  ojson out = ojson::object();
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT table_name, content_hash FROM (SELECT table_name, content_hash, ROW_NUMBER() OVER (PARTITION BY "
      "table_name ORDER BY finished_at DESC, import_id DESC) AS rn FROM nba_reference.import_history) WHERE rn = 1 "
      "ORDER BY table_name",
      {}, [&](const Row& row) -> Status {
        out[std::get<std::string>(row[0])] = std::get<std::string>(row[1]);
        return Status::Ok();
      }));
  return out;
}

MetricRow ToMetricRow(const FieldMetrics& m) {
  MetricRow row;
  row.table = m.table;
  row.field = m.field;
  row.season_year = m.season_year;
  row.span_start = m.span_start.ToString();
  row.span_end = m.span_end.ToString();
  row.n = m.n;
  row.null_count = m.null_count;
  row.out_of_range = m.out_of_range;
  row.distinct_count = m.distinct;
  row.valid_pct = m.valid_pct;
  row.null_rate = m.null_rate;
  row.mean = m.mean;
  row.sd = m.sd;
  row.min = m.min;
  row.p05 = m.p05;
  row.p50 = m.p50;
  row.p95 = m.p95;
  row.max = m.max;
  row.default_share = m.default_share;
  row.zero_share = m.zero_share;
  return row;
}

Value OptI(const std::optional<int64_t>& v) { return v ? Value{*v} : Value{}; }
Value OptD(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }

class Validation {
 public:
  Validation(store::Warehouse& warehouse, const ValidateOptions& options)
      : warehouse_(warehouse), options_(options) {}

  Result<int> Run(std::ostream& out);

 private:
  Status Plan();
  Status RunCoverage();
  Status RunEntities();
  Status RunCompleteness();
  Status RunFeatures();
  Status RunRegression();
  Status Store(int exit_code, bool is_baseline);
  void PrintTable(std::ostream& out, int exit_code);
  ojson Summary(int exit_code, bool with_features) const;

  store::Warehouse& warehouse_;
  const ValidateOptions& options_;
  std::string validation_id_ = NewValidationId();
  std::string started_at_ = NowUtcTimestamp();
  std::unique_ptr<SeasonCalendar> calendar_;
  Date start_, end_;
  std::vector<Date> game_dates_;
  std::set<Date> bootstrap_;
  std::vector<const backfill::ProcessorInfo*> processors_;
  bool do_coverage_ = false, do_completeness_ = false, do_features_ = false, do_regression_ = false;
  std::vector<std::string> checks_run_;
  std::vector<Check> checks_;
  // Coverage of every processor (staleness and regression need them all).
  std::map<std::string, CoverageResult> coverage_;
  std::map<std::string, std::map<Date, LatestOutcome>> latest_;
  std::map<std::string, std::map<Date, int64_t>> rows_by_date_;
  // C5 per processor (--details only).
  std::map<std::string, EntityCheckResult> entities_;
  std::optional<CompletenessResult> completeness_;
  std::vector<TableFeatures> features_;
  std::optional<RegressionResult> regression_;
  bool no_baseline_ = false;
  RunSnapshot snapshot_;
};

Status Validation::Plan() {
  std::vector<std::string> warnings;
  NBAPC_ASSIGN_OR_RETURN(calendar_, backfill::LoadCalendar(warehouse_, options_.today, &warnings));
  NBAPC_ASSIGN_OR_RETURN(auto range, backfill::DefaultRange(warehouse_, *calendar_, options_.start, options_.end));
  start_ = range.first;
  end_ = range.second;
  game_dates_ = calendar_->PlanRange(start_, end_).game_dates;
  for (Date date : game_dates_) {
    if (calendar_->IsBootstrap(date)) bootstrap_.insert(date);
  }
  NBAPC_ASSIGN_OR_RETURN(processors_, backfill::ResolveProcessors(options_.processor));
  const std::string& check = options_.check;
  do_coverage_ = check == "all" || check == "coverage";
  do_completeness_ = check == "all" || check == "completeness";
  do_features_ = check == "all" || check == "features" || check == "regression";
  do_regression_ = check == "regression" || check == "all" || (check == "features" && options_.check_regression);
  if (do_coverage_) checks_run_.push_back("coverage");
  if (do_completeness_) checks_run_.push_back("completeness");
  if (do_features_ && check != "regression") checks_run_.push_back("features");
  if (do_regression_) checks_run_.push_back("regression");
  return Status::Ok();
}

Status Validation::RunCoverage() {
  for (const backfill::ProcessorInfo& info : backfill::AllProcessors()) {
    NBAPC_ASSIGN_OR_RETURN(latest_[info.name], LoadLatestOutcomes(warehouse_, info.name, start_, end_));
    NBAPC_ASSIGN_OR_RETURN(rows_by_date_[info.name], LoadRowsByDate(warehouse_, info.output_table, start_, end_));
  }
  for (const backfill::ProcessorInfo& info : backfill::AllProcessors()) {
    CoverageInput input;
    input.processor = info.name;
    input.table = info.output_table;
    input.game_dates = game_dates_;
    input.bootstrap = bootstrap_;
    input.latest = latest_[info.name];
    input.rows_by_date = rows_by_date_[info.name];
    std::vector<const std::map<Date, LatestOutcome>*> upstreams;
    for (const std::string& upstream : info.upstreams) upstreams.push_back(&latest_[upstream]);
    input.stale_dates = StaleDates(input.latest, upstreams);
    input.check_populated = info.alias == "mlfs";
    coverage_[info.name] = ComputeCoverage(input, options_.min_coverage);
  }
  if (do_coverage_ && options_.details) NBAPC_RETURN_IF_ERROR(RunEntities());
  if (do_coverage_) {
    for (const auto* info : processors_) {
      for (const Check& check : coverage_[info->name].checks) checks_.push_back(check);
    }
  }
  return Status::Ok();
}

Status Validation::RunEntities() {
  // C5 (§2.2) on the processable dates each processor claims: covered, or a
  // success whose rows were deleted afterwards. Failed / not-run dates are C3's.
  std::map<std::string, std::vector<Date>> dates;
  std::optional<Date> first, last;
  bool pgs = false, tdgs = false, upcoming = false;
  for (const auto* info : processors_) {
    const CoverageResult& c = coverage_.at(info->name);
    std::set<Date> claimed = c.covered;
    claimed.insert(c.missing_row_dates.begin(), c.missing_row_dates.end());
    std::vector<Date>& list = dates[info->name];
    list.assign(claimed.begin(), claimed.end());
    if (list.empty()) continue;
    if (!first || list.front() < *first) first = list.front();
    if (!last || list.back() > *last) last = list.back();
    UniverseRule rule = RuleForProcessor(info->alias);
    if (rule == UniverseRule::kTeamsWithSeasonGame) tdgs = true;
    else pgs = true;
    if (rule == UniverseRule::kGameDayPlayers) {
      for (Date date : list) {
        if (!calendar_->IsHistorical(date)) upcoming = true;
      }
    }
  }
  UniverseFacts facts;
  if (first) {
    NBAPC_ASSIGN_OR_RETURN(facts, LoadUniverseFacts(warehouse_, *first, *last, pgs, tdgs, upcoming));
  }
  std::map<std::string, std::map<std::string, std::map<Date, std::map<std::string, std::string>>>> exclusions;
  auto historical = [&](Date date) { return calendar_->IsHistorical(date); };
  for (const auto* info : processors_) {
    const std::vector<Date>& list = dates[info->name];
    AccountedEntities accounted;
    if (!list.empty()) {
      std::string dataset = info->output_table.substr(0, info->output_table.find('.'));
      if (!exclusions.count(dataset)) {
        NBAPC_ASSIGN_OR_RETURN(exclusions[dataset], LoadExclusions(warehouse_, dataset, *first, *last));
      }
      NBAPC_ASSIGN_OR_RETURN(accounted.rows, LoadEntityRows(warehouse_, info->output_table, info->entity_column,
                                                             list.front(), list.back()));
      auto it = exclusions[dataset].find(info->name);
      if (it != exclusions[dataset].end()) accounted.excluded = std::move(it->second);
    }
    EntityCheckResult result = CheckEntities(info->name, info->alias, facts, list, historical, accounted);
    // C5 goes after C4 in the processor's checks.
    std::vector<Check>& checks = coverage_.at(info->name).checks;
    auto pos = std::find_if(checks.begin(), checks.end(), [](const Check& check) { return check.id == "C4"; });
    checks.insert(pos == checks.end() ? checks.end() : pos + 1, result.check);
    entities_[info->name] = std::move(result);
  }
  return Status::Ok();
}

Status Validation::RunCompleteness() {
  std::vector<DateCounts> dates;
  for (Date date : game_dates_) {
    DateCounts d;
    d.date = date;
    d.historical = calendar_->IsHistorical(date);
    d.bootstrap = bootstrap_.count(date) > 0;
    int idx = 0;
    for (const backfill::ProcessorInfo& info : backfill::AllProcessors()) {
      if (idx < 5) d.covered[idx] = coverage_[info.name].covered.count(date) > 0;
      auto it = latest_[info.name].find(date);
      if (it != latest_[info.name].end() && it->second.status == "success") d.any_success = true;
      ++idx;
    }
    dates.push_back(d);
  }
  NBAPC_RETURN_IF_ERROR(LoadDateCounts(warehouse_, start_, end_, options_.details, &dates));
  completeness_ = ComputeCompleteness(start_, end_, std::move(dates));
  for (const Check& check : completeness_->checks) checks_.push_back(check);
  return Status::Ok();
}

Status Validation::RunFeatures() {
  std::vector<std::string> tables;
  if (options_.processor == "all") tables = {kPgsTable, kTdgsTable, kTogsTable};
  for (const auto* info : processors_) {
    tables.push_back(info->output_table == "nba_predictions.ml_feature_store_v2" ? kMlfsTable : info->output_table);
  }
  FeatureContext context;
  context.start = start_;
  context.end = end_;
  for (Date date : game_dates_) {
    if (bootstrap_.count(date)) continue;
    auto& span = context.season_spans[SeasonYear(date)];
    if (span.first == Date()) span.first = date;
    span.second = date;
  }
  std::vector<Value> params = {Value{start_.ToString()}, Value{end_.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(
      "SELECT DISTINCT game_date FROM nba_raw.nbac_schedule WHERE game_type = 'playoff' AND game_status <> "
      "'postponed' AND game_date BETWEEN ?1 AND ?2",
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        if (!calendar_->IsBootstrap(date)) context.seasons_with_playoffs.insert(SeasonYear(date));
        return Status::Ok();
      }));
  NBAPC_RETURN_IF_ERROR(warehouse_.QueryEach(
      "SELECT DISTINCT game_date FROM nba_precompute.player_composite_factors WHERE context_source = 'upcoming' AND "
      "game_date BETWEEN ?1 AND ?2",
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        context.seasons_with_upcoming.insert(SeasonYear(date));
        return Status::Ok();
      }));
  std::vector<Check> feature_checks;
  for (const std::string& table : tables) {
    NBAPC_ASSIGN_OR_RETURN(TableData data, LoadTableData(warehouse_, table, *calendar_, start_, end_));
    features_.push_back(EvaluateTable(data, context, options_.full, options_.min_feature_coverage, &feature_checks));
    if (table == kPgsTable) CheckNullCascade(data, &feature_checks);
  }
  if (options_.check != "regression") {
    for (Check& check : feature_checks) checks_.push_back(std::move(check));
  }
  return Status::Ok();
}

Status Validation::RunRegression() {
  std::string baseline_id = options_.baseline;
  if (baseline_id.empty()) {
    NBAPC_ASSIGN_OR_RETURN(baseline_id, LatestBaselineId(warehouse_));
  }
  if (baseline_id.empty()) {
    no_baseline_ = true;
    return Status::Ok();
  }
  auto baseline = LoadSnapshot(warehouse_, baseline_id);
  if (!baseline.ok()) {
    if (baseline.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument(fmt::format("--baseline: validation run {} not found", baseline_id));
    }
    return baseline.status();
  }
  regression_ = CompareWithBaseline(*baseline, snapshot_, options_.tolerance, start_, end_);
  for (const Check& check : regression_->regressions) checks_.push_back(check);
  return Status::Ok();
}

ojson Validation::Summary(int exit_code, bool with_features) const {
  int failures = CountStatus(checks_, CheckStatus::kFail);
  int warnings = CountStatus(checks_, CheckStatus::kWarn);
  ojson out = ojson::object();
  out["validation_id"] = validation_id_;
  out["command"] = options_.command_line;
  out["start_date"] = start_.ToString();
  out["end_date"] = end_.ToString();
  out["engine_version"] = kEngineVersion;
  out["result"] = failures ? "fail" : "pass";
  out["exit_code"] = exit_code;
  out["failures"] = failures;
  out["warnings"] = warnings;
  out["game_dates"] = static_cast<int>(game_dates_.size());
  out["bootstrap_dates"] = static_cast<int>(bootstrap_.size());
  ojson checks = ojson::array();
  for (const Check& check : checks_) checks.push_back(check.ToJson());
  out["checks"] = checks;
  ojson coverage = ojson::array();
  if (do_coverage_) {
    for (const auto* info : processors_) {
      ojson entry = coverage_.at(info->name).ToJson();
      auto it = entities_.find(info->name);
      if (it != entities_.end()) {
        ojson reconciliation = ojson::array();
        for (const Reconciliation& r : it->second.dates) reconciliation.push_back(r.ToJson());
        entry["reconciliation"] = reconciliation;
      }
      coverage.push_back(entry);
    }
  }
  out["coverage"] = coverage;
  out["completeness"] = completeness_ ? completeness_->ToJson() : ojson(nullptr);
  if (with_features) {
    ojson features = ojson::array();
    if (options_.check != "regression") {
      for (const TableFeatures& table : features_) {
        for (const FieldMetrics& m : table.range_metrics) features.push_back(m.ToJson());
        if (options_.full) {
          for (const FieldMetrics& m : table.season_metrics) features.push_back(m.ToJson());
        }
      }
    }
    out["features"] = features;
  }
  if (regression_) {
    out["regression"] = regression_->ToJson();
  } else if (do_regression_) {
    out["regression"] = ojson{{"baseline_id", nullptr}, {"compared", 0}, {"not_comparable", 0},
                              {"context", ojson::array({"no baseline yet: this run will become the baseline if it passes"})},
                              {"regressions", ojson::array()}};
  } else {
    out["regression"] = nullptr;
  }
  return out;
}

void Validation::PrintTable(std::ostream& out, int exit_code) {
  if (do_coverage_) {
    const CoverageResult& any = coverage_.begin()->second;
    out << fmt::format("COVERAGE {}..{}: {} game dates, {} bootstrap, {} processable (max coverage {:.1f}%)\n",
                       start_.ToString(), end_.ToString(), any.game_dates, any.bootstrap_dates, any.processable_dates,
                       any.max_coverage_pct);
    std::vector<std::string> ranges = BootstrapRanges(game_dates_, *calendar_);
    out << fmt::format("bootstrap exclusions ({} = 14 x {} openers in range): {}\n", bootstrap_.size(), ranges.size(),
                       ranges.empty() ? std::string("none") : fmt::format("{}", fmt::join(ranges, ", ")));
    out << fmt::format("{:<28} {:>7}  {:>8}  {:>11}  {:>5}  {:>6}  {:>7}  {:>8}   {}\n", "processor", "covered",
                       "coverage", "processable", "0-row", "failed", "not run", "rows", "result");
    for (const auto* info : processors_) {
      const CoverageResult& c = coverage_.at(info->name);
      std::string result = "PASS";
      for (const Check& check : c.checks) {
        if (check.status == CheckStatus::kFail) {
          result = fmt::format("FAIL {}: {}", check.id, check.message);
          break;
        }
      }
      if (result == "PASS") {
        for (const Check& check : c.checks) {
          if (check.status == CheckStatus::kWarn) {
            result = fmt::format("PASS (WARN {}: {})", check.id, check.message);
            break;
          }
        }
      }
      out << fmt::format("{:<28} {:>7}  {:>7.1f}%  {:>10.1f}%  {:>5}  {:>6}  {:>7}  {:>8}   {}\n", c.processor,
                         c.covered_dates, c.coverage_pct, c.processable_coverage_pct, c.zero_row_dates,
                         c.failed_dates.size(), c.not_run_dates.size(), c.rows, result);
      if (options_.details) {
        const auto& latest = latest_.at(info->name);
        auto reason = [&](Date date) {
          auto it = latest.find(date);
          if (it == latest.end()) return std::string("untracked");
          return it->second.reason_code.empty() ? it->second.status
                                                : fmt::format("{}: {}", it->second.reason_code, it->second.reason);
        };
        for (Date date : c.failed_dates) {
          bool rows = rows_by_date_.at(info->name).count(date) > 0;
          out << fmt::format("  {}  failed{}  {}\n", date.ToString(), rows ? " (older rows kept)" : "", reason(date));
        }
        for (Date date : c.not_run_dates) out << fmt::format("  {}  not run  {}\n", date.ToString(), reason(date));
        for (Date date : c.missing_row_dates) {
          out << fmt::format("  {}  rows deleted after a success  {}\n", date.ToString(), reason(date));
        }
        for (Date date : c.bootstrap_violations) {
          out << fmt::format("  {}  bootstrap violation  {}\n", date.ToString(), reason(date));
        }
        auto entities = entities_.find(info->name);
        if (entities != entities_.end()) {
          for (const Reconciliation& r : entities->second.dates) out << "  " << r.Line(info->alias) << "\n";
        }
      }
    }
    out << "\n";
  }
  if (completeness_) {
    const CompletenessResult& p = *completeness_;
    out << fmt::format("PIPELINE COMPLETENESS {}..{} (historical game dates {}, bootstrap {})\n", start_.ToString(),
                       end_.ToString(), p.historical_dates, p.bootstrap_dates);
    auto status = [&](const char* id) {
      for (const Check& check : p.checks) {
        if (check.id == id) {
          return std::string(check.status == CheckStatus::kFail   ? "FAIL"
                             : check.status == CheckStatus::kWarn ? "WARN"
                                                                  : "PASS");
        }
      }
      return std::string("PASS");
    };
    out << fmt::format("  {:<34} {}\n", "L1 schedule final games", p.l1_games);
    out << fmt::format("  {:<34} {:<56} {} (>= 90%)\n", "L3 player_game_summary games",
                       fmt::format("{} ({:.1f}% of L1)", p.l3_games, Pct1(p.l3_games, p.l1_games)), status("P1"));
    out << fmt::format("  {:<34} {:<56} {} (>= 80%, warn < 90%)\n", "L4 player_composite_factors games",
                       fmt::format("{} ({:.1f}% of non-bootstrap L1)", p.l4_games, Pct1(p.l4_games, p.l1_non_bootstrap)),
                       status("P2"));
    out << fmt::format("  {:<34} {:<56} {} (>= 90%)\n", "L5 ml_feature_store_v2 games",
                       fmt::format("{} ({:.1f}% of non-bootstrap L3)", p.l5_games, Pct1(p.l5_games, p.l3_non_bootstrap)),
                       status("P3"));
    out << fmt::format("  {:<34} {:<56} {}\n", "team tables",
                       fmt::format("TDGS {}/{}, TOGS {}/{}", p.tdgs_rows, p.team_expected, p.togs_rows, p.team_expected),
                       status("P4"));
    out << fmt::format("  {:<34} {:<56} {}\n", "date gaps",
                       fmt::format("{} dates, longest run {} (limit 3)", p.gap_dates.size(), p.longest_gap_run),
                       status("P5"));
    for (size_t idx = 0; idx < p.gap_lines.size() && idx < 10; ++idx) out << "    " << p.gap_lines[idx] << "\n";
    if (p.gap_lines.size() > 10) out << fmt::format("    ... and {} more\n", p.gap_lines.size() - 10);
    out << fmt::format("  {:<34} {:<56} {}\n", "player reconciliation",
                       fmt::format("{} dates differ", p.player_mismatch_dates.size()), status("P6"));
    if (options_.details) {
      out << fmt::format("  {:<10} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}  {}\n",
                         "date", "games", "pgsG", "pgsP", "tdgs", "togs", "upgc", "tdza", "psza", "pdc", "pcfG",
                         "pcfP", "mlfsG", "mlfsP", "status");
      for (const DateCounts& d : p.dates) {
        if (!d.historical) {
          out << fmt::format("  {:<10} ─ n/a (upcoming)\n", d.date.ToString());
          continue;
        }
        out << fmt::format("  {:<10} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}  {}\n",
                           d.date.ToString(), d.games, d.pgs_games, d.pgs_players, d.tdgs_rows, d.togs_rows,
                           d.upgc_players, d.tdza_rows, d.psza_rows, d.pdc_rows, d.pcf_games, d.pcf_players,
                           d.mlfs_games, d.mlfs_players, DateStatusSymbol(d));
        if (!d.bootstrap && !d.players_missing.empty()) {
          std::vector<std::string> first(d.players_missing.begin(),
                                         d.players_missing.begin() + std::min<size_t>(10, d.players_missing.size()));
          out << fmt::format("    players without PCF/MLFS rows: {}{}\n", fmt::join(first, ", "),
                             d.players_missing.size() > 10 ? fmt::format(" ... and {} more", d.players_missing.size() - 10)
                                                           : "");
        }
      }
    }
    out << "\n";
  }
  if (do_features_ && options_.check != "regression") {
    out << fmt::format("FEATURES {}..{} (non-bootstrap rows)\n", start_.ToString(), end_.ToString());
    for (const TableFeatures& table : features_) {
      out << fmt::format("{}  {}  {} rows\n", ShortTable(table.table), table.status, table.rows);
      out << fmt::format("  {:>3} {:<32} {:>6} {:>7} {:>8} {:>9} {:>9} {:>9} {:>9}   {}\n", "idx", "field", "valid%",
                         "null%", "default%", "mean", "p05", "p50", "p95", "result");
      for (const FieldMetrics& m : table.range_metrics) {
        CheckStatus worst = m.status == "fail" ? CheckStatus::kFail
                            : m.status == "warn" ? CheckStatus::kWarn
                                                 : CheckStatus::kPass;
        std::vector<std::string> ids;
        for (const Check& check : checks_) {
          if (check.table == m.table && check.field == m.field && check.status != CheckStatus::kPass) {
            if (check.status == CheckStatus::kFail) worst = CheckStatus::kFail;
            else if (worst == CheckStatus::kPass) worst = CheckStatus::kWarn;
            if (std::find(ids.begin(), ids.end(), check.id) == ids.end()) ids.push_back(check.id);
          }
        }
        std::string result = worst == CheckStatus::kFail ? "FAIL" : worst == CheckStatus::kWarn ? "WARN" : "PASS";
        if (!ids.empty()) result += fmt::format(" {}", fmt::join(ids, ","));
        if (!m.note.empty()) result += " " + m.note;
        out << fmt::format("  {:>3} {:<32} {:>6.1f} {:>7.1f} {:>8} {:>9} {:>9} {:>9} {:>9}   {}\n",
                           m.index >= 0 ? std::to_string(m.index) : "", m.field, m.valid_pct, m.null_rate * 100,
                           m.default_share ? fmt::format("{:.1f}", *m.default_share * 100) : "-", Opt(m.mean, 3),
                           Opt(m.p05, 3), Opt(m.p50, 3), Opt(m.p95, 3), result);
      }
      if (options_.full) {
        for (const std::string& line : table.contaminated_dates) out << "  " << line << "\n";
        if (table.contaminated_total > static_cast<int64_t>(table.contaminated_dates.size())) {
          out << fmt::format("  ... and {} more\n", table.contaminated_total - table.contaminated_dates.size());
        }
        for (const FieldMetrics& m : table.season_metrics) {
          out << fmt::format("    season {} {:<32} n {:>7} valid {:>5.1f}% mean {:>9} p50 {:>9}\n", m.season_year,
                             m.field, m.n, m.valid_pct, Opt(m.mean, 3), Opt(m.p50, 3));
        }
      }
    }
    out << "\n";
  }
  if (do_regression_) {
    out << "REGRESSION\n";
    if (!regression_) {
      out << "  no baseline yet: this run will become the baseline if it passes\n";
    } else {
      out << fmt::format("  baseline {}: {} metrics compared, {} not comparable\n", regression_->baseline_id,
                         regression_->compared, regression_->not_comparable);
      for (const std::string& line : regression_->context_lines) out << "  " << line << "\n";
      if (options_.details) {
        for (const std::string& line : regression_->not_comparable_keys) out << "  " << line << "\n";
      }
      if (regression_->regressions.empty()) out << "  no regressions\n";
      for (const Check& check : regression_->regressions) out << "  " << check.Line() << "\n";
    }
    out << "\n";
  }
  int failures = CountStatus(checks_, CheckStatus::kFail);
  int warnings = CountStatus(checks_, CheckStatus::kWarn);
  out << fmt::format("VALIDATION RESULT: {} ({} failures, {} warnings)\n", failures ? "FAIL" : "PASS", failures,
                     warnings);
  for (const Check& check : checks_) {
    if (check.status == CheckStatus::kFail) out << check.Line() << "\n";
  }
  (void)exit_code;
}

Status Validation::Store(int exit_code, bool is_baseline) {
  int failures = CountStatus(checks_, CheckStatus::kFail);
  int warnings = CountStatus(checks_, CheckStatus::kWarn);
  store::Transaction txn(warehouse_);
  NBAPC_RETURN_IF_ERROR(txn.Begin());
  const store::TableDef* runs = store::FindTable("nba_orchestration.validation_runs");
  const store::TableDef* metrics = store::FindTable("nba_orchestration.validation_metrics");
  const store::TableDef* hashes = store::FindTable("nba_orchestration.validation_output_hashes");
  if (!runs || !metrics || !hashes) return Status::Internal("validation tables missing from the catalog");
  ojson checks_run = checks_run_;
  Row run = {Value{validation_id_},
             Value{options_.command_line},
             Value{checks_run.dump()},
             Value{start_.ToString()},
             Value{end_.ToString()},
             Value{started_at_},
             Value{NowUtcTimestamp()},
             Value{std::string(failures ? "fail" : "pass")},
             Value{int64_t{exit_code}},
             Value{int64_t{failures}},
             Value{int64_t{warnings}},
             Value{is_baseline},
             Value{snapshot_.input_fingerprint.dump()},
             Value{std::string(kEngineVersion)},
             Value{Summary(exit_code, false).dump()}};
  NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(*runs, std::span<const Row>(&run, 1)));
  std::vector<Row> metric_rows;
  for (const auto& [key, m] : snapshot_.metrics) {
    metric_rows.push_back({Value{validation_id_}, Value{m.table}, Value{m.field}, Value{int64_t{m.season_year}},
                           Value{m.span_start}, Value{m.span_end}, OptI(m.n), OptI(m.null_count), OptI(m.out_of_range),
                           OptI(m.distinct_count), OptI(m.covered_dates), OptI(m.rows), OptD(m.valid_pct),
                           OptD(m.null_rate), OptD(m.mean), OptD(m.sd), OptD(m.min), OptD(m.p05), OptD(m.p50),
                           OptD(m.p95), OptD(m.max), OptD(m.default_share), OptD(m.zero_share)});
  }
  NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(*metrics, metric_rows));
  if (is_baseline) {
    std::vector<Row> hash_rows;
    for (const auto& [key, hash] : snapshot_.output_hashes) {
      hash_rows.push_back({Value{validation_id_}, Value{key.first}, Value{key.second.ToString()}, Value{hash}});
    }
    NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(*hashes, hash_rows));
  }
  return txn.Commit();
}

Result<int> Validation::Run(std::ostream& out) {
  {
    // One read transaction: a consistent snapshot (§1).
    store::Transaction read(warehouse_);
    NBAPC_RETURN_IF_ERROR(read.Begin());
    NBAPC_RETURN_IF_ERROR(Plan());
    NBAPC_RETURN_IF_ERROR(RunCoverage());
    if (do_completeness_) NBAPC_RETURN_IF_ERROR(RunCompleteness());
    if (do_features_) NBAPC_RETURN_IF_ERROR(RunFeatures());
    // The current snapshot (§7 metrics, output hashes) for regression and storage.
    snapshot_.validation_id = validation_id_;
    snapshot_.engine_version = kEngineVersion;
    NBAPC_ASSIGN_OR_RETURN(snapshot_.input_fingerprint, InputFingerprint(warehouse_));
    for (const TableFeatures& table : features_) {
      for (const FieldMetrics& m : table.range_metrics) snapshot_.metrics[{m.table, m.field, 0}] = ToMetricRow(m);
      for (const FieldMetrics& m : table.season_metrics) {
        snapshot_.metrics[{m.table, m.field, m.season_year}] = ToMetricRow(m);
      }
    }
    std::map<int, std::pair<Date, Date>> spans;
    for (Date date : game_dates_) {
      if (bootstrap_.count(date)) continue;
      auto& span = spans[SeasonYear(date)];
      if (span.first == Date()) span.first = date;
      span.second = date;
    }
    for (const auto* info : processors_) {
      const CoverageResult& c = coverage_.at(info->name);
      std::map<int, MetricRow> per_season;
      MetricRow total;
      total.table = info->output_table;
      total.field = "*";
      total.span_start = start_.ToString();
      total.span_end = end_.ToString();
      total.covered_dates = c.covered_dates;
      total.rows = c.rows;
      for (const auto& [season, span] : spans) {
        MetricRow& row = per_season[season];
        row.table = info->output_table;
        row.field = "*";
        row.season_year = season;
        row.span_start = span.first.ToString();
        row.span_end = span.second.ToString();
        row.covered_dates = 0;
        row.rows = 0;
      }
      for (Date date : c.covered) {
        auto it = per_season.find(SeasonYear(date));
        if (it != per_season.end()) ++*it->second.covered_dates;
      }
      for (const auto& [date, rows] : rows_by_date_.at(info->name)) {
        auto it = per_season.find(SeasonYear(date));
        if (it != per_season.end()) *it->second.rows += rows;
      }
      snapshot_.metrics[{total.table, "*", 0}] = total;
      for (auto& [season, row] : per_season) snapshot_.metrics[{row.table, "*", season}] = row;
      snapshot_.covered[info->name] = c.covered;
      NBAPC_ASSIGN_OR_RETURN(auto hashes,
                             ComputeOutputHashes(warehouse_, info->output_table, info->entity_column, start_, end_));
      for (Date date : c.covered) {
        auto it = hashes.find(date);
        snapshot_.output_hashes[{info->name, date}] = it == hashes.end() ? "e3b0c44298fc1c14" : it->second;
      }
    }
    if (do_regression_) NBAPC_RETURN_IF_ERROR(RunRegression());
    NBAPC_RETURN_IF_ERROR(read.Commit());
  }
  int failures = CountStatus(checks_, CheckStatus::kFail);
  int exit_code = failures ? 5 : 0;
  bool ran_features = do_features_ && options_.check != "regression";
  bool is_baseline = exit_code == 0 && options_.save_baseline.value_or(ran_features);
  if (options_.format == "json") {
    out << Summary(exit_code, true).dump() << "\n";
  } else {
    PrintTable(out, exit_code);
    if (is_baseline) out << fmt::format("saved as baseline {}\n", validation_id_);
  }
  NBAPC_RETURN_IF_ERROR(Store(exit_code, is_baseline));
  return exit_code;
}

}  // namespace

Result<int> RunValidate(store::Warehouse& warehouse, const ValidateOptions& options, std::ostream& out) {
  Validation validation(warehouse, options);
  return validation.Run(out);
}

}  // namespace nbapc::validate
