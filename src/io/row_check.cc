#include "io/row_check.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "core/numbers.h"
#include "core/phase3.h"
#include "core/teams.h"

namespace nbapc::io {
namespace {

using store::ColumnDef;
using store::ColumnType;
using store::Domain;
using store::TableDef;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsKeyOrEnum(const ColumnDef& column) {
  return column.domain != Domain::kNone && column.domain != Domain::kNonNegative;
}

Status CellError(const ColumnDef& column, std::string_view text, std::string_view what) {
  return Status::InvalidArgument(fmt::format("column {}: \"{}\" {}", column.name, text, what));
}

Result<Value> ParseInteger(const ColumnDef& column, std::string_view text) {
  std::string_view digits = text;
  // An integral decimal "12.0" is accepted (inputs.md §4.4).
  size_t dot = digits.find('.');
  if (dot != std::string_view::npos) {
    std::string_view frac = digits.substr(dot + 1);
    if (frac.empty() || frac.find_first_not_of('0') != std::string_view::npos) {
      return CellError(column, text, "is not an integer");
    }
    digits = digits.substr(0, dot);
  }
  std::string_view body = digits;
  if (!body.empty() && body.front() == '-') body.remove_prefix(1);
  if (body.empty() || body.find_first_not_of("0123456789") != std::string_view::npos) {
    return CellError(column, text, "is not an integer");
  }
  int64_t value = 0;
  auto res = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (res.ec != std::errc() || res.ptr != digits.data() + digits.size()) {
    return CellError(column, text, "is out of the 64-bit integer range");
  }
  return Value{value};
}

Result<Value> ParseNumber(const ColumnDef& column, std::string_view text) {
  // Decimal with optional sign, fraction and exponent; no NaN/Inf, no "1,5".
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string_view::npos) {
    return CellError(column, text, "is not a number");
  }
  double value = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(value)) {
    return CellError(column, text, "is not a number");
  }
  return Value{value};
}

Result<Value> ParseBool(const ColumnDef& column, std::string_view text) {
  static const char* kTrue[] = {"true", "TRUE", "True", "1", "t"};
  static const char* kFalse[] = {"false", "FALSE", "False", "0", "f"};
  for (const char* t : kTrue) {
    if (text == t) return Value{true};
  }
  for (const char* f : kFalse) {
    if (text == f) return Value{false};
  }
  return CellError(column, text, "is not a boolean");
}

// YYYY-MM-DD HH:MM:SS[.ffffff] UTC, or ISO 8601 with Z or an offset.
Result<Value> ParseTimestamp(const ColumnDef& column, std::string_view text) {
  auto fail = [&] { return CellError(column, text, "is not a timestamp with a zone"); };
  if (text.size() < 19) return fail();
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok() || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') return fail();
  int parts[3];
  for (int idx = 0; idx < 3; ++idx) {
    std::string_view part = text.substr(11 + 3 * static_cast<size_t>(idx), 2);
    if (std::from_chars(part.data(), part.data() + 2, parts[idx]).ec != std::errc()) return fail();
  }
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 60) return fail();
  std::string_view rest = text.substr(19);
  int millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    size_t ndig = 0;
    int scale = 100;
    while (ndig < rest.size() && rest[ndig] >= '0' && rest[ndig] <= '9') {
      if (scale > 0) millis += (rest[ndig] - '0') * scale;
      scale /= 10;
      ++ndig;
    }
    if (ndig == 0) return fail();
    rest.remove_prefix(ndig);
  }
  int offset_minutes = 0;
  if (rest == "Z" || rest == " UTC" || rest == "+00:00" || rest == "UTC") {
    offset_minutes = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int hh = 0, mm = 0;
    if (std::from_chars(rest.data() + 1, rest.data() + 3, hh).ec != std::errc() ||
        std::from_chars(rest.data() + 4, rest.data() + 6, mm).ec != std::errc()) {
      return fail();
    }
    offset_minutes = (rest[0] == '+' ? 1 : -1) * (hh * 60 + mm);
  } else {
    return fail();
  }
  int64_t total_minutes = static_cast<int64_t>(date->days()) * 1440 + parts[0] * 60 + parts[1] - offset_minutes;
  Date utc_date = Date::FromDays(static_cast<int32_t>(total_minutes >= 0 ? total_minutes / 1440 : (total_minutes - 1439) / 1440));
  int64_t minute_of_day = total_minutes - static_cast<int64_t>(utc_date.days()) * 1440;
  return Value{fmt::format("{}T{:02d}:{:02d}:{:02d}.{:03d}Z", utc_date.ToString(), minute_of_day / 60,
                           minute_of_day % 60, parts[2], millis)};
}

