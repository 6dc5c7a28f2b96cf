#include "traces/replay/model_check.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "impl/tcp/seq.h"
#include "model/print.h"
#include "model/step.h"
#include "refinement/abstraction.h"
#include "refinement/driver.h"
#include "refinement/known_divergences.h"

namespace tcpref::traces {

namespace {

using model::Concrete;
using model::InputKind;
using model::OutputKind;
using model::TcpState;
using model::Transition;
using refinement::AbstractOutput;
using MState = model::ModelState<Concrete>;
using MInput = model::Input<Concrete>;
using MParams = model::Params<Concrete>;
using namespace wire::flags;

bool in(const MState& s, TcpState t) {
  return s.st == static_cast<uint32_t>(t);
}
uint32_t reqs(const MState& s) { return in(s, TcpState::kSynReceived) ? 1 : 0; }
uint32_t queued(const MState& s) {
  return in(s, TcpState::kEstablishedQueued) ? 1 : 0;
}
bool cookie_row(Transition t) {
  return t == Transition::kListenSynCookie ||
         t == Transition::kTimeWaitReopenCookie;
}
// Windows and TSvals are not compared (see model_check.h).
AbstractOutput comparable(AbstractOutput o) {
  o.out.wnd = 0;
  o.out.tsval = 0;
  return o;
}
bool same(const AbstractOutput& a, const AbstractOutput& b) {
  return a.cookie == b.cookie &&
         model::equal<Concrete>(comparable(a).out, comparable(b).out);
}

struct Expect {
  AbstractOutput out;  // normalized model output
  uint32_t model_seq;  // its SEG.SEQ before normalization (cookies)
  bool delayable;      // an ACK of text
  uint32_t after;      // the packet or step that caused it
  int step;            // index into ConnectionReport::model_steps
};

// One model run: the tracked 4-tuple of one connection.
struct Run {
  const Connection* c = nullptr;
  MState s;
  uint32_t delta = 0;  // model = trace + delta for server sequence numbers
  std::vector<Expect> pending;
  bool skip_replies = false;  // replies to a step outside the model
  bool left = false;          // the model no longer describes the connection
  tcp::Time last_synack{0};
  tcp::Time time_wait_since{0};
  uint32_t client_isn = 0, server_isn = 0;
  bool have_server_isn = false;
  ConnectionReport rep;
  bool done() const { return left || rep.disagreed; }
};

class ListenerCheck {
 public:
  ListenerCheck(const ListenerTrace& l, const ServerConfig& config)
      : l_(l), config_(config) {
    params_ = infer_params();
    for (const Connection& c : l.connections) {
      Run r;
      r.c = &c;
      r.rep.tuple = c.tuple;
      r.rep.segments = static_cast<uint32_t>(c.segments.size());
      r.s = model::initial<Concrete>();
      for (const TraceSegment& t : c.segments) {
        if (t.from_client && t.seg.has(kSyn)) {
          r.client_isn = t.seg.seq;
          break;
        }
      }
      runs_.push_back(std::move(r));
    }
    for (Run& r : runs_)
      feed(r, model::make_listen(config.backlog), "listen()");
  }

  ListenerReport run() {
    // Every segment of the listener, in capture order.
    struct Event {
      const TraceSegment* t;
      size_t run;
      size_t index;  // within the connection
    };
    std::vector<Event> events;
    for (size_t i = 0; i < runs_.size(); ++i) {
      const auto& segs = runs_[i].c->segments;
      for (size_t j = 0; j < segs.size(); ++j)
        events.push_back({&segs[j], i, j});
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return a.t->number < b.t->number;
    });
    for (const Event& e : events) {
      timers(e.t->time);
      Run& r = runs_[e.run];
      if (e.t->from_client) {
        client(r, e.index);
      } else {
        server(r, *e.t);
      }
    }
    for (Run& r : runs_) flush(r, "the end of the trace");
    ListenerReport rep;
    rep.server = l_.server;
    rep.params = model::to_string(params_);
    for (Run& r : runs_) {
      r.rep.violations = check_wellformed(*r.c);
      rep.connections.push_back(std::move(r.rep));
    }
    return rep;
  }

