#include "proofs/well_formed.h"

#include <sstream>
#include <type_traits>
#include <vector>

#include "model/print.h"
#include "model/step.h"
#include "model/symbolic.h"
#include "proofs/properties.h"

namespace tcpref::proofs {
namespace {

using model::Concrete;
using model::Symbolic;

template <class R>
void fresh(R& r, const std::string& prefix) {
  R::visit(r, [&](const char* name, auto& field) {
    if constexpr (std::is_same_v<std::decay_t<decltype(field)>,
                                 model::SymBool>) {
      field = Symbolic::bool_var(prefix + name);
    } else {
      field = Symbolic::var(prefix + name);
    }
  });
}

template <class C, class S>
C evaluate(const z3::model& m, const S& sym) {
  C out;
  C::visit2(out, sym, [&](const char*, auto& c, const auto& s) {
    z3::expr v = m.eval(s.expr(), true);
    if constexpr (std::is_same_v<std::decay_t<decltype(c)>, bool>) {
      c = v.is_true();
    } else {
      c = v.get_numeral_uint();
    }
  });
  return out;
}

// One arbitrary parameter set, state and input.
struct AnyStep {
  model::Params<Symbolic> p;
  model::ModelState<Symbolic> s;
  model::Input<Symbolic> in;
  AnyStep() {
    fresh(p, "p.");
    fresh(s, "s.");
    fresh(in, "in.");
  }
};

}  // namespace

// Gaps: one query, "no guard holds". Overlaps: one query per row i,
// "guard i and some later guard hold" (n small queries solve much faster
// than one cardinality constraint over all rows).
WellFormedResult check_guards(model::Mutation mutation) {
  z3::context& ctx = Symbolic::ctx();
  AnyStep any;
  auto rows = model::guards<Symbolic>(any.p, any.s, any.in, mutation);
  z3::solver solver(ctx);
  std::vector<z3::expr> queries;
  z3::expr none = ctx.bool_val(true);
  for (const auto& row : rows) none = none && !row.second.expr();
  z3::expr gap = ctx.bool_const("gap");
  solver.add(z3::implies(gap, none));
  queries.push_back(gap);
  z3::expr later = ctx.bool_val(false);
  for (size_t i = rows.size(); i-- > 0;) {
    z3::expr lit = ctx.bool_const(("overlap" + std::to_string(i)).c_str());
    solver.add(z3::implies(lit, rows[i].second.expr() && later));
    queries.push_back(lit);
    later = later || rows[i].second.expr();
  }
  WellFormedResult r;
  for (const z3::expr& q : queries) {
    z3::expr_vector a(ctx);
    a.push_back(q);
    z3::check_result res = solver.check(a);
    if (res == z3::unsat) continue;
    if (res == z3::unknown) {
      r.diagnosis = "solver returned unknown";
      return r;
    }
    z3::model m = solver.get_model();
    std::ostringstream os;
    os << "    state: "
       << model::to_string(evaluate<model::ModelState<Concrete>>(m, any.s))
       << "\n    input: "
       << model::to_string(evaluate<model::Input<Concrete>>(m, any.in))
       << "\n    rows whose guard holds:";
    int holding = 0;
    for (const auto& [t, guard] : rows) {
      if (m.eval(guard.expr(), true).is_true()) {
        os << " " << model::name(t);
        ++holding;
      }
    }
    os << (holding == 0 ? " none (gap)" : " (overlap)") << "\n";
    r.diagnosis = os.str();
    return r;
  }
  r.well_formed = true;
  r.diagnosis = "exactly one of " + std::to_string(rows.size()) +
                " guards holds for every state and input";
  return r;
}

RowCoverage satisfiable_rows() {
  z3::context& ctx = Symbolic::ctx();
  AnyStep any;
  auto rows = model::guards<Symbolic>(any.p, any.s, any.in);
  z3::solver solver(ctx);
  solver.add(reachable_invariant(any.p, any.s).expr());
  RowCoverage c;
  for (const auto& [t, guard] : rows) {
    if (t == model::Transition::kInvalidState) continue;
    z3::expr_vector a(ctx);
    a.push_back(guard.expr());
    if (solver.check(a) != z3::sat) c.unsatisfiable.push_back(t);
  }
  std::ostringstream os;
  os << "    " << rows.size() - 1 - c.unsatisfiable.size() << " of "
     << rows.size() - 1 << " rows can fire in a state satisfying the "
     << "reachable invariant";
  for (model::Transition t : c.unsatisfiable) {
    os << "\n    dead row: " << model::name(t);
  }
  os << "\n";
  c.report = os.str();
  return c;
}

}  // namespace tcpref::proofs
