#pragma once
// Comparing two processors' results for one date (tests): the outcome, every
// row cell by cell (ToNamedValues), data_hash and the exclusions.

#include <gtest/gtest.h>

#include "core/hash.h"
#include "processors/common.h"

namespace nbapc::testing {

// `got` equals `want`. DateResult is a processor's XxxDateResult (outcome,
// rows with ToNamedValues and data_hash, exclusions; MLFS also `historical`).
template <typename DateResult>
void ExpectSameDateResult(const DateResult& want, const DateResult& got) {
  EXPECT_EQ(want.outcome.status, got.outcome.status);
  EXPECT_EQ(want.outcome.reason_code, got.outcome.reason_code);
  EXPECT_EQ(want.outcome.reason, got.outcome.reason);
  if constexpr (requires { want.historical; }) EXPECT_EQ(want.historical, got.historical);
  ASSERT_EQ(want.rows.size(), got.rows.size());
  for (size_t idx = 0; idx < want.rows.size(); ++idx) {
    SCOPED_TRACE(want.rows[idx].player_lookup);
    const processors::NamedValues want_values = ToNamedValues(want.rows[idx]);
    const processors::NamedValues got_values = ToNamedValues(got.rows[idx]);
    ASSERT_EQ(want_values.size(), got_values.size());
    for (size_t col = 0; col < want_values.size(); ++col) {
      EXPECT_EQ(want_values[col].first, got_values[col].first);
      EXPECT_TRUE(want_values[col].second == got_values[col].second)
          << want_values[col].first << ": " << HashFieldText(want_values[col].second) << " vs "
          << HashFieldText(got_values[col].second);
    }
    EXPECT_EQ(want.rows[idx].data_hash, got.rows[idx].data_hash);
  }
  ASSERT_EQ(want.exclusions.size(), got.exclusions.size());
  for (size_t idx = 0; idx < want.exclusions.size(); ++idx) {
    EXPECT_EQ(want.exclusions[idx].entity_id, got.exclusions[idx].entity_id);
    EXPECT_EQ(want.exclusions[idx].failure_reason, got.exclusions[idx].failure_reason);
  }
}

}  // namespace nbapc::testing
