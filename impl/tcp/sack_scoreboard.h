// The sender's record of SACKed data above SND.UNA (RFC 6675 §3, the
// "scoreboard"; Linux tags skbs instead). Bounded: a few disjoint ranges in
// sequence space, sorted; when a new range does not fit, the highest one is
// forgotten, which only makes recovery resend more.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "impl/tcp/seq.h"
#include "impl/wire/options.h"

namespace tcpref::tcp {

class SackScoreboard {
 public:
  static constexpr uint32_t kMaxRanges = 8;

  // Folds in a segment's SACK blocks; blocks outside (SND.UNA, SND.NXT]
  // (D-SACKs, bogus ones) are ignored. Returns how many bytes were SACKed
  // for the first time (RFC 6675 §2: such an ACK counts as a DupAck).
  uint32_t update(std::span<const wire::SackBlock> blocks, uint32_t snd_una,
                  uint32_t snd_nxt);
  // SND.UNA moved: forgets what lies below it.
  void advance(uint32_t snd_una);
  void clear() { count_ = 0; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  // `seq`, or the end of the SACKed range holding it.
  [[nodiscard]] uint32_t skip_sacked(uint32_t seq) const;
  // Where the un-SACKed run starting at `seq` ends: the next range's left
  // edge, or `limit` when no range follows below it.
  [[nodiscard]] uint32_t hole_end(uint32_t seq, uint32_t limit) const;
  // Whether any SACKed byte lies above `seq` (a hole at `seq` is then
  // known, RFC 6675 NextSeg rule 1).
  [[nodiscard]] bool sacked_above(uint32_t seq) const {
    return count_ > 0 && seq_after(ranges_[count_ - 1].right, seq);
  }

 private:
  uint32_t total() const;
  std::array<wire::SackBlock, kMaxRanges + 1> ranges_{};  // +1: merge room
  uint32_t count_ = 0;
};

}  // namespace tcpref::tcp
