#include "backfill/stored_rows.h"

#include <cmath>

#include <gtest/gtest.h>

#include "testing/rows.h"
#include "testing/temp_dir.h"

namespace nbapc::backfill {
namespace {

// What a downstream processor would read of TDZA (its types: text, date,
// doubles, an integer, a boolean).
struct Item {
  std::string team_abbr;
  Date analysis_date;
  std::optional<double> paint;
  std::optional<double> mid;
  std::optional<int64_t> games;
  std::optional<int64_t> early;  // BOOLEAN read as an integer
  std::optional<std::string> weakest_zone;
};

StoredProjection<Item> Projection() {
  return {"nba_precompute.team_defense_zone_analysis",
          "analysis_date",
          {"team_abbr", "analysis_date", "paint_defense_vs_league_avg", "mid_range_defense_vs_league_avg",
           "games_in_sample", "early_season_flag", "weakest_zone"},
          [](const Row& row, Item* out) {
            out->team_abbr = CellText(row[0]).value_or("");
            NBAPC_ASSIGN_OR_RETURN(out->analysis_date, CellDate(row[1]));
            out->paint = CellDouble(row[2]);
            out->mid = CellDouble(row[3]);
            out->games = CellInt(row[4]);
            out->early = CellInt(row[5]);
            out->weakest_zone = CellText(row[6]);
            return Status::Ok();
          }};
}

// Same value and, for doubles, the same sign bit (0.0 vs -0.0).
void ExpectSameItems(const std::vector<Item>& loaded, const std::vector<Item>& in_memory) {
  ASSERT_EQ(loaded.size(), in_memory.size());
  for (size_t idx = 0; idx < loaded.size(); ++idx) {
    const Item& a = loaded[idx];
    const Item& b = in_memory[idx];
    SCOPED_TRACE(a.team_abbr);
    EXPECT_EQ(a.team_abbr, b.team_abbr);
    EXPECT_EQ(a.analysis_date, b.analysis_date);
    for (auto [x, y] : {std::pair{a.paint, b.paint}, std::pair{a.mid, b.mid}}) {
      ASSERT_EQ(x.has_value(), y.has_value());
      if (x) {
        EXPECT_EQ(*x, *y);
        EXPECT_EQ(std::signbit(*x), std::signbit(*y));
      }
    }
    EXPECT_EQ(a.games, b.games);
    EXPECT_EQ(a.early, b.early);
    EXPECT_EQ(a.weakest_zone, b.weakest_zone);
  }
}

TEST(StoredProjectionTest, RowsInMemoryGiveWhatTheStoreReadsBack) {
  testing::TempDir dir;
  auto warehouse = testing::CreateWarehouse(dir);
  ASSERT_NE(warehouse, nullptr);
  const store::TableDef& table = *store::FindTable("nba_precompute.team_defense_zone_analysis");
  auto s = [](const char* text) { return Value{std::string(text)}; };
  std::vector<Row> rows = {
      // A rounded -0.0 (e.g. round(-0.001, 2)) is stored as 0.0; -0.25 keeps its sign.
      testing::FullRow(table, {{"team_abbr", s("BOS")}, {"analysis_date", s("2024-11-05")},
                               {"paint_defense_vs_league_avg", Value{-0.0}},
                               {"mid_range_defense_vs_league_avg", Value{-0.25}},
                               {"games_in_sample", Value{int64_t{12}}}, {"early_season_flag", Value{true}},
                               {"weakest_zone", s("paint")}}),
      // NULLs stay NULL; an integral double stays a double; false is 0.
      testing::FullRow(table, {{"team_abbr", s("NYK")}, {"analysis_date", s("2024-11-05")},
                               {"mid_range_defense_vs_league_avg", Value{3.0}},
                               {"games_in_sample", Value{int64_t{0}}}, {"early_season_flag", Value{false}}}),
  };
  ASSERT_TRUE(warehouse->InsertRows(table, rows).ok());

  auto loaded = Projection().Load(*warehouse, *Date::Parse("2024-11-01"), *Date::Parse("2024-11-30"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  auto in_memory = Projection().FromRows(rows);
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().message();
  ExpectSameItems(*loaded, *in_memory);
  // The hand-checked values, so the comparison above cannot pass vacuously.
  ASSERT_EQ(in_memory->size(), 2u);
  EXPECT_EQ((*in_memory)[0].paint, 0.0);
  EXPECT_FALSE(std::signbit(*(*in_memory)[0].paint));
  EXPECT_EQ((*in_memory)[0].mid, -0.25);
  EXPECT_EQ((*in_memory)[0].early, 1);
  EXPECT_EQ((*in_memory)[1].paint, std::nullopt);
  EXPECT_EQ((*in_memory)[1].mid, 3.0);
  EXPECT_EQ((*in_memory)[1].early, 0);
  EXPECT_EQ((*in_memory)[1].weakest_zone, std::nullopt);
}

TEST(StoredProjectionTest, UnknownColumnIsAnInternalError) {
  StoredProjection<Item> projection = Projection();
  projection.columns[2] = "no_such_column";
  auto result = projection.FromRows({});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_EQ(result.status().message(), "nba_precompute.team_defense_zone_analysis has no column no_such_column");
}

TEST(StoredProjectionTest, ToStoredCell) {
  auto stored = [](Value cell) {
    ToStoredCell(cell);
    return cell;
  };
  EXPECT_EQ(stored(Value{true}), Value{int64_t{1}});
  EXPECT_EQ(stored(Value{false}), Value{int64_t{0}});
  EXPECT_FALSE(std::signbit(std::get<double>(stored(Value{-0.0}))));
  EXPECT_EQ(stored(Value{-1.5}), Value{-1.5});
  EXPECT_EQ(stored(Value{std::string("x")}), Value{std::string("x")});
  EXPECT_EQ(stored(Value{}), Value{});
}

}  // namespace
}  // namespace nbapc::backfill
