// A capture laid out for reading: per connection, every segment with its
// numbers relative to the ISNs, and what traces/replay's model check made of
// it (the model step it fed or answered, agreements, steps outside the model
// with their reason, disagreements and wire-rule violations). html.h and
// text.h render it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traces/replay/model_check.h"
#include "traces/replay/server_config.h"
#include "traces/replay/trace.h"

namespace tcpref::traces {

struct LadderNote {
  Verdict verdict = Verdict::kStep;
  std::string text;
  std::optional<ModelStep> step;  // the model step it fed or answered
};

struct LadderRow {
  // false: a model step no segment of this connection shows (a timer the
  // pcap clock fired, or another connection's segment closing the listener)
  bool segment = true;
  uint32_t number = 0;  // pcap record (0 for a timer)
  tcp::Time time{0};
  bool from_client = false;
  std::string flags;            // tcpdump's: S F R P . E W
  uint32_t seq = 0;             // relative to the sender's ISN
  std::optional<uint32_t> ack;  // relative to the receiver's ISN
  uint32_t len = 0;
  uint16_t window = 0;
  std::string options;  // "mss 1460 ws 7 sackOK ts 1/0", or ""
  std::vector<LadderNote> notes;
  bool bad() const;  // a disagreement or wire-rule violation
};

struct ConnectionLadder {
  tcp::FourTuple tuple;
  std::string params;  // the listener's model parameters
  ConnectionReport report;
  std::vector<LadderRow> rows;
  uint32_t segment_rows() const;
};

struct Explanation {
  std::string source;  // the capture as named on the command line
  std::string config;  // the server settings used (FILE.conf, --set)
  size_t packets = 0;  // IPv4 packets read
  uint32_t not_ipv4 = 0, not_tcp = 0, malformed = 0, no_syn = 0;
  std::vector<ConnectionLadder> connections;
  bool ok() const;
  uint32_t segment_rows() const;
};

// Lays out a checked trace.
[[nodiscard]] Explanation explain(const std::string& source, const Trace& trace,
                                  const CheckReport& report,
                                  const ServerConfig& config);

// Reads PATH (and PATH's .conf sidecar, then `settings`, key=value lines),
// checks it against the model and lays it out. Returns "" or a one-line
// error.
[[nodiscard]] std::string explain_file(const std::string& path,
                                       const std::string& settings,
                                       Explanation& out);

// "accept" etc.: the verdict's word in reports.
std::string verdict_name(Verdict v);

}  // namespace tcpref::traces
