#pragma once
// Typed in-memory rows of the input tables (spec/inputs.md §2-§3). The runner
// loads each table once for the whole range plus look-back into vectors of
// these; processors read them and never touch the warehouse. Field names equal
// the column names; std::optional marks nullable columns.

#include <cstdint>
#include <optional>
#include <string>

#include "core/date.h"

namespace nbapc {

enum class GameType { kRegularSeason, kPlayIn, kPlayoff, kAllStar, kPreseason };
enum class GameStatus { kScheduled, kFinal, kPostponed };

// Canonical spellings ("regular_season", "final", ...), as stored.
const char* GameTypeName(GameType type);
const char* GameStatusName(GameStatus status);
// Accepts the canonical names and the import spellings of inputs.md §2.
std::optional<GameType> ParseGameType(std::string_view text);
std::optional<GameStatus> ParseGameStatus(std::string_view text);
// Regular season, play-in and playoff games count for game dates (backfill.md §5.3).
inline bool IsIncludedGameType(GameType type) {
  return type == GameType::kRegularSeason || type == GameType::kPlayIn || type == GameType::kPlayoff;
}

// nba_raw.nbac_schedule
struct ScheduleGame {
  std::string game_id;  // 10-digit NBA id
  Date game_date;
  int season_year = 0;
  std::string home_team_abbr;
  std::string away_team_abbr;
  GameType game_type = GameType::kRegularSeason;
  GameStatus game_status = GameStatus::kScheduled;
};

// nba_analytics.player_game_summary (PGS)
struct PlayerGame {
  std::string player_lookup;
  std::string game_id;  // YYYYMMDD_AWAY_HOME
  Date game_date;
  int season_year = 0;
  std::optional<std::string> universal_player_id;
  std::string team_abbr;
  std::string opponent_team_abbr;
  bool is_active = true;
  std::optional<double> minutes_played;  // NUMERIC(5,1)
  std::optional<int64_t> points;
  std::optional<int64_t> fg_attempts;
  std::optional<int64_t> fg_makes;
  std::optional<int64_t> three_pt_attempts;
  std::optional<int64_t> three_pt_makes;
  std::optional<int64_t> ft_makes;
  std::optional<int64_t> paint_attempts;
  std::optional<int64_t> paint_makes;
  std::optional<int64_t> mid_range_attempts;
  std::optional<int64_t> mid_range_makes;
  std::optional<int64_t> assisted_fg_makes;
  std::optional<int64_t> unassisted_fg_makes;
  std::optional<double> usage_rate;  // NUMERIC(5,2), percent
  std::optional<double> ts_pct;      // NUMERIC(5,3), fraction
};

// nba_analytics.team_defense_game_summary (TDGS)
struct TeamDefenseGame {
  std::string game_id;
  Date game_date;
  int season_year = 0;
  std::string defending_team_abbr;
  std::string opponent_team_abbr;
  std::optional<int64_t> points_allowed;
  std::optional<int64_t> opp_paint_attempts;
  std::optional<int64_t> opp_paint_makes;
  std::optional<int64_t> opp_mid_range_attempts;
  std::optional<int64_t> opp_mid_range_makes;
  std::optional<int64_t> opp_three_pt_attempts;
  std::optional<int64_t> opp_three_pt_makes;
  std::optional<int64_t> points_in_paint_allowed;
  std::optional<int64_t> blocks_paint;
  std::optional<int64_t> blocks_mid_range;
  std::optional<int64_t> blocks_three_pt;
  std::optional<double> defensive_rating;  // NUMERIC(6,2)
  std::optional<double> opponent_pace;     // NUMERIC(5,1)
};

// nba_analytics.team_offense_game_summary (TOGS)
struct TeamOffenseGame {
  std::string game_id;
  Date game_date;
  int season_year = 0;
  std::string team_abbr;
  std::string opponent_team_abbr;
  bool win_flag = false;
  std::optional<double> pace;              // NUMERIC(5,1)
  std::optional<double> offensive_rating;  // NUMERIC(6,2)
};

// nba_analytics.upcoming_player_game_context (UPGC)
struct UpcomingPlayerContext {
  std::string player_lookup;
  std::string game_id;  // Phase 3 form
  Date game_date;
  std::optional<std::string> universal_player_id;
  std::string team_abbr;
  std::string opponent_team_abbr;
  std::optional<bool> home_game;
  std::optional<int64_t> days_rest;  // full days off; 0 = back-to-back
  std::optional<bool> back_to_back;
  std::optional<int64_t> games_in_last_7_days;
  std::optional<int64_t> games_in_last_14_days;
  std::optional<int64_t> minutes_in_last_7_days;
  std::optional<int64_t> minutes_in_last_14_days;
  std::optional<double> avg_minutes_per_game_last_7;  // NUMERIC(5,1)
  std::optional<int64_t> back_to_backs_last_14_days;
  std::optional<int64_t> fourth_quarter_minutes_last_7;
  std::optional<int64_t> player_age;
  std::optional<double> projected_usage_rate;         // NUMERIC(5,2)
  std::optional<double> avg_usage_rate_last_7_games;  // NUMERIC(5,2)
  std::optional<int64_t> star_teammates_out;
  std::optional<double> pace_differential;  // NUMERIC(5,1)
  std::optional<std::string> season_phase;
  std::optional<std::string> player_status;
};

// nba_analytics.upcoming_team_game_context (UTGC)
struct UpcomingTeamContext {
  std::string team_abbr;
  std::string game_id;  // 10-digit NBA id
  Date game_date;
  int season_year = 0;
  std::string opponent_team_abbr;
  std::optional<double> game_spread;  // NUMERIC(5,2)
  std::optional<double> game_total;   // NUMERIC(5,1)
};

}  // namespace nbapc
