// Active open: SYN-SENT and simultaneous open (RFC 9293 §3.10.7.3), and two
// stacks talking over the in-memory link.
#include <gtest/gtest.h>

#include <array>

#include "impl/tcp/testing/harness.h"
#include "impl/tcp/testing/link.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

// The stack under test connects from 198.18.0.1:80 to the harness client,
// so the harness's default tuple, Iss() and TsVal() apply.
SocketId Connect(Harness& h) {
  Error e = Error::kInvalidArgument;
  const SocketId s = h.stack().connect({kServerAddr, kServerPort},
                                       {kClientAddr, kClientPort}, h.now(), &e);
  EXPECT_EQ(e, Error::kOk);
  return s;
}

wire::Segment OurSyn(Harness& h) {
  return {.seq = h.Iss(),
          .flags = kSyn,
          .window = 65535,
          .options = {.mss = 1460,
                      .window_scale = 7,
                      .sack_permitted = true,
                      .timestamps = wire::Timestamps{h.TsVal(), 0}}};
}

// RFC 9293 §3.10.7.3 / RFC 6528: connect() sends a SYN offering every
// option the configuration allows; the socket is in SYN-SENT.
TEST(SynSent, ConnectSendsSyn) {
  Harness h;
  const SocketId s = Connect(h);
  h.ExpectSent(OurSyn(h));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kSocket);
  EXPECT_EQ(h.Inspect().state, TcpState::kSynSent);
  EXPECT_EQ(h.counters().ActiveOpens, 1u);
  EXPECT_EQ(h.stack().poll(s), 0u);
}

// A SYN-ACK acknowledging our SYN establishes the connection; options are
// on only where both sides sent them; window scaling starts after the SYNs.
TEST(SynSent, SynAckEstablishes) {
  Harness h;
  const SocketId s = Connect(h);
  (void)h.PopSent();
  const uint32_t iss = h.Iss();
  h.Send({.seq = kIrs,
          .ack = iss + 1,
          .flags = kSyn | kAck,
          .window = 1000,
          .options = {.mss = 1400,
                      .window_scale = 3,
                      .sack_permitted = true,
                      .timestamps = wire::Timestamps{500, h.TsVal()}}});
  h.ExpectSent({.seq = iss + 1,
                .ack = kIrs + 1,
                .flags = kAck,
                .window = 64 * 1024 >> 7,
                .options = {.timestamps = wire::Timestamps{h.TsVal(), 500}}});
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.state, TcpState::kEstablished);
  EXPECT_EQ(v.mss, 1400);
  EXPECT_EQ(v.snd_wscale, 3);
  EXPECT_EQ(v.rcv_wscale, 7);
  EXPECT_TRUE(v.sack_ok);
  EXPECT_TRUE(v.timestamps_ok);
  EXPECT_EQ(v.snd_wnd, 1000u);  // a SYN's window is never scaled
  EXPECT_EQ(h.stack().poll(s), ready::kWritable);
  EXPECT_EQ(h.counters().CurrEstab, 1u);
}

// Without options in the SYN-ACK: no scaling, no SACK, no timestamps,
// MSS 536 (RFC 9293 §3.7.1).
// RFC 9293 §3.10.4: close() in SYN-SENT deletes the TCB without sending
// anything; the SYN-ACK that follows finds no socket and is answered with
// <SEQ=SEG.ACK><CTL=RST> (packetdrill's close-on-syn-sent). abort() too.
TEST(SynSent, CloseDeletesTcbSilently) {
  for (const bool use_abort : {false, true}) {
    Harness h;
    const SocketId s = Connect(h);
    (void)h.PopSent();
    const uint32_t iss = h.Iss();
    EXPECT_EQ(
        use_abort ? h.stack().abort(s, h.now()) : h.stack().close(s, h.now()),
        Error::kOk);
    h.ExpectNothingSent();
    EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
    h.Send({.seq = kIrs, .ack = iss + 1, .flags = kSyn | kAck, .window = 1000});
    h.ExpectSent({.seq = iss + 1, .flags = kRst});
  }
}

