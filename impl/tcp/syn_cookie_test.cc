// SYN cookies through the stack (RFC 4987 §3.6; Linux tcp_conn_request's
// want_cookie path and cookie_v4_check), in all three modes.
#include "impl/tcp/syn_cookie.h"

#include <gtest/gtest.h>

#include <array>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

// Sends a SYN and returns the SYN-ACK.
wire::Segment CookieSynAck(Harness& h, wire::Segment syn) {
  h.Send(syn);
  return h.PopSent().segment;
}

wire::Segment AckFor(const wire::Segment& synack, uint16_t port = kClientPort) {
  wire::Segment ack{.src_port = port,
                    .seq = synack.ack,
                    .ack = synack.seq + 1,
                    .flags = kAck,
                    .window = 1000};
  if (synack.options.timestamps) {
    ack.options.timestamps =
        wire::Timestamps{9000, synack.options.timestamps->tsval};
  }
  return ack;
}

// kAlways, no timestamps: no state until the ACK; the SYN-ACK offers only
// MSS because nothing else could be remembered; the ACK makes a child.
TEST(SynCookie, AlwaysModeWithoutTimestamps) {
  Harness h;
  const ListenerId l = h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack = CookieSynAck(
      h, {.seq = kIrs,
          .flags = kSyn | kEce | kCwr,
          .window = 65535,
          .options = {.mss = 1460, .window_scale = 7, .sack_permitted = true}});
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, kIrs + 1);
  EXPECT_EQ(synack.options, (wire::TcpOptions{.mss = 1460}));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.counters().SyncookiesSent, 1u);

  EXPECT_EQ(h.Send(AckFor(synack)), Verdict::kAccepted);
  h.ExpectNothingSent();
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.kind, RecordKind::kChildQueued);
  EXPECT_EQ(v.state, TcpState::kEstablished);
  EXPECT_TRUE(v.from_cookie);
  EXPECT_EQ(v.iss, synack.seq);
  EXPECT_EQ(v.irs, kIrs);
  EXPECT_EQ(v.mss, 1460);
  EXPECT_FALSE(v.sack_ok);
  EXPECT_EQ(v.snd_wscale, 0);
  EXPECT_FALSE(v.ecn_ok);
  EXPECT_EQ(h.counters().SyncookiesRecv, 1u);
  EXPECT_EQ(h.stack().accept_queue_length(l), 1u);
}

// kAlways with timestamps: window scale, SACK-permitted and ECN ride in
// the TSval's low bits, so the child gets every option the SYN offered.
TEST(SynCookie, AlwaysModeWithTimestampsKeepsEveryOption) {
  for (uint8_t ws = 0; ws <= 15; ++ws) {
    for (int sack = 0; sack < 2; ++sack) {
      for (int ecn = 0; ecn < 2; ++ecn) {
        SCOPED_TRACE(::testing::Message()
                     << "ws=" << int{ws} << " sack=" << sack << " ecn=" << ecn);
        Harness h;
        h.Listen({.syn_cookies = SynCookieMode::kAlways});
        wire::Segment syn{.seq = kIrs, .flags = kSyn, .window = 65535};
        syn.options.mss = 1440;
        if (ws < 15) syn.options.window_scale = ws;
        syn.options.sack_permitted = sack;
        syn.options.timestamps = wire::Timestamps{1234, 0};
        if (ecn) syn.flags |= kEce | kCwr;
        const wire::Segment synack = CookieSynAck(h, syn);
        wire::TcpOptions expected{.mss = 1460};
        if (ws < 15) expected.window_scale = 7;
        expected.sack_permitted = sack;
        expected.timestamps =
            wire::Timestamps{synack.options.timestamps->tsval, 1234};
        EXPECT_EQ(synack.options, expected);
        EXPECT_EQ(synack.flags, kSyn | kAck | (ecn ? kEce : 0));

        h.Send(AckFor(synack));
        const ConnectionView v = h.Inspect();
        ASSERT_EQ(v.kind, RecordKind::kChildQueued);
        EXPECT_EQ(v.mss, 1440);
        EXPECT_EQ(v.snd_wscale, ws < 15 ? ws : 0);
        EXPECT_EQ(v.rcv_wscale, ws < 15 ? 7 : 0);
        EXPECT_EQ(v.sack_ok, sack == 1);
        EXPECT_EQ(v.ecn_ok, ecn == 1);
        EXPECT_TRUE(v.timestamps_ok);
        EXPECT_EQ(v.ts_recent, 9000u);
      }
    }
  }
}

