#include "demo/generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/teams.h"
#include "demo/schedule.h"

namespace nbapc::demo {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

// The default range is generated once per test binary (spec/inputs.md §5.9).
struct Generated {
  DemoOptions options;
  DemoData data;
  DemoDiagnostics diag;
};
const Generated& Default() {
  static const Generated* g = [] {
    auto* out = new Generated;
    auto result = GenerateDemoData(out->options, &out->diag);
    EXPECT_TRUE(result.ok());
    out->data = std::move(result).value();
    return out;
  }();
  return *g;
}

// Phase 3 id parts.
struct IdParts {
  std::string date, away, home;
};
IdParts Split(const std::string& id) {
  size_t a = id.find('_'), b = id.rfind('_');
  return {id.substr(0, a), id.substr(a + 1, b - a - 1), id.substr(b + 1)};
}
std::string Compact(Date d) {
  std::string s = d.ToString();
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / v.size();
}

TEST(DemoGeneratorTest, RejectsInvalidRanges) {
  DemoOptions o;
  o.end_date = D(2021, 10, 1);
  EXPECT_EQ(GenerateDemoData(o).status().code(), StatusCode::kInvalidArgument);
  o.end_date = D(2026, 11, 1);
  EXPECT_EQ(GenerateDemoData(o).status().code(), StatusCode::kInvalidArgument);
  o = DemoOptions();
  o.first_season = 2019;
  EXPECT_EQ(GenerateDemoData(o).status().code(), StatusCode::kInvalidArgument);
}

TEST(DemoGeneratorTest, CalendarGameDatesAndBootstrap) {
  const auto& g = Default();
  std::map<int, std::set<Date>> regular, play_in, playoff;
  std::set<Date> all;
  for (const auto& s : g.data.schedule) {
    if (!IsIncludedGameType(s.game_type) || s.game_status != GameStatus::kFinal) continue;
    all.insert(s.game_date);
    if (s.game_type == GameType::kRegularSeason) regular[s.season_year].insert(s.game_date);
    if (s.game_type == GameType::kPlayIn) play_in[s.season_year].insert(s.game_date);
    if (s.game_type == GameType::kPlayoff) playoff[s.season_year].insert(s.game_date);
  }
  const std::map<int, size_t> expected = {{2021, 166}, {2022, 165}, {2023, 166}, {2024, 167}, {2025, 72}};
  for (const auto& [season, count] : expected) {
    EXPECT_EQ(regular[season].size(), count) << season;
    const SeasonCalendarSpec* spec = FindSeasonCalendar(season);
    for (int day = 0; day < 14; ++day) EXPECT_TRUE(regular[season].count(spec->opener + day)) << season << " " << day;
    EXPECT_FALSE(all.count(spec->opener - 1));
    if (season < 2025) {
      EXPECT_EQ(play_in[season].size(), 3u);
      // §5.2 says about 44-52; with a game every second day per series the
      // count follows the drawn series lengths: 46 +- 3 over seeds (39-52).
      EXPECT_GE(playoff[season].size(), 40u) << season;
      EXPECT_LE(playoff[season].size(), 52u) << season;
      EXPECT_EQ(*playoff[season].begin(), spec->playoffs_start);
    } else {
      EXPECT_TRUE(play_in[season].empty());
      EXPECT_TRUE(playoff[season].empty());
    }
  }
  EXPECT_NEAR(static_cast<double>(all.size()), 936.0, 16.0);
  EXPECT_EQ(*all.rbegin(), g.options.end_date);
}

TEST(DemoGeneratorTest, ScheduleRowsStatusesAndIds) {
  const auto& g = Default();
  const std::regex nba_id("^00[1-5][0-9]{2}[0-9]{5}$");
  std::set<std::string> ids;
  std::map<GameType, char> digit = {{GameType::kPreseason, '1'}, {GameType::kRegularSeason, '2'},
                                    {GameType::kAllStar, '3'},   {GameType::kPlayoff, '4'},
                                    {GameType::kPlayIn, '5'}};
  int postponed = 0, scheduled_2025 = 0, preseason = 0, all_star = 0;
  std::map<Date, int> postponed_by_date;
  for (const auto& s : g.data.schedule) {
    EXPECT_TRUE(ids.insert(s.game_id).second);
    EXPECT_TRUE(std::regex_match(s.game_id, nba_id)) << s.game_id;
    EXPECT_EQ(s.game_id[2], digit[s.game_type]);
    EXPECT_EQ(std::stoi(s.game_id.substr(3, 2)), s.season_year % 100);
    EXPECT_NE(s.home_team_abbr, s.away_team_abbr);
    if (s.game_type == GameType::kPreseason || s.game_type == GameType::kAllStar) {
      (s.game_type == GameType::kPreseason ? preseason : all_star)++;
    } else {
      EXPECT_EQ(s.season_year, SeasonYear(s.game_date));
      EXPECT_TRUE(IsNbaTeam(s.home_team_abbr) && IsNbaTeam(s.away_team_abbr));
    }
    if (s.game_status == GameStatus::kPostponed) {
      ++postponed;
      ++postponed_by_date[s.game_date];
    } else if (IsIncludedGameType(s.game_type)) {
      EXPECT_EQ(s.game_status, s.game_date <= g.options.end_date ? GameStatus::kFinal : GameStatus::kScheduled);
    }
    if (s.season_year == 2025 && s.game_type == GameType::kRegularSeason && s.game_status == GameStatus::kScheduled) {
      ++scheduled_2025;
    }
  }
  // COVID postponements: 1-2 games on each of the eight dates of §5.2.
  EXPECT_EQ(postponed_by_date.size(), 8u);
  for (const auto& [date, n] : postponed_by_date) {
    EXPECT_GE(n, 1);
    EXPECT_LE(n, 2);
  }
  EXPECT_GT(scheduled_2025, 600);
  EXPECT_EQ(all_star, 10);
  EXPECT_GE(preseason, 5 * 60);
  EXPECT_NEAR(static_cast<double>(g.data.schedule.size()), 7000.0, 500.0);
}

TEST(DemoGeneratorTest, MatchupsOneGamePerTeamAndDate) {
  const auto& g = Default();
  std::map<std::pair<int, std::string>, std::pair<int, int>> games_home;  // (season, team) -> games, home
  std::set<std::pair<std::string, Date>> team_dates;
  std::map<std::pair<std::string, std::string>, int> makeups;
  for (const auto& s : g.data.schedule) {
    if (s.game_type != GameType::kRegularSeason || s.game_status == GameStatus::kPostponed) continue;
    auto& h = games_home[{s.season_year, s.home_team_abbr}];
    ++h.first;
    ++h.second;
    ++games_home[{s.season_year, s.away_team_abbr}].first;
  }
  for (const auto& s : g.data.schedule) {
    if (!IsIncludedGameType(s.game_type) || s.game_status == GameStatus::kPostponed) continue;
    EXPECT_TRUE(team_dates.insert({s.home_team_abbr, s.game_date}).second);
    EXPECT_TRUE(team_dates.insert({s.away_team_abbr, s.game_date}).second);
  }
  EXPECT_EQ(games_home.size(), 150u);
  for (const auto& [key, gh] : games_home) {
    EXPECT_EQ(gh.first, 82) << key.first << " " << key.second;
    EXPECT_EQ(gh.second, 41) << key.first << " " << key.second;
  }
  // No team plays three days in a row in the regular season, COVID make-ups
  // (sequence > 1230) included (§5.2).
  std::set<std::pair<std::string, Date>> regular_dates;
  int makeup_games = 0;
  for (const auto& s : g.data.schedule) {
    if (s.game_type != GameType::kRegularSeason || s.game_status == GameStatus::kPostponed) continue;
    makeup_games += std::stoi(s.game_id.substr(5)) > 1230;
    for (const auto& team : {s.home_team_abbr, s.away_team_abbr}) regular_dates.insert({team, s.game_date});
  }
  EXPECT_GE(makeup_games, 8);
  EXPECT_LE(makeup_games, 16);
  for (const auto& [team, date] : regular_dates) {
    EXPECT_FALSE(regular_dates.count({team, date + 1}) && regular_dates.count({team, date + 2}))
        << team << " " << date.ToString();
  }
}

// An end date between the postponement dates: only the passed ones are
// postponed (each with its make-up); the others stay on their original date.
TEST(DemoGeneratorTest, PostponementsOnlyOnceTheirDateHasPassed) {
  for (Date end : {D(2021, 12, 15), D(2021, 12, 17), D(2021, 12, 31)}) {
    DemoOptions o;
    o.end_date = end;
    auto data = GenerateDemoData(o);
    ASSERT_TRUE(data.ok());
    std::set<std::pair<std::string, Date>> team_dates;
    std::map<std::string, int> games;
    int postponed = 0, makeups = 0;
    for (const auto& s : data->schedule) {
      if (s.season_year != 2021 || s.game_type != GameType::kRegularSeason) continue;
      if (s.game_status == GameStatus::kPostponed) {
        ++postponed;
        EXPECT_LE(s.game_date, end);
        continue;
      }
      makeups += std::stoi(s.game_id.substr(5)) > 1230;
      for (const auto& team : {s.home_team_abbr, s.away_team_abbr}) {
        EXPECT_TRUE(team_dates.insert({team, s.game_date}).second) << end.ToString() << " " << team;
        ++games[team];
      }
    }
    EXPECT_EQ(postponed, makeups) << end.ToString();
    EXPECT_EQ(postponed == 0, end < D(2021, 12, 16)) << end.ToString();
    for (const auto& [team, n] : games) EXPECT_EQ(n, 82) << team;
    for (const auto& [team, date] : team_dates) {
      EXPECT_FALSE(team_dates.count({team, date + 1}) && team_dates.count({team, date + 2})) << team;
    }
  }
}

TEST(DemoGeneratorTest, TeamRowsPerFinalGameAndAggregates) {
  const auto& g = Default();
  const Date end = g.options.end_date;
  // Expected Phase 3 ids of every final included game.
  std::set<std::string> expected;
  for (const auto& s : g.data.schedule) {
    if (IsIncludedGameType(s.game_type) && s.game_status == GameStatus::kFinal) {
      expected.insert(Compact(s.game_date) + "_" + s.away_team_abbr + "_" + s.home_team_abbr);
    }
  }
  std::map<std::string, int> tdgs_count, togs_count, wins;
  std::map<std::pair<std::string, std::string>, const TeamDefenseGame*> defense;
  for (const auto& t : g.data.team_defense) {
    ++tdgs_count[t.game_id];
    defense[{t.game_id, t.defending_team_abbr}] = &t;
    EXPECT_LE(t.game_date, end);
  }
  for (const auto& t : g.data.team_offense) {
    ++togs_count[t.game_id];
    wins[t.game_id] += t.win_flag;
  }
  EXPECT_EQ(tdgs_count.size(), expected.size());
  for (const auto& id : expected) {
    EXPECT_EQ(tdgs_count[id], 2) << id;
    EXPECT_EQ(togs_count[id], 2) << id;
    EXPECT_EQ(wins[id], 1) << id;
  }
  // Opponent sums (§5.9 invariant 2) and per-row consistency (invariant 3).
  struct Sums {
    int64_t points = 0, pa = 0, pm = 0, ma = 0, mm = 0, ta = 0, tm = 0;
    int with_minutes = 0;
  };
  std::map<std::pair<std::string, std::string>, Sums> sums;  // (game, team)
  for (const auto& p : g.data.player_games) {
    EXPECT_TRUE(expected.count(p.game_id)) << p.game_id;
    Sums& s = sums[{p.game_id, p.team_abbr}];
    s.points += *p.points;
    s.pa += p.paint_attempts.value_or(0);
    s.pm += p.paint_makes.value_or(0);
    s.ma += p.mid_range_attempts.value_or(0);
    s.mm += p.mid_range_makes.value_or(0);
    s.ta += *p.three_pt_attempts;
    s.tm += *p.three_pt_makes;
    s.with_minutes += p.minutes_played.has_value();
    EXPECT_LE(*p.fg_makes, *p.fg_attempts);
    EXPECT_LE(*p.three_pt_makes, *p.three_pt_attempts);
    if (p.paint_attempts) {
      EXPECT_LE(*p.paint_makes, *p.paint_attempts);
      EXPECT_LE(*p.mid_range_makes, *p.mid_range_attempts);
      EXPECT_EQ(*p.paint_attempts + *p.mid_range_attempts + *p.three_pt_attempts, *p.fg_attempts);
      EXPECT_EQ(*p.assisted_fg_makes + *p.unassisted_fg_makes, *p.fg_makes);
      EXPECT_EQ(2 * (*p.paint_makes + *p.mid_range_makes) + 3 * *p.three_pt_makes + *p.ft_makes, *p.points);
    }
  }
  for (const auto& [key, d] : defense) {
    const Sums& opp = sums[{key.first, d->opponent_team_abbr}];
    EXPECT_GE((sums[{key.first, key.second}].with_minutes), 8) << key.first;
    EXPECT_EQ(*d->points_allowed, opp.points);
    EXPECT_EQ(*d->opp_three_pt_attempts, opp.ta);
    EXPECT_EQ(*d->opp_three_pt_makes, opp.tm);
    if (d->opp_paint_attempts) {
      EXPECT_EQ(*d->opp_paint_attempts, opp.pa);
      EXPECT_EQ(*d->opp_paint_makes, opp.pm);
      EXPECT_EQ(*d->opp_mid_range_attempts, opp.ma);
      EXPECT_EQ(*d->opp_mid_range_makes, opp.mm);
      EXPECT_EQ(*d->points_in_paint_allowed, 2 * opp.pm);
    } else {
      EXPECT_FALSE(d->blocks_paint.has_value());
    }
  }
  // Minutes before NULLing: 240 + 25 x OT per team-game.
  EXPECT_EQ(g.diag.team_games.size(), 2 * expected.size());
  for (const auto& tg : g.diag.team_games) {
    EXPECT_EQ(tg.minutes_sum, 240 + 25 * tg.ot_periods) << tg.game_id;
    EXPECT_GE(tg.players_with_minutes, 8);
  }
}

TEST(DemoGeneratorTest, KeysFormatsAndSeasonYears) {
  const auto& g = Default();
  const std::regex lookup_re("^[a-z0-9]{2,64}$");
  const std::regex upid_re("^[a-z0-9]{2,64}_[0-9]{3}$");
  const std::regex p3_re("^[0-9]{8}_[A-Z]{3}_[A-Z]{3}$");
  std::set<std::pair<std::string, std::string>> k1;
  std::set<std::pair<std::string, Date>> k2;
  auto check_id = [&](const std::string& id, Date date, const std::string& team, const std::string& opp) {
    ASSERT_TRUE(std::regex_match(id, p3_re)) << id;
    IdParts parts = Split(id);
    EXPECT_EQ(parts.date, Compact(date));
    EXPECT_TRUE((parts.away == team && parts.home == opp) || (parts.home == team && parts.away == opp)) << id;
    EXPECT_TRUE(IsNbaTeam(team) && IsNbaTeam(opp));
  };
  for (const auto& p : g.data.player_games) {
    EXPECT_TRUE(std::regex_match(p.player_lookup, lookup_re)) << p.player_lookup;
    EXPECT_TRUE(std::regex_match(*p.universal_player_id, upid_re));
    EXPECT_TRUE(k1.insert({p.player_lookup, p.game_id}).second);
    EXPECT_TRUE(k2.insert({p.player_lookup, p.game_date}).second);
    EXPECT_EQ(p.season_year, SeasonYear(p.game_date));
    check_id(p.game_id, p.game_date, p.team_abbr, p.opponent_team_abbr);
  }
  k1.clear();
  k2.clear();
  for (const auto& t : g.data.team_defense) {
    EXPECT_TRUE(k1.insert({t.defending_team_abbr, t.game_id}).second);
    EXPECT_EQ(t.season_year, SeasonYear(t.game_date));
    check_id(t.game_id, t.game_date, t.defending_team_abbr, t.opponent_team_abbr);
  }
  k1.clear();
  for (const auto& t : g.data.team_offense) {
    EXPECT_TRUE(k1.insert({t.team_abbr, t.game_id}).second);
    EXPECT_EQ(t.season_year, SeasonYear(t.game_date));
    check_id(t.game_id, t.game_date, t.team_abbr, t.opponent_team_abbr);
  }
  k1.clear();
  for (const auto& u : g.data.upcoming_player) {
    EXPECT_TRUE(k1.insert({u.player_lookup, u.game_id}).second);
    EXPECT_TRUE(k2.insert({u.player_lookup, u.game_date}).second);
    check_id(u.game_id, u.game_date, u.team_abbr, u.opponent_team_abbr);
    if (u.days_rest) {
      EXPECT_EQ(*u.back_to_back, *u.days_rest == 0);
    }
  }
  k1.clear();
  for (const auto& u : g.data.upcoming_team) {
    EXPECT_TRUE(k1.insert({u.team_abbr, u.game_id}).second);
    EXPECT_EQ(u.season_year, SeasonYear(u.game_date));
    EXPECT_EQ(u.game_id.size(), 10u);
    ASSERT_TRUE(u.game_spread.has_value());
    EXPECT_EQ(*u.game_spread * 2, std::round(*u.game_spread * 2));
  }
  // Sorted by key.
  EXPECT_TRUE(std::is_sorted(g.data.player_games.begin(), g.data.player_games.end(), [](const auto& a, const auto& b) {
    return std::tie(a.player_lookup, a.game_id) < std::tie(b.player_lookup, b.game_id);
  }));
  EXPECT_TRUE(std::is_sorted(g.data.schedule.begin(), g.data.schedule.end(),
                             [](const auto& a, const auto& b) { return a.game_id < b.game_id; }));
}

TEST(DemoGeneratorTest, ContextCoverage) {
  const auto& g = Default();
  std::set<Date> ctx(g.diag.context_dates.begin(), g.diag.context_dates.end());
  std::map<Date, std::set<std::string>> games_by_date;  // NBA ids of included non-postponed games
  std::map<std::string, const ScheduleGame*> by_id;
  for (const auto& s : g.data.schedule) {
    if (!IsIncludedGameType(s.game_type) || s.game_status == GameStatus::kPostponed) continue;
    games_by_date[s.game_date].insert(s.game_id);
    by_id[s.game_id] = &s;
  }
  std::map<int, std::pair<int, int>> regular_cover;  // season -> (covered, dates)
  for (const auto& [date, ids] : games_by_date) {
    const ScheduleGame* any = by_id[*ids.begin()];
    if (date > g.options.end_date) continue;
    if (any->game_type == GameType::kRegularSeason) {
      auto& c = regular_cover[any->season_year];
      ++c.second;
      c.first += ctx.count(date);
    } else if (any->season_year < 2025) {
      EXPECT_FALSE(ctx.count(date)) << "no context for play-in/playoffs " << date.ToString();
    }
  }
  EXPECT_EQ(regular_cover[2021].first, 0);
  EXPECT_EQ(regular_cover[2022].first, 0);
  for (int season : {2023, 2024}) {
    double share = static_cast<double>(regular_cover[season].first) / regular_cover[season].second;
    EXPECT_GT(share, 0.78) << season;
    EXPECT_LT(share, 0.92) << season;
  }
  EXPECT_EQ(regular_cover[2025].first, regular_cover[2025].second);
  const Date next_slate = D(2026, 1, 3);
  EXPECT_TRUE(ctx.count(next_slate));
  EXPECT_EQ(*ctx.rbegin(), next_slate);
  EXPECT_NEAR(static_cast<double>(ctx.size()) / 937.0, 0.38, 0.03);

  // UPGC/UTGC rows only on context dates; UTGC 2 rows per covered game; full rosters.
  std::map<std::string, int> utgc_per_game;
  for (const auto& u : g.data.upcoming_team) {
    EXPECT_TRUE(ctx.count(u.game_date));
    ++utgc_per_game[u.game_id];
  }
  for (const auto& [id, n] : utgc_per_game) EXPECT_EQ(n, 2) << id;
  for (const auto& id : games_by_date[next_slate]) EXPECT_EQ(utgc_per_game[id], 2) << id;
  std::map<std::pair<std::string, std::string>, int> roster;  // (phase3 game, team) -> rows
  int out = 0, b2b = 0, with_rest = 0;
  for (const auto& u : g.data.upcoming_player) {
    EXPECT_TRUE(ctx.count(u.game_date));
    ++roster[{u.game_id, u.team_abbr}];
    out += *u.player_status == "out";
    if (u.days_rest) {
      ++with_rest;
      b2b += *u.back_to_back;
    }
  }
  EXPECT_EQ(roster.size(), 2 * utgc_per_game.size());
  for (const auto& [key, n] : roster) {
    EXPECT_GE(n, 15) << key.first;
    EXPECT_LE(n, 22) << key.first;
  }
  const double out_share = static_cast<double>(out) / g.data.upcoming_player.size();
  EXPECT_GT(out_share, 0.05);
  EXPECT_LT(out_share, 0.11);
  const double b2b_share = static_cast<double>(b2b) / with_rest;
  EXPECT_GT(b2b_share, 0.12);
  EXPECT_LT(b2b_share, 0.24);
}

TEST(DemoGeneratorTest, TargetBands) {
  const auto& g = Default();
  const auto& d = g.data;
  // Games per regular-season game date.
  std::map<Date, int> per_date;
  for (const auto& s : d.schedule) {
    if (s.game_type == GameType::kRegularSeason && s.game_status != GameStatus::kPostponed &&
        s.season_year < 2025) {
      ++per_date[s.game_date];
    }
  }
  std::vector<double> counts;
  for (const auto& [date, n] : per_date) counts.push_back(n);
  EXPECT_GE(Mean(counts), 7.2);
  EXPECT_LE(Mean(counts), 7.6);
  EXPECT_GE(*std::min_element(counts.begin(), counts.end()), 1);
  EXPECT_EQ(*std::max_element(counts.begin(), counts.end()), 15);

  // Team rest before a game (regular season, first game of a season excluded).
  std::map<std::pair<int, std::string>, std::vector<Date>> team_dates;
  for (const auto& s : d.schedule) {
    if (s.game_type != GameType::kRegularSeason || s.game_status == GameStatus::kPostponed) continue;
    team_dates[{s.season_year, s.home_team_abbr}].push_back(s.game_date);
    team_dates[{s.season_year, s.away_team_abbr}].push_back(s.game_date);
  }
  double rest[4] = {0, 0, 0, 0}, gaps = 0;
  for (auto& [key, dates] : team_dates) {
    std::sort(dates.begin(), dates.end());
    for (size_t i = 1; i < dates.size(); ++i) {
      rest[std::min(3, dates[i] - dates[i - 1] - 1)] += 1;
      gaps += 1;
    }
  }
  // Bands of §5.4 (0: 14-20 %, 1: 50-62 %, 2: 14-24 %, >=3: 5-12 %). The
  // shares are coupled through the fixed number of off days per team (about
  // 1.13 per gap), which leaves a narrow feasible region around
  // 19 / 60 / 15 / 6 %.
  EXPECT_GE(rest[0] / gaps, 0.14);
  EXPECT_LE(rest[0] / gaps, 0.20);
  EXPECT_GE(rest[1] / gaps, 0.50);
  EXPECT_LE(rest[1] / gaps, 0.62);
  EXPECT_GE(rest[2] / gaps, 0.14);
  EXPECT_LE(rest[2] / gaps, 0.24);
  EXPECT_GE(rest[3] / gaps, 0.05);
  EXPECT_LE(rest[3] / gaps, 0.12);
  // 12-18 back-to-backs per team-season (§5.2), for nearly every team.
  int b2b_in_band = 0, team_seasons = 0;
  for (const auto& [key, dates] : team_dates) {
    if (key.first >= 2025) continue;
    int b2b = 0;
    for (size_t i = 1; i < dates.size(); ++i) b2b += dates[i] - dates[i - 1] == 1;
    ++team_seasons;
    b2b_in_band += b2b >= 12 && b2b <= 18;
  }
  EXPECT_GE(static_cast<double>(b2b_in_band) / team_seasons, 0.9);

  // PGS rows per team-game (see the report for the relaxed lower bound).
  const double rows_per_team_game = static_cast<double>(d.player_games.size()) / d.team_offense.size();
  EXPECT_GE(rows_per_team_game, 11.5);
  EXPECT_LE(rows_per_team_game, 15.5);

  std::vector<double> minutes, points, starters, usage, usage_star, ts;
  int over40 = 0, null_minutes = 0;
  std::map<std::tuple<int, std::string, std::string>, std::pair<double, int>> ppg;  // season, team, player
  double fga[3] = {0, 0, 0}, fgm[3] = {0, 0, 0}, assisted = 0, makes_pbp = 0, three_att = 0, all_att = 0;
  for (const auto& p : d.player_games) {
    if (!p.minutes_played) {
      ++null_minutes;
    } else {
      minutes.push_back(*p.minutes_played);
      points.push_back(static_cast<double>(*p.points));
      over40 += *p.minutes_played > 40;
      const std::string& tier = g.diag.tier.at(std::to_string(p.season_year) + "|" + p.player_lookup);
      if (tier == "star" || tier == "starter") starters.push_back(*p.minutes_played);
      if (*p.minutes_played >= 10 && p.usage_rate) {
        usage.push_back(*p.usage_rate);
        if (tier == "star") usage_star.push_back(*p.usage_rate);
      }
      auto& acc = ppg[{p.season_year, p.team_abbr, p.player_lookup}];
      acc.first += *p.points;
      ++acc.second;
    }
    if (p.ts_pct && *p.fg_attempts >= 5) ts.push_back(*p.ts_pct);
    if (p.paint_attempts) {
      fga[0] += *p.paint_attempts;
      fgm[0] += *p.paint_makes;
      fga[1] += *p.mid_range_attempts;
      fgm[1] += *p.mid_range_makes;
      assisted += *p.assisted_fg_makes;
      makes_pbp += *p.fg_makes;
    }
    fga[2] += *p.three_pt_attempts;
    fgm[2] += *p.three_pt_makes;
    three_att += *p.three_pt_attempts;
    all_att += *p.fg_attempts;
  }
  EXPECT_GE(Mean(minutes), 21);
  EXPECT_LE(Mean(minutes), 25);
  EXPECT_GE(Mean(starters), 28);
  EXPECT_LE(Mean(starters), 38);
  EXPECT_LT(static_cast<double>(over40) / minutes.size(), 0.02);
  EXPECT_GE(Mean(points), 10);
  EXPECT_LE(Mean(points), 12.5);
  std::sort(points.begin(), points.end());
  EXPECT_GE(points[points.size() * 95 / 100], 23);
  EXPECT_LE(points[points.size() * 95 / 100], 29);
  EXPECT_LE(points.back(), 70);
  // Each team's top scorer (>= 20 games) 22-33 ppg, on average and for most teams.
  std::map<std::pair<int, std::string>, double> top;
  for (const auto& [key, acc] : ppg) {
    if (acc.second < 20) continue;
    double& t = top[{std::get<0>(key), std::get<1>(key)}];
    t = std::max(t, acc.first / acc.second);
  }
  std::vector<double> tops;
  int tops_in_band = 0;
  for (const auto& [key, v] : top) {
    tops.push_back(v);
    tops_in_band += v >= 22 && v <= 33;
  }
  EXPECT_GE(Mean(tops), 22);
  EXPECT_LE(Mean(tops), 33);
  // Band on the mean; per team the star may have missed much of the season or
  // be a lower-usage post big, so only most teams fall inside (see the report).
  EXPECT_GE(static_cast<double>(tops_in_band) / tops.size(), 0.65);

  const double null_share = static_cast<double>(null_minutes) / d.player_games.size();
  EXPECT_GE(null_share, 0.07);
  EXPECT_LE(null_share, 0.13);

  EXPECT_GE(Mean(usage), 18);
  EXPECT_LE(Mean(usage), 21);
  EXPECT_GE(Mean(usage_star), 27);
  EXPECT_LE(Mean(usage_star), 34);
  std::sort(usage.begin(), usage.end());
  EXPECT_LE(usage[usage.size() * 99 / 100], 40);
  EXPECT_GE(Mean(ts), 0.55);
  EXPECT_LE(Mean(ts), 0.59);

  EXPECT_GE(fgm[0] / fga[0], 0.56);
  EXPECT_LE(fgm[0] / fga[0], 0.60);
  EXPECT_GE(fgm[1] / fga[1], 0.39);
  EXPECT_LE(fgm[1] / fga[1], 0.43);
  EXPECT_GE(fgm[2] / fga[2], 0.35);
  EXPECT_LE(fgm[2] / fga[2], 0.37);
  EXPECT_GE(three_att / all_att, 0.38);
  EXPECT_LE(three_att / all_att, 0.44);
  EXPECT_GE(assisted / makes_pbp, 0.55);
  EXPECT_LE(assisted / makes_pbp, 0.65);

  // Team level.
  std::vector<double> team_points, pace, ortg;
  int outside = 0;
  for (const auto& t : d.team_defense) {
    team_points.push_back(static_cast<double>(*t.points_allowed));
    outside += *t.points_allowed < 80 || *t.points_allowed > 155;
  }
  const double mean_pts = Mean(team_points);
  double var = 0;
  for (double x : team_points) var += (x - mean_pts) * (x - mean_pts);
  const double sd = std::sqrt(var / team_points.size());
  EXPECT_GE(mean_pts, 110);
  EXPECT_LE(mean_pts, 116);
  EXPECT_GE(sd, 10);
  EXPECT_LE(sd, 14);
  EXPECT_LE(outside, static_cast<int>(team_points.size() / 500));
  int home_games = 0, home_wins = 0;
  for (const auto& t : d.team_offense) {
    pace.push_back(*t.pace);
    if (t.offensive_rating) ortg.push_back(*t.offensive_rating);
    if (Split(t.game_id).home == t.team_abbr) {
      ++home_games;
      home_wins += t.win_flag;
    }
  }
  EXPECT_GE(Mean(pace), 98);
  EXPECT_LE(Mean(pace), 101);
  EXPECT_GE(Mean(ortg), 110);
  EXPECT_LE(Mean(ortg), 116);
  EXPECT_GE(static_cast<double>(home_wins) / home_games, 0.53);
  EXPECT_LE(static_cast<double>(home_wins) / home_games, 0.59);
  int ot_games = 0;
  for (const auto& tg : g.diag.team_games) ot_games += tg.ot_periods > 0;
  EXPECT_GE(static_cast<double>(ot_games) / g.diag.team_games.size(), 0.02);
  EXPECT_LE(static_cast<double>(ot_games) / g.diag.team_games.size(), 0.07);

  // Distinct players with a row per full season.
  std::map<int, std::set<std::string>> players;
  for (const auto& p : d.player_games) players[p.season_year].insert(p.player_lookup);
  for (int season = 2021; season <= 2024; ++season) {
    EXPECT_GE(players[season].size(), 480u) << season;
    EXPECT_LE(players[season].size(), 600u) << season;
  }
}

TEST(DemoGeneratorTest, NullPatterns) {
  const auto& d = Default().data;
  // Per game: DNP rows (secondary source), missing play-by-play, missing ratings.
  std::set<std::string> games, dnp_games, no_pbp_early, no_pbp_late, early_games;
  for (const auto& p : d.player_games) {
    if (!p.minutes_played && !p.ts_pct && *p.fg_attempts == 0 && !p.paint_attempts) dnp_games.insert(p.game_id);
  }
  int ratings_missing = 0;
  for (const auto& t : d.team_defense) {
    games.insert(t.game_id);
    const bool early = t.game_date <= D(2021, 12, 31);
    if (early) early_games.insert(t.game_id);
    if (!t.opp_paint_attempts) (early ? no_pbp_early : no_pbp_late).insert(t.game_id);
    ratings_missing += !t.defensive_rating;
  }
  const double dnp_share = static_cast<double>(dnp_games.size()) / games.size();
  EXPECT_GT(dnp_share, 0.34);
  EXPECT_LT(dnp_share, 0.42);
  EXPECT_NEAR(static_cast<double>(no_pbp_early.size()) / early_games.size(), 0.20, 0.05);
  EXPECT_NEAR(static_cast<double>(no_pbp_late.size()) / (games.size() - early_games.size()), 0.03, 0.01);
  EXPECT_NEAR(static_cast<double>(ratings_missing) / d.team_defense.size(), 0.005, 0.003);
  // Unparsed minutes: played rows with NULL minutes but stats present.
  int unparsed_early = 0, played_early = 0, unparsed_late = 0, played_late = 0;
  for (const auto& p : d.player_games) {
    const bool played = p.minutes_played.has_value() || p.ts_pct.has_value() || *p.fg_attempts > 0 || *p.points > 0;
    if (!played) continue;
    const bool early = p.game_date <= D(2024, 4, 14);
    (early ? played_early : played_late)++;
    if (!p.minutes_played) {
      (early ? unparsed_early : unparsed_late)++;
      EXPECT_FALSE(p.usage_rate.has_value());
    }
  }
  EXPECT_NEAR(static_cast<double>(unparsed_early) / played_early, 0.015, 0.005);
  EXPECT_LT(static_cast<double>(unparsed_late) / played_late, 0.005);
}

TEST(DemoGeneratorTest, Volumes) {
  const auto& d = Default().data;
  EXPECT_GT(d.player_games.size(), 130000u);
  EXPECT_LT(d.player_games.size(), 175000u);
  EXPECT_GT(d.team_defense.size(), 11200u);
  EXPECT_LT(d.team_defense.size(), 12200u);
  EXPECT_EQ(d.team_defense.size(), d.team_offense.size());
  EXPECT_GT(d.upcoming_player.size(), 70000u);
  EXPECT_LT(d.upcoming_player.size(), 100000u);
  EXPECT_GT(d.upcoming_team.size(), 4800u);
  EXPECT_LT(d.upcoming_team.size(), 6000u);
  // A typical (regular-season) date has ~200 players with a PGS row (§5.8);
  // with ~12 rows per team-game (bounded by the minutes and NULL-minutes
  // bands, see TargetBands) the median is ~170.
  std::set<Date> regular;
  for (const auto& s : d.schedule) {
    if (s.game_type == GameType::kRegularSeason && s.game_status == GameStatus::kFinal) regular.insert(s.game_date);
  }
  std::map<Date, int> per_date;
  for (const auto& p : d.player_games) {
    if (regular.count(p.game_date)) ++per_date[p.game_date];
  }
  std::vector<int> v;
  for (const auto& [date, n] : per_date) v.push_back(n);
  std::sort(v.begin(), v.end());
  EXPECT_GT(v[v.size() / 2], 160);
}

// Compact fingerprint of all rows dated <= `until`.
std::string Fingerprint(const DemoData& d, Date until) {
  std::string out;
  auto add = [&](const std::string& s) { out += s + ";"; };
  auto opt = [](const auto& o) { return o ? std::to_string(*o) : std::string("~"); };
  for (const auto& s : d.schedule) {
    if (s.game_date <= until) add(s.game_id + s.game_date.ToString() + s.home_team_abbr + s.away_team_abbr);
  }
  for (const auto& p : d.player_games) {
    if (p.game_date <= until) {
      add(p.player_lookup + p.game_id + opt(p.minutes_played) + opt(p.points) + opt(p.paint_attempts) +
          opt(p.usage_rate) + opt(p.ts_pct));
    }
  }
  for (const auto& t : d.team_defense) {
    if (t.game_date <= until) add(t.game_id + t.defending_team_abbr + opt(t.points_allowed) + opt(t.defensive_rating));
  }
  for (const auto& u : d.upcoming_player) {
    if (u.game_date <= until) {
      add(u.player_lookup + u.game_id + opt(u.days_rest) + opt(u.projected_usage_rate) + opt(u.pace_differential) +
          u.player_status.value_or("~"));
    }
  }
  for (const auto& u : d.upcoming_team) {
    if (u.game_date <= until) add(u.team_abbr + u.game_id + opt(u.game_spread) + opt(u.game_total));
  }
  return out;
}

TEST(DemoGeneratorTest, Determinism) {
  const auto& g = Default();
  // Same seed, same options: identical rows.
  auto again = GenerateDemoData(g.options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->player_games.size(), g.data.player_games.size());
  EXPECT_EQ(Fingerprint(*again, g.options.end_date + 10), Fingerprint(g.data, g.options.end_date + 10));

  // Shorter end date: identical rows up to it.
  DemoOptions shorter = g.options;
  shorter.end_date = D(2023, 1, 15);
  auto cut = GenerateDemoData(shorter);
  ASSERT_TRUE(cut.ok());
  const Date until = shorter.end_date;
  EXPECT_EQ(Fingerprint(*cut, until), Fingerprint(g.data, until));
  for (const auto& p : cut->player_games) EXPECT_LE(p.game_date, until);
  for (const auto& s : cut->schedule) {
    if (IsIncludedGameType(s.game_type) && s.game_date > until) {
      EXPECT_EQ(s.game_status, GameStatus::kScheduled);
    }
  }

  // Other seed: other matchups and box scores, same regular-season and play-in dates.
  DemoOptions other = shorter;
  other.seed = 43;
  other.end_date = D(2022, 6, 30);
  auto diff = GenerateDemoData(other);
  ASSERT_TRUE(diff.ok());
  auto dates = [](const DemoData& d, int season) {
    std::set<std::pair<Date, int>> out;
    for (const auto& s : d.schedule) {
      if (s.season_year == season && (s.game_type == GameType::kRegularSeason || s.game_type == GameType::kPlayIn) &&
          s.game_status != GameStatus::kPostponed) {
        out.insert({s.game_date, static_cast<int>(s.game_type)});
      }
    }
    return out;
  };
  std::set<std::pair<Date, int>> base_dates, other_dates;
  for (auto [d, t] : dates(g.data, 2021)) base_dates.insert({d, t});
  for (auto [d, t] : dates(*diff, 2021)) other_dates.insert({d, t});
  EXPECT_EQ(base_dates, other_dates);
  EXPECT_NE(Fingerprint(*diff, D(2021, 11, 30)), Fingerprint(g.data, D(2021, 11, 30)));
}

}  // namespace
}  // namespace nbapc::demo
