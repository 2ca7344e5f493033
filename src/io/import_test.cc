#include "io/import.h"

#include <sstream>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace nbapc::io {
namespace {

using store::FindTable;

const char* kSchedule =
    "game_id,game_date,season_year,home_team_abbr,away_team_abbr,game_type,game_status\n"
    "0022400101,2024-11-05,2024,BOS,NYK,Regular Season,Final\n"
    "0022400102,2024-11-05,2024,LAL,GSW,regular_season,3\n"
    "0032400001,2025-02-16,2024,EST,WST,All-Star,Final\n";

const char* kTdgsHeader =
    "game_id,game_date,season_year,defending_team_abbr,opponent_team_abbr,points_allowed,opp_paint_attempts,"
    "opp_paint_makes,opp_mid_range_attempts,opp_mid_range_makes,opp_three_pt_attempts,opp_three_pt_makes,"
    "points_in_paint_allowed,blocks_paint,blocks_mid_range,blocks_three_pt,defensive_rating,opponent_pace\n";

std::string TdgsRows() {
  return std::string(kTdgsHeader) +
         "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,108,40,22,12,5,35,12,44,3,,,106.5,99.5\n"
         "20241105_NYK_BOS,2024-11-05,2024,NYK,BOS,117,38,21,10,4,40,15,42,2,1,0,115.25,99.5\n"
         "20241105_GSW_LAL,2024-11-05,2024,LAL,GSW,120,44,25,9,4,39,14,50,,,,118.0,101.0\n"
         "20241105_GSW_LAL,2024-11-05,2024,GSW,LAL,111,41,24,11,5,33,11,48,4,0,1,109.1,101.0\n";
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = testing::CreateWarehouse(dir_);
    ASSERT_NE(warehouse_, nullptr);
  }

  Result<std::vector<ImportSummary>> Import(const std::string& table, const std::vector<std::string>& files,
                                            ImportOptions options = {}) {
    diag_ = Diagnostics(options.max_errors);
    return ImportFiles(*warehouse_, {{FindTable(table), files}}, options, diag_);
  }

  std::string Export(const std::string& table, const std::string& format = "csv") {
    std::ostringstream out;
    ExportOptions options;
    options.format = format;
    Status status = ExportTable(*warehouse_, *FindTable(table), options, out);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out.str();
  }

  int64_t Count(const std::string& table) {
    auto result = warehouse_->Query("SELECT COUNT(*) FROM " + table);
    return std::get<int64_t>(result->rows[0][0]);
  }

  // Imports the good TDGS file, then `bad` with --mode replace, and checks the
  // bad import failed with `expected_error` and left the table unchanged.
  void ExpectRejected(const std::string& bad, const std::string& expected_error) {
    ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("good.csv", TdgsRows())}).ok());
    std::string before = Export("nba_analytics.team_defense_game_summary");
    auto result = Import("nba_analytics.team_defense_game_summary", {dir_.Write("bad.csv", bad)});
    ASSERT_FALSE(result.ok());
    ASSERT_FALSE(diag_.errors().empty());
    EXPECT_EQ(diag_.errors()[0], expected_error);
    EXPECT_EQ(Export("nba_analytics.team_defense_game_summary"), before);
    EXPECT_EQ(Count("nba_reference.import_history"), 1);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Warehouse> warehouse_;
  Diagnostics diag_;
};

TEST_F(ImportTest, ScheduleSpellingsAreNormalised) {
  auto result = Import("nba_raw.nbac_schedule", {dir_.Write("s.csv", kSchedule)});
  ASSERT_TRUE(result.ok()) << diag_.ErrorText() << result.status().ToString();
  EXPECT_EQ((*result)[0].inserted, 3);
  auto rows = warehouse_->Query("SELECT game_type, game_status FROM nba_raw.nbac_schedule ORDER BY game_id");
  EXPECT_EQ(std::get<std::string>(rows->rows[0][0]), "regular_season");
  EXPECT_EQ(std::get<std::string>(rows->rows[0][1]), "final");
  EXPECT_EQ(std::get<std::string>(rows->rows[1][1]), "final");
  EXPECT_EQ(std::get<std::string>(rows->rows[2][0]), "all_star");  // EST/WST allowed on all_star rows
}

