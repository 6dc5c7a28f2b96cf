#include "proofs/trace.h"

#include <sstream>

#include "model/print.h"
#include "model/transitions.h"

namespace tcpref::proofs {

std::string to_string(const Trace& t, const std::string& last_step_note) {
  using model::Transition;
  std::ostringstream os;
  os << "    params: " << model::to_string(t.params) << "\n";
  if (!t.from_initial && !t.steps.empty()) {
    os << "    start (arbitrary state satisfying the hypotheses): "
       << model::to_string(t.steps.front().before) << "\n";
  }
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    uint32_t row = s.result.transition;
    std::string row_name =
        row <= static_cast<uint32_t>(Transition::kCount)
            ? std::string(model::name(static_cast<Transition>(row)))
            : "?";
    std::string row_text =
        row <= static_cast<uint32_t>(Transition::kCount)
            ? std::string(model::description(static_cast<Transition>(row)))
            : "";
    os << "    #" << i << " " << model::state_name(s.before.st) << "  <-  "
       << model::to_string(s.input) << "\n"
       << "       row " << row_name << " (" << row_text << ")\n"
       << "       sends " << model::to_string(s.result.out);
    if (s.result.event != 0 &&
        s.result.event < static_cast<uint32_t>(model::AppEvent::kCount)) {
      os << ", app event "
         << model::name(static_cast<model::AppEvent>(s.result.event));
    }
    os << "\n       now " << model::state_name(s.result.next.st);
    std::string changed = model::diff(s.before, s.result.next);
    if (!changed.empty()) os << "; changed " << changed;
    os << "\n";
    if (i + 1 == t.steps.size() && !last_step_note.empty()) {
      os << "       ^^^ " << last_step_note << "\n";
    }
  }
  return os.str();
}

}  // namespace tcpref::proofs
