// Hand-written traces through the driver. The first group shows impl and
// model agree on the paths everyone cares about (so the property's passes
// are not vacuous). The second replays each known divergence's minimal
// trace with skipping off: it must still diverge, or the entry (and its
// skip predicate) is stale and must be deleted.
#include "refinement/driver.h"

#include <gtest/gtest.h>

#include <string>

#include "refinement/known_divergences.h"

namespace tcpref::refinement {
namespace {

// ---- a tiny trace language ----

SegmentSpec segment(bool syn, bool ack, bool rst, bool fin) {
  SegmentSpec s;
  s.syn = syn;
  s.ack = ack;
  s.rst = rst;
  s.fin = fin;
  s.seq = {syn ? SeqBase::kIrs : SeqBase::kRcvNxt, 0, 0};
  s.ack_number = {AckBase::kSndNxt, 0, 0};
  return s;
}
SegmentSpec Syn() { return segment(true, false, false, false); }
SegmentSpec Ack() { return segment(false, true, false, false); }
SegmentSpec FinAck() { return segment(false, true, false, true); }
SegmentSpec Rst() { return segment(false, false, true, false); }

SegmentSpec seq(SegmentSpec s, SeqBase b, int32_t off = 0) {
  s.seq = {b, off, 0};
  return s;
}
SegmentSpec ack(SegmentSpec s, AckBase b, int32_t off = 0) {
  s.ack_number = {b, off, 0};
  return s;
}
SegmentSpec ts(SegmentSpec s, TsClass c, uint32_t v = 1) {
  s.ts = c;
  s.ts_value = v;
  return s;
}
SegmentSpec mss(SegmentSpec s, uint16_t m) {
  s.mss = m;
  return s;
}
SegmentSpec len(SegmentSpec s, uint16_t n) {
  s.len = n;
  return s;
}
SegmentSpec window(SegmentSpec s, uint16_t w) {
  s.window = w;
  return s;
}

Step S(SegmentSpec s) { return Step{StepKind::kSegment, s, {}}; }
Step Call(StepKind k) { return Step{k, {}, {}}; }
Step Advance(AdvanceTo a) { return Step{StepKind::kAdvance, {}, a}; }
const Step kAccept = Call(StepKind::kAccept);
const Step kClose = Call(StepKind::kClose);

RefinementConfig config(model::CookieMode cookies, bool ts, bool abort = false,
                        uint32_t backlog = 1, bool rfc1337 = true) {
  RefinementConfig c;
  c.name = "test";
  c.cookies = cookies;
  c.timestamps = ts;
  c.abort_on_overflow = abort;
  c.backlog = backlog;
  c.rfc1337 = rfc1337;
  return c;
}
const RefinementConfig kPlain = config(model::CookieMode::kOff, false);
const RefinementConfig kTs = config(model::CookieMode::kOff, true);
const RefinementConfig kCookies = config(model::CookieMode::kAlways, false);

RunResult RunTrace(const RefinementConfig& c, std::vector<Step> steps,
                   bool skip = false) {
  DriverOptions o;
  o.skip_known_divergences = skip;
  return run(c, Scenario{0x10000000, std::move(steps)}, o);
}

std::vector<Step> Handshake(bool with_ts = false) {
  if (with_ts) {
    return {S(ts(Syn(), TsClass::kArbitrary, 100)),
            S(ts(Ack(), TsClass::kNewer))};
  }
  return {S(Syn()), S(Ack())};
}

std::vector<Step> operator+(std::vector<Step> a, const std::vector<Step>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ---- agreement on the common paths ----

TEST(DriverAgrees, HandshakeAcceptActiveCloseTimeWaitExpiry) {
  for (const RefinementConfig& c : {kPlain, kTs}) {
    const bool t = c.timestamps;
    const RunResult r = RunTrace(
        c, Handshake(t) + std::vector<Step>{kAccept, kClose,
                                            S(ts(Ack(), TsClass::kNewer)),
                                            S(ts(FinAck(), TsClass::kNewer)),
                                            Advance(AdvanceTo::kTimeWait)});
    EXPECT_FALSE(r.diverged) << r.trace;
    EXPECT_EQ(r.transitions.back(), model::Transition::kTimeWaitExpire)
        << r.trace;
  }
}

TEST(DriverAgrees, PassiveClose) {
  const RunResult r = RunTrace(
      kPlain,
      Handshake() + std::vector<Step>{kAccept, S(FinAck()), kClose, S(Ack())});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kLastAckFinAcked);
}

TEST(DriverAgrees, SynAckRetransmitsThenExpires) {
  // synack_retries = 2: two retransmissions, then the request goes.
  const RunResult r = RunTrace(
      kPlain, {S(Syn()), Advance(AdvanceTo::kSynAck),
               Advance(AdvanceTo::kSynAck), Advance(AdvanceTo::kSynAck)});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kSynAckExpire) << r.trace;
}

TEST(DriverAgrees, CookieHandshake) {
  const RunResult r =
      RunTrace(kCookies, {S(Syn()), S(ack(Ack(), AckBase::kCookie)), kAccept});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kAppAcceptChild);
}

