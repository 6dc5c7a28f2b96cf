#include "traces/packetdrill/tcp_info.h"

#include <gtest/gtest.h>

#include <vector>

namespace tcpref::packetdrill {
namespace {

TEST(TcpInfo, SynDataAsserts) {
  tcp::ConnectionView with, without;
  with.syn_data = true;
  std::string why;
  const TcpInfoAssert set = parse_tcp_info_assert(
      " assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options ");
  ASSERT_TRUE(set.ok) << set.why;
  EXPECT_TRUE(check_tcp_info_assert(set, with, why));
  EXPECT_FALSE(check_tcp_info_assert(set, without, why));
  EXPECT_NE(why.find("TCPI_OPT_SYN_DATA is clear"), std::string::npos) << why;
  const TcpInfoAssert clear = parse_tcp_info_assert(
      "assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0, tcpi_options");
  ASSERT_TRUE(clear.ok);
  EXPECT_FALSE(check_tcp_info_assert(clear, with, why));
  EXPECT_TRUE(check_tcp_info_assert(clear, without, why));
}

TEST(TcpInfo, StateAsserts) {
  tcp::ConnectionView v;
  v.state = tcp::TcpState::kSynReceived;
  std::string why;
  const TcpInfoAssert a =
      parse_tcp_info_assert("assert tcpi_state == TCP_SYN_RECV, tcpi_state");
  ASSERT_TRUE(a.ok);
  EXPECT_TRUE(check_tcp_info_assert(a, v, why));
  v.state = tcp::TcpState::kClosed;
  EXPECT_FALSE(check_tcp_info_assert(a, v, why));
  EXPECT_NE(why.find("TCP_CLOSE"), std::string::npos) << why;
  // A connection the stack no longer has reads as CLOSE (default view).
  const TcpInfoAssert closed =
      parse_tcp_info_assert("assert tcpi_state == TCP_CLOSE, tcpi_state");
  EXPECT_TRUE(check_tcp_info_assert(closed, tcp::ConnectionView{}, why));
}

TEST(TcpInfo, UnsupportedFieldsAreNamed) {
  const TcpInfoAssert a =
      parse_tcp_info_assert("assert tcpi_delivered == 1, tcpi_state");
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.why, "tcp_info field tcpi_delivered");
  EXPECT_FALSE(parse_tcp_info_assert("x = 1").ok);
  EXPECT_FALSE(parse_tcp_info_assert("assert tcpi_state == 7").ok);
}

// Both asserts of a block are checked, not only the first.
TEST(TcpInfo, MssAssertsInOneBlock) {
  const std::vector<TcpInfoAssert> block = parse_tcp_info_block(
      " assert tcpi_advmss == 1100, tcpi_advmss; assert tcpi_snd_mss == "
      "1088, tcpi_snd_mss ");
  ASSERT_EQ(block.size(), 2u);
  ASSERT_TRUE(block[0].ok && block[1].ok);
  tcp::ConnectionView v;
  v.adv_mss = 1100;
  v.send_mss = 1088;
  std::string why;
  EXPECT_TRUE(check_tcp_info_assert(block[0], v, why));
  EXPECT_TRUE(check_tcp_info_assert(block[1], v, why));
  v.send_mss = 1100;
  EXPECT_FALSE(check_tcp_info_assert(block[1], v, why));
  EXPECT_NE(why.find("tcpi_snd_mss is 1100"), std::string::npos) << why;
  EXPECT_FALSE(parse_tcp_info_assert("assert tcpi_advmss == x").ok);
  const auto other = parse_tcp_info_block("assert tcpi_advmss == 1\nprint(1)");
  ASSERT_EQ(other.size(), 2u);
  EXPECT_FALSE(other[1].ok);
}

}  // namespace
}  // namespace tcpref::packetdrill
