// A bounded byte ring over storage the stack preallocated (one slice of a
// per-stack arena per socket slot): in-order received bytes waiting for read.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

namespace tcpref::tcp {

class ReceiveBuffer {
 public:
  ReceiveBuffer() = default;
  explicit ReceiveBuffer(std::span<uint8_t> storage) : storage_(storage) {}

  uint32_t size() const { return size_; }
  uint32_t capacity() const { return static_cast<uint32_t>(storage_.size()); }
  uint32_t free() const { return capacity() - size_; }

  // Appends as many bytes as fit; returns how many.
  uint32_t push(std::span<const uint8_t> data) {
    const auto n = static_cast<uint32_t>(std::min<size_t>(data.size(), free()));
    uint32_t tail = (head_ + size_) % std::max(capacity(), 1u);
    for (uint32_t done = 0; done < n;) {
      const uint32_t chunk = std::min(n - done, capacity() - tail);
      std::memcpy(storage_.data() + tail, data.data() + done, chunk);
      done += chunk;
      tail = (tail + chunk) % capacity();
    }
    size_ += n;
    return n;
  }

  // Moves up to out.size() bytes out; returns how many.
  uint32_t pop(std::span<uint8_t> out) {
    const auto n = static_cast<uint32_t>(std::min<size_t>(out.size(), size_));
    for (uint32_t done = 0; done < n;) {
      const uint32_t chunk = std::min(n - done, capacity() - head_);
      std::memcpy(out.data() + done, storage_.data() + head_, chunk);
      done += chunk;
      head_ = (head_ + chunk) % capacity();
    }
    size_ -= n;
    return n;
  }

 private:
  std::span<uint8_t> storage_;
  uint32_t head_ = 0;
  uint32_t size_ = 0;
};

}  // namespace tcpref::tcp
