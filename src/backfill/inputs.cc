#include "backfill/inputs.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "backfill/stored_rows.h"
#include "store/phase3_rows.h"

namespace nbapc::backfill {
namespace {

// inputs.md §4.8: keys and second unique keys re-checked at load. Sorting
// views of the key fields finds a duplicate without building a string per
// row (this runs over every loaded row, e.g. a season of PGS each night).
template <typename T, typename KeyFn>
Status CheckUnique(const std::vector<T>& rows, const char* table, const char* what, KeyFn key) {
  using Key = decltype(key(rows.front()));
  std::vector<Key> keys;
  keys.reserve(rows.size());
  for (const T& row : rows) keys.push_back(key(row));
  // Date-first keys come in the physical (date-first) order already.
  if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());
  auto duplicate = std::adjacent_find(keys.begin(), keys.end());
  if (duplicate == keys.end()) return Status::Ok();
  // The message names the key in the spec's order: (entity, date) or (entity, id).
  const auto& [first, second] = *duplicate;
  std::string first_text;
  std::string second_text;
  if constexpr (std::is_same_v<std::decay_t<decltype(first)>, Date>) {
    first_text = std::string(second);
    second_text = first.ToString();
  } else {
    first_text = std::string(first);
    second_text = std::string(second);
  }
  return Status::InvalidArgument(
      fmt::format("invalid input: {} has 2 rows for ({}, {}) [{}]", table, first_text, second_text, what));
}

// The (entity, date) keys, date first: uniqueness does not depend on the
// order of the pair, and date-first is the order the rows are read in.
template <typename T>
std::pair<Date, std::string_view> DateFirst(const T& row, const std::string& entity) {
  return {row.game_date, entity};
}

Status CheckKeys(const std::vector<PlayerGame>& rows) {
  if (rows.empty()) return Status::Ok();
  NBAPC_RETURN_IF_ERROR(CheckUnique(rows, "nba_analytics.player_game_summary", "player_lookup, game_id",
                                    [](const PlayerGame& r) {
                                      return std::pair<std::string_view, std::string_view>(r.player_lookup, r.game_id);
                                    }));
  return CheckUnique(rows, "nba_analytics.player_game_summary", "player_lookup, game_date",
                     [](const PlayerGame& r) { return DateFirst(r, r.player_lookup); });
}
Status CheckKeys(const std::vector<TeamDefenseGame>& rows) {
  if (rows.empty()) return Status::Ok();
  return CheckUnique(rows, "nba_analytics.team_defense_game_summary", "defending_team_abbr, game_date",
                     [](const TeamDefenseGame& r) { return DateFirst(r, r.defending_team_abbr); });
}
Status CheckKeys(const std::vector<TeamOffenseGame>& rows) {
  if (rows.empty()) return Status::Ok();
  return CheckUnique(rows, "nba_analytics.team_offense_game_summary", "team_abbr, game_date",
                     [](const TeamOffenseGame& r) { return DateFirst(r, r.team_abbr); });
}
Status CheckKeys(const std::vector<UpcomingPlayerContext>& rows) {
  if (rows.empty()) return Status::Ok();
  return CheckUnique(rows, "nba_analytics.upcoming_player_game_context", "player_lookup, game_date",
                     [](const UpcomingPlayerContext& r) { return DateFirst(r, r.player_lookup); });
}
Status CheckKeys(const std::vector<UpcomingTeamContext>& rows) {
  if (rows.empty()) return Status::Ok();
  return CheckUnique(rows, "nba_analytics.upcoming_team_game_context", "team_abbr, game_date",
                     [](const UpcomingTeamContext& r) { return DateFirst(r, r.team_abbr); });
}
Status CheckKeys(const std::vector<ScheduleGame>&) { return Status::Ok(); }  // primary key enforced by the store

}  // namespace

InputStore::~InputStore() { WaitForPrefetch(""); }

Status InputStore::WaitForPrefetch(const std::string& table) {
  std::lock_guard<std::mutex> lock(mutex_);
  Status status;
  for (PrefetchGroup& group : prefetch_) {
    if (!table.empty() && std::find(group.tables.begin(), group.tables.end(), table) == group.tables.end()) continue;
    if (group.thread.joinable()) group.thread.join();
    if (status.ok()) status = group.status;
  }
  return status;
}

