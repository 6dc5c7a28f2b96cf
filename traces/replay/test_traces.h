// Test helpers: the committed traces (Bazel data deps) and edits of a
// recorded trace that make a server misbehave.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "impl/wire/segment.h"
#include "traces/replay/pcap_file.h"
#include "traces/replay/server_config.h"

namespace tcpref::traces::testing {

// Every traces/pcaps/*.pcap in the runfiles, sorted.
std::vector<std::string> committed_pcaps();

// The packets of `path`; fails the calling test if unreadable.
std::vector<RawPacket> load(const std::string& path);
ServerConfig config_for(const std::string& path);

// Re-emits `p` (checksums recomputed) after `edit` changed its segment.
RawPacket edited(const RawPacket& p,
                 const std::function<void(wire::Segment&)>& edit);
// A new packet carrying `s` with the given record number and time.
RawPacket packet(uint32_t number, tcp::Time time, const wire::Segment& s);
// Parses a packet (checksums not verified).
wire::Segment segment_of(const RawPacket& p);
// Renumbers 1..n in order.
void renumber(std::vector<RawPacket>& packets);

}  // namespace tcpref::traces::testing
