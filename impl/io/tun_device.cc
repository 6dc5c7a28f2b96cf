#include "impl/io/tun_device.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tcpref::io {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

std::string open_error(int err) {
  switch (err) {
    case ENOENT:
    case ENODEV:
      return "cannot open /dev/net/tun: " + errno_text(err) +
             " (is the tun module loaded? try: modprobe tun)";
    case EACCES:
    case EPERM:
      return "cannot open /dev/net/tun: " + errno_text(err) +
             " (needs root or CAP_NET_ADMIN)";
    default:
      return "cannot open /dev/net/tun: " + errno_text(err);
  }
}

std::string attach_error(const std::string& name, int err) {
  switch (err) {
    case EPERM:
    case EACCES:
      return "cannot create or attach TUN device '" + name +
             "': " + errno_text(err) + " (needs root or CAP_NET_ADMIN)";
    case EBUSY:
      return "TUN device '" + name + "' is busy: " + errno_text(err) +
             " (another process holds it, or its multi-queue setting differs)";
    case EINVAL:
      return "cannot attach '" + name + "': " + errno_text(err) +
             " (it exists but is not a TUN device with these flags)";
    default:
      return "cannot create or attach TUN device '" + name +
             "': " + errno_text(err);
  }
}

}  // namespace

Result<TunDevice> TunDevice::open(const std::string& name, unsigned queues,
                                  bool offload) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return Result<TunDevice>::failure("TUN device name must be 1 to " +
                                      std::to_string(IFNAMSIZ - 1) +
                                      " characters: '" + name + "'");
  }
  if (queues == 0) {
    return Result<TunDevice>::failure("a TUN device needs at least one queue");
  }
  TunDevice device;
  device.name_ = name;
  device.offload_ = offload;
  for (unsigned q = 0; q < queues; ++q) {
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return Result<TunDevice>::failure(open_error(errno));
    device.fds_.push_back(fd);
    ifreq ifr{};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (queues > 1) ifr.ifr_flags |= IFF_MULTI_QUEUE;
    if (offload) ifr.ifr_flags |= IFF_VNET_HDR;
    std::memcpy(ifr.ifr_name, name.data(), name.size());
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
      return Result<TunDevice>::failure(attach_error(name, errno));
    }
    const int header_size = 10;  // struct virtio_net_hdr
    if (offload && (::ioctl(fd, TUNSETVNETHDRSZ, &header_size) < 0 ||
                    ::ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0)) {
      return Result<TunDevice>::failure(
          "cannot turn on checksum and TSO offload on TUN device '" + name +
          "': " + errno_text(errno) + " (try --no-offload)");
    }
  }
  return device;
}

TunDevice::TunDevice(TunDevice&& other) noexcept
    : name_(std::move(other.name_)),
      fds_(std::exchange(other.fds_, {})),
      offload_(other.offload_) {}

TunDevice& TunDevice::operator=(TunDevice&& other) noexcept {
  if (this != &other) {
    for (int fd : fds_) ::close(fd);
    name_ = std::move(other.name_);
    fds_ = std::exchange(other.fds_, {});
    offload_ = other.offload_;
  }
  return *this;
}

TunDevice::~TunDevice() {
  for (int fd : fds_) ::close(fd);
}

Status TunDevice::bring_up(uint32_t mtu) const {
  const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    return Status::failure("cannot open a control socket: " +
                           errno_text(errno));
  }
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, name_.data(), name_.size());
  ifr.ifr_mtu = static_cast<int>(mtu);
  if (::ioctl(sock, SIOCSIFMTU, &ifr) < 0) {
    const int err = errno;
    ::close(sock);
    return Status::failure("cannot set MTU " + std::to_string(mtu) + " on '" +
                           name_ + "': " + errno_text(err));
  }
  if (::ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
    const int err = errno;
    ::close(sock);
    return Status::failure("cannot read flags of '" + name_ +
                           "': " + errno_text(err));
  }
  ifr.ifr_flags |= IFF_UP;
  if (::ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) {
    const int err = errno;
    ::close(sock);
    return Status::failure("cannot bring '" + name_ +
                           "' up: " + errno_text(err));
  }
  ::close(sock);
  return ok_status();
}

}  // namespace tcpref::io
