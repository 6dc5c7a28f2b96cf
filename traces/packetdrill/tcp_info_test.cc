#include "traces/packetdrill/tcp_info.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tcpref::packetdrill
