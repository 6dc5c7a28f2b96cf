// tcpref-explain: a capture as an annotated ladder diagram, checked against
// tcpref's model (docs/EXPLAIN.md).
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "traces/explain/explain.h"
#include "traces/explain/render.h"

namespace {

constexpr std::string_view kHelp =
    R"(Usage: tcpref-explain [--text] [-o FILE] [--set KEY=VALUE]... CAPTURE.pcap

Shows every TCP connection of a capture as a ladder diagram (client and
server columns, time going down, each segment with its flags, SEQ/ACK
relative to each side's ISN, length, window and options) and what tcpref's
model of the server makes of it: each client segment's model step (state
before and after, the transition row that fired and its RFC section), each
server segment's agreement with the model's output, steps outside the model
with their reason, and every disagreement with the model or wire rule
W1-W5 in red (docs/TRACES.md, docs/EXPLAIN.md).

The capture may come from tcpref-server (--pcap), from tcpdump or Wireshark
on any stack (raw IP, Ethernet, Linux cooked or BSD loopback link types;
IPv4), or from the packetdrill runner (--pcap). How the server was set up
is read from CAPTURE.conf next to it if present (docs/TRACES.md); --set
overrides it.

  --text           plain-text ladder for a terminal instead of HTML
  -o, --out FILE   write to FILE instead of standard output
  --set KEY=VALUE  a server setting (server=linux|tcpref, syncookies=0|1|2,
                   abort_on_overflow=0|1, rfc1337=0|1, backlog=N,
                   syn_queue_limit=N, synack_retries=N); repeatable
  --help           this text

The HTML page is self-contained (inline CSS and SVG, no network resources).
Exit status: 0 report written (whether or not the server agrees with the
model: the report says), 2 bad arguments or an unreadable capture.
)";

int fail(const std::string& msg) {
  std::cerr << "tcpref-explain: " << msg << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tcpref::traces;
  bool text = false;
  std::string out_path, settings, capture;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return 0;
    } else if (a == "--text") {
      text = true;
    } else if (a == "-o" || a == "--out") {
      if (++i == argc)
        return fail(std::string(a) + " needs a file (try --help)");
      out_path = argv[i];
    } else if (a == "--set") {
      if (++i == argc) return fail("--set needs KEY=VALUE (try --help)");
      settings += std::string(argv[i]) + "\n";
    } else if (a.starts_with("-") && a != "-") {
      return fail("unknown option '" + std::string(a) + "' (try --help)");
    } else if (!capture.empty()) {
      return fail("one capture at a time (try --help)");
    } else {
      capture = a;
    }
  }
  if (capture.empty()) return fail("no capture given (try --help)");
  Explanation x;
  if (std::string e = explain_file(capture, settings, x); !e.empty()) {
    return fail(e);
  }
  const std::string page = text ? render_text(x) : render_html(x);
  if (out_path.empty()) {
    std::cout << page;
    return 0;
  }
  std::ofstream out(out_path, std::ios::binary);
  out << page;
  out.close();
  if (!out) return fail("cannot write " + out_path);
  std::cerr << "tcpref-explain: wrote " << out_path << ": "
            << x.connections.size() << " connections, " << x.segment_rows()
            << " segments, "
            << (x.ok() ? "all agree with the model"
                       : "DISAGREES with the model")
            << "\n";
  return 0;
}
