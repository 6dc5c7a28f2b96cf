#include "fuzz/ipv6_mutator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "impl/wire/segment.h"

namespace tcpref::fuzz {
namespace {

using Bytes = std::vector<uint8_t>;

// An IPv6 ACK from 2001:2::1 to 2001:2::2 behind Hop-by-Hop (Router
// Alert) and Destination Options headers.
Bytes example() {
  wire::Segment s;
  s.ip_version = 6;
  s.src6 = {0x20, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  s.dst6 = {0x20, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 1;
  s.ack = 2;
  s.flags = wire::flags::kAck;
  s.window = 100;
  Bytes p(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, p), p.size());
  Ipv6Chain c;
  EXPECT_TRUE(split_ipv6(p.data(), p.size(), c));
  c.headers.push_back({0, {0, 0, 5, 2, 0, 0, 1, 0}});
  c.headers.push_back({60, {0, 0, 1, 4, 0, 0, 0, 0}});
  return join_ipv6(c);
}

TEST(Ipv6Mutator, SplitThenJoinIsIdentity) {
  const Bytes p = example();
  ASSERT_TRUE(wire::parse_packet(p).ok())
      << to_string(wire::parse_packet(p).error);
  Ipv6Chain c;
  ASSERT_TRUE(split_ipv6(p.data(), p.size(), c));
  EXPECT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.upper, 6);
  EXPECT_EQ(c.rest.size(), 20u);
  EXPECT_EQ(join_ipv6(c), p);
}

TEST(Ipv6Mutator, NotIpv6IsLeftAlone) {
  Bytes p = example();
  p[0] = 0x45;
  Ipv6Chain c;
  EXPECT_FALSE(split_ipv6(p.data(), p.size(), c));
  EXPECT_EQ(mutate_ipv6_packet(p.data(), p.size(), p.size() + 100, 7), 0u);
  EXPECT_FALSE(split_ipv6(p.data(), 39, c));
}

TEST(Ipv6Mutator, JoinRespectsMaxSize) {
  Bytes p = example();
  // Whatever the seed, a mutant larger than max_size is not written.
  for (uint32_t seed = 1; seed < 200; ++seed) {
    Bytes q = p;
    const size_t n = mutate_ipv6_packet(q.data(), q.size(), q.size(), seed);
    EXPECT_LE(n, q.size());
  }
}

// The point of the mutator: one step from a valid packet reaches the walk's
// rules with lengths and the checksum right, so with checksums verified the
// parser still gets to say why (or accepts).
TEST(Ipv6Mutator, MutantsReachEveryRuleOfTheWalk) {
  std::map<wire::ParseError, int> seen;
  for (uint32_t seed = 1; seed <= 20000; ++seed) {
    Bytes p = example();
    // Two steps, so rules that need two changes (a run past the bound
    // after an insert) show up too.
    p.resize(4096);
    size_t n = mutate_ipv6_packet(p.data(), example().size(), p.size(), seed);
    ASSERT_GT(n, 0u);
    n = mutate_ipv6_packet(p.data(), n, p.size(), seed * 7919u);
    ASSERT_GT(n, 0u);
    p.resize(n);
    ++seen[wire::parse_packet(p).error];
  }
  using E = wire::ParseError;
  for (const E e :
       {E::kNone, E::kNotTcp, E::kIpFragment, E::kIp6ExtensionTruncated,
        E::kIp6HopByHopNotFirst, E::kIp6TooManyExtensions, E::kIp6BadOption,
        E::kIp6UnknownOption, E::kIp6RoutingSegmentsLeft,
        E::kIp6UnsupportedExtension}) {
    EXPECT_GT(seen[e], 0) << to_string(e);
  }
  // Lengths and checksums are repaired: those rejections stay rare.
  EXPECT_EQ(seen[E::kTcpBadChecksum], 0);
  EXPECT_EQ(seen[E::kIp6BadPayloadLength], 0);
}

}  // namespace
}  // namespace tcpref::fuzz
