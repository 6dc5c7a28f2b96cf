// One IPv4 packet carrying one TCP segment: checked parse into a `Segment`
// (a view into the caller's buffer) and `emit` into a caller's buffer.
// Parsing returns a reason for every rejection; it never throws, aborts,
// allocates or reads outside the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "impl/wire/ip_address.h"
#include "impl/wire/ipv4.h"
#include "impl/wire/ipv6.h"
#include "impl/wire/options.h"
#include "impl/wire/parse_error.h"
#include "impl/wire/tcp_header.h"

namespace tcpref::wire {

// flags::*, kIpProtoTcp, kIpv4MinHeader, kTcpMinHeader and ParseError come
// from the headers above (they were first declared here).
inline constexpr size_t kMaxHeaders = 60 + 60;

// A parsed segment. Addresses and numbers are in host byte order; `payload`
// points into the parsed buffer. The same struct is what `emit` writes, so
// parse(emit(s)) == s for every emittable s.
struct Segment {
  // IP. Version 4 uses src_addr/dst_addr, ip_id and dont_fragment; version 6
  // uses src6/dst6 and flow_label. tos is IPv4's TOS or IPv6's Traffic
  // Class, ttl the TTL or the Hop Limit. src()/dst() give either family.
  uint8_t ip_version = 4;
  uint32_t src_addr = 0;
  uint32_t dst_addr = 0;
  Ipv6Bytes src6{};
  Ipv6Bytes dst6{};
  uint8_t tos = 0;  // DSCP + ECN (RFC 3168 §5: low two bits)
  uint8_t ttl = 64;
  uint16_t ip_id = 0;
  bool dont_fragment = true;
  uint32_t flow_label = 0;  // RFC 8200 §6, 20 bits
  // TCP
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;  // as on the wire, unscaled
  uint16_t urgent = 0;
  TcpOptions options;
  std::span<const uint8_t> payload;

  bool is_v6() const { return ip_version == 6; }
  // The addresses as one type (IPv4 in its IPv4-mapped form).
  IpAddress src() const {
    return is_v6() ? IpAddress::v6(src6) : IpAddress(src_addr);
  }
  IpAddress dst() const {
    return is_v6() ? IpAddress::v6(dst6) : IpAddress(dst_addr);
  }
  // Sets the version from the addresses: IPv4 when both are IPv4(-mapped),
  // else IPv6.
  void set_addresses(const IpAddress& src, const IpAddress& dst);

  bool has(uint8_t f) const { return (flags & f) != 0; }
  // SEG.LEN (RFC 9293 §3.3.1): payload plus one each for SYN and FIN.
  uint32_t seg_len() const {
    return static_cast<uint32_t>(payload.size()) + (has(flags::kSyn) ? 1 : 0) +
           (has(flags::kFin) ? 1 : 0);
  }
  // Field-wise (the fields of its IP version), payloads by content.
  friend bool operator==(const Segment& a, const Segment& b);
};

struct ParseOptions {
  // Fuzzers set this false so mutated packets reach the state machine; the
  // stack always verifies.
  bool verify_checksums = true;
  // The device the packet came from vouches for the TCP checksum: a TUN
  // with checksum offload hands frames of the local kernel with a partial
  // checksum (virtio-net NEEDS_CSUM) or one it checked (DATA_VALID).
  bool tcp_checksum_trusted = false;
};

struct PacketParse {
  ParseError error = ParseError::kNone;
  OptionsError options_error = OptionsError::kNone;  // when kTcpBadOptions
  Segment segment;
  bool ok() const { return error == ParseError::kNone; }
};

[[nodiscard]] PacketParse parse_packet(std::span<const uint8_t> packet,
                                       ParseOptions options = {});

// Writes a 20-byte IPv4 header (no IP options) or a 40-byte IPv6 header (no
// extension headers), the TCP header with options, and the payload, with the
// checksums filled. Returns the packet length, or 0 (nothing written) if it
// does not fit in `out`, the options exceed 40 bytes, the IPv4 packet or the
// IPv6 payload would exceed 65535 bytes, or ip_version is neither 4 nor 6.
// The payload must not overlap `out`.
[[nodiscard]] size_t emit(const Segment& segment, std::span<uint8_t> out);

// Length emit() would produce given room, or 0 if the segment is not
// emittable.
[[nodiscard]] size_t emitted_length(const Segment& segment);

}  // namespace tcpref::wire
