#pragma once
// The processors and their dependency graph (spec/README.md §3, backfill.md
// §3). The run order is derived from the graph (a DAG), ties broken by the
// numbering, never from a hand-written list.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/schema.h"

namespace nbapc::backfill {

struct ProcessorInfo {
  int number;                          // 1..5 (cascade position, tie-break)
  std::string name;                    // full name, e.g. "player_composite_factors"
  std::string alias;                   // "pcf"
  std::vector<std::string> upstreams;  // gated Phase 4 upstreams (full names)
  std::string output_table;            // "nba_precompute.player_composite_factors"
  std::string entity_column;           // "team_abbr" / "player_lookup"
  std::string entity_noun;             // "teams" / "players" (log lines)
  std::string completion_prefix;       // phase4_completion column prefix ("pcf")
  // Phase 3 tables of the pre-flight (backfill.md §6): critical and context.
  std::vector<std::string> phase3_tables;
  std::vector<std::string> context_tables;
};

// Every processor known to this binary (those with an implementation), in
// numbering order.
std::span<const ProcessorInfo> AllProcessors();
const ProcessorInfo* FindProcessor(std::string_view full_name);

// Resolves a name: full name or alias (also ml_feature_store_v2), case-
// insensitive, '-' = '_', or "all". Unknown names: InvalidArgument
// `unknown processor "pfc" (did you mean pcf?)`.
Result<std::vector<const ProcessorInfo*>> ResolveProcessors(std::string_view name);

// Adds every processor downstream of those given (--cascade) and returns all
// of them in topological order (ties by number).
std::vector<const ProcessorInfo*> WithDownstream(const std::vector<const ProcessorInfo*>& processors);
std::vector<const ProcessorInfo*> TopologicalOrder(std::vector<const ProcessorInfo*> processors);

}  // namespace nbapc::backfill