 private:
  // The listener's options, as its first SYN-ACK shows them.
  MParams infer_params() const {
    MParams p = model::default_params();
    p.syn_queue_limit = syn_queue_limit(config_);
    p.cookie_mode = static_cast<uint32_t>(config_.syncookies);
    p.abort_on_overflow = config_.abort_on_overflow;
    p.rfc1337 = config_.rfc1337;
    p.max_synack_retries = config_.synack_retries;
    p.local_addr = l_.server.addr;
    p.local_port = l_.server.port;
    for (const Connection& c : l_.connections) {
      const wire::Segment* syn = nullptr;
      for (const TraceSegment& t : c.segments) {
        const wire::Segment& s = t.seg;
        if (t.from_client && s.has(kSyn) && !s.has(kAck)) syn = &t.seg;
        if (t.from_client || !syn || !(s.has(kSyn) && s.has(kAck))) continue;
        if (s.options.mss) p.our_mss = *s.options.mss;
        if (syn->options.window_scale) {
          p.ws_enabled = s.options.window_scale.has_value();
        }
        if (s.options.window_scale) p.rcv_wscale = *s.options.window_scale;
        if (syn->options.sack_permitted)
          p.sack_enabled = s.options.sack_permitted;
        if (syn->options.timestamps) {
          p.ts_enabled = s.options.timestamps.has_value();
        }
        return p;
      }
    }
    return p;
  }

  // ---- reporting ---------------------------------------------------------

  void line(Run& r, std::string text) {
    r.rep.trace.push_back(std::move(text));
  }

  static void note(Run& r, uint32_t packet, Verdict v, std::string text,
                   int step = -1) {
    r.rep.notes.push_back({packet, v, std::move(text), step});
  }

  void outside(Run& r, uint32_t packet, const std::string& why) {
    ++r.rep.outside;
    ++r.rep.outside_reasons[why];
    note(r, packet, Verdict::kOutside, why);
  }

  void disagree(Run& r, uint32_t packet, const std::string& what) {
    if (r.rep.disagreed) return;
    note(r, packet, Verdict::kDisagree, what);
    r.rep.disagreed = true;
    r.rep.disagreement_packet = packet;
    r.rep.disagreement = what;
    line(r, "    DISAGREE: " + what);
  }

  std::string describe_segment(const Run& r, const TraceSegment& t) const {
    return describe(t, r.client_isn, r.have_server_isn ? r.server_isn : 0);
  }

  // ---- the model side ----------------------------------------------------

  // Steps the model and tells the other runs of this listener what changed
  // in the queues. Returns the step.
  model::StepResult<Concrete> feed(Run& r, const MInput& input,
                                   const std::string& what,
                                   uint32_t packet = 0) {
    const MState before = r.s;
    model::StepResult<Concrete> res = model::step(params_, r.s, input);
    r.s = res.next;
    ++r.rep.steps;
    const auto t = static_cast<Transition>(res.transition);
    r.rep.transitions.push_back(t);
    const int step = static_cast<int>(r.rep.model_steps.size());
    r.rep.model_steps.push_back({packet, now_, what == "row" ? "" : what,
                                 before.st, r.s.st, t, res.out, r.s.iss,
                                 r.s.irs});
    std::string text = "    " + what + " -> " + std::string(model::name(t));
    if (res.out.kind != static_cast<uint32_t>(OutputKind::kNone)) {
      text += "; model sends " + model::to_string(res.out);
      const AbstractOutput o = refinement::normalize(res.out, cookie_row(t));
      // The ACK of text taken may be delayed or merged (RFC 1122 §4.2.3.2
      // lets a receiver wait); the model sends it at once.
      const bool delayable =
          input.len > 0 && r.s.rcv_nxt != before.rcv_nxt &&
          res.out.kind == static_cast<uint32_t>(OutputKind::kAck);
      r.pending.push_back({o, res.out.seq, delayable, packet, step});
    } else {
      text += "; model sends nothing";
    }
    line(r, text);
    if (in(r.s, TcpState::kTimeWait) && !in(before, TcpState::kTimeWait)) {
      r.time_wait_since = now_;
    }
    broadcast(r, before);
    return res;
  }

