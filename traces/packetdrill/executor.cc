#include "traces/packetdrill/executor.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"
#include "traces/packetdrill/match.h"
#include "traces/packetdrill/packets.h"
#include "traces/packetdrill/parser.h"
#include "traces/packetdrill/syscalls.h"
#include "traces/packetdrill/sysctl.h"
#include "traces/packetdrill/tcp_info.h"

namespace tcpref::packetdrill {
namespace {

constexpr uint32_t kDefaultLocalAddr = 0xC0A80001;   // 192.168.0.1
constexpr uint32_t kDefaultRemoteAddr = 0xC0000201;  // 192.0.2.1
constexpr int64_t kDefaultToleranceUs = 4000;
constexpr int64_t kAnyTimeHorizonUs = int64_t{3600} * 1'000'000;

std::string seconds(int64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(us) / 1e6);
  return buf;
}

class CaptureSink : public tcp::PacketSink {
 public:
  struct Packet {
    std::vector<uint8_t> bytes;
    int64_t at_us = 0;
  };
  explicit CaptureSink(const int64_t& now) : now_(now) {}
  void send(std::span<const uint8_t> p) override {
    queue.push_back({{p.begin(), p.end()}, now_});
    if (capture) capture->push_back({now_, {p.begin(), p.end()}});
  }
  std::deque<Packet> queue;
  std::vector<CapturedPacket>* capture = nullptr;

 private:
  const int64_t& now_;
};

class Executor {
 public:
  Executor(const Script& script, const RunOptions& options)
      : script_(script), opts_(options), sink_(now_us_) {
    sink_.capture = options.capture;
    knobs_.stack.max_listeners = 16;
    knobs_.stack.max_request_socks = 256;
    knobs_.stack.max_sockets = 256;
    knobs_.stack.max_time_wait = 256;
    // Fixed secrets: runs are reproducible (the ISS is learned anyway).
    knobs_.stack.isn_key.fill(0x5a);
    knobs_.stack.cookie_key.fill(0xa5);
    script_dir_ = std::filesystem::path(script.path).parent_path();
  }

  Result run() {
    if (Stop s = configure()) return *s;
    int64_t base = 0;
    for (const Event& e : script_.events) {
      if (!e.time) {
        if (Stop s = shell(e, std::get<ShellSpec>(e.action))) return *s;
        continue;
      }
      int64_t lo = 0, hi = 0;
      bool any = false;
      switch (e.time->kind) {
        case EventTime::Kind::kAbsolute:
          lo = hi = e.time->start_us;
          break;
        case EventTime::Kind::kRelative:
          lo = hi = base + e.time->start_us;
          break;
        case EventTime::Kind::kAny:
          any = true;
          lo = hi = now_us_;
          break;
        case EventTime::Kind::kAbsoluteRange:
          lo = e.time->start_us;
          hi = e.time->end_us;
          break;
        case EventTime::Kind::kRelativeRange:
          lo = base + e.time->start_us;
          hi = base + e.time->end_us;
          break;
      }
      // A blocking call returns before the next system call starts (they
      // run one at a time, as in packetdrill) or once its end time passed.
      if (pending_ && (lo > pending_->end ||
                       std::holds_alternative<SyscallSpec>(e.action))) {
        if (Stop s = complete_pending()) return *s;
      }
      log(e, lo);
      if (const auto* p = std::get_if<PacketSpec>(&e.action)) {
        if (!p->unsupported.empty())
          return *unsupported(e.line, p->unsupported);
        if (p->direction == Direction::kOutbound) {
          if (Stop s = outbound(e, *p, lo, hi, any)) return *s;
        } else {
          run_timers_until(lo);
          if (Stop s = inbound(e, *p)) return *s;
        }
      } else {
        run_timers_until(lo);
        if (const auto* s = std::get_if<SyscallSpec>(&e.action)) {
          if (Stop st = syscall(e, *s, base)) return *st;
        } else if (const auto* sh = std::get_if<ShellSpec>(&e.action)) {
          if (Stop st = shell(e, *sh)) return *st;
        } else {
          if (Stop st = code(e, std::get<CodeSpec>(e.action))) return *st;
        }
      }
      base = (any || e.time->kind == EventTime::Kind::kAbsoluteRange ||
              e.time->kind == EventTime::Kind::kRelativeRange)
                 ? now_us_
                 : lo;
      note_pending_ready();
    }
    if (pending_) {
      if (Stop s = complete_pending()) return *s;
    }
    // Like packetdrill, packets after the last expected one are not
    // checked (an extra packet fails only when it stands where the script
    // expects another).
    for (const CaptureSink::Packet& p : sink_.queue)
      if (wire::parse_packet(p.bytes).ok())
        note("not checked: " + describe(decode(p)) + " at " + seconds(p.at_us));
    return Result{Outcome::kPass, 0, ""};
  }

