#include "report/calendar.h"

#include <gtest/gtest.h>

namespace nbapc::report {
namespace {

Date D(const char* text) { return Date::Parse(text).value(); }

size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++count;
  return count;
}

TEST(ReportCalendarTest, WeekdayMondayFirst) {
  EXPECT_EQ(Weekday(D("1970-01-01")), 3);  // Thursday
  EXPECT_EQ(Weekday(D("2024-01-01")), 0);  // Monday
  EXPECT_EQ(Weekday(D("2024-01-07")), 6);  // Sunday
  EXPECT_EQ(Weekday(D("1969-12-29")), 0);  // Monday before the epoch
}

TEST(ReportCalendarTest, SquaresByWeekColumnAndWeekdayRow) {
  std::vector<DayCell> days;
  days.push_back({D("2024-01-05"), DayState::kSuccess, "2024-01-05 · pcf · success · 236 rows · run r<1>"});
  days.push_back({D("2024-01-06"), DayState::kBootstrap, "b"});
  days.push_back({D("2024-01-08"), DayState::kNotRun, "m"});
  std::string svg = RenderCalendarSvg(days);
  EXPECT_EQ(Occurrences(svg, "<rect "), 3u);
  // Friday of week 0: x = 30, y = 16 + 4 * 13 = 68; the next Monday: column 1, row 0.
  EXPECT_NE(svg.find("<rect x=\"30\" y=\"68\" width=\"11\" height=\"11\" class=\"ok\"><title>2024-01-05 · pcf · "
                     "success · 236 rows · run r&lt;1&gt;</title></rect>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<rect x=\"30\" y=\"81\" width=\"11\" height=\"11\" class=\"boot\">"), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"43\" y=\"16\" width=\"11\" height=\"11\" class=\"miss\">"), std::string::npos);
  EXPECT_NE(svg.find(">Jan</text>"), std::string::npos);
  EXPECT_EQ(RenderCalendarSvg({}), "");
}

TEST(ReportCalendarTest, LegendHasEveryState) {
  std::string legend = RenderCalendarLegend();
  for (const char* cls : {"ok", "ok0", "fail", "boot", "skip", "miss", "none"}) {
    EXPECT_NE(legend.find(std::string("class=\"") + cls + "\""), std::string::npos) << cls;
  }
  EXPECT_NE(CalendarDefs().find("<pattern id=\"hatch\""), std::string::npos);
}

}  // namespace
}  // namespace nbapc::report
