// NewReno: RFC 5681 growth and loss response, RFC 6582 recovery, worked
// with SMSS = 1460 unless said otherwise.
#include "impl/tcp/congestion.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace tcpref::tcp {
namespace {

constexpr uint32_t kMss = 1460;
constexpr uint32_t kIss = 5000;

TEST(InitialWindow, Rfc6928) {
  EXPECT_EQ(initial_window(1460, InitialWindow::kRfc6928), 14600u);
  EXPECT_EQ(initial_window(536, InitialWindow::kRfc6928), 5360u);
  EXPECT_EQ(initial_window(9000, InitialWindow::kRfc6928), 18000u);
}

TEST(InitialWindow, Rfc5681) {
  EXPECT_EQ(initial_window(536, InitialWindow::kRfc5681), 2144u);
  EXPECT_EQ(initial_window(1095, InitialWindow::kRfc5681), 4380u);
  EXPECT_EQ(initial_window(1460, InitialWindow::kRfc5681), 4380u);
  EXPECT_EQ(initial_window(2190, InitialWindow::kRfc5681), 6570u);
  EXPECT_EQ(initial_window(2191, InitialWindow::kRfc5681), 4382u);
}

TEST(DuplicateAck, EveryConditionOfRfc5681Section2) {
  EXPECT_TRUE(is_duplicate_ack(true, 0, false, 100, 100, 500, 500));
  EXPECT_FALSE(is_duplicate_ack(false, 0, false, 100, 100, 500, 500));
  EXPECT_FALSE(is_duplicate_ack(true, 1, false, 100, 100, 500, 500));
  EXPECT_FALSE(is_duplicate_ack(true, 0, true, 100, 100, 500, 500));
  EXPECT_FALSE(is_duplicate_ack(true, 0, false, 101, 100, 500, 500));
  EXPECT_FALSE(is_duplicate_ack(true, 0, false, 100, 100, 400, 500));
}

TEST(NewReno, SlowStartAddsAtMostOneSmssPerAck) {
  NewReno cc(kMss, kIss);
  EXPECT_EQ(cc.cwnd(), 14600u);
  EXPECT_EQ(cc.ssthresh(), UINT32_MAX);
  cc.on_new_ack(kIss + 1 + 1460, 1460, 10000);
  EXPECT_EQ(cc.cwnd(), 16060u);
  cc.on_new_ack(kIss + 1 + 4380, 2920, 10000);  // a stretch ACK: still one
  EXPECT_EQ(cc.cwnd(), 17520u);
  cc.on_new_ack(kIss + 1 + 4480, 100, 10000);
  EXPECT_EQ(cc.cwnd(), 17620u);
}

// After an RTO with 29200 bytes in flight: ssthresh = 14600, cwnd = 1460;
// slow start to ssthresh, then one SMSS per cwnd of acknowledged bytes.
TEST(NewReno, CongestionAvoidanceAddsOneSmssPerWindow) {
  NewReno cc(kMss, kIss);
  cc.on_rto(29200, kIss + 1 + 29200);
  EXPECT_EQ(cc.ssthresh(), 14600u);
  EXPECT_EQ(cc.cwnd(), 1460u);
  uint32_t ack = kIss + 1;
  while (cc.cwnd() < cc.ssthresh()) {
    ack += kMss;
    cc.on_new_ack(ack, kMss, 0);
  }
  EXPECT_EQ(cc.cwnd(), 14600u);
  for (int i = 0; i < 9; ++i) {
    ack += kMss;
    cc.on_new_ack(ack, kMss, 0);
    EXPECT_EQ(cc.cwnd(), 14600u);
  }
  ack += kMss;
  cc.on_new_ack(ack, kMss, 0);  // the tenth: a full cwnd acknowledged
  EXPECT_EQ(cc.cwnd(), 16060u);
}

// RFC 5681 §3.2 steps 2–4 with 20 segments (29200 bytes) in flight.
TEST(NewReno, ThirdDuplicateAckEntersFastRecovery) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  const uint32_t snd_nxt = una + 29200;
  EXPECT_FALSE(cc.on_duplicate_ack(una, 29200, snd_nxt).retransmit);
  EXPECT_FALSE(cc.on_duplicate_ack(una, 29200, snd_nxt).retransmit);
  const CongestionDecision d = cc.on_duplicate_ack(una, 29200, snd_nxt);
  EXPECT_TRUE(d.retransmit);
  EXPECT_TRUE(cc.in_recovery());
  EXPECT_EQ(cc.ssthresh(), 14600u);         // FlightSize / 2
  EXPECT_EQ(cc.cwnd(), 14600u + 3 * kMss);  // ssthresh + 3·SMSS
  EXPECT_EQ(cc.recover(), snd_nxt - 1);
  EXPECT_FALSE(cc.on_duplicate_ack(una, 29200, snd_nxt).retransmit);
  EXPECT_EQ(cc.cwnd(), 14600u + 4 * kMss);  // inflation
}

TEST(NewReno, SsthreshIsAtLeastTwoSegments) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  for (int i = 0; i < 3; ++i) (void)cc.on_duplicate_ack(una, 2000, una + 2000);
  EXPECT_EQ(cc.ssthresh(), 2 * kMss);
}