bool MatchesLookup(std::string_view text) {
  if (text.size() < 2 || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

bool IsCapitals(std::string_view text, size_t lo, size_t hi) {
  if (text.size() < lo || text.size() > hi) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string TeamError(std::string_view abbr) {
  std::vector<std::string> names;
  for (const TeamInfo& team : AllTeams()) names.emplace_back(team.abbr);
  std::string suggestion = ClosestName(abbr, names, 1);
  return fmt::format("\"{}\" is not an NBA team{}", abbr,
                     suggestion.empty() ? "" : fmt::format(" (did you mean {}?)", suggestion));
}

const std::string* GetText(const Row& row, const TableDef& table, std::string_view column) {
  int idx = table.ColumnIndex(column);
  if (idx < 0) return nullptr;
  return std::get_if<std::string>(&row[static_cast<size_t>(idx)]);
}

std::optional<int64_t> GetInt(const Row& row, const TableDef& table, std::string_view column) {
  int idx = table.ColumnIndex(column);
  if (idx < 0) return std::nullopt;
  if (const auto* v = std::get_if<int64_t>(&row[static_cast<size_t>(idx)])) return *v;
  return std::nullopt;
}

// The (team, opponent) columns of a Phase 3 table.
std::pair<const char*, const char*> TeamColumns(const TableDef& table) {
  if (table.name == "team_defense_game_summary") return {"defending_team_abbr", "opponent_team_abbr"};
  return {"team_abbr", "opponent_team_abbr"};
}

}  // namespace

void Diagnostics::Error(const RowSource& at, const std::string& message) {
  Error(fmt::format("importing {} line {}: {}", at.file, at.line, message));
}

void Diagnostics::Error(const std::string& message) {
  ++error_count_;
  if (static_cast<int>(errors_.size()) < max_errors_) errors_.push_back(message);
}

void Diagnostics::Warning(const std::string& kind, const std::string& message) {
  Kind& entry = warnings_[kind];
  ++entry.count;
  if (entry.examples.size() < 5) entry.examples.push_back(message);
}

int Diagnostics::warning_count() const {
  int total = 0;
  for (const auto& [kind, entry] : warnings_) total += entry.count;
  return total;
}

std::string Diagnostics::ErrorText() const {
  std::string out;
  for (const std::string& error : errors_) out += error + "\n";
  if (error_count_ > static_cast<int>(errors_.size())) {
    out += fmt::format("... and {} more errors\n", error_count_ - static_cast<int>(errors_.size()));
  }
  return out;
}

std::vector<std::string> Diagnostics::WarningLines() const {
  std::vector<std::string> lines;
  for (const auto& [kind, entry] : warnings_) {
    lines.push_back(fmt::format("warning: {} ({} rows)", kind, entry.count));
    for (const std::string& example : entry.examples) lines.push_back("  " + example);
  }
  return lines;
}

bool IsValidUtf8(std::string_view text) {
  size_t idx = 0;
  while (idx < text.size()) {
    auto c = static_cast<unsigned char>(text[idx]);
    size_t extra = 0;
    if (c < 0x80) extra = 0;
    else if ((c & 0xE0) == 0xC0 && c >= 0xC2) extra = 1;
    else if ((c & 0xF0) == 0xE0) extra = 2;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4) extra = 3;
    else return false;
    if (idx + extra >= text.size() && extra > 0) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[idx + k]) & 0xC0) != 0x80) return false;
    }
    idx += extra + 1;
  }
  return true;
}