TEST(DriverAgrees, ResetInSynReceived) {
  const RunResult r = RunTrace(kPlain, {S(Syn()), S(Rst())});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kSynRecvRstExact);
}

TEST(DriverAgrees, BackgroundClientsFillTheQueues) {
  const RunResult r =
      RunTrace(config(model::CookieMode::kOff, false, false, /*backlog=*/0),
               {Call(StepKind::kOtherSyn), Call(StepKind::kOtherSyn),
                Call(StepKind::kOtherComplete), S(Syn()), kAccept, S(Syn())});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kListenSynRequest);
}

// A wrong SEG.ACK in SYN-RECEIVED draws RST and leaves the request sock.
TEST(DriverAgrees, BadAckInSynReceived) {
  const RunResult r =
      RunTrace(kPlain, {S(Syn()), S(ack(Ack(), AckBase::kSndNxt, 1))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kSynRecvBadAck);
}

// The driver is not vacuous: a trace through a known divergence diverges
// with skipping off, and is skipped (and counted) with it on.
void ExpectKnown(size_t id, const RefinementConfig& c,
                 const std::vector<Step>& steps) {
  const RunResult off = RunTrace(c, steps, /*skip=*/false);
  EXPECT_TRUE(off.diverged)
      << known_divergences()[id].name
      << " no longer reproduces: delete it from known_divergences.cc\n"
      << off.trace;
  const RunResult on = RunTrace(c, steps, /*skip=*/true);
  EXPECT_FALSE(on.diverged) << on.trace;
  EXPECT_GT(on.skipped[id], 0u) << known_divergences()[id].name << "\n"
                                << on.trace;
}

using Id = DivergenceId;
void ExpectKnown(Id id, const RefinementConfig& c,
                 const std::vector<Step>& steps) {
  ExpectKnown(static_cast<size_t>(id), c, steps);
}

TEST(KnownDivergence, D01CookieSynAckOptions) {
  ExpectKnown(Id::kD1CookieSynAckOptions,
              config(model::CookieMode::kAlways, true),
              {S(ts(Syn(), TsClass::kArbitrary, 100))});
}
TEST(KnownDivergence, D03Paws) {
  // A FIN without TSopt: impl drops it, the model takes the FIN.
  ExpectKnown(Id::kD3NoPaws, kTs,
              Handshake(true) + std::vector<Step>{S(FinAck())});
}
TEST(KnownDivergence, D06Reassembly) {
  // Five bytes beyond a one-byte gap, then the byte that fills it: impl
  // delivers six, the model one.
  ExpectKnown(Id::kD6Reassembly, kPlain,
              Handshake() +
                  std::vector<Step>{S(seq(len(Ack(), 5), SeqBase::kRcvNxt, 1)),
                                    S(len(Ack(), 1))});
}
TEST(KnownDivergence, D16CookieIndexNotAuthenticated) {
  ExpectKnown(Id::kD16CookieIndexNotAuthenticated, kCookies,
              {S(Syn()), S(ack(Ack(), AckBase::kCookie, 1))});
}
TEST(KnownDivergence, D18CookieFromClosedListener) {
  ExpectKnown(Id::kD18CookieFromClosedListener, kCookies,
              {S(Syn()), Call(StepKind::kCloseListener),
               Call(StepKind::kListen), S(ack(Ack(), AckBase::kCookie))});
}

TEST(KnownDivergence, D20UnreadTextInScaledWindow) {
  RefinementConfig c = kPlain;
  c.window_shift = 7;
  SegmentSpec syn = Syn();
  syn.window_scale = 7;
  ExpectKnown(Id::kD20UnreadTextInScaledWindow, c,
              {S(syn), S(Ack()), kAccept, S(len(Ack(), 10))});
}
TEST(KnownDivergence, EveryEntryHasATest) {
  EXPECT_EQ(known_divergences().size(), static_cast<size_t>(Id::kCount));
}

// Fixed in the model: with our shift 7 negotiated, RCV.WND opens to the free
// receive buffer (128 KiB) after the handshake, beyond the SYN-ACK's 65535.
TEST(FormerDivergence, D20ScaledReceiveWindow) {
  RefinementConfig c = kPlain;
  c.window_shift = 7;
  SegmentSpec syn = Syn();
  syn.window_scale = 7;
  const RunResult r =
      RunTrace(c, {S(syn), S(Ack()), kAccept, S(FinAck()), kClose, S(Ack())});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_NE(r.trace.find("rcv_wnd=131072"), std::string::npos) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kLastAckFinAcked);
}

