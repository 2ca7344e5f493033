#pragma once
// Status and Result<T>: expected failures as values (conventions.md "Errors").
// A Status is OK or carries a code and a human message that says what failed
// and why. Result<T> holds either a value or a non-OK Status.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace nbapc {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad user input: flags, files, values
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // refusing to overwrite
  kIOError,             // the file system or a back end failed
  kCorruption,          // stored data violates its own format
  kUnavailable,         // transient; retryable (busy database, lock contention)
  kFailedPrecondition,  // the world is not in the state the operation needs
  kInternal,            // a bug
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message" (or "OK").
  std::string ToString() const;
  // Returns a copy whose message is "prefix: message".
  Status WithPrefix(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace nbapc

#define NBAPC_CONCAT_INNER(a, b) a##b
#define NBAPC_CONCAT(a, b) NBAPC_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when it is not OK.
#define NBAPC_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::nbapc::Status nbapc_status_ = (expr);    \
    if (!nbapc_status_.ok()) return nbapc_status_; \
  } while (0)

// `NBAPC_ASSIGN_OR_RETURN(auto x, MakeX());`
#define NBAPC_ASSIGN_OR_RETURN(lhs, rexpr) \
  NBAPC_ASSIGN_OR_RETURN_IMPL(NBAPC_CONCAT(nbapc_result_, __LINE__), lhs, rexpr)
#define NBAPC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
