// Data transfer on an accepted connection, rule by rule: send a segment (or
// call the socket API), expect exactly what the stack sends. The client
// offers no options, so the send MSS is 536 (RFC 9293 §3.7.1) and there are
// no timestamps, window scaling or SACK.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint32_t kSeq = kIrs + 1;  // the client's next sequence number
constexpr uint32_t kMss = 536;

std::vector<uint8_t> Bytes(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + 1);
  return v;
}

struct Conn {
  SocketId socket;
  uint32_t iss = 0;
};

Conn Open(Harness& h) {
  const ListenerId l = h.Listen();
  Conn c;
  c.iss = h.Handshake();
  c.socket = h.stack().accept(l, h.now());
  return c;
}

// Our data segment <SEQ=seq><ACK=RCV.NXT><CTL=ACK(|PSH|FIN)> with `data`.
wire::Segment Data(uint32_t seq, std::span<const uint8_t> data,
                   uint8_t flags = kAck, uint32_t ack = kSeq) {
  return {
      .seq = seq, .ack = ack, .flags = flags, .window = 65535, .payload = data};
}

// The client's ACK of our data up to `ack`.
wire::Segment ClientAck(uint32_t ack, uint16_t window = 65535) {
  return {.seq = kSeq, .ack = ack, .flags = kAck, .window = window};
}

// RFC 9293 §3.8.6.2.1 / RFC 1122 §4.2.3.4 (Nagle): full segments go at
// once; the small tail waits until the data in flight is acknowledged.
TEST(Send, SegmentsToMssAndNagleHoldsTheTail) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(1500);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 1500u);
  const uint32_t s = c.iss + 1;
  h.ExpectSent(Data(s, std::span(data).first(kMss)));
  h.ExpectSent(Data(s + kMss, std::span(data).subspan(kMss, kMss)));
  h.ExpectNothingSent();
  h.Send(ClientAck(s + 2 * kMss));
  h.ExpectSent(
      Data(s + 2 * kMss, std::span(data).subspan(2 * kMss), kAck | kPsh));
  h.ExpectNothingSent();
}

TEST(Send, WithoutNagleTheTailGoesAtOnce) {
  StackConfig config = Harness::DefaultConfig();
  config.nagle = false;
  Harness h(config);
  const Conn c = Open(h);
  const auto data = Bytes(600);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 600u);
  h.ExpectSent(Data(c.iss + 1, std::span(data).first(kMss)));
  h.ExpectSent(
      Data(c.iss + 1 + kMss, std::span(data).subspan(kMss), kAck | kPsh));
}

// RFC 9293 §3.10.7.4: SND.WND from the newest segment (SND.WL1/WL2); no
// more than the window is sent, and no window-sized runt while data is in
// flight (sender SWS avoidance, §3.8.6.2.1).
TEST(Send, PeerWindowBoundsWhatIsSent) {
  Harness h;
  const Conn c = Open(h);
  h.Send(ClientAck(c.iss + 1, 1000));
  const auto data = Bytes(3000);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 3000u);
  h.ExpectSent(Data(c.iss + 1, std::span(data).first(kMss)));
  h.ExpectNothingSent();
  h.Send(ClientAck(c.iss + 1 + kMss, 1000));
  h.ExpectSent(Data(c.iss + 1 + kMss, std::span(data).subspan(kMss, kMss)));
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().snd_wnd, 1000u);
}

// An older segment (SEG.ACK below SND.WL2) does not shrink the window.
TEST(Send, OlderAckDoesNotUpdateTheWindow) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(kMss);
  (void)h.stack().write(c.socket, data, h.now());
  (void)h.PopSent();
  h.Send(ClientAck(c.iss + 1 + kMss, 5000));
  h.Send(ClientAck(c.iss + 1, 100));
  EXPECT_EQ(h.Inspect().snd_wnd, 5000u);
}

// RFC 9293 §3.10.7.4: an ACK below SND.UNA is a duplicate; its window is
// not taken even when its SEQ is newer.
TEST(Send, AckBelowSndUnaDoesNotUpdateTheWindow) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(kMss);
  (void)h.stack().write(c.socket, data, h.now());
  (void)h.PopSent();
  const auto byte = Bytes(1);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1 + kMss,
          .flags = kAck,
          .window = 5000,
          .payload = byte});
  h.ExpectSent({.seq = c.iss + 1 + kMss,
                .ack = kSeq + 1,
                .flags = kAck,
                .window = 65535});  // the byte, acknowledged at once
  h.Send({.seq = kSeq + 1, .ack = c.iss + 1, .flags = kAck, .window = 100});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().snd_wnd, 5000u);
}

