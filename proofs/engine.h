// Bounded model checking and k-induction with a simple-path constraint, on
// one TransitionSystem (one incremental solver).
#ifndef TCPREF_PROOFS_ENGINE_H_
#define TCPREF_PROOFS_ENGINE_H_

#include <optional>
#include <string>

#include "proofs/trace.h"
#include "proofs/transition_system.h"

namespace tcpref::proofs {

struct SearchResult {
  bool found = false;
  int steps = 0;  // length of the path; the target holds at its last step
  Trace trace;
};

// BMC: the shortest path from the initial state whose last step satisfies
// `target`, with at most max_steps steps.
SearchResult find_path(TransitionSystem& ts, const std::string& key,
                       const StepPredicate& target, int max_steps);

struct ProofResult {
  bool proved = false;
  int k = 0;                            // induction depth that closed the proof
  std::optional<Trace> counterexample;  // a real path (base case failed)
  std::string note;
};

// k-induction for k = 1..max_k: base case by BMC from the initial state,
// inductive step from any simple path of k steps on which `invariant` holds.
ProofResult prove_invariant(TransitionSystem& ts, const std::string& key,
                            const StepPredicate& invariant, int max_k);

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_ENGINE_H_
