#include "demo/names.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace nbapc::demo {
namespace {

TEST(DemoNamesTest, FoldsSpecExamples) {
  EXPECT_EQ(FoldPlayerLookup("LeBron James"), "lebronjames");
  EXPECT_EQ(FoldPlayerLookup("Shaquille O'Neal"), "shaquilleoneal");
  EXPECT_EQ(FoldPlayerLookup("Dāvis Bertāns"), "davisbertans");
  EXPECT_EQ(FoldPlayerLookup("Gary Trent Jr."), "garytrentjr");
  EXPECT_EQ(FoldPlayerLookup("P.J. Tucker"), "pjtucker");
  EXPECT_EQ(FoldPlayerLookup("Karl-Anthony Towns"), "karlanthonytowns");
  EXPECT_EQ(FoldPlayerLookup("Nikola Jokić"), "nikolajokic");
  EXPECT_EQ(FoldPlayerLookup("Strauß Ødegaard Hæger Łukasz Đorđević Yılmaz Þórsson Œuvre"),
            "straussodegaardhaegerlukaszdordevicyilmazthorssonoeuvre");
  EXPECT_EQ(FoldPlayerLookup("Kristaps Porziņģis III"), "kristapsporzingisiii");
}

TEST(DemoNamesTest, ListsAreLargeAndFoldCleanly) {
  EXPECT_GE(FirstNames().size(), 150u);
  EXPECT_GE(LastNames().size(), 200u);
  const std::regex lookup_re("^[a-z0-9]{2,64}$");
  bool diacritic = false, apostrophe = false, hyphen = false, period = false;
  for (const auto* list : {&FirstNames(), &LastNames()}) {
    std::set<std::string_view> unique(list->begin(), list->end());
    EXPECT_EQ(unique.size(), list->size());
    for (std::string_view name : *list) {
      int unknown = 0;
      std::string folded = FoldPlayerLookup(name, &unknown);
      EXPECT_EQ(unknown, 0) << name;
      EXPECT_TRUE(std::regex_match(folded, lookup_re)) << name;
      for (unsigned char c : name) diacritic |= c >= 0x80;
      apostrophe |= name.find('\'') != std::string_view::npos;
      hyphen |= name.find('-') != std::string_view::npos;
      period |= name.find('.') != std::string_view::npos;
    }
  }
  EXPECT_TRUE(diacritic && apostrophe && hyphen && period);
}

TEST(DemoNamesTest, DrawIsDeterministic) {
  Rng a = Stream(42, "2021|BOS|roster");
  Rng b = Stream(42, "2021|BOS|roster");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(DrawDisplayName(a), DrawDisplayName(b));
}

}  // namespace
}  // namespace nbapc::demo
