#include "proofs/properties.h"

#include <stdexcept>

#include "model/cookie.h"
#include "model/domain.h"

namespace tcpref::proofs {
namespace {

using model::InputKind;
using model::ModelState;
using model::Mutation;
using model::OutputKind;
using model::Params;
using model::TcpState;
using S = Symbolic;

// ---- vocabulary of the specifications ------------------------------------
// Written apart from the model on purpose: a spec that reused the model's
// guards would prove the model equals itself.

SWord w(uint32_t v) { return S::word(v); }
SBool implies(const SBool& a, const SBool& b) { return !a || b; }
SBool is(const ModelState<S>& s, TcpState t) {
  return s.st == w(static_cast<uint32_t>(t));
}
SBool kind(const StepView& v, InputKind k) {
  return v.in.kind == w(static_cast<uint32_t>(k));
}
SBool segment(const StepView& v) { return kind(v, InputKind::kSegment); }
SBool sends(const StepView& v, OutputKind k) {
  return v.r.out.kind == w(static_cast<uint32_t>(k));
}
SBool unchanged(const StepView& v) { return model::equal<S>(v.s, v.r.next); }
SBool no_record(const ModelState<S>& s) {
  return is(s, TcpState::kClosed) || is(s, TcpState::kListen);
}
SBool no_table(const ModelState<S>& s) {
  return !s.in_reqsk_table && !s.in_established_table && !s.in_timewait_table;
}
// ESTABLISHED-QUEUED .. CLOSING: a child socket in the established table.
SBool child_state(const ModelState<S>& s) {
  return is(s, TcpState::kEstablishedQueued) || is(s, TcpState::kEstablished) ||
         is(s, TcpState::kCloseWait) || is(s, TcpState::kLastAck) ||
         is(s, TcpState::kFinWait1) || is(s, TcpState::kFinWait2) ||
         is(s, TcpState::kClosing);
}
// Synchronized (RFC 9293 glossary): a handshake has completed.
SBool synchronized(const ModelState<S>& s) {
  return child_state(s) || is(s, TcpState::kTimeWait);
}
SWord requests(const ModelState<S>& s) {
  return s.other_reqs + model::as_word<S>(is(s, TcpState::kSynReceived));
}
SWord accept_queue(const ModelState<S>& s) {
  return s.other_queued +
         model::as_word<S>(is(s, TcpState::kEstablishedQueued));
}
SBool rst_in_window(const StepView& v) {
  return S::ult(v.in.seq - v.s.rcv_nxt, v.s.rcv_wnd);
}
SBool challenge_ack(const StepView& v) {
  return sends(v, OutputKind::kChallengeAck) && v.r.out.seq == v.s.snd_nxt &&
         v.r.out.ack == v.s.rcv_nxt;
}

// RFC 4987 cookie validity: the clock value stamped in bits 7..3 is at
// most kMaxCookieAge ticks old, the MAC of the SYN (SEG.SEQ-1) at that clock
// value matches the cookie's high 24 bits (every MSS index is an entry).
SBool cookie_validates(const StepView& v) {
  SWord cookie = v.in.ack - 1u;
  SWord stamp = (cookie >> 3u) & 31u;
  SWord age = (v.s.cookie_clock - stamp) & 31u;
  SWord mac = S::cookie_hash(v.p.cookie_secret, v.p.remote_addr, v.p.local_addr,
                             v.p.remote_port, v.p.local_port, v.in.seq - 1u,
                             v.s.cookie_clock - age);
  return !(v.p.cookie_mode == w(0)) && S::ule(age, w(model::kMaxCookieAge)) &&
         (mac >> 8u) == (cookie >> 8u);
}

// RFC 6191 §2 / RFC 1122 §4.2.2.13: may this SYN reopen TIME-WAIT?
SBool reopen_allowed(const StepView& v) {
  SBool by_ts = v.s.ts_ok && v.in.ts_present;
  return !v.in.flag_ack && !v.in.flag_fin &&
         S::ite(by_ts, model::after<S>(v.in.tsval, v.s.ts_recent),
                model::after<S>(v.in.seq, v.s.rcv_nxt));
}

// The eight MSS levels a cookie can carry, spelled out apart from the model.
SWord table_mss(const SWord& index) {
  constexpr uint32_t kLevels[8] = {64, 536, 1200, 1300, 1380, 1440, 1452, 1460};
  SWord mss = w(kLevels[0]);
  for (uint32_t i = 1; i < 8; ++i) {
    mss = S::ite((index & 7u) == w(i), w(kLevels[i]), mss);
  }
  return mss;
}

// ---- the properties -------------------------------------------------------

// 1. Only a handshake or a valid cookie synchronizes the connection.
SBool p1_handshake(const StepView& v) {
  const SBool handshake = is(v.s, TcpState::kSynReceived) && segment(v) &&
                          v.in.flag_ack && !v.in.flag_syn && !v.in.flag_rst &&
                          v.in.ack == v.s.iss + 1u && v.in.seq == v.s.irs + 1u;
  const SBool cookie = is(v.s, TcpState::kListen) && segment(v) &&
                       v.in.flag_ack && !v.in.flag_syn && !v.in.flag_rst &&
                       cookie_validates(v);
  return implies(synchronized(v.r.next) && !synchronized(v.s),
                 handshake || cookie);
}
SBool w1_cookie_child(const StepView& v) {
  return is(v.s, TcpState::kListen) &&
         is(v.r.next, TcpState::kEstablishedQueued);
}

// 2. SYN-ACK: SEQ=ISS, ACK=IRS+1, options a subset of the SYN's, shift <= 14.
SBool p2_synack(const StepView& v) {
  const model::Output<S>& o = v.r.out;
  const SBool from_request = is(v.s, TcpState::kSynReceived);
  const SBool offer_ws =
      S::ite(from_request, v.s.ghost_offer_ws, v.in.ws_present);
  const SBool offer_sack =
      S::ite(from_request, v.s.ghost_offer_sack, v.in.sack_permitted);
  const SBool offer_ts =
      S::ite(from_request, v.s.ghost_offer_ts, v.in.ts_present);
  const SBool numbers = S::ite(
      is(v.r.next, TcpState::kSynReceived),
      o.seq == v.r.next.iss && o.ack == v.r.next.irs + 1u &&
          implies(!from_request, v.in.flag_syn && v.r.next.irs == v.in.seq),
      // Cookie SYN-ACK: no request; it answers this SYN.
      v.in.flag_syn && o.ack == v.in.seq + 1u);
  const SBool options = implies(o.ws_present, offer_ws) &&
                        implies(o.sack_permitted, offer_sack) &&
                        implies(o.ts_present, offer_ts) &&
                        S::ule(o.ws, w(model::kMaxWindowScale));
  return implies(sends(v, OutputKind::kSynAck), numbers && options) &&
         implies(is(v.r.next, TcpState::kSynReceived),
                 S::ule(v.r.next.snd_wscale, w(model::kMaxWindowScale)));
}
SBool w2_scaled_synack(const StepView& v) {
  return sends(v, OutputKind::kSynAck) && v.r.out.ws_present;
}

// 3. LISTEN creates nothing and sends no SYN-ACK for RST, ACK, SYN+RST,
// SYN+FIN.
SBool p3_listen_rejects(const StepView& v) {
  const model::Input<S>& in = v.in;
  const SBool premise =
      is(v.s, TcpState::kListen) && segment(v) &&
      (in.flag_rst || (in.flag_syn && in.flag_fin) ||
       (in.flag_ack && (in.flag_syn || !cookie_validates(v))));
  return implies(premise, !sends(v, OutputKind::kSynAck) &&
                              is(v.r.next, TcpState::kListen) &&
                              no_table(v.r.next) &&
                              v.r.next.other_reqs == v.s.other_reqs &&
                              v.r.next.other_queued == v.s.other_queued);
}
SBool w3_syn_fin(const StepView& v) {
  return is(v.s, TcpState::kListen) && segment(v) && v.in.flag_syn &&
         v.in.flag_fin;
}

// 4. Never a RST in reply to a RST.
SBool p4_no_rst_for_rst(const StepView& v) {
  return implies(segment(v) && v.in.flag_rst, !sends(v, OutputKind::kRst));
}
SBool w4_rst_to_request(const StepView& v) {
  return is(v.s, TcpState::kSynReceived) && segment(v) && v.in.flag_rst;
}

// 5. SYN-RECEIVED + unacceptable ACK: RST <SEQ=SEG.ACK>, nothing changes.
SBool bad_ack_premise(const StepView& v) {
  return is(v.s, TcpState::kSynReceived) && segment(v) && v.in.flag_ack &&
         !v.in.flag_rst && !(v.in.ack == v.s.iss + 1u);
}
SBool p5_bad_ack(const StepView& v) {
  return implies(bad_ack_premise(v), sends(v, OutputKind::kRst) &&
                                         v.r.out.seq == v.in.ack &&
                                         !v.r.out.flag_ack && unchanged(v));
}

// 6. RFC 5961 §3.2 in SYN-RECEIVED and every child state.
SBool p6_rst_rules(const StepView& v) {
  const SBool premise = (is(v.s, TcpState::kSynReceived) || child_state(v.s)) &&
                        segment(v) && v.in.flag_rst;
  const SBool exact = v.in.seq == v.s.rcv_nxt;
  return implies(premise && exact, no_record(v.r.next) && no_table(v.r.next)) &&
         implies(premise && !exact && rst_in_window(v),
                 challenge_ack(v) && unchanged(v)) &&
         implies(premise && !exact && !rst_in_window(v),
                 sends(v, OutputKind::kNone) && unchanged(v));
}
SBool w6_blind_rst(const StepView& v) {
  return is(v.s, TcpState::kEstablished) && segment(v) && v.in.flag_rst &&
         !(v.in.seq == v.s.rcv_nxt) && rst_in_window(v);
}

// 7. RFC 5961 §4.2: a SYN in a synchronized state gets a challenge ACK.
SBool p7_syn_challenge(const StepView& v) {
  const SBool syn = segment(v) && v.in.flag_syn && !v.in.flag_rst;
  return implies(syn && child_state(v.s), challenge_ack(v) && unchanged(v)) &&
         implies(syn && is(v.s, TcpState::kTimeWait) && !reopen_allowed(v),
                 challenge_ack(v) && unchanged(v));
}
SBool w7_syn_established(const StepView& v) {
  return is(v.s, TcpState::kEstablished) && segment(v) && v.in.flag_syn &&
         !v.in.flag_rst;
}

// 8. Queue bounds; no request sock when a cookie is used for a full queue.
SBool queues_bounded(const Params<S>& p, const ModelState<S>& s) {
  // Written so that no sum can wrap: requests <= limit, queue <= backlog+1.
  return S::ule(s.other_reqs, p.syn_queue_limit) &&
         implies(is(s, TcpState::kSynReceived),
                 S::ult(s.other_reqs, p.syn_queue_limit)) &&
         S::ule(s.backlog, w(model::kMaxBacklog)) &&
         S::ule(s.other_queued, s.backlog + 1u) &&
         implies(is(s, TcpState::kEstablishedQueued),
                 S::ule(s.other_queued, s.backlog));
}
SBool p8_queues(const StepView& v) {
  const SBool cookie_time =
      !(v.p.cookie_mode == w(0)) &&
      (v.p.cookie_mode == w(2) || S::ule(v.p.syn_queue_limit, requests(v.s)));
  const SBool syn_to_listener =
      (segment(v) && v.in.flag_syn &&
       (is(v.s, TcpState::kListen) || is(v.s, TcpState::kTimeWait))) ||
      kind(v, InputKind::kOtherSyn);
  return queues_bounded(v.p, v.r.next) &&
         implies(syn_to_listener && cookie_time,
                 S::ule(requests(v.r.next), requests(v.s)));
}
SBool w8_accept_queue_at_limit(const StepView& v) {
  return accept_queue(v.r.next) == v.r.next.backlog + 1u &&
         !(v.r.next.backlog == w(0));
}

// 9. At most one record per 4-tuple, and it is the one the state names.
SBool tables_consistent(const ModelState<S>& s) {
  return s.in_reqsk_table == is(s, TcpState::kSynReceived) &&
         s.in_established_table == child_state(s) &&
         s.in_timewait_table == is(s, TcpState::kTimeWait);
}
SBool p9_one_record(const StepView& v) {
  const ModelState<S>& n = v.r.next;
  const SWord records = model::as_word<S>(n.in_reqsk_table) +
                        model::as_word<S>(n.in_established_table) +
                        model::as_word<S>(n.in_timewait_table);
  return S::ule(records, w(1)) && tables_consistent(n);
}
SBool w9_reopen(const StepView& v) {
  return is(v.s, TcpState::kTimeWait) && is(v.r.next, TcpState::kSynReceived);
}

// 10. RFC 1337 and RFC 6191 in TIME-WAIT.
SBool p10_time_wait(const StepView& v) {
  const SBool tw = is(v.s, TcpState::kTimeWait) && segment(v);
  const SBool rst = v.in.flag_rst;
  const SBool reopen = v.in.flag_syn && !rst && reopen_allowed(v);
  return implies(tw && rst && v.p.rfc1337, unchanged(v)) &&
         implies(tw && is(v.r.next, TcpState::kSynReceived),
                 reopen && model::after<S>(v.r.next.iss, v.s.snd_nxt)) &&
         implies(tw && !is(v.r.next, TcpState::kTimeWait),
                 (rst && !v.p.rfc1337) || reopen);
}
SBool w10_rst_in_time_wait(const StepView& v) {
  return is(v.s, TcpState::kTimeWait) && segment(v) && v.in.flag_rst &&
         v.p.rfc1337;
}

// 11. A cookie child's MSS is at most the MSS the SYN offered.
SBool cookie_child_of_last_cookie(const StepView& v) {
  return is(v.s, TcpState::kListen) &&
         is(v.r.next, TcpState::kEstablishedQueued) && v.s.ghost_cookie_sent &&
         v.in.ack - 1u == v.s.ghost_cookie_iss;
}
SBool p11_cookie_mss(const StepView& v) {
  return implies(cookie_child_of_last_cookie(v),
                 S::ule(v.r.next.mss, v.s.ghost_cookie_offer_mss));
}
SBool w11_cookie_child(const StepView& v) {
  return cookie_child_of_last_cookie(v) &&
         S::ult(v.s.ghost_cookie_offer_mss, w(1460));
}

// 12. At most max_synack_retries timer retransmissions, then removal.
SBool p12_retries(const StepView& v) {
  const SBool sr = is(v.s, TcpState::kSynReceived);
  const SBool sr_next = is(v.r.next, TcpState::kSynReceived);
  const SBool timer = kind(v, InputKind::kTimerSynAck);
  const SWord n = v.s.retransmits;
  return implies(sr_next,
                 S::ule(v.r.next.retransmits, v.p.max_synack_retries)) &&
         implies(!sr && sr_next, v.r.next.retransmits == w(0)) &&
         implies(sr && sr_next, S::ule(n, v.r.next.retransmits)) &&
         implies(
             sr && timer && S::ult(n, v.p.max_synack_retries),
             sends(v, OutputKind::kSynAck) && v.r.next.retransmits == n + 1u) &&
         implies(sr && timer && S::ule(v.p.max_synack_retries, n),
                 !sr_next && sends(v, OutputKind::kNone));
}
SBool w12_expiry_after_retries(const StepView& v) {
  return is(v.s, TcpState::kSynReceived) && kind(v, InputKind::kTimerSynAck) &&
         v.s.retransmits == v.p.max_synack_retries &&
         !(v.p.max_synack_retries == w(0));
}

std::vector<Property> make_properties() {
  std::vector<Property> ps;
  ps.push_back({1, "handshake-or-cookie",
                "a connection becomes synchronized only by an ACK with "
                "SEG.ACK=ISS+1, SEG.SEQ=IRS+1 in SYN-RECEIVED, or an ACK "
                "whose cookie validates",
                p1_handshake, Mutation::kAcceptAnyAck, w1_cookie_child});
  ps.push_back({2, "synack-fields",
                "a SYN-ACK has SEQ=ISS, ACK=IRS+1, options offered by the "
                "SYN only, window shift <= 14",
                p2_synack, Mutation::kEchoUnofferedSack, w2_scaled_synack});
  ps.push_back({3, "listen-rejects",
                "LISTEN creates nothing and sends no SYN-ACK for RST, ACK, "
                "SYN+RST, SYN+FIN",
                p3_listen_rejects, Mutation::kListenAcceptsSynFin, w3_syn_fin});
  ps.push_back({4, "no-rst-for-rst", "no RST is ever sent in reply to a RST",
                p4_no_rst_for_rst, Mutation::kRstAnswersRst,
                w4_rst_to_request});
  ps.push_back({5, "synrecv-bad-ack",
                "an unacceptable ACK in SYN-RECEIVED gets <SEQ=SEG.ACK>"
                "<CTL=RST> and changes nothing",
                p5_bad_ack, Mutation::kBadAckRstFromSndNxt, bad_ack_premise});
  ps.push_back({6, "rst-rules",
                "RST in SYN-RECEIVED or a child state: exact -> removed, "
                "in window -> challenge ACK, else dropped",
                p6_rst_rules, Mutation::kInWindowRstResets, w6_blind_rst});
  ps.push_back({7, "syn-challenge",
                "a SYN in a synchronized state gets a challenge ACK and "
                "changes nothing (TIME-WAIT: unless RFC 6191 reopens)",
                p7_syn_challenge, Mutation::kSynResetsConnection,
                w7_syn_established});
  ps.push_back({8, "queue-bounds",
                "request socks <= SYN-queue limit, accept queue <= backlog+1; "
                "no request sock when cookies answer a full queue",
                p8_queues, Mutation::kAcceptQueueOffByOne,
                w8_accept_queue_at_limit});
  ps.push_back({9, "one-record",
                "at most one record (request, child, TIME-WAIT) per 4-tuple, "
                "and it matches the state",
                p9_one_record, Mutation::kTimeWaitStaysHashed, w9_reopen});
  ps.push_back({10, "time-wait",
                "with RFC 1337 on, RST never ends TIME-WAIT; reopening only "
                "per RFC 6191 with ISS beyond the old SND.NXT",
                p10_time_wait, Mutation::kRstEndsTimeWait,
                w10_rst_in_time_wait});
  ps.push_back({11, "cookie-mss",
                "a cookie child's MSS is at most the MSS its SYN offered",
                p11_cookie_mss, Mutation::kCookieMssRoundsUp,
                w11_cookie_child});
  ps.push_back({12, "synack-retries",
                "a request sock is retransmitted at most "
                "max_synack_retries times, then removed",
                p12_retries, Mutation::kDupSynRestartsRetries,
                w12_expiry_after_retries});
  Property wf{13,
              "well-formed",
              "in every state, for every input, exactly one row's guard "
              "holds (total and deterministic)",
              nullptr,
              Mutation::kOverlappingRstRows,
              nullptr};
  wf.well_formedness = true;
  wf.max_k = 0;
  ps.push_back(wf);
  return ps;
}

}  // namespace

SBool reachable_invariant(const Params<S>& p, const ModelState<S>& s) {
  using model::kMaxWindowScale;
  const SBool sr = is(s, TcpState::kSynReceived);
  const SBool listening_shape =
      S::ult(s.st, w(static_cast<uint32_t>(TcpState::kCount))) &&
      implies(is(s, TcpState::kClosed), !s.listening) &&
      implies(
          is(s, TcpState::kListen) || sr || is(s, TcpState::kEstablishedQueued),
          s.listening) &&
      implies(!s.listening, s.other_reqs == w(0) && s.other_queued == w(0));
  const SBool request_shape =
      implies(sr, s.rcv_nxt == s.irs + 1u && s.snd_nxt == s.iss + 1u &&
                      s.snd_una == s.iss &&
                      S::ule(s.retransmits, p.max_synack_retries) &&
                      S::ule(s.snd_wscale, w(kMaxWindowScale)) &&
                      S::ule(s.rcv_wscale, w(kMaxWindowScale)) &&
                      implies(s.ws_ok, s.ghost_offer_ws) &&
                      implies(s.sack_ok, s.ghost_offer_sack) &&
                      implies(s.ts_ok, s.ghost_offer_ts) && !s.peer_fin);
  const SBool last_cookie =
      implies(s.ghost_cookie_sent,
              S::ule(table_mss(s.ghost_cookie_iss), s.ghost_cookie_offer_mss));
  return listening_shape && queues_bounded(p, s) && tables_consistent(s) &&
         request_shape && last_cookie;
}

const std::vector<Property>& all_properties() {
  static const std::vector<Property> properties = make_properties();
  return properties;
}

const Property& property(int number) {
  for (const Property& p : all_properties()) {
    if (p.number == number) return p;
  }
  throw std::out_of_range("no property " + std::to_string(number));
}

}  // namespace tcpref::proofs