 private:
  using Stop = std::optional<Result>;

  static Stop fail(int line, std::string why) {
    return Result{Outcome::kFail, line, std::move(why)};
  }
  static Stop unsupported(int line, std::string why) {
    return Result{Outcome::kUnsupported, line, std::move(why)};
  }
  static Stop script_error(int line, std::string why) {
    return Result{Outcome::kError, line, std::move(why)};
  }

  void log(const Event& e, int64_t t) const {
    if (opts_.verbose == nullptr) return;
    *opts_.verbose << script_.path << ":" << e.line << ": t=" << seconds(t);
    if (const auto* p = std::get_if<PacketSpec>(&e.action)) {
      *opts_.verbose << (p->direction == Direction::kInbound ? " inbound "
                                                             : " outbound ")
                     << flags_to_string(p->flags) << " " << p->seq_start << ":"
                     << p->seq_end << "(" << p->payload_len << ")";
    } else if (const auto* s = std::get_if<SyscallSpec>(&e.action)) {
      *opts_.verbose << " " << s->name << "()";
    } else if (std::holds_alternative<ShellSpec>(e.action)) {
      *opts_.verbose << " `shell`";
    } else {
      *opts_.verbose << " %{ python }%";
    }
    *opts_.verbose << "\n";
  }
  void note(const std::string& text) const {
    if (opts_.verbose) *opts_.verbose << "  " << text << "\n";
  }

  Stop configure() {
    tolerance_us_ = kDefaultToleranceUs;
    uint32_t local = kDefaultLocalAddr, remote = kDefaultRemoteAddr;
    for (const ScriptOption& o : script_.options) {
      const auto number = [&]() -> std::optional<int64_t> {
        int64_t v = 0;
        const char* end = o.value.data() + o.value.size();
        const auto [ptr, ec] = std::from_chars(o.value.data(), end, v);
        if (ec != std::errc() || ptr != end || v < 0) return std::nullopt;
        return v;
      };
      if (o.name == "tolerance_usecs") {
        const auto v = number();
        if (!v) return script_error(o.line, "bad --tolerance_usecs=" + o.value);
        tolerance_us_ = *v;
      } else if (o.name == "tcp_ts_tick_usecs") {
        const auto v = number();
        if (!v)
          return script_error(o.line, "bad --tcp_ts_tick_usecs=" + o.value);
        ts_tick_us_ = *v;
      } else if (o.name == "local_ip" || o.name == "remote_ip") {
        in_addr a{};
        if (inet_pton(AF_INET, o.value.c_str(), &a) != 1)
          return unsupported(o.line, "IPv6 (--" + o.name + "=" + o.value + ")");
        (o.name == "local_ip" ? local : remote) = ntohl(a.s_addr);
      } else if (o.name == "ip_version") {
        if (o.value != "ipv4")
          return unsupported(o.line, "IPv6 (--ip_version=" + o.value + ")");
      } else if (o.name == "mss") {
        // GRO cooking: inbound segments are handed over whole, which is
        // what GRO would have delivered.
        note("--mss: inbound segments delivered whole (as after GRO)");
      } else if (o.name == "tcp_ts_ecr_scaled") {
        // Inbound TS ecr values are interpolated from the first mapping.
      } else {
        return unsupported(o.line, "command-line flag --" + o.name);
      }
    }
    if (opts_.tolerance_usecs) tolerance_us_ = *opts_.tolerance_usecs;
    sockets_ = Sockets(local, remote);
    return std::nullopt;
  }

  Stop shell(const Event& e, const ShellSpec& sh) {
    ShellResult r =
        apply_shell(sh.command, script_dir_, stack_ != nullptr, knobs_);
    for (const std::string& n : r.notes) note(n);
    if (!r.unsupported.empty()) return unsupported(e.line, r.unsupported);
    return std::nullopt;
  }

  tcp::Stack& ensure_stack() {
    if (!stack_) stack_ = std::make_unique<tcp::Stack>(knobs_.stack, sink_);
    return *stack_;
  }

  tcp::Time now() const { return tcp::Time(now_us_); }

  // Whether the stack holds a synchronized connection (not a request sock,
  // SYN-SENT or TIME-WAIT) for the tuple inbound packets use.
  bool connection_exists() const {
    const Addressing& a = sockets_.current();
    const tcp::ConnectionView v = stack_->inspect(
        {{a.local_addr, a.local_port}, {a.remote_addr, a.remote_port}});
    return (v.kind == tcp::RecordKind::kSocket ||
            v.kind == tcp::RecordKind::kChildQueued) &&
           v.state != tcp::TcpState::kSynSent &&
           v.state != tcp::TcpState::kClosed;
  }

