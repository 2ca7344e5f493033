#include "validate/validator.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/schema.h"
#include "testing/temp_dir.h"

namespace nbapc::validate {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Row Game(const char* id, const char* date) {
  return {Value{std::string(id)}, Value{std::string(date)}, Value{int64_t{2024}}, Value{std::string("BOS")},
          Value{std::string("NYK")}, Value{std::string("regular_season")}, Value{std::string("final")}};
}

Row Outcome(const char* run, const char* processor, const char* date, const char* status, const char* code) {
  auto text_or_null = [](const char* text) { return *text ? Value{std::string(text)} : Value{}; };
  return {Value{std::string(run)}, Value{std::string(processor)}, Value{std::string(date)}, Value{int64_t{2024}},
          Value{std::string(status)}, text_or_null(code), text_or_null(code), Value{}, Value{int64_t{0}},
          Value{int64_t{0}}, Value{std::string("{}")}, Value{std::string("{}")},
          *code ? Value{} : Value{std::string("e3b0c44298fc1c14")}, Value{int64_t{1}},
          Value{std::string("backfill_range")}, Value{true}, Value{std::string("2026-01-03T18:00:00.000Z")},
          Value{std::string("2026-01-03T18:00:01.000Z")}, Value{1.0}, Value{std::string("host")}, Value{int64_t{1}},
          Value{std::string("0.1.0")}};
}

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = testing::CreateWarehouse(dir_);
    ASSERT_NE(warehouse_, nullptr);
    // Opener 2024-10-22 (bootstrap), then two processable dates.
    std::vector<Row> games = {Game("0022400001", "2024-10-22"), Game("0022400002", "2024-11-05"),
                              Game("0022400003", "2024-11-06")};
    ASSERT_TRUE(warehouse_->InsertRows(*store::FindTable("nba_raw.nbac_schedule"), games).ok());
    std::vector<Row> outcomes = {Outcome("r1", "player_composite_factors", "2024-10-22", "skipped", "bootstrap"),
                                 Outcome("r1", "player_composite_factors", "2024-11-05", "success", "")};
    ASSERT_TRUE(warehouse_->InsertRows(*store::FindTable("nba_reference.processor_run_history"), outcomes).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Warehouse> warehouse_;
};

TEST_F(ValidatorTest, CoverageNamesTheNotRunDateAndExitsFive) {
  ValidateOptions options;
  options.check = "coverage";
  options.processor = "pcf";
  options.format = "json";
  options.today = D("2026-01-03");
  options.min_coverage = 30;
  std::ostringstream out;
  auto code = RunValidate(*warehouse_, options, out);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 5);
  auto json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["start_date"], "2024-10-22");
  EXPECT_EQ(json["end_date"], "2024-11-06");
  EXPECT_EQ(json["result"], "fail");
  ASSERT_EQ(json["coverage"].size(), 1u);
  const auto& pcf = json["coverage"][0];
  EXPECT_EQ(pcf["game_dates"], 3);
  EXPECT_EQ(pcf["bootstrap_dates"], 1);
  EXPECT_EQ(pcf["covered_dates"], 1);  // 0-row success on 2024-11-05
  EXPECT_EQ(pcf["zero_row_dates"], 1);
  EXPECT_EQ(pcf["coverage_pct"], 33.3);
  EXPECT_EQ(pcf["not_run_dates"], nlohmann::json::array({"2024-11-06"}));
  bool c3 = false;
  for (const auto& check : json["checks"]) {
    if (check["id"] == "C3") {
      c3 = true;
      EXPECT_EQ(check["status"], "fail");
      EXPECT_NE(check["message"].get<std::string>().find("2024-11-06"), std::string::npos);
    }
  }
  EXPECT_TRUE(c3);
  EXPECT_TRUE(json["completeness"].is_null());
  // §7: the run is stored, not as a baseline (it failed).
  auto runs = warehouse_->Query("SELECT result, exit_code, is_baseline FROM nba_orchestration.validation_runs");
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(runs->rows[0][0]), "fail");
  EXPECT_EQ(std::get<int64_t>(runs->rows[0][1]), 5);
  EXPECT_EQ(std::get<int64_t>(runs->rows[0][2]), 0);
}

TEST_F(ValidatorTest, RecordedOutcomePassesAndSaveBaselineStoresHashes) {
  std::vector<Row> more = {Outcome("r2", "player_composite_factors", "2024-11-06", "success", "")};
  ASSERT_TRUE(warehouse_->InsertRows(*store::FindTable("nba_reference.processor_run_history"), more).ok());
  ValidateOptions options;
  options.check = "coverage";
  options.processor = "pcf";
  options.today = D("2026-01-03");
  options.min_coverage = 60;
  options.save_baseline = true;
  std::ostringstream out;
  auto code = RunValidate(*warehouse_, options, out);
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(*code, 0) << out.str();
  EXPECT_NE(out.str().find("COVERAGE 2024-10-22..2024-11-06: 3 game dates, 1 bootstrap, 2 processable"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("VALIDATION RESULT: PASS (0 failures, 0 warnings)"), std::string::npos) << out.str();
  auto hashes = warehouse_->Query(
      "SELECT data_date, output_hash FROM nba_orchestration.validation_output_hashes ORDER BY data_date");
  ASSERT_TRUE(hashes.ok());
  ASSERT_EQ(hashes->rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(hashes->rows[0][1]), "e3b0c44298fc1c14");  // 0 rows
}

}  // namespace
}  // namespace nbapc::validate
