// A listener's accept queue: a FIFO of established children, threaded
// through Connection::accept_next so it never allocates.
//
// Backlog, like Linux's sk_acceptq_is_full: the queue is full when MORE than
// `backlog` children wait, so backlog N admits N+1 (backlog 0 admits 1).
#pragma once

#include <cstdint>

#include "impl/tcp/connection.h"
#include "impl/tcp/pool.h"

namespace tcpref::tcp {

class AcceptQueue {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  uint32_t length() const { return length_; }
  bool full(uint32_t backlog) const { return length_ > backlog; }

  void push(uint32_t socket, Pool<Connection>& sockets) {
    sockets[socket].accept_next = kNone;
    sockets[socket].queued = true;
    if (tail_ == kNone) {
      head_ = socket;
    } else {
      sockets[tail_].accept_next = socket;
    }
    tail_ = socket;
    ++length_;
  }

  // The oldest child, or kNone.
  uint32_t pop(Pool<Connection>& sockets) {
    if (head_ == kNone) return kNone;
    const uint32_t s = head_;
    head_ = sockets[s].accept_next;
    if (head_ == kNone) tail_ = kNone;
    sockets[s].accept_next = kNone;
    sockets[s].queued = false;
    --length_;
    return s;
  }

 private:
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  uint32_t length_ = 0;
};

}  // namespace tcpref::tcp