Result<Value> ParseTextCell(const ColumnDef& column, std::string_view raw, bool quoted) {
  if (raw.empty()) {
    // inputs.md §4.2: unquoted empty = NULL; "" = empty string for TEXT only.
    if (!quoted) return Value{};
    bool is_text = column.type == ColumnType::kText;
    if (is_text && !IsKeyOrEnum(column)) return Value{std::string()};
    if (is_text) return Status::InvalidArgument(fmt::format("column {}: empty string in a key or enum column", column.name));
    return Value{};
  }
  if (!IsValidUtf8(raw)) return Status::InvalidArgument(fmt::format("column {}: invalid UTF-8", column.name));
  std::string_view text = column.type == ColumnType::kText && !IsKeyOrEnum(column) ? raw : Trim(raw);
  switch (column.type) {
    case ColumnType::kInteger: return ParseInteger(column, text);
    case ColumnType::kFloat:
    case ColumnType::kNumeric: return ParseNumber(column, text);
    case ColumnType::kBoolean: return ParseBool(column, text);
    case ColumnType::kDate: {
      auto date = Date::Parse(text);
      if (!date.ok()) return CellError(column, text, "is not a date");
      return Value{date->ToString()};
    }
    case ColumnType::kTimestamp: return ParseTimestamp(column, text);
    case ColumnType::kArray:
    case ColumnType::kJson: {
      auto parsed = nlohmann::json::parse(text, nullptr, false);
      if (parsed.is_discarded() || (column.type == ColumnType::kArray && !parsed.is_array())) {
        return CellError(column, text, column.type == ColumnType::kArray ? "is not a JSON array" : "is not JSON");
      }
      return Value{parsed.dump()};
    }
    case ColumnType::kText: return Value{std::string(text)};
  }
  return Value{std::string(text)};
}

Result<Value> ParseJsonCell(const ColumnDef& column, const nlohmann::json& value) {
  if (value.is_null()) return Value{};
  switch (column.type) {
    case ColumnType::kInteger:
      if (value.is_number_integer()) return Value{value.get<int64_t>()};
      if (value.is_number_float()) return ParseInteger(column, fmt::format("{}", value.get<double>()));
      if (value.is_string()) return ParseTextCell(column, value.get<std::string>(), true);
      return CellError(column, value.dump(), "is not an integer");
    case ColumnType::kFloat:
    case ColumnType::kNumeric:
      if (value.is_number()) return Value{value.get<double>()};
      if (value.is_string()) return ParseTextCell(column, value.get<std::string>(), true);
      return CellError(column, value.dump(), "is not a number");
    case ColumnType::kBoolean:
      if (value.is_boolean()) return Value{value.get<bool>()};
      if (value.is_string()) return ParseBool(column, value.get<std::string>());
      return CellError(column, value.dump(), "is not a boolean");
    case ColumnType::kArray:
    case ColumnType::kJson:
      if (value.is_string() && column.type == ColumnType::kJson) return ParseTextCell(column, value.get<std::string>(), true);
      if (column.type == ColumnType::kArray && !value.is_array()) return CellError(column, value.dump(), "is not an array");
      return Value{value.dump()};
    default:
      if (value.is_string()) return ParseTextCell(column, value.get<std::string>(), true);
      if (value.is_number()) return ParseTextCell(column, value.dump(), true);
      return CellError(column, value.dump(), "is not a string");
  }
}

