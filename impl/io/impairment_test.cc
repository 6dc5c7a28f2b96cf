#include "impl/io/impairment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace tcpref::io {
namespace {

using std::chrono::microseconds;

// Records which packets came out, by their first byte.
class Recorder : public PacketOut {
 public:
  void deliver(std::span<const uint8_t> packet) override {
    ids.push_back(packet.empty() ? -1 : packet[0]);
  }
  std::vector<int> ids;
};

std::vector<uint8_t> packet(uint8_t id) { return std::vector<uint8_t>(40, id); }

ImpairmentConfig parsed(const char* spec) {
  auto r = parse_impairment(spec);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : ImpairmentConfig{};
}

TEST(ParseImpairment, ReadsEveryKey) {
  const ImpairmentConfig c =
      parsed("loss=3%,reorder=5%,duplicate=1%,seed=42,delay=2ms");
  EXPECT_EQ(c.loss_ppm, 30000u);
  EXPECT_EQ(c.reorder_ppm, 50000u);
  EXPECT_EQ(c.duplicate_ppm, 10000u);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.reorder_delay, microseconds(2000));
  EXPECT_TRUE(c.enabled());
}

TEST(ParseImpairment, DecimalsAndMicroseconds) {
  const ImpairmentConfig c = parsed("loss=0.5%,duplicate=0.0001%,delay=500us");
  EXPECT_EQ(c.loss_ppm, 5000u);
  EXPECT_EQ(c.duplicate_ppm, 1u);
  EXPECT_EQ(c.reorder_delay, microseconds(500));
}

TEST(ParseImpairment, EmptyMeansNoImpairment) {
  EXPECT_FALSE(parsed("").enabled());
  EXPECT_FALSE(parsed("seed=3").enabled());
}

TEST(ParseImpairment, RejectsWithAReason) {
  for (const char* bad :
       {"loss", "loss=3", "loss=101%", "loss=%", "loss=1.%", "loss=0.00001%",
        "jitter=1%", "seed=-1", "seed=x", "delay=2", "delay=ms", "loss=3%,"}) {
    auto r = parse_impairment(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(r.error().empty()) << bad;
  }
}

TEST(ParseImpairment, ToStringRoundTrips) {
  const ImpairmentConfig c =
      parsed("loss=2.5%,reorder=5%,duplicate=1%,seed=9,delay=750us");
  const ImpairmentConfig again = parsed(to_string(c).c_str());
  EXPECT_EQ(again.loss_ppm, c.loss_ppm);
  EXPECT_EQ(again.reorder_ppm, c.reorder_ppm);
  EXPECT_EQ(again.duplicate_ppm, c.duplicate_ppm);
  EXPECT_EQ(again.seed, c.seed);
  EXPECT_EQ(again.reorder_delay, c.reorder_delay);
}

TEST(Impairment, DisabledPassesEverythingInOrder) {
  Impairment imp(ImpairmentConfig{}, 0, 1500);
  Recorder out;
  for (uint8_t i = 0; i < 10; ++i) imp.process(packet(i), microseconds(i), out);
  EXPECT_EQ(out.ids, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_FALSE(imp.next_deadline());
}

TEST(Impairment, FullLossDropsEverything) {
  Impairment imp(parsed("loss=100%"), 0, 1500);
  Recorder out;
  for (uint8_t i = 0; i < 10; ++i) imp.process(packet(i), microseconds(0), out);
  EXPECT_TRUE(out.ids.empty());
  EXPECT_EQ(imp.stats().dropped, 10u);
}

TEST(Impairment, FullDuplicationSendsTwoCopies) {
  Impairment imp(parsed("duplicate=100%"), 0, 1500);
  Recorder out;
  imp.process(packet(1), microseconds(0), out);
  imp.process(packet(2), microseconds(0), out);
  EXPECT_EQ(out.ids, (std::vector<int>{1, 1, 2, 2}));
  EXPECT_EQ(imp.stats().duplicated, 2u);
}

TEST(Impairment, FullReorderSwapsNeighbours) {
  // One packet is held; the next one overtakes it and releases it.
  Impairment imp(parsed("reorder=100%"), 0, 1500);
  Recorder out;
  for (uint8_t i = 1; i <= 4; ++i) imp.process(packet(i), microseconds(0), out);
  EXPECT_EQ(out.ids, (std::vector<int>{2, 1, 4, 3}));
  EXPECT_EQ(imp.stats().reordered, 2u);
}

TEST(Impairment, HeldPacketLeavesWhenItsDelayRunsOut) {
  Impairment imp(parsed("reorder=100%,delay=2ms"), 0, 1500);
  Recorder out;
  imp.process(packet(7), microseconds(1000), out);
  EXPECT_TRUE(out.ids.empty());
  ASSERT_TRUE(imp.next_deadline());
  EXPECT_EQ(*imp.next_deadline(), microseconds(3000));
  imp.release_due(microseconds(2999), out);
  EXPECT_TRUE(out.ids.empty());
  imp.release_due(microseconds(3000), out);
  EXPECT_EQ(out.ids, (std::vector<int>{7}));
  EXPECT_EQ(imp.stats().delayed, 1u);
  EXPECT_FALSE(imp.next_deadline());
}

TEST(Impairment, PacketsLargerThanTheHoldBufferAreNeverHeld) {
  Impairment imp(parsed("reorder=100%"), 0, 16);
  Recorder out;
  imp.process(packet(1), microseconds(0), out);  // 40 bytes > 16
  EXPECT_EQ(out.ids, (std::vector<int>{1}));
}

std::vector<int> run(const ImpairmentConfig& c, uint64_t stream) {
  Impairment imp(c, stream, 1500);
  Recorder out;
  for (int i = 0; i < 2000; ++i) {
    imp.process(packet(static_cast<uint8_t>(i)), microseconds(i * 10), out);
    imp.release_due(microseconds(i * 10), out);
  }
  return out.ids;
}

TEST(Impairment, SameSeedSameOutcome) {
  const ImpairmentConfig c = parsed("loss=3%,reorder=5%,duplicate=1%,seed=11");
  EXPECT_EQ(run(c, 0), run(c, 0));
}

TEST(Impairment, SeedsAndStreamsDiffer) {
  const ImpairmentConfig a = parsed("loss=3%,reorder=5%,duplicate=1%,seed=11");
  const ImpairmentConfig b = parsed("loss=3%,reorder=5%,duplicate=1%,seed=12");
  EXPECT_NE(run(a, 0), run(b, 0));
  EXPECT_NE(run(a, 0), run(a, 1));
}

TEST(Impairment, RatesMatchTheConfiguration) {
  // Seeded, so this is exact and repeatable; the bounds say the dice are
  // fair enough (±20% of the target over 100,000 packets).
  Impairment imp(parsed("loss=3%,reorder=5%,duplicate=1%,seed=5"), 0, 1500);
  Recorder out;
  const std::vector<uint8_t> p = packet(0);
  for (int i = 0; i < 100000; ++i) imp.process(p, microseconds(i), out);
  const ImpairmentStats& s = imp.stats();
  EXPECT_EQ(s.passed, 100000u);
  EXPECT_NEAR(static_cast<double>(s.dropped), 3000, 600);
  EXPECT_NEAR(static_cast<double>(s.duplicated), 970 * 0.95, 200);
  EXPECT_NEAR(static_cast<double>(s.reordered), 4600, 920);
  // Nothing vanishes except by loss; nothing appears except by duplication.
  EXPECT_EQ(out.ids.size() + (imp.next_deadline() ? 1 : 0),
            s.passed - s.dropped + s.duplicated);
}

}  // namespace
}  // namespace tcpref::io
