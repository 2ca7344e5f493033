#include "demo/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>
#include <utility>

#include "core/numbers.h"
#include "core/teams.h"
#include "demo/names.h"
#include "demo/rng.h"
#include "demo/schedule.h"

namespace nbapc::demo {
namespace {

constexpr int kTeams = 30;
const Date kFar = Date::FromDays(1 << 29);

enum class Tier { kStar, kStarter, kRotation, kDeep };
const char* TierName(Tier tier) {
  switch (tier) {
    case Tier::kStar: return "star";
    case Tier::kStarter: return "starter";
    case Tier::kRotation: return "rotation";
    case Tier::kDeep: return "deep";
  }
  return "deep";
}

// inputs.md §5.3 archetype table. Zones: 0 paint, 1 mid-range, 2 three.
struct ArchetypeSpec {
  double share[3];
  double usage_lo, usage_hi;
  double assisted;
  double fta_per_fga;
  double bonus[3];
};
enum Archetype {
  kPrimaryCreator, kScoringWing, kPostBig, kThreeAndD, kStretchBig, kRimRunner, kMidRange, kComboGuard,
  kBenchGuard, kDeepGuard, kDeepBig, kArchetypeCount
};
constexpr ArchetypeSpec kArchetypes[kArchetypeCount] = {
    {{.30, .22, .48}, 26, 33, .35, .30, {.02, .02, .02}},
    {{.30, .25, .45}, 22, 28, .50, .25, {.01, .01, .01}},
    {{.58, .27, .15}, 22, 27, .55, .35, {.01, .01, .01}},
    {{.20, .08, .72}, 13, 17, .80, .15, {0, 0, 0}},
    {{.42, .13, .45}, 16, 20, .70, .20, {0, 0, 0}},
    {{.82, .12, .06}, 14, 18, .75, .35, {.03, 0, 0}},
    {{.28, .38, .34}, 20, 25, .45, .22, {0, .02, 0}},
    {{.34, .31, .35}, 18, 22, .50, .22, {0, 0, 0}},
    {{.28, .20, .52}, 19, 24, .55, .22, {-.01, -.01, -.01}},
    {{.28, .20, .52}, 14, 20, .60, .20, {-.03, -.03, -.03}},
    {{.82, .12, .06}, 14, 20, .60, .20, {-.03, -.03, -.03}},
};
constexpr double kLeagueFg[3] = {.580, .410, .360};
constexpr double kBlockRate[3] = {.25, .07, .015};  // share of missed shots blocked, by zone
constexpr double kSlotMinutes[4] = {35, 31, 20, 9};  // §5.4 step 1

struct Player {
  std::string lookup;
  int archetype = 0;
  Tier tier = Tier::kDeep;
  Date birth;
  double share[3] = {0, 0, 0};
  double fg[3] = {0, 0, 0};
  double usage = 0;
  double assisted = 0;
  double fta_per_fga = 0;
  double ft_pct = 0;
};

struct Member {
  int player = 0;
  int team = 0;
  Tier tier = Tier::kDeep;
  bool two_way = false;
  bool hardship = false;
  Date from;
  Date to = kFar;            // exclusive
  Date available_from;       // trade: misses the new team's first games
  bool ActiveOn(Date d) const { return from <= d && d < to; }
};

struct Spell {
  Date from, to;  // [from, to)
  bool questionable_before_return = false;
};

struct HistEntry {
  Date date;
  int season = 0;
  int minutes = 0;
  double usage = 0;
  bool has_usage = false;
};

struct TeamStrength {
  double net = 0;
  double pace = 99.5;
  double defense[3] = {0, 0, 0};
};

struct Game {
  std::string nba_id;
  Date date;
  int season = 0;
  int home = -1, away = -1;
  GameType type = GameType::kRegularSeason;
  bool postponed = false;
  std::string home_code, away_code;  // exhibition / All-Star rows
};

// Result of one simulated game, for standings and the playoff bracket.
struct GameResult {
  int home_points = 0, away_points = 0;
};

enum class Avail { kAvailable, kOut, kQuestionableOut };

std::string TeamAbbr(int team) { return AllTeams()[team].abbr; }

std::string Phase3GameId(Date date, int away, int home) {
  std::string ymd = date.ToString();
  return ymd.substr(0, 4) + ymd.substr(5, 2) + ymd.substr(8, 2) + "_" + TeamAbbr(away) + "_" + TeamAbbr(home);
}

std::string NbaGameId(int type_digit, int season, int sequence) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "00%d%02d%05d", type_digit, season % 100, sequence);
  return buf;
}

int AgeOn(Date birth, Date day) {
  Ymd b = ToYmd(birth), d = ToYmd(day);
  int age = d.year - b.year;
  if (d.month < b.month || (d.month == b.month && d.day < b.day)) --age;
  return age;
}

double Clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

int RoundInt(double x) { return static_cast<int>(RoundPy(x, 0)); }

class Generator {
 public:
  Generator(const DemoOptions& options, DemoDiagnostics* diagnostics)
      : options_(options), seed_(options.seed), end_(options.end_date), diag_(diagnostics) {}

  Status Run(DemoData* out);

 private:
  // --- players and rosters (§5.3) ---
  int NewPlayer(Rng& rng, Tier tier, int archetype, double age_years, Date reference);
  int DrawArchetype(Rng& rng, Tier tier);
  void SetUpSeason(int season);
  void PlanInSeasonMoves(int season);
  const std::vector<Spell>& Injuries(int player);
  void DrawCovid(int season);
  Date NthTeamGameOnOrAfter(int team, Date day, int n) const;

  // --- availability and context (§5.5, §5.7) ---
  Avail AvailabilityOf(const Member& member, const Game& game, bool team_played_yesterday) const;
  std::vector<int> RosterOn(int team, Date day) const;
  void SignHardship(const Game& game, int team);
  bool TeamPlayedYesterday(int team, Date day) const { return last_game_[team] == day - 1; }
  void EmitContext(const Game& game);

  // --- games (§5.4, §5.6) ---
  void ProcessDate(Date day, const std::vector<Game*>& games, bool covered_all, const std::set<std::string>* partial);
  GameResult Simulate(const Game& game, bool emit);

  void EmitSchedule(const Game& game, GameStatus status);
  void RunPostseason(int season, const SeasonCalendarSpec& spec);

  const DemoOptions& options_;
  uint64_t seed_;
  Date end_;
  DemoDiagnostics* diag_;
  DemoData* out_ = nullptr;

  std::vector<Player> players_;
  std::set<std::string> used_lookups_;
  std::vector<Member> members_;                 // current season
  std::array<std::vector<int>, kTeams> team_members_;
  std::vector<int> free_agents_;                // released players for next summer
  std::array<TeamStrength, kTeams> strength_;
  std::array<double, kTeams> prev_net_{};
  int season_ = 0;
  const SeasonCalendarSpec* spec_ = nullptr;
  std::vector<Date> regular_dates_;
  std::array<std::vector<Date>, kTeams> team_dates_;  // regular-season game dates (non-postponed)
  std::vector<std::vector<Spell>> injuries_;
  std::vector<int> injuries_season_;
  std::vector<std::vector<Spell>> covid_;
  std::vector<std::vector<HistEntry>> history_;
  std::array<std::vector<double>, kTeams> pace_history_;
  std::array<Date, kTeams> last_game_{};
  std::array<int, kTeams> wins_{};
  std::array<int, kTeams> point_diff_{};
  bool next_slate_done_ = false;
  int hardship_count_ = 0;
};

// ---------------------------------------------------------------- players

int Generator::DrawArchetype(Rng& rng, Tier tier) {
  switch (tier) {
    case Tier::kStar: {
      const double w[] = {.60, .25, .15};
      return static_cast<int>(rng.Categorical(w));
    }
    case Tier::kStarter: {
      const double w[] = {.12, .16, .08, .20, .15, .15, .14};
      return static_cast<int>(rng.Categorical(w));
    }
    case Tier::kRotation: {
      const double w[] = {.22, .16, .14, .14, .17, .17};
      return kThreeAndD + static_cast<int>(rng.Categorical(w));
    }
    case Tier::kDeep:
      return rng.Bernoulli(0.55) ? kDeepGuard : kDeepBig;
  }
  return kDeepGuard;
}

