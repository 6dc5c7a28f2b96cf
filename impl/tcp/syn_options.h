// What a SYN negotiates: the options we accept from the peer's SYN and echo
// in our SYN-ACK. We offer an option only when the SYN offered it.
#pragma once

#include <cstdint>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {

// RFC 9293 §3.7.1 (MUST-15): assume 536 when the SYN carries no MSS.
inline constexpr uint16_t kDefaultMss = 536;
// Floor for the peer's MSS, so a tiny advertisement cannot force tiny
// segments (cf. CVE-2019-11479; Linux's tcp_min_snd_mss is 48).
inline constexpr uint16_t kMinMss = 64;
// RFC 7323 §2.3: shift counts above 14 are treated as 14.
inline constexpr uint8_t kMaxWindowScale = 14;

struct SynOptions {
  uint16_t mss = kDefaultMss;  // min(ours, peer's), floored at kMinMss
  bool wscale_ok = false;
  uint8_t snd_wscale = 0;  // peer's shift, capped at 14
  uint8_t rcv_wscale = 0;  // ours, when wscale_ok
  bool sack_ok = false;
  bool ts_ok = false;
  bool ecn_ok = false;
  uint32_t ts_recent = 0;  // the SYN's TSval
};

// Our MSS advertisement: interface MTU − 40 (IPv4 + TCP headers), clamped
// by the socket's TCP_MAXSEG (`user_mss`, 0: none).
[[nodiscard]] uint16_t advertised_mss(const StackConfig& config,
                                      uint16_t user_mss = 0);

// The effective send MSS for a peer's MSS option (nullopt or 0: absent).
[[nodiscard]] uint16_t effective_mss(const StackConfig& config,
                                     std::optional<uint16_t> peer_mss,
                                     uint16_t user_mss = 0);

// The payload a segment may carry under `mss`: RFC 6691, the MSS leaves out
// TCP options, so our timestamps (12 bytes with padding) come out of it.
// Never below 1.
[[nodiscard]] uint16_t payload_mss(uint16_t mss, bool ts_ok);

[[nodiscard]] SynOptions negotiate(const wire::Segment& syn,
                                   const StackConfig& config,
                                   uint16_t user_mss = 0);

// The window field of our SYN-ACK: never scaled (RFC 7323 §2.2).
[[nodiscard]] uint16_t synack_window(const StackConfig& config);

// Option bits packed into one byte, for compact records.
namespace optbit {
inline constexpr uint8_t kWscale = 1 << 0;
inline constexpr uint8_t kSack = 1 << 1;
inline constexpr uint8_t kTs = 1 << 2;
inline constexpr uint8_t kEcn = 1 << 3;
}  // namespace optbit

[[nodiscard]] uint8_t pack_bits(const SynOptions& o);
void unpack_bits(uint8_t bits, SynOptions& o);

}  // namespace tcpref::tcp
