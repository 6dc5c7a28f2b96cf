#include "proofs/engine.h"

#include <vector>

namespace tcpref::proofs {

SearchResult find_path(TransitionSystem& ts, const std::string& key,
                       const StepPredicate& target, int max_steps) {
  SearchResult r;
  for (int d = 0; d < max_steps; ++d) {
    z3::expr at_d = ts.predicate_literal(key, target, d, /*negated=*/false);
    if (ts.check({ts.init_literal(), at_d}) == z3::sat) {
      r.found = true;
      r.steps = d + 1;
      r.trace = ts.trace(d + 1);
      return r;
    }
  }
  return r;
}

ProofResult prove_invariant(TransitionSystem& ts, const std::string& key,
                            const StepPredicate& invariant, int max_k) {
  ProofResult r;
  for (int k = 1; k <= max_k; ++k) {
    // Base: no violation at step k-1 on a path from the initial state.
    std::vector<z3::expr> base = {ts.init_literal()};
    for (int i = 0; i + 1 < k; ++i) {
      base.push_back(ts.predicate_literal(key, invariant, i, false));
    }
    base.push_back(ts.predicate_literal(key, invariant, k - 1, true));
    if (ts.check(base) == z3::sat) {
      r.counterexample = ts.trace(k);
      r.note = "violated on a path from the initial state";
      return r;
    }
    // Step: holds at steps 0..k-1 of a simple path => holds at step k.
    std::vector<z3::expr> induct;
    induct.reserve(2 * static_cast<size_t>(k) + 1);
    for (int i = 0; i < k; ++i) {
      induct.push_back(ts.predicate_literal(key, invariant, i, false));
    }
    for (int j = 1; j <= k; ++j) induct.push_back(ts.distinct_literal(j));
    induct.push_back(ts.predicate_literal(key, invariant, k, true));
    z3::check_result step = ts.check(induct);
    if (step == z3::unsat) {
      r.proved = true;
      r.k = k;
      return r;
    }
    if (step == z3::unknown) {
      r.note = "solver returned unknown at k=" + std::to_string(k);
      return r;
    }
    if (k == max_k) {
      Trace t = ts.trace(k + 1);
      t.from_initial = false;
      r.counterexample = t;
      r.note = "induction did not close by k=" + std::to_string(max_k) +
               " (counterexample to induction, maybe unreachable)";
    }
  }
  return r;
}

}  // namespace tcpref::proofs