  void run_timers_until(int64_t t) {
    if (stack_) {
      for (int guard = 0; guard < 1'000'000; ++guard) {
        const auto next = stack_->next_timer();
        if (!next || next->count() > t) break;
        now_us_ = std::max(now_us_, next->count());
        stack_->advance(now());
      }
    }
    now_us_ = std::max(now_us_, t);
  }

  // Fires timers one at a time until a packet is queued or `deadline`.
  void wait_for_packet(int64_t deadline) {
    if (!stack_) return;
    for (int guard = 0; guard < 1'000'000 && sink_.queue.empty(); ++guard) {
      const auto next = stack_->next_timer();
      if (!next || next->count() > deadline) break;
      now_us_ = std::max(now_us_, next->count());
      stack_->advance(now());
    }
  }

  Actual decode(const CaptureSink::Packet& p) const {
    return packetdrill::decode(p.bytes, p.at_us, space_);
  }

  // Validates with the wire parser (checksums, lengths) before decoding:
  // the runner must not trust what the stack emits.
  Stop pop_actual(int line, Actual& out) {
    CaptureSink::Packet p = std::move(sink_.queue.front());
    sink_.queue.pop_front();
    const wire::PacketParse parsed = wire::parse_packet(p.bytes);
    if (!parsed.ok())
      return fail(line, "the stack sent a malformed packet (" +
                            std::string(wire::to_string(parsed.error)) + ")");
    // The sequence offset is learned from our SYN before decoding it.
    if (parsed.segment.has(wire::flags::kSyn)) syn_seq_ = parsed.segment.seq;
    out = decode(p);
    return std::nullopt;
  }

  Stop outbound(const Event& e, const PacketSpec& spec, int64_t lo, int64_t hi,
                bool any) {
    const int64_t deadline =
        any ? now_us_ + kAnyTimeHorizonUs : hi + tolerance_us_;
    wait_for_packet(deadline);
    if (sink_.queue.empty()) {
      now_us_ = std::max(now_us_, any ? now_us_ : hi);
      return fail(e.line, "expected outbound packet " +
                              flags_to_string(spec.flags) + " " +
                              std::to_string(spec.seq_start) + ":" +
                              std::to_string(spec.seq_end) + "(" +
                              std::to_string(spec.payload_len) + ") at " +
                              seconds(lo) + " sec but the stack sent nothing");
    }
    syn_seq_.reset();
    Actual a;
    if (Stop s = pop_actual(e.line, a)) return s;
    if (syn_seq_ && (spec.flags & tcp_flag::kSyn)) {
      // Our ISS: outbound seq and inbound ack are relative to it from here.
      space_.local_isn_live = *syn_seq_;
      space_.local_isn_script = spec.seq_start;
      space_.ts_map.clear();
      space_.first_ts.reset();
      a.seq = spec.seq_start;
    }
    // packetdrill accepts a TSO burst split into MSS-sized segments.
    while (a.payload_len < spec.payload_len && a.payload_len > 0 &&
           !(a.flags & (tcp_flag::kSyn | tcp_flag::kFin))) {
      wait_for_packet(deadline);
      if (sink_.queue.empty()) break;
      Actual more;
      if (Stop s = pop_actual(e.line, more)) return s;
      if (more.seq != a.seq + a.payload_len || more.ack != a.ack ||
          more.dport != a.dport) {
        return fail(e.line, "expected " + std::to_string(spec.payload_len) +
                                " bytes from seq " +
                                std::to_string(spec.seq_start) +
                                " but the stack sent " + describe(a) +
                                " then " + describe(more));
      }
      a.payload_len += more.payload_len;
      a.payload_zero = a.payload_zero && more.payload_zero;
      a.flags = static_cast<uint16_t>((a.flags & ~(tcp_flag::kPsh)) |
                                      (more.flags & tcp_flag::kPsh) |
                                      (more.flags & tcp_flag::kFin));
      ++a.segments;
    }
    now_us_ = std::max(now_us_, a.at_us);
    if (opts_.verbose)
      note("sent " + describe(a) + " at " + seconds(a.at_us) +
           (a.segments > 1 ? " (" + std::to_string(a.segments) +
                                 " segments, as packetdrill joins TSO)"
                           : std::string()));
    const MatchResult m = match_packet(
        spec, a,
        {sockets_.current().remote_addr, sockets_.current().remote_port,
         tolerance_us_, ts_tick_us_},
        space_);
    if (m.kind == MatchResult::Kind::kUnsupported)
      return unsupported(e.line, m.reason);
    if (!m.ok()) return fail(e.line, m.reason);
    if (!any && (a.at_us < lo - tolerance_us_ || a.at_us > hi + tolerance_us_))
      return fail(e.line,
                  "timing error: expected outbound packet at " + seconds(lo) +
                      (hi != lo ? "~" + seconds(hi) : std::string()) +
                      " sec but happened at " + seconds(a.at_us) +
                      " sec; tolerance " + seconds(tolerance_us_) + " sec");
    return std::nullopt;
  }

