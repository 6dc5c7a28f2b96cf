#include <string>

#include "model/transitions.h"
#include "tools/docgen/generators.h"

namespace tcpref::docgen {

std::string model_rows_section(const Context&) {
  const auto count = static_cast<size_t>(model::Transition::kCount);
  std::string out = "All " + std::to_string(count) +
                    " rows (`model/transitions.h`, in table order):\n\n"
                    "| # | row | description |\n|---|---|---|\n";
  for (size_t i = 0; i < count; ++i) {
    const auto t = static_cast<model::Transition>(i);
    out += "| " + std::to_string(i + 1) + " | `" + std::string(model::name(t)) +
           "` | " + md_cell(model::description(t)) + " |\n";
  }
  return out;
}

}  // namespace tcpref::docgen
