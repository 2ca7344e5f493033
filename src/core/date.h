#pragma once
// Civil dates without zone (spec/README.md §8.6), stored as days since
// 1970-01-01 so that date arithmetic and ordering are integer operations.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace nbapc {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { Date d; d.days_ = days; return d; }
  // Returns an invalid-argument Status for out-of-range components (2024-02-30).
  static Result<Date> FromYmd(int year, int month, int day);
  // Parses exactly "YYYY-MM-DD" (a valid calendar date, years 1900-2999).
  static Result<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // "YYYY-MM-DD".
  std::string ToString() const;

  constexpr Date operator+(int32_t n) const { return FromDays(days_ + n); }
  constexpr Date operator-(int32_t n) const { return FromDays(days_ - n); }
  constexpr int32_t operator-(Date other) const { return days_ - other.days_; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

// Splits the civil date into components (proleptic Gregorian).
struct Ymd {
  int year;
  int month;
  int day;
};
Ymd ToYmd(Date date);

// season_year(D) = D.year if D.month >= 10 else D.year - 1 (spec/README.md §5).
int SeasonYear(Date date);

// The current date in America/New_York, from the system clock (README §8.6).
Date TodayNewYork();

// Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (README §4.2 TIMESTAMP).
std::string NowUtcTimestamp();

}  // namespace nbapc