int Generator::NewPlayer(Rng& rng, Tier tier, int archetype, double age_years, Date reference) {
  Player p;
  for (;;) {
    std::string name = DrawDisplayName(rng);
    p.lookup = FoldPlayerLookup(name);
    if (p.lookup.size() >= 2 && used_lookups_.insert(p.lookup).second) break;
  }
  p.archetype = archetype;
  p.tier = tier;
  p.birth = reference - static_cast<int32_t>(age_years * 365.25);
  const ArchetypeSpec& a = kArchetypes[archetype];
  double total = 0;
  // The archetype mid-range shares would give teams 18-25 mid-range attempts,
  // beyond the TDGS realistic range 5-22 (inputs.md §3.2); except for the
  // mid-range scorer, 45 % of the mid-range share moves to the paint.
  double base[3] = {a.share[0], a.share[1], a.share[2]};
  if (archetype != kMidRange) {
    base[0] += 0.45 * base[1];
    base[1] *= 0.55;
  }
  for (int z = 0; z < 3; ++z) {
    p.share[z] = std::max(0.01, base[z] + rng.Uniform(-0.05, 0.05));
    total += p.share[z];
  }
  for (int z = 0; z < 3; ++z) {
    p.share[z] /= total;
    p.fg[z] = kLeagueFg[z] + a.bonus[z] + rng.Normal(0, 0.01);
  }
  p.usage = rng.Uniform(a.usage_lo, a.usage_hi);
  p.assisted = a.assisted;
  p.fta_per_fga = a.fta_per_fga;
  p.ft_pct = Clamp(rng.Normal(.78, .07), .50, .93);
  players_.push_back(std::move(p));
  history_.emplace_back();
  injuries_.emplace_back();
  injuries_season_.push_back(-1);
  covid_.emplace_back();
  return static_cast<int>(players_.size()) - 1;
}

// §5.3: strengths, rosters of 15 (1 star, 4 starters, 5 rotation, 5 deep of
// which 2 two-way), summer turnover of 4-5 players with 2 rookies per team.
void Generator::SetUpSeason(int season) {
  const bool first = season == options_.first_season;
  for (int t = 0; t < kTeams; ++t) {
    Rng rng = Stream(seed_, std::to_string(season) + "|" + TeamAbbr(t) + "|team");
    TeamStrength s;
    s.net = first ? rng.Normal(0, 4.5) : 0.6 * prev_net_[t] + rng.Normal(0, 3.5);
    s.pace = Clamp(rng.Normal(99.5, 1.8), 95.5, 104);
    for (double& d : s.defense) d = rng.Normal(0, 0.02);
    strength_[t] = s;
    prev_net_[t] = s.net;
  }
  struct Slot {
    Tier tier;
    bool two_way;
  };
  const Slot kSlots[15] = {{Tier::kStar, false},     {Tier::kStarter, false},  {Tier::kStarter, false},
                           {Tier::kStarter, false},  {Tier::kStarter, false},  {Tier::kRotation, false},
                           {Tier::kRotation, false}, {Tier::kRotation, false}, {Tier::kRotation, false},
                           {Tier::kRotation, false}, {Tier::kDeep, false},     {Tier::kDeep, false},
                           {Tier::kDeep, false},     {Tier::kDeep, true},      {Tier::kDeep, true}};
  const Date opener = spec_->opener;
  const Date from = spec_->preseason_start - 30;
  std::vector<Member> previous = std::move(members_);
  members_.clear();
  for (auto& list : team_members_) list.clear();
  auto add_member = [&](int player, int team, Tier tier, bool two_way) {
    Member m;
    m.player = player;
    m.team = team;
    m.tier = tier;
    m.two_way = two_way;
    m.from = from;
    m.available_from = from;
    team_members_[team].push_back(static_cast<int>(members_.size()));
    members_.push_back(m);
  };
  if (first) {
    for (int t = 0; t < kTeams; ++t) {
      Rng rng = Stream(seed_, std::to_string(season) + "|" + TeamAbbr(t) + "|roster");
      for (const Slot& slot : kSlots) {
        double age = slot.tier == Tier::kStar ? Clamp(rng.Normal(27.5, 2.5), 23, 32)
                                              : Clamp(rng.Normal(26.5, 4), 19, 40);
        int p = NewPlayer(rng, slot.tier, DrawArchetype(rng, slot.tier), age, opener);
        add_member(p, t, slot.tier, slot.two_way);
      }
    }
    return;
  }
  // Summer turnover: the end-of-season roster of each team loses 4-5 players.
  std::array<std::vector<std::pair<int, Slot>>, kTeams> kept;
  std::array<std::vector<std::pair<Slot, bool>>, kTeams> vacant;  // (slot, rookie)
  std::vector<int> pool = std::move(free_agents_);
  free_agents_.clear();
  for (int t = 0; t < kTeams; ++t) {
    Rng rng = Stream(seed_, std::to_string(season) + "|" + TeamAbbr(t) + "|roster");
    std::vector<std::pair<int, Slot>> roster;
    for (const Member& m : previous) {
      if (m.team == t && m.to == kFar && !m.hardship) roster.push_back({m.player, {m.tier, m.two_way}});
    }
    int leave = rng.UniformInt(4, 5);
    std::vector<char> leaving(roster.size(), 0);
    int rookies = 0;
    // Retirements first (age >= 36 at the opener).
    for (size_t i = 0; i < roster.size(); ++i) {
      if (AgeOn(players_[roster[i].first].birth, opener) >= 36 && rng.Bernoulli(0.7)) leaving[i] = 2;
    }
    for (int k = 0; k < 2; ++k) {  // two departures make room for rookies
      std::vector<double> w(roster.size(), 0.0);
      for (size_t i = 0; i < roster.size(); ++i) {
        if (!leaving[i] && roster[i].second.tier >= Tier::kRotation) w[i] = 1.0;
      }
      size_t i = rng.Categorical(w);
      if (w[i] > 0) {
        leaving[i] = 3;
        ++rookies;
      }
    }
    auto count_leaving = [&] {
      int n = 0;
      for (char c : leaving) n += c != 0;
      return n;
    };
    while (count_leaving() < leave) {
      std::vector<double> w(roster.size(), 0.0);
      const double kWeight[4] = {0.2, 1.0, 1.0, 1.5};
      for (size_t i = 0; i < roster.size(); ++i) {
        if (!leaving[i]) w[i] = kWeight[static_cast<int>(roster[i].second.tier)];
      }
      leaving[rng.Categorical(w)] = 1;
    }
    for (size_t i = 0; i < roster.size(); ++i) {
      if (!leaving[i]) {
        kept[t].push_back(roster[i]);
        continue;
      }
      vacant[t].push_back({roster[i].second, leaving[i] == 3});
      if (leaving[i] != 2) pool.push_back(roster[i].first);
    }
  }
  std::vector<char> taken(players_.size(), 0);
  for (int t = 0; t < kTeams; ++t) {
    Rng rng = Stream(seed_, std::to_string(season) + "|" + TeamAbbr(t) + "|fill");
    for (const auto& [player, slot] : kept[t]) add_member(player, t, slot.tier, slot.two_way);
    for (const auto& [slot, rookie] : vacant[t]) {
      int player = -1;
      if (!rookie) {
        for (int candidate : pool) {
          if (!taken[candidate] && players_[candidate].tier == slot.tier &&
              AgeOn(players_[candidate].birth, opener) < 36) {
            player = candidate;
            break;
          }
        }
      }
      if (player >= 0) {
        taken[player] = 1;
      } else {
        double age = rookie ? rng.Uniform(19, 22.99)
                            : (slot.tier == Tier::kStar ? Clamp(rng.Normal(27.5, 2.5), 23, 32)
                                                        : Clamp(rng.Normal(26.5, 4), 19, 40));
        player = NewPlayer(rng, slot.tier, DrawArchetype(rng, slot.tier), age, opener);
        taken.resize(players_.size(), 0);
      }
      add_member(player, t, slot.tier, slot.two_way);
    }
  }
}

Date Generator::NthTeamGameOnOrAfter(int team, Date day, int n) const {
  const auto& dates = team_dates_[team];
  auto it = std::lower_bound(dates.begin(), dates.end(), day);
  int idx = static_cast<int>(it - dates.begin()) + n - 1;
  if (idx < 0) return day;
  if (idx >= static_cast<int>(dates.size())) return kFar;
  return dates[idx];
}