// Cookies in every mode, with timestamps on and off: kAlways and
// kWhenSynQueueFull (with the SYN queue full) answer with a cookie and the
// ACK restores MSS — plus window scale and SACK when timestamps carried
// them; kOff answers nothing once the SYN queue is full.
TEST(SynCookie, EveryModeWithAndWithoutTimestamps) {
  for (SynCookieMode mode :
       {SynCookieMode::kOff, SynCookieMode::kWhenSynQueueFull,
        SynCookieMode::kAlways}) {
    for (bool ts : {false, true}) {
      SCOPED_TRACE(::testing::Message()
                   << "mode=" << static_cast<int>(mode) << " ts=" << ts);
      Harness h;
      h.Listen({.syn_queue_limit = 0, .syn_cookies = mode});
      wire::Segment syn{.seq = kIrs, .flags = kSyn, .window = 65535};
      syn.options.mss = 1300;
      syn.options.window_scale = 4;
      syn.options.sack_permitted = true;
      if (ts) syn.options.timestamps = wire::Timestamps{42, 0};
      h.Send(syn);
      if (mode == SynCookieMode::kOff) {
        h.ExpectNothingSent();
        continue;
      }
      const wire::Segment synack = h.PopSent().segment;
      EXPECT_EQ(synack.options.window_scale.has_value(), ts);
      EXPECT_EQ(synack.options.sack_permitted, ts);
      EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
      h.Send(AckFor(synack));
      const ConnectionView v = h.Inspect();
      ASSERT_EQ(v.kind, RecordKind::kChildQueued);
      EXPECT_EQ(v.mss, 1300);
      EXPECT_EQ(v.snd_wscale, ts ? 4 : 0);
      EXPECT_EQ(v.sack_ok, ts);
      EXPECT_EQ(v.timestamps_ok, ts);
    }
  }
}

// The cookie TSval never runs ahead of our timestamp clock (it steps back
// at most one 64-tick period), so TSval stays monotonic (RFC 7323 §5.4).
TEST(SynCookie, CookieTsvalIsNotAheadOfClock) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs,
                       .flags = kSyn,
                       .window = 65535,
                       .options = {.window_scale = 14,
                                   .sack_permitted = true,
                                   .timestamps = wire::Timestamps{1, 0}}});
  const uint32_t clock = h.TsVal();
  const uint32_t tsval = synack.options.timestamps->tsval;
  EXPECT_LE(clock - tsval, 63u);
}

// Encoded MSS levels: the largest table entry not above the peer's MSS.
TEST(SynCookie, MssIsEncodedInEightLevels) {
  const std::pair<uint16_t, uint16_t> cases[] = {
      {1, 64},      {100, 64},    {536, 536},   {1000, 536},
      {1200, 1200}, {1300, 1300}, {1400, 1380}, {1440, 1440},
      {1452, 1452}, {1460, 1460}, {9000, 1460}};
  for (const auto& [offered, decoded] : cases) {
    SCOPED_TRACE(offered);
    Harness h;
    h.Listen({.syn_cookies = SynCookieMode::kAlways});
    const wire::Segment synack = CookieSynAck(h, {.seq = kIrs,
                                                  .flags = kSyn,
                                                  .window = 65535,
                                                  .options = {.mss = offered}});
    h.Send(AckFor(synack));
    EXPECT_EQ(h.Inspect().mss, decoded);
  }
}

