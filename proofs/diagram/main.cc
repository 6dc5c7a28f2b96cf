// model_diagram: writes the model's transition table as Graphviz dot files
// (model.dot and one state_*.dot per state), or checks committed ones.
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "proofs/diagram/dot.h"
#include "proofs/diagram/edges.h"

namespace {

constexpr char kUsage[] =
    "Usage: model_diagram --out DIR | --check DIR\n"
    "\n"
    "Derives the model's state diagram from the transition table\n"
    "(model/step.h) with Z3: for every row, the states its guard can hold\n"
    "in under the proofs' reachable invariant, the states its action leads\n"
    "to, what it sends and the SYN/ACK/RST/FIN flags its guard requires.\n"
    "Each edge is labelled with the row, its guard, its output and its\n"
    "reference (RFC section, MODEL.md choice or Linux behaviour).\n"
    "\n"
    "  --out DIR    write DIR/model.dot and DIR/state_<state>.dot\n"
    "  --check DIR  compare them with the files in DIR; exit 1 on a\n"
    "               difference (regenerate with tools/model_diagram.sh)\n"
    "  --help       this text\n";

std::map<std::string, std::string> render() {
  using tcpref::model::TcpState;
  const auto edges = tcpref::proofs::derive_edges();
  std::map<std::string, std::string> files;
  files["model.dot"] = tcpref::proofs::full_dot(edges);
  for (uint32_t s = 0; s < static_cast<uint32_t>(TcpState::kCount); ++s) {
    const auto st = static_cast<TcpState>(s);
    files[tcpref::proofs::state_file(st) + ".dot"] =
        tcpref::proofs::state_dot(edges, st);
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 ||
                    std::strcmp(argv[1], "-h") == 0)) {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 3 || (std::strcmp(argv[1], "--out") != 0 &&
                    std::strcmp(argv[1], "--check") != 0)) {
    std::cerr << "model_diagram: expected --out DIR or --check DIR (try "
                 "--help)\n";
    return 2;
  }
  const bool check = std::strcmp(argv[1], "--check") == 0;
  const std::string dir = argv[2];
  int differ = 0;
  for (const auto& [name, text] : render()) {
    std::string path = dir;
    path += "/";
    path += name;
    if (check) {
      std::ifstream in(path);
      std::stringstream committed;
      committed << in.rdbuf();
      if (!in || committed.str() != text) {
        std::cerr << "model_diagram: " << path
                  << " differs from the transition table\n";
        ++differ;
      }
      continue;
    }
    std::ofstream out(path);
    out << text;
    if (!out) {
      std::cerr << "model_diagram: cannot write " << path << "\n";
      return 2;
    }
  }
  return differ == 0 ? 0 : 1;
}
