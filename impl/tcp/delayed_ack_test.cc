// DelayedAck: every second full-sized segment, immediate on out-of-order
// data, and a bounded delay otherwise.
#include "impl/tcp/delayed_ack.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

using std::chrono::milliseconds;

constexpr uint32_t kMss = 1460;
constexpr Time kNow = std::chrono::seconds(100);

TEST(DelayedAck, OneSegmentWaitsForTheDelay) {
  DelayedAck d;
  EXPECT_FALSE(d.on_data(kMss, kMss, false, kNow));
  EXPECT_EQ(d.deadline(), kNow + milliseconds(40));
  EXPECT_FALSE(d.due(kNow + milliseconds(40) - Time{1}));
  EXPECT_TRUE(d.due(kNow + milliseconds(40)));
}

// RFC 1122 §4.2.3.2: an ACK for at least every second full-sized segment.
TEST(DelayedAck, SecondFullSizedSegmentIsAckedAtOnce) {
  DelayedAck d;
  EXPECT_FALSE(d.on_data(kMss, kMss, false, kNow));
  EXPECT_TRUE(d.on_data(kMss, kMss, false, kNow + milliseconds(1)));
}

TEST(DelayedAck, SmallSegmentsCountByBytes) {
  DelayedAck d;
  for (int i = 0; i < 29; ++i) {
    EXPECT_FALSE(d.on_data(100, kMss, false, kNow)) << i;
  }
  EXPECT_TRUE(d.on_data(20, kMss, false, kNow));  // 2920 bytes = 2·MSS
}

// RFC 5681 §4.2: out-of-order and gap-filling segments are ACKed at once.
TEST(DelayedAck, ImmediateWhenAsked) {
  DelayedAck d;
  EXPECT_TRUE(d.on_data(10, kMss, true, kNow));
}

// The deadline runs from the oldest unacknowledged byte; later segments do
// not push it back.
TEST(DelayedAck, DeadlineDoesNotMoveWithLaterData) {
  DelayedAck d;
  EXPECT_FALSE(d.on_data(10, kMss, false, kNow));
  EXPECT_FALSE(d.on_data(10, kMss, false, kNow + milliseconds(30)));
  EXPECT_EQ(d.deadline(), kNow + milliseconds(40));
}

TEST(DelayedAck, SentAckClearsWhatIsOwed) {
  DelayedAck d;
  EXPECT_FALSE(d.on_data(kMss, kMss, false, kNow));
  d.on_ack_sent();  // piggybacked on data
  EXPECT_FALSE(d.pending());
  EXPECT_FALSE(d.due(kNow + std::chrono::seconds(1)));
  // The count restarted too: one more full segment is not yet two.
  EXPECT_FALSE(d.on_data(kMss, kMss, false, kNow + milliseconds(50)));
  EXPECT_EQ(d.deadline(), kNow + milliseconds(90));
}

// RFC 9293 MUST-40: the delay stays below 0.5 s whatever is configured.
TEST(DelayedAck, DelayIsBelowHalfASecond) {
  DelayedAck slow(std::chrono::seconds(2));
  EXPECT_LT(slow.delay(), milliseconds(500));
  EXPECT_FALSE(slow.on_data(1, kMss, false, kNow));
  EXPECT_LT(*slow.deadline() - kNow, milliseconds(500));
  DelayedAck linux_max(milliseconds(200));
  EXPECT_EQ(linux_max.delay(), milliseconds(200));
}

}  // namespace
}  // namespace tcpref::tcp
