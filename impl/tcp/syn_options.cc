#include "impl/tcp/syn_options.h"

#include <algorithm>

namespace tcpref::tcp {

uint16_t advertised_mss(const StackConfig& config, uint16_t user_mss) {
  const auto mtu_mss =
      static_cast<uint16_t>(std::max<int>(config.mtu - 40, kMinMss));
  // Linux tcp_mss_clamp: TCP_MAXSEG only ever lowers the MSS.
  return user_mss != 0 ? std::min(mtu_mss, user_mss) : mtu_mss;
}

uint16_t payload_mss(uint16_t mss, bool ts_ok) {
  const uint16_t options = ts_ok ? 12 : 0;
  return static_cast<uint16_t>(mss > options + 1 ? mss - options : 1);
}

uint16_t effective_mss(const StackConfig& config,
                       std::optional<uint16_t> peer_mss, uint16_t user_mss) {
  // RFC 9293 §3.7.1: an absent MSS means 536. An MSS of 0 is meaningless and
  // treated as absent (as Linux does).
  const uint16_t peer = (peer_mss && *peer_mss != 0) ? *peer_mss : kDefaultMss;
  return std::max(kMinMss, std::min(peer, advertised_mss(config, user_mss)));
}

SynOptions negotiate(const wire::Segment& syn, const StackConfig& config,
                     uint16_t user_mss) {
  SynOptions o;
  const wire::TcpOptions& in = syn.options;
  o.mss = effective_mss(config, in.mss, user_mss);
  if (in.window_scale) {
    o.wscale_ok = true;
    o.snd_wscale = std::min(*in.window_scale, kMaxWindowScale);
    o.rcv_wscale = std::min(config.window_scale, kMaxWindowScale);
  }
  o.sack_ok = in.sack_permitted && config.sack;
  if (in.timestamps && config.timestamps) {
    o.ts_ok = true;
    o.ts_recent = in.timestamps->tsval;
  }
  // RFC 3168 §6.1.1: an ECN-setup SYN has ECE and CWR set. Like Linux, refuse
  // it when the SYN itself was ECT-marked (§6.1.1: SYNs must be not-ECT).
  const bool ecn_setup =
      syn.has(wire::flags::kEce) && syn.has(wire::flags::kCwr);
  o.ecn_ok = config.ecn && ecn_setup && (syn.tos & 0x3) == 0;
  return o;
}

uint16_t synack_window(const StackConfig& config) {
  return static_cast<uint16_t>(
      std::min<uint32_t>(config.receive_buffer, 65535));
}

uint8_t pack_bits(const SynOptions& o) {
  return static_cast<uint8_t>(
      (o.wscale_ok ? optbit::kWscale : 0) | (o.sack_ok ? optbit::kSack : 0) |
      (o.ts_ok ? optbit::kTs : 0) | (o.ecn_ok ? optbit::kEcn : 0));
}

void unpack_bits(uint8_t bits, SynOptions& o) {
  o.wscale_ok = (bits & optbit::kWscale) != 0;
  o.sack_ok = (bits & optbit::kSack) != 0;
  o.ts_ok = (bits & optbit::kTs) != 0;
  o.ecn_ok = (bits & optbit::kEcn) != 0;
}

}  // namespace tcpref::tcp
