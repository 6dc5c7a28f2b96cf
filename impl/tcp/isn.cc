#include "impl/tcp/isn.h"

#include <sodium.h>

#include <cstring>

#include "impl/tcp/tuple_hash.h"

namespace tcpref::tcp {

IsnResult IsnGenerator::generate(const FourTuple& tuple, Time now) const {
  const std::array<uint8_t, 12> in = tuple_bytes(tuple);
  uint8_t out[crypto_shorthash_siphash24_BYTES];
  crypto_shorthash_siphash24(out, in.data(), in.size(), key_.data());
  uint32_t f, offset;
  std::memcpy(&f, out, 4);
  std::memcpy(&offset, out + 4, 4);
  // RFC 6528 §3: M is a timer that ticks every 4 microseconds.
  const auto m = static_cast<uint32_t>(static_cast<uint64_t>(now.count()) / 4);
  return {.iss = m + f, .ts_offset = offset};
}

}  // namespace tcpref::tcp
