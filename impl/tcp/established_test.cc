// ESTABLISHED and later: a child or accepted socket receiving segments
// (RFC 9293 §3.10.7.4, RFC 5961, RFC 7323), closing, and timers.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

constexpr uint32_t kSeq = kIrs + 1;  // the client's next sequence number

struct Conn {
  ListenerId listener;
  SocketId socket;
  uint32_t iss;
};

Conn EstablishPlain(Harness& h, uint16_t port = kClientPort) {
  Conn c;
  c.listener = h.Listen();
  c.iss = h.Handshake(port);
  c.socket = h.stack().accept(c.listener, h.now());
  return c;
}

// The ACK the socket sends while nothing changed: <SEQ=ISS+1><ACK=RCV.NXT>.
wire::Segment AckOf(uint32_t iss, uint32_t rcv_nxt, uint16_t window = 65535) {
  return {.seq = iss + 1, .ack = rcv_nxt, .flags = kAck, .window = window};
}

// RFC 5961 §3.2: RST with SEQ = RCV.NXT resets the connection.
//= RFC 9293 §3.10.7.4 type=test
//# If the RST bit is set and the sequence number exactly matches the next
//# expected sequence number (RCV.NXT), then TCP endpoints MUST reset the
//# connection in the manner prescribed below according to the connection
//# state.
TEST(Established, ExactRstResetsConnection) {
  Harness h;
  const Conn c = EstablishPlain(h);
  EXPECT_EQ(h.Send({.seq = kSeq, .flags = kRst}), Verdict::kAccepted);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().poll(c.socket),
            ready::kReadable | ready::kClosed | ready::kReset);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(c.socket, buf, h.now()).error,
            Error::kConnectionReset);
  EXPECT_EQ(h.counters().EstabResets, 1u);
  EXPECT_EQ(h.counters().CurrEstab, 0u);
  EXPECT_EQ(h.stack().close(c.socket, h.now()), Error::kOk);
  h.ExpectNothingSent();
  EXPECT_EQ(h.stack().poll(c.socket), 0u);  // handle is gone
}

// RFC 5961 §3.2: an in-window RST that is not exact draws a challenge ACK.
//= RFC 9293 §3.10.7.4 type=test
//# If the RST bit is set and the sequence number does not exactly match the
//# next expected sequence value, yet is within the current receive window,
//# TCP endpoints MUST send an acknowledgment (challenge ACK):
//= RFC 9293 §3.10.7.4 type=test
//# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable
//# segment and stop processing the incoming packet further.
TEST(Established, InWindowRstGetsChallengeAck) {
  Harness h;
  const Conn c = EstablishPlain(h);
  EXPECT_EQ(h.Send({.seq = kSeq + 1000, .flags = kRst}),
            Verdict::kDroppedInvalid);
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
  EXPECT_EQ(h.counters().TCPChallengeACK, 1u);
}

// RFC 5961 §3.2: a RST outside the window is dropped silently.
TEST(Established, OutOfWindowRstIsDropped) {
  Harness h;
  EstablishPlain(h);
  EXPECT_EQ(h.Send({.seq = kSeq + 70000, .flags = kRst}),
            Verdict::kDroppedInvalid);
  EXPECT_EQ(h.Send({.seq = kSeq - 1, .flags = kRst}), Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
}

// RFC 5961 §4.2: any SYN, in window or not, draws a challenge ACK.
//= RFC 9293 §3.10.7.4 type=test
//# if the SYN bit is set, irrespective of the sequence number, TCP endpoints
//# MUST send a "challenge ACK" to the remote peer:
//= RFC 9293 §3.10.7.4 type=test
//# After sending the acknowledgment, TCP implementations MUST drop the
//# unacceptable segment and stop processing further.
TEST(Established, AnySynGetsChallengeAck) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.Send({.seq = kSeq + 10, .flags = kSyn, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq));
  h.Send({.seq = kSeq - 100000, .flags = kSyn, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
  EXPECT_EQ(h.counters().TCPSYNChallenge, 2u);
}

// RFC 5961 §7: challenge ACKs are rate-limited per connection; another
// connection's budget is untouched (no global counter: CVE-2016-5696).
TEST(Established, ChallengeAcksAreRateLimitedPerSocket) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.challenge_acks_per_second = 2;
  Harness h(cfg);
  const Conn a = EstablishPlain(h, kClientPort);
  const uint32_t iss_b = h.Handshake(kClientPort + 1);
  for (int i = 0; i < 3; ++i) h.Send({.seq = kSeq + 1000, .flags = kRst});
  h.ExpectSent(AckOf(a.iss, kSeq));
  h.ExpectSent(AckOf(a.iss, kSeq));
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().TCPACKSkippedChallenge, 1u);

  h.Send({.src_port = kClientPort + 1, .seq = kSeq + 1000, .flags = kRst});
  wire::Segment b = AckOf(iss_b, kSeq);
  b.dst_port = kClientPort + 1;
  h.ExpectSent(b);

  h.Advance(seconds(1));  // a new second, a new budget
  h.Send({.seq = kSeq + 1000, .flags = kRst});
  h.ExpectSent(AckOf(a.iss, kSeq));
}

