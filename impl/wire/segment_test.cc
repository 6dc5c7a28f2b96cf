#include "impl/wire/segment.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "impl/wire/bytes.h"
#include "impl/wire/checksum.h"
#include "impl/wire/generators.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint32_t kClient = 0xc6120001;  // 198.18.0.1
constexpr uint32_t kServer = 0xc6120002;  // 198.18.0.2

Bytes emit_bytes(const Segment& s) {
  Bytes out(emitted_length(s));
  const size_t n = emit(s, out);
  out.resize(n);
  return out;
}

// A client's SYN with the options Linux sends, and a few payload bytes so
// payload handling is exercised too.
const Bytes kPayload = {'h', 'e', 'l', 'l', 'o'};
Segment example_syn() {
  Segment s;
  s.src_addr = kClient;
  s.dst_addr = kServer;
  s.ip_id = 0x1234;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 0x01020304;
  s.flags = flags::kSyn;
  s.window = 64240;
  s.options.mss = 1460;
  s.options.sack_permitted = true;
  s.options.timestamps = Timestamps{1000, 0};
  s.options.window_scale = 7;
  s.payload = kPayload;
  return s;
}

// Recompute checksums after a test edits header bytes, so the edit (not the
// checksum) is what parse_packet sees.
void fix_ip_checksum(Bytes& p) {
  const size_t ihl = size_t{p[0] & 0x0fu} * 4;
  store_be16(p, 10, 0);
  store_be16(p, 10, internet_checksum(std::span(p).first(ihl)));
}
void fix_tcp_checksum(Bytes& p, size_t ip_header = 20) {
  std::span<uint8_t> tcp = std::span(p).subspan(ip_header);
  store_be16(tcp, 16, tcp_checksum(kClient, kServer, tcp));
}

ParseError error_of(const Bytes& p) { return parse_packet(p).error; }

// ---- accepted packets ------------------------------------------------------

TEST(ParsePacket, EmittedSynParsesToTheSameSegment) {
  const Bytes p = emit_bytes(example_syn());
  ASSERT_EQ(p.size(), 20u + 40u + kPayload.size());
  const PacketParse r = parse_packet(p);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_EQ(r.segment, example_syn());
  EXPECT_EQ(r.segment.payload.data(), p.data() + 60);  // a view, not a copy
  EXPECT_EQ(r.segment.seg_len(), kPayload.size() + 1);
}

TEST(ParsePacket, EmittedLayout) {
  const Bytes p = emit_bytes(example_syn());
  // IPv4: version/IHL, TOS, total length, id, DF, TTL, protocol.
  EXPECT_EQ(Bytes(p.begin(), p.begin() + 10),
            (Bytes{0x45, 0, 0, 65, 0x12, 0x34, 0x40, 0, 64, 6}));
  // TCP: ports, seq, ack, doff 10, SYN, window; then the options.
  EXPECT_EQ(Bytes(p.begin() + 20, p.begin() + 36),
            (Bytes{0x9c, 0x40, 0, 80, 1, 2, 3, 4, 0, 0, 0, 0, 0xa0, 0x02, 0xfa,
                   0xf0}));
  EXPECT_EQ(Bytes(p.begin() + 40, p.begin() + 44), (Bytes{2, 4, 0x05, 0xb4}));
  EXPECT_EQ(internet_checksum(std::span(p).first(20)), 0);
  EXPECT_TRUE(tcp_checksum_ok(kClient, kServer, std::span(p).subspan(20)));
}

TEST(ParsePacket, LinkPaddingIsIgnored) {
  Bytes p = emit_bytes(example_syn());
  p.resize(p.size() + 6, 0);
  const PacketParse r = parse_packet(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.segment, example_syn());
}

TEST(ParsePacket, IpOptionsAreSkipped) {
  Bytes p = emit_bytes(example_syn());
  p.insert(p.begin() + 20, {1, 1, 1, 0});  // NOP NOP NOP EOL
  p[0] = 0x46;
  store_be16(p, 2, static_cast<uint16_t>(p.size()));
  fix_ip_checksum(p);
  const PacketParse r = parse_packet(p);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_EQ(r.segment, example_syn());
}

TEST(ParsePacket, ChecksumsAreIgnoredWhenAskedTo) {
  Bytes p = emit_bytes(example_syn());
  p[8] = 1;       // TTL, IP checksum now wrong
  p.back() ^= 1;  // payload, TCP checksum now wrong
  EXPECT_EQ(error_of(p), ParseError::kIpBadChecksum);
  const PacketParse r = parse_packet(p, {.verify_checksums = false});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.segment.ttl, 1);
}

