#include "impl/wire/segment.h"

#include <algorithm>

#include "impl/wire/checksum.h"

namespace tcpref::wire {
namespace {

constexpr size_t kMaxIpv4Packet = 65535;

PacketParse reject(ParseError e, OptionsError o = OptionsError::kNone) {
  PacketParse p;
  p.error = e;
  p.options_error = o;
  return p;
}

}  // namespace

bool operator==(const Segment& a, const Segment& b) {
  return a.src_addr == b.src_addr && a.dst_addr == b.dst_addr &&
         a.tos == b.tos && a.ttl == b.ttl && a.ip_id == b.ip_id &&
         a.dont_fragment == b.dont_fragment && a.src_port == b.src_port &&
         a.dst_port == b.dst_port && a.seq == b.seq && a.ack == b.ack &&
         a.flags == b.flags && a.window == b.window && a.urgent == b.urgent &&
         a.options == b.options &&
         std::equal(a.payload.begin(), a.payload.end(), b.payload.begin(),
                    b.payload.end());
}

PacketParse parse_packet(std::span<const uint8_t> packet,
                         ParseOptions options) {
  // The order follows Linux's ip_rcv_core → ip_local_deliver → tcp_v4_rcv.
  const Checked<Ipv4View> ip = Ipv4View::parse(packet);
  if (!ip.ok()) return reject(ip.error);
  if (options.verify_checksums && !ip.view.header_checksum_ok()) {
    return reject(ParseError::kIpBadChecksum);
  }
  if (ip.view.is_fragment()) return reject(ParseError::kIpFragment);
  if (ip.view.protocol() != kIpProtoTcp) return reject(ParseError::kNotTcp);

  const Checked<TcpHeaderView> tcp = TcpHeaderView::parse(ip.view.payload());
  if (!tcp.ok()) return reject(tcp.error);
  if (options.verify_checksums &&
      !tcp_checksum_ok(ip.view.src(), ip.view.dst(), tcp.view.segment())) {
    return reject(ParseError::kTcpBadChecksum);
  }
  OptionsParse opts = parse_options(tcp.view.options());
  if (!opts.ok()) return reject(ParseError::kTcpBadOptions, opts.error);

  PacketParse p;
  Segment& s = p.segment;
  s.src_addr = ip.view.src();
  s.dst_addr = ip.view.dst();
  s.tos = ip.view.tos();
  s.ttl = ip.view.ttl();
  s.ip_id = ip.view.id();
  s.dont_fragment = ip.view.dont_fragment();
  s.src_port = tcp.view.src_port();
  s.dst_port = tcp.view.dst_port();
  s.seq = tcp.view.seq();
  s.ack = tcp.view.ack();
  s.flags = tcp.view.flags();
  s.window = tcp.view.window();
  s.urgent = tcp.view.urgent();
  s.options = opts.options;
  s.payload = tcp.view.payload();
  return p;
}

size_t emitted_length(const Segment& s) {
  const size_t opts = options_length(s.options);
  if (opts > kMaxOptionBytes) return 0;
  const size_t total = kIpv4MinHeader + kTcpMinHeader + opts + s.payload.size();
  return total > kMaxIpv4Packet ? 0 : total;
}

size_t emit(const Segment& s, std::span<uint8_t> out) {
  const size_t total = emitted_length(s);
  if (total == 0 || total > out.size()) return 0;
  const size_t opts = options_length(s.options);
  const size_t tcp_header_length = kTcpMinHeader + opts;

  write_ipv4_header(Ipv4Header{.tos = s.tos,
                               .total_length = static_cast<uint16_t>(total),
                               .id = s.ip_id,
                               .dont_fragment = s.dont_fragment,
                               .ttl = s.ttl,
                               .protocol = kIpProtoTcp,
                               .src = s.src_addr,
                               .dst = s.dst_addr},
                    out.first<kIpv4MinHeader>());

  const std::span<uint8_t> tcp =
      out.subspan(kIpv4MinHeader, total - kIpv4MinHeader);
  write_tcp_header(
      TcpHeader{.src_port = s.src_port,
                .dst_port = s.dst_port,
                .seq = s.seq,
                .ack = s.ack,
                .data_offset = static_cast<uint8_t>(tcp_header_length / 4),
                .flags = s.flags,
                .window = s.window,
                .urgent = s.urgent},
      tcp.first<kTcpMinHeader>());
  const size_t written =
      emit_options(s.options, tcp.subspan(kTcpMinHeader, opts));
  (void)written;  // == opts: the length was checked above
  std::copy(s.payload.begin(), s.payload.end(),
            tcp.begin() + static_cast<ptrdiff_t>(tcp_header_length));
  fill_tcp_checksum(s.src_addr, s.dst_addr, tcp);
  return total;
}

}  // namespace tcpref::wire
