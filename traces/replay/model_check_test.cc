// The checker over every committed trace, and over edited traces in which the
// server breaks a rule: each must be rejected at the packet that breaks it.
#include "traces/replay/model_check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "traces/replay/test_traces.h"

namespace tcpref::traces {
namespace {

using namespace testing;
using namespace wire::flags;

CheckReport check(std::vector<RawPacket> packets, const ServerConfig& c) {
  Trace t = split_trace(std::move(packets));
  return check_against_model(t, c);
}

std::string dump(const CheckReport& r) {
  std::string s;
  for (const ListenerReport& l : r.listeners)
    for (const ConnectionReport& c : l.connections)
      for (const std::string& line : c.trace) s += line + "\n";
  return s;
}

// Linux's cookie SYN-ACK with timestamps on carries the options in its TSval
// (docs/MODEL.md choice 13): the model describes none of the connection.
bool leaves_model_at_once(const std::string& path) {
  return path.ends_with("/linux_syncookies.pcap");
}

TEST(CommittedTraces, EveryOneAgreesWithTheModel) {
  const std::vector<std::string> pcaps = committed_pcaps();
  ASSERT_GE(pcaps.size(), 7u);
  for (const std::string& path : pcaps) {
    SCOPED_TRACE(path);
    std::vector<RawPacket> packets = load(path);
    ASSERT_FALSE(packets.empty());
    const CheckReport r = check(std::move(packets), config_for(path));
    ASSERT_FALSE(r.listeners.empty());
    EXPECT_TRUE(r.ok()) << dump(r);
    uint32_t agreements = 0, steps = 0;
    for (const ListenerReport& l : r.listeners) {
      for (const ConnectionReport& c : l.connections) {
        agreements += c.agreements;
        steps += c.steps;
      }
    }
    if (leaves_model_at_once(path)) {
      EXPECT_EQ(agreements, 0u);
      const ConnectionReport& c = r.listeners[0].connections[0];
      EXPECT_EQ(c.outside, c.segments);
      EXPECT_EQ(c.outside_reasons.begin()->first.substr(0, 2), "D1");
      continue;
    }
    // Something was checked: every trace begins with a handshake.
    EXPECT_GT(steps, 1u);
    EXPECT_GT(agreements, 0u);
  }
}

// The unedited trace the edits start from passes, so the failures below
// come from the edits.
class EditedTrace : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "traces/pcaps/linux_client_closes.pcap";
    packets_ = load(path_);
    ASSERT_EQ(packets_.size(), 10u);
    // #1 SYN, #2 SYN-ACK, #3 ACK, #4 client text, #5 ACK, #6 server text.
    ASSERT_TRUE(segment_of(packets_[1]).has(kSyn));
    ASSERT_TRUE(check(copy(), config_for(path_)).ok());
  }
  std::vector<RawPacket> copy() const { return packets_; }
  // The first failing connection, which must exist.
  ConnectionReport failure(std::vector<RawPacket> packets) {
    const CheckReport r = check(std::move(packets), config_for(path_));
    const ConnectionReport* f = r.first_failure();
    if (f == nullptr) {
      ADD_FAILURE() << "accepted:\n" << dump(r);
      return {};
    }
    return *f;
  }
  std::string path_;
  std::vector<RawPacket> packets_;
};

TEST_F(EditedTrace, SynAckAckingIsnPlusTwoIsRejectedAtTheSynAck) {
  std::vector<RawPacket> p = copy();
  p[1] = edited(p[1], [](wire::Segment& s) { s.ack += 1; });
  const ConnectionReport f = failure(std::move(p));
  EXPECT_TRUE(f.disagreed);
  EXPECT_EQ(f.disagreement_packet, 2u) << f.disagreement;
  ASSERT_FALSE(f.violations.empty());
  EXPECT_EQ(f.violations[0].number, 2u);
  EXPECT_EQ(f.violations[0].rule.substr(0, 2), "W1");
}