// kWhenSynQueueFull (the default): request socks until the SYN queue is
// full, then cookies (TCPReqQFullDoCookies).
TEST(SynCookie, WhenSynQueueFullModeUsesCookiesOnlyWhenFull) {
  Harness h;
  const ListenerId l = h.Listen({.syn_queue_limit = 1});
  CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().SyncookiesSent, 0u);

  const wire::Segment synack = CookieSynAck(h, {.src_port = kClientPort + 1,
                                                .seq = kIrs,
                                                .flags = kSyn,
                                                .window = 65535});
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().SyncookiesSent, 1u);
  EXPECT_EQ(h.counters().TCPReqQFullDoCookies, 1u);
  EXPECT_EQ(h.stack().syn_queue_length(l), 1u);

  h.Send(AckFor(synack, kClientPort + 1));
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kChildQueued);
  EXPECT_TRUE(h.Inspect(kClientPort + 1).from_cookie);
}

// kOff: a full SYN queue drops, and an ACK that would have been a cookie
// ACK gets a RST like any ACK in LISTEN.
TEST(SynCookie, OffModeNeverSendsCookies) {
  Harness h;
  h.Listen({.syn_queue_limit = 0, .syn_cookies = SynCookieMode::kOff});
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kSyn, .window = 65535}),
            Verdict::kDroppedInvalid);
  h.ExpectNothingSent();
  h.Send({.seq = kIrs + 1, .ack = 12345, .flags = kAck, .window = 100});
  h.ExpectSent({.seq = 12345, .flags = kRst});
  EXPECT_EQ(h.counters().SyncookiesSent, 0u);
  EXPECT_EQ(h.counters().SyncookiesFailed, 0u);
}

// A cookie is good for at least one 64 s epoch, whatever the phase.
TEST(SynCookie, CookieAcceptedWithinAMinute) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  h.Advance(seconds(63));
  h.Send(AckFor(synack));
  EXPECT_EQ(h.Inspect().kind, RecordKind::kChildQueued);
}

// Cookies older than two epochs (≥ 128 s) are stale: RST, SyncookiesFailed.
TEST(SynCookie, StaleCookieIsRejected) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  h.Advance(seconds(100));
  // Keep cookies "recently sent" so the ACK is really checked.
  CookieSynAck(h, {.src_port = kClientPort + 1,
                   .seq = kIrs,
                   .flags = kSyn,
                   .window = 65535});
  h.Advance(seconds(30));
  const wire::Segment ack = AckFor(synack);
  EXPECT_EQ(h.Send(ack), Verdict::kDroppedInvalid);
  h.ExpectSent({.seq = ack.ack, .flags = kRst});
  EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
  EXPECT_EQ(h.counters().SyncookiesFailed, 1u);
}

// A forged cookie ACK gets RST with SEQ = SEG.ACK (RFC 9293 §3.10.7.2).
TEST(SynCookie, ForgedCookieGetsRst) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  wire::Segment forged = AckFor(synack);
  forged.ack ^= 1;
  EXPECT_EQ(h.Send(forged), Verdict::kDroppedInvalid);
  h.ExpectSent({.seq = forged.ack, .flags = kRst});
  // The right cookie from the wrong port fails too.
  wire::Segment other = AckFor(synack, kClientPort + 1);
  h.Send(other);
  h.ExpectSent({.dst_port = kClientPort + 1, .seq = other.ack, .flags = kRst});
  // And with the wrong IRS.
  wire::Segment shifted = AckFor(synack);
  shifted.seq += 1;
  h.Send(shifted);
  h.ExpectSent({.seq = shifted.ack, .flags = kRst});
  EXPECT_EQ(h.counters().SyncookiesFailed, 3u);
  EXPECT_EQ(h.counters().SyncookiesRecv, 0u);
}

// The TSval option bits are covered by the MAC: echoing altered bits (say,
// claiming SACK) fails the cookie.
TEST(SynCookie, AlteredTimestampBitsFail) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs,
                       .flags = kSyn,
                       .window = 65535,
                       .options = {.timestamps = wire::Timestamps{1, 0}}});
  wire::Segment ack = AckFor(synack);
  ack.options.timestamps->tsecr ^= 1 << 4;  // SACK-permitted bit
  h.Send(ack);
  h.ExpectSent({.seq = ack.ack, .flags = kRst});
  // Dropping the timestamps from the ACK fails too.
  wire::Segment bare = AckFor(synack);
  bare.options.timestamps.reset();
  h.Send(bare);
  h.ExpectSent({.seq = bare.ack, .flags = kRst});
  EXPECT_EQ(h.counters().SyncookiesFailed, 2u);
}

