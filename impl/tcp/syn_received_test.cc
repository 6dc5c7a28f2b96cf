// SYN-RECEIVED: a request sock and the segments that reach it
// (RFC 9293 §3.10.7.4, RFC 5961; Linux tcp_check_req), SYN-ACK
// retransmission, and accept-queue admission with its overflow policies.
#include <gtest/gtest.h>

#include <array>

#include "impl/tcp/testing/harness.h"
#include "impl/tcp/testing_hooks.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

// Sends a plain SYN and consumes the SYN-ACK; returns the ISS.
uint32_t OpenRequest(Harness& h, uint16_t port = kClientPort) {
  h.Send({.src_port = port, .seq = kIrs, .flags = kSyn, .window = 65535});
  const uint32_t iss = h.Iss(port);
  h.ExpectSent({.dst_port = port,
                .seq = iss,
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  return iss;
}

// RFC 9293 §3.10.7.4 "fifth", SYN-RECEIVED: SEG.ACK = ISS+1 and
// SEG.SEQ = IRS+1 make the connection ESTABLISHED; the child waits in the
// accept queue.
TEST(SynReceived, AckCompletesHandshake) {
  Harness h;
  const ListenerId l = h.Listen();
  const uint32_t iss = OpenRequest(h);
  EXPECT_EQ(
      h.Send({.seq = kIrs + 1, .ack = iss + 1, .flags = kAck, .window = 1000}),
      Verdict::kAccepted);
  h.ExpectNothingSent();
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.kind, RecordKind::kChildQueued);
  EXPECT_EQ(v.state, TcpState::kEstablished);
  EXPECT_EQ(v.snd_una, iss + 1);
  EXPECT_EQ(v.rcv_nxt, kIrs + 1);
  EXPECT_EQ(v.snd_wnd, 1000u);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.stack().accept_queue_length(l), 1u);
  EXPECT_EQ(h.stack().poll(l), ready::kAcceptable);
  EXPECT_EQ(h.counters().PassiveOpens, 1u);
  EXPECT_EQ(h.counters().CurrEstab, 1u);

  const SocketId s = h.stack().accept(l, h.now());
  ASSERT_TRUE(s.valid());
  EXPECT_EQ(h.Inspect().kind, RecordKind::kSocket);
  EXPECT_EQ(h.stack().tuple(s), h.Tuple());
  EXPECT_FALSE(h.stack().accept(l, h.now()).valid());
  EXPECT_EQ(h.stack().poll(l), 0u);
}

// A child reset (exact RST, RFC 5961 §3.2) before accept() leaves the
// accept queue; accept() never hands out a dead connection.
TEST(SynReceived, ChildResetBeforeAcceptLeavesQueue) {
  Harness h;
  const ListenerId l = h.Listen();
  h.Handshake(kClientPort);
  h.Handshake(kClientPort + 1);
  EXPECT_EQ(h.stack().accept_queue_length(l), 2u);
  h.Send({.src_port = kClientPort, .seq = kIrs + 1, .flags = kRst});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect(kClientPort).kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().accept_queue_length(l), 1u);
  const SocketId s = h.stack().accept(l, h.now());
  EXPECT_EQ(h.stack().tuple(s), h.Tuple(kClientPort + 1));
  EXPECT_FALSE(h.stack().accept(l, h.now()).valid());
  EXPECT_EQ(h.counters().EstabResets, 1u);
}

// Window scaling applies from the first non-SYN segment (RFC 7323 §2.2).
TEST(SynReceived, FinalAckWindowIsScaled) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.window_scale = 3}});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kIrs + 1, .ack = iss + 1, .flags = kAck, .window = 1000});
  EXPECT_EQ(h.Inspect().snd_wnd, 8000u);
}

// Data on the completing ACK is kept and acknowledged (RFC 9293 §3.10.7.4
// "seventh"), and readable after accept.
TEST(SynReceived, DataOnFinalAckIsKept) {
  Harness h;
  const ListenerId l = h.Listen();
  const uint32_t iss = OpenRequest(h);
  const std::array<uint8_t, 5> data = {'h', 'e', 'l', 'l', 'o'};
  h.Send({.seq = kIrs + 1,
          .ack = iss + 1,
          .flags = kAck | kPsh,
          .window = 1000,
          .payload = data});
  h.ExpectSent({.seq = iss + 1,
                .ack = kIrs + 1 + 5,
                .flags = kAck,
                .window = 64 * 1024 - 5});  // receive buffer minus data
  const SocketId s = h.stack().accept(l, h.now());
  std::array<uint8_t, 16> buf{};
  const IoResult r = h.stack().read(s, buf, h.now());
  EXPECT_EQ(r.error, Error::kOk);
  ASSERT_EQ(r.bytes, 5u);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), buf.begin()));
}

