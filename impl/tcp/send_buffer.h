// The send queue of one connection: a bounded byte ring over storage the
// stack preallocated (one slice of a per-stack arena per socket slot, like
// ReceiveBuffer). It holds the bytes from SND.UNA onwards — sent but not yet
// acknowledged, then written but not yet sent — so a byte is addressed by
// its offset from SND.UNA (offset = seq − SND.UNA). A FIN occupies sequence
// space but no byte here; the connection accounts for it.
#pragma once

#include <cstdint>
#include <span>

namespace tcpref::tcp {

class SendBuffer {
 public:
  SendBuffer() = default;
  explicit SendBuffer(std::span<uint8_t> storage) : storage_(storage) {}

  [[nodiscard]] uint32_t size() const { return size_; }
  [[nodiscard]] uint32_t capacity() const {
    return static_cast<uint32_t>(storage_.size());
  }
  [[nodiscard]] uint32_t free() const { return capacity() - size_; }

  // write(): appends as many bytes as fit; returns how many.
  uint32_t append(std::span<const uint8_t> data);

  // (Re)transmission: copies up to out.size() bytes starting `offset` bytes
  // after SND.UNA into `out`; returns how many (0 when offset ≥ size()).
  [[nodiscard]] uint32_t peek(uint32_t offset, std::span<uint8_t> out) const;

  // An ACK moved SND.UNA forward by `n` bytes: forgets them. Returns how many
  // were released (at most size()).
  uint32_t release(uint32_t n);

 private:
  std::span<uint8_t> storage_;
  uint32_t head_ = 0;  // storage index of the byte at SND.UNA
  uint32_t size_ = 0;
};

}  // namespace tcpref::tcp
