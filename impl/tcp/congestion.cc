#include "impl/tcp/congestion.h"

#include <algorithm>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {

namespace {
// Keeps cwnd growth from wrapping; far above any window (2^30).
constexpr uint32_t kMaxCwnd = 1u << 31;
}  // namespace

uint32_t initial_window(uint32_t smss, InitialWindow policy) {
  if (policy == InitialWindow::kRfc6928) {
    // RFC 6928 §2.
    return std::min(10 * smss, std::max(2 * smss, 14600u));
  }
  // RFC 5681 §3.1 eq. 1.
  if (smss > 2190) return 2 * smss;
  if (smss > 1095) return 3 * smss;
  return 4 * smss;
}

NewReno::NewReno(uint32_t smss, uint32_t iss, InitialWindow iw)
    : smss_(std::max(smss, 1u)),
      cwnd_(initial_window(smss_, iw)),
      recover_(iss) {}

uint32_t NewReno::reduced_ssthresh(uint32_t flight_size) const {
  // RFC 5681 §3.1 eq. 4: from FlightSize, not cwnd.
  return std::max(flight_size / 2, 2 * smss_);
}

CongestionDecision NewReno::on_new_ack(uint32_t ack, uint32_t bytes_acked,
                                       uint32_t flight_size) {
  dup_acks_ = 0;
  timeouts_ = 0;
  if (in_recovery_) {
    if (seq_after(ack, recover_)) {
      // RFC 6582 §3.2 step 3, full ACK: deflate (option 1) and leave.
      cwnd_ = std::min(ssthresh_, std::max(flight_size, smss_) + smss_);
      in_recovery_ = false;
      bytes_acked_ = 0;
      return {.retransmit = false, .restart_timer = true};
    }
    // Partial ACK: retransmit the next hole, deflate by what was acked,
    // add back one SMSS if at least that much was (RFC 6582 §3.2 step 3).
    cwnd_ = cwnd_ > bytes_acked ? cwnd_ - bytes_acked : 0;
    if (bytes_acked >= smss_) cwnd_ += smss_;
    cwnd_ = std::max(cwnd_, smss_);
    const bool first = !partial_seen_;
    partial_seen_ = true;
    return {.retransmit = true, .restart_timer = first};
  }
  if (cwnd_ < ssthresh_) {
    // RFC 5681 §3.1 eq. 2: slow start, at most SMSS per ACK.
    cwnd_ = std::min(kMaxCwnd, cwnd_ + std::min(bytes_acked, smss_));
  } else {
    // Congestion avoidance: one SMSS per cwnd of acknowledged bytes.
    bytes_acked_ += bytes_acked;
    if (bytes_acked_ >= cwnd_) {
      bytes_acked_ -= cwnd_;
      cwnd_ = std::min(kMaxCwnd, cwnd_ + smss_);
    }
  }
  return {.retransmit = false, .restart_timer = true};
}

CongestionDecision NewReno::on_duplicate_ack(uint32_t ack, uint32_t flight_size,
                                             uint32_t snd_nxt,
                                             uint32_t dupthresh) {
  if (in_recovery_) {
    // RFC 5681 §3.2 step 4: each further duplicate inflates cwnd.
    cwnd_ = std::min(kMaxCwnd, cwnd_ + smss_);
    return {};
  }
  if (++dup_acks_ < dupthresh) return {};
  // RFC 6582 §3.2 step 2: only if the ACK covers more than `recover`, so
  // losses from before a timeout do not trigger a second reduction.
  if (!seq_after(ack, recover_)) return {};
  ssthresh_ = reduced_ssthresh(flight_size);
  recover_ = snd_nxt - 1;
  cwnd_ = ssthresh_ + dup_acks_ * smss_;
  in_recovery_ = true;
  partial_seen_ = false;
  bytes_acked_ = 0;
  return {.retransmit = true, .restart_timer = false};
}

void NewReno::on_rto(uint32_t flight_size, uint32_t snd_nxt) {
  // RFC 5681 §3.1: a segment already retransmitted by the timer keeps
  // ssthresh.
  if (timeouts_ == 0) ssthresh_ = reduced_ssthresh(flight_size);
  ++timeouts_;
  cwnd_ = smss_;  // LW
  recover_ = snd_nxt - 1;
  in_recovery_ = false;
  dup_acks_ = 0;
  bytes_acked_ = 0;
}

}  // namespace tcpref::tcp
