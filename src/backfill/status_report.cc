#include "backfill/status_report.h"

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "backfill/checkpoint.h"
#include "backfill/lock.h"
#include "backfill/registry.h"
#include "core/version.h"

namespace nbapc::backfill {
namespace {

using ojson = nlohmann::ordered_json;

std::string Text(const Value& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i);
  return "";
}

}  // namespace

Result<ojson> BuildStatusReport(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                const StatusReportOptions& options) {
  ojson report = ojson::object();
  auto instance = store::GetInfo(warehouse, "instance_id");
  auto schema = store::GetInfo(warehouse, "schema_version");
  report["warehouse"] = warehouse.url();
  report["instance_id"] = instance.ok() && *instance ? **instance : "";
  report["schema_version"] = schema.ok() && *schema ? **schema : "";
  report["engine_version"] = kEngineVersion;

  // Inputs: rows, first/last date, last load.
  ojson inputs = ojson::array();
  for (const store::TableDef& table : store::AllTables()) {
    if (table.kind != store::TableKind::kInput) continue;
    NBAPC_ASSIGN_OR_RETURN(auto counts, warehouse.Query(fmt::format(
                                            "SELECT COUNT(*), MIN(\"{0}\"), MAX(\"{0}\") FROM {1}", table.date_column,
                                            table.FullName())));
    std::vector<Value> params = {Value{table.FullName()}};
    NBAPC_ASSIGN_OR_RETURN(auto load, warehouse.Query("SELECT finished_at, source FROM nba_reference.import_history "
                                                      "WHERE table_name = ?1 ORDER BY finished_at DESC LIMIT 1",
                                                      params));
    ojson entry;
    entry["table"] = table.FullName();
    entry["rows"] = std::get<int64_t>(counts.rows[0][0]);
    entry["first"] = Text(counts.rows[0][1]);
    entry["last"] = Text(counts.rows[0][2]);
    entry["last_load"] = load.rows.empty() ? "" : Text(load.rows[0][0]) + " " + Text(load.rows[0][1]);
    inputs.push_back(entry);
  }
  report["inputs"] = inputs;

  // Processors: latest outcome per game date of the range.
  GameDatesPlan plan = calendar.PlanRange(options.start, options.end);
  std::set<Date> game_dates(plan.game_dates.begin(), plan.game_dates.end());
  int bootstrap = 0;
  for (Date date : plan.game_dates) bootstrap += calendar.IsBootstrap(date) ? 1 : 0;
  report["start_date"] = options.start.ToString();
  report["end_date"] = options.end.ToString();
  report["game_dates"] = plan.game_dates.size();
  report["bootstrap_dates"] = bootstrap;
  std::map<std::string, std::map<Date, std::pair<std::string, std::string>>> latest;  // processor -> date -> (status, finished)
  std::vector<Value> range = {Value{options.start.ToString()}, Value{options.end.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      "SELECT processor_name, data_date, status, finished_at FROM nba_reference.processor_run_latest "
      "WHERE data_date BETWEEN ?1 AND ?2",
      range,
      [&](const Row& row) {
        auto date = Date::Parse(Text(row[1]));
        if (date.ok()) latest[Text(row[0])][*date] = {Text(row[2]), Text(row[3])};
        return Status::Ok();
      },
      nullptr));
  std::string warehouse_dir = store::SqliteDirectory(warehouse.url());
  ojson processors = ojson::array();
  for (const ProcessorInfo& info : AllProcessors()) {
    int success = 0, skipped = 0, failed = 0, not_run = 0, stale = 0;
    std::string last;
    auto& outcomes = latest[info.name];
    for (Date date : plan.game_dates) {
      auto it = outcomes.find(date);
      if (it == outcomes.end()) {
        ++not_run;
        continue;
      }
      const std::string& status = it->second.first;
      if (status == "success") ++success;
      else if (status == "skipped") ++skipped;
      else ++failed;
      if (it->second.second > last) last = it->second.second;
      // README §3: stale when a gated upstream succeeded later for the same date.
      if (status == "success") {
        for (const std::string& upstream : info.upstreams) {
          auto up = latest[upstream].find(date);
          if (up != latest[upstream].end() && up->second.first == "success" && up->second.second > it->second.second) {
            ++stale;
            break;
          }
        }
      }
    }
    std::string holder;
    auto held = LockSet::IsHeld(warehouse_dir, info.name, &holder);
    ojson entry;
    entry["processor"] = info.name;
    entry["success"] = success;
    entry["skipped"] = skipped;
    entry["failed"] = failed;
    entry["not_run"] = not_run;
    entry["stale"] = stale;
    entry["last_outcome"] = last;
    entry["lock"] = held.ok() && *held ? holder : "free";
    processors.push_back(entry);
  }
  report["processors"] = processors;

  // Checkpoints of this warehouse.
  std::string dir = std::filesystem::path(CheckpointPath(options.checkpoint_dir, warehouse.url(), "x", options.start,
                                                         options.end))
                        .parent_path()
                        .string();
  report["checkpoint_dir"] = dir;
  ojson checkpoints = ojson::array();
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      auto loaded = LoadCheckpoint(file);
      ojson entry;
      entry["file"] = std::filesystem::path(file).filename().string();
      if (!loaded.ok() || !*loaded) {
        entry["error"] = loaded.ok() ? "missing" : loaded.status().message();
        checkpoints.push_back(entry);
        continue;
      }
      const Checkpoint& cp = **loaded;
      entry["processed"] = cp.processed();
      entry["total"] = cp.total_dates;
      entry["failed"] = cp.failed_dates.size();
      entry["pending"] = std::max(0, cp.total_dates - cp.processed());
      entry["updated"] = cp.last_updated;
      // Inputs loaded after the checkpoint was created (§2.2 warning).
      NBAPC_ASSIGN_OR_RETURN(auto newer, warehouse.Query("SELECT COUNT(*) FROM nba_reference.import_history "
                                                         "WHERE finished_at > ?1",
                                                         std::vector<Value>{Value{cp.created_at}}));
      entry["inputs_changed"] = std::get<int64_t>(newer.rows[0][0]) > 0;
      checkpoints.push_back(entry);
    }
  }
  report["checkpoints"] = checkpoints;
  return report;
}

