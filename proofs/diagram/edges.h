// The model's transition table as a graph, derived from the table itself:
// for every row and every state the row's guard can hold in (under the
// proofs' reachable invariant), the states its action can lead to, the
// segments it can send and the flags its guard requires. Each fact is one Z3
// query over the symbolic step, so the diagram cannot drift from the model.
#ifndef TCPREF_PROOFS_DIAGRAM_EDGES_H_
#define TCPREF_PROOFS_DIAGRAM_EDGES_H_

#include <string>
#include <vector>

#include "model/transitions.h"
#include "model/types.h"

namespace tcpref::proofs {

struct Edge {
  model::Transition row = model::Transition::kNoRow;
  model::TcpState from = model::TcpState::kClosed;
  model::TcpState to = model::TcpState::kClosed;
  std::string input;    // "segment SYN !ACK !RST", "timer:syn-ack", ...
  std::string outputs;  // "SYN-ACK", "ACK | nothing", "nothing"
  bool sends = false;   // some output other than nothing is possible
};

// Every (row, from, to) the table allows, in row order, then state order.
[[nodiscard]] std::vector<Edge> derive_edges();

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_DIAGRAM_EDGES_H_
