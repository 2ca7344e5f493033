#include "backfill/registry.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "core/teams.h"

namespace nbapc::backfill {
namespace {

std::vector<ProcessorInfo> BuildRegistry() {
  // spec/README.md §3 and §6; pre-flight tables per backfill.md §6.
  std::vector<ProcessorInfo> all = {
      {1, "team_defense_zone_analysis", "tdza", {}, "nba_precompute.team_defense_zone_analysis", "team_abbr",
       "teams", "tdza", {"nba_analytics.team_defense_game_summary"}, {}},
      {2, "player_shot_zone_analysis", "psza", {}, "nba_precompute.player_shot_zone_analysis", "player_lookup",
       "players", "psza", {"nba_analytics.player_game_summary"}, {}},
      {3, "player_daily_cache", "pdc", {"player_shot_zone_analysis"}, "nba_precompute.player_daily_cache",
       "player_lookup", "players", "pdc",
       {"nba_analytics.player_game_summary", "nba_analytics.team_offense_game_summary"},
       {"nba_analytics.upcoming_player_game_context"}},
      {4, "player_composite_factors", "pcf", {"team_defense_zone_analysis", "player_shot_zone_analysis"},
       "nba_precompute.player_composite_factors", "player_lookup", "players", "pcf",
       {"nba_analytics.player_game_summary", "nba_analytics.team_offense_game_summary"},
       {"nba_analytics.upcoming_player_game_context", "nba_analytics.upcoming_team_game_context"}},
      {5, "ml_feature_store", "mlfs",
       {"team_defense_zone_analysis", "player_shot_zone_analysis", "player_daily_cache", "player_composite_factors"},
       "nba_predictions.ml_feature_store_v2", "player_lookup", "players", "mlfs",
       {"nba_analytics.player_game_summary", "nba_analytics.team_offense_game_summary"},
       {"nba_analytics.upcoming_player_game_context"}},
  };
  // Only processors whose output table this binary defines are available.
  std::vector<ProcessorInfo> available;
  for (ProcessorInfo& info : all) {
    if (store::FindTable(info.output_table)) available.push_back(std::move(info));
  }
  for (ProcessorInfo& info : available) {
    std::erase_if(info.upstreams, [&](const std::string& up) {
      return std::none_of(available.begin(), available.end(), [&](const ProcessorInfo& p) { return p.name == up; });
    });
  }
  return available;
}

std::string Normalise(std::string_view name) {
  std::string out;
  for (char c : name) out.push_back(c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

std::span<const ProcessorInfo> AllProcessors() {
  static const std::vector<ProcessorInfo> registry = BuildRegistry();
  return registry;
}

const ProcessorInfo* FindProcessor(std::string_view full_name) {
  for (const ProcessorInfo& info : AllProcessors()) {
    if (info.name == full_name) return &info;
  }
  return nullptr;
}

Result<std::vector<const ProcessorInfo*>> ResolveProcessors(std::string_view name) {
  std::string key = Normalise(name);
  std::vector<const ProcessorInfo*> out;
  if (key == "all") {
    for (const ProcessorInfo& info : AllProcessors()) out.push_back(&info);
    return TopologicalOrder(out);
  }
  for (const ProcessorInfo& info : AllProcessors()) {
    if (key == info.name || key == info.alias || (info.alias == "mlfs" && key == "ml_feature_store_v2")) {
      return std::vector<const ProcessorInfo*>{&info};
    }
  }
  std::vector<std::string> candidates = {"all"};
  for (const ProcessorInfo& info : AllProcessors()) {
    candidates.push_back(info.alias);
    candidates.push_back(info.name);
  }
  std::string hint = ClosestName(key, candidates, std::max<size_t>(2, key.size() / 3));
  return Status::InvalidArgument(fmt::format("unknown processor \"{}\"{}", name,
                                             hint.empty() ? "" : fmt::format(" (did you mean {}?)", hint)));
}

std::vector<const ProcessorInfo*> TopologicalOrder(std::vector<const ProcessorInfo*> processors) {
  // Kahn's algorithm restricted to the given set; ready nodes by number.
  std::vector<const ProcessorInfo*> order;
  std::set<std::string> done;
  while (!processors.empty()) {
    auto ready = std::min_element(processors.begin(), processors.end(), [&](const auto* a, const auto* b) {
      auto blocked = [&](const ProcessorInfo* p) {
        return std::any_of(p->upstreams.begin(), p->upstreams.end(), [&](const std::string& up) {
          return !done.count(up) && std::any_of(processors.begin(), processors.end(),
                                                [&](const ProcessorInfo* q) { return q->name == up; });
        });
      };
      bool a_blocked = blocked(a), b_blocked = blocked(b);
      if (a_blocked != b_blocked) return !a_blocked;
      return a->number < b->number;
    });
    done.insert((*ready)->name);
    order.push_back(*ready);
    processors.erase(ready);
  }
  return order;
}

std::vector<const ProcessorInfo*> WithDownstream(const std::vector<const ProcessorInfo*>& processors) {
  std::set<std::string> names;
  for (const ProcessorInfo* p : processors) names.insert(p->name);
  bool grew = true;
  while (grew) {
    grew = false;
    for (const ProcessorInfo& info : AllProcessors()) {
      if (names.count(info.name)) continue;
      if (std::any_of(info.upstreams.begin(), info.upstreams.end(), [&](const auto& up) { return names.count(up); })) {
        names.insert(info.name);
        grew = true;
      }
    }
  }
  std::vector<const ProcessorInfo*> out;
  for (const ProcessorInfo& info : AllProcessors()) {
    if (names.count(info.name)) out.push_back(&info);
  }
  return TopologicalOrder(out);
}

}  // namespace nbapc::backfill