// §5.5: trades (12-20, Dec 15 … deadline, 40 % on deadline day), 8-15
// mid-season signings, two-way turnover; applied in date order.
void Generator::PlanInSeasonMoves(int season) {
  Rng rng = Stream(seed_, std::to_string(season) + "|moves");
  struct Move {
    Date date;
    int kind;  // 0 trade, 1 signing, 2 two-way
    int index;
    int team_a, team_b;
    int count;
  };
  std::vector<Move> moves;
  auto dates_between = [&](Date lo, Date hi) {
    std::vector<Date> out;
    for (Date d : regular_dates_) {
      if (d >= lo && d <= hi) out.push_back(d);
    }
    return out;
  };
  const Date dec15 = Date::FromYmd(season, 12, 15).value();
  std::vector<Date> trade_window = dates_between(dec15, spec_->trade_deadline - 1);
  int trades = rng.UniformInt(12, 20);
  for (int k = 0; k < trades; ++k) {
    Date d = rng.Bernoulli(0.4) ? spec_->trade_deadline
                                : trade_window[rng.UniformInt(0, static_cast<int>(trade_window.size()) - 1)];
    int a = rng.UniformInt(0, kTeams - 1);
    int b = (a + rng.UniformInt(1, kTeams - 1)) % kTeams;
    moves.push_back({d, 0, k, a, b, rng.Bernoulli(0.3) ? 2 : 1});
  }
  std::vector<Date> signing_window =
      dates_between(Date::FromYmd(season, 11, 15).value(), Date::FromYmd(season + 1, 3, 31).value());
  int signings = rng.UniformInt(8, 15);
  for (int k = 0; k < signings; ++k) {
    Date d = signing_window[rng.UniformInt(0, static_cast<int>(signing_window.size()) - 1)];
    moves.push_back({d, 1, k, rng.UniformInt(0, kTeams - 1), -1, 1});
  }
  std::vector<Date> two_way_window =
      dates_between(Date::FromYmd(season, 11, 1).value(), Date::FromYmd(season + 1, 3, 15).value());
  for (int t = 0; t < kTeams; ++t) {
    for (int slot = 0; slot < 2; ++slot) {
      if (!rng.Bernoulli(0.5)) continue;
      Date d = two_way_window[rng.UniformInt(0, static_cast<int>(two_way_window.size()) - 1)];
      moves.push_back({d, 2, t * 2 + slot, t, -1, 1});
    }
  }
  std::sort(moves.begin(), moves.end(), [](const Move& x, const Move& y) {
    if (x.date != y.date) return x.date < y.date;
    if (x.kind != y.kind) return x.kind < y.kind;
    return x.index < y.index;
  });
  auto pick = [&](Rng& r, int team, Date d, auto pred) {
    std::vector<int> options;
    for (int mi : team_members_[team]) {
      const Member& m = members_[mi];
      if (m.ActiveOn(d) && m.from < d && pred(m)) options.push_back(mi);
    }
    if (options.empty()) return -1;
    return options[r.UniformInt(0, static_cast<int>(options.size()) - 1)];
  };
  auto end_and_add = [&](int member_index, int new_player, int new_team, Date d, Date available) {
    Member old = members_[member_index];
    members_[member_index].to = d;
    Member m = old;
    m.player = new_player;
    m.team = new_team;
    m.from = d;
    m.to = kFar;
    m.available_from = available;
    team_members_[new_team].push_back(static_cast<int>(members_.size()));
    members_.push_back(m);
  };
  for (const Move& move : moves) {
    std::string key = std::to_string(season) + "|move|" + std::to_string(move.kind) + "|" + std::to_string(move.index);
    Rng r = Stream(seed_, key);
    if (move.kind == 0) {
      for (int k = 0; k < move.count; ++k) {
        const double w[] = {.35, .45, .20};
        Tier tier = static_cast<Tier>(1 + r.Categorical(w));
        auto pred = [&](const Member& m) { return m.tier == tier && !m.two_way && !m.hardship; };
        int ma = pick(r, move.team_a, move.date, pred);
        int mb = pick(r, move.team_b, move.date, pred);
        if (ma < 0 || mb < 0) continue;
        int pa = members_[ma].player, pb = members_[mb].player;
        const double miss_w[] = {.5, .3, .2};
        Date avail_a = NthTeamGameOnOrAfter(move.team_b, move.date + 1, 1 + static_cast<int>(r.Categorical(miss_w)));
        Date avail_b = NthTeamGameOnOrAfter(move.team_a, move.date + 1, 1 + static_cast<int>(r.Categorical(miss_w)));
        end_and_add(ma, pa, move.team_b, move.date, avail_a);
        end_and_add(mb, pb, move.team_a, move.date, avail_b);
      }
    } else {
      bool two_way = move.kind == 2;
      int mi = pick(r, move.team_a, move.date,
                    [&](const Member& m) { return m.tier == Tier::kDeep && m.two_way == two_way && !m.hardship; });
      if (mi < 0) continue;
      free_agents_.push_back(members_[mi].player);
      double age = two_way ? r.Uniform(20, 24) : Clamp(r.Normal(27, 3.5), 20, 36);
      int p = NewPlayer(r, Tier::kDeep, DrawArchetype(r, Tier::kDeep), age, move.date);
      end_and_add(mi, p, move.team_a, move.date, move.date);
    }
  }
}

// §5.5: binomial(82, 0.016) spells per player-season, lengths 1-3 / 4-10 /
// 11-40 games (60/30/10 %), 2 % season-ending; half of the returns are
// preceded by a `questionable` listing.
const std::vector<Spell>& Generator::Injuries(int player) {
  if (injuries_season_[player] == season_) return injuries_[player];
  injuries_season_[player] = season_;
  auto& spells = injuries_[player];
  spells.clear();
  Rng rng = Stream(seed_, std::to_string(season_) + "|" + players_[player].lookup + "|injury");
  const int n_dates = static_cast<int>(regular_dates_.size());
  int count = rng.Binomial(82, 0.016);
  for (int k = 0; k < count; ++k) {
    Date start = regular_dates_[rng.UniformInt(0, n_dates - 1)];
    double bucket = rng.Uniform01();
    int games = bucket < 0.6 ? rng.UniformInt(1, 3) : bucket < 0.9 ? rng.UniformInt(4, 10) : rng.UniformInt(11, 40);
    int days = std::max(1, RoundInt(games * 2.1));
    spells.push_back({start, start + days, rng.Bernoulli(0.5)});
  }
  if (rng.Bernoulli(0.02)) spells.push_back({regular_dates_[rng.UniformInt(0, n_dates - 1)], kFar, false});
  return spells;
}

// §5.5 COVID protocols 2021-12-17 … 2022-01-15: 0.006 per rostered player
// and day, out for 6-10 games of his team.
void Generator::DrawCovid(int season) {
  for (auto& spells : covid_) spells.clear();
  const Date first = Date::FromYmd(2021, 12, 17).value();
  const Date last = Date::FromYmd(2022, 1, 15).value();
  if (spec_->opener > last || spec_->regular_end < first) return;
  for (const Member& m : members_) {
    if (m.hardship || m.to <= first || m.from > last) continue;
    Rng rng = Stream(seed_, std::to_string(season) + "|" + players_[m.player].lookup + "|covid|" +
                                std::to_string(m.from.days()));
    for (Date d = std::max(first, m.from); d <= last && d < m.to; d = d + 1) {
      bool draw = rng.Bernoulli(0.006);
      auto& spells = covid_[m.player];
      if (!spells.empty() && spells.back().to > d) continue;
      if (!draw) continue;
      int games = rng.UniformInt(6, 10);
      spells.push_back({d, NthTeamGameOnOrAfter(m.team, d, games + 1), false});
    }
  }
}

// ---------------------------------------------------------------- availability

std::vector<int> Generator::RosterOn(int team, Date day) const {
  std::vector<int> roster;
  for (int mi : team_members_[team]) {
    if (members_[mi].ActiveOn(day)) roster.push_back(mi);
  }
  return roster;
}

Avail Generator::AvailabilityOf(const Member& member, const Game& game, bool team_played_yesterday) const {
  const Date day = game.date;
  for (const Spell& s : injuries_[member.player]) {
    if (s.from <= day && day < s.to) {
      return (s.questionable_before_return && day >= s.to - 3) ? Avail::kQuestionableOut : Avail::kOut;
    }
  }
  for (const Spell& s : covid_[member.player]) {
    if (s.from <= day && day < s.to) return Avail::kOut;
  }
  if (day < member.available_from) return Avail::kOut;
  const Player& p = players_[member.player];
  if (member.tier == Tier::kStar && team_played_yesterday && AgeOn(p.birth, day) >= 30) {
    Rng rng = Stream(seed_, game.nba_id + "|rest|" + p.lookup);
    if (rng.Bernoulli(0.25)) return Avail::kOut;
  }
  return Avail::kAvailable;
}

// §5.5: a team with < 10 available players during the COVID window signs
// hardship players (deep bench, 1-10 games).
void Generator::SignHardship(const Game& game, int team) {
  const Date first = Date::FromYmd(2021, 12, 17).value();
  const Date last = Date::FromYmd(2022, 1, 15).value();
  if (game.date < first || game.date > last) return;
  std::vector<int> roster = RosterOn(team, game.date);
  int available = 0;
  for (int mi : roster) {
    Injuries(members_[mi].player);
    if (AvailabilityOf(members_[mi], game, TeamPlayedYesterday(team, game.date)) == Avail::kAvailable) ++available;
  }
  if (available >= 10) return;
  Rng rng = Stream(seed_, game.nba_id + "|hardship|" + TeamAbbr(team));
  for (int k = available; k < 10; ++k) {
    int games = rng.UniformInt(1, 10);
    int p = NewPlayer(rng, Tier::kDeep, DrawArchetype(rng, Tier::kDeep), Clamp(rng.Normal(26, 3), 21, 34), game.date);
    Member m;
    m.player = p;
    m.team = team;
    m.tier = Tier::kDeep;
    m.hardship = true;
    m.from = game.date;
    m.available_from = game.date;
    m.to = NthTeamGameOnOrAfter(team, game.date, games + 1);
    team_members_[team].push_back(static_cast<int>(members_.size()));
    members_.push_back(m);
    ++hardship_count_;
  }
}

