#include "io/import.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <set>

#include <fmt/format.h>

#include "core/date.h"
#include "core/hash.h"
#include "core/numbers.h"
#include "core/phase3.h"
#include "core/version.h"
#include "io/csv.h"

namespace nbapc::io {
namespace {

namespace fs = std::filesystem;
using store::ColumnDef;
using store::ColumnType;
using store::TableDef;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  if (EndsWith(path, ".gz")) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) return Status::IOError(fmt::format("importing {}: cannot open file", path));
    std::string out;
    char buf[1 << 16];
    while (true) {
      int n = gzread(file, buf, sizeof(buf));
      if (n < 0) {
        gzclose(file);
        return Status::InvalidArgument(fmt::format("importing {}: bad gzip data", path));
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    gzclose(file);
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(fmt::format("importing {}: cannot open file", path));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(fmt::format("importing {}: read error", path));
  return out;
}

std::string DetectFormat(const std::string& path, const std::string& requested) {
  if (requested != "auto") return requested;
  std::string name = path;
  if (EndsWith(name, ".gz")) name = name.substr(0, name.size() - 3);
  if (EndsWith(name, ".csv")) return "csv";
  if (EndsWith(name, ".json") || EndsWith(name, ".ndjson") || EndsWith(name, ".jsonl")) return "ndjson";
  return "";
}

// Maps file column names to catalog columns (aliases of inputs.md §2).
std::string CanonicalColumn(const TableDef& table, const std::string& name) {
  if (table.name == "nbac_schedule") {
    if (name == "home_team_tricode") return "home_team_abbr";
    if (name == "away_team_tricode") return "away_team_abbr";
  }
  return name;
}

void NoteMissingColumns(const TableDef& table, const std::string& file, const std::vector<int>& present,
                        Diagnostics& diag, bool* fatal) {
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    if (present[idx]) continue;
    const ColumnDef& col = table.columns[idx];
    bool required = !col.nullable || std::find(table.key.begin(), table.key.end(), col.name) != table.key.end();
    if (required) {
      diag.Error(fmt::format("importing {}: missing required column \"{}\"", file, col.name));
      *fatal = true;
    } else {
      diag.Warning("nullable column absent from the file (all values NULL)",
                   fmt::format("{}: column \"{}\" is absent", file, col.name));
    }
  }
}

void ParseCsvFile(const TableDef& table, const std::string& path, std::string_view content, ParsedTable& out,
                  std::vector<std::string>* header_seen, Diagnostics& diag) {
  auto records = ParseCsv(content);
  if (!records.ok()) {
    diag.Error(fmt::format("importing {} {}", path, records.status().message()));
    return;
  }
  if (records->empty()) {
    diag.Error(fmt::format("importing {}: empty file (no header)", path));
    return;
  }
  const CsvRecord& header = (*records)[0];
  std::vector<std::string> names;
  for (const CsvField& field : header.fields) names.push_back(field.text);
  if (!header_seen->empty() && *header_seen != names) {
    diag.Error(fmt::format("importing {}: header differs from the first file's header", path));
    return;
  }
  *header_seen = names;
  std::vector<int> mapping(names.size(), -1);
  std::vector<int> present(table.columns.size(), 0);
  std::set<std::string> seen;
  bool fatal = false;
  for (size_t idx = 0; idx < names.size(); ++idx) {
    std::string name = CanonicalColumn(table, names[idx]);
    if (!seen.insert(name).second) {
      diag.Error(fmt::format("importing {} line 1: duplicate column \"{}\" in the header", path, name));
      fatal = true;
      continue;
    }
    int col = table.ColumnIndex(name);
    if (col < 0) {
      diag.Warning("unknown column ignored",
                   fmt::format("column \"{}\" is not part of {}; ignored", name, table.FullName()));
      continue;
    }
    mapping[idx] = col;
    present[static_cast<size_t>(col)] = 1;
  }
  NoteMissingColumns(table, path, present, diag, &fatal);
  if (fatal) return;
  for (size_t rec_idx = 1; rec_idx < records->size(); ++rec_idx) {
    if (diag.full()) return;
    const CsvRecord& record = (*records)[rec_idx];
    RowSource at{path, record.line};
    ++out.rows_read;
    if (record.fields.size() != names.size()) {
      diag.Error(at, fmt::format("expected {} fields, found {}", names.size(), record.fields.size()));
      continue;
    }
    Row row(table.columns.size());
    bool bad = false;
    for (size_t idx = 0; idx < names.size(); ++idx) {
      if (mapping[idx] < 0) continue;
      const ColumnDef& col = table.columns[static_cast<size_t>(mapping[idx])];
      auto cell = ParseTextCell(col, record.fields[idx].text, record.fields[idx].quoted);
      if (!cell.ok()) {
        diag.Error(at, cell.status().message());
        bad = true;
        continue;
      }
      row[static_cast<size_t>(mapping[idx])] = std::move(*cell);
    }
    if (bad) continue;
    out.rows.push_back(std::move(row));
    out.sources.push_back(at);
  }
}

void ParseNdjsonFile(const TableDef& table, const std::string& path, std::string_view content, ParsedTable& out,
                     Diagnostics& diag) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::vector<int> present(table.columns.size(), 0);
  std::set<std::string> unknown;
  int line_no = 0;
  size_t pos = 0;
  bool any = false;
  std::vector<std::pair<Row, RowSource>> pending;
  while (pos < content.size()) {
    if (diag.full()) return;
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    RowSource at{path, line_no};
    any = true;
    ++out.rows_read;
    if (!IsValidUtf8(line)) {
      diag.Error(at, "invalid UTF-8");
      continue;
    }
    auto obj = nlohmann::json::parse(line, nullptr, false);
    if (obj.is_discarded()) {
      diag.Error(at, "malformed JSON (truncated line?)");
      continue;
    }
    if (!obj.is_object()) {
      diag.Error(at, "not a JSON object");
      continue;
    }
    Row row(table.columns.size());
    bool bad = false;
    for (const auto& [key, value] : obj.items()) {
      std::string name = CanonicalColumn(table, key);
      int col = table.ColumnIndex(name);
      if (col < 0) {
        if (unknown.insert(name).second) {
          diag.Warning("unknown column ignored",
                       fmt::format("column \"{}\" is not part of {}; ignored", name, table.FullName()));
        }
        continue;
      }
      present[static_cast<size_t>(col)] = 1;
      auto cell = ParseJsonCell(table.columns[static_cast<size_t>(col)], value);
      if (!cell.ok()) {
        diag.Error(at, cell.status().message());
        bad = true;
        continue;
      }
      row[static_cast<size_t>(col)] = std::move(*cell);
    }
    if (bad) continue;
    out.rows.push_back(std::move(row));
    out.sources.push_back(at);
  }
  if (!any) {
    diag.Error(fmt::format("importing {}: empty file", path));
    return;
  }
  // An absent key is NULL; only a required column absent from every line is an error.
  bool fatal = false;
  NoteMissingColumns(table, path, present, diag, &fatal);
}