TEST_F(EditedTrace, DataBeforeTheHandshakeIsRejectedAtTheData) {
  std::vector<RawPacket> p = copy();
  wire::Segment synack = segment_of(p[1]);
  static const uint8_t kText[] = {'h', 'e', 'l', 'l', 'o'};
  wire::Segment data = synack;
  data.flags = kAck | kPsh;
  data.seq = synack.seq + 1;
  data.options = {};
  data.payload = kText;
  p.insert(p.begin() + 2, packet(0, p[1].time, data));
  renumber(p);
  const ConnectionReport f = failure(std::move(p));
  EXPECT_TRUE(f.disagreed);
  EXPECT_EQ(f.disagreement_packet, 3u) << f.disagreement;
  ASSERT_FALSE(f.violations.empty());
  EXPECT_EQ(f.violations[0].number, 3u);
  EXPECT_EQ(f.violations[0].rule.substr(0, 2), "W3");
}

// A server that took an out-of-window RST: it forgets the connection, so the
// client's next segment draws a no-socket RST where the model still ACKs.
TEST(EditedResetTrace, RstAcceptedOutOfWindowIsRejectedWhereItShows) {
  const std::string path = "traces/pcaps/linux_client_resets.pcap";
  std::vector<RawPacket> p = load(path);
  ASSERT_EQ(p.size(), 8u);
  ASSERT_TRUE(check(p, config_for(path)).ok());
  wire::Segment rst = segment_of(p[7]);
  ASSERT_TRUE(rst.has(kRst));
  p[7] = edited(p[7], [](wire::Segment& s) { s.seq += 1u << 24; });
  static const uint8_t kText[] = {'x'};
  wire::Segment more = rst;  // the client carries on at RCV.NXT
  more.flags = kAck;
  more.payload = kText;
  p.push_back(packet(9, p[7].time, more));
  wire::Segment reply{};  // "no such connection" (RFC 9293 §3.10.7.1)
  reply.src_addr = rst.dst_addr;
  reply.dst_addr = rst.src_addr;
  reply.src_port = rst.dst_port;
  reply.dst_port = rst.src_port;
  reply.flags = kRst;
  reply.seq = more.ack;
  p.push_back(packet(10, p[7].time, reply));
  const CheckReport r = check(std::move(p), config_for(path));
  const ConnectionReport* f = r.first_failure();
  ASSERT_NE(f, nullptr) << dump(r);
  EXPECT_TRUE(f->disagreed);
  EXPECT_EQ(f->disagreement_packet, 10u) << f->disagreement;
}

// Without the edit that moves it out of the window, the same RST ends the
// connection in the model too, and the no-socket RST agrees.
TEST(EditedResetTrace, TheSameRstInWindowEndsTheConnection) {
  const std::string path = "traces/pcaps/linux_client_resets.pcap";
  std::vector<RawPacket> p = load(path);
  wire::Segment rst = segment_of(p[7]);
  static const uint8_t kText[] = {'x'};
  wire::Segment more = rst;
  more.flags = kAck;
  more.payload = kText;
  p.push_back(packet(9, p[7].time, more));
  wire::Segment reply{};
  reply.src_addr = rst.dst_addr;
  reply.dst_addr = rst.src_addr;
  reply.src_port = rst.dst_port;
  reply.dst_port = rst.src_port;
  reply.flags = kRst;
  reply.seq = more.ack;
  p.push_back(packet(10, p[7].time, reply));
  const CheckReport r = check(std::move(p), config_for(path));
  EXPECT_TRUE(r.ok()) << dump(r);
}

