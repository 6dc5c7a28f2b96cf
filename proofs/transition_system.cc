#include "proofs/transition_system.h"

#include <type_traits>

namespace tcpref::proofs {
namespace {

// Fresh Z3 variables for every field of a reflected record.
template <class R>
void make_variables(R& r, const std::string& prefix) {
  R::visit(r, [&](const char* name, auto& field) {
    using F = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<F, SBool>) {
      field = Symbolic::bool_var(prefix + name);
    } else {
      field = Symbolic::var(prefix + name);
    }
  });
}

// The concrete record a Z3 model assigns to a symbolic one.
template <class C, class S>
void evaluate(const z3::model& m, const S& sym, C& out) {
  C::visit2(out, sym, [&](const char*, auto& c, const auto& s) {
    z3::expr v = m.eval(s.expr(), /*model_completion=*/true);
    if constexpr (std::is_same_v<std::decay_t<decltype(c)>, bool>) {
      c = v.is_true();
    } else {
      c = v.get_numeral_uint();
    }
  });
}

uint32_t evaluate_word(const z3::model& m, const SWord& w) {
  return m.eval(w.expr(), true).get_numeral_uint();
}

}  // namespace

TransitionSystem::TransitionSystem(model::Mutation mutation)
    : mutation_(mutation),
      solver_(Symbolic::ctx()),
      init_(Symbolic::ctx().bool_const("init")) {
  make_variables(params_, "p.");
  add_state();
  // s_0 is the initial state when `init` is assumed.
  solver_.add(z3::implies(
      init_,
      model::equal<Symbolic>(states_[0], model::initial<Symbolic>()).expr()));
}

void TransitionSystem::add_state() {
  states_.emplace_back();
  make_variables(states_.back(),
                 "s" + std::to_string(states_.size() - 1) + ".");
}

void TransitionSystem::unroll(int steps) {
  while (this->steps() < steps) {
    const int i = this->steps();
    inputs_.emplace_back();
    make_variables(inputs_.back(), "in" + std::to_string(i) + ".");
    results_.push_back(
        model::step<Symbolic>(params_, states_[i], inputs_[i], mutation_));
    add_state();
    // The transition relation: s_{i+1} = step(s_i, in_i). Always on.
    solver_.add(
        model::equal<Symbolic>(states_[i + 1], results_[i].next).expr());
  }
}

StepView TransitionSystem::view(int i) {
  unroll(i + 1);
  return StepView{params_, states_[i], inputs_[i], results_[i]};
}

z3::expr TransitionSystem::distinct_literal(int j) {
  unroll(j);
  while (static_cast<int>(distinct_.size()) <= j) {
    const int n = static_cast<int>(distinct_.size());
    z3::expr lit =
        Symbolic::ctx().bool_const(("distinct" + std::to_string(n)).c_str());
    z3::expr all = Symbolic::ctx().bool_val(true);
    for (int i = 0; i < n; ++i) {
      all = all && !model::equal<Symbolic>(states_[i], states_[n]).expr();
    }
    solver_.add(z3::implies(lit, all));
    distinct_.push_back(lit);
  }
  return distinct_[j];
}

z3::expr TransitionSystem::predicate_literal(const std::string& key,
                                             const StepPredicate& pred, int i,
                                             bool negated) {
  const std::string full = (negated ? "!" : "") + key;
  auto it = literals_.find({full, i});
  if (it != literals_.end()) return it->second;
  z3::expr lit =
      Symbolic::ctx().bool_const(("lit" + std::to_string(next_literal_++) +
                                  ":" + full + "@" + std::to_string(i))
                                     .c_str());
  z3::expr holds = pred(view(i)).expr();
  solver_.add(z3::implies(lit, negated ? !holds : holds));
  literals_.emplace(std::make_pair(full, i), lit);
  return lit;
}

z3::check_result TransitionSystem::check(
    const std::vector<z3::expr>& assumptions) {
  z3::expr_vector v(Symbolic::ctx());
  for (const z3::expr& a : assumptions) v.push_back(a);
  return solver_.check(v);
}

Trace TransitionSystem::trace(int steps) {
  z3::model m = solver_.get_model();
  Trace t;
  evaluate(m, params_, t.params);
  for (int i = 0; i < steps; ++i) {
    TraceStep s;
    evaluate(m, states_[i], s.before);
    evaluate(m, inputs_[i], s.input);
    evaluate(m, results_[i].next, s.result.next);
    evaluate(m, results_[i].out, s.result.out);
    s.result.event = evaluate_word(m, results_[i].event);
    s.result.transition = evaluate_word(m, results_[i].transition);
    t.steps.push_back(s);
  }
  return t;
}

}  // namespace tcpref::proofs
