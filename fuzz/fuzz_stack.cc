#include "fuzz/fuzz_stack.h"

#include "fuzz/fuzz_check.h"
#include "impl/wire/segment.h"

namespace tcpref::fuzz {

tcp::StackConfig fuzz_stack_config() {
  tcp::StackConfig c;
  c.max_listeners = 2;
  c.max_request_socks = 6;
  c.max_sockets = 6;
  c.max_time_wait = 3;
  c.receive_buffer = 4096;
  c.send_buffer = 4096;
  for (uint8_t i = 0; i < 16; ++i) {
    c.isn_key[i] = static_cast<uint8_t>(0x11 * i);
    c.cookie_key[i] = static_cast<uint8_t>(0xF0 - i);
  }
  return c;
}

void CheckingSink::send(std::span<const uint8_t> ip_packet) {
  FUZZ_CHECK(wire::parse_packet(ip_packet).ok());
  ++total;
  packets.emplace_back(ip_packet.begin(), ip_packet.end());
}

}  // namespace tcpref::fuzz