TEST_F(ImportTest, GoodCsvThenExportRoundTrip) {
  ASSERT_TRUE(Import("nba_raw.nbac_schedule", {dir_.Write("s.csv", kSchedule)}).ok());
  auto result = Import("nba_analytics.team_defense_game_summary", {dir_.Write("t.csv", TdgsRows())});
  ASSERT_TRUE(result.ok()) << diag_.ErrorText();
  EXPECT_EQ((*result)[0].inserted, 4);
  EXPECT_EQ((*result)[0].deleted, 0);
  std::string csv = Export("nba_analytics.team_defense_game_summary");
  // Key order: (defending_team_abbr, game_id); NULL = empty; doubles by format_float.
  std::istringstream lines(csv);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(first, "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,108,40,22,12,5,35,12,44,3,,,106.5,99.5");
  // export then import --mode replace reproduces the table exactly.
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("again.csv", csv)}).ok());
  EXPECT_EQ(Export("nba_analytics.team_defense_game_summary"), csv);
  EXPECT_EQ(Count("nba_analytics.team_defense_game_summary"), 4);
  auto history = warehouse_->Query(
      "SELECT rows_deleted, rows_inserted, length(content_hash) FROM nba_reference.import_history "
      "WHERE table_name = 'nba_analytics.team_defense_game_summary' ORDER BY rowid");  // insertion order: two
      // imports can start within one millisecond
  ASSERT_EQ(history->rows.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(history->rows[1][0]), 4);
  EXPECT_EQ(std::get<int64_t>(history->rows[1][2]), 16);
}

TEST_F(ImportTest, NdjsonWithBigQueryStringIntegers) {
  std::string ndjson =
      "{\"team_abbr\":\"BOS\",\"game_id\":\"20241105_NYK_BOS\",\"game_date\":\"2024-11-05\",\"season_year\":\"2024\","
      "\"opponent_team_abbr\":\"NYK\",\"win_flag\":true,\"pace\":99.5,\"offensive_rating\":\"115.25\","
      "\"points_line\":22.5}\n"
      "\n"
      "{\"team_abbr\":\"NYK\",\"game_id\":\"20241105_NYK_BOS\",\"game_date\":\"2024-11-05\",\"season_year\":2024,"
      "\"opponent_team_abbr\":\"BOS\",\"win_flag\":\"false\",\"pace\":null}\n";
  auto result = Import("nba_analytics.team_offense_game_summary", {dir_.Write("togs.ndjson", ndjson)});
  ASSERT_TRUE(result.ok()) << diag_.ErrorText();
  EXPECT_EQ((*result)[0].inserted, 2);
  EXPECT_EQ(diag_.warning_count(), 1);  // unknown column points_line
  EXPECT_EQ(Export("nba_analytics.team_offense_game_summary", "ndjson"),
            "{\"game_id\":\"20241105_NYK_BOS\",\"game_date\":\"2024-11-05\",\"season_year\":2024,\"team_abbr\":\"BOS\","
            "\"opponent_team_abbr\":\"NYK\",\"win_flag\":true,\"pace\":99.5,\"offensive_rating\":115.25}\n"
            "{\"game_id\":\"20241105_NYK_BOS\",\"game_date\":\"2024-11-05\",\"season_year\":2024,\"team_abbr\":\"NYK\","
            "\"opponent_team_abbr\":\"BOS\",\"win_flag\":false,\"pace\":null,\"offensive_rating\":null}\n");
}

TEST_F(ImportTest, MissingKeyColumnIsRejected) {
  std::string bad = "game_date,season_year,defending_team_abbr,opponent_team_abbr\n2024-11-05,2024,BOS,NYK\n";
  ExpectRejected(bad, "importing " + dir_.File("bad.csv") + ": missing required column \"game_id\"");
}

TEST_F(ImportTest, UnparsableNumberIsRejected) {
  std::string bad = TdgsRows();
  bad.replace(bad.find(",108,"), 5, ",1O8,");
  ExpectRejected(bad, "importing " + dir_.File("bad.csv") + " line 2: column points_allowed: \"1O8\" is not an integer");
}

TEST_F(ImportTest, BadDateIsRejected) {
  std::string bad = std::string(kTdgsHeader) +
                    "20241105_NYK_BOS,2024-02-30,2024,BOS,NYK,108,40,22,12,5,35,12,44,3,,,106.5,99.5\n";
  ExpectRejected(bad, "importing " + dir_.File("bad.csv") + " line 2: column game_date: \"2024-02-30\" is not a date");
}

