// A TIME-WAIT record: the little a closed connection must remember for
// 2·MSL (Linux's tcp_timewait_sock, 256 bytes there): the tuple, both
// sequence edges and the timestamp state for RFC 6191 and PAWS.
#pragma once

#include <cstdint>

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct TimeWaitSock {
  FourTuple tuple;
  uint32_t snd_nxt = 0;
  uint32_t rcv_nxt = 0;
  uint32_t ts_recent = 0;
  uint32_t ts_offset = 0;
  uint16_t rcv_wnd = 0;  // window field to send in ACKs (already scaled)
  bool ts_ok = false;
};

static_assert(sizeof(TimeWaitSock) <= 48,
              "TIME-WAIT record must stay ≤ 48 bytes");

}  // namespace tcpref::tcp
