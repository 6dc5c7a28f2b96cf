// Property 13: the transition table is total and deterministic. For every
// parameter set, state and input (all 32-bit values, including states and
// input kinds outside the enums and every invalid SEQ/ACK), exactly one
// row's guard holds. This is a one-step validity check, no unrolling.
#ifndef TCPREF_PROOFS_WELL_FORMED_H_
#define TCPREF_PROOFS_WELL_FORMED_H_

#include <string>
#include <vector>

#include "model/transitions.h"

namespace tcpref::proofs {

struct WellFormedResult {
  bool well_formed = false;
  std::string diagnosis;  // a state and input where 0 or 2+ guards hold
};

WellFormedResult check_guards(model::Mutation mutation);

// Every row's guard can hold in some state satisfying the reachable
// invariant (no dead rows). kInvalidState is exempt: it exists only for
// totality over out-of-range encodings.
struct RowCoverage {
  std::vector<model::Transition> unsatisfiable;
  std::string report;
};

RowCoverage satisfiable_rows();

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_WELL_FORMED_H_
