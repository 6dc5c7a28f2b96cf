#include "impl/wire/ipv6.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "impl/wire/ip_address.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

// 2001:2::1 and 2001:2::2 (RFC 5180's benchmarking range).
constexpr Ipv6Bytes kSrc = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                            0,    0,    0, 0, 0, 0, 0, 1};
constexpr Ipv6Bytes kDst = {0x20, 0x01, 0, 2, 0, 0, 0, 0,
                            0,    0,    0, 0, 0, 0, 0, 2};

Ipv6Header example_header() {
  return Ipv6Header{.traffic_class = 0xb8,  // DSCP EF, ECN 00
                    .flow_label = 0x12345,
                    .payload_length = 8,
                    .next_header = 6,
                    .hop_limit = 63,
                    .src = kSrc,
                    .dst = kDst};
}

Bytes example_packet() {
  Bytes b(48, 0);
  write_ipv6_header(example_header(), std::span(b).first<kIpv6Header>());
  for (size_t i = 40; i < 48; ++i) b[i] = static_cast<uint8_t>(i);
  return b;
}

TEST(Ipv6View, WriterLayoutIsRfc8200Section3) {
  const Bytes b = example_packet();
  // Version 6, Traffic Class 0xb8, Flow Label 0x12345.
  EXPECT_EQ(b[0], 0x6b);
  EXPECT_EQ(b[1], 0x81);
  EXPECT_EQ(b[2], 0x23);
  EXPECT_EQ(b[3], 0x45);
  EXPECT_EQ(b[4], 0x00);  // payload length 8
  EXPECT_EQ(b[5], 0x08);
  EXPECT_EQ(b[6], 6);   // next header
  EXPECT_EQ(b[7], 63);  // hop limit
  EXPECT_EQ(Bytes(b.begin() + 8, b.begin() + 24),
            Bytes(kSrc.begin(), kSrc.end()));
  EXPECT_EQ(Bytes(b.begin() + 24, b.begin() + 40),
            Bytes(kDst.begin(), kDst.end()));
}

TEST(Ipv6View, WriterAndAccessorsAgree) {
  const Bytes b = example_packet();
  const Checked<Ipv6View> ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip.view.version(), 6);
  EXPECT_EQ(ip.view.traffic_class(), 0xb8);
  EXPECT_EQ(ip.view.flow_label(), 0x12345u);
  EXPECT_EQ(ip.view.payload_length(), 8);
  EXPECT_EQ(ip.view.next_header(), 6);
  EXPECT_EQ(ip.view.hop_limit(), 63);
  EXPECT_EQ(ip.view.src(), kSrc);
  EXPECT_EQ(ip.view.dst(), kDst);
  EXPECT_EQ(ip.view.payload().size(), 8u);
  EXPECT_EQ(ip.view.payload()[0], 40);
}

TEST(Ipv6View, FlowLabelKeepsTwentyBits) {
  Ipv6Header h = example_header();
  h.flow_label = 0xfffff123;
  Bytes b(40, 0);
  write_ipv6_header(h, std::span(b).first<kIpv6Header>());
  EXPECT_EQ(b[0], 0x6b);  // the label did not spill into the class
  b.resize(48);
  EXPECT_EQ(Ipv6View::parse(b).view.flow_label(), 0xff123u);
}

TEST(Ipv6View, LinkPaddingIsExcluded) {
  Bytes b = example_packet();
  b.insert(b.end(), {0xee, 0xee});
  const Checked<Ipv6View> ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip.view.payload().size(), 8u);
}

TEST(Ipv6View, Truncated) {
  const Bytes b = example_packet();
  EXPECT_EQ(Ipv6View::parse(std::span(b).first(39)).error,
            ParseError::kIp6Truncated);
  EXPECT_EQ(Ipv6View::parse({}).error, ParseError::kIp6Truncated);
}

TEST(Ipv6View, BadVersion) {
  Bytes b = example_packet();
  b[0] = 0x4b;
  EXPECT_EQ(Ipv6View::parse(b).error, ParseError::kIpBadVersion);
}

TEST(Ipv6View, PayloadLengthPastTheBuffer) {
  Bytes b = example_packet();
  b[5] = 9;
  EXPECT_EQ(Ipv6View::parse(b).error, ParseError::kIp6BadPayloadLength);
  b[5] = 0;  // zero: an empty payload (a jumbogram is refused by the walk)
  const Checked<Ipv6View> ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_TRUE(ip.view.payload().empty());
}

TEST(IpAddress, Ipv4IsHeldMapped) {
  const IpAddress a(0xc6120001);  // 198.18.0.1
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.v4(), 0xc6120001u);
  const Ipv6Bytes mapped = {0, 0, 0,    0,    0,   0,  0, 0,
                            0, 0, 0xff, 0xff, 198, 18, 0, 1};
  EXPECT_EQ(a.bytes(), mapped);
  EXPECT_EQ(IpAddress::v6(mapped), a);
}

TEST(IpAddress, DefaultIsIpv4AnyNotIpv6Any) {
  EXPECT_EQ(IpAddress(), IpAddress(uint32_t{0}));
  EXPECT_TRUE(IpAddress().is_v4());
  const IpAddress v6_any = IpAddress::v6({});
  EXPECT_FALSE(v6_any.is_v4());
  EXPECT_NE(v6_any, IpAddress());
  EXPECT_FALSE(IpAddress::v6(kSrc).is_v4());
  EXPECT_LT(IpAddress::v6(kSrc), IpAddress::v6(kDst));
}

}  // namespace
}  // namespace tcpref::wire
