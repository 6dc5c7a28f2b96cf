// Connections ordered by when they last made progress, oldest first: the
// worker resets the head when its timeout passes, and sheds the head when
// a newcomer finds every slot taken. An intrusive doubly linked list over
// slot indices, sized once: touch, remove and oldest are O(1) and never
// allocate.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::server {

class IdleList {
 public:
  explicit IdleList(uint32_t slots) : nodes_(slots) {}

  // Puts `slot` last (newest), stamped `now`; adds it if absent.
  void touch(uint32_t slot, tcp::Time now) {
    if (nodes_[slot].linked) unlink(slot);
    Node& n = nodes_[slot];
    n.linked = true;
    n.since = now;
    n.prev = tail_;
    n.next = kNone;
    if (tail_ != kNone) {
      nodes_[tail_].next = slot;
    } else {
      head_ = slot;
    }
    tail_ = slot;
    ++size_;
  }

  void remove(uint32_t slot) {
    if (nodes_[slot].linked) unlink(slot);
  }

  // The slot idle the longest, if any.
  [[nodiscard]] std::optional<uint32_t> oldest() const {
    if (head_ == kNone) return std::nullopt;
    return head_;
  }
  // When `slot` last made progress (it must be listed).
  [[nodiscard]] tcp::Time since(uint32_t slot) const {
    return nodes_[slot].since;
  }
  [[nodiscard]] uint32_t size() const { return size_; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Node {
    uint32_t prev = kNone, next = kNone;
    tcp::Time since{0};
    bool linked = false;
  };

  void unlink(uint32_t slot) {
    Node& n = nodes_[slot];
    if (n.prev != kNone) {
      nodes_[n.prev].next = n.next;
    } else {
      head_ = n.next;
    }
    if (n.next != kNone) {
      nodes_[n.next].prev = n.prev;
    } else {
      tail_ = n.prev;
    }
    n = Node{};
    --size_;
  }

  std::vector<Node> nodes_;
  uint32_t head_ = kNone, tail_ = kNone;
  uint32_t size_ = 0;
};

}  // namespace tcpref::server
