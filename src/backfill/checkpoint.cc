#include "backfill/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/hash.h"

namespace nbapc::backfill {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

ojson DateList(const std::set<Date>& dates) {
  ojson list = ojson::array();
  for (Date date : dates) list.push_back(date.ToString());
  return list;
}

Result<std::set<Date>> ParseDateList(const nlohmann::json& value, const char* key) {
  if (!value.is_array()) return Status::InvalidArgument(fmt::format("\"{}\" is not a list of dates", key));
  std::set<Date> out;
  for (const auto& item : value) {
    if (!item.is_string()) return Status::InvalidArgument(fmt::format("\"{}\" holds a non-date", key));
    auto date = Date::Parse(item.get<std::string>());
    if (!date.ok()) return Status::InvalidArgument(fmt::format("\"{}\": {}", key, date.status().message()));
    out.insert(*date);
  }
  return out;
}

Status FsyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return Status::IOError(fmt::format("cannot open {} to sync it", path));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IOError(fmt::format("fsync of {} failed", path));
  return Status::Ok();
}

}  // namespace

void Checkpoint::MarkSuccess(Date date) {
  failed_dates.erase(date);
  failure_reasons.erase(date);
  skipped_dates.erase(date);
  skip_reasons.erase(date);
  successful_dates.insert(date);
}

void Checkpoint::MarkFailed(Date date, const std::string& code, const std::string& message, const std::string& run_id,
                            const std::string& at) {
  successful_dates.erase(date);
  skipped_dates.erase(date);
  skip_reasons.erase(date);
  failed_dates.insert(date);
  FailureReason& reason = failure_reasons[date];
  reason.code = code;
  reason.message = message;
  reason.attempts += 1;
  reason.run_id = run_id;
  reason.at = at;
}

void Checkpoint::MarkSkipped(Date date, const std::string& reason) {
  successful_dates.erase(date);
  failed_dates.erase(date);
  failure_reasons.erase(date);
  skipped_dates.insert(date);
  skip_reasons[date] = reason;
}

void Checkpoint::Forget(Date date) {
  successful_dates.erase(date);
  skipped_dates.erase(date);
  skip_reasons.erase(date);
}

std::string Checkpoint::ToJson() const {
  ojson j = ojson::object();
  j["format_version"] = kCheckpointFormatVersion;
  j["job_name"] = job_name;
  j["warehouse"] = warehouse;
  j["warehouse_instance_id"] = warehouse_instance_id;
  j["start_date"] = start_date.ToString();
  j["end_date"] = end_date.ToString();
  j["created_at"] = created_at;
  j["last_updated"] = last_updated;
  j["last_run_id"] = last_run_id;
  j["engine_version"] = engine_version;
  j["last_successful_date"] = successful_dates.empty() ? ojson(nullptr) : ojson(successful_dates.rbegin()->ToString());
  j["successful_dates"] = DateList(successful_dates);
  j["failed_dates"] = DateList(failed_dates);
  j["skipped_dates"] = DateList(skipped_dates);
  ojson failures = ojson::object();
  for (const auto& [date, reason] : failure_reasons) {
    failures[date.ToString()] = ojson{{"code", reason.code}, {"message", reason.message}, {"attempts", reason.attempts},
                                      {"run_id", reason.run_id}, {"at", reason.at}};
  }
  j["failure_reasons"] = failures;
  ojson skips = ojson::object();
  for (const auto& [date, reason] : skip_reasons) skips[date.ToString()] = reason;
  j["skip_reasons"] = skips;
  int done = processed();
  j["stats"] = ojson{{"total_dates", total_dates},
                     {"processed", done},
                     {"successful", successful_dates.size()},
                     {"failed", failed_dates.size()},
                     {"skipped", skipped_dates.size()},
                     {"pending", std::max(0, total_dates - done)}};
  return j.dump(2) + "\n";
}

