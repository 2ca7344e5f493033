// `nba-precompute validate` (spec/validation.md §1): flag parsing only; the
// checks live in src/validate/.
#include <iostream>

#include <fmt/format.h>

#include "backfill/registry.h"
#include "cli/app.h"
#include "validate/validator.h"

namespace nbapc::cli {
namespace {

std::string JoinCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    bool quote = arg.find_first_of(" \t\"'") != std::string::npos;
    out += (out.empty() ? "" : " ") + (quote ? "'" + arg + "'" : arg);
  }
  return out.empty() ? "validate" : out;
}

}  // namespace

Subcommand ValidateCommand() {
  return {"validate", "check coverage, pipeline completeness, features and regressions (read-only on the data)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string check = "all";
              std::string start, end;
              validate::ValidateOptions options;
              bool save = false, no_save = false;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("check", opts->check, "all (default), coverage, completeness, features, regression")
                ->check(CLI::IsMember({"all", "coverage", "completeness", "features", "regression"}));
            sub->add_option("--start-date", opts->start, "first date (default: first game date of the schedule)");
            sub->add_option("--end-date", opts->end, "last date (default: last game date before today)");
            sub->add_option("--processor", opts->options.processor, "processor name or alias, or all");
            sub->add_option("--format", opts->options.format, "table (default) or json")
                ->check(CLI::IsMember({"table", "json"}));
            sub->add_flag("--details", opts->options.details, "per-date tables and entity reconciliation");
            sub->add_flag("--full", opts->options.full, "per-date feature evaluation and per-season breakdown");
            sub->add_flag("--check-regression", opts->options.check_regression,
                          "compare with the baseline (on for all)");
            sub->add_option("--baseline", opts->options.baseline, "compare with this validation run");
            sub->add_option("--tolerance", opts->options.tolerance, "distribution-shift tolerance in baseline sd")
                ->check(CLI::NonNegativeNumber);
            sub->add_option("--min-coverage", opts->options.min_coverage, "C1 threshold in percent (85)")
                ->check(CLI::Range(0.0, 100.0));
            sub->add_option("--min-feature-coverage", opts->options.min_feature_coverage,
                            "default minimum valid % of a field (95)")
                ->check(CLI::Range(0.0, 100.0));
            auto* save = sub->add_flag("--save-baseline", opts->save, "save a passing run as the baseline");
            auto* no_save = sub->add_flag("--no-save-baseline", opts->no_save, "never save this run as the baseline");
            save->excludes(no_save);
            return [opts, &global]() -> int {
              validate::ValidateOptions options = opts->options;
              options.check = opts->check;
              options.command_line = JoinCommand(global.argv);
              if (opts->save) options.save_baseline = true;
              if (opts->no_save) options.save_baseline = false;
              if (!opts->start.empty()) {
                auto date = ParseDateFlag("--start-date", opts->start);
                if (!date.ok()) return Fail(ExitCode::kUsage, date.status().message());
                options.start = *date;
              }
              if (!opts->end.empty()) {
                auto date = ParseDateFlag("--end-date", opts->end);
                if (!date.ok()) return Fail(ExitCode::kUsage, date.status().message());
                options.end = *date;
              }
              auto resolved = backfill::ResolveProcessors(options.processor);
              if (!resolved.ok()) return Fail(ExitCode::kUsage, resolved.status().message());
              std::string url = global.WarehouseUrl();
              if (!store::WarehouseExists(url)) {
                store::WarehouseOptions probe;
                probe.url = url;
                auto missing = store::OpenWarehouse(probe);
                if (!missing.ok()) return FailOpen(missing.status());
              }
              // Writes only its own tables (§7); create_if_missing adds them to
              // an older warehouse that lacks them.
              store::WarehouseOptions wopts;
              wopts.url = url;
              wopts.create_if_missing = true;
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              auto today = global.Today(warehouse->get());
              if (!today.ok()) return Fail(ExitCode::kUsage, today.status().message());
              options.today = *today;
              auto code = validate::RunValidate(**warehouse, options, std::cout);
              std::cout.flush();
              if (!code.ok()) {
                const Status& status = code.status();
                bool usage = status.code() == StatusCode::kInvalidArgument;
                return Fail(usage ? ExitCode::kUsage : ExitCode::kDatesFailed, status.message());
              }
              return *code;
            };
          }};
}

}  // namespace nbapc::cli
