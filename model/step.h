// The transition function, written once for every value domain.
//
// The table is data: TransitionTable::rows() hands each row (id, guard,
// action) to a visitor. step() picks the row whose guard holds; the proofs
// collect the guards to show that exactly one holds for every state and
// input (model well-formedness). Guards and actions never branch on a D::Bool
// (only D::ite), so the same code builds Z3 terms.
#ifndef TCPREF_MODEL_STEP_H_
#define TCPREF_MODEL_STEP_H_

#include <type_traits>
#include <utility>
#include <vector>

#include "model/cookie.h"
#include "model/domain.h"
#include "model/io.h"
#include "model/state.h"
#include "model/transitions.h"
#include "model/types.h"

namespace tcpref::model {

// What a row's action writes; starts as "nothing changes, nothing sent".
template <class D>
struct Effect {
  ModelState<D> next;
  Output<D> out;
  typename D::Word event;
};

template <class D>
class TransitionTable {
 public:
  using W = typename D::Word;
  using B = typename D::Bool;

  TransitionTable(const Params<D>& p, const ModelState<D>& s,
                  const Input<D>& in, Mutation mut)
      : p_(p), s_(s), in_(in), mut_(mut) {}

  // Calls v.row(Transition, guard, action) for every row, in priority order.
  template <class V>
  void rows(V& v) const;

 private:
  static W w(uint32_t v) { return D::word(v); }
  static W code(TcpState t) { return w(static_cast<uint32_t>(t)); }
  static W code(OutputKind k) { return w(static_cast<uint32_t>(k)); }
  static W code(AppEvent e) { return w(static_cast<uint32_t>(e)); }
  B st_is(TcpState t) const { return s_.st == code(t); }
  B kind_is(InputKind k) const {
    return in_.kind == w(static_cast<uint32_t>(k));
  }
  bool mutant(Mutation m) const { return mut_ == m; }

  // Segment length counting SYN and FIN (RFC 9293 §3.4).
  W seg_len() const {
    return in_.len + as_word<D>(in_.flag_syn) + as_word<D>(in_.flag_fin);
  }
  // RFC 9293 §3.10.7.4 "first, check sequence number" (the four cases).
  B acceptable() const {
    W len = seg_len();
    W wnd = s_.rcv_wnd;
    B start_in = in_range<D>(in_.seq, s_.rcv_nxt, wnd);
    B end_in = in_range<D>(in_.seq + len - 1u, s_.rcv_nxt, wnd);
    return D::ite(len == w(0),
                  D::ite(wnd == w(0), in_.seq == s_.rcv_nxt, start_in),
                  !(wnd == w(0)) && (start_in || end_in));
  }
  // The segment starts at or before RCV.NXT (of `s`, the state being
  // built): acceptable, it then overlaps or starts at RCV.NXT; otherwise it
  // lies beyond a gap.
  B in_seq(const ModelState<D>& s) const {
    return !after<D>(in_.seq, s.rcv_nxt);
  }
  // RFC 5961 §3.2: the window a RST's SEQ is judged against.
  B rst_in_window() const {
    return in_range<D>(in_.seq, s_.rcv_nxt, s_.rcv_wnd);
  }
  // RFC 5961 §5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT.
  B ack_acceptable() const {
    return !before<D>(in_.ack, s_.snd_una - s_.max_snd_wnd) &&
           !after<D>(in_.ack, s_.snd_nxt);
  }
  W queued() const {
    return s_.other_queued + as_word<D>(st_is(TcpState::kEstablishedQueued));
  }
  W requests() const {
    return s_.other_reqs + as_word<D>(st_is(TcpState::kSynReceived));
  }
  // Linux's sk_acceptq_is_full: full when more than backlog are queued, so
  // backlog N admits N + 1 children.
  B accept_queue_full() const {
    W limit =
        mutant(Mutation::kAcceptQueueOffByOne) ? s_.backlog + 1u : s_.backlog;
    return D::ult(limit, queued());
  }
  B syn_queue_full() const { return D::ule(p_.syn_queue_limit, requests()); }
  // RFC 4987 §3.6: answer with a cookie instead of allocating.
  B want_cookie() const {
    return !(p_.cookie_mode == w(0)) &&
           (p_.cookie_mode == w(static_cast<uint32_t>(CookieMode::kAlways)) ||
            syn_queue_full());
  }
  W offer() const { return offered_mss<D>(in_.mss_present, in_.mss); }
  W send_mss() const { return effective_mss<D>(offer(), p_.our_mss); }
  // RCV.WND once synchronized: the free receive buffer, up to what the
  // window field can carry with our shift (RFC 7323 §2.2; the SYN-ACK's
  // window is unscaled, so it offers at most 65535).
  W open_window(const W& shift) const {
    return umin<D>(p_.rcv_wnd, w(0xFFFF) << umin<D>(shift, w(kMaxWindowScale)));
  }
  W no_record_state() const {
    return D::ite(s_.listening, code(TcpState::kListen),
                  code(TcpState::kClosed));
  }

