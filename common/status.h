// SPDX-License-Identifier: Apache-2.0
// Status / Result<T>: how bad input and bad environments are reported across
// module boundaries (STYLE.md §5.4). Programmer bugs use VIGIL_CHECK instead.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/check.h"

namespace vigil {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // caller passed something malformed (config, query, CLI)
  kNotFound,         // file, key, tensor, camera or row missing
  kCorrupt,          // a file's bytes are inconsistent (GGUF, JPEG, WAV, DB)
  kUnsupported,      // well-formed but not handled (quant type, codec, arch)
  kOutOfRange,       // a size or offset beyond a limit
  kIo,               // the OS said no (read, write, fsync, rename, socket)
  kUnavailable,      // a peer is offline or timed out (camera, broker)
  kUnauthenticated,  // wrong or missing credentials
  kInternal,         // a third-party library failed unexpectedly
  kSentinel,
};

// Returns a stable, serializable name such as "NotFound".
const char* StatusCodeName(StatusCode code);

// Thread-compatible value type. `ok()` is true for the default value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Returns "NotFound: tensor 'x' missing" (or "OK").
  std::string ToString() const;
  // Returns a copy whose message is prefixed with `context + ": "`.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) {
  return {StatusCode::kNotFound, std::move(m)};
}
inline Status Corrupt(std::string m) {
  return {StatusCode::kCorrupt, std::move(m)};
}
inline Status Unsupported(std::string m) {
  return {StatusCode::kUnsupported, std::move(m)};
}
inline Status OutOfRange(std::string m) {
  return {StatusCode::kOutOfRange, std::move(m)};
}
inline Status IoError(std::string m) { return {StatusCode::kIo, std::move(m)}; }
inline Status Unavailable(std::string m) {
  return {StatusCode::kUnavailable, std::move(m)};
}
inline Status Unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status InternalError(std::string m) {
  return {StatusCode::kInternal, std::move(m)};
}

// Either a value or a non-OK Status. Thread-compatible.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    VIGIL_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    VIGIL_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    VIGIL_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    VIGIL_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace vigil

#define VIGIL_CONCAT_INNER_(a, b) a##b
#define VIGIL_CONCAT_(a, b) VIGIL_CONCAT_INNER_(a, b)

// Returns early from the enclosing function with the Status if it is not OK.
#define VIGIL_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::vigil::Status vigil_status_ = (expr);        \
    if (!vigil_status_.ok()) return vigil_status_; \
  } while (0)

// `VIGIL_ASSIGN_OR_RETURN(auto x, F());` unwraps a Result or returns its error.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr) \
  VIGIL_ASSIGN_OR_RETURN_IMPL_(VIGIL_CONCAT_(vigil_result_, __LINE__), lhs, expr)
#define VIGIL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
