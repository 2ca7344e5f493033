// Runner adapter of ml_feature_store (spec/mlfs.md).
#include <fmt/format.h>

#include "backfill/prepared.h"
#include "backfill/stored_rows.h"
#include "core/numbers.h"
#include "processors/mlfs.h"

namespace nbapc::backfill {
namespace {

using processors::MlfsPcfInput;
using processors::MlfsPdcInput;
using processors::MlfsPszaInput;
using processors::MlfsTdzaInput;

// mlfs.md §4: the Phase 4 columns MLFS reads.
const StoredProjection<MlfsPdcInput>& PdcProjection() {
  static const StoredProjection<MlfsPdcInput> kProjection{
      "nba_precompute.player_daily_cache",
      "cache_date",
      {"player_lookup", "cache_date", "points_avg_last_5", "points_avg_last_10", "points_avg_season",
       "points_std_last_10", "games_in_last_7_days", "minutes_avg_last_10", "team_pace_last_10",
       "team_off_rating_last_10"},
      [](const Row& row, MlfsPdcInput* out) {
        out->player_lookup = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->cache_date, CellDate(row[1]));
        out->points_avg_last_5 = CellDouble(row[2]);
        out->points_avg_last_10 = CellDouble(row[3]);
        out->points_avg_season = CellDouble(row[4]);
        out->points_std_last_10 = CellDouble(row[5]);
        out->games_in_last_7_days = CellInt(row[6]);
        out->minutes_avg_last_10 = CellDouble(row[7]);
        out->team_pace_last_10 = CellDouble(row[8]);
        out->team_off_rating_last_10 = CellDouble(row[9]);
        return Status::Ok();
      }};
  return kProjection;
}

const StoredProjection<MlfsPcfInput>& PcfProjection() {
  static const StoredProjection<MlfsPcfInput> kProjection{
      "nba_precompute.player_composite_factors",
      "game_date",
      {"player_lookup", "game_date", "fatigue_score", "shot_zone_mismatch_score", "pace_score", "usage_spike_score"},
      [](const Row& row, MlfsPcfInput* out) {
        out->player_lookup = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->game_date, CellDate(row[1]));
        out->fatigue_score = CellInt(row[2]);
        out->shot_zone_mismatch_score = CellDouble(row[3]);
        out->pace_score = CellDouble(row[4]);
        out->usage_spike_score = CellDouble(row[5]);
        return Status::Ok();
      }};
  return kProjection;
}

const StoredProjection<MlfsPszaInput>& PszaProjection() {
  static const StoredProjection<MlfsPszaInput> kProjection{
      "nba_precompute.player_shot_zone_analysis",
      "analysis_date",
      {"player_lookup", "analysis_date", "paint_rate_last_10", "mid_range_rate_last_10", "three_pt_rate_last_10"},
      [](const Row& row, MlfsPszaInput* out) {
        out->player_lookup = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
        out->paint_rate_last_10 = CellDouble(row[2]);
        out->mid_range_rate_last_10 = CellDouble(row[3]);
        out->three_pt_rate_last_10 = CellDouble(row[4]);
        return Status::Ok();
      }};
  return kProjection;
}

const StoredProjection<MlfsTdzaInput>& TdzaProjection() {
  static const StoredProjection<MlfsTdzaInput> kProjection{
      "nba_precompute.team_defense_zone_analysis",
      "analysis_date",
      {"team_abbr", "analysis_date", "defensive_rating_last_15", "opponent_pace"},
      [](const Row& row, MlfsTdzaInput* out) {
        out->team_abbr = CellText(row[0]).value_or("");
        NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
        out->defensive_rating_last_15 = CellDouble(row[2]);
        out->opponent_pace = CellDouble(row[3]);
        return Status::Ok();
      }};
  return kProjection;
}

class MlfsPrepared final : public PreparedProcessor {
 public:
  MlfsPrepared(std::vector<MlfsPdcInput> pdc, std::vector<MlfsPcfInput> pcf, std::vector<MlfsPszaInput> psza,
               std::vector<MlfsTdzaInput> tdza, processors::MlfsInputs inputs, const SeasonCalendar& calendar)
      : pdc_(std::move(pdc)),
        pcf_(std::move(pcf)),
        psza_(std::move(psza)),
        tdza_(std::move(tdza)),
        processor_(WithUpstreams(inputs), calendar),
        table_(*store::FindTable("nba_predictions.ml_feature_store_v2")) {}