// Fixed in the model (RFC 9293 §3.10.7.4 "fifth": the ACK field of every
// acceptable segment is processed) and in impl/tcp (an out-of-order FIN draws
// a duplicate ACK): segments that do not start at RCV.NXT now agree.
TEST(FormerDivergence, D06SegmentsNotAtRcvNxt) {
  using T = model::Transition;
  const std::vector<std::pair<std::vector<Step>, T>> cases = {
      // A pure ACK beyond RCV.NXT with a new window: no reply, window taken.
      {{S(window(seq(Ack(), SeqBase::kRcvNxt, 1), 1000))}, T::kQueuedSegment},
      // Text beyond RCV.NXT: a duplicate ACK; FIN beyond RCV.NXT: the same.
      {{S(seq(len(Ack(), 5), SeqBase::kRcvNxt, 3))}, T::kQueuedSegment},
      {{kAccept, S(seq(FinAck(), SeqBase::kRcvNxt, 3))},
       T::kEstablishedSegment},
      // Text overlapping RCV.NXT: the new part is taken.
      {{S(len(Ack(), 4)), S(seq(len(Ack(), 10), SeqBase::kRcvNxt, -4))},
       T::kQueuedSegment},
      // LAST-ACK: an ACK of our FIN beyond RCV.NXT closes.
      {{kAccept, S(FinAck()), kClose, S(seq(Ack(), SeqBase::kRcvNxt, 2))},
       T::kLastAckFinAcked},
  };
  for (const auto& [tail, last] : cases) {
    const RunResult r = RunTrace(kPlain, Handshake() + tail);
    EXPECT_FALSE(r.diverged) << r.trace;
    ASSERT_FALSE(r.transitions.empty()) << r.trace;
    EXPECT_EQ(r.transitions.back(), last) << r.trace;
  }
}

