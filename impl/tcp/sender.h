// The send half of a connection's TCB (gVisor's `snd`): the send sequence
// variables of RFC 9293 §3.3.1, the send buffer, the RTT estimator,
// congestion control, the SACK scoreboard, loss recovery, our FIN, and the
// retransmission/persist timer. Segments go out through the Connection,
// which owns both halves (transfer.cc); what needs only this half is here.
#pragma once

#include <cstdint>
#include <optional>

#include "impl/tcp/congestion.h"
#include "impl/tcp/rtt_estimator.h"
#include "impl/tcp/sack_scoreboard.h"
#include "impl/tcp/send_buffer.h"
#include "impl/tcp/stack.h"

namespace tcpref::tcp {

// Our FIN (RFC 9293 §3.10.4 CLOSE): queued behind the buffered data, then
// sent (SND.NXT is past it from then on).
enum class FinState : uint8_t {
  kNone,
  kQueued,  // shutdown: FIN follows the last buffered byte
  kSent,    // SND.NXT is past the FIN
};

// Where loss recovery stands, in Linux's tcp_ca_state terms. Recovery and
// Loss are read from the data they follow (NewReno's fast recovery, the
// go-back-N point after an RTO); `Sender::tlp` is the stored part.
enum class LossState : uint8_t {
  kOpen,      // nothing suspected lost
  kRecovery,  // fast recovery (RFC 5681 §3.2, RFC 6582, RFC 6675)
  kLoss,      // after an RTO: [rtx_nxt, SND.NXT) is being resent
};

// RFC 8985 tail loss probe.
enum class TlpState : uint8_t {
  kNone,
  kArmed,  // timer_due is a probe, not the RTO
  kOut,    // a probe went out, no ACK has advanced since
};

class Sender {
 public:
  // Send sequence variables (RFC 9293 §3.3.1).
  uint32_t iss = 0;
  uint32_t una = 0, nxt = 0, wnd = 0, wl1 = 0, wl2 = 0;
  uint32_t max_wnd = 0;  // RFC 5961 §5.2 MAX.SND.WND
  uint8_t wscale = 0;    // the peer's window scale (RFC 7323 §2.3)
  // Bytes from SND.UNA on, RTO, NewReno.
  SendBuffer buffer;
  RttEstimator rtt{RttConfig{}};
  NewReno cc{kDefaultSmss, 0};
  // After an RTO everything from SND.UNA counts as lost and is resent up to
  // SND.NXT (go-back-N, as Linux's tcp_enter_loss does without SACK);
  // rtx_nxt is the next sequence number to resend, SND.NXT when none.
  uint32_t rtx_nxt = 0;
  SackScoreboard sacked;  // what the peer SACKed above SND.UNA
  uint32_t high_rxt = 0;  // RFC 6675 HighRxt: highest resent in recovery
  TlpState tlp = TlpState::kNone;
  FinState fin = FinState::kNone;
  uint8_t retransmits = 0;  // of our SYN, SYN-ACK or FIN, whichever is out
  Time timer_due{0};        // retransmission/persist timer; 0: not armed
  Time stalled_since{0};    // oldest unanswered transmission (user timeout)

  // Entering a synchronized state: RTO and congestion control from the
  // configuration and the send MSS.
  void start(const StackConfig& config, uint16_t smss);

  // One past the last byte the application wrote.
  [[nodiscard]] uint32_t data_end() const { return una + buffer.size(); }
  [[nodiscard]] uint32_t in_flight() const { return nxt - una; }
  [[nodiscard]] LossState loss_state() const;
  // The timer no longer stands for a probe (a probe out stays out).
  void disarm_probe() {
    if (tlp == TlpState::kArmed) tlp = TlpState::kNone;
  }
  // An ACK advanced SND.UNA: a probe out was answered.
  void probe_answered() {
    if (tlp == TlpState::kOut) tlp = TlpState::kNone;
  }
  // now + RTO, but never past `user_timeout` after the stall began, so the
  // abort comes at the set time (Linux tcp_clamp_rto_to_user_timeout).
  [[nodiscard]] Time rto_due(Time now, Time user_timeout) const;
  // RFC 9293 §3.10.7.4: the window comes only from an ACK in
  // [SND.UNA, SND.NXT] (an older one is a duplicate) and from the newest
  // segment (SND.WL1/SND.WL2).
  void update_window(uint32_t seg_seq, uint32_t seg_ack, uint32_t seg_wnd);
  // The window of a segment that completes the handshake (RFC 9293
  // §3.10.7.4 SYN-RECEIVED → ESTABLISHED), scaled (RFC 7323 §2.2).
  void take_handshake_window(uint32_t seg_seq, uint32_t seg_ack,
                             uint16_t seg_window);
  // RFC 6675 §4 NextSeg rule 1 (without IsLost's threshold): the first
  // un-SACKed byte above what this recovery already resent, below SACKed
  // data; nullopt when there is none.
  [[nodiscard]] std::optional<uint32_t> next_hole() const;

 private:
  static constexpr uint16_t kDefaultSmss = 536;
};

}  // namespace tcpref::tcp
