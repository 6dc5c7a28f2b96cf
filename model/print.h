// Readable forms of concrete states, inputs, outputs and steps, for tests,
// oracle mismatch reports and counterexample traces.
#ifndef TCPREF_MODEL_PRINT_H_
#define TCPREF_MODEL_PRINT_H_

#include <ostream>
#include <string>

#include "model/io.h"
#include "model/state.h"
#include "model/transitions.h"

namespace tcpref::model {

// Every field, "name=value" separated by spaces (enums by name).
std::string to_string(const ModelState<Concrete>& s);
std::string to_string(const Params<Concrete>& p);
// Only what matters for the input's kind, e.g. "SYN seq=100 <mss 1460>".
std::string to_string(const Input<Concrete>& in);
// "none" or e.g. "SYN-ACK seq=7 ack=101 wnd=65535 <mss 1460 ws 7>".
std::string to_string(const Output<Concrete>& out);
// The fields of `after` that differ from `before`, e.g. "st=LISTEN".
std::string diff(const ModelState<Concrete>& before,
                 const ModelState<Concrete>& after);
std::string state_name(uint32_t st);

std::ostream& operator<<(std::ostream& os, const ModelState<Concrete>& s);
std::ostream& operator<<(std::ostream& os, const Input<Concrete>& in);
std::ostream& operator<<(std::ostream& os, const Output<Concrete>& out);

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_PRINT_H_
