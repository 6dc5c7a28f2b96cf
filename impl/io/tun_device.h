// A Linux TUN device (IFF_TUN | IFF_NO_PI): raw IPv4 packets, one per
// read/write. Creates the device or attaches to an existing one of that name;
// with more than one queue, every queue is an IFF_MULTI_QUEUE file descriptor
// and the kernel spreads flows across them by hash.
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
  static Result<TunDevice> open(const std::string& name, unsigned queues = 1);

  TunDevice(TunDevice&& other) noexcept;
  TunDevice& operator=(TunDevice&& other) noexcept;
  TunDevice(const TunDevice&) = delete;
  TunDevice& operator=(const TunDevice&) = delete;
  ~TunDevice();

  const std::string& name() const { return name_; }
  unsigned queue_count() const { return static_cast<unsigned>(fds_.size()); }
  int fd(unsigned queue) const { return fds_[queue]; }

  // Sets the MTU and brings the link up (the kernel side of the device).
  Status bring_up(uint32_t mtu) const;

 private:
  TunDevice() = default;
  std::string name_;
  std::vector<int> fds_;
};

}  // namespace tcpref::io
