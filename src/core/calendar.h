#pragma once
// The season calendar (spec/backfill.md §5): season starts, the bootstrap
// rule, and which dates of a range are game dates, historical or upcoming.
// Built once from the schedule (or, without one, from PGS dates) and then
// queried without I/O. Thread-safe for concurrent const use.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/phase3.h"

namespace nbapc {

inline constexpr int kBootstrapDays = 14;

// Built-in season openers (backfill.md §5.1 rule 2).
std::optional<Date> BuiltInSeasonStart(int season_year);

struct GameDatesPlan {
  std::vector<Date> game_dates;             // ascending, bootstrap dates included
  std::vector<Date> postponed_only_dates;   // excluded: every included game postponed
  std::vector<Date> stale_scheduled_dates;  // excluded: past dates never final
  int calendar_days = 0;
};

class SeasonCalendar {
 public:
  // `schedule` may be empty; then `pgs_dates` (distinct PGS game dates) define
  // the game dates, all historical. `today` decides which scheduled games count.
  SeasonCalendar(const std::vector<ScheduleGame>& schedule, const std::vector<Date>& pgs_dates, Date today);

  bool has_schedule() const { return has_schedule_; }
  Date today() const { return today_; }

  // Season start per backfill.md §5.1; `warning` (if non-null) receives the
  // WARN text of rules 1 (differs from the table) or 3 (estimated), else "".
  Date SeasonStart(int season_year, std::string* warning = nullptr) const;
  // 0 <= (D - start(season_year(D))).days < 14.
  bool IsBootstrap(Date date) const;
  // Days since the season opener (negative before it).
  int DayOfSeason(Date date) const;

  // Game dates of [start, end] per backfill.md §5.3.
  GameDatesPlan PlanRange(Date start, Date end) const;
  // True for a date with >= 1 non-postponed included game, all final (README
  // §5 "historical"); without a schedule: PGS has rows on D.
  bool IsHistorical(Date date) const;
  // Is D a game date (backfill.md §5.3)?
  bool IsGameDate(Date date) const;
  // Latest date in [from, before) with >= 1 final included game, if any.
  std::optional<Date> LatestFinalGameDate(Date from, Date before) const;

 private:
  struct DayGames {
    int final_games = 0;
    int scheduled_games = 0;
    int postponed_games = 0;
  };
  bool has_schedule_ = false;
  Date today_;
  std::map<Date, DayGames> days_;           // included game types only
  std::map<int, Date> schedule_starts_;     // earliest non-postponed regular-season game per season
};

}  // namespace nbapc
