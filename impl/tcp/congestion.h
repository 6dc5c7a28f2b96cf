// NewReno congestion control: slow start and congestion avoidance
// (RFC 5681 §3.1), fast retransmit and fast recovery (RFC 5681 §3.2) with
// RFC 6582's partial-ACK handling and `recover` guard. Byte counts are in
// sequence space; the caller decides what is a duplicate ACK
// (is_duplicate_ack) and sends what the decision asks for.
//
// Choices: the initial window is RFC 6928's 10 segments by default (Linux's
// too); RFC 5681's smaller IW is a switch. Congestion avoidance counts
// acknowledged bytes and adds one SMSS per cwnd of them (RFC 5681 §3.1's
// byte-counting alternative to SMSS·SMSS/cwnd). Partial ACKs use the
// Impatient variant (RFC 6582 §4): only the first restarts the timer.
// Not here: restart after idle (RFC 5681 §4.1), limited transmit
// (RFC 3042), SACK-based recovery (RFC 6675).
#pragma once

#include <cstdint>

namespace tcpref::tcp {

enum class InitialWindow : uint8_t {
  kRfc6928,  // min(10·SMSS, max(2·SMSS, 14600))
  kRfc5681,  // 2, 3 or 4 segments by SMSS (RFC 5681 §3.1 eq. 1)
};

[[nodiscard]] uint32_t initial_window(uint32_t smss, InitialWindow policy);

// RFC 5681 §2 DUPLICATE ACKNOWLEDGMENT: data outstanding, no payload,
// neither SYN nor FIN, the ACK equals SND.UNA, the window is unchanged.
[[nodiscard]] constexpr bool is_duplicate_ack(
    bool data_outstanding, uint32_t payload_len, bool syn_or_fin,
    uint32_t seg_ack, uint32_t snd_una, uint32_t seg_wnd, uint32_t snd_wnd) {
  return data_outstanding && payload_len == 0 && !syn_or_fin &&
         seg_ack == snd_una && seg_wnd == snd_wnd;
}

// What the sender must do after an ACK.
struct CongestionDecision {
  bool retransmit = false;     // send the first unacknowledged segment now
  bool restart_timer = false;  // restart the retransmission timer
};

class NewReno {
 public:
  static constexpr uint32_t kDupThresh = 3;  // RFC 5681 §3.2

  // `iss` initialises `recover` (RFC 6582 §3.2 step 1).
  NewReno(uint32_t smss, uint32_t iss,
          InitialWindow iw = InitialWindow::kRfc6928);

  // An ACK moved SND.UNA forward by `bytes_acked` to `ack`; `flight_size`
  // is what is still outstanding after it (SND.NXT − ack).
  CongestionDecision on_new_ack(uint32_t ack, uint32_t bytes_acked,
                                uint32_t flight_size);
  // A duplicate ACK (is_duplicate_ack) for `ack` with `flight_size`
  // outstanding and SND.NXT at `snd_nxt`. `dupthresh` is RFC 5681's 3
  // unless the caller lowers it (RFC 5827 early retransmit).
  CongestionDecision on_duplicate_ack(uint32_t ack, uint32_t flight_size,
                                      uint32_t snd_nxt,
                                      uint32_t dupthresh = kDupThresh);
  // The retransmission timer expired (RFC 5681 §3.1 eq. 4 and LW;
  // RFC 6582 §3.2 step 4).
  void on_rto(uint32_t flight_size, uint32_t snd_nxt);

  [[nodiscard]] uint32_t cwnd() const { return cwnd_; }
  [[nodiscard]] uint32_t ssthresh() const { return ssthresh_; }
  [[nodiscard]] bool in_recovery() const { return in_recovery_; }
  // The highest sequence number sent when recovery began (RFC 6582).
  [[nodiscard]] uint32_t recover() const { return recover_; }
  [[nodiscard]] uint32_t duplicate_acks() const { return dup_acks_; }
  [[nodiscard]] uint32_t smss() const { return smss_; }

 private:
  uint32_t reduced_ssthresh(uint32_t flight_size) const;

  uint32_t smss_;
  uint32_t cwnd_;
  uint32_t ssthresh_ = UINT32_MAX;  // "arbitrarily high" (RFC 5681 §3.1)
  uint32_t recover_;
  uint32_t dup_acks_ = 0;
  uint32_t bytes_acked_ = 0;  // congestion-avoidance byte count
  uint32_t timeouts_ = 0;     // RTOs since data was last acknowledged
  bool in_recovery_ = false;
  bool partial_seen_ = false;  // a partial ACK arrived in this recovery
};

}  // namespace tcpref::tcp