// Data in sequence is acknowledged at once and can be read.
TEST(Established, DataIsAcknowledgedAndReadable) {
  Harness h;
  const Conn c = EstablishPlain(h);
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck | kPsh,
          .window = 100,
          .payload = data});
  h.ExpectSent(AckOf(c.iss, kSeq + 100, 64 * 1024 - 100));
  EXPECT_EQ(h.stack().poll(c.socket), ready::kReadable | ready::kWritable);
  std::vector<uint8_t> out(200);
  const IoResult r = h.stack().read(c.socket, out, h.now());
  ASSERT_EQ(r.bytes, 100u);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), out.begin()));
  EXPECT_EQ(h.stack().read(c.socket, out, h.now()).error, Error::kWouldBlock);
}

// RFC 9293 §3.8.6.2.2: after a read reopens the window by at least
// min(buffer/2, MSS), and to at least twice what the peer sees, a window
// update is sent.
TEST(Established, ReadSendsWindowUpdate) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.receive_buffer = 2000;
  Harness h(cfg);
  const Conn c = EstablishPlain(h);
  std::vector<uint8_t> data(1500, 7);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent(AckOf(c.iss, kSeq + 1500, 500));
  std::vector<uint8_t> out(400);
  (void)h.stack().read(c.socket, out, h.now());
  h.ExpectNothingSent();  // grew by 400 < min(1000, 536)
  (void)h.stack().read(c.socket, out, h.now());
  h.ExpectSent(AckOf(c.iss, kSeq + 1500, 1300));
}

// A read that leaves the peer most of the window it already sees sends no
// window update of its own (Linux tcp_cleanup_rbuf; packetdrill's
// tcp_basic_server expects none): the next ACK carries the larger window.
TEST(Established, ReadWithWideOpenWindowSendsNothing) {
  Harness h;
  const Conn c = EstablishPlain(h);
  std::vector<uint8_t> data(1000, 7);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent(AckOf(c.iss, kSeq + 1000, 64 * 1024 - 1000));
  std::vector<uint8_t> out(1000);
  EXPECT_EQ(h.stack().read(c.socket, out, h.now()).bytes, 1000u);
  h.ExpectNothingSent();
}

// Data beyond the window is trimmed to what fits (TCPRcvQDrop).
TEST(Established, DataBeyondBufferIsTrimmed) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.receive_buffer = 1000;
  Harness h(cfg);
  const Conn c = EstablishPlain(h);
  std::vector<uint8_t> data(1200, 1);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent(AckOf(c.iss, kSeq + 1000, 0));
  EXPECT_EQ(h.counters().TCPRcvQDrop, 1u);
}

// RFC 9293 §3.10.7.4 "seventh", RFC 5681 §4.2: out-of-order data is
// queued and draws an immediate duplicate ACK; the segment that fills the gap
// delivers both, and RCV.NXT moves past them.
TEST(Established, OutOfOrderDataIsQueuedUntilTheGapFills) {
  Harness h;
  const Conn c = EstablishPlain(h);
  const std::array<uint8_t, 10> later = {11, 12, 13, 14, 15,
                                         16, 17, 18, 19, 20};
  h.Send({.seq = kSeq + 10,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = later});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.Inspect().rcv_nxt, kSeq);
  EXPECT_EQ(h.Inspect().ooo_bytes, 10u);
  EXPECT_EQ(h.Inspect().ooo_left, kSeq + 10);
  EXPECT_EQ(h.counters().TCPOFOQueue, 1u);
  const std::array<uint8_t, 10> first = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = first});
  h.ExpectSent(AckOf(c.iss, kSeq + 20, 64 * 1024 - 20));
  EXPECT_EQ(h.Inspect().ooo_bytes, 0u);
  std::array<uint8_t, 32> got{};
  const IoResult r = h.stack().read(c.socket, got, h.now());
  ASSERT_EQ(r.bytes, 20u);
  for (uint8_t i = 0; i < 20; ++i) EXPECT_EQ(got[i], i + 1);
}

