#include "report/calendar.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/html.h"

namespace nbapc::report {
namespace {

constexpr int kCell = 11;
constexpr int kPitch = 13;
constexpr int kLeft = 30;  // room for day names
constexpr int kTop = 16;   // room for month names
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

const char* DayStateClass(DayState state) {
  switch (state) {
    case DayState::kNoGame: return "none";
    case DayState::kSuccess: return "ok";
    case DayState::kSuccessZero: return "ok0";
    case DayState::kFailed: return "fail";
    case DayState::kBootstrap: return "boot";
    case DayState::kSkipped: return "skip";
    case DayState::kNotRun: return "miss";
  }
  return "none";
}

const char* DayStateLabel(DayState state) {
  switch (state) {
    case DayState::kNoGame: return "no game";
    case DayState::kSuccess: return "success";
    case DayState::kSuccessZero: return "success, 0 rows";
    case DayState::kFailed: return "failed";
    case DayState::kBootstrap: return "skipped: bootstrap";
    case DayState::kSkipped: return "skipped: other";
    case DayState::kNotRun: return "game date not run";
  }
  return "";
}

int Weekday(Date date) {
  // 1970-01-01 (day 0) was a Thursday = 3.
  return ((date.days() + 3) % 7 + 7) % 7;
}

std::string RenderCalendarSvg(const std::vector<DayCell>& days) {
  if (days.empty()) return "";
  const Date first_monday = days.front().date - Weekday(days.front().date);
  const int weeks = (days.back().date - first_monday) / 7 + 1;
  const int width = kLeft + weeks * kPitch + 2;
  const int height = kTop + 7 * kPitch + 2;
  std::string svg = fmt::format("<svg class=\"cal\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\">", width, height);
  const char* day_names[] = {"Mon", "", "Wed", "", "Fri", "", "Sun"};
  for (int row = 0; row < 7; ++row) {
    if (*day_names[row] == '\0') continue;
    svg += fmt::format("<text class=\"lbl\" x=\"0\" y=\"{}\">{}</text>", kTop + row * kPitch + 9, day_names[row]);
  }
  // Month names at the column of each 1st; the first (partial) month only
  // when its label does not collide with the next one.
  std::vector<std::pair<int, int>> labels;  // (column, month)
  for (const DayCell& cell : days) {
    Ymd ymd = ToYmd(cell.date);
    if (ymd.day == 1 || &cell == &days.front()) labels.emplace_back((cell.date - first_monday) / 7, ymd.month);
  }
  for (size_t idx = 0; idx < labels.size(); ++idx) {
    if (idx == 0 && labels.size() > 1 && labels[1].first - labels[0].first < 3) continue;
    svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"11\">{}</text>", kLeft + labels[idx].first * kPitch,
                       kMonths[labels[idx].second - 1]);
  }
  std::string squares;
  for (const DayCell& cell : days) {
    const int col = (cell.date - first_monday) / 7;
    const int row = Weekday(cell.date);
    squares += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{}\"><title>", kLeft + col * kPitch,
                           kTop + row * kPitch, kCell, kCell, DayStateClass(cell.state));
    AppendEscaped(squares, cell.tooltip);
    squares += "</title></rect>";
  }
  svg += squares;
  svg += "</svg>";
  return svg;
}

std::string RenderCalendarLegend() {
  const DayState states[] = {DayState::kSuccess, DayState::kSuccessZero, DayState::kFailed, DayState::kBootstrap,
                             DayState::kSkipped, DayState::kNotRun, DayState::kNoGame};
  std::string svg = "<svg class=\"cal legend\" viewBox=\"0 0 980 18\" width=\"980\" height=\"18\" role=\"img\">";
  int x = 0;
  for (DayState state : states) {
    svg += fmt::format("<rect x=\"{}\" y=\"3\" width=\"{}\" height=\"{}\" class=\"{}\"/>", x + 1, kCell, kCell,
                       DayStateClass(state));
    svg += fmt::format("<text class=\"lbl\" x=\"{}\" y=\"13\">{}</text>", x + 17, HtmlEscape(DayStateLabel(state)));
    x += 140;
  }
  svg += "</svg>";
  return svg;
}

std::string CalendarDefs() {
  return "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>"
         "<pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#f2b83b\"/>"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#9a6700\" stroke-width=\"1.6\"/></pattern>"
         "</defs></svg>\n";
}

}  // namespace nbapc::report
