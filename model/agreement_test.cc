// One model, two interpretations: step<Symbolic> on constant terms computes
// exactly what step<Concrete> computes. Random walks from the initial state
// (biased towards meaningful sequence numbers and cookies) and arbitrary
// states are run through both; every field of the result must agree.
// (Sizes are modest: tearing down a Z3 context that has built a few hundred
// symbolic steps takes tens of seconds.)
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <random>
#include <set>
#include <type_traits>

#include "model/cookie.h"
#include "model/print.h"
#include "model/step.h"
#include "model/symbolic.h"

namespace tcpref::model {
namespace {

using C = Concrete;
using S = Symbolic;

// The same record with constant terms.
template <template <class> class R>
R<S> lift(const R<C>& c) {
  R<S> s;
  R<S>::visit2(s, c, [](const char*, auto& sym, const auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, bool>) {
      sym = S::boolean(value);
    } else {
      sym = S::word(value);
    }
  });
  return s;
}

// Evaluates symbolic terms by simplification; the uninterpreted cookie MAC
// is replaced by the concrete MAC at the (only) arguments step can apply it
// to.
class Evaluator {
 public:
  Evaluator(const Params<C>& p, const ModelState<C>& s, const Input<C>& in)
      : from_(S::ctx()), to_(S::ctx()) {
    Params<S> ps = lift(p);
    pin(ps, p, in.seq, s.cookie_clock);  // make_cookie
    uint32_t cookie = in.ack - 1;
    uint32_t made_at = s.cookie_clock - ((s.cookie_clock - (cookie >> 3)) & 31);
    pin(ps, p, in.seq - 1, made_at);  // check_cookie
  }
  uint32_t word(const SymWord& w) {
    z3::expr v = evaluate(w.expr());
    EXPECT_TRUE(v.is_numeral()) << v;
    return v.is_numeral() ? v.get_numeral_uint() : 0;
  }
  bool boolean(const SymBool& b) {
    z3::expr v = evaluate(b.expr());
    EXPECT_TRUE(v.is_true() || v.is_false()) << v;
    return v.is_true();
  }

 private:
  z3::expr evaluate(z3::expr e) {
    return e.simplify().substitute(from_, to_).simplify();
  }
  void pin(const Params<S>& ps, const Params<C>& p, uint32_t seq,
           uint32_t count) {
    from_.push_back(
        cookie_mac<S>(ps, S::word(seq), S::word(count)).expr().simplify());
    to_.push_back(S::word(cookie_mac<C>(p, seq, count)).expr());
  }
  z3::expr_vector from_, to_;
};

template <template <class> class R>
void expect_same(Evaluator& e, const R<C>& concrete, const R<S>& symbolic,
                 const char* what) {
  R<C>::visit2(
      concrete, symbolic, [&](const char* name, const auto& c, const auto& s) {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, bool>) {
          EXPECT_EQ(e.boolean(s), c) << what << "." << name;
        } else {
          EXPECT_EQ(e.word(s), c) << what << "." << name;
        }
      });
}

class Walker {
 public:
  explicit Walker(uint32_t seed) : rng_(seed) {}
  uint32_t pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  // Near x most of the time, anything sometimes.
  uint32_t near(uint32_t x) { return pick(5) == 0 ? rng_() : x + pick(5) - 2; }

  Input<C> input(const Params<C>& p, const ModelState<C>& s) {
    Input<C> in;
    uint32_t k = pick(3) == 0 ? pick(static_cast<uint32_t>(InputKind::kCount))
                              : static_cast<uint32_t>(InputKind::kSegment);
    in.kind = k;
    in.backlog = pick(4);
    in.flag_syn = pick(3) == 0;
    in.flag_ack = pick(3) != 0;
    in.flag_rst = pick(6) == 0;
    in.flag_fin = pick(6) == 0;
    in.seq = near(s.rcv_nxt);
    in.ack = near(s.snd_nxt);
    if (s.ghost_cookie_sent && pick(2) == 0) {
      in.ack = s.ghost_cookie_iss + 1;
      in.seq = near(s.irs + 1);
    }
    in.len = pick(3) == 0 ? pick(100) : 0;
    in.wnd = pick(70000);
    in.mss_present = pick(2);
    in.mss = 400 + pick(1200);
    in.ws_present = pick(2);
    in.ws = pick(20);
    in.sack_permitted = pick(2);
    in.ts_present = pick(2);
    in.tsval = near(s.ts_recent);
    in.isn = rng_();
    in.now = rng_();
    (void)p;
    return in;
  }

 private:
  std::mt19937 rng_;
};

// Runs both interpretations on one step; returns the row taken.
uint32_t compare(const Params<C>& p, const ModelState<C>& s,
                 const Input<C>& in) {
  StepResult<C> c = step<C>(p, s, in);
  StepResult<S> sym = step<S>(lift(p), lift(s), lift(in));
  Evaluator e(p, s, in);
  SCOPED_TRACE(testing::Message()
               << "state " << to_string(s) << "\ninput " << to_string(in));
  expect_same(e, c.next, sym.next, "next");
  expect_same(e, c.out, sym.out, "out");
  EXPECT_EQ(e.word(sym.event), c.event);
  EXPECT_EQ(e.word(sym.transition), c.transition);
  return c.transition;
}

Params<C> random_params(Walker& w) {
  Params<C> p = default_params();
  p.syn_queue_limit = w.pick(3);
  p.cookie_mode = w.pick(3);
  p.abort_on_overflow = w.pick(2);
  p.rfc1337 = w.pick(2);
  p.max_synack_retries = w.pick(3);
  p.rcv_wnd = w.pick(4) == 0 ? 0 : 1000;
  return p;
}

// Reachable states: random walks from the initial state, starting with
// listen().
TEST(Agreement, OnRandomWalks) {
  std::set<uint32_t> rows;
  for (uint32_t walk = 0; walk < 6; ++walk) {
    Walker w(walk);
    Params<C> p = random_params(w);
    ModelState<C> s = step<C>(p, initial<C>(), make_listen(w.pick(3))).next;
    for (int i = 0; i < 15; ++i) {
      Input<C> in = w.input(p, s);
      rows.insert(compare(p, s, in));
      if (HasFailure()) return;
      s = step<C>(p, s, in).next;
    }
  }
  std::printf("%zu distinct rows compared\n", rows.size());
}

// Arbitrary states, so that every row of the table gets exercised.
TEST(Agreement, OnArbitraryStates) {
  std::set<uint32_t> rows;
  Walker w(99);
  for (int i = 0; i < 200; ++i) {
    Params<C> p = random_params(w);
    ModelState<C> s = initial<C>();
    ModelState<C>::visit(s, [&](const char*, auto& f) {
      using F = std::decay_t<decltype(f)>;
      f = std::is_same_v<F, bool> ? F(w.pick(2)) : F(w.near(1000));
    });
    s.st = w.pick(static_cast<uint32_t>(TcpState::kCount));
    s.snd_wscale = w.pick(16);
    s.rcv_wscale = w.pick(16);
    Input<C> in = w.input(p, s);
    rows.insert(compare(p, s, in));
    if (HasFailure()) return;
  }
  std::printf("%zu distinct rows compared\n", rows.size());
}

}  // namespace
}  // namespace tcpref::model
