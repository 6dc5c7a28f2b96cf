#include "impl/tcp/reset.h"

namespace tcpref::tcp {

std::optional<wire::Segment> reset_for(const wire::Segment& in) {
  // RFC 9293 §3.10.7.1: an incoming RST is discarded, never answered.
  if (in.has(wire::flags::kRst)) return std::nullopt;
  wire::Segment out;
  out.src_addr = in.dst_addr;
  out.dst_addr = in.src_addr;
  out.src_port = in.dst_port;
  out.dst_port = in.src_port;
  out.window = 0;
  if (in.has(wire::flags::kAck)) {
    out.seq = in.ack;
    out.flags = wire::flags::kRst;
  } else {
    out.seq = 0;
    out.ack = in.seq + in.seg_len();
    out.flags = wire::flags::kRst | wire::flags::kAck;
  }
  return out;
}

}  // namespace tcpref::tcp
