// `nba-precompute demo-data` (spec/inputs.md §5): generate the realistic demo
// warehouse (or import-format files) through the same checks as `import`.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "core/log.h"
#include "demo/generator.h"
#include "io/import.h"
#include "store/phase3_rows.h"

namespace nbapc::cli {
namespace {

template <typename T>
io::ParsedTable ToParsed(const store::TableDef& table, const std::vector<T>& rows) {
  io::ParsedTable parsed;
  parsed.table = &table;
  parsed.files = {"demo-data"};
  parsed.format = "generated";
  parsed.rows.reserve(rows.size());
  parsed.sources.reserve(rows.size());
  for (size_t idx = 0; idx < rows.size(); ++idx) {
    parsed.rows.push_back(store::ToRow(rows[idx]));
    parsed.sources.push_back(io::RowSource{"demo-data " + table.FullName(), static_cast<int>(idx) + 1});
  }
  parsed.rows_read = static_cast<int>(rows.size());
  return parsed;
}

}  // namespace

Subcommand DemoDataCommand() {
  return {"demo-data", "create the realistic, deterministic demo warehouse (or import-format files)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              uint64_t seed = 42;
              int first_season = 2021;
              std::string end_date = "2026-01-02";
              bool force = false;
              std::string out_dir;
              std::string format = "csv";
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("--seed", opts->seed, "random seed (same seed, same bytes)");
            sub->add_option("--first-season", opts->first_season, "first season (starting year)");
            sub->add_option("--end-date", opts->end_date, "last date with final games (YYYY-MM-DD)");
            sub->add_flag("--force", opts->force, "delete an existing warehouse first");
            sub->add_option("--out-dir", opts->out_dir, "write <dataset>.<table>.<format> files instead of a warehouse");
            sub->add_option("--format", opts->format, "csv or ndjson (with --out-dir)")
                ->check(CLI::IsMember({"csv", "ndjson"}));
            return [opts, &global]() -> int {
              auto started = std::chrono::steady_clock::now();
              auto end_date = ParseDateFlag("--end-date", opts->end_date);
              if (!end_date.ok()) return Fail(ExitCode::kUsage, end_date.status().message());
              std::string url = global.WarehouseUrl();
              bool to_files = !opts->out_dir.empty();
              if (!to_files && store::WarehouseExists(url) && !opts->force) {
                return Fail(ExitCode::kUsage, fmt::format("warehouse {} already exists; use --force to replace it",
                                                          store::SqliteDirectory(url)));
              }
              demo::DemoOptions demo_options;
              demo_options.seed = opts->seed;
              demo_options.first_season = opts->first_season;
              demo_options.end_date = *end_date;
              auto data = demo::GenerateDemoData(demo_options);
              if (!data.ok()) return Fail(ExitCode::kUsage, data.status().message());
              auto generated = std::chrono::steady_clock::now();

              std::vector<io::ParsedTable> tables;
              tables.push_back(ToParsed(store::ScheduleTable(), data->schedule));
              tables.push_back(ToParsed(store::PlayerGameTable(), data->player_games));
              tables.push_back(ToParsed(store::TeamDefenseTable(), data->team_defense));
              tables.push_back(ToParsed(store::TeamOffenseTable(), data->team_offense));
              tables.push_back(ToParsed(store::UpcomingPlayerTable(), data->upcoming_player));
              tables.push_back(ToParsed(store::UpcomingTeamTable(), data->upcoming_team));
              // The generated rows go through the import checks (inputs.md §5).
              io::ImportOptions import_options;
              import_options.source = fmt::format("demo-data seed={}", opts->seed);
              io::Diagnostics diag(import_options.max_errors);
              std::vector<int> warnings;
              for (io::ParsedTable& table : tables) {
                int before = diag.warning_count();
                io::CheckGeneratedRows(table, import_options, diag);
                io::CheckAgainstSchedule(table, tables[0].rows, diag);
                warnings.push_back(diag.warning_count() - before);
              }
              if (diag.has_errors()) {
                std::cerr << diag.ErrorText();
                return Fail(ExitCode::kDatesFailed, "demo-data generated invalid rows (a bug); nothing was written");
              }
              auto checked = std::chrono::steady_clock::now();

              if (to_files) {
                std::error_code ec;
                std::filesystem::create_directories(opts->out_dir, ec);
                for (const io::ParsedTable& table : tables) {
                  std::string path = fmt::format("{}/{}.{}", opts->out_dir, table.table->FullName(), opts->format);
                  std::ofstream out(path, std::ios::binary);
                  std::string text = opts->format == "csv" ? io::FormatHeader(*table.table) : "";
                  for (const Row& row : table.rows) io::FormatRow(*table.table, row, opts->format == "csv", &text);
                  out << text;
                  if (!out) return Fail(ExitCode::kDatesFailed, fmt::format("cannot write {}", path));
                  std::cout << fmt::format("wrote {:>7} rows to {}\n", table.rows.size(), path);
                }
                return 0;
              }
              backfill::LockSet locks;
              if (int code = TakeImportLock(&locks, url, global); code != 0) return code;
              if (opts->force && store::WarehouseExists(url)) {
                Status deleted = store::DeleteWarehouse(url);
                if (!deleted.ok()) return Fail(ExitCode::kDatesFailed, deleted.message());
              }
              store::WarehouseOptions wopts;
              wopts.url = url;
              wopts.create_if_missing = true;
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              import_options.mode = "replace";
              auto written = io::WriteImport(**warehouse, tables, import_options, warnings);
              if (!written.ok()) return Fail(ExitCode::kDatesFailed, "demo-data write failed: " + written.status().message());
              // The demo world's "today" is the day after its end date (README §4.1).
              Status info = store::SetInfo(**warehouse, "today", (*end_date + 1).ToString());
              if (info.ok()) info = store::SetInfo(**warehouse, "created_by", import_options.source);
              if (!info.ok()) return Fail(ExitCode::kDatesFailed, info.message());
              auto finished = std::chrono::steady_clock::now();
              auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
              std::cout << fmt::format("demo warehouse {} (seed {}, {}..{})\n", (*warehouse)->url(), opts->seed,
                                       fmt::format("{}-10-01", opts->first_season), end_date->ToString());
              for (const io::ImportSummary& summary : *written) {
                std::cout << fmt::format("  {:<46} {:>8} rows\n", summary.table, summary.inserted);
              }
              if (diag.warning_count() > 0) {
                std::cout << fmt::format("  {} warnings (rows outside a column's realistic range):\n", diag.warning_count());
                for (const std::string& line : diag.WarningLines()) {
                  if (line.rfind("warning:", 0) == 0) std::cout << "    " << line << '\n';  // kinds only, no examples
                }
              }
              std::cout << fmt::format("generated in {:.2f} s, checked in {:.2f} s, written in {:.2f} s (total {:.2f} s)\n",
                                       secs(started, generated), secs(generated, checked), secs(checked, finished),
                                       secs(started, finished));
              return 0;
            };
          }};
}

}  // namespace nbapc::cli
