// `nba-precompute status` (spec/backfill.md §2.2).
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "backfill/checkpoint.h"
#include "backfill/inputs.h"
#include "backfill/status_report.h"

namespace nbapc::cli {

Subcommand StatusCommand() {
  return {"status", "warehouse, inputs, per-processor coverage, stale dates, checkpoints, locks (read-only)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              struct {
                std::string start;
                std::string end;
              } range;
              std::string format = "text";
              std::string checkpoint_dir;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("--start-date", opts->range.start, "first date (default: first game date)");
            sub->add_option("--end-date", opts->range.end, "last date (default: last game date before today)");
            sub->add_option("--format", opts->format, "text or json")->check(CLI::IsMember({"text", "json"}));
            sub->add_option("--checkpoint-dir", opts->checkpoint_dir, "checkpoint directory");
            return [opts, &global]() -> int {
              int exit_code = 0;
              auto read = OpenReadOnly(global, &exit_code);
              if (!read) return exit_code;
              auto& warehouse = read->warehouse;
              Date* today = &read->today;
              auto calendar = backfill::LoadCalendar(*warehouse, *today, nullptr);
              if (!calendar.ok()) return Fail(ExitCode::kDatesFailed, calendar.status().message());
              backfill::StatusReportOptions options;
              options.checkpoint_dir = backfill::DefaultCheckpointDir(opts->checkpoint_dir);
              std::optional<Date> start, end;
              if (!opts->range.start.empty()) {
                auto parsed = ParseDateFlag("--start-date", opts->range.start);
                if (!parsed.ok()) return Fail(ExitCode::kUsage, parsed.status().message());
                start = *parsed;
              }
              if (!opts->range.end.empty()) {
                auto parsed = ParseDateFlag("--end-date", opts->range.end);
                if (!parsed.ok()) return Fail(ExitCode::kUsage, parsed.status().message());
                end = *parsed;
              }
              // Default: first to last game date before today (as validate).
              auto range = backfill::DefaultRange(*warehouse, **calendar, start, end);
              if (!range.ok()) {
                return Fail(range.status().code() == StatusCode::kInvalidArgument ? ExitCode::kUsage : ExitCode::kDatesFailed,
                            range.status().message());
              }
              options.start = range->first;
              options.end = range->second;
              auto report = backfill::BuildStatusReport(*warehouse, **calendar, options);
              if (!report.ok()) return Fail(ExitCode::kDatesFailed, report.status().message());
              if (opts->format == "json") std::cout << report->dump(2) << '\n';
              else std::cout << backfill::RenderStatusText(*report);
              return 0;
            };
          }};
}

}  // namespace nbapc::cli

