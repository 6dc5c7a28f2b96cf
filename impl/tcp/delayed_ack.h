// When to acknowledge received data (RFC 1122 §4.2.3.2, RFC 9293 §3.8.6.3,
// RFC 5681 §4.2): an ACK for at least every second full-sized segment
// (counted in bytes: two receive MSS worth), at once for a segment that is
// out of order or fills a gap, and otherwise within a delay that must stay
// below 0.5 s. The delay is a parameter, 40 ms by default (Linux's
// TCP_ATO_MIN; Linux adapts it up to 200 ms, we keep it fixed, and have no
// quick-ACK mode at connection start).
//
// The connection asks on each accepted segment, and sends the ACK when told
// — or piggybacks it on data — then calls on_ack_sent(). A delayed ACK that
// the timer sends counts as DelayedACKs (the caller's counter).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

class DelayedAck {
 public:
  // RFC 9293 MUST-40: the delay must be less than 0.5 s.
  static constexpr Time kMaxDelay = std::chrono::milliseconds(499);

  explicit DelayedAck(Time delay = std::chrono::milliseconds(40))
      : delay_(std::clamp(delay, Time{0}, kMaxDelay)) {}

  // `bytes` of data were accepted at `now`; `immediate` when the segment
  // was out of order or filled (part of) a gap (RFC 5681 §4.2). True when
  // the ACK must go now; otherwise a deadline is armed (deadline()).
  [[nodiscard]] bool on_data(uint32_t bytes, uint32_t rcv_mss, bool immediate,
                             Time now) {
    unacked_ += bytes;
    if (immediate || unacked_ >= 2 * static_cast<uint64_t>(rcv_mss)) {
      return true;
    }
    // The delay runs from the oldest unacknowledged data.
    if (!deadline_) deadline_ = now + delay_;
    return false;
  }

  // An ACK went out (on its own or with data): nothing is owed.
  void on_ack_sent() {
    unacked_ = 0;
    deadline_.reset();
  }

  [[nodiscard]] std::optional<Time> deadline() const { return deadline_; }
  [[nodiscard]] bool due(Time now) const {
    return deadline_.has_value() && *deadline_ <= now;
  }
  [[nodiscard]] bool pending() const { return deadline_.has_value(); }
  [[nodiscard]] Time delay() const { return delay_; }

 private:
  Time delay_;
  uint64_t unacked_ = 0;  // bytes received since the last ACK
  std::optional<Time> deadline_;
};

}  // namespace tcpref::tcp
