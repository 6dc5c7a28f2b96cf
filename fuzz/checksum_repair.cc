#include "fuzz/checksum_repair.h"

#include "impl/wire/checksum.h"

namespace tcpref::fuzz {

namespace {

uint16_t load16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}
uint32_t load32(std::span<const uint8_t> b, size_t at) {
  return uint32_t{load16(b, at)} << 16 | load16(b, at + 2);
}
void store16(std::span<uint8_t> b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

}  // namespace

void repair_checksums(std::span<uint8_t> packet) {
  if (packet.size() < 20) return;
  const size_t ihl = size_t{packet[0] & 0x0fu} * 4;
  if (ihl < 20 || ihl > packet.size()) return;
  // RFC 791 §3.1: the header checksum covers the header only.
  store16(packet, 10, 0);
  store16(packet, 10, wire::internet_checksum(packet.first(ihl)));
  const size_t total = load16(packet, 2);
  if (packet[9] != 6 || total < ihl + 20 || total > packet.size()) return;
  // RFC 9293 §3.1: the TCP checksum covers a pseudo-header and the segment.
  const std::span<uint8_t> segment = packet.subspan(ihl, total - ihl);
  store16(segment, 16,
          wire::tcp_checksum(load32(packet, 12), load32(packet, 16), segment));
}

}  // namespace tcpref::fuzz
