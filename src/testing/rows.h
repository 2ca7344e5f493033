#pragma once
// Full rows of warehouse tables for tests: the cells a test cares about, the
// rest filled so the row can be inserted.

#include <map>
#include <string>

#include "core/value.h"
#include "store/schema.h"

namespace nbapc::testing {

using Cells = std::map<std::string, Value>;

// A row of `table` in column order: the given cells, NULL for the other
// nullable columns and a neutral value for the other NOT NULL ones (0, 0.0,
// false, `date`, `timestamp`, "[]", "{}", "x").
Row FullRow(const store::TableDef& table, const Cells& cells, const std::string& date = "2024-11-05",
            const std::string& timestamp = "2026-01-03T18:00:00.000Z");

}  // namespace nbapc::testing
