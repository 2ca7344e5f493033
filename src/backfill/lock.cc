#include "backfill/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/date.h"

namespace nbapc::backfill {
namespace {

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

std::string ReadHolder(int fd) {
  std::string text;
  char buf[1024];
  ::lseek(fd, 0, SEEK_SET);
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) text.append(buf, static_cast<size_t>(n));
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "an unknown process";
  return fmt::format("pid {} on {} since {} ({})", j.value("pid", 0), j.value("host", "?"),
                     j.value("started_at", "?"), j.value("command", "?"));
}

std::string LockPath(const std::string& warehouse_dir, const std::string& name) {
  return warehouse_dir + "/locks/" + name + ".lock";
}

}  // namespace

Status LockSet::Acquire(const std::string& warehouse_dir, const std::string& name, const std::string& command,
                        const std::string& run_id) {
  std::error_code ec;
  std::filesystem::create_directories(warehouse_dir + "/locks", ec);
  std::string path = LockPath(warehouse_dir, name);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(fmt::format("cannot open lock file {}", path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string holder = ReadHolder(fd);
    ::close(fd);
    return Status::FailedPrecondition(holder);
  }
  nlohmann::ordered_json info = {{"pid", static_cast<int64_t>(::getpid())}, {"host", HostName()},
                                 {"started_at", NowUtcTimestamp()}, {"command", command}, {"run_id", run_id}};
  std::string text = info.dump();
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    ::close(fd);
    return Status::IOError(fmt::format("cannot write lock file {}", path));
  }
  fds_.push_back(fd);
  return Status::Ok();
}

Result<bool> LockSet::IsHeld(const std::string& warehouse_dir, const std::string& name, std::string* holder) {
  std::string path = LockPath(warehouse_dir, name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  if (held && holder) *holder = ReadHolder(fd);
  if (!held) ::flock(fd, LOCK_UN);
  ::close(fd);
  return held;
}

Status LockSet::AcquireImport(const std::string& warehouse_dir, const std::string& command) {
  Status status = Acquire(warehouse_dir, "import", command, "");
  if (!status.ok()) {
    if (status.code() != StatusCode::kFailedPrecondition) return status;
    return Status::FailedPrecondition(fmt::format("another run holds the lock for import on {}: {}", warehouse_dir,
                                                  status.message()));
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(warehouse_dir + "/locks", ec)) {
    std::string name = entry.path().stem().string();
    if (entry.path().extension() != ".lock" || name == "import") continue;
    std::string holder;
    auto held = IsHeld(warehouse_dir, name, &holder);
    if (held.ok() && *held) {
      ReleaseAll();
      return Status::FailedPrecondition(
          fmt::format("another run holds the lock for {} on {}: {}", name, warehouse_dir, holder));
    }
  }
  return Status::Ok();
}

void LockSet::ReleaseAll() {
  for (int fd : fds_) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
  }
  fds_.clear();
}

}  // namespace nbapc::backfill
