// Replays the client side of a recorded trace into tcpref's own Stack and
// compares tcpref's replies with what the recorded server sent.
//
// Client packets go through Stack::receive at their pcap time (relative),
// after Stack::advance to that time. Their SEG.ACK and TSecr refer to the
// recorded server's ISS and clock, so they are moved into tcpref's (offsets
// taken from the two SYN-ACKs). The application does what the recorded
// server's did, at the time it shows on the wire: text → accept() and
// write(), FIN → close(), a RST nobody triggered → abort(). Replies are
// compared per connection, in order: flags, SEQ relative to each side's ISS,
// ACK, text length, and the options (MSS, window scale, SACK-permitted,
// timestamps present, TSecr); windows and TSvals are not compared, and a
// bare ACK only one side sent is ACK timing (counted, not a difference).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "traces/replay/server_config.h"
#include "traces/replay/trace.h"

namespace tcpref::traces {

struct ReplayDifference {
  uint32_t packet = 0;  // recorded server packet (0: tcpref sent more)
  tcp::FourTuple tuple;
  std::string field;  // "flags", "seq (relative)", "missing", ...
  std::string expected;
  std::string got;
};

struct ReplayReport {
  uint32_t client_packets = 0;  // fed to Stack::receive
  uint32_t recorded_replies = 0;
  uint32_t tcpref_replies = 0;
  uint32_t compared = 0;    // reply pairs compared
  uint32_t ack_timing = 0;  // bare ACKs sent by one side only (not compared)
  std::vector<ReplayDifference> differences;
  bool ok() const { return differences.empty(); }
};

[[nodiscard]] ReplayReport replay(const Trace& trace, const ServerConfig& c);

std::string to_string(const ReplayDifference& d);

}  // namespace tcpref::traces
