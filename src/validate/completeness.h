#pragma once
// Pipeline completeness L1-L5 (spec/validation.md §3): per historical game
// date counts from the schedule to MLFS, the date status symbols, and the
// range checks P1-P6.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"
#include "store/warehouse.h"
#include "validate/check.h"

namespace nbapc::validate {

struct DateCounts {
  Date date;
  bool historical = true;
  bool bootstrap = false;
  int64_t games = 0;  // L1
  int64_t pgs_games = 0, pgs_players = 0;  // L3
  int64_t tdgs_rows = 0, togs_rows = 0;
  int64_t upgc_players = 0;
  int64_t tdza_rows = 0, psza_rows = 0, pdc_rows = 0;
  int64_t pcf_games = 0, pcf_players = 0;    // L4
  int64_t mlfs_games = 0, mlfs_players = 0;  // L5
  // Phase 4 tables covered (coverage §2.1) on this date, in TDZA..MLFS order.
  bool covered[5] = {false, false, false, false, false};
  bool any_success = false;  // any Phase 4 success outcome on D
  std::vector<std::string> players_missing;  // PGS players without PCF/MLFS rows (--details)
};

struct CompletenessResult {
  Date start, end;
  int historical_dates = 0;
  int bootstrap_dates = 0;
  int upcoming_dates = 0;
  int64_t l1_games = 0, l3_games = 0, l4_games = 0, l5_games = 0;
  int64_t l1_non_bootstrap = 0, l3_non_bootstrap = 0;
  int64_t tdgs_rows = 0, togs_rows = 0, team_expected = 0;
  std::vector<Date> team_mismatch_dates;   // P4
  std::vector<std::string> gap_lines;      // P5, newest first: "2024-02-07: 4/11 games (36.4%)"
  std::vector<Date> gap_dates;             // newest first
  int longest_gap_run = 0;
  std::vector<Date> player_mismatch_dates; // P6
  std::vector<DateCounts> dates;           // every game date of the range
  std::vector<Check> checks;               // P1-P6

  nlohmann::ordered_json ToJson() const;
};

// "✓", "△", "○", "⊘", "─" of §3.
std::string DateStatusSymbol(const DateCounts& counts);

// §3 checks over per-date counts (ascending dates).
CompletenessResult ComputeCompleteness(Date start, Date end, std::vector<DateCounts> dates);

// Fills the count columns of `dates` (dates, historical and bootstrap flags
// already set) from the warehouse; `details` also lists missing players.
Status LoadDateCounts(store::Warehouse& warehouse, Date start, Date end, bool details, std::vector<DateCounts>* dates);

}  // namespace nbapc::validate
