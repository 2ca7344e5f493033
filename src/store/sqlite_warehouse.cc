// SQLite adapter of the Warehouse interface (spec/README.md §4, §8.4).
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "core/date.h"
#include "core/version.h"
#include "store/warehouse.h"

namespace nbapc::store {
namespace {

namespace fs = std::filesystem;

// The one place SQLite result codes become Status.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string message = fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(message);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(message);
  if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) return Status::IOError(message);
  if (primary == SQLITE_CONSTRAINT) return Status::FailedPrecondition(message);
  return Status::InvalidArgument(message);
}

std::string RandomHex(int bytes) {
  std::random_device rd;
  std::string out;
  for (int idx = 0; idx < bytes; ++idx) out += fmt::format("{:02x}", rd() & 0xFF);
  return out;
}

Status Bind(sqlite3* db, sqlite3_stmt* stmt, std::span<const Value> params) {
  for (size_t idx = 0; idx < params.size(); ++idx) {
    int pos = static_cast<int>(idx) + 1;
    const Value& v = params[idx];
    int rc = SQLITE_OK;
    if (IsNull(v)) {
      rc = sqlite3_bind_null(stmt, pos);
    } else if (const bool* b = std::get_if<bool>(&v)) {
      rc = sqlite3_bind_int64(stmt, pos, *b ? 1 : 0);
    } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, pos, *i);
    } else if (const double* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, pos, *d);
    } else {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(stmt, pos, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return SqliteStatus(db, rc, "binding parameter");
  }
  return Status::Ok();
}

// Fills `row` with the current result row, reusing its cells' storage.
void ReadRow(sqlite3_stmt* stmt, Row* row) {
  int ncol = sqlite3_column_count(stmt);
  row->resize(static_cast<size_t>(ncol));
  for (int col = 0; col < ncol; ++col) {
    Value& cell = (*row)[static_cast<size_t>(col)];
    switch (sqlite3_column_type(stmt, col)) {
      case SQLITE_INTEGER: cell = static_cast<int64_t>(sqlite3_column_int64(stmt, col)); break;
      case SQLITE_FLOAT: cell = sqlite3_column_double(stmt, col); break;
      case SQLITE_NULL: cell = std::monostate{}; break;
      default: {
        const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        auto len = static_cast<size_t>(sqlite3_column_bytes(stmt, col));
        if (auto* existing = std::get_if<std::string>(&cell)) existing->assign(text, len);
        else cell = std::string(text, len);
      }
    }
  }
}

