#include "impl/wire/ipv4.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Ipv4Header example_header() {
  return Ipv4Header{.tos = 0x02,
                    .total_length = 28,
                    .id = 0xbeef,
                    .dont_fragment = true,
                    .ttl = 63,
                    .protocol = kIpProtoTcp,
                    .src = 0xc6120001,   // 198.18.0.1
                    .dst = 0xc6130002};  // 198.19.0.2
}

Bytes example_datagram() {
  Bytes b(28, 0);
  write_ipv4_header(example_header(), std::span(b).first<kIpv4MinHeader>());
  for (size_t i = 20; i < 28; ++i) b[i] = static_cast<uint8_t>(i);
  return b;
}

TEST(Ipv4View, WriterAndAccessorsAgree) {
  const Bytes b = example_datagram();
  const Checked<Ipv4View> ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip.view.version(), 4);
  EXPECT_EQ(ip.view.ihl(), 5);
  EXPECT_EQ(ip.view.tos(), 0x02);
  EXPECT_EQ(ip.view.total_length(), 28);
  EXPECT_EQ(ip.view.id(), 0xbeef);
  EXPECT_EQ(ip.view.flags(), 0b010);
  EXPECT_TRUE(ip.view.dont_fragment());
  EXPECT_FALSE(ip.view.more_fragments());
  EXPECT_EQ(ip.view.fragment_offset(), 0);
  EXPECT_FALSE(ip.view.is_fragment());
  EXPECT_EQ(ip.view.ttl(), 63);
  EXPECT_EQ(ip.view.protocol(), kIpProtoTcp);
  EXPECT_EQ(ip.view.src(), 0xc6120001u);
  EXPECT_EQ(ip.view.dst(), 0xc6130002u);
  EXPECT_TRUE(ip.view.header_checksum_ok());
  EXPECT_EQ(ip.view.header_checksum(), (b[10] << 8) | b[11]);
  EXPECT_TRUE(ip.view.options().empty());
  ASSERT_EQ(ip.view.payload().size(), 8u);
  EXPECT_EQ(ip.view.payload().data(), b.data() + 20);
}

TEST(Ipv4View, WriterLayout) {
  const Bytes b = example_datagram();
  EXPECT_EQ(Bytes(b.begin(), b.begin() + 10),
            (Bytes{0x45, 0x02, 0, 28, 0xbe, 0xef, 0x40, 0, 63, 6}));
  EXPECT_EQ(Bytes(b.begin() + 12, b.begin() + 20),
            (Bytes{198, 18, 0, 1, 198, 19, 0, 2}));
}

TEST(Ipv4View, Truncated) {
  const Bytes b = example_datagram();
  EXPECT_EQ(Ipv4View::parse(std::span(b).first(19)).error,
            ParseError::kIpTruncated);
  EXPECT_EQ(Ipv4View::parse({}).error, ParseError::kIpTruncated);
}

TEST(Ipv4View, BadVersion) {
  Bytes b = example_datagram();
  b[0] = 0x65;
  EXPECT_EQ(Ipv4View::parse(b).error, ParseError::kIpBadVersion);
}

TEST(Ipv4View, BadIhl) {
  Bytes b = example_datagram();
  b[0] = 0x44;  // 16-byte header
  EXPECT_EQ(Ipv4View::parse(b).error, ParseError::kIpBadIhl);
  b[0] = 0x48;  // 32-byte header in a 28-byte buffer
  EXPECT_EQ(Ipv4View::parse(b).error, ParseError::kIpBadIhl);
}

TEST(Ipv4View, BadTotalLength) {
  Bytes b = example_datagram();
  b[3] = 19;  // shorter than the header
  EXPECT_EQ(Ipv4View::parse(b).error, ParseError::kIpBadTotalLength);
  b[3] = 29;  // longer than the buffer
  EXPECT_EQ(Ipv4View::parse(b).error, ParseError::kIpBadTotalLength);
}

TEST(Ipv4View, LinkPaddingPastTotalLengthIsExcluded) {
  Bytes b = example_datagram();
  b.resize(46, 0);  // Ethernet minimum-frame padding
  const Checked<Ipv4View> ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip.view.payload().size(), 8u);
}

TEST(Ipv4View, HeaderOptionsAreSkipped) {
  Bytes b = example_datagram();
  b[0] = 0x46;  // IHL 6: bytes 20..23 are IP options, the payload follows
  const Checked<Ipv4View> ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip.view.header_length(), 24u);
  EXPECT_EQ(ip.view.options().data(), b.data() + 20);
  EXPECT_EQ(ip.view.options().size(), 4u);
  EXPECT_EQ(ip.view.payload().size(), 4u);
}

TEST(Ipv4View, FragmentsAreRecognised) {
  Ipv4Header h = example_header();
  Bytes b(20, 0);
  write_ipv4_header(h, std::span(b).first<kIpv4MinHeader>());
  b[3] = 20;
  b[6] = 0x20;  // MF
  EXPECT_TRUE(Ipv4View::parse(b).view.is_fragment());
  b[6] = 0x00;
  b[7] = 0x01;  // offset 8 bytes
  EXPECT_TRUE(Ipv4View::parse(b).view.is_fragment());
  EXPECT_EQ(Ipv4View::parse(b).view.fragment_offset(), 1);
  b[6] = 0x40;  // DF, offset 1
  EXPECT_TRUE(Ipv4View::parse(b).view.is_fragment());
  b[7] = 0x00;
  EXPECT_FALSE(Ipv4View::parse(b).view.is_fragment());
}

TEST(Ipv4View, ChecksumCoversEveryHeaderByte) {
  for (size_t i = 0; i < kIpv4MinHeader; ++i) {
    Bytes b = example_datagram();
    b[i] ^= 0x10;
    const Checked<Ipv4View> ip = Ipv4View::parse(b);
    EXPECT_TRUE(!ip.ok() || !ip.view.header_checksum_ok()) << "byte " << i;
  }
}

}  // namespace
}  // namespace tcpref::wire
