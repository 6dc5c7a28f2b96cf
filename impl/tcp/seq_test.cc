#include "impl/tcp/seq.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

// RFC 9293 §3.4: comparisons wrap modulo 2^32.
TEST(Seq, ComparisonsWrap) {
  EXPECT_TRUE(seq_before(0xfffffff0u, 0x10u));
  EXPECT_TRUE(seq_after(0x10u, 0xfffffff0u));
  EXPECT_TRUE(seq_before_eq(5, 5));
  EXPECT_FALSE(seq_before(5, 5));
  EXPECT_TRUE(seq_in_window(0xffffffffu, 0xfffffff0u, 0x10u));
  EXPECT_FALSE(seq_in_window(0x10u, 0xfffffff0u, 0x10u));
}

// RFC 9293 §3.10.7.4: the four acceptability cases.
TEST(Seq, SegmentAcceptability) {
  // Zero length, zero window: only SEG.SEQ = RCV.NXT.
  EXPECT_TRUE(seq_segment_acceptable(100, 0, 100, 0));
  EXPECT_FALSE(seq_segment_acceptable(101, 0, 100, 0));
  // Zero length, open window: RCV.NXT ≤ SEG.SEQ < RCV.NXT+RCV.WND.
  EXPECT_TRUE(seq_segment_acceptable(149, 0, 100, 50));
  EXPECT_FALSE(seq_segment_acceptable(150, 0, 100, 50));
  // Data, zero window: never.
  EXPECT_FALSE(seq_segment_acceptable(100, 1, 100, 0));
  // Data, open window: either end inside.
  EXPECT_TRUE(seq_segment_acceptable(90, 11, 100, 50));
  EXPECT_FALSE(seq_segment_acceptable(90, 10, 100, 50));
  EXPECT_TRUE(seq_segment_acceptable(149, 100, 100, 50));
  EXPECT_FALSE(seq_segment_acceptable(150, 1, 100, 50));
}

}  // namespace
}  // namespace tcpref::tcp