// ---------------------------------------------------------------- context rows (§5.7)

void Generator::EmitContext(const Game& game) {
  const Date day = game.date;
  Rng rng = Stream(seed_, game.nba_id + "|ctx");
  const std::string p3_id = Phase3GameId(day, game.away, game.home);
  // League and team last-10 pace.
  auto last10 = [&](int team, double* mean) {
    const auto& h = pace_history_[team];
    if (h.empty()) return false;
    size_t n = std::min<size_t>(10, h.size());
    double sum = 0;
    for (size_t i = h.size() - n; i < h.size(); ++i) sum += h[i];
    *mean = sum / static_cast<double>(n);
    return true;
  };
  double league_sum = 0;
  int league_n = 0;
  for (int t = 0; t < kTeams; ++t) {
    double m;
    if (last10(t, &m)) {
      league_sum += m;
      ++league_n;
    }
  }
  std::optional<double> pace_diff;
  double pace_h, pace_a;
  if (league_n > 0 && last10(game.home, &pace_h) && last10(game.away, &pace_a)) {
    pace_diff = RoundPy((pace_h + pace_a) / 2.0 - league_sum / league_n, 1);
  }
  std::string phase;
  int month = day.month();
  if (month == 10 || month == 11) phase = "early";
  else if (month == 12 || month <= 2) phase = "mid";
  else if (month <= 4) phase = "late";
  else if (month <= 6) phase = "playoffs";

  for (int side = 0; side < 2; ++side) {
    const int team = side == 0 ? game.away : game.home;
    const int opp = side == 0 ? game.home : game.away;
    std::vector<int> roster = RosterOn(team, day);
    std::vector<Avail> status(roster.size());
    for (size_t i = 0; i < roster.size(); ++i) {
      Injuries(members_[roster[i]].player);
      status[i] = AvailabilityOf(members_[roster[i]], game, TeamPlayedYesterday(team, day));
    }
    // Top-2 usage players of the roster.
    std::vector<size_t> order(roster.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      double ua = players_[members_[roster[a]].player].usage, ub = players_[members_[roster[b]].player].usage;
      return ua != ub ? ua > ub : a < b;
    });
    for (size_t i = 0; i < roster.size(); ++i) {
      const Member& m = members_[roster[i]];
      const Player& p = players_[m.player];
      UpcomingPlayerContext row;
      row.player_lookup = p.lookup;
      row.game_id = p3_id;
      row.game_date = day;
      row.universal_player_id = p.lookup + "_001";
      row.team_abbr = TeamAbbr(team);
      row.opponent_team_abbr = TeamAbbr(opp);
      row.home_game = side == 1;
      const auto& hist = history_[m.player];
      const HistEntry* prev = nullptr;
      if (!hist.empty() && hist.back().season == season_) prev = &hist.back();
      if (prev != nullptr) row.days_rest = (day - prev->date) - 1;
      row.back_to_back = prev != nullptr && prev->date == day - 1;
      int g7 = 0, g14 = 0, m7 = 0, m14 = 0, pairs14 = 0;
      Date later;
      bool have_later = false;
      for (auto it = hist.rbegin(); it != hist.rend() && it->date >= day - 14; ++it) {
        ++g14;
        m14 += it->minutes;
        if (it->date >= day - 7) {
          ++g7;
          m7 += it->minutes;
        }
        if (have_later && later - it->date == 1) ++pairs14;
        later = it->date;
        have_later = true;
      }
      row.games_in_last_7_days = g7;
      row.games_in_last_14_days = g14;
      row.minutes_in_last_7_days = m7;
      row.minutes_in_last_14_days = m14;
      if (g7 > 0) row.avg_minutes_per_game_last_7 = RoundPy(static_cast<double>(m7) / g7, 1);
      row.back_to_backs_last_14_days = pairs14;
      row.fourth_quarter_minutes_last_7 = RoundInt(0.24 * m7);
      row.player_age = AgeOn(p.birth, day);
      int used = 0;
      double usage_sum = 0;
      for (auto it = hist.rbegin(); it != hist.rend() && used < 7 && it->season == season_; ++it) {
        if (!it->has_usage) continue;
        usage_sum += it->usage;
        ++used;
      }
      int stars_out = 0;
      for (size_t k = 0; k < std::min<size_t>(2, order.size()); ++k) {
        if (order[k] != i && status[order[k]] != Avail::kAvailable) ++stars_out;
      }
      row.star_teammates_out = stars_out;
      bool project = rng.Bernoulli(0.7);
      double noise = rng.Normal(0, 1);
      if (used > 0) {
        double avg = usage_sum / used;
        row.avg_usage_rate_last_7_games = RoundPy(avg, 2);
        if (project) row.projected_usage_rate = RoundPy(std::max(0.0, avg + 2.5 * stars_out + noise), 2);  // never negative
      }
      row.pace_differential = pace_diff;
      if (!phase.empty()) row.season_phase = phase;
      double listed = rng.Uniform01();
      if (status[i] == Avail::kOut) row.player_status = "out";
      else if (status[i] == Avail::kQuestionableOut) row.player_status = "questionable";
      else if (listed < 0.02) row.player_status = "questionable";
      else if (listed < 0.04) row.player_status = "probable";
      else row.player_status = "available";
      out_->upcoming_player.push_back(std::move(row));
    }
    UpcomingTeamContext team_row;
    team_row.team_abbr = TeamAbbr(team);
    team_row.game_id = game.nba_id;
    team_row.game_date = day;
    team_row.season_year = game.season;
    team_row.opponent_team_abbr = TeamAbbr(opp);
    // §5.7: spread = -(strength difference + 2.5 at home), to 0.5; total from pace and ratings.
    double edge = strength_[team].net - strength_[opp].net + (side == 1 ? 2.5 : -2.5);
    team_row.game_spread = RoundPy(RoundPy(-edge * 2.0, 0) / 2.0, 2) + 0.0;
    double pace = (strength_[team].pace + strength_[opp].pace) / 2.0;
    double total = pace * 2.0 * 1.13 + (strength_[team].net + strength_[opp].net) * 0.3;
    team_row.game_total = RoundPy(RoundPy(total * 2.0, 0) / 2.0, 1);
    out_->upcoming_team.push_back(std::move(team_row));
  }
}

// ---------------------------------------------------------------- simulation (§5.4)

struct BoxLine {
  int member = 0;
  int player = 0;
  Tier tier = Tier::kDeep;
  bool plays = false;
  double target = 0;
  double weight = 0;
  int minutes = 0;
  int fga[3] = {0, 0, 0};
  int fgm[3] = {0, 0, 0};
  int fta = 0, ftm = 0, tov = 0, assisted = 0;
  int Points() const { return 2 * (fgm[0] + fgm[1]) + 3 * fgm[2] + ftm; }
  int Fga() const { return fga[0] + fga[1] + fga[2]; }
  int Fgm() const { return fgm[0] + fgm[1] + fgm[2]; }
};

// Largest-remainder integer minutes summing to `total` (§5.4 step 1).
std::vector<int> AllocateMinutes(const std::vector<double>& targets, const std::vector<bool>& starter, int total,
                                 int ot_periods) {
  const size_t n = targets.size();
  double s_sum = 0, b_sum = 0;
  for (size_t i = 0; i < n; ++i) (starter[i] ? s_sum : b_sum) += targets[i];
  std::vector<double> m(n, 0.0);
  if (b_sum <= 0 || s_sum <= 0) {
    double sum = s_sum + b_sum;
    for (size_t i = 0; i < n; ++i) m[i] = targets[i] * total / sum;
  } else {
    double ot_minutes = 25.0 * ot_periods;
    double starters = 0;
    for (size_t i = 0; i < n; ++i) {
      if (starter[i]) {
        m[i] = targets[i] * (1.0 + ot_minutes / s_sum);
        starters += m[i];
      }
    }
    double factor = Clamp((total - starters) / b_sum, 0.45, 1.35);
    double bench = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!starter[i]) {
        m[i] = targets[i] * factor;
        bench += m[i];
      }
    }
    double scale = (total - bench) / starters;
    for (size_t i = 0; i < n; ++i) {
      if (starter[i]) m[i] *= scale;
    }
  }
  const double cap = 48.0 + 5.0 * ot_periods;
  std::vector<int> out(n);
  int assigned = 0;
  std::vector<std::pair<double, size_t>> rema;
  for (size_t i = 0; i < n; ++i) {
    double v = std::min(m[i], cap);
    out[i] = static_cast<int>(v);
    assigned += out[i];
    rema.push_back({v - out[i], i});
  }
  std::stable_sort(rema.begin(), rema.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; assigned < total; k = (k + 1) % n) {
    ++out[rema[k].second];
    ++assigned;
  }
  for (size_t i = 0; i < n; ++i) {
    while (out[i] < 1) {
      size_t mx = static_cast<size_t>(std::max_element(out.begin(), out.end()) - out.begin());
      --out[mx];
      ++out[i];
    }
  }
  return out;
}

