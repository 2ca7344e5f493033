#include "validate/entities.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/schema.h"
#include "testing/rows.h"
#include "testing/temp_dir.h"
#include "validate/validator.h"

namespace nbapc::validate {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

using Names = std::set<std::string>;

PgsFact Pgs(const char* date, const char* player, const char* team, bool qualifying = true) {
  return PgsFact{D(date), player, team, qualifying};
}

std::map<Date, Names> Universes(const UniverseFacts& facts, UniverseRule rule, const std::vector<Date>& dates,
                                const std::set<Date>& upcoming = {}) {
  std::map<Date, Names> out;
  ForEachUniverse(
      facts, rule, dates, [&](Date date) { return !upcoming.count(date); },
      [&](Date date, const Names& universe) { out[date] = universe; });
  return out;
}

TEST(ValidateEntitiesTest, TdzaTeamsWithAGameInTheSeasonBeforeD) {
  UniverseFacts facts;
  facts.tdgs = {{D("2024-04-10"), "MIA"},  // previous season
                {D("2024-10-22"), "BOS"}, {D("2024-10-22"), "NYK"}, {D("2024-10-24"), "LAL"},
                {D("2025-04-01"), "DEN"}};  // season 2024, not 2025
  auto u = Universes(facts, UniverseRule::kTeamsWithSeasonGame,
                     {D("2024-10-22"), D("2024-10-23"), D("2024-10-25"), D("2025-10-25")});
  EXPECT_EQ(u[D("2024-10-22")], Names{});  // a game on D does not count
  EXPECT_EQ(u[D("2024-10-23")], (Names{"BOS", "NYK"}));
  EXPECT_EQ(u[D("2024-10-25")], (Names{"BOS", "LAL", "NYK"}));
  EXPECT_EQ(u[D("2025-10-25")], Names{});  // new season: nothing before D in it
}

TEST(ValidateEntitiesTest, PszaPlayersWithAQualifyingGame) {
  UniverseFacts facts;
  facts.pgs = {Pgs("2024-10-22", "a", "BOS"), Pgs("2024-10-22", "b", "BOS", false),  // b: DNP
               Pgs("2024-10-24", "b", "BOS"), Pgs("2024-10-24", "c", "NYK", false)};
  auto u = Universes(facts, UniverseRule::kPlayersWithQualifyingGame, {D("2024-10-23"), D("2024-10-25")});
  EXPECT_EQ(u[D("2024-10-23")], Names{"a"});
  EXPECT_EQ(u[D("2024-10-25")], (Names{"a", "b"}));  // c has only a DNP row
}

TEST(ValidateEntitiesTest, GameDayPlayersHistoricalAndUpcoming) {
  UniverseFacts facts;
  facts.pgs = {Pgs("2024-10-22", "a", "NYK"), Pgs("2024-10-22", "b", "NYK", false), Pgs("2024-10-22", "c", "BOS"),
               Pgs("2024-10-23", "d", "MIA"), Pgs("2024-10-24", "b", "LAL")};  // b traded to LAL
  facts.upgc[D("2024-10-26")] = {{"u1", "BOS"}, {"a", "BOS"}};
  facts.games[D("2024-10-26")] = {ScheduledGame{"BOS", "NYK"}, ScheduledGame{"LAL", "MIA"}};
  auto u = Universes(facts, UniverseRule::kGameDayPlayers, {D("2024-10-22"), D("2024-10-26")}, {D("2024-10-26")});
  // Historical: every PGS row on D, DNP rows included.
  EXPECT_EQ(u[D("2024-10-22")], (Names{"a", "b", "c"}));
  // Upcoming: UPGC (u1, a) + rosters of NYK (a: already in), LAL (b), MIA (d); BOS has UPGC rows, so not c.
  EXPECT_EQ(u[D("2024-10-26")], (Names{"a", "b", "d", "u1"}));
}

TEST(ValidateEntitiesTest, ReconcileCountsAndLine) {
  Reconciliation ok = Reconcile(D("2024-01-05"), {"a", "b", "c"}, {"a", "b"}, {{"c", "INSUFFICIENT_DATA"}});
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.Line("pdc"), "2024-01-05  pdc  universe 3 = rows 2 + excluded 1 (INSUFFICIENT_DATA 1) + unaccounted 0");

