// Test-only: hand-built IPv4/UDP packets (the TUN layer is tested without
// the TCP stack), and a private network namespace with a configured TUN.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tcpref::io::testing {

inline uint16_t ones_complement(std::span<const uint8_t> bytes,
                                uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  }
  if (bytes.size() % 2 != 0) sum += static_cast<uint32_t>(bytes.back() << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

inline void put16(std::vector<uint8_t>& p, size_t at, uint16_t v) {
  p[at] = static_cast<uint8_t>(v >> 8);
  p[at + 1] = static_cast<uint8_t>(v);
}
inline void put32(std::vector<uint8_t>& p, size_t at, uint32_t v) {
  put16(p, at, static_cast<uint16_t>(v >> 16));
  put16(p, at + 2, static_cast<uint16_t>(v));
}
inline uint16_t get16(std::span<const uint8_t> p, size_t at) {
  return static_cast<uint16_t>(p[at] << 8 | p[at + 1]);
}
inline uint32_t get32(std::span<const uint8_t> p, size_t at) {
  return static_cast<uint32_t>(get16(p, at)) << 16 | get16(p, at + 2);
}

// A valid IPv4/UDP datagram with both checksums.
inline std::vector<uint8_t> udp_packet(uint32_t src, uint16_t sport,
                                       uint32_t dst, uint16_t dport,
                                       std::string_view payload) {
  std::vector<uint8_t> p(28 + payload.size());
  p[0] = 0x45;
  put16(p, 2, static_cast<uint16_t>(p.size()));
  p[6] = 0x40;  // DF
  p[8] = 64;
  p[9] = 17;
  put32(p, 12, src);
  put32(p, 16, dst);
  put16(p, 10, ones_complement(std::span(p).first(20)));
  put16(p, 20, sport);
  put16(p, 22, dport);
  put16(p, 24, static_cast<uint16_t>(8 + payload.size()));
  std::copy(payload.begin(), payload.end(), p.begin() + 28);
  uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) +
                    (dst & 0xffff) + 17 + 8 + payload.size();
  uint16_t c = ones_complement(std::span(p).subspan(20), pseudo);
  put16(p, 26, c == 0 ? 0xffff : c);
  return p;
}

}  // namespace tcpref::io::testing
