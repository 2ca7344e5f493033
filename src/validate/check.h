#pragma once
// One evaluated check of spec/validation.md §2.2/§3/§4.2/§5 and the list of
// them a validation run produces (§6 "checks").

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nbapc::validate {

enum class CheckStatus { kPass, kWarn, kFail };

const char* CheckStatusName(CheckStatus status);  // "pass" / "warn" / "fail"

struct Check {
  std::string id;    // "C3"
  std::string name;  // "no critical failures"
  std::string processor;  // full processor name or ""
  std::string table;      // "dataset.table" or ""
  std::string field;      // field or ""
  std::optional<int> season_year;
  CheckStatus status = CheckStatus::kPass;
  nlohmann::ordered_json value;      // null when not applicable
  nlohmann::ordered_json threshold;  // null when not applicable
  std::string message;

  // §6 "checks" element.
  nlohmann::ordered_json ToJson() const;
  // "FAIL C3 player_composite_factors: 2 failed dates (...)"
  std::string Line() const;
};

// Counts of fail / warn checks.
int CountStatus(const std::vector<Check>& checks, CheckStatus status);

// Date lists in messages: the first `limit` dates then "... and N more".
std::string DateList(const std::vector<std::string>& dates, size_t limit = 10);

}  // namespace nbapc::validate
