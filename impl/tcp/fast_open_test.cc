// TCP Fast Open, server side (RFC 7413 §4.2.2): cookie requests, SYNs with
// valid and invalid cookies, the TFO child in SYN-RECEIVED, the pending
// limit, and TFO off. Each test sends segments and expects exactly what
// comes back.
#include <gtest/gtest.h>

#include <array>
#include <span>

#include "impl/tcp/fast_open_cookie.h"
#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;
using std::chrono::seconds;

constexpr std::array<uint8_t, 16> kKey = {1, 2,  3,  4,  5,  6,  7,  8,
                                          9, 10, 11, 12, 13, 14, 15, 16};
constexpr std::array<uint8_t, 16> kOldKey = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
                                             0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
                                             0xee, 0xee, 0xee, 0xee};
constexpr std::array<uint8_t, 10> kData = {'0', '1', '2', '3', '4',
                                           '5', '6', '7', '8', '9'};

ListenOptions TfoOn(uint32_t queue_length = 16) {
  ListenOptions o;
  o.fast_open.queue_length = queue_length;
  o.fast_open.key = kKey;
  return o;
}

wire::FastOpenCookie Cookie(const std::array<uint8_t, 16>& key = kKey,
                            bool experimental = false) {
  return fast_open_option(fast_open_cookie(key, kClientAddr, kServerAddr),
                          experimental);
}

wire::FastOpenCookie Request(bool experimental = false) {
  wire::FastOpenCookie c;
  c.experimental = experimental;
  return c;
}

wire::Segment Syn(std::optional<wire::FastOpenCookie> cookie,
                  std::span<const uint8_t> data = kData,
                  uint16_t port = kClientPort) {
  return {.src_port = port,
          .seq = kIrs,
          .flags = kSyn,
          .window = 65535,
          .options = {.mss = 1460, .fast_open = cookie},
          .payload = data};
}

// The SYN-ACK of a handshake, acknowledging `acked` bytes of SYN data.
wire::Segment SynAck(const Harness& h, uint32_t acked,
                     std::optional<wire::FastOpenCookie> cookie = {},
                     uint16_t port = kClientPort) {
  return {.dst_port = port,
          .seq = h.Iss(port),
          .ack = kIrs + 1 + acked,
          .flags = kSyn | kAck,
          .window = 65535,
          .options = {.mss = 1460, .fast_open = cookie}};
}

// The window while the SYN's data is still unread.
uint16_t Unread(const Harness& h) {
  return static_cast<uint16_t>(h.config().receive_buffer - kData.size());
}

std::string ReadAll(Harness& h, SocketId s) {
  std::array<uint8_t, 64> buf{};
  const IoResult r = h.stack().read(s, buf, h.now());
  EXPECT_EQ(r.error, Error::kOk);
  return std::string(buf.begin(), buf.begin() + r.bytes);
}

// RFC 7413 §4.1.2: an empty option asks for a cookie; the SYN-ACK carries
// it in the option kind the SYN used; the handshake is otherwise normal.
TEST(FastOpen, CookieRequestGetsCookie) {
  for (const bool experimental : {false, true}) {
    Harness h;
    const ListenerId l = h.Listen(TfoOn());
    h.Send(Syn(Request(experimental), {}));
    h.ExpectSent(SynAck(h, 0, Cookie(kKey, experimental)));
    h.ExpectNothingSent();
    EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
    EXPECT_EQ(h.stack().syn_queue_length(l), 1u);
    EXPECT_EQ(h.counters().TCPFastOpenCookieReqd, 1u);
    EXPECT_EQ(h.counters().TCPFastOpenPassive, 0u);
  }
}

