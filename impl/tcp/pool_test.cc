#include "impl/tcp/pool.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

TEST(Pool, AllocatesUpToCapacityThenRefuses) {
  Pool<int> pool(3);
  EXPECT_TRUE(pool.allocate().has_value());
  EXPECT_TRUE(pool.allocate().has_value());
  EXPECT_TRUE(pool.allocate().has_value());
  EXPECT_TRUE(pool.full());
  EXPECT_FALSE(pool.allocate().has_value());
  EXPECT_EQ(pool.size(), 3u);
}

TEST(Pool, ReleaseBumpsGenerationAndResetsSlot) {
  Pool<int> pool(1);
  const uint32_t a = *pool.allocate();
  pool[a] = 42;
  const uint32_t gen = pool.generation(a);
  pool.release(a);
  EXPECT_FALSE(pool.in_use(a));
  EXPECT_EQ(pool.generation(a), gen + 1);
  const uint32_t b = *pool.allocate();
  EXPECT_EQ(b, a);
  EXPECT_EQ(pool[b], 0);         // value-initialised again
  EXPECT_FALSE(pool.in_use(7));  // out of range is not in use
}

// Slots are constructed only when first reached (memory follows use), in
// index order, and released ones are taken back last-released-first.
TEST(Pool, ReachesSlotsOnlyAsNeeded) {
  Pool<int> pool(1000000);
  EXPECT_EQ(pool.capacity(), 1000000u);
  EXPECT_EQ(pool.reached(), 0u);
  EXPECT_FALSE(pool.in_use(0));
  EXPECT_EQ(pool.generation(5), 0u);
  EXPECT_EQ(*pool.allocate(), 0u);
  EXPECT_EQ(*pool.allocate(), 1u);
  EXPECT_EQ(*pool.allocate(), 2u);
  pool.release(0);
  pool.release(2);
  EXPECT_EQ(pool.reached(), 3u);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(*pool.allocate(), 2u);
  EXPECT_EQ(*pool.allocate(), 0u);
  EXPECT_EQ(*pool.allocate(), 3u);
  EXPECT_EQ(pool.reached(), 4u);
  EXPECT_FALSE(pool.full());
}

}  // namespace
}  // namespace tcpref::tcp