// A FIN on the completing ACK is kept: the child is queued in CLOSE-WAIT
// (RFC 9293 §3.10.7.4 "eighth").
TEST(SynReceived, FinOnFinalAckIsKept) {
  Harness h;
  const ListenerId l = h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Send(
      {.seq = kIrs + 1, .ack = iss + 1, .flags = kAck | kFin, .window = 1000});
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 2, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().state, TcpState::kCloseWait);
  EXPECT_EQ(h.Inspect().kind, RecordKind::kChildQueued);
  const SocketId s = h.stack().accept(l, h.now());
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).bytes, 0u);  // EOF
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kOk);
}

// RFC 9293 §3.10.7.4 "fifth", SYN-RECEIVED: an unacceptable ACK draws
// <SEQ=SEG.ACK><CTL=RST>; the request sock stays.
TEST(SynReceived, UnacceptableAckGetsRst) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  EXPECT_EQ(
      h.Send({.seq = kIrs + 1, .ack = iss + 2, .flags = kAck, .window = 1000}),
      Verdict::kDroppedInvalid);
  h.ExpectSent({.seq = iss + 2, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  h.Send({.seq = kIrs + 1, .ack = iss, .flags = kAck, .window = 1000});
  h.ExpectSent({.seq = iss, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// The planted bug (testing_hooks.h) breaks exactly the rule above, so the
// test above would catch it.
TEST(SynReceived, PlantedBugAcceptsIssPlus2) {
  Harness h;
  TestingAccess::hooks(h.stack()).bug_accept_ack_iss_plus_2 = true;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Send({.seq = kIrs + 1, .ack = iss + 2, .flags = kAck, .window = 1000});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kChildQueued);
  // The child then sees SEG.ACK beyond SND.NXT and answers with an ACK.
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
}

// RFC 5961 §3.2: RST with SEQ = RCV.NXT aborts the embryonic connection.
//= RFC 9293 §3.10.7.4 type=test
//# If the RST bit is set and the sequence number exactly matches the next
//# expected sequence number (RCV.NXT), then TCP endpoints MUST reset the
//# connection in the manner prescribed below according to the connection
//# state.
TEST(SynReceived, ExactRstRemovesRequest) {
  Harness h;
  const ListenerId l = h.Listen();
  OpenRequest(h);
  EXPECT_EQ(h.Send({.seq = kIrs + 1, .flags = kRst}), Verdict::kAccepted);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().EmbryonicRsts, 1u);
}

// RFC 5961 §3.2: an in-window RST that is not exact draws a challenge ACK.
//= RFC 9293 §3.10.7.4 type=test
//# If the RST bit is set and the sequence number does not exactly match the
//# next expected sequence value, yet is within the current receive window,
//# TCP endpoints MUST send an acknowledgment (challenge ACK):
//= RFC 9293 §3.10.7.4 type=test
//# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable
//# segment and stop processing the incoming packet further.
TEST(SynReceived, InWindowRstGetsChallengeAck) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  EXPECT_EQ(h.Send({.seq = kIrs + 100, .flags = kRst}),
            Verdict::kDroppedInvalid);
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().TCPChallengeACK, 1u);
}

// RFC 5961 §3.2: an out-of-window RST is silently dropped.
TEST(SynReceived, OutOfWindowRstIsDropped) {
  Harness h;
  h.Listen();
  OpenRequest(h);
  EXPECT_EQ(h.Send({.seq = kIrs + 1 + 70000, .flags = kRst}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// A retransmitted SYN (same IRS) gets the SYN-ACK again.
TEST(SynReceived, DuplicateSynGetsSynAckAgain) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Advance(std::chrono::milliseconds(300));
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  h.ExpectSent({.seq = iss,
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_EQ(h.Inspect().iss, iss);
}

// RFC 9293 §3.10.7.4 "fourth": a new SYN in the window aborts the
// passively opened embryonic connection — with a RST, as Linux
// (embryonic_reset) and the model do.
TEST(SynReceived, SynInWindowResetsRequest) {
  Harness h;
  const ListenerId l = h.Listen();
  OpenRequest(h);
  EXPECT_EQ(h.Send({.seq = kIrs + 5000, .flags = kSyn, .window = 65535}),
            Verdict::kDroppedInvalid);
  h.ExpectSent({.seq = 0, .ack = kIrs + 5001, .flags = kRst | kAck});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().AttemptFails, 1u);
}

// A SYN outside the window is an unacceptable segment: ACK, request stays.
TEST(SynReceived, SynOutOfWindowGetsAck) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Send({.seq = kIrs + 100000, .flags = kSyn, .window = 65535});
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().irs, kIrs);
}

// With scaling negotiated, the request sock's ACK carries a scaled window
// (RFC 7323 §2.2: only SYNs are unscaled; Linux tcp_v4_reqsk_send_ack).
TEST(SynReceived, AckFromRequestSockHasScaledWindow) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.window_scale = 3}});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kIrs + 100000, .flags = kSyn, .window = 65535});
  h.ExpectSent({.seq = iss + 1,
                .ack = kIrs + 1,
                .flags = kAck,
                .window = 65535 >> 7});  // our shift (StackConfig default)
}

