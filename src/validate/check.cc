#include "validate/check.h"

#include <fmt/format.h>

namespace nbapc::validate {

const char* CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "fail";
  }
  return "pass";
}

nlohmann::ordered_json Check::ToJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
  };
  out["id"] = id;
  out["name"] = name;
  out["processor"] = text_or_null(processor);
  out["table"] = text_or_null(table);
  out["field"] = text_or_null(field);
  out["season_year"] = season_year ? nlohmann::ordered_json(*season_year) : nlohmann::ordered_json(nullptr);
  out["status"] = CheckStatusName(status);
  out["value"] = value;
  out["threshold"] = threshold;
  out["message"] = message;
  return out;
}

std::string Check::Line() const {
  std::string subject = !processor.empty() ? processor : table;
  if (!field.empty()) subject += (subject.empty() ? "" : ".") + field;
  if (season_year) subject += fmt::format(" season {}", *season_year);
  std::string tag = status == CheckStatus::kFail ? "FAIL" : status == CheckStatus::kWarn ? "WARN" : "PASS";
  return subject.empty() ? fmt::format("{} {}: {}", tag, id, message)
                         : fmt::format("{} {} {}: {}", tag, id, subject, message);
}

int CountStatus(const std::vector<Check>& checks, CheckStatus status) {
  int count = 0;
  for (const Check& check : checks) count += check.status == status ? 1 : 0;
  return count;
}

std::string DateList(const std::vector<std::string>& dates, size_t limit) {
  std::string text;
  for (size_t idx = 0; idx < dates.size() && idx < limit; ++idx) text += (idx ? ", " : "") + dates[idx];
  if (dates.size() > limit) text += fmt::format(" ... and {} more", dates.size() - limit);
  return text;
}

}  // namespace nbapc::validate
