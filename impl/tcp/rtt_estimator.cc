#include "impl/tcp/rtt_estimator.h"

#include <algorithm>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {

namespace {
Time abs_diff(Time a, Time b) { return a > b ? a - b : b - a; }
}  // namespace

RttEstimator::RttEstimator(const RttConfig& config)
    : config_(config), base_rto_(clamp(config.initial_rto)), rto_(base_rto_) {}

Time RttEstimator::clamp(Time rto) const {
  // RFC 6298 §2.4 (minimum) and §2.5 (maximum).
  return std::clamp(rto, config_.min_rto,
                    std::max(config_.min_rto, config_.max_rto));
}

void RttEstimator::add_sample(Time r) {
  if (!has_sample_) {
    // RFC 6298 §2.2: SRTT ← R, RTTVAR ← R/2.
    srtt_ = r;
    rttvar_ = r / 2;
    has_sample_ = true;
  } else {
    // RFC 6298 §2.3, β = 1/4 and α = 1/8; RTTVAR uses the old SRTT.
    rttvar_ = (3 * rttvar_ + abs_diff(srtt_, r)) / 4;
    srtt_ = (7 * srtt_ + r) / 8;
  }
  // RTO ← SRTT + max(G, K·RTTVAR), K = 4.
  base_rto_ = clamp(srtt_ + std::max(config_.granularity, 4 * rttvar_));
  rto_ = base_rto_;
  backoffs_ = 0;
}

void RttEstimator::on_send(uint32_t end, Time now, bool retransmission) {
  if (retransmission) {
    timing_ = false;
    return;
  }
  if (timing_) return;
  timing_ = true;
  timed_end_ = end;
  timed_at_ = now;
}

std::optional<Time> RttEstimator::on_ack(uint32_t ack,
                                         std::optional<Time> ts_rtt, Time now) {
  std::optional<Time> sample;
  if (ts_rtt) {
    sample = ts_rtt;
  } else if (timing_ && seq_after_eq(ack, timed_end_)) {
    sample = now - timed_at_;
  }
  if (timing_ && seq_after_eq(ack, timed_end_)) timing_ = false;
  if (sample) add_sample(*sample);
  return sample;
}

void RttEstimator::backoff() {
  // RFC 6298 §5.5.
  ++backoffs_;
  rto_ = std::min(rto_ * 2, std::max(config_.min_rto, config_.max_rto));
  timing_ = false;
}

std::optional<Time> RttEstimator::srtt() const {
  if (!has_sample_) return std::nullopt;
  return srtt_;
}

std::optional<Time> rtt_from_tsecr(uint32_t tsval_now, uint32_t tsecr) {
  if (tsecr == 0 || seq_after(tsecr, tsval_now)) return std::nullopt;
  return std::chrono::milliseconds(tsval_now - tsecr);
}

}  // namespace tcpref::tcp
