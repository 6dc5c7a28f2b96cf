// A request sock: what a listener remembers about a connection in
// SYN-RECEIVED (Linux's tcp_request_sock, 320 bytes there). Kept compact
// because a SYN flood fills the pool with these.
#pragma once

#include <cstdint>

#include "impl/tcp/challenge_ack.h"
#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct RequestSock {
  FourTuple tuple;
  uint32_t iss = 0;
  uint32_t irs = 0;
  uint32_t ts_recent = 0;  // the SYN's TSval, echoed as TSecr
  uint32_t ts_offset = 0;  // added to our TSval clock (RFC 7323 §5.4)
  // When the SYN-ACK left (µs, low 32 bits): the handshake's RTT sample
  // unless it was ever resent (Karn, RFC 6298 §3).
  uint32_t synack_us = 0;
  ChallengeAckLimiter challenge;
  uint16_t mss = 0;         // effective send MSS
  uint16_t listener = 0;    // index into the listener table
  uint16_t snd_wnd = 0;     // the SYN's window (never scaled)
  uint8_t retransmits = 0;  // SYN-ACK retransmissions so far
  uint8_t snd_wscale = 0;
  uint8_t rcv_wscale = 0;
  uint8_t options = 0;         // optbit::* (syn_options.h)
  bool synack_resent = false;  // for a retransmitted SYN
};

static_assert(sizeof(RequestSock) <= 64, "request sock must stay ≤ 64 bytes");

}  // namespace tcpref::tcp
