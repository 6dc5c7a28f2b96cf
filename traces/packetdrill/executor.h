// Runs a parsed packetdrill script in-process against tcpref's Stack, in
// virtual time starting at 0: inbound packets go to Stack::receive at their
// script time, outbound packets are captured from the PacketSink and
// matched field by field with packetdrill's timing tolerance, timers fire
// through Stack::advance in between, and system calls map onto the Stack
// API. Nothing touches a network: the addresses are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "traces/packetdrill/lexer.h"
#include "traces/packetdrill/script.h"

namespace tcpref::packetdrill {

enum class Outcome : uint8_t {
  kPass,
  kFail,         // the stack did something else than the script expects
  kUnsupported,  // the script needs a feature the runner or stack lacks
  kError,        // the script does not parse
};
[[nodiscard]] std::string_view to_string(Outcome o);

struct Result {
  Outcome outcome = Outcome::kPass;
  int line = 0;        // the script line the outcome is about (0: none)
  std::string reason;  // "expected ack 1 got 0", "TCP Fast Open", ...
};

// A packet into or out of the stack at its script time (--pcap).
struct CapturedPacket {
  int64_t at_us = 0;
  std::vector<uint8_t> bytes;  // the IPv4 datagram
};

struct RunOptions {
  // Overrides the script's --tolerance_usecs when set (packetdrill's
  // default is 4000).
  std::optional<int64_t> tolerance_usecs;
  Defines defines;
  std::ostream* verbose = nullptr;  // one line per event when set
  // Every packet the script sends in and the stack sends out, when set.
  std::vector<CapturedPacket>* capture = nullptr;
};

[[nodiscard]] Result run_script(const Script& script,
                                const RunOptions& options);

// Reads, parses (ERROR on a parse error) and runs one file.
[[nodiscard]] Result run_file(const std::string& path,
                              const RunOptions& options);

}  // namespace tcpref::packetdrill
