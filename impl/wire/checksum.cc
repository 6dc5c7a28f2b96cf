#include "impl/wire/checksum.h"

#include "impl/wire/bytes.h"

namespace tcpref::wire {
namespace {

// Offset of the checksum field inside a TCP header (RFC 9293 §3.1).
constexpr size_t kTcpChecksumOffset = 16;
constexpr uint8_t kTcpProtocol = 6;

// End-around carry down to 16 significant bits (RFC 1071 §4.1 "fold").
uint32_t fold16(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint32_t>(sum);
}

}  // namespace

uint32_t checksum_add(uint32_t sum, std::span<const uint8_t> bytes) {
  // A 64-bit accumulator cannot overflow for any IP packet; folding back to
  // 16 bits keeps the one's-complement value (2^16 ≡ 1 mod 0xffff).
  uint64_t acc = sum;
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) acc += load_be16(bytes, i);
  if (i < bytes.size()) acc += uint32_t{bytes[i]} << 8;  // RFC 1071 §4.1 pad
  return fold16(acc);
}

uint16_t checksum_fold(uint32_t sum) {
  return static_cast<uint16_t>(~fold16(sum));
}

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  return checksum_fold(checksum_add(0, bytes));
}

uint32_t pseudo_header_sum(uint32_t src_addr, uint32_t dst_addr,
                           uint8_t protocol, uint16_t tcp_length) {
  // RFC 9293 §3.1: source, destination, zero + PTCL, TCP length.
  uint64_t acc = uint64_t{src_addr >> 16} + (src_addr & 0xffff) +
                 (dst_addr >> 16) + (dst_addr & 0xffff) + protocol + tcp_length;
  return fold16(acc);
}

uint32_t pseudo_header_sum(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                           uint8_t next_header, uint32_t upper_layer_length) {
  // RFC 8200 §8.1: source, destination, length (32 bits), zero, next header.
  uint64_t acc = checksum_add(checksum_add(0, src_addr), dst_addr);
  acc += (upper_layer_length >> 16) + (upper_layer_length & 0xffff);
  acc += next_header;
  return fold16(acc);
}

namespace {

// The sum over `pseudo` + the segment, its checksum field included or not.
uint32_t tcp_sum(uint32_t pseudo, std::span<const uint8_t> segment,
                 bool include_field) {
  if (include_field || segment.size() < kTcpChecksumOffset + 2) {
    return checksum_add(pseudo, segment);
  }
  const uint32_t head = checksum_add(pseudo, segment.first(kTcpChecksumOffset));
  return checksum_add(head, segment.subspan(kTcpChecksumOffset + 2));
}

uint32_t pseudo4(uint32_t src_addr, uint32_t dst_addr,
                 std::span<const uint8_t> segment) {
  return pseudo_header_sum(src_addr, dst_addr, kTcpProtocol,
                           static_cast<uint16_t>(segment.size()));
}

uint32_t pseudo6(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                 std::span<const uint8_t> segment) {
  return pseudo_header_sum(src_addr, dst_addr, kTcpProtocol,
                           static_cast<uint32_t>(segment.size()));
}

}  // namespace

uint16_t tcp_checksum(uint32_t src_addr, uint32_t dst_addr,
                      std::span<const uint8_t> segment) {
  return checksum_fold(
      tcp_sum(pseudo4(src_addr, dst_addr, segment), segment, false));
}

// Summing the stored field too gives 0xffff (−0) for either representation
// of a zero checksum (RFC 1624 §3), so the _ok checks accept 0x0000 and
// 0xffff.
bool tcp_checksum_ok(uint32_t src_addr, uint32_t dst_addr,
                     std::span<const uint8_t> segment) {
  return checksum_fold(
             tcp_sum(pseudo4(src_addr, dst_addr, segment), segment, true)) == 0;
}

uint16_t tcp_checksum(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                      std::span<const uint8_t> segment) {
  return checksum_fold(
      tcp_sum(pseudo6(src_addr, dst_addr, segment), segment, false));
}

bool tcp_checksum_ok(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                     std::span<const uint8_t> segment) {
  return checksum_fold(
             tcp_sum(pseudo6(src_addr, dst_addr, segment), segment, true)) == 0;
}

uint16_t checksum_update16(uint16_t old_checksum, uint16_t old_value,
                           uint16_t new_value) {
  // RFC 1624 §3 eqn. 3: HC' = ~(~HC + ~m + m').
  const uint32_t sum = uint32_t{static_cast<uint16_t>(~old_checksum)} +
                       static_cast<uint16_t>(~old_value) + new_value;
  return checksum_fold(sum);
}

uint16_t checksum_update32(uint16_t old_checksum, uint32_t old_value,
                           uint32_t new_value) {
  const uint32_t sum = uint32_t{static_cast<uint16_t>(~old_checksum)} +
                       static_cast<uint16_t>(~(old_value >> 16)) +
                       static_cast<uint16_t>(~old_value) + (new_value >> 16) +
                       (new_value & 0xffff);
  return checksum_fold(sum);
}

}  // namespace tcpref::wire
