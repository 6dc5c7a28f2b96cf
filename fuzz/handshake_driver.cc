// Decodes and runs one handshake_fuzzer input; see handshake_driver.h.
#include "fuzz/handshake_driver.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_stack.h"
#include "fuzz/invariants.h"
#include "impl/tcp/seq.h"
#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace {

using namespace tcpref;
using tcp::RecordKind;
using tcp::TcpState;

constexpr size_t kClients = fuzz::kHandshakeClients;
constexpr size_t kMaxHandles = 8;
constexpr uint16_t kMaxPayload = 1024;
constexpr uint32_t kMaxAdvanceMs = 1u << 17;  // past TIME-WAIT's 60 s

enum class StepKind : uint8_t {
  kSegment,
  kAdvance,
  kAccept,
  kRead,
  kWrite,
  kShutdown,
  kClose,
  kAbort,
  kCloseListener,
  kListen,
  kMaxValue = kListen,
};

enum class SeqBase : uint8_t {
  kRcvNxt,
  kClientIsn,
  kAbsolute,
  kMaxValue = kAbsolute
};
enum class AckBase : uint8_t {
  kIss,
  kSndNxt,
  kAbsolute,
  kMaxValue = kAbsolute
};

namespace opt {
constexpr uint8_t kMss = 1 << 0;
constexpr uint8_t kWindowScale = 1 << 1;
constexpr uint8_t kSackPermitted = 1 << 2;
constexpr uint8_t kTimestamps = 1 << 3;
constexpr uint8_t kSack = 1 << 4;
constexpr uint8_t kEct = 1 << 5;          // IP ECN field ECT(0)
constexpr uint8_t kFastOpen = 1 << 6;     // TFO option (fast_open variant only)
constexpr uint8_t kFastOpenExp = 1 << 7;  // ... as kind 254, ExID 0xF989
}  // namespace opt

// Which cookie a client puts in its TFO option.
enum class CookieChoice : uint8_t {
  kRequest,
  kLastGiven,
  kWrong,
  kMaxValue = kWrong
};

__attribute__((format(printf, 1, 2))) void trace(const char* format, ...) {
  static const bool on = std::getenv("TCPREF_FUZZ_TRACE") != nullptr;
  if (!on) return;
  std::va_list args;
  va_start(args, format);
  std::fputs("step: ", stderr);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  va_end(args);
}

// What one client knows: what it sent, and what the stack last told it.
struct Client {
  tcp::FourTuple tuple;
  uint32_t isn = 0;
  uint32_t snd_nxt = 0;  // its next sequence number
  uint32_t ts_offset = 0;
  uint32_t server_iss = 0;      // from the last SYN-ACK
  uint32_t server_nxt = 0;      // seq + SEG.LEN of the last segment received
  uint32_t server_tsval = 0;    // to echo
  wire::FastOpenCookie cookie;  // the last one a SYN-ACK carried
};

class Driver {
 public:
  Driver(FuzzedDataProvider& in, fuzz::HandshakeVariant variant)
      : in_(in),
        variant_(variant),
        config_(decode_config(in)),
        stack_(config_, sink_) {
    options_.backlog = in.ConsumeIntegralInRange<uint32_t>(0, 3);
    options_.syn_queue_limit = in.ConsumeIntegralInRange<uint32_t>(1, 4);
    options_.syn_cookies = static_cast<tcp::SynCookieMode>(
        in.ConsumeIntegralInRange<uint8_t>(0, 2));
    options_.overflow = in.ConsumeBool() ? tcp::OverflowPolicy::kReset
                                         : tcp::OverflowPolicy::kDrop;
    options_.synack_retries = in.ConsumeIntegralInRange<uint8_t>(0, 5);
    if (variant_.fast_open) {
      options_.fast_open.queue_length =
          in.ConsumeIntegralInRange<uint32_t>(1, 3);
      options_.fast_open.cookie_not_required = in.ConsumeBool();
      for (uint8_t i = 0; i < 16; ++i) {
        options_.fast_open.key[i] = static_cast<uint8_t>(0x5a ^ i);
      }
    }
    for (size_t i = 0; i < kClients; ++i) {
      Client& c = clients_[i];
      // Client 3 shares client 0's port from another address.
      c.tuple = {{fuzz::kServerAddr, fuzz::kServerPort},
                 {fuzz::kClientAddr + (i == 3 ? 1 : 0),
                  static_cast<uint16_t>(40000 + (i == 3 ? 0 : i))}};
      c.isn = 0x10000000u * static_cast<uint32_t>(i + 1);
      c.snd_nxt = c.isn;
      c.ts_offset = 0x01000000u * static_cast<uint32_t>(i + 1);
    }
    listen();
  }