// RFC 7323 §3.2: a TSopt on the ACK of a cookie made for a SYN without
// timestamps is ignored; the cookie still validates (the cookie itself
// records whether timestamps were negotiated).
TEST(SynCookie, TimestampOnAckOfPlainCookieIsIgnored) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  wire::Segment ack = AckFor(synack);
  ack.options.timestamps = wire::Timestamps{5, 0x3f};
  EXPECT_EQ(h.Send(ack), Verdict::kAccepted);
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().kind, RecordKind::kChildQueued);
  EXPECT_FALSE(h.Inspect().timestamps_ok);
}

// Cookie ACKs are checked only if this listener sent a cookie within a
// cookie's lifetime (Linux tcp_synq_no_recent_overflow); otherwise the ACK
// is an ordinary ACK in LISTEN.
TEST(SynCookie, NoRecentCookieMeansPlainRst) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  h.Send({.seq = kIrs, .ack = 777, .flags = kAck, .window = 100});
  h.ExpectSent({.seq = 777, .flags = kRst});
  EXPECT_EQ(h.counters().SyncookiesFailed, 0u);
}

// Data on the cookie ACK is kept and acknowledged.
TEST(SynCookie, DataOnCookieAckIsKept) {
  Harness h;
  h.Listen({.syn_cookies = SynCookieMode::kAlways});
  const wire::Segment synack =
      CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
  wire::Segment ack = AckFor(synack);
  const std::array<uint8_t, 4> data = {9, 8, 7, 6};
  ack.payload = data;
  h.Send(ack);
  h.ExpectSent({.seq = synack.seq + 1,
                .ack = kIrs + 1 + 4,
                .flags = kAck,
                .window = 64 * 1024 - 4});
  EXPECT_EQ(h.Inspect().rcv_nxt, kIrs + 5);
}

// A valid cookie ACK meeting a full accept queue is dropped under either
// overflow policy (Linux tcp_get_cookie_sock; the model's choice 4).
TEST(SynCookie, CookieAckAtFullQueueIsDropped) {
  for (OverflowPolicy policy :
       {OverflowPolicy::kDrop, OverflowPolicy::kReset}) {
    Harness h;
    h.Listen({.backlog = 0,
              .syn_cookies = SynCookieMode::kAlways,
              .overflow = policy});
    const wire::Segment first =
        CookieSynAck(h, {.seq = kIrs, .flags = kSyn, .window = 65535});
    const wire::Segment second = CookieSynAck(h, {.src_port = kClientPort + 1,
                                                  .seq = kIrs,
                                                  .flags = kSyn,
                                                  .window = 65535});
    h.Send(AckFor(first));
    const wire::Segment ack = AckFor(second, kClientPort + 1);
    EXPECT_EQ(h.Send(ack), Verdict::kDroppedInvalid);
    h.ExpectNothingSent();
    EXPECT_EQ(h.counters().ListenOverflows, 1u);
    EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kNone);
  }
}

}  // namespace
}  // namespace tcpref::tcp

// ---- The encoding itself (syn_cookie.h) ----

#include <rapidcheck/gtest.h>