void InputStore::Prefetch(const std::string& url, const std::vector<std::vector<std::string>>& groups) {
  prefetch_ = std::vector<PrefetchGroup>(groups.size());
  for (size_t idx = 0; idx < groups.size(); ++idx) {
    for (const std::string& table : groups[idx]) {
      prefetch_[idx].tables.push_back((table == "nbac_schedule" ? "nba_raw." : "nba_analytics.") + table);
    }
  }
  for (PrefetchGroup& group : prefetch_) {
    group.thread = std::thread([this, url, &group] {
      auto warehouse = store::OpenReadOnlyConnection(url);
      if (!warehouse.ok()) {
        group.status = warehouse.status();
        return;
      }
      for (const std::string& table : group.tables) {
        Status status;
        if (table == "nba_analytics.player_game_summary") {
          status = LoadFrom(**warehouse, pgs_, table.c_str(), true).status();
        } else if (table == "nba_analytics.team_offense_game_summary") {
          status = LoadFrom(**warehouse, togs_, table.c_str(), true).status();
        } else if (table == "nba_analytics.team_defense_game_summary") {
          status = LoadFrom(**warehouse, tdgs_, table.c_str(), true).status();
        } else if (table == "nba_analytics.upcoming_player_game_context") {
          status = LoadFrom(**warehouse, upgc_, table.c_str(), true).status();
        } else if (table == "nba_raw.nbac_schedule") {
          status = LoadFrom(**warehouse, schedule_, table.c_str(), false).status();
        }
        if (!status.ok()) {
          group.status = status;
          return;
        }
      }
    });
  }
}

template <typename T>
Result<const std::vector<T>*> InputStore::Load(std::optional<std::vector<T>>& slot, const char* table, bool ranged) {
  // Only a table a prefetch thread fills has to wait for it; the others
  // load at once on the runner's own connection.
  NBAPC_RETURN_IF_ERROR(WaitForPrefetch(table));
  return LoadFrom(warehouse_, slot, table, ranged);
}

template <typename T>
Result<const std::vector<T>*> InputStore::LoadFrom(store::Warehouse& warehouse, std::optional<std::vector<T>>& slot,
                                                   const char* table, bool ranged) {
  if (slot) return &*slot;
  auto started = std::chrono::steady_clock::now();
  const store::TableDef* def = store::FindTable(table);
  std::optional<Date> from;
  if (ranged) {
    NBAPC_ASSIGN_OR_RETURN(from, InputLookbackStart(warehouse, table, start_));
  }
  Result<std::vector<T>> rows = std::vector<T>();
  if constexpr (std::is_same_v<T, UpcomingPlayerContext>) {
    // Before the run's first date the only field any window reads is
    // player_age: the latest non-NULL one in [D - 365, D - 1] (pdc.md §3,
    // pcf.md §13.2). For every D >= start that is a row of [start, D - 1]
    // or else the player's latest non-NULL-age row before start (if it is
    // recent enough, no earlier row can be), so those rows are all the
    // look-back holds: a few hundred rows instead of a year of context.
    Status status = store::LoadTableWhere(
        warehouse, *def,
        "(player_lookup, game_date) IN (SELECT player_lookup, MAX(game_date) FROM "
        "nba_analytics.upcoming_player_game_context WHERE game_date >= ?1 AND game_date < ?2 AND player_age IS NOT "
        "NULL GROUP BY player_lookup) OR (game_date >= ?2 AND game_date <= ?3)",
        {Value{from.value_or(start_).ToString()}, Value{start_.ToString()}, Value{to_.ToString()}}, &*rows);
    if (!status.ok()) rows = status;
  } else {
    if (ranged) {
      // Physical order is date-first, so the halves join in the same order.
      // From two months on (a nightly run late in a season reads the whole
      // season of PGS first, on the run's critical path).
      constexpr int kSplitDays = 60;
      rows = LoadInHalves<T>(
          warehouse, *from, to_,
          [def](store::Warehouse& connection, Date first, Date last) {
            return store::LoadTable<T>(connection, *def, first, last);
          },
          kSplitDays);
    } else {
      rows = store::LoadTable<T>(warehouse, *def);
    }
  }
  if (!rows.ok()) return rows.status().WithPrefix(fmt::format("loading {}", table));
  NBAPC_RETURN_IF_ERROR(CheckKeys(*rows));
  slot = std::move(*rows);
  std::lock_guard<std::mutex> lock(stats_mutex_);
  load_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return &*slot;
}

Result<const std::vector<ScheduleGame>*> InputStore::Schedule() {
  return Load(schedule_, "nba_raw.nbac_schedule", false);
}
Result<const std::vector<PlayerGame>*> InputStore::PlayerGames() {
  return Load(pgs_, "nba_analytics.player_game_summary", true);
}
Result<const std::vector<TeamDefenseGame>*> InputStore::TeamDefense() {
  return Load(tdgs_, "nba_analytics.team_defense_game_summary", true);
}
Result<const std::vector<TeamOffenseGame>*> InputStore::TeamOffense() {
  return Load(togs_, "nba_analytics.team_offense_game_summary", true);
}
Result<const std::vector<UpcomingPlayerContext>*> InputStore::UpcomingPlayers() {
  return Load(upgc_, "nba_analytics.upcoming_player_game_context", true);
}
Result<const std::vector<UpcomingTeamContext>*> InputStore::UpcomingTeams() {
  return Load(utgc_, "nba_analytics.upcoming_team_game_context", true);
}

