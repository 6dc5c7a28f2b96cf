#include "impl/tcp/output.h"

namespace tcpref::tcp {

bool Output::send(const wire::Segment& segment) {
  const size_t n = wire::emit(segment, buffer_);
  if (n == 0) return false;
  ++counters_.OutSegs;
  if (segment.has(wire::flags::kRst)) ++counters_.OutRsts;
  sink_.send(std::span<const uint8_t>(buffer_.data(), n));
  return true;
}

}  // namespace tcpref::tcp
