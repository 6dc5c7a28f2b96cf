#include "impl/tcp/record_sizes.h"

#include <string>

#include "tools/docgen/generators.h"

namespace tcpref::docgen {

std::string record_sizes_section(const Context&) {
  std::string out =
      "| Record | Size (sizeof, this build) | Linux |\n|---|---|---|\n";
  for (const tcp::RecordSize& r : tcp::record_sizes()) {
    out += "| `" + std::string(r.name) + "` | " + std::to_string(r.bytes) +
           " B | " + std::string(r.linux_) + " |\n";
  }
  return out;
}

}  // namespace tcpref::docgen
