// The Stack the stack fuzzers drive: tables small enough that every limit
// (SYN queue, accept queue, socket and TIME-WAIT pools) is reachable within a
// few segments, and fixed keys so any input replays exactly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::fuzz {

inline constexpr uint32_t kServerAddr = 0xC6120001;  // 198.18.0.1
inline constexpr uint16_t kServerPort = 80;
inline constexpr uint16_t kAlwaysCookiePort = 443;   // wildcard listener
inline constexpr uint32_t kClientAddr = 0xC6120002;  // 198.18.0.2
inline constexpr tcp::Time kStart = std::chrono::seconds(1000);

[[nodiscard]] tcp::StackConfig fuzz_stack_config();

// Every packet the stack sends must parse with verified checksums; the sink
// checks that and keeps the packets of the current step for the caller.
class CheckingSink : public tcp::PacketSink {
 public:
  void send(std::span<const uint8_t> ip_packet) override;
  std::vector<std::vector<uint8_t>> packets;  // cleared by the caller
  uint64_t total = 0;
};

}  // namespace tcpref::fuzz
