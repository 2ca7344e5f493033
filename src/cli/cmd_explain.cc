// `nba-precompute explain` (spec/backfill.md §2.4).
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "backfill/explain.h"
#include "backfill/registry.h"

namespace nbapc::cli {

Subcommand ExplainCommand() {
  return {"explain", "show how a date or one row was (or would be) computed; writes nothing",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string processor;
              std::string date;
              std::string player;
              std::string team;
              std::string format = "text";
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("processor", opts->processor, "processor name or alias")->required();
            sub->add_option("--date", opts->date, "the date D (YYYY-MM-DD)")->required();
            sub->add_option("--player", opts->player, "player_lookup (player processors)");
            sub->add_option("--team", opts->team, "team_abbr (TDZA)");
            sub->add_option("--format", opts->format, "text or json")->check(CLI::IsMember({"text", "json"}));
            return [opts, &global]() -> int {
              auto resolved = backfill::ResolveProcessors(opts->processor);
              if (!resolved.ok()) return Fail(ExitCode::kUsage, resolved.status().message());
              if (resolved->size() != 1) return Fail(ExitCode::kUsage, "explain takes one processor, not all");
              auto date = ParseDateFlag("--date", opts->date);
              if (!date.ok()) return Fail(ExitCode::kUsage, date.status().message());
              const backfill::ProcessorInfo* info = (*resolved)[0];
              if (!opts->player.empty() && !opts->team.empty()) return Fail(ExitCode::kUsage, "give --player or --team, not both");
              if (!opts->team.empty() && info->entity_column != "team_abbr") {
                return Fail(ExitCode::kUsage, fmt::format("{} rows are per player: use --player", info->name));
              }
              if (!opts->player.empty() && info->entity_column != "player_lookup") {
                return Fail(ExitCode::kUsage, fmt::format("{} rows are per team: use --team", info->name));
              }
              int exit_code = 0;
              auto read = OpenReadOnly(global, &exit_code);
              if (!read) return exit_code;
              backfill::ExplainOptions options;
              options.processor = info;
              options.date = *date;
              options.entity = opts->player.empty() ? opts->team : opts->player;
              options.today = read->today;
              auto result = backfill::Explain(*read->warehouse, options);
              if (!result.ok()) return Fail(ExitCode::kDatesFailed, result.status().message());
              if (opts->format == "json") std::cout << result->report.dump(2) << '\n';
              else std::cout << backfill::RenderExplainText(result->report);
              return result->computed ? 0 : ToInt(ExitCode::kDatesFailed);
            };
          }};
}

}  // namespace nbapc::cli