  fuzz::HandshakeOutcome outcome() const {
    fuzz::HandshakeOutcome o;
    for (size_t i = 0; i < kClients; ++i) {
      o.clients[i] = stack_.inspect(clients_[i].tuple);
    }
    o.counters = stack_.counters();
    return o;
  }

  void run() {
    while (in_.remaining_bytes() > 0) {
      const tcp::Counters before = stack_.counters();
      sink_.packets.clear();
      const StepKind kind = in_.ConsumeEnum<StepKind>();
      const std::optional<size_t> rst_from = step(kind);
      deliver(rst_from);
      check(kind, before);
    }
  }

 private:
  static tcp::StackConfig decode_config(FuzzedDataProvider& in) {
    tcp::StackConfig c = fuzz::fuzz_stack_config();
    c.timestamps = in.ConsumeBool();
    c.sack = in.ConsumeBool();
    c.ecn = in.ConsumeBool();
    c.rfc1337 = in.ConsumeBool();
    c.window_scale = in.ConsumeIntegralInRange<uint8_t>(0, 14);
    return c;
  }

  void listen() {
    listener_ = stack_.listen({fuzz::kServerAddr, fuzz::kServerPort}, options_);
    FUZZ_CHECK(listener_.valid());
  }

  tcp::SocketId handle() {
    return handles_[in_.ConsumeIntegralInRange<size_t>(0, kMaxHandles - 1)];
  }

  // Runs one step; returns the client index if it sent a RST.
  std::optional<size_t> step(StepKind kind) {
    switch (kind) {
      case StepKind::kSegment:
        return segment();
      case StepKind::kAdvance:
        now_ += std::chrono::milliseconds(
            in_.ConsumeIntegralInRange<uint32_t>(1, kMaxAdvanceMs));
        trace("advance to %lld ms", static_cast<long long>(ms(now_)));
        stack_.advance(now_);
        break;
      case StepKind::kAccept: {
        const tcp::SocketId s = stack_.accept(listener_, now_);
        trace("accept -> %s", s.valid() ? "socket" : "none");
        if (s.valid()) handles_[accepted_++ % kMaxHandles] = s;
        break;
      }
      case StepKind::kRead: {
        const tcp::SocketId s = handle();
        std::array<uint8_t, 4096> buf;
        const tcp::IoResult r =
            stack_.read(s,
                        std::span(buf).first(
                            in_.ConsumeIntegralInRange<size_t>(0, buf.size())),
                        now_);
        trace("read -> %zu bytes", r.bytes);
        break;
      }
      case StepKind::kWrite: {
        const tcp::SocketId s = handle();
        const std::vector<uint8_t> data = in_.ConsumeBytes<uint8_t>(
            in_.ConsumeIntegralInRange<uint16_t>(0, kMaxPayload));
        const tcp::IoResult r = stack_.write(s, data, now_);
        FUZZ_CHECK(r.bytes <= data.size());
        trace("write %zu -> %zu", data.size(), r.bytes);
        break;
      }
      case StepKind::kShutdown:
        trace("shutdown_write");
        (void)stack_.shutdown_write(handle(), now_);
        break;
      case StepKind::kClose:
        trace("close");
        (void)stack_.close(handle(), now_);
        break;
      case StepKind::kAbort:
        trace("abort");
        (void)stack_.abort(handle(), now_);
        break;
      case StepKind::kCloseListener:
        trace("close_listener");
        stack_.close_listener(listener_, now_);
        listener_ = {};
        break;
      case StepKind::kListen:
        if (!listener_.valid()) listen();
        trace("listen");
        break;
    }
    return std::nullopt;
  }

