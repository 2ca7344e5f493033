#include "testing/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace nbapc::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "nbapc-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string full = File(name);
  std::ofstream out(full, std::ios::binary);
  out << content;
  return full;
}

}  // namespace nbapc::testing

#include <gtest/gtest.h>

namespace nbapc::testing {

std::unique_ptr<store::Warehouse> CreateWarehouse(const TempDir& dir) {
  store::WarehouseOptions options;
  options.url = "sqlite:" + dir.path() + "/wh";
  options.create_if_missing = true;
  auto opened = store::OpenWarehouse(options);
  if (!opened.ok()) {
    ADD_FAILURE() << "cannot create a warehouse in " << dir.path() << ": " << opened.status().ToString();
    return nullptr;
  }
  return std::move(opened).value();
}

}  // namespace nbapc::testing
