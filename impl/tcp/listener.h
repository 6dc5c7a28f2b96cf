// A listening socket: its options, SYN-queue count and accept queue.
#pragma once

#include <cstdint>

#include "impl/tcp/accept_queue.h"
#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct Listener {
  bool in_use = false;
  Endpoint local;
  ListenOptions options;
  uint32_t syn_queue_length = 0;  // request socks owned by this listener
  AcceptQueue accept_queue;
  // Cookie ACKs are checked only if we sent a cookie within a cookie's
  // lifetime (Linux tcp_synq_no_recent_overflow): no cookies sent, none valid.
  bool cookie_sent = false;
  Time last_cookie_sent{0};
  // TFO children still in SYN-RECEIVED (bounded by fast_open.queue_length).
  uint32_t fast_open_pending = 0;
};

}  // namespace tcpref::tcp