void ApplyCalendarDaysRest(ParsedTable& parsed) {
  const TableDef& table = *parsed.table;
  int rest_idx = table.ColumnIndex("days_rest");
  int b2b_idx = table.ColumnIndex("back_to_back");
  for (Row& row : parsed.rows) {
    Value& rest = row[static_cast<size_t>(rest_idx)];
    if (auto* days = std::get_if<int64_t>(&rest)) {
      *days -= 1;  // calendar difference -> full days off (inputs.md §1)
      row[static_cast<size_t>(b2b_idx)] = Value{*days == 0};
    }
  }
}

std::string NewId(const char* prefix) {
  std::random_device rd;
  std::string ts = NowUtcTimestamp();  // YYYY-MM-DDTHH:MM:SS.mmmZ
  std::string compact = ts.substr(0, 4) + ts.substr(5, 2) + ts.substr(8, 2) + "T" + ts.substr(11, 2) +
                        ts.substr(14, 2) + ts.substr(17, 2) + "Z";
  return fmt::format("{}{}-{:08x}", prefix, compact, rd());
}

}  // namespace

std::string CellText(const ColumnDef& column, const Value& cell) {
  if (IsNull(cell)) return "";
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<int64_t>(&cell)) {
    if (column.type == ColumnType::kBoolean) return *i ? "true" : "false";
    if (column.type == ColumnType::kFloat || column.type == ColumnType::kNumeric) return FormatFloat(static_cast<double>(*i));
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&cell)) return FormatFloat(*d);
  return std::get<std::string>(cell);
}

