#include "backfill/runner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backfill/checkpoint.h"
#include "backfill/inputs.h"
#include "backfill/lock.h"
#include "backfill/prepared.h"
#include "backfill/progress.h"
#include "backfill/registry.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/version.h"

namespace nbapc::backfill {
namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::atomic<int> g_signals{0};
std::atomic<int> g_last_signal{0};

void HandleSignal(int sig) {
  g_last_signal = sig;
  if (g_signals.fetch_add(1) >= 1) _exit(130);  // second signal: leave at once
}

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double Round1(double x) { return static_cast<double>(static_cast<int64_t>(x * 10.0 + 0.5)) / 10.0; }

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

std::string SeasonLabel(int season_year) { return fmt::format("{}-{:02d}", season_year, (season_year + 1) % 100); }

// "code: message" -> message (reasons carry their code as a prefix).
std::string StripCode(const std::string& code, const std::string& reason) {
  std::string prefix = code + ": ";
  return reason.rfind(prefix, 0) == 0 ? reason.substr(prefix.size()) : reason;
}

struct Outcome {
  Date date;
  std::string status;  // success / failed / skipped
  std::string code;    // reason code ("" for success)
  std::string message; // human message without the code
  std::string mode;    // historical / upcoming / "" when skipped
  int rows = 0;
  int excluded = 0;
  ojson exclusion_counts = ojson::object();
  ojson stats = ojson::object();
  std::string output_hash;
  int attempts = 1;
  std::string started_at;
  std::string finished_at;
  double duration_ms = 0;
  double write_ms = 0;
  bool history_written = false;  // recorded in the date's write transaction
};

// Everything one processor does in this run.
struct ProcessorJob {
  const ProcessorInfo* info = nullptr;
  int position = 0;  // 1-based in the run
  std::string checkpoint_path;
  std::optional<Checkpoint> checkpoint;
  std::set<Date> pending;  // dates to process this run
  int successful = 0, failed = 0, skipped = 0, skipped_bootstrap = 0, rows = 0;
  std::vector<std::pair<Date, std::string>> failures;  // date, "code: message"
  std::set<Date> succeeded_dates;                       // in this run, for downstream gate 4
  std::set<Date> failed_dates;                          // for downstream gate 3
  std::map<Date, std::string> failed_codes;
  double load_ms = 0, compute_ms = 0, write_ms = 0, wall_ms = 0;
  int outcomes_logged = 0;
};

// Copies committed WAL frames into the database files on a connection of
// its own, in the background, while the run computes and writes: the copy
// (hundreds of MB for a multi-season backfill) then overlaps with the work
// instead of stalling the writer at every durable point and at the end.
// Each pass is a PASSIVE checkpoint with the connection's normal syncing, so
// it never blocks the writer and never weakens what a durable point promises
// (the durable point still checkpoints and syncs on the writer's connection).
class BackgroundCheckpointer {
 public:
  explicit BackgroundCheckpointer(const std::string& url) {
    thread_ = std::thread([this, url] {
      auto connection = store::OpenReadOnlyConnection(url);
      if (!connection.ok()) return;  // the durable points still flush on the writer's connection
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stop_) {
        lock.unlock();
        (void)(*connection)->Flush();
        lock.lock();
        wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_; });
      }
    });
  }
  ~BackgroundCheckpointer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

class Runner {
 public:
  Runner(store::Warehouse& warehouse, const BackfillOptions& options)
      : warehouse_(warehouse),
        options_(options),
        run_id_(NewRunId()),
        host_(HostName()),
        pid_(getpid()),
        progress_(options.progress) {}

  ExitCode Run();

 private:
  bool IsRangeRun() const { return options_.subcommand == "backfill" && options_.dates.empty(); }
  std::string Trigger() const {
    if (options_.subcommand == "run") return "run";
    return options_.dates.empty() ? "backfill_range" : "backfill_dates";
  }
  Status PlanDates();
  void LoadCheckpoints(ProcessorJob& job, ExitCode* exit_code);
  ExitCode PrintStatus();
  ExitCode DryRun();
  // Runs every processor of the run over its pending dates as one pipelined
  // cascade: one task per (processor, date), computed by the workers, written
  // in one order by this thread; a processor's date D computes once its
  // upstreams' date D is written (backfill.md §4 step 7 per date).
  Status ExecuteCascade(InputStore& inputs);
  // Gates 1-4 of §7; nullopt = compute.
  std::optional<Outcome> Gate(const ProcessorJob& job, Date date, const std::map<std::string, std::set<Date>>& present);
  Result<std::map<std::string, std::set<Date>>> UpstreamPresence(const ProcessorJob& job);
  // The date's precompute_failures rows (any thread: reads only constants of the run).
  void AddFailureRows(const ProcessorJob& job, Date date, DateComputation* result) const;
  Status WriteDate(const ProcessorJob& job, Date date, const DateComputation& result, Outcome* outcome);
  // Run history row + phase completion upsert, inside the caller's transaction.
  Status InsertHistory(const ProcessorJob& job, const Outcome& outcome);
  // The same in a transaction of its own (failed and skipped dates).
  Status WriteHistory(const ProcessorJob& job, const Outcome& outcome);
  void RecordOutcome(ProcessorJob& job, const Outcome& outcome);
  void SaveCheckpoint(ProcessorJob& job, bool durable = true);
  // A durable point when due (or forced): flush the warehouse, fsync the checkpoint.
  void DurablePoint(ProcessorJob& job, bool force);
  // The run's last durable point: one warehouse flush for every processor
  // of the run (not one per processor: a nightly run is five processors of
  // one date each), every checkpoint fsync'd, full-sync commits restored.
  void FinalDurablePoint();
  void ApplyToRangeCheckpoints(const ProcessorJob& job, const Outcome& outcome);
  void LogSummary(const ProcessorJob& job);
  // backfill.md §14.3: downstream dates left stale by this run (rerun with --cascade).
  void LogStaleDownstream();
  void WriteRunLog(ExitCode code, double total_ms);
  int DateIndex(Date date) const;

  store::Warehouse& warehouse_;
  const BackfillOptions& options_;
  std::string run_id_;
  std::string host_;
  int pid_;
  std::string started_at_ = NowUtcTimestamp();
  std::unique_ptr<SeasonCalendar> calendar_;
  std::string instance_id_;
  Date start_;
  Date end_;
  std::vector<Date> dates_;        // dates of the run, ascending (game dates, or the --dates list)
  std::set<Date> game_dates_;      // which of them are game dates
  std::vector<ProcessorJob> jobs_;
  LockSet locks_;
  bool interrupted_ = false;
  bool stopped_ = false;  // --stop-on-failure or store unavailable
  int consecutive_store_failures_ = 0;
  double plan_ms_ = 0, preflight_ms_ = 0, load_ms_ = 0;
  int off_days_ = 0;
  Clock::time_point last_durable_ = Clock::now();
  std::vector<ScheduleGame> schedule_;  // read with the calendar, handed to the run's InputStore
  Clock::time_point last_checkpoint_write_ = Clock::now();
  ProgressBar progress_;
};

int Runner::DateIndex(Date date) const {
  auto it = std::lower_bound(dates_.begin(), dates_.end(), date);
  return static_cast<int>(it - dates_.begin()) + 1;
}

Status Runner::PlanDates() {
  auto started = Clock::now();
  if (!options_.dates.empty()) {
    dates_ = options_.dates;
    start_ = dates_.front();
    end_ = dates_.back();
    for (Date date : dates_) {
      if (calendar_->IsGameDate(date)) game_dates_.insert(date);
    }
  } else {
    start_ = *options_.start_date;
    end_ = *options_.end_date;
    GameDatesPlan plan = calendar_->PlanRange(start_, end_);
    dates_ = plan.game_dates;
    game_dates_.insert(dates_.begin(), dates_.end());
    if (!plan.postponed_only_dates.empty()) {
      std::string list;
      for (size_t idx = 0; idx < plan.postponed_only_dates.size() && idx < 10; ++idx) {
        list += (idx ? ", " : "") + plan.postponed_only_dates[idx].ToString();
      }
      LogInfo("Excluded {} postponed-only date{}: {}", plan.postponed_only_dates.size(),
              plan.postponed_only_dates.size() == 1 ? "" : "s", list);
    }
    if (!plan.stale_scheduled_dates.empty()) {
      std::string list;
      for (size_t idx = 0; idx < plan.stale_scheduled_dates.size() && idx < 10; ++idx) {
        list += (idx ? ", " : "") + plan.stale_scheduled_dates[idx].ToString();
      }
      LogWarn("Excluded {} past dates whose games never became final: {}", plan.stale_scheduled_dates.size(), list);
    }
    off_days_ = plan.calendar_days - static_cast<int>(dates_.size());
    LogInfo("Found {} game dates out of {} calendar days (skipping {} off-days)", dates_.size(), plan.calendar_days,
            off_days_);
  }
  // Season-start warnings for the seasons touched (backfill.md §5.1).
  std::set<int> seasons;
  for (Date date : dates_) seasons.insert(SeasonYear(date));
  for (int season : seasons) {
    std::string warning;
    calendar_->SeasonStart(season, &warning);
    if (!warning.empty()) LogWarn("{}", warning);
  }
  plan_ms_ = MsSince(started);
  return Status::Ok();
}

