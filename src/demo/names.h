#pragma once
// Seeded player names for the demo data (spec/inputs.md §5.3) and the
// display-name -> player_lookup fold of inputs.md §1.

#include <string>
#include <string_view>
#include <vector>

#include "demo/rng.h"

namespace nbapc::demo {

// The first- and last-name lists (UTF-8; >= 150 / >= 200 entries) with
// diacritics, apostrophes, hyphens and periods.
const std::vector<std::string_view>& FirstNames();
const std::vector<std::string_view>& LastNames();

// inputs.md §1: NFKD + drop combining marks (by a fold table for the Latin
// letters the name lists use), ø→o æ→ae œ→oe ß→ss đ→d ł→l ı→i þ→th, lower-case,
// keep only [a-z0-9]. Characters outside the table are deleted; `unknown`
// (optional) counts them so tests can prove the table covers the lists.
std::string FoldPlayerLookup(std::string_view display_name, int* unknown = nullptr);

// Draws "First Last[ Suffix]" (suffix Jr. 4 %, II 1 %, III 1 %).
std::string DrawDisplayName(Rng& rng);

}  // namespace nbapc::demo
