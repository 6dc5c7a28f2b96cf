// A chained hash index from a keyed flow hash to pool slots. Chains are
// threaded through a per-slot `next` array, so the index allocates only in
// its constructor and the records it indexes carry no link fields.
#pragma once

#include <cstdint>
#include <vector>

namespace tcpref::tcp {

class FlowIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Bucket count is the power of two ≥ capacity: load factor ≤ 1.
  explicit FlowIndex(uint32_t capacity)
      : mask_(bucket_count(capacity) - 1),
        buckets_(mask_ + 1, kNone),
        next_(capacity, kNone) {}

  void insert(uint32_t slot, uint64_t hash) {
    uint32_t& head = buckets_[hash & mask_];
    next_[slot] = head;
    head = slot;
  }

  void erase(uint32_t slot, uint64_t hash) {
    uint32_t* link = &buckets_[hash & mask_];
    while (*link != kNone) {
      if (*link == slot) {
        *link = next_[slot];
        next_[slot] = kNone;
        return;
      }
      link = &next_[*link];
    }
  }

  // The first slot in the hash's chain for which match(slot) holds.
  template <class Match>
  [[nodiscard]] uint32_t find(uint64_t hash, Match&& match) const {
    for (uint32_t s = buckets_[hash & mask_]; s != kNone; s = next_[s]) {
      if (match(s)) return s;
    }
    return kNone;
  }

  // How many slots in the hash's chain match (the one-record-per-4-tuple
  // rule says at most one; fuzzers and tests check it).
  template <class Match>
  [[nodiscard]] uint32_t count(uint64_t hash, Match&& match) const {
    uint32_t n = 0;
    for (uint32_t s = buckets_[hash & mask_]; s != kNone; s = next_[s]) {
      n += match(s) ? 1 : 0;
    }
    return n;
  }

 private:
  static uint32_t bucket_count(uint32_t capacity) {
    uint32_t n = 1;
    while (n < capacity) n <<= 1;
    return n;
  }

  uint32_t mask_;
  std::vector<uint32_t> buckets_;
  std::vector<uint32_t> next_;
};

}  // namespace tcpref::tcp
