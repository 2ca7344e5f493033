#include "core/numbers.h"

#include <cmath>

#include <gtest/gtest.h>

#include "testing/vectors.h"

namespace nbapc {
namespace {

TEST(RoundPyTest, TiesGoToEvenOnTheExactBinaryValue) {
  EXPECT_EQ(RoundPy(0.25, 1), 0.2);
  EXPECT_EQ(RoundPy(0.35, 1), 0.3);  // 0.35 is 0.34999999999999997779...
  EXPECT_EQ(RoundPy(2.675, 2), 2.67);
  EXPECT_EQ(RoundPy(2.5, 0), 2.0);
  EXPECT_EQ(RoundPy(3.5, 0), 4.0);
  EXPECT_EQ(RoundPy(1.9500000000000002, 1), 2.0);
  EXPECT_EQ(RoundPy(1.95, 1), 1.9);  // 1.95 is 1.94999999999999995559...
}

TEST(RoundPyTest, NegativeZeroBecomesPositive) {
  double r = RoundPy(-0.04, 1);
  EXPECT_EQ(r, 0.0);
  EXPECT_FALSE(std::signbit(r));
}

TEST(RoundPyTest, OptionalNullStaysNull) {
  EXPECT_FALSE(RoundPy(std::optional<double>{}, 2).has_value());
  EXPECT_EQ(*RoundPy(std::optional<double>{1.005}, 2), 1.0);  // 1.00499999999999989...
}

TEST(FormatFloatTest, PythonReprForms) {
  EXPECT_EQ(FormatFloat(35.0), "35.0");
  EXPECT_EQ(FormatFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat(1e-05), "1e-05");
  EXPECT_EQ(FormatFloat(1e16), "1e+16");
  EXPECT_EQ(FormatFloat(1.8900000000000001), "1.8900000000000001");
  EXPECT_EQ(FormatFloat(0.0), "0.0");
  EXPECT_EQ(FormatFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatFloat(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(FormatFloat(1.5e300), "1.5e+300");
}

// Every round_py and format_float vector of every processor file.
class SharedNumberVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedNumberVectors, RoundPy) {
  auto vectors = testing::LoadVectors(GetParam(), "round_py");
  for (const auto& vec : vectors) {
    double x = vec["inputs"]["x"].get<double>();
    int ndigits = vec["inputs"]["ndigits"].get<int>();
    double result = RoundPy(x, ndigits);
    EXPECT_EQ(result, vec["expected"]["result"].get<double>()) << vec["name"];
    if (vec["expected"].contains("text")) {
      EXPECT_EQ(FormatFloat(result), vec["expected"]["text"].get<std::string>()) << vec["name"];
    }
  }
}

TEST_P(SharedNumberVectors, FormatFloat) {
  for (const auto& vec : testing::LoadVectors(GetParam(), "format_float")) {
    EXPECT_EQ(FormatFloat(vec["inputs"]["x"].get<double>()), vec["expected"]["text"].get<std::string>())
        << vec["name"];
  }
}

INSTANTIATE_TEST_SUITE_P(AllFiles, SharedNumberVectors,
                         ::testing::Values("tdza", "psza", "pdc", "pcf", "mlfs"));

}  // namespace
}  // namespace nbapc