Result<Checkpoint> Checkpoint::FromJson(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into a line number for the message.
    size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(std::min(e.byte, text.size())), '\n'));
    return Status::InvalidArgument(fmt::format("line {}: {}", line, e.what()));
  }
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  for (const char* key : {"format_version", "job_name", "warehouse", "warehouse_instance_id", "start_date", "end_date",
                          "created_at", "last_updated", "last_run_id", "engine_version", "successful_dates",
                          "failed_dates", "skipped_dates", "failure_reasons", "skip_reasons", "stats"}) {
    if (!j.contains(key)) return Status::InvalidArgument(fmt::format("missing key \"{}\"", key));
  }
  if (!j["format_version"].is_number_integer()) return Status::InvalidArgument("format_version is not an integer");
  int version = j["format_version"].get<int>();
  if (version > kCheckpointFormatVersion) {
    return Status::FailedPrecondition(
        fmt::format("checkpoint format {} is newer than this engine supports ({})", version, kCheckpointFormatVersion));
  }
  Checkpoint cp;
  try {
    cp.job_name = j["job_name"].get<std::string>();
    cp.warehouse = j["warehouse"].get<std::string>();
    cp.warehouse_instance_id = j["warehouse_instance_id"].get<std::string>();
    auto start = Date::Parse(j["start_date"].get<std::string>());
    auto end = Date::Parse(j["end_date"].get<std::string>());
    if (!start.ok() || !end.ok()) return Status::InvalidArgument("start_date/end_date are not dates");
    cp.start_date = *start;
    cp.end_date = *end;
    cp.created_at = j["created_at"].get<std::string>();
    cp.last_updated = j["last_updated"].get<std::string>();
    cp.last_run_id = j["last_run_id"].get<std::string>();
    cp.engine_version = j["engine_version"].get<std::string>();
    NBAPC_ASSIGN_OR_RETURN(cp.successful_dates, ParseDateList(j["successful_dates"], "successful_dates"));
    NBAPC_ASSIGN_OR_RETURN(cp.failed_dates, ParseDateList(j["failed_dates"], "failed_dates"));
    NBAPC_ASSIGN_OR_RETURN(cp.skipped_dates, ParseDateList(j["skipped_dates"], "skipped_dates"));
    for (const auto& [key, value] : j["failure_reasons"].items()) {
      auto date = Date::Parse(key);
      if (!date.ok()) return Status::InvalidArgument("failure_reasons has a non-date key");
      FailureReason reason;
      reason.code = value.at("code").get<std::string>();
      reason.message = value.at("message").get<std::string>();
      reason.attempts = value.at("attempts").get<int>();
      reason.run_id = value.at("run_id").get<std::string>();
      reason.at = value.at("at").get<std::string>();
      cp.failure_reasons[*date] = reason;
    }
    for (const auto& [key, value] : j["skip_reasons"].items()) {
      auto date = Date::Parse(key);
      if (!date.ok()) return Status::InvalidArgument("skip_reasons has a non-date key");
      cp.skip_reasons[*date] = value.get<std::string>();
    }
    cp.total_dates = j["stats"].at("total_dates").get<int>();
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(fmt::format("wrong type: {}", e.what()));
  }
  for (Date date : cp.successful_dates) {
    if (cp.failed_dates.count(date) || cp.skipped_dates.count(date)) {
      return Status::InvalidArgument(fmt::format("{} is in two date lists", date.ToString()));
    }
  }
  for (Date date : cp.failed_dates) {
    if (cp.skipped_dates.count(date)) return Status::InvalidArgument(fmt::format("{} is in two date lists", date.ToString()));
  }
  return cp;
}

std::string WarehouseKey(const std::string& warehouse_url) {
  std::string name = warehouse_url;
  if (name.rfind("sqlite:", 0) == 0) name = name.substr(7);
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  name = fs::path(name).filename().string();
  if (name.empty()) name = "warehouse";
  return fmt::format("{}-{}", name, Sha256Hex(warehouse_url).substr(0, 8));
}

std::string DefaultCheckpointDir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("BACKFILL_CHECKPOINT_DIR"); env && *env) return env;
  std::string state;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
    state = xdg;
  } else {
    const char* home = std::getenv("HOME");
    state = std::string(home ? home : ".") + "/.local/state";
  }
  return state + "/nba-precompute/checkpoints";
}

std::string CheckpointPath(const std::string& checkpoint_dir, const std::string& warehouse_url, const std::string& job,
                           Date start, Date end) {
  return fmt::format("{}/{}/{}_{}_{}.json", checkpoint_dir, WarehouseKey(warehouse_url), job, start.ToString(),
                     end.ToString());
}

Status WriteFileAtomically(const std::string& path, const std::string& content, bool sync) {
  fs::path target(path);
  std::error_code ec;
  fs::path dir = target.parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Status::IOError(fmt::format("cannot write {}", tmp));
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) {
      ::close(fd);
      return Status::IOError(fmt::format("write to {} failed", tmp));
    }
    written += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) {
    ::close(fd);
    return Status::IOError(fmt::format("fsync of {} failed", tmp));
  }
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::IOError(fmt::format("cannot rename {} to {}", tmp, path));
  return sync ? FsyncPath(dir.empty() ? "." : dir.string(), true) : Status::Ok();
}

Result<std::optional<Checkpoint>> LoadCheckpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<Checkpoint>();
  std::stringstream buf;
  buf << in.rdbuf();
  auto cp = Checkpoint::FromJson(buf.str());
  if (!cp.ok()) {
    if (cp.status().code() == StatusCode::kFailedPrecondition) return cp.status();
    return Status::InvalidArgument(fmt::format(
        "checkpoint {} is unreadable ({}); fix or remove it, or rerun with --no-resume", path, cp.status().message()));
  }
  return std::optional<Checkpoint>(std::move(*cp));
}

}  // namespace nbapc::backfill
