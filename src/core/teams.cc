#include "core/teams.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

namespace nbapc {
namespace {

constexpr std::array<TeamInfo, 30> kTeams = {{
    {"ATL", "East", "Southeast"}, {"BKN", "East", "Atlantic"},  {"BOS", "East", "Atlantic"},
    {"CHA", "East", "Southeast"}, {"CHI", "East", "Central"},   {"CLE", "East", "Central"},
    {"DAL", "West", "Southwest"}, {"DEN", "West", "Northwest"}, {"DET", "East", "Central"},
    {"GSW", "West", "Pacific"},   {"HOU", "West", "Southwest"}, {"IND", "East", "Central"},
    {"LAC", "West", "Pacific"},   {"LAL", "West", "Pacific"},   {"MEM", "West", "Southwest"},
    {"MIA", "East", "Southeast"}, {"MIL", "East", "Central"},   {"MIN", "West", "Northwest"},
    {"NOP", "West", "Southwest"}, {"NYK", "East", "Atlantic"},  {"OKC", "West", "Northwest"},
    {"ORL", "East", "Southeast"}, {"PHI", "East", "Atlantic"},  {"PHX", "West", "Pacific"},
    {"POR", "West", "Northwest"}, {"SAC", "West", "Pacific"},   {"SAS", "West", "Southwest"},
    {"TOR", "East", "Atlantic"},  {"UTA", "West", "Northwest"}, {"WAS", "East", "Southeast"},
}};

}  // namespace

std::span<const TeamInfo> AllTeams() { return kTeams; }

const TeamInfo* FindTeam(std::string_view abbr) {
  auto it = std::lower_bound(kTeams.begin(), kTeams.end(), abbr,
                             [](const TeamInfo& t, std::string_view a) { return std::string_view(t.abbr) < a; });
  if (it != kTeams.end() && std::string_view(it->abbr) == abbr) return &*it;
  return nullptr;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and
  // transpositions of adjacent letters ("pfc" -> "pcf") each cost 1.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string ClosestName(std::string_view name, std::span<const std::string> candidates, size_t max_distance) {
  // Ties go to the candidate whose differing letters are nearest in the
  // alphabet ("LAK" -> LAL rather than LAC), then to the first one.
  // An anagram (a transposition typo) wins ties before the letter gap.
  std::string sorted_name(name);
  std::sort(sorted_name.begin(), sorted_name.end());
  auto letter_gap = [&](const std::string& candidate) {
    if (candidate.size() != name.size()) return 1000;
    std::string sorted_candidate = candidate;
    std::sort(sorted_candidate.begin(), sorted_candidate.end());
    if (sorted_candidate == sorted_name) return 0;
    int gap = 0;
    for (size_t idx = 0; idx < name.size(); ++idx) gap += std::abs(name[idx] - candidate[idx]);
    return gap;
  };
  std::string best;
  size_t best_distance = max_distance + 1;
  int best_gap = 0;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    int gap = letter_gap(candidate);
    if (distance < best_distance || (distance == best_distance && !best.empty() && gap < best_gap)) {
      best_distance = distance;
      best = candidate;
      best_gap = gap;
    }
  }
  return best;
}

}  // namespace nbapc
