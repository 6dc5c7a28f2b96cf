// Addresses a TCP segment may never come from or go to (RFC 1122
// §4.2.3.10: no connections to or from broadcast or multicast addresses).
#pragma once

#include <cstdint>

namespace tcpref::tcp {

[[nodiscard]] inline bool bad_address(uint32_t a) {
  return a == 0 || a == 0xffffffffu || (a >> 28) == 0xe || (a >> 28) == 0xf;
}

}  // namespace tcpref::tcp
