#include "core/log.h"

#include "core/date.h"

namespace nbapc {

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  if (text == "debug") *out = LogLevel::kDebug;
  else if (text == "info") *out = LogLevel::kInfo;
  else if (text == "warn" || text == "warning") *out = LogLevel::kWarn;
  else if (text == "error") *out = LogLevel::kError;
  else return false;
  return true;
}

Logger& Logger::Get() {
  static Logger logger;
  return logger;
}

bool Logger::SetFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) return false;
  if (file_) std::fclose(file_);
  file_ = file;
  return true;
}

void Logger::SetLineHooks(std::function<void()> before, std::function<void()> after) {
  std::lock_guard<std::mutex> lock(mutex_);
  before_ = std::move(before);
  after_ = std::move(after);
}

void Logger::Log(LogLevel level, std::string_view message) {
  if (level < level_) return;
  static const char* kNames[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
  std::string line = fmt::format("{} {} {}\n", NowUtcTimestamp(), kNames[static_cast<int>(level)], message);
  std::lock_guard<std::mutex> lock(mutex_);
  if (before_) before_();
  std::fwrite(line.data(), 1, line.size(), stderr);
  if (after_) after_();
  if (file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
}

}  // namespace nbapc
