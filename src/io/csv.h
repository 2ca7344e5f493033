#pragma once
// RFC 4180 CSV as BigQuery writes it (spec/inputs.md §4.2): UTF-8 with an
// optional BOM, comma separator, quoted fields with "" escapes and embedded
// line breaks, LF or CRLF, optional final line break.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace nbapc::io {

struct CsvField {
  std::string text;
  bool quoted = false;  // an unquoted empty field is NULL, a quoted one "" is not
};

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<CsvField> fields;
};

// Splits `content` into records. An unterminated quote (a truncated file) is
// an InvalidArgument naming the line where the field started.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view content);

// Quotes a field when it contains , " CR or LF (or when force_quote).
std::string CsvEscape(std::string_view text, bool force_quote = false);

}  // namespace nbapc::io
