// The out-of-order queue of one connection (RFC 9293 §3.10.7.4 "seventh";
// RFC 5681 §4.2; Linux tcp_data_queue / tcp_ofo_queue).
//
// Design: bytes that arrive beyond RCV.NXT are kept in a byte ring indexed
// by sequence number modulo its capacity (a power of two, so the index does
// not depend on where RCV.NXT is), and a bounded, sorted array of disjoint
// sequence ranges says which bytes are held. Data at RCV.NXT goes straight
// into the ReceiveBuffer; every arrival then pulls the contiguous prefix of
// the queue after it. Storage (ring and range slots) comes from the stack's
// arena; nothing allocates.
//
// Bounds: a byte is queued only if it lies within min(RCV.WND, ring size)
// of RCV.NXT. When every range slot is taken, a segment that would need a
// new range below the highest one evicts that highest range (the data
// furthest from being deliverable; RFC 2018 §8 allows reneging on SACKed
// data); otherwise the segment is not kept. A FIN is not queued: the caller
// acts on a FIN only when it arrives in order.
#pragma once

#include <cstdint>
#include <span>

#include "impl/tcp/receive_buffer.h"
#include "impl/wire/options.h"

namespace tcpref::tcp {

// One run of queued bytes, [left, right) in sequence space.
struct OooRange {
  uint32_t left = 0;
  uint32_t right = 0;
  uint32_t stamp = 0;  // arrival order of the newest segment in the range
};

// What one insert did. Each payload byte of the segment is counted once, in
// delivered, queued, duplicate or dropped; delivered also counts the queued
// bytes the segment made contiguous, so RCV.NXT advanced by `delivered`.
struct ReassemblyResult {
  uint32_t delivered = 0;     // moved into the ReceiveBuffer
  uint32_t queued = 0;        // new bytes now held out of order
  uint32_t duplicate = 0;     // already received or already queued
  uint32_t dropped = 0;       // outside the window or no room to keep them
  uint32_t evicted = 0;       // queued bytes discarded to make room
  bool out_of_order = false;  // the segment started beyond RCV.NXT
  bool filled_gap = false;    // it made queued bytes deliverable
};

class Reassembly {
 public:
  Reassembly() = default;
  // Uses the largest power-of-two prefix of `storage` as the ring.
  Reassembly(std::span<uint8_t> storage, std::span<OooRange> slots);

  // Takes a segment's payload starting at `seq`. Bytes before `rcv_nxt`
  // are trimmed as duplicates; bytes at or after rcv_nxt + min(rcv_wnd,
  // ring size) are dropped. In-order bytes are pushed into `rx` (as many as
  // it has room for) and `rcv_nxt` advances over everything delivered.
  ReassemblyResult insert(uint32_t seq, std::span<const uint8_t> payload,
                          uint32_t& rcv_nxt, uint32_t rcv_wnd,
                          ReceiveBuffer& rx);

  // RFC 2018 §4: blocks to advertise, the one holding the most recently
  // received segment first, then by recency. Returns how many were written.
  uint32_t sack_blocks(std::span<wire::SackBlock> out) const;

  void clear() { count_ = 0; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] uint32_t range_count() const { return count_; }
  [[nodiscard]] std::span<const OooRange> ranges() const {
    return slots_.first(count_);
  }
  [[nodiscard]] uint32_t queued_bytes() const;
  [[nodiscard]] uint32_t ring_size() const { return ring_size_; }

 private:
  void copy_in(uint32_t seq, std::span<const uint8_t> bytes);
  // Drops queued bytes below rcv_nxt, then moves the queue's contiguous
  // prefix into rx.
  uint32_t pull(uint32_t& rcv_nxt, ReceiveBuffer& rx);
  // Merges [left, right) into the sorted ranges; returns bytes newly held,
  // or kNotKept.
  static constexpr uint32_t kNotKept = UINT32_MAX;
  uint32_t add_range(uint32_t left, uint32_t right, ReassemblyResult& r);
  void erase(uint32_t first, uint32_t n);

  std::span<uint8_t> ring_;
  uint32_t ring_size_ = 0;  // 0 or a power of two ≤ 2^30 (RFC 7323 §2.3)
  std::span<OooRange> slots_;
  uint32_t count_ = 0;  // slots_[0, count_) sorted by left, disjoint
  uint32_t clock_ = 0;  // stamps arrivals for SACK recency
};

}  // namespace tcpref::tcp
