#pragma once
// The live progress bar (spec/backfill.md §16): one line on stderr, redrawn
// at most 10 times a second, cleared before each log line and redrawn after
// it. Only used when stderr is a terminal (the runner decides).

#include <chrono>
#include <mutex>
#include <string>

namespace nbapc::backfill {

class ProgressBar {
 public:
  // Installs the logger hooks; `enabled` = false makes every call a no-op.
  explicit ProgressBar(bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Start(const std::string& alias, int total);
  void Update(int done, int ok, int skipped, int failed, const std::string& current_date);
  void Finish();

  // The bar text for the given state (tested without a terminal).
  static std::string Render(const std::string& alias, int done, int total, int ok, int skipped, int failed,
                            double dates_per_second, const std::string& current_date);

 private:
  void Draw();
  void Clear();

  bool enabled_;
  std::mutex mutex_;
  bool visible_ = false;
  std::string alias_;
  int total_ = 0, done_ = 0, ok_ = 0, skipped_ = 0, failed_ = 0;
  std::string current_date_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace nbapc::backfill
