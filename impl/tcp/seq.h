// Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4; RFC 1982 serial
// numbers): a precedes b when the signed 32-bit distance a − b is negative.
#pragma once

#include <cstdint>

namespace tcpref::tcp {

[[nodiscard]] constexpr bool seq_before(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) < 0;
}
[[nodiscard]] constexpr bool seq_after(uint32_t a, uint32_t b) {
  return seq_before(b, a);
}
[[nodiscard]] constexpr bool seq_before_eq(uint32_t a, uint32_t b) {
  return !seq_after(a, b);
}
[[nodiscard]] constexpr bool seq_after_eq(uint32_t a, uint32_t b) {
  return !seq_before(a, b);
}
// lo ≤ x < hi, modulo 2^32 (the usual window test).
[[nodiscard]] constexpr bool seq_in_window(uint32_t x, uint32_t lo,
                                           uint32_t hi) {
  return x - lo < hi - lo;
}

}  // namespace tcpref::tcp

namespace tcpref::tcp {

// RFC 9293 §3.10.7.4 "first check sequence number": the four cases of
// segment acceptability for SEG.LEN and RCV.WND.
[[nodiscard]] constexpr bool seq_segment_acceptable(uint32_t seg_seq,
                                                    uint32_t seg_len,
                                                    uint32_t rcv_nxt,
                                                    uint32_t rcv_wnd) {
  const uint32_t right = rcv_nxt + rcv_wnd;
  if (seg_len == 0) {
    return rcv_wnd == 0 ? seg_seq == rcv_nxt
                        : seq_in_window(seg_seq, rcv_nxt, right);
  }
  if (rcv_wnd == 0) return false;
  return seq_in_window(seg_seq, rcv_nxt, right) ||
         seq_in_window(seg_seq + seg_len - 1, rcv_nxt, right);
}

}  // namespace tcpref::tcp
