#include "model/cookie.h"

#include <gtest/gtest.h>

namespace tcpref::model {
namespace {

using C = Concrete;

TEST(CookieMss, IndexRoundsDownToTable) {
  EXPECT_EQ(cookie_mss_index<C>(536), 0u);
  EXPECT_EQ(cookie_mss_index<C>(1299), 0u);
  EXPECT_EQ(cookie_mss_index<C>(1300), 1u);
  EXPECT_EQ(cookie_mss_index<C>(1459), 2u);
  EXPECT_EQ(cookie_mss_index<C>(1460), 3u);
  EXPECT_EQ(cookie_mss_index<C>(9000), 3u);
  for (uint32_t offer = 536; offer < 10000; ++offer) {
    EXPECT_LE(cookie_table_mss<C>(cookie_mss_index<C>(offer)), offer);
  }
}

TEST(CookieMss, NoOptionMeans536) {
  EXPECT_EQ(offered_mss<C>(false, 9000), 536u);
  EXPECT_EQ(offered_mss<C>(true, 9000), 9000u);
}

// RFC 4987 §3.6: the ACK of a cookie SYN-ACK revalidates for a bounded time.
TEST(Cookie, RoundTripWithinAge) {
  Params<C> p = default_params();
  const uint32_t syn_seq = 1000, made_at = 70;
  uint32_t cookie = make_cookie<C>(p, syn_seq, made_at, 2);
  for (uint32_t now = made_at; now <= made_at + kMaxCookieAge; ++now) {
    CookieCheck<C> ck = check_cookie<C>(p, syn_seq + 1, cookie + 1, now);
    EXPECT_TRUE(ck.valid) << "now=" << now;
    EXPECT_EQ(ck.mss_index, 2u);
  }
  EXPECT_FALSE(
      check_cookie<C>(p, syn_seq + 1, cookie + 1, made_at + kMaxCookieAge + 1)
          .valid);
}

TEST(Cookie, RejectsOtherSequenceAndTamperedIndex) {
  Params<C> p = default_params();
  uint32_t cookie = make_cookie<C>(p, 1000, 5, 1);
  EXPECT_FALSE(check_cookie<C>(p, 1002, cookie + 1, 5).valid);
  // Index 5 does not exist; index 3 changes nothing the MAC covers but is
  // allowed (as in Linux, the index is not covered by the MAC's high bits).
  EXPECT_FALSE(check_cookie<C>(p, 1001, ((cookie & ~7u) | 5u) + 1, 5).valid);
}

TEST(Cookie, SurvivesClockWrap) {
  Params<C> p = default_params();
  uint32_t cookie = make_cookie<C>(p, 1, 0xFFFFFFFFu, 0);
  EXPECT_TRUE(check_cookie<C>(p, 2, cookie + 1, 0).valid);
  EXPECT_FALSE(check_cookie<C>(p, 2, cookie + 1, 1).valid);  // two ticks
}

}  // namespace
}  // namespace tcpref::model
