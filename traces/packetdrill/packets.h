// Wire bytes for the runner: builds an inbound IPv4/TCP packet from a script
// line (options in the script's order, byte for byte, as packetdrill sends
// them), encodes an expected option list the same way, and walks raw
// option bytes so outbound options can be compared one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "traces/packetdrill/script.h"

namespace tcpref::packetdrill {

struct Addressing {
  uint32_t local_addr = 0;  // host byte order
  uint32_t remote_addr = 0;
  uint16_t local_port = 0;
  uint16_t remote_port = 0;
};

// Encodes options in order. Empty string on success, else why not (an
// unknown option, an FO cookie that is not hex, more than 40 bytes).
[[nodiscard]] std::string encode_options(
    const std::vector<TcpOptionSpec>& options, std::vector<uint8_t>& out);

struct InboundFields {
  uint32_t seq = 0;
  uint32_t ack = 0;
  std::optional<uint32_t> ts_ecr;  // live value replacing the script's ecr
};

// Remote → local IPv4 packet with zero-filled payload. Empty string on
// success, else the reason it cannot be built.
[[nodiscard]] std::string build_inbound(const PacketSpec& spec,
                                        const Addressing& addressing,
                                        const InboundFields& fields,
                                        std::vector<uint8_t>& out);

// One option in raw bytes: kind, and the bytes after kind+length.
struct RawOption {
  uint8_t kind = 0;
  uint8_t length = 1;  // 1 for EOL/NOP
  std::span<const uint8_t> data;
};
[[nodiscard]] std::vector<RawOption> split_options(
    std::span<const uint8_t> bytes);

// "mss 1460,nop,wscale 8" for messages.
[[nodiscard]] std::string options_to_string(std::span<const uint8_t> bytes);

// "S.", "P.", "F." ... as packetdrill writes flags.
[[nodiscard]] std::string flags_to_string(uint16_t flags);

}  // namespace tcpref::packetdrill
