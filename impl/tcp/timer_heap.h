// An indexed binary min-heap of deadlines, one optional deadline per slot id
// (request sock, TIME-WAIT record or socket). Schedule, cancel and pop are
// O(log n); all arrays are sized in the constructor.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace tcpref::tcp {

class TimerHeap {
 public:
  using Time = std::chrono::microseconds;

  explicit TimerHeap(uint32_t capacity)
      : heap_(capacity), pos_(capacity, kAbsent), due_(capacity) {}

  // Sets (or moves) the deadline of `id`.
  void schedule(uint32_t id, Time due) {
    due_[id] = due;
    if (pos_[id] == kAbsent) {
      pos_[id] = size_;
      heap_[size_++] = id;
    }
    sift_up(pos_[id]);
    sift_down(pos_[id]);
  }

  void cancel(uint32_t id) {
    const uint32_t p = pos_[id];
    if (p == kAbsent) return;
    const uint32_t last = heap_[--size_];
    pos_[id] = kAbsent;
    if (last == id) return;
    heap_[p] = last;
    pos_[last] = p;
    sift_up(p);
    sift_down(pos_[last]);
  }

  bool scheduled(uint32_t id) const { return pos_[id] != kAbsent; }
  std::optional<Time> next() const {
    if (size_ == 0) return std::nullopt;
    return due_[heap_[0]];
  }
  // Removes and returns the earliest id due at or before `now`.
  std::optional<uint32_t> pop_due(Time now) {
    if (size_ == 0 || due_[heap_[0]] > now) return std::nullopt;
    const uint32_t id = heap_[0];
    cancel(id);
    return id;
  }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  bool less(uint32_t a, uint32_t b) const {
    return due_[heap_[a]] < due_[heap_[b]];
  }
  void swap_at(uint32_t a, uint32_t b) {
    std::swap(heap_[a], heap_[b]);
    pos_[heap_[a]] = a;
    pos_[heap_[b]] = b;
  }
  void sift_up(uint32_t p) {
    while (p > 0 && less(p, (p - 1) / 2)) {
      swap_at(p, (p - 1) / 2);
      p = (p - 1) / 2;
    }
  }
  void sift_down(uint32_t p) {
    for (;;) {
      uint32_t best = p;
      const uint32_t l = 2 * p + 1, r = 2 * p + 2;
      if (l < size_ && less(l, best)) best = l;
      if (r < size_ && less(r, best)) best = r;
      if (best == p) return;
      swap_at(p, best);
      p = best;
    }
  }

  std::vector<uint32_t> heap_;  // ids, heap-ordered by due_
  std::vector<uint32_t> pos_;   // id → index in heap_, or kAbsent
  std::vector<Time> due_;
  uint32_t size_ = 0;
};

}  // namespace tcpref::tcp