// ---- one test per rejection
// --------------------------------------------------

TEST(ParsePacketError, IpTruncated) {
  const Bytes p = emit_bytes(example_syn());
  EXPECT_EQ(error_of(Bytes(p.begin(), p.begin() + 19)),
            ParseError::kIpTruncated);
  EXPECT_EQ(error_of({}), ParseError::kIpTruncated);
}

TEST(ParsePacketError, IpBadVersion) {
  // 4 and 6 are the versions parse_packet knows (6: segment6_test.cc).
  Bytes p = emit_bytes(example_syn());
  for (const uint8_t version : {0, 1, 5, 7, 15}) {
    p[0] = static_cast<uint8_t>(version << 4 | 5);
    EXPECT_EQ(error_of(p), ParseError::kIpBadVersion) << int{version};
  }
}

TEST(ParsePacketError, IpBadIhl) {
  Bytes p = emit_bytes(example_syn());
  p[0] = 0x44;
  EXPECT_EQ(error_of(p), ParseError::kIpBadIhl);
  Bytes short_packet(p.begin(), p.begin() + 40);
  short_packet[0] = 0x4f;  // 60-byte header in 40 bytes
  EXPECT_EQ(error_of(short_packet), ParseError::kIpBadIhl);
}

TEST(ParsePacketError, IpBadTotalLength) {
  Bytes p = emit_bytes(example_syn());
  store_be16(p, 2, 19);
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kIpBadTotalLength);
  store_be16(p, 2, static_cast<uint16_t>(p.size() + 1));
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kIpBadTotalLength);
}

TEST(ParsePacketError, IpBadChecksum) {
  Bytes p = emit_bytes(example_syn());
  p[8] ^= 0x01;
  EXPECT_EQ(error_of(p), ParseError::kIpBadChecksum);
}

TEST(ParsePacketError, IpFragment) {
  Bytes p = emit_bytes(example_syn());
  p[6] = 0x20;  // MF
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kIpFragment);
  p[6] = 0x00;
  p[7] = 0x10;  // offset 128 bytes
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kIpFragment);
}

TEST(ParsePacketError, NotTcp) {
  Bytes p = emit_bytes(example_syn());
  p[9] = 17;
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kNotTcp);
}

TEST(ParsePacketError, TcpTruncated) {
  Bytes p = emit_bytes(example_syn());
  p.resize(39);
  store_be16(p, 2, 39);
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kTcpTruncated);
}

TEST(ParsePacketError, TcpBadDataOffset) {
  Bytes p = emit_bytes(example_syn());
  p[32] = 0x40;
  fix_tcp_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kTcpBadDataOffset);
}

TEST(ParsePacketError, TcpDataOffsetPastEnd) {
  Segment s = example_syn();
  s.options = {};
  s.payload = {};
  Bytes p = emit_bytes(s);
  p[32] = 0x60;  // 24-byte header in a 20-byte segment
  fix_tcp_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kTcpDataOffsetPastEnd);
}

TEST(ParsePacketError, TcpBadChecksum) {
  Bytes p = emit_bytes(example_syn());
  p.back() ^= 0x80;
  EXPECT_EQ(error_of(p), ParseError::kTcpBadChecksum);
  // The pseudo-header is covered: a different destination fails too.
  p = emit_bytes(example_syn());
  store_be32(p, 16, kServer + 1);
  fix_ip_checksum(p);
  EXPECT_EQ(error_of(p), ParseError::kTcpBadChecksum);
}

TEST(ParsePacketError, TcpBadOptions) {
  Bytes p = emit_bytes(example_syn());
  p[40] = 2;
  p[41] = 0;  // MSS with length 0
  fix_tcp_checksum(p);
  const PacketParse r = parse_packet(p);
  EXPECT_EQ(r.error, ParseError::kTcpBadOptions);
  EXPECT_EQ(r.options_error, OptionsError::kZeroOrOneLength);
}

TEST(ParsePacketError, NamesAreDistinctCounterLabels) {
  std::set<std::string> names;
  for (int e = 0; e < static_cast<int>(ParseError::kCount); ++e) {
    const std::string name(to_string(static_cast<ParseError>(e)));
    ASSERT_FALSE(name.empty());
    for (char c : name)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(ParseError::kCount));
  EXPECT_EQ(to_string(ParseError::kTcpBadChecksum), "TcpBadChecksum");
}

