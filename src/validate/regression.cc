#include "validate/regression.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/hash.h"
#include "core/numbers.h"

namespace nbapc::validate {
namespace {

Check RCheck(const char* id, const char* name, const MetricRow& row, CheckStatus status, std::string message) {
  Check check;
  check.id = id;
  check.name = name;
  check.table = row.table;
  check.field = row.field == "*" ? "" : row.field;
  if (row.season_year != 0) check.season_year = row.season_year;
  check.status = status;
  check.message = std::move(message);
  return check;
}

std::string Num(double v) { return FormatFloat(RoundPy(v, 4)); }

}  // namespace

RegressionResult CompareWithBaseline(const RunSnapshot& baseline, const RunSnapshot& current, double tolerance,
                                     Date start, Date end) {
  RegressionResult out;
  out.baseline_id = baseline.validation_id;
  if (baseline.engine_version != current.engine_version) {
    out.context_lines.push_back(
        fmt::format("engine_version changed {} → {}", baseline.engine_version, current.engine_version));
  }
  std::vector<std::string> changed_inputs;
  for (const auto& [table, hash] : current.input_fingerprint.items()) {
    if (!baseline.input_fingerprint.contains(table) || baseline.input_fingerprint[table] != hash) {
      changed_inputs.push_back(table);
    }
  }
  for (const auto& [table, hash] : baseline.input_fingerprint.items()) {
    if (!current.input_fingerprint.contains(table)) changed_inputs.push_back(table);
  }
  if (!changed_inputs.empty()) {
    out.context_lines.push_back(fmt::format("inputs changed since the baseline: {}", fmt::join(changed_inputs, ", ")));
  }

  for (const auto& [key, now] : current.metrics) {
    auto it = baseline.metrics.find(key);
    if (it == baseline.metrics.end()) continue;
    const MetricRow& base = it->second;
    if (base.span_start != now.span_start || base.span_end != now.span_end) {
      ++out.not_comparable;
      out.not_comparable_keys.push_back(fmt::format("{} {} season {}: not comparable (different range)", now.table,
                                                    now.field, now.season_year));
      continue;
    }
    ++out.compared;
    if (now.field == "*") {
      // R1: fewer covered dates; R2: rows change by > 2 %.
      if (base.covered_dates && now.covered_dates && *now.covered_dates < *base.covered_dates) {
        out.regressions.push_back(RCheck("R1", "coverage regression", now, CheckStatus::kFail,
                                         fmt::format("covered dates {} → {}", *base.covered_dates,
                                                     *now.covered_dates)));
      }
      if (base.rows && now.rows && *base.rows > 0) {
        double change = static_cast<double>(*now.rows - *base.rows) / static_cast<double>(*base.rows);
        if (change < -0.02 || change > 0.02) {
          out.regressions.push_back(RCheck(
              "R2", "row count", now, change < 0 ? CheckStatus::kFail : CheckStatus::kWarn,
              fmt::format("rows {} → {} ({:+.1f}%)", *base.rows, *now.rows, change * 100)));
        }
      }
      continue;
    }
    if (base.valid_pct && now.valid_pct && *base.valid_pct - *now.valid_pct > 5.0) {
      out.regressions.push_back(RCheck("R3", "valid share", now, CheckStatus::kFail,
                                       fmt::format("valid% {:.1f} → {:.1f}", *base.valid_pct,
                                                   *now.valid_pct)));
    }
    if (base.mean && now.mean && base.sd) {
      double shift = std::fabs(*now.mean - *base.mean);
      double limit = tolerance * *base.sd;
      if (shift > limit && shift > 1e-9) {
        out.regressions.push_back(RCheck(
            "R4", "distribution shift", now, CheckStatus::kFail,
            fmt::format("mean {} → {} (shift {} > {} × sd {})", Num(*base.mean), Num(*now.mean), Num(shift),
                        FormatFloat(tolerance), Num(*base.sd))));
      }
    }
    if (base.p50 && now.p50 && base.sd) {
      double shift = std::fabs(*now.p50 - *base.p50);
      if (shift > tolerance * *base.sd && shift > 1e-9) {
        out.regressions.push_back(RCheck("R5", "median shift", now, CheckStatus::kWarn,
                                         fmt::format("p50 {} → {}", Num(*base.p50), Num(*now.p50))));
      }
    }
    if (base.default_share && now.default_share && (*now.default_share - *base.default_share) * 100.0 > 5.0) {
      out.regressions.push_back(RCheck("R6", "default share", now, CheckStatus::kFail,
                                       fmt::format("default share {:.1f}% → {:.1f}%",
                                                   *base.default_share * 100, *now.default_share * 100)));
    }
  }
  for (const auto& [key, base] : baseline.metrics) {
    if (!current.metrics.count(key)) {
      ++out.not_comparable;
      out.not_comparable_keys.push_back(fmt::format("{} {} season {}: not comparable (different range)", base.table,
                                                    base.field, base.season_year));
    }
  }
  // R1 per date and R7 from the baseline's output hashes.
  bool same_inputs = baseline.engine_version == current.engine_version && changed_inputs.empty();
  std::map<std::string, std::vector<std::string>> lost, differing;
  for (const auto& [key, hash] : baseline.output_hashes) {
    const auto& [processor, date] = key;
    if (date < start || date > end) continue;
    auto covered = current.covered.find(processor);
    if (covered != current.covered.end() && !covered->second.count(date)) {
      lost[processor].push_back(date.ToString());
      continue;
    }
    auto now = current.output_hashes.find(key);
    if (same_inputs && now != current.output_hashes.end() && now->second != hash) {
      differing[processor].push_back(date.ToString());
    }
  }
  auto date_failure = [&](const char* id, const char* name, const std::string& processor,
                          const std::vector<std::string>& dates, std::string message) {
    Check check;
    check.id = id;
    check.name = name;
    check.processor = processor;
    check.status = CheckStatus::kFail;
    check.value = static_cast<int>(dates.size());
    check.message = std::move(message);
    out.regressions.push_back(std::move(check));
  };
  for (const auto& [processor, dates] : lost) {
    date_failure("R1", "coverage regression", processor, dates,
                 fmt::format("{} dates covered in the baseline are no longer covered ({})", dates.size(),
                             DateList(dates)));
  }
  for (const auto& [processor, dates] : differing) {
    date_failure("R7", "determinism", processor, dates,
                 fmt::format("non-deterministic output: {} {}", processor, DateList(dates)));
  }
  return out;
}

nlohmann::ordered_json RegressionResult::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["baseline_id"] = baseline_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(baseline_id);
  out["compared"] = compared;
  out["not_comparable"] = not_comparable;
  out["context"] = context_lines;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Check& check : regressions) list.push_back(check.ToJson());
  out["regressions"] = list;
  return out;
}

