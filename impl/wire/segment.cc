#include "impl/wire/segment.h"

#include <algorithm>

#include "impl/wire/checksum.h"
#include "impl/wire/ipv6_extensions.h"

namespace tcpref::wire {
namespace {

constexpr size_t kMaxIpv4Packet = 65535;
constexpr size_t kMaxIpv6Payload = 65535;  // without a jumbogram (RFC 2675)

PacketParse reject(ParseError e, OptionsError o = OptionsError::kNone) {
  PacketParse p;
  p.error = e;
  p.options_error = o;
  return p;
}

// The TCP part, the same for both families once `p` holds the IP fields:
// header, checksum over the family's pseudo-header, options (Linux
// tcp_v4_rcv / tcp_v6_rcv → tcp_checksum_complete → tcp_parse_options).
template <class Address>
PacketParse parse_tcp(std::span<const uint8_t> bytes, const Address& src,
                      const Address& dst, ParseOptions options, PacketParse p) {
  const Checked<TcpHeaderView> tcp = TcpHeaderView::parse(bytes);
  if (!tcp.ok()) return reject(tcp.error);
  if (options.verify_checksums && !options.tcp_checksum_trusted &&
      !tcp_checksum_ok(src, dst, tcp.view.segment())) {
    return reject(ParseError::kTcpBadChecksum);
  }
  OptionsParse opts = parse_options(tcp.view.options());
  if (!opts.ok()) return reject(ParseError::kTcpBadOptions, opts.error);
  Segment& s = p.segment;
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

PacketParse parse_ipv4(std::span<const uint8_t> packet, ParseOptions options) {
  // The order follows Linux's ip_rcv_core → ip_local_deliver → tcp_v4_rcv.
  const Checked<Ipv4View> ip = Ipv4View::parse(packet);
  if (!ip.ok()) return reject(ip.error);
  if (options.verify_checksums && !ip.view.header_checksum_ok()) {
    return reject(ParseError::kIpBadChecksum);
  }
  if (ip.view.is_fragment()) return reject(ParseError::kIpFragment);
  if (ip.view.protocol() != kIpProtoTcp) return reject(ParseError::kNotTcp);

  PacketParse p;
  Segment& s = p.segment;
  s.ip_version = 4;
  s.src_addr = ip.view.src();
  s.dst_addr = ip.view.dst();
  s.tos = ip.view.tos();
  s.ttl = ip.view.ttl();
  s.ip_id = ip.view.id();
  s.dont_fragment = ip.view.dont_fragment();
  return parse_tcp(ip.view.payload(), ip.view.src(), ip.view.dst(), options, p);
}

PacketParse parse_ipv6(std::span<const uint8_t> packet, ParseOptions options) {
  // Linux's ipv6_rcv → ip6_protocol_deliver_rcu (the extension headers'
  // handlers in turn) → tcp_v6_rcv. IPv6 has no header checksum (RFC 8200
  // §3); the TCP checksum is mandatory (§8.1).
  const Checked<Ipv6View> ip = Ipv6View::parse(packet);
  if (!ip.ok()) return reject(ip.error);
  const Checked<ExtensionWalk> walk =
      walk_extension_headers(ip.view.next_header(), ip.view.payload());
  if (!walk.ok()) return reject(walk.error);
  if (walk.view.protocol != next_header::kTcp) {
    return reject(ParseError::kNotTcp);
  }

  PacketParse p;
  Segment& s = p.segment;
  s.ip_version = 6;
  s.src6 = ip.view.src();
  s.dst6 = ip.view.dst();
  s.tos = ip.view.traffic_class();
  s.ttl = ip.view.hop_limit();
  s.flow_label = ip.view.flow_label();
  return parse_tcp(ip.view.payload().subspan(walk.view.offset), s.src6, s.dst6,
                   options, p);
}

}  // namespace

void Segment::set_addresses(const IpAddress& src, const IpAddress& dst) {
  if (src.is_v4() && dst.is_v4()) {
    ip_version = 4;
    src_addr = src.v4();
    dst_addr = dst.v4();
  } else {
    ip_version = 6;
    src6 = src.bytes();
    dst6 = dst.bytes();
  }
}

bool operator==(const Segment& a, const Segment& b) {
  if (a.ip_version != b.ip_version) return false;
  const bool ip_equal =
      a.is_v6()
          ? a.src6 == b.src6 && a.dst6 == b.dst6 && a.flow_label == b.flow_label
          : a.src_addr == b.src_addr && a.dst_addr == b.dst_addr &&
                a.ip_id == b.ip_id && a.dont_fragment == b.dont_fragment;
  return ip_equal && a.tos == b.tos && a.ttl == b.ttl &&
         a.src_port == b.src_port && a.dst_port == b.dst_port &&
         a.seq == b.seq && a.ack == b.ack && a.flags == b.flags &&
         a.window == b.window && a.urgent == b.urgent &&
         a.options == b.options &&
         std::equal(a.payload.begin(), a.payload.end(), b.payload.begin(),
                    b.payload.end());
}

PacketParse parse_packet(std::span<const uint8_t> packet,
                         ParseOptions options) {
  // Dispatch on the version nibble, as a link that carries both families
  // without a protocol field (TUN without packet info) must.
  if (!packet.empty() && (packet[0] >> 4) == 6) {
    return parse_ipv6(packet, options);
  }
  return parse_ipv4(packet, options);
}

size_t emitted_length(const Segment& s) {
  const size_t opts = options_length(s.options);
  if (opts > kMaxOptionBytes) return 0;
  const size_t tcp = kTcpMinHeader + opts + s.payload.size();
  switch (s.ip_version) {
    case 4:
      return kIpv4MinHeader + tcp > kMaxIpv4Packet ? 0 : kIpv4MinHeader + tcp;
    case 6:
      return tcp > kMaxIpv6Payload ? 0 : kIpv6Header + tcp;
    default:
      return 0;
  }
}

size_t emit(const Segment& s, std::span<uint8_t> out) {
  const size_t total = emitted_length(s);
  if (total == 0 || total > out.size()) return 0;
  const size_t opts = options_length(s.options);
  const size_t tcp_header_length = kTcpMinHeader + opts;
  const size_t ip_header = s.is_v6() ? kIpv6Header : kIpv4MinHeader;

  if (s.is_v6()) {
    write_ipv6_header(
        Ipv6Header{.traffic_class = s.tos,
                   .flow_label = s.flow_label,
                   .payload_length = static_cast<uint16_t>(total - ip_header),
                   .next_header = next_header::kTcp,
                   .hop_limit = s.ttl,
                   .src = s.src6,
                   .dst = s.dst6},
        out.first<kIpv6Header>());
  } else {
    write_ipv4_header(Ipv4Header{.tos = s.tos,
                                 .total_length = static_cast<uint16_t>(total),
                                 .id = s.ip_id,
                                 .dont_fragment = s.dont_fragment,
                                 .ttl = s.ttl,
                                 .protocol = kIpProtoTcp,
                                 .src = s.src_addr,
                                 .dst = s.dst_addr},
                      out.first<kIpv4MinHeader>());
  }

  const std::span<uint8_t> tcp = out.subspan(ip_header, total - ip_header);
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
  if (s.is_v6()) {
    fill_tcp_checksum(s.src6, s.dst6, tcp);
  } else {
    fill_tcp_checksum(s.src_addr, s.dst_addr, tcp);
  }
  return total;
}

}  // namespace tcpref::wire
