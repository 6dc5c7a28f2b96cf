// The in-memory link: its impairment schedule on its own, then two stacks
// talking through it with raw segments (a SYN from A to B's listener; A has
// no socket, so it resets B's SYN-ACK).
#include "impl/tcp/testing/link.h"

#include <gtest/gtest.h>

#include <vector>

#include "impl/tcp/testing/harness.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr Time kT0 = seconds(50);

TEST(ImpairmentSchedule, NoImpairmentDeliversOnceAfterTheDelay) {
  ImpairmentSchedule s({.delay = milliseconds(3)}, 7);
  for (int i = 0; i < 1000; ++i) {
    const PacketFate f = s.next(kT0 + milliseconds(i));
    ASSERT_EQ(f.copies, 1);
    EXPECT_EQ(f.arrive[0], kT0 + milliseconds(i + 3));
    EXPECT_FALSE(f.reordered);
  }
}

TEST(ImpairmentSchedule, CertainLossAndDuplication) {
  ImpairmentSchedule lossy({.loss_ppm = 1'000'000}, 1);
  EXPECT_EQ(lossy.next(kT0).copies, 0);
  ImpairmentSchedule dup({.duplicate_ppm = 1'000'000}, 1);
  const PacketFate f = dup.next(kT0);
  ASSERT_EQ(f.copies, 2);
  EXPECT_EQ(f.arrive[0], kT0 + milliseconds(1));
  EXPECT_GT(f.arrive[1], kT0 + milliseconds(1));
  EXPECT_LE(f.arrive[1], kT0 + milliseconds(6));  // delay + reorder window
}

// Rates follow the configured probabilities (a fixed seed, so this is a
// deterministic check of the arithmetic, not a statistical gamble).
TEST(ImpairmentSchedule, RatesMatchConfiguration) {
  ImpairmentSchedule s(
      {.loss_ppm = 100'000, .duplicate_ppm = 50'000, .reorder_ppm = 200'000},
      42);
  int lost = 0, dup = 0, reordered = 0;
  constexpr int kN = 100'000;
  for (int i = 0; i < kN; ++i) {
    const PacketFate f = s.next(kT0);
    lost += f.copies == 0;
    dup += f.copies == 2;
    reordered += f.reordered;
  }
  EXPECT_NEAR(lost, kN * 0.10, kN * 0.01);
  EXPECT_NEAR(dup, kN * 0.90 * 0.05, kN * 0.01);
  EXPECT_NEAR(reordered, kN * 0.90 * 0.20, kN * 0.01);
}

TEST(ImpairmentSchedule, SeedNamesTheSchedule) {
  const LinkImpairments imp{.loss_ppm = 300'000, .reorder_ppm = 300'000};
  ImpairmentSchedule x(imp, 9), y(imp, 9), z(imp, 10);
  int differ = 0;
  for (int i = 0; i < 200; ++i) {
    const PacketFate fx = x.next(kT0), fy = y.next(kT0), fz = z.next(kT0);
    ASSERT_EQ(fx.copies, fy.copies);
    ASSERT_EQ(fx.arrive, fy.arrive);
    differ += fx.copies != fz.copies || fx.arrive != fz.arrive;
  }
  EXPECT_GT(differ, 0);
}

std::vector<uint8_t> Emit(const wire::Segment& s) {
  std::vector<uint8_t> out(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, out), out.size());
  return out;
}

// A client segment from A (198.18.0.2) to B (198.18.0.1).
std::vector<uint8_t> FromA(wire::Segment s) {
  s.src_addr = kClientAddr;
  s.dst_addr = kServerAddr;
  s.src_port = kClientPort;
  s.dst_port = kServerPort;
  return Emit(s);
}

struct Trace {
  struct Entry {
    Side from;
    wire::Segment segment;  // payload not kept
    Time at;
  };
  void Attach(Link& link) {
    link.set_tap([this](Side from, std::span<const uint8_t> p, Time at) {
      const wire::PacketParse parsed = wire::parse_packet(p);
      ASSERT_TRUE(parsed.ok());
      wire::Segment s = parsed.segment;
      s.payload = {};
      entries.push_back({from, s, at});
    });
  }
  std::vector<Entry> entries;
};

// SYN → B's SYN-ACK → A has no socket and resets it → B drops the request
// sock. Each hop takes exactly the link delay.
TEST(Link, RawSynIsAnsweredAndResetAcrossTheLink) {
  Link link(Harness::DefaultConfig(), Harness::DefaultConfig(),
            {.a_to_b = {.delay = milliseconds(2)},
             .b_to_a = {.delay = milliseconds(2)}});
  Trace trace;
  trace.Attach(link);
  const ListenerId l = link.b().listen({kServerAddr, kServerPort}, {});
  ASSERT_TRUE(l.valid());
  const Time t0 = link.now();
  link.send_from(Side::kA,
                 FromA({.seq = kIrs, .flags = kSyn, .window = 65535}));
  ASSERT_TRUE(link.run_until(
      [&] { return link.b().counters().EmbryonicRsts == 1; }, t0 + seconds(1)));
  EXPECT_EQ(link.now(), t0 + milliseconds(6));
  EXPECT_EQ(link.b().syn_queue_length(l), 0u);
  EXPECT_EQ(link.a().counters().NoSocket, 1u);
  ASSERT_EQ(trace.entries.size(), 3u);
  EXPECT_EQ(trace.entries[0].from, Side::kA);
  EXPECT_EQ(trace.entries[0].segment.flags, kSyn);
  EXPECT_EQ(trace.entries[1].from, Side::kB);
  EXPECT_EQ(trace.entries[1].segment.flags, kSyn | kAck);
  EXPECT_EQ(trace.entries[1].at, t0 + milliseconds(4));
  EXPECT_EQ(trace.entries[2].from, Side::kA);
  EXPECT_EQ(trace.entries[2].segment.flags, kRst);
  EXPECT_EQ(trace.entries[2].segment.seq, kIrs + 1);
  EXPECT_EQ(link.in_flight(), 0u);
}