// §4.2.2: a valid cookie with data makes a child at once, in SYN-RECEIVED,
// in the accept queue with the data readable; the SYN-ACK acks the data.
TEST(FastOpen, ValidCookieAcceptsAtOnceWithData) {
  Harness h;
  const ListenerId l = h.Listen(TfoOn());
  h.Send(Syn(Cookie()));
  h.ExpectSent(SynAck(h, kData.size()));
  h.ExpectNothingSent();
  EXPECT_EQ(h.stack().syn_queue_length(l), 0u);
  EXPECT_EQ(h.stack().fast_open_pending(l), 1u);
  EXPECT_EQ(h.counters().TCPFastOpenPassive, 1u);
  EXPECT_EQ(h.counters().PassiveOpens, 1u);

  const SocketId s = h.stack().accept(l, h.now());
  ASSERT_TRUE(s.valid());
  ConnectionView v = h.Inspect();
  EXPECT_EQ(v.state, TcpState::kSynReceived);
  EXPECT_TRUE(v.fast_open);
  EXPECT_TRUE(v.syn_data);
  EXPECT_EQ(v.rcv_nxt, kIrs + 1 + kData.size());
  EXPECT_EQ(h.stack().poll(s), ready::kReadable | ready::kWritable);
  EXPECT_EQ(ReadAll(h, s), "0123456789");
  h.ExpectNothingSent();

  // The handshake's ACK: ESTABLISHED, the limit freed.
  h.Send({.seq = kIrs + 11, .ack = h.Iss() + 1, .flags = kAck, .window = 500});
  h.ExpectNothingSent();
  v = h.Inspect();
  EXPECT_EQ(v.state, TcpState::kEstablished);
  EXPECT_FALSE(v.fast_open);
  EXPECT_EQ(v.snd_wnd, 500u);
  EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
  EXPECT_EQ(h.counters().CurrEstab, 1u);
}

// A valid cookie without data still makes a TFO child (Linux does too);
// nothing was taken from the SYN.
TEST(FastOpen, ValidCookieWithoutData) {
  Harness h;
  const ListenerId l = h.Listen(TfoOn());
  h.Send(Syn(Cookie(), {}));
  h.ExpectSent(SynAck(h, 0));
  const SocketId s = h.stack().accept(l, h.now());
  ASSERT_TRUE(s.valid());
  EXPECT_TRUE(h.Inspect().fast_open);
  EXPECT_FALSE(h.Inspect().syn_data);
}

// §4.2.2: an invalid cookie: the data is not acknowledged, the handshake
// is the normal one, and the SYN-ACK carries the valid cookie.
TEST(FastOpen, InvalidCookieFallsBackAndSendsValidOne) {
  Harness h;
  const ListenerId l = h.Listen(TfoOn());
  wire::FastOpenCookie wrong = Cookie(kKey, true);
  wrong.bytes[0] ^= 0xff;
  h.Send(Syn(wrong));
  h.ExpectSent(SynAck(h, 0, Cookie(kKey, true)));
  h.ExpectNothingSent();
  EXPECT_FALSE(h.stack().accept(l, h.now()).valid());
  EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().TCPFastOpenPassiveFail, 1u);
  EXPECT_EQ(h.counters().TCPFastOpenPassive, 0u);
  // A retransmitted SYN-ACK carries no cookie (Linux does the same).
  h.Advance(seconds(1));
  h.ExpectSent(SynAck(h, 0), ignore::kSeq);
}

// Data without the option is ignored unless cookies are not required.
TEST(FastOpen, DataWithoutOptionNeedsCookieNotRequired) {
  {
    Harness h;
    h.Listen(TfoOn());
    h.Send(Syn(std::nullopt));
    h.ExpectSent(SynAck(h, 0));
    EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
  }
  Harness h;
  ListenOptions o = TfoOn();
  o.fast_open.cookie_not_required = true;
  const ListenerId l = h.Listen(o);
  h.Send(Syn(std::nullopt));
  h.ExpectSent(SynAck(h, kData.size()));
  const SocketId s = h.stack().accept(l, h.now());
  ASSERT_TRUE(s.valid());
  EXPECT_EQ(ReadAll(h, s), "0123456789");
}

