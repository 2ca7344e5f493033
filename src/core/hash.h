#pragma once
// The one data_hash algorithm of every processor (spec/tdza.md §14) and the
// SHA-256 helpers behind it and behind import content hashes.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/date.h"
#include "core/value.h"

namespace nbapc {

// Lowercase hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

// Incremental SHA-256 (for content hashes over many rows).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  std::string HexDigest();  // finishes the hash

 private:
  void* ctx_;
};

// The text of one hash field (tdza.md §14): NULL -> "NULL", bool -> True/False,
// integer digits, double -> FormatFloat, string trimmed of ASCII whitespace.
// Dates are passed as "YYYY-MM-DD" strings.
std::string HashFieldText(const Value& value);

// Python str(list) of an array of doubles/strings (MLFS arrays):
// "[1.0, 2.5]", "['phase4', 'default']", "[]".
std::string PyListText(const std::vector<Value>& items);

// Canonical string: "name:text" parts sorted by name bytes, joined with "|".
// Input pairs are (name, already-computed text).
std::string CanonicalHashString(std::vector<std::pair<std::string, std::string>> fields);

// First 16 hex digits of SHA-256 of the canonical string.
std::string DataHash(std::vector<std::pair<std::string, std::string>> fields);

// ---- Allocation-free data_hash for processors with a fixed field list ----

// A borrowed hash field value: NULL, bool, integer, double or text (the
// referenced text must outlive the call it is passed to).
using HashValue = std::variant<std::monostate, bool, int64_t, double, std::string_view>;

// "YYYY-MM-DD" of a date (the text of Date::ToString) without allocation,
// for HashValue fields: `DateText text(date); ToHashValue(text.view())`.
class DateText {
 public:
  explicit DateText(Date date);
  std::string_view view() const { return std::string_view(text_, size_); }

 private:
  char text_[24];
  size_t size_ = 0;
};

// HashValue of typed cells (the Value each would be stored as).
inline HashValue ToHashValue(bool v) { return HashValue{v}; }
inline HashValue ToHashValue(int64_t v) { return HashValue{v}; }
inline HashValue ToHashValue(double v) { return HashValue{v}; }
inline HashValue ToHashValue(std::string_view v) { return HashValue{v}; }
inline HashValue ToHashValue(const std::string& v) { return HashValue{std::string_view(v)}; }
inline HashValue ToHashValue(const char* v) { return HashValue{std::string_view(v)}; }
inline HashValue ToHashValue(const std::optional<std::string>& v) {
  return v ? HashValue{std::string_view(*v)} : HashValue{};
}
inline HashValue ToHashValue(const std::optional<double>& v) { return v ? HashValue{*v} : HashValue{}; }
inline HashValue ToHashValue(const std::optional<int64_t>& v) { return v ? HashValue{*v} : HashValue{}; }
inline HashValue ToHashValue(const std::optional<bool>& v) { return v ? HashValue{*v} : HashValue{}; }

// Appends the HashFieldText of `value` to `out` (same text, no temporaries).
void AppendHashFieldText(std::string& out, const HashValue& value);

// Indices of `names` in ascending name byte order: the field order of the
// canonical string. Computed once per fixed field list (names are distinct).
std::vector<uint8_t> SortedFieldOrder(std::span<const std::string_view> names);

// DataHash over the fields (names[i], values[i]) taken in `order` (from
// SortedFieldOrder(names)). Equal to DataHash of the (name,
// HashFieldText(value)) pairs; uses a per-thread buffer, no other allocation
// than the returned 16-character string.
std::string DataHashOrdered(std::span<const std::string_view> names, std::span<const HashValue> values,
                            std::span<const uint8_t> order);

}  // namespace nbapc