// RFC 9293 §3.8.6.1: a zero window with data waiting is probed when the
// persist timer (initially the RTO) expires.
TEST(Send, ZeroWindowIsProbed) {
  Harness h;
  const Conn c = Open(h);
  h.Send(ClientAck(c.iss + 1, 0));
  const auto data = Bytes(100);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 100u);
  h.ExpectNothingSent();
  h.Advance(seconds(1));
  h.ExpectSent(Data(c.iss + 1, std::span(data).first(1)));
  EXPECT_EQ(h.counters().TCPWinProbe, 1u);
  // The window opens: the rest follows the probe byte.
  h.Send(ClientAck(c.iss + 2, 65535));
  h.ExpectSent(Data(c.iss + 2, std::span(data).subspan(1), kAck | kPsh));
}

// Answers every probe with a zero window until the stack gives up with a
// RST or `limit` probes went out; returns the probes it saw.
int AnswerProbesWithZeroWindow(Harness& h, const Conn& c, int limit) {
  int probes = 0;
  for (int i = 0; i < limit; ++i) {
    h.Advance(seconds(130));  // past any backed-off RTO
    const Sent s = h.PopSent();
    if ((s.segment.flags & kRst) != 0) return probes;
    EXPECT_EQ(s.segment.payload.size(), 1u);
    ++probes;
    h.Send(ClientAck(c.iss + 1, 0));
  }
  return probes;
}

// A closed socket whose data waits behind a zero window: a peer that
// answers every probe must not hold it forever. Its probes are bounded by
// orphan_retries (Linux tcp_probe_timer: tcp_orphan_retries), then RST.
TEST(Send, OrphanZeroWindowProbesAreBounded) {
  Harness h;
  const Conn c = Open(h);
  h.Send(ClientAck(c.iss + 1, 0));
  const auto data = Bytes(100);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 100u);
  EXPECT_EQ(h.stack().close(c.socket, h.now()), Error::kOk);
  const int probes = AnswerProbesWithZeroWindow(h, c, 40);
  EXPECT_EQ(probes, h.config().orphan_retries + 1);  // the first + retries
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 1u);
  EXPECT_EQ(h.stack().records(h.Tuple()), 0u);
}

// An explicit TCP_USER_TIMEOUT bounds zero-window probing even when the
// peer answers every probe (RFC 5482; Linux since icsk_probes_tstamp).
TEST(Send, UserTimeoutBoundsAnsweredZeroWindowProbes) {
  Harness h;
  const Conn c = Open(h);
  EXPECT_EQ(h.stack().set_socket_options(
                c.socket, {.user_timeout = seconds(300)}, h.now()),
            Error::kOk);
  h.Send(ClientAck(c.iss + 1, 0));
  const auto data = Bytes(100);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 100u);
  const Time start = h.now();
  AnswerProbesWithZeroWindow(h, c, 40);
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 1u);
  // The first probe at 130 s starts the clock: the RST comes with the
  // first timer at least 300 s later.
  EXPECT_LE(h.now() - start, seconds(130 + 300 + 130));
  std::array<uint8_t, 8> buf{};
  EXPECT_EQ(h.stack().read(c.socket, buf, h.now()).error, Error::kTimedOut);
}

// RFC 6298 §5.4-5.6: the first unacknowledged segment is resent when the
// RTO expires, and the RTO doubles each time.
TEST(Send, RetransmissionTimerResendsWithBackoff) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(100);
  (void)h.stack().write(c.socket, data, h.now());
  const wire::Segment first = Data(c.iss + 1, data, kAck | kPsh);
  h.ExpectSent(first);
  // The handshake's RTT sample (0 here) puts the RTO at its 200 ms floor.
  h.Advance(milliseconds(199));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(first);
  h.Advance(milliseconds(399));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(first);
  EXPECT_EQ(h.counters().RetransSegs, 2u);
  EXPECT_EQ(h.counters().TCPTimeouts, 2u);
  h.Send(ClientAck(c.iss + 101));
  h.Advance(seconds(10));
  h.ExpectNothingSent();
}

