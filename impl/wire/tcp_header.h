// A checked, zero-copy view over a TCP header (RFC 9293 §3.1) and a writer
// for its fixed 20 bytes. The view checks structure only (length, data
// offset); checksum and options are checked by parse_packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "impl/wire/ip_address.h"
#include "impl/wire/parse_error.h"

namespace tcpref::wire {

inline constexpr size_t kTcpMinHeader = 20;

// TCP header flag bits (RFC 9293 §3.1, RFC 3168 §6.1 for ECE/CWR).
namespace flags {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
inline constexpr uint8_t kUrg = 0x20;
inline constexpr uint8_t kEce = 0x40;
inline constexpr uint8_t kCwr = 0x80;
}  // namespace flags

class TcpHeaderView {
 public:
  TcpHeaderView() = default;

  // `segment` is the whole TCP segment (header + payload), e.g. the IPv4
  // payload. Reads nothing outside it.
  [[nodiscard]] static Checked<TcpHeaderView> parse(
      std::span<const uint8_t> segment);

  uint16_t src_port() const;
  uint16_t dst_port() const;
  uint32_t seq() const;
  uint32_t ack() const;
  uint8_t data_offset() const { return bytes_[12] >> 4; }  // 32-bit words
  size_t header_length() const { return size_t{data_offset()} * 4; }
  // The four bits before CWR: reserved (RFC 9293 §3.1), ignored on receive.
  uint8_t reserved() const { return bytes_[12] & 0x0f; }
  uint8_t flags() const { return bytes_[13]; }  // CWR..FIN, see wire::flags
  uint16_t window() const;
  uint16_t checksum() const;
  uint16_t urgent() const;

  std::span<const uint8_t> segment() const { return bytes_; }
  std::span<const uint8_t> options() const {
    return bytes_.subspan(kTcpMinHeader, header_length() - kTcpMinHeader);
  }
  std::span<const uint8_t> payload() const {
    return bytes_.subspan(header_length());
  }

 private:
  explicit TcpHeaderView(std::span<const uint8_t> segment) : bytes_(segment) {}
  std::span<const uint8_t> bytes_;
};

// Fields of the fixed TCP header, as emitted. The checksum is written as
// zero; fill it once options and payload are in place.
struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t data_offset = 5;  // 32-bit words, header including options
  uint8_t flags = 0;
  uint16_t window = 0;
  uint16_t urgent = 0;
};

void write_tcp_header(const TcpHeader& header,
                      std::span<uint8_t, kTcpMinHeader> out);

// Stores the checksum over pseudo-header + `segment` (header with options,
// then payload) into the segment's checksum field. `segment` holds at least
// the fixed header.
void fill_tcp_checksum(uint32_t src_addr, uint32_t dst_addr,
                       std::span<uint8_t> segment);
// The same with the IPv6 pseudo-header (RFC 8200 §8.1).
void fill_tcp_checksum(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                       std::span<uint8_t> segment);

}  // namespace tcpref::wire
