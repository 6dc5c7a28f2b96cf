// Per-socket options (TCP_MAXSEG, TCP_USER_TIMEOUT, TCP_NODELAY): send a
// segment or call the API, expect exactly what the stack sends.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint32_t kSeq = kIrs + 1;  // the client's next sequence number

std::vector<uint8_t> Bytes(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 3 + 1);
  return v;
}

wire::Segment Data(uint32_t seq, std::span<const uint8_t> data,
                   uint8_t flags = kAck) {
  return {.seq = seq,
          .ack = kSeq,
          .flags = flags,
          .window = 65535,
          .payload = data};
}

// SYN (peer MSS `peer_mss`) → SYN-ACK advertising `adv_mss` → ACK → accept.
SocketId Open(Harness& h, ListenerId l, uint16_t peer_mss, uint16_t adv_mss,
              uint32_t* iss) {
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.mss = peer_mss}});
  *iss = h.Iss();
  h.ExpectSent({.seq = *iss,
                .ack = kSeq,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = adv_mss}});
  h.Send({.seq = kSeq, .ack = *iss + 1, .flags = kAck, .window = 65535});
  const SocketId s = h.stack().accept(l, h.now());
  EXPECT_TRUE(s.valid());
  return s;
}

// TCP_MAXSEG on a listener clamps the MSS its SYN-ACKs advertise and the
// children's send MSS (Linux tcp_mss_clamp); full segments follow it.
TEST(MaxSegment, ListenerClampsSynAckAndSegmentation) {
  Harness h;
  const ListenerId l = h.Listen({.socket = {.max_segment = 1100}});
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 1300, 1100, &iss);
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.mss, 1100);
  EXPECT_EQ(v.send_mss, 1100);
  EXPECT_EQ(v.adv_mss, 1100);
  const auto data = Bytes(2200);
  EXPECT_EQ(h.stack().write(s, data, h.now()).bytes, 2200u);
  h.ExpectSent(Data(iss + 1, std::span(data).first(1100)));
  h.ExpectSent(Data(iss + 1101, std::span(data).subspan(1100), kAck | kPsh));
  h.ExpectNothingSent();
}

// Set after listen() (as the packetdrill server script does), it applies to
// the next SYN; it only ever lowers the MSS, never raises the peer's.
TEST(MaxSegment, SetOnListeningSocketAppliesToNextSyn) {
  Harness h;
  const ListenerId l = h.Listen();
  EXPECT_EQ(h.stack().set_socket_options(l, {.max_segment = 1100}), Error::kOk);
  ASSERT_TRUE(h.stack().socket_options(l).has_value());
  EXPECT_EQ(h.stack().socket_options(l)->max_segment, 1100);
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 536, 1100, &iss);
  EXPECT_EQ(h.Inspect().mss, 536);
  // The child inherits the listener's options.
  ASSERT_TRUE(h.stack().socket_options(s).has_value());
  EXPECT_EQ(*h.stack().socket_options(s), SocketOptions{.max_segment = 1100});
}

// With timestamps the send MSS leaves room for the option (RFC 6691), as
// Linux's getsockopt(TCP_MAXSEG) reports.
TEST(MaxSegment, SendMssExcludesTimestampOption) {
  Harness h;
  (void)h.Listen({.socket = {.max_segment = 1100}});
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.mss = 1460, .timestamps = wire::Timestamps{7, 0}}});
  (void)h.PopSent();
  EXPECT_EQ(h.Inspect().mss, 1100);
  EXPECT_EQ(h.Inspect().send_mss, 1088);
}

// TCP_MAXSEG before connect(): the SYN advertises it and the send MSS is
// clamped to it whatever the SYN-ACK offers.
TEST(MaxSegment, ConnectClampsSynAndSendMss) {
  Harness h;
  Error e = Error::kInvalidArgument;
  const SocketId s =
      h.stack().connect({kServerAddr, kServerPort}, {kClientAddr, kClientPort},
                        {.max_segment = 1100}, h.now(), &e);
  ASSERT_EQ(e, Error::kOk);
  const Sent syn = h.PopSent();
  EXPECT_EQ(syn.segment.options.mss, 1100);
  const uint32_t iss = h.Iss();
  h.Send({.seq = kIrs,
          .ack = iss + 1,
          .flags = kSyn | kAck,
          .window = 65535,
          .options = {.mss = 1460}});
  h.ExpectSent({.seq = iss + 1, .ack = kSeq, .flags = kAck, .window = 65535});
  EXPECT_EQ(h.Inspect().mss, 1100);
  EXPECT_EQ(h.Inspect().adv_mss, 1100);
  const auto data = Bytes(1200);
  EXPECT_EQ(h.stack().write(s, data, h.now()).bytes, 1200u);
  h.ExpectSent(Data(iss + 1, std::span(data).first(1100)));
}

