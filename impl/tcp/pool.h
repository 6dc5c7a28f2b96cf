// A fixed-capacity slab of T with a free list and per-slot generations.
// All memory is allocated in the constructor; allocate/release never
// allocate, so tables built on it stay allocation-free once constructed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace tcpref::tcp {

template <class T>
class Pool {
 public:
  explicit Pool(uint32_t capacity)
      : slots_(capacity), generation_(capacity, 0), in_use_(capacity, 0) {
    free_.reserve(capacity);
    for (uint32_t i = capacity; i > 0; --i) free_.push_back(i - 1);
  }

  // A fresh, value-initialised slot, or nullopt when the pool is exhausted.
  [[nodiscard]] std::optional<uint32_t> allocate() {
    if (free_.empty()) return std::nullopt;
    const uint32_t index = free_.back();
    free_.pop_back();
    in_use_[index] = 1;
    slots_[index] = T{};
    return index;
  }

  // Returns the slot and bumps its generation so stale handles miss.
  void release(uint32_t index) {
    in_use_[index] = 0;
    ++generation_[index];
    free_.push_back(index);  // never grows past the reserved capacity
  }

  T& operator[](uint32_t index) { return slots_[index]; }
  const T& operator[](uint32_t index) const { return slots_[index]; }
  bool in_use(uint32_t index) const {
    return index < capacity() && in_use_[index] != 0;
  }
  uint32_t generation(uint32_t index) const { return generation_[index]; }
  uint32_t capacity() const { return static_cast<uint32_t>(slots_.size()); }
  uint32_t size() const {
    return capacity() - static_cast<uint32_t>(free_.size());
  }
  bool full() const { return free_.empty(); }

 private:
  std::vector<T> slots_;
  std::vector<uint32_t> generation_;
  std::vector<uint8_t> in_use_;
  std::vector<uint32_t> free_;
};

}  // namespace tcpref::tcp
