#include "model/step.h"

#include <gtest/gtest.h>

#include <random>

#include "model/print.h"

namespace tcpref::model {
namespace {

using C = Concrete;
using T = Transition;

constexpr uint32_t kIsn = 5000;  // our ISS for fresh SYNs
constexpr uint32_t kPeer = 100;  // the peer's ISS

uint32_t st(TcpState s) { return static_cast<uint32_t>(s); }
uint32_t out(OutputKind k) { return static_cast<uint32_t>(k); }
uint32_t tr(Transition t) { return static_cast<uint32_t>(t); }

class Server {
 public:
  Params<C> p = default_params();
  ModelState<C> s = initial<C>();

  StepResult<C> feed(const Input<C>& in) {
    int holding = 0;
    for (const auto& [t, g] : guards<C>(p, s, in)) holding += g ? 1 : 0;
    EXPECT_EQ(holding, 1) << "state " << s << " input " << in;
    StepResult<C> r = step<C>(p, s, in);
    s = r.next;
    return r;
  }
  StepResult<C> listen(uint32_t backlog = 16) {
    return feed(make_listen(backlog));
  }
  StepResult<C> syn(uint32_t seq = kPeer) {
    Input<C> in = make_segment({.syn = true}, seq, 0);
    in.isn = kIsn;
    in.mss_present = true;
    in.mss = 1400;
    return feed(in);
  }
  StepResult<C> ack(uint32_t seq, uint32_t ack, uint32_t len = 0) {
    return feed(make_segment({.ack = true}, seq, ack, len));
  }
  // LISTEN -> SYN-RECEIVED -> ESTABLISHED-QUEUED -> ESTABLISHED.
  void establish() {
    listen();
    syn();
    ack(kPeer + 1, kIsn + 1);
    feed(make_input(InputKind::kAppAccept));
    ASSERT_EQ(s.st, st(TcpState::kEstablished));
  }
  // ESTABLISHED -> FIN-WAIT-1 -> TIME-WAIT (FIN and ACK of our FIN at once).
  void time_wait() {
    establish();
    feed(make_input(InputKind::kAppClose));
    feed(make_segment({.ack = true, .fin = true}, kPeer + 1, kIsn + 2));
    ASSERT_EQ(s.st, st(TcpState::kTimeWait));
  }
};

TEST(Listen, OpensListener) {
  Server srv;
  StepResult<C> r = srv.listen(3);
  EXPECT_EQ(r.transition, tr(T::kAppListenOpen));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
  EXPECT_EQ(srv.s.backlog, 3u);
  srv.listen(1u << 20);
  EXPECT_EQ(srv.s.backlog, 3u);  // already listening: ignored
}

// RFC 9293 §3.10.7.1: no listener, no record: RST unless it is a RST.
TEST(Closed, AnswersWithResetButNeverToReset) {
  Server srv;
  StepResult<C> r = srv.feed(make_segment({.syn = true}, 7, 0, 3));
  EXPECT_EQ(r.out.kind, out(OutputKind::kRst));
  EXPECT_EQ(r.out.seq, 0u);
  EXPECT_EQ(r.out.ack, 7u + 3u + 1u);
  EXPECT_TRUE(r.out.flag_ack);
  r = srv.feed(make_segment({.ack = true}, 7, 99));
  EXPECT_EQ(r.out.seq, 99u);
  EXPECT_FALSE(r.out.flag_ack);
  r = srv.feed(make_segment({.ack = true, .rst = true}, 7, 99));
  EXPECT_EQ(r.out.kind, out(OutputKind::kNone));
}

// RFC 9293 §3.10.7.2: SYN -> SYN-RECEIVED, SYN-ACK <SEQ=ISS><ACK=IRS+1>.
TEST(Listen, SynCreatesRequestSock) {
  Server srv;
  srv.listen();
  StepResult<C> r = srv.syn();
  EXPECT_EQ(r.transition, tr(T::kListenSynRequest));
  EXPECT_EQ(srv.s.st, st(TcpState::kSynReceived));
  EXPECT_EQ(r.out.kind, out(OutputKind::kSynAck));
  EXPECT_EQ(r.out.seq, kIsn);
  EXPECT_EQ(r.out.ack, kPeer + 1);
  EXPECT_TRUE(r.out.mss_present);
  EXPECT_EQ(srv.s.mss, 1400u);
  EXPECT_FALSE(r.out.ws_present);  // not offered, not echoed
  EXPECT_FALSE(r.out.sack_permitted);
  EXPECT_FALSE(r.out.ts_present);
}

// RFC 7323 §2.2-2.3, RFC 2018 §2: echo what was offered; cap shift at 14.
TEST(Listen, EchoesOfferedOptionsAndCapsWindowScale) {
  Server srv;
  srv.listen();
  Input<C> in = make_segment({.syn = true}, kPeer, 0);
  in.ws_present = true;
  in.ws = 20;
  in.sack_permitted = true;
  in.ts_present = true;
  in.tsval = 777;
  in.now = 42;
  StepResult<C> r = srv.feed(in);
  EXPECT_TRUE(r.out.ws_present);
  EXPECT_EQ(r.out.ws, 7u);
  EXPECT_EQ(srv.s.snd_wscale, 14u);
  EXPECT_TRUE(r.out.sack_permitted);
  EXPECT_TRUE(r.out.ts_present);
  EXPECT_EQ(r.out.tsecr, 777u);
  EXPECT_EQ(r.out.tsval, 42u);
}

TEST(Listen, DropsOrResetsWhatIsNotASyn) {
  Server srv;
  srv.listen();
  EXPECT_EQ(srv.feed(make_segment({.rst = true}, 1, 0)).transition,
            tr(T::kListenRst));
  EXPECT_EQ(srv.feed(make_segment({.syn = true, .rst = true}, 1, 0)).transition,
            tr(T::kListenRst));
  EXPECT_EQ(srv.feed(make_segment({.syn = true, .fin = true}, 1, 0)).transition,
            tr(T::kListenSynFin));
  StepResult<C> r = srv.ack(1, 12345);  // no cookie matches
  EXPECT_EQ(r.transition, tr(T::kListenAckReset));
  EXPECT_EQ(r.out.kind, out(OutputKind::kRst));
  EXPECT_EQ(r.out.seq, 12345u);
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

TEST(Handshake, CompletesIntoAcceptQueueThenAccept) {
  Server srv;
  srv.listen();
  srv.syn();
  StepResult<C> r = srv.ack(kPeer + 1, kIsn + 1);
  EXPECT_EQ(r.transition, tr(T::kSynRecvComplete));
  EXPECT_EQ(r.event, static_cast<uint32_t>(AppEvent::kQueued));
  EXPECT_EQ(srv.s.st, st(TcpState::kEstablishedQueued));
  EXPECT_EQ(srv.s.snd_una, kIsn + 1);
  r = srv.feed(make_input(InputKind::kAppAccept));
  EXPECT_EQ(r.event, static_cast<uint32_t>(AppEvent::kAccepted));
  EXPECT_EQ(srv.s.st, st(TcpState::kEstablished));
}

// RFC 9293 §3.10.7.4 (SYN-RECEIVED, ACK check): <SEQ=SEG.ACK><CTL=RST>.
TEST(SynReceived, UnacceptableAckGetsResetAndChangesNothing) {
  Server srv;
  srv.listen();
  srv.syn();
  ModelState<C> before = srv.s;
  StepResult<C> r = srv.ack(kPeer + 1, kIsn + 7);
  EXPECT_EQ(r.transition, tr(T::kSynRecvBadAck));
  EXPECT_EQ(r.out.kind, out(OutputKind::kRst));
  EXPECT_EQ(r.out.seq, kIsn + 7);
  EXPECT_EQ(diff(before, srv.s), "");
}

TEST(SynReceived, DuplicateSynGetsSynAckAgain) {
  Server srv;
  srv.listen();
  srv.syn();
  StepResult<C> r = srv.syn();
  EXPECT_EQ(r.transition, tr(T::kSynRecvDupSyn));
  EXPECT_EQ(r.out.kind, out(OutputKind::kSynAck));
  EXPECT_EQ(r.out.seq, kIsn);
}

// RFC 5961 §3.2 in SYN-RECEIVED.
TEST(SynReceived, ResetRules) {
  Server srv;
  srv.listen();
  srv.syn();
  EXPECT_EQ(srv.feed(make_segment({.rst = true}, kPeer + 2, 0)).out.kind,
            out(OutputKind::kChallengeAck));
  EXPECT_EQ(srv.feed(make_segment({.rst = true}, kPeer - 5, 0)).out.kind,
            out(OutputKind::kNone));
  EXPECT_EQ(srv.s.st, st(TcpState::kSynReceived));
  srv.feed(make_segment({.rst = true}, kPeer + 1, 0));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

// Property 12: tcp_synack_retries retransmissions, then the request goes.
TEST(SynReceived, RetransmitsThenExpires) {
  Server srv;
  srv.p.max_synack_retries = 2;
  srv.listen();
  srv.syn();
  Input<C> timer = make_input(InputKind::kTimerSynAck);
  EXPECT_EQ(srv.feed(timer).out.kind, out(OutputKind::kSynAck));
  EXPECT_EQ(srv.feed(timer).out.kind, out(OutputKind::kSynAck));
  StepResult<C> r = srv.feed(timer);
  EXPECT_EQ(r.transition, tr(T::kSynAckExpire));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

// Linux sk_acceptq_is_full: backlog 0 admits one child.
TEST(AcceptQueue, BacklogZeroAdmitsOneThenDropsOrResets) {
  Server srv;
  srv.listen(0);
  srv.feed(make_input(InputKind::kOtherSyn));
  srv.feed(make_input(InputKind::kOtherComplete));
  EXPECT_EQ(srv.s.other_queued, 1u);
  StepResult<C> r = srv.syn();
  EXPECT_EQ(r.transition, tr(T::kListenSynAcceptQueueFull));
  srv.feed(make_input(InputKind::kOtherAccept));
  srv.syn();
  srv.feed(make_input(InputKind::kOtherSyn));
  srv.feed(make_input(InputKind::kOtherComplete));
  r = srv.ack(kPeer + 1, kIsn + 1);
  EXPECT_EQ(r.transition, tr(T::kSynRecvOverflowDrop));
  EXPECT_EQ(srv.s.st, st(TcpState::kSynReceived));
  srv.p.abort_on_overflow = true;
  r = srv.ack(kPeer + 1, kIsn + 1);
  EXPECT_EQ(r.transition, tr(T::kSynRecvOverflowRst));
  EXPECT_EQ(r.out.seq, kIsn + 1);
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

// The same overflow policy for another 4-tuple's request sock.
TEST(AcceptQueue, OtherCompletionAtFullQueue) {
  Server srv;
  srv.listen(0);
  srv.feed(make_input(InputKind::kOtherSyn));
  srv.feed(make_input(InputKind::kOtherSyn));
  srv.feed(make_input(InputKind::kOtherComplete));
  EXPECT_EQ(srv.feed(make_input(InputKind::kOtherComplete)).transition,
            tr(T::kOtherCompleteNone));
  EXPECT_EQ(srv.s.other_reqs, 1u);
  srv.p.abort_on_overflow = true;
  EXPECT_EQ(srv.feed(make_input(InputKind::kOtherComplete)).transition,
            tr(T::kOtherCompleteOverflowRst));
  EXPECT_EQ(srv.s.other_reqs, 0u);
  EXPECT_EQ(srv.s.other_queued, 1u);
}

// RFC 4987: SYN queue full -> cookie SYN-ACK, no state; ACK -> child.
TEST(Cookies, StatelessHandshake) {
  Server srv;
  srv.p.syn_queue_limit = 0;
  srv.listen();
  StepResult<C> r = srv.syn();
  EXPECT_EQ(r.transition, tr(T::kListenSynCookie));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
  EXPECT_EQ(srv.s.other_reqs, 0u);
  uint32_t cookie = r.out.seq;
  srv.feed(make_input(InputKind::kTimerCookieClock));
  r = srv.ack(kPeer + 1, cookie + 1);
  EXPECT_EQ(r.transition, tr(T::kListenAckCookie));
  EXPECT_EQ(srv.s.st, st(TcpState::kEstablishedQueued));
  EXPECT_EQ(srv.s.iss, cookie);
  EXPECT_EQ(srv.s.mss, 1380u);  // offered 1400 -> table entry 1380
  EXPECT_TRUE(srv.s.from_cookie);
}

// A tiny or zero MSS option: 0 means 536 (RFC 9293 §3.7.1), anything else
// is floored at kMinMss, for request socks and cookies alike.
TEST(Mss, TinyOptionsAreFloored) {
  for (const uint32_t mode : {0u, 2u}) {
    for (const auto& [option, expected] : {std::pair{0u, 536u}, {10u, 64u}}) {
      Server srv;
      srv.p.cookie_mode = mode;
      srv.listen();
      Input<C> in = make_segment({.syn = true}, kPeer, 0);
      in.isn = kIsn;
      in.mss_present = true;
      in.mss = option;
      const StepResult<C> r = srv.feed(in);
      if (mode == 0) {
        EXPECT_EQ(r.transition, tr(T::kListenSynRequest));
      } else {
        EXPECT_EQ(r.transition, tr(T::kListenSynCookie));
        srv.ack(kPeer + 1, r.out.seq + 1);
        EXPECT_EQ(srv.s.st, st(TcpState::kEstablishedQueued));
      }
      EXPECT_EQ(srv.s.mss, expected) << "option " << option;
    }
  }
}

TEST(Cookies, ExpiredCookieIsReset) {
  Server srv;
  srv.p.cookie_mode = static_cast<uint32_t>(CookieMode::kAlways);
  srv.listen();
  uint32_t cookie = srv.syn().out.seq;
  for (uint32_t i = 0; i <= kMaxCookieAge; ++i) {
    srv.feed(make_input(InputKind::kTimerCookieClock));
  }
  EXPECT_EQ(srv.ack(kPeer + 1, cookie + 1).transition, tr(T::kListenAckReset));
}

// RFC 5961 §3.2 and §4.2 in ESTABLISHED.
TEST(Established, BlindResetAndSynDefences) {
  Server srv;
  srv.establish();
  StepResult<C> r = srv.feed(make_segment({.rst = true}, kPeer + 50, 0));
  EXPECT_EQ(r.out.kind, out(OutputKind::kChallengeAck));
  EXPECT_EQ(r.out.seq, kIsn + 1);
  EXPECT_EQ(r.out.ack, kPeer + 1);
  r = srv.feed(make_segment({.rst = true}, kPeer + 1 + 70000, 0));
  EXPECT_EQ(r.out.kind, out(OutputKind::kNone));
  r = srv.feed(make_segment({.syn = true}, kPeer + 1, 0));
  EXPECT_EQ(r.out.kind, out(OutputKind::kChallengeAck));
  EXPECT_EQ(srv.s.st, st(TcpState::kEstablished));
  r = srv.feed(make_segment({.rst = true}, kPeer + 1, 0));
  EXPECT_EQ(r.event, static_cast<uint32_t>(AppEvent::kReset));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

TEST(Established, DataAndUnacceptableAck) {
  Server srv;
  srv.establish();
  StepResult<C> r = srv.ack(kPeer + 1, kIsn + 1, 10);
  EXPECT_EQ(r.out.kind, out(OutputKind::kAck));
  EXPECT_EQ(srv.s.rcv_nxt, kPeer + 11);
  r = srv.ack(kPeer + 11, kIsn + 500);  // acks data never sent
  EXPECT_EQ(r.transition, tr(T::kSyncAckUnacceptable));
}

// RFC 9293 §3.10.7.4 "fifth" then "seventh": a segment beyond RCV.NXT still
// has its ACK field processed; its text is not taken (choice 9) but draws a
// duplicate ACK (RFC 5681 §4.2); a pure ACK beyond RCV.NXT draws nothing;
// text overlapping RCV.NXT is trimmed and taken.
TEST(Established, SegmentsNotAtRcvNxt) {
  Server srv;
  srv.establish();
  const uint32_t wnd = srv.s.snd_wnd;
  StepResult<C> r =
      srv.feed(make_segment({.ack = true}, kPeer + 5, kIsn + 1, 10, wnd + 7));
  EXPECT_EQ(r.transition, tr(T::kEstablishedSegment));
  EXPECT_EQ(r.out.kind, out(OutputKind::kAck));
  EXPECT_EQ(r.out.ack, kPeer + 1);
  EXPECT_EQ(srv.s.rcv_nxt, kPeer + 1);
  EXPECT_EQ(srv.s.snd_wnd, wnd + 7);  // the ACK field was processed
  EXPECT_EQ(srv.s.snd_wl1, kPeer + 5);
  r = srv.ack(kPeer + 5, kIsn + 1);
  EXPECT_EQ(r.out.kind, out(OutputKind::kNone));
  r = srv.feed(make_segment({.ack = true, .fin = true}, kPeer + 5, kIsn + 1));
  EXPECT_EQ(r.out.kind, out(OutputKind::kAck));
  EXPECT_EQ(srv.s.st, st(TcpState::kEstablished));  // FIN not taken
  r = srv.ack(kPeer - 3, kIsn + 1, 10);             // 4 old bytes, 6 new
  EXPECT_EQ(r.out.kind, out(OutputKind::kAck));
  EXPECT_EQ(srv.s.rcv_nxt, kPeer + 7);
}

// RFC 7323 §4.3: TS.Recent is taken only from a segment that starts at or
// before RCV.NXT (Last.ACK.sent).
TEST(Established, TsRecentOnlyFromSegmentsInSequence) {
  Server srv;
  srv.p.ts_enabled = true;
  srv.listen();
  Input<C> syn = make_segment({.syn = true}, kPeer, 0);
  syn.isn = kIsn;
  syn.ts_present = true;
  syn.tsval = 100;
  srv.feed(syn);
  Input<C> in = make_segment({.ack = true}, kPeer + 1, kIsn + 1);
  in.ts_present = true;
  in.tsval = 101;
  srv.feed(in);
  ASSERT_TRUE(srv.s.ts_ok);
  ASSERT_EQ(srv.s.ts_recent, 101u);
  in.seq = kPeer + 9;
  in.len = 5;
  in.tsval = 102;
  srv.feed(in);
  EXPECT_EQ(srv.s.ts_recent, 101u);
  in.seq = kPeer + 1;
  in.tsval = 103;
  srv.feed(in);
  EXPECT_EQ(srv.s.ts_recent, 103u);
}

// RFC 9293 §3.10.7.4 LAST-ACK: an acceptable ACK of our FIN closes the
// connection even when the segment starts beyond RCV.NXT.
TEST(Close, LastAckClosesOnOutOfOrderAckOfFin) {
  Server srv;
  srv.establish();
  srv.feed(make_segment({.ack = true, .fin = true}, kPeer + 1, kIsn + 1));
  srv.feed(make_input(InputKind::kAppClose));
  ASSERT_EQ(srv.s.st, st(TcpState::kLastAck));
  const StepResult<C> r = srv.ack(kPeer + 10, kIsn + 2);
  EXPECT_EQ(r.transition, tr(T::kLastAckFinAcked));
  EXPECT_EQ(r.event, static_cast<uint32_t>(AppEvent::kClosed));
}

TEST(Close, PassiveClose) {
  Server srv;
  srv.establish();
  srv.feed(make_segment({.ack = true, .fin = true}, kPeer + 1, kIsn + 1));
  EXPECT_EQ(srv.s.st, st(TcpState::kCloseWait));
  StepResult<C> r = srv.feed(make_input(InputKind::kAppClose));
  EXPECT_EQ(r.out.kind, out(OutputKind::kFin));
  EXPECT_EQ(srv.s.st, st(TcpState::kLastAck));
  r = srv.ack(kPeer + 2, kIsn + 2);
  EXPECT_EQ(r.event, static_cast<uint32_t>(AppEvent::kClosed));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

// RFC 1122 §4.2.2.13: data after close() is answered with a RST (the ABORT
// form) and the connection goes; a bare ACK or a FIN is processed as usual.
TEST(Close, DataAfterCloseResets) {
  Server srv;
  srv.establish();
  srv.feed(make_input(InputKind::kAppClose));
  ASSERT_EQ(srv.s.st, st(TcpState::kFinWait1));
  StepResult<C> r = srv.ack(kPeer + 1, kIsn + 2);  // our FIN acked
  EXPECT_EQ(r.transition, tr(T::kFinWait1FinAcked));
  r = srv.ack(kPeer + 1, kIsn + 2, 10);
  EXPECT_EQ(r.transition, tr(T::kFinWaitDataAbort));
  EXPECT_EQ(r.out.kind, out(OutputKind::kRst));  // <SEQ=SEG.ACK><CTL=RST>
  EXPECT_FALSE(r.out.flag_ack);
  EXPECT_EQ(r.out.seq, kIsn + 2);
  EXPECT_EQ(r.out.ack, 0u);
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
  EXPECT_FALSE(srv.s.in_established_table);
}

// RFC 1337: a RST does not end TIME-WAIT.
TEST(TimeWait, ResetIgnoredUnlessRfc1337Off) {
  Server srv;
  srv.time_wait();
  srv.feed(make_segment({.rst = true}, kPeer + 2, 0));
  EXPECT_EQ(srv.s.st, st(TcpState::kTimeWait));
  srv.p.rfc1337 = false;
  srv.feed(make_segment({.rst = true}, kPeer + 2, 0));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

// RFC 6191 / RFC 1122 §4.2.2.13: a SYN beyond RCV.NXT reopens.
TEST(TimeWait, ReopensOnHigherSequence) {
  Server srv;
  srv.time_wait();
  uint32_t old_snd_nxt = srv.s.snd_nxt;
  EXPECT_EQ(srv.syn(kPeer).out.kind, out(OutputKind::kChallengeAck));
  EXPECT_EQ(srv.s.st, st(TcpState::kTimeWait));
  StepResult<C> r = srv.syn(kPeer + 1000);
  EXPECT_EQ(r.transition, tr(T::kTimeWaitReopenRequest));
  EXPECT_EQ(srv.s.st, st(TcpState::kSynReceived));
  EXPECT_EQ(srv.s.iss, old_snd_nxt + kTimeWaitIssGap);
  EXPECT_FALSE(srv.s.in_timewait_table);
}

TEST(TimeWait, ExpiresByTimer) {
  Server srv;
  srv.time_wait();
  srv.feed(make_input(InputKind::kTimerTimeWait));
  EXPECT_EQ(srv.s.st, st(TcpState::kListen));
}

TEST(Listener, CloseResetsQueuedChild) {
  Server srv;
  srv.listen();
  srv.syn();
  srv.ack(kPeer + 1, kIsn + 1);
  StepResult<C> r = srv.feed(make_input(InputKind::kAppCloseListener));
  EXPECT_EQ(r.out.kind, out(OutputKind::kRst));
  EXPECT_EQ(srv.s.st, st(TcpState::kClosed));
}

// Total and deterministic on random states and inputs (proven in proofs/).
TEST(Table, ExactlyOneRowOnRandomStatesAndInputs) {
  std::mt19937 rng(7);
  auto small = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  auto seq = [&] { return small(4) == 0 ? rng() : 1000 + small(20); };
  for (int i = 0; i < 20000; ++i) {
    Params<C> p = default_params();
    p.cookie_mode = small(3);
    p.rcv_wnd = small(3) == 0 ? 0 : 16;
    ModelState<C> s;
    ModelState<C>::visit(s, [&](const char*, auto& f) {
      f = static_cast<std::decay_t<decltype(f)>>(seq());
    });
    s.st = small(static_cast<uint32_t>(TcpState::kCount) + 1);
    ModelState<C>::visit(s, [&](const char*, auto& f) {
      if constexpr (std::is_same_v<std::decay_t<decltype(f)>, bool>) {
        f = small(2);
      }
    });
    Input<C> in;
    Input<C>::visit(in, [&](const char*, auto& f) {
      f = static_cast<std::decay_t<decltype(f)>>(seq());
    });
    Input<C>::visit(in, [&](const char*, auto& f) {
      if constexpr (std::is_same_v<std::decay_t<decltype(f)>, bool>) {
        f = small(2);
      }
    });
    in.kind = small(static_cast<uint32_t>(InputKind::kCount) + 1);
    int holding = 0;
    for (const auto& [t, g] : guards<C>(p, s, in)) holding += g ? 1 : 0;
    ASSERT_EQ(holding, 1) << to_string(s) << "\n" << to_string(in);
    EXPECT_NE(step<C>(p, s, in).transition, tr(T::kNoRow));
  }
}

}  // namespace
}  // namespace tcpref::model
