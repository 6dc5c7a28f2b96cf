#include "impl/io/address.h"

#include <gtest/gtest.h>

namespace tcpref::io {
namespace {

TEST(ParseIpv4, AcceptsDottedQuads) {
  EXPECT_EQ(parse_ipv4("198.18.0.1"), 0xc6120001u);
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0u);
  EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xffffffffu);
}

TEST(ParseIpv4, RejectsEverythingElse) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
        "1.2.3.0004", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24"}) {
    EXPECT_FALSE(parse_ipv4(bad).has_value()) << bad;
  }
}

TEST(FormatIpv4, RoundTrips) {
  EXPECT_EQ(format_ipv4(0xc6130a02u), "198.19.10.2");
  EXPECT_EQ(parse_ipv4(format_ipv4(0x01020304u)), 0x01020304u);
}

TEST(ParsePrefix, DefaultsAndExplicitLengths) {
  auto p = parse_prefix("198.18.0.2", 24);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->addr, 0xc6120002u);
  EXPECT_EQ(p->length, 24);
  p = parse_prefix("198.18.0.2/30", 24);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, 30);
  EXPECT_FALSE(parse_prefix("198.18.0.2/0", 24));
  EXPECT_FALSE(parse_prefix("198.18.0.2/33", 24));
  EXPECT_FALSE(parse_prefix("198.18.0.2/", 24));
  EXPECT_FALSE(parse_prefix("198.18.0.2/2x", 24));
}

TEST(BenchmarkRange, IsExactly198_18_0_0Slash15) {
  EXPECT_TRUE(in_benchmark_range(*parse_ipv4("198.18.0.0")));
  EXPECT_TRUE(in_benchmark_range(*parse_ipv4("198.19.255.255")));
  EXPECT_FALSE(in_benchmark_range(*parse_ipv4("198.17.255.255")));
  EXPECT_FALSE(in_benchmark_range(*parse_ipv4("198.20.0.0")));
  EXPECT_FALSE(in_benchmark_range(*parse_ipv4("10.0.0.1")));
  // A prefix wider than /15 would route outside the range.
  EXPECT_TRUE(in_benchmark_range(Prefix{0xc6120002u, 15}));
  EXPECT_FALSE(in_benchmark_range(Prefix{0xc6120002u, 14}));
}

}  // namespace
}  // namespace tcpref::io
