// The receive half's own bookkeeping; segment processing lives in
// established.cc.
#include "impl/tcp/receiver.h"

#include <algorithm>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {

namespace {
bool immediate_ack_needed(const ReassemblyResult& r) {
  // RFC 5681 §4.2: out-of-order data, a filled gap, or nothing new (a
  // duplicate or a segment without room) is ACKed at once.
  return r.out_of_order || r.filled_gap || r.delivered == 0;
}
}  // namespace

uint32_t Receiver::wnd(uint8_t shift) const {
  const uint32_t max_wnd = 65535u << shift;
  return std::min(buffer.free(), max_wnd);
}

void Receiver::on_data(const ReassemblyResult& r, uint16_t rcv_mss, Time now) {
  const bool quick = quickacks > 0;
  if (quick && r.delivered > 0) --quickacks;
  if (dack.on_data(r.delivered, rcv_mss, quick || immediate_ack_needed(r),
                   now)) {
    ack_owed = true;
  }
}

void Receiver::on_ack_sent(uint16_t window, uint8_t shift) {
  adv = nxt + (static_cast<uint32_t>(window) << shift);
  dack.on_ack_sent();
  ack_owed = false;
}

bool Receiver::window_update_due(uint16_t rcv_mss, uint8_t shift) const {
  // A window update of its own only when the peer may be held back: the
  // window it sees (up to the last advertised right edge) is at most half of
  // what we can offer now, as Linux does (tcp_cleanup_rbuf); and, RFC 9293
  // §3.8.6.2.2 (receiver SWS avoidance), only once the window grew by
  // min(buffer/2, MSS). Otherwise the next ACK carries the larger window.
  const uint32_t seen = seq_after(adv, nxt) ? adv - nxt : 0;
  const uint32_t now_wnd = wnd(shift);
  const uint32_t threshold = std::min<uint32_t>(buffer.capacity() / 2, rcv_mss);
  return now_wnd >= seen + threshold && now_wnd / 2 >= seen;
}

void Receiver::update_ts_recent(uint32_t seg_seq, uint32_t tsval) {
  if (seq_before_eq(seg_seq, nxt)) {
    ts_recent = std::max(ts_recent, tsval, [](uint32_t a, uint32_t b) {
      return seq_before(a, b);
    });
  }
}

}  // namespace tcpref::tcp
