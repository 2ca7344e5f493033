#include "store/phase3_rows.h"

#include <functional>
#include <map>
#include <string>

#include <fmt/format.h>

namespace nbapc::store {
namespace {

// One column of a typed row: how to read it into a cell and back.
template <typename S>
struct FieldCodec {
  std::function<Value(const S&)> get;
  std::function<bool(S&, const Value&)> set;  // false = cell has the wrong type
};

template <typename S>
FieldCodec<S> F(std::string S::*member) {
  return {[member](const S& s) { return Value{s.*member}; },
          [member](S& s, const Value& v) {
            if (const auto* str = std::get_if<std::string>(&v)) {
              s.*member = *str;
              return true;
            }
            return false;
          }};
}
template <typename S>
FieldCodec<S> F(std::optional<std::string> S::*member) {
  return {[member](const S& s) { return OptionalValue(s.*member); },
          [member](S& s, const Value& v) {
            if (IsNull(v)) { (s.*member).reset(); return true; }
            if (const auto* str = std::get_if<std::string>(&v)) { s.*member = *str; return true; }
            return false;
          }};
}
template <typename S>
FieldCodec<S> F(Date S::*member) {
  return {[member](const S& s) { return Value{(s.*member).ToString()}; },
          [member](S& s, const Value& v) {
            const auto* str = std::get_if<std::string>(&v);
            if (!str) return false;
            auto date = Date::Parse(*str);
            if (!date.ok()) return false;
            s.*member = *date;
            return true;
          }};
}
template <typename S>
FieldCodec<S> F(int S::*member) {
  return {[member](const S& s) { return Value{static_cast<int64_t>(s.*member)}; },
          [member](S& s, const Value& v) {
            if (const auto* i = std::get_if<int64_t>(&v)) { s.*member = static_cast<int>(*i); return true; }
            return false;
          }};
}
bool CellToBool(const Value& v, bool* out) {
  if (const auto* b = std::get_if<bool>(&v)) { *out = *b; return true; }
  if (const auto* i = std::get_if<int64_t>(&v)) { *out = *i != 0; return true; }
  return false;
}
template <typename S>
FieldCodec<S> F(bool S::*member) {
  return {[member](const S& s) { return Value{s.*member}; },
          [member](S& s, const Value& v) { return CellToBool(v, &(s.*member)); }};
}
template <typename S>
FieldCodec<S> F(std::optional<bool> S::*member) {
  return {[member](const S& s) { return OptionalValue(s.*member); },
          [member](S& s, const Value& v) {
            if (IsNull(v)) { (s.*member).reset(); return true; }
            bool b = false;
            if (!CellToBool(v, &b)) return false;
            s.*member = b;
            return true;
          }};
}
template <typename S>
FieldCodec<S> F(std::optional<int64_t> S::*member) {
  return {[member](const S& s) { return OptionalValue(s.*member); },
          [member](S& s, const Value& v) {
            if (IsNull(v)) { (s.*member).reset(); return true; }
            if (const auto* i = std::get_if<int64_t>(&v)) { s.*member = *i; return true; }
            return false;
          }};
}
template <typename S>
FieldCodec<S> F(std::optional<double> S::*member) {
  return {[member](const S& s) { return OptionalValue(s.*member); },
          [member](S& s, const Value& v) {
            if (IsNull(v)) { (s.*member).reset(); return true; }
            if (const auto* d = std::get_if<double>(&v)) { s.*member = *d; return true; }
            if (const auto* i = std::get_if<int64_t>(&v)) { s.*member = static_cast<double>(*i); return true; }
            return false;
          }};
}
template <typename S>
FieldCodec<S> F(GameType S::*member) {
  return {[member](const S& s) { return Value{std::string(GameTypeName(s.*member))}; },
          [member](S& s, const Value& v) {
            const auto* str = std::get_if<std::string>(&v);
            if (!str) return false;
            auto type = ParseGameType(*str);
            if (!type) return false;
            s.*member = *type;
            return true;
          }};
}
template <typename S>
FieldCodec<S> F(GameStatus S::*member) {
  return {[member](const S& s) { return Value{std::string(GameStatusName(s.*member))}; },
          [member](S& s, const Value& v) {
            const auto* str = std::get_if<std::string>(&v);
            if (!str) return false;
            auto status = ParseGameStatus(*str);
            if (!status) return false;
            s.*member = *status;
            return true;
          }};
}

// The codec of a struct: one FieldCodec per catalog column, in column order.
template <typename S>
class Codec {
 public:
  Codec(const TableDef& table, std::map<std::string, FieldCodec<S>> fields) : table_(table) {
    for (const ColumnDef& col : table.columns) {
      auto it = fields.find(col.name);
      if (it == fields.end()) throw std::logic_error("no field for column " + col.name);
      columns_.push_back(it->second);
    }
  }
  Row ToRow(const S& s) const {
    Row row;
    row.reserve(columns_.size());
    for (const auto& field : columns_) row.push_back(field.get(s));
    return row;
  }
  Status FromRow(const Row& row, S* out) const {
    if (row.size() != columns_.size()) {
      return Status::Corruption(fmt::format("{}: expected {} columns, got {}", table_.FullName(), columns_.size(),
                                            row.size()));
    }
    for (size_t idx = 0; idx < columns_.size(); ++idx) {
      if (!columns_[idx].set(*out, row[idx])) {
        return Status::Corruption(
            fmt::format("{}: column {} holds an unexpected value", table_.FullName(), table_.columns[idx].name));
      }
    }
    return Status::Ok();
  }

