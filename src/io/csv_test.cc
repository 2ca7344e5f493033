#include "io/csv.h"

#include <gtest/gtest.h>

namespace nbapc::io {
namespace {

TEST(CsvTest, QuotesEscapesLineBreaksAndNullMarkers) {
  auto records = ParseCsv("\xEF\xBB\xBF" "a,b,c\r\n1,\"x,\"\"y\"\"\",\n\"multi\nline\",\"\",z\n");
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].fields[0].text, "a");
  EXPECT_EQ((*records)[1].fields[1].text, "x,\"y\"");
  EXPECT_TRUE((*records)[1].fields[1].quoted);
  EXPECT_EQ((*records)[1].fields[2].text, "");
  EXPECT_FALSE((*records)[1].fields[2].quoted);  // unquoted empty: NULL
  EXPECT_EQ((*records)[2].line, 3);
  EXPECT_EQ((*records)[2].fields[0].text, "multi\nline");
  EXPECT_TRUE((*records)[2].fields[1].quoted);  // "" : empty string
  EXPECT_EQ((*records)[2].fields[2].text, "z");
}

TEST(CsvTest, NoFinalLineBreak) {
  auto records = ParseCsv("a,b\n1,2");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].fields[1].text, "2");
}

TEST(CsvTest, TruncatedQuotedFieldIsAnError) {
  auto records = ParseCsv("a,b\n1,\"unterminated\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().message(), "line 2: unterminated quoted field (truncated file?)");
}

TEST(CsvTest, Escape) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("", true), "\"\"");
}

}  // namespace
}  // namespace nbapc::io
