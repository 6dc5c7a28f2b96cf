// The send half's own bookkeeping; sending lives in transfer.cc.
#include "impl/tcp/sender.h"

#include <algorithm>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {

void Sender::start(const StackConfig& config, uint16_t smss) {
  RttConfig r;
  r.min_rto = config.min_rto;
  r.initial_rto = config.synack_initial_rto;
  rtt = RttEstimator(r);
  cc = NewReno(smss, iss);
  rtx_nxt = nxt;
}

LossState Sender::loss_state() const {
  if (seq_before(rtx_nxt, nxt)) return LossState::kLoss;
  if (cc.in_recovery()) return LossState::kRecovery;
  return LossState::kOpen;
}

Time Sender::rto_due(Time now, Time user_timeout) const {
  const Time due = now + rtt.rto();
  if (stalled_since == Time{0}) return due;
  return std::max(now, std::min(due, stalled_since + user_timeout));
}

void Sender::update_window(uint32_t seg_seq, uint32_t seg_ack,
                           uint32_t seg_wnd) {
  if (!seq_before(seg_ack, una) &&
      (seq_before(wl1, seg_seq) ||
       (wl1 == seg_seq && seq_before_eq(wl2, seg_ack)))) {
    wnd = seg_wnd;
    max_wnd = std::max(max_wnd, wnd);
    wl1 = seg_seq;
    wl2 = seg_ack;
  }
}

void Sender::take_handshake_window(uint32_t seg_seq, uint32_t seg_ack,
                                   uint16_t seg_window) {
  wnd = static_cast<uint32_t>(seg_window) << wscale;
  max_wnd = std::max(max_wnd, wnd);
  wl1 = seg_seq;
  wl2 = seg_ack;
}

std::optional<uint32_t> Sender::next_hole() const {
  const uint32_t seq =
      sacked.skip_sacked(seq_after(high_rxt, una) ? high_rxt : una);
  if (!sacked.sacked_above(seq)) return std::nullopt;
  return seq;
}

}  // namespace tcpref::tcp
