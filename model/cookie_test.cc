#include "model/cookie.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tcpref::model {
namespace {

using C = Concrete;

TEST(CookieMss, IndexRoundsDownToTable) {
  EXPECT_EQ(cookie_mss_index<C>(64), 0u);
  EXPECT_EQ(cookie_mss_index<C>(535), 0u);
  EXPECT_EQ(cookie_mss_index<C>(536), 1u);
  EXPECT_EQ(cookie_mss_index<C>(1400), 4u);  // 1380
  EXPECT_EQ(cookie_mss_index<C>(1459), 6u);  // 1452
  EXPECT_EQ(cookie_mss_index<C>(1460), 7u);
  EXPECT_EQ(cookie_mss_index<C>(9000), 7u);
  for (uint32_t mss = kMinMss; mss < 10000; ++mss) {
    const uint32_t down = cookie_table_mss<C>(cookie_mss_index<C>(mss));
    EXPECT_LE(down, mss);
    // The proofs' mutant rounds up: at or above, except past the table.
    const uint32_t up = cookie_table_mss<C>(cookie_mss_index<C>(mss, true));
    EXPECT_GE(up, std::min(mss, 1460u));
  }
}

// RFC 9293 §3.7.1: no option (or a meaningless 0) means 536; the send MSS is
// min(offer, ours) floored at kMinMss.
TEST(CookieMss, OfferAndSendMss) {
  EXPECT_EQ(offered_mss<C>(false, 9000), 536u);
  EXPECT_EQ(offered_mss<C>(true, 0), 536u);
  EXPECT_EQ(offered_mss<C>(true, 10), 10u);
  EXPECT_EQ(offered_mss<C>(true, 9000), 9000u);
  EXPECT_EQ(effective_mss<C>(10, 1460), 64u);
  EXPECT_EQ(effective_mss<C>(1400, 1460), 1400u);
  EXPECT_EQ(effective_mss<C>(9000, 1460), 1460u);
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

TEST(Cookie, RejectsOtherSequenceNotOtherIndex) {
  Params<C> p = default_params();
  uint32_t cookie = make_cookie<C>(p, 1000, 5, 1);
  EXPECT_FALSE(check_cookie<C>(p, 1002, cookie + 1, 5).valid);
  // The index is outside the MAC (as in Linux; docs/MODEL.md choice 13):
  // another index passes and selects another table entry.
  const CookieCheck<C> other =
      check_cookie<C>(p, 1001, ((cookie & ~7u) | 5u) + 1, 5);
  EXPECT_TRUE(other.valid);
  EXPECT_EQ(other.mss_index, 5u);
}

TEST(Cookie, SurvivesClockWrap) {
  Params<C> p = default_params();
  uint32_t cookie = make_cookie<C>(p, 1, 0xFFFFFFFFu, 0);
  EXPECT_TRUE(check_cookie<C>(p, 2, cookie + 1, 0).valid);
  EXPECT_FALSE(check_cookie<C>(p, 2, cookie + 1, 1).valid);  // two ticks
}

}  // namespace
}  // namespace tcpref::model
