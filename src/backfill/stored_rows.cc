#include "backfill/stored_rows.h"

namespace nbapc::backfill {

std::optional<double> CellDouble(const Value& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* i = std::get_if<int64_t>(&cell)) return static_cast<double>(*i);
  return std::nullopt;
}

std::optional<int64_t> CellInt(const Value& cell) {
  if (const auto* i = std::get_if<int64_t>(&cell)) return *i;
  if (const auto* d = std::get_if<double>(&cell)) return static_cast<int64_t>(*d);
  return std::nullopt;
}

std::optional<std::string> CellText(const Value& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return std::nullopt;
}

Result<Date> CellDate(const Value& cell) {
  const auto* s = std::get_if<std::string>(&cell);
  if (!s) return Status::Corruption("stored date is not text");
  return Date::Parse(*s);
}

void ToStoredCell(Value& cell) {
  if (const auto* b = std::get_if<bool>(&cell)) {
    cell = Value{static_cast<int64_t>(*b ? 1 : 0)};
  } else if (auto* d = std::get_if<double>(&cell); d && *d == 0.0) {
    *d = 0.0;
  }
}

}  // namespace nbapc::backfill