namespace tcpref::tcp {
namespace {

const FourTuple kTuple{{0xC6120001, 80}, {0xC6120002, 40000}};

SynCookies Cookies() {
  std::array<uint8_t, 16> key{};
  key.fill(0x5a);
  return SynCookies(key);
}

// Any cookie checks out for the same inputs within one epoch, and yields
// the encoded MSS level.
RC_GTEST_PROP(SynCookieEncoding, RoundTrips, ()) {
  SynCookies cookies = Cookies();
  const uint32_t irs = *rc::gen::arbitrary<uint32_t>();
  const auto index = *rc::gen::inRange<uint8_t>(0, 8);
  const bool ts = *rc::gen::arbitrary<bool>();
  const auto bits = *rc::gen::inRange<uint8_t>(0, 64);
  const Time now{*rc::gen::inRange<int64_t>(0, int64_t{1} << 50)};
  const Time later =
      now + Time{*rc::gen::inRange<int64_t>(0, kCookieEpoch.count())};
  const uint32_t cookie = cookies.make(kTuple, irs, index, ts, bits, now);
  RC_ASSERT(SynCookies::has_timestamps(cookie) == ts);
  const SynCookies::Result r = cookies.check(kTuple, irs, cookie, bits, later);
  RC_ASSERT(r.check == CookieCheck::kOk);
  RC_ASSERT(r.mss == kCookieMssTable[index]);
}

// Every single-bit change of the cookie is rejected (fixed inputs, so this
// is deterministic).
TEST(SynCookieEncoding, EveryBitFlipIsRejected) {
  SynCookies cookies = Cookies();
  const Time now = std::chrono::seconds(1000);
  const uint32_t cookie = cookies.make(kTuple, 1234, 5, true, 0x2a, now);
  for (int bit = 0; bit < 32; ++bit) {
    SCOPED_TRACE(bit);
    EXPECT_NE(
        cookies.check(kTuple, 1234, cookie ^ (1u << bit), 0x2a, now).check,
        CookieCheck::kOk);
  }
  for (uint8_t b = 0; b < 64; ++b) {
    if (b == 0x2a) continue;
    EXPECT_NE(cookies.check(kTuple, 1234, cookie, b, now).check,
              CookieCheck::kOk);
  }
  EXPECT_EQ(cookies.check(kTuple, 1234, cookie, 0x2a, now).check,
            CookieCheck::kOk);
}

// Keys rotate: the same inputs in the next epoch give another MAC, and a
// cookie two epochs old is stale.
TEST(SynCookieEncoding, KeysRotateAndCookiesAge) {
  SynCookies cookies = Cookies();
  const Time t0 = kCookieEpoch * 20;
  const uint32_t a = cookies.make(kTuple, 1, 3, false, 0, t0);
  const uint32_t b = cookies.make(kTuple, 1, 3, false, 0, t0 + kCookieEpoch);
  EXPECT_NE(a & 0x03ffffff, b & 0x03ffffff);
  EXPECT_EQ(cookies.check(kTuple, 1, a, 0, t0 + kCookieEpoch).check,
            CookieCheck::kOk);
  EXPECT_EQ(cookies.check(kTuple, 1, a, 0, t0 + 2 * kCookieEpoch).check,
            CookieCheck::kStale);
  // Four epochs later the 2-bit epoch aliases, but the key has rotated.
  EXPECT_EQ(cookies.check(kTuple, 1, a, 0, t0 + 4 * kCookieEpoch).check,
            CookieCheck::kBadMac);
}

// Option bits round-trip through ts_bits/apply_ts_bits for every window
// scale, SACK and ECN combination.
TEST(SynCookieEncoding, TsBitsRoundTrip) {
  StackConfig config;
  for (int ws = -1; ws <= 14; ++ws) {
    for (int sack = 0; sack < 2; ++sack) {
      for (int ecn = 0; ecn < 2; ++ecn) {
        SynOptions in;
        in.wscale_ok = ws >= 0;
        in.snd_wscale = ws >= 0 ? static_cast<uint8_t>(ws) : 0;
        in.sack_ok = sack;
        in.ecn_ok = ecn;
        SynOptions out;
        SynCookies::apply_ts_bits(SynCookies::ts_bits(in), config, out);
        EXPECT_EQ(out.wscale_ok, in.wscale_ok);
        EXPECT_EQ(out.snd_wscale, in.snd_wscale);
        EXPECT_EQ(out.sack_ok, in.sack_ok);
        EXPECT_EQ(out.ecn_ok, in.ecn_ok);
      }
    }
  }
}

}  // namespace
}  // namespace tcpref::tcp
