#pragma once
// One writer per (warehouse, processor) (spec/backfill.md §11): a
// non-blocking exclusive flock on <warehouse-dir>/locks/<name>.lock holding
// {"pid", "host", "started_at", "command", "run_id"}. The kernel releases the
// lock when the process dies, so a leftover file is never a stale lock.

#include <string>
#include <vector>

#include "core/status.h"

namespace nbapc::backfill {

class LockSet {
 public:
  LockSet() = default;
  ~LockSet() { ReleaseAll(); }
  LockSet(const LockSet&) = delete;
  LockSet& operator=(const LockSet&) = delete;

  // Takes <dir>/locks/<name>.lock. A held lock is FailedPrecondition with the
  // holder described: "pid 41233 on ops-1 since ... (command)".
  Status Acquire(const std::string& warehouse_dir, const std::string& name, const std::string& command,
                 const std::string& run_id);
  // Is <name> held by another process? (does not take it)
  static Result<bool> IsHeld(const std::string& warehouse_dir, const std::string& name, std::string* holder);
  void ReleaseAll();

  // The `import` lock (import, demo-data, sql --write): takes it and checks
  // that no processor lock is held (§11). Held: FailedPrecondition naming the
  // holder ("another run holds the lock for player_composite_factors ...: pid 41233 ...").
  Status AcquireImport(const std::string& warehouse_dir, const std::string& command);

 private:
  std::vector<int> fds_;
};

}  // namespace nbapc::backfill
