#include "refinement/generators.h"

#include <optional>
#include <tuple>

namespace tcpref::refinement {

namespace gen = rc::gen;

namespace {

// Small offsets around a class base: where one-off bugs live.
rc::Gen<int32_t> offset() {
  return gen::weightedOneOf<int32_t>({
      {12, gen::just<int32_t>(0)},
      {3, gen::just<int32_t>(1)},
      {3, gen::just<int32_t>(-1)},
      {1, gen::just<int32_t>(2)},
      {1, gen::inRange<int32_t>(-70000, 70000)},
  });
}

template <class T>
rc::Gen<std::optional<T>> sometimes(int weight_absent, rc::Gen<T> g) {
  return gen::weightedOneOf<std::optional<T>>({
      {weight_absent, gen::just(std::optional<T>())},
      {1, gen::map(std::move(g), [](T v) { return std::optional<T>(v); })},
  });
}

}  // namespace

rc::Gen<SeqSpec> seq_spec() {
  return gen::apply(
      [](SeqBase b, int32_t off, uint32_t v) {
        return SeqSpec{b, off, v};
      },
      gen::weightedElement<SeqBase>({{14, SeqBase::kRcvNxt},
                                     {2, SeqBase::kIrs},
                                     {2, SeqBase::kWindowEnd},
                                     {1, SeqBase::kHalfSpace},
                                     {1, SeqBase::kArbitrary}}),
      offset(), gen::arbitrary<uint32_t>());
}

rc::Gen<AckSpec> ack_spec() {
  return gen::apply(
      [](AckBase b, int32_t off, uint32_t v) {
        return AckSpec{b, off, v};
      },
      gen::weightedElement<AckBase>({{14, AckBase::kSndNxt},
                                     {2, AckBase::kSndUna},
                                     {2, AckBase::kOldest},
                                     {1, AckBase::kHalfSpace},
                                     {4, AckBase::kCookie},
                                     {1, AckBase::kArbitrary}}),
      offset(), gen::arbitrary<uint32_t>());
}

namespace {

struct Flags {
  bool syn, ack, rst, fin;
};

// Mostly the shapes a client sends, then any combination.
rc::Gen<Flags> flags() {
  return gen::weightedOneOf<Flags>({
      {6, gen::just(Flags{true, false, false, false})},   // SYN
      {14, gen::just(Flags{false, true, false, false})},  // ACK
      {4, gen::just(Flags{false, true, false, true})},    // FIN|ACK
      {3, gen::just(Flags{false, false, true, false})},   // RST
      {2, gen::just(Flags{false, true, true, false})},    // RST|ACK
      {3, gen::apply(
              [](bool s, bool a, bool r, bool f) {
                return Flags{s, a, r, f};
              },
              gen::arbitrary<bool>(), gen::arbitrary<bool>(),
              gen::arbitrary<bool>(), gen::arbitrary<bool>())},
  });
}

struct Options {
  std::optional<uint16_t> mss;
  std::optional<uint8_t> ws;
  bool sack;
};

rc::Gen<Options> syn_options() {
  return gen::apply(
      [](std::optional<uint16_t> mss, std::optional<uint8_t> ws, bool sack) {
        return Options{mss, ws, sack};
      },
      sometimes<uint16_t>(
          1, gen::weightedOneOf<uint16_t>({
                 {4, gen::element<uint16_t>(536, 1300, 1440, 1460, 9000)},
                 {1, gen::element<uint16_t>(0, 100, 1000, 1400, 1450)},
             })),
      sometimes<uint8_t>(1, gen::element<uint8_t>(0, 1, 7, 14, 15)),
      gen::arbitrary<bool>());
}

struct Timestamp {
  TsClass cls;
  uint32_t value;
};

rc::Gen<Timestamp> timestamp() {
  return gen::apply(
      [](TsClass c, uint32_t newer, uint32_t any) {
        return Timestamp{c, c == TsClass::kArbitrary ? any : newer};
      },
      gen::weightedElement<TsClass>({{3, TsClass::kNone},
                                     {12, TsClass::kNewer},
                                     {2, TsClass::kSame},
                                     {2, TsClass::kOlder},
                                     {1, TsClass::kArbitrary}}),
      gen::inRange<uint32_t>(1, 1000), gen::arbitrary<uint32_t>());
}

}  // namespace

rc::Gen<SegmentSpec> segment_spec() {
  return gen::apply(
      [](Flags f, SeqSpec seq, AckSpec ack, uint16_t len, uint16_t window,
         Options o, Timestamp ts) {
        SegmentSpec s;
        s.syn = f.syn;
        s.ack = f.ack;
        s.rst = f.rst;
        s.fin = f.fin;
        // A SYN starts from the client's ISN unless it says otherwise.
        s.seq = f.syn && seq.base == SeqBase::kRcvNxt && seq.offset == 0
                    ? SeqSpec{SeqBase::kIrs, 0, 0}
                    : seq;
        s.ack_number = ack;
        s.len = len;
        s.window = window;
        if (f.syn) {
          s.mss = o.mss;
          s.window_scale = o.ws;
          s.sack_permitted = o.sack;
        }
        s.ts = ts.cls;
        s.ts_value = ts.value;
        return s;
      },
      flags(), seq_spec(), ack_spec(),
      gen::weightedElement<uint16_t>({{10, 0}, {2, 1}, {1, 10}, {1, 100}}),
      gen::weightedElement<uint16_t>({{10, 65535}, {1, 0}, {1, 1}, {1, 1000}}),
      syn_options(), timestamp());
}

rc::Gen<Step> step() {
  auto simple = [](StepKind k) { return gen::just(Step{k, {}, {}}); };
  return gen::weightedOneOf<Step>({
      {30, gen::map(segment_spec(),
                    [](SegmentSpec s) {
                      return Step{StepKind::kSegment, s, {}};
                    })},
      {3, simple(StepKind::kOtherSyn)},
      {2, simple(StepKind::kOtherComplete)},
      {4, simple(StepKind::kAccept)},
      {2, simple(StepKind::kClose)},
      {1, simple(StepKind::kCloseListener)},
      {1, simple(StepKind::kListen)},
      {4,
       gen::map(gen::weightedElement<AdvanceTo>({{2, AdvanceTo::kNextTimer},
                                                 {2, AdvanceTo::kSynAck},
                                                 {1, AdvanceTo::kTimeWait},
                                                 {1, AdvanceTo::kCookieEpoch}}),
                [](AdvanceTo a) {
                  return Step{StepKind::kAdvance, {}, a};
                })},
  });
}

namespace {

// A segment in sequence with timestamps moving forward: what a well-behaved
// client sends next.
SegmentSpec in_order(bool syn, bool ack, bool fin,
                     SeqBase seq = SeqBase::kRcvNxt, int32_t ack_offset = 0) {
  SegmentSpec s;
  s.syn = syn;
  s.ack = ack;
  s.fin = fin;
  s.seq = {seq, 0, 0};
  s.ack_number = {AckBase::kSndNxt, ack_offset, 0};
  s.ts = TsClass::kNewer;
  s.ts_value = 1;
  return s;
}

SegmentSpec no_ts(SegmentSpec s) {
  s.ts = TsClass::kNone;
  return s;
}

SegmentSpec cookie_ack() {
  SegmentSpec s = in_order(false, true, false);
  s.ack_number = {AckBase::kCookie, 0, 0};
  return s;
}

Step seg(SegmentSpec s) { return Step{StepKind::kSegment, s, {}}; }
Step call(StepKind k) { return Step{k, {}, {}}; }
Step advance(AdvanceTo a) { return Step{StepKind::kAdvance, {}, a}; }

// Short scripts that walk the connection to its deeper states (random steps
// alone rarely close a connection both ways); mixed with random steps they
// reach every state, and shrinking still removes whole scripts or steps.
rc::Gen<std::vector<Step>> script() {
  using V = std::vector<Step>;
  return gen::weightedOneOf<V>({
      // Handshake; the SYN's options vary.
      {3, gen::map(syn_options(),
                   [](Options o) {
                     SegmentSpec syn =
                         in_order(true, false, false, SeqBase::kIrs);
                     syn.mss = o.mss;
                     syn.window_scale = o.ws;
                     syn.sack_permitted = o.sack;
                     return V{seg(syn), seg(in_order(false, true, false))};
                   })},
      // Active close: our FIN acked, then theirs (FIN-WAIT-2 → TIME-WAIT).
      {2, gen::just(V{call(StepKind::kClose), seg(in_order(false, true, false)),
                      seg(in_order(false, true, false)),
                      seg(in_order(false, true, true))})},
      // Active close, their FIN acks ours (FIN-WAIT-1 → TIME-WAIT).
      {1,
       gen::just(V{call(StepKind::kClose), seg(in_order(false, true, true))})},
      // Simultaneous close: their FIN before our FIN is acked (CLOSING).
      {1, gen::just(V{call(StepKind::kClose),
                      seg(in_order(false, true, true, SeqBase::kRcvNxt, -1)),
                      seg(in_order(false, true, false))})},
      // Segments that do not ack our FIN yet (FIN-WAIT-1, CLOSING).
      {1, gen::just(V{call(StepKind::kClose),
                      seg(in_order(false, true, false, SeqBase::kRcvNxt, -1)),
                      seg(in_order(false, true, true, SeqBase::kRcvNxt, -1)),
                      seg(in_order(false, true, false, SeqBase::kRcvNxt, -1)),
                      seg(in_order(false, true, false))})},
      // A cookie whose ACK finds the accept queue full (cookies when the
      // SYN queue is full; no timestamps, so the cookie is the model's kind).
      {1,
       gen::just(V{call(StepKind::kOtherSyn), call(StepKind::kOtherSyn),
                   call(StepKind::kOtherSyn),
                   seg(no_ts(in_order(true, false, false, SeqBase::kIrs))),
                   call(StepKind::kOtherComplete),
                   call(StepKind::kOtherComplete), seg(no_ts(cookie_ack()))})},
      // Text after close(), before or after our FIN is acked (RST).
      {1, gen::map(gen::arbitrary<bool>(),
                   [](bool fin_acked) {
                     SegmentSpec text = in_order(false, true, false);
                     text.len = 10;
                     V v{call(StepKind::kClose)};
                     if (fin_acked)
                       v.push_back(seg(in_order(false, true, false)));
                     v.push_back(seg(text));
                     return v;
                   })},
      // Passive close (CLOSE-WAIT → LAST-ACK → closed).
      {1, gen::just(V{seg(in_order(false, true, true)), call(StepKind::kClose),
                      seg(in_order(false, true, false))})},
      // In TIME-WAIT: a newer SYN (RFC 6191), alone, with no listener, or
      // with a full SYN queue; RSTs at and beyond RCV.NXT; the 2·MSL timer.
      {1, gen::just(V{seg(in_order(true, false, false, SeqBase::kRcvNxt))})},
      {1, gen::just(V{call(StepKind::kCloseListener),
                      seg(in_order(true, false, false, SeqBase::kRcvNxt)),
                      call(StepKind::kListen)})},
      {1, gen::just(V{call(StepKind::kOtherSyn), call(StepKind::kOtherSyn),
                      call(StepKind::kOtherSyn),
                      seg(in_order(true, false, false, SeqBase::kRcvNxt))})},
      {1, gen::map(gen::element<int32_t>(0, 1),
                   [](int32_t off) {
                     SegmentSpec rst = in_order(false, false, false);
                     rst.rst = true;
                     rst.seq.offset = off;
                     return V{seg(rst)};
                   })},
      // A request sock whose SYN-ACK is never answered (retries, expiry).
      {1, gen::just(V{seg(in_order(true, false, false, SeqBase::kIrs)),
                      advance(AdvanceTo::kSynAck), advance(AdvanceTo::kSynAck),
                      advance(AdvanceTo::kSynAck)})},
      // A segment without ACK (SYN-RECEIVED drops it).
      {1, gen::just(V{seg(in_order(false, false, true))})},
      {1, gen::just(V{advance(AdvanceTo::kTimeWait)})},
      // Background clients fill the SYN queue, some complete.
      {1,
       gen::just(V{call(StepKind::kOtherSyn), call(StepKind::kOtherSyn),
                   call(StepKind::kOtherSyn), call(StepKind::kOtherComplete)})},
      {1, gen::just(V{call(StepKind::kAccept)})},
      // Anything at all.
      {14, gen::map(step(), [](Step s) { return V{s}; })},
  });
}

}  // namespace

rc::Gen<Scenario> scenario() {
  return gen::apply(
      [](uint32_t isn, std::vector<std::vector<Step>> scripts) {
        Scenario s{isn, {}};
        for (std::vector<Step>& v : scripts) {
          s.steps.insert(s.steps.end(), v.begin(), v.end());
        }
        return s;
      },
      gen::weightedOneOf<uint32_t>({
          {3, gen::just<uint32_t>(0x10000000)},
          {1, gen::just<uint32_t>(0xFFFFFFF0)},  // wraps during the run
          {1, gen::arbitrary<uint32_t>()},
      }),
      gen::container<std::vector<std::vector<Step>>>(script()));
}

void showValue(const Scenario& s, std::ostream& os) { os << to_string(s); }

}  // namespace tcpref::refinement
