#include "impl/refinement/known_divergences.h"

namespace tcpref::refinement {

namespace {

using model::Transition;
using State = model::ModelState<model::Concrete>;
using Input = model::Input<model::Concrete>;

bool cookie_synack(Transition t) {
  return t == Transition::kListenSynCookie ||
         t == Transition::kTimeWaitReopenCookie;
}

uint32_t seg_len(const Input& in) {
  return in.len + (in.flag_syn ? 1 : 0) + (in.flag_fin ? 1 : 0);
}

// RFC 9293 §3.10.7.4 "first": the four acceptability cases.
bool acceptable(const State& s, const Input& in) {
  const uint32_t len = seg_len(in);
  auto inside = [&](uint32_t x) { return x - s.rcv_nxt < s.rcv_wnd; };
  if (len == 0) return s.rcv_wnd == 0 ? in.seq == s.rcv_nxt : inside(in.seq);
  return s.rcv_wnd != 0 && (inside(in.seq) || inside(in.seq + len - 1));
}

bool is(const State& s, model::TcpState t) {
  return s.st == static_cast<uint32_t>(t);
}

bool synchronized(const State& s) {
  return s.st >= static_cast<uint32_t>(model::TcpState::kEstablishedQueued) &&
         s.st <= static_cast<uint32_t>(model::TcpState::kClosing);
}

// impl's RFC 7323 checks (check_req.cc, established.cc, time_wait.cc).
bool paws_drop(const State& s, const Input& in) {
  if (!s.ts_ok || in.flag_rst) return false;
  const bool older =
      in.ts_present && static_cast<int32_t>(in.tsval - s.ts_recent) < 0;
  if (is(s, model::TcpState::kSynReceived)) {
    const bool dup_syn =
        in.flag_syn && !in.flag_ack && !in.flag_fin && in.seq == s.irs;
    return !dup_syn && (!in.ts_present || older);
  }
  if (synchronized(s)) return !in.ts_present || older;
  if (is(s, model::TcpState::kTimeWait)) {
    const bool reopen_shape = in.flag_syn && !in.flag_ack;
    return !reopen_shape && older;
  }
  return false;
}

// The MSS a cookie child ends with, or 0 for "no cookie" (model).
uint32_t model_cookie_mss(const Input& in) {
  const uint32_t offer = in.mss_present ? in.mss : 536;
  if (offer < 536) return 0;
  return offer >= 1460   ? 1460
         : offer >= 1440 ? 1440
         : offer >= 1300 ? 1300
                         : 536;
}
uint32_t impl_cookie_mss(const Input& in) {
  uint32_t offer = in.mss_present && in.mss != 0 ? in.mss : 536;
  offer = offer > 1460 ? 1460 : offer < 64 ? 64 : offer;
  constexpr uint32_t kTable[] = {64, 536, 1200, 1300, 1380, 1440, 1452, 1460};
  uint32_t m = kTable[0];
  for (uint32_t t : kTable) {
    if (t <= offer) m = t;
  }
  return m;
}

}  // namespace

const std::vector<KnownDivergence>& known_divergences() {
  static const std::vector<KnownDivergence> list = {
      {"D1 cookie SYN-ACK options",
       "With timestamps on both sides, impl's cookie SYN-ACK offers window "
       "scale, SACK and timestamps (the choices ride in the TSval's low "
       "bits, as Linux's cookie_init_timestamp does); the model's cookie "
       "SYN-ACK carries MSS only. Model incomplete: Linux and impl agree."},
      {"D2 SYN-RECEIVED bad ACK out of window",
       "An ACK with SEG.ACK != ISS+1 and an unacceptable SEQ in "
       "SYN-RECEIVED: the model answers RST (Linux tcp_check_req checks the "
       "ACK first), impl answers ACK (RFC 9293 §3.10.7.4 checks the "
       "sequence number first)."},
      {"D3 no PAWS in the model",
       "Once timestamps are negotiated, impl drops a non-RST segment "
       "without TSopt (RFC 7323 §3.2) and answers an older TSval with an "
       "ACK (RFC 7323 §5.3 R1, PAWS), in SYN-RECEIVED, synchronized states "
       "and TIME-WAIT; the model has neither check. Model incomplete."},
      {"D4 RST form when a listener closes",
       "close() on a listener resets each queued child. The model sends "
       "RST|ACK <SEQ=SND.NXT><ACK=RCV.NXT> with window and timestamps "
       "(Linux tcp_send_active_reset); impl sends <SEQ=SND.NXT><CTL=RST> "
       "(RFC 9293 §3.10.4 ABORT). Both are valid resets; tolerated: every "
       "other field is compared."},
      {"D5 SYN in SYN-RECEIVED",
       "A SYN other than the retransmitted one in SYN-RECEIVED: the model "
       "sends RST and drops the request sock (RFC 9293 §3.10.7.4 'fourth': "
       "a passive open returns to LISTEN; Linux tcp_check_req's "
       "embryonic_reset), or RST for a bad ACK; impl sends a challenge ACK "
       "(RFC 5961 §4.2, which covers synchronized states only). Impl wrong."},
      {"D6 acceptable segment not at RCV.NXT",
       "In a synchronized state an acceptable segment with an acceptable "
       "ACK but SEQ != RCV.NXT: the model only sends an ACK "
       "(kSyncOutOfOrder); impl processes its ACK field (SND.UNA, the send "
       "window, TS.Recent for SEQ <= RCV.NXT), trims and takes overlapping "
       "text, and sends no ACK for a segment without text (Linux "
       "tcp_data_queue). RFC 9293 §3.10.7.4 'fifth' processes the ACK of "
       "every acceptable segment. Model wrong."},
      {"D7 data after close()",
       "Text arriving in FIN-WAIT-1/2 after the application called "
       "close(): the model takes it and ACKs it; impl resets the "
       "connection (RFC 9293 §3.6 / RFC 1122 §4.2.2.13: new data after "
       "CLOSE SHOULD draw a RST; Linux TCPAbortOnData). Model wrong."},
      {"D8 MSS option below 64",
       "A SYN's MSS option of 0 or below 64: the model uses it as is "
       "(MSS 0); impl treats 0 as absent (536, RFC 9293 §3.7.1) and floors "
       "anything else at 64 (Linux tcp_min_snd_mss, CVE-2019-11479). Model "
       "wrong."},
      {"D9 cookie MSS table",
       "A SYN answered with a cookie: the model encodes Linux's four MSS "
       "levels (536/1300/1440/1460) and sends no cookie below 536; impl "
       "encodes eight levels (64/536/1200/1300/1380/1440/1452/1460, "
       "impl/tcp/syn_cookie.h), so offers such as 1400 or 100 give a "
       "different child MSS. A design difference to settle between the two "
       "owners; skipped only where the encoded MSS differs."},
      {"D10 send window update rule",
       "An in-order segment whose SEG.ACK is older than SND.UNA: the model "
       "always sets SND.WND from it; impl updates the window only if "
       "SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK) "
       "(RFC 9293 §3.10.7.4 'fifth'), so an old ACK cannot shrink it. Model "
       "wrong. Skipped when the window would change (the model keeps no "
       "WL1/WL2, so this is conservative)."},
      {"D11 background ACK at a full queue, abort policy",
       "Another 4-tuple's request sock gets its final ACK while the accept "
       "queue is full and tcp_abort_on_overflow is on: impl sends RST and "
       "drops that request sock (as for the tracked one, "
       "kSynRecvOverflowRst); the model has no input for it (kOtherComplete "
       "requires room), so other_reqs stays. Model incomplete."},
      {"D12 MAX.SND.WND and the SYN's window",
       "The model's MAX.SND.WND counts the SYN's window; impl starts it at "
       "the completing ACK's window (as Linux's tcp_create_openreq_child "
       "does), so an old SEG.ACK between SND.UNA-MAX.SND.WND (model) and "
       "SND.UNA-SND.WND is acceptable to the model and draws a challenge "
       "ACK from impl (RFC 5961 §5.2). RFC 5961 defines MAX.SND.WND as the "
       "largest window ever received, SYN included: impl wrong (with "
       "Linux)."},
      {"D13 TSopt on the ACK of a cookie made without one",
       "A SYN without timestamps got a cookie; its ACK carries a TSopt. The "
       "model accepts the cookie; impl reads option bits from TSecr, checks "
       "the MAC as a timestamped cookie, fails and sends RST. RFC 7323 §3.2: "
       "a TSopt on a connection that did not negotiate it MUST be ignored. "
       "Impl wrong."},
      {"D14 TIME-WAIT: a SYN that does not reopen",
       "A SYN without ACK in TIME-WAIT that is not newer (RFC 6191), or "
       "arrives with no listener, or carries FIN: the model answers with an "
       "ACK (RFC 5961 §4.2 challenge ACK; Linux TCP_TW_ACK via "
       "tcp_v4_timewait_ack); impl drops it silently (and reopens on a "
       "newer SYN|FIN). Impl wrong."},
      {"D15 TIME-WAIT reopen the listener cannot take",
       "A reopening SYN when the accept queue or SYN queue is full, or "
       "cookies are wanted: the model removes the TIME-WAIT record and "
       "drops the SYN or answers with a cookie; impl keeps TIME-WAIT and "
       "drops the SYN, or (cookies always) creates a request sock. Linux "
       "does neither exactly: the reopen (isn != 0) skips the SYN-queue and "
       "cookie check in tcp_conn_request, so only a full accept queue drops "
       "it, after the TIME-WAIT record is gone. Both sides to align."},
      {"D16 cookie MSS index not authenticated (model)",
       "The model's cookie MAC does not cover the MSS index in the low "
       "three bits, so an ACK of cookie+2 or cookie+3 passes with a larger "
       "MSS than the SYN offered (Linux's cookie has the same property); "
       "impl's MAC covers the index and answers RST. The peer can make us "
       "send segments above its own MSS: model wrong."},
      {"D17 cookie lifetime",
       "The model accepts a cookie up to kMaxCookieAge = 2 clock ticks old "
       "(three 64 s epochs); impl accepts its own epoch and the next one "
       "only, as Linux does (diff >= MAX_SYNCOOKIE_AGE (2) is stale in "
       "__cookie_v4_check). Model off by one."},
      {"D18 cookie from a closed listener",
       "A cookie sent before the listener was closed and opened again: the "
       "model still accepts its ACK (cookie validity is listener-free); "
       "impl answers RST because the new listener has sent no cookie "
       "recently (Linux tcp_synq_no_recent_overflow, per listener). Model "
       "incomplete."},
      {"D19 cookie ACK at a full accept queue, abort policy",
       "A valid cookie ACK while the accept queue is full and "
       "tcp_abort_on_overflow is on: the model drops it silently (as Linux "
       "does: tcp_get_cookie_sock gets no child and the segment is "
       "discarded); impl applies OverflowPolicy::kReset and sends RST. "
       "Either is defensible; the two should agree (docs/LISTENER.md)."},
  };
  return list;
}

std::optional<uint32_t> classify(const StepContext& c) {
  const Input& in = c.input;
  const State& s = c.state;
  if (cookie_synack(c.transition) && in.ts_present && c.params.ts_enabled) {
    return 0;
  }
  if (c.transition == Transition::kSynRecvBadAck && !acceptable(s, in)) {
    return 1;
  }
  if (in.kind == static_cast<uint32_t>(model::InputKind::kSegment) &&
      paws_drop(s, in)) {
    return 2;
  }
  if (in.kind == static_cast<uint32_t>(model::InputKind::kOtherComplete) &&
      c.transition == Transition::kOtherCompleteNone &&
      c.params.abort_on_overflow) {
    return 10;
  }
  const bool cookie_ack = c.transition == Transition::kListenAckCookie ||
                          c.transition == Transition::kListenAckCookieOverflow;
  if (cookie_ack && in.ack - 1 != s.ghost_cookie_iss) return 15;
  if (cookie_ack && c.listener_reopened_since_cookie) return 17;
  if (c.transition == Transition::kListenAckCookieOverflow &&
      c.params.abort_on_overflow) {
    return 18;
  }
  if (cookie_ack && ((s.cookie_clock - ((in.ack - 1) >> 3)) & 31) == 2) {
    return 16;
  }
  if ((c.transition == Transition::kListenAckCookie ||
       c.transition == Transition::kListenAckCookieOverflow) &&
      in.ts_present && c.params.ts_enabled) {
    return 12;
  }
  if (is(s, model::TcpState::kTimeWait) && in.flag_syn && !in.flag_ack &&
      !in.flag_rst &&
      (c.transition == Transition::kTimeWaitSynChallenge ||
       c.transition == Transition::kTimeWaitReopenNoListener)) {
    return 13;
  }
  if (c.transition == Transition::kTimeWaitReopenCookie ||
      c.transition == Transition::kTimeWaitReopenDrop) {
    return 14;
  }
  const bool from_syn = c.transition == Transition::kListenSynRequest ||
                        c.transition == Transition::kTimeWaitReopenRequest;
  if (from_syn && in.mss_present && in.mss < 64) return 7;
  const bool cookie_choice =
      cookie_synack(c.transition) ||
      c.transition == Transition::kListenSynCookieSmallMss;
  if (cookie_choice && model_cookie_mss(in) != impl_cookie_mss(in)) return 8;
  if (synchronized(s) && in.kind == 0 && !in.flag_rst && !in.flag_syn &&
      in.flag_ack &&
      static_cast<int32_t>(in.ack - (s.snd_una - s.max_snd_wnd)) >= 0 &&
      static_cast<int32_t>(in.ack - (s.snd_una - s.snd_wnd)) < 0) {
    return 11;
  }
  const bool in_order_row = c.transition >= Transition::kQueuedInOrder &&
                            c.transition <= Transition::kClosingInOrder;
  const uint32_t scale = s.snd_wscale > 14 ? 14 : s.snd_wscale;
  if (in_order_row && static_cast<int32_t>(in.ack - s.snd_una) < 0 &&
      (in.wnd << scale) != s.snd_wnd) {
    return 9;
  }
  const bool fin_wait =
      is(s, model::TcpState::kFinWait1) || is(s, model::TcpState::kFinWait2);
  if (fin_wait && in.len > 0 && c.transition >= Transition::kSyncOutOfOrder &&
      c.transition <= Transition::kFinWait2InOrder) {
    return 6;
  }
  if (c.transition == Transition::kSyncOutOfOrder) return 5;
  if (in.flag_syn && (c.transition == Transition::kSynRecvSyn ||
                      c.transition == Transition::kSynRecvBadAck)) {
    return 4;
  }
  return std::nullopt;
}

}  // namespace tcpref::refinement

namespace tcpref::refinement {

std::optional<uint32_t> tolerate(model::Transition transition,
                                 model::Output<model::Concrete>& out) {
  if (transition == Transition::kAppCloseListenerQueued) {
    out.flag_ack = false;
    out.ack = 0;
    out.wnd = 0;
    out.ts_present = false;
    out.tsval = out.tsecr = 0;
    return 3;
  }
  return std::nullopt;
}

}  // namespace tcpref::refinement
