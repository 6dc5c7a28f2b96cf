// A TCP Fast Open child in SYN-RECEIVED (RFC 7413 §4.2.2): a full
// connection made from the SYN, already in the accept queue with the SYN's
// data readable, waiting for the ACK of its SYN-ACK. Segments meet the
// same rules as a request sock's (check_req.cc); the ACK moves it to
// ESTABLISHED and is then processed as an ESTABLISHED segment.
// Linux: tcp_check_req with a fastopen child, tcp_rcv_synrecv_state_fastopen.
#include <algorithm>

#include "impl/tcp/connection.h"
#include "impl/tcp/isn.h"
#include "impl/tcp/reset.h"
#include "impl/tcp/seq.h"
#include "impl/tcp/synack.h"

namespace tcpref::tcp {

void Connection::send_fast_open_synack(
    ConnectionEnv& env, const std::optional<wire::FastOpenCookie>& cookie) {
  SynOptions o;
  o.mss = mss;
  o.wscale_ok = wscale_ok;
  o.snd_wscale = snd.wscale;
  o.rcv_wscale = rcv.wscale;
  o.sack_ok = sack_ok;
  o.ts_ok = ts_ok;
  o.ecn_ok = ecn_ok;
  o.ts_recent = rcv.ts_recent;
  // RFC 7413 §4.2.2: the SYN-ACK acknowledges the SYN's data (RCV.NXT).
  wire::Segment s =
      make_synack(env.config, tuple, snd.iss, rcv.nxt - 1, o,
                  ts_clock(env.now) + ts_offset, sockopt.max_segment);
  s.options.fast_open = cookie;
  env.output.send(s);
}

ConnectionResult Connection::on_fast_open_syn_received(const wire::Segment& seg,
                                                       ConnectionEnv& env) {
  using namespace wire::flags;
  Counters& c = env.counters;
  // A retransmitted SYN: our SYN-ACK was lost; send it again.
  if ((seg.flags & (kSyn | kAck | kRst | kFin)) == kSyn && seg.seq == rcv.irs) {
    ++c.TCPSynRetrans;
    ++c.RetransSegs;
    send_fast_open_synack(env);
    return {Verdict::kAccepted};
  }
  // RFC 5961 §3.2: an exact RST aborts, an in-window one draws a challenge
  // ACK, anything else is dropped.
  if (seg.has(kRst)) {
    ++c.InRsts;
    if (seg.seq == rcv.nxt) {
      ++c.EmbryonicRsts;
      ++c.AttemptFails;
      peer_reset = true;
      set_state(TcpState::kClosed, c);
      snd.timer_due = Time{0};
      return {Verdict::kAccepted, ConnectionEvent::kClosed};
    }
    return on_rst_not_exact(seg, env);
  }
  // RFC 9293 §3.10.7.4 "fifth": SND.UNA < SEG.ACK =< SND.NXT, where our
  // SYN is ISS (SND.UNA is kept past it, as the data we may have sent
  // already starts there); otherwise <SEQ=SEG.ACK><CTL=RST>.
  if (seg.has(kAck) &&
      !(seq_after(seg.ack, snd.iss) && seq_before_eq(seg.ack, snd.nxt))) {
    ++c.TCPReqBadAckRst;
    if (const auto rst = reset_for(seg)) env.output.send(*rst);
    return {Verdict::kDroppedInvalid};
  }
  // RFC 7323 §3.2 and §5.3 R1, as for a request sock.
  if (const auto reject = timestamp_reject(seg, env)) return *reject;
  // "first": unacceptable segments get an ACK.
  if (!seq_segment_acceptable(seg.seq, seg.seg_len(), rcv.nxt, rcv_wnd())) {
    ++c.TCPOutOfWindowDrop;
    send_ack(env);
    return {Verdict::kDroppedInvalid};
  }
  // "fourth": a new SYN in the window aborts the embryonic connection; with
  // a RST, as for a request sock.
  if (seg.has(kSyn)) {
    ++c.AttemptFails;
    if (const auto rst = reset_for(seg)) env.output.send(*rst);
    set_state(TcpState::kClosed, c);
    snd.timer_due = Time{0};
    return {Verdict::kDroppedInvalid, ConnectionEvent::kClosed};
  }
  if (!seg.has(kAck)) {
    ++c.TCPReqNoAckDrop;
    return {Verdict::kDroppedInvalid};
  }
  // SYN-RECEIVED → ESTABLISHED (RFC 7323 §2.2: this window is scaled). The
  // rest — data we sent being acknowledged, the peer's data, a FIN — is
  // processed as ESTABLISHED processes it.
  snd.take_handshake_window(seg.seq, seg.ack, seg.window);
  snd.timer_due = Time{0};
  snd.retransmits = 0;
  set_state(TcpState::kEstablished, c);
  const ConnectionResult r = on_segment(seg, env);
  // Data sent before the handshake completed and still unacknowledged is
  // now under the retransmission timer (Linux tcp_rearm_rto).
  if (r.event == ConnectionEvent::kNone && snd.timer_due == Time{0} &&
      snd.una != snd.nxt) {
    arm_timer(env);
  }
  return r;
}

}  // namespace tcpref::tcp
