#include "proofs/diagram/edges.h"

#include <z3++.h>

#include <utility>

#include "model/step.h"
#include "model/symbolic.h"
#include "proofs/properties.h"
#include "proofs/transition_system.h"

namespace tcpref::proofs {
namespace {

using model::InputKind;
using model::OutputKind;
using model::TcpState;
using model::Transition;

template <class E>
uint32_t code(E e) {
  return static_cast<uint32_t>(e);
}

// Each row's guard and the effect of its action, unmerged (step() merges
// them; the diagram needs them one by one).
class RowCollector {
 public:
  struct Row {
    Transition t;
    z3::expr guard;
    z3::expr next_st;
    z3::expr out_kind;
  };
  explicit RowCollector(const model::ModelState<Symbolic>& s) : s_(s) {}

  template <class A>
  void row(Transition t, const SBool& guard, A&& action) {
    model::Effect<Symbolic> e{s_, model::Output<Symbolic>{},
                              Symbolic::word(code(model::AppEvent::kNone))};
    e.out.kind = Symbolic::word(code(OutputKind::kNone));
    action(e);
    rows.push_back({t, guard.expr(), e.next.st.expr(), e.out.kind.expr()});
  }

  std::vector<Row> rows;

 private:
  const model::ModelState<Symbolic>& s_;
};

class Prover {
 public:
  explicit Prover(const z3::expr& base) : solver_(Symbolic::ctx()) {
    solver_.add(base);
  }
  bool possible(const z3::expr& e) {
    z3::expr_vector a(Symbolic::ctx());
    a.push_back(e);
    return solver_.check(a) == z3::sat;
  }

 private:
  z3::solver solver_;
};

z3::expr word(uint32_t v) { return Symbolic::word(v).expr(); }

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (const std::string& p : parts) s += (s.empty() ? "" : sep) + p;
  return s;
}

std::string output_name(OutputKind k) {
  switch (k) {
    case OutputKind::kNone:
      return "nothing";
    case OutputKind::kChallengeAck:
      return "challenge ACK";
    case OutputKind::kFin:
      return "FIN";
    default:
      return std::string(model::name(k));
  }
}

}  // namespace

std::vector<Edge> derive_edges() {
  TransitionSystem ts;
  const StepView v = ts.view(0);
  RowCollector rc(v.s);
  model::TransitionTable<Symbolic>(v.p, v.s, v.in, model::Mutation::kNone)
      .rows(rc);
  Prover prover(reachable_invariant(v.p, v.s).expr());
  const std::pair<const char*, z3::expr> flags[] = {
      {"SYN", v.in.flag_syn.expr()},
      {"ACK", v.in.flag_ack.expr()},
      {"RST", v.in.flag_rst.expr()},
      {"FIN", v.in.flag_fin.expr()},
  };
  std::vector<Edge> edges;
  for (const RowCollector::Row& row : rc.rows) {
    for (uint32_t from = 0; from < code(TcpState::kCount); ++from) {
      const z3::expr here = row.guard && v.s.st.expr() == word(from);
      if (!prover.possible(here)) continue;
      // The input: its kind, and for segments the flags the guard fixes.
      std::vector<std::string> kinds;
      for (uint32_t k = 0; k < code(InputKind::kCount); ++k) {
        if (!prover.possible(here && v.in.kind.expr() == word(k))) continue;
        std::string text(model::name(static_cast<InputKind>(k)));
        if (k == code(InputKind::kSegment)) {
          const z3::expr seg = here && v.in.kind.expr() == word(k);
          for (const auto& [flag, term] : flags) {
            const bool on = prover.possible(seg && term);
            const bool off = prover.possible(seg && !term);
            if (on && !off) text += std::string(" ") + flag;
            if (off && !on) text += std::string(" !") + flag;
          }
        }
        kinds.push_back(text);
      }
      for (uint32_t to = 0; to < code(TcpState::kCount); ++to) {
        const z3::expr move = here && row.next_st == word(to);
        if (!prover.possible(move)) continue;
        Edge e;
        e.row = row.t;
        e.from = static_cast<TcpState>(from);
        e.to = static_cast<TcpState>(to);
        e.input = join(kinds, " | ");
        std::vector<std::string> outs;
        for (uint32_t k = 0; k < code(OutputKind::kCount); ++k) {
          if (!prover.possible(move && row.out_kind == word(k))) continue;
          outs.push_back(output_name(static_cast<OutputKind>(k)));
          if (k != code(OutputKind::kNone)) e.sends = true;
        }
        e.outputs = join(outs, " | ");
        edges.push_back(std::move(e));
      }
    }
  }
  return edges;
}

}  // namespace tcpref::proofs
