// A seeded, deterministic impairment layer for one direction of the TUN
// loop: loss, reordering and duplication (this kernel has no netem qdisc).
// The same seed and the same packets at the same times give the same result,
// so a failing run can be replayed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "impl/io/result.h"

namespace tcpref::io {

using Time = std::chrono::microseconds;

struct ImpairmentConfig {
  // Probabilities in parts per million (3% = 30000).
  uint32_t loss_ppm = 0;
  uint32_t reorder_ppm = 0;
  uint32_t duplicate_ppm = 0;
  uint64_t seed = 1;
  // A held-back packet goes out after the next one, or after this long.
  Time reorder_delay = std::chrono::milliseconds(1);

  bool enabled() const {
    return loss_ppm != 0 || reorder_ppm != 0 || duplicate_ppm != 0;
  }
};

// "loss=3%,reorder=5%,duplicate=1%,seed=7,delay=2ms" (every key optional;
// percentages may have decimals, e.g. 0.5%; delay takes ms or us).
Result<ImpairmentConfig> parse_impairment(std::string_view spec);
std::string to_string(const ImpairmentConfig& config);

struct ImpairmentStats {
  uint64_t passed = 0;  // packets offered
  uint64_t dropped = 0;
  uint64_t duplicated = 0;
  uint64_t reordered = 0;  // held back and sent after a later packet
  uint64_t delayed = 0;    // held back and sent when reorder_delay ran out
};

class PacketOut {
 public:
  virtual ~PacketOut() = default;
  virtual void deliver(std::span<const uint8_t> packet) = 0;
};

class Impairment {
 public:
  // `stream` separates the random sequences of directions and threads that
  // share one seed. `max_packet` bounds the held-back copy.
  Impairment(const ImpairmentConfig& config, uint64_t stream,
             size_t max_packet);

  // Delivers zero, one or two copies of `packet` and possibly a packet held
  // back earlier (after this one: that is the reordering).
  void process(std::span<const uint8_t> packet, Time now, PacketOut& out);
  // Sends a held-back packet whose delay has run out.
  void release_due(Time now, PacketOut& out);
  [[nodiscard]] std::optional<Time> next_deadline() const;
  const ImpairmentStats& stats() const { return stats_; }

 private:
  bool roll(uint32_t ppm);

  ImpairmentConfig config_;
  uint64_t state_;
  std::vector<uint8_t> held_;  // capacity reserved once; never reallocates
  std::optional<Time> held_until_;
  ImpairmentStats stats_;
};

}  // namespace tcpref::io
