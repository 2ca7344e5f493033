#pragma once
// The leveled logger (spec/backfill.md §15): "<timestamp> <LEVEL> <message>"
// on stderr and optionally appended to a log file. Thread-safe. Reports meant
// for stdout never go through here.

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace nbapc {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses debug|info|warn|error.
bool ParseLogLevel(std::string_view text, LogLevel* out);

class Logger {
 public:
  static Logger& Get();

  void SetLevel(LogLevel level) { level_ = level; }
  LogLevel level() const { return level_; }
  // Appends to PATH as well as stderr; returns false when it cannot be opened.
  bool SetFile(const std::string& path);
  // Called before/after each line so a progress bar can clear and redraw.
  void SetLineHooks(std::function<void()> before, std::function<void()> after);

  void Log(LogLevel level, std::string_view message);

 private:
  Logger() = default;
  std::mutex mutex_;
  LogLevel level_ = LogLevel::kInfo;
  std::FILE* file_ = nullptr;
  std::function<void()> before_;
  std::function<void()> after_;
};

template <typename... Args>
void LogInfo(fmt::format_string<Args...> f, Args&&... args) {
  Logger::Get().Log(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogWarn(fmt::format_string<Args...> f, Args&&... args) {
  Logger::Get().Log(LogLevel::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogError(fmt::format_string<Args...> f, Args&&... args) {
  Logger::Get().Log(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogDebug(fmt::format_string<Args...> f, Args&&... args) {
  Logger::Get().Log(LogLevel::kDebug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace nbapc
