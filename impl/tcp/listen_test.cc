// LISTEN: what a listener does with each kind of segment
// (RFC 9293 §3.10.7.2; Linux tcp_v4_do_rcv → tcp_conn_request).
#include <gtest/gtest.h>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;

// RFC 9293 §3.10.7.2 "third" + RFC 6528 §3: a SYN gets a SYN-ACK whose ISS
// is M + F(4-tuple, key), and a request sock in SYN-RECEIVED.
TEST(Listen, SynGetsSynAckWithRfc6528Iss) {
  Harness h;
  const ListenerId l = h.Listen();
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kSyn, .window = 65535}),
            Verdict::kAccepted);
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  h.ExpectNothingSent();
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.kind, RecordKind::kRequestSock);
  EXPECT_EQ(v.state, TcpState::kSynReceived);
  EXPECT_EQ(v.iss, h.Iss());
  EXPECT_EQ(v.irs, kIrs);
  EXPECT_EQ(v.rcv_nxt, kIrs + 1);
  EXPECT_EQ(v.snd_nxt, h.Iss() + 1);
  EXPECT_EQ(h.stack().syn_queue_length(l), 1u);
}

// RFC 6528 §3: M advances every 4 µs, so the same tuple a second later gets
// an ISS 250000 higher.
TEST(Listen, IssFollowsFourMicrosecondClock) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  const uint32_t first = h.PopSent().segment.seq;
  h.Send({.src_port = kClientPort + 1,
          .seq = kIrs,
          .flags = kSyn,
          .window = 65535});
  (void)h.PopSent();
  // Same tuple later: use a fresh harness at a later time.
  Harness later;
  later.Listen();
  later.Advance(std::chrono::seconds(1));
  later.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  const uint32_t second = later.PopSent().segment.seq;
  EXPECT_EQ(second - first, 250000u);
}

// Every combination of MSS, window scale, SACK-permitted, timestamps and ECN
// setup in the SYN: the SYN-ACK offers exactly what the SYN offered
// (RFC 7323 §1.3, RFC 2018 §2, RFC 3168 §6.1.1), and MSS always
// (RFC 9293 §3.7.1).
class ListenOptionsTest : public ::testing::TestWithParam<int> {};

TEST_P(ListenOptionsTest, SynAckEchoesOnlyOfferedOptions) {
  const int bits = GetParam();
  const bool mss = bits & 1, ws = bits & 2, sack = bits & 4, ts = bits & 8,
             ecn = bits & 16;
  Harness h;
  h.Listen();
  wire::Segment syn{.seq = kIrs, .flags = kSyn, .window = 29200};
  if (mss) syn.options.mss = 1400;
  if (ws) syn.options.window_scale = 5;
  syn.options.sack_permitted = sack;
  if (ts) syn.options.timestamps = wire::Timestamps{777, 0};
  if (ecn) syn.flags |= kEce | kCwr;
  h.Send(syn);

  wire::Segment synack{
      .seq = h.Iss(), .ack = kIrs + 1, .flags = kSyn | kAck, .window = 65535};
  if (ecn) synack.flags |= kEce;
  synack.options.mss = 1460;
  if (ws) synack.options.window_scale = 7;
  synack.options.sack_permitted = sack;
  if (ts) synack.options.timestamps = wire::Timestamps{h.TsVal(), 777};
  h.ExpectSent(synack);

  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.mss, mss ? 1400 : 536);
  EXPECT_EQ(v.snd_wscale, ws ? 5 : 0);
  EXPECT_EQ(v.rcv_wscale, ws ? 7 : 0);
  EXPECT_EQ(v.sack_ok, sack);
  EXPECT_EQ(v.timestamps_ok, ts);
  EXPECT_EQ(v.ts_recent, ts ? 777u : 0u);
  EXPECT_EQ(v.ecn_ok, ecn);
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, ListenOptionsTest,
                         ::testing::Range(0, 32));

// RFC 7323 §2.3: a shift count above 14 is used as 14.
TEST(Listen, WindowScale15IsCappedAt14) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.window_scale = 15}});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460, .window_scale = 7}});
  EXPECT_EQ(h.Inspect().snd_wscale, 14);
}

