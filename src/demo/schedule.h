#pragma once
// Season calendars and schedule construction for the demo data
// (spec/inputs.md §5.2): the built-in calendar of seasons 2021-22 … 2025-26,
// the regular-season matchup matrix (82 games, 41 home per team) laid out on
// the calendar, preseason games and All-Star events. Playoffs depend on the
// simulated results and are built by the generator.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"

namespace nbapc::demo {

struct SeasonCalendarSpec {
  int season = 0;
  Date preseason_start, preseason_end;
  Date opener, regular_end;
  std::vector<Date> off_days;    // no regular games (besides the All-Star break)
  Date break_start, break_end;   // All-Star break, inclusive, no regular games
  Date rising_stars, all_star_game;
  Date trade_deadline;
  std::array<Date, 3> play_in;
  Date playoffs_start;
  Date finals_game1;             // real Finals game 1 (the Finals aim at it)
  const char* all_star_codes[2];  // All-Star game teams (schedule-only codes)
  std::vector<Date> postponement_dates;  // COVID postponements (1-2 games each), made up from Feb 1
};

// The built-in calendar for seasons 2021-2025, or nullptr.
const SeasonCalendarSpec* FindSeasonCalendar(int season);

// Regular-season game dates: opener … regular_end minus off-days and the break.
std::vector<Date> RegularSeasonDates(const SeasonCalendarSpec& spec);

// A game between two team indexes (position in AllTeams()).
struct PlannedGame {
  Date date;
  int home = -1;
  int away = -1;
  bool postponed = false;  // COVID postponement (§5.2): the game is made up later
  bool makeup = false;     // the make-up of a postponed game; `original` is its first date
  Date original;
};

// The 1,230 regular-season games of a season (4 vs division rivals, 4 vs six
// and 3 vs four conference teams, 2 vs the other conference), placed on the
// season's dates: 1-15 games per date (opening night 2-3, Christmas 5, all 30
// teams on the last day), at most one game per team and date, never three
// days in a row. On each postponement date 1-2 of the games laid out are
// postponed and their make-ups laid out from February 1 under the same rules
// (1,230 games plus the postponed entries). Deterministic in (seed, season).
// Sorted by (date, home).
std::vector<PlannedGame> BuildRegularSeason(const SeasonCalendarSpec& spec, uint64_t seed);

// Preseason: NBA teams (4-5 games each) plus two games against exhibition
// clubs (away code set in `club_code`, away = -1).
struct PreseasonGame {
  Date date;
  int home = -1;
  int away = -1;  // -1: exhibition club
  std::string club_code;
};
std::vector<PreseasonGame> BuildPreseason(const SeasonCalendarSpec& spec, uint64_t seed);

}  // namespace nbapc::demo
