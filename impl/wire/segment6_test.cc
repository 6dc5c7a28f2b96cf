// parse_packet and emit over IPv6 (RFC 8200): layout, every rejection on the
// IPv6 path, extension headers in front of TCP, and properties.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "impl/wire/bytes.h"
#include "impl/wire/checksum.h"
#include "impl/wire/generators.h"
#include "impl/wire/ipv6_extensions.h"
#include "impl/wire/segment.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;
namespace nh = next_header;

// 2001:2::1 → 2001:2::2 (RFC 5180's benchmarking range).
constexpr Ipv6Bytes kClient = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                               0,    0,    0, 0, 0, 0, 0, 1};
constexpr Ipv6Bytes kServer = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                               0,    0,    0, 0, 0, 0, 0, 2};

const Bytes kPayload = {'h', 'e', 'l', 'l', 'o'};

Segment example_syn6() {
  Segment s;
  s.ip_version = 6;
  s.src6 = kClient;
  s.dst6 = kServer;
  s.flow_label = 0x12345;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 0x01020304;
  s.flags = flags::kSyn;
  s.window = 64240;
  s.options.mss = 1440;
  s.options.sack_permitted = true;
  s.options.timestamps = Timestamps{1000, 0};
  s.options.window_scale = 7;
  s.payload = kPayload;
  return s;
}

// The same packet, encoded independently (python3: struct + inet.csum over
// the RFC 8200 §8.1 pseudo-header).
const Bytes kExampleSyn6 = {
    0x60, 0x01, 0x23, 0x45, 0x00, 0x2d, 0x06, 0x40, 0x20, 0x01, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x9c, 0x40, 0x00, 0x50,
    0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa,
    0xf0, 0x24, 0xc5, 0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x04, 0x02,
    0x08, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x03, 0x03, 0x07, 0x68, 0x65, 0x6c, 0x6c, 0x6f};

Bytes emit_bytes(const Segment& s) {
  Bytes out(emitted_length(s));
  const size_t n = emit(s, out);
  out.resize(n);
  return out;
}

ParseError error_of(const Bytes& p) { return parse_packet(p).error; }

// Inserts extension headers `ext` (which end naming TCP) between the fixed
// header and TCP, and fixes Next Header and Payload Length. The TCP checksum
// does not change: the pseudo-header counts TCP's length only.
Bytes with_extensions(Bytes p, uint8_t first, const Bytes& ext) {
  p[6] = first;
  p.insert(p.begin() + 40, ext.begin(), ext.end());
  store_be16(p, 4, static_cast<uint16_t>(p.size() - 40));
  return p;
}

void fix_tcp_checksum(Bytes& p, size_t tcp_at = 40) {
  const std::span<uint8_t> tcp = std::span(p).subspan(tcp_at);
  store_be16(tcp, 16, tcp_checksum(kClient, kServer, tcp));
}

// ---- accepted packets ------------------------------------------------------

TEST(ParsePacket6, EmitMatchesAnIndependentEncoding) {
  EXPECT_EQ(emit_bytes(example_syn6()), kExampleSyn6);
  EXPECT_EQ(emitted_length(example_syn6()), kExampleSyn6.size());
}

TEST(ParsePacket6, IndependentEncodingParsesToTheSegment) {
  const PacketParse r = parse_packet(kExampleSyn6);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_EQ(r.segment, example_syn6());
  EXPECT_TRUE(r.segment.is_v6());
  EXPECT_EQ(r.segment.payload.data(), kExampleSyn6.data() + 80);
  EXPECT_EQ(r.segment.src(), IpAddress::v6(kClient));
  EXPECT_EQ(r.segment.dst(), IpAddress::v6(kServer));
  EXPECT_FALSE(r.segment.src().is_v4());
}

TEST(ParsePacket6, ChecksumUsesTheIpv6PseudoHeader) {
  // The same TCP bytes under the IPv4 pseudo-header do not verify.
  const std::span<const uint8_t> tcp = std::span(kExampleSyn6).subspan(40);
  EXPECT_TRUE(tcp_checksum_ok(kClient, kServer, tcp));
  EXPECT_FALSE(tcp_checksum_ok(0x20010002u, 0x20010002u, tcp));
  EXPECT_EQ(tcp_checksum(kClient, kServer, tcp), 0x24c5);
}

