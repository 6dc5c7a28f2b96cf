// TFO cookie values (RFC 7413 §4.1.2), pinned to what Linux computes for
// the same key and addresses, so cookies interoperate.
#include "impl/tcp/fast_open_cookie.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

// Linux's net.ipv4.tcp_fastopen_key=a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4
// (each word's bytes as a little-endian machine stores them).
constexpr std::array<uint8_t, 16> kKeyA1 = {0xa1, 0xa1, 0xa1, 0xa1, 0xb2, 0xb2,
                                            0xb2, 0xb2, 0xc3, 0xc3, 0xc3, 0xc3,
                                            0xd4, 0xd4, 0xd4, 0xd4};
// a0bf63f7-ed803d81-cd641d30-cebc4a90, the same little-endian words.
constexpr std::array<uint8_t, 16> kKeyA0 = {0xf7, 0x63, 0xbf, 0xa0, 0x81, 0x3d,
                                            0x80, 0xed, 0x30, 0x1d, 0x64, 0xcd,
                                            0x90, 0x4a, 0xbc, 0xce};

constexpr uint32_t Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

TEST(FastOpenCookie, MatchesLinuxForPacketdrillDefaults) {
  // Client 192.0.2.1, server 192.168.0.1: packetdrill's TFO_COOKIE.
  const std::array<uint8_t, 8> want = {0x30, 0x21, 0xb9, 0xd8,
                                       0x89, 0x01, 0x7e, 0xeb};
  EXPECT_EQ(fast_open_cookie(kKeyA1, Ip(192, 0, 2, 1), Ip(192, 168, 0, 1)),
            want);
}

TEST(FastOpenCookie, MatchesLinuxForAnotherKeyAndAddresses) {
  // Client 10.248.0.2, server 192.168.0.2 (packetdrill's fastopen simple1).
  const std::array<uint8_t, 8> want = {0x00, 0xab, 0xaa, 0xab,
                                       0xe8, 0xe9, 0x54, 0xc2};
  EXPECT_EQ(fast_open_cookie(kKeyA0, Ip(10, 248, 0, 2), Ip(192, 168, 0, 2)),
            want);
}

TEST(FastOpenCookie, DependsOnDirectionKeyAndAddresses) {
  const uint32_t c = Ip(192, 0, 2, 1), s = Ip(192, 168, 0, 1);
  const auto base = fast_open_cookie(kKeyA1, c, s);
  EXPECT_NE(fast_open_cookie(kKeyA1, s, c), base);
  EXPECT_NE(fast_open_cookie(kKeyA0, c, s), base);
  EXPECT_NE(fast_open_cookie(kKeyA1, c + 1, s), base);
}

TEST(FastOpenCookie, OptionAndMatch) {
  const auto cookie = fast_open_cookie(kKeyA1, 1, 2);
  const wire::FastOpenCookie exp = fast_open_option(cookie, true);
  EXPECT_TRUE(exp.experimental);
  EXPECT_EQ(exp.length, 8);
  EXPECT_TRUE(fast_open_cookie_matches(exp, cookie));
  EXPECT_FALSE(fast_open_option(cookie, false).experimental);
  wire::FastOpenCookie wrong = exp;
  wrong.bytes[7] ^= 1;
  EXPECT_FALSE(fast_open_cookie_matches(wrong, cookie));
  wire::FastOpenCookie longer = exp;
  longer.length = 10;  // same first 8 bytes, other length: not ours
  EXPECT_FALSE(fast_open_cookie_matches(longer, cookie));
  EXPECT_FALSE(fast_open_cookie_matches(wire::FastOpenCookie{}, cookie));
}

}  // namespace
}  // namespace tcpref::tcp