// RFC 6582 §3.2 step 3: a partial ACK retransmits the next hole and
// deflates; only the first partial ACK restarts the timer (Impatient).
TEST(NewReno, PartialAcksKeepRecoveryAndRetransmit) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  const uint32_t snd_nxt = una + 29200;
  for (int i = 0; i < 3; ++i) (void)cc.on_duplicate_ack(una, 29200, snd_nxt);
  ASSERT_EQ(cc.cwnd(), 18980u);
  CongestionDecision d = cc.on_new_ack(una + 2920, 2920, 29200 - 2920);
  EXPECT_TRUE(d.retransmit);
  EXPECT_TRUE(d.restart_timer);
  EXPECT_TRUE(cc.in_recovery());
  EXPECT_EQ(cc.cwnd(), 18980u - 2920 + kMss);
  d = cc.on_new_ack(una + 3000, 80, 29200 - 3000);  // < SMSS: no add-back
  EXPECT_TRUE(d.retransmit);
  EXPECT_FALSE(d.restart_timer);
  EXPECT_EQ(cc.cwnd(), 18980u - 2920 + kMss - 80);
}

// RFC 6582 §3.2 step 3, full ACK, option 1:
// cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
TEST(NewReno, FullAckEndsRecoveryWithDeflatedWindow) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  const uint32_t snd_nxt = una + 29200;
  for (int i = 0; i < 3; ++i) (void)cc.on_duplicate_ack(una, 29200, snd_nxt);
  // New data went out during recovery; the full ACK leaves 2000 in flight.
  const CongestionDecision d = cc.on_new_ack(snd_nxt, 29200, 2000);
  EXPECT_FALSE(d.retransmit);
  EXPECT_TRUE(d.restart_timer);
  EXPECT_FALSE(cc.in_recovery());
  EXPECT_EQ(cc.cwnd(), 2000u + kMss);
  NewReno idle(kMss, kIss);
  for (int i = 0; i < 3; ++i) (void)idle.on_duplicate_ack(una, 29200, snd_nxt);
  (void)idle.on_new_ack(snd_nxt, 29200, 29200);
  EXPECT_EQ(idle.cwnd(), 14600u);  // capped by ssthresh
}

// RFC 6582 §3.2 step 2: after a timeout, duplicate ACKs for data sent
// before it (ACK ≤ recover) do not start another recovery.
TEST(NewReno, NoFastRetransmitForDataFromBeforeTimeout) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  const uint32_t snd_nxt = una + 29200;
  cc.on_rto(29200, snd_nxt);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(cc.on_duplicate_ack(una + 1460, 27740, snd_nxt).retransmit);
  }
  EXPECT_FALSE(cc.in_recovery());
  EXPECT_EQ(cc.ssthresh(), 14600u);
  EXPECT_EQ(cc.cwnd(), kMss);
  // Past `recover`, three duplicates do trigger it.
  NewReno later(kMss, kIss);
  later.on_rto(29200, snd_nxt);
  (void)later.on_new_ack(snd_nxt + 1460, 1460, 4380);
  for (int i = 0; i < 2; ++i) {
    (void)later.on_duplicate_ack(snd_nxt + 1460, 4380, snd_nxt + 5840);
  }
  EXPECT_TRUE(
      later.on_duplicate_ack(snd_nxt + 1460, 4380, snd_nxt + 5840).retransmit);
}

// RFC 5681 §3.1: a repeated timeout keeps ssthresh (it would otherwise
// shrink from the already-collapsed flight).
TEST(NewReno, RepeatedTimeoutKeepsSsthresh) {
  NewReno cc(kMss, kIss);
  cc.on_rto(40000, kIss + 40001);
  EXPECT_EQ(cc.ssthresh(), 20000u);
  cc.on_rto(1460, kIss + 40001);
  EXPECT_EQ(cc.ssthresh(), 20000u);
  EXPECT_EQ(cc.cwnd(), kMss);
  cc.on_new_ack(kIss + 1461, 1460, 0);  // progress: the next RTO reduces
  cc.on_rto(10000, kIss + 40001);
  EXPECT_EQ(cc.ssthresh(), 5000u);
}

TEST(NewReno, RtoEndsRecovery) {
  NewReno cc(kMss, kIss);
  const uint32_t una = kIss + 1;
  for (int i = 0; i < 3; ++i)
    (void)cc.on_duplicate_ack(una, 29200, una + 29200);
  ASSERT_TRUE(cc.in_recovery());
  cc.on_rto(29200, una + 29200);
  EXPECT_FALSE(cc.in_recovery());
  EXPECT_EQ(cc.cwnd(), kMss);
}

// Whatever the ACK stream, cwnd stays ≥ 1 SMSS and a reduced ssthresh
// stays ≥ 2·SMSS.
RC_GTEST_PROP(NewRenoProp, WindowsStayWithinBounds, ()) {
  const auto mss = *rc::gen::inRange<uint32_t>(1, 9000);
  NewReno cc(mss, *rc::gen::arbitrary<uint32_t>());
  uint32_t una = 0;
  const auto steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    const auto flight = *rc::gen::inRange<uint32_t>(0, 1u << 20);
    switch (*rc::gen::inRange(0, 3)) {
      case 0: {
        const auto acked = *rc::gen::inRange<uint32_t>(1, 1u << 16);
        una += acked;
        (void)cc.on_new_ack(una, acked, flight);
        break;
      }
      case 1:
        (void)cc.on_duplicate_ack(una, flight, una + flight);
        break;
      default:
        cc.on_rto(flight, una + flight);
        break;
    }
    RC_ASSERT(cc.cwnd() >= mss);
    RC_ASSERT(cc.ssthresh() >= 2 * mss);
  }
}

}  // namespace
}  // namespace tcpref::tcp