// RFC 5681 §4.2: a FIN beyond RCV.NXT is out of order: it is not taken
// (no CLOSE-WAIT, RCV.NXT stays) but draws an immediate duplicate ACK.
TEST(Established, OutOfOrderFinDrawsDuplicateAck) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.Send(
      {.seq = kSeq + 5, .ack = c.iss + 1, .flags = kAck | kFin, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
  EXPECT_EQ(h.Inspect().rcv_nxt, kSeq);
  // A pure ACK beyond RCV.NXT carries nothing to acknowledge: no reply.
  h.Send({.seq = kSeq + 5, .ack = c.iss + 1, .flags = kAck, .window = 100});
  h.ExpectNothingSent();
}

// A retransmission overlapping what we have: only the new part is kept.
TEST(Established, OverlappingRetransmissionKeepsNewBytes) {
  Harness h;
  const Conn c = EstablishPlain(h);
  const std::array<uint8_t, 4> first = {1, 2, 3, 4};
  const std::array<uint8_t, 6> again = {1, 2, 3, 4, 5, 6};
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = first});
  h.ExpectSent(AckOf(c.iss, kSeq + 4, 64 * 1024 - 4));
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = again});
  h.ExpectSent(AckOf(c.iss, kSeq + 6, 64 * 1024 - 6));
  std::array<uint8_t, 16> out{};
  ASSERT_EQ(h.stack().read(c.socket, out, h.now()).bytes, 6u);
  EXPECT_EQ(out[5], 6);
}

// RFC 9293 §3.10.7.4 "first": an unacceptable segment gets an ACK.
TEST(Established, UnacceptableSegmentGetsAck) {
  Harness h;
  const Conn c = EstablishPlain(h);
  const std::array<uint8_t, 10> data{};
  h.Send({.seq = kSeq - 50,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.counters().TCPOutOfWindowDrop, 1u);
}

// RFC 9293 §3.10.7.4 "fifth": an ACK of data never sent gets an ACK.
TEST(Established, AckOfUnsentDataGetsAck) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.Send({.seq = kSeq, .ack = c.iss + 100, .flags = kAck, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.counters().TCPAckUnsentDrop, 1u);
}

// RFC 5961 §5.2: an ACK below SND.UNA − MAX.SND.WND draws a challenge ACK.
//= RFC 9293 §3.10.7.4 type=test
//# TCP stacks that implement RFC 5961 MUST add an input check that the ACK
//# value is acceptable only if it is in the range of ((SND.UNA -
//# MAX.SND.WND) =< SEG.ACK =< SND.NXT).
//= RFC 9293 §3.10.7.4 type=test
//# All incoming segments whose ACK value doesn't satisfy the above condition
//# MUST be discarded and an ACK sent back.
TEST(Established, TooOldAckGetsChallengeAck) {
  Harness h;
  const Conn c = EstablishPlain(h);  // MAX.SND.WND = 65535
  h.Send({.seq = kSeq, .ack = c.iss + 1 - 70000, .flags = kAck, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq));
  EXPECT_EQ(h.counters().TCPAckTooOldDrop, 1u);
  EXPECT_EQ(h.counters().TCPChallengeACK, 1u);
}

// RFC 5961 §5.2: MAX.SND.WND is the largest window ever received, the
// SYN's included: an old ACK within it is fine even if the completing ACK
// advertised a small window.
TEST(Established, MaxSndWndIncludesSynWindow) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs, .flags = kSyn, .window = 60000});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kSeq, .ack = iss + 1, .flags = kAck, .window = 100});
  EXPECT_EQ(
      h.Send(
          {.seq = kSeq, .ack = iss + 1 - 50000, .flags = kAck, .window = 100}),
      Verdict::kAccepted);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().TCPAckTooOldDrop, 0u);
}