void CheckRow(const TableDef& table, Row& row, const RowSource& at, Diagnostics& diag) {
  bool is_schedule = table.name == "nbac_schedule";
  bool exhibition = false;  // preseason / all_star schedule rows
  if (is_schedule) {
    int type_idx = table.ColumnIndex("game_type");
    if (const auto* type = std::get_if<std::string>(&row[static_cast<size_t>(type_idx)])) {
      auto parsed = ParseGameType(*type);
      exhibition = parsed && (*parsed == GameType::kPreseason || *parsed == GameType::kAllStar);
    }
  }
  for (size_t idx = 0; idx < table.columns.size(); ++idx) {
    const ColumnDef& column = table.columns[idx];
    Value& cell = row[idx];
    if (IsNull(cell)) {
      if (!column.nullable) diag.Error(at, fmt::format("column {}: NULL in a NOT NULL column", column.name));
      continue;
    }
    const std::string* text = std::get_if<std::string>(&cell);
    switch (column.domain) {
      case Domain::kNone: break;
      case Domain::kTeam:
        if (text && !IsNbaTeam(*text)) diag.Error(at, fmt::format("column {}: {}", column.name, TeamError(*text)));
        break;
      case Domain::kScheduleTeam:
        if (text && !IsNbaTeam(*text) && !(exhibition && IsCapitals(*text, 2, 4))) {
          diag.Error(at, fmt::format("column {}: {}", column.name, TeamError(*text)));
        }
        break;
      case Domain::kPlayerLookup:
        if (text && !MatchesLookup(*text)) {
          diag.Error(at, fmt::format("column {}: \"{}\" is not a player_lookup (lower-case letters and digits, 2-64)",
                                     column.name, *text));
        }
        break;
      case Domain::kUniversalPlayerId: {
        bool ok = false;
        if (text && text->size() >= 6) {
          size_t us = text->size() - 4;
          ok = (*text)[us] == '_' && MatchesLookup(std::string_view(*text).substr(0, us)) &&
               std::all_of(text->begin() + static_cast<long>(us) + 1, text->end(), [](char c) { return c >= '0' && c <= '9'; });
        }
        if (!ok) diag.Error(at, fmt::format("column {}: \"{}\" is not a universal_player_id (lookup_NNN)", column.name, text ? *text : ""));
        break;
      }
      case Domain::kPhase3GameId: {
        // YYYYMMDD_AWAY_HOME; date part = game_date; teams = team and opponent.
        bool ok = false;
        if (text && text->size() >= 14 && (*text)[8] == '_') {
          size_t second = text->find('_', 9);
          if (second != std::string::npos) {
            std::string_view away = std::string_view(*text).substr(9, second - 9);
            std::string_view home = std::string_view(*text).substr(second + 1);
            auto date = Date::Parse(fmt::format("{}-{}-{}", text->substr(0, 4), text->substr(4, 2), text->substr(6, 2)));
            ok = date.ok() && IsCapitals(away, 2, 4) && IsCapitals(home, 2, 4);
            if (ok) {
              const std::string* game_date = GetText(row, table, "game_date");
              if (game_date && *game_date != date->ToString()) {
                diag.Error(at, fmt::format("column game_id: \"{}\" does not match game_date {}", *text, *game_date));
              }
              auto [team_col, opp_col] = TeamColumns(table);
              const std::string* team = GetText(row, table, team_col);
              const std::string* opp = GetText(row, table, opp_col);
              if (team && opp &&
                  !((*team == away && *opp == home) || (*team == home && *opp == away))) {
                diag.Error(at, fmt::format("column game_id: \"{}\" does not match {}={} and {}={}", *text, team_col,
                                           *team, opp_col, *opp));
              }
            }
          }
        }
        if (!ok) diag.Error(at, fmt::format("column {}: \"{}\" is not a game id of the form YYYYMMDD_AWAY_HOME", column.name, text ? *text : ""));
        break;
      }
      case Domain::kNbaGameId:
        if (!text || text->size() != 10 || text->substr(0, 2) != "00" ||
            text->find_first_not_of("0123456789") != std::string::npos) {
          diag.Error(at, fmt::format("column {}: \"{}\" is not a 10-digit NBA game id", column.name, text ? *text : ""));
        } else if (is_schedule) {
          const std::string* type = GetText(row, table, "game_type");
          auto parsed = type ? ParseGameType(*type) : std::nullopt;
          if (parsed) {
            // GameType order: regular, play-in, playoff, All-Star, preseason (inputs.md §1 type digits).
            char expected = "25431"[static_cast<int>(*parsed)];
            if ((*text)[2] != expected) {
              diag.Warning("NBA id type digit differs from game_type",
                           fmt::format("{} line {}: game_id {} with game_type {}", at.file, at.line, *text, GameTypeName(*parsed)));
            }
          }
        }
        break;
      case Domain::kGameType: {
        auto parsed = text ? ParseGameType(*text) : std::nullopt;
        if (!parsed) diag.Error(at, fmt::format("column {}: \"{}\" is not a game type", column.name, text ? *text : ""));
        else cell = std::string(GameTypeName(*parsed));
        break;
      }
      case Domain::kGameStatus: {
        auto parsed = text ? ParseGameStatus(*text) : std::nullopt;
        if (!parsed) diag.Error(at, fmt::format("column {}: \"{}\" is not a game status", column.name, text ? *text : ""));
        else cell = std::string(GameStatusName(*parsed));
        break;
      }
      case Domain::kNonNegative:
        if (const auto* v = std::get_if<int64_t>(&cell); v && *v < 0) {
          diag.Error(at, fmt::format("column {}: {} is negative", column.name, *v));
        }
        break;
    }
    // Realistic range: a warning only (inputs.md §4.5).
    double numeric = 0;
    bool is_number = false;
    if (const auto* v = std::get_if<int64_t>(&cell)) { numeric = static_cast<double>(*v); is_number = true; }
    if (const auto* v = std::get_if<double>(&cell)) { numeric = *v; is_number = true; }
    if (is_number && ((column.range_min && numeric < *column.range_min) || (column.range_max && numeric > *column.range_max))) {
      std::string shown = std::holds_alternative<int64_t>(cell) ? std::to_string(std::get<int64_t>(cell)) : FormatFloat(numeric);
      diag.Warning(fmt::format("value outside the realistic range of {}", column.name),
                   fmt::format("{} line {}: {} = {}", at.file, at.line, column.name, shown));
    }
  }
  // season_year = season_year(game_date), except exhibition schedule rows.
  const std::string* game_date = GetText(row, table, "game_date");
  auto season = GetInt(row, table, "season_year");
  if (game_date && season && !exhibition) {
    auto date = Date::Parse(*game_date);
    if (date.ok() && SeasonYear(*date) != *season) {
      diag.Error(at, fmt::format("column season_year: {} is not the season of {} ({})", *season, *game_date,
                                 SeasonYear(*date)));
    }
  }
  if (is_schedule) {
    const std::string* home = GetText(row, table, "home_team_abbr");
    const std::string* away = GetText(row, table, "away_team_abbr");
    if (home && away && *home == *away) diag.Error(at, fmt::format("home and away team are both {}", *home));
  } else {
    auto [team_col, opp_col] = TeamColumns(table);
    const std::string* team = GetText(row, table, team_col);
    const std::string* opp = GetText(row, table, opp_col);
    if (team && opp && *team == *opp) diag.Error(at, fmt::format("column {}: team and opponent are both {}", opp_col, *team));
  }
  if (table.name == "player_game_summary") {
    auto check_pair = [&](const char* makes, const char* attempts) {
      auto m = GetInt(row, table, makes);
      auto a = GetInt(row, table, attempts);
      if (m && a && *m > *a) {
        diag.Warning("makes greater than attempts", fmt::format("{} line {}: {} {} > {} {}", at.file, at.line, makes, *m, attempts, *a));
      }
    };
    check_pair("fg_makes", "fg_attempts");
    check_pair("three_pt_makes", "three_pt_attempts");
    check_pair("paint_makes", "paint_attempts");
    check_pair("mid_range_makes", "mid_range_attempts");
    auto fga = GetInt(row, table, "fg_attempts");
    auto pa = GetInt(row, table, "paint_attempts");
    auto ma = GetInt(row, table, "mid_range_attempts");
    auto ta = GetInt(row, table, "three_pt_attempts");
    if (fga && pa && ma && ta && std::abs(*pa + *ma + *ta - *fga) > 1) {
      diag.Warning("zone attempts do not sum to fg_attempts",
                   fmt::format("{} line {}: {} + {} + {} vs fg_attempts {}", at.file, at.line, *pa, *ma, *ta, *fga));
    }
    auto fgm = GetInt(row, table, "fg_makes");
    auto ast = GetInt(row, table, "assisted_fg_makes");
    auto unast = GetInt(row, table, "unassisted_fg_makes");
    if (fgm && ast && unast && *ast + *unast != *fgm) {
      diag.Warning("assisted + unassisted differs from fg_makes",
                   fmt::format("{} line {}: {} + {} vs fg_makes {}", at.file, at.line, *ast, *unast, *fgm));
    }
  }
}

