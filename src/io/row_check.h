#pragma once
// Value parsing and row checks of spec/inputs.md §4.4-§4.5, shared by
// `import` (rows from files) and `demo-data` (generated rows go through the
// same checks). Pure: no I/O.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"
#include "core/value.h"
#include "store/schema.h"

namespace nbapc::io {

// Where a row came from, for messages: "importing FILE line N".
struct RowSource {
  std::string file;
  int line = 0;
};

// Collected errors (capped) and warnings (counted per kind, 5 examples each).
class Diagnostics {
 public:
  explicit Diagnostics(int max_errors = 20) : max_errors_(max_errors) {}
  void Error(const RowSource& at, const std::string& message);
  void Error(const std::string& message);  // not tied to a line
  void Warning(const std::string& kind, const std::string& message);

  bool has_errors() const { return error_count_ > 0; }
  bool full() const { return error_count_ >= max_errors_; }
  int error_count() const { return error_count_; }
  const std::vector<std::string>& errors() const { return errors_; }
  int warning_count() const;
  // "error 1\n...\n... and N more errors".
  std::string ErrorText() const;
  // One line per kind ("WARN  3 × unknown column: ...") then up to 5 examples.
  std::vector<std::string> WarningLines() const;

 private:
  int max_errors_;
  int error_count_ = 0;
  std::vector<std::string> errors_;
  struct Kind {
    int count = 0;
    std::vector<std::string> examples;
  };
  std::map<std::string, Kind> warnings_;
};

// Parses one CSV text cell of `column`. `quoted` distinguishes "" (empty
// string for TEXT) from an unquoted empty field (NULL). On failure returns the
// message without location ("column game_date: \"2024-02-30\" is not a date").
Result<Value> ParseTextCell(const store::ColumnDef& column, std::string_view text, bool quoted);
// Parses one NDJSON value (numbers may be strings, as BigQuery writes INT64).
Result<Value> ParseJsonCell(const store::ColumnDef& column, const nlohmann::json& value);

// Per-row checks (NOT NULL, domains, game_id vs date/teams, season_year,
// realistic ranges and consistency warnings). Normalises enum spellings in
// place. Errors and warnings go to `diag` with `at` as location.
void CheckRow(const store::TableDef& table, Row& row, const RowSource& at, Diagnostics& diag);

// Duplicate keys (primary and second unique key) across rows; `sources`
// parallel to `rows`. Policy "error" reports each duplicate; "keep-first" /
// "keep-last" drop rows (returned `keep` mask) with a warning per pair.
std::vector<bool> CheckDuplicates(const store::TableDef& table, const std::vector<Row>& rows,
                                  const std::vector<RowSource>& sources, const std::string& policy,
                                  Diagnostics& diag);

// Schedule-wide checks: a team in two non-postponed included games on a date.
void CheckScheduleTable(const store::TableDef& table, const std::vector<Row>& rows,
                        const std::vector<RowSource>& sources, Diagnostics& diag);

// Validity of a UTF-8 byte string.
bool IsValidUtf8(std::string_view text);

// The key of a row (cells of `columns`) as text, for messages and sorting.
std::string KeyText(const store::TableDef& table, const Row& row, const std::vector<std::string>& columns);

}  // namespace nbapc::io
