// The Internet checksum (RFC 1071) with the IPv4 pseudo-header (RFC 9293 §3.1)
// or the IPv6 one (RFC 8200 §8.1), and incremental update (RFC 1624).
#pragma once

#include <cstdint>
#include <span>

#include "impl/wire/ip_address.h"

namespace tcpref::wire {

// Adds bytes to a running 32-bit one's-complement accumulator. An odd-length
// span is padded with a zero byte (RFC 1071 §4.1); chain calls only on
// even-length pieces except the last.
[[nodiscard]] uint32_t checksum_add(uint32_t sum,
                                    std::span<const uint8_t> bytes);

// Folds carries and complements: the value to store in a checksum field.
[[nodiscard]] uint16_t checksum_fold(uint32_t sum);

// The checksum of bytes alone (e.g. an IPv4 header).
[[nodiscard]] uint16_t internet_checksum(std::span<const uint8_t> bytes);

// Sum of the IPv4 pseudo-header: addresses in host order, tcp_length = TCP
// header + payload bytes.
[[nodiscard]] uint32_t pseudo_header_sum(uint32_t src_addr, uint32_t dst_addr,
                                         uint8_t protocol, uint16_t tcp_length);

// Checksum over pseudo-header + TCP segment, computed with the segment's own
// checksum field treated as zero. The value to write into the field.
[[nodiscard]] uint16_t tcp_checksum(uint32_t src_addr, uint32_t dst_addr,
                                    std::span<const uint8_t> segment);

// True when the segment's stored checksum verifies (sums to 0xffff).
[[nodiscard]] bool tcp_checksum_ok(uint32_t src_addr, uint32_t dst_addr,
                                   std::span<const uint8_t> segment);

// IPv6 (RFC 8200 §8.1): the pseudo-header has both 16-byte addresses, a
// 32-bit Upper-Layer Packet Length (the payload length less the extension
// headers before TCP), three zero bytes and the Next Header value. The
// destination is the final one; parse_packet accepts no Routing header
// with segments left, so that is the header's own.
[[nodiscard]] uint32_t pseudo_header_sum(const Ipv6Bytes& src_addr,
                                         const Ipv6Bytes& dst_addr,
                                         uint8_t next_header,
                                         uint32_t upper_layer_length);
[[nodiscard]] uint16_t tcp_checksum(const Ipv6Bytes& src_addr,
                                    const Ipv6Bytes& dst_addr,
                                    std::span<const uint8_t> segment);
[[nodiscard]] bool tcp_checksum_ok(const Ipv6Bytes& src_addr,
                                   const Ipv6Bytes& dst_addr,
                                   std::span<const uint8_t> segment);

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') when a 16-bit field changes m → m'.
[[nodiscard]] uint16_t checksum_update16(uint16_t old_checksum,
                                         uint16_t old_value,
                                         uint16_t new_value);
// The same for a 32-bit field (e.g. a sequence number or an address).
[[nodiscard]] uint16_t checksum_update32(uint16_t old_checksum,
                                         uint32_t old_value,
                                         uint32_t new_value);

}  // namespace tcpref::wire
