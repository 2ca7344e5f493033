#pragma once
// `nba-precompute explain` (spec/backfill.md §2.4): how a date, or one row,
// was (or would be) computed. Recomputes from the warehouse with the same
// adapters the runner uses; writes nothing.

#include <string>

#include <nlohmann/json.hpp>

#include "backfill/registry.h"
#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

struct ExplainOptions {
  const ProcessorInfo* processor = nullptr;
  Date date;
  std::string entity;  // player_lookup or team_abbr; "" = the date only
  Date today;
};

struct ExplainResult {
  nlohmann::ordered_json report;
  bool computed = true;  // false: the entity could not be computed (reason in the report)
};

Result<ExplainResult> Explain(store::Warehouse& warehouse, const ExplainOptions& options);
std::string RenderExplainText(const nlohmann::ordered_json& report);

}  // namespace nbapc::backfill