TEST(SynSent, SynAckWithoutOptions) {
  Harness h;
  Connect(h);
  (void)h.PopSent();
  h.Send(
      {.seq = kIrs, .ack = h.Iss() + 1, .flags = kSyn | kAck, .window = 1000});
  h.ExpectSent(
      {.seq = h.Iss() + 1, .ack = kIrs + 1, .flags = kAck, .window = 65535});
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.mss, 536);
  EXPECT_EQ(v.rcv_wscale, 0);
  EXPECT_FALSE(v.sack_ok);
  EXPECT_FALSE(v.timestamps_ok);
}

// RFC 9293 §3.10.7.3 "first": an ACK of something other than our SYN
// draws <SEQ=SEG.ACK><CTL=RST>; the socket stays in SYN-SENT.
TEST(SynSent, BadAckGetsRst) {
  Harness h;
  Connect(h);
  (void)h.PopSent();
  for (uint32_t ack : {h.Iss(), h.Iss() + 5}) {
    h.Send({.seq = kIrs, .ack = ack, .flags = kSyn | kAck, .window = 1000});
    h.ExpectSent({.seq = ack, .flags = kRst});
  }
  EXPECT_EQ(h.Inspect().state, TcpState::kSynSent);
}

// RFC 9293 §3.10.7.3 "second" / RFC 5961 §3.2: a RST acknowledging our SYN
// refuses the connection; one without ACK is ignored.
TEST(SynSent, RstRefusesOnlyWithAcceptableAck) {
  Harness h;
  const SocketId s = Connect(h);
  (void)h.PopSent();
  h.Send({.seq = 0, .flags = kRst});
  EXPECT_EQ(h.Inspect().state, TcpState::kSynSent);
  h.Send({.seq = 0, .ack = h.Iss() + 1, .flags = kRst | kAck});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().poll(s),
            ready::kReadable | ready::kClosed | ready::kReset);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kConnectionReset);
  EXPECT_EQ(h.counters().AttemptFails, 1u);
}

// The SYN is retransmitted from 1 s, doubling, syn_retries times; then the
// attempt fails.
TEST(SynSent, SynRetransmittedThenGivesUp) {
  StackConfig cfg = Harness::DefaultConfig();
  cfg.syn_retries = 2;
  Harness h(cfg);
  const SocketId s = Connect(h);
  const wire::Segment syn = h.PopSent().segment;
  h.Advance(seconds(1));
  h.ExpectSent({.seq = syn.seq,
                .flags = kSyn,
                .window = 65535,
                .options = {.mss = 1460,
                            .window_scale = 7,
                            .sack_permitted = true,
                            .timestamps = wire::Timestamps{h.TsVal(), 0}}},
               ignore::kTsval);
  h.Advance(seconds(2));
  EXPECT_EQ(h.PopSent().segment.seq, syn.seq);
  h.Advance(seconds(4) - std::chrono::microseconds(1));
  EXPECT_EQ(h.Inspect().state, TcpState::kSynSent);
  h.Advance(std::chrono::microseconds(1));
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kNotConnected);
  EXPECT_EQ(h.counters().AttemptFails, 1u);
}

// Simultaneous open (RFC 9293 §3.10.7.3 "fourth", figure 7): a SYN without
// ACK moves to SYN-RECEIVED and draws a SYN-ACK; the ACK establishes.
TEST(SynSent, SimultaneousOpen) {
  Harness h;
  Connect(h);
  (void)h.PopSent();
  const uint32_t iss = h.Iss();
  h.Send(
      {.seq = kIrs, .flags = kSyn, .window = 2000, .options = {.mss = 1200}});
  h.ExpectSent({.seq = iss,
                .ack = kIrs + 1,
                .flags = kSyn | kAck,
                .window = 65535,
                .options = {.mss = 1460}});
  EXPECT_EQ(h.Inspect().state, TcpState::kSynReceived);
  h.Send({.seq = kIrs + 1, .ack = iss + 1, .flags = kAck, .window = 2000});
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
  EXPECT_EQ(h.Inspect().mss, 1200);
}

