#pragma once
// The warehouse: a narrow interface over the back end (spec/README.md §4, D8).
// `sqlite:DIR` keeps one SQLite file per dataset, attached under the dataset
// name so `nba_precompute.player_composite_factors` works verbatim in SQL. A
// PostgreSQL adapter implements the same interface later; nothing above store/
// knows which back end it talks to.
//
// Not thread-safe: one Warehouse per thread. Errors come back as Status (one
// helper per adapter turns back-end errors into Status); SQLITE_BUSY/LOCKED
// map to kUnavailable (retryable).

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/value.h"
#include "store/schema.h"

namespace nbapc::store {

inline constexpr int kSchemaVersion = 1;

struct WarehouseOptions {
  // "sqlite:DIR" (default "sqlite:./warehouse"); a bare path means sqlite:PATH.
  std::string url = "sqlite:./warehouse";
  // Create missing dataset files, schemas and tables (every writing command).
  bool create_if_missing = false;
  // Refuse writes (PRAGMA query_only); `sql` without --write.
  bool read_only = false;
};

// Result of a query: column names and rows of cells (INTEGER -> int64,
// REAL -> double, TEXT -> string, NULL -> monostate).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

class Warehouse {
 public:
  virtual ~Warehouse() = default;

  // Canonical URL ("sqlite:/abs/path").
  virtual const std::string& url() const = 0;

  // Runs one or more statements without parameters or results.
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Runs one statement with positional parameters (?1, ?2 ... / ?).
  virtual Status Execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs one statement and collects every result row.
  virtual Result<QueryResult> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Streams result rows to `on_row`; stops early when it returns non-OK.
  virtual Status QueryEach(std::string_view sql, std::span<const Value> params,
                           const std::function<Status(const Row&)>& on_row,
                           std::vector<std::string>* column_names = nullptr) = 0;

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Durability of later commits (README §8.4 asks for synchronous=FULL).
  // `full` = false keeps every commit atomic and crash-safe for the process
  // (WAL, synchronous=NORMAL) but defers the fsync to Flush(): the runner
  // uses it between durable points so a backfill is not bound by one fsync
  // per date; a power loss can lose only commits after the last Flush().
  virtual Status SetDurableCommits(bool full) = 0;
  // Makes every earlier commit durable (WAL checkpoint of every dataset).
  virtual Status Flush() = 0;

  // Inserts rows (cells in `table.columns` order; booleans as bool) with one
  // prepared statement. `or_replace` replaces rows with an existing key.
  virtual Status InsertRows(const TableDef& table, std::span<const Row> rows, bool or_replace = false) = 0;
};

// Opens (and with create_if_missing creates) the warehouse. A missing
// warehouse without create_if_missing is kNotFound with the hint of README §4.1;
// a newer schema_version is kFailedPrecondition.
Result<std::unique_ptr<Warehouse>> OpenWarehouse(const WarehouseOptions& options);

// A second, read-only connection to the existing warehouse at `url`, for a
// background thread of a run (input prefetch, preparation, upstream reads,
// WAL checkpoints: a PASSIVE checkpoint is allowed on it).
Result<std::unique_ptr<Warehouse>> OpenReadOnlyConnection(const std::string& url);

// Does the warehouse at `url` exist (its directory with the reference dataset)?
bool WarehouseExists(const std::string& url);
// Deletes every file of the warehouse (demo-data --force).
Status DeleteWarehouse(const std::string& url);
// The directory of a sqlite: URL ("" for other back ends).
std::string SqliteDirectory(const std::string& url);

// nba_reference.warehouse_info helpers.
Result<std::optional<std::string>> GetInfo(Warehouse& warehouse, std::string_view key);
Status SetInfo(Warehouse& warehouse, std::string_view key, std::string_view value);

// RAII transaction: rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Warehouse& warehouse) : warehouse_(warehouse) {}
  ~Transaction() {
    if (active_) (void)warehouse_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin() {
    NBAPC_RETURN_IF_ERROR(warehouse_.Begin());
    active_ = true;
    return Status::Ok();
  }
  Status Commit() {
    Status status = warehouse_.Commit();
    if (status.ok()) active_ = false;
    return status;
  }

 private:
  Warehouse& warehouse_;
  bool active_ = false;
};

}  // namespace nbapc::store
