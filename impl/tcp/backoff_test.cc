#include "impl/tcp/backoff.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

using std::chrono::seconds;

TEST(BackedOff, DoublesPerRetransmission) {
  EXPECT_EQ(backed_off(seconds(1), 0), seconds(1));
  EXPECT_EQ(backed_off(seconds(1), 1), seconds(2));
  EXPECT_EQ(backed_off(seconds(1), 5), seconds(32));
  EXPECT_EQ(backed_off(seconds(1), 6), seconds(64));
}

// 255 retransmissions (the largest count a uint8_t holds) and 40 (a shift
// past 31 bits was undefined) both end at the cap.
TEST(BackedOff, CappedAtTcpRtoMaxForAnyCount) {
  EXPECT_EQ(backed_off(seconds(1), 7), seconds(120));
  EXPECT_EQ(backed_off(seconds(1), 32), seconds(120));
  EXPECT_EQ(backed_off(seconds(1), 40), seconds(120));
  EXPECT_EQ(backed_off(seconds(1), 255), seconds(120));
  EXPECT_EQ(backed_off(seconds(1), UINT32_MAX), seconds(120));
  // An initial value above the cap is not lowered.
  EXPECT_EQ(backed_off(seconds(200), 3), seconds(200));
}

}  // namespace
}  // namespace tcpref::tcp