void Runner::LoadCheckpoints(ProcessorJob& job, ExitCode* exit_code) {
  for (Date date : dates_) job.pending.insert(date);
  if (!IsRangeRun()) return;
  job.checkpoint_path = CheckpointPath(options_.checkpoint_dir, warehouse_.url(), job.info->name, start_, end_);
  if (options_.no_resume && std::filesystem::exists(job.checkpoint_path)) {
    if (options_.dry_run) {
      LogInfo("Dry run: would delete checkpoint {} (--no-resume)", job.checkpoint_path);
    } else {
      std::error_code ec;
      std::filesystem::remove(job.checkpoint_path, ec);
      LogInfo("Deleted checkpoint {} (--no-resume)", job.checkpoint_path);
    }
  }
  auto loaded = options_.no_resume ? Result<std::optional<Checkpoint>>(std::optional<Checkpoint>())
                                   : LoadCheckpoint(job.checkpoint_path);
  if (!loaded.ok()) {
    LogError("{}", loaded.status().message());
    *exit_code = ExitCode::kUsage;
    return;
  }
  if (*loaded && (*loaded)->warehouse_instance_id != instance_id_) {
    std::string stale = job.checkpoint_path + ".stale-" + NowUtcTimestamp();
    if (!options_.dry_run) std::rename(job.checkpoint_path.c_str(), stale.c_str());
    LogWarn("checkpoint belongs to another warehouse instance (recreated?); starting fresh ({} renamed to {})",
            job.checkpoint_path, stale);
    loaded = std::optional<Checkpoint>();
  }
  if (!*loaded) {
    if (options_.retry_failed) {
      LogError("--retry-failed: no checkpoint for {} {}..{} ({})", job.info->name, start_.ToString(), end_.ToString(),
               job.checkpoint_path);
      *exit_code = ExitCode::kUsage;
      return;
    }
    Checkpoint cp;
    cp.job_name = job.info->name;
    cp.warehouse = warehouse_.url();
    cp.warehouse_instance_id = instance_id_;
    cp.start_date = start_;
    cp.end_date = end_;
    cp.created_at = NowUtcTimestamp();
    cp.engine_version = kEngineVersion;
    job.checkpoint = std::move(cp);
  } else {
    job.checkpoint = std::move(**loaded);
    Checkpoint& cp = *job.checkpoint;
    // Trust "done" dates only when run history agrees (§9.4).
    std::map<Date, std::string> latest;
    std::vector<Value> params = {Value{job.info->name}, Value{start_.ToString()}, Value{end_.ToString()}};
    Status status = warehouse_.QueryEach(
        "SELECT data_date, status FROM nba_reference.processor_run_latest WHERE processor_name = ?1 "
        "AND data_date BETWEEN ?2 AND ?3",
        params,
        [&](const Row& row) {
          auto date = Date::Parse(std::get<std::string>(row[0]));
          if (date.ok()) latest[*date] = std::get<std::string>(row[1]);
          return Status::Ok();
        },
        nullptr);
    if (status.ok()) {
      std::vector<Date> untrusted;
      for (Date date : cp.successful_dates) {
        if (latest[date] != "success") untrusted.push_back(date);
      }
      for (Date date : cp.skipped_dates) {
        if (latest[date] != "skipped") untrusted.push_back(date);
      }
      for (Date date : untrusted) {
        LogWarn("checkpoint says {} done but the warehouse has no such outcome; it will be processed", date.ToString());
        cp.Forget(date);
      }
    }
    int done = static_cast<int>(cp.successful_dates.size() + cp.skipped_dates.size());
    int pending = 0;
    for (Date date : dates_) {
      if (!cp.IsDone(date) && !cp.failed_dates.count(date)) ++pending;
    }
    LogInfo("RESUMING from checkpoint {}: {} dates done ({} successful, {} skipped); {} failed dates will be retried; {} pending",
            job.checkpoint_path, done, cp.successful_dates.size(), cp.skipped_dates.size(), cp.failed_dates.size(),
            pending);
  }
  Checkpoint& cp = *job.checkpoint;
  cp.total_dates = static_cast<int>(dates_.size());
  for (Date date : dates_) {
    bool process = options_.retry_failed ? cp.failed_dates.count(date) > 0 : !cp.IsDone(date);
    if (!process) job.pending.erase(date);
  }
}

Result<std::map<std::string, std::set<Date>>> Runner::UpstreamPresence(const ProcessorJob& job) {
  std::map<std::string, std::set<Date>> present;
  for (const std::string& upstream : job.info->upstreams) {
    const ProcessorInfo* up = FindProcessor(upstream);
    NBAPC_ASSIGN_OR_RETURN(auto rows, DatesWithRows(warehouse_, up->output_table, start_, end_));
    NBAPC_ASSIGN_OR_RETURN(auto success, DatesWithSuccess(warehouse_, upstream, start_, end_));
    rows.insert(success.begin(), success.end());
    present[upstream] = std::move(rows);
  }
  return present;
}

std::optional<Outcome> Runner::Gate(const ProcessorJob& job, Date date,
                                    const std::map<std::string, std::set<Date>>& present) {
  Outcome outcome;
  outcome.date = date;
  if (!game_dates_.count(date)) {
    outcome.status = "skipped";
    outcome.code = "not_a_game_date";
    outcome.message = fmt::format("{} has no regular-season, play-in or playoff game", date.ToString());
    return outcome;
  }
  if (calendar_->IsBootstrap(date)) {
    int day = calendar_->DayOfSeason(date);
    outcome.status = "skipped";
    outcome.code = "bootstrap";
    outcome.message = fmt::format("day {} of season {}", day, SeasonLabel(SeasonYear(date)));
    return outcome;
  }
  outcome.mode = calendar_->IsHistorical(date) ? "historical" : "upcoming";
  for (const std::string& upstream : job.info->upstreams) {
    for (const ProcessorJob& other : jobs_) {
      if (other.info->name == upstream && other.failed_dates.count(date)) {
        outcome.status = "failed";
        outcome.code = "upstream_failed";
        outcome.message = fmt::format("{} failed for {} in this run ({})", upstream, date.ToString(),
                                      other.failed_codes.at(date));
        return outcome;
      }
    }
  }
  for (const std::string& upstream : job.info->upstreams) {
    auto it = present.find(upstream);
    bool has = it != present.end() && it->second.count(date);
    for (const ProcessorJob& other : jobs_) {
      if (other.info->name == upstream && other.succeeded_dates.count(date)) has = true;
      if (other.info->name == upstream && other.checkpoint && other.checkpoint->successful_dates.count(date)) has = true;
    }
    if (!has) {
      outcome.status = "failed";
      outcome.code = "missing_dependency";
      outcome.message = fmt::format("missing dependency: {} for {}", FindProcessor(upstream)->output_table,
                                    date.ToString());
      return outcome;
    }
  }
  return std::nullopt;
}

void Runner::AddFailureRows(const ProcessorJob& job, Date date, DateComputation* result) const {
  std::string day = date.ToString();
  std::string created = NowUtcTimestamp();
  result->failure_rows.reserve(result->exclusions.size());
  for (const auto& exclusion : result->exclusions) {
    result->failure_rows.push_back(Row{Value{job.info->name}, Value{day}, Value{exclusion.entity_id},
                                       Value{exclusion.failure_category},
                                       Value{exclusion.failure_reason.substr(0, 1000)}, Value{exclusion.can_retry},
                                       Value{run_id_}, Value{created}});
  }
}

Status Runner::WriteDate(const ProcessorJob& job, Date date, const DateComputation& result, Outcome* outcome) {
  const store::TableDef& table = *store::FindTable(job.info->output_table);
  const store::TableDef& failures = *store::FindTable(table.dataset + ".precompute_failures");
  std::string day = date.ToString();
  // §8.4: one transaction deletes the date's rows and inserts the new ones.
  for (int attempt = 1;; ++attempt) {
    auto started = Clock::now();
    Status status = [&]() -> Status {
      store::Transaction txn(warehouse_);
      NBAPC_RETURN_IF_ERROR(txn.Begin());
      Value param{day};
      NBAPC_RETURN_IF_ERROR(warehouse_.Execute(
          fmt::format("DELETE FROM {} WHERE \"{}\" = ?1", table.FullName(), table.date_column),
          std::span<const Value>(&param, 1)));
      std::vector<Value> fparams = {Value{job.info->name}, Value{day}};
      NBAPC_RETURN_IF_ERROR(warehouse_.Execute(
          fmt::format("DELETE FROM {} WHERE processor_name = ?1 AND analysis_date = ?2", failures.FullName()),
          fparams));
      NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(table, result.rows));
      NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(failures, result.failure_rows));
      // Run history and phase completion of the success ride in the same
      // commit (one fewer commit per date; on SQLite each file is atomic).
      Outcome success = *outcome;
      success.status = "success";
      success.rows = static_cast<int>(result.rows.size());
      success.output_hash = result.output_hash;
      success.message = result.detail;
      success.attempts = attempt;
      success.finished_at = NowUtcTimestamp();
      success.duration_ms = outcome->duration_ms + outcome->write_ms + MsSince(started);
      NBAPC_RETURN_IF_ERROR(InsertHistory(job, success));
      NBAPC_RETURN_IF_ERROR(txn.Commit());
      *outcome = std::move(success);
      return Status::Ok();
    }();
    outcome->write_ms += MsSince(started);
    outcome->attempts = attempt;
    if (status.ok()) {
      outcome->history_written = true;
      return status;
    }
    if (status.code() != StatusCode::kUnavailable || attempt > 3) return status;
    int wait_s = 1 << (attempt - 1);
    LogWarn("store busy writing {} [{}] ({}); retry {}/3 in {} s", day, job.info->alias, status.message(), attempt,
            wait_s);
    std::this_thread::sleep_for(std::chrono::seconds(wait_s));
  }
}