class SqliteWarehouse final : public Warehouse {
 public:
  SqliteWarehouse(std::string url, sqlite3* db) : url_(std::move(url)), db_(db) {}
  ~SqliteWarehouse() override {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  const std::string& url() const override { return url_; }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Status status = SqliteStatus(db_, rc, "executing SQL");
      return Status(status.code(), message);
    }
    return Status::Ok();
  }

  Status Execute(std::string_view sql, std::span<const Value> params) override {
    return QueryEach(sql, params, [](const Row&) { return Status::Ok(); }, nullptr);
  }

  Result<QueryResult> Query(std::string_view sql, std::span<const Value> params) override {
    QueryResult result;
    Status status = QueryEach(
        sql, params,
        [&](const Row& row) {
          result.rows.push_back(row);
          return Status::Ok();
        },
        &result.columns);
    if (!status.ok()) return status;
    return result;
  }

  Status QueryEach(std::string_view sql, std::span<const Value> params,
                   const std::function<Status(const Row&)>& on_row,
                   std::vector<std::string>* column_names) override {
    NBAPC_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepared(sql));
    StatementUse stmt(raw);
    int rc = SQLITE_OK;
    Row row;
    NBAPC_RETURN_IF_ERROR(Bind(db_, stmt.get(), params));
    if (column_names) {
      column_names->clear();
      for (int col = 0; col < sqlite3_column_count(stmt.get()); ++col) {
        column_names->push_back(sqlite3_column_name(stmt.get(), col));
      }
    }
    while (true) {
      rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Status(SqliteStatus(db_, rc, "").code(), sqlite3_errmsg(db_));
      ReadRow(stmt.get(), &row);
      NBAPC_RETURN_IF_ERROR(on_row(row));
    }
  }

  Status SetDurableCommits(bool full) override {
    std::string script;
    for (const std::string& dataset : attached_) {
      script += fmt::format("PRAGMA {}.synchronous={};", dataset, full ? "FULL" : "NORMAL");
    }
    // Between durable points the WAL is checkpointed by Flush() rather than
    // every 1000 pages (each automatic checkpoint costs two fsyncs).
    script += fmt::format("PRAGMA wal_autocheckpoint={};", full ? 1000 : 0);
    return ExecuteScript(script);
  }

  Status Flush() override {
    for (const std::string& dataset : attached_) {
      NBAPC_RETURN_IF_ERROR(ExecuteScript(fmt::format("PRAGMA {}.wal_checkpoint(PASSIVE);", dataset)));
    }
    return Status::Ok();
  }

  void NoteAttached(const std::string& dataset) { attached_.push_back(dataset); }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override { return ExecuteScript("ROLLBACK"); }

  Status InsertRows(const TableDef& table, std::span<const Row> rows, bool or_replace) override {
    // The statement text once per table (a backfill inserts per date).
    std::string& sql = insert_sql_[{&table, or_replace}];
    if (sql.empty()) {
      std::string columns;
      std::string marks;
      for (size_t idx = 0; idx < table.columns.size(); ++idx) {
        columns += fmt::format("{}\"{}\"", idx ? ", " : "", table.columns[idx].name);
        marks += idx ? ", ?" : "?";
      }
      sql = fmt::format("INSERT {}INTO {}.{} ({}) VALUES ({})", or_replace ? "OR REPLACE " : "", table.dataset,
                        table.name, columns, marks);
    }
    auto prepared = Prepared(sql);
    if (!prepared.ok()) return prepared.status().WithPrefix("preparing insert into " + table.FullName());
    StatementUse stmt(*prepared);
    int rc = SQLITE_OK;
    for (const Row& row : rows) {
      if (row.size() != table.columns.size()) {
        return Status::Internal(fmt::format("row for {} has {} cells, expected {}", table.FullName(), row.size(),
                                            table.columns.size()));
      }
      NBAPC_RETURN_IF_ERROR(Bind(db_, stmt.get(), row));
      rc = sqlite3_step(stmt.get());
      if (rc != SQLITE_DONE) return SqliteStatus(db_, rc, "inserting into " + table.FullName());
      sqlite3_reset(stmt.get());
    }
    return Status::Ok();
  }

 private:
  // Returns a cached prepared statement for `sql` (prepared once per
  // connection: the runner issues the same few statements for every date).
  Result<sqlite3_stmt*> Prepared(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Status(SqliteStatus(db_, rc, "").code(), sqlite3_errmsg(db_));
    }
    if (!stmt) return Status::InvalidArgument("empty SQL statement");
    if (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      sqlite3_finalize(stmt);
      return Status::InvalidArgument("only one SQL statement can be run at a time");
    }
    if (cache_.size() >= 64) {
      for (auto& [text, cached] : cache_) sqlite3_finalize(cached);
      cache_.clear();
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  // Resets a cached statement when its use ends.
  class StatementUse {
   public:
    explicit StatementUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~StatementUse() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3_stmt* stmt_;
  };

  std::string url_;
  sqlite3* db_;
  std::vector<std::string> attached_;
  // Looked up by string_view (no key copy per statement run).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
  std::map<std::pair<const TableDef*, bool>, std::string> insert_sql_;  // (table, OR REPLACE) -> INSERT text
};

Result<std::string> ParseSqliteDir(const std::string& url) {
  std::string dir = url;
  if (url.rfind("sqlite:", 0) == 0) {
    dir = url.substr(7);
    if (dir.rfind("//", 0) == 0) dir = dir.substr(2);
  } else if (url.find("://") != std::string::npos) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
      return Status::InvalidArgument(
          fmt::format("warehouse {}: the PostgreSQL back end is not built into this binary yet", url));
    }
    return Status::InvalidArgument(fmt::format("warehouse URL {} is neither sqlite:DIR nor postgresql://...", url));
  }
  if (dir.empty()) return Status::InvalidArgument("warehouse URL has an empty directory");
  return dir;
}

}  // namespace

std::string SqliteDirectory(const std::string& url) {
  auto dir = ParseSqliteDir(url);
  return dir.ok() ? *dir : "";
}

bool WarehouseExists(const std::string& url) {
  std::string dir = SqliteDirectory(url);
  return !dir.empty() && fs::exists(fs::path(dir) / "nba_reference.sqlite");
}