// The initial window (RFC 6928: 10 segments) stops a 6000-byte write after
// 5360 bytes; that last segment pushes, as Linux's bursts do, since
// nothing follows it before an ACK. The ones before it do not.
TEST(Send, LastSegmentBeforeTheWindowStopsPushes) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(6000);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 6000u);
  for (uint32_t i = 0; i < 9; ++i) {
    h.ExpectSent(
        Data(c.iss + 1 + i * kMss, std::span(data).subspan(i * kMss, kMss)));
  }
  h.ExpectSent(Data(c.iss + 1 + 9 * kMss,
                    std::span(data).subspan(9 * kMss, kMss), kAck | kPsh));
  h.ExpectNothingSent();
}

// A passive open whose SYN-ACK → ACK round trip takes `rtt` (the SYN sent
// twice if `syn_twice`), accepted, with `data` written: returns the data
// segment (its payload is `data`), which ExpectSent has seen once.
wire::Segment WriteAfterHandshake(Harness& h, std::span<const uint8_t> data,
                                  milliseconds rtt, bool syn_twice = false,
                                  wire::TcpOptions syn_options = {}) {
  const ListenerId l = h.Listen();
  const wire::Segment syn = {
      .seq = kIrs, .flags = kSyn, .window = 65535, .options = syn_options};
  h.Send(syn);
  const uint32_t iss = h.Iss();
  (void)h.PopSent();
  if (syn_twice) {
    h.Send(syn);
    (void)h.PopSent();
  }
  h.Advance(rtt);
  h.Send({.seq = kSeq, .ack = iss + 1, .flags = kAck, .window = 65535});
  const SocketId s = h.stack().accept(l, h.now());
  (void)h.stack().write(s, data, h.now());
  const wire::Segment seg = Data(iss + 1, data, kAck | kPsh);
  h.ExpectSent(seg);
  return seg;
}

// RFC 6298 §2.2: the SYN-ACK → ACK round trip is the first RTT sample
// (Linux tcp_synack_rtt_meas): R = 100 ms gives RTO = R + 4·R/2 = 300 ms.
TEST(Send, HandshakeRttSetsTheFirstRto) {
  Harness h;
  const auto data = Bytes(10);
  const wire::Segment seg = WriteAfterHandshake(h, data, milliseconds(100));
  h.Advance(milliseconds(299));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(seg);
}

// RFC 6298 §3 (Karn): after a resent SYN-ACK the ACK is ambiguous, so no
// sample is taken and the RTO stays at its initial 1 s.
TEST(Send, NoRttSampleAfterResentSynAck) {
  Harness h;
  const auto data = Bytes(10);
  const wire::Segment seg =
      WriteAfterHandshake(h, data, milliseconds(100), /*syn_twice=*/true);
  h.Advance(milliseconds(999));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(seg);
}

// RFC 8985 §7.2: with one segment out the PTO is 2·SRTT + WCDelAckT
// (400 ms); the RTO (300 ms) is sooner, so the probe goes at the RTO's
// time, and the RTO proper follows one RTO later, then backs off.
TEST(Send, SingleSegmentTailLossProbeAtTheRtoTime) {
  Harness h;
  const auto data = Bytes(10);
  const wire::Segment seg = WriteAfterHandshake(
      h, data, milliseconds(100), false, {.sack_permitted = true});
  h.Advance(milliseconds(299));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(seg);
  EXPECT_EQ(h.counters().TCPLossProbes, 1u);
  EXPECT_EQ(h.counters().TCPTimeouts, 0u);
  h.Advance(milliseconds(300));
  h.ExpectSent(seg);
  EXPECT_EQ(h.counters().TCPTimeouts, 1u);
  h.Advance(milliseconds(599));
  h.ExpectNothingSent();
  h.Advance(milliseconds(1));
  h.ExpectSent(seg);
}

