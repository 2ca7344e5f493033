#include "backfill/progress.h"

#include <cstdio>

#include <fmt/format.h>

#include "core/log.h"

namespace nbapc::backfill {

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
  Logger::Get().SetLineHooks([this] { Clear(); }, [this] { Draw(); });
}

ProgressBar::~ProgressBar() {
  if (!enabled_) return;
  Logger::Get().SetLineHooks(nullptr, nullptr);
  Finish();
}

void ProgressBar::Start(const std::string& alias, int total) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  alias_ = alias;
  total_ = total;
  done_ = ok_ = skipped_ = failed_ = 0;
  current_date_.clear();
  started_ = std::chrono::steady_clock::now();
  last_draw_ = started_ - std::chrono::seconds(1);
}

void ProgressBar::Update(int done, int ok, int skipped, int failed, const std::string& current_date) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = done;
  ok_ = ok;
  skipped_ = skipped;
  failed_ = failed;
  current_date_ = current_date;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done_ < total_) return;  // at most 10 redraws a second
  last_draw_ = now;
  visible_ = true;
  Draw();
}

std::string ProgressBar::Render(const std::string& alias, int done, int total, int ok, int skipped, int failed,
                                double dates_per_second, const std::string& current_date) {
  constexpr int kWidth = 20;
  int filled = total == 0 ? kWidth : static_cast<int>(static_cast<int64_t>(done) * kWidth / total);
  std::string bar;
  for (int idx = 0; idx < kWidth; ++idx) bar += idx < filled ? "█" : "░";
  double pct = total == 0 ? 100.0 : 100.0 * done / total;
  int eta = dates_per_second > 0 ? static_cast<int>((total - done) / dates_per_second + 0.5) : 0;
  return fmt::format("{:<4} [{}]  {}/{}  {:.1f}%  ok {}  skip {}  fail {}  {:.0f} dates/s  ETA {}:{:02d}  {}", alias,
                     bar, done, total, pct, ok, skipped, failed, dates_per_second, eta / 60, eta % 60, current_date);
}

// Called with the logger's mutex held (line hooks) or from Finish.
void ProgressBar::Draw() {
  if (!visible_) return;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = seconds > 0 ? done_ / seconds : 0;
  std::string line = Render(alias_, done_, total_, ok_, skipped_, failed_, rate, current_date_);
  std::fprintf(stderr, "\r\x1b[2K%s", line.c_str());
  std::fflush(stderr);
}

void ProgressBar::Clear() {
  if (!visible_) return;
  std::fputs("\r\x1b[2K", stderr);
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (visible_) {
    std::fputs("\r\x1b[2K", stderr);
    std::fflush(stderr);
  }
  visible_ = false;
}

}  // namespace nbapc::backfill
