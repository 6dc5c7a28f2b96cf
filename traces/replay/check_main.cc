// bazel run //traces/replay:check -- [--help] [--verbose] file.pcap...
// Checks each recorded trace's server against the model (model_check.h)
// and prints, per connection, what was checked and the first disagreement.
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/transitions.h"
#include "traces/replay/model_check.h"
#include "traces/replay/pcap_file.h"
#include "traces/replay/replay.h"
#include "traces/replay/server_config.h"
#include "traces/replay/trace.h"

namespace tcpref::traces {
namespace {

constexpr std::string_view kHelp =
    R"(Usage: check [--replay] [--verbose] [--set KEY=VALUE]... FILE.pcap...

Checks the server side of every TCP connection in each pcap against the
model (model/step.h): each client segment is fed to the model, and the
server's replies must be the model's outputs (windows and TSvals aside).
Also checks wire rules W1-W5 (docs/TRACES.md). Prints per connection the
segments, the model rows taken, agreements, steps outside the model and the
first disagreement with a readable trace.

How the recorded server was set up is read from FILE.conf next to FILE.pcap
if it exists (key=value lines: server=linux|tcpref, syncookies=0|1|2,
abort_on_overflow=0|1, rfc1337=0|1, backlog=N, syn_queue_limit=N,
synack_retries=N); --set overrides it for every file.

  --replay         also replay the client packets into tcpref's Stack and
                   compare its replies with the recorded server's (SEQ
                   relative to each ISS; windows and TSvals not compared)
  --verbose        print every connection's trace, not only failing ones
  --set KEY=VALUE  a server setting, as in FILE.conf (repeatable)
  --help           this text

Exit status: 0 every connection agrees, 1 some disagreement or rule
violation, 2 bad arguments or an unreadable pcap.
)";

struct Args {
  bool replay = false;
  bool verbose = false;
  std::string settings;
  std::vector<std::string> files;
};

int usage_error(const std::string& msg) {
  std::cerr << "check: " << msg << " (try --help)\n";
  return 2;
}

std::string tuple_name(const tcp::FourTuple& t) {
  return to_string(t.remote) + " -> " + to_string(t.local);
}

void print_connection(const ConnectionReport& c, bool verbose) {
  std::cout << "  " << tuple_name(c.tuple) << ": " << c.segments
            << " segments, " << c.steps << " model steps, " << c.agreements
            << " agreements, " << c.outside << " outside the model";
  if (c.unchecked) std::cout << ", " << c.unchecked << " unchecked";
  std::cout << (c.ok() ? "  OK\n" : "  FAIL\n");
  std::cout << "    rows:";
  for (model::Transition t : c.transitions) std::cout << ' ' << model::name(t);
  std::cout << '\n';
  for (const auto& [why, n] : c.outside_reasons)
    std::cout << "    outside: " << why << " x" << n << '\n';
  if (c.disagreed) {
    std::cout << "    first disagreement at #" << c.disagreement_packet << ": "
              << c.disagreement << '\n';
  }
  for (const Violation& v : c.violations) {
    std::cout << "    violation at #" << v.number << ": " << v.rule << ": "
              << v.detail << '\n';
  }
  if (verbose || !c.ok()) {
    std::cout << "    trace:\n";
    for (const std::string& l : c.trace) std::cout << "    " << l << '\n';
  }
}

int run(const Args& args) {
  bool all_ok = true;
  for (const std::string& file : args.files) {
    PcapRead read = read_pcap(file);
    if (!read.ok()) {
      std::cerr << "check: " << read.error << '\n';
      return 2;
    }
    ServerConfig config;
    if (std::string e = load_sidecar_config(file, config); !e.empty()) {
      std::cerr << "check: " << e << '\n';
      return 2;
    }
    if (std::string e = parse_server_config(args.settings, config);
        !e.empty()) {
      std::cerr << "check: --set: " << e << '\n';
      return 2;
    }
    const size_t packets = read.packets.size();
    Trace trace = split_trace(std::move(read.packets));
    std::cout << "== " << file << ": " << packets << " IPv4 packets ("
              << trace.not_tcp << " not TCP, " << trace.malformed
              << " malformed, " << trace.no_syn
              << " without a SYN in the trace); " << to_string(config) << '\n';
    const CheckReport report = check_against_model(trace, config);
    for (const ListenerReport& l : report.listeners) {
      std::cout << "listener " << to_string(l.server) << '\n';
      if (args.verbose) std::cout << "  model params: " << l.params << '\n';
      for (const ConnectionReport& c : l.connections)
        print_connection(c, args.verbose);
    }
    if (report.listeners.empty()) std::cout << "  (no connection with a SYN)\n";
    bool ok = report.ok();
    if (args.replay) {
      const ReplayReport rr = replay(trace, config);
      std::cout << "replay into tcpref: " << rr.client_packets
                << " client packets, " << rr.recorded_replies
                << " recorded server segments, " << rr.tcpref_replies
                << " from tcpref, " << rr.compared << " pairs compared, "
                << rr.ack_timing << " bare ACKs on one side only (ACK timing), "
                << rr.differences.size() << " differences\n";
      for (const ReplayDifference& d : rr.differences)
        std::cout << "  " << to_string(d) << '\n';
      ok = ok && rr.ok();
    }
    std::cout << (ok ? "RESULT OK\n" : "RESULT FAIL\n");
    all_ok = all_ok && ok;
  }
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace tcpref::traces

int main(int argc, char** argv) {
  using namespace tcpref::traces;
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (a == "--replay") {
      args.replay = true;
    } else if (a == "--verbose" || a == "-v") {
      args.verbose = true;
    } else if (a == "--set" || a.starts_with("--set=")) {
      std::string v;
      if (a == "--set") {
        if (++i == argc) return usage_error("--set needs KEY=VALUE");
        v = argv[i];
      } else {
        v = std::string(a.substr(6));
      }
      args.settings += v + "\n";
    } else if (a.starts_with("-")) {
      return usage_error("unknown option '" + std::string(a) + "'");
    } else {
      args.files.emplace_back(a);
    }
  }
  if (args.files.empty()) return usage_error("no pcap file given");
  // Fail on a bad --set before reading any file.
  ServerConfig probe;
  if (std::string e = parse_server_config(args.settings, probe); !e.empty())
    return usage_error("--set: " + e);
  return run(args);
}