GameResult Generator::Simulate(const Game& game, bool emit) {
  Rng rng = Stream(seed_, game.nba_id + "|box");
  const Date day = game.date;
  const int teams[2] = {game.away, game.home};
  std::array<std::vector<BoxLine>, 2> box;
  for (int side = 0; side < 2; ++side) {
    const int team = teams[side];
    const bool yesterday = TeamPlayedYesterday(team, day);
    int playing = 0;
    for (int mi : RosterOn(team, day)) {
      const Member& m = members_[mi];
      Injuries(m.player);
      if (AvailabilityOf(m, game, yesterday) != Avail::kAvailable) continue;
      BoxLine line;
      line.member = mi;
      line.player = m.player;
      line.tier = m.tier;
      double dnp = m.tier == Tier::kDeep ? 0.55 : (m.tier == Tier::kRotation ? 0.05 : 0.0);
      line.plays = !rng.Bernoulli(dnp);
      line.target = std::max(m.tier == Tier::kDeep ? 2.0 : 4.0,
                             kSlotMinutes[static_cast<int>(m.tier)] + rng.Normal(0, 3));
      playing += line.plays;
      box[side].push_back(line);
    }
    // At least 9 players get minutes when the roster allows (rotation first).
    for (Tier tier : {Tier::kRotation, Tier::kDeep}) {
      for (BoxLine& line : box[side]) {
        if (playing >= 9) break;
        if (!line.plays && line.tier == tier) {
          line.plays = true;
          ++playing;
        }
      }
    }
    for (BoxLine& line : box[side]) {
      // Shots ∝ usage^1.25 × minutes (§5.4 step 3 with a mild tilt towards
      // high-usage players so that stars reach the 27-34 usage band).
      const double u = players_[line.player].usage;
      if (line.plays) line.weight = u * std::sqrt(std::sqrt(u)) * line.target;
    }
  }
  const TeamStrength& sh = strength_[game.home];
  const TeamStrength& sa = strength_[game.away];
  const std::array<std::vector<BoxLine>, 2> fresh = box;
  double pace = 0;
  std::array<int, 2> points{0, 0};
  std::array<std::array<int, 3>, 2> blocks{};  // blocks by the defending side, by zone
  int ot = 0;
  // Box scores whose team rows leave the realistic ranges of inputs.md §3.2-§3.3
  // are re-drawn (a few attempts) so that imports stay free of range warnings.
  for (int attempt = 0; attempt < 8; ++attempt) {
    Rng shots = Stream(seed_, game.nba_id + "|shots|" + std::to_string(attempt));
    box = fresh;
    points = {0, 0};
    blocks = {};
    ot = 0;
    pace = Clamp((sh.pace + sa.pace) / 2.0 + shots.Normal(0, 3.5), 88, 112);
    auto play_period = [&](double possessions, double fga_sd) {
      for (int side = 0; side < 2; ++side) {
        const int opp = 1 - side;
        const TeamStrength& own = strength_[teams[side]];
        const TeamStrength& other = strength_[teams[opp]];
        auto& lines = box[side];
        double total = 0;
        for (const BoxLine& l : lines) total += l.weight;
        const double team_fga = 0.885 * possessions + shots.Normal(0, fga_sd);
        const double strength_effect = 0.01 * (own.net - other.net) / 6.0;
        const double home_effect = side == 1 ? 0.008 : 0.0;
        for (BoxLine& l : lines) {
          if (l.weight <= 0) continue;
          // Shots per player: expected share with damped noise (keeps usage realistic).
          const double expected = team_fga * l.weight / total;
          const int fga = std::max(0, RoundInt(expected + shots.Normal(0, 0.5 * std::sqrt(expected))));
          const Player& p = players_[l.player];
          for (int shot = 0; shot < fga; ++shot) {
            double z = shots.Uniform01();
            int zone = z < p.share[0] ? 0 : (z < p.share[0] + p.share[1] ? 1 : 2);
            double prob = Clamp(p.fg[zone] + strength_effect + other.defense[zone] + home_effect, 0.05, 0.95);
            ++l.fga[zone];
            if (shots.Uniform01() < prob) {
              ++l.fgm[zone];
              if (shots.Uniform01() < p.assisted) ++l.assisted;
            } else if (shots.Uniform01() < kBlockRate[zone]) {
              ++blocks[opp][zone];
            }
          }
          if (fga == 0) continue;
          int fta = shots.Binomial(2 * fga, p.fta_per_fga * (side == 1 ? 1.06 : 0.94) / 2.0);
          l.fta += fta;
          l.ftm += shots.Binomial(fta, p.ft_pct);
        }
      }
      for (int side = 0; side < 2; ++side) {
        points[side] = 0;
        for (const BoxLine& l : box[side]) points[side] += l.Points();
      }
    };
    play_period(pace, 2.0);
    // Late-game fouling: a close game is tied at the line now and then (OT share, §5.4).
    const int margin = points[1] - points[0];
    if (margin != 0 && std::abs(margin) <= 3 && shots.Bernoulli(0.15)) {
      auto& trailing = box[margin > 0 ? 0 : 1];
      size_t best = 0;
      for (size_t i = 1; i < trailing.size(); ++i) {
        if (trailing[i].weight > trailing[best].weight) best = i;
      }
      trailing[best].fta += std::abs(margin);
      trailing[best].ftm += std::abs(margin);
      points[margin > 0 ? 0 : 1] += std::abs(margin);
    }
    while (points[0] == points[1]) {
      ++ot;
      play_period(pace * 5.0 / 48.0, 0.7);
    }
    const double poss = pace * (48.0 + 5.0 * ot) / 48.0;
    bool realistic = true;
    for (int side = 0; side < 2; ++side) {
      int zone_att[3] = {0, 0, 0}, zone_made[3] = {0, 0, 0};
      for (const BoxLine& l : box[side]) {
        for (int z = 0; z < 3; ++z) {
          zone_att[z] += l.fga[z];
          zone_made[z] += l.fgm[z];
        }
      }
      const double rating = 100.0 * points[side] / poss;
      realistic = realistic && points[side] >= 80 && points[side] <= 155 && rating >= 90 && rating <= 135 &&
                  zone_att[0] >= 28 && zone_att[0] <= 60 && zone_made[0] >= 15 && zone_made[0] <= 35 &&
                  zone_att[1] >= 5 && zone_att[1] <= 22 && zone_made[1] >= 1 && zone_made[1] <= 10 &&
                  zone_att[2] >= 22 && zone_att[2] <= 55 && zone_made[2] >= 6 && zone_made[2] <= 25 &&
                  blocks[side][0] <= 12 && blocks[side][1] <= 4 && blocks[side][2] <= 3;
    }
    if (realistic) break;
  }
  const double possessions = pace * (48.0 + 5.0 * ot) / 48.0;
  const int total_minutes = 240 + 25 * ot;
  const bool blowout = std::abs(points[0] - points[1]) >= 20;
  std::array<int, 2> team_tov{};
  for (int side = 0; side < 2; ++side) {
    auto& lines = box[side];
    // Turnovers (used only for usage).
    std::vector<double> w;
    for (const BoxLine& l : lines) w.push_back(l.weight);
    team_tov[side] = std::max(0, RoundInt(0.13 * possessions + rng.Normal(0, 1.5)));
    for (int k = 0; k < team_tov[side]; ++k) ++lines[rng.Categorical(w)].tov;
    // Minutes.
    std::vector<double> targets;
    std::vector<bool> starter;
    std::vector<size_t> idx;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!lines[i].plays) continue;
      targets.push_back(lines[i].target);
      starter.push_back(lines[i].tier == Tier::kStar || lines[i].tier == Tier::kStarter);
      idx.push_back(i);
    }
    std::vector<int> minutes = AllocateMinutes(targets, starter, total_minutes, ot);
    if (blowout) {
      int shift = rng.UniformInt(8, 16);
      bool any_bench = std::find(starter.begin(), starter.end(), false) != starter.end();
      bool any_starter = std::find(starter.begin(), starter.end(), true) != starter.end();
      for (int k = 0; k < shift && any_bench && any_starter; ++k) {
        size_t from = 0, to = 0;
        int best_from = -1, best_to = 1 << 20;
        for (size_t j = 0; j < minutes.size(); ++j) {
          if (starter[j] && minutes[j] > best_from) best_from = minutes[j], from = j;
          if (!starter[j] && minutes[j] < best_to) best_to = minutes[j], to = j;
        }
        if (best_from <= 1) break;
        --minutes[from];
        ++minutes[to];
      }
    }
    for (size_t j = 0; j < idx.size(); ++j) lines[idx[j]].minutes = minutes[j];
  }

  GameResult result{points[1], points[0]};
  // State for later games: pace history and player workloads.
  for (int side = 0; side < 2; ++side) {
    pace_history_[teams[side]].push_back(pace);
    last_game_[teams[side]] = day;
  }
  if (game.type == GameType::kRegularSeason) {
    int winner = points[1] > points[0] ? 1 : 0;
    ++wins_[teams[winner]];
    point_diff_[game.home] += points[1] - points[0];
    point_diff_[game.away] += points[0] - points[1];
  }

  // §5.6 realistic defects, drawn per game.
  Rng defects = Stream(seed_, game.nba_id + "|defects");
  const bool secondary = defects.Bernoulli(0.40);
  const bool early = day <= Date::FromYmd(2021, 12, 31).value();
  const bool no_pbp = defects.Bernoulli(early ? 0.20 : 0.03);
  const bool blocks_unknown = no_pbp || defects.Bernoulli(0.30);
  const bool totals_missing = defects.Bernoulli(0.01);
  const bool ratings_missing = defects.Bernoulli(0.005);
  const double unparsed_rate = day <= Date::FromYmd(2024, 4, 14).value() ? 0.015 : 0.002;
  const std::string p3_id = Phase3GameId(day, game.away, game.home);

  for (int side = 0; side < 2; ++side) {
    const int team = teams[side];
    const int opp = teams[1 - side];
    double t_fga = 0, t_fta = 0, t_tov = 0;
    int with_minutes = 0, minutes_sum = 0;
    for (const BoxLine& l : box[side]) {
      t_fga += l.Fga();
      t_fta += l.fta;
      t_tov += l.tov;
      if (l.plays) {
        ++with_minutes;
        minutes_sum += l.minutes;
      }
    }
    for (BoxLine& l : box[side]) {
      const Player& p = players_[l.player];
      double usage = 0;
      bool has_usage = false;
      if (l.plays && l.minutes > 0) {
        const double team_use = t_fga + 0.44 * t_fta + t_tov;
        usage = 100.0 * (l.Fga() + 0.44 * l.fta + l.tov) * (total_minutes / 5.0) / (l.minutes * team_use);
        usage = RoundPy(usage, 2);
        has_usage = true;
      }
      if (l.plays) history_[l.player].push_back({day, game.season, l.minutes, usage, has_usage});
      if (!emit) continue;
      if (!l.plays && !secondary) continue;
      PlayerGame row;
      row.player_lookup = p.lookup;
      row.game_id = p3_id;
      row.game_date = day;
      row.season_year = game.season;
      row.universal_player_id = p.lookup + "_001";
      row.team_abbr = TeamAbbr(team);
      row.opponent_team_abbr = TeamAbbr(opp);
      row.is_active = true;
      if (!l.plays) {  // DNP (coach's decision) in a secondary-source box score
        row.points = 0;
        row.fg_attempts = 0;
        row.fg_makes = 0;
        row.three_pt_attempts = 0;
        row.three_pt_makes = 0;
        row.ft_makes = 0;
        out_->player_games.push_back(std::move(row));
        continue;
      }
      bool unparsed = with_minutes > 8 && defects.Bernoulli(unparsed_rate);
      if (unparsed) --with_minutes;
      if (!unparsed) row.minutes_played = static_cast<double>(l.minutes);
      row.points = l.Points();
      row.fg_attempts = l.Fga();
      row.fg_makes = l.Fgm();
      row.three_pt_attempts = l.fga[2];
      row.three_pt_makes = l.fgm[2];
      row.ft_makes = l.ftm;
      if (!no_pbp) {
        row.paint_attempts = l.fga[0];
        row.paint_makes = l.fgm[0];
        row.mid_range_attempts = l.fga[1];
        row.mid_range_makes = l.fgm[1];
        row.assisted_fg_makes = l.assisted;
        row.unassisted_fg_makes = l.Fgm() - l.assisted;
      }
      if (has_usage && !totals_missing && !unparsed) row.usage_rate = usage;
      double ts_den = 2.0 * (l.Fga() + 0.44 * l.fta);
      if (ts_den > 0) row.ts_pct = RoundPy(l.Points() / ts_den, 3);
      out_->player_games.push_back(std::move(row));
    }
    if (diag_ != nullptr && emit) {
      int reported = 0;
      for (const BoxLine& l : box[side]) reported += l.plays;
      diag_->team_games.push_back({p3_id, TeamAbbr(team), ot, minutes_sum, reported});
    }
  }
  if (!emit) return result;
  for (int side = 0; side < 2; ++side) {
    const int team = teams[side];
    const int opp_side = 1 - side;
    TeamDefenseGame d;
    d.game_id = p3_id;
    d.game_date = day;
    d.season_year = game.season;
    d.defending_team_abbr = TeamAbbr(team);
    d.opponent_team_abbr = TeamAbbr(teams[opp_side]);
    int64_t pts = 0, pa = 0, pm = 0, ma = 0, mm = 0, ta = 0, tm = 0;
    for (const BoxLine& l : box[opp_side]) {
      pts += l.Points();
      pa += l.fga[0];
      pm += l.fgm[0];
      ma += l.fga[1];
      mm += l.fgm[1];
      ta += l.fga[2];
      tm += l.fgm[2];
    }
    d.points_allowed = pts;
    d.opp_three_pt_attempts = ta;
    d.opp_three_pt_makes = tm;
    if (!no_pbp) {
      d.opp_paint_attempts = pa;
      d.opp_paint_makes = pm;
      d.opp_mid_range_attempts = ma;
      d.opp_mid_range_makes = mm;
      d.points_in_paint_allowed = 2 * pm;
    }
    if (!blocks_unknown) {
      d.blocks_paint = blocks[side][0];
      d.blocks_mid_range = blocks[side][1];
      d.blocks_three_pt = blocks[side][2];
    }
    if (!ratings_missing) d.defensive_rating = RoundPy(100.0 * pts / possessions, 2);
    d.opponent_pace = RoundPy(pace, 1);
    out_->team_defense.push_back(std::move(d));

    TeamOffenseGame o;
    o.game_id = p3_id;
    o.game_date = day;
    o.season_year = game.season;
    o.team_abbr = TeamAbbr(team);
    o.opponent_team_abbr = TeamAbbr(teams[opp_side]);
    o.win_flag = points[side] > points[opp_side];
    o.pace = RoundPy(pace, 1);
    if (!ratings_missing) o.offensive_rating = RoundPy(100.0 * points[side] / possessions, 2);
    out_->team_offense.push_back(std::move(o));
  }
  return result;
}

