#include "refinement/known_divergences.h"

namespace tcpref::refinement {

namespace {

using model::TcpState;
using model::Transition;
using Id = DivergenceId;
using State = model::ModelState<model::Concrete>;
using Input = model::Input<model::Concrete>;

bool is(const State& s, TcpState t) { return s.st == static_cast<uint32_t>(t); }

bool synchronized(const State& s) {
  return s.st >= static_cast<uint32_t>(TcpState::kEstablishedQueued) &&
         s.st <= static_cast<uint32_t>(TcpState::kClosing);
}

bool before(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }

bool cookie_synack(Transition t) {
  return t == Transition::kListenSynCookie ||
         t == Transition::kTimeWaitReopenCookie;
}

// impl's RFC 7323 checks (check_req.cc, established.cc, time_wait.cc).
bool paws_drop(const State& s, const Input& in) {
  if (!s.ts_ok || in.flag_rst) return false;
  const bool older = in.ts_present && before(in.tsval, s.ts_recent);
  if (is(s, TcpState::kSynReceived)) {
    const bool dup_syn =
        in.flag_syn && !in.flag_ack && !in.flag_fin && in.seq == s.irs;
    return !dup_syn && (!in.ts_present || older);
  }
  if (synchronized(s)) return !in.ts_present || older;
  if (is(s, TcpState::kTimeWait)) {
    const bool reopen_shape = in.flag_syn && !in.flag_ack;
    return !reopen_shape && older;
  }
  return false;
}

std::optional<uint32_t> hit(Id id) { return static_cast<uint32_t>(id); }

}  // namespace

const std::vector<KnownDivergence>& known_divergences() {
  static const std::vector<KnownDivergence> list = {
      {"D1 cookie SYN-ACK options",
       "With timestamps on both sides, impl's cookie SYN-ACK offers window "
       "scale, SACK and timestamps (kept in the TSval's low bits, as "
       "Linux's cookie_init_timestamp does); the model's carries MSS only.",
       "docs/MODEL.md choice 13"},
      {"D3 PAWS",
       "Once timestamps are negotiated, impl drops a non-RST segment "
       "without TSopt (RFC 7323 §3.2) and answers an older TSval with an "
       "ACK (§5.3 R1) in SYN-RECEIVED, synchronized states and TIME-WAIT; "
       "the model has no PAWS.",
       "docs/MODEL.md choice 10"},
      {"D6 reassembly",
       "Text that arrived beyond RCV.NXT: impl holds it (RFC 9293 "
       "§3.10.7.4 'seventh') and delivers it when a later segment fills "
       "the gap, so RCV.NXT moves past both; the model dropped it and "
       "advances RCV.NXT by the filling segment only.",
       "docs/MODEL.md choice 9"},
      {"D16 cookie MSS index not authenticated",
       "The model's cookie MAC does not cover the MSS index (low three "
       "bits), so an ACK of cookie+2 passes with another MSS, as in Linux; "
       "impl's MAC covers the index and answers RST.",
       "docs/MODEL.md choice 13"},
      {"D18 cookie from a closed listener",
       "A cookie sent before the listener was closed and opened again: the "
       "model accepts its ACK (valid cookies are accepted whenever cookies "
       "are on); impl answers RST because the new listener has sent no "
       "cookie recently (Linux tcp_synq_no_recent_overflow, per listener).",
       "docs/MODEL.md choice 13"},
      {"D20 unread text in a scaled window",
       "Text taken into a connection with our window shift above 0: impl's "
       "RCV.WND is the free receive buffer, which the text fills until the "
       "application reads it (after the step; a queued child keeps it until "
       "accept), so the ACK and the state show a window smaller by the "
       "text; the model keeps no receive buffer (RCV.WND is the whole "
       "buffer). Unscaled, the 65535 limit hides the difference.",
       "docs/MODEL.md choice 21"},
  };
  return list;
}

std::optional<uint32_t> classify(const StepContext& c) {
  const Input& in = c.input;
  const State& s = c.state;
  const Transition t = c.transition;
  const bool segment =
      in.kind == static_cast<uint32_t>(model::InputKind::kSegment);
  if (cookie_synack(t) && in.ts_present && c.params.ts_enabled) {
    return hit(Id::kD1CookieSynAckOptions);
  }
  if (segment && paws_drop(s, in)) return hit(Id::kD3NoPaws);
  const bool cookie_ack = t == Transition::kListenAckCookie ||
                          t == Transition::kListenAckCookieOverflow;
  if (cookie_ack && in.ack - 1 != s.ghost_cookie_iss) {
    return hit(Id::kD16CookieIndexNotAuthenticated);
  }
  if (cookie_ack && c.listener_reopened_since_cookie) {
    return hit(Id::kD18CookieFromClosedListener);
  }
  const bool takes_text = t == Transition::kSynRecvComplete ||
                          t == Transition::kQueuedSegment ||
                          t == Transition::kEstablishedSegment ||
                          (t >= Transition::kFinWait1FinAckedFin &&
                           t <= Transition::kFinWait2Segment);
  // The segment starts at or before RCV.NXT and reaches the held bytes.
  const bool fills_gap = c.ooo_bytes > 0 && !before(s.rcv_nxt, in.seq) &&
                         !before(in.seq + in.len, c.ooo_left);
  if (takes_text && in.len > 0 && fills_gap) return hit(Id::kD6Reassembly);
  if (takes_text && in.len > 0 && s.rcv_wscale > 0) {
    return hit(Id::kD20UnreadTextInScaledWindow);
  }
  return std::nullopt;
}

}  // namespace tcpref::refinement
