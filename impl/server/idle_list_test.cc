#include "impl/server/idle_list.h"

#include <gtest/gtest.h>

namespace tcpref::server {
namespace {

using std::chrono::seconds;

TEST(IdleList, OldestIsTheLeastRecentlyTouched) {
  IdleList list(8);
  EXPECT_EQ(list.oldest(), std::nullopt);
  list.touch(3, seconds(1));
  list.touch(5, seconds(2));
  list.touch(1, seconds(3));
  EXPECT_EQ(list.oldest(), 3u);
  EXPECT_EQ(list.since(3), seconds(1));
  list.touch(3, seconds(4));  // progress moves it last
  EXPECT_EQ(list.oldest(), 5u);
  EXPECT_EQ(list.since(3), seconds(4));
  EXPECT_EQ(list.size(), 3u);
}

TEST(IdleList, RemoveFromHeadMiddleAndTail) {
  IdleList list(8);
  for (uint32_t s : {0u, 1u, 2u, 3u}) list.touch(s, seconds(s));
  list.remove(1);  // middle
  list.remove(3);  // tail
  list.remove(3);  // absent: nothing happens
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.oldest(), 0u);
  list.remove(0);  // head
  EXPECT_EQ(list.oldest(), 2u);
  list.touch(1, seconds(9));  // the tail is right after a removal
  list.remove(2);
  EXPECT_EQ(list.oldest(), 1u);
  list.remove(1);
  EXPECT_EQ(list.oldest(), std::nullopt);
  EXPECT_EQ(list.size(), 0u);
}

}  // namespace
}  // namespace tcpref::server