// ---------------------------------------------------------------- dates

void Generator::EmitSchedule(const Game& game, GameStatus status) {
  ScheduleGame row;
  row.game_id = game.nba_id;
  row.game_date = game.date;
  row.season_year = game.season;
  row.home_team_abbr = game.home >= 0 ? TeamAbbr(game.home) : game.home_code;
  row.away_team_abbr = game.away >= 0 ? TeamAbbr(game.away) : game.away_code;
  row.game_type = game.type;
  row.game_status = status;
  out_->schedule.push_back(std::move(row));
}

// One game date: hardship signings, context rows, then the games (state
// strictly before `day` feeds the context; the games update it).
void Generator::ProcessDate(Date day, const std::vector<Game*>& games, bool covered_all,
                            const std::set<std::string>* partial) {
  if (games.empty()) return;
  const bool after_end = day > end_;
  if (after_end && next_slate_done_ && games.front()->type == GameType::kRegularSeason) return;
  for (Game* g : games) {
    SignHardship(*g, g->away);
    SignHardship(*g, g->home);
  }
  bool any_context = false;
  const bool next_slate = after_end && !next_slate_done_;
  for (Game* g : games) {
    bool covered = next_slate || (!after_end && (covered_all || (partial != nullptr && partial->count(g->nba_id))));
    if (!covered) continue;
    EmitContext(*g);
    any_context = true;
  }
  if (any_context && diag_ != nullptr) diag_->context_dates.push_back(day);
  if (next_slate) next_slate_done_ = true;
  if (after_end && games.front()->type == GameType::kRegularSeason) return;
  for (Game* g : games) Simulate(*g, !after_end);
}

