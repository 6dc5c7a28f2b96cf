// RttEstimator: RFC 6298's formulas worked by hand, Karn's rule, backoff,
// and TSecr samples (RFC 7323 §4).
#include "impl/tcp/rtt_estimator.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace tcpref::tcp {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

// RFC 6298 §2.1: before any sample, RTO is 1 s.
TEST(RttEstimator, InitialRtoIsOneSecond) {
  RttEstimator e;
  EXPECT_EQ(e.rto(), seconds(1));
  EXPECT_FALSE(e.srtt().has_value());
}

// §2.2: SRTT = R = 100 ms, RTTVAR = R/2 = 50 ms,
// RTO = SRTT + max(G, 4·RTTVAR) = 100 + 200 = 300 ms.
TEST(RttEstimator, FirstSample) {
  RttEstimator e;
  e.add_sample(milliseconds(100));
  EXPECT_EQ(e.srtt(), milliseconds(100));
  EXPECT_EQ(e.rttvar(), milliseconds(50));
  EXPECT_EQ(e.rto(), milliseconds(300));
}

// §2.3 with R' = 200 ms after the first sample:
// RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5 ms,
// SRTT = 7/8·100 + 1/8·200 = 112.5 ms, RTO = 112.5 + 4·62.5 = 362.5 ms.
TEST(RttEstimator, LaterSampleUsesOldSrttForRttvar) {
  RttEstimator e;
  e.add_sample(milliseconds(100));
  e.add_sample(milliseconds(200));
  EXPECT_EQ(e.rttvar(), microseconds(62500));
  EXPECT_EQ(e.srtt(), microseconds(112500));
  EXPECT_EQ(e.rto(), microseconds(362500));
}

// §2.4: RTO = 10 + 4·5 = 30 ms is raised to the minimum — 200 ms by
// default (Linux), 1 s with RFC 6298's own floor.
TEST(RttEstimator, MinimumRtoIsAParameter) {
  RttEstimator linux_like;
  linux_like.add_sample(milliseconds(10));
  EXPECT_EQ(linux_like.rto(), milliseconds(200));
  RttEstimator rfc({.min_rto = seconds(1)});
  rfc.add_sample(milliseconds(10));
  EXPECT_EQ(rfc.rto(), seconds(1));
}

// Once RTTVAR has decayed (3/4 per identical sample), the clock
// granularity G bounds the variance term: RTO = 100 ms + 1 ms.
TEST(RttEstimator, GranularityBoundsTheVarianceTerm) {
  RttEstimator e({.min_rto = Time{0}});
  for (int i = 0; i < 40; ++i) e.add_sample(milliseconds(100));
  EXPECT_EQ(e.srtt(), milliseconds(100));
  EXPECT_LT(e.rttvar(), microseconds(250));
  EXPECT_EQ(e.rto(), milliseconds(101));
}

// §5.5: each expiry doubles RTO up to the maximum; §5.7/Karn: the backed
// off value stays until a new sample.
TEST(RttEstimator, BackoffDoublesUpToMaximumUntilNextSample) {
  RttEstimator e;
  e.add_sample(milliseconds(100));  // RTO 300 ms
  e.backoff();
  EXPECT_EQ(e.rto(), milliseconds(600));
  e.backoff();
  EXPECT_EQ(e.rto(), milliseconds(1200));
  EXPECT_EQ(e.backoffs(), 2u);
  for (int i = 0; i < 20; ++i) e.backoff();
  EXPECT_EQ(e.rto(), seconds(120));
  // A second 100 ms sample: RTTVAR = 3/4·50 = 37.5, RTO = 100 + 150.
  e.add_sample(milliseconds(100));
  EXPECT_EQ(e.rto(), milliseconds(250));
  EXPECT_EQ(e.backoffs(), 0u);
}

TEST(RttEstimator, MaximumRtoCapsTheEstimate) {
  RttEstimator e({.max_rto = seconds(2)});
  e.add_sample(seconds(1));  // 1 + 4·0.5 = 3 s
  EXPECT_EQ(e.rto(), seconds(2));
}