void CheckGeneratedRows(ParsedTable& parsed, const ImportOptions& options, Diagnostics& diag) {
  const TableDef& table = *parsed.table;
  for (size_t idx = 0; idx < parsed.rows.size(); ++idx) CheckRow(table, parsed.rows[idx], parsed.sources[idx], diag);
  std::vector<bool> keep = CheckDuplicates(table, parsed.rows, parsed.sources, options.on_duplicate, diag);
  if (table.name == "nbac_schedule") CheckScheduleTable(table, parsed.rows, parsed.sources, diag);
  if (std::find(keep.begin(), keep.end(), false) != keep.end()) {
    std::vector<Row> rows;
    std::vector<RowSource> sources;
    for (size_t idx = 0; idx < keep.size(); ++idx) {
      if (!keep[idx]) continue;
      rows.push_back(std::move(parsed.rows[idx]));
      sources.push_back(parsed.sources[idx]);
    }
    parsed.rows = std::move(rows);
    parsed.sources = std::move(sources);
  }
}

ParsedTable ParseImportFiles(const TableDef& table, const std::vector<std::string>& files, const ImportOptions& options,
                             Diagnostics& diag) {
  ParsedTable parsed;
  parsed.table = &table;
  parsed.files = files;
  std::vector<std::string> header;
  for (const std::string& path : files) {
    std::string format = DetectFormat(path, options.format);
    if (format.empty()) {
      diag.Error(fmt::format("importing {}: cannot tell the format from the extension; use --format csv|ndjson", path));
      continue;
    }
    if (!parsed.format.empty() && parsed.format != format) {
      diag.Error(fmt::format("importing {}: all files of one table must have the same format", path));
      continue;
    }
    parsed.format = format;
    auto content = ReadFileBytes(path);
    if (!content.ok()) {
      diag.Error(content.status().message());
      continue;
    }
    if (format == "csv") {
      ParseCsvFile(table, path, *content, parsed, &header, diag);
    } else {
      ParseNdjsonFile(table, path, *content, parsed, diag);
    }
  }
  if (diag.has_errors()) return parsed;
  if (options.calendar_days_rest && table.name == "upcoming_player_game_context") ApplyCalendarDaysRest(parsed);
  CheckGeneratedRows(parsed, options, diag);
  return parsed;
}

