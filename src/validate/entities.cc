#include "validate/entities.h"

#include <algorithm>
#include <climits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/schema.h"

namespace nbapc::validate {
namespace {

// S(D) = October 1 of season_year(D) (tdza.md §4, psza.md §4).
Date SeasonLowerBound(Date date) { return *Date::FromYmd(SeasonYear(date), 10, 1); }

std::string Names(const std::vector<std::string>& names, size_t limit = 5) {
  std::string text;
  for (size_t idx = 0; idx < names.size() && idx < limit; ++idx) text += (idx ? ", " : "") + names[idx];
  if (names.size() > limit) text += fmt::format(" ... and {} more", names.size() - limit);
  return text;
}

std::string Text(const Value& value) { return IsNull(value) ? std::string() : std::get<std::string>(value); }

}  // namespace

UniverseRule RuleForProcessor(const std::string& alias) {
  if (alias == "tdza") return UniverseRule::kTeamsWithSeasonGame;
  if (alias == "psza") return UniverseRule::kPlayersWithQualifyingGame;
  return UniverseRule::kGameDayPlayers;
}

void ForEachUniverse(const UniverseFacts& facts, UniverseRule rule, const std::vector<Date>& dates,
                     const std::function<bool(Date)>& historical,
                     const std::function<void(Date, const std::set<std::string>&)>& visit) {
  // One sweep over the ascending facts; the season state is reset when D
  // enters a new season, so it only ever holds rows of [S(D), D).
  size_t pgs_pos = 0;
  size_t tdgs_pos = 0;
  int season = INT_MIN;
  std::set<std::string> teams_with_game;                // TDGS teams in [S(D), D)
  std::set<std::string> qualified;                      // players with a qualifying PGS row in [S(D), D)
  std::map<std::string, std::string> latest_team;       // player -> team of his latest PGS row in [S(D), D)
  for (Date date : dates) {
    Date lower = SeasonLowerBound(date);
    if (SeasonYear(date) != season) {
      season = SeasonYear(date);
      teams_with_game.clear();
      qualified.clear();
      latest_team.clear();
    }
    for (; pgs_pos < facts.pgs.size() && facts.pgs[pgs_pos].date < date; ++pgs_pos) {
      const PgsFact& fact = facts.pgs[pgs_pos];
      if (fact.date < lower) continue;
      if (fact.qualifying) qualified.insert(fact.player);
      latest_team[fact.player] = fact.team;  // unique per (player, date): the later row wins
    }
    for (; tdgs_pos < facts.tdgs.size() && facts.tdgs[tdgs_pos].first < date; ++tdgs_pos) {
      if (facts.tdgs[tdgs_pos].first >= lower) teams_with_game.insert(facts.tdgs[tdgs_pos].second);
    }
    switch (rule) {
      case UniverseRule::kTeamsWithSeasonGame:
        visit(date, teams_with_game);
        break;
      case UniverseRule::kPlayersWithQualifyingGame:
        visit(date, qualified);
        break;
      case UniverseRule::kGameDayPlayers: {
        std::set<std::string> players;
        if (historical(date)) {
          // Every PGS row on D, DNP rows included (pdc.md §3, pcf.md §5, mlfs.md §3).
          auto first = std::lower_bound(facts.pgs.begin(), facts.pgs.end(), date,
                                        [](const PgsFact& fact, Date d) { return fact.date < d; });
          for (auto it = first; it != facts.pgs.end() && it->date == date; ++it) players.insert(it->player);
        } else {
          // UPGC players on D plus the roster fallback (pcf.md §13.4) of each
          // team of a non-postponed included game on D without UPGC rows.
          std::set<std::string> teams_with_context;
          auto upgc = facts.upgc.find(date);
          if (upgc != facts.upgc.end()) {
            for (const auto& [player, team] : upgc->second) {
              players.insert(player);
              teams_with_context.insert(team);
            }
          }
          std::set<std::string> roster_teams;
          auto games = facts.games.find(date);
          if (games != facts.games.end()) {
            for (const ScheduledGame& game : games->second) {
              for (const std::string& team : {game.away, game.home}) {
                if (!teams_with_context.count(team)) roster_teams.insert(team);
              }
            }
          }
          for (const auto& [player, team] : latest_team) {
            if (roster_teams.count(team)) players.insert(player);
          }
        }
        visit(date, players);
        break;
      }
    }
  }
}

Reconciliation Reconcile(Date date, const std::set<std::string>& universe, const std::set<std::string>& rows,
                         const std::map<std::string, std::string>& excluded) {
  Reconciliation out;
  out.date = date;
  out.universe = static_cast<int64_t>(universe.size());
  out.rows = static_cast<int64_t>(rows.size());
  out.excluded = static_cast<int64_t>(excluded.size());
  for (const auto& [entity, category] : excluded) {
    ++out.categories[category];
    if (rows.count(entity)) out.both.push_back(entity);
    if (!universe.count(entity)) out.outside.push_back(entity);
  }
  for (const std::string& entity : universe) {
    if (!rows.count(entity) && !excluded.count(entity)) out.unaccounted.push_back(entity);
  }
  for (const std::string& entity : rows) {
    if (!universe.count(entity)) out.outside.push_back(entity);
  }
  std::sort(out.outside.begin(), out.outside.end());
  out.outside.erase(std::unique(out.outside.begin(), out.outside.end()), out.outside.end());
  return out;
}

std::string Reconciliation::Line(const std::string& alias) const {
  std::string line = fmt::format("{}  {}  universe {} = rows {} + excluded {}", date.ToString(), alias, universe, rows,
                                 excluded);
  if (!categories.empty()) {
    std::vector<std::string> parts;
    for (const auto& [category, count] : categories) parts.push_back(fmt::format("{} {}", category, count));
    line += fmt::format(" ({})", fmt::join(parts, ", "));
  }
  line += fmt::format(" + unaccounted {}", unaccounted.size());
  if (!unaccounted.empty()) line += fmt::format(" ({})", Names(unaccounted));
  if (!outside.empty()) line += fmt::format("; outside the universe {} ({})", outside.size(), Names(outside));
  if (!both.empty()) line += fmt::format("; both a row and an exclusion {} ({})", both.size(), Names(both));
  if (!historical) line += "  [upcoming]";
  return line;
}

nlohmann::ordered_json Reconciliation::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["date"] = date.ToString();
  out["historical"] = historical;
  out["universe"] = universe;
  out["rows"] = rows;
  out["excluded"] = excluded;
  nlohmann::ordered_json categories_json = nlohmann::ordered_json::object();
  for (const auto& [category, count] : categories) categories_json[category] = count;
  out["excluded_by_category"] = categories_json;
  out["unaccounted"] = static_cast<int64_t>(unaccounted.size());
  out["unaccounted_entities"] = unaccounted;
  out["outside_universe"] = outside;
  out["row_and_exclusion"] = both;
  return out;
}

