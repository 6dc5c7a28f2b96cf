#include "proofs/diagram/dot.h"

#include <cctype>
#include <map>
#include <set>
#include <utility>

namespace tcpref::proofs {
namespace {

using model::TcpState;

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string node(TcpState s) {
  return "\"" + std::string(model::name(s)) + "\"";
}

// The guard in words: the row's description without its "STATE: " prefix.
std::string_view guard_words(model::Transition t) {
  std::string_view d = model::description(t);
  const size_t colon = d.find(": ");
  return colon == std::string_view::npos ? d : d.substr(colon + 2);
}

// Left-aligned label lines: row, guard (input and words), output, reference.
std::string label(const Edge& e) {
  std::string l = std::string(model::name(e.row)) + "\\l" + escape(e.input) +
                  ": " + escape(guard_words(e.row));
  l += "\\lsends " + escape(e.outputs) + "\\l" +
       escape(model::reference(e.row)) + "\\l";
  return l;
}

std::string header(const std::string& name, const std::string& title) {
  return "// Generated from model/transitions.h by //proofs/diagram:"
         "model_diagram.\n// Do not edit; regenerate with "
         "tools/model_diagram.sh.\ndigraph \"" +
         name + "\" {\n  label=\"" + escape(title) +
         "\";\n  labelloc=t;\n  rankdir=TB;\n  fontname=\"Helvetica\";\n"
         "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", "
         "fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", "
         "fontsize=9];\n";
}

// Blue arrows send a segment, grey ones do not. Arrows back towards CLOSED
// (to an earlier state in TcpState order) do not rank the states, so the
// handshake reads top to bottom.
std::string arrow(TcpState from, TcpState to, const std::string& label,
                  bool sends) {
  const char* colour = sends ? "#1f5fa8" : "#777777";
  return "  " + node(from) + " -> " + node(to) + " [label=\"" + label +
         "\", color=\"" + colour + "\", fontcolor=\"" + colour + "\"" +
         (to < from ? ", constraint=false" : "") + "];\n";
}

}  // namespace

std::string state_file(TcpState state) {
  std::string n = "state_";
  for (char c : model::name(state)) {
    n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return n;
}

std::string full_dot(const std::vector<Edge>& edges) {
  // One arrow per pair of states, one line per row: "kRow -> output".
  std::map<std::pair<TcpState, TcpState>, std::pair<std::string, bool>> arrows;
  std::vector<std::pair<TcpState, TcpState>> order;
  size_t silent = 0;
  for (const Edge& e : edges) {
    if (e.from == e.to && !e.sends) {
      ++silent;
      continue;
    }
    const auto key = std::make_pair(e.from, e.to);
    auto [it, fresh] = arrows.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.first +=
        std::string(model::name(e.row)) + " / " + escape(e.outputs) + "\\l";
    it->second.second = it->second.second || e.sends;
  }
  std::string out =
      header("model",
             "tcpref model: every row that changes state or sends, "
             "as row / output (" +
                 std::to_string(silent) +
                 " silent self-loops, guards and references are in the "
                 "per-state diagrams)");
  for (uint32_t s = 0; s < static_cast<uint32_t>(TcpState::kCount); ++s) {
    out += "  " + node(static_cast<TcpState>(s)) + ";\n";
  }
  for (const auto& key : order) {
    const auto& [text, sends] = arrows[key];
    out += arrow(key.first, key.second, text, sends);
  }
  return out + "}\n";
}

std::string state_dot(const std::vector<Edge>& edges, TcpState state) {
  std::string out =
      header(state_file(state), "tcpref model: rows that can fire in " +
                                    std::string(model::name(state)));
  out += "  " + node(state) + " [fillcolor=\"#ffd966\"];\n";
  std::set<TcpState> targets;
  std::string body;
  for (const Edge& e : edges) {
    if (e.from != state) continue;
    if (e.to != state && targets.insert(e.to).second) {
      out += "  " + node(e.to) + ";\n";
    }
    body += arrow(e.from, e.to, label(e), e.sends);
  }
  return out + body + "}\n";
}

}  // namespace tcpref::proofs
