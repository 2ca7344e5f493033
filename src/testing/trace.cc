#include "testing/trace.h"

#include <bit>
#include <cstdint>
#include <map>

#include <gtest/gtest.h>

#include "core/hash.h"

namespace nbapc::testing {

using processors::Trace;
using processors::TraceStep;

bool IdenticalValues(const Value& a, const Value& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<double>(&a)) {
    return std::bit_cast<uint64_t>(*x) == std::bit_cast<uint64_t>(std::get<double>(b));
  }
  return a == b;
}

std::string ValueDebug(const Value& value) {
  return HashFieldText(value) + " (alt " + std::to_string(value.index()) + ")";
}

const TraceStep* FindStep(const Trace& trace, std::string_view name, std::string_view spec) {
  const TraceStep* found = nullptr;
  for (const TraceStep& step : trace) {
    if (step.name != name || (!spec.empty() && step.spec != spec)) continue;
    EXPECT_EQ(found, nullptr) << "two steps named " << name << (spec.empty() ? "" : " in ") << spec;
    found = &step;
  }
  return found;
}

void ExpectStep(const Trace& trace, std::string_view name, std::string_view spec, std::string_view formula,
                const Value& value, bool column) {
  SCOPED_TRACE(std::string(spec) + " / " + std::string(name));
  const TraceStep* step = FindStep(trace, name, spec);
  ASSERT_NE(step, nullptr) << "no step " << name << " in " << spec;
  EXPECT_EQ(step->formula, formula);
  EXPECT_TRUE(IdenticalValues(step->value, value)) << ValueDebug(step->value) << " vs " << ValueDebug(value);
  EXPECT_EQ(step->column, column);
}

size_t ExpectColumnStepsMatchRow(const Trace& trace, const processors::NamedValues& row, std::string_view spec_file,
                                 const std::set<std::string, std::less<>>& keys) {
  std::map<std::string, const TraceStep*, std::less<>> columns;
  const std::string section = std::string(spec_file) + " §";
  for (const TraceStep& step : trace) {
    EXPECT_FALSE(step.name.empty());
    if (!spec_file.empty()) EXPECT_EQ(step.spec.rfind(section, 0), 0u) << step.name << ": " << step.spec;
    if (step.column) EXPECT_TRUE(columns.emplace(step.name, &step).second) << "two column steps " << step.name;
  }
  size_t checked = 0;
  for (const auto& [name, value] : row) {
    auto it = columns.find(name);
    if (keys.contains(name)) {
      EXPECT_TRUE(it == columns.end()) << "key column " << name << " has a step";
      continue;
    }
    if (it == columns.end()) {
      ADD_FAILURE() << "no column step for " << name;
      continue;
    }
    EXPECT_TRUE(IdenticalValues(it->second->value, value))
        << name << ": step " << ValueDebug(it->second->value) << " row " << ValueDebug(value);
    ++checked;
  }
  EXPECT_EQ(checked, columns.size()) << "a column step names no column";
  return checked;
}

}  // namespace nbapc::testing
