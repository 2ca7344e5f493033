#include "backfill/progress.h"

#include <gtest/gtest.h>

namespace nbapc::backfill {
namespace {

TEST(ProgressBarTest, RenderMatchesTheSpecLayout) {
  // backfill.md §16 example line.
  EXPECT_EQ(ProgressBar::Render("pcf", 512, 936, 440, 70, 2, 210.0, "2023-01-14"),
            "pcf  [██████████░░░░░░░░░░]  512/936  54.7%  ok 440  skip 70  fail 2  210 dates/s  ETA 0:02  2023-01-14");
  EXPECT_EQ(ProgressBar::Render("tdza", 0, 0, 0, 0, 0, 0.0, ""),
            "tdza [████████████████████]  0/0  100.0%  ok 0  skip 0  fail 0  0 dates/s  ETA 0:00  ");
}

}  // namespace
}  // namespace nbapc::backfill