Status DeleteWarehouse(const std::string& url) {
  NBAPC_ASSIGN_OR_RETURN(std::string dir, ParseSqliteDir(url));
  std::error_code ec;
  for (const std::string& dataset : AllDatasets()) {
    for (const char* suffix : {".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal"}) {
      fs::remove(fs::path(dir) / (dataset + suffix), ec);
      if (ec) return Status::IOError(fmt::format("cannot delete {}: {}", dir, ec.message()));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Warehouse>> OpenReadOnlyConnection(const std::string& url) {
  WarehouseOptions options;
  options.url = url;
  options.read_only = true;
  return OpenWarehouse(options);
}

Result<std::unique_ptr<Warehouse>> OpenWarehouse(const WarehouseOptions& options) {
  NBAPC_ASSIGN_OR_RETURN(std::string dir, ParseSqliteDir(options.url));
  bool exists = fs::exists(fs::path(dir) / "nba_reference.sqlite");
  if (!exists && !options.create_if_missing) {
    return Status::NotFound(fmt::format(
        "warehouse {} does not exist; create it with \"nba-precompute demo-data\" or \"nba-precompute import\"",
        dir));
  }
  std::error_code ec;
  if (!exists) {
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot create warehouse directory {}: {}", dir, ec.message()));
  }
  std::string abs_dir = fs::absolute(dir, ec).lexically_normal().string();
  if (abs_dir.size() > 1 && abs_dir.back() == '/') abs_dir.pop_back();
  // No memory statistics: with them every SQLite allocation takes one
  // process-wide mutex, which the writer and the reading threads of a run
  // (preparation, WAL copier) then queue on. Must precede the first open.
  static const bool kConfigured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)kConfigured;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           nullptr);  // one connection per thread: no SQLite mutex needed
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(db);
    return SqliteStatus(nullptr, rc, "opening SQLite");
  }
  auto warehouse = std::make_unique<SqliteWarehouse>("sqlite:" + abs_dir, db);
  sqlite3_busy_timeout(db, 5000);
  for (const std::string& dataset : AllDatasets()) {
    std::string file = (fs::path(abs_dir) / (dataset + ".sqlite")).string();
    if (options.read_only && !fs::exists(file)) continue;  // created by the next writing command
    std::string attach = "ATTACH DATABASE ?1 AS " + dataset;
    Value path_value{file};
    NBAPC_RETURN_IF_ERROR(warehouse->Execute(attach, std::span<const Value>(&path_value, 1)));
    // README §8.4: WAL, synchronous=FULL per attached file. A new file gets
    // 16 KiB pages (fewer b-tree pages per row written; set before any table).
    NBAPC_RETURN_IF_ERROR(warehouse->ExecuteScript(
        fmt::format("PRAGMA {0}.page_size=16384; PRAGMA {0}.journal_mode=WAL; PRAGMA {0}.synchronous=FULL;", dataset)));
    warehouse->NoteAttached(dataset);
  }
  NBAPC_RETURN_IF_ERROR(warehouse->ExecuteScript("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"));
  // A larger page cache per dataset (64 MiB) keeps a backfill's working set
  // in memory instead of re-reading pages through the kernel.
  for (const std::string& dataset : AllDatasets()) {
    (void)warehouse->ExecuteScript(fmt::format("PRAGMA {}.cache_size=-65536;", dataset));
  }
  // Every writing command creates missing tables (README §4.1); the DDL is
  // idempotent (IF NOT EXISTS).
  if (!options.read_only) {
    NBAPC_RETURN_IF_ERROR(warehouse->Begin());
    for (const std::string& dataset : AllDatasets()) {
      for (const std::string& stmt : DatasetDdl(dataset)) {
        Status status = warehouse->ExecuteScript(stmt);
        if (!status.ok()) {
          (void)warehouse->Rollback();
          return status.WithPrefix("creating tables of " + dataset);
        }
      }
    }
    NBAPC_RETURN_IF_ERROR(warehouse->Commit());
    NBAPC_ASSIGN_OR_RETURN(auto instance, GetInfo(*warehouse, "instance_id"));
    if (!instance) {
      NBAPC_RETURN_IF_ERROR(SetInfo(*warehouse, "instance_id", RandomHex(16)));
      NBAPC_RETURN_IF_ERROR(SetInfo(*warehouse, "schema_version", std::to_string(kSchemaVersion)));
      NBAPC_RETURN_IF_ERROR(SetInfo(*warehouse, "created_at", NowUtcTimestamp()));
      NBAPC_RETURN_IF_ERROR(SetInfo(*warehouse, "engine_version", kEngineVersion));
    }
  }
  NBAPC_ASSIGN_OR_RETURN(auto version, GetInfo(*warehouse, "schema_version"));
  if (version && std::atoi(version->c_str()) > kSchemaVersion) {
    return Status::FailedPrecondition(
        fmt::format("warehouse schema {} is newer than this engine ({})", *version, kSchemaVersion));
  }
  if (options.read_only) NBAPC_RETURN_IF_ERROR(warehouse->ExecuteScript("PRAGMA query_only=1"));
  return std::unique_ptr<Warehouse>(std::move(warehouse));
}

Result<std::optional<std::string>> GetInfo(Warehouse& warehouse, std::string_view key) {
  Value key_value{std::string(key)};
  NBAPC_ASSIGN_OR_RETURN(QueryResult result,
                         warehouse.Query("SELECT value FROM nba_reference.warehouse_info WHERE key = ?1",
                                         std::span<const Value>(&key_value, 1)));
  if (result.rows.empty() || IsNull(result.rows[0][0])) return std::optional<std::string>();
  return std::optional<std::string>(std::get<std::string>(result.rows[0][0]));
}

Status SetInfo(Warehouse& warehouse, std::string_view key, std::string_view value) {
  std::vector<Value> params = {Value{std::string(key)}, Value{std::string(value)}};
  return warehouse.Execute("INSERT OR REPLACE INTO nba_reference.warehouse_info (key, value) VALUES (?1, ?2)",
                           params);
}

}  // namespace nbapc::store
