// A listener's accept queue: a FIFO of established children, doubly linked
// through Connection::accept_prev/accept_next so it never allocates and a
// child reset before accept() leaves in O(1).
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
    sockets[socket].accept_prev = tail_;
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
    remove(s, sockets);
    return s;
  }

  void remove(uint32_t socket, Pool<Connection>& sockets) {
    Connection& c = sockets[socket];
    if (c.accept_prev == kNone) {
      head_ = c.accept_next;
    } else {
      sockets[c.accept_prev].accept_next = c.accept_next;
    }
    if (c.accept_next == kNone) {
      tail_ = c.accept_prev;
    } else {
      sockets[c.accept_next].accept_prev = c.accept_prev;
    }
    c.accept_prev = c.accept_next = kNone;
    c.queued = false;
    --length_;
  }

 private:
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  uint32_t length_ = 0;
};

}  // namespace tcpref::tcp
