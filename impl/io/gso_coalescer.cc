#include "impl/io/gso_coalescer.h"

#include <cstring>

namespace tcpref::io {
namespace {

constexpr size_t kIpHeader = 20;  // only option-less IPv4 headers join
constexpr size_t kMaxPacket = 65535;
constexpr uint8_t kTcpAck = 0x10;
constexpr uint8_t kTcpPsh = 0x08;

uint16_t get16(std::span<const uint8_t> p, size_t at) {
  return static_cast<uint16_t>(p[at] << 8 | p[at + 1]);
}
uint32_t get32(std::span<const uint8_t> p, size_t at) {
  return static_cast<uint32_t>(get16(p, at)) << 16 | get16(p, at + 2);
}
void put16(std::span<uint8_t> p, size_t at, uint16_t v) {
  p[at] = static_cast<uint8_t>(v >> 8);
  p[at + 1] = static_cast<uint8_t>(v);
}

uint16_t fold(uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// A candidate: IPv4 without options or fragmentation, TCP, ACK (PSH allowed)
// and nothing else, some payload. Returns the TCP header length, or 0.
size_t tcp_data_header(std::span<const uint8_t> p) {
  if (p.size() < kIpHeader + 20 || p[0] != 0x45 || p[9] != 6) return 0;
  if (get16(p, 2) != p.size() || (get16(p, 6) & 0x3fff) != 0) return 0;
  const size_t tcp_length = static_cast<size_t>(p[kIpHeader + 12] >> 4) * 4;
  if (tcp_length < 20 || kIpHeader + tcp_length >= p.size()) return 0;
  if ((p[kIpHeader + 13] & ~kTcpPsh) != kTcpAck) return 0;
  return tcp_length;
}

}  // namespace

VnetHeader VnetHeader::read(std::span<const uint8_t> b) {
  auto le16 = [&](size_t at) {
    return static_cast<uint16_t>(b[at] | b[at + 1] << 8);
  };
  return {b[0], b[1], le16(2), le16(4), le16(6), le16(8)};
}

void VnetHeader::write(std::span<uint8_t> b) const {
  auto le16 = [&](size_t at, uint16_t v) {
    b[at] = static_cast<uint8_t>(v);
    b[at + 1] = static_cast<uint8_t>(v >> 8);
  };
  b[0] = flags;
  b[1] = gso_type;
  le16(2, hdr_len);
  le16(4, gso_size);
  le16(6, csum_start);
  le16(8, csum_offset);
}

GsoCoalescer::GsoCoalescer(DeviceWriter& out) : out_(out) {
  held_.reserve(kMaxPacket);
}

bool GsoCoalescer::joins(std::span<const uint8_t> p) const {
  if (count_ == 0 || closed_) return false;
  const size_t tcp_length = tcp_data_header(p);
  if (tcp_length == 0 || kIpHeader + tcp_length != header_length_) return false;
  const size_t payload = p.size() - header_length_;
  if (payload > gso_size_ || held_.size() + payload > kMaxPacket) return false;
  if (get32(p, kIpHeader + 4) != next_seq_) return false;
  const std::span<const uint8_t> h(held_);
  // TOS, DF, TTL, protocol, addresses; ports; ACK; data offset; window;
  // urgent pointer and options: all as in the first segment.
  return p[1] == h[1] && p[6] == h[6] && p[8] == h[8] &&
         std::memcmp(&p[12], &h[12], 8) == 0 &&
         std::memcmp(&p[20], &h[20], 4) == 0 &&
         std::memcmp(&p[28], &h[28], 5) == 0 &&
         std::memcmp(&p[34], &h[34], 2) == 0 &&
         std::memcmp(&p[38], &h[38], header_length_ - 38) == 0;
}

void GsoCoalescer::add(std::span<const uint8_t> p) {
  if (joins(p)) {
    const size_t payload = p.size() - header_length_;
    held_.insert(held_.end(),
                 p.begin() + static_cast<ptrdiff_t>(header_length_), p.end());
    held_[kIpHeader + 13] |= p[kIpHeader + 13] & kTcpPsh;
    next_seq_ += static_cast<uint32_t>(payload);
    closed_ = payload < gso_size_ || (p[kIpHeader + 13] & kTcpPsh) != 0;
    ++count_;
    return;
  }
  flush();
  const size_t tcp_length = tcp_data_header(p);
  if (tcp_length == 0) {  // cannot start a super-segment: out alone
    out_.write_frame({}, p);
    return;
  }
  start(p);
  header_length_ = kIpHeader + tcp_length;
}

void GsoCoalescer::start(std::span<const uint8_t> p) {
  held_.assign(p.begin(), p.end());
  count_ = 1;
  const size_t header =
      kIpHeader + static_cast<size_t>(p[kIpHeader + 12] >> 4) * 4;
  gso_size_ = static_cast<uint16_t>(p.size() - header);
  next_seq_ = get32(p, kIpHeader + 4) + gso_size_;
  closed_ = (p[kIpHeader + 13] & kTcpPsh) != 0;
}

void GsoCoalescer::flush() {
  if (count_ == 0) return;
  if (count_ == 1) {  // as the stack made it, checksums complete
    out_.write_frame({}, held_);
    count_ = 0;
    return;
  }
  const std::span<uint8_t> h(held_);
  put16(h, 2, static_cast<uint16_t>(held_.size()));
  put16(h, 10, 0);
  uint32_t sum = 0;
  for (size_t i = 0; i < kIpHeader; i += 2) sum += get16(h, i);
  put16(h, 10, static_cast<uint16_t>(~fold(sum)));
  // NEEDS_CSUM: the checksum field holds the pseudo-header sum, not
  // complemented; the kernel adds the segment (virtio 1.2 §5.1.6.2).
  const size_t tcp_length = held_.size() - kIpHeader;
  sum = get16(h, 12) + get16(h, 14) + get16(h, 16) + get16(h, 18) + 6 +
        static_cast<uint32_t>(tcp_length);
  put16(h, kIpHeader + 16, fold(sum));
  const VnetHeader v{.flags = VnetHeader::kNeedsCsum,
                     .gso_type = VnetHeader::kGsoTcpV4,
                     .hdr_len = static_cast<uint16_t>(header_length_),
                     .gso_size = gso_size_,
                     .csum_start = kIpHeader,
                     .csum_offset = 16};
  out_.write_frame(v, held_);
  ++super_segments_;
  segments_joined_ += count_;
  count_ = 0;
}

}  // namespace tcpref::io