// The ACK field is checked before the sequence number (Linux
// tcp_check_req; the model): bad ACK and bad SEQ together draw the RST.
TEST(SynReceived, BadAckIsCheckedBeforeSequence) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Send({.seq = kIrs - 1000, .ack = iss + 7, .flags = kAck, .window = 10});
  h.ExpectSent({.seq = iss + 7, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// RFC 9293 §3.10.7.4 "first": an unacceptable segment gets an ACK.
TEST(SynReceived, UnacceptableSequenceGetsAck) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  h.Send({.seq = kIrs - 1000, .ack = iss + 1, .flags = kAck, .window = 10});
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// In window but past IRS+1 (an earlier segment lost): re-ACK, no child.
TEST(SynReceived, AckPastIrsPlusOneGetsAck) {
  Harness h;
  h.Listen();
  const uint32_t iss = OpenRequest(h);
  const std::array<uint8_t, 3> data = {1, 2, 3};
  h.Send({.seq = kIrs + 10,
          .ack = iss + 1,
          .flags = kAck,
          .window = 10,
          .payload = data});
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// RFC 9293 §3.10.7.4 "fifth": a segment without ACK is dropped.
TEST(SynReceived, SegmentWithoutAckIsDropped) {
  Harness h;
  h.Listen();
  OpenRequest(h);
  const std::array<uint8_t, 3> data = {1, 2, 3};
  EXPECT_EQ(
      h.Send({.seq = kIrs + 1, .flags = kPsh, .window = 10, .payload = data}),
      Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// RFC 7323 §5.3 R1: PAWS applies to the completing ACK.
TEST(SynReceived, PawsRejectsOlderTimestamp) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.timestamps = wire::Timestamps{5000, 0}}});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kIrs + 1,
          .ack = iss + 1,
          .flags = kAck,
          .window = 10,
          .options = {.timestamps = wire::Timestamps{4999, 1}}});
  h.ExpectSent({.seq = iss + 1,
                .ack = kIrs + 1,
                .flags = kAck,
                .window = 65535,
                .options = {.timestamps = wire::Timestamps{h.TsVal(), 5000}}});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().PAWSEstab, 1u);
}

// RFC 7323 §3.2: with timestamps negotiated, a non-RST segment without
// TSopt is dropped.
TEST(SynReceived, MissingTimestampIsDropped) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.timestamps = wire::Timestamps{5000, 0}}});
  const uint32_t iss = h.PopSent().segment.seq;
  EXPECT_EQ(
      h.Send({.seq = kIrs + 1, .ack = iss + 1, .flags = kAck, .window = 10}),
      Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// SYN-ACK retransmission (RFC 6298 §2.1, §5.5): 1 s, then doubling, five
// retries by default, then the request sock is removed: retransmits at
// 1, 3, 7, 15, 31 s, removal at 63 s (as Linux).
TEST(SynReceived, SynAckRetransmitScheduleWithVirtualTime) {
  Harness h;
  const ListenerId l = h.Listen();
  const uint32_t iss = OpenRequest(h);
  const wire::Segment synack{.seq = iss,
                             .ack = kIrs + 1,
                             .flags = kSyn | kAck,
                             .window = 65535,
                             .options = {.mss = 1460}};
  const int retransmit_at[] = {1, 3, 7, 15, 31};
  int elapsed_ms = 0;
  for (int i = 0; i < 5; ++i) {
    const int due_ms = retransmit_at[i] * 1000;
    h.Advance(std::chrono::milliseconds(due_ms - 1 - elapsed_ms));
    h.ExpectNothingSent();
    h.Advance(std::chrono::milliseconds(1));
    elapsed_ms = due_ms;
    h.ExpectSent(synack);
    EXPECT_EQ(h.Inspect().retransmits, i + 1);
    EXPECT_EQ(
        h.stack().next_timer(),
        kStart + std::chrono::milliseconds(due_ms) + seconds(1 << (i + 1)));
  }
  h.Advance(std::chrono::milliseconds(63000 - 1 - elapsed_ms));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  h.Advance(std::chrono::milliseconds(1));
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().TCPSynRetrans, 5u);
  EXPECT_EQ(h.stack().next_timer(), std::nullopt);
}

