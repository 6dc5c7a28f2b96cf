// Graphviz dot text for the model's graph (edges.h): the whole machine, and
// one diagram per state with every row that can fire in it.
#ifndef TCPREF_PROOFS_DIAGRAM_DOT_H_
#define TCPREF_PROOFS_DIAGRAM_DOT_H_

#include <string>
#include <vector>

#include "proofs/diagram/edges.h"

namespace tcpref::proofs {

// Every edge except self-loops that send nothing (those rows only count or
// ignore; the per-state diagrams show them).
[[nodiscard]] std::string full_dot(const std::vector<Edge>& edges);

// The rows that can fire in `state`, self-loops included.
[[nodiscard]] std::string state_dot(const std::vector<Edge>& edges,
                                    model::TcpState state);

// The file name of a state's diagram without extension: "state_syn-received".
[[nodiscard]] std::string state_file(model::TcpState state);

}  // namespace tcpref::proofs

#endif  // TCPREF_PROOFS_DIAGRAM_DOT_H_
