#include "refinement/driver.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <sstream>

#include "impl/wire/segment.h"
#include "model/print.h"
#include "model/step.h"
#include "refinement/abstraction.h"
#include "refinement/known_divergences.h"

namespace tcpref::refinement {

namespace {

using model::Concrete;
using model::InputKind;
using model::Transition;
using MInput = model::Input<Concrete>;
using tcp::Time;
using namespace std::chrono_literals;

constexpr uint32_t kServerAddr = 0xC6120001;  // 198.18.0.1 (RFC 2544 range)
constexpr uint32_t kClientAddr = 0xC6120002;  // 198.18.0.2
constexpr uint16_t kServerPort = 80;
constexpr uint16_t kClientPort = 40000;
constexpr uint16_t kFirstBackgroundPort = 41000;
constexpr uint32_t kBackgroundIsn = 0x20000000;
constexpr Time kEpoch = 64s;            // impl/tcp/syn_cookie.h kCookieEpoch
constexpr Time kStart = kEpoch * 1000;  // on an epoch boundary
constexpr Time kRto = 1s;
constexpr Time kTimeWaitLen = 60s;
constexpr uint32_t kReceiveBuffer = 128 * 1024;

uint32_t code(model::TcpState s) { return static_cast<uint32_t>(s); }
bool is(const MState& s, model::TcpState t) { return s.st == code(t); }

// The model's tracked record exists (anything but LISTEN/CLOSED).
bool has_record(const MState& s) {
  return !is(s, model::TcpState::kListen) && !is(s, model::TcpState::kClosed);
}

uint32_t epoch_of(Time t) { return static_cast<uint32_t>(t / kEpoch); }
uint32_t ms(Time t) {
  return static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t).count());
}

class Sink : public tcp::PacketSink {
 public:
  Sink(const Time& now, std::vector<WirePacket>& wire)
      : now_(now), wire_(wire) {}
  void send(std::span<const uint8_t> p) override {
    packets.emplace_back(p.begin(), p.end());
    wire_.push_back({now_, packets.back()});
  }
  std::deque<std::vector<uint8_t>> packets;

 private:
  const Time& now_;
  std::vector<WirePacket>& wire_;
};

tcp::StackConfig stack_config(const RefinementConfig& c) {
  tcp::StackConfig s;
  s.max_listeners = 2;
  s.max_request_socks = 256;
  s.max_sockets = 128;
  s.max_time_wait = 64;
  s.mtu = 1500;
  s.window_scale = c.window_shift;
  s.receive_buffer = kReceiveBuffer;
  // The model's application never writes, so the stack sends nothing but
  // SYN-ACKs, ACKs, FINs and RSTs: a page of send buffer is plenty, and a
  // smaller arena makes every driver run (and model_diff_fuzzer) cheaper.
  s.send_buffer = 4096;
  s.timestamps = c.timestamps;
  s.sack = true;
  s.ecn = false;
  s.rfc1337 = c.rfc1337;
  s.time_wait_duration =
      std::chrono::duration_cast<std::chrono::seconds>(kTimeWaitLen);
  s.synack_initial_rto = kRto;
  // FIN retransmission is below the model; keep the orphan alive through
  // any run (at most ~12 doublings fit in a scenario's clock).
  s.orphan_retries = 20;
  s.fin_timeout = std::chrono::hours(1000);
  // Likewise the user timeout (RFC 9293 §3.8.3): the model has no RTO.
  s.user_timeout = std::chrono::hours(1000);
  // The model sends every challenge ACK; RFC 5961 §7's rate limit is policy.
  s.challenge_acks_per_second = UINT32_MAX;
  for (uint8_t i = 0; i < 16; ++i) {
    s.isn_key[i] = static_cast<uint8_t>(0x11 * i + 3);
    s.cookie_key[i] = static_cast<uint8_t>(0x80 + i);
  }
  return s;
}

