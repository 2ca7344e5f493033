// `nba-precompute sql` (spec/backfill.md §2.3).
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "core/numbers.h"
#include "io/csv.h"

namespace nbapc::cli {
namespace {

std::string CellString(const Value& cell) {
  if (IsNull(cell)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) return FormatFloat(*d);
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "true" : "false";
  return std::get<std::string>(cell);
}

void PrintTable(const store::QueryResult& result, std::ostream& out) {
  size_t ncol = result.columns.size();
  std::vector<size_t> width(ncol);
  std::vector<bool> numeric(ncol, true);
  for (size_t col = 0; col < ncol; ++col) width[col] = result.columns[col].size();
  for (const Row& row : result.rows) {
    for (size_t col = 0; col < ncol; ++col) {
      width[col] = std::max(width[col], CellString(row[col]).size());
      if (std::holds_alternative<std::string>(row[col])) numeric[col] = false;
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (size_t col = 0; col < ncol; ++col) {
      if (col) text += "  ";
      bool right = numeric[col] && !header;
      text += right ? fmt::format("{:>{}}", cells[col], width[col]) : fmt::format("{:<{}}", cells[col], width[col]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(result.columns, true);
  std::vector<std::string> rule;
  for (size_t col = 0; col < ncol; ++col) rule.push_back(std::string(width[col], '-'));
  line(rule, true);
  for (const Row& row : result.rows) {
    std::vector<std::string> cells;
    for (const Value& cell : row) cells.push_back(CellString(cell));
    line(cells, false);
  }
  out << fmt::format("({} row{})\n", result.rows.size(), result.rows.size() == 1 ? "" : "s");
}

void PrintCsv(const store::QueryResult& result, std::ostream& out) {
  for (size_t col = 0; col < result.columns.size(); ++col) out << (col ? "," : "") << io::CsvEscape(result.columns[col]);
  out << '\n';
  for (const Row& row : result.rows) {
    for (size_t col = 0; col < row.size(); ++col) {
      out << (col ? "," : "") << (IsNull(row[col]) ? "" : io::CsvEscape(CellString(row[col])));
    }
    out << '\n';
  }
}

void PrintJson(const store::QueryResult& result, std::ostream& out) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Row& row : result.rows) {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (size_t col = 0; col < row.size(); ++col) {
      const Value& cell = row[col];
      const std::string& name = result.columns[col];
      if (IsNull(cell)) obj[name] = nullptr;
      else if (const auto* i = std::get_if<int64_t>(&cell)) obj[name] = *i;
      else if (const auto* d = std::get_if<double>(&cell)) obj[name] = *d;
      else obj[name] = CellString(cell);
    }
    rows.push_back(std::move(obj));
  }
  out << rows.dump(2) << '\n';
}

}  // namespace

Subcommand SqlCommand() {
  return {"sql", "run one SQL statement with every dataset attached (read-only unless --write)",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string statement;
              std::string file;
              std::string format = "table";
              bool write = false;
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("statement", opts->statement, "the SQL statement");
            sub->add_option("-f,--file", opts->file, "read the statement from FILE");
            sub->add_option("--format", opts->format, "table (or pretty), csv, json")
                ->check(CLI::IsMember({"table", "pretty", "csv", "json"}));
            sub->add_flag("--write", opts->write, "allow statements that modify the warehouse");
            return [opts, &global]() -> int {
              std::string sql = opts->statement;
              if (!opts->file.empty()) {
                std::ifstream in(opts->file);
                if (!in) return Fail(ExitCode::kUsage, fmt::format("-f: cannot read {}", opts->file));
                std::stringstream buf;
                buf << in.rdbuf();
                sql = buf.str();
              }
              if (sql.empty()) return Fail(ExitCode::kUsage, "sql: give a statement or -f FILE");
              store::WarehouseOptions wopts;
              wopts.url = global.WarehouseUrl();
              wopts.read_only = !opts->write;
              backfill::LockSet locks;
              if (opts->write && store::WarehouseExists(wopts.url)) {
                if (int code = TakeImportLock(&locks, wopts.url, global); code != 0) return code;
              }
              auto warehouse = store::OpenWarehouse(wopts);
              if (!warehouse.ok()) return FailOpen(warehouse.status());
              auto result = (*warehouse)->Query(sql);
              if (!result.ok()) {
                std::string message = result.status().message();
                if (!opts->write && message.find("readonly") != std::string::npos) {
                  message += " (the sql command is read-only; add --write to modify the warehouse)";
                }
                return Fail(ExitCode::kDatesFailed, "SQL error: " + message);
              }
              if (opts->format == "csv") PrintCsv(*result, std::cout);
              else if (opts->format == "json") PrintJson(*result, std::cout);
              else PrintTable(*result, std::cout);
              return 0;
            };
          }};
}

}  // namespace nbapc::cli
