#pragma once
// Types shared by the processors: the outcome of one (processor, date) and
// the excluded entities of spec/README.md §8.8. Processors include only core/
// and this folder: they never load, write or log (conventions.md).

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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

// One step of a formula, for `nba-precompute explain` (spec/backfill.md §2.4;
// "each step of each formula with its value"). A processor's Trace function
// builds its steps from the same functions ComputeDate uses, so a step can
// never disagree with the stored row; explain checks every `column` step
// against the row's cell.
struct TraceStep {
  std::string spec;     // the section the step implements, e.g. "tdza.md §8"
  std::string name;     // the quantity: an output column, or e.g. "window totals"
  std::string formula;  // how, with the operands' values: "paint_makes / paint_attempts = 98 / 170"
  Value value;          // the result (NULL, bool, int64, double or text)
  bool column = false;  // `name` is an output column and `value` its exact (unrounded) cell
};

// The steps of one entity's row for one date, in computation order. Empty
// when the entity is not computed for the date.
using Trace = std::vector<TraceStep>;

// Ranks of names (player_lookup values) in ascending byte order, for
// grouping input rows by entity with one hash lookup per row: Add each row's
// name (views must outlive the ranker), Finish, then Rank(slot) is the
// name's position among the distinct names. Nothing depends on hash order
// or input order (README §8.3).
class NameRanker {
 public:
  NameRanker() { slot_of_.reserve(1024); }  // about 600 players in a season
  // The name's slot (first-seen numbering).
  uint32_t Add(std::string_view name) {
    const auto [it, inserted] = slot_of_.try_emplace(name, static_cast<uint32_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }
  // Sorts the distinct names; call once, after the last Add.
  void Finish();
  uint32_t Rank(uint32_t slot) const { return rank_[slot]; }
  // The distinct names, ascending (index = rank).
  const std::vector<std::string_view>& Sorted() const { return sorted_; }
  size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string_view, uint32_t> slot_of_;
  std::vector<std::string_view> names_;  // by slot
  std::vector<uint32_t> rank_;           // by slot
  std::vector<std::string_view> sorted_;
};

// Copies `text` into `buffer` at `*used` (the buffer is sized for every text
// beforehand, so it never reallocates and the views stay valid, also after
// the buffer is moved) and returns a view of the copy.
inline std::string_view KeepText(std::vector<char>& buffer, size_t* used, std::string_view text) {
  char* out = buffer.data() + *used;
  std::copy(text.begin(), text.end(), out);
  *used += text.size();
  return std::string_view(out, text.size());
}

}  // namespace nbapc::processors