void CheckAgainstSchedule(const ParsedTable& parsed, const std::vector<Row>& schedule_rows, Diagnostics& diag,
                          bool whole_table) {
  const TableDef& table = *parsed.table;
  if (table.dataset != "nba_analytics" || schedule_rows.empty()) return;
  if (table.name == "upcoming_player_game_context" || table.name == "upcoming_team_game_context") return;
  const TableDef& sched = *store::FindTable("nba_raw.nbac_schedule");
  int s_date = sched.ColumnIndex("game_date"), s_home = sched.ColumnIndex("home_team_abbr"),
      s_away = sched.ColumnIndex("away_team_abbr"), s_status = sched.ColumnIndex("game_status"),
      s_type = sched.ColumnIndex("game_type");
  std::set<std::string> scheduled;   // team|date of non-postponed included games
  std::set<std::string> final_games; // team|date of final included games
  for (const Row& row : schedule_rows) {
    const auto& type = std::get<std::string>(row[static_cast<size_t>(s_type)]);
    const auto& status = std::get<std::string>(row[static_cast<size_t>(s_status)]);
    auto parsed_type = ParseGameType(type);
    if (!parsed_type || !IsIncludedGameType(*parsed_type) || status == "postponed") continue;
    for (int team_idx : {s_home, s_away}) {
      std::string key = std::get<std::string>(row[static_cast<size_t>(team_idx)]) + "|" +
                        std::get<std::string>(row[static_cast<size_t>(s_date)]);
      scheduled.insert(key);
      if (status == "final") final_games.insert(key);
    }
  }
  int team_idx = table.ColumnIndex(table.name == "team_defense_game_summary" ? "defending_team_abbr" : "team_abbr");
  int date_idx = table.ColumnIndex("game_date");
  std::set<std::string> covered;
  std::set<std::string> file_dates;
  for (size_t idx = 0; idx < parsed.rows.size(); ++idx) {
    const Row& row = parsed.rows[idx];
    file_dates.insert(std::get<std::string>(row[static_cast<size_t>(date_idx)]));
    std::string key = std::get<std::string>(row[static_cast<size_t>(team_idx)]) + "|" +
                      std::get<std::string>(row[static_cast<size_t>(date_idx)]);
    covered.insert(key);
    if (!scheduled.count(key)) {
      diag.Warning("Phase 3 row without a schedule game",
                   fmt::format("{} line {}: no non-postponed schedule game for {}", parsed.sources[idx].file, parsed.sources[idx].line, key));
    }
  }
  if (table.name == "player_game_summary" || table.name == "team_defense_game_summary" ||
      table.name == "team_offense_game_summary") {
    for (const std::string& key : final_games) {
      if (!whole_table && !file_dates.count(key.substr(key.find('|') + 1))) continue;
      if (!covered.count(key)) {
        diag.Warning(fmt::format("final schedule game without {} rows", table.name), fmt::format("{}", key));
      }
    }
  }
}

Result<std::string> TableContentHash(store::Warehouse& warehouse, const TableDef& table) {
  Sha256 sha;
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(store::SelectAllSql(table, false), {}, [&](const Row& row) {
    std::string line;
    for (size_t idx = 0; idx < row.size(); ++idx) {
      if (idx) line += '\t';
      line += IsNull(row[idx]) ? "\\N" : CellText(table.columns[idx], row[idx]);
    }
    line += '\n';
    sha.Update(line);
    return Status::Ok();
  }, nullptr));
  return sha.HexDigest().substr(0, 16);
}

}  // namespace nbapc::io

