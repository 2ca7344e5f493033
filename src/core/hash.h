#pragma once
// The one data_hash algorithm of every processor (spec/tdza.md §14) and the
// SHA-256 helpers behind it and behind import content hashes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace nbapc
