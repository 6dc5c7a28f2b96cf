#include "impl/tcp/isn.h"

#include <gtest/gtest.h>

namespace tcpref::tcp {
namespace {

const FourTuple kTuple{{0xC6120001, 80}, {0xC6120002, 40000}};

std::array<uint8_t, 16> Key(uint8_t b) {
  std::array<uint8_t, 16> k{};
  k.fill(b);
  return k;
}

// RFC 6528 §3: ISN = M + F(tuple, secret); M ticks every 4 µs.
TEST(Isn, AdvancesWithFourMicrosecondClock) {
  const IsnGenerator isn(Key(1));
  const uint32_t a = isn.generate(kTuple, Time{1000}).iss;
  EXPECT_EQ(isn.generate(kTuple, Time{1004}).iss, a + 1);
  EXPECT_EQ(isn.generate(kTuple, Time{1000 + 4'000'000}).iss, a + 1'000'000);
}

// F depends on every tuple field and on the secret.
TEST(Isn, DependsOnTupleAndKey) {
  const IsnGenerator isn(Key(1));
  const uint32_t base = isn.generate(kTuple, Time{0}).iss;
  FourTuple t = kTuple;
  t.remote.port += 1;
  EXPECT_NE(isn.generate(t, Time{0}).iss, base);
  t = kTuple;
  t.local.addr += 1;
  EXPECT_NE(isn.generate(t, Time{0}).iss, base);
  EXPECT_NE(IsnGenerator(Key(2)).generate(kTuple, Time{0}).iss, base);
  // The timestamp offset is independent of time.
  EXPECT_EQ(isn.ts_offset(kTuple), isn.generate(kTuple, Time{999}).ts_offset);
}

}  // namespace
}  // namespace tcpref::tcp
