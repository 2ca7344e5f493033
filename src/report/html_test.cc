#include "report/html.h"

#include <gtest/gtest.h>

namespace nbapc::report {
namespace {

TEST(ReportHtmlTest, EscapesMarkupQuotesAndUrls) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(HtmlEscape("see https://example.org/a"), "see https:&#47;&#47;example.org/a");
  EXPECT_EQ(HtmlEscape("ratio 3:2 · ok"), "ratio 3:2 · ok");
  EXPECT_EQ(HtmlEscape(""), "");
  std::string out = "x";
  AppendEscaped(out, "a<b");
  EXPECT_EQ(out, "xa&lt;b");
}

TEST(ReportHtmlTest, EscapedUserTextPassesTheScan) {
  std::string doc = "<p>" + HtmlEscape("title http://evil <link href=https://x.css>") + "</p>";
  EXPECT_TRUE(FindExternalResources(doc).empty()) << FindExternalResources(doc).front();
}

TEST(ReportHtmlTest, ScanAcceptsSelfContainedDocument) {
  const char* doc =
      "<!DOCTYPE html><html><head><style>rect.b{fill:url(#hatch)} a{color:red}</style></head><body>"
      "<a href=\"#coverage\">x</a><svg><defs><pattern id=\"hatch\"></pattern></defs><rect class=\"b\"/></svg>"
      "<script>document.title = 'x';</script></body></html>";
  EXPECT_TRUE(FindExternalResources(doc).empty());
}

TEST(ReportHtmlTest, ScanFindsEveryKindOfExternalResource) {
  EXPECT_EQ(FindExternalResources("<p>http://a</p>").size(), 1u);
  EXPECT_EQ(FindExternalResources("<p>HTTPS://a</p>").size(), 1u);
  EXPECT_EQ(FindExternalResources("<link rel=\"stylesheet\" href=\"a.css\">").size(), 2u);  // <link and href=
  EXPECT_EQ(FindExternalResources("<script src=\"a.js\"></script>").size(), 1u);
  EXPECT_EQ(FindExternalResources("<script src=\"#x\"></script>").size(), 1u);  // never a script src
  EXPECT_EQ(FindExternalResources("<img src=\"a.png\">").size(), 1u);
  EXPECT_EQ(FindExternalResources("<a href=\"//cdn/x\">").size(), 1u);
  EXPECT_EQ(FindExternalResources("<style>@font-face{src:url(f.woff)}</style>").size(), 2u);
  EXPECT_EQ(FindExternalResources("<style>@import 'a.css';</style>").size(), 1u);
  EXPECT_EQ(FindExternalResources("<use xlink:href=\"sprite.svg#a\"/>").size(), 1u);
}

TEST(ReportHtmlTest, NumberText) {
  EXPECT_EQ(ShortNumber(0.5), "0.5");
  EXPECT_EQ(ShortNumber(100.0), "100");
  EXPECT_EQ(ShortNumber(-0.0), "0");
  EXPECT_EQ(ShortNumber(91.3249), "91.32");
  EXPECT_EQ(ShortNumber(-19.25), "-19.25");
  EXPECT_EQ(ShortNumber(0.000012345), "1.234e-05");
  EXPECT_EQ(Fixed(92.45, 1), "92.5");  // 92.45 is stored as 92.4500000000000028...
  EXPECT_EQ(Fixed(-0.04, 1), "0.0");
  EXPECT_EQ(Fixed(-0.06, 1), "-0.1");
  EXPECT_EQ(Count(0), "0");
  EXPECT_EQ(Count(999), "999");
  EXPECT_EQ(Count(171244), "171,244");
  EXPECT_EQ(Count(-1234567), "-1,234,567");
}

}  // namespace
}  // namespace nbapc::report
