#include "impl/wire/ipv6.h"

#include <algorithm>

#include "impl/wire/bytes.h"

namespace tcpref::wire {

Checked<Ipv6View> Ipv6View::parse(std::span<const uint8_t> buffer) {
  if (buffer.size() < kIpv6Header) return {ParseError::kIp6Truncated, {}};
  if ((buffer[0] >> 4) != 6) return {ParseError::kIpBadVersion, {}};
  // RFC 8200 §3: Payload Length counts everything after the fixed header.
  // Zero with a Jumbo Payload option (RFC 2675) is not supported: the
  // option is unknown to the walk, whose action bits (11) say discard.
  const size_t payload = load_be16(buffer, 4);
  if (kIpv6Header + payload > buffer.size()) {
    return {ParseError::kIp6BadPayloadLength, {}};
  }
  return {ParseError::kNone, Ipv6View(buffer.first(kIpv6Header + payload))};
}

uint8_t Ipv6View::traffic_class() const {
  return static_cast<uint8_t>((bytes_[0] << 4) | (bytes_[1] >> 4));
}
uint32_t Ipv6View::flow_label() const { return load_be32(bytes_, 0) & 0xfffff; }
uint16_t Ipv6View::payload_length() const { return load_be16(bytes_, 4); }

Ipv6Bytes Ipv6View::src() const {
  Ipv6Bytes a;
  std::copy_n(bytes_.begin() + 8, a.size(), a.begin());
  return a;
}
Ipv6Bytes Ipv6View::dst() const {
  Ipv6Bytes a;
  std::copy_n(bytes_.begin() + 24, a.size(), a.begin());
  return a;
}

void write_ipv6_header(const Ipv6Header& h,
                       std::span<uint8_t, kIpv6Header> out) {
  store_be32(out, 0,
             (uint32_t{6} << 28) | (uint32_t{h.traffic_class} << 20) |
                 (h.flow_label & 0xfffff));
  store_be16(out, 4, h.payload_length);
  out[6] = h.next_header;
  out[7] = h.hop_limit;
  std::copy(h.src.begin(), h.src.end(), out.begin() + 8);
  std::copy(h.dst.begin(), h.dst.end(), out.begin() + 24);
}

}  // namespace tcpref::wire
