// A recorded trace as connections: every TCP segment parsed, grouped by
// 4-tuple, with the server told apart from the client (the server is the side
// that received the first SYN), and the connections of one server endpoint
// grouped as that listener's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"
#include "traces/replay/pcap_file.h"

namespace tcpref::traces {

struct TraceSegment {
  uint32_t number = 0;  // record number in the pcap (1-based)
  tcp::Time time{0};
  bool from_client = false;
  wire::Segment seg;  // payload points into the Trace's RawPacket
};

// One 4-tuple, as the server sees it (local = server).
struct Connection {
  tcp::FourTuple tuple;
  std::vector<TraceSegment> segments;  // in capture order
};

// The connections to one server endpoint: they share a listener, so its
// queues are shared too.
struct ListenerTrace {
  tcp::Endpoint server;
  std::vector<Connection> connections;
};

struct Trace {
  std::vector<RawPacket> packets;  // owns the bytes segments point into
  std::vector<ListenerTrace> listeners;
  uint32_t not_tcp = 0;    // IPv4 datagrams that are not TCP
  uint32_t malformed = 0;  // TCP that fails wire parsing (checksums aside)
  uint32_t no_syn = 0;     // segments of 4-tuples whose SYN is not in the
                           // trace (no server can be told apart)
  Trace() = default;
  Trace(Trace&&) = default;
  Trace& operator=(Trace&&) = default;
  Trace(const Trace&) = delete;  // segments point into `packets`
  Trace& operator=(const Trace&) = delete;
};

// Parses and splits. Checksums are not verified: loopback captures carry
// the kernel's unfinished (offloaded) checksums.
[[nodiscard]] Trace split_trace(std::vector<RawPacket> packets);

// "198.18.0.2:40000" (address in host order).
std::string to_string(const tcp::Endpoint& e);
// The flags as tcpdump writes them: S F R P . E W ("none" for none).
std::string flags_string(const wire::Segment& s);
// The options tcpdump-like, "mss 1460 ws 7 sackOK ts 15/9" ("" for none).
std::string options_string(const wire::Segment& s);
// One line per segment, tcpdump-like, relative to the connection's ISNs
// when known: "#3 c>s . seq=1 ack=1 len=0 win=63 <ts 15/9>".
std::string describe(const TraceSegment& s, uint32_t client_isn,
                     uint32_t server_isn);

}  // namespace tcpref::traces
