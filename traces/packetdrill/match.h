// Outbound packets in packetdrill's script space, and the field-by-field
// comparison with a script line (packetdrill's order: 4-tuple, flags, seq,
// ack, window, ECN, payload, options kind by kind).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "traces/packetdrill/script.h"

namespace tcpref::packetdrill {

// Live ↔ script numbering. A SYN's seq/ack are absolute script values, every
// other packet's are relative to the ISNs; TS vals map through the values
// seen on outbound lines.
struct ScriptSpace {
  uint32_t local_isn_live = 0;    // our ISS, learned from our SYN / SYN-ACK
  uint32_t local_isn_script = 0;  // the seq the script wrote for it
  uint32_t remote_isn = 0;        // the script's, used unchanged on the wire
  std::map<uint32_t, uint32_t> ts_map;                    // script → live
  std::optional<std::pair<uint32_t, uint32_t>> first_ts;  // script, live
};

// An outbound packet decoded in script terms.
struct Actual {
  uint32_t src = 0, dst = 0;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t flags = 0;  // tcp_flag bits
  uint16_t window = 0;
  uint8_t tos = 0;
  std::vector<uint8_t> options;
  uint32_t payload_len = 0;
  bool payload_zero = true;
  int64_t at_us = 0;
  int segments = 1;  // > 1 when a TSO burst was joined
};

// `packet` must have passed wire::parse_packet.
[[nodiscard]] Actual decode(std::span<const uint8_t> packet, int64_t at_us,
                            const ScriptSpace& space);

// "S. 0:0(0) ack 1 win 65535 <mss 1460>"
[[nodiscard]] std::string describe(const Actual& a);

// "expected ack 1 got 0"
[[nodiscard]] std::string mismatch(std::string_view field, uint64_t want,
                                   uint64_t got);

struct MatchRules {
  uint32_t remote_addr = 0;
  uint16_t remote_port = 0;  // unless the line gives ports
  int64_t tolerance_us = 0;
  int64_t ts_tick_us = 0;  // 0: TS val not checked
};

struct MatchResult {
  enum class Kind : uint8_t { kMatch, kMismatch, kUnsupported };
  Kind kind = Kind::kMatch;
  std::string reason;
  bool ok() const { return kind == Kind::kMatch; }
};

// Compares everything but timing; records TS mappings in `space`.
[[nodiscard]] MatchResult match_packet(const PacketSpec& spec, const Actual& a,
                                       const MatchRules& rules,
                                       ScriptSpace& space);

}  // namespace tcpref::packetdrill
