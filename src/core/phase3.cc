#include "core/phase3.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace nbapc {
namespace {

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

const char* GameTypeName(GameType type) {
  switch (type) {
    case GameType::kRegularSeason: return "regular_season";
    case GameType::kPlayIn: return "play_in";
    case GameType::kPlayoff: return "playoff";
    case GameType::kAllStar: return "all_star";
    case GameType::kPreseason: return "preseason";
  }
  return "regular_season";
}

const char* GameStatusName(GameStatus status) {
  switch (status) {
    case GameStatus::kScheduled: return "scheduled";
    case GameStatus::kFinal: return "final";
    case GameStatus::kPostponed: return "postponed";
  }
  return "scheduled";
}

std::optional<GameType> ParseGameType(std::string_view text) {
  // Spellings of inputs.md §2, compared without case, spaces, '-' or '_'.
  std::string key = Lower(text);
  if (key == "regularseason") return GameType::kRegularSeason;
  if (key == "playin") return GameType::kPlayIn;
  if (key == "playoff" || key == "playoffs") return GameType::kPlayoff;
  if (key == "allstar") return GameType::kAllStar;
  if (key == "preseason") return GameType::kPreseason;
  return std::nullopt;
}

std::optional<GameStatus> ParseGameStatus(std::string_view text) {
  std::string key = Lower(text);
  if (key == "final" || key == "3") return GameStatus::kFinal;
  if (key == "scheduled" || key == "1" || key == "2") return GameStatus::kScheduled;
  if (key == "postponed" || key == "ppd") return GameStatus::kPostponed;
  return std::nullopt;
}

}  // namespace nbapc
