#include "bench/side_by_side/client_load.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace tcpref::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A blocking socket whose connect, reads and writes time out.
int connect_to(Endpoint server, double timeout_seconds) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_seconds);
  tv.tv_usec = static_cast<suseconds_t>(
      (timeout_seconds - static_cast<double>(tv.tv_sec)) * 1e6);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(server.addr);
  to.sin_port = htons(server.port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool one_connection(Endpoint server, double timeout_seconds) {
  const int fd = connect_to(server, timeout_seconds);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  const uint8_t out = 'x';
  uint8_t in = 0;
  const bool ok =
      ::write(fd, &out, 1) == 1 && ::read(fd, &in, 1) == 1 && in == out;
  ::close(fd);
  return ok;
}

}  // namespace

ConnectionStats run_connections(Endpoint server, unsigned threads,
                                double seconds, double timeout_seconds) {
  std::atomic<uint64_t> ok{0}, failed{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(seconds));
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      uint64_t good = 0, bad = 0;
      while (Clock::now() < deadline) {
        if (one_connection(server, timeout_seconds)) {
          ++good;
        } else {
          ++bad;
        }
      }
      ok += good;
      failed += bad;
    });
  }
  for (std::thread& w : workers) w.join();
  return {ok.load(), failed.load(), since(start)};
}

BulkStats run_upload(Endpoint server, uint64_t bytes, double timeout_seconds) {
  BulkStats stats;
  const auto start = Clock::now();
  const int fd = connect_to(server, timeout_seconds);
  if (fd < 0) return stats;
  std::vector<uint8_t> chunk(size_t{256} * 1024, 'u');
  while (stats.bytes < bytes) {
    const size_t want =
        bytes - stats.bytes < chunk.size() ? bytes - stats.bytes : chunk.size();
    const ssize_t n = ::write(fd, chunk.data(), want);
    if (n <= 0) break;
    stats.bytes += static_cast<uint64_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  uint8_t sink[512];
  while (::read(fd, sink, sizeof(sink)) > 0) {
  }
  ::close(fd);
  stats.seconds = since(start);
  stats.ok = stats.bytes == bytes;
  return stats;
}

BulkStats run_download(Endpoint server, uint64_t bytes,
                       double timeout_seconds) {
  BulkStats stats;
  const auto start = Clock::now();
  const int fd = connect_to(server, timeout_seconds);
  if (fd < 0) return stats;
  std::vector<uint8_t> chunk(size_t{256} * 1024);
  while (stats.bytes < bytes) {
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n <= 0) break;
    stats.bytes += static_cast<uint64_t>(n);
  }
  stats.seconds = since(start);
  ::close(fd);
  stats.ok = stats.bytes >= bytes;
  return stats;
}

}  // namespace tcpref::bench