  // ---- actions -----------------------------------------------------------
  void reply_ack(Effect<D>& e, OutputKind kind) const;
  void reply_reset(Effect<D>& e) const;
  void reply_abort(Effect<D>& e) const;
  void reply_synack(Effect<D>& e) const;
  void reply_fin(Effect<D>& e) const;
  void send_cookie(Effect<D>& e) const;
  void create_request(Effect<D>& e, const W& iss) const;
  void create_cookie_child(Effect<D>& e, const W& mss_index) const;
  void remove_record(Effect<D>& e) const;
  void enter_time_wait(Effect<D>& e) const;
  void take_ack(Effect<D>& e) const;
  void take_data(Effect<D>& e) const;

  const Params<D>& p_;
  const ModelState<D>& s_;
  const Input<D>& in_;
  Mutation mut_;
};

// ---------------------------------------------------------------------------
// Actions.

template <class D>
void TransitionTable<D>::reply_ack(Effect<D>& e, OutputKind kind) const {
  const ModelState<D>& n = e.next;
  Output<D> o;
  o.kind = code(kind);
  o.seq = n.snd_nxt;
  o.ack = n.rcv_nxt;
  o.flag_ack = D::boolean(true);
  o.wnd = n.rcv_wnd >> umin<D>(n.rcv_wscale, w(kMaxWindowScale));
  o.ts_present = n.ts_ok;
  o.tsval = D::ite(n.ts_ok, in_.now, w(0));
  o.tsecr = D::ite(n.ts_ok, n.ts_recent, w(0));
  e.out = o;
}

// RFC 9293 §3.10.7.1: with ACK, <SEQ=SEG.ACK><CTL=RST>; without,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
template <class D>
void TransitionTable<D>::reply_reset(Effect<D>& e) const {
  Output<D> o;
  o.kind = code(OutputKind::kRst);
  o.seq = D::ite(in_.flag_ack, in_.ack, w(0));
  o.ack = D::ite(in_.flag_ack, w(0), in_.seq + seg_len());
  o.flag_ack = !in_.flag_ack;
  e.out = o;
}

// RFC 9293 §3.10.4 (ABORT): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>, with the
// window and timestamps of any segment of the connection, as Linux's
// tcp_send_active_reset builds it.
template <class D>
void TransitionTable<D>::reply_abort(Effect<D>& e) const {
  reply_ack(e, OutputKind::kRst);
}

// RFC 9293 §3.10.7.2; options per RFC 7323 §2.2/§3.2 and RFC 2018 §2: only
// what the SYN offered and we enable. MSS is always announced (§3.7.1).
template <class D>
void TransitionTable<D>::reply_synack(Effect<D>& e) const {
  const ModelState<D>& n = e.next;
  Output<D> o;
  o.kind = code(OutputKind::kSynAck);
  o.seq = n.iss;
  o.ack = n.irs + 1u;
  o.flag_ack = D::boolean(true);
  o.wnd = n.rcv_wnd;
  o.mss_present = D::boolean(true);
  o.mss = p_.our_mss;
  o.ws_present = n.ws_ok;
  o.ws = n.rcv_wscale;
  o.sack_permitted = n.sack_ok;
  o.ts_present = n.ts_ok;
  o.tsval = D::ite(n.ts_ok, in_.now, w(0));
  o.tsecr = n.ts_recent;
  e.out = o;
}

template <class D>
void TransitionTable<D>::reply_fin(Effect<D>& e) const {
  reply_ack(e, OutputKind::kFin);
  e.next.snd_nxt = e.next.snd_nxt + 1u;
}

// RFC 4987 §3.6: no state; the ISS is the cookie. The cookie SYN-ACK carries
// only MSS (no window scale, SACK or timestamps; see docs/MODEL.md).
template <class D>
void TransitionTable<D>::send_cookie(Effect<D>& e) const {
  W index =
      cookie_mss_index<D>(send_mss(), mutant(Mutation::kCookieMssRoundsUp));
  W cookie = make_cookie<D>(p_, in_.seq, s_.cookie_clock, index);
  Output<D> o;
  o.kind = code(OutputKind::kSynAck);
  o.seq = cookie;
  o.ack = in_.seq + 1u;
  o.flag_ack = D::boolean(true);
  o.wnd = umin<D>(p_.rcv_wnd, w(0xFFFF));
  o.mss_present = D::boolean(true);
  o.mss = p_.our_mss;
  e.out = o;
  e.next.ghost_cookie_sent = D::boolean(true);
  e.next.ghost_cookie_iss = cookie;
  e.next.ghost_cookie_offer_mss = umax<D>(offer(), w(kMinMss));
}

// RFC 9293 §3.10.7.2: IRS = SEG.SEQ, RCV.NXT = SEG.SEQ+1, SND.NXT = ISS+1.
template <class D>
void TransitionTable<D>::create_request(Effect<D>& e, const W& iss) const {
  ModelState<D>& n = e.next;
  n.st = code(TcpState::kSynReceived);
  n.in_reqsk_table = D::boolean(true);
  n.in_established_table = D::boolean(false);
  if (!mutant(Mutation::kTimeWaitStaysHashed)) {
    n.in_timewait_table = D::boolean(false);
  }
  n.iss = iss;
  n.irs = in_.seq;
  n.snd_una = iss;
  n.snd_nxt = iss + 1u;
  n.rcv_nxt = in_.seq + 1u;
  n.rcv_wnd = umin<D>(p_.rcv_wnd, w(0xFFFF));
  n.snd_wnd = in_.wnd;  // never scaled in a SYN (RFC 7323 §2.2)
  // SND.WL1 = IRS: the completing ACK (SEG.SEQ = IRS+1) sets the window.
  n.snd_wl1 = in_.seq;
  n.snd_wl2 = iss;
  n.max_snd_wnd = in_.wnd;
  n.ws_ok = p_.ws_enabled && in_.ws_present;
  // RFC 7323 §2.3: a shift above 14 is used as 14.
  n.snd_wscale = D::ite(n.ws_ok, umin<D>(in_.ws, w(kMaxWindowScale)), w(0));
  n.rcv_wscale =
      D::ite(n.ws_ok, umin<D>(p_.rcv_wscale, w(kMaxWindowScale)), w(0));
  n.sack_ok = mutant(Mutation::kEchoUnofferedSack)
                  ? p_.sack_enabled
                  : p_.sack_enabled && in_.sack_permitted;
  n.ts_ok = p_.ts_enabled && in_.ts_present;
  n.ts_recent = D::ite(n.ts_ok, in_.tsval, w(0));
  n.mss = send_mss();
  n.retransmits = w(0);
  n.peer_fin = D::boolean(false);
  n.from_cookie = D::boolean(false);
  n.ghost_offer_ws = in_.ws_present;
  n.ghost_offer_sack = in_.sack_permitted;
  n.ghost_offer_ts = in_.ts_present;
  reply_synack(e);
}

// RFC 4987 §3.6: rebuild the connection from the ACK: ISS = SEG.ACK-1,
// IRS = SEG.SEQ-1, MSS from the cookie's table index.
template <class D>
void TransitionTable<D>::create_cookie_child(Effect<D>& e,
                                             const W& mss_index) const {
  ModelState<D>& n = e.next;
  n.st = code(TcpState::kEstablishedQueued);
  n.in_reqsk_table = D::boolean(false);
  n.in_established_table = D::boolean(true);
  n.in_timewait_table = D::boolean(false);
  n.iss = in_.ack - 1u;
  n.irs = in_.seq - 1u;
  n.snd_una = in_.ack;
  n.snd_nxt = in_.ack;
  n.rcv_nxt = in_.seq;
  n.rcv_wnd = open_window(w(0));  // a cookie child never scales
  // RFC 9293 §3.10.7.4 SYN-RECEIVED: SND.WL1 = SEG.SEQ, SND.WL2 = SEG.ACK.
  n.snd_wnd = in_.wnd;
  n.snd_wl1 = in_.seq;
  n.snd_wl2 = in_.ack;
  n.max_snd_wnd = in_.wnd;
  n.mss = umin<D>(cookie_table_mss<D>(mss_index), p_.our_mss);
  n.ws_ok = D::boolean(false);
  n.snd_wscale = w(0);
  n.rcv_wscale = w(0);
  n.sack_ok = D::boolean(false);
  n.ts_ok = D::boolean(false);
  n.ts_recent = w(0);
  n.retransmits = w(0);
  n.from_cookie = D::boolean(true);
  n.peer_fin = in_.flag_fin;
  take_data(e);
  e.event = code(AppEvent::kQueued);
}

template <class D>
void TransitionTable<D>::remove_record(Effect<D>& e) const {
  ModelState<D>& n = e.next;
  n.st = no_record_state();
  n.in_reqsk_table = D::boolean(false);
  n.in_established_table = D::boolean(false);
  n.in_timewait_table = D::boolean(false);
  n.peer_fin = D::boolean(false);
}

template <class D>
void TransitionTable<D>::enter_time_wait(Effect<D>& e) const {
  e.next.st = code(TcpState::kTimeWait);
  e.next.in_established_table = D::boolean(false);
  e.next.in_timewait_table = D::boolean(true);
}

// RFC 9293 §3.10.7.4 "fifth, check the ACK field" for an acceptable ACK
// (SEG.ACK =< SND.NXT): SND.UNA advances; the window is taken only from an
// ACK at or above SND.UNA and a segment not older than the last update
// (SND.WL1/SND.WL2), so a reordered segment cannot shrink it.
template <class D>
void TransitionTable<D>::take_ack(Effect<D>& e) const {
  ModelState<D>& n = e.next;
  n.snd_una = D::ite(after<D>(in_.ack, s_.snd_una), in_.ack, s_.snd_una);
  const B newer = before<D>(s_.snd_wl1, in_.seq) ||
                  (s_.snd_wl1 == in_.seq && !before<D>(in_.ack, s_.snd_wl2));
  const B update = !before<D>(in_.ack, s_.snd_una) && newer;
  n.snd_wnd =
      D::ite(update, in_.wnd << umin<D>(s_.snd_wscale, w(kMaxWindowScale)),
             s_.snd_wnd);
  n.snd_wl1 = D::ite(update, in_.seq, s_.snd_wl1);
  n.snd_wl2 = D::ite(update, in_.ack, s_.snd_wl2);
  n.max_snd_wnd = umax<D>(s_.max_snd_wnd, n.snd_wnd);
  // RFC 7323 §4.3: TS.Recent only from a segment that starts at or before
  // Last.ACK.sent, which is RCV.NXT here (every ACK goes out at once).
  n.ts_recent =
      D::ite(s_.ts_ok && in_.ts_present && in_seq(n), in_.tsval, s_.ts_recent);
}

// RFC 9293 §3.10.7.4 "seventh/eighth": text and FIN starting at or before
// RCV.NXT advance it (duplicate bytes trimmed); text or FIN beyond it is
// dropped (choice 9: no reassembly). Either way it is acknowledged at once
// (RFC 5681 §4.2: out-of-order segments draw an immediate duplicate ACK).
template <class D>
void TransitionTable<D>::take_data(Effect<D>& e) const {
  ModelState<D>& n = e.next;
  n.rcv_nxt = D::ite(in_seq(n), in_.seq + in_.len + as_word<D>(in_.flag_fin),
                     n.rcv_nxt);
  Output<D> none = e.out;
  reply_ack(e, OutputKind::kAck);
  e.out = select<D>(!(in_.len == w(0)) || in_.flag_fin, e.out, none);
}

// ---------------------------------------------------------------------------
// The table.

template <class D>
template <class V>
void TransitionTable<D>::rows(V& v) const {
  using T = Transition;
  using S = TcpState;
  using E = Effect<D>;
  auto nothing = [](E&) {};
  const B seg = kind_is(InputKind::kSegment);
  const B syn = in_.flag_syn;
  const B ack = in_.flag_ack;
  const B rst = in_.flag_rst;
  const B fin = in_.flag_fin;
  const B exact = in_.seq == s_.rcv_nxt;
  const B ok_seq = acceptable();
  const B rst_window = rst_in_window();
  const B q_full = accept_queue_full();
  const B r_full = syn_queue_full();
  const B cookie = want_cookie();

  // ---- CLOSED: RFC 9293 §3.10.7.1 ----------------------------------------
  const B closed = seg && st_is(S::kClosed);
  const B rst_c = mutant(Mutation::kRstAnswersRst) ? D::boolean(false) : rst;
  v.row(T::kClosedRst, closed && rst_c, nothing);
  v.row(T::kClosedReset, closed && !rst_c, [&](E& e) { reply_reset(e); });

  // ---- LISTEN: RFC 9293 §3.10.7.2, RFC 4987 ------------------------------
  const B listen = seg && st_is(S::kListen);
  const CookieCheck<D> ck =
      check_cookie<D>(p_, in_.seq, in_.ack, s_.cookie_clock);
  const B cookies_on = !(p_.cookie_mode == w(0));
  const B l_ack = listen && !rst && ack;
  const B l_cookie = l_ack && !syn && cookies_on && ck.valid;
  v.row(T::kListenRst, listen && rst, nothing);
  v.row(T::kListenAckCookie, l_cookie && !q_full,
        [&](E& e) { create_cookie_child(e, ck.mss_index); });
  v.row(T::kListenAckCookieOverflow, l_cookie && q_full, nothing);
  v.row(T::kListenAckReset, l_ack && (syn || !cookies_on || !ck.valid),
        [&](E& e) { reply_reset(e); });
  const B l_syn = listen && !rst && !ack && syn;
  const B syn_fin =
      mutant(Mutation::kListenAcceptsSynFin) ? D::boolean(false) : fin;
  v.row(T::kListenSynFin, l_syn && syn_fin, nothing);
  const B l_new = l_syn && !syn_fin;
  v.row(T::kListenSynAcceptQueueFull, l_new && q_full, nothing);
  v.row(T::kListenSynRequest, l_new && !q_full && !cookie && !r_full,
        [&](E& e) { create_request(e, in_.isn); });
  v.row(T::kListenSynQueueFullDrop, l_new && !q_full && !cookie && r_full,
        nothing);
  v.row(T::kListenSynCookie, l_new && !q_full && cookie,
        [&](E& e) { send_cookie(e); });
  v.row(T::kListenNoSynNoAck, listen && !rst && !ack && !syn, nothing);

  // ---- SYN-RECEIVED: RFC 9293 §3.10.7.4, RFC 5961 §3.2 -------------------
  const B sr = seg && st_is(S::kSynReceived);
  const B sr_rst = sr && rst;
  const B not_exact =
      mutant(Mutation::kOverlappingRstRows) ? D::boolean(true) : !exact;
  v.row(T::kSynRecvRstExact, sr_rst && exact, [&](E& e) { remove_record(e); });
  v.row(T::kSynRecvRstChallenge, sr_rst && not_exact && rst_window,
        [&](E& e) { reply_ack(e, OutputKind::kChallengeAck); });
  v.row(T::kSynRecvRstOutOfWindow, sr_rst && !exact && !rst_window, nothing);
  const B sr_live = sr && !rst;
  const B dup_syn = syn && !ack && !fin && in_.seq == s_.irs;
  const B bad_ack = mutant(Mutation::kAcceptAnyAck)
                        ? D::boolean(false)
                        : ack && !(in_.ack == s_.snd_nxt);
  v.row(T::kSynRecvDupSyn, sr_live && dup_syn, [&](E& e) {
    reply_synack(e);
    if (mutant(Mutation::kDupSynRestartsRetries)) e.next.retransmits = w(0);
  });
  v.row(T::kSynRecvBadAck, sr_live && !dup_syn && bad_ack, [&](E& e) {
    reply_reset(e);
    if (mutant(Mutation::kBadAckRstFromSndNxt)) e.out.seq = s_.snd_nxt;
  });
  const B sr_ok = sr_live && !dup_syn && !bad_ack;
  v.row(T::kSynRecvOutOfWindow, sr_ok && !ok_seq,
        [&](E& e) { reply_ack(e, OutputKind::kAck); });
  v.row(T::kSynRecvSyn, sr_ok && ok_seq && syn, [&](E& e) {
    reply_reset(e);
    remove_record(e);
  });
  v.row(T::kSynRecvNoAck, sr_ok && ok_seq && !syn && !ack, nothing);
  const B sr_ack = sr_ok && ok_seq && !syn && ack;
  v.row(T::kSynRecvOutOfOrder, sr_ack && !exact,
        [&](E& e) { reply_ack(e, OutputKind::kAck); });
  v.row(T::kSynRecvComplete, sr_ack && exact && !q_full, [&](E& e) {
    e.next.st = code(S::kEstablishedQueued);
    e.next.in_reqsk_table = D::boolean(false);
    e.next.in_established_table = D::boolean(true);
    e.next.peer_fin = fin;
    e.next.rcv_wnd = open_window(s_.rcv_wscale);
    take_ack(e);
    take_data(e);
    e.event = code(AppEvent::kQueued);
  });
  v.row(T::kSynRecvOverflowDrop,
        sr_ack && exact && q_full && !p_.abort_on_overflow, nothing);
  v.row(T::kSynRecvOverflowRst,
        sr_ack && exact && q_full && p_.abort_on_overflow, [&](E& e) {
          reply_reset(e);
          remove_record(e);
        });

  // ---- synchronized states: RFC 9293 §3.10.7.4, RFC 5961 -----------------
  const B sync = seg && D::ule(code(S::kEstablishedQueued), s_.st) &&
                 D::ule(s_.st, code(S::kClosing));
  const B reset_rst = mutant(Mutation::kInWindowRstResets)
                          ? rst && (exact || rst_window)
                          : rst && exact;
  v.row(T::kSyncRstExact, sync && reset_rst, [&](E& e) {
    remove_record(e);
    e.event = code(AppEvent::kReset);
  });
  v.row(T::kSyncRstChallenge, sync && rst && !exact && rst_window,
        [&](E& e) { reply_ack(e, OutputKind::kChallengeAck); });
  v.row(T::kSyncRstOutOfWindow, sync && rst && !exact && !rst_window, nothing);
  // RFC 5961 §4.2: any SYN, whatever its SEQ.
  v.row(T::kSyncSynChallenge, sync && !rst && syn, [&](E& e) {
    if (mutant(Mutation::kSynResetsConnection)) {
      reply_reset(e);
      remove_record(e);
      e.event = code(AppEvent::kReset);
    } else {
      reply_ack(e, OutputKind::kChallengeAck);
    }
  });
  const B sy = sync && !rst && !syn;
  v.row(T::kSyncOutOfWindow, sy && !ok_seq,
        [&](E& e) { reply_ack(e, OutputKind::kAck); });
  v.row(T::kSyncNoAck, sy && ok_seq && !ack, nothing);
  const B ack_ok = ack_acceptable();
  v.row(T::kSyncAckUnacceptable, sy && ok_seq && ack && !ack_ok,
        [&](E& e) { reply_ack(e, OutputKind::kAck); });
  // RFC 9293 §3.10.7.4 "fifth": from here on the segment is acceptable and
  // its ACK field is processed whether or not it starts at RCV.NXT; only
  // text and FIN depend on the order (take_data, fin_in).
  // RFC 1122 §4.2.2.13: after close() nobody reads, so new data draws a
  // RST (Linux TCPAbortOnData), in order or not. The ACK is taken first.
  const B ack_taken = sy && ok_seq && ack && ack_ok;
  const B abort_data = ack_taken &&
                       (st_is(S::kFinWait1) || st_is(S::kFinWait2)) &&
                       !(in_.len == w(0));
  // The RST answers the segment, <SEQ=SEG.ACK><CTL=RST> (Linux replies so,
  // tcp_v4_send_reset): SEG.ACK is the peer's RCV.NXT, so an RFC 5961 peer
  // takes it, where SND.NXT is one past while our FIN is unacknowledged.
  v.row(T::kFinWaitDataAbort, abort_data, [&](E& e) {
    take_ack(e);
    reply_reset(e);
    remove_record(e);
  });
  const B io = ack_taken && !abort_data;
  // A FIN is taken only in sequence (RFC 9293 §3.10.7.4 "eighth").
  const B fin_in = fin && in_seq(s_);
  const B fin_acked = in_.ack == s_.snd_nxt;
  auto ack_only = [&](E& e) { take_ack(e); };
  auto ack_data = [&](E& e) {
    take_ack(e);
    take_data(e);
  };
  const B queued_st = io && st_is(S::kEstablishedQueued);
  v.row(T::kQueuedSegment, queued_st && !s_.peer_fin, [&](E& e) {
    ack_data(e);
    e.next.peer_fin = fin_in;
  });
  v.row(T::kQueuedAfterFin, queued_st && s_.peer_fin, ack_only);
  v.row(T::kEstablishedSegment, io && st_is(S::kEstablished), [&](E& e) {
    ack_data(e);
    e.next.st = D::ite(fin_in, code(S::kCloseWait), s_.st);
  });
  v.row(T::kCloseWaitSegment, io && st_is(S::kCloseWait), ack_only);
  const B last_ack = io && st_is(S::kLastAck);
  v.row(T::kLastAckFinAcked, last_ack && fin_acked, [&](E& e) {
    take_ack(e);
    remove_record(e);
    e.event = code(AppEvent::kClosed);
  });
  v.row(T::kLastAckSegment, last_ack && !fin_acked, ack_only);
  const B fw1 = io && st_is(S::kFinWait1);
  v.row(T::kFinWait1FinAckedFin, fw1 && fin_acked && fin_in, [&](E& e) {
    ack_data(e);
    enter_time_wait(e);
  });
  v.row(T::kFinWait1FinAcked, fw1 && fin_acked && !fin_in, [&](E& e) {
    ack_data(e);
    e.next.st = code(S::kFinWait2);
  });
  v.row(T::kFinWait1Fin, fw1 && !fin_acked && fin_in, [&](E& e) {
    ack_data(e);
    e.next.st = code(S::kClosing);
  });
  v.row(T::kFinWait1Segment, fw1 && !fin_acked && !fin_in, ack_data);
  const B fw2 = io && st_is(S::kFinWait2);
  v.row(T::kFinWait2Fin, fw2 && fin_in, [&](E& e) {
    ack_data(e);
    enter_time_wait(e);
  });
  v.row(T::kFinWait2Segment, fw2 && !fin_in, ack_data);
  const B closing = io && st_is(S::kClosing);
  v.row(T::kClosingFinAcked, closing && fin_acked, [&](E& e) {
    take_ack(e);
    enter_time_wait(e);
  });
  v.row(T::kClosingSegment, closing && !fin_acked, ack_only);

  // ---- TIME-WAIT: RFC 9293 §3.10.7.4, RFC 1337, RFC 6191 -----------------
  const B tw = seg && st_is(S::kTimeWait);
  const B rfc1337 =
      mutant(Mutation::kRstEndsTimeWait) ? D::boolean(false) : p_.rfc1337;
  v.row(T::kTimeWaitRstIgnored1337, tw && rst && rfc1337, nothing);
  v.row(T::kTimeWaitRstKill, tw && rst && !rfc1337 && exact,
        [&](E& e) { remove_record(e); });
  v.row(T::kTimeWaitRstIgnored, tw && rst && !rfc1337 && !exact, nothing);
  // RFC 6191 §2: with timestamps on both sides, a newer TSval; otherwise a
  // SEQ beyond RCV.NXT (RFC 1122 §4.2.2.13).
  const B newer =
      D::ite(s_.ts_ok && in_.ts_present, after<D>(in_.tsval, s_.ts_recent),
             after<D>(in_.seq, s_.rcv_nxt));
  const B reopen_shape = syn && !ack && !fin && newer;
  const B reopen = tw && !rst && reopen_shape;
  const B here = reopen && s_.listening;
  // The new ISS lies beyond the old sequence space (never 0, as Linux).
  const W tw_iss = s_.snd_nxt + kTimeWaitIssGap;
  const W new_iss = D::ite(tw_iss == w(0), w(1), tw_iss);
  v.row(T::kTimeWaitReopenRequest, here && !q_full && !cookie && !r_full,
        [&](E& e) { create_request(e, new_iss); });
  v.row(T::kTimeWaitReopenCookie, here && !q_full && cookie, [&](E& e) {
    remove_record(e);
    send_cookie(e);
  });
  v.row(T::kTimeWaitReopenDrop, here && (q_full || (!cookie && r_full)),
        [&](E& e) { remove_record(e); });
  v.row(T::kTimeWaitReopenNoListener, reopen && !s_.listening,
        [&](E& e) { reply_ack(e, OutputKind::kChallengeAck); });
  v.row(T::kTimeWaitSynChallenge, tw && !rst && syn && !reopen_shape,
        [&](E& e) { reply_ack(e, OutputKind::kChallengeAck); });
  const B bare = !fin && exact && in_.len == w(0);
  v.row(T::kTimeWaitBareAck, tw && !rst && !syn && bare, nothing);
  v.row(T::kTimeWaitAck, tw && !rst && !syn && !bare,
        [&](E& e) { reply_ack(e, OutputKind::kAck); });

  v.row(T::kInvalidState, seg && D::ule(code(S::kCount), s_.st), nothing);

  // ---- timers ------------------------------------------------------------
  const B t_synack = kind_is(InputKind::kTimerSynAck);
  const B sr_state = st_is(S::kSynReceived);
  const B retry = D::ult(s_.retransmits, p_.max_synack_retries);
  v.row(T::kSynAckRetransmit, t_synack && sr_state && retry, [&](E& e) {
    e.next.retransmits = s_.retransmits + 1u;
    reply_synack(e);
  });
  v.row(T::kSynAckExpire, t_synack && sr_state && !retry,
        [&](E& e) { remove_record(e); });
  v.row(T::kSynAckTimerIdle, t_synack && !sr_state, nothing);
  const B t_tw = kind_is(InputKind::kTimerTimeWait);
  v.row(T::kTimeWaitExpire, t_tw && st_is(S::kTimeWait),
        [&](E& e) { remove_record(e); });
  v.row(T::kTimeWaitTimerIdle, t_tw && !st_is(S::kTimeWait), nothing);
  v.row(T::kCookieClockTick, kind_is(InputKind::kTimerCookieClock),
        [&](E& e) { e.next.cookie_clock = s_.cookie_clock + 1u; });

  // ---- application calls -------------------------------------------------
  const B listen_call = kind_is(InputKind::kAppListen);
  v.row(T::kAppListenOpen, listen_call && !s_.listening, [&](E& e) {
    e.next.listening = D::boolean(true);
    e.next.backlog = umin<D>(in_.backlog, w(kMaxBacklog));
    e.next.st = D::ite(st_is(S::kClosed), code(S::kListen), s_.st);
  });
  v.row(T::kAppListenIgnored, listen_call && s_.listening, nothing);
  const B accept_call = kind_is(InputKind::kAppAccept);
  const B queued_now = st_is(S::kEstablishedQueued);
  v.row(T::kAppAcceptChild, accept_call && queued_now, [&](E& e) {
    e.next.st = D::ite(s_.peer_fin, code(S::kCloseWait), code(S::kEstablished));
    e.next.peer_fin = D::boolean(false);
    e.event = code(AppEvent::kAccepted);
  });
  v.row(T::kAppAcceptNothing, accept_call && !queued_now, nothing);
  const B close_call = kind_is(InputKind::kAppClose);
  const B est = st_is(S::kEstablished);
  const B close_wait = st_is(S::kCloseWait);
  v.row(T::kAppCloseEstablished, close_call && est, [&](E& e) {
    reply_fin(e);
    e.next.st = code(S::kFinWait1);
  });
  v.row(T::kAppCloseCloseWait, close_call && close_wait, [&](E& e) {
    reply_fin(e);
    e.next.st = code(S::kLastAck);
  });
  v.row(T::kAppCloseIgnored, close_call && !est && !close_wait, nothing);
  const B unlisten = kind_is(InputKind::kAppCloseListener) && s_.listening;
  auto close_listener = [&](E& e) {
    e.next.listening = D::boolean(false);
    e.next.other_reqs = w(0);
    e.next.other_queued = w(0);
  };
  auto close_listener_and_record = [&](E& e) {
    close_listener(e);
    remove_record(e);
    e.next.st = code(S::kClosed);
  };
  v.row(T::kAppCloseListenerListen, unlisten && st_is(S::kListen),
        close_listener_and_record);
  v.row(T::kAppCloseListenerSynRecv, unlisten && sr_state,
        close_listener_and_record);
  v.row(T::kAppCloseListenerQueued, unlisten && queued_now, [&](E& e) {
    reply_abort(e);
    close_listener_and_record(e);
    e.event = code(AppEvent::kAborted);
  });
  v.row(T::kAppCloseListenerOther,
        unlisten && !st_is(S::kListen) && !sr_state && !queued_now,
        close_listener);
  v.row(T::kAppCloseListenerIgnored,
        kind_is(InputKind::kAppCloseListener) && !s_.listening, nothing);

  // ---- other 4-tuples ----------------------------------------------------
  const B other_syn = kind_is(InputKind::kOtherSyn);
  const B room = s_.listening && !q_full && !cookie && !r_full;
  v.row(T::kOtherSynRequest, other_syn && room,
        [&](E& e) { e.next.other_reqs = s_.other_reqs + 1u; });
  v.row(T::kOtherSynNoRequest, other_syn && !room, nothing);
  const B expire = kind_is(InputKind::kOtherExpire);
  const B have_req = !(s_.other_reqs == w(0));
  v.row(T::kOtherExpire, expire && have_req,
        [&](E& e) { e.next.other_reqs = s_.other_reqs - 1u; });
  v.row(T::kOtherExpireNone, expire && !have_req, nothing);
  const B complete = kind_is(InputKind::kOtherComplete);
  const B can_complete = have_req && !q_full;
  v.row(T::kOtherComplete, complete && can_complete, [&](E& e) {
    e.next.other_reqs = s_.other_reqs - 1u;
    e.next.other_queued = s_.other_queued + 1u;
  });
  // Linux tcp_abort_on_overflow: the other request sock is reset and goes,
  // as the tracked one does (kSynRecvOverflowRst).
  const B overflow_rst = have_req && q_full && p_.abort_on_overflow;
  v.row(T::kOtherCompleteOverflowRst, complete && overflow_rst,
        [&](E& e) { e.next.other_reqs = s_.other_reqs - 1u; });
  v.row(T::kOtherCompleteNone, complete && !can_complete && !overflow_rst,
        nothing);
  const B other_accept = kind_is(InputKind::kOtherAccept);
  const B have_child = !(s_.other_queued == w(0));
  v.row(T::kOtherAccept, other_accept && have_child,
        [&](E& e) { e.next.other_queued = s_.other_queued - 1u; });
  v.row(T::kOtherAcceptNone, other_accept && !have_child, nothing);

  v.row(T::kInvalidInput,
        D::ule(w(static_cast<uint32_t>(InputKind::kCount)), in_.kind), nothing);
}

// ---------------------------------------------------------------------------
// Visitors.

// Takes the first row whose guard holds. Concretely only that row's action
// runs; symbolically every action runs and the results are merged with ite,
// giving the same first-match semantics as a term.
template <class D>
class Stepper {
 public:
  using B = typename D::Bool;
  explicit Stepper(const ModelState<D>& s)
      : initial_(s), matched_(D::boolean(false)) {
    result_.next = s;
    result_.event = D::word(static_cast<uint32_t>(AppEvent::kNone));
    result_.transition = D::word(static_cast<uint32_t>(Transition::kNoRow));
  }

