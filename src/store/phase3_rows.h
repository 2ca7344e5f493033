#pragma once
// Conversion between the typed input rows of core/phase3.h and generic rows
// in catalog column order, plus loading whole input tables (once per run).

#include <optional>
#include <vector>

#include "core/date.h"
#include "core/phase3.h"
#include "store/schema.h"
#include "store/warehouse.h"

namespace nbapc::store {

// Row (cells in TableDef column order) from a typed row.
Row ToRow(const ScheduleGame& game);
Row ToRow(const PlayerGame& row);
Row ToRow(const TeamDefenseGame& row);
Row ToRow(const TeamOffenseGame& row);
Row ToRow(const UpcomingPlayerContext& row);
Row ToRow(const UpcomingTeamContext& row);

const TableDef& ScheduleTable();
const TableDef& PlayerGameTable();
const TableDef& TeamDefenseTable();
const TableDef& TeamOffenseTable();
const TableDef& UpcomingPlayerTable();
const TableDef& UpcomingTeamTable();

// Typed row from a Row in TableDef column order (as read back from the
// warehouse: booleans may arrive as integers 0/1). Corruption on a bad cell.
Status FromRow(const Row& row, ScheduleGame* out);
Status FromRow(const Row& row, PlayerGame* out);
Status FromRow(const Row& row, TeamDefenseGame* out);
Status FromRow(const Row& row, TeamOffenseGame* out);
Status FromRow(const Row& row, UpcomingPlayerContext* out);
Status FromRow(const Row& row, UpcomingTeamContext* out);

// All rows of an input table, optionally limited to [from, to] on its date
// column, in key order.
template <typename T>
Result<std::vector<T>> LoadTable(Warehouse& warehouse, const TableDef& table, std::optional<Date> from = {},
                                 std::optional<Date> to = {});

// The rows of an input table WHERE `where` (SelectWhereSql), appended to
// `out` in physical (date-first) order.
template <typename T>
Status LoadTableWhere(Warehouse& warehouse, const TableDef& table, std::string_view where,
                      const std::vector<Value>& params, std::vector<T>* out);


}  // namespace nbapc::store
