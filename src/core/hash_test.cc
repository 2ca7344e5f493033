#include "core/hash.h"

#include <gtest/gtest.h>

#include "testing/vectors.h"

namespace nbapc {
namespace {

Value JsonToValue(const nlohmann::json& j) {
  if (j.is_null()) return Value{};
  if (j.is_boolean()) return Value{j.get<bool>()};
  if (j.is_number_integer()) return Value{j.get<int64_t>()};
  if (j.is_number_float()) return Value{j.get<double>()};
  return Value{j.get<std::string>()};
}

std::string JsonFieldText(const nlohmann::json& j) {
  if (j.is_array()) {
    std::vector<Value> items;
    for (const auto& item : j) items.push_back(JsonToValue(item));
    return PyListText(items);
  }
  return HashFieldText(JsonToValue(j));
}

TEST(Sha256Test, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashFieldTextTest, Forms) {
  EXPECT_EQ(HashFieldText(Value{}), "NULL");
  EXPECT_EQ(HashFieldText(Value{true}), "True");
  EXPECT_EQ(HashFieldText(Value{int64_t{15}}), "15");
  EXPECT_EQ(HashFieldText(Value{35.0}), "35.0");
  EXPECT_EQ(HashFieldText(Value{std::string("  paint ")}), "paint");
  EXPECT_EQ(PyListText({Value{std::string("phase4")}, Value{std::string("default")}}), "['phase4', 'default']");
  EXPECT_EQ(PyListText({}), "[]");
}

class DataHashVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(DataHashVectors, CanonicalStringAndHash) {
  auto vectors = testing::LoadVectors(GetParam(), "data_hash");
  ASSERT_FALSE(vectors.empty());
  for (const auto& vec : vectors) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& [name, value] : vec["inputs"]["fields"].items()) fields.emplace_back(name, JsonFieldText(value));
    EXPECT_EQ(CanonicalHashString(fields), vec["expected"]["canonical_string"].get<std::string>()) << vec["name"];
    EXPECT_EQ(DataHash(fields), vec["expected"]["data_hash"].get<std::string>()) << vec["name"];
  }
}

INSTANTIATE_TEST_SUITE_P(AllFiles, DataHashVectors, ::testing::Values("tdza", "psza", "pdc", "pcf", "mlfs"));

}  // namespace
}  // namespace nbapc
