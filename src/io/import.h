#pragma once
// `import` and `export` (spec/inputs.md §4): strict, two-phase, atomic.
// Every row of every file is parsed and checked first; any error means
// nothing is written. The write is one transaction, recorded in
// nba_reference.import_history.

#include <string>
#include <vector>

#include "core/status.h"
#include "io/row_check.h"
#include "store/schema.h"
#include "store/warehouse.h"

namespace nbapc::io {

struct ImportOptions {
  std::string format = "auto";       // auto | csv | ndjson
  std::string mode = "replace";      // replace | upsert | replace-dates
  std::string on_duplicate = "error";  // error | keep-first | keep-last
  bool calendar_days_rest = false;   // UPGC: days_rest holds calendar differences
  int max_errors = 20;
  std::string source = "import";     // import_history.source
};

// Rows of one table, checked, ready to write.
struct ParsedTable {
  const store::TableDef* table = nullptr;
  std::vector<std::string> files;
  std::string format;
  std::vector<Row> rows;
  std::vector<RowSource> sources;
  int rows_read = 0;
};

struct ImportSummary {
  std::string table;
  std::string mode;
  int rows_read = 0;
  int inserted = 0;
  int deleted = 0;
  int warnings = 0;
};

// Parses and checks FILEs for one table. Errors and warnings go to `diag`;
// the returned table is only meaningful when !diag.has_errors().
ParsedTable ParseImportFiles(const store::TableDef& table, const std::vector<std::string>& files,
                             const ImportOptions& options, Diagnostics& diag);

// Checks rows that did not come from files (demo-data) the same way.
void CheckGeneratedRows(ParsedTable& parsed, const ImportOptions& options, Diagnostics& diag);

// Adds warnings about Phase 3 rows without a schedule game and final
// schedule games without Phase 3 rows (inputs.md §4.5), using the schedule
// in `schedule_rows` (cells in nbac_schedule column order).
// `whole_table`: the rows are the table's new content (mode replace); else
// only the dates present in the rows are checked for missing Phase 3 rows.
void CheckAgainstSchedule(const ParsedTable& parsed, const std::vector<Row>& schedule_rows, Diagnostics& diag,
                          bool whole_table = true);

// Writes parsed tables in one transaction (replace / upsert / replace-dates),
// appending one import_history row per table; `warnings` counts per table.
Result<std::vector<ImportSummary>> WriteImport(store::Warehouse& warehouse, const std::vector<ParsedTable>& tables,
                                               const ImportOptions& options, const std::vector<int>& warnings);

// The whole import: parse and check every file of every table, then (only
// when there is no error) write them in one transaction. Errors are in
// `diag` and the Status is InvalidArgument("import rejected: nothing was
// written"); a write failure is returned as is (also nothing written).
Result<std::vector<ImportSummary>> ImportFiles(
    store::Warehouse& warehouse,
    const std::vector<std::pair<const store::TableDef*, std::vector<std::string>>>& inputs,
    const ImportOptions& options, Diagnostics& diag);

// 16 hex of SHA-256 over the table's rows in key order (import_history.content_hash).
Result<std::string> TableContentHash(store::Warehouse& warehouse, const store::TableDef& table);

// Files of DIR matching <dataset>.<table>[.*].{csv,ndjson,jsonl,json}[.gz], grouped by table.
Result<std::vector<std::pair<const store::TableDef*, std::vector<std::string>>>> FindImportFiles(
    const std::string& dir);

struct ExportOptions {
  std::string format = "csv";  // csv | ndjson
  std::string start_date;      // optional YYYY-MM-DD bounds on the table's date column
  std::string end_date;
};

// Writes the table ordered by key in the format the importer reads (inputs.md §4.7).
Status ExportTable(store::Warehouse& warehouse, const store::TableDef& table, const ExportOptions& options,
                   std::ostream& out);

// Export line formats: the CSV header, and one row as a CSV line or an
// NDJSON object (with trailing newline), appended to `out`.
std::string FormatHeader(const store::TableDef& table);
void FormatRow(const store::TableDef& table, const Row& row, bool csv, std::string* out);

// Text form of a stored cell for CSV/NDJSON/hashes: NULL -> "", doubles by
// FormatFloat, booleans true/false.
std::string CellText(const store::ColumnDef& column, const Value& cell);

}  // namespace nbapc::io