// A cookie made with the backup key is accepted; the SYN-ACK hands out the
// current one.
TEST(FastOpen, BackupKeyCookieAcceptedAndReplaced) {
  Harness h;
  ListenOptions o = TfoOn();
  o.fast_open.backup_key = kOldKey;
  const ListenerId l = h.Listen(o);
  h.Send(Syn(Cookie(kOldKey)));
  h.ExpectSent(SynAck(h, kData.size(), Cookie(kKey)));
  EXPECT_TRUE(h.stack().accept(l, h.now()).valid());
  EXPECT_EQ(h.counters().TCPFastOpenPassiveAltKey, 1u);
}

// TFO off (the default): the option and the data are ignored exactly as
// before TFO existed: no cookie, data not acknowledged, no TFO counter.
TEST(FastOpen, OffIgnoresOptionEntirely) {
  for (const auto& cookie : {std::optional(Cookie()), std::optional(Request()),
                             std::optional(Cookie(kKey, true))}) {
    Harness h;
    const ListenerId l = h.Listen();
    h.Send(Syn(cookie));
    h.ExpectSent(SynAck(h, 0));
    h.ExpectNothingSent();
    EXPECT_EQ(h.Inspect().kind, RecordKind::kRequestSock);
    EXPECT_FALSE(h.stack().accept(l, h.now()).valid());
    h.Send(
        {.seq = kIrs + 1, .ack = h.Iss() + 1, .flags = kAck, .window = 65535});
    h.ExpectNothingSent();
    EXPECT_EQ(h.Inspect().state, TcpState::kEstablished);
    EXPECT_EQ(h.Inspect().rcv_nxt, kIrs + 1);
    h.counters().for_each([](std::string_view name, uint64_t value) {
      if (name.starts_with("TCPFastOpen")) {
        EXPECT_EQ(value, 0u) << name;
      }
    });
  }
}

// RFC 7413 §5.1: beyond queue_length pending TFO children a SYN gets a
// normal handshake (no cookie, data not acknowledged); a child that
// completes its handshake frees its place.
TEST(FastOpen, QueueOverflowFallsBack) {
  Harness h;
  const ListenerId l = h.Listen(TfoOn(1));
  h.Send(Syn(Cookie(), kData, kClientPort));
  h.ExpectSent(SynAck(h, kData.size(), {}, kClientPort));
  h.Send(Syn(Cookie(), kData, kClientPort + 1));
  h.ExpectSent(SynAck(h, 0, {}, kClientPort + 1));
  EXPECT_EQ(h.Inspect(kClientPort + 1).kind, RecordKind::kRequestSock);
  EXPECT_EQ(h.counters().TCPFastOpenListenOverflow, 1u);
  EXPECT_EQ(h.stack().fast_open_pending(l), 1u);

  h.Send({.src_port = kClientPort,
          .seq = kIrs + 11,
          .ack = h.Iss(kClientPort) + 1,
          .flags = kAck,
          .window = 65535});
  h.ExpectNothingSent();
  EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
  h.Send(Syn(Cookie(), kData, kClientPort + 2));
  h.ExpectSent(SynAck(h, kData.size(), {}, kClientPort + 2));
  EXPECT_EQ(h.counters().TCPFastOpenPassive, 2u);
}

// The TFO child retransmits its SYN-ACK on its own timer (1 s, doubling),
// one more time than a request sock (as Linux), then gives up: an
// accepted socket reads ETIMEDOUT.
TEST(FastOpen, SynAckRetransmittedThenTimesOut) {
  Harness h;
  ListenOptions o = TfoOn();
  o.synack_retries = 1;
  const ListenerId l = h.Listen(o);
  h.Send(Syn(Cookie()));
  const wire::Segment synack = SynAck(h, kData.size());
  h.ExpectSent(synack);
  const SocketId s = h.stack().accept(l, h.now());
  ASSERT_TRUE(s.valid());
  h.Advance(std::chrono::milliseconds(999));
  h.ExpectNothingSent();
  h.Advance(std::chrono::milliseconds(1));
  h.ExpectSent(synack);
  h.Advance(seconds(2));
  h.ExpectSent(synack);
  EXPECT_EQ(h.counters().TCPSynRetrans, 0u);  // timer retransmissions count
  EXPECT_EQ(h.counters().RetransSegs, 2u);    // as RetransSegs
  h.Advance(seconds(4));
  h.ExpectNothingSent();
  EXPECT_EQ(h.Inspect().state, TcpState::kClosed);
  EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
  std::array<uint8_t, 16> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).bytes, kData.size());
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kTimedOut);
}

