#include <string>

#include "model/transitions.h"
#include "proofs/properties.h"
#include "tools/docgen/generators.h"

namespace tcpref::docgen {

std::string proof_properties_section(const Context&) {
  const auto& properties = proofs::all_properties();
  std::string out =
      std::to_string(properties.size()) +
      " properties (`proofs/properties.cc`); test "
      "`//proofs:property_NN_test` each:\n\n"
      "| # | name | property | mutant (must be refuted) |\n|---|---|---|---|\n";
  for (const proofs::Property& p : properties) {
    out += "| " + std::to_string(p.number) + " | `" + p.name + "` | " +
           md_cell(p.statement) + " | `" + std::string(model::name(p.mutant)) +
           "` |\n";
  }
  return out;
}

}  // namespace tcpref::docgen
