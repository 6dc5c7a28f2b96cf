#include "impl/tcp/flow_index.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

TEST(FlowIndex, FindsInsertedSlotsAndForgetsErasedOnes) {
  FlowIndex index(8);
  // Slots 1, 2 and 3 all collide in one bucket (same hash).
  for (uint32_t s : {1u, 2u, 3u}) index.insert(s, 5);
  index.insert(4, 6);
  auto is = [](uint32_t want) { return [=](uint32_t s) { return s == want; }; };
  EXPECT_EQ(index.find(5, is(2)), 2u);
  EXPECT_EQ(index.find(5, is(4)), FlowIndex::kNone);  // other bucket
  EXPECT_EQ(index.find(6, is(4)), 4u);
  index.erase(2, 5);
  EXPECT_EQ(index.find(5, is(2)), FlowIndex::kNone);
  EXPECT_EQ(index.find(5, is(1)), 1u);
  EXPECT_EQ(index.find(5, is(3)), 3u);
  index.erase(3, 5);
  index.erase(1, 5);
  EXPECT_EQ(index.find(5, [](uint32_t) { return true; }), FlowIndex::kNone);
}

TEST(FlowIndex, CountsEveryMatchInTheChain) {
  FlowIndex index(8);
  for (uint32_t s : {1u, 2u, 3u}) index.insert(s, 5);
  index.insert(4, 6);
  auto odd = [](uint32_t s) { return s % 2 == 1; };
  EXPECT_EQ(index.count(5, odd), 2u);  // 1 and 3; 4 sits in another bucket
  EXPECT_EQ(index.count(6, odd), 0u);
  index.erase(3, 5);
  EXPECT_EQ(index.count(5, odd), 1u);
}

}  // namespace
}  // namespace tcpref::tcp
