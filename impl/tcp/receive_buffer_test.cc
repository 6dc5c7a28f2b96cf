#include "impl/tcp/receive_buffer.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace tcpref::tcp {
namespace {

TEST(ReceiveBuffer, KeepsOrderAcrossWrapAndBoundsItself) {
  std::array<uint8_t, 5> storage{};
  ReceiveBuffer rx(storage);
  const std::array<uint8_t, 4> a = {1, 2, 3, 4};
  EXPECT_EQ(rx.push(a), 4u);
  std::array<uint8_t, 3> out{};
  EXPECT_EQ(rx.pop(out), 3u);
  EXPECT_EQ(out, (std::array<uint8_t, 3>{1, 2, 3}));
  const std::array<uint8_t, 6> b = {5, 6, 7, 8, 9, 10};
  EXPECT_EQ(rx.push(b), 4u);  // 1 byte held, room for 4
  EXPECT_EQ(rx.free(), 0u);
  std::array<uint8_t, 8> all{};
  EXPECT_EQ(rx.pop(all), 5u);
  EXPECT_EQ((std::vector<uint8_t>(all.begin(), all.begin() + 5)),
            (std::vector<uint8_t>{4, 5, 6, 7, 8}));
  EXPECT_EQ(rx.size(), 0u);
}

}  // namespace
}  // namespace tcpref::tcp
