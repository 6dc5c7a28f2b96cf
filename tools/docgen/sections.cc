// The generators, by section name. To add a section: write
// `std::string my_section(const Context&)` in its own file, add it here and
// to :sections in BUILD (with the data it reads as `data`), then put the
// markers in a document and add a docgen_test for it.
#include "tools/docgen/docgen.h"
#include "tools/docgen/generators.h"

namespace tcpref::docgen {

const std::vector<Section>& all_sections() {
  static const std::vector<Section> sections = {
      {"counters", counters_section},
      {"record_sizes", record_sizes_section},
      {"proof_properties", proof_properties_section},
      {"model_rows", model_rows_section},
      {"rfc9293_trace", rfc9293_trace_section},
  };
  return sections;
}

}  // namespace tcpref::docgen
