// `nba-precompute report` (spec/validation.md §8).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "backfill/registry.h"
#include "cli/app.h"
#include "report/report.h"

namespace nbapc::cli {
namespace {

// Writes `content` to `path` atomically (temp file in the same directory, then rename).
Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError(fmt::format("cannot write {}", temp));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) return Status::IOError(fmt::format("writing {} failed", temp));
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return Status::IOError(fmt::format("cannot write {}: {}", path, ec.message()));
  }
  return Status::Ok();
}

}  // namespace

Subcommand ReportCommand() {
  return {"report", "write a self-contained HTML report: coverage calendar, failures, distributions, timings",
          [](CLI::App* sub, const GlobalOptions& global) -> std::function<int()> {
            struct Opts {
              std::string start_date;
              std::string end_date;
              std::string processor = "all";
              std::string out = "nba-precompute-report.html";
              std::string title = "nba-precompute report";
            };
            auto opts = std::make_shared<Opts>();
            sub->add_option("--start-date", opts->start_date, "first date (default: first game date in the schedule)");
            sub->add_option("--end-date", opts->end_date, "last date (default: last game date before today)");
            sub->add_option("--processor", opts->processor, "processor name or alias, or all")->capture_default_str();
            sub->add_option("--out", opts->out, "output file, - for stdout")->capture_default_str();
            sub->add_option("--title", opts->title, "page title")->capture_default_str();
            return [opts, &global]() -> int {
              report::ReportOptions options;
              options.processor = opts->processor;
              options.title = opts->title;
              if (!opts->start_date.empty()) {
                auto date = ParseDateFlag("--start-date", opts->start_date);
                if (!date.ok()) return Fail(ExitCode::kUsage, date.status().message());
                options.start_date = *date;
              }
              if (!opts->end_date.empty()) {
                auto date = ParseDateFlag("--end-date", opts->end_date);
                if (!date.ok()) return Fail(ExitCode::kUsage, date.status().message());
                options.end_date = *date;
              }
              if (options.start_date && options.end_date && *options.end_date < *options.start_date) {
                return Fail(ExitCode::kUsage, fmt::format("--end-date {} is before --start-date {}",
                                                          opts->end_date, opts->start_date));
              }
              if (auto resolved = backfill::ResolveProcessors(opts->processor); !resolved.ok()) {
                return Fail(ExitCode::kUsage, "--processor: " + resolved.status().message());
              }
              int exit_code = 0;
              auto read = OpenReadOnly(global, &exit_code);
              if (!read) return exit_code;
              auto& warehouse = read->warehouse;
              options.today = read->today;
              options.generated_at = NowUtcTimestamp();
              auto started = std::chrono::steady_clock::now();
              auto html = report::RenderReport(*warehouse, options);
              if (!html.ok()) {
                bool usage = html.status().code() == StatusCode::kInvalidArgument ||
                             html.status().code() == StatusCode::kFailedPrecondition;
                return Fail(usage ? ExitCode::kUsage : ExitCode::kDatesFailed, "report: " + html.status().message());
              }
              if (opts->out == "-") {
                std::cout << *html;
                std::cout.flush();
                if (!std::cout) return Fail(ExitCode::kDatesFailed, "report: writing to stdout failed");
                return 0;
              }
              Status written = WriteFileAtomically(opts->out, *html);
              if (!written.ok()) return Fail(ExitCode::kDatesFailed, "report: " + written.message());
              double seconds =
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
              if (!global.quiet) {
                std::cerr << fmt::format("report: wrote {} ({} bytes) in {:.1f} s\n", opts->out, html->size(), seconds);
              }
              return 0;
            };
          }};
}

}  // namespace nbapc::cli
