#pragma once
// The realistic, deterministic demo-data generator (spec/inputs.md §5):
// schedule of every season from `first_season` through the season containing
// `end_date` (preseason, All-Star events, COVID postponements and make-ups,
// play-in, playoffs; the rest of the last season as `scheduled`), Phase 3 rows
// of every final game up to `end_date`, and UPGC/UTGC rows on the covered
// dates of §5.7 plus the next slate after `end_date`.
//
// Determinism (§5.1): the same options give identical DemoData; rows dated
// <= min(E1, E2) are identical for two end dates (the simulation never looks at
// the end date except to cut the output and mark the status). Pure function,
// thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/phase3.h"
#include "core/status.h"

namespace nbapc::demo {

struct DemoOptions {
  uint64_t seed = 42;
  int first_season = 2021;                              // 2021 … 2025 (built-in calendars)
  Date end_date = Date::FromYmd(2026, 1, 2).value();    // last date with final games
};

struct DemoData {
  std::vector<ScheduleGame> schedule;                  // sorted by game_id
  std::vector<PlayerGame> player_games;                // sorted by (player_lookup, game_id)
  std::vector<TeamDefenseGame> team_defense;           // sorted by (defending_team_abbr, game_id)
  std::vector<TeamOffenseGame> team_offense;           // sorted by (team_abbr, game_id)
  std::vector<UpcomingPlayerContext> upcoming_player;  // sorted by (player_lookup, game_id)
  std::vector<UpcomingTeamContext> upcoming_team;      // sorted by (team_abbr, game_id)
};

// Facts the tests check that are not visible in the output rows.
struct TeamGameDiagnostics {
  std::string game_id;  // Phase 3 form
  std::string team_abbr;
  int ot_periods = 0;
  int minutes_sum = 0;  // before NULLing (inputs.md §5.9 invariant 3)
  int players_with_minutes = 0;
};
struct DemoDiagnostics {
  std::vector<TeamGameDiagnostics> team_games;
  std::vector<Date> context_dates;               // dates with UPGC/UTGC rows (§5.7), ascending
  std::map<std::string, std::string> tier;       // "season|player_lookup" -> star/starter/rotation/deep
};

// InvalidArgument when first_season has no built-in calendar, end_date lies
// before the first season's opener or after the 2025-26 season.
Result<DemoData> GenerateDemoData(const DemoOptions& options, DemoDiagnostics* diagnostics = nullptr);

}  // namespace nbapc::demo
