#include "report/report.h"

#include <map>

#include <gtest/gtest.h>

#include "report/html.h"
#include "store/schema.h"
#include "store/warehouse.h"
#include "testing/rows.h"
#include "testing/temp_dir.h"

namespace nbapc::report {
namespace {

using Cells = std::map<std::string, Value>;

Row MakeRow(const store::TableDef& table, const Cells& cells) {
  return testing::FullRow(table, cells, "2023-11-10", "2023-11-10T00:00:00.000Z");
}

void Insert(store::Warehouse& warehouse, const char* table_name, const std::vector<Cells>& rows) {
  const store::TableDef* table = store::FindTable(table_name);
  ASSERT_NE(table, nullptr) << table_name;
  std::vector<Row> full;
  for (const Cells& cells : rows) full.push_back(MakeRow(*table, cells));
  ASSERT_TRUE(warehouse.InsertRows(*table, full).ok()) << table_name;
}

Value S(const char* text) { return Value{std::string(text)}; }
Value I(int64_t value) { return Value{value}; }
Value F(double value) { return Value{value}; }

Cells Outcome(const char* processor, const char* date, const char* status, const char* code, const char* reason,
              int64_t rows, double duration_ms) {
  Cells cells = {{"run_id", S("20231114T000000Z-0000abcd")}, {"processor_name", S(processor)},
                 {"data_date", S(date)},  {"season_year", I(2023)}, {"status", S(status)},
                 {"records_written", I(rows)}, {"duration_ms", F(duration_ms)},
                 {"finished_at", S("2023-11-14T00:00:01.000Z")}};
  if (code) cells["reason_code"] = S(code);
  if (reason) cells["reason"] = S(reason);
  return cells;
}

std::string Features(double fatigue) {
  std::string out = "[";
  for (int idx = 0; idx < 25; ++idx) {
    double value = idx == 5 ? fatigue : (idx == 15 ? 1.0 : 0.25);
    if (idx) out += ',';
    out += ShortNumber(value);
  }
  return out + "]";
}

std::string Sources(bool all_default) {
  std::string out = "[";
  for (int idx = 0; idx < 25; ++idx) {
    if (idx) out += ',';
    out += all_default || idx == 24 ? "\"default\"" : "\"phase4\"";
  }
  return out + "]";
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = testing::CreateWarehouse(dir_);
    ASSERT_NE(warehouse_, nullptr);
    store::Warehouse& wh = *warehouse_;
    // Season 2023-24 opens 2023-10-24: bootstrap through 2023-11-06.
    std::vector<Cells> games;
    int number = 1;
    for (const char* date : {"2023-10-24", "2023-10-25", "2023-11-10", "2023-11-11", "2023-11-13"}) {
      games.push_back({{"game_id", S(("00223000" + std::to_string(10 + number++)).c_str())},
                       {"game_date", S(date)}, {"season_year", I(2023)}, {"home_team_abbr", S("BOS")},
                       {"away_team_abbr", S("NYK")}, {"game_type", S("regular_season")}, {"game_status", S("final")}});
    }
    Insert(wh, "nba_raw.nbac_schedule", games);
    Insert(wh, "nba_reference.processor_run_history",
           {Outcome("player_composite_factors", "2023-10-24", "skipped", "bootstrap", "day 0 of season 2023-24", 0, 0.1),
            Outcome("player_composite_factors", "2023-11-10", "success", nullptr, nullptr, 2, 12.5),
            Outcome("player_composite_factors", "2023-11-11", "failed", "missing_input",
                    "player_game_summary has no rows <b>for</b> http://x", 0, 3.0),
            Outcome("ml_feature_store", "2023-11-10", "success", nullptr, nullptr, 2, 20.0)});
    Insert(wh, "nba_precompute.player_composite_factors",
           {{{"player_lookup", S("aaron")}, {"game_date", S("2023-11-10")}, {"analysis_date", S("2023-11-10")},
             {"game_id", S("20231110_NYK_BOS")}, {"context_source", S("synthetic")}, {"fatigue_score", I(95)},
             {"total_composite_adjustment", F(-0.25)}, {"data_completeness_pct", F(80.0)}},
            {{"player_lookup", S("bob")}, {"game_date", S("2023-11-10")}, {"analysis_date", S("2023-11-10")},
             {"game_id", S("20231110_NYK_BOS")}, {"context_source", S("synthetic")}, {"fatigue_score", I(80)},
             {"total_composite_adjustment", F(-1.0)}, {"data_completeness_pct", F(100.0)}}});
    Insert(wh, "nba_predictions.ml_feature_store_v2",
           {{{"player_lookup", S("aaron")}, {"game_date", S("2023-11-10")}, {"features", S(Features(95).c_str())},
             {"feature_sources", S(Sources(false).c_str())}, {"feature_quality_score", F(90.4)}},
            {{"player_lookup", S("bob")}, {"game_date", S("2023-11-10")}, {"features", S(Features(80).c_str())},
             {"feature_sources", S(Sources(true).c_str())}, {"feature_quality_score", F(40.0)}}});
    Insert(wh, "nba_reference.run_log",
           {{{"run_id", S("20231114T000000Z-0000abcd")}, {"command", S("nba-precompute backfill all <x>")},
             {"subcommand", S("backfill")}, {"started_at", S("2023-11-14T00:00:00.000Z")}, {"successful", I(3)},
             {"failed", I(1)}, {"rows_written", I(4)}, {"workers", I(2)},
             {"stage_ms", S(R"({"plan":1.0,"preflight":2.0,"load":30.0,"compute":40.0,"write":5.0,"total":78.0})")}}});
  }