Result<std::string> LatestBaselineId(store::Warehouse& warehouse) {
  NBAPC_ASSIGN_OR_RETURN(auto result, warehouse.Query(
                                          "SELECT validation_id FROM nba_orchestration.validation_runs WHERE "
                                          "is_baseline = 1 ORDER BY finished_at DESC, validation_id DESC LIMIT 1"));
  if (result.rows.empty()) return std::string();
  return std::get<std::string>(result.rows[0][0]);
}

Result<RunSnapshot> LoadSnapshot(store::Warehouse& warehouse, const std::string& validation_id) {
  RunSnapshot snap;
  snap.validation_id = validation_id;
  std::vector<Value> params = {Value{validation_id}};
  NBAPC_ASSIGN_OR_RETURN(auto run, warehouse.Query("SELECT engine_version, input_fingerprint FROM "
                                                   "nba_orchestration.validation_runs WHERE validation_id = ?1",
                                                   params));
  if (run.rows.empty()) return Status::NotFound(fmt::format("validation run {} not found", validation_id));
  snap.engine_version = std::get<std::string>(run.rows[0][0]);
  snap.input_fingerprint = nlohmann::ordered_json::parse(std::get<std::string>(run.rows[0][1]), nullptr, false);
  if (snap.input_fingerprint.is_discarded()) snap.input_fingerprint = nlohmann::ordered_json::object();
  auto opt_i = [](const Value& v) -> std::optional<int64_t> {
    if (IsNull(v)) return std::nullopt;
    if (const auto* i = std::get_if<int64_t>(&v)) return *i;
    return static_cast<int64_t>(std::get<double>(v));
  };
  auto opt_d = [](const Value& v) -> std::optional<double> {
    if (IsNull(v)) return std::nullopt;
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
  };
  auto text = [](const Value& v) { return IsNull(v) ? std::string() : std::get<std::string>(v); };
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT table_name, field, season_year, span_start, span_end, n, null_count, out_of_range, distinct_count, "
      "covered_dates, rows, valid_pct, null_rate, mean, sd, min, p05, p50, p95, max, default_share, zero_share "
      "FROM nba_orchestration.validation_metrics WHERE validation_id = ?1",
      params, [&](const Row& row) -> Status {
        MetricRow m;
        m.table = text(row[0]);
        m.field = text(row[1]);
        m.season_year = static_cast<int>(std::get<int64_t>(row[2]));
        m.span_start = text(row[3]);
        m.span_end = text(row[4]);
        m.n = opt_i(row[5]);
        m.null_count = opt_i(row[6]);
        m.out_of_range = opt_i(row[7]);
        m.distinct_count = opt_i(row[8]);
        m.covered_dates = opt_i(row[9]);
        m.rows = opt_i(row[10]);
        m.valid_pct = opt_d(row[11]);
        m.null_rate = opt_d(row[12]);
        m.mean = opt_d(row[13]);
        m.sd = opt_d(row[14]);
        m.min = opt_d(row[15]);
        m.p05 = opt_d(row[16]);
        m.p50 = opt_d(row[17]);
        m.p95 = opt_d(row[18]);
        m.max = opt_d(row[19]);
        m.default_share = opt_d(row[20]);
        m.zero_share = opt_d(row[21]);
        snap.metrics[{m.table, m.field, m.season_year}] = std::move(m);
        return Status::Ok();
      }));
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT processor_name, data_date, output_hash FROM nba_orchestration.validation_output_hashes "
      "WHERE validation_id = ?1",
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(text(row[1])));
        snap.output_hashes[{text(row[0]), date}] = text(row[2]);
        return Status::Ok();
      }));
  return snap;
}

Result<std::map<Date, std::string>> ComputeOutputHashes(store::Warehouse& warehouse, const std::string& table,
                                                        const std::string& entity_column, Date start, Date end) {
  const store::TableDef* def = store::FindTable(table);
  if (!def) return Status::NotFound(fmt::format("unknown table {}", table));
  std::map<Date, std::vector<std::pair<std::string, std::string>>> per_date;
  std::vector<Value> params = {Value{start.ToString()}, Value{end.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT \"{0}\", \"{1}\", data_hash FROM {2} WHERE \"{0}\" BETWEEN ?1 AND ?2", def->date_column,
                  entity_column, def->FullName()),
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        per_date[date].emplace_back(std::get<std::string>(row[1]), std::get<std::string>(row[2]));
        return Status::Ok();
      }));
  std::map<Date, std::string> out;
  for (auto& [date, entities] : per_date) {
    // backfill.md §14.1: key byte order.
    std::sort(entities.begin(), entities.end());
    Sha256 sha;
    for (const auto& [entity, hash] : entities) sha.Update(entity + "\t" + hash + "\n");
    out[date] = sha.HexDigest().substr(0, 16);
  }
  return out;
}

}  // namespace nbapc::validate
