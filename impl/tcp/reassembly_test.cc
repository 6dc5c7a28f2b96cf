// Reassembly: unit cases per rule, and properties that any permutation,
// duplication and overlap of a byte stream's pieces yields exactly the
// stream, in order, once.
#include "impl/tcp/reassembly.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "impl/tcp/seq.h"

namespace tcpref::tcp {
namespace {

constexpr uint32_t kIsn = 1000;

std::vector<uint8_t> Stream(uint32_t n) {
  std::vector<uint8_t> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + i / 251);
  return v;
}

// A receiver: ring, range slots, receive buffer and RCV.NXT, as a
// connection holds them. RCV.WND is the receive buffer's free space.
struct Receiver {
  Receiver(uint32_t ring, uint32_t slots, uint32_t rx_size, uint32_t isn)
      : ring_storage(ring),
        slot_storage(slots),
        rx_storage(rx_size),
        queue(ring_storage, slot_storage),
        rx(rx_storage),
        rcv_nxt(isn) {}

  ReassemblyResult Insert(uint32_t seq, std::span<const uint8_t> bytes) {
    return queue.insert(seq, bytes, rcv_nxt, rx.free(), rx);
  }
  std::vector<uint8_t> Read() {
    std::vector<uint8_t> out(rx.size());
    rx.pop(out);
    return out;
  }

