#pragma once
// The runner's view of a processor: built once per run from the loaded
// inputs (Prepare), then asked for one date at a time (Compute, thread-safe).
// Adapters (adapter_<alias>.cc) turn a processor's typed result into stored
// rows; the processors themselves stay pure (conventions: the runner loads,
// the processor computes, the runner writes).

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backfill/inputs.h"
#include "backfill/registry.h"
#include "core/calendar.h"
#include "processors/common.h"
#include "store/schema.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

struct DateComputation {
  processors::DateOutcome outcome;
  std::vector<Row> rows;  // output table column order, complete (processed_at, engine_version set)
  std::string output_hash;  // backfill.md §14.1, of the rows (success)
  std::vector<processors::EntityExclusion> exclusions;
  // The exclusions as precompute_failures rows (filled by the runner on the
  // computing thread, so the writing thread only writes them).
  std::vector<Row> failure_rows;
  nlohmann::ordered_json stats = nlohmann::ordered_json::object();
  std::string detail;                   // success-line detail (processor file), "" for none
  std::vector<std::string> info_lines;  // extra INFO lines (e.g. TDZA league averages)
};

class PreparedProcessor {
 public:
  virtual ~PreparedProcessor() = default;
  // Thread-safe; never touches the warehouse.
  virtual DateComputation Compute(Date date) const = 0;
  // The formula steps of one entity's row for `date` (explain); empty when
  // the processor has no trace or the entity gets no row. Thread-safe.
  virtual processors::Trace Trace(Date /*date*/, const std::string& /*entity*/) const { return {}; }
  // The pipelined cascade: `upstream` (a processor name) wrote `date` in this
  // run, successfully, with `rows` (its output table's columns, as
  // inserted). The processor takes them as its stored upstream rows of that
  // date. Called for dates in PrepareContext::feed_dates only, never while
  // Compute(date) runs (other dates may compute meanwhile).
  virtual Status AcceptUpstream(const std::string& /*upstream*/, Date /*date*/, const std::vector<Row>& /*rows*/) {
    return Status::Ok();
  }
};

struct PrepareContext {
  store::Warehouse& warehouse;
  InputStore& inputs;
  const SeasonCalendar& calendar;
  Date start;  // first date of the run
  Date end;    // last date of the run
  // The pipelined cascade (empty otherwise): upstream processors of this
  // run that write every date this processor will compute, so their rows
  // arrive through AcceptUpstream and are not read from the store...
  std::set<std::string> upstreams_in_memory;
  // ...and the dates AcceptUpstream may be called for.
  std::vector<Date> feed_dates;

  bool InMemory(const std::string& upstream) const { return upstreams_in_memory.count(upstream) > 0; }
};

// Loads (and checks, inputs.md §4.8) every Phase 3 table the processor
// reads, so a run can refuse bad input before it writes any date.
Status LoadInputsOf(const ProcessorInfo& info, InputStore& inputs);

// Loads what the processor reads (each input once) and builds it.
Result<std::unique_ptr<PreparedProcessor>> Prepare(const ProcessorInfo& info, PrepareContext& context);

// Builds a complete output row from a processor's (column, value) pairs:
// cells in `table` column order, processed_at and engine_version filled.
// An unknown or missing NOT NULL column, or a non-finite double, is an
// Internal error (a bug: the date fails with internal_error).
// The values are moved into the row (text cells are not copied).
Result<Row> ToOutputRow(const store::TableDef& table, processors::NamedValues&& values,
                        const std::string& processed_at);

// Fills `out` with the stored form of a processor's typed rows (its
// ToNamedValues in column order) and their output hash; a row
// that cannot be stored fails the date with internal_error (a bug).
// `entity` returns a reference to the row's entity key.
// backfill.md §14.1: 16 hex of SHA-256 over "<entity>\t<data_hash>\n" of
// the date's rows in key byte order.
std::string OutputHash(std::vector<std::pair<std::string_view, std::string_view>> entity_hashes);

template <typename TypedRow, typename EntityFn>
void AddOutputRows(const store::TableDef& table, const std::vector<TypedRow>& rows, EntityFn entity,
                   DateComputation* out) {
  std::string processed_at = NowUtcTimestamp();
  out->rows.reserve(rows.size());
  std::vector<std::pair<std::string_view, std::string_view>> entity_hashes;  // views into `rows`
  entity_hashes.reserve(rows.size());
  for (const TypedRow& row : rows) {
    auto stored = ToOutputRow(table, ToNamedValues(row), processed_at);
    if (!stored.ok()) {
      out->outcome = {processors::DateStatus::kFailed, "internal_error",
                      "internal_error: " + entity(row) + ": " + stored.status().message()};
      out->rows.clear();
      return;
    }
    out->rows.push_back(std::move(*stored));
    entity_hashes.emplace_back(entity(row), row.data_hash);
  }
  out->output_hash = OutputHash(std::move(entity_hashes));
}

// The adapters, one per processor (adapter_<alias>.cc).
Result<std::unique_ptr<PreparedProcessor>> PrepareTdza(PrepareContext& context);
Result<std::unique_ptr<PreparedProcessor>> PreparePsza(PrepareContext& context);
Result<std::unique_ptr<PreparedProcessor>> PreparePdc(PrepareContext& context);
Result<std::unique_ptr<PreparedProcessor>> PreparePcf(PrepareContext& context);
Result<std::unique_ptr<PreparedProcessor>> PrepareMlfs(PrepareContext& context);

}  // namespace nbapc::backfill
