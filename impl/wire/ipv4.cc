#include "impl/wire/ipv4.h"

#include "impl/wire/bytes.h"
#include "impl/wire/checksum.h"

namespace tcpref::wire {

Checked<Ipv4View> Ipv4View::parse(std::span<const uint8_t> buffer) {
  if (buffer.size() < kIpv4MinHeader) return {ParseError::kIpTruncated, {}};
  if ((buffer[0] >> 4) != 4) return {ParseError::kIpBadVersion, {}};
  const size_t header_length = (size_t{buffer[0]} & 0x0f) * 4;
  if (header_length < kIpv4MinHeader || header_length > buffer.size()) {
    return {ParseError::kIpBadIhl, {}};
  }
  const size_t total = load_be16(buffer, 2);
  if (total < header_length || total > buffer.size()) {
    return {ParseError::kIpBadTotalLength, {}};
  }
  return {ParseError::kNone, Ipv4View(buffer.first(total))};
}

uint16_t Ipv4View::total_length() const { return load_be16(bytes_, 2); }
uint16_t Ipv4View::id() const { return load_be16(bytes_, 4); }
uint16_t Ipv4View::fragment_offset() const {
  return load_be16(bytes_, 6) & 0x1fff;
}
uint16_t Ipv4View::header_checksum() const { return load_be16(bytes_, 10); }
uint32_t Ipv4View::src() const { return load_be32(bytes_, 12); }
uint32_t Ipv4View::dst() const { return load_be32(bytes_, 16); }

bool Ipv4View::header_checksum_ok() const {
  return internet_checksum(header()) == 0;
}

void write_ipv4_header(const Ipv4Header& h,
                       std::span<uint8_t, kIpv4MinHeader> out) {
  out[0] = 0x45;  // version 4, IHL 5
  out[1] = h.tos;
  store_be16(out, 2, h.total_length);
  store_be16(out, 4, h.id);
  store_be16(out, 6, h.dont_fragment ? 0x4000 : 0);
  out[8] = h.ttl;
  out[9] = h.protocol;
  store_be16(out, 10, 0);
  store_be32(out, 12, h.src);
  store_be32(out, 16, h.dst);
  store_be16(out, 10, internet_checksum(out));
}

}  // namespace tcpref::wire