  std::optional<size_t> segment() {
    const size_t index = in_.ConsumeIntegralInRange<size_t>(0, kClients - 1);
    Client& c = clients_[index];
    const tcp::ConnectionView v = stack_.inspect(c.tuple);
    const bool record = v.kind != RecordKind::kNone;
    wire::Segment s;
    s.src_addr = c.tuple.remote.addr;
    s.src_port = c.tuple.remote.port;
    s.dst_addr = c.tuple.local.addr;
    s.dst_port = c.tuple.local.port;
    s.flags = in_.ConsumeIntegral<uint8_t>();
    switch (in_.ConsumeEnum<SeqBase>()) {
      case SeqBase::kRcvNxt:
        s.seq = (record ? v.rcv_nxt : c.snd_nxt) + offset();
        break;
      case SeqBase::kClientIsn:
        s.seq = c.isn + offset();
        break;
      default:
        s.seq = in_.ConsumeIntegral<uint32_t>();
        break;
    }
    const uint32_t iss = record && v.iss != 0 ? v.iss : c.server_iss;
    const uint32_t snd_nxt = record ? v.snd_nxt : c.server_nxt;
    switch (in_.ConsumeEnum<AckBase>()) {
      case AckBase::kIss:
        s.ack = iss + offset();
        break;
      case AckBase::kSndNxt:
        s.ack = snd_nxt + offset();
        break;
      default:
        s.ack = in_.ConsumeIntegral<uint32_t>();
        break;
    }
    s.window = in_.ConsumeIntegral<uint16_t>();
    const uint8_t opts = in_.ConsumeIntegral<uint8_t>();
    wire::TcpOptions& o = s.options;
    if (opts & opt::kMss) o.mss = in_.ConsumeIntegral<uint16_t>();
    if (opts & opt::kWindowScale)
      o.window_scale = in_.ConsumeIntegral<uint8_t>();
    o.sack_permitted = (opts & opt::kSackPermitted) != 0;
    if (opts & opt::kTimestamps) {
      const uint32_t clock = static_cast<uint32_t>(ms(now_)) + c.ts_offset;
      o.timestamps =
          wire::Timestamps{clock + in_.ConsumeIntegral<int8_t>(),
                           c.server_tsval + in_.ConsumeIntegral<int8_t>()};
    }
    if (opts & opt::kSack) {
      o.sack_block_count = 1;
      o.sack_blocks[0] = {snd_nxt + offset(), snd_nxt + offset()};
    }
    if (opts & opt::kEct) s.tos = 0x02;
    if (variant_.fast_open && (opts & opt::kFastOpen)) {
      wire::FastOpenCookie& cookie = o.fast_open.emplace();
      switch (in_.ConsumeEnum<CookieChoice>()) {
        case CookieChoice::kRequest:
          break;
        case CookieChoice::kLastGiven:
          cookie = c.cookie;
          break;
        case CookieChoice::kWrong:
          cookie.length = 8;
          for (uint8_t& b : std::span(cookie.bytes).first(8)) {
            b = in_.ConsumeIntegral<uint8_t>();
          }
          break;
      }
      cookie.experimental = (opts & opt::kFastOpenExp) != 0;
    }
    const std::vector<uint8_t> payload = in_.ConsumeBytes<uint8_t>(
        in_.ConsumeIntegralInRange<uint16_t>(0, kMaxPayload));
    s.payload = payload;

    std::array<uint8_t, wire::kMaxHeaders + kMaxPayload> buf;
    const size_t n = wire::emit(s, buf);
    if (n == 0) return std::nullopt;  // options too long to emit: no step
    // A SYN restarts the client's sequence space; otherwise it keeps the
    // highest sequence number it has sent.
    const uint32_t end = s.seq + s.seg_len();
    if (s.has(wire::flags::kSyn) || tcp::seq_after(end, c.snd_nxt)) {
      c.snd_nxt = end;
    }
    trace("client %zu flags=%02x seq=%u ack=%u win=%u len=%zu opts=%02x", index,
          s.flags, s.seq, s.ack, s.window, payload.size(), opts);
    const tcp::Verdict verdict =
        stack_.receive(std::span<const uint8_t>(buf.data(), n), now_);
    // Every segment here is well-formed and well-addressed.
    FUZZ_CHECK(verdict != tcp::Verdict::kDroppedMalformed);
    FUZZ_CHECK(verdict <= tcp::Verdict::kDroppedInvalid);
    segment_sent_ = true;
    if (s.has(wire::flags::kRst)) return index;
    return std::nullopt;
  }

