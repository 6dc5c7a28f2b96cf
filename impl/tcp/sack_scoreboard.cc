#include "impl/tcp/sack_scoreboard.h"

namespace tcpref::tcp {

uint32_t SackScoreboard::total() const {
  uint32_t n = 0;
  for (uint32_t i = 0; i < count_; ++i) n += ranges_[i].right - ranges_[i].left;
  return n;
}

uint32_t SackScoreboard::update(std::span<const wire::SackBlock> blocks,
                                uint32_t snd_una, uint32_t snd_nxt) {
  const uint32_t before = total();
  for (wire::SackBlock b : blocks) {
    if (!seq_before(b.left, b.right) || seq_before_eq(b.right, snd_una) ||
        seq_after(b.right, snd_nxt)) {
      continue;
    }
    if (seq_before(b.left, snd_una)) b.left = snd_una;
    // Insert in order, then merge with overlapping or adjacent neighbours.
    uint32_t at = 0;
    while (at < count_ && seq_before(ranges_[at].left, b.left)) ++at;
    for (uint32_t i = count_; i > at; --i) ranges_[i] = ranges_[i - 1];
    ranges_[at] = b;
    ++count_;
    uint32_t out = 0;
    for (uint32_t i = 1; i < count_; ++i) {
      wire::SackBlock& last = ranges_[out];
      if (seq_before_eq(ranges_[i].left, last.right)) {
        if (seq_after(ranges_[i].right, last.right)) {
          last.right = ranges_[i].right;
        }
      } else {
        ranges_[++out] = ranges_[i];
      }
    }
    count_ = out + 1;
    if (count_ > kMaxRanges) count_ = kMaxRanges;
  }
  const uint32_t after = total();
  return after > before ? after - before : 0;
}

void SackScoreboard::advance(uint32_t snd_una) {
  uint32_t drop = 0;
  while (drop < count_ && seq_before_eq(ranges_[drop].right, snd_una)) ++drop;
  for (uint32_t i = drop; i < count_; ++i) ranges_[i - drop] = ranges_[i];
  count_ -= drop;
  if (count_ > 0 && seq_before(ranges_[0].left, snd_una)) {
    ranges_[0].left = snd_una;
  }
}

uint32_t SackScoreboard::skip_sacked(uint32_t seq) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (seq_before_eq(ranges_[i].left, seq) &&
        seq_before(seq, ranges_[i].right)) {
      return ranges_[i].right;
    }
  }
  return seq;
}

uint32_t SackScoreboard::hole_end(uint32_t seq, uint32_t limit) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (seq_after(ranges_[i].left, seq)) {
      return seq_before(ranges_[i].left, limit) ? ranges_[i].left : limit;
    }
  }
  return limit;
}

}  // namespace tcpref::tcp