std::string KeyText(const TableDef& table, const Row& row, const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& column : columns) {
    int idx = table.ColumnIndex(column);
    const Value& cell = row[static_cast<size_t>(idx)];
    std::string text;
    if (const auto* s = std::get_if<std::string>(&cell)) text = *s;
    else if (const auto* i = std::get_if<int64_t>(&cell)) text = std::to_string(*i);
    else if (IsNull(cell)) text = "NULL";
    else if (const auto* d = std::get_if<double>(&cell)) text = FormatFloat(*d);
    else text = std::get<bool>(cell) ? "true" : "false";
    out += fmt::format("{}{}={}", out.empty() ? "" : ", ", column, text);
  }
  return out;
}

std::vector<bool> CheckDuplicates(const TableDef& table, const std::vector<Row>& rows,
                                  const std::vector<RowSource>& sources, const std::string& policy,
                                  Diagnostics& diag) {
  std::vector<bool> keep(rows.size(), true);
  for (const auto* key : {&table.key, &table.unique_key}) {
    if (key->empty()) continue;
    std::unordered_map<std::string, size_t> seen;
    seen.reserve(rows.size());
    for (size_t idx = 0; idx < rows.size(); ++idx) {
      if (!keep[idx]) continue;
      std::string text = KeyText(table, rows[idx], *key);
      auto [it, inserted] = seen.emplace(text, idx);
      if (inserted) continue;
      size_t first = it->second;
      std::string where = sources[first].file == sources[idx].file
                              ? fmt::format("at lines {} and {}", sources[first].line, sources[idx].line)
                              : fmt::format("at {} line {} and {} line {}", sources[first].file, sources[first].line,
                                            sources[idx].file, sources[idx].line);
      if (policy == "keep-first") {
        keep[idx] = false;
        diag.Warning("duplicate key (kept the first)", fmt::format("duplicate key ({}) {}", text, where));
      } else if (policy == "keep-last") {
        keep[first] = false;
        it->second = idx;
        diag.Warning("duplicate key (kept the last)", fmt::format("duplicate key ({}) {}", text, where));
      } else {
        diag.Error(fmt::format("importing {}: duplicate key ({}) {}", sources[idx].file, text, where));
      }
    }
  }
  return keep;
}

