#pragma once
// `nba-precompute report` (spec/validation.md §8): one self-contained HTML5
// file rendered from the warehouse — header, coverage calendars, failures,
// feature distributions and run timings. Read-only: one read transaction
// (consistent snapshot), no writes, no lock.
//
// Deterministic: the same warehouse content and options give byte-identical
// output except the single generation-time line.

#include <optional>
#include <string>

#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::report {

struct ReportOptions {
  // Range; unset = first / last game date before today in the schedule (as
  // validate, validation.md §1).
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  // Processor name, alias or "all" (backfill.md §3).
  std::string processor = "all";
  // Page title (--title).
  std::string title = "nba-precompute report";
  // "Today" (README §8.6) for the calendar and the default range.
  Date today;
  // Generation time shown in the header (UTC timestamp text); the only
  // content that may differ between two renders of the same warehouse.
  std::string generated_at;
};

// Renders the report. Errors: kInvalidArgument (unknown processor, end
// before start), kFailedPrecondition (no schedule and no PGS rows without an
// explicit range), store errors as returned by the warehouse.
Result<std::string> RenderReport(store::Warehouse& warehouse, const ReportOptions& options);

// The generation-time line as written into the document (one line, so that
// byte comparisons can drop it).
std::string GenerationLine(const std::string& generated_at);

}  // namespace nbapc::report