// RFC 9293 §3.10.7.4 "fifth": without ACK, dropped.
TEST(Established, SegmentWithoutAckIsDropped) {
  Harness h;
  EstablishPlain(h);
  const std::array<uint8_t, 3> data{};
  EXPECT_EQ(h.Send({.seq = kSeq, .flags = kPsh, .window = 10, .payload = data}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().rcv_nxt, kSeq);
}

// RFC 7323 §5.3 R1 (PAWS): an older TSval is not acceptable: ACK, drop.
TEST(Established, PawsRejectsOlderTimestamp) {
  Harness h;
  const ListenerId l = h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.timestamps = wire::Timestamps{100, 0}}});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kSeq,
          .ack = iss + 1,
          .flags = kAck,
          .window = 100,
          .options = {.timestamps = wire::Timestamps{200, 1}}});
  (void)h.stack().accept(l, h.now());
  const std::array<uint8_t, 3> data{};
  h.Send({.seq = kSeq,
          .ack = iss + 1,
          .flags = kAck,
          .window = 100,
          .options = {.timestamps = wire::Timestamps{150, 1}},
          .payload = data});
  h.ExpectSent({.seq = iss + 1,
                .ack = kSeq,
                .flags = kAck,
                .window = 65535,
                .options = {.timestamps = wire::Timestamps{h.TsVal(), 200}}});
  EXPECT_EQ(h.counters().PAWSEstab, 1u);
  EXPECT_EQ(h.Inspect().rcv_nxt, kSeq);
}

// Passive close: FIN → CLOSE-WAIT (ACKed); close() sends FIN (LAST-ACK);
// its ACK closes the connection.
TEST(Established, PassiveClose) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.Send({.seq = kSeq, .ack = c.iss + 1, .flags = kAck | kFin, .window = 100});
  h.ExpectSent(AckOf(c.iss, kSeq + 1));
  EXPECT_EQ(h.Inspect().state, TcpState::kCloseWait);
  // EOF is readable; CLOSE-WAIT may still send (poll(2) semantics).
  EXPECT_EQ(h.stack().poll(c.socket), ready::kReadable | ready::kWritable);
  std::array<uint8_t, 4> buf{};
  const IoResult eof = h.stack().read(c.socket, buf, h.now());
  EXPECT_EQ(eof.bytes, 0u);
  EXPECT_EQ(eof.error, Error::kOk);

  EXPECT_EQ(h.stack().close(c.socket, h.now()), Error::kOk);
  h.ExpectSent({.seq = c.iss + 1,
                .ack = kSeq + 1,
                .flags = kFin | kAck,
                .window = 65535});
  EXPECT_EQ(h.Inspect().state, TcpState::kLastAck);
  h.Send({.seq = kSeq + 1, .ack = c.iss + 2, .flags = kAck, .window = 100});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().CurrEstab, 0u);
  EXPECT_EQ(h.counters().EstabResets, 0u);
}

// RFC 1122 §4.2.2.13: close() with unread data sends RST.
TEST(Established, CloseWithUnreadDataSendsRst) {
  Harness h;
  const Conn c = EstablishPlain(h);
  const std::array<uint8_t, 3> data{};
  h.Send({.seq = kSeq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 100,
          .payload = data});
  (void)h.PopSent();
  EXPECT_EQ(h.stack().close(c.socket, h.now()), Error::kOk);
  h.ExpectSent({.seq = c.iss + 1,
                .ack = kSeq + 3,
                .flags = kRst | kAck,
                .window = 64 * 1024 - 3});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().TCPAbortOnClose, 1u);
}

// abort() resets (RFC 9293 §3.10.4) in Linux's form:
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>.
TEST(Established, AbortSendsRst) {
  Harness h;
  const Conn c = EstablishPlain(h);
  EXPECT_EQ(h.stack().abort(c.socket, h.now()), Error::kOk);
  h.ExpectSent(
      {.seq = c.iss + 1, .ack = kSeq, .flags = kRst | kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().abort(c.socket, h.now()), Error::kBadHandle);
}

// Active close: FIN-WAIT-1 → (ACK) FIN-WAIT-2 → (FIN) TIME-WAIT.
TEST(Established, ActiveCloseReachesTimeWait) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.stack().close(c.socket, h.now());
  h.ExpectSent(
      {.seq = c.iss + 1, .ack = kSeq, .flags = kFin | kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().state, TcpState::kFinWait1);
  h.Send({.seq = kSeq, .ack = c.iss + 2, .flags = kAck, .window = 100});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().state, TcpState::kFinWait2);
  h.Send({.seq = kSeq, .ack = c.iss + 2, .flags = kAck | kFin, .window = 100});
  h.ExpectSent(
      {.seq = c.iss + 2, .ack = kSeq + 1, .flags = kAck, .window = 65535});
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.kind, RecordKind::kTimeWait);
  EXPECT_EQ(v.snd_nxt, c.iss + 2);
  EXPECT_EQ(v.rcv_nxt, kSeq + 1);
}

