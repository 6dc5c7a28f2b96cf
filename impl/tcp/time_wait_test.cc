// TIME-WAIT records (RFC 9293 §3.10.7.4 TIME-WAIT, RFC 1337, RFC 6191;
// Linux tcp_timewait_state_process).
#include <gtest/gtest.h>

#include <array>
#include <optional>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

constexpr uint32_t kSeq = kIrs + 1;

struct Closed {
  uint32_t iss;
  uint32_t snd_nxt;  // ISS + 2: SYN and FIN
  uint32_t rcv_nxt;  // the client's FIN + 1
};

std::optional<wire::Timestamps> Ts(bool on, uint32_t tsval,
                                   uint32_t tsecr = 0) {
  if (!on) return std::nullopt;
  return wire::Timestamps{tsval, tsecr};
}

// Handshake, accept, close (our FIN), the client's ACK and FIN: the server
// ends in TIME-WAIT. With timestamps the client's last TSval is 400.
Closed ToTimeWait(Harness& h, bool timestamps = false,
                  const ListenOptions& options = {}) {
  const ListenerId l = h.Listen(options);
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.timestamps = Ts(timestamps, 100)}});
  const uint32_t iss = h.PopSent().segment.seq;
  h.Send({.seq = kSeq,
          .ack = iss + 1,
          .flags = kAck,
          .window = 100,
          .options = {.timestamps = Ts(timestamps, 200)}});
  const SocketId s = h.stack().accept(l, h.now());
  h.stack().close(s, h.now());
  (void)h.PopSent();  // FIN
  h.Send({.seq = kSeq,
          .ack = iss + 2,
          .flags = kAck,
          .window = 100,
          .options = {.timestamps = Ts(timestamps, 300)}});
  h.Send({.seq = kSeq,
          .ack = iss + 2,
          .flags = kAck | kFin,
          .window = 100,
          .options = {.timestamps = Ts(timestamps, 400)}});
  (void)h.PopSent();  // ACK of FIN
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  return {iss, iss + 2, kSeq + 1};
}

wire::Segment TimeWaitAck(const Closed& c) {
  return {.seq = c.snd_nxt, .ack = c.rcv_nxt, .flags = kAck, .window = 65535};
}

