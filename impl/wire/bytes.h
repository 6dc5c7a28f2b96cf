// Big-endian (network order) loads and stores at a byte offset. Byte shifts
// only: no alignment or aliasing assumptions. The caller has already checked
// that `at + width` lies inside the span (views validate once at parse).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tcpref::wire {

[[nodiscard]] inline uint16_t load_be16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

[[nodiscard]] inline uint32_t load_be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) |
         (uint32_t{b[at + 2]} << 8) | uint32_t{b[at + 3]};
}

inline void store_be16(std::span<uint8_t> b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

inline void store_be32(std::span<uint8_t> b, size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v >> 24);
  b[at + 1] = static_cast<uint8_t>(v >> 16);
  b[at + 2] = static_cast<uint8_t>(v >> 8);
  b[at + 3] = static_cast<uint8_t>(v);
}

}  // namespace tcpref::wire