// RFC 9293 §3.7.1: the effective MSS is min(ours, peer's); absent means
// 536; we treat 0 as absent and floor tiny values at 64 (docs/LISTENER.md).
struct MssCase {
  uint16_t offered;
  uint16_t effective;
};
class ListenMssTest : public ::testing::TestWithParam<MssCase> {};

TEST_P(ListenMssTest, EffectiveMss) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.mss = GetParam().offered}});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_EQ(h.Inspect().mss, GetParam().effective);
}

INSTANTIATE_TEST_SUITE_P(Values, ListenMssTest,
                         ::testing::Values(MssCase{0, 536}, MssCase{1, 64},
                                           MssCase{536, 536},
                                           MssCase{65535, 1460}));

// Our MSS advertisement is the interface MTU − 40.
TEST(Listen, AdvertisedMssFollowsMtu) {
  StackConfig c = Harness::DefaultConfig();
  c.mtu = 9000;
  Harness h(c);
  h.Listen();
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 8960}});
}

// RFC 3168 §6.1.1: a SYN must not be ECT; an ECT-marked ECN-setup SYN does
// not get ECN (as Linux).
TEST(Listen, EctMarkedSynGetsNoEcn) {
  Harness h;
  h.Listen();
  h.Send(
      {.tos = 0x2, .seq = kIrs, .flags = kSyn | kEce | kCwr, .window = 65535});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_FALSE(h.Inspect().ecn_ok);
}

// ECN disabled in the config: never offered.
TEST(Listen, EcnOffWhenConfiguredOff) {
  StackConfig c = Harness::DefaultConfig();
  c.ecn = false;
  Harness h(c);
  h.Listen();
  h.Send({.seq = kIrs, .flags = kSyn | kEce | kCwr, .window = 65535});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
}

// RFC 9293 §3.10.7.2 "first": a RST to a listener is ignored.
TEST(Listen, RstIsIgnored) {
  Harness h;
  h.Listen();
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kRst}), Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().TCPListenRstDrop, 1u);
}

// RFC 9293 §3.10.7.2 "second": an ACK in LISTEN draws <SEQ=SEG.ACK><CTL=RST>
// (cookies off, so it cannot be a cookie ACK).
TEST(Listen, AckGetsRstWithSeqFromAck) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kOff});
  EXPECT_EQ(
      h.Send({.seq = kIrs, .ack = 0xabcdef, .flags = kAck, .window = 100}),
      Verdict::kDroppedInvalid);
  h.ExpectSent({.seq = 0xabcdef, .flags = kRst});
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().OutRsts, 1u);
}

// RFC 9293 §3.10.7.2 "second": a SYN-ACK is an ACK too.
TEST(Listen, SynAckGetsRst) {
  Harness h;
  h.Listen();
  h.Send({.seq = kIrs, .ack = 77, .flags = kSyn | kAck, .window = 100});
  h.ExpectSent({.seq = 77, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
}

// SYN+FIN is dropped without reply (as Linux; docs/LISTENER.md).
TEST(Listen, SynFinIsDropped) {
  Harness h;
  const ListenerId l = h.Listen();
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kSyn | kFin, .window = 100}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().TCPListenSynFinDrop, 1u);
}

// RFC 9293 §3.10.7.2 "fourth": neither SYN nor RST nor ACK: drop.
TEST(Listen, SegmentWithoutControlBitsIsDropped) {
  Harness h;
  h.Listen();
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kPsh, .window = 100}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().TCPListenNoFlagDrop, 1u);
}

