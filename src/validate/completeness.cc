#include "validate/completeness.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "validate/coverage.h"

namespace nbapc::validate {
namespace {

Check PCheck(const char* id, const char* name, CheckStatus status, nlohmann::ordered_json value,
             nlohmann::ordered_json threshold, std::string message) {
  Check check;
  check.id = id;
  check.name = name;
  check.status = status;
  check.value = std::move(value);
  check.threshold = std::move(threshold);
  check.message = std::move(message);
  return check;
}

bool IsGap(const DateCounts& d) {
  // §3 P5: pcf_games < 0.8 × games or mlfs_games < 0.8 × games.
  double limit = 0.8 * static_cast<double>(d.games);
  return static_cast<double>(d.pcf_games) < limit || static_cast<double>(d.mlfs_games) < limit;
}

}  // namespace

std::string DateStatusSymbol(const DateCounts& d) {
  if (!d.historical) return "─";
  if (d.bootstrap) return "⊘";
  bool any_rows = d.tdza_rows + d.psza_rows + d.pdc_rows + d.pcf_players + d.mlfs_players > 0;
  if (!any_rows && !d.any_success) return "○";
  bool complete = d.pgs_games == d.games && d.tdgs_rows == 2 * d.games && d.togs_rows == 2 * d.games &&
                  d.pcf_players == d.pgs_players && d.mlfs_players == d.pgs_players;
  for (bool covered : d.covered) complete = complete && covered;
  return complete ? "✓" : "△";
}

CompletenessResult ComputeCompleteness(Date start, Date end, std::vector<DateCounts> dates) {
  CompletenessResult out;
  out.start = start;
  out.end = end;
  // Gap runs count consecutive game dates (historical, non-bootstrap) with gaps.
  int run = 0;
  std::vector<std::pair<Date, std::string>> gaps;
  for (const DateCounts& d : dates) {
    if (!d.historical) {
      ++out.upcoming_dates;
      continue;
    }
    ++out.historical_dates;
    out.l1_games += d.games;
    out.l3_games += d.pgs_games;
    out.tdgs_rows += d.tdgs_rows;
    out.togs_rows += d.togs_rows;
    out.team_expected += 2 * d.games;
    if (d.tdgs_rows != 2 * d.games || d.togs_rows != 2 * d.games) out.team_mismatch_dates.push_back(d.date);
    if (d.bootstrap) {
      ++out.bootstrap_dates;
      continue;
    }
    out.l1_non_bootstrap += d.games;
    out.l3_non_bootstrap += d.pgs_games;
    out.l4_games += d.pcf_games;
    out.l5_games += d.mlfs_games;
    if (IsGap(d)) {
      ++run;
      out.longest_gap_run = std::max(out.longest_gap_run, run);
      int64_t got = std::min(d.pcf_games, d.mlfs_games);
      gaps.emplace_back(d.date, fmt::format("{}: {}/{} games ({:.1f}%)", d.date.ToString(), got, d.games,
                                            Pct1(static_cast<double>(got), static_cast<double>(d.games))));
    } else {
      run = 0;
    }
    if (d.pcf_players != d.pgs_players || d.mlfs_players != d.pgs_players) out.player_mismatch_dates.push_back(d.date);
  }
  std::reverse(gaps.begin(), gaps.end());
  for (auto& [date, line] : gaps) {
    out.gap_dates.push_back(date);
    out.gap_lines.push_back(std::move(line));
  }
  out.dates = std::move(dates);

  double l3_pct = Pct1(out.l3_games, out.l1_games);
  out.checks.push_back(PCheck("P1", "L3 coverage", l3_pct < 90.0 ? CheckStatus::kFail : CheckStatus::kPass, l3_pct,
                              90.0, fmt::format("player_game_summary games {} of {} ({:.1f}%)", out.l3_games,
                                                out.l1_games, l3_pct)));
  double l4_pct = Pct1(out.l4_games, out.l1_non_bootstrap);
  CheckStatus l4_status = l4_pct < 80.0 ? CheckStatus::kFail : l4_pct < 90.0 ? CheckStatus::kWarn : CheckStatus::kPass;
  out.checks.push_back(PCheck("P2", "L4 coverage", l4_status, l4_pct, 80.0,
                              fmt::format("player_composite_factors games {} of {} non-bootstrap ({:.1f}%)",
                                          out.l4_games, out.l1_non_bootstrap, l4_pct)));
  double l5_pct = Pct1(out.l5_games, out.l3_non_bootstrap);
  CheckStatus l5_status = l5_pct < 90.0 ? CheckStatus::kFail : l5_pct < 100.0 ? CheckStatus::kWarn : CheckStatus::kPass;
  out.checks.push_back(PCheck("P3", "L5 coverage", l5_status, l5_pct, 90.0,
                              fmt::format("ml_feature_store_v2 games {} of {} non-bootstrap L3 ({:.1f}%)",
                                          out.l5_games, out.l3_non_bootstrap, l5_pct)));
  std::vector<std::string> team_dates;
  for (Date date : out.team_mismatch_dates) team_dates.push_back(date.ToString());
  out.checks.push_back(PCheck(
      "P4", "team tables", team_dates.empty() ? CheckStatus::kPass : CheckStatus::kFail,
      static_cast<int>(team_dates.size()), 0,
      team_dates.empty() ? fmt::format("TDGS {}/{}, TOGS {}/{}", out.tdgs_rows, out.team_expected, out.togs_rows,
                                       out.team_expected)
                         : fmt::format("{} dates with TDGS/TOGS rows != 2 x games ({})", team_dates.size(),
                                       DateList(team_dates))));
  CheckStatus gap_status = out.longest_gap_run > 3 ? CheckStatus::kFail
                           : !out.gap_dates.empty() ? CheckStatus::kWarn
                                                    : CheckStatus::kPass;
  out.checks.push_back(PCheck("P5", "date gaps", gap_status, static_cast<int>(out.gap_dates.size()), 3,
                              out.gap_dates.empty()
                                  ? "0 dates, longest run 0 (limit 3)"
                                  : fmt::format("{} dates, longest run {} (limit 3): {}", out.gap_dates.size(),
                                                out.longest_gap_run, DateList(out.gap_lines))));
  std::vector<std::string> player_dates;
  for (Date date : out.player_mismatch_dates) player_dates.push_back(date.ToString());
  out.checks.push_back(PCheck("P6", "player reconciliation",
                              player_dates.empty() ? CheckStatus::kPass : CheckStatus::kWarn,
                              static_cast<int>(player_dates.size()), 0,
                              player_dates.empty() ? "PCF and MLFS players = PGS players on every date"
                                                   : fmt::format("{} dates where PCF/MLFS players != PGS players ({})",
                                                                 player_dates.size(), DateList(player_dates))));
  return out;
}

nlohmann::ordered_json CompletenessResult::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["historical_dates"] = historical_dates;
  out["bootstrap_dates"] = bootstrap_dates;
  out["l1_games"] = l1_games;
  out["l3_games"] = l3_games;
  out["l4_games"] = l4_games;
  out["l5_games"] = l5_games;
  out["tdgs_rows"] = tdgs_rows;
  out["togs_rows"] = togs_rows;
  out["team_rows_expected"] = team_expected;
  nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
  for (Date date : gap_dates) gaps.push_back(date.ToString());
  out["gap_dates"] = gaps;
  out["longest_gap_run"] = longest_gap_run;
  nlohmann::ordered_json mismatches = nlohmann::ordered_json::array();
  for (Date date : player_mismatch_dates) mismatches.push_back(date.ToString());
  out["player_mismatch_dates"] = mismatches;
  return out;
}