void Generator::RunPostseason(int season, const SeasonCalendarSpec& spec) {
  Rng rng = Stream(seed_, std::to_string(season) + "|postseason");
  const bool context = season >= 2025;  // §5.7: 2023-24/2024-25 have none for play-in and playoffs
  auto status_of = [&](Date d) { return d <= end_ ? GameStatus::kFinal : GameStatus::kScheduled; };
  // Standings (§5.2): seeds by wins, then point differential.
  std::array<std::vector<int>, 2> seeds;  // 0 East, 1 West
  for (int t = 0; t < kTeams; ++t) seeds[std::string_view(AllTeams()[t].conference) == "East" ? 0 : 1].push_back(t);
  for (auto& conf : seeds) {
    std::sort(conf.begin(), conf.end(), [&](int a, int b) {
      if (wins_[a] != wins_[b]) return wins_[a] > wins_[b];
      if (point_diff_[a] != point_diff_[b]) return point_diff_[a] > point_diff_[b];
      return a < b;
    });
  }
  int play_in_seq = 0;
  auto make = [&](Date date, int home, int away, GameType type, std::string id) {
    Game g;
    g.nba_id = std::move(id);
    g.date = date;
    g.season = season;
    g.home = home;
    g.away = away;
    g.type = type;
    return g;
  };

  // Play-in: 7v8 and 9v10 of one conference per day, deciders on the third date.
  const int first_conf = rng.UniformInt(0, 1);
  std::array<int, 2> seed7{}, seed8{};
  std::array<int, 2> loser78{}, winner910{};
  for (int k = 0; k < 2; ++k) {
    const int conf = k == 0 ? first_conf : 1 - first_conf;
    const auto& s = seeds[conf];
    std::vector<Game> games = {make(spec.play_in[k], s[6], s[7], GameType::kPlayIn, NbaGameId(5, season, ++play_in_seq)),
                               make(spec.play_in[k], s[8], s[9], GameType::kPlayIn, NbaGameId(5, season, ++play_in_seq))};
    std::vector<GameResult> results;
    for (Game& g : games) EmitSchedule(g, status_of(g.date));
    std::vector<Game*> ptrs{&games[0], &games[1]};
    for (Game& g : games) {
      SignHardship(g, g.away);
      SignHardship(g, g.home);
    }
    const bool after_end = spec.play_in[k] > end_;
    if ((after_end && !next_slate_done_) || (!after_end && context)) {
      for (Game* g : ptrs) EmitContext(*g);
      if (diag_ != nullptr) diag_->context_dates.push_back(spec.play_in[k]);
      if (after_end) next_slate_done_ = true;
    }
    for (Game& g : games) results.push_back(Simulate(g, !after_end));
    bool home78 = results[0].home_points > results[0].away_points;
    seed7[conf] = home78 ? s[6] : s[7];
    loser78[conf] = home78 ? s[7] : s[6];
    winner910[conf] = results[1].home_points > results[1].away_points ? s[8] : s[9];
  }
  {
    std::vector<Game> games;
    for (int k = 0; k < 2; ++k) {
      const int conf = k == 0 ? first_conf : 1 - first_conf;
      games.push_back(make(spec.play_in[2], loser78[conf], winner910[conf], GameType::kPlayIn,
                           NbaGameId(5, season, ++play_in_seq)));
    }
    for (Game& g : games) EmitSchedule(g, status_of(g.date));
    const bool after_end = spec.play_in[2] > end_;
    if ((after_end && !next_slate_done_) || (!after_end && context)) {
      for (Game& g : games) EmitContext(g);
      if (diag_ != nullptr) diag_->context_dates.push_back(spec.play_in[2]);
      if (after_end) next_slate_done_ = true;
    }
    for (int k = 0; k < 2; ++k) {
      const int conf = k == 0 ? first_conf : 1 - first_conf;
      GameResult r = Simulate(games[k], !after_end);
      seed8[conf] = r.home_points > r.away_points ? games[k].home : games[k].away;
    }
  }
  // Playoffs: best-of-7, 2-2-1-1-1, bracket 1v8, 4v5, 3v6, 2v7 per conference.
  struct Series {
    int round = 1, index = 0;
    int high = -1, low = -1;  // high seed has home court
    int high_wins = 0, low_wins = 0;
    int games = 0;
    Date next;
    bool done = false;
    Date end;
    int winner = -1;
  };
  std::vector<Series> series;
  auto rank_of = [&](int team) {
    for (const auto& conf : seeds) {
      for (size_t i = 0; i < conf.size(); ++i) {
        if (conf[i] == team) return static_cast<int>(i);
      }
    }
    return 99;
  };
  for (int conf = 0; conf < 2; ++conf) {
    std::vector<int> s(seeds[conf].begin(), seeds[conf].begin() + 6);
    s.push_back(seed7[conf]);
    s.push_back(seed8[conf]);
    const int pairs[4][2] = {{0, 7}, {3, 4}, {2, 5}, {1, 6}};
    for (int k = 0; k < 4; ++k) {
      Series sr;
      sr.round = 1;
      sr.index = conf * 4 + k;
      sr.high = s[pairs[k][0]];
      sr.low = s[pairs[k][1]];
      sr.next = spec.playoffs_start + ((k % 2 == 0) == (conf == 0) ? 0 : 1);
      series.push_back(sr);
    }
  }
  const int finals_gaps[7] = {0, 3, 3, 2, 3, 3, 3};
  // Active series (rounds 1-3, other than `self`) whose next game falls on a
  // day of parity 0 / 1: the league staggers the series so that every day of
  // the first three rounds has games.
  auto parity_counts = [&](const Series* self) {
    std::array<int, 2> c{0, 0};
    for (const Series& other : series) {
      if (&other == self || other.done || other.round == 4) continue;
      ++c[((other.next.days() % 2) + 2) % 2];
    }
    return c;
  };
  auto parity = [](Date d) { return ((d.days() % 2) + 2) % 2; };
  for (Date day = spec.playoffs_start;; day = day + 1) {
    std::vector<Game> games;
    std::vector<size_t> which;
    for (size_t i = 0; i < series.size(); ++i) {
      Series& sr = series[i];
      if (sr.done || sr.next != day) continue;
      int g = sr.games + 1;
      bool high_home = g == 1 || g == 2 || g == 5 || g == 7;
      games.push_back(make(day, high_home ? sr.high : sr.low, high_home ? sr.low : sr.high, GameType::kPlayoff,
                           NbaGameId(4, season, sr.round * 100 + (sr.round == 1 ? sr.index : sr.index) * 10 + g)));
      which.push_back(i);
    }
    if (!games.empty()) {
      for (Game& g : games) EmitSchedule(g, status_of(g.date));
      const bool after_end = day > end_;
      if ((after_end && !next_slate_done_) || (!after_end && context)) {
        for (Game& g : games) EmitContext(g);
        if (diag_ != nullptr) diag_->context_dates.push_back(day);
        if (after_end) next_slate_done_ = true;
      }
      std::vector<size_t> continuing;
      for (size_t k = 0; k < games.size(); ++k) {
        GameResult r = Simulate(games[k], !after_end);
        Series& sr = series[which[k]];
        int winner = r.home_points > r.away_points ? games[k].home : games[k].away;
        (winner == sr.high ? sr.high_wins : sr.low_wins)++;
        ++sr.games;
        if (sr.high_wins == 4 || sr.low_wins == 4) {
          sr.done = true;
          sr.end = day;
          sr.winner = sr.high_wins == 4 ? sr.high : sr.low;
        } else {
          continuing.push_back(which[k]);
        }
      }
      // A game every second day per series; after games 2 and 4 an extra
      // (travel) day when the other series fill both days in between, or when
      // it moves the series onto the less busy day parity (§5.2).
      for (size_t i : continuing) {
        Series& sr = series[i];
        if (sr.round == 4) {
          sr.next = day + finals_gaps[sr.games];
          continue;
        }
        bool extra = false;
        if (sr.games == 2 || sr.games == 4) {
          const std::array<int, 2> c = parity_counts(&sr);
          extra = (c[parity(day + 1)] >= 1 && c[parity(day)] >= 1) || c[parity(day + 3)] < c[parity(day + 2)];
        }
        sr.next = day + 2 + (extra ? 1 : 0);
      }
    }
    // Next rounds.
    for (int round = 1; round <= 3; ++round) {
      int n_next = round == 1 ? 4 : (round == 2 ? 2 : 1);
      for (int idx = 0; idx < n_next; ++idx) {
        bool exists = false;
        for (const Series& sr : series) exists |= sr.round == round + 1 && sr.index == idx;
        if (exists) continue;
        const Series* a = nullptr;
        const Series* b = nullptr;
        for (const Series& sr : series) {
          if (sr.round == round && sr.index == 2 * idx) a = &sr;
          if (sr.round == round && sr.index == 2 * idx + 1) b = &sr;
        }
        if (a == nullptr || b == nullptr || !a->done || !b->done) continue;
        Series sr;
        sr.round = round + 1;
        sr.index = idx;
        int ta = a->winner, tb = b->winner;
        bool a_high;
        if (round + 1 == 4) a_high = wins_[ta] != wins_[tb] ? wins_[ta] > wins_[tb] : ta < tb;
        else a_high = rank_of(ta) < rank_of(tb);
        sr.high = a_high ? ta : tb;
        sr.low = a_high ? tb : ta;
        Date fed = std::max(a->end, b->end);
        if (round + 1 == 4) {
          Date lo = fed + 5, hi = fed + 7;
          sr.next = spec.finals_game1 < lo ? lo : (spec.finals_game1 > hi ? hi : spec.finals_game1);
        } else {
          // 2 days after the feeding series end, a day later when that puts
          // the series on the less busy day parity (more days with games).
          sr.next = fed + 2;
          const std::array<int, 2> c = parity_counts(nullptr);
          if (c[parity(sr.next)] > c[parity(sr.next + 1)]) sr.next = sr.next + 1;
        }
        series.push_back(sr);
      }
    }
    bool finished = false;
    for (const Series& sr : series) finished |= sr.round == 4 && sr.done;
    if (finished) break;
  }
}

