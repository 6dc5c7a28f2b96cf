// Transmit side of TUN offloads: consecutive TCP segments of one flow that
// the stack sends in a burst are joined into one super-segment of up to
// 64 KB, written once with a virtio-net header asking the kernel to cut it
// back into MSS-sized segments (GSO, VIRTIO_NET_HDR_GSO_TCPV4) and to
// complete the TCP checksum (NEEDS_CSUM). Segments that cannot join (SYN,
// FIN, RST, no payload, another flow, a gap, changed ACK/window/options)
// go out alone, in order. No system call here: the caller's DeviceWriter
// writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tcpref::io {

// struct virtio_net_hdr (10 bytes) in the host's byte order, as a TUN with
// IFF_VNET_HDR reads and writes it on this little-endian machine.
struct VnetHeader {
  uint8_t flags = 0;  // kNeedsCsum, kDataValid
  uint8_t gso_type = 0;
  uint16_t hdr_len = 0;
  uint16_t gso_size = 0;
  uint16_t csum_start = 0;
  uint16_t csum_offset = 0;

  static constexpr size_t kSize = 10;
  static constexpr uint8_t kNeedsCsum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
  static constexpr uint8_t kDataValid = 2;  // VIRTIO_NET_HDR_F_DATA_VALID
  static constexpr uint8_t kGsoNone = 0;
  static constexpr uint8_t kGsoTcpV4 = 1;

  [[nodiscard]] static VnetHeader read(std::span<const uint8_t> bytes);
  void write(std::span<uint8_t> bytes) const;
};

class DeviceWriter {
 public:
  virtual ~DeviceWriter() = default;
  // One frame: the virtio-net header, then the IPv4 packet.
  virtual void write_frame(const VnetHeader& header,
                           std::span<const uint8_t> packet) = 0;
};

class GsoCoalescer {
 public:
  explicit GsoCoalescer(DeviceWriter& out);

  // One IPv4 packet from the stack, complete with checksums.
  void add(std::span<const uint8_t> packet);
  // Writes what is held (at the end of every batch).
  void flush();

  uint64_t super_segments() const { return super_segments_; }
  uint64_t segments_joined() const { return segments_joined_; }

 private:
  bool joins(std::span<const uint8_t> packet) const;
  void start(std::span<const uint8_t> packet);

  DeviceWriter& out_;
  std::vector<uint8_t> held_;  // the super-segment so far
  size_t count_ = 0;           // segments in held_
  size_t header_length_ = 0;   // IPv4 + TCP headers of held_
  uint16_t gso_size_ = 0;      // payload of the first segment
  uint32_t next_seq_ = 0;
  bool closed_ = false;  // a short or PSH segment ended it
  uint64_t super_segments_ = 0;
  uint64_t segments_joined_ = 0;
};

}  // namespace tcpref::io
