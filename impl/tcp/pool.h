// A bounded slab of T with a free list and per-slot generations. The
// constructor reserves room for `capacity` slots without constructing
// them, so the kernel commits memory only for slots in use: a pool sized
// for a million sockets costs almost nothing until sockets arrive. Slots
// are constructed the first time the pool reaches them and reused
// (last released, first taken) ever after, so allocate/release never call
// the allocator and tables built on it stay allocation-free once warm.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace tcpref::tcp {

template <class T>
class Pool {
 public:
  explicit Pool(uint32_t capacity) : capacity_(capacity) {
    slots_.reserve(capacity);
    generation_.reserve(capacity);
    in_use_.reserve(capacity);
    free_.reserve(capacity);
  }

  // A fresh, value-initialised slot, or nullopt when the pool is exhausted.
  [[nodiscard]] std::optional<uint32_t> allocate() {
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
      slots_[index] = T{};
    } else if (slots_.size() < capacity_) {
      // Within the reserved capacity: constructs in place, no allocation.
      index = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
      generation_.push_back(0);
      in_use_.push_back(0);
    } else {
      return std::nullopt;
    }
    in_use_[index] = 1;
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
    return index < in_use_.size() && in_use_[index] != 0;
  }
  // 0 for a slot never reached.
  uint32_t generation(uint32_t index) const {
    return index < generation_.size() ? generation_[index] : 0;
  }
  uint32_t capacity() const { return capacity_; }
  // Slots ever constructed: the high-water mark of size().
  uint32_t reached() const { return static_cast<uint32_t>(slots_.size()); }
  uint32_t size() const {
    return reached() - static_cast<uint32_t>(free_.size());
  }
  bool full() const { return size() == capacity_; }

 private:
  uint32_t capacity_;
  std::vector<T> slots_;
  std::vector<uint32_t> generation_;
  std::vector<uint8_t> in_use_;
  std::vector<uint32_t> free_;
};

}  // namespace tcpref::tcp
