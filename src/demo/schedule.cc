#include "demo/schedule.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

#include "core/teams.h"
#include "demo/rng.h"

namespace nbapc::demo {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

std::vector<SeasonCalendarSpec> MakeCalendars() {
  std::vector<SeasonCalendarSpec> out;
  // spec/inputs.md §5.2 table.
  out.push_back({2021, D(2021, 10, 3), D(2021, 10, 15), D(2021, 10, 19), D(2022, 4, 10),
                 {D(2021, 11, 25), D(2021, 12, 24)}, D(2022, 2, 18), D(2022, 2, 23), D(2022, 2, 18),
                 D(2022, 2, 20), D(2022, 2, 10), {D(2022, 4, 12), D(2022, 4, 13), D(2022, 4, 15)},
                 D(2022, 4, 16), D(2022, 6, 2), {"LBN", "DRT"},
                 // §5.2 COVID postponements.
                 {D(2021, 12, 16), D(2021, 12, 17), D(2021, 12, 18), D(2021, 12, 20), D(2021, 12, 21),
                  D(2021, 12, 25), D(2021, 12, 28), D(2021, 12, 30)}});
  out.push_back({2022, D(2022, 9, 30), D(2022, 10, 14), D(2022, 10, 18), D(2023, 4, 9),
                 {D(2022, 11, 8), D(2022, 11, 24), D(2022, 12, 24)}, D(2023, 2, 17), D(2023, 2, 22),
                 D(2023, 2, 17), D(2023, 2, 19), D(2023, 2, 9), {D(2023, 4, 11), D(2023, 4, 12), D(2023, 4, 14)},
                 D(2023, 4, 15), D(2023, 6, 1), {"GNS", "LBN"}, {}});
  out.push_back({2023, D(2023, 10, 5), D(2023, 10, 20), D(2023, 10, 24), D(2024, 4, 14),
                 {D(2023, 11, 23), D(2023, 12, 24)}, D(2024, 2, 16), D(2024, 2, 21), D(2024, 2, 16),
                 D(2024, 2, 18), D(2024, 2, 8), {D(2024, 4, 16), D(2024, 4, 17), D(2024, 4, 19)},
                 D(2024, 4, 20), D(2024, 6, 6), {"EST", "WST"}, {}});
  out.push_back({2024, D(2024, 10, 4), D(2024, 10, 18), D(2024, 10, 22), D(2025, 4, 13),
                 {D(2024, 11, 28), D(2024, 12, 24)}, D(2025, 2, 14), D(2025, 2, 18), D(2025, 2, 14),
                 D(2025, 2, 16), D(2025, 2, 6), {D(2025, 4, 15), D(2025, 4, 16), D(2025, 4, 18)},
                 D(2025, 4, 19), D(2025, 6, 5), {"CHK", "SHQ"}, {}});
  // 2025-26: play-in and playoffs are "scheduled later" in the spec; these
  // dates (same weekday pattern as 2024-25) are used only when --end-date
  // reaches past the regular season.
  out.push_back({2025, D(2025, 10, 2), D(2025, 10, 17), D(2025, 10, 21), D(2026, 4, 12),
                 {D(2025, 11, 27), D(2025, 12, 24)}, D(2026, 2, 13), D(2026, 2, 18), D(2026, 2, 13),
                 D(2026, 2, 15), D(2026, 2, 5), {D(2026, 4, 14), D(2026, 4, 15), D(2026, 4, 17)},
                 D(2026, 4, 18), D(2026, 6, 4), {"EST", "WST"}, {}});
  return out;
}

struct Matchup {
  int home;
  int away;
  int earliest = 0;     // first calendar offset the game may be placed on
  bool makeup = false;  // make-up of a game postponed on `original`
  Date original;
};

// 82 games / 41 home per team (inputs.md §5.2 matchups).
std::vector<Matchup> BuildMatchups(Rng& rng) {
  auto teams = AllTeams();
  // conference -> divisions -> team indexes (AllTeams order, then shuffled).
  std::map<std::string, std::map<std::string, std::vector<int>>> conf;
  for (int t = 0; t < static_cast<int>(teams.size()); ++t) {
    conf[teams[t].conference][teams[t].division].push_back(t);
  }
  std::vector<Matchup> games;
  auto add = [&](int home, int away, int count) {
    for (int k = 0; k < count; ++k) games.push_back({home, away, 0, false, Date()});
  };
  std::vector<int> east, west;
  for (auto& [conf_name, divisions] : conf) {
    std::vector<std::vector<int>*> divs;
    for (auto& [div_name, members] : divisions) {
      for (int i = static_cast<int>(members.size()) - 1; i > 0; --i) {
        std::swap(members[i], members[rng.UniformInt(0, i)]);
      }
      divs.push_back(&members);
      for (int t : members) (conf_name == "East" ? east : west).push_back(t);
    }
    for (auto* members : divs) {  // division rivals: 4 games, 2 home each
      for (size_t i = 0; i < members->size(); ++i) {
        for (size_t j = i + 1; j < members->size(); ++j) {
          add((*members)[i], (*members)[j], 2);
          add((*members)[j], (*members)[i], 2);
        }
      }
    }
    for (size_t a = 0; a < divs.size(); ++a) {  // conference, other division
      for (size_t b = a + 1; b < divs.size(); ++b) {
        const auto& da = *divs[a];
        const auto& db = *divs[b];
        int shift = rng.UniformInt(0, 4);
        for (int i = 0; i < 5; ++i) {
          for (int j = 0; j < 5; ++j) {
            int rel = ((j - i - shift) % 5 + 5) % 5;
            if (rel == 0) {  // 3 games, A hosts 2
              add(da[i], db[j], 2);
              add(db[j], da[i], 1);
            } else if (rel == 1) {  // 3 games, B hosts 2
              add(da[i], db[j], 1);
              add(db[j], da[i], 2);
            } else {
              add(da[i], db[j], 2);
              add(db[j], da[i], 2);
            }
          }
        }
      }
    }
  }
  for (int e : east) {
    for (int w : west) {
      add(e, w, 1);
      add(w, e, 1);
    }
  }
  return games;
}

// Layout tuning (inputs.md §5.4 rest bands). Each team-date gets a priority:
// its remaining games per remaining date, a penalty for a back-to-back (a
// larger one past kB2bCap back-to-backs), a bonus after two days off (three
// or more would follow) growing per further day, and jitter per team and per
// game. The spread of the per-date weights sets the games-per-date variance.
// With a fixed number of off days per team (≈ 1.13 per rest gap, the All-Star
// break included) these give ≈ 19 % back-to-backs, 60 % one day, 15 % two
// days and 5.5 % three or more (tuned over many seeds).
constexpr double kB2bPenalty = 0.417;
constexpr double kB2bPenaltyPastCap = 1.054;
constexpr int kB2bCap = 14;
constexpr double kTwoDaysBonus = 0.052;
constexpr double kLongRestBonus = 0.513;
constexpr double kLongRestBonusPerDay = 0.078;
constexpr double kTeamJitter = 0.362;
constexpr double kGameJitter = 0.185;
constexpr double kWLo = 0.568;
constexpr double kUrgent = 0.568;
double WeekdayWeight(Date date) {
  // 1970-01-01 was a Thursday; index 0 = Monday.
  int weekday = ((date.days() % 7) + 7 + 3) % 7;
  static const double kWeights[7] = {1.1, 0.95, 1.25, 0.75, 1.15, 0.95, 0.9};
  return kWeights[weekday];
}

// One attempt of laying the matchups on the dates; returns false when some
// game cannot be placed.
bool LayOut(const SeasonCalendarSpec& spec, const std::vector<Date>& dates, std::vector<Matchup> pool, Rng& rng,
            std::vector<PlannedGame>* out) {
  const int n_teams = 30;
  const int n_dates = static_cast<int>(dates.size());
  const Date first = dates.front();
  const int span = dates.back() - first + 3;
  // played[t][calendar day offset]
  std::vector<std::vector<char>> played(n_teams, std::vector<char>(span + 2, 0));
  auto plays = [&](int t, int offset) { return offset >= 0 && offset < span && played[t][offset] != 0; };
  for (int i = static_cast<int>(pool.size()) - 1; i > 0; --i) std::swap(pool[i], pool[rng.UniformInt(0, i)]);

  // Last day: all 30 teams (a perfect matching of remaining games).
  std::vector<char> used(pool.size(), 0);
  std::vector<int> last_day;
  for (int attempt = 0; attempt < 200 && last_day.size() != 15; ++attempt) {
    last_day.clear();
    std::vector<char> matched(n_teams, 0);
    std::vector<int> order(n_teams);
    for (int t = 0; t < n_teams; ++t) order[t] = t;
    for (int i = n_teams - 1; i > 0; --i) std::swap(order[i], order[rng.UniformInt(0, i)]);
    for (int t : order) {
      if (matched[t]) continue;
      std::vector<int> options;
      for (int g = 0; g < static_cast<int>(pool.size()); ++g) {
        const auto& m = pool[g];
        if ((m.home == t && !matched[m.away]) || (m.away == t && !matched[m.home])) options.push_back(g);
      }
      if (options.empty()) break;
      int g = options[rng.UniformInt(0, static_cast<int>(options.size()) - 1)];
      matched[pool[g].home] = matched[pool[g].away] = 1;
      last_day.push_back(g);
    }
  }
  if (last_day.size() != 15) return false;
  const int last_offset = dates.back() - first;
  for (int g : last_day) {
    used[g] = 1;
    played[pool[g].home][last_offset] = played[pool[g].away][last_offset] = 1;
    out->push_back({dates.back(), pool[g].home, pool[g].away, false, false, Date()});
  }

  std::vector<int> remaining(n_teams, 81);
  std::vector<int> b2b(n_teams, 0);
  std::vector<int> last_offset_of(n_teams, -1);  // calendar offset of the last game placed so far
  int remaining_games = static_cast<int>(pool.size()) - 15;
  const Date christmas = Date::FromYmd(spec.opener.year(), 12, 25).value();
  const int opener_games = rng.UniformInt(2, 3);
  std::vector<double> weight(n_dates, 0.0);
  for (int i = 0; i < n_dates; ++i) weight[i] = WeekdayWeight(dates[i]) * rng.Uniform(kWLo, 2.0 - kWLo);

  for (int i = 0; i + 1 < n_dates; ++i) {
    const Date day = dates[i];
    const int offset = day - first;
    int target;
    if (i == 0) {
      target = opener_games;
    } else if (day == christmas) {
      target = 5;
    } else {
      double future_weight = 0.0;
      int fixed_future = 0;
      for (int j = i; j + 1 < n_dates; ++j) {
        if (dates[j] == christmas) fixed_future += 5;
        else future_weight += weight[j];
      }
      double share = weight[i] * (remaining_games - fixed_future) / future_weight;
      target = static_cast<int>(share + 0.5);
      target = std::clamp(target, 1, 14);
    }
    const int dates_left = n_dates - 1 - i;
    std::vector<double> priority(n_teams, 0.0);
    std::vector<char> eligible(n_teams, 1);
    for (int t = 0; t < n_teams; ++t) {
      const bool yesterday = plays(t, offset - 1);
      if (yesterday && plays(t, offset - 2)) eligible[t] = 0;
      if (yesterday && offset + 1 == last_offset) eligible[t] = 0;
      if (plays(t, offset + 1) && plays(t, offset + 2)) eligible[t] = 0;
      const int days_off = last_offset_of[t] < 0 ? 1 : offset - last_offset_of[t] - 1;
      priority[t] = static_cast<double>(remaining[t]) / dates_left;
      if (days_off == 0) {
        priority[t] -= b2b[t] >= kB2bCap ? kB2bPenaltyPastCap : kB2bPenalty;
      } else if (days_off == 2) {
        priority[t] += kTwoDaysBonus;
      } else if (days_off >= 3) {
        priority[t] += kLongRestBonus + kLongRestBonusPerDay * (days_off - 3);
      }
      priority[t] += rng.Uniform(-kTeamJitter, kTeamJitter);
      if (remaining[t] == 0) eligible[t] = 0;
    }
    std::vector<std::pair<double, int>> candidates;
    for (int g = 0; g < static_cast<int>(pool.size()); ++g) {
      if (used[g]) continue;
      const auto& m = pool[g];
      if (!eligible[m.home] || !eligible[m.away] || offset < m.earliest) continue;
      // A make-up never carries a date alone: without the postponement (an
      // end date before it) the date must still have games.
      if (m.makeup && target < 3) continue;
      candidates.push_back({priority[m.home] + priority[m.away] + rng.Uniform(0.0, kGameJitter), g});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    // Teams that must play now (at the limit of their capacity) raise the count.
    int urgent = 0;
    for (int t = 0; t < n_teams; ++t) {
      if (eligible[t] && priority[t] >= kUrgent) ++urgent;
    }
    if (i > 0 && day != christmas) target = std::max(target, std::min(14, (urgent + 1) / 2));
    std::vector<char> busy(n_teams, 0);
    int placed = 0;
    for (const auto& [score, g] : candidates) {
      if (placed >= target) break;
      const auto& m = pool[g];
      if (busy[m.home] || busy[m.away]) continue;
      busy[m.home] = busy[m.away] = 1;
      used[g] = 1;
      for (int t : {m.home, m.away}) {
        if (plays(t, offset - 1)) ++b2b[t];
        played[t][offset] = 1;
        last_offset_of[t] = offset;
        --remaining[t];
      }
      out->push_back({day, m.home, m.away, false, m.makeup, m.original});
      --remaining_games;
      ++placed;
    }
    if (placed == 0) return false;
    if (std::find(spec.postponement_dates.begin(), spec.postponement_dates.end(), day) !=
        spec.postponement_dates.end() && placed >= 2) {
      // 1-2 of today's games are postponed; their make-ups go back to the pool.
      const int count = std::min(rng.UniformInt(1, 2), placed - 1);
      const size_t today = out->size() - static_cast<size_t>(placed);
      for (int k = 0; k < count; ++k) {
        const size_t pick = today + static_cast<size_t>(rng.UniformInt(k, placed - 1));
        std::swap((*out)[today + k], (*out)[pick]);
        PlannedGame& game = (*out)[today + k];
        game.postponed = true;
        // The slot stays occupied for the rest rules: without the
        // postponement (an end date before it) the game is played there.
        for (int t : {game.home, game.away}) ++remaining[t];
        Matchup again{game.home, game.away, Date::FromYmd(spec.opener.year() + 1, 2, 1).value() - first, true, day};
        pool.push_back(again);
        used.push_back(0);
        ++remaining_games;
      }
    }
  }

  // Repair: place leftovers on a free date of both teams.
  std::map<int, int> count_by_offset;
  for (const auto& g : *out) {
    if (!g.postponed) ++count_by_offset[g.date - first];
  }
  for (int g = 0; g < static_cast<int>(pool.size()); ++g) {
    if (used[g]) continue;
    const auto& m = pool[g];
    std::vector<int> options;
    for (int i = 1; i + 1 < n_dates; ++i) {
      const int offset = dates[i] - first;
      if (dates[i] == christmas || count_by_offset[offset] >= 14 || offset < m.earliest) continue;
      if (m.makeup && count_by_offset[offset] < 2) continue;
      bool ok = true;
      for (int t : {m.home, m.away}) {
        if (plays(t, offset)) ok = false;
        if ((plays(t, offset - 1) && plays(t, offset - 2)) || (plays(t, offset - 1) && plays(t, offset + 1)) ||
            (plays(t, offset + 1) && plays(t, offset + 2))) {
          ok = false;
        }
      }
      if (ok) options.push_back(i);
    }
    if (options.empty()) return false;
    int i = options[rng.UniformInt(0, static_cast<int>(options.size()) - 1)];
    const int offset = dates[i] - first;
    played[m.home][offset] = played[m.away][offset] = 1;
    ++count_by_offset[offset];
    out->push_back({dates[i], m.home, m.away, false, m.makeup, m.original});
  }
  return true;
}

}  // namespace

const SeasonCalendarSpec* FindSeasonCalendar(int season) {
  static const std::vector<SeasonCalendarSpec> kCalendars = MakeCalendars();
  for (const auto& spec : kCalendars) {
    if (spec.season == season) return &spec;
  }
  return nullptr;
}

std::vector<Date> RegularSeasonDates(const SeasonCalendarSpec& spec) {
  std::vector<Date> dates;
  for (Date d = spec.opener; d <= spec.regular_end; d = d + 1) {
    if (d >= spec.break_start && d <= spec.break_end) continue;
    if (std::find(spec.off_days.begin(), spec.off_days.end(), d) != spec.off_days.end()) continue;
    dates.push_back(d);
  }
  return dates;
}

std::vector<PlannedGame> BuildRegularSeason(const SeasonCalendarSpec& spec, uint64_t seed) {
  const std::vector<Date> dates = RegularSeasonDates(spec);
  std::vector<PlannedGame> games;
  for (int attempt = 0;; ++attempt) {
    Rng rng = Stream(seed, std::to_string(spec.season) + "|schedule|" + std::to_string(attempt));
    std::vector<Matchup> pool = BuildMatchups(rng);
    games.clear();
    if (LayOut(spec, dates, std::move(pool), rng, &games)) break;
  }
  std::sort(games.begin(), games.end(), [](const PlannedGame& a, const PlannedGame& b) {
    return a.date != b.date ? a.date < b.date : a.home < b.home;
  });
  return games;
}

std::vector<PreseasonGame> BuildPreseason(const SeasonCalendarSpec& spec, uint64_t seed) {
  static const char* kClubs[] = {"MRA", "ULM", "ALB", "NZB", "ADL", "RMD", "FCB", "MAC"};
  Rng rng = Stream(seed, std::to_string(spec.season) + "|preseason");
  std::vector<PreseasonGame> games;
  std::vector<int> count(30, 0);
  std::vector<int> target(30);
  for (int t = 0; t < 30; ++t) target[t] = rng.UniformInt(4, 5);
  std::vector<int> last(30, -10);
  const int n_days = spec.preseason_end - spec.preseason_start + 1;
  int clubs_left = 2;
  for (int day = 0; day < n_days; ++day) {
    const Date date = spec.preseason_start + day;
    std::vector<int> free;
    for (int t = 0; t < 30; ++t) {
      if (count[t] < target[t] && last[t] < day - 1) free.push_back(t);
    }
    for (int i = static_cast<int>(free.size()) - 1; i > 0; --i) std::swap(free[i], free[rng.UniformInt(0, i)]);
    // Spread the games: the share of free teams that play today grows towards the end.
    int want = std::max(1, static_cast<int>(free.size() * (0.35 + 0.5 * day / n_days)));
    size_t pos = 0;
    if (clubs_left > 0 && day >= 1 && rng.Bernoulli(0.3) && !free.empty()) {
      int t = free[pos++];
      games.push_back({date, t, -1, kClubs[rng.UniformInt(0, 7)]});
      ++count[t];
      last[t] = day;
      --clubs_left;
      --want;
    }
    while (want >= 2 && pos + 1 < free.size()) {
      int home = free[pos++], away = free[pos++];
      games.push_back({date, home, away, ""});
      ++count[home];
      ++count[away];
      last[home] = last[away] = day;
      want -= 2;
    }
  }
  std::sort(games.begin(), games.end(), [](const PreseasonGame& a, const PreseasonGame& b) {
    return a.date != b.date ? a.date < b.date : a.home < b.home;
  });
  return games;
}

}  // namespace nbapc::demo
