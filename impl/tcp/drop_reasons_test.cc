// Every way a segment dies before a connection sees it has its own reason
// counter: each case crafts one segment, sends it, and checks the verdict
// and that exactly the expected counters moved (by one), nothing else. The
// parse cases walk every value of wire::ParseError, so a new parse error
// without a case (and a counter) fails here.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "impl/tcp/testing/harness.h"
#include "impl/wire/checksum.h"
#include "impl/wire/parse_error.h"

namespace tcpref::tcp {
namespace {

using namespace testing;

using Packet = std::vector<uint8_t>;
using CounterMap = std::map<std::string, uint64_t>;

CounterMap snapshot(const Counters& c) {
  CounterMap m;
  c.for_each(
      [&](std::string_view name, uint64_t v) { m[std::string(name)] = v; });
  return m;
}

// Counters that changed from `a` to `b`, with the difference.
CounterMap moved(const CounterMap& a, const CounterMap& b) {
  CounterMap d;
  for (const auto& [name, v] : b) {
    if (v != a.at(name)) d[name] = v - a.at(name);
  }
  return d;
}

StackConfig Config() {
  StackConfig c = Harness::DefaultConfig();
  c.local_addresses = {kServerAddr};
  return c;
}

// A SYN with an MSS option, as bytes, from `src` to `dst`.
Packet SynBytes(uint32_t src = kClientAddr, uint32_t dst = kServerAddr) {
  const wire::Segment s{.src_addr = src,
                        .dst_addr = dst,
                        .src_port = kClientPort,
                        .dst_port = kServerPort,
                        .seq = kIrs,
                        .flags = kSyn,
                        .window = 100,
                        .options = {.mss = 1460}};
  Packet p(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, p), p.size());
  return p;
}

void FixIp(Packet& p) {
  p[10] = p[11] = 0;
  const size_t ihl = std::min<size_t>((p[0] & 0xf) * 4u, p.size());
  const uint16_t c = wire::internet_checksum(std::span(p).first(ihl));
  p[10] = static_cast<uint8_t>(c >> 8);
  p[11] = static_cast<uint8_t>(c);
}

void FixTcp(Packet& p) {
  const auto addr = [&](size_t at) {
    return uint32_t{p[at]} << 24 | uint32_t{p[at + 1]} << 16 |
           uint32_t{p[at + 2]} << 8 | p[at + 3];
  };
  p[36] = p[37] = 0;
  const uint16_t c =
      wire::tcp_checksum(addr(12), addr(16), std::span(p).subspan(20));
  p[36] = static_cast<uint8_t>(c >> 8);
  p[37] = static_cast<uint8_t>(c);
}

void SetTotalLength(Packet& p, size_t n) {
  p[2] = static_cast<uint8_t>(n >> 8);
  p[3] = static_cast<uint8_t>(n);
}

// The bytes that fail parsing with `e`, and the counters that must move.
struct ParseCase {
  std::function<Packet()> make;
  CounterMap counters;
};

std::map<wire::ParseError, ParseCase> Ipv4ParseCases() {
  using E = wire::ParseError;
  const CounterMap tcp_header = {
      {"InMalformed", 1}, {"InErrs", 1}, {"TCPHeaderDrop", 1}};
  return {
      {E::kIpTruncated,
       {[] {
          Packet p = SynBytes();
          p.resize(12);
          return p;
        },
        {{"InMalformed", 1}, {"InTruncatedPkts", 1}}}},
      {E::kIpBadVersion,
       {[] {
          Packet p = SynBytes();
          p[0] = 0x55;
          FixIp(p);
          return p;
        },
        {{"InMalformed", 1}, {"InHdrErrors", 1}}}},
      {E::kIpBadIhl,
       {[] {
          Packet p = SynBytes();
          p[0] = 0x44;
          FixIp(p);
          return p;
        },
        {{"InMalformed", 1}, {"InHdrErrors", 1}}}},
      {E::kIpBadTotalLength,
       {[] {
          Packet p = SynBytes();
          SetTotalLength(p, p.size() + 1);
          FixIp(p);
          return p;
        },
        {{"InMalformed", 1}, {"InHdrErrors", 1}}}},
      {E::kIpBadChecksum,
       {[] {
          Packet p = SynBytes();
          p[10] ^= 0x01;
          return p;
        },
        {{"InMalformed", 1}, {"InHdrErrors", 1}, {"InCsumErrors", 1}}}},
      {E::kIpFragment,
       {[] {
          Packet p = SynBytes();
          p[6] = 0x20;  // MF, offset 0
          FixIp(p);
          return p;
        },
        {{"InMalformed", 1}, {"ReasmFails", 1}}}},
      {E::kNotTcp,
       {[] {
          Packet p = SynBytes();
          p[9] = 17;
          FixIp(p);
          return p;
        },
        {{"InMalformed", 1}, {"InUnknownProtos", 1}}}},
      {E::kTcpTruncated,
       {[] {
          Packet p = SynBytes();
          p.resize(30);
          SetTotalLength(p, 30);
          FixIp(p);
          return p;
        },
        tcp_header}},
      {E::kTcpBadDataOffset,
       {[] {
          Packet p = SynBytes();
          p[32] = 0x40;  // doff 4
          FixTcp(p);
          return p;
        },
        tcp_header}},
      {E::kTcpDataOffsetPastEnd,
       {[] {
          Packet p = SynBytes();
          p[32] = 0xf0;  // doff 15: 60 bytes, the segment has 24
          FixTcp(p);
          return p;
        },
        tcp_header}},
      {E::kTcpBadChecksum,
       {[] {
          Packet p = SynBytes();
          p[37] ^= 0x01;
          return p;
        },
        {{"InMalformed", 1}, {"InSegs", 1}, {"InErrs", 1}, {"CsumErrors", 1}}}},
      {E::kTcpBadOptions,
       {[] {
          Packet p = SynBytes();
          p[41] = 3;  // MSS option with length 3 (RFC 9293 §3.2: 4)
          FixTcp(p);
          return p;
        },
        {{"InMalformed", 1}, {"InErrs", 1}, {"TCPBadOptionsDrop", 1}}}},
  };
}

bool IsIpv6Only(wire::ParseError e) {
  return wire::to_string(e).starts_with("Ip6");
}

// Every IPv4 and TCP parse error: the case's packet fails with exactly that
// error, is dropped, sends nothing and moves exactly its counters. (The
// IPv6-only reasons are walked by ipv6_receive_test.)
TEST(DropReasons, EveryParseErrorHasACaseAndItsCounters) {
  const auto cases = Ipv4ParseCases();
  for (uint8_t i = 1; i < static_cast<uint8_t>(wire::ParseError::kCount); ++i) {
    const auto e = static_cast<wire::ParseError>(i);
    if (IsIpv6Only(e)) continue;
    SCOPED_TRACE(std::string(wire::to_string(e)));
    const auto it = cases.find(e);
    ASSERT_NE(it, cases.end()) << "no crafted segment for this parse error";
    const Packet p = it->second.make();
    EXPECT_EQ(wire::parse_packet(p, {}).error, e);
    Harness h(Config());
    h.Listen();
    const CounterMap before = snapshot(h.counters());
    EXPECT_EQ(h.SendBytes(p), Verdict::kDroppedMalformed);
    h.ExpectNothingSent();
    EXPECT_EQ(moved(before, snapshot(h.counters())), it->second.counters);
    EXPECT_EQ(h.stack().records(h.Tuple()), 0u);
  }
}

struct AddressCase {
  const char* name;
  uint32_t src, dst;
  uint16_t src_port, dst_port;
  const char* counter;
};

// RFC 1122 §3.2.1.3: martian sources, LAND, foreign or non-unicast
// destinations and port 0 die before any lookup, each with its counter,
// after InSegs (the segment parsed).
TEST(DropReasons, AddressesEachWithTheirCounter) {
  const AddressCase cases[] = {
      {"this network 0/8", 0x00010203, kServerAddr, kClientPort, kServerPort,
       "MartianSrcDrop"},
      {"loopback 127/8", 0x7f000001, kServerAddr, kClientPort, kServerPort,
       "MartianSrcDrop"},
      {"multicast 224/4", 0xe0000001, kServerAddr, kClientPort, kServerPort,
       "MartianSrcDrop"},
      {"class E 240/4", 0xf0000001, kServerAddr, kClientPort, kServerPort,
       "MartianSrcDrop"},
      {"limited broadcast", 0xffffffff, kServerAddr, kClientPort, kServerPort,
       "MartianSrcDrop"},
      {"LAND", kServerAddr, kServerAddr, kServerPort, kServerPort, "LandDrop"},
      {"not our address", kClientAddr, 0xc6120009, kClientPort, kServerPort,
       "InAddrErrors"},
      {"multicast destination", kClientAddr, 0xe00000fb, kClientPort,
       kServerPort, "InAddrErrors"},
      {"broadcast destination", kClientAddr, 0xffffffff, kClientPort,
       kServerPort, "InAddrErrors"},
      {"source port 0", kClientAddr, kServerAddr, 0, kServerPort,
       "ZeroPortDrop"},
      {"destination port 0", kClientAddr, kServerAddr, kClientPort, 0,
       "ZeroPortDrop"},
  };
  for (const AddressCase& c : cases) {
    SCOPED_TRACE(c.name);
    Harness h(Config());
    h.Listen({}, {0, kServerPort});  // a wildcard listener takes any address
    Packet p = SynBytes(c.src, c.dst);
    p[20] = static_cast<uint8_t>(c.src_port >> 8);
    p[21] = static_cast<uint8_t>(c.src_port);
    p[22] = static_cast<uint8_t>(c.dst_port >> 8);
    p[23] = static_cast<uint8_t>(c.dst_port);
    FixTcp(p);
    const CounterMap before = snapshot(h.counters());
    EXPECT_EQ(h.SendBytes(p), Verdict::kDroppedMalformed);
    h.ExpectNothingSent();
    EXPECT_EQ(moved(before, snapshot(h.counters())),
              (CounterMap{{"InSegs", 1}, {c.counter, 1}}));
  }
}

// Without configured addresses (tests, fuzzers) any unicast destination is
// taken; with them, a SYN to the configured one is.
TEST(DropReasons, LocalAddressesOnlyWhenConfigured) {
  Harness open;
  open.Listen({}, {0, kServerPort});
  EXPECT_EQ(
      open.Send(
          {.dst_addr = 0xc6120009, .seq = kIrs, .flags = kSyn, .window = 100}),
      Verdict::kAccepted);
  EXPECT_EQ(open.PopSent().segment.src_addr, 0xc6120009u);  // its SYN-ACK
  Harness closed(Config());
  closed.Listen({}, {0, kServerPort});
  EXPECT_EQ(closed.Send({.seq = kIrs, .flags = kSyn, .window = 100}),
            Verdict::kAccepted);
  EXPECT_EQ(closed.PopSent().segment.src_addr, kServerAddr);
}

struct ListenerCase {
  const char* name;
  uint8_t flags;
  const char* counter;
  bool reset;  // answered with a RST
};

// RFC 9293 §3.10.7.2: what a listener drops, each with its counter.
TEST(DropReasons, ListenerDropsEachWithTheirCounter) {
  const ListenerCase cases[] = {
      {"RST", kRst, "TCPListenRstDrop", false},
      {"ACK without a cookie", kAck, "TCPListenAckRst", true},
      {"no flags", 0, "TCPListenNoFlagDrop", false},
      {"SYN+FIN", kSyn | kFin, "TCPListenSynFinDrop", false},
  };
  for (const ListenerCase& c : cases) {
    SCOPED_TRACE(c.name);
    Harness h(Config());
    h.Listen();
    const CounterMap before = snapshot(h.counters());
    EXPECT_EQ(h.Send({.seq = kIrs, .ack = 5, .flags = c.flags, .window = 100}),
              Verdict::kDroppedInvalid);
    CounterMap expected = {{"InSegs", 1}, {c.counter, 1}};
    if (c.flags & kRst) expected["InRsts"] = 1;
    if (c.reset) {
      h.ExpectSent({.seq = 5, .flags = kRst});
      expected["OutSegs"] = 1;
      expected["OutRsts"] = 1;
    }
    h.ExpectNothingSent();
    EXPECT_EQ(moved(before, snapshot(h.counters())), expected);
    EXPECT_EQ(h.stack().records(h.Tuple()), 0u);
  }
}

}  // namespace
}  // namespace tcpref::tcp
