#include <cstdio>
#include <sstream>

#include "model/print.h"
#include "model/transitions.h"
#include "traces/explain/render.h"

namespace tcpref::traces {
namespace {

constexpr size_t kLane = 64;  // characters between the client and server

std::string segment_text(const LadderRow& r) {
  std::string s = r.flags + " seq=" + std::to_string(r.seq);
  if (r.ack) s += " ack=" + std::to_string(*r.ack);
  s += " len=" + std::to_string(r.len) + " win=" + std::to_string(r.window);
  if (!r.options.empty()) s += " <" + r.options + ">";
  return s;
}

// "-- S seq=0 ... -->" or "<-- S. seq=0 ... --", padded to the lane.
std::string arrow(const LadderRow& r) {
  std::string label = " " + segment_text(r) + " ";
  const size_t room = kLane > label.size() + 4 ? kLane - label.size() - 4 : 0;
  const std::string left(room / 2, '-'), right(room - room / 2, '-');
  return r.from_client ? "|-" + left + label + right + "->|"
                       : "|<-" + left + label + right + "-|";
}

}  // namespace

std::string seconds(tcp::Time t) {
  char b[32];
  std::snprintf(b, sizeof b, "%lld.%06lld",
                static_cast<long long>(t.count() / 1000000),
                static_cast<long long>(t.count() % 1000000));
  return b;
}

std::string step_summary(const ModelStep& s) {
  return model::state_name(s.before) + " -> " + model::state_name(s.after) +
         " by " + std::string(model::name(s.row)) + " [" +
         std::string(model::reference(s.row)) + "]";
}

std::string model_sends(const ModelStep& s) {
  using model::OutputKind;
  const model::Output<model::Concrete>& o = s.out;
  if (o.kind == static_cast<uint32_t>(OutputKind::kNone)) return "nothing";
  const auto kind = static_cast<OutputKind>(o.kind);
  const bool no_record =
      s.before == static_cast<uint32_t>(model::TcpState::kClosed) ||
      s.before == static_cast<uint32_t>(model::TcpState::kListen);
  if (kind == OutputKind::kRst && no_record) {
    // RFC 9293 §3.10.7.1: no numbers of ours to be relative to.
    return o.flag_ack ? "RST,ACK <SEQ=0><ACK=SEG.SEQ+SEG.LEN>"
                      : "RST <SEQ=SEG.ACK>";
  }
  std::string t = kind == OutputKind::kChallengeAck
                      ? "challenge ACK"
                      : std::string(model::name(kind));
  t += " seq=" + std::to_string(o.seq - s.iss);
  if (o.flag_ack) t += " ack=" + std::to_string(o.ack - s.irs);
  std::string opts;
  if (o.mss_present) opts += " mss " + std::to_string(o.mss);
  if (o.ws_present) opts += " ws " + std::to_string(o.ws);
  if (o.sack_permitted) opts += " sackOK";
  if (o.ts_present) opts += " ts";
  if (!opts.empty()) t += " <" + opts.substr(1) + ">";
  return t;
}

std::string step_cause(const ModelStep& s, uint32_t row_number) {
  if (!s.input.empty()) return s.input;
  if (s.packet != row_number) return "reply to #" + std::to_string(s.packet);
  return "this segment";
}

std::string note_line(const LadderNote& n, uint32_t row_number) {
  std::string l = n.text;
  if (!n.step) return l;
  const ModelStep& s = *n.step;
  const std::string cause = step_cause(s, row_number);
  if (n.verdict == Verdict::kAgree || n.verdict == Verdict::kPiggyback) {
    if (!l.empty()) l += "; ";
    l += "the model's " + model_sends(s) + " (" + cause + ": " +
         step_summary(s) + ")";
    return l;
  }
  if (!l.empty()) l += "; ";
  if (cause != "this segment") l += cause + ": ";
  return l + step_summary(s) + "; model sends " + model_sends(s);
}

std::string render_text(const Explanation& x) {
  std::ostringstream os;
  os << "tcpref explain " << x.source << ": " << x.packets << " IPv4 packets, "
     << x.connections.size() << " connections, " << x.segment_rows()
     << " segments; " << x.config << "\n";
  for (const ConnectionLadder& c : x.connections) {
    const ConnectionReport& r = c.report;
    os << "\nconnection " << to_string(c.tuple.remote) << " -> "
       << to_string(c.tuple.local) << ": " << r.segments << " segments, "
       << r.steps << " model steps, " << r.agreements << " agreements, "
       << r.outside << " outside the model" << (r.ok() ? "  OK" : "  DISAGREES")
       << "\n";
    char head[40];
    std::snprintf(head, sizeof head, "%s %5s %12s  ", "  ", "#", "time (s)");
    os << head << "client" << std::string(kLane - 12, ' ') << "server\n";
    for (const LadderRow& row : c.rows) {
      char head[40];
      std::snprintf(
          head, sizeof head, "%s %5s %12s  ", row.bad() ? "!!" : "  ",
          row.number ? ("#" + std::to_string(row.number)).c_str() : "",
          seconds(row.time).c_str());
      os << head;
      if (row.segment) {
        os << arrow(row) << "\n";
      } else {
        os << "|" << std::string(kLane - 2, ' ') << "|  (model only)\n";
      }
      for (const LadderNote& n : row.notes) {
        const std::string line = note_line(n, row.number);
        os << (n.verdict == Verdict::kDisagree ? "  !!" : "    ")
           << std::string(18, ' ') << verdict_name(n.verdict)
           << (line.empty() ? "" : ": ") << line << "\n";
      }
    }
  }
  os << "\nRESULT " << (x.ok() ? "OK" : "DISAGREES") << "\n";
  return os.str();
}

}  // namespace tcpref::traces