void CheckScheduleTable(const TableDef& table, const std::vector<Row>& rows, const std::vector<RowSource>& sources,
                        Diagnostics& diag) {
  int date_idx = table.ColumnIndex("game_date");
  int home_idx = table.ColumnIndex("home_team_abbr");
  int away_idx = table.ColumnIndex("away_team_abbr");
  int type_idx = table.ColumnIndex("game_type");
  int status_idx = table.ColumnIndex("game_status");
  std::unordered_map<std::string, size_t> seen;
  for (size_t idx = 0; idx < rows.size(); ++idx) {
    const Row& row = rows[idx];
    const auto* type = std::get_if<std::string>(&row[static_cast<size_t>(type_idx)]);
    const auto* status = std::get_if<std::string>(&row[static_cast<size_t>(status_idx)]);
    if (!type || !status) continue;
    auto parsed_type = ParseGameType(*type);
    if (!parsed_type || !IsIncludedGameType(*parsed_type) || *status == "postponed") continue;
    const auto* date = std::get_if<std::string>(&row[static_cast<size_t>(date_idx)]);
    if (!date) continue;
    for (int team_idx : {home_idx, away_idx}) {
      const auto* team = std::get_if<std::string>(&row[static_cast<size_t>(team_idx)]);
      if (!team) continue;
      auto [it, inserted] = seen.emplace(*team + "|" + *date, idx);
      if (!inserted) {
        diag.Error(sources[idx], fmt::format("team {} plays two games on {} (also at line {})", *team, *date,
                                             sources[it->second].line));
      }
    }
  }
}

}  // namespace nbapc::io
