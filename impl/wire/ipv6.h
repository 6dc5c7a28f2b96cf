// A checked, zero-copy view over the fixed IPv6 header (RFC 8200 §3) and a
// writer that emits one. The view checks structure only (length, version,
// payload length); extension headers are walked by walk_extension_headers
// (ipv6_extensions.h) and policy is parse_packet's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "impl/wire/ip_address.h"
#include "impl/wire/parse_error.h"

namespace tcpref::wire {

inline constexpr size_t kIpv6Header = 40;

class Ipv6View {
 public:
  Ipv6View() = default;

  // Checks that `buffer` starts with a whole IPv6 header and that the
  // payload length fits in it. Bytes past the payload (link padding) are
  // excluded from the view. Reads nothing outside `buffer`.
  [[nodiscard]] static Checked<Ipv6View> parse(std::span<const uint8_t> buffer);

  uint8_t version() const { return bytes_[0] >> 4; }
  uint8_t traffic_class() const;  // DSCP + ECN (RFC 8200 §7)
  uint32_t flow_label() const;    // 20 bits (RFC 8200 §6)
  uint16_t payload_length() const;
  uint8_t next_header() const { return bytes_[6]; }
  uint8_t hop_limit() const { return bytes_[7]; }
  Ipv6Bytes src() const;
  Ipv6Bytes dst() const;

  // Everything after the fixed header: extension headers, then the
  // upper-layer packet; exactly payload_length() bytes.
  std::span<const uint8_t> payload() const {
    return bytes_.subspan(kIpv6Header);
  }

 private:
  explicit Ipv6View(std::span<const uint8_t> packet) : bytes_(packet) {}
  std::span<const uint8_t> bytes_;  // 40 + payload_length() bytes
};

// Fields of an IPv6 header without extension headers, as emitted.
struct Ipv6Header {
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;  // low 20 bits used
  uint16_t payload_length = 0;
  uint8_t next_header = 6;  // TCP
  uint8_t hop_limit = 64;
  Ipv6Bytes src{};
  Ipv6Bytes dst{};
};

void write_ipv6_header(const Ipv6Header& header,
                       std::span<uint8_t, kIpv6Header> out);

}  // namespace tcpref::wire