// With every B→A packet lost the link steps through B's SYN-ACK timers:
// retransmissions after 1, 2, 4, 8 and 16 s, then the request sock expires
// 32 s after the last one (synack_retries = 5).
TEST(Link, StepsTimeThroughTimersWhenPacketsAreLost) {
  Link link(Harness::DefaultConfig(), Harness::DefaultConfig(),
            {.b_to_a = {.loss_ppm = 1'000'000}});
  const ListenerId l = link.b().listen({kServerAddr, kServerPort}, {});
  const Time t0 = link.now();
  link.send_from(Side::kA,
                 FromA({.seq = kIrs, .flags = kSyn, .window = 65535}));
  ASSERT_TRUE(link.run_until(
      [&] { return link.now() > t0 && link.b().syn_queue_length(l) == 0; },
      t0 + seconds(120)));
  EXPECT_EQ(link.now(), t0 + milliseconds(1) + seconds(63));
  EXPECT_EQ(link.b().counters().TCPSynRetrans, 5u);
  EXPECT_EQ(link.stats(Side::kB).sent, 6u);
  EXPECT_EQ(link.stats(Side::kB).lost, 6u);
  EXPECT_EQ(link.stats(Side::kB).delivered, 0u);
  EXPECT_EQ(link.b().next_timer(), std::nullopt);
}

// RSTs are never answered, so they show the wire alone: in order without
// reordering, a different order (same packets) with it.
std::vector<uint32_t> ArrivalOrder(const LinkConfig& config, uint32_t n) {
  Link link(Harness::DefaultConfig(), Harness::DefaultConfig(), config);
  std::vector<uint32_t> seqs;
  link.set_tap([&](Side, std::span<const uint8_t> p, Time) {
    seqs.push_back(wire::parse_packet(p).segment.seq);
  });
  for (uint32_t i = 0; i < n; ++i) {
    link.send_from(Side::kA, FromA({.seq = i, .flags = kRst}));
    EXPECT_FALSE(
        link.run_until([] { return false; }, link.now() + milliseconds(1) / 2));
  }
  EXPECT_FALSE(link.run_until([] { return false; }, link.now() + seconds(1)));
  EXPECT_EQ(link.in_flight(), 0u);
  return seqs;
}

TEST(Link, ReorderingChangesOrderNotContent) {
  constexpr uint32_t kN = 200;
  const std::vector<uint32_t> plain = ArrivalOrder({}, kN);
  ASSERT_EQ(plain.size(), kN);
  for (uint32_t i = 0; i < kN; ++i) EXPECT_EQ(plain[i], i);
  std::vector<uint32_t> shuffled =
      ArrivalOrder({.a_to_b = {.reorder_ppm = 300'000}}, kN);
  EXPECT_NE(shuffled, plain);
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, plain);
}

TEST(Link, DuplicationAndLossAreCounted) {
  const std::vector<uint32_t> dup =
      ArrivalOrder({.a_to_b = {.duplicate_ppm = 1'000'000}}, 10);
  EXPECT_EQ(dup.size(), 20u);
  const std::vector<uint32_t> lossy =
      ArrivalOrder({.a_to_b = {.loss_ppm = 500'000}, .seed = 3}, 100);
  EXPECT_GT(lossy.size(), 20u);
  EXPECT_LT(lossy.size(), 80u);
}

TEST(Link, SameSeedSameConversation) {
  const LinkConfig c{.a_to_b = {.loss_ppm = 200'000, .reorder_ppm = 300'000},
                     .seed = 11};
  EXPECT_EQ(ArrivalOrder(c, 100), ArrivalOrder(c, 100));
}

// Bounded: the wire holds at most max_in_flight packets; run_until stops
// after max_steps.
TEST(Link, BoundsInFlightAndSteps) {
  Link link(Harness::DefaultConfig(), Harness::DefaultConfig(),
            {.max_in_flight = 4, .max_steps = 3});
  // 100 µs apart, so each arrives in a step of its own.
  for (uint32_t i = 0; i < 6; ++i) {
    link.send_from(Side::kA, FromA({.seq = i, .flags = kRst}));
    EXPECT_FALSE(link.run_until([] { return false; },
                                link.now() + std::chrono::microseconds(100)));
  }
  EXPECT_EQ(link.in_flight(), 4u);
  EXPECT_EQ(link.stats(Side::kA).overflow, 2u);
  int checks = 0;
  EXPECT_FALSE(link.run_until([&] { return ++checks > 100; },
                              link.now() + seconds(100)));
  // Three steps, each after a check, then the check that finds the budget
  // spent; one packet is still on the wire.
  EXPECT_EQ(checks, 4);
  EXPECT_EQ(link.in_flight(), 1u);
}

}  // namespace
}  // namespace tcpref::tcp::testing
