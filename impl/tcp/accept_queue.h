// A listener's accept queue: a FIFO of established children, doubly linked
// through SocketSlot::accept_prev/accept_next so it never allocates and a
// child reset before accept() leaves in O(1).
//
// Backlog, like Linux's sk_acceptq_is_full: the queue is full when MORE than
// `backlog` children wait, so backlog N admits N+1 (backlog 0 admits 1).
#pragma once

#include <cstdint>
#include <span>

#include "impl/tcp/socket_slot.h"

namespace tcpref::tcp {

class AcceptQueue {
 public:
  static constexpr uint32_t kNone = SocketSlot::kNone;

  uint32_t length() const { return length_; }
  bool full(uint32_t backlog) const { return length_ > backlog; }

  void push(uint32_t socket, std::span<SocketSlot> slots) {
    slots[socket].accept_next = kNone;
    slots[socket].accept_prev = tail_;
    slots[socket].queued = true;
    if (tail_ == kNone) {
      head_ = socket;
    } else {
      slots[tail_].accept_next = socket;
    }
    tail_ = socket;
    ++length_;
  }

  // The oldest child, or kNone.
  uint32_t pop(std::span<SocketSlot> slots) {
    if (head_ == kNone) return kNone;
    const uint32_t s = head_;
    remove(s, slots);
    return s;
  }

  void remove(uint32_t socket, std::span<SocketSlot> slots) {
    SocketSlot& c = slots[socket];
    if (c.accept_prev == kNone) {
      head_ = c.accept_next;
    } else {
      slots[c.accept_prev].accept_next = c.accept_next;
    }
    if (c.accept_next == kNone) {
      tail_ = c.accept_prev;
    } else {
      slots[c.accept_next].accept_prev = c.accept_prev;
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
