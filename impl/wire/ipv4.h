// A checked, zero-copy view over an IPv4 header (RFC 791 §3.1) and a writer
// that emits one. The view checks structure only (lengths, version, IHL);
// checksum, fragments and protocol are the caller's policy (parse_packet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "impl/wire/parse_error.h"

namespace tcpref::wire {

inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr size_t kIpv4MinHeader = 20;

class Ipv4View {
 public:
  Ipv4View() = default;

  // Checks that `buffer` starts with a whole IPv4 header and that the total
  // length fits in it. Bytes past the total length (link padding) are
  // excluded from the view. Reads nothing outside `buffer`.
  [[nodiscard]] static Checked<Ipv4View> parse(std::span<const uint8_t> buffer);

  uint8_t version() const { return bytes_[0] >> 4; }
  uint8_t ihl() const { return bytes_[0] & 0x0f; }  // in 32-bit words
  size_t header_length() const { return size_t{ihl()} * 4; }
  uint8_t tos() const { return bytes_[1]; }
  uint16_t total_length() const;
  uint16_t id() const;
  uint8_t flags() const { return bytes_[6] >> 5; }  // reserved, DF, MF
  bool dont_fragment() const { return (bytes_[6] & 0x40) != 0; }
  bool more_fragments() const { return (bytes_[6] & 0x20) != 0; }
  uint16_t fragment_offset() const;  // in 8-byte units
  bool is_fragment() const {
    return more_fragments() || fragment_offset() != 0;
  }
  uint8_t ttl() const { return bytes_[8]; }
  uint8_t protocol() const { return bytes_[9]; }
  uint16_t header_checksum() const;
  uint32_t src() const;  // host byte order
  uint32_t dst() const;
  // RFC 791 §3.1: the header (with options) sums to 0xffff.
  bool header_checksum_ok() const;

  std::span<const uint8_t> header() const {
    return bytes_.first(header_length());
  }
  std::span<const uint8_t> options() const {
    return header().subspan(kIpv4MinHeader);
  }
  // The datagram's payload: from the end of the header to the total length.
  std::span<const uint8_t> payload() const {
    return bytes_.subspan(header_length());
  }

 private:
  explicit Ipv4View(std::span<const uint8_t> datagram) : bytes_(datagram) {}
  std::span<const uint8_t> bytes_;  // exactly total_length() bytes
};

// Fields of an option-less IPv4 header, as emitted.
struct Ipv4Header {
  uint8_t tos = 0;
  uint16_t total_length = 0;
  uint16_t id = 0;
  bool dont_fragment = true;
  uint8_t ttl = 64;
  uint8_t protocol = kIpProtoTcp;
  uint32_t src = 0;  // host byte order
  uint32_t dst = 0;
};

// Writes a 20-byte header (IHL 5, no fragmentation) with its checksum.
void write_ipv4_header(const Ipv4Header& header,
                       std::span<uint8_t, kIpv4MinHeader> out);

}  // namespace tcpref::wire
