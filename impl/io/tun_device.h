// A Linux TUN device (IFF_TUN | IFF_NO_PI): raw IPv4 packets, one per
// read/write; with offloads, each behind a virtio-net header
// (IFF_VNET_HDR) and TCP super-segments of up to 64 KB both ways. Creates the
// device or attaches to an existing one of that name; with more than one queue,
// every queue is an IFF_MULTI_QUEUE file descriptor and the kernel spreads
// flows across them by hash.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "impl/io/result.h"

namespace tcpref::io {

class TunDevice {
 public:
  // Opens `queues` (≥ 1) non-blocking file descriptors on device `name`
  // (≤ 15 characters). Errors are one line: what failed and what to do.
  // With `offload`, every read and write starts with a 10-byte virtio-net
  // header and the kernel may hand over TCP super-segments with partial
  // checksums (TUNSETOFFLOAD TUN_F_CSUM | TUN_F_TSO4).
  static Result<TunDevice> open(const std::string& name, unsigned queues = 1,
                                bool offload = false);

  TunDevice(TunDevice&& other) noexcept;
  TunDevice& operator=(TunDevice&& other) noexcept;
  TunDevice(const TunDevice&) = delete;
  TunDevice& operator=(const TunDevice&) = delete;
  ~TunDevice();

  const std::string& name() const { return name_; }
  unsigned queue_count() const { return static_cast<unsigned>(fds_.size()); }
  int fd(unsigned queue) const { return fds_[queue]; }
  bool offload() const { return offload_; }

  // Sets the MTU and brings the link up (the kernel side of the device).
  Status bring_up(uint32_t mtu) const;

 private:
  TunDevice() = default;
  std::string name_;
  std::vector<int> fds_;
  bool offload_ = false;
};

}  // namespace tcpref::io
