#pragma once
// The 30 NBA teams (spec/inputs.md §1).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace nbapc {

struct TeamInfo {
  const char* abbr;
  const char* conference;  // "East" / "West"
  const char* division;    // "Atlantic", ...
};

// All 30 teams in ascending abbreviation order.
std::span<const TeamInfo> AllTeams();
const TeamInfo* FindTeam(std::string_view abbr);
inline bool IsNbaTeam(std::string_view abbr) { return FindTeam(abbr) != nullptr; }

// Closest name by edit distance (for "did you mean"), or "" when nothing is close.
std::string ClosestName(std::string_view name, std::span<const std::string> candidates, size_t max_distance = 3);
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace nbapc