TEST(ParsePacket6, HopLimitTrafficClassAndFlowLabelRoundTrip) {
  Segment s = example_syn6();
  s.ttl = 1;
  s.tos = 0x03;  // ECN CE
  s.flow_label = 0xfffff;
  const PacketParse r = parse_packet(emit_bytes(s));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.segment.ttl, 1);
  EXPECT_EQ(r.segment.tos, 0x03);
  EXPECT_EQ(r.segment.flow_label, 0xfffffu);
}

TEST(ParsePacket6, LinkPaddingIsIgnored) {
  Bytes p = kExampleSyn6;
  p.insert(p.end(), 6, 0);
  const PacketParse r = parse_packet(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.segment, example_syn6());
}

TEST(ParsePacket6, ExtensionHeadersBeforeTcpAreWalked) {
  // Hop-by-Hop (Router Alert + PadN), atomic fragment, Destination Options.
  const Bytes ext = {nh::kFragment,
                     0,
                     0x05,
                     2,
                     0,
                     0,
                     1,
                     0,  //
                     nh::kDestinationOptions,
                     0,
                     0,
                     0,
                     1,
                     2,
                     3,
                     4,  //
                     nh::kTcp,
                     0,
                     1,
                     4,
                     0,
                     0,
                     0,
                     0};
  const Bytes p = with_extensions(kExampleSyn6, nh::kHopByHop, ext);
  const PacketParse r = parse_packet(p);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_EQ(r.segment, example_syn6());
  EXPECT_EQ(r.segment.payload.data(), p.data() + 80 + ext.size());
}

TEST(ParsePacket6, ChecksumsAreIgnoredWhenAskedTo) {
  Bytes p = kExampleSyn6;
  p[56] ^= 0xff;
  EXPECT_EQ(error_of(p), ParseError::kTcpBadChecksum);
  EXPECT_TRUE(parse_packet(p, {.verify_checksums = false}).ok());
}

// ---- rejections on the IPv6 path (each reason once) ------------------------

TEST(ParsePacket6Error, Ip6Truncated) {
  EXPECT_EQ(error_of(Bytes(kExampleSyn6.begin(), kExampleSyn6.begin() + 39)),
            ParseError::kIp6Truncated);
  EXPECT_EQ(error_of({0x60}), ParseError::kIp6Truncated);
}

TEST(ParsePacket6Error, Ip6BadPayloadLength) {
  Bytes p = kExampleSyn6;
  store_be16(p, 4, static_cast<uint16_t>(p.size() - 40 + 1));
  EXPECT_EQ(error_of(p), ParseError::kIp6BadPayloadLength);
}

TEST(ParsePacket6Error, ShortPayloadLengthCutsTcp) {
  Bytes p = kExampleSyn6;
  store_be16(p, 4, 19);
  EXPECT_EQ(error_of(p), ParseError::kTcpTruncated);
  store_be16(p, 4, 30);  // data offset 10 (40 bytes) past 30 bytes
  EXPECT_EQ(error_of(p), ParseError::kTcpDataOffsetPastEnd);
}

TEST(ParsePacket6Error, NotTcp) {
  for (const uint8_t protocol :
       {nh::kIcmpv6, nh::kNoNextHeader, uint8_t{17}, uint8_t{4}}) {
    Bytes p = kExampleSyn6;
    p[6] = protocol;
    EXPECT_EQ(error_of(p), ParseError::kNotTcp) << int{protocol};
    // Also at the end of an extension chain.
    EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kDestinationOptions,
                                       {protocol, 0, 1, 4, 0, 0, 0, 0})),
              ParseError::kNotTcp);
  }
}

