// IPv6 through Stack::receive: every wire-level rejection is dropped with
// InMalformed and its IPv6 MIB counter (Linux /proc/net/snmp6), and nothing
// is sent back.
#include <gtest/gtest.h>

#include <vector>

#include "impl/tcp/stack.h"
#include "impl/tcp/testing/harness.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using Bytes = std::vector<uint8_t>;

// 2001:2::2 → 2001:2::1 (RFC 5180).
constexpr wire::Ipv6Bytes kClient6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                                      0,    0,    0, 0, 0, 0, 0, 2};
constexpr wire::Ipv6Bytes kServer6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                                      0,    0,    0, 0, 0, 0, 0, 1};

Bytes syn6() {
  wire::Segment s;
  s.set_addresses(wire::IpAddress::v6(kClient6), wire::IpAddress::v6(kServer6));
  s.src_port = kClientPort;
  s.dst_port = kServerPort;
  s.seq = kIrs;
  s.flags = kSyn;
  s.window = 65535;
  Bytes out(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, out), out.size());
  return out;
}

// Inserts extension headers (ending in a header naming TCP, 6).
Bytes with_extensions(Bytes p, uint8_t first, const Bytes& ext) {
  p[6] = first;
  p.insert(p.begin() + 40, ext.begin(), ext.end());
  const size_t payload = p.size() - 40;
  p[4] = static_cast<uint8_t>(payload >> 8);
  p[5] = static_cast<uint8_t>(payload);
  return p;
}

struct Case {
  const char* what;
  Bytes packet;
  uint64_t Counters::*counter;
};

TEST(Ipv6Validation, EachRejectionCountsItsMibCounter) {
  const Bytes ok = syn6();
  Bytes long_payload = ok;
  long_payload[5] += 1;
  Bytes udp = ok;
  udp[6] = 17;
  const std::vector<Case> cases = {
      {"truncated", Bytes(ok.begin(), ok.begin() + 39),
       &Counters::Ip6InHdrErrors},
      {"payload length past the packet", long_payload,
       &Counters::Ip6InTruncatedPkts},
      {"not TCP", udp, &Counters::Ip6InUnknownProtos},
      {"ESP", with_extensions(ok, 50, {6, 0, 0, 0, 0, 0, 0, 0}),
       &Counters::Ip6InUnknownProtos},
      {"fragment", with_extensions(ok, 44, {6, 0, 0, 1, 1, 2, 3, 4}),
       &Counters::Ip6ReasmFails},
      {"hop-by-hop second",
       with_extensions(ok, 60,
                       {0, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0}),
       &Counters::Ip6InHdrErrors},
      {"routing with segments left",
       with_extensions(ok, 43, {6, 0, 4, 1, 0, 0, 0, 0}),
       &Counters::Ip6InHdrErrors},
      {"unknown option, discard",
       with_extensions(ok, 60, {6, 0, 0x80, 4, 0, 0, 0, 0}),
       &Counters::Ip6InHdrErrors},
      {"extension past the payload",
       with_extensions(ok, 60, {6, 9, 1, 4, 0, 0, 0, 0}),
       &Counters::Ip6InHdrErrors},
  };
  for (const Case& c : cases) {
    Harness h;
    h.Listen();
    EXPECT_EQ(h.SendBytes(c.packet), Verdict::kDroppedMalformed) << c.what;
    EXPECT_EQ(h.counters().InMalformed, 1u) << c.what;
    EXPECT_EQ(h.counters().*c.counter, 1u) << c.what;
    EXPECT_EQ(h.counters().InSegs, 0u) << c.what;
    uint64_t ip6_total = 0;
    h.counters().for_each([&](std::string_view name, uint64_t v) {
      if (name.starts_with("Ip6")) ip6_total += v;
    });
    EXPECT_EQ(ip6_total, 1u) << c.what << ": exactly one IPv6 counter";
    h.ExpectNothingSent();
  }
}

TEST(Ipv6Validation, TcpErrorsCountAsForIpv4) {
  Bytes p = syn6();
  p[40 + 16] ^= 0xff;  // TCP checksum
  Harness h;
  h.Listen();
  EXPECT_EQ(h.SendBytes(p), Verdict::kDroppedMalformed);
  EXPECT_EQ(h.counters().CsumErrors, 1u);
  EXPECT_EQ(h.counters().InErrs, 1u);
  EXPECT_EQ(h.counters().InSegs, 1u);
  EXPECT_EQ(h.counters().Ip6InHdrErrors, 0u);
  h.ExpectNothingSent();
}

TEST(Ipv6Validation, Ipv4RejectionsCountNoIpv6Counter) {
  Bytes p = syn6();
  p[0] = 0x45;  // now an IPv4 header with nonsense lengths
  Harness h;
  EXPECT_EQ(h.SendBytes(p), Verdict::kDroppedMalformed);
  EXPECT_EQ(h.counters().InMalformed, 1u);
  EXPECT_EQ(h.counters().Ip6InHdrErrors + h.counters().Ip6InTruncatedPkts +
                h.counters().Ip6InUnknownProtos + h.counters().Ip6ReasmFails,
            0u);
}

}  // namespace
}  // namespace tcpref::tcp
