// An IP address of either family, as one value: IPv6's 16 bytes, with an
// IPv4 address held in its IPv4-mapped form ::ffff:a.b.c.d (RFC 4291
// §2.5.5.2), as dual-stack sockets see IPv4 peers. The default value is the
// IPv4 address 0.0.0.0, and a uint32_t (IPv4, host byte order) converts
// implicitly, so IPv4 code reads as before.
#pragma once

#include <array>
#include <compare>
#include <cstdint>

namespace tcpref::wire {

using Ipv6Bytes = std::array<uint8_t, 16>;

class IpAddress {
 public:
  constexpr IpAddress() : IpAddress(uint32_t{0}) {}
  // NOLINTNEXTLINE(google-explicit-constructor): IPv4 code passes uint32_t.
  constexpr IpAddress(uint32_t v4)
      : bytes_{0,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               0xff,
               0xff,
               static_cast<uint8_t>(v4 >> 24),
               static_cast<uint8_t>(v4 >> 16),
               static_cast<uint8_t>(v4 >> 8),
               static_cast<uint8_t>(v4)} {}
  [[nodiscard]] static constexpr IpAddress v6(const Ipv6Bytes& bytes) {
    IpAddress a;
    a.bytes_ = bytes;
    return a;
  }

  // True for the IPv4-mapped form, i.e. an IPv4 address.
  [[nodiscard]] constexpr bool is_v4() const {
    for (int i = 0; i < 10; ++i) {
      if (bytes_[i] != 0) return false;
    }
    return bytes_[10] == 0xff && bytes_[11] == 0xff;
  }
  // The IPv4 address in host byte order (meaningful when is_v4()).
  [[nodiscard]] constexpr uint32_t v4() const {
    return (uint32_t{bytes_[12]} << 24) | (uint32_t{bytes_[13]} << 16) |
           (uint32_t{bytes_[14]} << 8) | uint32_t{bytes_[15]};
  }
  [[nodiscard]] constexpr const Ipv6Bytes& bytes() const { return bytes_; }

  friend constexpr bool operator==(const IpAddress&,
                                   const IpAddress&) = default;
  friend constexpr auto operator<=>(const IpAddress&,
                                    const IpAddress&) = default;

 private:
  Ipv6Bytes bytes_{};
};

}  // namespace tcpref::wire
