// Addresses a TCP segment may never come from or go to (RFC 1122
// §4.2.3.10: no connections to or from broadcast or multicast addresses).
#pragma once

#include <cstdint>

namespace tcpref::tcp {

[[nodiscard]] inline bool bad_address(uint32_t a) {
  return a == 0 || a == 0xffffffffu || (a >> 28) == 0xe || (a >> 28) == 0xf;
}

// RFC 1122 §3.2.1.3: sources a host must discard — "this network" 0/8,
// loopback 127/8, class D multicast 224/4, class E 240/4 and the limited
// broadcast 255.255.255.255 (inside 240/4).
[[nodiscard]] inline bool martian_source(uint32_t a) {
  return (a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe;
}

}  // namespace tcpref::tcp