  // The tracked 4-tuple of `r` is another 4-tuple for every other run.
  void broadcast(const Run& r, const MState& before) {
    const int dr = static_cast<int>(reqs(r.s)) - static_cast<int>(reqs(before));
    const int dq =
        static_cast<int>(queued(r.s)) - static_cast<int>(queued(before));
    std::optional<InputKind> k;
    if (dr == 1 && dq == 0) k = InputKind::kOtherSyn;
    if (dr == -1 && dq == 1) k = InputKind::kOtherComplete;
    if (dr == -1 && dq == 0) k = InputKind::kOtherExpire;
    if (dr == 0 && dq == -1) k = InputKind::kOtherAccept;
    if (!k) return;  // no change, or a cookie child (no Other* input for it)
    for (Run& o : runs_) {
      if (&o == &r || o.done()) continue;
      model::StepResult<Concrete> res =
          model::step(params_, o.s, model::make_input(*k));
      o.s = res.next;
      ++o.rep.steps;
      o.rep.transitions.push_back(static_cast<Transition>(res.transition));
    }
  }

  // Timers that fall due by the pcap clock.
  void timers(tcp::Time t) {
    now_ = t;
    for (Run& r : runs_) {
      if (r.done()) continue;
      if (in(r.s, TcpState::kSynReceived) &&
          r.s.retransmits >= params_.max_synack_retries) {
        // RFC 6298 §5.5 doubling; one extra second for the timer's slack.
        const tcp::Time due = r.last_synack +
                              config_.synack_rto * (1u << r.s.retransmits) +
                              std::chrono::seconds(1);
        if (t >= due) {
          flush(r, "the request's expiry");
          feed(r, model::make_input(InputKind::kTimerSynAck),
               "SYN-ACK timer (retries exhausted)");
          ++r.rep.agreements;
        }
      }
      if (in(r.s, TcpState::kTimeWait) &&
          t >= r.time_wait_since + config_.time_wait) {
        flush(r, "TIME-WAIT's end");
        feed(r, model::make_input(InputKind::kTimerTimeWait), "2MSL timer");
        ++r.rep.agreements;
      }
    }
  }

  // Expected outputs the server never sent.
  void flush(Run& r, const std::string& by) {
    for (const Expect& e : r.pending) {
      if (r.done()) break;
      if (e.delayable) {
        outside(r, e.after, "ACK of text delayed or merged (ACK timing)");
        line(r, "    (no separate ACK before " + by + ": ACK timing, outside)");
      } else {
        disagree(r, e.after,
                 "model sent " + refinement::to_string(e.out) + " after #" +
                     std::to_string(e.after) +
                     "; the server sent nothing before " + by);
      }
    }
    r.pending.clear();
    r.skip_replies = false;
  }

  // The next client segment: replies still owed may cross it (it was sent
  // before the server's reply was; on lo the capture shows the sender's
  // order), so they stay owed, in order, and are checked against what the
  // server sends next. An ACK of text still owed is ACK timing: the server
  // may delay it past the client's next segment.
  void cross(Run& r, const std::string& by) {
    std::vector<Expect> owed;
    for (const Expect& e : r.pending) {
      if (!e.delayable) {
        owed.push_back(e);
        continue;
      }
      outside(r, e.after, "ACK of text delayed or merged (ACK timing)");
      line(r, "    (no separate ACK before " + by + ": ACK timing, outside)");
    }
    r.pending = std::move(owed);
    r.skip_replies = false;
  }

  // The SEG.SEQ of the first SYN-ACK answering client segment `index`.
  uint32_t lookahead_isn(const Run& r, size_t index) const {
    const auto& segs = r.c->segments;
    for (size_t j = index + 1; j < segs.size() && !segs[j].from_client; ++j) {
      if (segs[j].seg.has(kSyn) && segs[j].seg.has(kAck))
        return segs[j].seg.seq;
    }
    return 0;
  }

