// A spoofed SYN flood for benchmarks: SYNs from random sources in
// 198.19.0.0/16 (RFC 2544's benchmarking range) written through a raw
// socket towards one listener, paced to a rate or as fast as one thread can
// write. Bounded in time by the caller's stop flag.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace tcpref::bench {

struct FloodStats {
  uint64_t written = 0;  // accepted by the kernel
  uint64_t refused = 0;  // the kernel had no room (ENOBUFS and the like)
  double seconds = 0;
};

// Writes SYNs to dst:port (host order) until `stop` is set; `rate` SYNs/s,
// 0 for as fast as possible. Returns an error line in `error` when the raw
// socket cannot be opened (needs CAP_NET_RAW).
FloodStats run_syn_flood(uint32_t dst, uint16_t port, uint64_t rate,
                         const std::atomic<bool>& stop, std::string& error);

}  // namespace tcpref::bench
