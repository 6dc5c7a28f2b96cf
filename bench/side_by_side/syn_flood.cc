#include "bench/side_by_side/syn_flood.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace tcpref::bench {
namespace {

constexpr size_t kBatch = 64;
constexpr size_t kSynLength = 20 + 24;      // IPv4 + TCP with the MSS option
constexpr uint32_t kSpoofNet = 0xC6130000;  // 198.19.0.0/16

uint64_t next_random(uint64_t& state) {  // xorshift64*
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1DULL;
}

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

uint16_t fold(uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// One SYN from a fresh random source, port and ISN; the IPv4 checksum is
// left to the kernel (IP_HDRINCL fills it), the TCP checksum is ours.
void fill_syn(uint8_t* p, uint32_t dst, uint16_t port, uint64_t& rng) {
  const uint64_t r = next_random(rng);
  const uint32_t src = kSpoofNet | static_cast<uint32_t>(r & 0xFFFF);
  std::memset(p, 0, kSynLength);
  p[0] = 0x45;
  put16(p + 2, kSynLength);
  p[8] = 64;
  p[9] = IPPROTO_TCP;
  put32(p + 12, src);
  put32(p + 16, dst);
  uint8_t* t = p + 20;
  put16(t, static_cast<uint16_t>(1024 + ((r >> 16) % 64000)));
  put16(t + 2, port);
  put32(t + 4, static_cast<uint32_t>(r >> 32));
  t[12] = 6 << 4;  // data offset: 24 bytes
  t[13] = 0x02;    // SYN
  put16(t + 14, 64240);
  t[20] = 2;  // MSS option
  t[21] = 4;
  put16(t + 22, 1460);
  uint32_t sum = (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) +
                 IPPROTO_TCP + (kSynLength - 20);
  for (size_t i = 0; i < kSynLength - 20; i += 2) {
    sum += static_cast<uint32_t>(t[i] << 8 | t[i + 1]);
  }
  put16(t + 16, fold(sum));
}

}  // namespace

FloodStats run_syn_flood(uint32_t dst, uint16_t port, uint64_t rate,
                         const std::atomic<bool>& stop, std::string& error) {
  FloodStats stats;
  const int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (fd < 0) {
    error = std::string("cannot open a raw socket for the SYN flood: ") +
            std::strerror(errno) + " (needs root or CAP_NET_RAW)";
    return stats;
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(dst);
  std::array<std::array<uint8_t, kSynLength>, kBatch> packets{};
  std::array<iovec, kBatch> iov{};
  std::array<mmsghdr, kBatch> msgs{};
  for (size_t i = 0; i < kBatch; ++i) {
    iov[i] = {packets[i].data(), kSynLength};
    msgs[i].msg_hdr.msg_name = &to;
    msgs[i].msg_hdr.msg_namelen = sizeof(to);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  uint64_t rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t{dst} << 16 | port);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t attempted = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    size_t n = kBatch;
    if (rate != 0) {
      const double elapsed =
          std::chrono::duration<double>(Clock::now() - start).count();
      const auto due =
          static_cast<uint64_t>(elapsed * static_cast<double>(rate));
      if (due <= attempted) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        continue;
      }
      n = due - attempted < kBatch ? due - attempted : kBatch;
    }
    for (size_t i = 0; i < n; ++i) fill_syn(packets[i].data(), dst, port, rng);
    size_t done = 0;
    while (done < n) {
      const int sent =
          ::sendmmsg(fd, &msgs[done], static_cast<unsigned>(n - done), 0);
      if (sent <= 0) {  // the first of the rest was refused: skip it
        ++stats.refused;
        ++done;
        continue;
      }
      stats.written += static_cast<uint64_t>(sent);
      done += static_cast<size_t>(sent);
    }
    attempted += n;
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  return stats;
}

}  // namespace tcpref::bench