Status LoadDateCounts(store::Warehouse& warehouse, Date start, Date end, bool details, std::vector<DateCounts>* dates) {
  std::map<Date, DateCounts*> by_date;
  for (DateCounts& d : *dates) by_date[d.date] = &d;
  std::vector<Value> params = {Value{start.ToString()}, Value{end.ToString()}};
  // One grouped query per table; `apply` receives the count cells.
  auto grouped = [&](const std::string& sql, const std::function<void(DateCounts&, const Row&)>& apply) -> Status {
    return warehouse.QueryEach(sql, params, [&](const Row& row) -> Status {
      NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
      auto it = by_date.find(date);
      if (it != by_date.end()) apply(*it->second, row);
      return Status::Ok();
    });
  };
  auto i64 = [](const Value& v) { return IsNull(v) ? int64_t{0} : std::get<int64_t>(v); };
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(DISTINCT game_id) FROM nba_raw.nbac_schedule WHERE game_date BETWEEN ?1 AND ?2 "
      "AND game_status = 'final' AND game_type IN ('regular_season', 'play_in', 'playoff') GROUP BY game_date",
      [&](DateCounts& d, const Row& row) { d.games = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(DISTINCT game_id), COUNT(DISTINCT player_lookup) FROM "
      "nba_analytics.player_game_summary WHERE game_date BETWEEN ?1 AND ?2 GROUP BY game_date",
      [&](DateCounts& d, const Row& row) {
        d.pgs_games = i64(row[1]);
        d.pgs_players = i64(row[2]);
      }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(*) FROM nba_analytics.team_defense_game_summary WHERE game_date BETWEEN ?1 AND ?2 "
      "GROUP BY game_date",
      [&](DateCounts& d, const Row& row) { d.tdgs_rows = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(*) FROM nba_analytics.team_offense_game_summary WHERE game_date BETWEEN ?1 AND ?2 "
      "GROUP BY game_date",
      [&](DateCounts& d, const Row& row) { d.togs_rows = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(DISTINCT player_lookup) FROM nba_analytics.upcoming_player_game_context "
      "WHERE game_date BETWEEN ?1 AND ?2 GROUP BY game_date",
      [&](DateCounts& d, const Row& row) { d.upgc_players = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT analysis_date, COUNT(*) FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date BETWEEN ?1 "
      "AND ?2 GROUP BY analysis_date",
      [&](DateCounts& d, const Row& row) { d.tdza_rows = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT analysis_date, COUNT(*) FROM nba_precompute.player_shot_zone_analysis WHERE analysis_date BETWEEN ?1 "
      "AND ?2 GROUP BY analysis_date",
      [&](DateCounts& d, const Row& row) { d.psza_rows = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT cache_date, COUNT(*) FROM nba_precompute.player_daily_cache WHERE cache_date BETWEEN ?1 AND ?2 "
      "GROUP BY cache_date",
      [&](DateCounts& d, const Row& row) { d.pdc_rows = i64(row[1]); }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(DISTINCT game_id), COUNT(DISTINCT player_lookup) FROM "
      "nba_precompute.player_composite_factors WHERE game_date BETWEEN ?1 AND ?2 GROUP BY game_date",
      [&](DateCounts& d, const Row& row) {
        d.pcf_games = i64(row[1]);
        d.pcf_players = i64(row[2]);
      }));
  NBAPC_RETURN_IF_ERROR(grouped(
      "SELECT game_date, COUNT(DISTINCT game_id), COUNT(DISTINCT player_lookup) FROM "
      "nba_predictions.ml_feature_store_v2 WHERE game_date BETWEEN ?1 AND ?2 GROUP BY game_date",
      [&](DateCounts& d, const Row& row) {
        d.mlfs_games = i64(row[1]);
        d.mlfs_players = i64(row[2]);
      }));
  if (details) {
    NBAPC_RETURN_IF_ERROR(grouped(
        "SELECT p.game_date, p.player_lookup FROM nba_analytics.player_game_summary p WHERE p.game_date BETWEEN ?1 "
        "AND ?2 AND (NOT EXISTS (SELECT 1 FROM nba_precompute.player_composite_factors c WHERE c.game_date = "
        "p.game_date AND c.player_lookup = p.player_lookup) OR NOT EXISTS (SELECT 1 FROM "
        "nba_predictions.ml_feature_store_v2 m WHERE m.game_date = p.game_date AND m.player_lookup = "
        "p.player_lookup)) ORDER BY p.game_date, p.player_lookup",
        [&](DateCounts& d, const Row& row) { d.players_missing.push_back(std::get<std::string>(row[1])); }));
  }
  return Status::Ok();
}

}  // namespace nbapc::validate
