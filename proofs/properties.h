// The safety properties, as data: what must hold on every step, the
// deliberately broken model that must violate it, and a premise that must
// be reachable (so the property is not vacuous).
#ifndef TCPREF_PROOFS_PROPERTIES_H_
#define TCPREF_PROOFS_PROPERTIES_H_

#include <string>
#include <vector>

#include "model/transitions.h"
#include "proofs/transition_system.h"

namespace tcpref::proofs {

struct Property {
  int number;
  std::string name;       // short slug, used in test names and output
  std::string statement;  // what holds (one sentence)
  StepPredicate holds;    // over one step (state, input, output, next)
  model::Mutation mutant;
  StepPredicate witness;  // the premise, shown reachable
  int max_k = 3;
  int max_steps = 9;             // BMC bound for mutant and witness
  bool well_formedness = false;  // property 13: checked per step, not by
                                 // induction
};

const std::vector<Property>& all_properties();
const Property& property(int number);

// The strengthening invariant every induction carries along: a description
// of the reachable states (queue bounds, table membership, the shape of a
// request sock, the last cookie). It is proven together with each property.
SBool reachable_invariant(const model::Params<Symbolic>& p,
                          const model::ModelState<Symbolic>& s);

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_PROPERTIES_H_