tcp::ListenOptions listen_options(const RefinementConfig& c) {
  tcp::ListenOptions o;
  o.backlog = c.backlog;
  o.syn_queue_limit = c.syn_queue_limit;
  switch (c.cookies) {
    case model::CookieMode::kOff:
      o.syn_cookies = tcp::SynCookieMode::kOff;
      break;
    case model::CookieMode::kWhenFull:
      o.syn_cookies = tcp::SynCookieMode::kWhenSynQueueFull;
      break;
    case model::CookieMode::kAlways:
      o.syn_cookies = tcp::SynCookieMode::kAlways;
      break;
  }
  o.overflow = c.abort_on_overflow ? tcp::OverflowPolicy::kReset
                                   : tcp::OverflowPolicy::kDrop;
  o.synack_retries = c.synack_retries;
  return o;
}

model::Params<Concrete> model_params(const RefinementConfig& c) {
  model::Params<Concrete> p = model::default_params();
  p.syn_queue_limit = c.syn_queue_limit;
  p.cookie_mode = static_cast<uint32_t>(c.cookies);
  p.abort_on_overflow = c.abort_on_overflow;
  p.rfc1337 = c.rfc1337;
  p.max_synack_retries = c.synack_retries;
  p.our_mss = 1460;  // MTU 1500 - 40
  p.rcv_wscale = c.window_shift;
  p.ws_enabled = true;
  p.sack_enabled = true;
  p.ts_enabled = c.timestamps;
  p.rcv_wnd = kReceiveBuffer;  // the application reads at once: all free
  p.local_addr = kServerAddr;
  p.remote_addr = kClientAddr;
  p.local_port = kServerPort;
  p.remote_port = kClientPort;
  return p;
}

class Driver {
 public:
  Driver(const RefinementConfig& config, const DriverOptions& options)
      : config_(config),
        options_(options),
        sink_(now_, result_.wire),
        stack_(std::make_unique<tcp::Stack>(stack_config(config), sink_)),
        params_(model_params(config)),
        state_(model::initial<Concrete>()) {
    result_.skipped.assign(known_divergences().size(), 0);
    if (options_.prepare_stack) options_.prepare_stack(*stack_);
  }

  RunResult run(const Scenario& scenario) {
    client_isn_ = scenario.client_isn;
    trace_ << "config " << config_.name << "\n";
    // Every run starts with listen(): both sides from nothing.
    if (!listen()) return finish(0);
    for (size_t i = 0; i < scenario.steps.size(); ++i) {
      step_index_ = i + 1;
      trace_ << step_index_ << ". " << to_string(scenario.steps[i]) << "\n";
      if (!execute(scenario.steps[i])) return finish(step_index_);
    }
    return finish(0);
  }

 private:
  // ---- one step ----------------------------------------------------------

  bool execute(const Step& s) {
    switch (s.kind) {
      case StepKind::kSegment:
        return segment(s.segment);
      case StepKind::kOtherSyn:
        return other_syn();
      case StepKind::kOtherComplete:
        return other_complete();
      case StepKind::kAccept:
        return accept();
      case StepKind::kClose:
        return close();
      case StepKind::kCloseListener:
        return close_listener();
      case StepKind::kListen:
        return listen();
      case StepKind::kAdvance:
        return advance(s.advance);
      case StepKind::kCount:
        break;
    }
    return true;
  }

  bool segment(const SegmentSpec& spec) {
    MInput in = model::make_input(InputKind::kSegment);
    wire::Segment seg;
    resolve(spec, in, seg);
    if (skip(in)) return true;
    const uint64_t cookies_before = stack_->counters().SyncookiesSent;
    std::array<uint8_t, 64 + 200> payload{};
    std::fill(payload.begin(), payload.end(), 'x');
    seg.payload = std::span<const uint8_t>(payload.data(), spec.len);
    std::vector<uint8_t> buf(wire::emitted_length(seg));
    const size_t n = wire::emit(seg, buf);
    result_.wire.push_back(
        {now_, {buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)}});
    (void)stack_->receive(std::span<const uint8_t>(buf.data(), n), now_);
    const bool impl_cookie =
        stack_->counters().SyncookiesSent != cookies_before;
    const std::vector<wire::Segment> sent = drain(false);