EntityCheckResult CheckEntities(const std::string& processor, const std::string& alias, const UniverseFacts& facts,
                                const std::vector<Date>& dates, const std::function<bool(Date)>& historical,
                                const AccountedEntities& accounted) {
  static const std::set<std::string> kNoRows;
  static const std::map<std::string, std::string> kNoExclusions;
  EntityCheckResult out;
  ForEachUniverse(facts, RuleForProcessor(alias), dates, historical,
                  [&](Date date, const std::set<std::string>& universe) {
                    auto rows = accounted.rows.find(date);
                    auto excluded = accounted.excluded.find(date);
                    Reconciliation r = Reconcile(date, universe, rows == accounted.rows.end() ? kNoRows : rows->second,
                                                 excluded == accounted.excluded.end() ? kNoExclusions
                                                                                      : excluded->second);
                    r.historical = historical(date);
                    out.dates.push_back(std::move(r));
                  });
  std::vector<std::string> bad;
  for (const Reconciliation& r : out.dates) {
    if (!r.ok()) bad.push_back(r.Line(alias));
  }
  Check& check = out.check;
  check.id = "C5";
  check.name = "entities accounted for";
  check.processor = processor;
  check.status = bad.empty() ? CheckStatus::kPass : CheckStatus::kFail;
  check.value = static_cast<int>(bad.size());
  check.threshold = 0;
  if (bad.empty()) {
    check.message = fmt::format("{} dates reconciled: universe = rows + excluded", out.dates.size());
  } else {
    constexpr size_t kShown = 3;
    std::vector<std::string> shown(bad.begin(), bad.begin() + std::min(kShown, bad.size()));
    check.message = fmt::format("{} of {} dates with entities not accounted for: {}{}", bad.size(), out.dates.size(),
                                fmt::join(shown, "; "),
                                bad.size() > kShown ? fmt::format(" ... and {} more", bad.size() - kShown) : "");
  }
  return out;
}

