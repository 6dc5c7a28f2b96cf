#include "impl/tcp/synack.h"

namespace tcpref::tcp {

wire::Segment make_synack(const StackConfig& config, const FourTuple& tuple,
                          uint32_t iss, uint32_t irs, const SynOptions& o,
                          uint32_t tsval, uint16_t user_mss) {
  wire::Segment s;
  s.src_addr = tuple.local.addr;
  s.dst_addr = tuple.remote.addr;
  s.src_port = tuple.local.port;
  s.dst_port = tuple.remote.port;
  s.seq = iss;
  s.ack = irs + 1;
  s.flags = wire::flags::kSyn | wire::flags::kAck;
  // RFC 3168 §6.1.1: an ECN-setup SYN-ACK sets ECE, not CWR.
  if (o.ecn_ok) s.flags |= wire::flags::kEce;
  s.window = synack_window(config);
  s.options.mss = advertised_mss(config, user_mss);
  if (o.wscale_ok) s.options.window_scale = o.rcv_wscale;
  s.options.sack_permitted = o.sack_ok;
  if (o.ts_ok) s.options.timestamps = wire::Timestamps{tsval, o.ts_recent};
  return s;
}

}  // namespace tcpref::tcp
