// What the stack keeps about a socket slot beside its TCB (Connection):
// the listener a child came from, the accept queue links, whether the
// 4-tuple index holds it, and whether the application still holds it.
// Stack::Impl owns one per slot of its socket pool.
#pragma once

#include <cstdint>

namespace tcpref::tcp {

struct SocketSlot {
  static constexpr uint32_t kNone = UINT32_MAX;

  uint16_t listener = 0;     // the listener a child came from
  bool queued = false;       // waiting in the listener's accept queue
  bool hashed = false;       // reachable by 4-tuple lookup
  bool orphaned = false;     // the application closed its handle
  bool tfo_counted = false;  // counts in its listener's fast_open_pending
  uint32_t accept_prev = kNone;
  uint32_t accept_next = kNone;
};

}  // namespace tcpref::tcp