Status Runner::InsertHistory(const ProcessorJob& job, const Outcome& outcome) {
  const store::TableDef& history = *store::FindTable("nba_reference.processor_run_history");
  auto nullable = [](const std::string& s) { return s.empty() ? Value{} : Value{s}; };
  Row row = {Value{run_id_},
             Value{job.info->name},
             Value{outcome.date.ToString()},
             Value{static_cast<int64_t>(SeasonYear(outcome.date))},
             Value{outcome.status},
             nullable(outcome.code),
             nullable(outcome.message.substr(0, 1000)),
             nullable(outcome.mode),
             Value{static_cast<int64_t>(outcome.rows)},
             Value{static_cast<int64_t>(outcome.excluded)},
             Value{outcome.exclusion_counts.dump()},
             Value{outcome.stats.dump()},
             nullable(outcome.output_hash),
             Value{static_cast<int64_t>(outcome.attempts)},
             Value{Trigger()},
             Value{options_.subcommand == "backfill"},
             Value{outcome.started_at},
             Value{outcome.finished_at},
             Value{Round1(outcome.duration_ms)},
             Value{host_},
             Value{static_cast<int64_t>(pid_)},
             Value{std::string(kEngineVersion)}};
  std::string prefix = job.info->completion_prefix;
  std::string now = NowUtcTimestamp();
  bool bootstrap = calendar_->IsBootstrap(outcome.date);
  std::vector<Value> params = {Value{outcome.date.ToString()}, Value{static_cast<int64_t>(SeasonYear(outcome.date))},
                               Value{bootstrap}, Value{outcome.status}, Value{static_cast<int64_t>(outcome.rows)},
                               Value{outcome.finished_at}, Value{now}};
  std::string upsert = fmt::format(
      "INSERT INTO nba_orchestration.phase4_completion (game_date, season_year, is_bootstrap, {0}_status, {0}_rows, "
      "{0}_finished_at, phase4_complete, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7) "
      "ON CONFLICT (game_date) DO UPDATE SET {0}_status = excluded.{0}_status, {0}_rows = excluded.{0}_rows, "
      "{0}_finished_at = excluded.{0}_finished_at, is_bootstrap = excluded.is_bootstrap, updated_at = excluded.updated_at",
      prefix);
  std::string complete =
      "UPDATE nba_orchestration.phase4_completion SET "
      "completed_at = CASE WHEN tdza_status IN ('success','skipped') AND psza_status IN ('success','skipped') "
      "AND pdc_status IN ('success','skipped') AND pcf_status IN ('success','skipped') "
      "AND mlfs_status IN ('success','skipped') THEN (CASE WHEN phase4_complete = 1 THEN completed_at ELSE ?2 END) "
      "ELSE NULL END, "
      "phase4_complete = CASE WHEN tdza_status IN ('success','skipped') AND psza_status IN ('success','skipped') "
      "AND pdc_status IN ('success','skipped') AND pcf_status IN ('success','skipped') "
      "AND mlfs_status IN ('success','skipped') THEN 1 ELSE 0 END WHERE game_date = ?1";
  NBAPC_RETURN_IF_ERROR(warehouse_.InsertRows(history, std::vector<Row>{row}));
  NBAPC_RETURN_IF_ERROR(warehouse_.Execute(upsert, params));
  std::vector<Value> cparams = {Value{outcome.date.ToString()}, Value{now}};
  return warehouse_.Execute(complete, cparams);
}

Status Runner::WriteHistory(const ProcessorJob& job, const Outcome& outcome) {
  for (int attempt = 1;; ++attempt) {
    Status status = [&]() -> Status {
      store::Transaction txn(warehouse_);
      NBAPC_RETURN_IF_ERROR(txn.Begin());
      NBAPC_RETURN_IF_ERROR(InsertHistory(job, outcome));
      return txn.Commit();
    }();
    if (status.ok() || status.code() != StatusCode::kUnavailable || attempt > 3) return status;
    std::this_thread::sleep_for(std::chrono::seconds(1 << (attempt - 1)));
  }
}

void Runner::SaveCheckpoint(ProcessorJob& job, bool durable) {
  if (!job.checkpoint) return;
  job.checkpoint->last_updated = NowUtcTimestamp();
  job.checkpoint->last_run_id = run_id_;
  job.checkpoint->engine_version = kEngineVersion;
  Status status = WriteFileAtomically(job.checkpoint_path, job.checkpoint->ToJson(), durable);
  if (!status.ok()) LogWarn("cannot save checkpoint {}: {}", job.checkpoint_path, status.message());
}

void Runner::DurablePoint(ProcessorJob& job, bool force) {
  if (!force && !options_.durable_every_date && MsSince(last_durable_) < options_.durable_interval_ms) {
    // Between durable points the checkpoint is refreshed at most every
    // checkpoint_interval_ms (each rewrite costs a rename and a writeback);
    // dates done after the last write are simply recomputed on resume, with
    // identical output.
    if (MsSince(last_checkpoint_write_) >= options_.checkpoint_interval_ms) {
      SaveCheckpoint(job, false);
      last_checkpoint_write_ = Clock::now();
    }
    return;
  }
  // Warehouse first: a durable checkpoint never claims a date whose rows could still be lost.
  Status flushed = options_.durable_every_date ? Status::Ok() : warehouse_.Flush();
  if (!flushed.ok()) LogWarn("cannot flush the warehouse: {}", flushed.message());
  SaveCheckpoint(job, true);
  last_durable_ = Clock::now();
}

void Runner::ApplyToRangeCheckpoints(const ProcessorJob& job, const Outcome& outcome) {
  // §9.6: a --dates outcome also updates existing checkpoints whose range holds it.
  if (options_.subcommand != "backfill" || options_.dates.empty()) return;
  if (outcome.code == "not_a_game_date") return;  // not a date of any range's plan
  std::string dir = std::filesystem::path(CheckpointPath(options_.checkpoint_dir, warehouse_.url(), job.info->name,
                                                         start_, end_))
                        .parent_path()
                        .string();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  std::string prefix = job.info->name + "_";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name.size() != prefix.size() + 26 || entry.path().extension() != ".json") continue;
    auto first = Date::Parse(name.substr(prefix.size(), 10));
    auto last = Date::Parse(name.substr(prefix.size() + 11, 10));
    if (!first.ok() || !last.ok() || outcome.date < *first || *last < outcome.date) continue;
    auto loaded = LoadCheckpoint(entry.path().string());
    if (!loaded.ok() || !*loaded) continue;
    Checkpoint cp = std::move(**loaded);
    if (outcome.status == "success") cp.MarkSuccess(outcome.date);
    else if (outcome.status == "failed") cp.MarkFailed(outcome.date, outcome.code, outcome.message, run_id_, outcome.finished_at);
    else cp.MarkSkipped(outcome.date, outcome.code);
    cp.last_updated = NowUtcTimestamp();
    cp.last_run_id = run_id_;
    (void)WriteFileAtomically(entry.path().string(), cp.ToJson());
  }
}

void Runner::RecordOutcome(ProcessorJob& job, const Outcome& outcome) {
  const std::string& alias = job.info->alias;
  std::string day = outcome.date.ToString();
  if (outcome.status == "success") {
    ++job.successful;
    job.rows += outcome.rows;
    std::string detail;
    if (outcome.excluded > 0) {
      std::string parts;
      for (const auto& [category, count] : outcome.exclusion_counts.items()) {
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", category, count.get<int>());
      }
      detail = fmt::format("; {} excluded: {}", outcome.excluded, parts);
    }
    std::string line = fmt::format("  ✓ Success: {} {} processed ({} [{}]{}{})", outcome.rows, job.info->entity_noun,
                                   day, alias, outcome.message.empty() ? "" : "; " + outcome.message, detail);
    if (outcome.rows == 0 && outcome.excluded == 0) LogWarn("{}", line);
    else LogInfo("{}", line);
    job.succeeded_dates.insert(outcome.date);
    if (job.checkpoint) job.checkpoint->MarkSuccess(outcome.date);
    consecutive_store_failures_ = 0;
  } else if (outcome.status == "failed") {
    ++job.failed;
    job.failures.emplace_back(outcome.date, outcome.code + ": " + outcome.message);
    job.failed_dates.insert(outcome.date);
    job.failed_codes[outcome.date] = outcome.code;
    LogError("  ✗ Failed: {} [{}]: {}: {}", day, alias, outcome.code, outcome.message);
    if (job.checkpoint) job.checkpoint->MarkFailed(outcome.date, outcome.code, outcome.message, run_id_, outcome.finished_at);
    bool store_failure = outcome.code == "store_unavailable" || outcome.code == "store_error";
    consecutive_store_failures_ = store_failure ? consecutive_store_failures_ + 1 : 0;
  } else {
    ++job.skipped;
    if (outcome.code == "bootstrap") {
      ++job.skipped_bootstrap;
      LogInfo("  ⏭ Skipped: bootstrap period ({} [{}], {})", day, alias, outcome.message);
    } else {
      LogInfo("  ⏭ Skipped: not a game date ({} [{}])", day, alias);
    }
    if (job.checkpoint) job.checkpoint->MarkSkipped(outcome.date, outcome.code);
  }
  if (!outcome.history_written) {
    Status history = WriteHistory(job, outcome);
    if (!history.ok()) LogWarn("cannot record run history for {} [{}]: {}", day, alias, history.message());
  }
  if (outcome.status != "skipped") {
    ojson stats = ojson::object();
    stats["scope"] = "date";
    stats["run_id"] = run_id_;
    stats["processor"] = job.info->name;
    stats["date"] = day;
    stats["status"] = outcome.status;
    stats["reason_code"] = outcome.code.empty() ? ojson(nullptr) : ojson(outcome.code);
    stats["reason"] = outcome.status == "failed" ? ojson(outcome.message) : ojson(nullptr);
    stats["mode"] = outcome.mode.empty() ? ojson(nullptr) : ojson(outcome.mode);
    stats["rows"] = outcome.rows;
    stats["entities_excluded"] = outcome.excluded;
    stats["exclusions"] = outcome.exclusion_counts;
    stats["attempts"] = outcome.attempts;
    stats["write_ms"] = Round1(outcome.write_ms);
    stats["total_ms"] = Round1(outcome.duration_ms);
    stats["output_hash"] = outcome.output_hash.empty() ? ojson(nullptr) : ojson(outcome.output_hash);
    stats["engine_version"] = kEngineVersion;
    stats["stats"] = outcome.stats;
    LogInfo("PRECOMPUTE_STATS {}", stats.dump());
  }
  DurablePoint(job, false);
  ApplyToRangeCheckpoints(job, outcome);
  ++job.outcomes_logged;
  int with_outcome = job.checkpoint ? job.checkpoint->processed() : job.successful + job.failed + job.skipped;
  int total = static_cast<int>(dates_.size());
  bool last = job.outcomes_logged == static_cast<int>(job.pending.size());
  if (job.outcomes_logged % 10 == 0 || last) {
    int ok = job.checkpoint ? static_cast<int>(job.checkpoint->successful_dates.size()) : job.successful;
    int bad = job.checkpoint ? static_cast<int>(job.checkpoint->failed_dates.size()) : job.failed;
    double pct = ok + bad == 0 ? 100.0 : 100.0 * ok / (ok + bad);
    LogInfo("Progress: {}/{} dates ({:.1f}% success), {} failed", std::min(with_outcome, total), total, pct, bad);
  }
}

