#pragma once
// Types shared by the processors: the outcome of one (processor, date) and
// the excluded entities of spec/README.md §8.8. Processors include only core/
// and this folder: they never load, write or log (conventions.md).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/value.h"

namespace nbapc::processors {

// An entity of the universe that gets no row (README §8.8).
struct EntityExclusion {
  std::string entity_id;         // player_lookup or team_abbr
  std::string failure_category;  // e.g. "INSUFFICIENT_DATA"
  std::string failure_reason;    // human text, e.g. "Only 7 games, need 15"
  bool can_retry = false;        // FALSE for every INSUFFICIENT_DATA row
};

enum class DateStatus { kSuccess, kFailed };

// Date-level result of a processor. On failure `reason_code` is the spec code
// ("missing_input", "stale_input", ...) and `reason` the full reason text
// ("missing_input: team_defense_game_summary has no rows for season 2024 before 2024-10-05").
struct DateOutcome {
  DateStatus status = DateStatus::kSuccess;
  std::string reason_code;
  std::string reason;
  bool ok() const { return status == DateStatus::kSuccess; }
};

// One output row as (column name, value) pairs in the output table's column
// order, without processed_at and engine_version (the runner adds those).
// Names point at string literals (the column names), so building a row
// allocates nothing for them.
using NamedValues = std::vector<std::pair<std::string_view, Value>>;

}  // namespace nbapc::processors