TEST_F(ImportTest, DuplicateKeyIsRejected) {
  std::string rows = TdgsRows();
  std::string bad = rows + rows.substr(rows.find('\n') + 1, rows.find('\n', rows.find('\n') + 1) - rows.find('\n'));
  ExpectRejected(bad, "importing " + dir_.File("bad.csv") +
                          ": duplicate key (defending_team_abbr=BOS, game_id=20241105_NYK_BOS) at lines 2 and 6");
}

TEST_F(ImportTest, TruncatedLineIsRejected) {
  std::string bad = std::string(kTdgsHeader) + "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,108,40\n";
  ExpectRejected(bad, "importing " + dir_.File("bad.csv") + " line 2: expected 18 fields, found 7");
}

TEST_F(ImportTest, TruncatedNdjsonLineIsRejected) {
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("good.csv", TdgsRows())}).ok());
  auto result = Import("nba_analytics.team_defense_game_summary",
                       {dir_.Write("bad.ndjson", "{\"game_id\":\"20241105_NYK_BOS\",\"game_date\":\"2024-11-0\n")});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(diag_.errors()[0], "importing " + dir_.File("bad.ndjson") + " line 1: malformed JSON (truncated line?)");
  EXPECT_EQ(Count("nba_analytics.team_defense_game_summary"), 4);
}

TEST_F(ImportTest, DomainErrorsNameTheColumnAndSuggest) {
  std::string bad = std::string(kTdgsHeader) +
                    "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,108,40,22,12,5,35,12,44,3,,,106.5,99.5\n"
                    "20241105_LAK_BOS,2024-11-05,2024,LAK,BOS,108,40,22,12,5,35,12,44,3,,,106.5,99.5\n"
                    "20241106_NYK_BOS,2024-11-05,2023,NYK,BOS,-1,40,22,12,5,35,12,44,3,,,106.5,99.5\n";
  auto result = Import("nba_analytics.team_defense_game_summary", {dir_.Write("bad.csv", bad)});
  ASSERT_FALSE(result.ok());
  std::string prefix = "importing " + dir_.File("bad.csv");
  std::vector<std::string> expected = {
      prefix + " line 3: column defending_team_abbr: \"LAK\" is not an NBA team (did you mean LAL?)",
      prefix + " line 4: column game_id: \"20241106_NYK_BOS\" does not match game_date 2024-11-05",
      prefix + " line 4: column points_allowed: -1 is negative",
      prefix + " line 4: column season_year: 2023 is not the season of 2024-11-05 (2024)",
  };
  EXPECT_EQ(diag_.errors(), expected);
  EXPECT_EQ(Count("nba_analytics.team_defense_game_summary"), 0);
}

TEST_F(ImportTest, ScheduleTeamTwiceOnADateIsRejected) {
  std::string bad = std::string(kSchedule) + "0022400103,2024-11-05,2024,BOS,MIA,regular_season,final\n";
  auto result = Import("nba_raw.nbac_schedule", {dir_.Write("s.csv", bad)});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(diag_.errors()[0],
            "importing " + dir_.File("s.csv") + " line 5: team BOS plays two games on 2024-11-05 (also at line 2)");
}

TEST_F(ImportTest, DuplicatePolicies) {
  std::string rows = TdgsRows();
  std::string dup = std::string(kTdgsHeader) +
                    "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,100,40,22,12,5,35,12,44,3,,,106.5,99.5\n"
                    "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,101,40,22,12,5,35,12,44,3,,,106.5,99.5\n";
  ImportOptions keep_last;
  keep_last.on_duplicate = "keep-last";
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("d.csv", dup)}, keep_last).ok());
  auto value = warehouse_->Query("SELECT points_allowed FROM nba_analytics.team_defense_game_summary");
  EXPECT_EQ(std::get<int64_t>(value->rows[0][0]), 101);
  ImportOptions keep_first;
  keep_first.on_duplicate = "keep-first";
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("d.csv", dup)}, keep_first).ok());
  value = warehouse_->Query("SELECT points_allowed FROM nba_analytics.team_defense_game_summary");
  EXPECT_EQ(std::get<int64_t>(value->rows[0][0]), 100);
}

