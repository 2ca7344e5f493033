#include "testing/rows.h"

namespace nbapc::testing {

Row FullRow(const store::TableDef& table, const Cells& cells, const std::string& date,
            const std::string& timestamp) {
  Row row;
  for (const store::ColumnDef& column : table.columns) {
    auto it = cells.find(column.name);
    if (it != cells.end()) {
      row.push_back(it->second);
      continue;
    }
    if (column.nullable) {
      row.push_back(Value{});
      continue;
    }
    switch (column.type) {
      case store::ColumnType::kInteger: row.push_back(Value{int64_t{0}}); break;
      case store::ColumnType::kFloat:
      case store::ColumnType::kNumeric: row.push_back(Value{0.0}); break;
      case store::ColumnType::kBoolean: row.push_back(Value{false}); break;
      case store::ColumnType::kDate: row.push_back(Value{date}); break;
      case store::ColumnType::kTimestamp: row.push_back(Value{timestamp}); break;
      case store::ColumnType::kArray: row.push_back(Value{std::string("[]")}); break;
      case store::ColumnType::kJson: row.push_back(Value{std::string("{}")}); break;
      default: row.push_back(Value{std::string("x")});
    }
  }
  return row;
}

}  // namespace nbapc::testing