// RFC 9293 §3.10.7.2: data on a SYN is not acknowledged (we do not queue
// it; the peer retransmits it after the handshake).
TEST(Listen, DataOnSynIsNotAcknowledged) {
  Harness h;
  h.Listen();
  const uint8_t data[] = {1, 2, 3};
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535, .payload = data});
  h.ExpectSent({.seq = h.Iss(),
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
}

// A listener on the exact local address wins over a wildcard on the port.
TEST(Listen, SpecificAddressBeforeWildcard) {
  Harness h;
  const ListenerId wildcard = h.Listen({}, {0, kServerPort});
  const ListenerId specific = h.Listen({}, {kServerAddr, kServerPort});
  h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
  (void)h.PopSent();
  EXPECT_EQ(h.stack().syn_queue_length(specific), 1u);
  EXPECT_EQ(h.stack().syn_queue_length(wildcard), 0u);
  // Another local address on the same port reaches the wildcard.
  h.Send({.dst_addr = kServerAddr + 7,
          .seq = kIrs,
          .flags = kSyn,
          .window = 65535});
  (void)h.PopSent();
  EXPECT_EQ(h.stack().syn_queue_length(wildcard), 1u);
}

TEST(Listen, ListenArgumentsAreChecked) {
  Harness h;
  Error e = Error::kOk;
  EXPECT_FALSE(h.stack().listen({kServerAddr, 0}, {}, &e).valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  EXPECT_TRUE(h.stack().listen({kServerAddr, 1}, {}, &e).valid());
  EXPECT_FALSE(h.stack().listen({kServerAddr, 1}, {}, &e).valid());
  EXPECT_EQ(e, Error::kAddressInUse);
  for (uint16_t p = 2; p <= h.config().max_listeners; ++p) {
    EXPECT_TRUE(h.stack().listen({kServerAddr, p}, {}, &e).valid());
  }
  EXPECT_FALSE(h.stack().listen({kServerAddr, 99}, {}, &e).valid());
  EXPECT_EQ(e, Error::kNoMemory);
}

// Linux tcp_conn_request: while the accept queue is full, SYNs are dropped
// (ListenOverflows, ListenDrops), whatever the cookie mode.
TEST(Listen, SynDroppedWhileAcceptQueueFull) {
  Harness h;
  const ListenerId l = h.Listen({.backlog = 0});
  h.Handshake(kClientPort);  // backlog 0 admits one child
  EXPECT_EQ(h.stack().accept_queue_length(l), 1u);
  EXPECT_EQ(h.Send({.src_port = kClientPort + 1,
                    .seq = kIrs,
                    .flags = kSyn,
                    .window = 65535}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().ListenOverflows, 1u);
  EXPECT_EQ(h.counters().ListenDrops, 1u);
}

// With cookies off, a full SYN queue drops new SYNs (TCPReqQFullDrop).
TEST(Listen, SynQueueFullWithoutCookiesDrops) {
  Harness h;
  const ListenerId l =
      h.Listen({.syn_queue_limit = 2, .syn_cookies = SynCookieMode::kOff});
  for (uint16_t p = 0; p < 2; ++p) {
    h.Send({.src_port = static_cast<uint16_t>(kClientPort + p),
            .seq = kIrs,
            .flags = kSyn,
            .window = 65535});
    (void)h.PopSent();
  }
  EXPECT_EQ(h.Send({.src_port = kClientPort + 2,
                    .seq = kIrs,
                    .flags = kSyn,
                    .window = 65535}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  EXPECT_EQ(h.stack().syn_queue_length(l), 2u);
  EXPECT_EQ(h.counters().TCPReqQFullDrop, 1u);
  EXPECT_EQ(h.counters().ListenDrops, 1u);
}

// The request-sock pool is shared by all listeners and bounded.
TEST(Listen, RequestPoolExhaustionDrops) {
  StackConfig c = Harness::DefaultConfig();
  c.max_request_socks = 3;
  Harness h(c);
  h.Listen({.syn_cookies = SynCookieMode::kOff});
  for (uint16_t p = 0; p < 4; ++p) {
    const auto port = static_cast<uint16_t>(kClientPort + p);
    h.Send({.src_port = port, .seq = kIrs, .flags = kSyn, .window = 65535});
    if (p < 3) {
      h.ExpectSent({.dst_port = port,
                    .seq = h.Iss(port),
                    .ack = kIrs + 1,
                    .flags = kSyn | kAck,
                    .window = 65535,
                    .options = {.mss = 1460}});
    }
  }
  h.ExpectNothingSent();  // the fourth SYN found the pool empty
  EXPECT_EQ(h.counters().TCPReqQFullDrop, 1u);
}

}  // namespace
}  // namespace tcpref::tcp
