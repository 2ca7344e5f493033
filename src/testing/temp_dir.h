#pragma once
// A temporary directory removed when the object goes out of scope (tests).

#include <filesystem>
#include <string>

namespace nbapc::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path/name
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to path/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace nbapc::testing

#include <memory>

#include "store/warehouse.h"

namespace nbapc::testing {

// Creates a fresh SQLite warehouse in `dir`/wh (every table created);
// nullptr (with a test failure recorded) when it cannot.
std::unique_ptr<store::Warehouse> CreateWarehouse(const TempDir& dir);

}  // namespace nbapc::testing