  MInput input_of(const Run& r, const wire::Segment& s, uint32_t isn) const {
    MInput m =
        model::make_segment({.syn = s.has(kSyn),
                             .ack = s.has(kAck),
                             .rst = s.has(kRst),
                             .fin = s.has(kFin)},
                            s.seq, s.has(kAck) ? s.ack + r.delta : s.ack,
                            static_cast<uint32_t>(s.payload.size()), s.window);
    m.mss_present = s.options.mss.has_value();
    m.mss = s.options.mss.value_or(0);
    m.ws_present = s.options.window_scale.has_value();
    m.ws = s.options.window_scale.value_or(0);
    m.sack_permitted = s.options.sack_permitted;
    m.ts_present = s.options.timestamps.has_value();
    if (m.ts_present) {
      m.tsval = s.options.timestamps->tsval;
      m.tsecr = s.options.timestamps->tsecr;
    }
    m.isn = isn;
    return m;
  }

  // ---- client segments ---------------------------------------------------

  void client(Run& r, size_t index) {
    const TraceSegment& t = r.c->segments[index];
    cross(r, "#" + std::to_string(t.number));
    line(r, describe_segment(r, t));
    if (r.done()) {
      note_done(r, t.number);
      return;
    }
    if (t.seg.has(kSyn) && !t.seg.has(kAck)) r.client_isn = t.seg.seq;
    const MInput input = input_of(r, t.seg, lookahead_isn(r, index));
    const model::StepResult<Concrete> would = model::step(params_, r.s, input);
    const auto row = static_cast<Transition>(would.transition);
    const refinement::RefinementConfig unused_config;
    const refinement::StepContext ctx{unused_config, params_, r.s, input, row};
    if (std::optional<uint32_t> d = refinement::classify(ctx);
        d &&
        *d != static_cast<uint32_t>(
                  refinement::DivergenceId::kD20UnreadTextInScaledWindow)) {
      // D20 is about the window, which is not compared here.
      const auto& k = refinement::known_divergences()[*d];
      const std::string why =
          std::string(k.name) + " (" + std::string(k.doc) + ")";
      outside(r, t.number, why);
      line(r, "    outside the model: " + why);
      if (*d == static_cast<uint32_t>(
                    refinement::DivergenceId::kD1CookieSynAckOptions)) {
        // The connection negotiates options the model's cookie child lacks.
        r.left = true;
        line(r, "    the connection leaves the model here");
      } else {
        r.skip_replies = true;
      }
      return;
    }
    const size_t owed = r.pending.size();
    feed(r, input, "row", t.number);
    note(r, t.number, Verdict::kStep, "",
         static_cast<int>(r.rep.model_steps.size()) - 1);
    if (r.pending.size() == owed) ++r.rep.agreements;  // the server is silent
  }

  void note_done(Run& r, uint32_t packet) {
    if (r.rep.disagreed) {
      ++r.rep.unchecked;
      note(r, packet, Verdict::kUnchecked, "after the disagreement");
    } else {
      outside(r, packet, "after the connection left the model");
    }
  }

  // ---- server segments ---------------------------------------------------

  void server(Run& r, const TraceSegment& t) {
    line(r, describe_segment(r, t));
    const wire::Segment& s = t.seg;
    if (s.has(kSyn) && s.has(kAck) && !r.have_server_isn) {
      r.server_isn = s.seq;
      r.have_server_isn = true;
      r.rep.trace.back() = describe_segment(r, t);
    }
    if (r.done()) {
      note_done(r, t.number);
      return;
    }
    if (r.skip_replies) {
      outside(r, t.number, "reply to a step outside the model");
      return;
    }
    if (!r.pending.empty() && match_pending(r, t)) return;
    spontaneous(r, t);
  }