  std::vector<uint8_t> ring_storage;
  std::vector<OooRange> slot_storage;
  std::vector<uint8_t> rx_storage;
  Reassembly queue;
  ReceiveBuffer rx;
  uint32_t rcv_nxt;
};

std::span<const uint8_t> Piece(const std::vector<uint8_t>& s, uint32_t from,
                               uint32_t to) {
  return std::span<const uint8_t>(s).subspan(from, to - from);
}

TEST(Reassembly, RingIsLargestPowerOfTwoThatFits) {
  std::vector<uint8_t> storage(3000);
  std::vector<OooRange> slots(4);
  EXPECT_EQ(Reassembly(storage, slots).ring_size(), 2048u);
  EXPECT_EQ(Reassembly({}, slots).ring_size(), 0u);
}

TEST(Reassembly, InOrderDataGoesStraightToReceiveBuffer) {
  Receiver r(1024, 4, 1024, kIsn);
  const auto s = Stream(100);
  const ReassemblyResult res = r.Insert(kIsn, s);
  EXPECT_EQ(res.delivered, 100u);
  EXPECT_FALSE(res.out_of_order);
  EXPECT_FALSE(res.filled_gap);
  EXPECT_EQ(r.rcv_nxt, kIsn + 100);
  EXPECT_TRUE(r.queue.empty());
  EXPECT_EQ(r.Read(), s);
}

TEST(Reassembly, OutOfOrderIsHeldUntilTheGapFills) {
  Receiver r(1024, 4, 1024, kIsn);
  const auto s = Stream(300);
  ReassemblyResult res = r.Insert(kIsn + 200, Piece(s, 200, 300));
  EXPECT_TRUE(res.out_of_order);
  EXPECT_EQ(res.queued, 100u);
  EXPECT_EQ(res.delivered, 0u);
  EXPECT_EQ(r.rcv_nxt, kIsn);
  res = r.Insert(kIsn + 100, Piece(s, 100, 200));
  EXPECT_EQ(res.queued, 100u);
  ASSERT_EQ(r.queue.range_count(), 1u);  // touching ranges merge
  EXPECT_EQ(r.queue.ranges()[0].left, kIsn + 100);
  EXPECT_EQ(r.queue.ranges()[0].right, kIsn + 300);
  res = r.Insert(kIsn, Piece(s, 0, 100));
  EXPECT_EQ(res.delivered, 300u);
  EXPECT_TRUE(res.filled_gap);
  EXPECT_EQ(r.rcv_nxt, kIsn + 300);
  EXPECT_TRUE(r.queue.empty());
  EXPECT_EQ(r.Read(), s);
}

// RFC 9293 §3.10.7.4: the part before RCV.NXT is trimmed, the rest kept.
TEST(Reassembly, OverlapWithReceivedDataIsTrimmed) {
  Receiver r(1024, 4, 1024, kIsn);
  const auto s = Stream(150);
  ASSERT_EQ(r.Insert(kIsn, Piece(s, 0, 100)).delivered, 100u);
  const ReassemblyResult res = r.Insert(kIsn + 50, Piece(s, 50, 150));
  EXPECT_EQ(res.duplicate, 50u);
  EXPECT_EQ(res.delivered, 50u);
  EXPECT_EQ(r.Read(), s);
  const ReassemblyResult old = r.Insert(kIsn, Piece(s, 0, 150));
  EXPECT_EQ(old.duplicate, 150u);
  EXPECT_EQ(old.delivered, 0u);
  EXPECT_EQ(r.rcv_nxt, kIsn + 150);
}

TEST(Reassembly, DuplicateOutOfOrderBytesAreCountedOnce) {
  Receiver r(1024, 4, 1024, kIsn);
  const auto s = Stream(400);
  ASSERT_EQ(r.Insert(kIsn + 100, Piece(s, 100, 200)).queued, 100u);
  const ReassemblyResult res = r.Insert(kIsn + 150, Piece(s, 150, 300));
  EXPECT_EQ(res.queued, 100u);
  EXPECT_EQ(res.duplicate, 50u);
  EXPECT_EQ(r.queue.queued_bytes(), 200u);
}

// Out-of-order bytes are kept only within min(RCV.WND, ring size).
TEST(Reassembly, BytesBeyondWindowOrRingAreDropped) {
  Receiver r(256, 4, 1024, kIsn);
  const auto s = Stream(400);
  ReassemblyResult res = r.Insert(kIsn + 200, Piece(s, 200, 400));
  EXPECT_EQ(res.queued, 56u);  // ring covers [kIsn, kIsn + 256)
  EXPECT_EQ(res.dropped, 144u);
  res = r.queue.insert(kIsn + 10, Piece(s, 10, 20), r.rcv_nxt, 5, r.rx);
  EXPECT_EQ(res.dropped, 10u);  // window of 5 bytes
  EXPECT_EQ(res.queued, 0u);
}

TEST(Reassembly, InOrderBytesBeyondTheWindowAreDropped) {
  Receiver r(1024, 4, 1024, kIsn);
  const auto s = Stream(100);
  const ReassemblyResult res =
      r.queue.insert(kIsn, Piece(s, 0, 100), r.rcv_nxt, 60, r.rx);
  EXPECT_EQ(res.delivered, 60u);
  EXPECT_EQ(res.dropped, 40u);
  EXPECT_EQ(r.rcv_nxt, kIsn + 60);
}

// When every slot is taken, data nearer RCV.NXT evicts the highest range;
// data above every range is not kept.
TEST(Reassembly, FullSlotsEvictTheHighestRange) {
  Receiver r(1024, 2, 1024, kIsn);
  const auto s = Stream(1000);
  ASSERT_EQ(r.Insert(kIsn + 300, Piece(s, 300, 400)).queued, 100u);
  ASSERT_EQ(r.Insert(kIsn + 500, Piece(s, 500, 600)).queued, 100u);
  ReassemblyResult res = r.Insert(kIsn + 700, Piece(s, 700, 800));
  EXPECT_EQ(res.dropped, 100u);
  EXPECT_EQ(res.evicted, 0u);
  res = r.Insert(kIsn + 100, Piece(s, 100, 200));
  EXPECT_EQ(res.queued, 100u);
  EXPECT_EQ(res.evicted, 100u);
  ASSERT_EQ(r.queue.range_count(), 2u);
  EXPECT_EQ(r.queue.ranges()[0].left, kIsn + 100);
  EXPECT_EQ(r.queue.ranges()[1].left, kIsn + 300);
  // Extending an existing range needs no slot.
  res = r.Insert(kIsn + 400, Piece(s, 400, 450));
  EXPECT_EQ(res.queued, 50u);
  EXPECT_EQ(res.evicted, 0u);
}

// A partly full receive buffer takes what fits; the rest stays queued.
TEST(Reassembly, DeliveryStopsWhenReceiveBufferIsFull) {
  Receiver r(1024, 4, 150, kIsn);
  const auto s = Stream(200);
  ASSERT_EQ(
      r.queue.insert(kIsn + 100, Piece(s, 100, 200), r.rcv_nxt, 1024, r.rx)
          .queued,
      100u);
  const ReassemblyResult res = r.Insert(kIsn, Piece(s, 0, 100));
  EXPECT_EQ(res.delivered, 150u);
  EXPECT_EQ(r.rcv_nxt, kIsn + 150);
  ASSERT_EQ(r.queue.range_count(), 1u);
  EXPECT_EQ(r.queue.ranges()[0].left, kIsn + 150);
  std::vector<uint8_t> got = r.Read();
  // Nothing new arrives, but a retransmission at RCV.NXT pulls the rest.
  EXPECT_EQ(r.Insert(kIsn + 150, Piece(s, 150, 160)).delivered, 50u);
  const std::vector<uint8_t> rest = r.Read();
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_EQ(got, s);
}

TEST(Reassembly, SequenceNumbersWrapAround) {
  const uint32_t isn = 0xFFFFFF00u;
  Receiver r(1024, 4, 1024, isn);
  const auto s = Stream(512);
  ASSERT_EQ(r.Insert(isn + 300, Piece(s, 300, 512)).queued, 212u);
  ASSERT_EQ(r.Insert(isn + 100, Piece(s, 100, 300)).queued, 200u);
  EXPECT_EQ(r.Insert(isn, Piece(s, 0, 100)).delivered, 512u);
  EXPECT_EQ(r.rcv_nxt, isn + 512);
  EXPECT_EQ(r.Read(), s);
}

// RFC 2018 §4 and the §3 example (500-byte segments from 5000, the 2nd,
// 4th and 6th lost): the newest block first, then the others by recency.
TEST(Reassembly, SackBlocksMostRecentFirst) {
  Receiver r(8192, 4, 8192, 5000);
  const auto s = Stream(4000);
  auto seg = [&](uint32_t i) {
    return r.Insert(5000 + 500 * i, Piece(s, 500 * i, 500 * (i + 1)));
  };
  seg(0);
  seg(2);
  seg(4);
  seg(6);
  std::array<wire::SackBlock, 4> b{};
  ASSERT_EQ(r.queue.sack_blocks(b), 3u);
  EXPECT_EQ(b[0], (wire::SackBlock{8000, 8500}));
  EXPECT_EQ(b[1], (wire::SackBlock{7000, 7500}));
  EXPECT_EQ(b[2], (wire::SackBlock{6000, 6500}));
  seg(3);  // 6500–7000 joins 6000–6500 and 7000–7500
  ASSERT_EQ(r.queue.sack_blocks(b), 2u);
  EXPECT_EQ(b[0], (wire::SackBlock{6000, 7500}));
  EXPECT_EQ(b[1], (wire::SackBlock{8000, 8500}));
  std::array<wire::SackBlock, 1> one{};
  ASSERT_EQ(r.queue.sack_blocks(one), 1u);
  EXPECT_EQ(one[0], (wire::SackBlock{6000, 7500}));
}

// Pieces that cover [0, n) plus arbitrary extra overlapping pieces, each
// possibly duplicated, in a random order.
std::vector<std::pair<uint32_t, uint32_t>> GenPieces(uint32_t n) {
  std::vector<uint32_t> cuts = *rc::gen::container<std::vector<uint32_t>>(
      rc::gen::inRange<uint32_t>(1, n));
  cuts.push_back(0);
  cuts.push_back(n);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<std::pair<uint32_t, uint32_t>> pieces;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    pieces.emplace_back(cuts[i], cuts[i + 1]);
  }
  const auto extra = *rc::gen::inRange<size_t>(0, 10);
  for (size_t i = 0; i < extra; ++i) {
    const auto a = *rc::gen::inRange<uint32_t>(0, n);
    const auto b = *rc::gen::inRange<uint32_t>(a + 1, n + 1);
    pieces.emplace_back(a, b);
  }
  const auto dups = *rc::gen::inRange<size_t>(0, pieces.size() + 1);
  for (size_t i = 0; i < dups; ++i) {
    pieces.push_back(pieces[*rc::gen::inRange<size_t>(0, pieces.size())]);
  }
  // Fisher–Yates with generated choices, so RapidCheck can shrink them.
  for (size_t i = pieces.size(); i > 1; --i) {
    std::swap(pieces[i - 1], pieces[*rc::gen::inRange<size_t>(0, i)]);
  }
  return pieces;
}