Status Runner::ExecuteCascade(InputStore& inputs) {
  // Headers, and the members with something to do (jobs_ is in topological order).
  std::vector<ProcessorJob*> members;
  for (ProcessorJob& job : jobs_) {
    const ProcessorInfo& info = *job.info;
    if (jobs_.size() > 1 || options_.cascade || options_.subcommand == "run") {
      LogInfo("=== {} [{}] ({}/{}): {} game dates ===", info.name, info.alias, info.number, 5, job.pending.size());
    }
    if (job.pending.empty()) {
      LogInfo("Checkpoint complete: nothing to do (use --no-resume to recompute) [{}]", info.alias);
    } else {
      members.push_back(&job);
    }
  }
  if (members.empty()) return Status::Ok();
  const size_t member_count = members.size();
  auto cascade_started = Clock::now();
  struct WallTimer {
    std::vector<ProcessorJob*>& jobs;
    Clock::time_point started;
    ~WallTimer() {
      // Members run side by side: each one's elapsed time is the cascade's.
      for (ProcessorJob* job : jobs) job->wall_ms += MsSince(started);
    }
  } wall_timer{members, cascade_started};

  // The members each one reads in this run, and its stage: 0 without such
  // upstream, else one more than its latest upstream (all: TDZA, PSZA 0;
  // PDC, PCF 1; MLFS 2).
  std::vector<std::vector<size_t>> upstream_members(member_count);
  std::vector<int> stage(member_count, 0);
  for (size_t m = 0; m < member_count; ++m) {
    for (const std::string& upstream : members[m]->info->upstreams) {
      for (size_t u = 0; u < m; ++u) {
        if (members[u]->info->name != upstream) continue;
        upstream_members[m].push_back(u);
        stage[m] = std::max(stage[m], stage[u] + 1);
      }
    }
  }

  // Every input table is loaded (and checked, inputs.md §4.8) before any
  // date is written.
  double inputs_before = inputs.load_ms();
  for (ProcessorJob* job : members) NBAPC_RETURN_IF_ERROR(LoadInputsOf(*job->info, inputs));
  load_ms_ += inputs.load_ms() - inputs_before;

  // Gates read the upstream rows and successes stored before the run; what
  // this run writes is in the jobs' outcomes.
  std::vector<std::map<std::string, std::set<Date>>> present(member_count);
  for (size_t m = 0; m < member_count; ++m) {
    NBAPC_ASSIGN_OR_RETURN(present[m], UpstreamPresence(*members[m]));
  }

  // Prepare every member at once: the first on this thread, the others in
  // the background, each on a read-only connection of its own. An upstream
  // of this run that writes every date a member computes hands its rows over
  // in memory (AcceptUpstream) instead of being read back.
  std::vector<std::set<std::string>> in_memory(member_count);
  for (size_t m = 0; m < member_count; ++m) {
    for (size_t u : upstream_members[m]) {
      const std::set<Date>& theirs = members[u]->pending;
      const std::set<Date>& ours = members[m]->pending;
      if (std::includes(theirs.begin(), theirs.end(), ours.begin(), ours.end())) {
        in_memory[m].insert(members[u]->info->name);
      }
    }
  }

  // One task per (member, pending date), in an order that lets the writer
  // (this thread) write every task as soon as it comes up: a member's date D
  // sits kStageLag dates after its upstreams' date D, so by the time it is
  // among the tasks the workers may compute, the upstream rows it reads are
  // written (a member never waits for a whole upstream run, README §8.3
  // still holds: it reads exactly the stored upstream rows of D).
  constexpr int kStageLag = 12;
  struct Task {
    size_t member = 0;
    Date date;
    std::optional<Outcome> gated;
    int waiting = 0;                  // upstream tasks of this date not yet recorded
    std::vector<size_t> upstreams;    // their indices
    std::vector<size_t> downstreams;  // tasks that read this one
    // Upstream rows of the date to hand to the processor before computing
    // (processor name, rows); set when the task becomes computable.
    std::vector<std::pair<const std::string*, std::shared_ptr<const std::vector<Row>>>> feed;
  };
  std::vector<Task> tasks;
  for (size_t m = 0; m < member_count; ++m) {
    for (Date date : members[m]->pending) {
      Task& task = tasks.emplace_back();
      task.member = m;
      task.date = date;
    }
  }
  std::stable_sort(tasks.begin(), tasks.end(), [&](const Task& a, const Task& b) {
    auto key = [&](const Task& t) {
      return std::make_tuple(DateIndex(t.date) + kStageLag * stage[t.member], stage[t.member], t.member);
    };
    return key(a) < key(b);
  });
  std::map<std::pair<size_t, Date>, size_t> task_of;
  for (size_t idx = 0; idx < tasks.size(); ++idx) task_of[{tasks[idx].member, tasks[idx].date}] = idx;
  for (size_t idx = 0; idx < tasks.size(); ++idx) {
    for (size_t u : upstream_members[tasks[idx].member]) {
      auto it = task_of.find({u, tasks[idx].date});
      if (it == task_of.end()) continue;
      tasks[idx].upstreams.push_back(it->second);
      tasks[it->second].downstreams.push_back(idx);
      ++tasks[idx].waiting;
    }
  }

  if (!options_.durable_every_date) NBAPC_RETURN_IF_ERROR(warehouse_.SetDurableCommits(false));
  enum class TaskState { kWaiting, kComputable, kStarted };
  struct Slot {
    bool ready = false;
    DateComputation result;
    double compute_ms = 0;
    std::string started_at;
  };
  std::vector<Slot> slots(tasks.size());
  std::vector<TaskState> state(tasks.size(), TaskState::kWaiting);
  // Rows of a successful upstream task, kept until its downstream tasks took them.
  std::vector<std::shared_ptr<const std::vector<Row>>> written_rows(tasks.size());
  std::vector<size_t> handovers_left(tasks.size(), 0);
  std::vector<std::unique_ptr<PreparedProcessor>> prepared(member_count);
  std::vector<size_t> newly_ready;  // members prepared, not yet activated (guarded by `mutex`)
  std::vector<char> member_active(member_count, 0);  // activated (this thread only)
  Status prepare_failure = Status::Ok();
  std::mutex mutex;
  std::condition_variable slot_ready;    // a slot is ready, or a member got prepared
  std::condition_variable window_moved;  // the write position moved, or a task became computable
  // Written results, freed by a worker: a computing thread then frees
  // what it allocated (a free from another thread takes the allocating
  // thread's malloc arena lock, and the writer freeing every row made the
  // two threads queue on it thousands of times per run).
  const int threads = std::max(0, std::min<int>(options_.workers - 1, static_cast<int>(tasks.size())));
  std::vector<DateComputation> written_results;
  size_t scan_from = 0;                  // every task before it has started
  size_t next_to_write = 0;
  bool stop_workers = false;
  const size_t window = static_cast<size_t>(std::max(8, options_.workers * 4)) * member_count;
  // The next computable task the workers may take (mutex held), or npos.
  auto find_computable = [&]() -> size_t {
    while (scan_from < tasks.size() && state[scan_from] == TaskState::kStarted) ++scan_from;
    size_t limit = std::min(tasks.size(), next_to_write + window);
    for (size_t idx = scan_from; idx < limit; ++idx) {
      if (state[idx] == TaskState::kComputable) return idx;
    }
    return std::string::npos;
  };
  // Makes task `idx` computable once its member is prepared and its
  // upstream tasks are recorded (this thread only: gates read the jobs'
  // outcomes): the gate, then the upstream rows of the date.
  auto activate = [&](size_t idx) {
    Task& task = tasks[idx];
    if (!task.gated) task.gated = Gate(*members[task.member], task.date, present[task.member]);
    for (size_t up : task.upstreams) {
      if (!task.gated && written_rows[up]) task.feed.emplace_back(&members[tasks[up].member]->info->name, written_rows[up]);
      if (--handovers_left[up] == 0) written_rows[up].reset();
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      state[idx] = TaskState::kComputable;
    }
    window_moved.notify_all();
  };
  auto activate_member = [&](size_t m) {
    member_active[m] = 1;
    for (size_t idx = 0; idx < tasks.size(); ++idx) {
      if (tasks[idx].member == m && tasks[idx].waiting == 0 && state[idx] == TaskState::kWaiting) activate(idx);
    }
  };
  for (size_t idx = 0; idx < tasks.size(); ++idx) handovers_left[idx] = tasks[idx].downstreams.size();

  std::vector<std::thread> preparing;
  // Prepares member `m` on `warehouse`; on success it joins newly_ready.
  auto prepare_member = [&](size_t m, store::Warehouse& warehouse) {
    PrepareContext context{warehouse, inputs, *calendar_, start_, end_, in_memory[m], {}};
    if (!upstream_members[m].empty()) context.feed_dates.assign(members[m]->pending.begin(), members[m]->pending.end());
    Result<std::unique_ptr<PreparedProcessor>> result = Status::Internal("not prepared");
    try {
      result = Prepare(*members[m]->info, context);
    } catch (const std::exception& e) {  // a thread of its own: report, never terminate
      result = Status::Internal(fmt::format("internal_error: {}", e.what()));
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      members[m]->load_ms = MsSince(cascade_started);
      if (!result.ok()) {
        if (prepare_failure.ok()) {
          prepare_failure = Status(result.status().code(),
                                   fmt::format("{}: {}", members[m]->info->name, result.status().message()));
        }
      } else {
        prepared[m] = std::move(*result);
        newly_ready.push_back(m);
      }
    }
    slot_ready.notify_all();
  };
  std::string url = warehouse_.url();
  for (size_t m = 1; m < member_count; ++m) {
    preparing.emplace_back([&, m] {
      auto connection = store::OpenReadOnlyConnection(url);
      if (connection.ok()) {
        prepare_member(m, **connection);
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (prepare_failure.ok()) prepare_failure = connection.status();
      }
      slot_ready.notify_all();
    });
  }
  auto join_preparing = [&] {
    for (std::thread& t : preparing) t.join();
    preparing.clear();
  };
  prepare_member(0, warehouse_);
  // The first stage prepared before any task runs (later stages join in as
  // they get prepared; their first dates come kStageLag dates later).
  {
    std::unique_lock<std::mutex> lock(mutex);
    slot_ready.wait(lock, [&] {
      if (!prepare_failure.ok()) return true;
      for (size_t m = 0; m < member_count; ++m) {
        if (stage[m] == 0 && !prepared[m]) return false;
      }
      return true;
    });
  }
  if (!prepare_failure.ok()) {
    join_preparing();
    return prepare_failure;
  }

  // Computes task `idx` into its slot (any thread).
  auto run_task = [&](size_t idx) {
    Slot slot;
    if (!tasks[idx].gated) {
      auto t0 = Clock::now();
      slot.started_at = NowUtcTimestamp();
      try {
        // The upstream rows of the date first (on this thread: the
        // conversion is part of the date's work, not the writer's).
        Status fed = Status::Ok();
        PreparedProcessor& processor = *prepared[tasks[idx].member];
        for (const auto& [upstream, rows] : tasks[idx].feed) {
          if (fed.ok()) fed = processor.AcceptUpstream(*upstream, tasks[idx].date, *rows);
        }
        tasks[idx].feed.clear();
        if (fed.ok()) {
          slot.result = processor.Compute(tasks[idx].date);
          if (slot.result.outcome.ok()) AddFailureRows(*members[tasks[idx].member], tasks[idx].date, &slot.result);
        } else {
          slot.result.outcome = {processors::DateStatus::kFailed, "internal_error",
                                 fmt::format("internal_error: {}", fed.message())};
        }
      } catch (const std::exception& e) {
        slot.result.outcome = {processors::DateStatus::kFailed, "internal_error",
                               fmt::format("internal_error: {}", e.what())};
      }
      slot.compute_ms = MsSince(t0);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      slot.ready = true;
      slots[idx] = std::move(slot);
    }
    slot_ready.notify_all();
  };
  auto worker = [&]() {
    std::vector<DateComputation> results_to_free;
    while (true) {
      results_to_free.clear();
      size_t idx = std::string::npos;
      {
        std::unique_lock<std::mutex> lock(mutex);
        results_to_free.swap(written_results);
        window_moved.wait(lock, [&] {
          if (stop_workers) return true;
          idx = find_computable();
          return idx != std::string::npos || scan_from >= tasks.size();
        });
        if (stop_workers || idx == std::string::npos) return;
        state[idx] = TaskState::kStarted;
      }
      run_task(idx);
    }
  };
  // `--workers N` threads compute: N - 1 in the pool, and this writing
  // thread, which computes a task itself whenever the one it has to write
  // next is not ready (the single writer is the bottleneck of a backfill: it
  // never idles, and no thread more than N competes for cores).
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  std::vector<double> compute_thread_ms(member_count, 0.0);
  std::vector<std::optional<Date>> last_written(member_count);
  std::string aliases;
  for (ProcessorJob* job : members) aliases += (aliases.empty() ? "" : "+") + job->info->alias;
  progress_.Start(aliases, static_cast<int>(tasks.size()));
  int successful = 0, skipped = 0, failed = 0;
  // On a signal: every member's checkpoint saved, one line per member.
  auto interrupted = [&](std::optional<Date> next) {
    interrupted_ = true;
    for (size_t m = 0; m < member_count; ++m) {
      ProcessorJob& job = *members[m];
      DurablePoint(job, true);
      LogWarn("Interrupted ({}) {} [{}]: {}/{} dates done; checkpoint saved: {}; rerun the same command to resume",
              g_last_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT",
              last_written[m] ? "after " + last_written[m]->ToString()
                              : "before " + (next ? next->ToString() : job.pending.begin()->ToString()),
              job.info->alias, job.checkpoint ? job.checkpoint->processed() : job.outcomes_logged, dates_.size(),
              job.checkpoint_path.empty() ? "(none)" : job.checkpoint_path);
    }
  };
  Status cascade_status = Status::Ok();
  for (size_t idx = 0; idx < tasks.size() && !stopped_; ++idx) {
    Slot slot;
    {
      std::unique_lock<std::mutex> lock(mutex);
      while (prepare_failure.ok()) {
        if (!newly_ready.empty()) {
          std::vector<size_t> to_activate;
          to_activate.swap(newly_ready);
          lock.unlock();
          for (size_t m : to_activate) activate_member(m);
          lock.lock();
          continue;
        }
        if (slots[idx].ready) break;
        if (size_t own = find_computable(); own != std::string::npos) {
          state[own] = TaskState::kStarted;
          lock.unlock();
          run_task(own);
          lock.lock();
        } else {
          slot_ready.wait(lock);
        }
      }
      if (!prepare_failure.ok()) {
        cascade_status = prepare_failure;
        break;
      }
      slot = std::move(slots[idx]);
      slots[idx] = Slot();
      next_to_write = idx + 1;
    }
    window_moved.notify_all();
    const size_t member = tasks[idx].member;
    ProcessorJob& job = *members[member];
    const ProcessorInfo& info = *job.info;
    compute_thread_ms[member] += slot.compute_ms;
    Date date = tasks[idx].date;
    if (g_signals.load() > 0) {
      // A computation not yet written is discarded (backfill.md §12).
      interrupted(date);
      break;
    }
    LogInfo("Processing game date {}/{}: {} [{}]", DateIndex(date), dates_.size(), date.ToString(), info.alias);
    Outcome outcome;
    if (tasks[idx].gated) {
      outcome = *tasks[idx].gated;
      outcome.started_at = outcome.finished_at = NowUtcTimestamp();
      outcome.attempts = 1;
    } else {
      DateComputation& result = slot.result;
      outcome.date = date;
      outcome.started_at = slot.started_at;
      outcome.mode = calendar_->IsHistorical(date) ? "historical" : "upcoming";
      outcome.duration_ms = slot.compute_ms;
      outcome.stats = result.stats;
      if (!result.outcome.ok()) {
        outcome.status = "failed";
        outcome.code = result.outcome.reason_code;
        outcome.message = StripCode(outcome.code, result.outcome.reason);
      } else {
        for (const std::string& line : result.info_lines) LogInfo("{}", line);
        std::map<std::string, int> counts;
        for (const auto& exclusion : result.exclusions) ++counts[exclusion.failure_category];
        for (const auto& [category, count] : counts) outcome.exclusion_counts[category] = count;
        outcome.excluded = static_cast<int>(result.exclusions.size());
        Status written = WriteDate(job, date, result, &outcome);
        job.write_ms += outcome.write_ms;
        if (!written.ok()) {
          outcome.status = "failed";
          outcome.code = written.code() == StatusCode::kUnavailable ? "store_unavailable" : "store_error";
          outcome.message = written.message();
          outcome.rows = 0;
        } else if (!tasks[idx].downstreams.empty()) {
          written_rows[idx] = std::make_shared<const std::vector<Row>>(std::move(result.rows));
        }
      }
      if (!outcome.history_written) {
        outcome.duration_ms += outcome.write_ms;
        outcome.finished_at = NowUtcTimestamp();
      }
    }
    RecordOutcome(job, outcome);
    last_written[member] = date;
    // The downstream tasks of this date may go now (their gates see this outcome).
    for (size_t down : tasks[idx].downstreams) {
      if (--tasks[down].waiting == 0 && member_active[tasks[down].member]) activate(down);
    }
    successful += outcome.status == "success";
    skipped += outcome.status == "skipped";
    failed += outcome.status == "failed";
    progress_.Update(static_cast<int>(idx) + 1, successful, skipped, failed, date.ToString());
    if (outcome.status == "failed" && options_.stop_on_failure) {
      LogError("stopping at the first failed date (--stop-on-failure)");
      stopped_ = true;
    }
    if (consecutive_store_failures_ >= 5) {
      LogError("stopping: 5 consecutive dates failed to write ({}); the warehouse looks unavailable", outcome.code);
      stopped_ = true;
    }
    if (!pool.empty()) {
      std::lock_guard<std::mutex> lock(mutex);
      written_results.push_back(std::move(slot.result));
    }
    if (g_signals.load() > 0) {
      interrupted(std::nullopt);
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    stop_workers = true;
  }
  window_moved.notify_all();
  for (std::thread& t : pool) t.join();
  join_preparing();
  progress_.Finish();
  for (size_t m = 0; m < member_count; ++m) {
    // Compute time = the workers' time, reported per processor (the wall
    // time overlaps with writing).
    members[m]->compute_ms += compute_thread_ms[m];
    // The checkpoint is complete on disk now; it becomes durable at the next
    // durable point (the run's last one at the latest, FinalDurablePoint).
    SaveCheckpoint(*members[m], options_.durable_every_date);
  }
  return cascade_status;
}

void Runner::FinalDurablePoint() {
  if (!options_.durable_every_date) {
    Status flushed = warehouse_.Flush();
    if (!flushed.ok()) LogWarn("cannot flush the warehouse: {}", flushed.message());
  }
  for (ProcessorJob& job : jobs_) {
    if (job.checkpoint && job.outcomes_logged > 0) SaveCheckpoint(job, true);
  }
  Status full = warehouse_.SetDurableCommits(true);
  if (!full.ok()) LogWarn("cannot restore full-sync commits: {}", full.message());
  last_durable_ = Clock::now();
}

void Runner::LogSummary(const ProcessorJob& job) {
  std::string rule(80, '=');
  LogInfo("{}", rule);
  LogInfo("PHASE 4 BACKFILL SUMMARY - {}:{}", job.info->name, interrupted_ ? " INTERRUPTED" : "");
  LogInfo("  Date range: {} to {}", start_.ToString(), end_.ToString());
  if (options_.dates.empty()) {
    LogInfo("  Game dates: {} (skipped {} off-days)", dates_.size(), off_days_);
  } else {
    LogInfo("  Game dates: {} ({} dates given)", game_dates_.size(), dates_.size());
  }
  LogInfo("  Successful: {}, Skipped: {} (bootstrap {}), Failed: {}", job.successful, job.skipped,
          job.skipped_bootstrap, job.failed);
  int attempted = job.successful + job.failed;
  LogInfo("  Success rate: {:.1f}% (of non-skipped dates)", attempted == 0 ? 100.0 : 100.0 * job.successful / attempted);
  LogInfo("  Rows written: {} (avg {:.1f} per successful date)", job.rows,
          job.successful == 0 ? 0.0 : static_cast<double>(job.rows) / job.successful);
  if (!job.failures.empty()) {
    LogInfo("  Failed dates ({}):", job.failures.size());
    std::string retry;
    for (size_t idx = 0; idx < job.failures.size(); ++idx) {
      if (idx < 20) LogInfo("    {}  {}", job.failures[idx].first.ToString(), job.failures[idx].second);
      if (idx > 0) retry += ',';
      retry += job.failures[idx].first.ToString();
    }
    if (job.failures.size() > 20) LogInfo("    ... and {} more", job.failures.size() - 20);
    LogInfo("  To retry: nba-precompute backfill {} --dates {}", job.info->alias, retry);
  }
  // Compute runs on the worker threads alongside the writes, so the parts
  // add up to more than the wall time.
  LogInfo("  Elapsed: {:.1f} s (load {:.1f} s, compute {:.1f} s on {} workers, write {:.1f} s)", job.wall_ms / 1000.0,
          job.load_ms / 1000.0, job.compute_ms / 1000.0, options_.workers, job.write_ms / 1000.0);
  LogInfo("{}", rule);
}

void Runner::LogStaleDownstream() {
  std::set<std::string> ran;
  for (const ProcessorJob& job : jobs_) ran.insert(job.info->name);
  bool any_downstream = false;
  for (const ProcessorInfo& info : AllProcessors()) {
    if (ran.count(info.name)) continue;
    for (const std::string& up : info.upstreams) any_downstream = any_downstream || ran.count(up) > 0;
  }
  if (!any_downstream) return;
  std::map<std::string, std::map<Date, std::pair<std::string, std::string>>> latest;
  std::vector<Value> range = {Value{start_.ToString()}, Value{end_.ToString()}};
  Status status = warehouse_.QueryEach(
      "SELECT processor_name, data_date, status, finished_at FROM nba_reference.processor_run_latest "
      "WHERE data_date BETWEEN ?1 AND ?2",
      range,
      [&](const Row& row) {
        auto date = Date::Parse(std::get<std::string>(row[1]));
        if (date.ok()) latest[std::get<std::string>(row[0])][*date] = {std::get<std::string>(row[2]), std::get<std::string>(row[3])};
        return Status::Ok();
      },
      nullptr);
  if (!status.ok()) return;
  int total = 0;
  std::string parts;
  for (const ProcessorInfo& info : AllProcessors()) {
    if (ran.count(info.name)) continue;
    int stale = 0;
    for (const auto& [date, outcome] : latest[info.name]) {
      if (outcome.first != "success" || !std::binary_search(dates_.begin(), dates_.end(), date)) continue;
      for (const std::string& upstream : info.upstreams) {
        auto up = latest[upstream].find(date);
        if (up != latest[upstream].end() && up->second.first == "success" && up->second.second > outcome.second) {
          ++stale;
          break;
        }
      }
    }
    if (stale == 0) continue;
    total += stale;
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", info.name, stale);
  }
  if (total > 0) LogWarn("{} downstream dates are now stale ({}): rerun with --cascade", total, parts);
}

void Runner::WriteRunLog(ExitCode code, double total_ms) {
  int total = 0, ok = 0, bad = 0, skip = 0, rows = 0;
  double compute = 0, write = 0;
  ojson processors = ojson::array();
  for (const ProcessorJob& job : jobs_) {
    processors.push_back(job.info->name);
    total += static_cast<int>(dates_.size());
    ok += job.successful;
    bad += job.failed;
    skip += job.skipped;
    rows += job.rows;
    compute += job.compute_ms;
    write += job.write_ms;
  }
  int pending = std::max(0, total - ok - bad - skip);
  for (const ProcessorJob& job : jobs_) {
    if (job.checkpoint) {
      // Dates done by earlier runs are not pending either.
      pending -= static_cast<int>(dates_.size()) - static_cast<int>(job.pending.size());
    }
  }
  pending = std::max(0, pending);
  ojson stage = {{"plan", Round1(plan_ms_)},       {"preflight", Round1(preflight_ms_)}, {"load", Round1(load_ms_)},
                 {"compute", Round1(compute)},     {"write", Round1(write)},             {"total", Round1(total_ms)}};
  ojson dates = ojson(nullptr);
  if (!options_.dates.empty()) {
    dates = ojson::array();
    for (Date date : options_.dates) dates.push_back(date.ToString());
  }
  ojson stats = ojson::object();
  stats["scope"] = "run";
  stats["run_id"] = run_id_;
  stats["command"] = options_.subcommand;
  stats["processors"] = processors;
  stats["start_date"] = start_.ToString();
  stats["end_date"] = end_.ToString();
  stats["dates_total"] = total;
  stats["successful"] = ok;
  stats["failed"] = bad;
  stats["skipped"] = skip;
  stats["pending"] = pending;
  stats["rows"] = rows;
  stats["workers"] = options_.workers;
  stats["stage_ms"] = stage;
  stats["exit_code"] = ToInt(code);
  stats["engine_version"] = kEngineVersion;
  LogInfo("PRECOMPUTE_STATS {}", stats.dump());
  const store::TableDef& run_log = *store::FindTable("nba_reference.run_log");
  bool ranged = options_.dates.empty();
  Row row = {Value{run_id_},
             Value{options_.command_line},
             Value{options_.subcommand},
             Value{processors.dump()},
             ranged ? Value{start_.ToString()} : Value{},
             ranged ? Value{end_.ToString()} : Value{},
             dates.is_null() ? Value{} : Value{dates.dump()},
             Value{started_at_},
             Value{NowUtcTimestamp()},
             Value{static_cast<int64_t>(ToInt(code))},
             Value{static_cast<int64_t>(total)},
             Value{static_cast<int64_t>(ok)},
             Value{static_cast<int64_t>(bad)},
             Value{static_cast<int64_t>(skip)},
             Value{static_cast<int64_t>(pending)},
             Value{static_cast<int64_t>(rows)},
             Value{static_cast<int64_t>(options_.workers)},
             Value{stage.dump()},
             Value{interrupted_},
             Value{host_},
             Value{static_cast<int64_t>(pid_)},
             Value{std::string(kEngineVersion)},
             Value{warehouse_.url()}};
  Status status = warehouse_.InsertRows(run_log, std::vector<Row>{row});
  if (!status.ok()) LogWarn("cannot write run_log: {}", status.message());
}

ExitCode Runner::PrintStatus() {
  for (ProcessorJob& job : jobs_) {
    std::string path = CheckpointPath(options_.checkpoint_dir, warehouse_.url(), job.info->name, start_, end_);
    auto loaded = LoadCheckpoint(path);
    if (!loaded.ok()) {
      std::fprintf(stderr, "error: %s\n", loaded.status().message().c_str());
      return ExitCode::kUsage;
    }
    if (!*loaded) {
      std::printf("No checkpoint for %s %s..%s. Would be: %s\n", job.info->name.c_str(), start_.ToString().c_str(),
                  end_.ToString().c_str(), path.c_str());
      continue;
    }
    const Checkpoint& cp = **loaded;
    int pending = std::max(0, static_cast<int>(dates_.size()) - cp.processed());
    if (options_.json_status) {
      ojson j = ojson::parse(cp.ToJson());
      j["checkpoint_file"] = path;
      j["pending"] = pending;
      j["complete"] = pending == 0 && cp.failed_dates.empty();
      std::printf("%s\n", j.dump(2).c_str());
      continue;
    }
    std::string rule(60, '=');
    std::string out = rule + "\n" + fmt::format("CHECKPOINT STATUS: {}\n", job.info->name) + rule + "\n";
    out += fmt::format("  Warehouse:       {} (instance {})\n", cp.warehouse, cp.warehouse_instance_id.substr(0, 8));
    out += fmt::format("  Date range:      {} to {}\n", cp.start_date.ToString(), cp.end_date.ToString());
    out += fmt::format("  Game dates:      {}\n", dates_.size());
    out += fmt::format("  Processed:       {} (successful {}, skipped {}, failed {})\n", cp.processed(),
                       cp.successful_dates.size(), cp.skipped_dates.size(), cp.failed_dates.size());
    out += fmt::format("  Pending:         {}\n", pending);
    out += fmt::format("  Last success:    {}\n",
                       cp.successful_dates.empty() ? "none" : cp.successful_dates.rbegin()->ToString());
    bool first = true;
    for (const auto& [date, reason] : cp.failure_reasons) {
      out += fmt::format("  {:<17}{} {}: {}\n", first ? "Failed dates:" : "", date.ToString(), reason.code, reason.message);
      first = false;
    }
    if (pending == 0 && cp.failed_dates.empty()) {
      out += "  Status:          COMPLETE\n";
    } else {
      out += fmt::format("  Resume:          rerun the same command: {} failed dates retried, {} pending dates processed\n",
                         cp.failed_dates.size(), pending);
    }
    out += fmt::format("  Checkpoint file: {}\n", path);
    out += fmt::format("  Last updated:    {}\n", cp.last_updated);
    out += rule + "\n";
    std::fputs(out.c_str(), stdout);
  }
  return ExitCode::kOk;
}

// Rows per date of `table` in [from, to] (dry-run evidence).
Result<std::map<Date, int64_t>> RowsPerDate(store::Warehouse& warehouse, const std::string& table, Date from, Date to) {
  const store::TableDef* def = store::FindTable(table);
  std::map<Date, int64_t> out;
  std::vector<Value> params = {Value{from.ToString()}, Value{to.ToString()}};
  NBAPC_RETURN_IF_ERROR(warehouse.QueryEach(
      fmt::format("SELECT \"{0}\", COUNT(*) FROM {1} WHERE \"{0}\" BETWEEN ?1 AND ?2 GROUP BY \"{0}\"",
                  def->date_column, table),
      params,
      [&](const Row& row) {
        auto date = Date::Parse(std::get<std::string>(row[0]));
        if (date.ok()) out[*date] = std::get<int64_t>(row[1]);
        return Status::Ok();
      },
      nullptr));
  return out;
}

ExitCode Runner::DryRun() {
  bool any_fail = false;
  InputStore inputs(warehouse_, dates_.front(), dates_.back());
  inputs.SetSchedule(std::move(schedule_));
  for (ProcessorJob& job : jobs_) {
    LogInfo("Dry run: {} {}..{}: {} game dates", job.info->name, start_.ToString(), end_.ToString(), dates_.size());
    auto present = UpstreamPresence(job);
    if (!present.ok()) {
      LogError("{}", present.status().message());
      return ExitCode::kDatesFailed;
    }
    // Upstreams produced by this invocation count as present (§8); the
    // processor's own date checks (gate 5) can then not be evaluated.
    bool upstream_in_run = false;
    for (const ProcessorJob& other : jobs_) {
      if (&other == &job) break;
      for (Date date : dates_) (*present)[other.info->name].insert(date);
      for (const std::string& up : job.info->upstreams) upstream_in_run = upstream_in_run || up == other.info->name;
    }
    // Evidence: rows per date of the upstreams, the critical input and the context.
    std::map<std::string, std::map<Date, int64_t>> counts;
    std::vector<std::string> evidence_tables;
    for (const std::string& up : job.info->upstreams) evidence_tables.push_back(FindProcessor(up)->output_table);
    evidence_tables.insert(evidence_tables.end(), job.info->phase3_tables.begin(), job.info->phase3_tables.begin() + 1);
    if (!job.info->context_tables.empty()) evidence_tables.push_back(job.info->context_tables.front());
    for (const std::string& table : evidence_tables) {
      auto rows = RowsPerDate(warehouse_, table, start_, end_);
      if (!rows.ok()) {
        LogError("{}", rows.status().message());
        return ExitCode::kDatesFailed;
      }
      counts[table] = std::move(*rows);
    }
    std::unique_ptr<PreparedProcessor> prepared;
    if (!upstream_in_run) {
      PrepareContext context{warehouse_, inputs, *calendar_, start_, end_, {}, {}};
      auto built = Prepare(*job.info, context);
      if (!built.ok()) {
        LogError("{} [{}] could not be prepared: {}", job.info->name, job.info->alias, built.status().message());
        return ExitCode::kDatesFailed;
      }
      prepared = std::move(*built);
    }
    int process = 0, skip = 0, skip_bootstrap = 0, done = 0, fail = 0;
    for (Date date : dates_) {
      std::string prefix = fmt::format("Dry run game date {}/{}: {} [{}]", DateIndex(date), dates_.size(),
                                       date.ToString(), job.info->alias);
      if (!job.pending.count(date)) {
        ++skip;
        bool bootstrap = job.checkpoint && job.checkpoint->skip_reasons.count(date) &&
                         job.checkpoint->skip_reasons.at(date) == "bootstrap";
        if (bootstrap) {
          ++skip_bootstrap;
          LogInfo("{}: would skip (bootstrap, recorded in checkpoint)", prefix);
        } else {
          ++done;
          LogInfo("{}: would skip (already {} in checkpoint)", prefix,
                  job.checkpoint && job.checkpoint->skipped_dates.count(date) ? "skipped" : "successful");
        }
        continue;
      }
      auto gated = Gate(job, date, *present);
      if (!gated && prepared) {
        // Gate 5: the processor's own date checks (missing_input, stale_input, no_players).
        DateComputation result = prepared->Compute(date);
        if (!result.outcome.ok()) {
          Outcome failed;
          failed.status = "failed";
          failed.code = result.outcome.reason_code;
          failed.message = StripCode(failed.code, result.outcome.reason);
          gated = failed;
        }
      }
      if (!gated) {
        ++process;
        LogInfo("{}: would process", prefix);
      } else if (gated->status == "skipped") {
        ++skip;
        if (gated->code == "bootstrap") ++skip_bootstrap;
        LogInfo("{}: would skip ({}: {})", prefix, gated->code, gated->message);
        continue;
      } else {
        ++fail;
        LogWarn("{}: would fail ({}: {})", prefix, gated->code, gated->message);
      }
      std::string deps, inputs_text, context_text;
      for (const std::string& upstream : job.info->upstreams) {
        const std::string& table = FindProcessor(upstream)->output_table;
        int64_t rows = counts[table].count(date) ? counts[table][date] : 0;
        bool has = (*present)[upstream].count(date) > 0;
        bool produced = rows == 0 && has && upstream_in_run;
        deps += fmt::format("{}{} {} rows {}", deps.empty() ? "" : "; ", upstream, rows,
                            produced ? "(produced by this run)" : has ? "✓" : "✗ (no success recorded)");
      }
      if (!job.info->phase3_tables.empty()) {
        const std::string& table = job.info->phase3_tables.front();
        int64_t rows = counts[table].count(date) ? counts[table][date] : 0;
        inputs_text = fmt::format("{} {} rows {}", table.substr(table.find('.') + 1), rows, rows > 0 ? "✓" : "✗");
      }
      if (!job.info->context_tables.empty()) {
        const std::string& table = job.info->context_tables.front();
        int64_t rows = counts[table].count(date) ? counts[table][date] : 0;
        context_text = fmt::format("{} {} rows{}", table.substr(table.find('.') + 1), rows, rows > 0 ? "" : " (synthetic)");
      }
      std::string line;
      if (!deps.empty()) line += "deps: " + deps;
      if (!inputs_text.empty()) line += (line.empty() ? "" : " | ") + ("inputs: " + inputs_text);
      if (!context_text.empty()) line += (line.empty() ? "" : " | ") + ("context: " + context_text);
      LogInfo("  {}", line);
    }
    LogInfo("Dry run summary [{}]: {} game dates: would process {}, would skip {} (bootstrap {}, done {}), would fail {}",
            job.info->alias, dates_.size(), process, skip, skip_bootstrap, done, fail);
    any_fail = any_fail || fail > 0;
  }
  return any_fail ? ExitCode::kDatesFailed : ExitCode::kOk;
}

ExitCode Runner::Run() {
  auto run_started = Clock::now();
  // 1-2. Processors in topological order.
  std::vector<const ProcessorInfo*> processors;
  if (options_.subcommand == "run" && !options_.run_processors.empty()) {
    for (const std::string& name : options_.run_processors) {
      auto resolved = ResolveProcessors(name);
      if (!resolved.ok()) {
        LogError("{}", resolved.status().message());
        return ExitCode::kUsage;
      }
      for (const ProcessorInfo* p : *resolved) {
        if (std::find(processors.begin(), processors.end(), p) == processors.end()) processors.push_back(p);
      }
    }
    processors = TopologicalOrder(processors);
  } else {
    auto resolved = ResolveProcessors(options_.subcommand == "run" ? "all" : options_.processor_arg);
    if (!resolved.ok()) {
      LogError("{}", resolved.status().message());
      return ExitCode::kUsage;
    }
    processors = options_.cascade ? WithDownstream(*resolved) : *resolved;
  }
  for (size_t idx = 0; idx < processors.size(); ++idx) {
    ProcessorJob job;
    job.info = processors[idx];
    job.position = static_cast<int>(idx) + 1;
    jobs_.push_back(std::move(job));
  }
  auto instance = store::GetInfo(warehouse_, "instance_id");
  instance_id_ = instance.ok() && *instance ? **instance : "";

  if (!options_.status_only && !options_.dry_run) {
    std::string names;
    for (const auto& job : jobs_) names += (names.empty() ? "" : ",") + job.info->name;
    LogInfo("nba-precompute {} {} {} run_id={} pid={}", kEngineVersion, options_.subcommand,
            jobs_.size() == 1 ? jobs_[0].info->name : names, run_id_, pid_);
    LogInfo("Warehouse: {}", warehouse_.url());
  }
  // Calendar and dates.
  std::vector<std::string> warnings;
  auto calendar = LoadCalendar(warehouse_, options_.today, &warnings, &schedule_);
  if (!calendar.ok()) {
    LogError("{}", calendar.status().message());
    return ExitCode::kDatesFailed;
  }
  calendar_ = std::move(*calendar);
  for (const std::string& warning : warnings) LogWarn("{}", warning);
  if (Status planned = PlanDates(); !planned.ok()) {
    LogError("{}", planned.message());
    return ExitCode::kDatesFailed;
  }
  if (options_.start_date && !options_.status_only) {
    LogInfo("Date range: {} to {}", start_.ToString(), end_.ToString());
  }
  if (dates_.empty()) {
    LogWarn("No game dates found in {}..{}", start_.ToString(), end_.ToString());
    return ExitCode::kOk;
  }
  if (options_.status_only) return PrintStatus();

  // 3. Locks (not for dry runs).
  std::string warehouse_dir = store::SqliteDirectory(warehouse_.url());
  if (!options_.dry_run) {
    std::vector<const ProcessorJob*> by_name;
    for (const auto& job : jobs_) by_name.push_back(&job);
    std::sort(by_name.begin(), by_name.end(), [](auto* a, auto* b) { return a->info->name < b->info->name; });
    for (const ProcessorJob* job : by_name) {
      Status locked = locks_.Acquire(warehouse_dir, job->info->name, options_.command_line, run_id_);
      if (!locked.ok()) {
        std::string pid = locked.message().rfind("pid ", 0) == 0
                              ? locked.message().substr(4, locked.message().find(' ', 4) - 4)
                              : "<pid>";
        LogError("another run holds the lock for {} on {}: {}. Wait for it to finish, or stop it with: kill {}",
                 job->info->name, warehouse_.url(), locked.message(), pid);
        return ExitCode::kLockHeld;
      }
    }
    std::string holder;
    auto import_held = LockSet::IsHeld(warehouse_dir, "import", &holder);
    if (import_held.ok() && *import_held) {
      LogError("another run holds the lock for import on {}: {}", warehouse_.url(), holder);
      return ExitCode::kLockHeld;
    }
    LogInfo("Workers: {}", options_.workers);
    if (jobs_.size() == 1 && options_.subcommand == "backfill") {
      const ProcessorInfo& info = *jobs_[0].info;
      std::string after;
      for (const std::string& up : info.upstreams) after += (after.empty() ? "" : ", ") + up;
      LogInfo("Execution order: {}/5{}", info.number, after.empty() ? "" : fmt::format(" (after {})", after));
    }
  }
  // 4. Checkpoints and resume.
  ExitCode checkpoint_code = ExitCode::kOk;
  for (ProcessorJob& job : jobs_) {
    LoadCheckpoints(job, &checkpoint_code);
    if (checkpoint_code != ExitCode::kOk) return checkpoint_code;
    if (!job.checkpoint_path.empty() && !options_.dry_run) LogInfo("Checkpoint: {}", job.checkpoint_path);
  }
  // 6. The inputs start loading now, so the load overlaps the pre-flight
  // queries (both only read; nothing is written before the pre-flight passed).
  std::optional<InputStore> inputs;
  if (!options_.dry_run) {
    inputs.emplace(warehouse_, dates_.front(), dates_.back());
    inputs->SetSchedule(std::move(schedule_));
    if (jobs_.size() > 1) {
      // The first processor computes while the later ones' inputs load: PGS
      // (PSZA's input, the next to wait) on a thread of its own.
      inputs->Prefetch(warehouse_.url(),
                       {{"player_game_summary"}, {"team_offense_game_summary", "upcoming_player_game_context"}});
    }
  }
  // 5. Pre-flight (backfill only).
  if (options_.subcommand == "backfill") {
    if (options_.skip_preflight) {
      LogWarn("⚠ Pre-flight check SKIPPED (--skip-preflight flag used)");
    } else {
      auto started = Clock::now();
      std::set<std::string> produced;
      bool failed = false;
      for (ProcessorJob& job : jobs_) {
        auto report = RunPreflight(warehouse_, *calendar_, *job.info, dates_, start_, end_, produced, options_.thresholds);
        produced.insert(job.info->name);
        if (!report.ok()) {
          LogError("pre-flight could not run: {}", report.status().message());
          return ExitCode::kDatesFailed;
        }
        for (const std::string& line : report->Lines(false)) {
          if (line.rfind("NOTE", 0) == 0) LogInfo("{}", line);
          else if (report->passed || line.rfind("PRE-FLIGHT FAILED", 0) != 0) LogInfo("{}", line);
          else LogError("{}", line);
        }
        if (report->lookback_warn) LogWarn("{}", report->lookback_line);
        if (!report->passed) {
          std::string hint = options_.dates.empty()
                                 ? fmt::format("nba-precompute preflight {} --start-date {} --end-date {} --verbose",
                                               job.info->name, start_.ToString(), end_.ToString())
                                 : fmt::format("nba-precompute preflight {} --dates ... --verbose", job.info->name);
          for (const std::string& line : report->FailureLines(hint)) LogError("{}", line);
          failed = true;
        }
      }
      preflight_ms_ = MsSince(started);
      if (failed) {
        // Nothing of Phase 4 is written; the invocation itself is logged (§14.2).
        if (!options_.dry_run) WriteRunLog(ExitCode::kPreflightFailed, MsSince(run_started));
        return ExitCode::kPreflightFailed;
      }
    }
  }
  if (options_.dry_run) return DryRun();

  // 7. Each group of processors over its dates.
  ExitCode code = ExitCode::kOk;
  std::optional<BackgroundCheckpointer> checkpointer;
  if (!options_.durable_every_date && dates_.size() > 1) checkpointer.emplace(warehouse_.url());
  if (!stopped_ && !interrupted_) {
    Status status = ExecuteCascade(*inputs);
    if (!status.ok()) {
      std::string names;
      for (const ProcessorJob& job : jobs_) {
        names += fmt::format("{}{} [{}]", names.empty() ? "" : ", ", job.info->name, job.info->alias);
      }
      LogError("{} could not run: {}", names, status.message());
      for (ProcessorJob& job : jobs_) {
        if (job.checkpoint) SaveCheckpoint(job);
      }
      code = ExitCode::kDatesFailed;
    }
  }
  checkpointer.reset();
  FinalDurablePoint();
  // 8. Summary, run log, exit code.
  int failed = 0;
  for (const ProcessorJob& job : jobs_) {
    if (job.outcomes_logged > 0 || job.failed > 0) LogSummary(job);
    failed += job.failed;
  }
  LogStaleDownstream();
  if (g_signals.load() > 0 && !interrupted_) {
    interrupted_ = true;
    LogWarn("Interrupted ({}) before any date was processed; rerun the same command to resume",
            g_last_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  if (code == ExitCode::kOk && (failed > 0 || stopped_)) code = ExitCode::kDatesFailed;
  if (interrupted_) code = ExitCode::kInterrupted;
  WriteRunLog(code, MsSince(run_started));
  if (options_.subcommand == "run") {
    // backfill.md §10: the last line.
    Date date = dates_.front();
    std::string parts;
    for (const ProcessorJob& job : jobs_) {
      std::string mark = job.failed ? "✗" : (job.skipped ? "⏭" : "✓");
      parts += fmt::format("{}{} {} {}", parts.empty() ? "" : ", ", job.info->alias, mark, job.rows);
    }
    std::string mode = !calendar_->IsGameDate(date) ? "not a game date"
                       : calendar_->IsHistorical(date) ? "historical"
                                                       : "upcoming";
    LogInfo("Run {} ({}): {}", date.ToString(), mode, parts);
  }
  return code;
}

}  // namespace

std::string NewRunId() {
  std::random_device rd;
  std::string ts = NowUtcTimestamp();
  return fmt::format("{}{}{}T{}{}{}Z-{:08x}", ts.substr(0, 4), ts.substr(5, 2), ts.substr(8, 2), ts.substr(11, 2),
                     ts.substr(14, 2), ts.substr(17, 2), rd());
}

void InstallSignalHandlers() {
  std::signal(SIGINT, HandleSignal);
  std::signal(SIGTERM, HandleSignal);
  std::signal(SIGPIPE, SIG_IGN);
}

bool StopRequested() { return g_signals.load() > 0; }
void RequestStopForTesting() { g_signals = 1; }

ExitCode RunBackfill(store::Warehouse& warehouse, const BackfillOptions& options) {
  Runner runner(warehouse, options);
  return runner.Run();
}

}  // namespace nbapc::backfill