  template <class A>
  void row(Transition t, const B& guard, A&& action) {
    if constexpr (std::is_same_v<D, Concrete>) {
      if (matched_ || !guard) return;
    }
    Effect<D> e{initial_, Output<D>{},
                D::word(static_cast<uint32_t>(AppEvent::kNone))};
    action(e);
    const B take = guard && !matched_;
    result_.next = select<D>(take, e.next, result_.next);
    result_.out = select<D>(take, e.out, result_.out);
    result_.event = D::ite(take, e.event, result_.event);
    result_.transition =
        D::ite(take, D::word(static_cast<uint32_t>(t)), result_.transition);
    matched_ = matched_ || guard;
  }

  StepResult<D> result() const { return result_; }

 private:
  ModelState<D> initial_;
  StepResult<D> result_;
  B matched_;
};

// Collects every row's guard (for the well-formedness proof and tests).
template <class D>
class GuardCollector {
 public:
  template <class A>
  void row(Transition t, const typename D::Bool& guard, A&&) {
    guards.emplace_back(t, guard);
  }
  std::vector<std::pair<Transition, typename D::Bool>> guards;
};

// One step of the model. Total and deterministic: exactly one row's guard
// holds for every state and input (proven in proofs/, property 13).
template <class D>
StepResult<D> step(const Params<D>& p, const ModelState<D>& s,
                   const Input<D>& in, Mutation mut = Mutation::kNone) {
  Stepper<D> v(s);
  TransitionTable<D>(p, s, in, mut).rows(v);
  return v.result();
}

template <class D>
std::vector<std::pair<Transition, typename D::Bool>> guards(
    const Params<D>& p, const ModelState<D>& s, const Input<D>& in,
    Mutation mut = Mutation::kNone) {
  GuardCollector<D> v;
  TransitionTable<D>(p, s, in, mut).rows(v);
  return v.guards;
}

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_STEP_H_
