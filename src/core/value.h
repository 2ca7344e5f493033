#pragma once
// A dynamically typed cell and row, used where code handles tables generically:
// the warehouse, import/export, hashing of stored rows. Processors work on typed
// structs (core/phase3.h) and their own output structs instead.
//
// Logical types map to cells as (spec/README.md §4.2): INTEGER -> int64,
// FLOAT64/NUMERIC -> double, BOOLEAN -> bool, TEXT/DATE/TIMESTAMP/ARRAY/JSON ->
// string (dates "YYYY-MM-DD", timestamps "...Z", arrays and JSON compact JSON).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nbapc {

using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

inline Value NullValue() { return Value{}; }
template <typename T>
Value OptionalValue(const std::optional<T>& v) {
  if (!v) return Value{};
  if constexpr (std::is_same_v<T, int> || std::is_same_v<T, int32_t>) {
    return Value{static_cast<int64_t>(*v)};
  } else {
    return Value{*v};
  }
}

}  // namespace nbapc
