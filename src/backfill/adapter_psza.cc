// Runner adapter of player_shot_zone_analysis (spec/psza.md).
#include <fmt/format.h>

#include "backfill/prepared.h"
#include "processors/psza.h"

namespace nbapc::backfill {
namespace {

class PszaPrepared final : public PreparedProcessor {
 public:
  PszaPrepared(std::span<const PlayerGame> rows, const SeasonCalendar& calendar)
      : processor_(rows, &calendar), table_(*store::FindTable("nba_precompute.player_shot_zone_analysis")) {}

  DateComputation Compute(Date date) const override {
    processors::PszaDateResult result = processor_.ComputeDate(date);
    DateComputation out;
    out.outcome = result.outcome;
    if (!result.outcome.ok()) return out;
    AddOutputRows(
        table_, result.rows, [](const processors::PszaRow& row) -> const std::string& { return row.player_lookup; },
        &out);
    if (!out.outcome.ok()) return out;
    out.exclusions = std::move(result.exclusions);
    out.stats["players_processed"] = result.players_processed;
    out.stats["players_insufficient"] = result.players_insufficient;
    return out;
  }

  processors::Trace Trace(Date date, const std::string& entity) const override {
    return processor_.TraceEntity(date, entity);
  }

 private:
  processors::PszaProcessor processor_;
  const store::TableDef& table_;
};

}  // namespace

Result<std::unique_ptr<PreparedProcessor>> PreparePsza(PrepareContext& context) {
  NBAPC_ASSIGN_OR_RETURN(const auto* rows, context.inputs.PlayerGames());
  return std::unique_ptr<PreparedProcessor>(std::make_unique<PszaPrepared>(*rows, context.calendar));
}

}  // namespace nbapc::backfill