// A zero key makes cookies anyone can compute: TFO with one (primary or
// backup) is refused, by listen() and by set_fast_open(); with TFO off the
// key is unused and may stay zero.
TEST(FastOpen, AllZeroKeyIsRefused) {
  Harness h;
  ListenOptions zero = TfoOn();
  zero.fast_open.key = {};
  Error e = Error::kOk;
  EXPECT_FALSE(h.stack().listen({kServerAddr, kServerPort}, zero, &e).valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  ListenOptions zero_backup = TfoOn();
  zero_backup.fast_open.backup_key = std::array<uint8_t, 16>{};
  EXPECT_FALSE(
      h.stack().listen({kServerAddr, kServerPort}, zero_backup, &e).valid());
  EXPECT_EQ(e, Error::kInvalidArgument);
  const ListenerId l = h.Listen(ListenOptions{});  // TFO off, zero key
  ASSERT_TRUE(l.valid());
  EXPECT_EQ(h.stack().set_fast_open(l, zero.fast_open),
            Error::kInvalidArgument);
  EXPECT_EQ(h.stack().set_fast_open(l, TfoOn().fast_open), Error::kOk);
  EXPECT_FALSE(fast_open_key_usable({}));
  EXPECT_TRUE(fast_open_key_usable(kKey));
}

// The (constant-time) comparison still rejects a difference in any byte
// and any length but 8.
TEST(FastOpen, CookieComparisonChecksEveryByte) {
  const auto good = fast_open_cookie(kKey, kClientAddr, kServerAddr);
  EXPECT_TRUE(fast_open_cookie_matches(fast_open_option(good, false), good));
  for (size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0x80;
    EXPECT_FALSE(fast_open_cookie_matches(fast_open_option(bad, false), good))
        << i;
  }
  wire::FastOpenCookie shorter = fast_open_option(good, false);
  shorter.length = 6;
  EXPECT_FALSE(fast_open_cookie_matches(shorter, good));
}

// synack_retries 255: the TFO child's one extra retransmission saturates at
// 255 instead of wrapping to 0 (which would close it at the first timeout),
// and the backoff stops doubling at 120 s (Linux TCP_RTO_MAX).
TEST(FastOpen, LargestSynAckRetriesNeitherWrapNorOverflow) {
  Harness h;
  ListenOptions o = TfoOn();
  o.synack_retries = 255;
  h.Listen(o);
  h.Send(Syn(Cookie()));
  const wire::Segment synack = SynAck(h, kData.size());
  h.ExpectSent(synack);
  // After 1, 2, 4, ..., 64 s for the first seven, then every 120 s.
  for (int i = 0; i < 7; ++i) {
    h.Advance(seconds(1 << i));
    h.ExpectSent(synack);
  }
  h.Advance(seconds(119));
  h.ExpectNothingSent();
  h.Advance(seconds(1));
  h.ExpectSent(synack);
  EXPECT_EQ(h.Inspect().state, TcpState::kSynReceived);
  for (int i = 0; i < 40; ++i) {
    h.Advance(seconds(120));
    h.ExpectSent(synack);
  }
  EXPECT_EQ(h.Inspect().state, TcpState::kSynReceived);
}

// A retransmitted SYN gets the SYN-ACK again, still acknowledging the data.
TEST(FastOpen, RetransmittedSynGetsSynAck) {
  Harness h;
  h.Listen(TfoOn());
  h.Send(Syn(Cookie()));
  const wire::Segment synack = SynAck(h, kData.size());
  h.ExpectSent(synack);
  h.Send(Syn(Cookie()));
  h.ExpectSent(synack);
  EXPECT_EQ(h.counters().TCPSynRetrans, 1u);
  EXPECT_EQ(h.counters().TCPFastOpenPassive, 1u);
}

// RFC 5961 §3.2 in the TFO child's SYN-RECEIVED: an exact RST before
// accept() removes it from the queue (as for any child); after accept()
// the data stays readable, then the reset shows.
TEST(FastOpen, RstInSynReceived) {
  {
    Harness h;
    const ListenerId l = h.Listen(TfoOn());
    h.Send(Syn(Cookie()));
    h.ExpectSent(SynAck(h, kData.size()));
    h.Send({.seq = kIrs + 11, .flags = kRst});
    h.ExpectNothingSent();
    EXPECT_EQ(h.Inspect().kind, RecordKind::kNone);
    EXPECT_FALSE(h.stack().accept(l, h.now()).valid());
    EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
    EXPECT_EQ(h.counters().EmbryonicRsts, 1u);
  }
  Harness h;
  const ListenerId l = h.Listen(TfoOn());
  h.Send(Syn(Cookie()));
  h.ExpectSent(SynAck(h, kData.size()));
  const SocketId s = h.stack().accept(l, h.now());
  // In the window but not exact: a challenge ACK.
  h.Send({.seq = kIrs + 12, .flags = kRst});
  h.ExpectSent({.seq = h.Iss() + 1,
                .ack = kIrs + 11,
                .flags = kAck,
                .window = Unread(h)});
  h.Send({.seq = kIrs + 11, .flags = kRst});
  h.ExpectNothingSent();
  EXPECT_EQ(ReadAll(h, s), "0123456789");
  std::array<uint8_t, 16> buf{};
  EXPECT_EQ(h.stack().read(s, buf, h.now()).error, Error::kConnectionReset);
  EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
}

// An ACK of something we never sent draws <SEQ=SEG.ACK><CTL=RST>; the
// child stays.
TEST(FastOpen, BadAckInSynReceivedGetsRst) {
  Harness h;
  h.Listen(TfoOn());
  h.Send(Syn(Cookie()));
  h.ExpectSent(SynAck(h, kData.size()));
  h.Send({.seq = kIrs + 11, .ack = h.Iss() + 2, .flags = kAck, .window = 9});
  h.ExpectSent({.seq = h.Iss() + 2, .flags = kRst});
  EXPECT_EQ(h.Inspect().state, TcpState::kSynReceived);
}

// RFC 7413 §4.2.2: the server may send before the handshake completes; the
// ACK that completes it may acknowledge that data too.
TEST(FastOpen, WriteBeforeHandshakeAck) {
  Harness h;
  const ListenerId l = h.Listen(TfoOn());
  h.Send(Syn(Cookie()));
  h.ExpectSent(SynAck(h, kData.size()));
  const SocketId s = h.stack().accept(l, h.now());
  const std::array<uint8_t, 5> reply = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(h.stack().write(s, reply, h.now()).bytes, reply.size());
  h.ExpectSent({.seq = h.Iss() + 1,
                .ack = kIrs + 11,
                .flags = kAck | kPsh,
                .window = Unread(h),
                .payload = reply});
  h.Send({.seq = kIrs + 11, .ack = h.Iss() + 6, .flags = kAck, .window = 900});
  h.ExpectNothingSent();
  const ConnectionView v = h.Inspect();
  EXPECT_EQ(v.state, TcpState::kEstablished);
  EXPECT_EQ(v.snd_una, h.Iss() + 6);
  EXPECT_EQ(h.stack().fast_open_pending(l), 0u);
  // Nothing left to retransmit.
  h.Advance(seconds(5));
  h.ExpectNothingSent();
}

}  // namespace
}  // namespace tcpref::tcp
