#include "testing/vectors.h"

#include <fstream>
#include <stdexcept>

namespace nbapc::testing {

std::string SourceDir() { return NBAPC_SOURCE_DIR; }

std::vector<nlohmann::json> LoadVectors(const std::string& file, const std::string& function) {
  std::string path = SourceDir() + "/tests/vectors/" + file + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  nlohmann::json all = nlohmann::json::parse(in);
  std::vector<nlohmann::json> out;
  for (const auto& vec : all) {
    if (vec.value("function", "") == function) out.push_back(vec);
  }
  return out;
}

std::optional<double> OptDouble(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<double>();
}

std::optional<int64_t> OptInt(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<std::string> OptString(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<bool> OptBool(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return it->get<bool>();
}

Date JsonDate(const nlohmann::json& value) {
  auto date = Date::Parse(value.get<std::string>());
  if (!date.ok()) throw std::runtime_error(date.status().message());
  return *date;
}

}  // namespace nbapc::testing
