// SendBuffer against a std::deque model: whatever mix of writes, peeks at
// any offset and releases, the ring holds exactly the model's bytes.
#include "impl/tcp/send_buffer.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <deque>
#include <numeric>
#include <vector>

namespace tcpref::tcp {
namespace {

std::vector<uint8_t> Bytes(uint32_t n, uint8_t first) {
  std::vector<uint8_t> v(n);
  std::iota(v.begin(), v.end(), first);
  return v;
}

TEST(SendBuffer, AppendIsBoundedByCapacity) {
  std::vector<uint8_t> storage(8);
  SendBuffer b(storage);
  EXPECT_EQ(b.append(Bytes(5, 0)), 5u);
  EXPECT_EQ(b.append(Bytes(5, 5)), 3u);
  EXPECT_EQ(b.size(), 8u);
  EXPECT_EQ(b.free(), 0u);
  EXPECT_EQ(b.append(Bytes(1, 0)), 0u);
}

TEST(SendBuffer, PeekReadsFromAnyOffsetWithoutConsuming) {
  std::vector<uint8_t> storage(8);
  SendBuffer b(storage);
  ASSERT_EQ(b.append(Bytes(6, 10)), 6u);
  std::vector<uint8_t> out(4);
  EXPECT_EQ(b.peek(2, out), 4u);
  EXPECT_EQ(out, (std::vector<uint8_t>{12, 13, 14, 15}));
  EXPECT_EQ(b.peek(4, out), 2u);  // only two bytes past offset 4
  EXPECT_EQ(out[0], 14);
  EXPECT_EQ(out[1], 15);
  EXPECT_EQ(b.peek(6, out), 0u);
  EXPECT_EQ(b.size(), 6u);
}

TEST(SendBuffer, ReleaseForgetsAckedBytesAndWrapsAround) {
  std::vector<uint8_t> storage(8);
  SendBuffer b(storage);
  ASSERT_EQ(b.append(Bytes(6, 0)), 6u);
  EXPECT_EQ(b.release(5), 5u);
  ASSERT_EQ(b.append(Bytes(7, 6)), 7u);  // wraps: storage index 6,7,0..4
  std::vector<uint8_t> out(8);
  ASSERT_EQ(b.peek(0, out), 8u);
  EXPECT_EQ(out, Bytes(8, 5));
  EXPECT_EQ(b.release(100), 8u);  // never more than held
  EXPECT_EQ(b.size(), 0u);
}

TEST(SendBuffer, EmptyStorageHoldsNothing) {
  SendBuffer b;
  EXPECT_EQ(b.append(Bytes(3, 0)), 0u);
  std::vector<uint8_t> out(3);
  EXPECT_EQ(b.peek(0, out), 0u);
  EXPECT_EQ(b.release(1), 0u);
}

RC_GTEST_PROP(SendBufferProp, MatchesDequeModel, ()) {
  const auto capacity = *rc::gen::inRange<uint32_t>(1, 64);
  std::vector<uint8_t> storage(capacity);
  SendBuffer b(storage);
  std::deque<uint8_t> model;
  uint8_t next = 0;
  const auto steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0: {  // write
        const auto n = *rc::gen::inRange<uint32_t>(0, 2 * capacity);
        std::vector<uint8_t> data(n);
        for (auto& x : data) x = next++;
        const uint32_t took = b.append(data);
        RC_ASSERT(took == std::min<uint32_t>(n, capacity - model.size()));
        model.insert(model.end(), data.begin(), data.begin() + took);
        next = static_cast<uint8_t>(next - (n - took));  // unsent bytes retried
        break;
      }
      case 1: {  // (re)transmit from any offset
        const auto offset = *rc::gen::inRange<uint32_t>(0, capacity + 2);
        std::vector<uint8_t> out(*rc::gen::inRange<uint32_t>(0, capacity + 2));
        const uint32_t got = b.peek(offset, out);
        const uint32_t expect =
            offset >= model.size()
                ? 0
                : std::min<uint32_t>(out.size(), model.size() - offset);
        RC_ASSERT(got == expect);
        for (uint32_t k = 0; k < got; ++k) {
          RC_ASSERT(out[k] == model[offset + k]);
        }
        break;
      }
      default: {  // ACK
        const auto n = *rc::gen::inRange<uint32_t>(0, capacity + 2);
        const uint32_t released = b.release(n);
        RC_ASSERT(released == std::min<uint32_t>(n, model.size()));
        model.erase(model.begin(), model.begin() + released);
        break;
      }
    }
    RC_ASSERT(b.size() == model.size());
    RC_ASSERT(b.free() == capacity - model.size());
  }
}

}  // namespace
}  // namespace tcpref::tcp
