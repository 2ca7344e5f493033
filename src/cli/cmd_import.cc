// `nba-precompute import` and `export` (spec/inputs.md §4).
#include <chrono>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "io/import.h"
#include "store/phase3_rows.h"

namespace nbapc::cli {
namespace {

int UnknownTable(const std::string& name) {
  std::string hint = store::SuggestTable(name);
  return Fail(ExitCode::kUsage, fmt::format("unknown table {}{}", name,
                                            hint.empty() ? "" : fmt::format(" (did you mean {}?)", hint)));
}

}  // namespace

Subcommand ImportCommand() {
  return {"import", "load CSV or NDJSON files (BigQuery exports) into a table, atomically",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::vector<std::string> args;
              std::string dir;
              io::ImportOptions import;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("table_and_files", opts->args, "<dataset.table> FILE...");
            sub->add_option("--dir", opts->dir, "import every DIR/<dataset>.<table>[.*].{csv,ndjson,jsonl,json}[.gz]");
            sub->add_option("--format", opts->import.format, "auto (by extension), csv, ndjson")
                ->check(CLI::IsMember({"auto", "csv", "ndjson"}));
            sub->add_option("--mode", opts->import.mode, "replace, upsert, replace-dates")
                ->check(CLI::IsMember({"replace", "upsert", "replace-dates"}));
            sub->add_option("--on-duplicate", opts->import.on_duplicate, "error, keep-first, keep-last")
                ->check(CLI::IsMember({"error", "keep-first", "keep-last"}));
            sub->add_flag("--calendar-days-rest", opts->import.calendar_days_rest,
                          "UPGC days_rest holds calendar differences (old exports): store value - 1");
            sub->add_option("--max-errors", opts->import.max_errors, "errors collected before stopping")
                ->check(CLI::PositiveNumber);
            return [opts, &global]() -> int {
              auto started = std::chrono::steady_clock::now();
              std::vector<std::pair<const store::TableDef*, std::vector<std::string>>> inputs;
              if (!opts->dir.empty()) {
                if (!opts->args.empty()) return Fail(ExitCode::kUsage, "import: give either TABLE FILE... or --dir");
                auto found = io::FindImportFiles(opts->dir);
                if (!found.ok()) return Fail(ExitCode::kUsage, found.status().message());
                if (found->empty()) return Fail(ExitCode::kUsage, fmt::format("no importable files in {}", opts->dir));
                inputs = std::move(*found);
              } else {
                if (opts->args.size() < 2) return Fail(ExitCode::kUsage, "import: usage: import <dataset.table> FILE...");
                const store::TableDef* table = store::FindTable(opts->args[0]);
                if (!table) return UnknownTable(opts->args[0]);
                if (table->kind == store::TableKind::kBookkeeping) {
                  return Fail(ExitCode::kUsage, fmt::format("{} is a bookkeeping table and cannot be imported", table->FullName()));
                }
                inputs.push_back({table, std::vector<std::string>(opts->args.begin() + 1, opts->args.end())});
              }
              store::WarehouseOptions wopts;
              wopts.url = global.WarehouseUrl();
              wopts.create_if_missing = true;
              backfill::LockSet locks;
              if (int code = TakeImportLock(&locks, wopts.url, global); code != 0) return code;
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              io::Diagnostics diag(opts->import.max_errors);
              auto written = io::ImportFiles(**warehouse, inputs, opts->import, diag);
              if (!written.ok()) {
                std::cerr << diag.ErrorText();
                if (diag.has_errors()) std::cerr << "import rejected: nothing was written" << std::endl;
                else std::cerr << "error: import failed, nothing was written: " << written.status().message() << std::endl;
                return ToInt(ExitCode::kDatesFailed);
              }
              double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
              for (const io::ImportSummary& summary : *written) {
                std::cout << fmt::format("imported {} rows into {} ({}: {} deleted, {} inserted; {} warnings) in {:.2f} s\n",
                                         summary.inserted, summary.table, summary.mode, summary.deleted,
                                         summary.inserted, summary.warnings, seconds);
              }
              for (const std::string& line : diag.WarningLines()) std::cout << line << '\n';
              return 0;
            };
          }};
}

Subcommand ExportCommand() {
  return {"export", "write a table as CSV or NDJSON, ordered by key, in the format import reads",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string table;
              std::string out = "-";
              io::ExportOptions export_options;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("table", opts->table, "<dataset.table>")->required();
            sub->add_option("--out", opts->out, "output file, or - for stdout");
            sub->add_option("--format", opts->export_options.format, "csv or ndjson")
                ->check(CLI::IsMember({"csv", "ndjson"}));
            sub->add_option("--start-date", opts->export_options.start_date, "first date (inclusive)");
            sub->add_option("--end-date", opts->export_options.end_date, "last date (inclusive)");
            return [opts, &global]() -> int {
              const store::TableDef* table = store::FindTable(opts->table);
              if (!table) return UnknownTable(opts->table);
              for (const auto& [flag, value] : {std::pair<const char*, std::string>{"--start-date", opts->export_options.start_date},
                                                std::pair<const char*, std::string>{"--end-date", opts->export_options.end_date}}) {
                if (value.empty()) continue;
                auto parsed = ParseDateFlag(flag, value);
                if (!parsed.ok()) return Fail(ExitCode::kUsage, parsed.status().message());
              }
              store::WarehouseOptions wopts;
              wopts.url = global.WarehouseUrl();
              wopts.read_only = true;
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              Status status;
              if (opts->out == "-") {
                status = io::ExportTable(**warehouse, *table, opts->export_options, std::cout);
              } else {
                std::string tmp = opts->out + ".tmp";
                std::ofstream file(tmp, std::ios::binary);
                if (!file) return Fail(ExitCode::kDatesFailed, fmt::format("cannot write {}", opts->out));
                status = io::ExportTable(**warehouse, *table, opts->export_options, file);
                file.close();
                if (status.ok() && std::rename(tmp.c_str(), opts->out.c_str()) != 0) {
                  status = Status::IOError(fmt::format("cannot rename {} to {}", tmp, opts->out));
                }
              }
              if (!status.ok()) return Fail(ExitCode::kDatesFailed, "export failed: " + status.message());
              return 0;
            };
          }};
}

}  // namespace nbapc::cli