  // Consumes the first expected output if `t` is it. A data or FIN segment
  // carrying the expected ACK's numbers satisfies it and is then processed
  // for what else it is.
  bool match_pending(Run& r, const TraceSegment& t) {
    if (r.pending.empty()) return false;
    const wire::Segment& s = t.seg;
    const Expect e = r.pending.front();
    if (e.out.cookie && s.has(kSyn) && s.has(kAck)) {
      std::optional<AbstractOutput> a =
          refinement::abstract_segment(s, 0, true);
      if (a && same(e.out, *a)) {
        r.pending.erase(r.pending.begin());
        r.delta = e.model_seq - s.seq;
        agree(r, t, e);
        return true;
      }
      return false;
    }
    std::optional<AbstractOutput> a =
        refinement::abstract_segment(s, r.delta, false);
    if (a && same(e.out, *a)) {
      r.pending.erase(r.pending.begin());
      if (s.has(kSyn)) r.delta = e.model_seq - s.seq;
      agree(r, t, e);
      return true;
    }
    const bool carries_ack =
        e.out.out.kind == static_cast<uint32_t>(OutputKind::kAck) &&
        s.has(kAck) && !s.has(kRst) && !s.has(kSyn) &&
        (!s.payload.empty() || s.has(kFin)) &&
        s.seq + r.delta == e.out.out.seq && s.ack == e.out.out.ack;
    if (carries_ack) {
      r.pending.erase(r.pending.begin());
      ++r.rep.agreements;
      note(r, t.number, Verdict::kPiggyback, "", e.step);
      line(r, "    carries the model's ACK (piggybacked)");
      return false;  // now explain the text or FIN
    }
    return false;
  }

  void agree(Run& r, const TraceSegment& t, const Expect& e) {
    ++r.rep.agreements;
    note(r, t.number, Verdict::kAgree, "", e.step);
    if (t.seg.has(kSyn)) r.last_synack = t.time;
    line(r, "    agrees with the model's " + refinement::to_string(e.out));
  }