 private:
  const TableDef& table_;
  std::vector<FieldCodec<S>> columns_;
};

const Codec<ScheduleGame>& ScheduleCodec() {
  using S = ScheduleGame;
  static const Codec<S> codec(ScheduleTable(), {{"game_id", F(&S::game_id)},
                                                {"game_date", F(&S::game_date)},
                                                {"season_year", F(&S::season_year)},
                                                {"home_team_abbr", F(&S::home_team_abbr)},
                                                {"away_team_abbr", F(&S::away_team_abbr)},
                                                {"game_type", F(&S::game_type)},
                                                {"game_status", F(&S::game_status)}});
  return codec;
}

const Codec<PlayerGame>& PlayerGameCodec() {
  using S = PlayerGame;
  static const Codec<S> codec(
      PlayerGameTable(),
      {{"player_lookup", F(&S::player_lookup)}, {"game_id", F(&S::game_id)},
       {"game_date", F(&S::game_date)}, {"season_year", F(&S::season_year)},
       {"universal_player_id", F(&S::universal_player_id)}, {"team_abbr", F(&S::team_abbr)},
       {"opponent_team_abbr", F(&S::opponent_team_abbr)}, {"is_active", F(&S::is_active)},
       {"minutes_played", F(&S::minutes_played)}, {"points", F(&S::points)},
       {"fg_attempts", F(&S::fg_attempts)}, {"fg_makes", F(&S::fg_makes)},
       {"three_pt_attempts", F(&S::three_pt_attempts)}, {"three_pt_makes", F(&S::three_pt_makes)},
       {"ft_makes", F(&S::ft_makes)}, {"paint_attempts", F(&S::paint_attempts)},
       {"paint_makes", F(&S::paint_makes)}, {"mid_range_attempts", F(&S::mid_range_attempts)},
       {"mid_range_makes", F(&S::mid_range_makes)}, {"assisted_fg_makes", F(&S::assisted_fg_makes)},
       {"unassisted_fg_makes", F(&S::unassisted_fg_makes)}, {"usage_rate", F(&S::usage_rate)},
       {"ts_pct", F(&S::ts_pct)}});
  return codec;
}

const Codec<TeamDefenseGame>& TeamDefenseCodec() {
  using S = TeamDefenseGame;
  static const Codec<S> codec(
      TeamDefenseTable(),
      {{"game_id", F(&S::game_id)}, {"game_date", F(&S::game_date)}, {"season_year", F(&S::season_year)},
       {"defending_team_abbr", F(&S::defending_team_abbr)}, {"opponent_team_abbr", F(&S::opponent_team_abbr)},
       {"points_allowed", F(&S::points_allowed)}, {"opp_paint_attempts", F(&S::opp_paint_attempts)},
       {"opp_paint_makes", F(&S::opp_paint_makes)}, {"opp_mid_range_attempts", F(&S::opp_mid_range_attempts)},
       {"opp_mid_range_makes", F(&S::opp_mid_range_makes)}, {"opp_three_pt_attempts", F(&S::opp_three_pt_attempts)},
       {"opp_three_pt_makes", F(&S::opp_three_pt_makes)},
       {"points_in_paint_allowed", F(&S::points_in_paint_allowed)}, {"blocks_paint", F(&S::blocks_paint)},
       {"blocks_mid_range", F(&S::blocks_mid_range)}, {"blocks_three_pt", F(&S::blocks_three_pt)},
       {"defensive_rating", F(&S::defensive_rating)}, {"opponent_pace", F(&S::opponent_pace)}});
  return codec;
}

const Codec<TeamOffenseGame>& TeamOffenseCodec() {
  using S = TeamOffenseGame;
  static const Codec<S> codec(TeamOffenseTable(),
                              {{"game_id", F(&S::game_id)},
                               {"game_date", F(&S::game_date)},
                               {"season_year", F(&S::season_year)},
                               {"team_abbr", F(&S::team_abbr)},
                               {"opponent_team_abbr", F(&S::opponent_team_abbr)},
                               {"win_flag", F(&S::win_flag)},
                               {"pace", F(&S::pace)},
                               {"offensive_rating", F(&S::offensive_rating)}});
  return codec;
}

const Codec<UpcomingPlayerContext>& UpcomingPlayerCodec() {
  using S = UpcomingPlayerContext;
  static const Codec<S> codec(
      UpcomingPlayerTable(),
      {{"player_lookup", F(&S::player_lookup)}, {"game_id", F(&S::game_id)}, {"game_date", F(&S::game_date)},
       {"universal_player_id", F(&S::universal_player_id)}, {"team_abbr", F(&S::team_abbr)},
       {"opponent_team_abbr", F(&S::opponent_team_abbr)}, {"home_game", F(&S::home_game)},
       {"days_rest", F(&S::days_rest)}, {"back_to_back", F(&S::back_to_back)},
       {"games_in_last_7_days", F(&S::games_in_last_7_days)}, {"games_in_last_14_days", F(&S::games_in_last_14_days)},
       {"minutes_in_last_7_days", F(&S::minutes_in_last_7_days)},
       {"minutes_in_last_14_days", F(&S::minutes_in_last_14_days)},
       {"avg_minutes_per_game_last_7", F(&S::avg_minutes_per_game_last_7)},
       {"back_to_backs_last_14_days", F(&S::back_to_backs_last_14_days)},
       {"fourth_quarter_minutes_last_7", F(&S::fourth_quarter_minutes_last_7)}, {"player_age", F(&S::player_age)},
       {"projected_usage_rate", F(&S::projected_usage_rate)},
       {"avg_usage_rate_last_7_games", F(&S::avg_usage_rate_last_7_games)},
       {"star_teammates_out", F(&S::star_teammates_out)}, {"pace_differential", F(&S::pace_differential)},
       {"season_phase", F(&S::season_phase)}, {"player_status", F(&S::player_status)}});
  return codec;
}

const Codec<UpcomingTeamContext>& UpcomingTeamCodec() {
  using S = UpcomingTeamContext;
  static const Codec<S> codec(UpcomingTeamTable(),
                              {{"team_abbr", F(&S::team_abbr)},
                               {"game_id", F(&S::game_id)},
                               {"game_date", F(&S::game_date)},
                               {"season_year", F(&S::season_year)},
                               {"opponent_team_abbr", F(&S::opponent_team_abbr)},
                               {"game_spread", F(&S::game_spread)},
                               {"game_total", F(&S::game_total)}});
  return codec;
}

const TableDef& Table(const char* name) {
  const TableDef* table = FindTable(name);
  if (!table) throw std::logic_error(std::string("no table ") + name);
  return *table;
}

template <typename T>
const Codec<T>& CodecFor();
template <> const Codec<ScheduleGame>& CodecFor() { return ScheduleCodec(); }
template <> const Codec<PlayerGame>& CodecFor() { return PlayerGameCodec(); }
template <> const Codec<TeamDefenseGame>& CodecFor() { return TeamDefenseCodec(); }
template <> const Codec<TeamOffenseGame>& CodecFor() { return TeamOffenseCodec(); }
template <> const Codec<UpcomingPlayerContext>& CodecFor() { return UpcomingPlayerCodec(); }
template <> const Codec<UpcomingTeamContext>& CodecFor() { return UpcomingTeamCodec(); }

}  // namespace

const TableDef& ScheduleTable() { return Table("nba_raw.nbac_schedule"); }
const TableDef& PlayerGameTable() { return Table("nba_analytics.player_game_summary"); }
const TableDef& TeamDefenseTable() { return Table("nba_analytics.team_defense_game_summary"); }
const TableDef& TeamOffenseTable() { return Table("nba_analytics.team_offense_game_summary"); }
const TableDef& UpcomingPlayerTable() { return Table("nba_analytics.upcoming_player_game_context"); }
const TableDef& UpcomingTeamTable() { return Table("nba_analytics.upcoming_team_game_context"); }

Row ToRow(const ScheduleGame& v) { return ScheduleCodec().ToRow(v); }
Row ToRow(const PlayerGame& v) { return PlayerGameCodec().ToRow(v); }
Row ToRow(const TeamDefenseGame& v) { return TeamDefenseCodec().ToRow(v); }
Row ToRow(const TeamOffenseGame& v) { return TeamOffenseCodec().ToRow(v); }
Row ToRow(const UpcomingPlayerContext& v) { return UpcomingPlayerCodec().ToRow(v); }
Row ToRow(const UpcomingTeamContext& v) { return UpcomingTeamCodec().ToRow(v); }

Status FromRow(const Row& row, ScheduleGame* out) { return ScheduleCodec().FromRow(row, out); }
Status FromRow(const Row& row, PlayerGame* out) { return PlayerGameCodec().FromRow(row, out); }
Status FromRow(const Row& row, TeamDefenseGame* out) { return TeamDefenseCodec().FromRow(row, out); }
Status FromRow(const Row& row, TeamOffenseGame* out) { return TeamOffenseCodec().FromRow(row, out); }
Status FromRow(const Row& row, UpcomingPlayerContext* out) { return UpcomingPlayerCodec().FromRow(row, out); }
Status FromRow(const Row& row, UpcomingTeamContext* out) { return UpcomingTeamCodec().FromRow(row, out); }

template <typename T>
Status LoadTableWhere(Warehouse& warehouse, const TableDef& table, std::string_view where,
                      const std::vector<Value>& params, std::vector<T>* out) {
  const Codec<T>& codec = CodecFor<T>();
  const std::string sql = where.empty() ? SelectAllSql(table, false) : SelectWhereSql(table, where);
  return warehouse.QueryEach(sql, params, [&](const Row& row) {
    T item;
    NBAPC_RETURN_IF_ERROR(codec.FromRow(row, &item));
    out->push_back(std::move(item));
    return Status::Ok();
  });
}

template <typename T>
Result<std::vector<T>> LoadTable(Warehouse& warehouse, const TableDef& table, std::optional<Date> from,
                                 std::optional<Date> to) {
  std::vector<T> out;
  if (!from && !to) {
    NBAPC_RETURN_IF_ERROR(LoadTableWhere(warehouse, table, "", {}, &out));
    return out;
  }
  std::vector<Value> params = {Value{(from ? *from : Date::FromYmd(1900, 1, 1).value()).ToString()},
                               Value{(to ? *to : Date::FromYmd(2999, 12, 31).value()).ToString()}};
  NBAPC_RETURN_IF_ERROR(LoadTableWhere(
      warehouse, table, fmt::format("\"{0}\" >= ?1 AND \"{0}\" <= ?2", table.date_column), params, &out));
  return out;
}

template Status LoadTableWhere(Warehouse&, const TableDef&, std::string_view, const std::vector<Value>&,
                               std::vector<UpcomingPlayerContext>*);
template Result<std::vector<ScheduleGame>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                     std::optional<Date>);
template Result<std::vector<PlayerGame>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                   std::optional<Date>);
template Result<std::vector<TeamDefenseGame>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                        std::optional<Date>);
template Result<std::vector<TeamOffenseGame>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                        std::optional<Date>);
template Result<std::vector<UpcomingPlayerContext>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                              std::optional<Date>);
template Result<std::vector<UpcomingTeamContext>> LoadTable(Warehouse&, const TableDef&, std::optional<Date>,
                                                            std::optional<Date>);

}  // namespace nbapc::store