RC_GTEST_PROP(ReassemblyProp, AnyOrderDuplicationOverlapYieldsTheStream, ()) {
  const auto n = *rc::gen::inRange<uint32_t>(1, 3000);
  const auto ring = 1u << *rc::gen::inRange(6, 13);
  const auto slots = *rc::gen::inRange<uint32_t>(1, 9);
  const auto rx_size = *rc::gen::inRange<uint32_t>(1, 4096);
  const uint32_t isn = *rc::gen::arbitrary<uint32_t>();
  const auto s = Stream(n);
  const auto pieces = GenPieces(n);
  Receiver r(ring, slots, rx_size, isn);
  std::vector<uint8_t> got;
  uint64_t delivered = 0;
  // Pieces that found no room are offered again, as a sender retransmits;
  // the reader drains at random points and always after a round.
  for (uint32_t round = 0; got.size() < n; ++round) {
    RC_ASSERT(round <= n + 1);
    for (const auto& [a, b] : pieces) {
      const uint32_t before = r.rcv_nxt;
      const ReassemblyResult res = r.Insert(isn + a, Piece(s, a, b));
      RC_ASSERT(res.duplicate + res.queued + res.dropped <= b - a);
      RC_ASSERT(r.rcv_nxt - before == res.delivered);
      delivered += res.delivered;
      if (*rc::gen::inRange(0, 4) == 0) {
        const auto more = r.Read();
        got.insert(got.end(), more.begin(), more.end());
      }
    }
    const auto more = r.Read();
    got.insert(got.end(), more.begin(), more.end());
  }
  RC_ASSERT(got == s);
  RC_ASSERT(delivered == n);
  RC_ASSERT(r.rcv_nxt == isn + n);
  RC_ASSERT(r.queue.empty());
}