// listen(0) on Linux 6.18: the first SYN gets a request sock and its child
// the one accept-queue place; later SYNs are dropped while the queue is
// full (the model's syn_queue_limit = backlog + 1). With the pre-6.13 limit
// (= backlog) the model drops the first SYN, and the SYN-ACK disagrees.
TEST(BacklogTrace, LinuxTakesOneRequestForBacklogZero) {
  const std::string path = "traces/pcaps/linux_backlog_overflow.pcap";
  ServerConfig c = config_for(path);
  ASSERT_EQ(c.backlog, 0u);
  const CheckReport r = check(load(path), c);
  ASSERT_TRUE(r.ok()) << dump(r);
  uint32_t full = 0;
  for (const ConnectionReport& conn : r.listeners[0].connections)
    for (model::Transition t : conn.transitions)
      full += t == model::Transition::kListenSynAcceptQueueFull;
  EXPECT_GT(full, 0u);

  c.syn_queue_limit = c.backlog;
  const CheckReport old = check(load(path), c);
  const ConnectionReport* f = old.first_failure();
  ASSERT_NE(f, nullptr) << dump(old);
  EXPECT_EQ(f->disagreement_packet, 2u) << f->disagreement;
}

// The same 4-tuple twice: the second SYN reopens the server's TIME-WAIT.
TEST(TimeWaitTrace, TheSecondConnectionReopensTimeWait) {
  const std::string path = "traces/pcaps/linux_time_wait_reopen.pcap";
  const CheckReport r = check(load(path), config_for(path));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.listeners[0].connections.size(), 1u);
  const auto& rows = r.listeners[0].connections[0].transitions;
  EXPECT_NE(std::find(rows.begin(), rows.end(),
                      model::Transition::kTimeWaitReopenRequest),
            rows.end());
}

// Linux answered the client's retransmitted SYN (#4) with a SYN-ACK (#6)
// that the capture shows after the client's ACK (#5), already in flight.
// The reply may cross #5, but it is still owed: without it the checker
// rejects the trace at the next server segment.
TEST(RetransmissionTraces, AReplyCrossingAClientSegmentIsStillOwed) {
  const std::string path = "traces/pcaps/linux_syn_retransmit.pcap";
  std::vector<RawPacket> p = load(path);
  ASSERT_EQ(p.size(), 14u);
  ASSERT_TRUE(check(p, config_for(path)).ok());
  ASSERT_TRUE(segment_of(p[3]).has(kSyn) && !segment_of(p[3]).has(kAck));
  ASSERT_TRUE(segment_of(p[5]).has(kSyn) && segment_of(p[5]).has(kAck));
  p.erase(p.begin() + 5);
  renumber(p);
  const CheckReport r = check(std::move(p), config_for(path));
  const ConnectionReport* f = r.first_failure();
  ASSERT_NE(f, nullptr) << dump(r);
  EXPECT_TRUE(f->disagreed);
  EXPECT_EQ(f->disagreement_packet, 8u) << f->disagreement;  // was #9
}

// With synack_retries=2 the request sends two retransmissions; a third is
// a disagreement (the model's request has given up).
TEST(RetransmissionTraces, SynAckRetransmissionsStopAtTheLimit) {
  const std::string path = "traces/pcaps/linux_synack_retransmit.pcap";
  std::vector<RawPacket> p = load(path);
  ASSERT_EQ(p.size(), 4u);
  const ServerConfig c = config_for(path);
  ASSERT_EQ(c.synack_retries, 2u);
  const CheckReport ok = check(p, c);
  ASSERT_TRUE(ok.ok()) << dump(ok);
  const auto& rows = ok.listeners[0].connections[0].transitions;
  EXPECT_EQ(std::count(rows.begin(), rows.end(),
                       model::Transition::kSynAckRetransmit),
            2);
  RawPacket third = p[3];
  third.number = 5;
  third.time += std::chrono::milliseconds(500);  // before the request expires
  p.push_back(third);
  const CheckReport r = check(std::move(p), c);
  const ConnectionReport* f = r.first_failure();
  ASSERT_NE(f, nullptr) << dump(r);
  EXPECT_EQ(f->disagreement_packet, 5u) << f->disagreement;
}