std::string RenderStatusText(const ojson& report) {
  std::string out;
  out += fmt::format("WAREHOUSE {}  instance {}  schema {}  engine {}\n", report["warehouse"].get<std::string>(),
                     report["instance_id"].get<std::string>().substr(0, 8), report["schema_version"].get<std::string>(),
                     report["engine_version"].get<std::string>());
  out += "INPUTS\n";
  out += fmt::format("  {:<44} {:>8}  {:<10}  {:<10}  {}\n", "table", "rows", "first", "last", "last load");
  for (const auto& entry : report["inputs"]) {
    out += fmt::format("  {:<44} {:>8}  {:<10}  {:<10}  {}\n", entry["table"].get<std::string>(),
                       entry["rows"].get<int64_t>(), entry["first"].get<std::string>(),
                       entry["last"].get<std::string>(), entry["last_load"].get<std::string>());
  }
  out += fmt::format("PROCESSORS  {}..{}: {} game dates, {} bootstrap\n", report["start_date"].get<std::string>(),
                     report["end_date"].get<std::string>(), report["game_dates"].get<int64_t>(),
                     report["bootstrap_dates"].get<int64_t>());
  out += fmt::format("  {:<28} {:>7}  {:>7}  {:>6}  {:>7}  {:>5}  {:<24}  {}\n", "processor", "success", "skipped",
                     "failed", "not run", "stale", "last outcome", "lock");
  for (const auto& entry : report["processors"]) {
    out += fmt::format("  {:<28} {:>7}  {:>7}  {:>6}  {:>7}  {:>5}  {:<24}  {}\n", entry["processor"].get<std::string>(),
                       entry["success"].get<int>(), entry["skipped"].get<int>(), entry["failed"].get<int>(),
                       entry["not_run"].get<int>(), entry["stale"].get<int>(), entry["last_outcome"].get<std::string>(),
                       entry["lock"].get<std::string>());
  }
  out += fmt::format("CHECKPOINTS  {}\n", report["checkpoint_dir"].get<std::string>());
  if (report["checkpoints"].empty()) out += "  (none)\n";
  for (const auto& entry : report["checkpoints"]) {
    if (entry.contains("error")) {
      out += fmt::format("  {}  unreadable: {}\n", entry["file"].get<std::string>(), entry["error"].get<std::string>());
      continue;
    }
    out += fmt::format("  {}  {}/{} processed ({} failed), {} pending, updated {}\n", entry["file"].get<std::string>(),
                       entry["processed"].get<int>(), entry["total"].get<int>(), entry["failed"].get<int>(),
                       entry["pending"].get<int>(), entry["updated"].get<std::string>());
    if (entry["inputs_changed"].get<bool>()) {
      out += "    WARN inputs changed since this checkpoint started; use --no-resume to recompute finished dates\n";
    }
  }
  return out;
}

}  // namespace nbapc::backfill
