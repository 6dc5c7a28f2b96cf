// The receive half of a connection's TCB (gVisor's `rcv`): the receive
// sequence variables of RFC 9293 §3.3.1, the advertised window, the receive
// buffer and out-of-order queue, when to acknowledge (delayed ACK, Linux's
// quick-ACK mode) and TS.Recent (RFC 7323 §4.3).
#pragma once

#include <cstdint>

#include "impl/tcp/delayed_ack.h"
#include "impl/tcp/reassembly.h"
#include "impl/tcp/receive_buffer.h"
#include "impl/tcp/stack.h"

namespace tcpref::tcp {

class Receiver {
 public:
  // Receive sequence variables (RFC 9293 §3.3.1).
  uint32_t irs = 0;
  uint32_t nxt = 0;
  uint32_t adv = 0;    // right edge of the window last advertised
  uint8_t wscale = 0;  // our window scale (RFC 7323 §2.3)
  ReceiveBuffer buffer;
  Reassembly ooo;
  DelayedAck dack{DelayedAck::kMaxDelay};
  // Linux's quick-ACK mode at connection start (TCP_MAX_QUICKACKS): the
  // first segments are ACKed at once so the peer's slow start is not slowed.
  uint8_t quickacks = 16;
  bool ack_owed = false;  // an ACK must go before this event ends
  uint32_t ts_recent = 0;

  // Entering a synchronized state.
  void start(const StackConfig& config) {
    dack = DelayedAck(config.delayed_ack);
  }
  // RCV.WND: what the buffer takes, up to what `shift` lets the window
  // field say.
  [[nodiscard]] uint32_t wnd(uint8_t shift) const;
  // Accepted data (established.cc) was delivered or queued: whether the
  // ACK goes now (ack_owed) or the delayed-ACK timer runs.
  void on_data(const ReassemblyResult& r, uint16_t rcv_mss, Time now);
  // A segment carrying our ACK with `window` (shifted by `shift`) went out.
  void on_ack_sent(uint16_t window, uint8_t shift);
  // After a read: whether the larger window is worth an ACK of its own.
  [[nodiscard]] bool window_update_due(uint16_t rcv_mss, uint8_t shift) const;
  // RFC 7323 §4.3: remember TSval from a segment that starts in sequence.
  void update_ts_recent(uint32_t seg_seq, uint32_t tsval);
};

}  // namespace tcpref::tcp
