#pragma once
// Loads the spec's test vectors (tests/vectors/<processor>.json, copies of
// shared/spec/vectors) for the unit tests. Layout per spec/tdza.md §17:
// an array of {"name", "function", "inputs", "expected", "note"}.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"

namespace nbapc::testing {

// Every vector of `file` ("tdza", "psza", ...) whose "function" equals `function`.
std::vector<nlohmann::json> LoadVectors(const std::string& file, const std::string& function);

// The source tree root (for tests/e2e data and vectors).
std::string SourceDir();

// JSON helpers: null/absent -> nullopt.
std::optional<double> OptDouble(const nlohmann::json& obj, const char* key);
std::optional<int64_t> OptInt(const nlohmann::json& obj, const char* key);
std::optional<std::string> OptString(const nlohmann::json& obj, const char* key);
std::optional<bool> OptBool(const nlohmann::json& obj, const char* key);
Date JsonDate(const nlohmann::json& value);

}  // namespace nbapc::testing