TEST(ParsePacket6Error, ExtensionRejectionsReachTheCaller) {
  const Bytes padn = {1, 4, 0, 0, 0, 0};
  auto options_header = [&](uint8_t next) {
    Bytes h = {next, 0};
    h.insert(h.end(), padn.begin(), padn.end());
    return h;
  };
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kDestinationOptions,
                                     [&] {
                                       Bytes e = options_header(nh::kHopByHop);
                                       Bytes h = options_header(nh::kTcp);
                                       e.insert(e.end(), h.begin(), h.end());
                                       return e;
                                     }())),
            ParseError::kIp6HopByHopNotFirst);
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kFragment,
                                     {nh::kTcp, 0, 0, 1, 0, 0, 0, 1})),
            ParseError::kIpFragment);
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kRouting,
                                     {nh::kTcp, 0, 4, 1, 0, 0, 0, 0})),
            ParseError::kIp6RoutingSegmentsLeft);
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kDestinationOptions,
                                     {nh::kTcp, 0, 0x80, 4, 0, 0, 0, 0})),
            ParseError::kIp6UnknownOption);
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kDestinationOptions,
                                     {nh::kTcp, 0, 1, 4, 0, 7, 0, 0})),
            ParseError::kIp6BadOption);
  EXPECT_EQ(error_of(with_extensions(kExampleSyn6, nh::kAuthentication,
                                     {nh::kTcp, 1, 0, 0, 0, 0, 0, 0})),
            ParseError::kIp6UnsupportedExtension);
  Bytes claims_more = with_extensions(kExampleSyn6, nh::kDestinationOptions,
                                      {nh::kTcp, 200, 1, 4, 0, 0, 0, 0});
  EXPECT_EQ(error_of(claims_more), ParseError::kIp6ExtensionTruncated);
  Bytes chain;
  for (size_t i = 0; i <= kMaxExtensionHeaders; ++i) {
    const Bytes h = options_header(
        i == kMaxExtensionHeaders ? nh::kTcp : nh::kDestinationOptions);
    chain.insert(chain.end(), h.begin(), h.end());
  }
  EXPECT_EQ(
      error_of(with_extensions(kExampleSyn6, nh::kDestinationOptions, chain)),
      ParseError::kIp6TooManyExtensions);
}

TEST(ParsePacket6Error, TcpBadChecksumCoversThePseudoHeader) {
  // Addresses and the TCP length are in the pseudo-header (RFC 8200 §8.1).
  for (const size_t at : {8u, 23u, 24u, 39u}) {
    Bytes p = kExampleSyn6;
    p[at] ^= 0x01;
    EXPECT_EQ(error_of(p), ParseError::kTcpBadChecksum) << at;
  }
}

TEST(ParsePacket6Error, TcpBadOptions) {
  Bytes p = kExampleSyn6;
  p[61] = 3;  // MSS length 3
  fix_tcp_checksum(p);
  const PacketParse r = parse_packet(p);
  EXPECT_EQ(r.error, ParseError::kTcpBadOptions);
  EXPECT_NE(r.options_error, OptionsError::kNone);
}

TEST(ParsePacket6Error, NamesAreDistinctCounterLabels) {
  for (int i = 0; i < static_cast<int>(ParseError::kCount); ++i) {
    const std::string_view name = to_string(static_cast<ParseError>(i));
    EXPECT_NE(name, "Unknown") << i;
    for (int j = 0; j < i; ++j) {
      EXPECT_NE(name, to_string(static_cast<ParseError>(j)));
    }
  }
}

// ---- emit limits
// -------------------------------------------------------------

TEST(Emit6, PayloadLengthBound) {
  // IPv6 bounds the payload (TCP here) to 65535, not the whole packet.
  const Bytes big(65535 - 20, 0x61);
  Segment s = example_syn6();
  s.options = {};
  s.payload = big;
  ASSERT_EQ(emitted_length(s), 40u + 65535u);
  Bytes out(40 + 65535);
  EXPECT_EQ(emit(s, out), out.size());
  EXPECT_EQ(load_be16(out, 4), 65535);
  const Bytes bigger(65535 - 19, 0x61);
  s.payload = bigger;
  EXPECT_EQ(emitted_length(s), 0u);
}

