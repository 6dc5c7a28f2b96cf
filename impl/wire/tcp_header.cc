#include "impl/wire/tcp_header.h"

#include "impl/wire/bytes.h"
#include "impl/wire/checksum.h"

namespace tcpref::wire {
namespace {
constexpr size_t kChecksumOffset = 16;
}  // namespace

Checked<TcpHeaderView> TcpHeaderView::parse(std::span<const uint8_t> segment) {
  if (segment.size() < kTcpMinHeader) return {ParseError::kTcpTruncated, {}};
  const size_t header_length = (size_t{segment[12]} >> 4) * 4;
  if (header_length < kTcpMinHeader) return {ParseError::kTcpBadDataOffset, {}};
  if (header_length > segment.size()) {
    return {ParseError::kTcpDataOffsetPastEnd, {}};
  }
  return {ParseError::kNone, TcpHeaderView(segment)};
}

uint16_t TcpHeaderView::src_port() const { return load_be16(bytes_, 0); }
uint16_t TcpHeaderView::dst_port() const { return load_be16(bytes_, 2); }
uint32_t TcpHeaderView::seq() const { return load_be32(bytes_, 4); }
uint32_t TcpHeaderView::ack() const { return load_be32(bytes_, 8); }
uint16_t TcpHeaderView::window() const { return load_be16(bytes_, 14); }
uint16_t TcpHeaderView::checksum() const {
  return load_be16(bytes_, kChecksumOffset);
}
uint16_t TcpHeaderView::urgent() const { return load_be16(bytes_, 18); }

void write_tcp_header(const TcpHeader& h,
                      std::span<uint8_t, kTcpMinHeader> out) {
  store_be16(out, 0, h.src_port);
  store_be16(out, 2, h.dst_port);
  store_be32(out, 4, h.seq);
  store_be32(out, 8, h.ack);
  out[12] = static_cast<uint8_t>(h.data_offset << 4);  // reserved bits zero
  out[13] = h.flags;
  store_be16(out, 14, h.window);
  store_be16(out, kChecksumOffset, 0);
  store_be16(out, 18, h.urgent);
}

void fill_tcp_checksum(uint32_t src_addr, uint32_t dst_addr,
                       std::span<uint8_t> segment) {
  store_be16(segment, kChecksumOffset,
             tcp_checksum(src_addr, dst_addr, segment));
}

void fill_tcp_checksum(const Ipv6Bytes& src_addr, const Ipv6Bytes& dst_addr,
                       std::span<uint8_t> segment) {
  store_be16(segment, kChecksumOffset,
             tcp_checksum(src_addr, dst_addr, segment));
}

}  // namespace tcpref::wire