// The retry limit is configurable per listener.
TEST(SynReceived, SynAckRetryLimitIsConfigurable) {
  Harness h;
  h.Listen({.synack_retries = 1});
  OpenRequest(h);
  h.Advance(seconds(1));
  (void)h.PopSent();
  h.Advance(seconds(2));
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// Backlog like Linux: full when MORE than `backlog` children wait, so
// backlog N admits N+1.
TEST(SynReceived, BacklogNAdmitsNPlusOne) {
  for (uint32_t backlog : {0u, 1u, 3u}) {
    Harness h;
    const ListenerId l = h.Listen({.backlog = backlog});
    for (uint32_t i = 0; i <= backlog; ++i) {
      h.Handshake(static_cast<uint16_t>(kClientPort + i));
    }
    EXPECT_EQ(h.stack().accept_queue_length(l), backlog + 1);
    EXPECT_EQ(h.counters().ListenOverflows, 0u);
    // One more: its SYN is refused because the queue is full.
    h.Send({.src_port = static_cast<uint16_t>(kClientPort + backlog + 1),
            .seq = kIrs,
            .flags = kSyn,
            .window = 65535});
    h.ExpectNothingSent();
    EXPECT_EQ(h.counters().ListenOverflows, 1u);
  }
}

// Overflow policy kDrop (default): the completing ACK is dropped, the
// request sock stays, and the SYN-ACK retransmission lets the client's
// repeated ACK succeed once there is room.
TEST(SynReceived, OverflowDropPolicyKeepsRequestSock) {
  Harness h;
  const ListenerId l = h.Listen({.backlog = 0});
  const uint32_t iss2 = OpenRequest(h, kClientPort + 1);  // before it fills
  h.Handshake(kClientPort);
  EXPECT_EQ(h.stack().accept_queue_length(l), 1u);

  EXPECT_EQ(h.Send({.src_port = kClientPort + 1,
                    .seq = kIrs + 1,
                    .ack = iss2 + 1,
                    .flags = kAck,
                    .window = 100}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().ListenOverflows, 1u);
  EXPECT_EQ(h.counters().ListenDrops, 1u);

  h.Advance(seconds(1));
  h.ExpectSent({.dst_port = kClientPort + 1,
                .seq = iss2,
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_TRUE(h.stack().accept(l, h.now()).valid());
  h.Send({.src_port = kClientPort + 1,
          .seq = kIrs + 1,
          .ack = iss2 + 1,
          .flags = kAck,
          .window = 100});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kChildQueued);
}

// Overflow policy kReset (Linux tcp_abort_on_overflow): RST with
// SEQ = SEG.ACK and the request sock is removed.
TEST(SynReceived, OverflowResetPolicySendsRst) {
  Harness h;
  const ListenerId l =
      h.Listen({.backlog = 0, .overflow = OverflowPolicy::kReset});
  const uint32_t iss2 = OpenRequest(h, kClientPort + 1);
  h.Handshake(kClientPort);
  h.Send({.src_port = kClientPort + 1,
          .seq = kIrs + 1,
          .ack = iss2 + 1,
          .flags = kAck,
          .window = 100});
  h.ExpectSent({.dst_port = kClientPort + 1, .seq = iss2 + 1, .flags = kRst});
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().ListenOverflows, 1u);
}

// The socket table is bounded: with no free slot the ACK meets the
// overflow policy (ListenDrops without ListenOverflows).
TEST(SynReceived, SocketTableFullAppliesOverflowPolicy) {
  StackConfig c = Harness::DefaultConfig();
  c.max_sockets = 1;
  Harness h(c);
  h.Listen({.overflow = OverflowPolicy::kReset});
  const uint32_t iss2 = OpenRequest(h, kClientPort + 1);
  h.Handshake(kClientPort);
  h.Send({.src_port = kClientPort + 1,
          .seq = kIrs + 1,
          .ack = iss2 + 1,
          .flags = kAck,
          .window = 100});
  h.ExpectSent({.dst_port = kClientPort + 1, .seq = iss2 + 1, .flags = kRst});
  EXPECT_EQ(h.counters().ListenDrops, 1u);
  EXPECT_EQ(h.counters().ListenOverflows, 0u);
}

}  // namespace
}  // namespace tcpref::tcp