TEST(Emit6, UnknownVersionWritesNothing) {
  Segment s = example_syn6();
  s.ip_version = 5;
  Bytes out(200, 0xee);
  EXPECT_EQ(emitted_length(s), 0u);
  EXPECT_EQ(emit(s, out), 0u);
  EXPECT_EQ(out[0], 0xee);
}

TEST(Segment6, SetAddressesPicksTheFamily) {
  Segment s;
  s.set_addresses(IpAddress(0xc6120001u), IpAddress(0xc6120002u));
  EXPECT_EQ(s.ip_version, 4);
  EXPECT_EQ(s.src_addr, 0xc6120001u);
  EXPECT_EQ(s.dst(), IpAddress(0xc6120002u));
  s.set_addresses(IpAddress::v6(kClient), IpAddress::v6(kServer));
  EXPECT_EQ(s.ip_version, 6);
  EXPECT_EQ(s.src6, kClient);
  EXPECT_EQ(s.dst(), IpAddress::v6(kServer));
}

// ---- properties
// --------------------------------------------------------------

RC_GTEST_PROP(Segment6Property, EmitThenParseIsIdentity, ()) {
  Segment s = *gen_segment6_headers();
  const Bytes payload = *gen_payload(1500);
  s.payload = payload;
  const Bytes p = emit_bytes(s);
  RC_ASSERT(p.size() == 60 + options_length(s.options) + payload.size());
  const PacketParse r = parse_packet(p);
  RC_ASSERT(r.error == ParseError::kNone);
  RC_ASSERT(r.segment == s);
}

// A valid extension chain: any of Hop-by-Hop (first only), Destination
// Options with skippable options, Routing with Segments Left 0, atomic
// Fragment; ends naming TCP.
struct Chain {
  uint8_t first = nh::kTcp;
  Bytes bytes;
};
rc::Gen<Chain> gen_valid_chain() {
  return rc::gen::exec([] {
    Chain c;
    const size_t n = *rc::gen::inRange<size_t>(0, kMaxExtensionHeaders + 1);
    std::vector<uint8_t> kinds;
    for (size_t i = 0; i < n; ++i) {
      kinds.push_back(*rc::gen::element(
          i == 0 ? nh::kHopByHop : nh::kDestinationOptions,
          nh::kDestinationOptions, nh::kRouting, nh::kFragment));
    }
    c.first = kinds.empty() ? nh::kTcp : kinds[0];
    for (size_t i = 0; i < n; ++i) {
      const uint8_t next = i + 1 < n ? kinds[i + 1] : nh::kTcp;
      const size_t units = *rc::gen::inRange<size_t>(0, 3);
      Bytes h = {next, static_cast<uint8_t>(units)};
      if (kinds[i] == nh::kFragment) {
        h = {next, *rc::gen::arbitrary<uint8_t>(), 0,
             static_cast<uint8_t>(*rc::gen::inRange(0, 4) << 1)};
        h.resize(8, *rc::gen::arbitrary<uint8_t>());
      } else if (kinds[i] == nh::kRouting) {
        h.push_back(*rc::gen::arbitrary<uint8_t>());  // type
        h.push_back(0);                               // segments left
        h.resize((units + 1) * 8, *rc::gen::arbitrary<uint8_t>());
      } else {
        // Options: skippable ones (action 00, not padding) of length 0..4,
        // with padding runs of 1..5 bytes never two in a row (so no run
        // passes 7 bytes), filling (units+1)*8 bytes.
        const size_t end = (units + 1) * 8;
        bool last_was_pad = false;
        while (h.size() < end) {
          const size_t room = end - h.size();
          if (room >= 2 && (last_was_pad || *rc::gen::arbitrary<bool>())) {
            const size_t len =
                *rc::gen::inRange<size_t>(0, std::min<size_t>(4, room - 2) + 1);
            h.push_back(static_cast<uint8_t>(*rc::gen::inRange(2, 64)));
            h.push_back(static_cast<uint8_t>(len));
            h.resize(h.size() + len, *rc::gen::arbitrary<uint8_t>());
            last_was_pad = false;
          } else {
            const size_t pad = std::min(room, *rc::gen::inRange<size_t>(1, 6));
            if (pad == 1) {
              h.push_back(kOptionPad1);
            } else {
              h.push_back(kOptionPadN);
              h.push_back(static_cast<uint8_t>(pad - 2));
              h.resize(h.size() + pad - 2, 0);
            }
            last_was_pad = true;
          }
        }
      }
      c.bytes.insert(c.bytes.end(), h.begin(), h.end());
    }
    return c;
  });
}

