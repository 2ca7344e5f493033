// Runner adapter of player_daily_cache (spec/pdc.md).
#include <fmt/format.h>

#include "backfill/prepared.h"
#include "backfill/stored_rows.h"
#include "processors/pdc.h"

namespace nbapc::backfill {
namespace {

using processors::PdcShotZoneInput;

// pdc.md §4: the PSZA columns PDC reads.
const StoredProjection<PdcShotZoneInput>& ShotZoneProjection() {
  static const StoredProjection<PdcShotZoneInput> kProjection{
      "nba_precompute.player_shot_zone_analysis",
      "analysis_date",
      {"player_lookup", "analysis_date", "primary_scoring_zone", "paint_rate_last_10", "three_pt_rate_last_10"},
      [](const Row& row, PdcShotZoneInput* out) {
        out->player_lookup = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
        out->primary_scoring_zone = CellText(row[2]);
        out->paint_rate_last_10 = CellDouble(row[3]);
        out->three_pt_rate_last_10 = CellDouble(row[4]);
        return Status::Ok();
      }};
  return kProjection;
}

class PdcPrepared final : public PreparedProcessor {
 public:
  PdcPrepared(std::vector<PdcShotZoneInput> psza, std::span<const PlayerGame> pgs,
              std::span<const TeamOffenseGame> togs, std::span<const UpcomingPlayerContext> upgc,
              std::span<const ScheduleGame> schedule, const SeasonCalendar& calendar)
      : psza_(std::move(psza)),
        processor_(pgs, togs, upgc, psza_, schedule, calendar),
        table_(*store::FindTable("nba_precompute.player_daily_cache")) {}

  DateComputation Compute(Date date) const override {
    processors::PdcDateResult result = processor_.ComputeDate(date);
    DateComputation out;
    out.outcome = result.outcome;
    if (!result.outcome.ok()) return out;
    AddOutputRows(
        table_, result.rows, [](const processors::PdcRow& row) -> const std::string& { return row.player_lookup; },
        &out);
    if (!out.outcome.ok()) return out;
    out.exclusions = std::move(result.exclusions);
    const processors::PdcDateStats& stats = result.stats;
    out.stats["players"] = stats.players;
    out.stats["rows"] = stats.rows;
    out.stats["excluded_insufficient_data"] = stats.excluded_insufficient_data;
    out.stats["synthetic_context"] = stats.synthetic_context;
    out.stats["early_season"] = stats.early_season;
    out.stats["no_shot_zone"] = stats.no_shot_zone;
    out.stats["production_ready"] = stats.production_ready;
    return out;
  }

  processors::Trace Trace(Date date, const std::string& entity) const override {
    return processor_.TraceEntity(date, entity);
  }

  void ReserveFeedDates(const std::vector<Date>& dates) { processor_.ReserveShotZoneDates(dates); }

  Status AcceptUpstream(const std::string& upstream, Date date, const std::vector<Row>& rows) override {
    if (upstream != "player_shot_zone_analysis") return Status::Ok();
    NBAPC_ASSIGN_OR_RETURN(auto items, ShotZoneProjection().FromRows(rows));
    processor_.SetShotZoneRows(date, std::move(items));
    return Status::Ok();
  }

 private:
  std::vector<PdcShotZoneInput> psza_;
  processors::PdcProcessor processor_;
  const store::TableDef& table_;
};

}  // namespace

Result<std::unique_ptr<PreparedProcessor>> PreparePdc(PrepareContext& context) {
  std::vector<PdcShotZoneInput> psza;
  if (!context.InMemory("player_shot_zone_analysis")) {
    NBAPC_ASSIGN_OR_RETURN(psza, ShotZoneProjection().Load(context.warehouse, context.start, context.end));
  }
  NBAPC_ASSIGN_OR_RETURN(const auto* pgs, context.inputs.PlayerGames());
  NBAPC_ASSIGN_OR_RETURN(const auto* togs, context.inputs.TeamOffense());
  NBAPC_ASSIGN_OR_RETURN(const auto* upgc, context.inputs.UpcomingPlayers());
  NBAPC_ASSIGN_OR_RETURN(const auto* schedule, context.inputs.Schedule());
  auto prepared = std::make_unique<PdcPrepared>(std::move(psza), *pgs, *togs, *upgc, *schedule, context.calendar);
  prepared->ReserveFeedDates(context.feed_dates);
  return std::unique_ptr<PreparedProcessor>(std::move(prepared));
}

}  // namespace nbapc::backfill
