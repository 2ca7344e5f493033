#include "io/csv.h"

#include <fmt/format.h>

namespace nbapc::io {

Result<std::vector<CsvRecord>> ParseCsv(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::vector<CsvRecord> records;
  size_t pos = 0;
  int line = 1;
  while (pos < content.size()) {
    CsvRecord record;
    record.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      CsvField field;
      if (pos < content.size() && content[pos] == '"') {
        field.quoted = true;
        int start_line = line;
        ++pos;
        bool closed = false;
        while (pos < content.size()) {
          char c = content[pos];
          if (c == '"') {
            if (pos + 1 < content.size() && content[pos + 1] == '"') {
              field.text.push_back('"');
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.text.push_back(c);
          ++pos;
        }
        if (!closed) {
          return Status::InvalidArgument(fmt::format("line {}: unterminated quoted field (truncated file?)", start_line));
        }
        if (pos < content.size() && content[pos] != ',' && content[pos] != '\n' && content[pos] != '\r') {
          return Status::InvalidArgument(fmt::format("line {}: unexpected character after a quoted field", line));
        }
      } else {
        size_t end = content.find_first_of(",\r\n", pos);
        if (end == std::string_view::npos) end = content.size();
        field.text.assign(content.substr(pos, end - pos));
        if (field.text.find('"') != std::string::npos) {
          return Status::InvalidArgument(fmt::format("line {}: stray quote in an unquoted field", line));
        }
        pos = end;
      }
      record.fields.push_back(std::move(field));
      if (pos >= content.size()) {
        end_of_record = true;
      } else if (content[pos] == ',') {
        ++pos;
      } else {
        if (content[pos] == '\r') ++pos;
        if (pos < content.size() && content[pos] == '\n') ++pos;
        ++line;
        end_of_record = true;
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string CsvEscape(std::string_view text, bool force_quote) {
  if (!force_quote && text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace nbapc::io
