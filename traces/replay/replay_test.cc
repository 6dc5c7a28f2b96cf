// Replaying every committed trace into tcpref gives the recorded server's
// replies; an edited recording is caught at the edited packet.
#include "traces/replay/replay.h"

#include <gtest/gtest.h>

#include "traces/replay/test_traces.h"

namespace tcpref::traces {
namespace {

using namespace testing;

std::string dump(const ReplayReport& r) {
  std::string s;
  for (const ReplayDifference& d : r.differences) s += to_string(d) + "\n";
  return s;
}

TEST(Replay, EveryCommittedTraceGetsTheRecordedReplies) {
  for (const std::string& path : committed_pcaps()) {
    SCOPED_TRACE(path);
    Trace t = split_trace(load(path));
    const ReplayReport r = replay(t, config_for(path));
    EXPECT_TRUE(r.ok()) << dump(r);
    EXPECT_GT(r.client_packets, 0u);
    EXPECT_GT(r.compared, 0u);
    EXPECT_EQ(r.compared + r.ack_timing >= r.recorded_replies, true);
  }
}

TEST(Replay, AnEditedRecordingDiffersAtTheEditedPacket) {
  const std::string path = "traces/pcaps/linux_client_closes.pcap";
  std::vector<RawPacket> p = load(path);
  ASSERT_GE(p.size(), 2u);
  p[1] = edited(p[1], [](wire::Segment& s) { s.ack += 1; });
  Trace t = split_trace(std::move(p));
  const ReplayReport r = replay(t, config_for(path));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.differences[0].packet, 2u) << dump(r);
  EXPECT_EQ(r.differences[0].field, "ack");
}

// The second connection on the same 4-tuple (reopened from TIME-WAIT) is
// accepted and replayed with its own ISSes: an edit of its SYN-ACK shows.
TEST(Replay, TheSecondIncarnationOfATupleIsReplayed) {
  const std::string path = "traces/pcaps/linux_time_wait_reopen.pcap";
  std::vector<RawPacket> p = load(path);
  ASSERT_EQ(p.size(), 20u);
  const wire::Segment synack = segment_of(p[11]);
  ASSERT_TRUE(synack.has(wire::flags::kSyn) && synack.has(wire::flags::kAck));
  const ReplayReport whole = replay(split_trace(load(path)), config_for(path));
  EXPECT_TRUE(whole.ok()) << dump(whole);
  EXPECT_EQ(whole.compared, 10u);  // five server segments per incarnation

  p[11] = edited(p[11], [](wire::Segment& s) { s.ack += 1; });
  const ReplayReport r = replay(split_trace(std::move(p)), config_for(path));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.differences[0].packet, 12u) << dump(r);
  EXPECT_EQ(r.differences[0].field, "ack");
}

}  // namespace
}  // namespace tcpref::traces