// Linux's bounds: 0 or 88..32767; a negative user timeout; stale handles.
TEST(SocketOptions, RejectsBadValuesAndHandles) {
  Harness h;
  const ListenerId l = h.Listen();
  EXPECT_EQ(h.stack().set_socket_options(l, {.max_segment = 87}),
            Error::kInvalidArgument);
  EXPECT_EQ(h.stack().set_socket_options(l, {.max_segment = 32768}),
            Error::kInvalidArgument);
  EXPECT_EQ(h.stack().set_socket_options(l, {.user_timeout = microseconds(-1)}),
            Error::kInvalidArgument);
  EXPECT_EQ(h.stack().set_socket_options(l, {.max_segment = 88}), Error::kOk);
  EXPECT_EQ(h.stack().set_socket_options(ListenerId{}, {}), Error::kBadHandle);
  EXPECT_EQ(h.stack().set_socket_options(SocketId{}, {}, h.now()),
            Error::kBadHandle);
  EXPECT_FALSE(h.stack().socket_options(SocketId{}).has_value());
  Error e = Error::kOk;
  EXPECT_FALSE(
      h.stack()
          .listen({kServerAddr, 81}, {.socket = {.max_segment = 10}}, &e)
          .valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  EXPECT_FALSE(h.stack()
                   .connect({kServerAddr, 0}, {kClientAddr, kClientPort},
                            {.max_segment = 40000}, h.now(), &e)
                   .valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
}

// TCP_USER_TIMEOUT on a connection: unacknowledged data resets it at the set
// time exactly, not at the next RTO after it (200 ms from the handshake's
// sample, then 400, 800, 1600 ms: the fourth would come at 3 s).
TEST(UserTimeout, AbortsAtTheSetTime) {
  Harness h;
  const ListenerId l = h.Listen();
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 536, 1460, &iss);
  ASSERT_EQ(h.stack().set_socket_options(
                s, {.user_timeout = milliseconds(2500)}, h.now()),
            Error::kOk);
  const auto data = Bytes(10);
  (void)h.stack().write(s, data, h.now());
  h.ExpectSent(Data(iss + 1, data, kAck | kPsh));
  for (const int ms : {200, 400, 800}) {  // resent at 0.2, 0.6, 1.4 s
    h.Advance(milliseconds(ms));
    h.ExpectSent(Data(iss + 1, data, kAck | kPsh));
  }
  h.Advance(milliseconds(1100) - microseconds(1));
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 0u);
  h.Advance(microseconds(1));
  h.ExpectSent({.seq = iss + 11, .ack = kSeq, .flags = kRst | kAck},
               ignore::kWindow);
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 1u);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kTimedOut);
}

// A listener's user timeout is inherited and, on a closed socket, replaces
// orphan_retries as the bound on FIN retransmission (as Linux).
TEST(UserTimeout, InheritedAndBoundsAnOrphanFin) {
  StackConfig config = Harness::DefaultConfig();
  config.orphan_retries = 1;
  Harness h(config);
  const ListenerId l = h.Listen({.socket = {.user_timeout = seconds(5)}});
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 536, 1460, &iss);
  EXPECT_EQ(h.stack().close(s, h.now()), Error::kOk);
  const wire::Segment fin = {
      .seq = iss + 1, .ack = kSeq, .flags = kAck | kFin, .window = 65535};
  h.ExpectSent(fin);
  h.Advance(milliseconds(200));
  h.ExpectSent(fin);
  for (const int ms : {400, 800, 1600}) {  // past orphan_retries: resent
    h.Advance(milliseconds(ms));
    h.ExpectSent(fin);
  }
  h.Advance(seconds(2) - microseconds(1));  // at 3 s; the next RTO is 6.2 s
  h.ExpectNothingSent();
  h.Advance(microseconds(1));  // 5 s after the FIN
  h.ExpectSent({.seq = iss + 2, .ack = kSeq, .flags = kRst | kAck},
               ignore::kWindow);
  EXPECT_EQ(h.counters().TCPAbortOnTimeout, 1u);
}

// RFC 1122 §4.2.3.4: Nagle holds a small segment while data is in flight;
// TCP_NODELAY sends it at once, and turning it on sends what was held.
TEST(NoDelay, SmallSegmentGoesAtOnce) {
  Harness h;
  const ListenerId l = h.Listen();
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 536, 1460, &iss);
  const auto a = Bytes(10);
  (void)h.stack().write(s, a, h.now());
  h.ExpectSent(Data(iss + 1, a, kAck | kPsh));
  (void)h.stack().write(s, a, h.now());
  h.ExpectNothingSent();  // Nagle: 10 bytes unacknowledged
  ASSERT_EQ(h.stack().set_socket_options(s, {.nodelay = true}, h.now()),
            Error::kOk);
  h.ExpectSent(Data(iss + 11, a, kAck | kPsh));
  (void)h.stack().write(s, a, h.now());
  h.ExpectSent(Data(iss + 21, a, kAck | kPsh));
  h.ExpectNothingSent();
}

// A nodelay listener's children send small segments back to back.
TEST(NoDelay, InheritedFromListener) {
  Harness h;
  const ListenerId l = h.Listen({.socket = {.nodelay = true}});
  uint32_t iss = 0;
  const SocketId s = Open(h, l, 536, 1460, &iss);
  const auto a = Bytes(10);
  (void)h.stack().write(s, a, h.now());
  (void)h.stack().write(s, a, h.now());
  h.ExpectSent(Data(iss + 1, a, kAck | kPsh));
  h.ExpectSent(Data(iss + 11, a, kAck | kPsh));
  h.ExpectNothingSent();
}

}  // namespace
}  // namespace tcpref::tcp
