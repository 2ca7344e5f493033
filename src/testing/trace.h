#pragma once
// Assertions on the formula-step traces of `nba-precompute explain`
// (processors/common.h TraceStep), shared by the processors' trace tests.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "core/value.h"
#include "processors/common.h"

namespace nbapc::testing {

// Exact equality of two cells: same alternative, doubles bit for bit (so
// 0.0 and -0.0 differ), everything else with ==.
bool IdenticalValues(const Value& a, const Value& b);
// A cell for failure messages: its hash text and its alternative.
std::string ValueDebug(const Value& value);

// The step named `name` (in section `spec`, when not empty); nullptr when
// there is none. Several matching steps fail the test.
const processors::TraceStep* FindStep(const processors::Trace& trace, std::string_view name,
                                      std::string_view spec = {});

// The step `name` of section `spec` exists once and has exactly this
// formula, value and column flag.
void ExpectStep(const processors::Trace& trace, std::string_view name, std::string_view spec,
                std::string_view formula, const Value& value, bool column = false);

// The column steps of `trace` against the row's (column, value) pairs:
// every step is named and (when `spec_file` is not empty) cites a section of
// `spec_file` ("tdza.md"); the `keys` columns have no step; every other
// column has exactly one column step, identical to its cell; no column step
// names something that is not a column. Returns the columns checked.
size_t ExpectColumnStepsMatchRow(const processors::Trace& trace, const processors::NamedValues& row,
                                 std::string_view spec_file, const std::set<std::string, std::less<>>& keys);

}  // namespace nbapc::testing