namespace nbapc::io {
namespace {

// Deletes the rows the mode replaces; returns the count deleted.
Result<int> DeleteForMode(store::Warehouse& warehouse, const ParsedTable& parsed, const std::string& mode) {
  const TableDef& table = *parsed.table;
  NBAPC_ASSIGN_OR_RETURN(auto before, warehouse.Query(fmt::format("SELECT COUNT(*) FROM {}", table.FullName())));
  int64_t count_before = std::get<int64_t>(before.rows[0][0]);
  if (mode == "replace") {
    NBAPC_RETURN_IF_ERROR(warehouse.Execute(fmt::format("DELETE FROM {}", table.FullName())));
    return static_cast<int>(count_before);
  }
  if (mode == "replace-dates") {
    if (table.date_column.empty()) {
      return Status::InvalidArgument(fmt::format("{} has no date column; --mode replace-dates does not apply",
                                                 table.FullName()));
    }
    int date_idx = table.ColumnIndex(table.date_column);
    std::set<std::string> dates;
    for (const Row& row : parsed.rows) {
      if (const auto* d = std::get_if<std::string>(&row[static_cast<size_t>(date_idx)])) dates.insert(*d);
    }
    std::string sql = fmt::format("DELETE FROM {} WHERE \"{}\" = ?1", table.FullName(), table.date_column);
    for (const std::string& date : dates) {
      Value param{date};
      NBAPC_RETURN_IF_ERROR(warehouse.Execute(sql, std::span<const Value>(&param, 1)));
    }
    NBAPC_ASSIGN_OR_RETURN(auto after, warehouse.Query(fmt::format("SELECT COUNT(*) FROM {}", table.FullName())));
    return static_cast<int>(count_before - std::get<int64_t>(after.rows[0][0]));
  }
  return 0;  // upsert: replaced rows are counted by the insert
}

}  // namespace

Result<std::vector<ImportSummary>> WriteImport(store::Warehouse& warehouse, const std::vector<ParsedTable>& tables,
                                               const ImportOptions& options, const std::vector<int>& warnings) {
  std::vector<ImportSummary> summaries;
  std::string started = NowUtcTimestamp();
  store::Transaction txn(warehouse);
  NBAPC_RETURN_IF_ERROR(txn.Begin());
  for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const ParsedTable& parsed = tables[table_idx];
    const TableDef& table = *parsed.table;
    ImportSummary summary;
    summary.table = table.FullName();
    summary.mode = options.mode;
    summary.rows_read = parsed.rows_read;
    NBAPC_ASSIGN_OR_RETURN(summary.deleted, DeleteForMode(warehouse, parsed, options.mode));
    NBAPC_RETURN_IF_ERROR(warehouse.InsertRows(table, parsed.rows, options.mode == "upsert"));
    summary.inserted = static_cast<int>(parsed.rows.size());
    summary.warnings = table_idx < warnings.size() ? warnings[table_idx] : 0;
    NBAPC_ASSIGN_OR_RETURN(std::string content_hash, TableContentHash(warehouse, table));
    nlohmann::json files = parsed.files;
    std::vector<Value> history = {Value{NewId("imp-")},
                                  Value{table.FullName()},
                                  Value{options.source},
                                  Value{files.dump()},
                                  Value{parsed.format.empty() ? std::string("generated") : parsed.format},
                                  Value{options.mode},
                                  Value{static_cast<int64_t>(summary.rows_read)},
                                  Value{static_cast<int64_t>(summary.inserted)},
                                  Value{static_cast<int64_t>(summary.deleted)},
                                  Value{static_cast<int64_t>(summary.warnings)},
                                  Value{content_hash},
                                  Value{started},
                                  Value{NowUtcTimestamp()},
                                  Value{std::string(kEngineVersion)}};
    const TableDef& import_history = *store::FindTable("nba_reference.import_history");
    NBAPC_RETURN_IF_ERROR(warehouse.InsertRows(import_history, std::vector<Row>{history}));
    summaries.push_back(summary);
  }
  NBAPC_RETURN_IF_ERROR(txn.Commit());
  return summaries;
}

Result<std::vector<ImportSummary>> ImportFiles(
    store::Warehouse& warehouse, const std::vector<std::pair<const TableDef*, std::vector<std::string>>>& inputs,
    const ImportOptions& options, Diagnostics& diag) {
  std::vector<ParsedTable> parsed;
  std::vector<Row> schedule_rows;
  std::vector<int> warnings_per_table;
  for (const auto& [table, files] : inputs) {
    int before = diag.warning_count();
    parsed.push_back(ParseImportFiles(*table, files, options, diag));
    warnings_per_table.push_back(diag.warning_count() - before);
    if (table->name == "nbac_schedule") schedule_rows = parsed.back().rows;
  }
  if (diag.has_errors()) return Status::InvalidArgument("import rejected: nothing was written");
  if (schedule_rows.empty()) {
    auto existing = warehouse.Query(store::SelectAllSql(*store::FindTable("nba_raw.nbac_schedule"), false));
    if (existing.ok()) schedule_rows = std::move(existing->rows);
  }
  for (size_t idx = 0; idx < parsed.size(); ++idx) {
    int before = diag.warning_count();
    CheckAgainstSchedule(parsed[idx], schedule_rows, diag, options.mode == "replace");
    warnings_per_table[idx] += diag.warning_count() - before;
  }
  return WriteImport(warehouse, parsed, options, warnings_per_table);
}

