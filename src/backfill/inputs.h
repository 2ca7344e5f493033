#pragma once
// The run's inputs, each table loaded at most once per invocation for the
// whole range plus look-back (conventions: no per-date queries), with the
// load-time key checks of spec/inputs.md §4.8.

#include <memory>
#include <string>
#include <mutex>
#include <thread>
#include <optional>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/phase3.h"
#include "core/status.h"
#include "store/warehouse.h"

namespace nbapc::backfill {

class InputStore {
 public:
  // For a run over [start, end]: each table is loaded from its own look-back
  // start (InputLookbackStart) to `end`; the schedule is loaded whole.
  InputStore(store::Warehouse& warehouse, Date start, Date end) : warehouse_(warehouse), start_(start), to_(end) {}

  Result<const std::vector<ScheduleGame>*> Schedule();
  Result<const std::vector<PlayerGame>*> PlayerGames();
  Result<const std::vector<TeamDefenseGame>*> TeamDefense();
  Result<const std::vector<TeamOffenseGame>*> TeamOffense();
  Result<const std::vector<UpcomingPlayerContext>*> UpcomingPlayers();
  Result<const std::vector<UpcomingTeamContext>*> UpcomingTeams();

  // Starts loading `groups` of input tables ("player_game_summary",
  // "nbac_schedule", ...) in the background, one thread per group, each with
  // its own read-only connection to `url`, so the first processors compute
  // while the later ones' inputs load (put the table the next processor
  // waits for in a group of its own). A getter of a prefetched table waits
  // for its group only. Once a group is done, the getters of its tables may
  // be called from any thread. Call at most once.
  void Prefetch(const std::string& url, const std::vector<std::vector<std::string>>& groups);
  // Adopts an already loaded schedule (the calendar's), so it is not read twice.
  void SetSchedule(std::vector<ScheduleGame> schedule) { schedule_ = std::move(schedule); }
  ~InputStore();

  // Milliseconds spent loading so far.
  double load_ms() {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    return load_ms_;
  }

 private:
  template <typename T>
  Result<const std::vector<T>*> Load(std::optional<std::vector<T>>& slot, const char* table, bool ranged);
  template <typename T>
  Result<const std::vector<T>*> LoadFrom(store::Warehouse& warehouse, std::optional<std::vector<T>>& slot,
                                         const char* table, bool ranged);
  // Waits for the prefetch group holding `table` (every group when empty)
  // and returns its status.
  Status WaitForPrefetch(const std::string& table);

  struct PrefetchGroup {
    std::vector<std::string> tables;  // "nba_analytics.player_game_summary", ...
    std::thread thread;
    Status status;
  };
  store::Warehouse& warehouse_;
  std::vector<PrefetchGroup> prefetch_;
  std::mutex mutex_;        // guards joining the prefetch threads (getters may run on two threads)
  std::mutex stats_mutex_;  // guards load_ms_ (the prefetch threads add to it)
  Date start_;
  Date to_;
  double load_ms_ = 0;
  std::optional<std::vector<ScheduleGame>> schedule_;
  std::optional<std::vector<PlayerGame>> pgs_;
  std::optional<std::vector<TeamDefenseGame>> tdgs_;
  std::optional<std::vector<TeamOffenseGame>> togs_;
  std::optional<std::vector<UpcomingPlayerContext>> upgc_;
  std::optional<std::vector<UpcomingTeamContext>> utgc_;
};

// The calendar of a warehouse: schedule (or PGS dates without one) and today.
// `warnings` receives the schedule-fallback warning when there is no schedule.
// `schedule_out`, when given, receives the schedule rows read (for InputStore::SetSchedule).
Result<std::unique_ptr<SeasonCalendar>> LoadCalendar(store::Warehouse& warehouse, Date today,
                                                     std::vector<std::string>* warnings,
                                                     std::vector<ScheduleGame>* schedule_out = nullptr);

// The default range of `validate`, `report` and `status` (validation.md §1):
// from the first final regular-season/play-in/playoff game (else the first
// PGS date) to the last game date before today; given bounds are kept.
// FailedPrecondition when the warehouse has no games at all and no start.
// InvalidArgument when the resulting end is before the start.
Result<std::pair<Date, Date>> DefaultRange(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                           std::optional<Date> start, std::optional<Date> end);

// First day of the look-back for a range starting at `start`: October 1 of
// the season before start's season, so every window (last N games, rest days,
// league 30-day window) is covered.
Date LookbackStart(Date start);

// The first date `table` ("nba_analytics.player_game_summary", ...) is loaded
// from for a run whose first date is `start`: the earliest date any window of
// any processor reads for a date >= start (see inputs.cc for the windows and
// their spec sections). Loading less than LookbackStart makes the nightly run
// read a few months instead of fourteen, with identical output.
// `warehouse` answers the one data-dependent bound (pdc.md §9: the 10 newest
// game dates of every team, any season).
Result<Date> InputLookbackStart(store::Warehouse& warehouse, const std::string& table, Date start);

}  // namespace nbapc::backfill