    // The model chooses no ISS: it is given the impl's (RFC 6528 is outside
    // the model), and the impl's timestamp clock for this 4-tuple.
    const tcp::ConnectionView v = stack_->inspect(tracked());
    in.isn = v.kind == tcp::RecordKind::kRequestSock ? v.iss : 0;
    learn_ts_offset(sent, impl_cookie);
    in.now = model_now();
    const model::StepResult<Concrete> r = step_model(in);

    const uint32_t ack_delta = in.ack - seg.ack;
    const auto t = static_cast<Transition>(r.transition);
    if (t == Transition::kListenSynRequest) align_.iss_delta = 0;
    if (t == Transition::kListenAckCookie) align_.iss_delta = ack_delta;
    const bool model_cookie = t == Transition::kListenSynCookie ||
                              t == Transition::kTimeWaitReopenCookie;
    if (model_cookie && !sent.empty()) {
      cookie_model_ = r.out.seq;
      cookie_impl_ = sent.front().seq;
      closed_since_cookie_ = false;
    }
    // A RST answering a segment echoes its SEG.ACK (this step's
    // translation) or, without ACK, has SEQ 0 (RFC 9293 §3.10.7.1).
    const uint32_t rst_delta = in.flag_ack ? ack_delta : 0;
    std::vector<AbstractOutput> model_out;
    if (r.out.kind != static_cast<uint32_t>(model::OutputKind::kNone)) {
      model_out.push_back(normalize(r.out, model_cookie));
    }
    return compare(model_out, sent, impl_cookie, rst_delta);
  }

  bool other_syn() {
    const uint16_t port = next_background_port_++;
    send_background(port, kBackgroundIsn, 0, wire::flags::kSyn);
    const std::vector<wire::Segment> sent = drain(false);
    const model::StepResult<Concrete> r =
        step_model(model::make_input(InputKind::kOtherSyn));
    if (static_cast<Transition>(r.transition) == Transition::kOtherSynRequest) {
      background_.push_back({port, now_ + kRto, 0});
    }
    return compare({}, sent, false, align_.iss_delta);
  }

  bool other_complete() {
    MInput in = model::make_input(InputKind::kOtherComplete);
    std::vector<wire::Segment> sent;
    if (!background_.empty()) {
      if (skip(in)) return true;
      const Background& b = background_.front();
      const tcp::ConnectionView v = stack_->inspect(background_tuple(b.port));
      send_background(b.port, kBackgroundIsn + 1, v.iss + 1, wire::flags::kAck);
      sent = drain(false);
    }
    const model::StepResult<Concrete> r = step_model(in);
    const auto t = static_cast<Transition>(r.transition);
    // Completed into the queue, or reset under tcp_abort_on_overflow.
    if (t == Transition::kOtherComplete ||
        t == Transition::kOtherCompleteOverflowRst) {
      background_.pop_front();
    }
    return compare({}, sent, false, align_.iss_delta);
  }

  bool accept() {
    const tcp::SocketId s = stack_->accept(listener_, now_);
    const std::optional<tcp::FourTuple> t =
        s.valid() ? stack_->tuple(s) : std::nullopt;
    const bool other = t.has_value() && !(*t == tracked());
    // accept() takes the oldest child, whichever 4-tuple it belongs to; the
    // model has an input for each case.
    const model::StepResult<Concrete> r = step_model(model::make_input(
        other ? InputKind::kOtherAccept : InputKind::kAppAccept));
    if (other) {
      (void)stack_->abort(s, now_);  // frees the slot; its RST is not ours
    } else if (t.has_value()) {
      socket_ = s;
    }
    const std::vector<wire::Segment> sent = drain(false);
    return compare(outputs_of(r), sent, false, align_.iss_delta);
  }

  bool close() {
    if (socket_.valid()) {
      (void)stack_->close(socket_, now_);
      socket_ = {};  // the handle is given up
    }
    const std::vector<wire::Segment> sent = drain(false);
    const model::StepResult<Concrete> r =
        step_model(input_now(InputKind::kAppClose));
    return compare(outputs_of(r), sent, false, align_.iss_delta);
  }

  bool close_listener() {
    if (listening_) {
      stack_->close_listener(listener_, now_);
      closed_since_cookie_ = true;
      listening_ = false;
      listener_ = {};
    }
    const std::vector<wire::Segment> sent = drain(false);
    const model::StepResult<Concrete> r =
        step_model(input_now(InputKind::kAppCloseListener));
    background_.clear();
    return compare(outputs_of(r), sent, false, align_.iss_delta);
  }

  bool listen() {
    if (!listening_) {
      tcp::Error e = tcp::Error::kOk;
      listener_ = stack_->listen({kServerAddr, kServerPort},
                                 listen_options(config_), &e);
      listening_ = listener_.valid();
    }
    const model::StepResult<Concrete> r =
        step_model(model::make_listen(config_.backlog));
    return compare(outputs_of(r), drain(false), false, align_.iss_delta);
  }

  // ---- the clock ---------------------------------------------------------

  enum class EventKind { kTrackedSynAck, kBackground, kTimeWait, kEpoch };
  struct Event {
    Time at;
    EventKind kind;
  };

  std::optional<Event> next_event() const {
    std::optional<Event> e;
    auto consider = [&](Time at, EventKind k) {
      if (!e || at < e->at) e = Event{at, k};
    };
    if (synack_due_) consider(*synack_due_, EventKind::kTrackedSynAck);
    for (const Background& b : background_)
      consider(b.due, EventKind::kBackground);
    if (time_wait_due_) consider(*time_wait_due_, EventKind::kTimeWait);
    consider(kEpoch * (epoch_of(now_) + 1), EventKind::kEpoch);
    return e;
  }

  bool advance(AdvanceTo to) {
    Time target = next_event()->at;
    if (to == AdvanceTo::kSynAck && synack_due_) target = *synack_due_;
    if (to == AdvanceTo::kTimeWait && time_wait_due_) target = *time_wait_due_;
    if (to == AdvanceTo::kCookieEpoch) target = kEpoch * (epoch_of(now_) + 1);
    // Walk the timers in time order; each instant is one impl advance() and
    // one model input per timer due then.
    for (std::optional<Event> e = next_event(); e && e->at <= target;
         e = next_event()) {
      const Time at = e->at;
      now_ = at;
      stack_->advance(now_);
      const std::vector<wire::Segment> sent = drain(true);
      std::vector<AbstractOutput> model_out;
      auto run_timer = [&](InputKind k) {
        const model::StepResult<Concrete> r = step_model(input_now(k));
        for (const AbstractOutput& o : outputs_of(r)) model_out.push_back(o);
      };
      if (synack_due_ && *synack_due_ == at) run_timer(InputKind::kTimerSynAck);
      for (size_t i = 0; i < background_.size();) {
        Background& b = background_[i];
        if (b.due != at) {
          ++i;
          continue;
        }
        if (b.retransmits >= config_.synack_retries) {
          run_timer(InputKind::kOtherExpire);
          background_.erase(background_.begin() + static_cast<long>(i));
          continue;
        }
        ++b.retransmits;  // a SYN-ACK to someone else: no model input
        b.due = at + kRto * (1u << b.retransmits);
        ++i;
      }
      if (time_wait_due_ && *time_wait_due_ == at) {
        run_timer(InputKind::kTimerTimeWait);
      }
      if (at == kEpoch * epoch_of(at)) run_timer(InputKind::kTimerCookieClock);
      if (!compare(model_out, sent, false, align_.iss_delta)) return false;
    }
    return true;
  }

  // ---- helpers -----------------------------------------------------------

  struct Background {
    uint16_t port;
    Time due;
    uint8_t retransmits;
  };

  static tcp::FourTuple tracked() {
    return {{kServerAddr, kServerPort}, {kClientAddr, kClientPort}};
  }
  static tcp::FourTuple background_tuple(uint16_t port) {
    return {{kServerAddr, kServerPort}, {kClientAddr, port}};
  }

  // Resolves the number classes against the model state: the model input
  // gets the model's numbers, the impl segment the same numbers in the
  // impl's server sequence space.
  void resolve(const SegmentSpec& spec, MInput& in, wire::Segment& seg) {
    const MState& s = state_;
    const bool record = has_record(s);
    const uint32_t rcv_nxt = record ? s.rcv_nxt : client_isn_ + 1;
    const uint32_t irs = record ? s.irs : client_isn_;
    const uint32_t rcv_wnd = record ? s.rcv_wnd : 65535;
    uint32_t seq = 0;
    switch (spec.seq.base) {
      case SeqBase::kRcvNxt:
        seq = rcv_nxt;
        break;
      case SeqBase::kIrs:
        seq = irs;
        break;
      case SeqBase::kWindowEnd:
        seq = rcv_nxt + rcv_wnd;
        break;
      case SeqBase::kHalfSpace:
        seq = rcv_nxt + 0x80000000u;
        break;
      case SeqBase::kArbitrary:
        seq = spec.seq.value;
        break;
      case SeqBase::kCount:
        break;
    }
    if (spec.seq.base != SeqBase::kArbitrary) seq += spec.seq.offset;
    // With no record, the server's next number towards this client is the
    // cookie it was sent, if any.
    const bool cookie_pending = !record && s.ghost_cookie_sent;
    const uint32_t snd_nxt = cookie_pending ? cookie_model_ + 1 : s.snd_nxt;
    const uint32_t snd_una = cookie_pending ? cookie_model_ + 1 : s.snd_una;
    uint32_t ack = 0;
    switch (spec.ack_number.base) {
      case AckBase::kSndNxt:
        ack = snd_nxt;
        break;
      case AckBase::kSndUna:
        ack = snd_una;
        break;
      case AckBase::kOldest:
        ack = snd_una - s.max_snd_wnd;
        break;
      case AckBase::kHalfSpace:
        ack = snd_nxt + 0x80000000u;
        break;
      case AckBase::kCookie:
        ack = cookie_model_ + 1;
        break;
      case AckBase::kArbitrary:
        ack = spec.ack_number.value;
        break;
      case AckBase::kCount:
        break;
    }
    if (spec.ack_number.base != AckBase::kArbitrary) {
      ack += spec.ack_number.offset;
    }
    // Numbers in the server's space translate; arbitrary ones are the same
    // bits on both sides. With no record the only server numbers that mean
    // anything are cookies, so translate by the last cookie pair.
    const uint32_t delta =
        record ? align_.iss_delta : cookie_model_ - cookie_impl_;
    const uint32_t impl_ack =
        spec.ack_number.base == AckBase::kArbitrary ? ack : ack - delta;
    in.flag_syn = spec.syn;
    in.flag_ack = spec.ack;
    in.flag_rst = spec.rst;
    in.flag_fin = spec.fin;
    in.seq = seq;
    in.ack = spec.ack ? ack : 0;
    in.len = spec.len;
    in.wnd = spec.window;
    in.mss_present = spec.mss.has_value();
    in.mss = spec.mss.value_or(0);
    in.ws_present = spec.window_scale.has_value();
    in.ws = spec.window_scale.value_or(0);
    in.sack_permitted = spec.sack_permitted;
    in.ts_present = spec.ts != TsClass::kNone;
    switch (spec.ts) {
      case TsClass::kNone:
        break;
      case TsClass::kNewer:
        in.tsval = s.ts_recent + spec.ts_value;
        break;
      case TsClass::kSame:
        in.tsval = s.ts_recent;
        break;
      case TsClass::kOlder:
        in.tsval = s.ts_recent - 1;
        break;
      case TsClass::kArbitrary:
        in.tsval = spec.ts_value;
        break;
      case TsClass::kCount:
        break;
    }
    in.tsecr = in.ts_present ? last_server_tsval_ : 0;

    seg.src_addr = kClientAddr;
    seg.dst_addr = kServerAddr;
    seg.src_port = kClientPort;
    seg.dst_port = kServerPort;
    seg.seq = seq;
    seg.ack = spec.ack ? impl_ack : 0;
    seg.flags = static_cast<uint8_t>((spec.syn ? wire::flags::kSyn : 0) |
                                     (spec.ack ? wire::flags::kAck : 0) |
                                     (spec.rst ? wire::flags::kRst : 0) |
                                     (spec.fin ? wire::flags::kFin : 0));
    seg.window = spec.window;
    seg.options.mss = spec.mss;
    seg.options.window_scale = spec.window_scale;
    seg.options.sack_permitted = spec.sack_permitted;
    if (in.ts_present)
      seg.options.timestamps = wire::Timestamps{in.tsval, in.tsecr};
  }

  bool skip(const MInput& in) {
    if (!options_.skip_known_divergences) return false;
    const auto t =
        static_cast<Transition>(model::step(params_, state_, in).transition);
    const tcp::ConnectionView v = stack_->inspect(tracked());
    const std::optional<uint32_t> k =
        classify({config_, params_, state_, in, t, closed_since_cookie_,
                  v.ooo_bytes, v.ooo_left});
    if (!k) return false;
    ++result_.skipped[*k];
    trace_ << "   skipped: known divergence " << known_divergences()[*k].name
           << "\n";
    return true;
  }

  void send_background(uint16_t port, uint32_t seq, uint32_t ack,
                       uint8_t flags) {
    wire::Segment seg;
    seg.src_addr = kClientAddr;
    seg.dst_addr = kServerAddr;
    seg.src_port = port;
    seg.dst_port = kServerPort;
    seg.seq = seq;
    seg.ack = ack;
    seg.flags = flags;
    seg.window = 65535;
    std::vector<uint8_t> buf(wire::emitted_length(seg));
    const size_t n = wire::emit(seg, buf);
    result_.wire.push_back(
        {now_, {buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)}});
    (void)stack_->receive(std::span<const uint8_t>(buf.data(), n), now_);
  }

  // The segments sent to the tracked client since the last drain (others
  // are dropped). Retransmitted FINs are left out: the model retransmits
  // nothing (docs/MODEL.md, "Refinement"). A FIN is a retransmission during
  // a clock advance (RTO) or when its SEQ was sent before (fast retransmit
  // on duplicate ACKs, RFC 5681 §3.2).
  std::vector<wire::Segment> drain(bool advancing) {
    std::vector<wire::Segment> out;
    const tcp::ConnectionView v = stack_->inspect(tracked());
    if (v.kind != tcp::RecordKind::kSocket) last_fin_seq_.reset();
    while (!sink_.packets.empty()) {
      packets_.push_back(std::move(sink_.packets.front()));
      sink_.packets.pop_front();
      const wire::PacketParse p = wire::parse_packet(packets_.back());
      if (!p.ok()) {
        unparsable_ = true;
        continue;
      }
      const wire::Segment& s = p.segment;
      if (s.dst_addr != kClientAddr || s.dst_port != kClientPort) continue;
      if (s.has(wire::flags::kFin) && !s.has(wire::flags::kSyn) &&
          v.kind == tcp::RecordKind::kSocket && s.seq + 1 == v.snd_nxt) {
        if (advancing || last_fin_seq_ == s.seq) continue;
        last_fin_seq_ = s.seq;
      }
      out.push_back(s);
    }
    return out;
  }

  void learn_ts_offset(const std::vector<wire::Segment>& sent, bool cookie) {
    for (const wire::Segment& s : sent) {
      if (!s.options.timestamps) continue;
      last_server_tsval_ = s.options.timestamps->tsval;
      if (!ts_offset_ && !cookie) {
        ts_offset_ = s.options.timestamps->tsval - ms(now_);
      }
    }
  }

  uint32_t model_now() const { return ms(now_) + ts_offset_.value_or(0); }
  MInput input_now(InputKind k) const {
    MInput in = model::make_input(k);
    in.now = model_now();
    return in;
  }

  model::StepResult<Concrete> step_model(const MInput& in) {
    const MState before = state_;
    model::StepResult<Concrete> r = model::step(params_, state_, in);
    state_ = r.next;
    const auto t = static_cast<Transition>(r.transition);
    result_.transitions.push_back(t);
    trace_ << "   model: " << model::to_string(in) << " → " << model::name(t)
           << ", sent " << model::to_string(r.out);
    const std::string d = model::diff(before, state_);
    if (!d.empty()) trace_ << ", " << d;
    trace_ << "\n";
    update_timers(before, t, in);
    return r;
  }

  // The driver's shadow of the impl's timers (impl/tcp: SYN-ACK RTO 1 s
  // doubling per retransmission, RFC 6298 §5.5; TIME-WAIT 2·MSL, restarted
  // by a retransmitted FIN, RFC 9293 §3.10.7.4).
  void update_timers(const MState& before, Transition t, const MInput& in) {
    using model::TcpState;
    if (!is(state_, TcpState::kSynReceived)) {
      synack_due_.reset();
    } else if (t == Transition::kListenSynRequest ||
               t == Transition::kTimeWaitReopenRequest) {
      synack_due_ = now_ + kRto;
    } else if (t == Transition::kSynAckRetransmit) {
      synack_due_ = now_ + kRto * (1u << state_.retransmits);
    }
    if (!is(state_, TcpState::kTimeWait)) {
      time_wait_due_.reset();
    } else if (!is(before, TcpState::kTimeWait) ||
               (t == Transition::kTimeWaitAck && in.flag_fin)) {
      time_wait_due_ = now_ + kTimeWaitLen;
    }
  }

  static std::vector<AbstractOutput> outputs_of(
      const model::StepResult<Concrete>& r) {
    if (r.out.kind == static_cast<uint32_t>(model::OutputKind::kNone))
      return {};
    return {normalize(r.out, false)};
  }

  ImplObservation observe() const {
    ImplObservation o;
    o.view = stack_->inspect(tracked());
    o.listening = listening_;
    o.backlog = config_.backlog;
    o.syn_queue_length = listening_ ? stack_->syn_queue_length(listener_) : 0;
    o.accept_queue_length =
        listening_ ? stack_->accept_queue_length(listener_) : 0;
    o.cookie_clock = epoch_of(now_) - epoch_of(kStart);
    return o;
  }

  // `rst_delta` translates the SEQ of a RST: SND.NXT on abort (the
  // connection's delta), SEG.ACK or 0 when it answers a segment.
  bool compare(const std::vector<AbstractOutput>& model_out,
               const std::vector<wire::Segment>& sent, bool impl_cookie,
               uint32_t rst_delta) {
    std::vector<AbstractOutput> impl_out;
    std::string problem;
    for (const wire::Segment& s : sent) {
      const uint32_t delta =
          s.has(wire::flags::kRst) ? rst_delta : align_.iss_delta;
      const std::optional<AbstractOutput> o =
          abstract_segment(s, delta, impl_cookie && s.has(wire::flags::kSyn));
      if (!o) {
        problem += "impl sent a segment the model cannot (flags " +
                   std::to_string(s.flags) + ", " +
                   std::to_string(s.payload.size()) + " bytes); ";
        continue;
      }
      impl_out.push_back(*o);
    }
    if (!impl_out.empty()) {
      trace_ << "   impl sent:";
      for (const AbstractOutput& o : impl_out) trace_ << " " << to_string(o);
      trace_ << "\n";
    }
    if (unparsable_) problem += "impl sent an unparsable packet; ";
    const std::string out_diff = compare_outputs(model_out, impl_out);
    if (!out_diff.empty()) problem += "outputs differ: " + out_diff + "; ";
    const MState abstracted = abstract_state(observe(), align_, state_);
    const std::string st_diff = compare_state(state_, abstracted);
    if (!st_diff.empty()) problem += "state differs: " + st_diff;
    if (problem.empty()) {
      read_tracked();
      return true;
    }
    result_.divergence = problem;
    trace_ << "   DIVERGENCE: " << problem
           << "\n   model state: " << model::to_string(state_)
           << "\n   impl (abstracted): " << model::to_string(abstracted)
           << "\n";
    return false;
  }

  // The application reads everything as it arrives: the model keeps no
  // receive buffer, so RCV.WND is always the whole buffer (docs/MODEL.md,
  // "Refinement"; known divergence D20 for the moment before the read).
  void read_tracked() {
    if (!socket_.valid()) return;
    std::array<uint8_t, 4096> buf;
    for (int i = 0; i < 64; ++i) {
      const tcp::IoResult r = stack_->read(socket_, buf, now_);
      if (r.bytes == 0) break;
    }
    (void)drain(false);  // a window update to the client is not a step
  }

  RunResult finish(size_t failing_step) {
    result_.diverged = !result_.divergence.empty();
    result_.failing_step = failing_step;
    result_.trace = trace_.str();
    return std::move(result_);
  }

  RefinementConfig config_;
  DriverOptions options_;
  Sink sink_;
  std::unique_ptr<tcp::Stack> stack_;
  tcp::ListenerId listener_;
  bool listening_ = false;
  tcp::SocketId socket_;
  model::Params<Concrete> params_;
  MState state_;
  Time now_ = kStart;
  uint32_t client_isn_ = 0;
  Alignment align_;
  std::optional<uint32_t> ts_offset_;
  uint32_t last_server_tsval_ = 0;
  std::optional<uint32_t> last_fin_seq_;  // SEQ of the FIN compared last
  uint32_t cookie_model_ = 0, cookie_impl_ = 0;
  bool closed_since_cookie_ = false;
  std::optional<Time> synack_due_, time_wait_due_;
  std::deque<Background> background_;
  uint16_t next_background_port_ = kFirstBackgroundPort;
  std::vector<std::vector<uint8_t>> packets_;
  bool unparsable_ = false;
  size_t step_index_ = 0;
  std::ostringstream trace_;
  RunResult result_;
};

}  // namespace

