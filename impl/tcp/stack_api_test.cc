// The socket-like API around the receive path: accept readiness, listener
// close, handles and timers.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;

struct Recorder : ReadinessObserver {
  void on_ready(ListenerId l, uint32_t events) override {
    listener_events.push_back({l.index, events});
  }
  void on_ready(SocketId s, uint32_t events) override {
    socket_events.push_back({s.index, events});
  }
  std::vector<std::pair<uint32_t, uint32_t>> listener_events;
  std::vector<std::pair<uint32_t, uint32_t>> socket_events;
};

// A child reaching the accept queue notifies the listener; data and a reset
// on an accepted socket notify the socket.
TEST(StackApi, ObserverHearsAcceptAndSocketReadiness) {
  Harness h;
  Recorder rec;
  h.stack().set_observer(&rec);
  const ListenerId l = h.Listen();
  const uint32_t iss = h.Handshake();
  ASSERT_EQ(rec.listener_events.size(), 1u);
  EXPECT_EQ(rec.listener_events[0].first, l.index);
  EXPECT_EQ(rec.listener_events[0].second, ready::kAcceptable);
  EXPECT_TRUE(rec.socket_events.empty());  // queued children are silent

  const SocketId s = h.stack().accept(l, h.now());
  const std::array<uint8_t, 2> data = {1, 2};
  h.Send({.seq = kIrs + 1,
          .ack = iss + 1,
          .flags = kAck,
          .window = 10,
          .payload = data});
  // Acknowledged at once (quick ACK at the start of a connection).
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 3, .flags = kAck, .window = 65534});
  ASSERT_EQ(rec.socket_events.size(), 1u);
  EXPECT_EQ(rec.socket_events[0].first, s.index);
  EXPECT_EQ(rec.socket_events[0].second, ready::kReadable | ready::kWritable);
  h.Send({.seq = kIrs + 3, .flags = kRst});
  ASSERT_EQ(rec.socket_events.size(), 2u);
  EXPECT_EQ(rec.socket_events[1].second,
            ready::kReadable | ready::kClosed | ready::kReset);
}

// One record per 4-tuple through a whole life: request sock, child, socket,
// TIME-WAIT, then nothing.
TEST(StackApi, RecordsCountsOneRecordPerTuple) {
  Harness h;
  const ListenerId l = h.Listen();
  EXPECT_EQ(h.stack().records(h.Tuple()), 0u);
  h.Send({.seq = kIrs, .flags = kSyn, .window = 1000});
  const uint32_t iss = h.Iss();
  h.ExpectSent({.seq = iss,
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  ASSERT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.stack().records(h.Tuple()), 1u);
  h.Send({.seq = kIrs + 1, .ack = iss + 1, .flags = kAck, .window = 1000});
  ASSERT_EQ(h.Inspect().kind, RecordKind::kChildQueued);
  EXPECT_EQ(h.stack().records(h.Tuple()), 1u);
  const SocketId s = h.stack().accept(l, h.now());
  EXPECT_EQ(h.stack().close(s, h.now()), Error::kOk);  // FIN-WAIT-1
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kFin | kAck, .window = 65535});
  h.Send(
      {.seq = kIrs + 1, .ack = iss + 2, .flags = kAck | kFin, .window = 1000});
  h.ExpectSent(
      {.seq = iss + 2, .ack = kIrs + 2, .flags = kAck, .window = 65535});
  ASSERT_EQ(h.Inspect().kind, RecordKind::kTimeWait);
  EXPECT_EQ(h.stack().records(h.Tuple()), 1u);
  EXPECT_EQ(h.stack().records(h.Tuple(kClientPort + 1)), 0u);
  h.Advance(std::chrono::seconds(61));
  EXPECT_EQ(h.stack().records(h.Tuple()), 0u);
}

// close_listener resets queued children (<SEQ=SND.NXT><ACK=RCV.NXT>
// <CTL=RST,ACK>, Linux inet_csk_listen_stop) and drops
// request socks silently; the port is closed afterwards.
TEST(StackApi, CloseListenerResetsChildrenAndDropsRequests) {
  Harness h;
  const ListenerId l = h.Listen();
  const uint32_t iss = h.Handshake(kClientPort);
  h.Send({.src_port = kClientPort + 1,
          .seq = kIrs,
          .flags = kSyn,
          .window = 65535});
  (void)h.PopSent();
  h.stack().close_listener(l, h.now());
  h.ExpectSent(
      {.seq = iss + 1, .ack = kIrs + 1, .flags = kRst | kAck, .window = 65535});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect(kClientPort).kind, RecordKind::kNone);
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().next_timer(), std::nullopt);
  h.Send(
      {.src_port = kClientPort + 2, .seq = kIrs, .flags = kSyn, .window = 100});
  h.ExpectSent({.dst_port = kClientPort + 2,
                .seq = 0,
                .ack = kIrs + 1,
                .flags = kRst | kAck});
}

// A handle to a freed slot stays invalid after the slot is reused.
TEST(StackApi, StaleHandleNeverReachesReusedSlot) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.max_sockets = 1;
  Harness h(cfg);
  const ListenerId l = h.Listen();
  const SocketId first = h.Establish(l, kClientPort);
  EXPECT_EQ(h.stack().abort(first, h.now()), Error::kOk);
  (void)h.PopSent();
  const SocketId second = h.Establish(l, kClientPort + 1);
  EXPECT_EQ(second.index, first.index);
  EXPECT_NE(second.generation, first.generation);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(first, buf, h.now()).error, Error::kBadHandle);
  EXPECT_EQ(h.stack().close(first, h.now()), Error::kBadHandle);
  EXPECT_EQ(h.stack().tuple(second), h.Tuple(kClientPort + 1));
}

// next_timer reports the earliest SYN-ACK retransmission.
TEST(StackApi, NextTimerIsEarliestDeadline) {
  Harness h;
  h.Listen();
  EXPECT_EQ(h.stack().next_timer(), std::nullopt);
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_EQ(h.stack().next_timer(), kStart + std::chrono::seconds(1));
}

// Every counter is readable by name, Linux-style.
TEST(StackApi, CountersAreEnumerable) {
  Harness h;
  h.Send({.seq = kIrs, .flags = kSyn, .window = 100});
  // No listener: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
  h.ExpectSent({.ack = kIrs + 1, .flags = kRst | kAck});
  uint64_t no_socket = 0;
  size_t n = 0;
  h.counters().for_each([&](std::string_view name, uint64_t v) {
    ++n;
    if (name == "NoSocket") no_socket = v;
  });
  EXPECT_EQ(no_socket, 1u);
  EXPECT_GT(n, 30u);
}

}  // namespace
}  // namespace tcpref::tcp