// ---- emit limits
// -------------------------------------------------------------

TEST(Emit, SmallBufferWritesNothing) {
  const Segment s = example_syn();
  Bytes out(emitted_length(s) - 1, 0xee);
  EXPECT_EQ(emit(s, out), 0u);
  EXPECT_EQ(out, Bytes(out.size(), 0xee));
}

TEST(Emit, TooManyOptionsWritesNothing) {
  Segment s = example_syn();
  s.options.sack_block_count = 4;
  EXPECT_EQ(emitted_length(s), 0u);
  Bytes out(200, 0xee);
  EXPECT_EQ(emit(s, out), 0u);
  EXPECT_EQ(out, Bytes(200, 0xee));
}

TEST(Emit, OversizedPacketWritesNothing) {
  Segment s = example_syn();
  s.options = {};
  const Bytes fits(65535 - 40, 0);
  s.payload = fits;
  EXPECT_EQ(emitted_length(s), 65535u);
  const Bytes too_big(65535 - 39, 0);
  s.payload = too_big;
  EXPECT_EQ(emitted_length(s), 0u);
  Bytes out(70000, 0xee);
  EXPECT_EQ(emit(s, out), 0u);
  EXPECT_EQ(out[0], 0xee);
}

// ---- properties
// --------------------------------------------------------------

RC_GTEST_PROP(SegmentProperty, EmitThenParseIsIdentity, ()) {
  Segment s = *gen_segment_headers();
  const Bytes payload = *gen_payload(1500);
  s.payload = payload;
  const Bytes p = emit_bytes(s);
  RC_ASSERT(p.size() == emitted_length(s));
  RC_ASSERT(p.size() == 40 + options_length(s.options) + payload.size());
  const PacketParse r = parse_packet(p);
  RC_ASSERT(r.error == ParseError::kNone);
  RC_ASSERT(r.segment == s);
}

RC_GTEST_PROP(SegmentProperty, AnySingleBitFlipIsDetected, ()) {
  Segment s = *gen_segment_headers();
  const Bytes payload = *gen_payload(64);
  s.payload = payload;
  Bytes p = emit_bytes(s);
  // Every byte of the packet is covered by the IPv4 or the TCP checksum.
  const size_t bit = *rc::gen::inRange<size_t>(0, p.size() * 8);
  p[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  const PacketParse r = parse_packet(p);
  RC_ASSERT(r.error != ParseError::kNone);
}

// Parses `p` both ways and checks what a success promises: the payload lies
// inside the buffer, and the segment survives emit → parse.
void check_parse_of(const Bytes& p) {
  for (bool verify : {true, false}) {
    const PacketParse r = parse_packet(p, {.verify_checksums = verify});
    if (!r.ok()) continue;
    const Segment& s = r.segment;
    RC_ASSERT(s.payload.data() >= p.data());
    RC_ASSERT(s.payload.data() + s.payload.size() <= p.data() + p.size());
    Segment known = s;
    known.options.unknown_count = 0;
    if (emitted_length(known) == 0) continue;  // legal to receive, not to send
    const Bytes again = emit_bytes(known);
    const PacketParse r2 = parse_packet(again);
    RC_ASSERT(r2.ok());
    RC_ASSERT(r2.segment == known);
  }
}

RC_GTEST_PROP(SegmentProperty, ArbitraryBytesParseInBounds, ()) {
  // Exactly-sized heap buffers: ASan flags any read past them.
  check_parse_of(*rc::gen::arbitrary<Bytes>());
}

RC_GTEST_PROP(SegmentProperty, MutatedPacketsParseInBounds, ()) {
  Segment s = *gen_segment_headers();
  const Bytes payload = *gen_payload(64);
  s.payload = payload;
  Bytes p = emit_bytes(s);
  // Overwrite a few bytes (lengths, offsets, options) and cut or extend.
  const int edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits; ++i) {
    const size_t at = *rc::gen::inRange<size_t>(0, p.size());
    p[at] = *rc::gen::arbitrary<uint8_t>();
  }
  const size_t new_size = *rc::gen::inRange<size_t>(0, p.size() + 8);
  p.resize(std::max(new_size, p.size()), 0);
  check_parse_of(
      Bytes(p.begin(), p.begin() + static_cast<ptrdiff_t>(new_size)));
}

}  // namespace
}  // namespace tcpref::wire