// RFC 6056 §3.3.3: port 0 picks distinct ephemeral ports in 49152-65535;
// an explicit port whose tuple is taken is refused; bad arguments too.
TEST(SynSent, PortSelectionAndArguments) {
  Harness h;
  Error e = Error::kOk;
  const Endpoint remote{kClientAddr, kClientPort};
  const SocketId a = h.stack().connect({kServerAddr, 0}, remote, h.now(), &e);
  const SocketId b = h.stack().connect({kServerAddr, 0}, remote, h.now(), &e);
  ASSERT_TRUE(a.valid() && b.valid());
  const uint16_t pa = h.stack().tuple(a)->local.port;
  const uint16_t pb = h.stack().tuple(b)->local.port;
  EXPECT_NE(pa, pb);
  EXPECT_GE(pa, 49152);
  EXPECT_GE(pb, 49152);
  // One SYN from each chosen port (its options: SynSent.ConnectSendsSyn).
  for (const uint16_t port : {pa, pb}) {
    const Sent syn = h.PopSent();
    EXPECT_EQ(syn.segment.flags, kSyn);
    EXPECT_EQ(syn.segment.src_port, port);
    EXPECT_EQ(syn.segment.dst_port, kClientPort);
  }
  EXPECT_FALSE(
      h.stack().connect({kServerAddr, pa}, remote, h.now(), &e).valid());
  EXPECT_EQ(e, Error::kAddressInUse);
  EXPECT_FALSE(h.stack().connect({0, 0}, remote, h.now(), &e).valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  EXPECT_FALSE(h.stack()
                   .connect({kServerAddr, 0}, {kClientAddr, 0}, h.now(), &e)
                   .valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  h.ExpectNothingSent();  // refused connects send nothing
}

// Two stacks over the in-memory link: connect, accept, read, and the full
// close down to TIME-WAIT on the active closer, also with 20 % loss.
TEST(TwoStacks, ConnectAcceptCloseOverLink) {
  for (uint32_t loss_ppm : {0u, 200'000u}) {
    SCOPED_TRACE(loss_ppm);
    StackConfig ca = Harness::DefaultConfig();
    StackConfig cb = Harness::DefaultConfig();
    cb.isn_key[0] = 99;
    Link link(ca, cb,
              {.a_to_b = {.loss_ppm = loss_ppm},
               .b_to_a = {.loss_ppm = loss_ppm},
               .seed = 7});
    const Endpoint server{kServerAddr, 80};
    const ListenerId l = link.b().listen(server, {});
    Error e = Error::kOk;
    const SocketId client =
        link.a().connect({kClientAddr, 0}, server, link.now(), &e);
    ASSERT_EQ(e, Error::kOk);
    ASSERT_TRUE(
        link.run_until([&] { return link.b().accept_queue_length(l) == 1; },
                       link.now() + seconds(60)));
    const SocketId accepted = link.b().accept(l, link.now());
    ASSERT_TRUE(accepted.valid());
    const FourTuple at = *link.a().tuple(client);
    const FourTuple bt = *link.b().tuple(accepted);
    EXPECT_EQ(at.local, bt.remote);
    EXPECT_EQ(at.remote, bt.local);
    ASSERT_TRUE(link.run_until(
        [&] { return link.a().inspect(at).state == TcpState::kEstablished; },
        link.now() + seconds(60)));
    EXPECT_EQ(link.b().inspect(bt).iss, link.a().inspect(at).irs);
    EXPECT_EQ(link.a().inspect(at).iss, link.b().inspect(bt).irs);

    EXPECT_EQ(link.a().close(client, link.now()), Error::kOk);
    ASSERT_TRUE(link.run_until(
        [&] { return link.b().inspect(bt).state == TcpState::kCloseWait; },
        link.now() + seconds(60)));
    EXPECT_EQ(link.b().close(accepted, link.now()), Error::kOk);
    ASSERT_TRUE(link.run_until(
        [&] {
          return link.a().inspect(at).kind == RecordKind::kTimeWait &&
                 link.b().inspect(bt).kind == RecordKind::kNone;
        },
        link.now() + seconds(60)));
  }
}

}  // namespace
}  // namespace tcpref::tcp