// Simultaneous close: FIN-WAIT-1 → (FIN) CLOSING → (ACK) TIME-WAIT.
TEST(Established, SimultaneousCloseGoesThroughClosing) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.stack().close(c.socket, h.now());
  (void)h.PopSent();
  h.Send({.seq = kSeq, .ack = c.iss + 1, .flags = kAck | kFin, .window = 100});
  h.ExpectSent(
      {.seq = c.iss + 2, .ack = kSeq + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().state, TcpState::kClosing);
  h.Send({.seq = kSeq + 1, .ack = c.iss + 2, .flags = kAck, .window = 100});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
}

// A closed socket's FIN is retransmitted with backoff (the RTO from the
// handshake's RTT sample, here the 200 ms floor, then 400, 800 ms ...);
// after orphan_retries it is reset and freed.
TEST(Established, UnacknowledgedFinIsRetransmittedThenReset) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.orphan_retries = 2;
  Harness h(cfg);
  const Conn c = EstablishPlain(h);
  h.stack().close(c.socket, h.now());
  const wire::Segment fin{
      .seq = c.iss + 1, .ack = kSeq, .flags = kFin | kAck, .window = 65535};
  h.ExpectSent(fin);
  h.Advance(std::chrono::milliseconds(199));
  h.ExpectNothingSent();
  h.Advance(std::chrono::milliseconds(1));
  h.ExpectSent(fin);
  h.Advance(std::chrono::milliseconds(400));
  h.ExpectSent(fin);
  h.Advance(std::chrono::milliseconds(800));
  h.ExpectSent(
      {.seq = c.iss + 2, .ack = kSeq, .flags = kRst | kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// An orphan in FIN-WAIT-2 is freed after fin_timeout (Linux
// tcp_fin_timeout), so a silent peer cannot pin a socket slot.
TEST(Established, OrphanInFinWait2TimesOut) {
  Harness h;
  const Conn c = EstablishPlain(h);
  h.stack().close(c.socket, h.now());
  (void)h.PopSent();
  h.Send({.seq = kSeq, .ack = c.iss + 2, .flags = kAck, .window = 100});
  h.Advance(seconds(59));
  EXPECT_EQ(h.Inspect().state, TcpState::kFinWait2);
  h.Advance(seconds(1));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  h.ExpectNothingSent();
}

// Data arriving for a closed (orphaned) socket resets it (Linux
// TCPAbortOnData) with <SEQ=SEG.ACK><CTL=RST>: with our FIN still
// unacknowledged (SEG.ACK = ISS+1) that is exactly the peer's RCV.NXT, which
// SND.NXT (ISS+2) is not, so an RFC 5961 peer accepts the reset.
TEST(Established, DataAfterCloseResets) {
  for (const uint32_t acked : {1u, 2u}) {
    Harness h;
    const Conn c = EstablishPlain(h);
    h.stack().close(c.socket, h.now());
    (void)h.PopSent();
    const std::array<uint8_t, 3> data{};
    h.Send({.seq = kSeq,
            .ack = c.iss + acked,
            .flags = kAck,
            .window = 100,
            .payload = data});
    h.ExpectSent({.seq = c.iss + acked, .flags = kRst});
    EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
    EXPECT_EQ(h.counters().TCPAbortOnData, 1u);
  }
}

// shutdown_write half-closes: data still arrives and is readable.
TEST(Established, HalfCloseStillReceives) {
  Harness h;
  const Conn c = EstablishPlain(h);
  EXPECT_EQ(h.stack().shutdown_write(c.socket, h.now()), Error::kOk);
  (void)h.PopSent();
  const std::array<uint8_t, 3> data = {4, 5, 6};
  h.Send({.seq = kSeq,
          .ack = c.iss + 2,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent({.seq = c.iss + 2,
                .ack = kSeq + 3,
                .flags = kAck,
                .window = 64 * 1024 - 3});
  std::array<uint8_t, 8> out{};
  EXPECT_EQ(h.stack().read(c.socket, out, h.now()).bytes, 3u);
}

}  // namespace
}  // namespace tcpref::tcp
