#include "core/date.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace nbapc {
namespace {

namespace chr = std::chrono;

int ParseDigits(std::string_view text, size_t pos, size_t count, bool* ok) {
  int value = 0;
  for (size_t idx = pos; idx < pos + count; ++idx) {
    char c = text[idx];
    if (c < '0' || c > '9') {
      *ok = false;
      return 0;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  if (year < 1900 || year > 2999 || !ymd.ok()) {
    return Status::InvalidArgument(fmt::format("{:04d}-{:02d}-{:02d} is not a valid date", year, month, day));
  }
  return FromDays(static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count()));
}

Result<Date> Date::Parse(std::string_view text) {
  auto fail = [&] { return Status::InvalidArgument(fmt::format("\"{}\" is not a date", text)); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return fail();
  bool ok = true;
  int year = ParseDigits(text, 0, 4, &ok);
  int month = ParseDigits(text, 5, 2, &ok);
  int day = ParseDigits(text, 8, 2, &ok);
  if (!ok) return fail();
  auto date = FromYmd(year, month, day);
  if (!date.ok()) return fail();
  return date;
}

Ymd ToYmd(Date date) {
  chr::year_month_day ymd{chr::sys_days{chr::days{date.days()}}};
  return Ymd{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
             static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int Date::year() const { return ToYmd(*this).year; }
int Date::month() const { return ToYmd(*this).month; }
int Date::day() const { return ToYmd(*this).day; }

std::string Date::ToString() const {
  Ymd ymd = ToYmd(*this);
  return fmt::format("{:04d}-{:02d}-{:02d}", ymd.year, ymd.month, ymd.day);
}

int SeasonYear(Date date) {
  Ymd ymd = ToYmd(date);
  return ymd.month >= 10 ? ymd.year : ymd.year - 1;
}

Date TodayNewYork() {
  // GCC 12 has no chrono time-zone database (conventions.md "Build"): use the
  // C library with TZ=America/New_York for this one conversion.
  std::time_t now = std::time(nullptr);
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  setenv("TZ", "America/New_York", 1);
  tzset();
  std::tm local{};
  localtime_r(&now, &local);
  if (old_tz) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  auto date = Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
  return date.ok() ? *date : Date();
}

std::string NowUtcTimestamp() {
  auto now = chr::system_clock::now();
  auto ms = chr::duration_cast<chr::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
}

}  // namespace nbapc