// RFC 5681 §3.2: the third duplicate ACK resends the first unacknowledged
// segment at once.
TEST(Send, ThreeDuplicateAcksTriggerFastRetransmit) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(5 * kMss);
  (void)h.stack().write(c.socket, data, h.now());
  for (int i = 0; i < 5; ++i) (void)h.PopSent();
  h.Send(ClientAck(c.iss + 1 + kMss));  // new ACK
  h.Send(ClientAck(c.iss + 1 + kMss));
  h.Send(ClientAck(c.iss + 1 + kMss));
  h.ExpectNothingSent();
  h.Send(ClientAck(c.iss + 1 + kMss));
  h.ExpectSent(Data(c.iss + 1 + kMss, std::span(data).subspan(kMss, kMss)));
  EXPECT_EQ(h.counters().TCPFastRetrans, 1u);
}

// RFC 9293 §3.10.4: after shutdown the FIN follows the last byte written,
// on the same segment when it fits.
TEST(Send, FinRidesOnTheLastDataSegment) {
  Harness h;
  const Conn c = Open(h);
  const auto data = Bytes(100);
  (void)h.stack().write(c.socket, data, h.now());
  h.ExpectSent(Data(c.iss + 1, data, kAck | kPsh));
  const auto more = Bytes(50);
  (void)h.stack().write(c.socket, more, h.now());
  h.ExpectNothingSent();  // Nagle
  EXPECT_EQ(h.stack().shutdown_write(c.socket, h.now()), Error::kOk);
  h.ExpectSent(Data(c.iss + 101, more, kAck | kPsh | kFin));
  EXPECT_EQ(h.Inspect().state, TcpState::kFinWait1);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).error, Error::kClosed);
  h.Send(ClientAck(c.iss + 152));
  EXPECT_EQ(h.Inspect().state, TcpState::kFinWait2);
}

// The send buffer is bounded: write() takes what fits and kWritable
// reflects room.
TEST(Send, BoundedSendBuffer) {
  StackConfig config = Harness::DefaultConfig();
  config.send_buffer = 2000;
  Harness h(config);
  const Conn c = Open(h);
  h.Send(ClientAck(c.iss + 1, 0));  // nothing leaves
  const auto data = Bytes(3000);
  const IoResult r = h.stack().write(c.socket, data, h.now());
  EXPECT_EQ(r.bytes, 2000u);
  EXPECT_EQ(h.stack().poll(c.socket) & ready::kWritable, 0u);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).error, Error::kWouldBlock);
}

// Readiness: an ACK that frees send-buffer room reports kWritable; data
// reports kReadable; a RST reports kReset.
TEST(Send, ReadinessFollowsBuffers) {
  struct Recorder : ReadinessObserver {
    void on_ready(ListenerId, uint32_t) override {}
    void on_ready(SocketId, uint32_t e) override { events.push_back(e); }
    std::vector<uint32_t> events;
  } recorder;
  StackConfig config = Harness::DefaultConfig();
  config.send_buffer = 1000;
  Harness h(config);
  const Conn c = Open(h);
  h.stack().set_observer(&recorder);
  const auto data = Bytes(1000);
  EXPECT_EQ(h.stack().write(c.socket, data, h.now()).bytes, 1000u);
  h.ExpectSent(Data(c.iss + 1, std::span(data).first(kMss)));
  EXPECT_EQ(h.stack().poll(c.socket) & ready::kWritable, 0u);
  h.Send(ClientAck(c.iss + 1 + kMss));
  // Nagle held the tail until this ACK.
  h.ExpectSent(
      Data(c.iss + 1 + kMss, std::span(data).subspan(kMss), kAck | kPsh));
  ASSERT_EQ(recorder.events.size(), 1u);
  EXPECT_EQ(recorder.events.back(), ready::kWritable);
  const auto byte = Bytes(1);
  h.Send({.seq = kSeq,
          .ack = c.iss + 1 + kMss,
          .flags = kAck,
          .window = 65535,
          .payload = byte});
  h.ExpectSent(
      {.seq = c.iss + 1001, .ack = kSeq + 1, .flags = kAck, .window = 65535});
  ASSERT_EQ(recorder.events.size(), 2u);
  EXPECT_EQ(recorder.events.back(), ready::kWritable | ready::kReadable);
  h.Send({.seq = kSeq + 1, .flags = kRst});
  ASSERT_EQ(recorder.events.size(), 3u);
  EXPECT_NE(recorder.events.back() & ready::kReset, 0u);
  h.stack().set_observer(nullptr);
}

