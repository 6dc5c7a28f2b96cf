// A value or a one-line error message, for the I/O edges (device, namespace,
// files) where the caller prints the message and exits.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tcpref::io {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // Sunk and moved; clang-tidy 14 misses the move inside a class template.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  static Result failure(std::string message) {
    Result r;
    r.error_ = std::move(message);
    return r;
  }

  bool ok() const { return value_.has_value(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  const std::string& error() const { return error_; }

 private:
  Result() = default;
  std::optional<T> value_;
  std::string error_;
};

// For operations with no value: empty message means success.
using Status = Result<bool>;
inline Status ok_status() { return Status(true); }

}  // namespace tcpref::io