// After any kept out-of-order segment the first SACK block covers it, and
// the blocks are disjoint and above RCV.NXT (RFC 2018 §4).
RC_GTEST_PROP(ReassemblyProp, FirstSackBlockHoldsTheNewestSegment, ()) {
  const uint32_t n = 2000;
  const uint32_t isn = *rc::gen::arbitrary<uint32_t>();
  const auto s = Stream(n);
  Receiver r(4096, *rc::gen::inRange<uint32_t>(1, 6), 4096, isn);
  const auto count = *rc::gen::inRange(1, 40);
  for (int k = 0; k < count; ++k) {
    const auto a = *rc::gen::inRange<uint32_t>(0, n);
    const auto b = *rc::gen::inRange<uint32_t>(a + 1, std::min(n, a + 300) + 1);
    const ReassemblyResult res = r.Insert(isn + a, Piece(s, a, b));
    std::array<wire::SackBlock, 4> blocks{};
    const uint32_t nb = r.queue.sack_blocks(blocks);
    RC_ASSERT(nb == std::min<uint32_t>(4, r.queue.range_count()));
    if (res.out_of_order && res.dropped == 0) {
      RC_ASSERT(nb >= 1u);
      RC_ASSERT(seq_before_eq(blocks[0].left, isn + a));
      RC_ASSERT(seq_after_eq(blocks[0].right, isn + b));
    }
    for (uint32_t i = 0; i < nb; ++i) {
      RC_ASSERT(seq_after(blocks[i].left, r.rcv_nxt));
      RC_ASSERT(seq_before(blocks[i].left, blocks[i].right));
      for (uint32_t j = i + 1; j < nb; ++j) {
        RC_ASSERT(seq_before(blocks[i].right, blocks[j].left) ||
                  seq_before(blocks[j].right, blocks[i].left));
      }
    }
  }
}

}  // namespace
}  // namespace tcpref::tcp