// Fixed in impl/tcp (e220e54, 23ee719) after the property found them; kept as
// agreement traces so they stay fixed.
TEST(FormerDivergence, D02BadAckOutOfWindowAnsweredWithRst) {
  const RunResult r = RunTrace(
      kPlain,
      {S(Syn()), S(seq(ack(Ack(), AckBase::kSndNxt, 1), SeqBase::kWindowEnd))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kSynRecvBadAck);
}
TEST(FormerDivergence, D05SynInSynReceivedResets) {
  const RunResult r =
      RunTrace(kPlain, {S(Syn()), S(seq(Syn(), SeqBase::kRcvNxt, 5))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kSynRecvSyn);
}
TEST(FormerDivergence, D12MaxSndWndCountsSynWindow) {
  const RunResult r =
      RunTrace(kPlain, {S(Syn()), S(window(Ack(), 1000)),
                        S(window(ack(Ack(), AckBase::kSndUna, -2000), 1000))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kQueuedSegment);
}
TEST(FormerDivergence, D13TsOnPlainCookieAckIgnored) {
  const RunResult r = RunTrace(
      config(model::CookieMode::kAlways, true),
      {S(Syn()), S(ts(ack(Ack(), AckBase::kCookie), TsClass::kNewer))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kListenAckCookie);
}
TEST(FormerDivergence, D19CookieAckAtFullQueueDroppedUnderAbort) {
  const RunResult r = RunTrace(
      config(model::CookieMode::kWhenFull, false, true, 0),
      {Call(StepKind::kOtherSyn), Call(StepKind::kOtherSyn),
       Call(StepKind::kOtherSyn), S(Syn()), Call(StepKind::kOtherComplete),
       S(ack(Ack(), AckBase::kCookie))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kListenAckCookieOverflow);
}
// Fixed in the model: closing the listener resets a queued child in Linux's
// tcp_send_active_reset form, with the window and, when negotiated, TSopt.
TEST(FormerDivergence, D04ListenerCloseRstForm) {
  for (const RefinementConfig& c : {kPlain, kTs}) {
    const RunResult r =
        RunTrace(c, Handshake(c.timestamps) +
                        std::vector<Step>{Call(StepKind::kCloseListener)});
    EXPECT_FALSE(r.diverged) << r.trace;
    EXPECT_EQ(r.transitions.back(), model::Transition::kAppCloseListenerQueued)
        << r.trace;
  }
}
// Fixed in the model: data after close() resets the connection (RFC 1122
// §4.2.2.13, Linux TCPAbortOnData), in FIN-WAIT-1 and FIN-WAIT-2, in order
// or not.
TEST(FormerDivergence, D07DataAfterClose) {
  for (const RefinementConfig& c : {kPlain, kTs}) {
    const std::vector<Step> fin_wait_1 =
        Handshake(c.timestamps) + std::vector<Step>{kAccept, kClose};
    const std::vector<Step> fin_wait_2 =
        fin_wait_1 + std::vector<Step>{S(ts(Ack(), TsClass::kNewer))};
    for (const std::vector<Step>& steps :
         {fin_wait_1 +
              std::vector<Step>{S(ts(len(Ack(), 10), TsClass::kNewer))},
          fin_wait_2 +
              std::vector<Step>{S(ts(len(Ack(), 10), TsClass::kNewer))},
          fin_wait_2 +
              std::vector<Step>{S(ts(seq(len(Ack(), 10), SeqBase::kRcvNxt, 5),
                                     TsClass::kNewer))}}) {
      const RunResult r = RunTrace(c, steps);
      EXPECT_FALSE(r.diverged) << r.trace;
      EXPECT_EQ(r.transitions.back(), model::Transition::kFinWaitDataAbort)
          << r.trace;
    }
  }
}
// Fixed in impl/tcp (transfer.cc): after the peer's text moved SND.WL1, an
// ACK below SND.UNA no longer updates the window (RFC 9293 §3.10.7.4
// "fifth"; Linux tcp_ack ignores an old ACK).
TEST(FormerDivergence, D10WindowFromAckBelowSndUna) {
  const RunResult r = RunTrace(
      kPlain,
      Handshake() +
          std::vector<Step>{S(len(Ack(), 10)),
                            S(window(ack(Ack(), AckBase::kSndUna, -1), 1000))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kQueuedSegment) << r.trace;
}
// Fixed in the model: an old ACK in the segment that last updated the window
// (SEG.SEQ = SND.WL1, SEG.ACK < SND.WL2) leaves SND.WND alone (RFC 9293
// §3.10.7.4 "fifth", SND.WL1/SND.WL2).
TEST(FormerDivergence, D10OldAckKeepsWindow) {
  const RunResult r = RunTrace(
      kPlain, Handshake() + std::vector<Step>{S(window(
                                ack(Ack(), AckBase::kSndUna, -1), 1000))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kQueuedSegment);
}
// Fixed in the model: under tcp_abort_on_overflow another 4-tuple's request
// sock completing into a full accept queue is reset and removed.
TEST(FormerDivergence, D11BackgroundAckAtFullQueueAbort) {
  for (const bool abort : {true, false}) {
    const RunResult r =
        RunTrace(config(model::CookieMode::kOff, false, abort, 0),
                 {Call(StepKind::kOtherSyn), Call(StepKind::kOtherSyn),
                  Call(StepKind::kOtherComplete),
                  Call(StepKind::kOtherComplete), S(Syn())});
    EXPECT_FALSE(r.diverged) << r.trace;
    EXPECT_EQ(r.transitions[r.transitions.size() - 2],
              abort ? model::Transition::kOtherCompleteOverflowRst
                    : model::Transition::kOtherCompleteNone)
        << r.trace;
  }
}
// Fixed in the model: an MSS option of 0 means 536 and a tiny one is
// floored at 64 (CVE-2019-11479), for request socks and cookies alike.
TEST(FormerDivergence, D08TinyMss) {
  for (const RefinementConfig& c : {kPlain, kCookies}) {
    for (const uint16_t m : {0, 10}) {
      const RunResult r = RunTrace(
          c,
          {S(mss(Syn(), m)), S(ack(Ack(), c.cookies == model::CookieMode::kOff
                                              ? AckBase::kSndNxt
                                              : AckBase::kCookie))});
      EXPECT_FALSE(r.diverged) << r.trace;
      EXPECT_NE(r.trace.find(m == 0 ? " mss=536" : " mss=64"),
                std::string::npos)
          << r.trace;
    }
  }
}
// Fixed in the model: both sides encode the same eight MSS levels, so a SYN
// offering 1400 gives a cookie child with 1380 (Linux's four levels: 1300).
TEST(FormerDivergence, D09CookieMssTable) {
  const RunResult r = RunTrace(
      kCookies, {S(mss(Syn(), 1400)), S(ack(Ack(), AckBase::kCookie))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kListenAckCookie);
  EXPECT_NE(r.trace.find(" mss=1380"), std::string::npos) << r.trace;
}
// Fixed in the model: a cookie two 64 s epochs old is stale on both sides
// (Linux __cookie_v4_check), and one epoch old is still good.
TEST(FormerDivergence, D17CookieLifetime) {
  const Step epoch = Advance(AdvanceTo::kCookieEpoch);
  const RunResult stale = RunTrace(
      kCookies, {S(Syn()), epoch, epoch, S(ack(Ack(), AckBase::kCookie))});
  EXPECT_FALSE(stale.diverged) << stale.trace;
  EXPECT_EQ(stale.transitions.back(), model::Transition::kListenAckReset)
      << stale.trace;
  const RunResult fresh =
      RunTrace(kCookies, {S(Syn()), epoch, S(ack(Ack(), AckBase::kCookie))});
  EXPECT_FALSE(fresh.diverged) << fresh.trace;
  EXPECT_EQ(fresh.transitions.back(), model::Transition::kListenAckCookie)
      << fresh.trace;
}
std::vector<Step> ToTimeWait(bool cookie = false) {
  const std::vector<Step> handshake =
      cookie ? std::vector<Step>{S(Syn()), S(ack(Ack(), AckBase::kCookie))}
             : Handshake();
  return handshake + std::vector<Step>{kAccept, kClose, S(Ack()), S(FinAck())};
}
TEST(FormerDivergence, D14TimeWaitAcksOldSyn) {
  const RunResult r =
      RunTrace(kPlain, ToTimeWait() + std::vector<Step>{S(Syn())});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kTimeWaitSynChallenge);
}
TEST(FormerDivergence, D15TimeWaitReopenWithCookies) {
  const RunResult r = RunTrace(
      kCookies,
      ToTimeWait(true) + std::vector<Step>{S(seq(Syn(), SeqBase::kRcvNxt, 1))});
  EXPECT_FALSE(r.diverged) << r.trace;
  EXPECT_EQ(r.transitions.back(), model::Transition::kTimeWaitReopenCookie)
      << r.trace;
}

}  // namespace
}  // namespace tcpref::refinement
