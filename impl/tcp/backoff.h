// The SYN / SYN-ACK retransmission timeout after `retransmits` doublings
// (RFC 6298 §5.5), capped at 120 s like Linux's TCP_RTO_MAX (RFC 6298 §2.5
// allows any maximum of at least 60 s). Defined for every count: a shift
// of 32 or more would be undefined, and the cap is reached by 7.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace tcpref::tcp {

inline constexpr std::chrono::microseconds kMaxBackoff =
    std::chrono::seconds(120);

[[nodiscard]] constexpr std::chrono::microseconds backed_off(
    std::chrono::microseconds initial, uint32_t retransmits) {
  std::chrono::microseconds rto = initial;
  for (uint32_t i = 0; i < retransmits && rto < kMaxBackoff; ++i) rto *= 2;
  return std::min(rto, std::max(initial, kMaxBackoff));
}

}  // namespace tcpref::tcp
