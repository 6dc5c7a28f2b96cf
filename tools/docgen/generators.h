// One function per generated section (see sections.cc).
#ifndef TCPREF_TOOLS_DOCGEN_GENERATORS_H_
#define TCPREF_TOOLS_DOCGEN_GENERATORS_H_

#include <string>

#include "tools/docgen/docgen.h"

namespace tcpref::docgen {

// impl/tcp/counters.h: every counter, in print order.
std::string counters_section(const Context&);
// impl/tcp/record_sizes.h: sizeof of the per-connection records.
std::string record_sizes_section(const Context&);
// proofs/properties.cc: the safety properties with their mutants.
std::string proof_properties_section(const Context&);
// model/transitions.h: every row of the transition table.
std::string model_rows_section(const Context&);
// docs/rfc9293_musts.txt against the `//= RFC 9293` annotations in impl/tcp.
std::string rfc9293_trace_section(const Context&);

}  // namespace tcpref::docgen

#endif  // TCPREF_TOOLS_DOCGEN_GENERATORS_H_
