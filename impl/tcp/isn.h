// Initial sequence numbers per RFC 6528 §3: ISN = M + F(4-tuple, secret),
// with M a 4 µs clock taken from `now` and F SipHash-2-4 under the stack's
// isn_key. The same hash also yields the connection's timestamp offset
// (RFC 7323 §5.4 recommends a per-connection random TSval offset).
#pragma once

#include <array>
#include <cstdint>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct IsnResult {
  uint32_t iss = 0;
  uint32_t ts_offset = 0;
};

class IsnGenerator {
 public:
  explicit IsnGenerator(const std::array<uint8_t, 16>& key) : key_(key) {}
  [[nodiscard]] IsnResult generate(const FourTuple& tuple, Time now) const;
  // The timestamp offset alone (the SYN-cookie path recomputes it).
  [[nodiscard]] uint32_t ts_offset(const FourTuple& tuple) const {
    return generate(tuple, Time{0}).ts_offset;
  }

 private:
  std::array<uint8_t, 16> key_;
};

// Our RFC 7323 timestamp clock: 1 ms ticks (§5.4 allows 1 ms to 1 s).
[[nodiscard]] inline uint32_t ts_clock(Time now) {
  return static_cast<uint32_t>(now.count() / 1000);
}

}  // namespace tcpref::tcp
