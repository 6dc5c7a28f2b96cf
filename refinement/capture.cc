#include "refinement/capture.h"

#include <cstdlib>
#include <vector>

#include "traces/replay/pcap_file.h"

namespace tcpref::refinement {

std::string write_capture(const RunResult& r, const std::string& path) {
  std::vector<traces::RawPacket> packets;
  packets.reserve(r.wire.size());
  for (const WirePacket& w : r.wire) {
    packets.push_back(
        {static_cast<uint32_t>(packets.size() + 1), w.time, w.ip});
  }
  return traces::write_pcap(path, packets);
}

std::string counterexample_path(const std::string& name) {
  const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (dir == nullptr || *dir == '\0') return "";
  std::string file;
  for (char c : name) file += (c == ' ' || c == '/') ? '_' : c;
  return std::string(dir) + "/counterexample_" + file + ".pcap";
}

}  // namespace tcpref::refinement