  DateComputation Compute(Date date) const override {
    processors::MlfsDateResult result = processor_.ComputeDate(date);
    DateComputation out;
    out.outcome = result.outcome;
    if (!result.outcome.ok()) return out;
    AddOutputRows(
        table_, result.rows, [](const processors::MlfsRow& row) -> const std::string& { return row.player_lookup; },
        &out);
    if (!out.outcome.ok()) return out;
    const processors::MlfsDateStats& stats = result.stats;
    out.stats["players"] = stats.players;
    out.stats["rows"] = stats.rows;
    out.stats["feature_version"] = stats.feature_version;
    out.stats["avg_quality"] =
        stats.avg_quality ? nlohmann::ordered_json(*stats.avg_quality) : nlohmann::ordered_json();
    out.stats["quality_tiers"] = stats.quality_tiers;
    out.stats["data_sources"] = stats.data_sources;
    out.stats["default_features"] = stats.default_features;
    out.stats["issues"] = stats.issues;
    out.stats["production_ready"] = stats.production_ready;
    out.detail = fmt::format("version={}", stats.feature_version);
    return out;
  }

  processors::Trace Trace(Date date, const std::string& entity) const override {
    return processor_.TraceEntity(date, entity);
  }

  void ReserveFeedDates(const std::vector<Date>& dates) { processor_.ReserveUpstreamDates(dates); }

  Status AcceptUpstream(const std::string& upstream, Date date, const std::vector<Row>& rows) override {
    if (upstream == "player_daily_cache") {
      NBAPC_ASSIGN_OR_RETURN(auto items, PdcProjection().FromRows(rows));
      processor_.SetPdcRows(date, std::move(items));
    } else if (upstream == "player_composite_factors") {
      NBAPC_ASSIGN_OR_RETURN(auto items, PcfProjection().FromRows(rows));
      processor_.SetPcfRows(date, std::move(items));
    } else if (upstream == "player_shot_zone_analysis") {
      NBAPC_ASSIGN_OR_RETURN(auto items, PszaProjection().FromRows(rows));
      processor_.SetPszaRows(date, std::move(items));
    } else if (upstream == "team_defense_zone_analysis") {
      NBAPC_ASSIGN_OR_RETURN(auto items, TdzaProjection().FromRows(rows));
      processor_.SetTdzaRows(date, std::move(items));
    }
    return Status::Ok();
  }

 private:
  processors::MlfsInputs WithUpstreams(processors::MlfsInputs inputs) const {
    inputs.pdc = pdc_;
    inputs.pcf = pcf_;
    inputs.psza = psza_;
    inputs.tdza = tdza_;
    return inputs;
  }

  std::vector<MlfsPdcInput> pdc_;
  std::vector<MlfsPcfInput> pcf_;
  std::vector<MlfsPszaInput> psza_;
  std::vector<MlfsTdzaInput> tdza_;
  processors::MlfsProcessor processor_;
  const store::TableDef& table_;
};

}  // namespace

Result<std::unique_ptr<PreparedProcessor>> PrepareMlfs(PrepareContext& context) {
  store::Warehouse& wh = context.warehouse;
  std::vector<MlfsPdcInput> pdc;
  std::vector<MlfsPcfInput> pcf;
  std::vector<MlfsPszaInput> psza;
  std::vector<MlfsTdzaInput> tdza;
  if (!context.InMemory("player_daily_cache")) {
    NBAPC_ASSIGN_OR_RETURN(pdc, PdcProjection().Load(wh, context.start, context.end));
  }
  if (!context.InMemory("player_composite_factors")) {
    NBAPC_ASSIGN_OR_RETURN(pcf, PcfProjection().Load(wh, context.start, context.end));
  }
  if (!context.InMemory("player_shot_zone_analysis")) {
    NBAPC_ASSIGN_OR_RETURN(psza, PszaProjection().Load(wh, context.start, context.end));
  }
  if (!context.InMemory("team_defense_zone_analysis")) {
    NBAPC_ASSIGN_OR_RETURN(tdza, TdzaProjection().Load(wh, context.start, context.end));
  }
  NBAPC_ASSIGN_OR_RETURN(const auto* pgs, context.inputs.PlayerGames());
  NBAPC_ASSIGN_OR_RETURN(const auto* togs, context.inputs.TeamOffense());
  NBAPC_ASSIGN_OR_RETURN(const auto* upgc, context.inputs.UpcomingPlayers());
  NBAPC_ASSIGN_OR_RETURN(const auto* schedule, context.inputs.Schedule());
  processors::MlfsInputs inputs;
  inputs.player_games = *pgs;
  inputs.team_offense_games = *togs;
  inputs.player_contexts = *upgc;
  inputs.schedule = *schedule;
  auto prepared = std::make_unique<MlfsPrepared>(std::move(pdc), std::move(pcf), std::move(psza), std::move(tdza),
                                                 inputs, context.calendar);
  prepared->ReserveFeedDates(context.feed_dates);
  return std::unique_ptr<PreparedProcessor>(std::move(prepared));
}

}  // namespace nbapc::backfill
