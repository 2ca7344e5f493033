#pragma once
// The backfill checkpoint (spec/backfill.md §9): one versioned JSON file per
// (warehouse, processor, range), rewritten atomically (temp file, fsync,
// rename, fsync of the directory) after every date outcome.

#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"

namespace nbapc::backfill {

inline constexpr int kCheckpointFormatVersion = 1;

struct FailureReason {
  std::string code;
  std::string message;
  int attempts = 0;
  std::string run_id;
  std::string at;
};

struct Checkpoint {
  std::string job_name;
  std::string warehouse;
  std::string warehouse_instance_id;
  Date start_date;
  Date end_date;
  std::string created_at;
  std::string last_updated;
  std::string last_run_id;
  std::string engine_version;
  std::set<Date> successful_dates;
  std::set<Date> failed_dates;
  std::set<Date> skipped_dates;
  std::map<Date, FailureReason> failure_reasons;
  std::map<Date, std::string> skip_reasons;
  int total_dates = 0;

  void MarkSuccess(Date date);
  void MarkFailed(Date date, const std::string& code, const std::string& message, const std::string& run_id,
                  const std::string& at);
  void MarkSkipped(Date date, const std::string& reason);
  // Forgets a date (e.g. a "done" date the warehouse has no outcome for).
  void Forget(Date date);
  bool IsDone(Date date) const { return successful_dates.count(date) || skipped_dates.count(date); }
  int processed() const {
    return static_cast<int>(successful_dates.size() + failed_dates.size() + skipped_dates.size());
  }

  // Serialised exactly as §9.2: keys in order, 2-space indent, "\n" ends.
  std::string ToJson() const;
  // Parses and checks a file's content (§9.4 first two rows). Errors are
  // InvalidArgument with the parse location, or FailedPrecondition for a newer format.
  static Result<Checkpoint> FromJson(const std::string& text);
};

// <dir>/<warehouse-key>/<job>_<start>_<end>.json (§9.1).
std::string CheckpointPath(const std::string& checkpoint_dir, const std::string& warehouse_url, const std::string& job,
                           Date start, Date end);
// --checkpoint-dir, else BACKFILL_CHECKPOINT_DIR, else $XDG_STATE_HOME/... (~/.local/state/...).
std::string DefaultCheckpointDir(const std::string& flag_value);
// "<name>-<8 hex of SHA-256 of the canonical URL>".
std::string WarehouseKey(const std::string& warehouse_url);

// Atomic write: <path>.tmp, fsync, rename, fsync of the directory; creates
// missing directories with mode 0700. With `sync` = false the two fsyncs are
// skipped: the rename still makes the replacement atomic for any process
// crash, and only a power loss can then lose the newest version.
Status WriteFileAtomically(const std::string& path, const std::string& content, bool sync = true);
Result<std::optional<Checkpoint>> LoadCheckpoint(const std::string& path);

}  // namespace nbapc::backfill