  Stop inbound(const Event& e, const PacketSpec& spec) {
    if (spec.flags & tcp_flag::kAe)
      return unsupported(e.line, "AccECN (AE flag)");
    for (const TcpOptionSpec& o : spec.options) {
      if (o.kind == TcpOptionSpec::Kind::kMd5)
        return unsupported(e.line, "TCP MD5 signature option");
      if (o.kind == TcpOptionSpec::Kind::kUnknown)
        return unsupported(e.line, "TCP option " + o.text);
    }
    ensure_stack();
    // A SYN's numbers are absolute, the rest relative to the ISNs. As in
    // packetdrill, only a SYN that opens a connection sets the remote ISN:
    // a SYN on an existing one (RFC 5961 §4) leaves the numbering alone, so
    // the challenge ACK it draws reads in the connection's terms.
    const bool syn = spec.flags & tcp_flag::kSyn;
    if (syn && !connection_exists()) space_.remote_isn = spec.seq_start;
    const uint32_t ack_offset =
        syn ? space_.local_isn_live - space_.local_isn_script
            : space_.local_isn_live;
    InboundFields f;
    f.seq = spec.seq_start + (syn ? 0 : space_.remote_isn);
    f.ack = spec.ack.value_or(0);
    if (spec.flags & tcp_flag::kAck) f.ack += ack_offset;
    PacketSpec live = spec;
    for (TcpOptionSpec& o : live.options) {
      if (o.kind == TcpOptionSpec::Kind::kSack)
        for (auto& [l, r] : o.sack_blocks) {
          l += ack_offset;
          r += ack_offset;
        }
      if (o.kind == TcpOptionSpec::Kind::kTimestamp &&
          (spec.flags & tcp_flag::kAck)) {
        if (auto it = space_.ts_map.find(o.ts_ecr); it != space_.ts_map.end()) {
          f.ts_ecr = it->second;
        } else if (space_.first_ts) {
          f.ts_ecr =
              space_.first_ts->second + (o.ts_ecr - space_.first_ts->first);
        } else {
          return fail(e.line, "unable to infer live TS ecr for script TS ecr " +
                                  std::to_string(o.ts_ecr) +
                                  ": no outbound TS val seen yet");
        }
      }
    }
    std::vector<uint8_t> bytes;
    if (std::string why = build_inbound(live, sockets_.current(), f, bytes);
        !why.empty())
      return unsupported(e.line, why);
    if (opts_.capture) opts_.capture->push_back({now_us_, bytes});
    const tcp::Verdict v = stack_->receive(bytes, now());
    if (opts_.verbose && v != tcp::Verdict::kAccepted)
      note("stack verdict " + std::to_string(static_cast<int>(v)));
    return std::nullopt;
  }

  // ---- %{ python }%: the tcp_info asserts the runner can evaluate ----

  Stop code(const Event& e, const CodeSpec& c) {
    const std::vector<TcpInfoAssert> asserts = parse_tcp_info_block(c.code);
    if (asserts.empty()) return unsupported(e.line, "python block (empty)");
    for (const TcpInfoAssert& a : asserts)
      if (!a.ok) return unsupported(e.line, "python block (" + a.why + ")");
    const std::optional<tcp::ConnectionView> v =
        stack_ ? sockets_.under_test(*stack_) : std::nullopt;
    const tcp::ConnectionView info = v.value_or(tcp::ConnectionView{});
    for (const TcpInfoAssert& a : asserts) {
      std::string why;
      if (!check_tcp_info_assert(a, info, why)) return fail(e.line, why);
      note("python assert holds: " + a.text);
    }
    return std::nullopt;
  }

  // ---- system calls ----

  Stop stop_for(int line, const CallResult& r) {
    if (r.kind == CallResult::Kind::kFail) return fail(line, r.reason);
    if (r.kind == CallResult::Kind::kUnsupported)
      return unsupported(line, r.reason);
    return std::nullopt;
  }

