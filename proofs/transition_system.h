// A transition system over the symbolic model: per-step variables, an
// unrolling on one incremental Z3 solver, and answer literals so that
// bounded model checking and k-induction share that solver.
#ifndef TCPREF_PROOFS_TRANSITION_SYSTEM_H_
#define TCPREF_PROOFS_TRANSITION_SYSTEM_H_

#include <z3++.h>

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/io.h"
#include "model/state.h"
#include "model/step.h"
#include "model/symbolic.h"
#include "model/transitions.h"
#include "proofs/trace.h"

namespace tcpref::proofs {

using model::Symbolic;
using SBool = model::SymBool;
using SWord = model::SymWord;

// One step of a path: the state before, the input, what step() produced
// (result.next is the state after).
struct StepView {
  const model::Params<Symbolic>& p;
  const model::ModelState<Symbolic>& s;
  const model::Input<Symbolic>& in;
  const model::StepResult<Symbolic>& r;
};

// A predicate over one step. Properties, invariants and witness premises
// are all of this shape.
using StepPredicate = std::function<SBool(const StepView&)>;

class TransitionSystem {
 public:
  explicit TransitionSystem(model::Mutation mutation = model::Mutation::kNone);

  // Makes states 0..steps and steps 0..steps-1 exist (variables named
  // "s<i>.<field>", "in<i>.<field>", params "p.<field>").
  void unroll(int steps);
  int steps() const { return static_cast<int>(inputs_.size()); }
  StepView view(int i);

  // Answer literals: assumed in a check, they switch a constraint on.
  z3::expr init_literal() const { return init_; }
  // s_j differs from every s_i, i < j (the simple-path constraint).
  z3::expr distinct_literal(int j);
  // pred holds (or, negated, fails) at step i; cached per (key, i).
  z3::expr predicate_literal(const std::string& key, const StepPredicate& pred,
                             int i, bool negated);

  z3::check_result check(const std::vector<z3::expr>& assumptions);
  // The path 0..steps-1 of the last satisfiable check, in concrete values.
  Trace trace(int steps);

 private:
  void add_state();

  model::Mutation mutation_;
  z3::solver solver_;
  model::Params<Symbolic> params_;
  // Deques: views hold references to elements that must not move.
  std::deque<model::ModelState<Symbolic>> states_;
  std::deque<model::Input<Symbolic>> inputs_;
  std::deque<model::StepResult<Symbolic>> results_;
  z3::expr init_;
  std::vector<z3::expr> distinct_;
  std::map<std::pair<std::string, int>, z3::expr> literals_;
  int next_literal_ = 0;
};

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_TRANSITION_SYSTEM_H_
