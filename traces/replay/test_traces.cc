#include "traces/replay/test_traces.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace tcpref::traces::testing {

std::vector<std::string> committed_pcaps() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator("traces/pcaps")) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<RawPacket> load(const std::string& path) {
  PcapRead r = read_pcap(path);
  EXPECT_TRUE(r.ok()) << r.error;
  return std::move(r.packets);
}

ServerConfig config_for(const std::string& path) {
  ServerConfig c;
  const std::string e = load_sidecar_config(path, c);
  EXPECT_EQ(e, "");
  return c;
}

wire::Segment segment_of(const RawPacket& p) {
  wire::PacketParse r =
      wire::parse_packet(p.ip, wire::ParseOptions{.verify_checksums = false});
  EXPECT_TRUE(r.ok()) << "packet #" << p.number;
  return r.segment;
}

RawPacket packet(uint32_t number, tcp::Time time, const wire::Segment& s) {
  RawPacket p{number, time,
              std::vector<uint8_t>(wire::kMaxHeaders + s.payload.size())};
  const size_t n = wire::emit(s, p.ip);
  EXPECT_GT(n, 0u);
  p.ip.resize(n);
  return p;
}

RawPacket edited(const RawPacket& p,
                 const std::function<void(wire::Segment&)>& edit) {
  wire::Segment s = segment_of(p);
  edit(s);
  return packet(p.number, p.time, s);
}

void renumber(std::vector<RawPacket>& packets) {
  uint32_t n = 0;
  for (RawPacket& p : packets) p.number = ++n;
}

}  // namespace tcpref::traces::testing
