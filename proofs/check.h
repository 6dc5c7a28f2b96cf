// Runs one property end to end: the proof on the model, the refutation of
// its mutant, and the search for its witness.
#ifndef TCPREF_PROOFS_CHECK_H_
#define TCPREF_PROOFS_CHECK_H_

#include <string>

#include "proofs/properties.h"

namespace tcpref::proofs {

struct Outcome {
  bool ok = false;
  int steps = 0;      // length of the trace found (mutant / witness)
  std::string trace;  // readable, step by step
};

struct Report {
  int number = 0;
  std::string name;
  bool proved = false;
  int k = 0;  // induction depth; 0 for the one-step well-formedness check
  double ms = 0;
  double proof_ms = 0, witness_ms = 0, mutant_ms = 0;  // the parts of ms
  std::string failure;  // why the proof failed, with a trace
  Outcome mutant;       // ok = counterexample found on the mutant
  Outcome witness;      // ok = premise reachable on the model
  bool passed() const { return proved && mutant.ok && witness.ok; }
};

Report check(const Property& property);

// "  1 handshake-or-cookie     PROVED  k=1    812 ms  mutant REFUTED (3
// steps)  witness FOUND (3 steps)"
std::string summary_line(const Report& r);

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_CHECK_H_
