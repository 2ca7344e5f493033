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
              if (opts->range.start.empty() != opts->range.end.empty()) {
                return Fail(ExitCode::kUsage, "--start-date and --end-date go together");
              }
              if (!opts->range.start.empty()) {
                auto start = ParseDateFlag("--start-date", opts->range.start);
                auto end = ParseDateFlag("--end-date", opts->range.end);
                if (!start.ok()) return Fail(ExitCode::kUsage, start.status().message());
                if (!end.ok()) return Fail(ExitCode::kUsage, end.status().message());
                options.start = *start;
                options.end = *end;
              } else {
                // Default: first to last game date before today (as validate).
                auto plan = (*calendar)->PlanRange(Date::FromYmd(1990, 1, 1).value(), *today - 1);
                if (plan.game_dates.empty()) {
                  options.start = options.end = *today;
                } else {
                  options.start = plan.game_dates.front();
                  options.end = plan.game_dates.back();
                }
              }
              auto report = backfill::BuildStatusReport(*warehouse, **calendar, options);
              if (!report.ok()) return Fail(ExitCode::kDatesFailed, report.status().message());
              if (opts->format == "json") std::cout << report->dump(2) << '\n';
              else std::cout << backfill::RenderStatusText(*report);
              return 0;
            };
          }};
}

}  // namespace nbapc::cli