Result<std::unique_ptr<SeasonCalendar>> LoadCalendar(store::Warehouse& warehouse, Date today,
                                                     std::vector<std::string>* warnings,
                                                     std::vector<ScheduleGame>* schedule_out) {
  NBAPC_ASSIGN_OR_RETURN(auto schedule, store::LoadTable<ScheduleGame>(warehouse, store::ScheduleTable()));
  if (schedule_out) *schedule_out = schedule;
  std::vector<Date> pgs_dates;
  if (schedule.empty()) {
    NBAPC_ASSIGN_OR_RETURN(auto result,
                           warehouse.Query("SELECT DISTINCT game_date FROM nba_analytics.player_game_summary "
                                           "ORDER BY game_date"));
    for (const Row& row : result.rows) {
      auto date = Date::Parse(std::get<std::string>(row[0]));
      if (date.ok()) pgs_dates.push_back(*date);
    }
    if (warnings) warnings->push_back("no schedule table: using player_game_summary dates; season starts from the built-in table");
  }
  return std::make_unique<SeasonCalendar>(schedule, pgs_dates, today);
}

Result<std::pair<Date, Date>> DefaultRange(store::Warehouse& warehouse, const SeasonCalendar& calendar,
                                           std::optional<Date> start, std::optional<Date> end) {
  auto first_date = [&](const char* sql) -> Result<std::optional<Date>> {
    NBAPC_ASSIGN_OR_RETURN(auto result, warehouse.Query(sql));
    if (result.rows.empty() || IsNull(result.rows[0][0])) return std::optional<Date>();
    auto date = Date::Parse(std::get<std::string>(result.rows[0][0]));
    if (!date.ok()) return date.status();
    return std::optional<Date>(*date);
  };
  if (!start) {
    NBAPC_ASSIGN_OR_RETURN(start, first_date("SELECT MIN(game_date) FROM nba_raw.nbac_schedule WHERE game_status = "
                                             "'final' AND game_type IN ('regular_season', 'play_in', 'playoff')"));
    if (!start) {
      NBAPC_ASSIGN_OR_RETURN(start, first_date("SELECT MIN(game_date) FROM nba_analytics.player_game_summary"));
    }
    if (!start) {
      return Status::FailedPrecondition("no schedule or player_game_summary rows: give --start-date and --end-date");
    }
  }
  if (!end) {
    Date today = calendar.today();
    std::vector<Date> before = calendar.PlanRange(*start, today - 1).game_dates;
    std::optional<Date> last = calendar.LatestFinalGameDate(*start, today);
    end = !before.empty() ? before.back() : last ? *last : today - 1;
  }
  if (*end < *start) {
    return Status::InvalidArgument(
        fmt::format("--end-date {} is before --start-date {}", end->ToString(), start->ToString()));
  }
  return std::make_pair(*start, *end);
}

Date LookbackStart(Date start) { return Date::FromYmd(SeasonYear(start) - 1, 10, 1).value(); }

Result<Date> InputLookbackStart(store::Warehouse& warehouse, const std::string& table, Date start) {
  // S = October 1 of start's season: every "this season" window (tdza.md §4,
  // psza.md §4, pdc.md §5 G, pcf.md §3 TOGS and rosters, mlfs.md §5 season
  // and team season games) starts there or later for every D >= start.
  Date season_start = Date::FromYmd(SeasonYear(start), 10, 1).value();
  if (table == "nba_analytics.team_defense_game_summary") {
    return std::min(season_start, start - 30);  // tdza.md §7 league window [D - 30, D)
  }
  if (table == "nba_analytics.upcoming_player_game_context") {
    // Synthetic player_age: [D - 365, D - 1] (pdc.md §3, pcf.md §13.2);
    // InputStore loads only each player's latest age row before start.
    return start - 365;
  }
  if (table == "nba_analytics.player_game_summary") {
    // mlfs.md §5 last-10 reads [D - 60, D) of any season, pcf.md §3
    // [min(D - 30, S), D); pdc.md §9 / mlfs.md §5 completeness read the
    // player's rows on the 10 newest TOGS dates of his team, any season.
    Date from = std::min(season_start, start - 60);
    NBAPC_ASSIGN_OR_RETURN(
        auto result,
        warehouse.Query("SELECT MIN(game_date) FROM (SELECT game_date, ROW_NUMBER() OVER (PARTITION BY team_abbr "
                        "ORDER BY game_date DESC) AS newest FROM nba_analytics.team_offense_game_summary "
                        "WHERE game_date < ?1 AND game_date >= ?2) WHERE newest <= 10",
                        std::vector<Value>{Value{start.ToString()}, Value{LookbackStart(start).ToString()}}));
    if (!result.rows.empty() && !IsNull(result.rows[0][0])) {
      NBAPC_ASSIGN_OR_RETURN(Date tenth, Date::Parse(std::get<std::string>(result.rows[0][0])));
      from = std::min(from, tenth);
    }
    return from;
  }
  // TOGS: pdc.md §5 T10 and §9 L10 take a team's 10 newest games of any
  // season; the previous season's October 1 holds them (and bounds the
  // query above). UTGC: only read for pre-flight coverage.
  return LookbackStart(start);
}

}  // namespace nbapc::backfill
