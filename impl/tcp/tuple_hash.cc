#include "impl/tcp/tuple_hash.h"

#include <sodium.h>

#include <cstring>

namespace tcpref::tcp {

namespace {
void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
}  // namespace

std::array<uint8_t, 12> tuple_bytes(const FourTuple& tuple) {
  std::array<uint8_t, 12> b{};
  put32(&b[0], tuple.local.addr);
  put32(&b[4], tuple.remote.addr);
  put16(&b[8], tuple.local.port);
  put16(&b[10], tuple.remote.port);
  return b;
}

uint64_t TupleHasher::operator()(const FourTuple& tuple) const {
  const std::array<uint8_t, 12> in = tuple_bytes(tuple);
  uint8_t out[crypto_shorthash_siphash24_BYTES];
  crypto_shorthash_siphash24(out, in.data(), in.size(), key_.data());
  uint64_t h;
  std::memcpy(&h, out, sizeof h);
  return h;
}

}  // namespace tcpref::tcp