Status Generator::Run(DemoData* out) {
  out_ = out;
  const SeasonCalendarSpec* first = FindSeasonCalendar(options_.first_season);
  if (first == nullptr) {
    return Status::InvalidArgument("demo data: --first-season " + std::to_string(options_.first_season) +
                                   " has no built-in calendar (2021-2025)");
  }
  if (end_ < first->opener) {
    return Status::InvalidArgument("demo data: --end-date " + end_.ToString() + " is before the " +
                                   std::to_string(options_.first_season) + " opener " + first->opener.ToString());
  }
  const int last_season = SeasonYear(end_);
  if (FindSeasonCalendar(last_season) == nullptr) {
    return Status::InvalidArgument("demo data: --end-date " + end_.ToString() +
                                   " lies after the last built-in season (2025-26)");
  }
  for (auto& d : last_game_) d = Date::FromDays(0);
  for (int season = options_.first_season; season <= last_season; ++season) {
    season_ = season;
    spec_ = FindSeasonCalendar(season);
    const SeasonCalendarSpec& spec = *spec_;
    regular_dates_ = RegularSeasonDates(spec);
    wins_.fill(0);
    point_diff_.fill(0);
    SetUpSeason(season);

    // Preseason and All-Star rows (no Phase 3 rows).
    auto status_of = [&](Date d) { return d <= end_ ? GameStatus::kFinal : GameStatus::kScheduled; };
    {
      std::vector<PreseasonGame> pre = BuildPreseason(spec, seed_);
      int seq = 0;
      for (const PreseasonGame& p : pre) {
        Game g;
        g.nba_id = NbaGameId(1, season, ++seq);
        g.date = p.date;
        g.season = season;
        g.home = p.home;
        g.away = p.away;
        g.away_code = p.club_code;
        g.type = GameType::kPreseason;
        EmitSchedule(g, status_of(g.date));
      }
      Game rising;
      rising.nba_id = NbaGameId(3, season, 1);
      rising.date = spec.rising_stars;
      rising.season = season;
      rising.home_code = "RSW";
      rising.away_code = "RSE";
      rising.type = GameType::kAllStar;
      EmitSchedule(rising, status_of(rising.date));
      Game asg = rising;
      asg.nba_id = NbaGameId(3, season, 2);
      asg.date = spec.all_star_game;
      asg.home_code = spec.all_star_codes[0];
      asg.away_code = spec.all_star_codes[1];
      EmitSchedule(asg, status_of(asg.date));
    }

    // Regular season (§5.2). COVID postponements are laid out with the
    // schedule; a postponement (and its make-up, a new game id after the
    // 1,230 original ones) exists only once its date has passed.
    std::vector<PlannedGame> planned = BuildRegularSeason(spec, seed_);
    std::vector<Game> games;
    std::vector<Game> makeups;
    int seq = 0;
    for (const PlannedGame& p : planned) {
      Game g;
      g.date = p.date;
      g.season = season;
      g.home = p.home;
      g.away = p.away;
      if (p.makeup) {
        if (p.original <= end_) makeups.push_back(g);
        continue;
      }
      g.nba_id = NbaGameId(2, season, ++seq);
      g.postponed = p.postponed && p.date <= end_;
      games.push_back(g);
    }
    for (Game& m : makeups) {
      m.nba_id = NbaGameId(2, season, ++seq);
      games.push_back(m);
    }
    for (auto& dates : team_dates_) dates.clear();
    for (const Game& g : games) {
      if (g.postponed) continue;
      team_dates_[g.home].push_back(g.date);
      team_dates_[g.away].push_back(g.date);
    }
    for (auto& dates : team_dates_) std::sort(dates.begin(), dates.end());
    PlanInSeasonMoves(season);
    DrawCovid(season);
    for (const Game& g : games) {
      EmitSchedule(g, g.postponed ? GameStatus::kPostponed : (g.date <= end_ ? GameStatus::kFinal
                                                                             : GameStatus::kScheduled));
    }

    // Context coverage (§5.7).
    std::set<Date> covered;
    std::set<std::string> partial_games;
    std::set<Date> partial_dates;
    if (season >= 2025) {
      covered.insert(regular_dates_.begin(), regular_dates_.end());
    } else if (season >= 2023) {
      Rng rng = Stream(seed_, std::to_string(season) + "|coverage");
      size_t i = 0;
      while (i < regular_dates_.size()) {
        int run = rng.UniformInt(5, 29);
        for (int k = 0; k < run && i < regular_dates_.size(); ++k, ++i) covered.insert(regular_dates_[i]);
        int gap = rng.UniformInt(1, 5);
        i += gap;
      }
      for (Date d : regular_dates_) {
        if (!covered.count(d) || !rng.Bernoulli(0.03)) continue;
        std::vector<const Game*> on_day;
        for (const Game& g : games) {
          if (g.date == d && !g.postponed) on_day.push_back(&g);
        }
        if (on_day.size() < 2) continue;
        partial_dates.insert(d);
        size_t keep = rng.UniformInt(1, static_cast<int>(on_day.size()) - 1);
        for (size_t k = 0; k < keep; ++k) {
          size_t pick = rng.UniformInt(static_cast<int>(k), static_cast<int>(on_day.size()) - 1);
          std::swap(on_day[k], on_day[pick]);
          partial_games.insert(on_day[k]->nba_id);
        }
      }
    }

    // Simulate in date order.
    std::map<Date, std::vector<Game*>> by_date;
    for (Game& g : games) {
      if (!g.postponed) by_date[g.date].push_back(&g);
    }
    for (auto& [day, list] : by_date) {
      if (day > end_ && next_slate_done_) break;
      const bool full = covered.count(day) && !partial_dates.count(day);
      ProcessDate(day, list, full, partial_dates.count(day) ? &partial_games : nullptr);
    }
    if (diag_ != nullptr) {
      for (const Member& m : members_) {
        diag_->tier[std::to_string(season) + "|" + players_[m.player].lookup] = TierName(m.tier);
      }
    }
    if (end_ >= spec.regular_end) RunPostseason(season, spec);
  }

  // Rows sorted by key (§5.1).
  std::sort(out->schedule.begin(), out->schedule.end(),
            [](const ScheduleGame& a, const ScheduleGame& b) { return a.game_id < b.game_id; });
  std::sort(out->player_games.begin(), out->player_games.end(), [](const PlayerGame& a, const PlayerGame& b) {
    return a.player_lookup != b.player_lookup ? a.player_lookup < b.player_lookup : a.game_id < b.game_id;
  });
  std::sort(out->team_defense.begin(), out->team_defense.end(), [](const TeamDefenseGame& a, const TeamDefenseGame& b) {
    return a.defending_team_abbr != b.defending_team_abbr ? a.defending_team_abbr < b.defending_team_abbr
                                                          : a.game_id < b.game_id;
  });
  std::sort(out->team_offense.begin(), out->team_offense.end(), [](const TeamOffenseGame& a, const TeamOffenseGame& b) {
    return a.team_abbr != b.team_abbr ? a.team_abbr < b.team_abbr : a.game_id < b.game_id;
  });
  std::sort(out->upcoming_player.begin(), out->upcoming_player.end(),
            [](const UpcomingPlayerContext& a, const UpcomingPlayerContext& b) {
              return a.player_lookup != b.player_lookup ? a.player_lookup < b.player_lookup : a.game_id < b.game_id;
            });
  std::sort(out->upcoming_team.begin(), out->upcoming_team.end(),
            [](const UpcomingTeamContext& a, const UpcomingTeamContext& b) {
              return a.team_abbr != b.team_abbr ? a.team_abbr < b.team_abbr : a.game_id < b.game_id;
            });
  return Status::Ok();
}

}  // namespace

Result<DemoData> GenerateDemoData(const DemoOptions& options, DemoDiagnostics* diagnostics) {
  DemoData data;
  if (diagnostics != nullptr) *diagnostics = DemoDiagnostics();
  Generator generator(options, diagnostics);
  Status status = generator.Run(&data);
  if (!status.ok()) return status;
  if (diagnostics != nullptr) std::sort(diagnostics->context_dates.begin(), diagnostics->context_dates.end());
  return data;
}

}  // namespace nbapc::demo
