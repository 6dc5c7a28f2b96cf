// Counterexamples and witnesses as readable step-by-step traces.
#ifndef TCPREF_PROOFS_TRACE_H_
#define TCPREF_PROOFS_TRACE_H_

#include <string>
#include <vector>

#include "model/io.h"
#include "model/state.h"

namespace tcpref::proofs {

struct TraceStep {
  model::ModelState<model::Concrete> before;
  model::Input<model::Concrete> input;
  model::StepResult<model::Concrete> result;
};

struct Trace {
  model::Params<model::Concrete> params;
  std::vector<TraceStep> steps;
  // True when the path starts in the initial state (BMC); false for an
  // induction counterexample, which starts anywhere.
  bool from_initial = true;
};

// One block per step: state, input, row taken, segment sent, fields changed.
// The last step is marked (it is where the property fails or the premise
// holds).
std::string to_string(const Trace& t, const std::string& last_step_note);

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_TRACE_H_