TEST_F(ImportTest, ModesUpsertAndReplaceDates) {
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("good.csv", TdgsRows())}).ok());
  std::string other_day = std::string(kTdgsHeader) +
                          "20241107_MIA_BOS,2024-11-07,2024,BOS,MIA,99,40,22,12,5,35,12,44,3,,,106.5,99.5\n";
  ImportOptions upsert;
  upsert.mode = "upsert";
  ASSERT_TRUE(Import("nba_analytics.team_defense_game_summary", {dir_.Write("o.csv", other_day)}, upsert).ok());
  EXPECT_EQ(Count("nba_analytics.team_defense_game_summary"), 5);
  ImportOptions replace_dates;
  replace_dates.mode = "replace-dates";
  std::string one = std::string(kTdgsHeader) +
                    "20241105_NYK_BOS,2024-11-05,2024,BOS,NYK,90,40,22,12,5,35,12,44,3,,,106.5,99.5\n";
  auto result = Import("nba_analytics.team_defense_game_summary", {dir_.Write("r.csv", one)}, replace_dates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)[0].deleted, 4);  // every row of 2024-11-05
  EXPECT_EQ(Count("nba_analytics.team_defense_game_summary"), 2);
}

TEST_F(ImportTest, CalendarDaysRestConvertsOldExports) {
  std::string upgc =
      "player_lookup,game_id,game_date,team_abbr,opponent_team_abbr,days_rest,back_to_back\n"
      "lebronjames,20241105_NYK_BOS,2024-11-05,NYK,BOS,1,false\n"
      "jaysontatum,20241105_NYK_BOS,2024-11-05,BOS,NYK,3,false\n"
      "jaylenbrown,20241105_NYK_BOS,2024-11-05,BOS,NYK,,\n";
  ImportOptions options;
  options.calendar_days_rest = true;
  ASSERT_TRUE(Import("nba_analytics.upcoming_player_game_context", {dir_.Write("u.csv", upgc)}, options).ok())
      << diag_.ErrorText();
  auto rows = warehouse_->Query(
      "SELECT player_lookup, days_rest, back_to_back FROM nba_analytics.upcoming_player_game_context "
      "ORDER BY player_lookup");
  ASSERT_EQ(rows->rows.size(), 3u);
  EXPECT_TRUE(IsNull(rows->rows[0][1]));                     // jaylenbrown: NULL stays NULL
  EXPECT_EQ(std::get<int64_t>(rows->rows[1][1]), 2);         // jaysontatum: 3 - 1
  EXPECT_EQ(std::get<int64_t>(rows->rows[1][2]), 0);
  EXPECT_EQ(std::get<int64_t>(rows->rows[2][1]), 0);         // lebronjames: played yesterday
  EXPECT_EQ(std::get<int64_t>(rows->rows[2][2]), 1);
}

TEST_F(ImportTest, TimestampsNormaliseToUtc) {
  store::ColumnDef column;
  column.name = "t";
  column.type = store::ColumnType::kTimestamp;
  EXPECT_EQ(std::get<std::string>(*ParseTextCell(column, "2026-01-03 18:00:01.102 UTC", false)),
            "2026-01-03T18:00:01.102Z");
  EXPECT_EQ(std::get<std::string>(*ParseTextCell(column, "2026-01-03T20:30:00-05:00", false)),
            "2026-01-04T01:30:00.000Z");
  EXPECT_FALSE(ParseTextCell(column, "2026-01-03 18:00:01", false).ok());  // no zone
}

TEST_F(ImportTest, IntegerAndBooleanParsing) {
  store::ColumnDef integer;
  integer.name = "points";
  integer.type = store::ColumnType::kInteger;
  EXPECT_EQ(std::get<int64_t>(*ParseTextCell(integer, "12.0", false)), 12);
  EXPECT_FALSE(ParseTextCell(integer, "12.5", false).ok());
  EXPECT_FALSE(ParseTextCell(integer, "1e3", false).ok());
  EXPECT_FALSE(ParseTextCell(integer, "1,000", false).ok());
  EXPECT_TRUE(IsNull(*ParseTextCell(integer, "", false)));
  store::ColumnDef number;
  number.name = "pace";
  number.type = store::ColumnType::kNumeric;
  EXPECT_EQ(std::get<double>(*ParseTextCell(number, "-1.5e1", false)), -15.0);
  EXPECT_FALSE(ParseTextCell(number, "NaN", false).ok());
  EXPECT_FALSE(ParseTextCell(number, "1,5", false).ok());
  store::ColumnDef boolean;
  boolean.name = "is_active";
  boolean.type = store::ColumnType::kBoolean;
  EXPECT_EQ(std::get<bool>(*ParseTextCell(boolean, "t", false)), true);
  EXPECT_EQ(std::get<bool>(*ParseTextCell(boolean, "False", false)), false);
  EXPECT_FALSE(ParseTextCell(boolean, "yes", false).ok());
}

}  // namespace
}  // namespace nbapc::io
