#include "impl/tcp/counters.h"

#include <string_view>
#include <vector>

#include "tools/docgen/generators.h"

namespace tcpref::docgen {

std::string counters_section(const Context&) {
  std::vector<std::string_view> names;
#define TCPREF_DOCGEN_COUNTER(name) names.push_back(#name);
  TCPREF_COUNTERS(TCPREF_DOCGEN_COUNTER)
#undef TCPREF_DOCGEN_COUNTER
  std::string out = "The stack's " + std::to_string(names.size()) +
                    " counters (`impl/tcp/counters.h`), in print order:\n\n";
  std::string line;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string item = "`" + std::string(names[i]) + "`";
    if (i + 1 < names.size()) item += ",";
    if (!line.empty() && line.size() + 1 + item.size() > 76) {
      out += line + "\n";
      line.clear();
    }
    if (!line.empty()) line += " ";
    line += item;
  }
  out += line + "\n";
  return out;
}

}  // namespace tcpref::docgen
