#pragma once
// Reading stored Phase 4 rows back for downstream processors (spec/README.md
// §8.3: a downstream processor reads exactly the stored, rounded values of
// its upstream, never in-memory ones). One query per table per run.

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/date.h"
#include "core/status.h"
#include "core/value.h"
#include "store/schema.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

// Cells of a stored row (INTEGER/REAL/TEXT as read back by the store).
std::optional<double> CellDouble(const Value& cell);
std::optional<int64_t> CellInt(const Value& cell);
std::optional<std::string> CellText(const Value& cell);
Result<Date> CellDate(const Value& cell);
// Makes a cell what the store reads back: booleans are INTEGER 0/1, and a
// REAL -0.0 comes back as 0.0 (SQLite keeps integral reals as integers on disk).
void ToStoredCell(Value& cell);

// SELECT `columns` FROM `table` WHERE date_column BETWEEN from AND to, ordered
// by the date column then the first column; `make` turns each row into a T.
template <typename T>
Result<std::vector<T>> LoadStoredOn(store::Warehouse& warehouse, const std::string& table,
                                    const std::string& date_column, const std::vector<std::string>& columns,
                                    Date from, Date to, const std::function<Status(const Row&, T*)>& make) {
  std::string select;
  for (const std::string& column : columns) select += (select.empty() ? "" : ", ") + ("\"" + column + "\"");
  std::string sql = fmt::format("SELECT {} FROM {} WHERE \"{}\" BETWEEN ?1 AND ?2 ORDER BY \"{}\", \"{}\"", select,
                                table, date_column, date_column, columns.front());
  std::vector<Value> params = {Value{from.ToString()}, Value{to.ToString()}};
  std::vector<T> out;
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      sql, params,
      [&](const Row& row) {
        T item;
        NBAPC_RETURN_IF_ERROR(make(row, &item));
        out.push_back(std::move(item));
        return Status::Ok();
      },
      nullptr));
  return out;
}

// `load(warehouse, from, to)` for a whole run: a range of at least
// `min_days` is read in two halves at once, the later half on a second
// read-only connection (a full backfill reads hundreds of thousands of rows;
// the two halves decode on both cores). Same rows, same order, as long as
// `load` returns rows in date order.
template <typename T, typename LoadFn>
Result<std::vector<T>> LoadInHalves(store::Warehouse& warehouse, Date from, Date to, const LoadFn& load,
                                    int min_days = 365) {
  if (to - from < min_days) return load(warehouse, from, to);
  Date middle = from + (to - from) / 2;
  std::string url = warehouse.url();
  auto later = std::async(std::launch::async, [&]() -> Result<std::vector<T>> {
    NBAPC_ASSIGN_OR_RETURN(auto connection, store::OpenReadOnlyConnection(url));
    return load(*connection, middle + 1, to);
  });
  Result<std::vector<T>> earlier = load(warehouse, from, middle);
  Result<std::vector<T>> rest = later.get();
  if (!earlier.ok()) return earlier.status();
  if (!rest.ok()) return rest.status();
  earlier->reserve(earlier->size() + rest->size());
  for (T& item : *rest) earlier->push_back(std::move(item));
  return earlier;
}

// LoadStoredOn for a whole run (LoadInHalves).
template <typename T>
Result<std::vector<T>> LoadStored(store::Warehouse& warehouse, const std::string& table,
                                  const std::string& date_column, const std::vector<std::string>& columns, Date from,
                                  Date to, const std::function<Status(const Row&, T*)>& make) {
  return LoadInHalves<T>(warehouse, from, to, [&](store::Warehouse& connection, Date first, Date last) {
    return LoadStoredOn<T>(connection, table, date_column, columns, first, last, make);
  });
}

// How a downstream processor reads one upstream output table: the columns
// it selects and how a row of them (in `columns` order) becomes its input T.
// Load reads the stored rows of a date range; FromRows turns rows this run
// has just written (full table column order, as inserted) into the very
// items Load would read back for them, so a downstream processor fed in
// memory computes what it would compute after a reload (README §8.3).
template <typename T>
struct StoredProjection {
  std::string table;        // "nba_precompute.player_shot_zone_analysis"
  std::string date_column;  // "analysis_date"
  std::vector<std::string> columns;
  std::function<Status(const Row&, T*)> make;

  Result<std::vector<T>> Load(store::Warehouse& warehouse, Date from, Date to) const {
    return LoadStored<T>(warehouse, table, date_column, columns, from, to, make);
  }

  Result<std::vector<T>> FromRows(const std::vector<Row>& rows) const {
    const store::TableDef* def = store::FindTable(table);
    if (def == nullptr) return Status::Internal(fmt::format("unknown table {}", table));
    std::vector<size_t> indices;
    for (const std::string& column : columns) {
      int idx = def->ColumnIndex(column);
      if (idx < 0) return Status::Internal(fmt::format("{} has no column {}", table, column));
      indices.push_back(static_cast<size_t>(idx));
    }
    std::vector<T> out;
    out.reserve(rows.size());
    Row projected(indices.size());  // reused: assigning a cell keeps its text buffer
    for (const Row& row : rows) {
      for (size_t pos = 0; pos < indices.size(); ++pos) {
        projected[pos] = row.at(indices[pos]);
        ToStoredCell(projected[pos]);
      }
      T item;
      NBAPC_RETURN_IF_ERROR(make(projected, &item));
      out.push_back(std::move(item));
    }
    return out;
  }
};

}  // namespace nbapc::backfill
