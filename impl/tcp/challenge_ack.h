// Per-connection challenge-ACK budget (RFC 5961 §7). Deliberately per
// connection: a global limit is a side channel that lets an off-path attacker
// infer sequence numbers (CVE-2016-5696).
#pragma once

#include <cstdint>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct ChallengeAckLimiter {
  uint32_t second = 0;  // the one-second window the count is for
  uint32_t sent = 0;

  // True when one more challenge ACK may go out in `now`'s second.
  [[nodiscard]] bool allow(Time now, uint32_t per_second) {
    const auto s = static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(now).count());
    if (s != second) {
      second = s;
      sent = 0;
    }
    if (sent >= per_second) return false;
    ++sent;
    return true;
  }
};

}  // namespace tcpref::tcp
