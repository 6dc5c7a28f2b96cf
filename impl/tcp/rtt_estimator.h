// Round-trip time estimation and the retransmission timeout (RFC 6298),
// with RTT samples from timestamps (RFC 7323 §4) or, without them, from one
// timed segment at a time under Karn's rule (RFC 6298 §3).
//
// The minimum RTO is a parameter: RFC 6298 §2.4 says 1 s; Linux uses
// 200 ms (TCP_RTO_MIN), which is our default because a 1 s floor makes every
// timeout on a fast path cost far more than the path's RTT. The maximum is
// 120 s like Linux's TCP_RTO_MAX (§2.5 allows any value ≥ 60 s). Each ACK
// that advances SND.UNA gives at most one sample (RFC 7323 Appendix G's
// per-window weighting is not applied, as in Linux).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct RttConfig {
  Time min_rto = std::chrono::milliseconds(200);
  Time max_rto = std::chrono::seconds(120);
  Time initial_rto = std::chrono::seconds(1);  // RFC 6298 §2.1
  // G, the clock granularity (RFC 6298 §2): our timestamp clock ticks in
  // milliseconds (isn.h ts_clock).
  Time granularity = std::chrono::milliseconds(1);
};

class RttEstimator {
 public:
  explicit RttEstimator(const RttConfig& config = {});

  // RFC 6298 §2.2/§2.3: folds one measurement R into SRTT and RTTVAR,
  // recomputes RTO and clears any backoff (§5.7 / Karn: a valid sample
  // ends the backed-off RTO).
  void add_sample(Time r);

  // Karn timing (no timestamps): a segment ending at `end` was sent at
  // `now`. Starts timing it if nothing is being timed; a retransmission
  // cancels the measurement in progress, so no sample is ever taken from an
  // ambiguous ACK (RFC 6298 §3).
  void on_send(uint32_t end, Time now, bool retransmission);

  // An ACK advanced SND.UNA to `ack`. `ts_rtt` is the measurement from its
  // TSecr when timestamps are on (rtt_from_tsecr); otherwise the timed
  // segment gives the sample once `ack` covers it. Returns the sample taken.
  std::optional<Time> on_ack(uint32_t ack, std::optional<Time> ts_rtt,
                             Time now);

  // RFC 6298 §5.5: the retransmission timer expired — double the RTO (up to
  // the maximum) and stop timing (§5 / Karn).
  void backoff();

  [[nodiscard]] Time rto() const { return rto_; }
  [[nodiscard]] std::optional<Time> srtt() const;
  [[nodiscard]] Time rttvar() const { return rttvar_; }
  // Timeouts since the last valid sample.
  [[nodiscard]] uint32_t backoffs() const { return backoffs_; }
  [[nodiscard]] bool timing() const { return timing_; }

 private:
  Time clamp(Time rto) const;

  RttConfig config_;
  Time srtt_{0};
  Time rttvar_{0};
  Time base_rto_;  // RTO from the estimates, before backoff
  Time rto_;
  bool has_sample_ = false;
  uint32_t backoffs_ = 0;
  bool timing_ = false;
  uint32_t timed_end_ = 0;
  Time timed_at_{0};
};

// RFC 7323 §4.1: the RTT an ACK's TSecr measures, given the TSval our clock
// would send now (ts_clock(now) + the connection's offset); one tick is a
// millisecond. Nullopt when TSecr is zero or lies in the future, which
// only a broken or lying peer sends.
[[nodiscard]] std::optional<Time> rtt_from_tsecr(uint32_t tsval_now,
                                                 uint32_t tsecr);

}  // namespace tcpref::tcp