// RFC 1337 §3: by default a RST does not end TIME-WAIT (no assassination).
TEST(TimeWait, RstIsIgnoredUnderRfc1337) {
  Harness h;
  const Closed c = ToTimeWait(h);
  EXPECT_EQ(h.Send({.seq = c.rcv_nxt, .flags = kRst}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  EXPECT_EQ(h.counters().TCPTimeWaitRstDrop, 1u);
}

// Without RFC 1337, only an exact RST (RFC 5961 §3.2) ends TIME-WAIT.
TEST(TimeWait, ExactRstEndsTimeWaitWhenRfc1337Off) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.rfc1337 = false;
  Harness h(cfg);
  const Closed c = ToTimeWait(h);
  h.Send({.seq = c.rcv_nxt + 5, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  h.Send({.seq = c.rcv_nxt, .flags = kRst});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// RFC 6191 §2 / RFC 1122 §4.2.2.13, no timestamps: a SYN with a higher
// sequence number reopens, with ISS above the old SND.NXT.
TEST(TimeWait, SynWithHigherSequenceReopens) {
  Harness h;
  const Closed c = ToTimeWait(h);
  const uint32_t irs = c.rcv_nxt + 1000;
  EXPECT_EQ(h.Send({.seq = irs, .flags = kSyn, .window = 65535}),
            Verdict::kAccepted);
  const uint32_t iss = c.snd_nxt + 65537;
  h.ExpectSent({.seq = iss,
                .ack = irs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.kind, RecordKind::kRequestSock);
  EXPECT_EQ(v.iss, iss);
  EXPECT_EQ(h.counters().TCPTimeWaitReopen, 1u);
}

// RFC 6191 §2: a SYN with a lower sequence number does not reopen; like any
// SYN in a synchronized state it draws an ACK (RFC 5961 §4.2; Linux
// TCP_TW_ACK).
//= RFC 9293 §3.10.7.4 type=test
//# if the SYN bit is set, irrespective of the sequence number, TCP endpoints
//# MUST send a "challenge ACK" to the remote peer:
//= RFC 9293 §3.10.7.4 type=test
//# After sending the acknowledgment, TCP implementations MUST drop the
//# unacceptable segment and stop processing further.
TEST(TimeWait, SynWithLowerSequenceGetsAck) {
  Harness h;
  const Closed c = ToTimeWait(h);
  EXPECT_EQ(h.Send({.seq = c.rcv_nxt - 1000, .flags = kSyn, .window = 65535}),
            Verdict::kDroppedInvalid);
  h.ExpectSent(TimeWaitAck(c));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  EXPECT_EQ(h.counters().TCPTimeWaitSynDrop, 1u);
}

// RFC 6191 §2, timestamps in both incarnations: a newer TSval reopens even
// with a lower sequence number.
TEST(TimeWait, SynWithNewerTimestampReopens) {
  Harness h;
  const Closed c = ToTimeWait(h, true);
  const uint32_t irs = c.rcv_nxt - 5000;
  h.Send({.seq = irs,
          .flags = kSyn,
          .window = 65535,
          .options = {.timestamps = wire::Timestamps{401, 0}}});
  h.ExpectSent({.seq = c.snd_nxt + 65537,
                .ack = irs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460,
                            .timestamps = wire::Timestamps{h.TsVal(), 401}}});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// RFC 6191 §2: an older (or equal) TSval does not reopen, even with a
// higher sequence number; the SYN draws an ACK.
TEST(TimeWait, SynWithOlderTimestampDoesNotReopen) {
  Harness h;
  const Closed c = ToTimeWait(h, true);
  for (uint32_t tsval : {399u, 400u}) {
    h.Send({.seq = c.rcv_nxt + 5000,
            .flags = kSyn,
            .window = 65535,
            .options = {.timestamps = wire::Timestamps{tsval, 0}}});
    wire::Segment ack = TimeWaitAck(c);
    ack.options.timestamps = wire::Timestamps{h.TsVal(), 400};
    h.ExpectSent(ack);
    EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  }
}

// RFC 6191 §2: if the new SYN has no timestamps, the sequence number
// decides even though the old connection used them.
TEST(TimeWait, SynWithoutTimestampFallsBackToSequence) {
  Harness h;
  const Closed c = ToTimeWait(h, true);
  h.Send({.seq = c.rcv_nxt - 10, .flags = kSyn, .window = 65535});
  EXPECT_EQ(h.PopSent().segment.flags, kAck);
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  h.Send({.seq = c.rcv_nxt + 10, .flags = kSyn, .window = 65535});
  EXPECT_EQ(h.PopSent().segment.flags, kSyn | kAck);
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
}

// A reopening SYN needs a listener; without one it draws an ACK and the
// record stays.
TEST(TimeWait, SynWithoutListenerGetsAck) {
  Harness h;
  const Closed c = ToTimeWait(h);
  h.stack().close_listener(ListenerId{0}, h.now());
  h.Send({.seq = c.rcv_nxt + 1000, .flags = kSyn, .window = 65535});
  h.ExpectSent(TimeWaitAck(c));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
}

// SYN+FIN never reopens (a listener would drop it anyway): ACK.
TEST(TimeWait, SynFinDoesNotReopen) {
  Harness h;
  const Closed c = ToTimeWait(h);
  h.Send({.seq = c.rcv_nxt + 1000, .flags = kSyn | kFin, .window = 65535});
  h.ExpectSent(TimeWaitAck(c));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
}

// A reopening SYN ends TIME-WAIT, then meets the listener like any SYN:
// with cookies wanted it gets a cookie (whose ISS cannot be chosen).
TEST(TimeWait, ReopenWithCookiesGetsCookie) {
  Harness h;
  const Closed c =
      ToTimeWait(h, false, {.syn_cookies = SynCookieMode::kAlways});
  const uint64_t cookies = h.counters().SyncookiesSent;
  h.Send({.seq = c.rcv_nxt + 1000, .flags = kSyn, .window = 65535});
  const wire::Segment synack = h.PopSent().segment;
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, c.rcv_nxt + 1001);
  EXPECT_EQ(h.counters().SyncookiesSent, cookies + 1);
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// ... and with the accept queue full it is dropped, TIME-WAIT gone.
TEST(TimeWait, ReopenWithFullAcceptQueueIsDropped) {
  Harness h;
  const Closed c = ToTimeWait(h, false, {.backlog = 0});
  h.Handshake(kClientPort + 1);  // fills the queue (backlog 0 admits 1)
  h.Send({.seq = c.rcv_nxt + 1000, .flags = kSyn, .window = 65535});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().ListenOverflows, 1u);
}

// RFC 9293 §3.10.7.4 TIME-WAIT: a retransmitted FIN is ACKed and restarts
// the 2·MSL timer.
TEST(TimeWait, RetransmittedFinIsAckedAndRestartsTimer) {
  Harness h;
  const Closed c = ToTimeWait(h);
  h.Advance(seconds(30));
  h.Send({.seq = kSeq, .ack = c.snd_nxt, .flags = kAck | kFin, .window = 100});
  h.ExpectSent(TimeWaitAck(c));
  h.Advance(seconds(59));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  h.Advance(seconds(1));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// The record expires after time_wait_duration (2·MSL, 60 s by default).
TEST(TimeWait, ExpiresAfterTwoMsl) {
  Harness h;
  ToTimeWait(h);
  h.Advance(std::chrono::milliseconds(59999));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  h.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().TW, 1u);
  h.ExpectNothingSent();
}

// Other segments get an ACK; a bare in-sequence ACK gets nothing.
TEST(TimeWait, SegmentsGetAckButBareAckDoesNot) {
  Harness h;
  const Closed c = ToTimeWait(h);
  h.Send({.seq = c.rcv_nxt, .ack = c.snd_nxt, .flags = kAck, .window = 100});
  h.ExpectNothingSent();
  const std::array<uint8_t, 2> data{};
  h.Send({.seq = c.rcv_nxt,
          .ack = c.snd_nxt,
          .flags = kAck,
          .window = 100,
          .payload = data});
  h.ExpectSent(TimeWaitAck(c));
  EXPECT_EQ(h.counters().TCPTimeWaitAck, 1u);
}

// RFC 7323 §5.3: PAWS applies in TIME-WAIT: an old TSval gets an ACK.
TEST(TimeWait, PawsRejectsOlderTimestamp) {
  Harness h;
  const Closed c = ToTimeWait(h, true);
  h.Send({.seq = c.rcv_nxt,
          .ack = c.snd_nxt,
          .flags = kAck,
          .window = 100,
          .options = {.timestamps = wire::Timestamps{399, 0}}});
  wire::Segment ack = TimeWaitAck(c);
  ack.options.timestamps = wire::Timestamps{h.TsVal(), 400};
  h.ExpectSent(ack);
  EXPECT_EQ(h.counters().PAWSEstab, 1u);
}

// A full TIME-WAIT table: the socket closes without a record
// (TCPTimeWaitOverflow), as Linux does.
TEST(TimeWait, FullTableSkipsTimeWait) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.max_time_wait = 0;
  Harness h(cfg);
  const ListenerId l = h.Listen();
  const uint32_t iss = h.Handshake();
  const SocketId s = h.stack().accept(l, h.now());
  h.stack().close(s, h.now());
  (void)h.PopSent();
  h.Send({.seq = kSeq, .ack = iss + 2, .flags = kAck | kFin, .window = 100});
  (void)h.PopSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().TCPTimeWaitOverflow, 1u);
}

}  // namespace
}  // namespace tcpref::tcp