// A trace whose last two packets probe after a timer ran out passes and
// takes `expired`; moved to `inside` (while the timer still runs), the same
// reply disagrees at the last packet.
void ExpectTimerBoundary(const std::string& path, size_t packets,
                         model::Transition expired,
                         std::chrono::seconds inside) {
  SCOPED_TRACE(path);
  std::vector<RawPacket> p = load(path);
  ASSERT_EQ(p.size(), packets);
  const CheckReport ok = check(p, config_for(path));
  ASSERT_TRUE(ok.ok()) << dump(ok);
  const auto& rows = ok.listeners[0].connections[0].transitions;
  EXPECT_NE(std::find(rows.begin(), rows.end(), expired), rows.end());
  p[packets - 2].time = p[packets - 1].time = inside;
  const CheckReport r = check(std::move(p), config_for(path));
  const ConnectionReport* f = r.first_failure();
  ASSERT_NE(f, nullptr) << dump(r);
  EXPECT_EQ(f->disagreement_packet, packets) << f->disagreement;
}

// The probe ACK 62 s after the server closed finds TIME-WAIT gone (2·MSL is
// 60 s): the listener resets it. Moved to 30 s, inside TIME-WAIT, the same
// RST disagrees (the model's TIME-WAIT answers with an ACK).
TEST(ExpiryTraces, TimeWaitEndsAfterTwoMsl) {
  for (const std::string path : {"traces/pcaps/linux_time_wait_expiry.pcap",
                                 "traces/pcaps/tcpref_time_wait_expiry.pcap"}) {
    ExpectTimerBoundary(path, 12, model::Transition::kTimeWaitExpire,
                        std::chrono::seconds(30));
  }
}

// An ACK after the request gave up (synack_retries=2: 1 + 2 + 4 s) finds
// only the listener, which resets it; the same ACK at 5 s, while the
// request lives, completes the handshake in the model, so the RST disagrees.
TEST(ExpiryTraces, ARequestExpiresAfterItsLastRetransmission) {
  for (const std::string path : {"traces/pcaps/linux_request_expiry.pcap",
                                 "traces/pcaps/tcpref_request_expiry.pcap"}) {
    ExpectTimerBoundary(path, 6, model::Transition::kSynAckExpire,
                        std::chrono::seconds(5));
  }
}

// listen(2), four SYNs nobody completes: Linux's SYN queue takes three
// (backlog + 1), the fourth gets a cookie (syncookies=1) whose ACK makes a
// child. With the pre-6.13 limit (= backlog) the third would get the cookie,
// and its SYN-ACK retransmission (a cookie has no timer) disagrees.
TEST(BacklogTrace, LinuxSynQueueTakesBacklogPlusOne) {
  const std::string path = "traces/pcaps/linux_syn_queue_overflow_cookies.pcap";
  ServerConfig c = config_for(path);
  ASSERT_EQ(c.backlog, 2u);
  const CheckReport r = check(load(path), c);
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.listeners[0].connections.size(), 4u);
  uint32_t cookies = 0, cookie_children = 0;
  for (const ConnectionReport& conn : r.listeners[0].connections) {
    for (model::Transition t : conn.transitions) {
      cookies += t == model::Transition::kListenSynCookie;
      cookie_children += t == model::Transition::kListenAckCookie;
    }
  }
  EXPECT_EQ(cookies, 1u);
  EXPECT_EQ(cookie_children, 1u);
  const auto& fourth = r.listeners[0].connections[3].transitions;
  EXPECT_NE(std::find(fourth.begin(), fourth.end(),
                      model::Transition::kListenSynCookie),
            fourth.end());

  c.syn_queue_limit = c.backlog;
  const CheckReport old = check(load(path), c);
  EXPECT_NE(old.first_failure(), nullptr) << dump(old);
}

}  // namespace
}  // namespace tcpref::traces
