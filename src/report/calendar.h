#pragma once
// The coverage calendar heat map (spec/validation.md §8): one inline <svg>
// per (processor, season), day squares in rows Mon–Sun and columns of weeks,
// coloured by the latest outcome, each with a <title> tooltip. Pure
// rendering; the caller classifies the days.

#include <string>
#include <vector>

#include "core/date.h"

namespace nbapc::report {

enum class DayState {
  kNoGame,       // no game date, no outcome, no rows (light grey)
  kSuccess,      // latest outcome success with rows (green); also imported rows
  kSuccessZero,  // success with 0 rows (pale green)
  kFailed,       // latest outcome failed (red)
  kBootstrap,    // skipped bootstrap, or a bootstrap date never run (amber, hatched)
  kSkipped,      // skipped for another reason (grey)
  kNotRun,       // processable game date without any outcome or row (white, red outline)
};

// CSS class of a state ("ok", "ok0", "fail", "boot", "skip", "miss", "none").
const char* DayStateClass(DayState state);
// Legend text of a state.
const char* DayStateLabel(DayState state);

struct DayCell {
  Date date;
  DayState state = DayState::kNoGame;
  std::string tooltip;  // plain text, escaped by the renderer
};

// Monday = 0 … Sunday = 6.
int Weekday(Date date);

// The <svg> of one season: `days` ascending, at most one per date (gaps are
// left blank). Month names label the first column of each month.
std::string RenderCalendarSvg(const std::vector<DayCell>& days);

// The legend (an inline <svg> with one swatch per state).
std::string RenderCalendarLegend();

// Hidden <svg> holding the shared <pattern id="hatch"> for bootstrap squares.
std::string CalendarDefs();

}  // namespace nbapc::report
