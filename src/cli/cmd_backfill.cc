// `backfill`, `run` and `preflight` (spec/backfill.md §2.1, §4, §10).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "backfill/checkpoint.h"
#include "backfill/inputs.h"
#include "backfill/preflight.h"
#include "backfill/registry.h"
#include "backfill/runner.h"
#include "cli/app.h"
#include "core/log.h"

namespace nbapc::cli {
namespace {

// --workers, else PCF_WORKERS, else PARALLELIZATION_WORKERS, else hardware threads (backfill.md §1).
Result<int> ResolveWorkers(int flag) {
  if (flag > 0) {
    if (flag > 256) return Status::InvalidArgument("--workers must be an integer 1-256");
    return flag;
  }
  for (const char* name : {"PCF_WORKERS", "PARALLELIZATION_WORKERS"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    char* end = nullptr;
    long parsed = std::strtol(value, &end, 10);
    if (*end != '\0' || parsed < 1 || parsed > 256) {
      return Status::InvalidArgument(fmt::format("environment variable {}=\"{}\" must be an integer 1-256", name, value));
    }
    return static_cast<int>(parsed);
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void WarnObsoleteEnvironment() {
  for (const char* name : {"ENABLE_PLAYER_PARALLELIZATION", "ENABLE_TEAM_PARALLELIZATION", "TDZA_WORKERS", "PSZA_WORKERS",
                           "PDC_WORKERS", "MLFS_WORKERS", "PROCESSING_MODE", "CIRCUIT_BREAKER_ENTITY_LOCKOUT_HOURS"}) {
    if (std::getenv(name)) {
      LogWarn("environment variable {} has no effect (use --workers or PARALLELIZATION_WORKERS)", name);
    }
  }
}

Result<std::vector<Date>> ParseDateList(const std::string& text) {
  std::vector<Date> dates;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty()) continue;
    NBAPC_ASSIGN_OR_RETURN(Date date, ParseDateFlag("--dates", item));
    dates.push_back(date);
  }
  if (dates.empty()) return Status::InvalidArgument("--dates: no dates given");
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

struct RangeFlags {
  std::string start;
  std::string end;
  std::string dates;
};

// Validates the range flags into options (exit-2 errors as Status).
Status ApplyRange(const RangeFlags& flags, Date today, backfill::BackfillOptions* options) {
  if (!flags.dates.empty()) {
    if (!flags.start.empty() || !flags.end.empty()) {
      return Status::InvalidArgument("--dates excludes --start-date/--end-date");
    }
    NBAPC_ASSIGN_OR_RETURN(options->dates, ParseDateList(flags.dates));
    return Status::Ok();
  }
  if (flags.start.empty() != flags.end.empty()) {
    return Status::InvalidArgument("--start-date and --end-date go together");
  }
  if (flags.start.empty()) {
    options->start_date = today - 7;
    options->end_date = today - 1;
    LogInfo("No range given: using {} to {} (today - 7 .. today - 1)", options->start_date->ToString(),
            options->end_date->ToString());
    return Status::Ok();
  }
  NBAPC_ASSIGN_OR_RETURN(options->start_date, ParseDateFlag("--start-date", flags.start));
  NBAPC_ASSIGN_OR_RETURN(options->end_date, ParseDateFlag("--end-date", flags.end));
  if (*options->end_date < *options->start_date) {
    return Status::InvalidArgument(fmt::format("--start-date {} is after --end-date {}", flags.start, flags.end));
  }
  return Status::Ok();
}

void AddPreflightFlags(CLI::App* sub, backfill::PreflightThresholds* thresholds) {
  sub->add_option("--preflight-phase3-pct", thresholds->phase3_pct, "Phase 3 coverage needed (%)")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_option("--preflight-phase4-pct", thresholds->phase4_pct, "Phase 4 upstream coverage needed (%)")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_option("--preflight-context-pct", thresholds->context_pct, "context coverage below which a NOTE is printed (%)")
      ->check(CLI::Range(0.0, 100.0));
}

}  // namespace

Subcommand BackfillCommand() {
  return {"backfill", "process a date range or list, with pre-flight, checkpoint and resume",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string processor;
              RangeFlags range;
              backfill::BackfillOptions options;
              int workers = 0;
              std::string checkpoint_dir;
              std::string format = "text";
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("processor", opts->processor, "processor name or alias (tdza, psza, pdc, pcf, mlfs) or all")
                ->required();
            sub->add_option("--start-date", opts->range.start, "first date (YYYY-MM-DD, inclusive)");
            sub->add_option("--end-date", opts->range.end, "last date (YYYY-MM-DD, inclusive)");
            sub->add_option("--dates", opts->range.dates, "comma-separated dates (no checkpoint of its own)");
            sub->add_flag("--dry-run", opts->options.dry_run, "check everything, write nothing");
            sub->add_flag("--skip-preflight", opts->options.skip_preflight, "do not run the pre-flight check");
            sub->add_flag("--no-resume", opts->options.no_resume, "delete the job's checkpoint first, start fresh");
            sub->add_flag("--status", opts->options.status_only, "print the checkpoint status and exit");
            sub->add_flag("--retry-failed", opts->options.retry_failed, "process only the checkpoint's failed dates");
            sub->add_flag("--cascade", opts->options.cascade, "also run every downstream processor");
            sub->add_flag("--stop-on-failure", opts->options.stop_on_failure, "stop at the first failed date");
            sub->add_option("--workers", opts->workers, "threads that compute, the writing thread included (env PCF_WORKERS, PARALLELIZATION_WORKERS)");
            sub->add_flag("--durable-every-date", opts->options.durable_every_date,
                          "fsync warehouse and checkpoint after every date (default: at most every second and at the end)");
            sub->add_option("--checkpoint-dir", opts->checkpoint_dir, "checkpoint directory (env BACKFILL_CHECKPOINT_DIR)");
            sub->add_option("--format", opts->format, "text or json (with --status)")
                ->check(CLI::IsMember({"text", "json"}));
            AddPreflightFlags(sub, &opts->options.thresholds);
            return [opts, &global]() -> int {
              backfill::BackfillOptions options = opts->options;
              options.subcommand = "backfill";
              options.json_status = opts->format == "json";
              options.processor_arg = opts->processor;
              options.command_line = CommandLine(global);
              auto resolved = backfill::ResolveProcessors(opts->processor);
              if (!resolved.ok()) return Fail(ExitCode::kUsage, resolved.status().message());
              auto workers = ResolveWorkers(opts->workers);
              if (!workers.ok()) return Fail(ExitCode::kUsage, workers.status().message());
              options.workers = *workers;
              options.checkpoint_dir = backfill::DefaultCheckpointDir(opts->checkpoint_dir);
              store::WarehouseOptions wopts;
              wopts.url = global.WarehouseUrl();
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              auto today = global.Today(warehouse->get());
              if (!today.ok()) return Fail(ExitCode::kUsage, today.status().message());
              options.today = *today;
              if (Status range = ApplyRange(opts->range, *today, &options); !range.ok()) {
                return Fail(ExitCode::kUsage, range.message());
              }
              WarnObsoleteEnvironment();
              options.progress = isatty(STDERR_FILENO) && !global.no_progress && !global.quiet;
              backfill::InstallSignalHandlers();
              return ToInt(backfill::RunBackfill(**warehouse, options));
            };
          }};
}

Subcommand RunCommand() {
  return {"run", "nightly cascade of every processor for one date (today by default)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string date = "today";
              std::string processors;
              backfill::BackfillOptions options;
              int workers = 0;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("--date", opts->date, "YYYY-MM-DD, today, tomorrow or yesterday");
            sub->add_option("--processors", opts->processors, "comma-separated processors (default all)");
            sub->add_flag("--dry-run", opts->options.dry_run, "check everything, write nothing");
            sub->add_option("--workers", opts->workers, "threads that compute, the writing thread included");
            return [opts, &global]() -> int {
              backfill::BackfillOptions options = opts->options;
              options.subcommand = "run";
              options.command_line = CommandLine(global);
              auto workers = ResolveWorkers(opts->workers);
              if (!workers.ok()) return Fail(ExitCode::kUsage, workers.status().message());
              options.workers = *workers;
              std::stringstream stream(opts->processors);
              std::string item;
              while (std::getline(stream, item, ',')) {
                if (item.empty()) continue;
                auto resolved = backfill::ResolveProcessors(item);
                if (!resolved.ok()) return Fail(ExitCode::kUsage, resolved.status().message());
                options.run_processors.push_back(item);
              }
              store::WarehouseOptions wopts;
              wopts.url = global.WarehouseUrl();
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              auto today = global.Today(warehouse->get());
              if (!today.ok()) return Fail(ExitCode::kUsage, today.status().message());
              options.today = *today;
              Date date;
              if (opts->date == "today") date = *today;
              else if (opts->date == "tomorrow") date = *today + 1;
              else if (opts->date == "yesterday") date = *today - 1;
              else {
                auto parsed = ParseDateFlag("--date", opts->date);
                if (!parsed.ok()) return Fail(ExitCode::kUsage, parsed.status().message());
                date = *parsed;
              }
              options.dates = {date};
              WarnObsoleteEnvironment();
              options.progress = isatty(STDERR_FILENO) && !global.no_progress && !global.quiet;
              backfill::InstallSignalHandlers();
              return ToInt(backfill::RunBackfill(**warehouse, options));
            };
          }};
}

Subcommand PreflightCommand() {
  return {"preflight", "pre-flight report only: coverage of each processor's inputs (no lock, no writes)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string processor;
              RangeFlags range;
              bool verbose = false;
              std::string format = "text";
              backfill::PreflightThresholds thresholds;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("processor", opts->processor, "processor name or alias, or all")->required();
            sub->add_option("--start-date", opts->range.start, "first date");
            sub->add_option("--end-date", opts->range.end, "last date");
            sub->add_option("--dates", opts->range.dates, "comma-separated dates");
            sub->add_flag("--verbose", opts->verbose, "list every missing date (up to 50 per input)");
            sub->add_option("--format", opts->format, "text or json")->check(CLI::IsMember({"text", "json"}));
            AddPreflightFlags(sub, &opts->thresholds);
            return [opts, &global]() -> int {
              auto resolved = backfill::ResolveProcessors(opts->processor);
              if (!resolved.ok()) return Fail(ExitCode::kUsage, resolved.status().message());
              int exit_code = 0;
              auto read = OpenReadOnly(global, &exit_code);
              if (!read) return exit_code;
              auto& warehouse = read->warehouse;
              Date* today = &read->today;
              backfill::BackfillOptions range;
              if (Status applied = ApplyRange(opts->range, *today, &range); !applied.ok()) {
                return Fail(ExitCode::kUsage, applied.message());
              }
              auto calendar = backfill::LoadCalendar(*warehouse, *today, nullptr);
              if (!calendar.ok()) return Fail(ExitCode::kDatesFailed, calendar.status().message());
              std::vector<Date> dates;
              Date start, end;
              if (!range.dates.empty()) {
                for (Date date : range.dates) {
                  if ((*calendar)->IsGameDate(date)) dates.push_back(date);
                }
                start = range.dates.front();
                end = range.dates.back();
              } else {
                start = *range.start_date;
                end = *range.end_date;
                dates = (*calendar)->PlanRange(start, end).game_dates;
              }
              bool passed = true;
              nlohmann::ordered_json all = nlohmann::ordered_json::array();
              for (const backfill::ProcessorInfo* info : *resolved) {
                auto report = backfill::RunPreflight(*warehouse, **calendar, *info, dates, start, end, {}, opts->thresholds);
                if (!report.ok()) return Fail(ExitCode::kDatesFailed, report.status().message());
                passed = passed && report->passed;
                if (opts->format == "json") {
                  all.push_back(report->ToJson());
                  continue;
                }
                for (const std::string& line : report->Lines(opts->verbose)) std::cout << line << '\n';
                if (!report->passed) {
                  for (const std::string& line : report->FailureLines(fmt::format(
                           "nba-precompute preflight {} --start-date {} --end-date {} --verbose", info->name,
                           start.ToString(), end.ToString()))) {
                    std::cout << line << '\n';
                  }
                }
              }
              if (opts->format == "json") std::cout << (all.size() == 1 ? all[0] : all).dump(2) << '\n';
              return passed ? 0 : ToInt(ExitCode::kPreflightFailed);
            };
          }};
}

}  // namespace nbapc::cli
