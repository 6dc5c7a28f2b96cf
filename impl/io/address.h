// IPv4 address text and the one range tcpref may use on a network:
// 198.18.0.0/15, set aside for benchmarking (RFC 2544 §C.2.2, RFC 6890).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcpref::io {

// Dotted quad → host-order address; nullopt unless exactly four decimal
// octets 0..255 without leading '+', spaces or extra characters.
[[nodiscard]] std::optional<uint32_t> parse_ipv4(std::string_view text);
[[nodiscard]] std::string format_ipv4(uint32_t addr);

struct Prefix {
  uint32_t addr = 0;
  uint8_t length = 32;
};
// "A.B.C.D/N" (N 1..32) or "A.B.C.D" with `default_length`.
[[nodiscard]] std::optional<Prefix> parse_prefix(std::string_view text,
                                                 uint8_t default_length);

// True when addr lies in 198.18.0.0/15.
[[nodiscard]] constexpr bool in_benchmark_range(uint32_t addr) {
  return (addr & 0xfffe0000u) == 0xc6120000u;
}
// True when the whole prefix lies in 198.18.0.0/15.
[[nodiscard]] constexpr bool in_benchmark_range(Prefix p) {
  return p.length >= 15 && in_benchmark_range(p.addr);
}

}  // namespace tcpref::io
