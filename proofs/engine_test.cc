#include "proofs/engine.h"

#include <gtest/gtest.h>

#include "model/types.h"

namespace tcpref::proofs {
namespace {

using model::TcpState;

SBool in_state(const model::ModelState<Symbolic>& s, TcpState t) {
  return s.st == Symbolic::word(static_cast<uint32_t>(t));
}

// listen() then a SYN: SYN-RECEIVED is first entered on step 2.
TEST(Bmc, FindsShortestPath) {
  TransitionSystem ts;
  SearchResult r = find_path(
      ts, "enter-synrecv",
      [](const StepView& v) {
        return in_state(v.r.next, TcpState::kSynReceived);
      },
      5);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.steps, 2);
  EXPECT_EQ(r.trace.steps.back().result.next.st,
            static_cast<uint32_t>(TcpState::kSynReceived));
}

TEST(Bmc, ReportsNothingBeyondBound) {
  TransitionSystem ts;
  SearchResult r = find_path(
      ts, "enter-synrecv",
      [](const StepView& v) {
        return in_state(v.r.next, TcpState::kSynReceived);
      },
      1);
  EXPECT_FALSE(r.found);
}

TEST(Induction, ProvesAnInductiveInvariant) {
  TransitionSystem ts;
  ProofResult r = prove_invariant(
      ts, "state-in-range",
      [](const StepView& v) {
        return Symbolic::ult(
            v.s.st, Symbolic::word(static_cast<uint32_t>(TcpState::kCount)));
      },
      2);
  EXPECT_TRUE(r.proved);
  EXPECT_EQ(r.k, 1);
}

// A false property fails in the base case, with a real trace from CLOSED.
TEST(Induction, FalsePropertyGetsRealCounterexample) {
  TransitionSystem ts;
  ProofResult r = prove_invariant(
      ts, "never-synrecv",
      [](const StepView& v) { return !in_state(v.s, TcpState::kSynReceived); },
      4);
  EXPECT_FALSE(r.proved);
  ASSERT_TRUE(r.counterexample.has_value());
  EXPECT_TRUE(r.counterexample->from_initial);
  EXPECT_EQ(r.counterexample->steps.size(), 3u);
}

// True but not k-inductive without strengthening: a request sock could, in
// an unreachable state, exist without a listener, and complete into a
// queued child without one. Simple paths do not help because the cookie
// clock can tick forever. The engine must not call this proved.
TEST(Induction, TrueButNotInductiveIsNotProved) {
  TransitionSystem ts;
  ProofResult r = prove_invariant(
      ts, "queued-implies-listening",
      [](const StepView& v) {
        return !in_state(v.s, TcpState::kEstablishedQueued) || v.s.listening;
      },
      2);
  EXPECT_FALSE(r.proved);
  ASSERT_TRUE(r.counterexample.has_value());
  EXPECT_FALSE(r.counterexample->from_initial);
}

}  // namespace
}  // namespace tcpref::proofs
