// The receive path allocates nothing once the stack is constructed: this
// binary replaces global operator new with a counting one and drives SYNs,
// ACKs, RSTs, cookies, TIME-WAIT reopens, timers and malformed packets
// through a warm stack.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <new>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace {
bool g_counting = false;
size_t g_allocations = 0;
}  // namespace

void* operator new(size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace tcpref::tcp {
namespace {

using namespace wire::flags;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint32_t kServer = 0xC6120001;  // 198.18.0.1
constexpr uint32_t kClient = 0xC6120002;

// Keeps only the last packet, in a fixed buffer.
class LastPacketSink : public PacketSink {
 public:
  void send(std::span<const uint8_t> p) override {
    size = std::min(p.size(), buffer.size());
    std::copy_n(p.begin(), size, buffer.begin());
    ++count;
  }
  wire::Segment last() const {
    return wire::parse_packet({buffer.data(), size}).segment;
  }
  std::array<uint8_t, 2048> buffer{};
  size_t size = 0;
  size_t count = 0;
};

class Client {
 public:
  Client(Stack& stack, LastPacketSink& sink) : stack_(stack), sink_(sink) {}
  Verdict send(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
               uint8_t flags, Time now, bool ts = false, uint32_t tsecr = 0) {
    wire::Segment s{.src_addr = kClient,
                    .dst_addr = kServer,
                    .src_port = sport,
                    .dst_port = dport,
                    .seq = seq,
                    .ack = ack,
                    .flags = flags,
                    .window = 65535};
    if (ts) {
      s.options.timestamps =
          wire::Timestamps{static_cast<uint32_t>(now.count() / 1000), tsecr};
      s.options.window_scale = 7;
      s.options.sack_permitted = true;
      s.options.mss = 1460;
    }
    const size_t n = wire::emit(s, buffer_);
    return stack_.receive({buffer_.data(), n}, now);
  }
  // A SYN to port 82 with a TFO option (RFC 7413) and text.
  Verdict send_tfo_syn(uint16_t sport, uint32_t seq,
                       const wire::FastOpenCookie& cookie, Time now) {
    static constexpr std::array<uint8_t, 5> kText = {'h', 'e', 'l', 'l', 'o'};
    wire::Segment s{.src_addr = kClient,
                    .dst_addr = kServer,
                    .src_port = sport,
                    .dst_port = 82,
                    .seq = seq,
                    .flags = kSyn,
                    .window = 65535,
                    .payload = kText};
    s.options.mss = 1460;
    s.options.fast_open = cookie;
    const size_t n = wire::emit(s, buffer_);
    return stack_.receive({buffer_.data(), n}, now);
  }

 private:
  Stack& stack_;
  LastPacketSink& sink_;
  std::array<uint8_t, 256> buffer_{};
};

// One round of every kind of traffic; returns the time it ended at.
Time Round(Stack& stack, LastPacketSink& sink, Client& c, ListenerId plain,
           ListenerId cookies, ListenerId tfo, Time now, uint32_t round) {
  const uint32_t irs = 1000 + round * 100000;
  for (uint16_t i = 0; i < 8; ++i) {
    const auto port = static_cast<uint16_t>(20000 + i);
    // Handshake through a request sock, with a duplicate SYN.
    c.send(port, 80, irs, 0, kSyn, now, i % 2 == 0);
    c.send(port, 80, irs, 0, kSyn, now, i % 2 == 0);
    const wire::Segment synack = sink.last();
    const uint32_t tsecr =
        synack.options.timestamps ? synack.options.timestamps->tsval : 0;
    c.send(port, 80, irs + 1, synack.seq + 2, kAck, now, i % 2 == 0, tsecr);
    c.send(port, 80, irs + 1, synack.seq + 1, kAck, now, i % 2 == 0, tsecr);
    // In-window RST and a SYN: challenge ACKs.
    c.send(port, 80, irs + 100, 0, kRst, now);
    c.send(port, 80, irs + 5, 0, kSyn, now, i % 2 == 0, tsecr);
    // Accept, close, and walk the client's side to TIME-WAIT.
    const SocketId s = stack.accept(plain, now);
    std::array<uint8_t, 64> buf{};
    (void)stack.read(s, buf, now);
    stack.close(s, now);
    c.send(port, 80, irs + 1, synack.seq + 2, kAck | kFin, now, i % 2 == 0,
           tsecr);
    // Reopen from TIME-WAIT with a higher sequence number, then reset the
    // request sock exactly.
    c.send(port, 80, irs + 50000, 0, kSyn, now);
    c.send(port, 80, irs + 50001, 0, kRst, now);
    // Cookies: SYN → cookie SYN-ACK → ACK → child; a forged one → RST.
    c.send(port, 81, irs, 0, kSyn, now, i % 2 == 1);
    const wire::Segment cookie = sink.last();
    const uint32_t ctsecr =
        cookie.options.timestamps ? cookie.options.timestamps->tsval : 0;
    c.send(port, 81, irs + 1, cookie.seq + 1, kAck, now, i % 2 == 1, ctsecr);
    c.send(static_cast<uint16_t>(port + 100), 81, irs + 1, 12345, kAck, now);
    stack.abort(stack.accept(cookies, now), now);
    // TCP Fast Open: a cookie request, then SYN+cookie+text makes a child
    // at once; accept, read, the final ACK; a wrong cookie falls back.
    c.send_tfo_syn(port, irs, {}, now);
    const wire::FastOpenCookie given =
        sink.last().options.fast_open.value_or(wire::FastOpenCookie{});
    c.send(port, 82, irs + 1, 0, kRst, now);
    c.send_tfo_syn(port, irs + 9, given, now);
    const uint32_t tfo_iss = sink.last().seq;
    const SocketId t = stack.accept(tfo, now);
    (void)stack.read(t, buf, now);
    c.send(port, 82, irs + 15, tfo_iss + 1, kAck, now);
    stack.abort(t, now);
    wire::FastOpenCookie wrong = given;
    wrong.bytes[0] ^= 0xff;
    c.send_tfo_syn(static_cast<uint16_t>(port + 200), irs, wrong, now);
    // Nobody listening; RSTs are never answered.
    c.send(port, 99, irs, 0, kSyn, now);
    c.send(port, 99, irs, 7, kRst | kAck, now);
  }
  // A malformed packet.
  const std::array<uint8_t, 10> junk{0x45, 0, 0, 10};
  stack.receive(junk, now);
  // Let SYN-ACK retransmits, TIME-WAIT and FIN timers run.
  for (int i = 0; i < 70; ++i) {
    now += seconds(1);
    stack.advance(now);
  }
  return now;
}

TEST(StackAlloc, WarmReceivePathAllocatesNothing) {
  StackConfig config;
  config.max_listeners = 4;
  config.max_request_socks = 32;
  config.max_sockets = 32;
  config.max_time_wait = 32;
  config.receive_buffer = 4096;
  config.isn_key[0] = 1;
  config.cookie_key[0] = 2;
  LastPacketSink sink;
  Stack stack(config, sink);
  const ListenerId plain = stack.listen({kServer, 80}, {});
  const ListenerId cookie =
      stack.listen({0, 81}, {.syn_cookies = SynCookieMode::kAlways});
  ListenOptions tfo_options;
  tfo_options.fast_open.queue_length = 4;
  tfo_options.fast_open.key[0] = 3;
  const ListenerId tfo = stack.listen({kServer, 82}, tfo_options);
  Client c(stack, sink);

  Time now = seconds(1000);
  now = Round(stack, sink, c, plain, cookie, tfo, now, 0);  // warm up
  const Counters before = stack.counters();

  g_allocations = 0;
  g_counting = true;
  for (uint32_t r = 1; r <= 5; ++r) {
    now = Round(stack, sink, c, plain, cookie, tfo, now, r);
  }
  g_counting = false;

  EXPECT_EQ(g_allocations, 0u);
  // The loop really exercised the paths it claims to.
  const Counters& after = stack.counters();
  EXPECT_GT(after.PassiveOpens, before.PassiveOpens);
  EXPECT_GT(after.SyncookiesRecv, before.SyncookiesRecv);
  EXPECT_GT(after.SyncookiesFailed, before.SyncookiesFailed);
  EXPECT_GT(after.TCPTimeWaitReopen, before.TCPTimeWaitReopen);
  EXPECT_GT(after.TCPFastOpenCookieReqd, before.TCPFastOpenCookieReqd);
  EXPECT_GT(after.TCPFastOpenPassive, before.TCPFastOpenPassive);
  EXPECT_GT(after.TCPFastOpenPassiveFail, before.TCPFastOpenPassiveFail);
  EXPECT_GT(after.TCPChallengeACK, before.TCPChallengeACK);
  EXPECT_GT(after.EmbryonicRsts, before.EmbryonicRsts);
  EXPECT_GT(after.NoSocket, before.NoSocket);
  EXPECT_GT(after.InMalformed, before.InMalformed);
  EXPECT_GT(after.TCPSynRetrans, before.TCPSynRetrans);
  EXPECT_GT(after.OutRsts, before.OutRsts);
}

// Two stacks joined by a fixed ring of packets (no allocation of its own);
// every `drop_every`-th packet is lost so retransmission, fast recovery
// and the out-of-order queue run.
class LossyWire : public PacketSink {
 public:
  explicit LossyWire(uint32_t drop_every) : drop_every_(drop_every) {}
  void send(std::span<const uint8_t> p) override {
    if (++sent_ % drop_every_ == 0 || count_ == kSlots) return;
    Slot& s = slots_[(head_ + count_) % kSlots];
    s.size = std::min(p.size(), s.bytes.size());
    std::copy_n(p.begin(), s.size, s.bytes.begin());
    ++count_;
  }
  // Hands every queued packet to `to` (including those sent meanwhile).
  void deliver(Stack& to, Time now) {
    while (count_ > 0) {
      Slot& s = slots_[head_];
      head_ = (head_ + 1) % kSlots;
      --count_;
      (void)to.receive({s.bytes.data(), s.size}, now);
    }
  }

 private:
  static constexpr size_t kSlots = 512;
  struct Slot {
    std::array<uint8_t, 1600> bytes;
    size_t size = 0;
  };
  uint32_t drop_every_;
  uint64_t sent_ = 0;
  std::array<Slot, kSlots> slots_{};
  size_t head_ = 0, count_ = 0;
};

// One connection: connect, 64 KiB each way with a lossy wire, both close.
Time DataRound(Stack& a, LossyWire& a_out, Stack& b, LossyWire& b_out,
               ListenerId l, Time now) {
  static std::array<uint8_t, 64 * 1024> out{}, in{};
  const SocketId ca = a.connect({kClient, 0}, {kServer, 80}, now);
  SocketId cb;
  size_t a_sent = 0, b_sent = 0, a_got = 0, b_got = 0;
  bool a_shut = false, b_shut = false;
  for (int step = 0;
       step < 20000 &&
       !(a_shut && b_shut && a_got == out.size() && b_got == out.size());
       ++step) {
    a_out.deliver(b, now);
    b_out.deliver(a, now);
    if (!cb.valid()) cb = b.accept(l, now);
    a_sent += a.write(ca, std::span(out).subspan(a_sent), now).bytes;
    if (cb.valid()) {
      b_sent += b.write(cb, std::span(out).subspan(b_sent), now).bytes;
      b_got += b.read(cb, in, now).bytes;
    }
    a_got += a.read(ca, in, now).bytes;
    if (a_sent == out.size() && !a_shut)
      a_shut = a.shutdown_write(ca, now) == Error::kOk;
    if (cb.valid() && b_sent == out.size() && !b_shut) {
      b_shut = b.shutdown_write(cb, now) == Error::kOk;
    }
    now += milliseconds(5);
    a.advance(now);
    b.advance(now);
  }
  EXPECT_EQ(a_got, out.size());
  EXPECT_EQ(b_got, out.size());
  (void)a.close(ca, now);
  (void)b.close(cb, now);
  for (int i = 0; i < 200; ++i) {
    a_out.deliver(b, now);
    b_out.deliver(a, now);
    now += milliseconds(500);
    a.advance(now);
    b.advance(now);
  }
  return now;
}

TEST(StackAlloc, WarmDataTransferAllocatesNothing) {
  StackConfig config;
  config.max_listeners = 2;
  config.max_request_socks = 8;
  config.max_sockets = 8;
  config.max_time_wait = 8;
  config.receive_buffer = config.send_buffer = 16 * 1024;
  config.time_wait_duration = seconds(10);
  config.isn_key[0] = 1;
  LossyWire a_out(13), b_out(17);
  Stack a(config, a_out);
  config.isn_key[0] = 3;
  Stack b(config, b_out);
  const ListenerId l = b.listen({kServer, 80}, {});
  Time now = seconds(1000);
  now = DataRound(a, a_out, b, b_out, l, now);  // warm up
  const Counters before = a.counters();

  g_allocations = 0;
  g_counting = true;
  for (int r = 0; r < 3; ++r) now = DataRound(a, a_out, b, b_out, l, now);
  g_counting = false;

  EXPECT_EQ(g_allocations, 0u);
  const Counters& after = a.counters();
  EXPECT_GT(after.RetransSegs, before.RetransSegs);
  EXPECT_GT(after.ActiveOpens, before.ActiveOpens);
  EXPECT_GT(b.counters().TCPOFOQueue, 0u);
  EXPECT_EQ(after.EstabResets, 0u);
}

// The counting operator new does count (so a zero above means something).
TEST(StackAlloc, CounterSeesAllocations) {
  g_allocations = 0;
  g_counting = true;
  auto* p = new int(3);
  g_counting = false;
  delete p;
  EXPECT_EQ(g_allocations, 1u);
}

}  // namespace
}  // namespace tcpref::tcp
