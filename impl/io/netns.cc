#include "impl/io/netns.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace tcpref::io {
namespace {

// Owns a control socket for interface ioctls.
class ControlSocket {
 public:
  ControlSocket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}
  ~ControlSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

bool fill_name(ifreq& ifr, const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) return false;
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  return true;
}

void put_addr(sockaddr& sa, uint32_t addr) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(addr);
  std::memcpy(&sa, &sin, sizeof(sin));
}

}  // namespace

Status enter_private_netns() {
  if (::unshare(CLONE_NEWNET) < 0) {
    return Status::failure(std::string("unshare(CLONE_NEWNET) failed: ") +
                           std::strerror(errno) +
                           " (needs root or CAP_SYS_ADMIN)");
  }
  return link_up("lo");
}

Status link_up(const std::string& name) {
  ControlSocket sock;
  if (sock.fd() < 0) {
    return Status::failure(std::string("control socket: ") +
                           std::strerror(errno));
  }
  ifreq ifr{};
  if (!fill_name(ifr, name)) return Status::failure("bad interface name");
  if (::ioctl(sock.fd(), SIOCGIFFLAGS, &ifr) < 0) {
    return Status::failure("cannot read flags of '" + name +
                           "': " + std::strerror(errno));
  }
  ifr.ifr_flags |= IFF_UP;
  if (::ioctl(sock.fd(), SIOCSIFFLAGS, &ifr) < 0) {
    return Status::failure("cannot bring '" + name +
                           "' up: " + std::strerror(errno));
  }
  return ok_status();
}

Status disable_ipv6(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ ||
      name.find('/') != std::string::npos || name == "." || name == "..") {
    return Status::failure("bad interface name");
  }
  // /proc/sys/net shows the namespace of the thread that opens it.
  const std::string path = "/proc/sys/net/ipv6/conf/" + name + "/disable_ipv6";
  if (::access("/proc/sys/net/ipv6", F_OK) != 0) return ok_status();
  std::ofstream f(path);
  if (!(f << "1\n") || !f.flush()) {
    return Status::failure("cannot disable IPv6 on '" + name + "' (" + path +
                           ")");
  }
  return ok_status();
}

Status set_address(const std::string& name, Prefix prefix) {
  if (!in_benchmark_range(prefix)) {
    return Status::failure("refusing address " + format_ipv4(prefix.addr) +
                           "/" + std::to_string(prefix.length) +
                           ": tcpref only uses 198.18.0.0/15");
  }
  ControlSocket sock;
  if (sock.fd() < 0) {
    return Status::failure(std::string("control socket: ") +
                           std::strerror(errno));
  }
  ifreq ifr{};
  if (!fill_name(ifr, name)) return Status::failure("bad interface name");
  put_addr(ifr.ifr_addr, prefix.addr);
  if (::ioctl(sock.fd(), SIOCSIFADDR, &ifr) < 0) {
    return Status::failure("cannot set address on '" + name +
                           "': " + std::strerror(errno));
  }
  const uint32_t mask =
      prefix.length == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix.length);
  put_addr(ifr.ifr_netmask, mask);
  if (::ioctl(sock.fd(), SIOCSIFNETMASK, &ifr) < 0) {
    return Status::failure("cannot set netmask on '" + name +
                           "': " + std::strerror(errno));
  }
  return link_up(name);
}

}  // namespace tcpref::io
