// Active open: SYN-SENT (RFC 9293 §3.10.7.3, RFC 5961 §3.2) and the
// SYN-RECEIVED of a simultaneous open. Linux: tcp_rcv_synsent_state_process.
#include <algorithm>

#include "impl/tcp/connection.h"
#include "impl/tcp/isn.h"
#include "impl/tcp/reset.h"
#include "impl/tcp/seq.h"
#include "impl/tcp/syn_options.h"

namespace tcpref::tcp {

void Connection::send_syn(ConnectionEnv& env) {
  if (fast_open) {
    send_fast_open_synack(env);
    return;
  }
  wire::Segment s = make_segment(wire::flags::kSyn, env);
  s.seq = snd.iss;
  s.ack = 0;
  s.window = synack_window(env.config);
  s.options = {};
  s.options.mss = adv_mss;
  if (state == TcpState::kSynSent) {
    // Our offer: everything the configuration allows.
    s.options.window_scale = rcv.wscale;
    s.options.sack_permitted = env.config.sack;
    if (env.config.timestamps) {
      s.options.timestamps = wire::Timestamps{ts_clock(env.now) + ts_offset, 0};
    }
  } else {  // simultaneous open: a SYN-ACK with what both offered
    s.flags |= wire::flags::kAck;
    s.ack = rcv.nxt;
    if (wscale_ok) s.options.window_scale = rcv.wscale;
    s.options.sack_permitted = sack_ok;
    if (ts_ok) {
      s.options.timestamps =
          wire::Timestamps{ts_clock(env.now) + ts_offset, rcv.ts_recent};
    }
  }
  env.output.send(s);
}

ConnectionResult Connection::on_syn_sent(const wire::Segment& seg,
                                         ConnectionEnv& env) {
  using namespace wire::flags;
  Counters& c = env.counters;
  const bool ack = seg.has(kAck);
  // "first": an ACK of anything but our SYN draws <SEQ=SEG.ACK><CTL=RST>.
  if (ack && (seq_before_eq(seg.ack, snd.iss) || seq_after(seg.ack, snd.nxt))) {
    ++c.TCPAckUnsentDrop;
    if (const auto rst = reset_for(seg)) env.output.send(*rst);
    return {Verdict::kDroppedInvalid};
  }
  // "second": a RST counts only if it acknowledges our SYN (RFC 5961 §3.2
  // for SYN-SENT): connection refused.
  if (seg.has(kRst)) {
    ++c.InRsts;
    if (!ack) {
      ++c.TCPRstOutOfWindowDrop;
      return {Verdict::kDroppedInvalid};
    }
    peer_reset = true;
    ++c.AttemptFails;
    set_state(TcpState::kClosed, c);
    snd.timer_due = Time{0};
    return {Verdict::kAccepted, ConnectionEvent::kClosed};
  }
  // "fourth": neither SYN nor RST: drop.
  if (!seg.has(kSyn)) {
    ++c.TCPNoAckDrop;
    return {Verdict::kDroppedInvalid};
  }
  rcv.irs = seg.seq;
  rcv.nxt = seg.seq + 1;
  mss = effective_mss(env.config, seg.options.mss, sockopt.max_segment);
  // RFC 7323 §1.3 / RFC 2018 §2: an option is on only if both sides sent it.
  wscale_ok = seg.options.window_scale.has_value();
  snd.wscale =
      wscale_ok ? std::min(*seg.options.window_scale, kMaxWindowScale) : 0;
  if (!wscale_ok) rcv.wscale = 0;
  sack_ok = seg.options.sack_permitted && env.config.sack;
  ts_ok = seg.options.timestamps.has_value() && env.config.timestamps;
  if (ts_ok) rcv.ts_recent = seg.options.timestamps->tsval;
  // The SYN's window is never scaled (RFC 7323 §2.2).
  snd.wnd = snd.max_wnd = seg.window;
  snd.wl1 = seg.seq;
  snd.wl2 = seg.ack;
  snd.retransmits = 0;
  if (ack) {
    snd.una = seg.ack;
    snd.timer_due = Time{0};
    start_transfer(env.config);
    set_state(TcpState::kEstablished, c);
    send_ack(env);
    return {Verdict::kAccepted};
  }
  // Simultaneous open: SYN-RECEIVED, answer with a SYN-ACK.
  set_state(TcpState::kSynReceived, c);
  send_syn(env);
  arm_retransmit_timer(env);
  return {Verdict::kAccepted};
}

ConnectionResult Connection::on_syn_received(const wire::Segment& seg,
                                             ConnectionEnv& env) {
  using namespace wire::flags;
  if (fast_open) return on_fast_open_syn_received(seg, env);
  Counters& c = env.counters;
  if (seg.has(kRst)) {
    ++c.InRsts;
    // RFC 5961 §3.2, as for a request sock; an actively opened connection
    // reset here is refused (RFC 9293 §3.10.7.4 "second").
    if (seg.seq == rcv.nxt) {
      peer_reset = true;
      ++c.AttemptFails;
      set_state(TcpState::kClosed, c);
      snd.timer_due = Time{0};
      return {Verdict::kAccepted, ConnectionEvent::kClosed};
    }
    return on_rst_not_exact(seg, env);
  }
  if (seg.has(kSyn) && !seg.has(kAck) && seg.seq == rcv.irs) {
    ++c.RetransSegs;
    send_syn(env);  // the peer missed our SYN-ACK
    return {Verdict::kAccepted};
  }
  if (seg.has(kAck) && seg.ack != snd.nxt) {
    if (const auto rst = reset_for(seg)) env.output.send(*rst);
    return {Verdict::kDroppedInvalid};
  }
  if (!seg.has(kAck) || seg.has(kSyn)) {
    ++c.TCPNoAckDrop;
    return {Verdict::kDroppedInvalid};
  }
  if (!seq_segment_acceptable(seg.seq, seg.seg_len(), rcv.nxt, rcv_wnd())) {
    ++c.TCPOutOfWindowDrop;
    send_ack(env);
    return {Verdict::kDroppedInvalid};
  }
  // RFC 9293 §3.10.7.4 "fifth", SYN-RECEIVED → ESTABLISHED; then process
  // the rest of the segment (data, FIN) as ESTABLISHED does.
  snd.una = seg.ack;
  snd.take_handshake_window(seg.seq, seg.ack, seg.window);
  snd.timer_due = Time{0};
  snd.retransmits = 0;
  start_transfer(env.config);
  set_state(TcpState::kEstablished, c);
  return on_segment(seg, env);
}

}  // namespace tcpref::tcp
