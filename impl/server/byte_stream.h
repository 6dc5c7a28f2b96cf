// What an application mode sees of a connection: a non-blocking byte
// stream. The server adapts tcp::Stack sockets to it; tests use an in-memory
// one, so every mode is tested without a stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tcpref::server {

enum class ReadStatus : uint8_t {
  kData,        // `bytes` > 0 were read
  kWouldBlock,  // nothing now; try again after the next packet
  kEof,         // the peer sent FIN and everything before it was read
  kError,       // reset or gone
};

struct ReadResult {
  size_t bytes = 0;
  ReadStatus status = ReadStatus::kWouldBlock;
};

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual ReadResult read(std::span<uint8_t> out) = 0;
  // Bytes taken into the send buffer (0 when it is full); false on error.
  virtual bool write(std::span<const uint8_t> data, size_t& taken) = 0;
  // Graceful close: a FIN follows whatever was written.
  virtual void close() = 0;
};

}  // namespace tcpref::server
