// Compute-only benchmarks of the five processors over the full default demo
// range (2021-10-19..2026-01-02): building each processor from the in-memory
// inputs and computing every non-bootstrap game date on one thread. Upstream
// Phase 4 inputs are taken from the upstream processors' rows computed first
// (the values the runner would store and read back). No I/O is timed.
#include <benchmark/benchmark.h>

#include <memory>

#include "core/calendar.h"
#include "demo/generator.h"
#include "processors/mlfs.h"
#include "processors/pcf.h"
#include "processors/pdc.h"
#include "processors/psza.h"
#include "processors/tdza.h"

namespace nbapc {
namespace {

using namespace processors;  // NOLINT: bench-local brevity

struct World {
  demo::DemoData data;
  std::unique_ptr<SeasonCalendar> calendar;
  std::vector<Date> dates;  // non-bootstrap game dates of the default range
  std::vector<TdzaRow> tdza;
  std::vector<PszaRow> psza;
  std::vector<PdcRow> pdc;
  std::vector<PcfRow> pcf;
};

World& GetWorld() {
  static World* world = [] {
    auto* w = new World();
    w->data = demo::GenerateDemoData(demo::DemoOptions{}).value();
    w->calendar = std::make_unique<SeasonCalendar>(w->data.schedule, std::vector<Date>{}, Date::FromYmd(2026, 1, 3).value());
    for (Date date : w->calendar->PlanRange(Date::FromYmd(2021, 10, 19).value(), Date::FromYmd(2026, 1, 2).value()).game_dates) {
      if (!w->calendar->IsBootstrap(date)) w->dates.push_back(date);
    }
    return w;
  }();
  return *world;
}

void BM_Tdza(benchmark::State& state) {
  World& w = GetWorld();
  for (auto _ : state) {
    TdzaProcessor processor(w.data.team_defense, w.calendar.get());
    size_t rows = 0;
    std::vector<TdzaRow> all;
    for (Date date : w.dates) {
      auto result = processor.ComputeDate(date);
      rows += result.rows.size();
      all.insert(all.end(), result.rows.begin(), result.rows.end());
    }
    w.tdza = std::move(all);
    state.counters["rows"] = static_cast<double>(rows);
  }
}

void BM_Psza(benchmark::State& state) {
  World& w = GetWorld();
  for (auto _ : state) {
    PszaProcessor processor(w.data.player_games, w.calendar.get());
    std::vector<PszaRow> all;
    for (Date date : w.dates) {
      auto result = processor.ComputeDate(date);
      all.insert(all.end(), std::make_move_iterator(result.rows.begin()), std::make_move_iterator(result.rows.end()));
    }
    state.counters["rows"] = static_cast<double>(all.size());
    w.psza = std::move(all);
  }
}

void BM_Pdc(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<PdcShotZoneInput> psza;
  for (const PszaRow& row : w.psza) {
    psza.push_back({row.player_lookup, row.analysis_date, row.primary_scoring_zone, row.paint_rate_last_10,
                    row.three_pt_rate_last_10});
  }
  for (auto _ : state) {
    PdcProcessor processor(w.data.player_games, w.data.team_offense, w.data.upcoming_player, psza, w.data.schedule,
                           *w.calendar);
    std::vector<PdcRow> all;
    for (Date date : w.dates) {
      auto result = processor.ComputeDate(date);
      all.insert(all.end(), std::make_move_iterator(result.rows.begin()), std::make_move_iterator(result.rows.end()));
    }
    state.counters["rows"] = static_cast<double>(all.size());
    w.pdc = std::move(all);
  }
}

void BM_Pcf(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<PcfTeamDefenseInput> tdza;
  for (const TdzaRow& row : w.tdza) {
    tdza.push_back({row.team_abbr, row.analysis_date, row.paint_defense_vs_league_avg,
                    row.mid_range_defense_vs_league_avg, row.three_pt_defense_vs_league_avg, row.weakest_zone});
  }
  std::vector<PcfShotZoneInput> psza;
  for (const PszaRow& row : w.psza) {
    psza.push_back({row.player_lookup, row.analysis_date, row.primary_scoring_zone, row.paint_rate_last_10,
                    row.mid_range_rate_last_10, row.three_pt_rate_last_10});
  }
  PcfInputs inputs;
  inputs.pgs = w.data.player_games;
  inputs.togs = w.data.team_offense;
  inputs.upgc = w.data.upcoming_player;
  inputs.schedule = w.data.schedule;
  inputs.tdza = tdza;
  inputs.psza = psza;
  for (auto _ : state) {
    PcfProcessor processor(inputs, *w.calendar);
    std::vector<PcfRow> all;
    for (Date date : w.dates) {
      auto result = processor.ComputeDate(date);
      all.insert(all.end(), std::make_move_iterator(result.rows.begin()), std::make_move_iterator(result.rows.end()));
    }
    state.counters["rows"] = static_cast<double>(all.size());
    w.pcf = std::move(all);
  }
}

void BM_Mlfs(benchmark::State& state) {
  World& w = GetWorld();
  std::vector<MlfsPdcInput> pdc;
  for (const PdcRow& row : w.pdc) {
    pdc.push_back({row.player_lookup, row.cache_date, row.points_avg_last_5, row.points_avg_last_10,
                   row.points_avg_season, row.points_std_last_10, row.games_in_last_7_days, row.minutes_avg_last_10,
                   row.team_pace_last_10, row.team_off_rating_last_10});
  }
  std::vector<MlfsPcfInput> pcf;
  for (const PcfRow& row : w.pcf) {
    pcf.push_back({row.player_lookup, row.game_date, row.fatigue_score, row.shot_zone_mismatch_score, row.pace_score,
                   row.usage_spike_score});
  }
  std::vector<MlfsPszaInput> psza;
  for (const PszaRow& row : w.psza) {
    psza.push_back({row.player_lookup, row.analysis_date, row.paint_rate_last_10, row.mid_range_rate_last_10,
                    row.three_pt_rate_last_10});
  }
  std::vector<MlfsTdzaInput> tdza;
  for (const TdzaRow& row : w.tdza) {
    tdza.push_back({row.team_abbr, row.analysis_date, row.defensive_rating_last_15, row.opponent_pace});
  }
  MlfsInputs inputs;
  inputs.player_games = w.data.player_games;
  inputs.team_offense_games = w.data.team_offense;
  inputs.player_contexts = w.data.upcoming_player;
  inputs.schedule = w.data.schedule;
  inputs.pdc = pdc;
  inputs.pcf = pcf;
  inputs.psza = psza;
  inputs.tdza = tdza;
  for (auto _ : state) {
    MlfsProcessor processor(inputs, *w.calendar);
    size_t rows = 0;
    for (Date date : w.dates) rows += processor.ComputeDate(date).rows.size();
    state.counters["rows"] = static_cast<double>(rows);
  }
}

void BM_DemoData(benchmark::State& state) {
  for (auto _ : state) {
    auto data = demo::GenerateDemoData(demo::DemoOptions{});
    benchmark::DoNotOptimize(data);
  }
}

// Registered in cascade order: each processor's rows feed the next ones.
BENCHMARK(BM_DemoData)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Tdza)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Psza)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Pdc)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Pcf)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Mlfs)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace nbapc
