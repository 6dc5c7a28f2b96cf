#include "impl/tcp/reassembly.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {

namespace {
constexpr uint32_t kMaxRing = 1u << 30;  // the largest scaled window
}  // namespace

Reassembly::Reassembly(std::span<uint8_t> storage, std::span<OooRange> slots)
    : slots_(slots) {
  const size_t usable = std::min<size_t>(storage.size(), kMaxRing);
  ring_size_ = usable == 0 ? 0 : static_cast<uint32_t>(std::bit_floor(usable));
  ring_ = storage.first(ring_size_);
}

ReassemblyResult Reassembly::insert(uint32_t seq,
                                    std::span<const uint8_t> payload,
                                    uint32_t& rcv_nxt, uint32_t rcv_wnd,
                                    ReceiveBuffer& rx) {
  ReassemblyResult r;
  if (payload.empty()) return r;
  // RFC 9293 §3.10.7.4: trim what precedes RCV.NXT.
  if (seq_before(seq, rcv_nxt)) {
    const uint32_t skip = rcv_nxt - seq;
    if (skip >= payload.size()) {
      r.duplicate = static_cast<uint32_t>(payload.size());
      return r;
    }
    r.duplicate = skip;
    payload = payload.subspan(skip);
    seq = rcv_nxt;
  }
  const auto len = static_cast<uint32_t>(payload.size());
  const uint32_t offset = seq - rcv_nxt;
  r.out_of_order = offset != 0;
  // In-order bytes go to rx directly; only queued ones need the ring.
  const uint32_t limit =
      r.out_of_order ? std::min(rcv_wnd, ring_size_) : rcv_wnd;
  if (offset >= limit) {
    r.dropped += len;
    return r;
  }
  const uint32_t keep = std::min(len, limit - offset);
  r.dropped += len - keep;
  payload = payload.first(keep);

  if (!r.out_of_order) {
    const bool had_queue = !empty();
    const uint32_t pushed = rx.push(payload);
    r.dropped += keep - pushed;
    rcv_nxt += pushed;
    r.delivered = pushed + pull(rcv_nxt, rx);
    // RFC 5681 §4.2: a segment that fills (part of) a gap is ACKed at once.
    r.filled_gap = had_queue && pushed > 0;
    return r;
  }
  copy_in(seq, payload);
  const uint32_t added = add_range(seq, seq + keep, r);
  if (added == kNotKept) {
    r.dropped += keep;
  } else {
    r.queued = added;
    r.duplicate += keep - added;
  }
  return r;
}

void Reassembly::copy_in(uint32_t seq, std::span<const uint8_t> bytes) {
  const uint32_t mask = ring_size_ - 1;
  for (size_t done = 0; done < bytes.size();) {
    const uint32_t at = (seq + static_cast<uint32_t>(done)) & mask;
    const size_t chunk = std::min<size_t>(bytes.size() - done, ring_size_ - at);
    std::memcpy(ring_.data() + at, bytes.data() + done, chunk);
    done += chunk;
  }
}

uint32_t Reassembly::pull(uint32_t& rcv_nxt, ReceiveBuffer& rx) {
  uint32_t covered = 0;
  while (covered < count_ && seq_before_eq(slots_[covered].right, rcv_nxt)) {
    ++covered;
  }
  erase(0, covered);
  if (count_ == 0) return 0;
  OooRange& first = slots_[0];
  if (seq_before(first.left, rcv_nxt)) first.left = rcv_nxt;
  if (first.left != rcv_nxt) return 0;
  // Ranges never touch (add_range merges them), so only the first can be
  // contiguous with RCV.NXT.
  const uint32_t mask = ring_size_ - 1;
  const uint32_t want = first.right - first.left;
  uint32_t moved = 0;
  while (moved < want) {
    const uint32_t at = rcv_nxt & mask;
    const uint32_t chunk = std::min(want - moved, ring_size_ - at);
    const uint32_t got = rx.push(ring_.subspan(at, chunk));
    moved += got;
    rcv_nxt += got;
    if (got < chunk) break;
  }
  if (moved == want) {
    erase(0, 1);
  } else {
    first.left = rcv_nxt;
  }
  return moved;
}

uint32_t Reassembly::add_range(uint32_t left, uint32_t right,
                               ReassemblyResult& r) {
  // [lo, hi): the ranges that overlap or touch [left, right).
  uint32_t lo = 0;
  while (lo < count_ && seq_before(slots_[lo].right, left)) ++lo;
  uint32_t hi = lo;
  while (hi < count_ && seq_before_eq(slots_[hi].left, right)) ++hi;

  if (lo == hi) {
    if (count_ == slots_.size()) {
      // Full: keep the data closest to RCV.NXT.
      if (lo == count_) return kNotKept;
      const OooRange& last = slots_[count_ - 1];
      r.evicted += last.right - last.left;
      --count_;
    }
    std::copy_backward(slots_.begin() + lo, slots_.begin() + count_,
                       slots_.begin() + count_ + 1);
    slots_[lo] = {left, right, ++clock_};
    ++count_;
    return right - left;
  }
  uint32_t held = 0;
  for (uint32_t i = lo; i < hi; ++i) held += slots_[i].right - slots_[i].left;
  const uint32_t merged_left =
      seq_before(slots_[lo].left, left) ? slots_[lo].left : left;
  const uint32_t merged_right =
      seq_after(slots_[hi - 1].right, right) ? slots_[hi - 1].right : right;
  slots_[lo] = {merged_left, merged_right, ++clock_};
  erase(lo + 1, hi - lo - 1);
  return (merged_right - merged_left) - held;
}

void Reassembly::erase(uint32_t first, uint32_t n) {
  if (n == 0) return;
  std::copy(slots_.begin() + first + n, slots_.begin() + count_,
            slots_.begin() + first);
  count_ -= n;
}

uint32_t Reassembly::queued_bytes() const {
  uint32_t total = 0;
  for (const OooRange& range : ranges()) total += range.right - range.left;
  return total;
}

uint32_t Reassembly::sack_blocks(std::span<wire::SackBlock> out) const {
  const auto n = static_cast<uint32_t>(std::min<size_t>(out.size(), count_));
  // Selection by stamp, newest first; stamps compare as serial numbers.
  uint32_t previous = 0;
  for (uint32_t k = 0; k < n; ++k) {
    const OooRange* best = nullptr;
    for (const OooRange& range : ranges()) {
      if (k > 0 && !seq_before(range.stamp, previous)) continue;
      if (best == nullptr || seq_after(range.stamp, best->stamp)) best = &range;
    }
    out[k] = {best->left, best->right};
    previous = best->stamp;
  }
  return n;
}

}  // namespace tcpref::tcp