// RFC 1122 §4.2.3.2: after the quick-ACK start, data is ACKed every
// second full segment or when the delayed-ACK timer fires.
TEST(Receive, DelayedAckAfterQuickAckStart) {
  Harness h;
  const Conn c = Open(h);
  const auto byte = Bytes(1);
  uint32_t seq = kSeq;
  for (int i = 0; i < 16; ++i, ++seq) {
    h.Send({.seq = seq,
            .ack = c.iss + 1,
            .flags = kAck,
            .window = 65535,
            .payload = byte});
    (void)h.PopSent();
  }
  h.Send({.seq = seq,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 65535,
          .payload = byte});
  h.ExpectNothingSent();
  h.Advance(milliseconds(40));
  h.ExpectSent(
      {.seq = c.iss + 1, .ack = seq + 1, .flags = kAck, .window = 65536 - 17});
  EXPECT_EQ(h.counters().DelayedACKs, 1u);
  (void)c;
}

// A data segment we send carries the owed ACK (no separate one).
TEST(Receive, AckRidesOnData) {
  StackConfig config = Harness::DefaultConfig();
  config.nagle = false;
  Harness h(config);
  const Conn c = Open(h);
  const auto byte = Bytes(1);
  for (int i = 0; i < 16; ++i) {
    h.Send({.seq = kSeq + i,
            .ack = c.iss + 1,
            .flags = kAck,
            .window = 65535,
            .payload = byte});
    (void)h.PopSent();
  }
  h.Send({.seq = kSeq + 16,
          .ack = c.iss + 1,
          .flags = kAck,
          .window = 65535,
          .payload = byte});
  h.ExpectNothingSent();
  const auto reply = Bytes(10);
  (void)h.stack().write(c.socket, reply, h.now());
  h.ExpectSent({.seq = c.iss + 1,
                .ack = kSeq + 17,
                .flags = kAck | kPsh,
                .window = 65536 - 17,
                .payload = reply});
  h.Advance(milliseconds(100));
  h.ExpectNothingSent();
}

// RFC 9293 §3.8.3 USER TIMEOUT: data unacknowledged for that long resets
// the connection; the application sees kTimedOut.
TEST(Teardown, UserTimeoutResets) {
  StackConfig config = Harness::DefaultConfig();
  config.user_timeout = seconds(5);
  Harness h(config);
  const Conn c = Open(h);
  (void)h.stack().write(c.socket, Bytes(10), h.now());
  for (int i = 0; i < 10; ++i) h.Advance(seconds(1));
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 1u);
  while (h.SentCount() > 1) (void)h.PopSent();
  const Sent last = h.PopSent();
  EXPECT_TRUE(last.segment.has(kRst));
  std::array<uint8_t, 8> buf{};
  EXPECT_EQ(h.stack().read(c.socket, buf, h.now()).error, Error::kTimedOut);
  EXPECT_NE(h.stack().poll(c.socket) & ready::kClosed, 0u);
}

// RFC 9293 §3.10.7.4: a FIN arriving while our data is still unsent moves
// FIN-WAIT-1 to CLOSING; our FIN then follows the data and its ACK ends in
// TIME-WAIT.
TEST(Teardown, SimultaneousCloseWithDataPending) {
  Harness h;
  const Conn c = Open(h);
  h.Send(ClientAck(c.iss + 1, 0));
  const auto data = Bytes(10);
  (void)h.stack().write(c.socket, data, h.now());
  EXPECT_EQ(h.stack().shutdown_write(c.socket, h.now()), Error::kOk);
  h.ExpectNothingSent();
  h.Send({.seq = kSeq, .ack = c.iss + 1, .flags = kAck | kFin, .window = 0});
  h.ExpectSent(
      {.seq = c.iss + 1, .ack = kSeq + 1, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().state, TcpState::kClosing);
  h.Send({.seq = kSeq + 1, .ack = c.iss + 1, .flags = kAck, .window = 65535});
  h.ExpectSent(Data(c.iss + 1, data, kAck | kPsh | kFin, kSeq + 1));
  h.Send({.seq = kSeq + 1, .ack = c.iss + 12, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
}

}  // namespace
}  // namespace tcpref::tcp
