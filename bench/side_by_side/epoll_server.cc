// epoll_server: the Linux side of the side-by-side benchmark, a plain
// single-threaded epoll server on the kernel's TCP (see --help).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/io/address.h"

namespace {

constexpr std::string_view kHelp = R"(NAME
    epoll_server - a single-threaded epoll TCP server on the kernel's stack

SYNOPSIS
    epoll_server --addr A [--echo P] [--discard P] [--source P]

DESCRIPTION
    Listens on A (in 198.18.0.0/15) with one port per service, prints
    "READY" once listening, and serves until killed:
      echo     sends back everything received, closes after the peer's FIN
      discard  reads and drops everything, closes after the peer's FIN
      source   sends bytes without end until the peer goes away
    The listen backlog is 4096.

    -h, --help   show this text
)";

enum class Service : uint8_t {
  kListenEcho,
  kListenDiscard,
  kListenSource,
  kEcho,
  kDiscard,
  kSource
};

struct Conn {
  Service service = Service::kEcho;
  std::vector<uint8_t> pending;  // echo bytes the socket had no room for
};

std::vector<Conn> conns;  // by descriptor
int epoll_fd = -1;
uint8_t buffer[64 * 1024];

void watch(int fd, uint32_t events, int op) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_fd, op, fd, &ev);
}

void drop(int fd) {
  ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  conns[static_cast<size_t>(fd)].pending.clear();
}

int listen_on(uint32_t addr, uint16_t port) {
  const int fd =
      ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(addr);
  at.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof(at)) < 0 ||
      ::listen(fd, 4096) < 0) {
    std::fprintf(stderr, "epoll_server: cannot listen on port %u: %s\n", port,
                 std::strerror(errno));
    std::exit(1);
  }
  return fd;
}

void accept_all(int listener, Service service) {
  for (;;) {
    const int fd =
        ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (static_cast<size_t>(fd) >= conns.size()) conns.resize(fd + 1024);
    conns[static_cast<size_t>(fd)] = {service, {}};
    watch(fd, service == Service::kSource ? EPOLLIN | EPOLLOUT : EPOLLIN,
          EPOLL_CTL_ADD);
  }
}

// Writes what it can of `data`; keeps the rest and waits for EPOLLOUT.
bool send_or_keep(int fd, Conn& c, const uint8_t* data, size_t size) {
  const ssize_t n = ::write(fd, data, size);
  if (n < 0 && errno != EAGAIN) return false;
  const size_t done = n < 0 ? 0 : static_cast<size_t>(n);
  if (done < size) {
    c.pending.assign(data + done, data + size);
    watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
  }
  return true;
}

void serve(int fd, uint32_t events) {
  Conn& c = conns[static_cast<size_t>(fd)];
  if (c.service == Service::kSource) {
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
      const ssize_t n = ::read(fd, buffer, sizeof(buffer));
      if (n == 0 || (n < 0 && errno != EAGAIN)) return drop(fd);
    }
    while (::write(fd, buffer, sizeof(buffer)) > 0) {
    }
    if (errno != EAGAIN) drop(fd);
    return;
  }
  if (!c.pending.empty()) {  // echo: the rest first, then read again
    std::vector<uint8_t> rest;
    rest.swap(c.pending);
    if (!send_or_keep(fd, c, rest.data(), rest.size())) return drop(fd);
    if (!c.pending.empty()) return;
    watch(fd, EPOLLIN, EPOLL_CTL_MOD);
  }
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n == 0) return drop(fd);
    if (n < 0) {
      if (errno != EAGAIN) drop(fd);
      return;
    }
    if (c.service == Service::kEcho) {
      if (!send_or_keep(fd, c, buffer, static_cast<size_t>(n))) return drop(fd);
      if (!c.pending.empty()) return;
    }
  }
}

bool parse_port(std::string_view s, uint16_t& port) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), port);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && port != 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<uint32_t> addr;
  std::vector<std::pair<Service, uint16_t>> services;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::fwrite(kHelp.data(), 1, kHelp.size(), stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "epoll_server: missing value for %s\n", argv[i]);
      return 2;
    }
    const std::string_view v = argv[++i];
    uint16_t port = 0;
    if (flag == "--addr") {
      addr = tcpref::io::parse_ipv4(v);
      if (!addr || !tcpref::io::in_benchmark_range(*addr)) {
        std::fprintf(stderr, "epoll_server: --addr wants 198.18.0.0/15: '%s'\n",
                     argv[i]);
        return 2;
      }
    } else if (flag == "--echo" || flag == "--discard" || flag == "--source") {
      if (!parse_port(v, port)) {
        std::fprintf(stderr, "epoll_server: %s wants a port 1-65535: '%s'\n",
                     argv[i - 1], argv[i]);
        return 2;
      }
      services.emplace_back(flag == "--echo"      ? Service::kListenEcho
                            : flag == "--discard" ? Service::kListenDiscard
                                                  : Service::kListenSource,
                            port);
    } else {
      std::fprintf(stderr, "epoll_server: unknown option '%s' (see --help)\n",
                   argv[i - 1]);
      return 2;
    }
  }
  if (!addr || services.empty()) {
    std::fprintf(stderr,
                 "epoll_server: --addr and at least one service are "
                 "required\n");
    return 2;
  }
  epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  conns.resize(4096);
  for (const auto& [service, port] : services) {
    const int fd = listen_on(*addr, port);
    if (static_cast<size_t>(fd) >= conns.size()) conns.resize(fd + 1024);
    conns[static_cast<size_t>(fd)].service = service;
    watch(fd, EPOLLIN, EPOLL_CTL_ADD);
  }
  std::printf("READY\n");
  std::fflush(stdout);
  epoll_event events[256];
  for (;;) {
    const int n = ::epoll_wait(epoll_fd, events, 256, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      switch (const Service s = conns[static_cast<size_t>(fd)].service) {
        case Service::kListenEcho:
          accept_all(fd, Service::kEcho);
          break;
        case Service::kListenDiscard:
          accept_all(fd, Service::kDiscard);
          break;
        case Service::kListenSource:
          accept_all(fd, Service::kSource);
          break;
        default:
          (void)s;
          serve(fd, events[i].events);
      }
    }
  }
}