  int32_t offset() { return in_.ConsumeIntegral<int16_t>(); }
  static long long ms(tcp::Time t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t -
                                                                 fuzz::kStart)
        .count();
  }

  // Hands what the stack sent to the clients it was addressed to.
  void deliver(std::optional<size_t> rst_from) {
    for (const std::vector<uint8_t>& p : sink_.packets) {
      const wire::PacketParse parsed = wire::parse_packet(p);
      FUZZ_CHECK(parsed.ok());
      const wire::Segment& s = parsed.segment;
      FUZZ_CHECK(s.src_addr == fuzz::kServerAddr &&
                 s.src_port == fuzz::kServerPort);
      Client* to = nullptr;
      for (size_t i = 0; i < kClients; ++i) {
        if (clients_[i].tuple.remote == tcp::Endpoint{s.dst_addr, s.dst_port}) {
          to = &clients_[i];
          // RFC 9293 §3.10.7: a RST is never answered with a RST.
          FUZZ_CHECK(!(rst_from == i && s.has(wire::flags::kRst)));
        }
      }
      FUZZ_CHECK(to != nullptr);  // the stack only talks to who talked to it
      trace("  stack -> flags=%02x seq=%u ack=%u win=%u len=%zu", s.flags,
            s.seq, s.ack, s.window, s.payload.size());
      if (s.has(wire::flags::kSyn) && s.has(wire::flags::kAck)) {
        to->server_iss = s.seq;
      }
      to->server_nxt = s.seq + s.seg_len();
      if (s.options.timestamps) to->server_tsval = s.options.timestamps->tsval;
      if (s.has(wire::flags::kSyn) && s.options.fast_open) {
        // RFC 7413 §4.1.2: only a SYN-ACK hands out a cookie, never empty.
        FUZZ_CHECK(variant_.fast_open && s.options.fast_open->length > 0);
        to->cookie = *s.options.fast_open;
      }
    }
  }

  void check(StepKind kind, const tcp::Counters& before) {
    const tcp::Counters& after = stack_.counters();
    fuzz::check_counters(before, after, config_);
    FUZZ_CHECK(after.OutSegs - before.OutSegs == sink_.packets.size());
    FUZZ_CHECK(after.InSegs - before.InSegs ==
               (kind == StepKind::kSegment && segment_sent_ ? 1u : 0u));
    FUZZ_CHECK(after.InErrs == 0 && after.InMalformed == 0 &&
               after.InAddrErrors == 0);
    segment_sent_ = false;
    fuzz::check_queue_bounds(stack_, listener_, options_);

    uint32_t requests = 0, queued = 0;
    for (const Client& c : clients_) {
      const tcp::ConnectionView v = stack_.inspect(c.tuple);
      check_view(v);
      // One record per 4-tuple, across every table.
      FUZZ_CHECK(stack_.records(c.tuple) ==
                 (v.kind == RecordKind::kNone ? 0u : 1u));
      requests += v.kind == RecordKind::kRequestSock;
      queued += v.kind == RecordKind::kChildQueued;
    }
    // Every record belongs to one of the clients and each 4-tuple has one:
    // a tuple with two records would make these sums disagree.
    FUZZ_CHECK(requests == stack_.syn_queue_length(listener_));
    FUZZ_CHECK(queued == stack_.accept_queue_length(listener_));
    if (!listener_.valid()) FUZZ_CHECK(requests == 0 && queued == 0);
    if (listener_.valid()) {
      FUZZ_CHECK(stack_.fast_open_pending(listener_) <=
                 options_.fast_open.queue_length);
    }

    for (const tcp::SocketId& s : handles_) {
      const std::optional<tcp::FourTuple> t = stack_.tuple(s);
      if (!t) continue;
      bool known = false;
      for (const Client& c : clients_) known |= c.tuple == *t;
      FUZZ_CHECK(known);
    }
  }

  static void check_view(const tcp::ConnectionView& v) {
    using tcp::seq_after;
    using tcp::seq_after_eq;
    using tcp::seq_before_eq;
    FUZZ_CHECK(seq_before_eq(v.snd_una, v.snd_nxt));
    switch (v.kind) {
      case RecordKind::kNone:
        FUZZ_CHECK(v.state == TcpState::kClosed);
        break;
      case RecordKind::kRequestSock:
        FUZZ_CHECK(v.state == TcpState::kSynReceived);
        FUZZ_CHECK(v.snd_una == v.iss && v.snd_nxt == v.iss + 1);
        FUZZ_CHECK(v.rcv_nxt == v.irs + 1);
        break;
      case RecordKind::kChildQueued:
      case RecordKind::kSocket:
        if (v.fast_open) {
          // RFC 7413 §4.2: a TFO child waits in SYN-RECEIVED for the ACK of
          // its SYN-ACK, having taken the SYN (and perhaps its data).
          FUZZ_CHECK(v.state == TcpState::kSynReceived);
          FUZZ_CHECK(seq_after_eq(v.snd_una, v.iss));
          FUZZ_CHECK(seq_after(v.rcv_nxt, v.irs));
          break;
        }
        FUZZ_CHECK(v.state != TcpState::kListen &&
                   v.state != TcpState::kSynSent &&
                   v.state != TcpState::kSynReceived &&
                   v.state != TcpState::kTimeWait);
        // A synchronized connection has had its SYN acknowledged both ways.
        FUZZ_CHECK(seq_after_eq(v.snd_una, v.iss + 1));
        FUZZ_CHECK(seq_after(v.rcv_nxt, v.irs));
        break;
      case RecordKind::kTimeWait:
        FUZZ_CHECK(v.state == TcpState::kTimeWait);
        break;
    }
  }

  FuzzedDataProvider& in_;
  fuzz::HandshakeVariant variant_;
  tcp::StackConfig config_;
  fuzz::CheckingSink sink_;
  tcp::Stack stack_;
  tcp::ListenOptions options_;
  tcp::ListenerId listener_;
  std::array<Client, kClients> clients_;
  std::array<tcp::SocketId, kMaxHandles> handles_{};
  size_t accepted_ = 0;
  tcp::Time now_ = fuzz::kStart;
  bool segment_sent_ = false;
};

}  // namespace

namespace tcpref::fuzz {

HandshakeOutcome run_handshake_input(std::span<const uint8_t> data,
                                     HandshakeVariant variant) {
  FuzzedDataProvider in(data.data(), data.size());
  Driver driver(in, variant);
  driver.run();
  return driver.outcome();
}

}  // namespace tcpref::fuzz
