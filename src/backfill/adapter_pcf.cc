// Runner adapter of player_composite_factors (spec/pcf.md).
#include <set>

#include <fmt/format.h>

#include "backfill/preflight.h"
#include "backfill/prepared.h"
#include "backfill/stored_rows.h"
#include "processors/pcf.h"

namespace nbapc::backfill {
namespace {

using processors::PcfShotZoneInput;
using processors::PcfTeamDefenseInput;

// pcf.md §3: the TDZA and PSZA columns PCF reads.
const StoredProjection<PcfTeamDefenseInput>& TeamDefenseProjection() {
  static const StoredProjection<PcfTeamDefenseInput> kProjection{
      "nba_precompute.team_defense_zone_analysis",
      "analysis_date",
      {"team_abbr", "analysis_date", "paint_defense_vs_league_avg", "mid_range_defense_vs_league_avg",
       "three_pt_defense_vs_league_avg", "weakest_zone"},
      [](const Row& row, PcfTeamDefenseInput* out) {
        out->team_abbr = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
        out->paint_defense_vs_league_avg = CellDouble(row[2]);
        out->mid_range_defense_vs_league_avg = CellDouble(row[3]);
        out->three_pt_defense_vs_league_avg = CellDouble(row[4]);
        out->weakest_zone = CellText(row[5]);
        return Status::Ok();
      }};
  return kProjection;
}

const StoredProjection<PcfShotZoneInput>& ShotZoneProjection() {
  static const StoredProjection<PcfShotZoneInput> kProjection{
      "nba_precompute.player_shot_zone_analysis",
      "analysis_date",
      {"player_lookup", "analysis_date", "primary_scoring_zone", "paint_rate_last_10", "mid_range_rate_last_10",
       "three_pt_rate_last_10"},
      [](const Row& row, PcfShotZoneInput* out) {
        out->player_lookup = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
        out->primary_scoring_zone = CellText(row[2]);
        out->paint_rate_last_10 = CellDouble(row[3]);
        out->mid_range_rate_last_10 = CellDouble(row[4]);
        out->three_pt_rate_last_10 = CellDouble(row[5]);
        return Status::Ok();
      }};
  return kProjection;
}

class PcfPrepared final : public PreparedProcessor {
 public:
  PcfPrepared(std::vector<PcfTeamDefenseInput> tdza, std::vector<PcfShotZoneInput> psza, std::vector<Date> tdza_success,
              std::vector<Date> psza_success, processors::PcfInputs inputs, const SeasonCalendar& calendar)
      : tdza_(std::move(tdza)),
        psza_(std::move(psza)),
        tdza_success_(std::move(tdza_success)),
        psza_success_(std::move(psza_success)),
        processor_(WithUpstreams(inputs), calendar),
        table_(*store::FindTable("nba_precompute.player_composite_factors")) {}

  DateComputation Compute(Date date) const override {
    processors::PcfDateResult result = processor_.ComputeDate(date);
    DateComputation out;
    out.outcome = result.outcome;
    if (!result.outcome.ok()) return out;
    AddOutputRows(
        table_, result.rows, [](const processors::PcfRow& row) -> const std::string& { return row.player_lookup; },
        &out);
    if (!out.outcome.ok()) return out;
    out.stats["players_processed"] = result.stats.players_processed;
    out.stats["players_upcoming_context"] = result.stats.players_upcoming_context;
    out.stats["players_synthetic_context"] = result.stats.players_synthetic_context;
    out.detail = fmt::format("context upcoming {}, synthetic {}", result.stats.players_upcoming_context,
                             result.stats.players_synthetic_context);
    if (result.stats.players_synthetic_context > 0) {
      // pcf.md §4: logged whenever synthetic contexts were built.
      out.info_lines.push_back(fmt::format("  Generated {} synthetic player contexts (of {} players) for {}",
                                           result.stats.players_synthetic_context, result.stats.players_processed,
                                           date.ToString()));
    }
    return out;
  }

  processors::Trace Trace(Date date, const std::string& entity) const override {
    return processor_.TraceEntity(date, entity);
  }

  void ReserveFeedDates(const std::vector<Date>& dates) { processor_.ReserveUpstreamDates(dates); }

  Status AcceptUpstream(const std::string& upstream, Date date, const std::vector<Row>& rows) override {
    if (upstream == "team_defense_zone_analysis") {
      NBAPC_ASSIGN_OR_RETURN(auto items, TeamDefenseProjection().FromRows(rows));
      processor_.SetTeamDefenseRows(date, std::move(items), true);
    } else if (upstream == "player_shot_zone_analysis") {
      NBAPC_ASSIGN_OR_RETURN(auto items, ShotZoneProjection().FromRows(rows));
      processor_.SetShotZoneRows(date, std::move(items), true);
    }
    return Status::Ok();
  }

 private:
  processors::PcfInputs WithUpstreams(processors::PcfInputs inputs) const {
    inputs.tdza = tdza_;
    inputs.psza = psza_;
    inputs.tdza_success_dates = tdza_success_;
    inputs.psza_success_dates = psza_success_;
    return inputs;
  }

  std::vector<PcfTeamDefenseInput> tdza_;
  std::vector<PcfShotZoneInput> psza_;
  std::vector<Date> tdza_success_;
  std::vector<Date> psza_success_;
  processors::PcfProcessor processor_;
  const store::TableDef& table_;
};

}  // namespace

Result<std::unique_ptr<PreparedProcessor>> PreparePcf(PrepareContext& context) {
  // An upstream handed over in memory brings its rows and its successes of
  // every date PCF computes (AcceptUpstream): nothing of it is read here.
  std::vector<PcfTeamDefenseInput> tdza;
  std::vector<PcfShotZoneInput> psza;
  std::set<Date> tdza_success;
  std::set<Date> psza_success;
  if (!context.InMemory("team_defense_zone_analysis")) {
    NBAPC_ASSIGN_OR_RETURN(tdza, TeamDefenseProjection().Load(context.warehouse, context.start, context.end));
    NBAPC_ASSIGN_OR_RETURN(tdza_success, DatesWithSuccess(context.warehouse, "team_defense_zone_analysis",
                                                          context.start, context.end));
  }
  if (!context.InMemory("player_shot_zone_analysis")) {
    NBAPC_ASSIGN_OR_RETURN(psza, ShotZoneProjection().Load(context.warehouse, context.start, context.end));
    NBAPC_ASSIGN_OR_RETURN(psza_success, DatesWithSuccess(context.warehouse, "player_shot_zone_analysis",
                                                          context.start, context.end));
  }
  NBAPC_ASSIGN_OR_RETURN(const auto* pgs, context.inputs.PlayerGames());
  NBAPC_ASSIGN_OR_RETURN(const auto* togs, context.inputs.TeamOffense());
  NBAPC_ASSIGN_OR_RETURN(const auto* upgc, context.inputs.UpcomingPlayers());
  NBAPC_ASSIGN_OR_RETURN(const auto* schedule, context.inputs.Schedule());
  processors::PcfInputs inputs;
  inputs.pgs = *pgs;
  inputs.togs = *togs;
  inputs.upgc = *upgc;
  inputs.schedule = *schedule;
  auto prepared = std::make_unique<PcfPrepared>(
      std::move(tdza), std::move(psza), std::vector<Date>(tdza_success.begin(), tdza_success.end()),
      std::vector<Date>(psza_success.begin(), psza_success.end()), inputs, context.calendar);
  prepared->ReserveFeedDates(context.feed_dates);
  return std::unique_ptr<PreparedProcessor>(std::move(prepared));
}

}  // namespace nbapc::backfill