Result<std::vector<std::pair<const TableDef*, std::vector<std::string>>>> FindImportFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument(fmt::format("{} is not a directory", dir));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::pair<const TableDef*, std::vector<std::string>>> out;
  for (const std::string& name : names) {
    std::string base = EndsWith(name, ".gz") ? name.substr(0, name.size() - 3) : name;
    if (DetectFormat(base, "auto").empty()) continue;
    size_t first_dot = base.find('.');
    if (first_dot == std::string::npos) continue;
    size_t second_dot = base.find('.', first_dot + 1);
    std::string table_name = base.substr(0, second_dot);
    const TableDef* table = store::FindTable(table_name);
    if (!table) {
      std::string hint = store::SuggestTable(table_name);
      return Status::InvalidArgument(fmt::format("{}/{}: unknown table {}{}", dir, name, table_name,
                                                 hint.empty() ? "" : " (did you mean " + hint + "?)"));
    }
    if (table->kind == store::TableKind::kBookkeeping) {
      return Status::InvalidArgument(fmt::format("{}/{}: bookkeeping table {} cannot be imported", dir, name,
                                                 table->FullName()));
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == table; });
    if (it == out.end()) {
      out.push_back({table, {}});
      it = std::prev(out.end());
    }
    it->second.push_back((fs::path(dir) / name).string());
  }
  // Catalog order (schedule first) so checks against the schedule see it.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string FormatHeader(const TableDef& table) {
  std::string line;
  for (size_t idx = 0; idx < table.columns.size(); ++idx) line += (idx ? "," : "") + table.columns[idx].name;
  return line + "\n";
}

void FormatRow(const TableDef& table, const Row& row, bool csv, std::string* out) {
  if (csv) {
    for (size_t idx = 0; idx < row.size(); ++idx) {
      if (idx) *out += ',';
      std::string text = CellText(table.columns[idx], row[idx]);
      // A stored empty string must not read back as NULL: quote it.
      *out += CsvEscape(text, !IsNull(row[idx]) && text.empty());
    }
    *out += '\n';
    return;
  }
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (size_t idx = 0; idx < row.size(); ++idx) {
    const ColumnDef& col = table.columns[idx];
    const Value& cell = row[idx];
    if (IsNull(cell)) {
      obj[col.name] = nullptr;
    } else if (col.type == ColumnType::kBoolean) {
      obj[col.name] = CellText(col, cell) == "true";
    } else if (col.type == ColumnType::kInteger) {
      obj[col.name] = std::get<int64_t>(cell);
    } else if (col.type == ColumnType::kFloat || col.type == ColumnType::kNumeric) {
      obj[col.name] = std::holds_alternative<double>(cell) ? std::get<double>(cell)
                                                           : static_cast<double>(std::get<int64_t>(cell));
    } else if (col.type == ColumnType::kArray || col.type == ColumnType::kJson) {
      obj[col.name] = nlohmann::ordered_json::parse(std::get<std::string>(cell), nullptr, false);
    } else {
      obj[col.name] = std::get<std::string>(cell);
    }
  }
  *out += obj.dump();
  *out += '\n';
}

Status ExportTable(store::Warehouse& warehouse, const TableDef& table, const ExportOptions& options,
                   std::ostream& out) {
  bool ranged = !options.start_date.empty() || !options.end_date.empty();
  if (ranged && table.date_column.empty()) {
    return Status::InvalidArgument(fmt::format("{} has no date column for --start-date/--end-date", table.FullName()));
  }
  std::vector<Value> params;
  if (ranged) {
    params.push_back(Value{options.start_date.empty() ? std::string("0000-00-00") : options.start_date});
    params.push_back(Value{options.end_date.empty() ? std::string("9999-99-99") : options.end_date});
  }
  bool csv = options.format == "csv";
  if (csv) out << FormatHeader(table);
  std::string line;
  Status status = warehouse.QueryEach(store::SelectAllSql(table, ranged), params, [&](const Row& row) {
    line.clear();
    FormatRow(table, row, csv, &line);
    out << line;
    if (!out) return Status::IOError("write error");
    return Status::Ok();
  }, nullptr);
  return status;
}

}  // namespace nbapc::io
