#include "core/calendar.h"

#include <fmt/format.h>

namespace nbapc {

std::optional<Date> BuiltInSeasonStart(int season_year) {
  // backfill.md §5.1 rule 2 (the runbook's swapped 2022/2023 rows corrected).
  switch (season_year) {
    case 2021: return Date::FromYmd(2021, 10, 19).value();
    case 2022: return Date::FromYmd(2022, 10, 18).value();
    case 2023: return Date::FromYmd(2023, 10, 24).value();
    case 2024: return Date::FromYmd(2024, 10, 22).value();
    case 2025: return Date::FromYmd(2025, 10, 21).value();
    default: return std::nullopt;
  }
}

SeasonCalendar::SeasonCalendar(const std::vector<ScheduleGame>& schedule, const std::vector<Date>& pgs_dates,
                               Date today)
    : has_schedule_(!schedule.empty()), today_(today) {
  if (has_schedule_) {
    for (const ScheduleGame& game : schedule) {
      if (!IsIncludedGameType(game.game_type)) continue;
      DayGames& day = days_[game.game_date];
      switch (game.game_status) {
        case GameStatus::kFinal: ++day.final_games; break;
        case GameStatus::kScheduled: ++day.scheduled_games; break;
        case GameStatus::kPostponed: ++day.postponed_games; break;
      }
      if (game.game_type == GameType::kRegularSeason && game.game_status != GameStatus::kPostponed) {
        int season = SeasonYear(game.game_date);
        auto it = schedule_starts_.find(season);
        if (it == schedule_starts_.end() || game.game_date < it->second) schedule_starts_[season] = game.game_date;
      }
    }
  } else {
    for (Date date : pgs_dates) days_[date].final_games += 1;
  }
}

Date SeasonCalendar::SeasonStart(int season_year, std::string* warning) const {
  if (warning) warning->clear();
  std::optional<Date> built_in = BuiltInSeasonStart(season_year);
  auto it = schedule_starts_.find(season_year);
  if (it != schedule_starts_.end()) {
    if (warning && built_in && *built_in != it->second) {
      *warning = fmt::format("season {} start from schedule {} differs from the built-in {}; using the schedule",
                             season_year, it->second.ToString(), built_in->ToString());
    }
    return it->second;
  }
  if (built_in) return *built_in;
  Date estimate = Date::FromYmd(season_year, 10, 22).value();
  if (warning) *warning = fmt::format("season {} start unknown: assuming {}", season_year, estimate.ToString());
  return estimate;
}

int SeasonCalendar::DayOfSeason(Date date) const { return date - SeasonStart(SeasonYear(date)); }

bool SeasonCalendar::IsBootstrap(Date date) const {
  int day = DayOfSeason(date);
  return day >= 0 && day < kBootstrapDays;
}

bool SeasonCalendar::IsHistorical(Date date) const {
  auto it = days_.find(date);
  if (it == days_.end()) return false;
  const DayGames& day = it->second;
  return day.final_games > 0 && day.scheduled_games == 0;
}

bool SeasonCalendar::IsGameDate(Date date) const {
  auto it = days_.find(date);
  if (it == days_.end()) return false;
  const DayGames& day = it->second;
  return day.final_games > 0 || (date >= today_ && day.scheduled_games > 0);
}

GameDatesPlan SeasonCalendar::PlanRange(Date start, Date end) const {
  GameDatesPlan plan;
  plan.calendar_days = end < start ? 0 : (end - start) + 1;
  for (auto it = days_.lower_bound(start); it != days_.end() && it->first <= end; ++it) {
    const DayGames& day = it->second;
    Date date = it->first;
    if (day.final_games > 0 || (date >= today_ && day.scheduled_games > 0)) {
      plan.game_dates.push_back(date);
    } else if (day.scheduled_games > 0) {
      plan.stale_scheduled_dates.push_back(date);  // past, never final
    } else if (day.postponed_games > 0) {
      plan.postponed_only_dates.push_back(date);
    }
  }
  return plan;
}

std::optional<Date> SeasonCalendar::LatestFinalGameDate(Date from, Date before) const {
  auto it = days_.lower_bound(before);
  while (it != days_.begin()) {
    --it;
    if (it->first < from) break;
    if (it->second.final_games > 0) return it->first;
  }
  return std::nullopt;
}

}  // namespace nbapc
