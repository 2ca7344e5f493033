#include "cli/app.h"

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "core/log.h"
#include "core/teams.h"
#include "core/version.h"

namespace nbapc::cli {
namespace {

std::vector<Subcommand> AllSubcommands() {
  return {BackfillCommand(), RunCommand(), PreflightCommand(), StatusCommand(), ExplainCommand(), ImportCommand(), ExportCommand(), DemoDataCommand(), SqlCommand(), ReportCommand(), ValidateCommand()};
}

const char* kExitCodeHelp =
    "Exit codes: 0 ok; 1 a date failed / import, sql or export failed; 2 usage (bad flag, date, name,\n"
    "environment value; missing or too new warehouse); 3 pre-flight failed; 4 lock held;\n"
    "5 validation failed; 130 interrupted.";

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

// "did you mean" for an unknown flag among the options of `app`.
std::string SuggestFlag(const CLI::App* app, const std::string& flag) {
  std::vector<std::string> names;
  for (const CLI::App* scope = app; scope; scope = scope->get_parent()) {
    for (const CLI::Option* opt : scope->get_options()) {
      for (const std::string& lname : opt->get_lnames()) names.push_back("--" + lname);
    }
  }
  return ClosestName(flag, names, 3);
}

}  // namespace

std::string GlobalOptions::WarehouseUrl() const {
  std::string url = warehouse.empty() ? EnvOr("NBA_WAREHOUSE", "sqlite:./warehouse") : warehouse;
  if (url.find(':') == std::string::npos) url = "sqlite:" + url;
  return url;
}

Result<Date> GlobalOptions::Today(store::Warehouse* wh) const {
  std::string text = today.empty() ? EnvOr("NBA_PRECOMPUTE_TODAY", "") : today;
  if (!text.empty()) {
    auto date = Date::Parse(text);
    if (!date.ok()) return Status::InvalidArgument(fmt::format("--today: \"{}\" is not a date (YYYY-MM-DD)", text));
    return *date;
  }
  if (wh) {
    NBAPC_ASSIGN_OR_RETURN(auto stored, store::GetInfo(*wh, "today"));
    if (stored) {
      auto date = Date::Parse(*stored);
      if (date.ok()) return *date;
    }
  }
  return TodayNewYork();
}

std::string CommandLine(const GlobalOptions& global) {
  std::string out;
  for (const std::string& arg : global.argv) {
    bool quote = arg.find_first_of(" \t\"'") != std::string::npos;
    out += (out.empty() ? "" : " ") + (quote ? "'" + arg + "'" : arg);
  }
  return out;
}

int TakeImportLock(backfill::LockSet* locks, const std::string& url, const GlobalOptions& global) {
  std::string dir = store::SqliteDirectory(url);
  if (dir.empty()) return 0;
  Status status = locks->AcquireImport(dir, CommandLine(global));
  if (status.ok()) return 0;
  if (status.code() == StatusCode::kFailedPrecondition) return Fail(ExitCode::kLockHeld, status.message());
  return Fail(ExitCode::kDatesFailed, status.message());
}

std::optional<ReadContext> OpenReadOnly(const GlobalOptions& global, int* exit_code) {
  store::WarehouseOptions options;
  options.url = global.WarehouseUrl();
  options.read_only = true;
  auto warehouse = store::OpenWarehouse(options);
  if (!warehouse.ok()) {
    *exit_code = FailOpen(warehouse.status());
    return std::nullopt;
  }
  auto today = global.Today(warehouse->get());
  if (!today.ok()) {
    *exit_code = Fail(ExitCode::kUsage, today.status().message());
    return std::nullopt;
  }
  return ReadContext{std::move(*warehouse), *today};
}

int Fail(ExitCode code, const std::string& message) {
  std::cerr << "error: " << message << std::endl;
  return ToInt(code);
}

int FailOpen(const Status& status) {
  bool usage = status.code() == StatusCode::kNotFound || status.code() == StatusCode::kFailedPrecondition ||
               status.code() == StatusCode::kInvalidArgument;
  return Fail(usage ? ExitCode::kUsage : ExitCode::kDatesFailed, status.message());
}

Result<Date> ParseDateFlag(const std::string& flag, const std::string& value) {
  auto date = Date::Parse(value);
  if (!date.ok()) return Status::InvalidArgument(fmt::format("{}: \"{}\" is not a date (YYYY-MM-DD)", flag, value));
  return *date;
}

int Main(int argc, char** argv) {
  std::vector<Subcommand> subcommands = AllSubcommands();
  GlobalOptions global;
  for (int idx = 0; idx < argc; ++idx) global.argv.emplace_back(argv[idx]);

  CLI::App app{"nba-precompute: the Phase 4 precompute layer of an NBA player-props pipeline", "nba-precompute"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", fmt::format("nba-precompute {}", kEngineVersion));
  app.add_option("--warehouse", global.warehouse, "sqlite:DIR (env NBA_WAREHOUSE; default sqlite:./warehouse)");
  app.add_option("--log-level", global.log_level, "debug, info, warn, error (env NBA_PRECOMPUTE_LOG_LEVEL)");
  app.add_option("--log-file", global.log_file, "append every log line to PATH as well as stderr");
  app.add_flag("--quiet", global.quiet, "log level warn; summaries still printed");
  app.add_flag("--no-progress", global.no_progress, "never draw the progress bar");
  app.add_option("--today", global.today, "what \"today\" means, YYYY-MM-DD (env NBA_PRECOMPUTE_TODAY)");

  // Unknown subcommand: exit 2 with a suggestion (before CLI11 sees it).
  std::vector<std::string> names;
  for (const Subcommand& sub : subcommands) names.emplace_back(sub.name);
  for (int idx = 1; idx < argc; ++idx) {
    std::string arg = argv[idx];
    if (arg.empty() || arg[0] == '-') {
      // Skip the value of a global option given before the subcommand.
      if ((arg == "--warehouse" || arg == "--log-level" || arg == "--log-file" || arg == "--today") && idx + 1 < argc) ++idx;
      continue;
    }
    if (std::find(names.begin(), names.end(), arg) == names.end()) {
      std::string hint = ClosestName(arg, names, 3);
      return Fail(ExitCode::kUsage, fmt::format("unknown subcommand \"{}\"{}; run nba-precompute --help", arg,
                                                hint.empty() ? "" : fmt::format(" (did you mean {}?)", hint)));
    }
    break;
  }

  std::function<int()> action;
  std::vector<std::pair<CLI::App*, std::function<int()>>> actions;
  for (const Subcommand& sub : subcommands) {
    CLI::App* app_sub = app.add_subcommand(sub.name, sub.summary);
    app_sub->footer(kExitCodeHelp);
    actions.emplace_back(app_sub, sub.setup(app_sub, global));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    std::string message = e.what();
    const CLI::App* scope = &app;
    for (const auto& [sub, fn] : actions) {
      if (sub->parsed()) scope = sub;
    }
    for (int idx = 1; idx < argc; ++idx) {
      std::string arg = argv[idx];
      if (arg.rfind("--", 0) != 0) continue;
      std::string flag = arg.substr(0, arg.find('='));
      std::string hint = SuggestFlag(scope, flag);
      if (!hint.empty() && hint != flag && message.find(flag) != std::string::npos) {
        message = fmt::format("unknown flag {} (did you mean {}?)", flag, hint);
        break;
      }
    }
    return Fail(ExitCode::kUsage, message);
  } catch (const CLI::ParseError& e) {
    return Fail(ExitCode::kUsage, e.what());
  }

  std::string level_text = EnvOr("NBA_PRECOMPUTE_LOG_LEVEL", "");
  if (!global.log_level.empty() && global.log_level != "info") level_text = global.log_level;
  if (level_text.empty()) level_text = global.log_level;
  LogLevel level = LogLevel::kInfo;
  if (!ParseLogLevel(level_text, &level)) {
    return Fail(ExitCode::kUsage, fmt::format("--log-level: \"{}\" is not one of debug, info, warn, error", level_text));
  }
  if (global.quiet && level < LogLevel::kWarn) level = LogLevel::kWarn;
  Logger::Get().SetLevel(level);
  if (!global.log_file.empty() && !Logger::Get().SetFile(global.log_file)) {
    return Fail(ExitCode::kUsage, fmt::format("--log-file: cannot open {}", global.log_file));
  }
  for (const auto& [sub, fn] : actions) {
    if (sub->parsed()) return fn();
  }
  return Fail(ExitCode::kUsage, "no subcommand given; run nba-precompute --help");
}

}  // namespace nbapc::cli