// Without timestamps one segment is timed; the ACK covering it samples.
TEST(RttEstimator, TimedSegmentGivesOneSample) {
  RttEstimator e;
  const Time t0 = seconds(10);
  e.on_send(1000, t0, false);
  e.on_send(2000, t0 + milliseconds(5), false);  // already timing one
  EXPECT_EQ(e.on_ack(500, std::nullopt, t0 + milliseconds(50)), std::nullopt);
  EXPECT_EQ(e.on_ack(1000, std::nullopt, t0 + milliseconds(80)),
            milliseconds(80));
  EXPECT_FALSE(e.timing());
  EXPECT_EQ(e.on_ack(2000, std::nullopt, t0 + milliseconds(90)), std::nullopt);
  EXPECT_EQ(e.srtt(), milliseconds(80));
}

// RFC 6298 §3 (Karn): no sample from an ACK that may answer a
// retransmission; the backed-off RTO stays.
TEST(RttEstimator, KarnNoSampleAcrossRetransmission) {
  RttEstimator e;
  const Time t0 = seconds(10);
  e.on_send(1000, t0, false);
  e.backoff();                             // the timer expired ...
  e.on_send(1000, t0 + seconds(1), true);  // ... and the segment went again
  EXPECT_EQ(e.on_ack(1000, std::nullopt, t0 + seconds(1) + milliseconds(30)),
            std::nullopt);
  EXPECT_EQ(e.rto(), seconds(2));
  EXPECT_FALSE(e.srtt().has_value());
  // New data is timed afresh.
  e.on_send(2000, t0 + seconds(2), false);
  EXPECT_EQ(e.on_ack(2000, std::nullopt, t0 + seconds(2) + milliseconds(40)),
            milliseconds(40));
  EXPECT_EQ(e.rto(), milliseconds(200));  // 40 + 4·20 = 120 → minimum
}

// RFC 7323 §4.1: TSecr identifies the transmission, so the sample stands
// even after a retransmission.
TEST(RttEstimator, TimestampSampleAfterRetransmission) {
  RttEstimator e;
  const Time t0 = seconds(10);
  e.on_send(1000, t0, false);
  e.on_send(1000, t0 + seconds(1), true);
  EXPECT_EQ(e.on_ack(1000, milliseconds(25), t0 + seconds(1)),
            milliseconds(25));
  EXPECT_EQ(e.srtt(), milliseconds(25));
}

TEST(RttFromTsecr, MillisecondTicks) {
  EXPECT_EQ(rtt_from_tsecr(1000, 900), milliseconds(100));
  EXPECT_EQ(rtt_from_tsecr(1000, 1000), milliseconds(0));
  EXPECT_EQ(rtt_from_tsecr(5, 0xFFFFFFFEu), milliseconds(7));  // wraps
  EXPECT_EQ(rtt_from_tsecr(1000, 0), std::nullopt);
  EXPECT_EQ(rtt_from_tsecr(1000, 1001), std::nullopt);  // from the future
}

// Whatever the samples and expiries, RTO stays within [min, max] and SRTT
// within the range of the samples.
RC_GTEST_PROP(RttEstimatorProp, RtoStaysWithinBounds, ()) {
  const RttConfig config{
      .min_rto = milliseconds(*rc::gen::inRange(0, 2000)),
      .max_rto = seconds(*rc::gen::inRange(1, 200)),
  };
  RttEstimator e(config);
  Time lo = Time::max(), hi = Time::min();
  const auto steps = *rc::gen::inRange(1, 100);
  for (int i = 0; i < steps; ++i) {
    if (*rc::gen::inRange(0, 4) == 0) {
      e.backoff();
    } else {
      const Time r = microseconds(*rc::gen::inRange<int64_t>(0, 10'000'000));
      e.add_sample(r);
      lo = std::min(lo, r);
      hi = std::max(hi, r);
      RC_ASSERT(*e.srtt() >= lo);
      RC_ASSERT(*e.srtt() <= hi);
    }
    RC_ASSERT(e.rto() >= config.min_rto);
    RC_ASSERT(e.rto() <= std::max(config.min_rto, config.max_rto));
  }
}

}  // namespace
}  // namespace tcpref::tcp
