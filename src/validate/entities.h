#pragma once
// Check C5 "entities accounted for" (spec/validation.md §2.2, §2.3): for each
// date a processor claims (covered, or a success whose rows were deleted),
// its universe recomputed with the processor's own rule (no formulas) must
// equal its rows plus its recorded exclusions (README §8.8).
//
// Universe rules:
//   TDZA  teams with a TDGS row in [S(D), D)                   (tdza.md §6)
//   PSZA  players with a qualifying PGS row in [S(D), D)       (psza.md §4, §6)
//   PDC, PCF, MLFS  historical D: players with a PGS row on D (DNP rows
//         included); upcoming D: players of UPGC rows on D plus the schedule
//         roster of each team of a non-postponed included game on D without
//         UPGC rows (pdc.md §3, pcf.md §5 and §13.4, mlfs.md §3)
// S(D) = October 1 of season_year(D).

#include <functional>
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

enum class UniverseRule {
  kTeamsWithSeasonGame,        // TDZA
  kPlayersWithQualifyingGame,  // PSZA
  kGameDayPlayers,             // PDC, PCF, MLFS
};

// The rule of a processor alias (tdza/psza/pdc/pcf/mlfs).
UniverseRule RuleForProcessor(const std::string& alias);

// One PGS row as C5 needs it.
struct PgsFact {
  Date date;
  std::string player;
  std::string team;
  bool qualifying = false;  // psza.md §4: is_active and (minutes > 0 or FGA > 0)
};

// One non-postponed regular-season / play-in / playoff schedule game.
struct ScheduledGame {
  std::string away;
  std::string home;
};

// Phase 3 facts the universe rules read, loaded once for the whole range.
struct UniverseFacts {
  std::vector<PgsFact> pgs;                                   // ascending date
  std::vector<std::pair<Date, std::string>> tdgs;             // (game_date, defending team), ascending date
  std::map<Date, std::map<std::string, std::string>> upgc;    // date -> player -> team_abbr
  std::map<Date, std::vector<ScheduledGame>> games;           // schedule games on each date
};

// Calls `visit(D, universe)` for every date of `dates` (ascending) with the
// universe of `rule`. `historical(D)` selects the game-day rule (README §5).
void ForEachUniverse(const UniverseFacts& facts, UniverseRule rule, const std::vector<Date>& dates,
                     const std::function<bool(Date)>& historical,
                     const std::function<void(Date, const std::set<std::string>&)>& visit);

// universe = rows + excluded + unaccounted for one (processor, date).
struct Reconciliation {
  Date date;
  bool historical = true;
  int64_t universe = 0;
  int64_t rows = 0;
  int64_t excluded = 0;
  std::map<std::string, int64_t> categories;  // failure_category -> count
  std::vector<std::string> unaccounted;        // universe entities without a row or an exclusion
  std::vector<std::string> outside;            // rows/exclusions of entities outside the universe
  std::vector<std::string> both;               // entities with a row and an exclusion

  bool ok() const { return unaccounted.empty() && outside.empty() && both.empty(); }
  // "2024-01-05  pdc  universe 231 = rows 214 + excluded 17 (INSUFFICIENT_DATA 17) + unaccounted 0"
  std::string Line(const std::string& alias) const;
  nlohmann::ordered_json ToJson() const;
};

Reconciliation Reconcile(Date date, const std::set<std::string>& universe, const std::set<std::string>& rows,
                         const std::map<std::string, std::string>& excluded);

// Rows and exclusions of one processor, per date.
struct AccountedEntities {
  std::map<Date, std::set<std::string>> rows;
  std::map<Date, std::map<std::string, std::string>> excluded;  // entity -> failure_category
};

struct EntityCheckResult {
  std::vector<Reconciliation> dates;  // ascending
  Check check;                        // C5
};

// C5 for one processor over `dates` (ascending).
EntityCheckResult CheckEntities(const std::string& processor, const std::string& alias, const UniverseFacts& facts,
                                const std::vector<Date>& dates, const std::function<bool(Date)>& historical,
                                const AccountedEntities& accounted);

// Loads the facts over [Oct 1 of season_year(from), to]: PGS when `pgs`, TDGS
// when `tdgs`, UPGC and the schedule when `upcoming`. One query per table.
Result<UniverseFacts> LoadUniverseFacts(store::Warehouse& warehouse, Date from, Date to, bool pgs, bool tdgs,
                                        bool upcoming);

// (date, entity) of `table` over [from, to] (one query).
Result<std::map<Date, std::set<std::string>>> LoadEntityRows(store::Warehouse& warehouse, const std::string& table,
                                                             const std::string& entity_column, Date from, Date to);

// `dataset`.precompute_failures over [from, to] (one query), per processor_name.
Result<std::map<std::string, std::map<Date, std::map<std::string, std::string>>>> LoadExclusions(
    store::Warehouse& warehouse, const std::string& dataset, Date from, Date to);

}  // namespace nbapc::validate
