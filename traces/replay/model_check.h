// Checks a recorded server against the model, one connection at a time.
//
// Each client segment is fed to the model (Concrete step) as the input it
// stands for; the server segments that follow it must be the model's outputs,
// in order, compared as refinement compares impl's (abstraction.h). A
// reply may show after client segments already in flight when the server
// sent it (capture order on lo is the senders' order); it stays owed until
// the server sends it, a timer falls due or the trace ends. What the model
// leaves open is resolved from the trace, as refinement's driver resolves it:
//  - the ISS of a request sock is the recorded SYN-ACK's (ISN choice is
//    outside the model); a cookie SYN-ACK compares as "a cookie" and the
//    server's numbers are then mapped through the two cookies' offset;
//  - timers: a SYN-ACK the client did not trigger is the retransmission
//    timer; expiry and TIME-WAIT's end come from the pcap clock;
//  - the application: a FIN from the server is close() (after accept() if
//    the child was queued), a RST to a queued child is the listener closing;
//  - other 4-tuples of the same listener are the model's Other* inputs.
// Windows and TSvals are not compared (buffer sizing and the server's clock
// are outside the model); TSecr is. Server text is outside the model: SND.NXT
// moves past it. Steps the model does not describe are counted as outside,
// never passed silently: refinement's known divergences (PAWS, segments
// not at RCV.NXT, cookie options), ACK timing (delayed or merged ACKs), FIN
// retransmissions, application aborts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/io.h"
#include "model/transitions.h"
#include "traces/replay/server_config.h"
#include "traces/replay/trace.h"
#include "traces/replay/wellformed.h"

namespace tcpref::traces {

// One model step, kept for reports that show the trace (traces/explain).
struct ModelStep {
  uint32_t packet = 0;  // pcap record that caused it; 0: the pcap clock
  tcp::Time time{0};
  std::string input;    // "" for the segment `packet`, else e.g. "close()"
  uint32_t before = 0;  // TcpState codes
  uint32_t after = 0;
  model::Transition row = model::Transition::kNoRow;
  model::Output<model::Concrete> out;  // kind kNone: nothing sent
  uint32_t iss = 0, irs = 0;           // the model's, after the step
};

// What the check made of one segment.
enum class Verdict : uint8_t {
  kStep,       // fed to the model (a client segment, or a call it implies)
  kAgree,      // a server segment that is the model's output
  kPiggyback,  // a server segment carrying the model's ACK
  kOutside,    // outside the model, for the reason given
  kDisagree,   // the disagreement (also: the reply owed and never sent)
  kUnchecked,  // after the connection's disagreement
};

struct SegmentNote {
  uint32_t packet = 0;  // pcap record
  Verdict verdict = Verdict::kStep;
  std::string text;
  int step = -1;  // index into ConnectionReport::model_steps, or -1
};

struct ConnectionReport {
  tcp::FourTuple tuple;
  uint32_t segments = 0;  // client and server segments in the trace
  uint32_t steps = 0;     // model inputs fed (segments, timers, app calls)
  std::vector<model::Transition> transitions;  // rows taken, in order
  uint32_t agreements = 0;  // steps whose outputs matched the server's
  uint32_t outside = 0;     // steps and segments outside the model
  std::map<std::string, uint32_t> outside_reasons;
  std::vector<Violation> violations;  // check_wellformed
  bool disagreed = false;
  uint32_t disagreement_packet = 0;  // pcap record number
  std::string disagreement;
  uint32_t unchecked = 0;              // segments after the disagreement
  std::vector<std::string> trace;      // one line per segment / step, readable
  std::vector<ModelStep> model_steps;  // this connection's own steps
  std::vector<SegmentNote> notes;      // per segment, in check order
  bool ok() const { return !disagreed && violations.empty(); }
};

struct ListenerReport {
  tcp::Endpoint server;
  std::string params;  // the model parameters used, readable
  std::vector<ConnectionReport> connections;
};

struct CheckReport {
  std::vector<ListenerReport> listeners;
  bool ok() const;
  // The first failing connection (packet order), or nullptr.
  const ConnectionReport* first_failure() const;
};

[[nodiscard]] CheckReport check_against_model(const Trace& trace,
                                              const ServerConfig& config);

}  // namespace tcpref::traces
