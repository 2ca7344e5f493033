#pragma once
// The CLI: one table of subcommands (spec/backfill.md §2) from which --help,
// dispatch and "did you mean" are generated. Subcommand files only parse
// flags and call the library.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backfill/lock.h"
#include "core/date.h"
#include "core/exit_codes.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::cli {

// Options of every subcommand (backfill.md §1). Precedence: flag > env > default.
struct GlobalOptions {
  std::string warehouse;   // --warehouse / NBA_WAREHOUSE / sqlite:./warehouse
  std::string log_level = "info";
  std::string log_file;
  bool quiet = false;
  bool no_progress = false;
  std::string today;       // --today / NBA_PRECOMPUTE_TODAY / warehouse_info.today / New York date
  std::vector<std::string> argv;  // the full command line, for run logs

  std::string WarehouseUrl() const;
  // "Today" per README §8.6, given an open warehouse (may be null).
  Result<Date> Today(store::Warehouse* warehouse) const;
};

// A subcommand: `setup` adds its flags to `sub` and returns the action to
// run after parsing; the action returns the process exit code.
struct Subcommand {
  const char* name;
  const char* summary;
  std::function<std::function<int()>(CLI::App* sub, const GlobalOptions& global)> setup;
};

Subcommand DemoDataCommand();
Subcommand ImportCommand();
Subcommand ExportCommand();
Subcommand SqlCommand();
Subcommand ReportCommand();
Subcommand ValidateCommand();
Subcommand BackfillCommand();
Subcommand RunCommand();
Subcommand PreflightCommand();
Subcommand StatusCommand();
Subcommand ExplainCommand();

// The full command line, shell-quoted where needed (run logs, lock files).
std::string CommandLine(const GlobalOptions& global);
// Takes the `import` lock of the sqlite warehouse at `url` for `import`,
// `demo-data` and `sql --write` (backfill.md §11); returns 0, or the exit code
// (4 when a run holds a lock) after printing why.
int TakeImportLock(backfill::LockSet* locks, const std::string& url, const GlobalOptions& global);

// A warehouse opened read-only (no lock) with "today" resolved (README §8.6).
struct ReadContext {
  std::unique_ptr<store::Warehouse> warehouse;
  Date today;
};
// On failure prints the error and stores the exit code (2 missing warehouse
// or bad --today, 1 store error) in `exit_code`.
std::optional<ReadContext> OpenReadOnly(const GlobalOptions& global, int* exit_code);

// Entry point used by main().
int Main(int argc, char** argv);

// Prints "error: <message>" to stderr and returns the exit code.
int Fail(ExitCode code, const std::string& message);
// Maps a Status from opening the warehouse to exit 2 (missing / too new) or 1.
int FailOpen(const Status& status);
// Parses a YYYY-MM-DD flag value; exit-2 message names the flag.
Result<Date> ParseDateFlag(const std::string& flag, const std::string& value);

}  // namespace nbapc::cli