Result<UniverseFacts> LoadUniverseFacts(store::Warehouse& warehouse, Date from, Date to, bool pgs, bool tdgs,
                                        bool upcoming) {
  UniverseFacts facts;
  std::vector<Value> params = {Value{SeasonLowerBound(from).ToString()}, Value{to.ToString()}};
  if (pgs || upcoming) {
    // psza.md §4 qualifying game: is_active and (minutes_played > 0 or fg_attempts > 0), NULL not > 0.
    NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
        "SELECT game_date, player_lookup, team_abbr, CASE WHEN is_active = 1 AND (minutes_played > 0 OR fg_attempts > "
        "0) THEN 1 ELSE 0 END FROM nba_analytics.player_game_summary WHERE game_date BETWEEN ?1 AND ?2 ORDER BY "
        "game_date, player_lookup",
        params, [&](const Row& row) -> Status {
          PgsFact fact;
          NBAPC_ASSIGN_OR_RETURN(fact.date, Date::Parse(std::get<std::string>(row[0])));
          fact.player = Text(row[1]);
          fact.team = Text(row[2]);
          fact.qualifying = std::get<int64_t>(row[3]) == 1;
          facts.pgs.push_back(std::move(fact));
          return Status::Ok();
        }));
  }
  if (tdgs) {
    NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
        "SELECT game_date, defending_team_abbr FROM nba_analytics.team_defense_game_summary WHERE game_date BETWEEN ?1 "
        "AND ?2 ORDER BY game_date, defending_team_abbr",
        params, [&](const Row& row) -> Status {
          NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
          facts.tdgs.emplace_back(date, Text(row[1]));
          return Status::Ok();
        }));
  }
  if (upcoming) {
    std::vector<Value> range = {Value{from.ToString()}, Value{to.ToString()}};
    NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
        "SELECT game_date, player_lookup, team_abbr FROM nba_analytics.upcoming_player_game_context WHERE game_date "
        "BETWEEN ?1 AND ?2",
        range, [&](const Row& row) -> Status {
          NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
          facts.upgc[date][Text(row[1])] = Text(row[2]);
          return Status::Ok();
        }));
    // pcf.md §13.4: non-postponed regular-season, play-in or playoff games.
    NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
        "SELECT game_date, away_team_abbr, home_team_abbr FROM nba_raw.nbac_schedule WHERE game_date BETWEEN ?1 AND ?2 "
        "AND game_status <> 'postponed' AND game_type IN ('regular_season', 'play_in', 'playoff') ORDER BY game_date, "
        "game_id",
        range, [&](const Row& row) -> Status {
          NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
          facts.games[date].push_back(ScheduledGame{Text(row[1]), Text(row[2])});
          return Status::Ok();
        }));
  }
  return facts;
}

Result<std::map<Date, std::set<std::string>>> LoadEntityRows(store::Warehouse& warehouse, const std::string& table,
                                                             const std::string& entity_column, Date from, Date to) {
  const store::TableDef* def = store::FindTable(table);
  if (!def) return Status::NotFound(fmt::format("unknown table {}", table));
  std::map<Date, std::set<std::string>> out;
  std::vector<Value> params = {Value{from.ToString()}, Value{to.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT \"{0}\", \"{1}\" FROM {2} WHERE \"{0}\" BETWEEN ?1 AND ?2", def->date_column, entity_column,
                  def->FullName()),
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[0])));
        out[date].insert(Text(row[1]));
        return Status::Ok();
      }));
  return out;
}

Result<std::map<std::string, std::map<Date, std::map<std::string, std::string>>>> LoadExclusions(
    store::Warehouse& warehouse, const std::string& dataset, Date from, Date to) {
  std::map<std::string, std::map<Date, std::map<std::string, std::string>>> out;
  std::vector<Value> params = {Value{from.ToString()}, Value{to.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT processor_name, analysis_date, entity_id, failure_category FROM {}.precompute_failures WHERE "
                  "analysis_date BETWEEN ?1 AND ?2",
                  dataset),
      params, [&](const Row& row) -> Status {
        NBAPC_ASSIGN_OR_RETURN(Date date, Date::Parse(std::get<std::string>(row[1])));
        out[Text(row[0])][date][Text(row[2])] = Text(row[3]);
        return Status::Ok();
      }));
  return out;
}

}  // namespace nbapc::validate