RC_GTEST_PROP(Segment6Property, ValidExtensionChainsDoNotChangeTheSegment, ()) {
  Segment s = *gen_segment6_headers();
  const Bytes payload = *gen_payload(64);
  s.payload = payload;
  const Chain c = *gen_valid_chain();
  const Bytes p = with_extensions(emit_bytes(s), c.first, c.bytes);
  const PacketParse r = parse_packet(p);
  RC_ASSERT(r.error == ParseError::kNone);
  RC_ASSERT(r.segment == s);
}

RC_GTEST_PROP(Segment6Property, CoveredBitFlipsAreDetected, ()) {
  Segment s = *gen_segment6_headers();
  const Bytes payload = *gen_payload(64);
  s.payload = payload;
  Bytes p = emit_bytes(s);
  // Not covered by any check: Traffic Class, Flow Label, Hop Limit (bits 4
  // to 31 and byte 7). Everything else is the version, the Payload Length
  // and Next Header (checked), or in the pseudo-header or TCP's checksum.
  const size_t bit = *rc::gen::inRange<size_t>(0, p.size() * 8);
  const size_t byte = bit / 8;
  RC_PRE(!(byte == 0 && bit % 8 < 4) && byte != 1 && byte != 2 && byte != 3 &&
         byte != 7);
  p[byte] ^= static_cast<uint8_t>(1u << (bit % 8));
  RC_ASSERT(parse_packet(p).error != ParseError::kNone);
}

// Parses both ways; a success lies inside the buffer and re-emits to itself.
void check_parse_of(const Bytes& p) {
  for (bool verify : {true, false}) {
    const PacketParse r = parse_packet(p, {.verify_checksums = verify});
    if (!r.ok()) continue;
    const Segment& s = r.segment;
    RC_ASSERT(s.payload.data() >= p.data());
    RC_ASSERT(s.payload.data() + s.payload.size() <= p.data() + p.size());
    Segment known = s;
    known.options.unknown_count = 0;
    if (emitted_length(known) == 0) continue;
    const PacketParse again = parse_packet(emit_bytes(known));
    RC_ASSERT(again.ok());
    RC_ASSERT(again.segment == known);
  }
}

RC_GTEST_PROP(Segment6Property, ArbitraryIpv6BytesParseInBounds, ()) {
  Bytes p = *rc::gen::arbitrary<Bytes>();
  if (!p.empty()) p[0] = static_cast<uint8_t>(0x60 | (p[0] & 0x0f));
  check_parse_of(p);
}

RC_GTEST_PROP(Segment6Property, MutatedChainsParseInBounds, ()) {
  Segment s = *gen_segment6_headers();
  const Bytes payload = *gen_payload(64);
  s.payload = payload;
  const Chain c = *gen_valid_chain();
  Bytes p = with_extensions(emit_bytes(s), c.first, c.bytes);
  const int edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits; ++i) {
    // Mostly in the header chain, where lengths and Next Headers are.
    const size_t limit = std::min(p.size(), 40 + c.bytes.size() + 20);
    const size_t at = *rc::gen::inRange<size_t>(4, limit);
    p[at] = *rc::gen::arbitrary<uint8_t>();
  }
  const size_t new_size = *rc::gen::inRange<size_t>(0, p.size() + 8);
  p.resize(std::max(new_size, p.size()), 0);
  check_parse_of(
      Bytes(p.begin(), p.begin() + static_cast<ptrdiff_t>(new_size)));
}

}  // namespace
}  // namespace tcpref::wire
