#pragma once
// `nba-precompute status` (spec/backfill.md §2.2): warehouse, inputs,
// per-processor coverage from run history, stale dates, checkpoints, locks.
// Read-only, no lock.

#include <string>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

struct StatusReportOptions {
  Date start;
  Date end;
  std::string checkpoint_dir;
};

// Builds the report as JSON (the text form is rendered from it).
Result<nlohmann::ordered_json> BuildStatusReport(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                                 const StatusReportOptions& options);
std::string RenderStatusText(const nlohmann::ordered_json& report);

}  // namespace nbapc::backfill