  // `base` is what a relative time counts from: packetdrill reads the end
  // of "+t...end" from the same base as its start.
  Stop syscall(const Event& e, const SyscallSpec& s, int64_t base) {
    for (const Expr& arg : s.args)
      if (has_flag(arg, "MSG_FASTOPEN"))
        return unsupported(e.line,
                           "TCP Fast Open (" + s.name + " with MSG_FASTOPEN)");
    if (s.end_us) {
      if (pending_) return unsupported(e.line, "two blocking calls at once");
      if (s.name != "accept" && s.name != "connect" && s.name != "read" &&
          s.name != "recv" && s.name != "poll")
        return unsupported(e.line, "blocking " + s.name + "()");
      const bool relative = e.time->kind == EventTime::Kind::kRelative;
      pending_ =
          Pending{&e, &s, (relative ? base : 0) + *s.end_us, std::nullopt};
      if (s.name == "connect")
        return stop_for(
            e.line, sockets_.start_connect(s, ensure_stack(), knobs_, now()));
      return std::nullopt;
    }
    tcp::Stack* stack = s.name == "socket" ? stack_.get() : &ensure_stack();
    const CallResult r = sockets_.call(s, stack, knobs_, now(), false);
    if (Stop st = stop_for(e.line, r)) return st;
    return stop_for(e.line, check_result(s, r.out));
  }

  // A blocking call ("+t...end"): started at t, returns when ready.
  struct Pending {
    const Event* event;
    const SyscallSpec* spec;
    int64_t end;  // absolute
    std::optional<int64_t> ready_at;
  };

  void note_pending_ready() {
    if (pending_ && !pending_->ready_at && stack_ &&
        sockets_.ready(*pending_->spec, *stack_))
      pending_->ready_at = now_us_;
  }

  Stop complete_pending() {
    const Event& e = *pending_->event;
    const SyscallSpec& s = *pending_->spec;
    const int64_t end = pending_->end;
    if (!pending_->ready_at) {
      run_timers_until(end);
      note_pending_ready();
    }
    const std::optional<int64_t> ready = pending_->ready_at;
    pending_.reset();
    if (!ready)
      return fail(e.line, "timing error: blocking " + s.name +
                              "() expected to return at " + seconds(end) +
                              " sec but was still blocked");
    note("blocking " + s.name + "() ready at " + seconds(*ready));
    if (*ready < end - tolerance_us_ || *ready > end + tolerance_us_)
      return fail(e.line, "timing error: expected system call return at " +
                              seconds(end) + " sec but happened at " +
                              seconds(*ready) + " sec; tolerance " +
                              seconds(tolerance_us_) + " sec");
    if (s.name == "connect")
      return stop_for(e.line,
                      check_result(s, sockets_.connect_result(s, *stack_)));
    const CallResult r = sockets_.call(s, stack_.get(), knobs_, now(), true);
    if (Stop st = stop_for(e.line, r)) return st;
    return stop_for(e.line, check_result(s, r.out));
  }

  const Script& script_;
  const RunOptions& opts_;
  std::filesystem::path script_dir_;
  Knobs knobs_;
  int64_t now_us_ = 0;
  CaptureSink sink_;
  std::unique_ptr<tcp::Stack> stack_;
  int64_t tolerance_us_ = kDefaultToleranceUs;
  int64_t ts_tick_us_ = 0;
  Sockets sockets_{kDefaultLocalAddr, kDefaultRemoteAddr};
  std::optional<Pending> pending_;
  // Script ↔ live sequence and timestamp mappings (packetdrill's).
  ScriptSpace space_;
  std::optional<uint32_t> syn_seq_;
};

}  // namespace

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kUnsupported:
      return "UNSUPPORTED";
    case Outcome::kError:
      return "ERROR";
  }
  return "?";
}

Result run_script(const Script& script, const RunOptions& options) {
  return Executor(script, options).run();
}

Result run_file(const std::string& path, const RunOptions& given) {
  // packetdrill's run_all.py defines the cookie Linux makes for the default
  // addresses under defaults.sh's key (IPv4).
  RunOptions options = given;
  options.defines.try_emplace("TFO_COOKIE", "3021b9d889017eeb");
  std::ifstream in(path);
  if (!in) return Result{Outcome::kError, 0, "cannot read " + path};
  std::ostringstream text;
  text << in.rdbuf();
  const ParseResult parsed = parse_script(text.str(), path, options.defines);
  if (!parsed.ok())
    return Result{Outcome::kError, parsed.error.line, parsed.error.message};
  return run_script(*parsed.script, options);
}

}  // namespace tcpref::packetdrill
