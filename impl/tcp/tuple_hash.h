// Keyed hash of a 4-tuple for the flow tables. Keyed (SipHash-2-4) so a
// remote peer cannot aim many flows at one bucket.
#pragma once

#include <array>
#include <cstdint>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

// The 12 bytes that identify a flow, in a fixed (network) order, for hashing.
std::array<uint8_t, 12> tuple_bytes(const FourTuple& tuple);

class TupleHasher {
 public:
  explicit TupleHasher(const std::array<uint8_t, 16>& key) : key_(key) {}
  [[nodiscard]] uint64_t operator()(const FourTuple& tuple) const;

 private:
  std::array<uint8_t, 16> key_;
};

}  // namespace tcpref::tcp
