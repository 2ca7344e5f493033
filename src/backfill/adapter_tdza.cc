// Runner adapter of team_defense_zone_analysis (spec/tdza.md).
#include <fmt/format.h>

#include "backfill/prepared.h"
#include "processors/tdza.h"

namespace nbapc::backfill {
namespace {

class TdzaPrepared final : public PreparedProcessor {
 public:
  TdzaPrepared(std::span<const TeamDefenseGame> rows, const SeasonCalendar& calendar)
      : processor_(rows, &calendar), table_(*store::FindTable("nba_precompute.team_defense_zone_analysis")) {}

  DateComputation Compute(Date date) const override {
    processors::TdzaDateResult result = processor_.ComputeDate(date);
    DateComputation out;
    out.outcome = result.outcome;
    if (!result.outcome.ok()) return out;
    AddOutputRows(
        table_, result.rows, [](const processors::TdzaRow& row) -> const std::string& { return row.team_abbr; }, &out);
    if (!out.outcome.ok()) return out;
    out.exclusions = std::move(result.exclusions);
    out.stats["teams_processed"] = result.stats.teams_processed;
    out.stats["teams_insufficient"] = result.stats.teams_insufficient;
    out.stats["league_avg_teams_in_sample"] = result.stats.league_avg_teams_in_sample;
    out.stats["league_avg_is_default"] = result.stats.league_avg_is_default;
    out.info_lines.push_back("  " + processors::TdzaLeagueLogLine(result.league));
    return out;
  }

  processors::Trace Trace(Date date, const std::string& entity) const override {
    return processor_.TraceEntity(date, entity);
  }

 private:
  processors::TdzaProcessor processor_;
  const store::TableDef& table_;
};

}  // namespace

Result<std::unique_ptr<PreparedProcessor>> PrepareTdza(PrepareContext& context) {
  NBAPC_ASSIGN_OR_RETURN(const auto* rows, context.inputs.TeamDefense());
  return std::unique_ptr<PreparedProcessor>(std::make_unique<TdzaPrepared>(*rows, context.calendar));
}

}  // namespace nbapc::backfill
