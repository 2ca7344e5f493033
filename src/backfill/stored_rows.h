#pragma once
// Reading stored Phase 4 rows back for downstream processors (spec/README.md
// §8.3: a downstream processor reads exactly the stored, rounded values of
// its upstream, never in-memory ones). One query per table per run.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/date.h"
#include "core/status.h"
#include "core/value.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

// Cells of a stored row (INTEGER/REAL/TEXT as read back by the store).
std::optional<double> CellDouble(const Value& cell);
std::optional<int64_t> CellInt(const Value& cell);
std::optional<std::string> CellText(const Value& cell);
Result<Date> CellDate(const Value& cell);

// SELECT `columns` FROM `table` WHERE date_column BETWEEN from AND to, ordered
// by the date column then the first column; `make` turns each row into a T.
template <typename T>
Result<std::vector<T>> LoadStored(store::Warehouse& warehouse, const std::string& table,
                                  const std::string& date_column, const std::vector<std::string>& columns, Date from,
                                  Date to, const std::function<Status(const Row&, T*)>& make) {
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

}  // namespace nbapc::backfill