  void spontaneous(Run& r, const TraceSegment& t) {
    const wire::Segment& s = t.seg;
    const std::string seen = describe_segment(r, t);
    const auto st = [&] { return model::state_name(r.s.st); };
    if (s.has(kSyn) && s.has(kAck)) {
      if (!in(r.s, TcpState::kSynReceived) || !r.pending.empty()) {
        return mismatch(r, t);
      }
      feed(r, model::make_input(InputKind::kTimerSynAck), "SYN-ACK timer",
           t.number);
      if (!match_pending(r, t)) mismatch(r, t);
      return;
    }
    if (s.has(kRst)) {
      if (in(r.s, TcpState::kEstablishedQueued) && r.pending.empty()) {
        // Only the listener's close resets a child nobody accepted.
        for (Run& o : runs_) {
          if (o.done()) continue;
          flush(o, "the listener's close");
          if (!o.done()) {
            feed(o, model::make_input(InputKind::kAppCloseListener),
                 "close(listener)", t.number);
          }
        }
        if (!match_pending(r, t)) mismatch(r, t);
        return;
      }
      if (r.pending.empty() &&
          (in(r.s, TcpState::kEstablished) || in(r.s, TcpState::kCloseWait) ||
           in(r.s, TcpState::kFinWait1) || in(r.s, TcpState::kFinWait2))) {
        outside(r, t.number, "application abort (RST from an accepted socket)");
        line(r,
             "    outside the model: the application aborted (no ABORT "
             "input in the model)");
        r.left = true;
        return;
      }
      return mismatch(r, t);
    }
    const bool text = !s.payload.empty();
    if (text || s.has(kFin)) {
      if (!r.pending.empty()) return mismatch(r, t);
      if (in(r.s, TcpState::kEstablishedQueued)) {
        feed(r, model::make_input(InputKind::kAppAccept), "accept()", t.number);
        note(r, t.number, Verdict::kStep, "",
             static_cast<int>(r.rep.model_steps.size()) - 1);
        ++r.rep.agreements;
      }
      const bool can_send =
          in(r.s, TcpState::kEstablished) || in(r.s, TcpState::kCloseWait);
      const uint32_t seq = s.seq + r.delta;
      const uint32_t len = static_cast<uint32_t>(s.payload.size());
      if (text) {
        if (can_send && seq == r.s.snd_nxt) {
          r.s.snd_nxt += len;
          outside(r, t.number, "server text (SND.NXT advanced past it)");
          line(r, "    server text: SND.NXT += " + std::to_string(len) +
                      " (outside the model)");
        } else if (seq + len == r.s.snd_nxt - (s.has(kFin) ? 1 : 0) ||
                   tcp::seq_before(seq, r.s.snd_nxt)) {
          if (!tcp::seq_before(seq, r.s.snd_nxt) ||
              in(r.s, TcpState::kSynReceived)) {
            return disagree(r, t.number,
                            "server sent text in " + st() + ": " + seen);
          }
          outside(r, t.number, "retransmission of server text or FIN");
          line(r, "    retransmission (outside the model)");
          return;
        } else {
          return disagree(r, t.number,
                          "server sent text in " + st() + " at SEQ " +
                              std::to_string(seq - r.server_isn) +
                              " (relative), model SND.NXT " +
                              std::to_string(r.s.snd_nxt - r.server_isn) +
                              ": " + seen);
        }
      }
      if (!s.has(kFin)) return;
      if (can_send) {
        feed(r, model::make_input(InputKind::kAppClose), "close()", t.number);
        wire::Segment fin = s;
        fin.payload = {};
        fin.seq = s.seq + len;
        std::optional<AbstractOutput> a =
            refinement::abstract_segment(fin, r.delta, false);
        if (a && !r.pending.empty() && same(r.pending.front().out, *a)) {
          const Expect e = r.pending.front();
          r.pending.erase(r.pending.begin());
          agree(r, t, e);
          return;
        }
        return mismatch(r, t);
      }
      if (seq + len + 1 == r.s.snd_nxt) {
        outside(r, t.number, "retransmission of server text or FIN");
        line(r, "    FIN retransmitted (choice 15: outside the model)");
        return;
      }
      return disagree(r, t.number, "server sent FIN in " + st() + ": " + seen);
    }
    // A bare ACK nobody asked for: delayed ACK, window update or keepalive.
    if (r.pending.empty() && s.has(kAck) && s.seq + r.delta == r.s.snd_nxt &&
        s.ack == r.s.rcv_nxt &&
        (in(r.s, TcpState::kEstablishedQueued) ||
         (r.s.st >= static_cast<uint32_t>(TcpState::kEstablished) &&
          r.s.st <= static_cast<uint32_t>(TcpState::kTimeWait)))) {
      outside(r, t.number,
              "ACK not triggered by a model step (ACK timing, window update)");
      line(r, "    ACK timing / window update (outside the model)");
      return;
    }
    mismatch(r, t);
  }

  void mismatch(Run& r, const TraceSegment& t) {
    std::string expected = "nothing";
    if (!r.pending.empty())
      expected = refinement::to_string(r.pending.front().out);
    std::optional<AbstractOutput> a =
        refinement::abstract_segment(t.seg, r.delta, false);
    disagree(r, t.number,
             "in " + model::state_name(r.s.st) + " the model sends " +
                 expected + "; the server sent " +
                 (a ? refinement::to_string(*a) : describe_segment(r, t)));
  }

  const ListenerTrace& l_;
  const ServerConfig& config_;
  MParams params_;
  std::vector<Run> runs_;
  tcp::Time now_{0};
};

}  // namespace

bool CheckReport::ok() const { return first_failure() == nullptr; }

const ConnectionReport* CheckReport::first_failure() const {
  const ConnectionReport* first = nullptr;
  auto at = [](const ConnectionReport& c) {
    uint32_t n = c.disagreed ? c.disagreement_packet : UINT32_MAX;
    for (const Violation& v : c.violations) n = std::min(n, v.number);
    return n;
  };
  for (const ListenerReport& l : listeners) {
    for (const ConnectionReport& c : l.connections) {
      if (!c.ok() && (!first || at(c) < at(*first))) first = &c;
    }
  }
  return first;
}

CheckReport check_against_model(const Trace& trace,
                                const ServerConfig& config) {
  CheckReport r;
  for (const ListenerTrace& l : trace.listeners) {
    r.listeners.push_back(ListenerCheck(l, config).run());
  }
  return r;
}

}  // namespace tcpref::traces
