#include "impl/tcp/send_buffer.h"

#include <algorithm>
#include <cstring>

namespace tcpref::tcp {

uint32_t SendBuffer::append(std::span<const uint8_t> data) {
  const auto n = static_cast<uint32_t>(std::min<size_t>(data.size(), free()));
  if (n == 0) return 0;
  uint32_t tail = (head_ + size_) % capacity();
  for (uint32_t done = 0; done < n;) {
    const uint32_t chunk = std::min(n - done, capacity() - tail);
    std::memcpy(storage_.data() + tail, data.data() + done, chunk);
    done += chunk;
    tail = (tail + chunk) % capacity();
  }
  size_ += n;
  return n;
}

uint32_t SendBuffer::peek(uint32_t offset, std::span<uint8_t> out) const {
  if (offset >= size_) return 0;
  const auto n =
      static_cast<uint32_t>(std::min<size_t>(out.size(), size_ - offset));
  const uint32_t to_end = capacity() - head_;
  uint32_t at = offset < to_end ? head_ + offset : offset - to_end;
  for (uint32_t done = 0; done < n;) {
    const uint32_t chunk = std::min(n - done, capacity() - at);
    std::memcpy(out.data() + done, storage_.data() + at, chunk);
    done += chunk;
    at = (at + chunk) % capacity();
  }
  return n;
}

uint32_t SendBuffer::release(uint32_t n) {
  n = std::min(n, size_);
  if (n == 0) return 0;
  head_ = (head_ + n) % capacity();
  size_ -= n;
  return n;
}

}  // namespace tcpref::tcp
