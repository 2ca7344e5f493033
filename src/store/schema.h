#pragma once
// The table catalog: every table of every dataset, defined once (spec/README.md
// §4). DDL, import, export, loading and writing all read these definitions;
// the store knows tables, never formulas.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nbapc::store {

// Logical types (README §4.2).
enum class ColumnType { kInteger, kFloat, kNumeric, kText, kBoolean, kDate, kTimestamp, kArray, kJson };
const char* ColumnTypeName(ColumnType type);

// Value domains checked on import (inputs.md §1, §4.5).
enum class Domain {
  kNone,
  kTeam,              // one of the 30 tricodes
  kScheduleTeam,      // 30 tricodes, or 2-4 capitals on preseason/all_star rows
  kPlayerLookup,      // ^[a-z0-9]{2,64}$
  kUniversalPlayerId, // ^[a-z0-9]{2,64}_[0-9]{3}$
  kPhase3GameId,      // YYYYMMDD_AWAY_HOME
  kNbaGameId,         // 10 digits
  kGameType,          // regular_season, play_in, playoff, all_star, preseason (+ import spellings)
  kGameStatus,        // scheduled, final, postponed (+ import spellings)
  kNonNegative,       // counts
};

enum class TableKind { kInput, kOutput, kBookkeeping };

struct ColumnDef {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool nullable = true;
  int scale = -1;  // NUMERIC(p,s): s; -1 otherwise
  Domain domain = Domain::kNone;
  // Realistic range (inputs.md §2-§3): outside it is a warning, not an error.
  std::optional<double> range_min;
  std::optional<double> range_max;
};

struct TableDef {
  std::string dataset;  // "nba_analytics"
  std::string name;     // "player_game_summary"
  TableKind kind = TableKind::kInput;
  std::vector<ColumnDef> columns;
  std::vector<std::string> key;         // primary key
  std::vector<std::string> unique_key;  // second unique key, may be empty
  std::string date_column;              // column holding the row's date ("" if none)

  std::string FullName() const { return dataset + "." + name; }
  // Index of the column, or -1.
  int ColumnIndex(std::string_view column) const;
  const ColumnDef* FindColumn(std::string_view column) const;
};

// All tables, in a fixed order (inputs, outputs, bookkeeping).
std::span<const TableDef> AllTables();
// By "dataset.table" (or a unique bare table name); nullptr when unknown.
const TableDef* FindTable(std::string_view name);
// "did you mean" candidate for an unknown table name, or "".
std::string SuggestTable(std::string_view name);
// Dataset names in attach order.
std::span<const std::string> AllDatasets();

// CREATE TABLE / index / view statements for one dataset (SQLite dialect).
std::vector<std::string> DatasetDdl(std::string_view dataset);

// The physical key of a table: the key (primary or second unique) holding
// its date column, date first; else the primary key.
std::vector<std::string> PhysicalKey(const TableDef& table);

// SELECT of every column of `table` in catalog order, ordered by key; with
// `with_date_range`, parameters ?1/?2 bound the date column (inclusive).
std::string SelectAllSql(const TableDef& table, bool with_date_range);

// SELECT of every column of `table` in catalog order WHERE `where` (SQL text
// with ?N parameters), in physical (date-first) order.
std::string SelectWhereSql(const TableDef& table, std::string_view where);

// Output tables are contributed by one file per processor (schema_<alias>.cc)
// so each processor's schema sits in one place next to the others.
TableDef TdzaTableDef();
TableDef PszaTableDef();
TableDef PdcTableDef();
TableDef PcfTableDef();
TableDef MlfsTableDef();

}  // namespace nbapc::store
