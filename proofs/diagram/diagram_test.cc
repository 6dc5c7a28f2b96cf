#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "proofs/diagram/dot.h"
#include "proofs/diagram/edges.h"

namespace tcpref::proofs {
namespace {

using model::TcpState;
using model::Transition;

const std::vector<Edge>& edges() {
  static const std::vector<Edge> e = derive_edges();
  return e;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return in ? s.str() : "(missing: " + path + ")";
}

const Edge* find(Transition row, TcpState from, TcpState to) {
  for (const Edge& e : edges()) {
    if (e.row == row && e.from == from && e.to == to) return &e;
  }
  return nullptr;
}

// The derivation itself: known rows land where the table says.
TEST(DiagramTest, HandshakeEdgesAreDerived) {
  const Edge* syn = find(Transition::kListenSynRequest, TcpState::kListen,
                         TcpState::kSynReceived);
  ASSERT_NE(syn, nullptr);
  EXPECT_EQ(syn->input, "segment SYN !ACK !RST !FIN");
  EXPECT_EQ(syn->outputs, "SYN-ACK");
  const Edge* done = find(Transition::kSynRecvComplete, TcpState::kSynReceived,
                          TcpState::kEstablishedQueued);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->input, "segment !SYN ACK !RST");
  // The completing ACK draws an ACK only when it carries text or FIN.
  EXPECT_EQ(done->outputs, "nothing | ACK");
  // A RST in LISTEN never creates a record.
  EXPECT_EQ(
      find(Transition::kListenRst, TcpState::kListen, TcpState::kSynReceived),
      nullptr);
  EXPECT_NE(find(Transition::kListenRst, TcpState::kListen, TcpState::kListen),
            nullptr);
  // Under the reachable invariant LISTEN always has a listener, so a RST
  // there cannot reach CLOSED, and a request sock never lives without one.
  EXPECT_EQ(find(Transition::kSynRecvRstExact, TcpState::kSynReceived,
                 TcpState::kClosed),
            nullptr);
}

// Every row but the two out-of-range encodings is an edge somewhere.
TEST(DiagramTest, EveryRowIsDrawn) {
  for (uint32_t t = 0; t < static_cast<uint32_t>(Transition::kCount); ++t) {
    const auto row = static_cast<Transition>(t);
    if (row == Transition::kInvalidInput || row == Transition::kInvalidState)
      continue;
    bool drawn = false;
    for (const Edge& e : edges()) drawn = drawn || e.row == row;
    EXPECT_TRUE(drawn) << model::name(row);
  }
}

// The committed diagrams are what the table generates.
TEST(DiagramTest, CommittedDiagramsMatchTheTable) {
  EXPECT_EQ(read("docs/model/model.dot"), full_dot(edges()))
      << "regenerate with tools/model_diagram.sh";
  for (uint32_t s = 0; s < static_cast<uint32_t>(TcpState::kCount); ++s) {
    const auto st = static_cast<TcpState>(s);
    EXPECT_EQ(read("docs/model/" + state_file(st) + ".dot"),
              state_dot(edges(), st))
        << "regenerate with tools/model_diagram.sh";
  }
}

}  // namespace
}  // namespace tcpref::proofs