  Reconciliation bad = Reconcile(D("2024-01-05"), {"a", "b", "c", "d"}, {"a", "b", "x"},
                                 {{"b", "INSUFFICIENT_DATA"}, {"c", "INSUFFICIENT_DATA"}});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.universe, 4);
  EXPECT_EQ(bad.rows, 3);
  EXPECT_EQ(bad.excluded, 2);
  EXPECT_EQ(bad.unaccounted, std::vector<std::string>{"d"});
  EXPECT_EQ(bad.outside, std::vector<std::string>{"x"});
  EXPECT_EQ(bad.both, std::vector<std::string>{"b"});
  EXPECT_EQ(bad.Line("pdc"),
            "2024-01-05  pdc  universe 4 = rows 3 + excluded 2 (INSUFFICIENT_DATA 2) + unaccounted 1 (d); outside the "
            "universe 1 (x); both a row and an exclusion 1 (b)");
}

TEST(ValidateEntitiesTest, CheckEntitiesFailsNamingTheDate) {
  UniverseFacts facts;
  facts.pgs = {Pgs("2024-11-05", "a", "BOS"), Pgs("2024-11-05", "b", "BOS"), Pgs("2024-11-06", "a", "BOS")};
  AccountedEntities accounted;
  accounted.rows[D("2024-11-05")] = {"a", "b"};
  accounted.rows[D("2024-11-06")] = {};
  auto all_historical = [](Date) { return true; };
  std::vector<Date> dates = {D("2024-11-05"), D("2024-11-06")};
  EntityCheckResult result = CheckEntities("player_composite_factors", "pcf", facts, dates, all_historical, accounted);
  ASSERT_EQ(result.dates.size(), 2u);
  EXPECT_EQ(result.check.id, "C5");
  EXPECT_EQ(result.check.status, CheckStatus::kFail);
  EXPECT_EQ(result.check.value, 1);
  EXPECT_EQ(result.check.message,
            "1 of 2 dates with entities not accounted for: 2024-11-06  pcf  universe 1 = rows 0 + excluded 0 + "
            "unaccounted 1 (a)");
  accounted.rows[D("2024-11-06")] = {"a"};
  result = CheckEntities("player_composite_factors", "pcf", facts, dates, all_historical, accounted);
  EXPECT_EQ(result.check.status, CheckStatus::kPass);
  EXPECT_EQ(result.check.message, "2 dates reconciled: universe = rows + excluded");
}

// A small warehouse: opener 2024-10-22 (bootstrap), PDC run on 2024-11-05 and 2024-11-06.

Row MakeRow(const store::TableDef& table, const std::map<std::string, Value>& cells) {
  return testing::FullRow(table, cells);
}

Value S(const char* text) { return Value{std::string(text)}; }

class ValidateEntitiesWarehouseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = testing::CreateWarehouse(dir_);
    ASSERT_NE(warehouse_, nullptr);
    Insert("nba_raw.nbac_schedule", {{{"game_id", S("0022400001")}, {"game_date", S("2024-10-22")}},
                                     {{"game_id", S("0022400002")}, {"game_date", S("2024-11-05")}},
                                     {{"game_id", S("0022400003")}, {"game_date", S("2024-11-06")}}},
           {{"season_year", Value{int64_t{2024}}}, {"home_team_abbr", S("BOS")}, {"away_team_abbr", S("NYK")},
            {"game_type", S("regular_season")}, {"game_status", S("final")}});
    // PGS on 2024-11-05: a, b and c (a DNP row, still in the universe); on 2024-11-06: a, b.
    Insert("nba_analytics.player_game_summary",
           {{{"player_lookup", S("a")}, {"game_date", S("2024-11-05")}, {"game_id", S("20241105_NYK_BOS")}},
            {{"player_lookup", S("b")}, {"game_date", S("2024-11-05")}, {"game_id", S("20241105_NYK_BOS")}},
            {{"player_lookup", S("c")}, {"game_date", S("2024-11-05")}, {"game_id", S("20241105_NYK_BOS")},
             {"is_active", Value{false}}},
            {{"player_lookup", S("a")}, {"game_date", S("2024-11-06")}, {"game_id", S("20241106_NYK_BOS")}},
            {{"player_lookup", S("b")}, {"game_date", S("2024-11-06")}, {"game_id", S("20241106_NYK_BOS")}}},
           {{"season_year", Value{int64_t{2024}}}, {"team_abbr", S("BOS")}, {"opponent_team_abbr", S("NYK")},
            {"is_active", Value{true}}, {"minutes_played", Value{30.0}}});
    Insert("nba_precompute.player_daily_cache",
           {{{"player_lookup", S("a")}, {"cache_date", S("2024-11-05")}},
            {{"player_lookup", S("b")}, {"cache_date", S("2024-11-05")}},
            {{"player_lookup", S("a")}, {"cache_date", S("2024-11-06")}}},
           {});
    Insert("nba_precompute.precompute_failures",
           {{{"analysis_date", S("2024-11-05")}, {"entity_id", S("c")}},
            {{"analysis_date", S("2024-11-06")}, {"entity_id", S("b")}}},
           {{"processor_name", S("player_daily_cache")}, {"failure_category", S("INSUFFICIENT_DATA")},
            {"failure_reason", S("Only 0 games played, need 5 minimum")}, {"run_id", S("r1")}});
    Outcome("2024-10-22", "skipped", "bootstrap", 0);
    Outcome("2024-11-05", "success", "", 2);
    Outcome("2024-11-06", "success", "", 1);
  }

  void Insert(const std::string& table, const std::vector<std::map<std::string, Value>>& rows,
              const std::map<std::string, Value>& common) {
    const store::TableDef* def = store::FindTable(table);
    ASSERT_NE(def, nullptr) << table;
    std::vector<Row> out;
    for (auto cells : rows) {
      for (const auto& [name, value] : common) cells.emplace(name, value);
      out.push_back(MakeRow(*def, cells));
    }
    auto status = warehouse_->InsertRows(*def, out);
    ASSERT_TRUE(status.ok()) << table << ": " << status.message();
  }

  void Outcome(const char* date, const char* status, const char* code, int64_t written) {
    auto text_or_null = [](const char* text) { return *text ? S(text) : Value{}; };
    Insert("nba_reference.processor_run_history",
           {{{"run_id", S("r1")}, {"data_date", S(date)}, {"status", S(status)}, {"reason_code", text_or_null(code)},
             {"reason", text_or_null(code)}, {"records_written", Value{written}},
             {"output_hash", *code ? Value{} : S("e3b0c44298fc1c14")}}},
           {{"processor_name", S("player_daily_cache")}, {"season_year", Value{int64_t{2024}}},
            {"started_at", S("2026-01-03T18:00:00.000Z")}, {"finished_at", S("2026-01-03T18:00:01.000Z")}});
  }

  int Validate(bool details, std::string* text, const char* format = "table") {
    ValidateOptions options;
    options.check = "coverage";
    options.processor = "pdc";
    options.format = format;
    options.details = details;
    options.today = D("2026-01-03");
    options.min_coverage = 50;
    std::ostringstream out;
    auto code = RunValidate(*warehouse_, options, out);
    EXPECT_TRUE(code.ok()) << code.status().message();
    *text = out.str();
    return code.ok() ? *code : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Warehouse> warehouse_;
};

TEST_F(ValidateEntitiesWarehouseTest, AccountedDatesPassAndADeletedRowFails) {
  std::string text;
  ASSERT_EQ(Validate(true, &text), 0) << text;
  EXPECT_NE(text.find("  2024-11-05  pdc  universe 3 = rows 2 + excluded 1 (INSUFFICIENT_DATA 1) + unaccounted 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  2024-11-06  pdc  universe 2 = rows 1 + excluded 1 (INSUFFICIENT_DATA 1) + unaccounted 0\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("2024-10-22  pdc  universe"), std::string::npos) << "bootstrap dates are not reconciled";

  // C5 runs with --details only.
  ASSERT_TRUE(warehouse_
                  ->Execute("DELETE FROM nba_precompute.player_daily_cache WHERE cache_date = '2024-11-05' AND "
                            "player_lookup = 'a'")
                  .ok());
  ASSERT_EQ(Validate(false, &text), 0) << text;
  EXPECT_EQ(text.find("C5"), std::string::npos) << text;

  ASSERT_EQ(Validate(true, &text), 5) << text;
  EXPECT_NE(text.find("FAIL C5 player_daily_cache: 1 of 2 dates with entities not accounted for: 2024-11-05  pdc  "
                      "universe 3 = rows 1 + excluded 1 (INSUFFICIENT_DATA 1) + unaccounted 1 (a)"),
            std::string::npos)
      << text;

  ASSERT_EQ(Validate(true, &text, "json"), 5) << text;
  auto json = nlohmann::json::parse(text);
  const auto& first = json["coverage"][0]["reconciliation"][0];
  EXPECT_EQ(first["date"], "2024-11-05");
  EXPECT_EQ(first["universe"], 3);
  EXPECT_EQ(first["rows"], 1);
  EXPECT_EQ(first["excluded"], 1);
  EXPECT_EQ(first["excluded_by_category"]["INSUFFICIENT_DATA"], 1);
  EXPECT_EQ(first["unaccounted"], 1);
  EXPECT_EQ(first["unaccounted_entities"], nlohmann::json::array({"a"}));
}

}  // namespace
}  // namespace nbapc::validate
