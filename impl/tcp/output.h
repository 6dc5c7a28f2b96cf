// Emits segments: wire::emit into one preallocated buffer, then the caller's
// PacketSink. Counts OutSegs and OutRsts.
#pragma once

#include <cstdint>
#include <vector>

#include "impl/tcp/counters.h"
#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {

class Output {
 public:
  Output(PacketSink& sink, Counters& counters, uint16_t mtu)
      : sink_(sink),
        counters_(counters),
        buffer_(wire::kMaxHeaders + mtu),
        payload_(mtu) {}

  // False if the segment could not be emitted (it does not fit the MTU
  // buffer); nothing is sent then.
  bool send(const wire::Segment& segment);
  // Room to gather one segment's payload (it must not overlap the packet
  // buffer emit() writes into); valid until the next send().
  std::span<uint8_t> payload_scratch() { return payload_; }

 private:
  PacketSink& sink_;
  Counters& counters_;
  std::vector<uint8_t> buffer_;
  std::vector<uint8_t> payload_;
};

}  // namespace tcpref::tcp
