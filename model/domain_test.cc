#include "model/domain.h"

#include <gtest/gtest.h>

#include "model/symbolic.h"

namespace tcpref::model {
namespace {

using C = Concrete;

// RFC 1982 / RFC 9293 §3.4: comparisons are modulo 2^32.
TEST(SerialArithmetic, ConcreteWrapsAround) {
  EXPECT_TRUE(before<C>(0xFFFFFFF0u, 5u));
  EXPECT_TRUE(after<C>(5u, 0xFFFFFFF0u));
  EXPECT_FALSE(before<C>(7u, 7u));
  EXPECT_TRUE(before_eq<C>(7u, 7u));
  EXPECT_TRUE(before<C>(0u, 0x7FFFFFFFu));
  EXPECT_FALSE(before<C>(0u, 0x80000001u));  // more than half-way round
  EXPECT_TRUE(in_range<C>(2u, 0xFFFFFFFEu, 8u));
  EXPECT_FALSE(in_range<C>(6u, 0xFFFFFFFEu, 8u));
}

uint32_t eval_word(const SymWord& w) {
  return w.expr().simplify().get_numeral_uint();
}
bool eval_bool(const SymBool& b) { return b.expr().simplify().is_true(); }

// The symbolic domain computes the same function as the concrete one.
TEST(SerialArithmetic, SymbolicAgreesWithConcrete) {
  using S = Symbolic;
  const uint32_t values[] = {0u,          1u,          5u,
                             0x7FFFFFFFu, 0x80000000u, 0x80000001u,
                             0xFFFFFFF0u, 0xFFFFFFFFu};
  for (uint32_t a : values) {
    for (uint32_t b : values) {
      SCOPED_TRACE(testing::Message() << a << " vs " << b);
      EXPECT_EQ(eval_bool(before<S>(S::word(a), S::word(b))), before<C>(a, b));
      EXPECT_EQ(eval_bool(S::ult(S::word(a), S::word(b))), C::ult(a, b));
      EXPECT_EQ(eval_word(umin<S>(S::word(a), S::word(b))), umin<C>(a, b));
      EXPECT_EQ(eval_word(S::word(a) - S::word(b)), a - b);
      EXPECT_EQ(eval_word(S::word(a) >> 3u), a >> 3u);
    }
  }
}

TEST(Symbolic, IteOfEqualBranchesIsTheBranch) {
  using S = Symbolic;
  SymWord x = S::var("x");
  SymWord r = S::ite(S::bool_var("c"), x, x);
  EXPECT_TRUE(z3::eq(r.expr(), x.expr()));
}

}  // namespace
}  // namespace tcpref::model
