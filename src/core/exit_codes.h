#pragma once
// Process exit codes (spec/backfill.md §13); documented in --help and README.

namespace nbapc {

enum class ExitCode : int {
  kOk = 0,                // every date succeeded or was skipped; report commands succeeded
  kDatesFailed = 1,       // a date failed, the run could not finish, import/sql failed
  kUsage = 2,             // bad flag, date, name, environment value; missing/too new warehouse
  kPreflightFailed = 3,   // pre-flight failed (nothing written)
  kLockHeld = 4,          // another run holds a needed lock
  kValidationFailed = 5,  // validate found a failing check
  kInterrupted = 130,     // SIGINT/SIGTERM after saving the checkpoint
};

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace nbapc
