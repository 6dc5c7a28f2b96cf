#include "impl/tcp/sack_scoreboard.h"

#include <gtest/gtest.h>

#include <vector>

namespace tcpref::tcp {
namespace {

using Blocks = std::vector<wire::SackBlock>;
constexpr uint32_t kUna = 0xFFFFF000;  // ranges cross the 2^32 wrap
constexpr uint32_t kNxt = kUna + 100000;

TEST(SackScoreboard, CountsOnlyNewlySackedBytes) {
  SackScoreboard b;
  EXPECT_EQ(b.update(Blocks{{kUna + 1000, kUna + 2000}}, kUna, kNxt), 1000u);
  EXPECT_EQ(b.update(Blocks{{kUna + 1000, kUna + 2000}}, kUna, kNxt), 0u);
  EXPECT_EQ(b.update(Blocks{{kUna + 1500, kUna + 3000}}, kUna, kNxt), 1000u);
}

TEST(SackScoreboard, IgnoresDsackAndBlocksBeyondSndNxt) {
  SackScoreboard b;
  EXPECT_EQ(b.update(Blocks{{kUna - 100, kUna}}, kUna, kNxt), 0u);
  EXPECT_EQ(b.update(Blocks{{kNxt - 10, kNxt + 10}}, kUna, kNxt), 0u);
  EXPECT_EQ(b.update(Blocks{{kUna + 10, kUna + 5}}, kUna, kNxt), 0u);
  EXPECT_TRUE(b.empty());
}

TEST(SackScoreboard, HolesBetweenRanges) {
  SackScoreboard b;
  (void)b.update(Blocks{{kUna + 3000, kUna + 4000}, {kUna + 1000, kUna + 2000}},
                 kUna, kNxt);
  EXPECT_EQ(b.hole_end(kUna, kNxt), kUna + 1000);
  EXPECT_EQ(b.skip_sacked(kUna + 1500), kUna + 2000);
  EXPECT_EQ(b.skip_sacked(kUna + 2500), kUna + 2500);
  EXPECT_EQ(b.hole_end(kUna + 2000, kNxt), kUna + 3000);
  EXPECT_TRUE(b.sacked_above(kUna + 2000));
  EXPECT_FALSE(b.sacked_above(kUna + 4000));
  b.advance(kUna + 2000);
  EXPECT_EQ(b.hole_end(kUna + 2000, kNxt), kUna + 3000);
  b.advance(kUna + 4000);
  EXPECT_TRUE(b.empty());
}

TEST(SackScoreboard, AdjacentRangesMerge) {
  SackScoreboard b;
  (void)b.update(Blocks{{kUna + 100, kUna + 200}}, kUna, kNxt);
  (void)b.update(Blocks{{kUna + 200, kUna + 300}}, kUna, kNxt);
  EXPECT_EQ(b.skip_sacked(kUna + 100), kUna + 300);
}

TEST(SackScoreboard, BoundedKeepsTheLowestRanges) {
  SackScoreboard b;
  for (uint32_t i = 0; i < SackScoreboard::kMaxRanges + 3; ++i) {
    (void)b.update(Blocks{{kUna + 1000 * i + 500, kUna + 1000 * i + 600}}, kUna,
                   kNxt);
  }
  EXPECT_EQ(b.skip_sacked(kUna + 500), kUna + 600);
  const uint32_t last = SackScoreboard::kMaxRanges - 1;
  EXPECT_TRUE(b.sacked_above(kUna + 1000 * last + 500));
  EXPECT_FALSE(b.sacked_above(kUna + 1000 * last + 600));
}

}  // namespace
}  // namespace tcpref::tcp
