#pragma once
// The backfill / nightly runner (spec/backfill.md §4-§15): plans the dates,
// takes the locks, applies the checkpoint, runs the pre-flight, loads every
// input once, then per processor (topological order) and per date: gate,
// compute (dates in parallel), write one transaction per (processor, date),
// record run history and phase completion, save the checkpoint, log.

#include <optional>
#include <string>
#include <vector>

#include "backfill/preflight.h"
#include "core/date.h"
#include "core/exit_codes.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

struct BackfillOptions {
  std::string subcommand = "backfill";  // "backfill" or "run"
  std::string command_line;              // full command line (run_log, lock files)
  std::string processor_arg = "all";     // processor name, alias or "all"
  std::vector<std::string> run_processors;  // `run --processors` (empty = all)
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  std::vector<Date> dates;  // --dates (or run --date): sorted, unique
  bool dry_run = false;
  bool skip_preflight = false;
  bool no_resume = false;
  bool status_only = false;
  bool retry_failed = false;
  bool cascade = false;
  bool stop_on_failure = false;
  bool json_status = false;
  int workers = 1;  // threads that compute: the pool (workers - 1) and the writing thread
  // fsync the warehouse and the checkpoint after every date (README §8.4,
  // backfill.md §9.3 to the letter). Default: every commit is atomic and
  // process-crash-safe, and durable points (WAL checkpoint + fsync'd
  // checkpoint file) happen at most every `durable_interval_ms` and at the
  // end; resume re-validates "done" dates against run history (§9.4).
  bool durable_every_date = false;
  int durable_interval_ms = 1000;
  // Minimum time between two (non-durable) checkpoint rewrites.
  int checkpoint_interval_ms = 100;
  // Draw the live progress bar (stderr is a terminal, no --no-progress/--quiet).
  bool progress = false;
  std::string checkpoint_dir;  // resolved directory
  PreflightThresholds thresholds;
  Date today;
};

// Runs the command and returns its exit code (§13). Logs go through the
// logger; reports (--status) go to stdout.
ExitCode RunBackfill(store::Warehouse& warehouse, const BackfillOptions& options);

// "YYYYMMDDTHHMMSSZ-<8 hex>".
std::string NewRunId();

// Installs SIGINT/SIGTERM handlers (first signal: stop scheduling; second:
// exit 130 at once) and ignores SIGPIPE.
void InstallSignalHandlers();
bool StopRequested();
void RequestStopForTesting();

}  // namespace nbapc::backfill