  ReportOptions Options(const char* generated_at = "2026-01-03T19:00:00.000Z") {
    ReportOptions options;
    options.start_date = Date::Parse("2023-10-24").value();
    options.end_date = Date::Parse("2023-11-13").value();
    options.today = Date::Parse("2023-11-20").value();
    options.title = "Report <of> \"Q&A\"";
    options.generated_at = generated_at;
    return options;
  }

  std::string Render(const ReportOptions& options) {
    auto html = RenderReport(*warehouse_, options);
    EXPECT_TRUE(html.ok()) << html.status().ToString();
    return html.ok() ? *html : std::string();
  }

  nbapc::testing::TempDir dir_;
  std::unique_ptr<store::Warehouse> warehouse_;
};

TEST_F(ReportTest, ByteIdenticalExceptTheGenerationLine) {
  std::string first = Render(Options("2026-01-03T19:00:00.000Z"));
  std::string again = Render(Options("2026-01-03T19:00:00.000Z"));
  std::string later = Render(Options("2026-01-04T08:30:00.000Z"));
  EXPECT_EQ(first, again);
  EXPECT_NE(first, later);
  std::string line_a = GenerationLine("2026-01-03T19:00:00.000Z");
  std::string line_b = GenerationLine("2026-01-04T08:30:00.000Z");
  ASSERT_NE(first.find(line_a), std::string::npos);
  ASSERT_NE(later.find(line_b), std::string::npos);
  first.erase(first.find(line_a), line_a.size());
  later.erase(later.find(line_b), line_b.size());
  EXPECT_EQ(first, later);
}

TEST_F(ReportTest, SelfContainedAndEscaped) {
  std::string html = Render(Options());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  std::vector<std::string> findings = FindExternalResources(html);
  EXPECT_TRUE(findings.empty()) << findings.front();
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  // Exactly one <style>.
  EXPECT_EQ(html.find("<style>"), html.rfind("<style>"));
  EXPECT_NE(html.find("<title>Report &lt;of&gt; &quot;Q&amp;A&quot;</title>"), std::string::npos);
  EXPECT_NE(html.find("player_game_summary has no rows &lt;b&gt;for&lt;/b&gt; http:&#47;&#47;x"), std::string::npos);
  EXPECT_EQ(html.find("<b>for</b>"), std::string::npos);
  EXPECT_NE(html.find("nba-precompute backfill all &lt;x&gt;"), std::string::npos);
}

TEST_F(ReportTest, CalendarTooltipsCountsAndFailures) {
  std::string html = Render(Options());
  EXPECT_NE(html.find("<title>2023-11-10 · player_composite_factors · success · 2 rows · run "
                      "20231114T000000Z-0000abcd</title>"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"boot\"><title>2023-10-24 · player_composite_factors · skipped · bootstrap · 0 rows"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"fail\"><title>2023-11-11 · player_composite_factors · failed · missing_input"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"miss\"><title>2023-11-13 · player_composite_factors · game date · not run</title>"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"none\"><title>2023-11-12 · no game</title>"), std::string::npos);
  // Bootstrap date never run (MLFS 2023-10-25): hatched, not a failure.
  EXPECT_NE(html.find("class=\"boot\"><title>2023-10-25 · ml_feature_store · bootstrap · not run</title>"),
            std::string::npos);
  // PCF 2023-24: 5 game dates, 2 bootstrap, 3 processable, 1 covered, 1 failed, 1 not run, 2 rows.
  EXPECT_NE(html.find("<b>2023-24</b> · covered 1 / 3 processable · 5 game dates (2 bootstrap) · <span "
                      "class=\"fail\">1 failed</span> · <span class=\"fail\">1 not run</span> · 2 rows"),
            std::string::npos);
  // Failures table rows.
  EXPECT_NE(html.find("<tr><td>player_composite_factors</td><td class=\"nowrap\">2023-11-11</td><td>failed</td>"
                      "<td>missing_input</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>player_composite_factors</td><td class=\"nowrap\">2023-11-13</td><td>not run</td>"),
            std::string::npos);
  // TDZA ran nowhere: its three processable dates are one grouped not-run row.
  EXPECT_NE(html.find("<tr><td>team_defense_zone_analysis</td><td class=\"nowrap\">2023-11-10 .. 2023-11-13 (3 "
                      "dates)</td><td>not run</td>"),
            std::string::npos);
}

TEST_F(ReportTest, DistributionsTimingsAndValidationHeader) {
  std::string html = Render(Options());
  EXPECT_NE(html.find("not validated"), std::string::npos);
  EXPECT_NE(html.find("<b>fatigue_score</b><br>n 2 · NULL 0.0% · mean 87.5 · p50 80"), std::string::npos);
  // MLFS feature 24: both rows tagged default; feature 5 from the array.
  EXPECT_NE(html.find("<b>24 team_win_pct</b><br>n 2 · NULL 0.0% · default 100.0%"), std::string::npos);
  EXPECT_NE(html.find("<b>5 fatigue_score</b><br>n 2 · NULL 0.0% · default 50.0% · mean 87.5"), std::string::npos);
  // feature_quality_score 40.0 breaks the registry's hard bounds [41.4, 97.0]
  // (validation.md §4.3), min 100 %: both F2 and F1 in its check line.
  EXPECT_NE(html.find("<b>feature_quality_score</b><br>n 2 · NULL 0.0% · mean 65.2 · p50 40 · off axis 1 below, "
                      "0 above<br><span class=\"fail\">FAIL: F2 1 outside hard bounds; F1 valid 50.0% &lt; "
                      "100%</span>"),
            std::string::npos);
  // Run log row with its stage bar; per-processor duration (PCF: one success of 12.5 ms).
  EXPECT_NE(html.find("<title>compute 40.0 ms</title>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>player_composite_factors</td><td>1</td><td>12.5</td><td>12.5</td>"), std::string::npos);

  Insert(*warehouse_, "nba_orchestration.validation_runs",
         {{{"validation_id", S("val-20260103T190000Z-1c9e2f7a")}, {"result", S("fail")}, {"failures", I(2)},
           {"warnings", I(3)}, {"start_date", S("2023-10-24")}, {"end_date", S("2023-11-13")},
           {"finished_at", S("2026-01-03T19:00:05.000Z")}}});
  html = Render(Options());
  EXPECT_EQ(html.find("not validated"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"fail\">FAIL</span> (2 failures, 3 warnings) · val-20260103T190000Z-1c9e2f7a"),
            std::string::npos);
}

TEST_F(ReportTest, ProcessorFilterAndErrors) {
  ReportOptions options = Options();
  options.processor = "pcf";
  std::string html = Render(options);
  EXPECT_NE(html.find("id=\"cal-player_composite_factors\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"cal-ml_feature_store\""), std::string::npos);
  EXPECT_EQ(html.find("dist-nba_predictions.ml_feature_store_v2"), std::string::npos);
  options.processor = "pfc";
  EXPECT_EQ(RenderReport(*warehouse_, options).status().code(), StatusCode::kInvalidArgument);
  options.processor = "all";
  options.end_date = Date::Parse("2023-10-01").value();
  EXPECT_EQ(RenderReport(*warehouse_, options).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ReportTest, DefaultRangeIsFirstToLastGameDateBeforeToday) {
  ReportOptions options = Options();
  options.start_date.reset();
  options.end_date.reset();
  options.today = Date::Parse("2023-11-13").value();  // 2023-11-13 is not before today
  std::string html = Render(options);
  EXPECT_NE(html.find("2023-10-24 .. 2023-11-11 · 4 game dates, 2 bootstrap, 2 processable"), std::string::npos);
}

}  // namespace
}  // namespace nbapc::report