std::vector<RefinementConfig> standard_configs() {
  using model::CookieMode;
  auto make = [](std::string name, CookieMode c, bool abort, bool ts,
                 bool rfc1337, uint32_t backlog, uint8_t shift = 0) {
    RefinementConfig r;
    r.window_shift = shift;
    r.name = std::move(name);
    r.cookies = c;
    r.abort_on_overflow = abort;
    r.timestamps = ts;
    r.rfc1337 = rfc1337;
    r.backlog = backlog;
    return r;
  };
  constexpr uint32_t kLarge = 1000;
  return {
      make("cookies_off_drop_ts_1337_b1", CookieMode::kOff, false, true, true,
           1),
      make("cookies_off_reset_nots_no1337_b0", CookieMode::kOff, true, false,
           false, 0),
      make("cookies_off_drop_nots_no1337_large", CookieMode::kOff, false, false,
           false, kLarge),
      make("cookies_off_reset_ts_1337_b0", CookieMode::kOff, true, true, true,
           0),
      make("cookies_auto_drop_ts_no1337_b0", CookieMode::kWhenFull, false, true,
           false, 0),
      make("cookies_auto_reset_ts_1337_large", CookieMode::kWhenFull, true,
           true, true, kLarge),
      make("cookies_auto_drop_nots_1337_b1", CookieMode::kWhenFull, false,
           false, true, 1),
      make("cookies_auto_reset_nots_no1337_b1", CookieMode::kWhenFull, true,
           false, false, 1),
      make("cookies_always_drop_nots_1337_b1", CookieMode::kAlways, false,
           false, true, 1),
      make("cookies_always_reset_ts_no1337_b1", CookieMode::kAlways, true, true,
           false, 1),
      make("cookies_always_drop_ts_1337_b0", CookieMode::kAlways, false, true,
           true, 0),
      make("cookies_always_reset_nots_1337_large", CookieMode::kAlways, true,
           false, true, kLarge),
      // Our window shift 7: RCV.WND opens beyond 65535 once scaling is on.
      make("cookies_auto_drop_ts_1337_b1_ws7", CookieMode::kWhenFull, false,
           true, true, 1, 7),
  };
}

RunResult run(const RefinementConfig& config, const Scenario& scenario,
              const DriverOptions& options) {
  return Driver(config, options).run(scenario);
}

}  // namespace tcpref::refinement
