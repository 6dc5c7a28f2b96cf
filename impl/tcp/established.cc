// Segment processing for synchronized states, RFC 9293 §3.10.7.4 with the
// RFC 5961 hardening and RFC 7323 PAWS. Linux: tcp_rcv_established /
// tcp_rcv_state_process for a full socket.
#include <algorithm>

#include "impl/tcp/connection.h"
#include "impl/tcp/reset.h"
#include "impl/tcp/seq.h"

namespace tcpref::tcp {

namespace {
bool receives_data(TcpState s) {
  return s == TcpState::kEstablished || s == TcpState::kFinWait1 ||
         s == TcpState::kFinWait2;
}
bool fin_outstanding(TcpState s) {
  return s == TcpState::kFinWait1 || s == TcpState::kClosing ||
         s == TcpState::kLastAck;
}
}  // namespace

ConnectionResult Connection::on_rst_not_exact(const wire::Segment& seg,
                                              ConnectionEnv& env) {
  if (seq_in_window(seg.seq, rcv.nxt, rcv.nxt + std::max(rcv_wnd(), 1u))) {
    send_challenge_ack(env);
  } else {
    ++env.counters.TCPRstOutOfWindowDrop;
  }
  return {Verdict::kDroppedInvalid};
}

std::optional<ConnectionResult> Connection::timestamp_reject(
    const wire::Segment& seg, ConnectionEnv& env) {
  if (!ts_ok) return std::nullopt;
  if (!seg.options.timestamps) {
    ++env.counters.TCPMissingTimestampDrop;
    return ConnectionResult{Verdict::kDroppedInvalid};
  }
  if (seq_before(seg.options.timestamps->tsval, rcv.ts_recent)) {
    ++env.counters.PAWSEstab;
    send_ack(env);
    return ConnectionResult{Verdict::kDroppedInvalid};
  }
  return std::nullopt;
}

ConnectionResult Connection::on_segment(const wire::Segment& seg,
                                        ConnectionEnv& env) {
  using namespace wire::flags;
  if (state == TcpState::kSynSent) return on_syn_sent(seg, env);
  if (state == TcpState::kSynReceived) return on_syn_received(seg, env);
  Counters& c = env.counters;
  const bool rst = seg.has(kRst);
  const uint32_t wnd = rcv_wnd();

  if (!rst) {
    if (const auto reject = timestamp_reject(seg, env)) return *reject;
  }

  // RFC 5961 §3.2 (RFC 9293 §3.10.7.4 "second"): RST exactly at RCV.NXT
  // resets; elsewhere in the window draws a challenge ACK; outside, dropped.
  if (rst) {
    ++c.InRsts;
    //= RFC 9293 §3.10.7.4
    //# If the RST bit is set and the sequence number exactly matches the next
    //# expected sequence number (RCV.NXT), then TCP endpoints MUST reset the
    //# connection in the manner prescribed below according to the connection
    //# state.
    if (seg.seq == rcv.nxt) {
      peer_reset = true;
      set_state(TcpState::kClosed, c);
      snd.timer_due = Time{0};
      return {Verdict::kAccepted, ConnectionEvent::kClosed};
    }
    //= RFC 9293 §3.10.7.4
    //# If the RST bit is set and the sequence number does not exactly match the
    //# next expected sequence value, yet is within the current receive window,
    //# TCP endpoints MUST send an acknowledgment (challenge ACK):
    //= RFC 9293 §3.10.7.4
    //# After sending the challenge ACK, TCP endpoints MUST drop the
    //# unacceptable segment and stop processing the incoming packet
    //# further.
    return on_rst_not_exact(seg, env);
  }

  // RFC 5961 §4.2: a SYN in a synchronized state, whatever its sequence
  // number, draws a challenge ACK and is dropped.
  //= RFC 9293 §3.10.7.4
  //# if the SYN bit is set, irrespective of the sequence number, TCP endpoints
  //# MUST send a "challenge ACK" to the remote peer:
  //= RFC 9293 §3.10.7.4
  //# After sending the acknowledgment, TCP implementations MUST drop the
  //# unacceptable segment and stop processing further.
  if (seg.has(kSyn)) {
    ++c.TCPSYNChallenge;
    send_challenge_ack(env);
    return {Verdict::kDroppedInvalid};
  }

  // RFC 9293 §3.10.7.4 "first": an unacceptable segment gets an ACK.
  if (!seq_segment_acceptable(seg.seq, seg.seg_len(), rcv.nxt, wnd)) {
    ++c.TCPOutOfWindowDrop;
    send_ack(env);
    return {Verdict::kDroppedInvalid};
  }

  // RFC 9293 §3.10.7.4 "fifth": without ACK, drop.
  if (!seg.has(kAck)) {
    ++c.TCPNoAckDrop;
    return {Verdict::kDroppedInvalid};
  }
  //= RFC 9293 §3.10.7.4
  //# TCP stacks that implement RFC 5961 MUST add an input check that the ACK
  //# value is acceptable only if it is in the range of ((SND.UNA -
  //# MAX.SND.WND) =< SEG.ACK =< SND.NXT).
  //= RFC 9293 §3.10.7.4
  //# All incoming segments whose ACK value doesn't satisfy the above condition
  //# MUST be discarded and an ACK sent back.
  // RFC 9293: an ACK for something not yet sent gets an ACK and is dropped.
  if (seq_after(seg.ack, snd.nxt)) {
    ++c.TCPAckUnsentDrop;
    send_ack(env);
    return {Verdict::kDroppedInvalid};
  }
  // RFC 5961 §5.2: an ACK older than SND.UNA − MAX.SND.WND is a blind
  // injection attempt: challenge ACK, drop.
  if (seq_before(seg.ack, snd.una - snd.max_wnd)) {
    ++c.TCPAckTooOldDrop;
    send_challenge_ack(env);
    return {Verdict::kDroppedInvalid};
  }
  on_ack(seg, env);  // transfer.cc: SND.UNA, RTT, NewReno, SND.WND
  if (ts_ok) rcv.update_ts_recent(seg.seq, seg.options.timestamps->tsval);

  ConnectionEvent event = ConnectionEvent::kNone;
  const bool fin_acked = fin_outstanding(state) && snd.fin == FinState::kSent &&
                         snd.una == snd.nxt;
  if (fin_acked) {
    snd.timer_due = Time{0};
    snd.retransmits = 0;
    if (state == TcpState::kFinWait1) {
      set_state(TcpState::kFinWait2, c);
      // Linux tcp_fin_timeout: an orphan does not wait for the peer forever.
      if (env.orphaned) linger_due = env.now + env.config.fin_timeout;
    } else if (state == TcpState::kClosing) {
      return {Verdict::kAccepted, ConnectionEvent::kTimeWait};
    } else {  // LAST-ACK
      set_state(TcpState::kClosed, c);
      return {Verdict::kAccepted, ConnectionEvent::kClosed};
    }
  }

  const auto payload = seg.payload;
  if (!payload.empty() && receives_data(state)) {
    if (env.orphaned) {
      // Nobody will read it: Linux resets (TCPAbortOnData), answering the
      // segment, <SEQ=SEG.ACK><CTL=RST>: SEG.ACK is the peer's RCV.NXT (an
      // RFC 5961 peer takes it), where SND.NXT is one past while our FIN is
      // unacknowledged.
      ++c.TCPAbortOnData;
      if (const auto rst = reset_for(seg)) env.output.send(*rst);
      set_state(TcpState::kClosed, c);
      return {Verdict::kAccepted, ConnectionEvent::kClosed};
    }
    // RFC 9293 §3.10.7.4 "seventh": duplicates trimmed, in-order bytes
    // delivered, later ones held in the out-of-order queue.
    const ReassemblyResult r =
        rcv.ooo.insert(seg.seq, payload, rcv.nxt, wnd, rcv.buffer);
    if (r.queued > 0) ++c.TCPOFOQueue;
    if (r.dropped > 0) {
      if (r.out_of_order) {
        ++c.TCPOFODrop;
      } else {
        ++c.TCPRcvQDrop;
      }
    }
    rcv.on_data(r, mss, env.now);
  }

  // RFC 9293 §3.10.7.4 "eighth": a FIN right after everything received is
  // taken. One beyond RCV.NXT is not held (only text is queued) but, like
  // any out-of-order segment, draws an immediate ACK (RFC 5681 §4.2).
  const uint32_t end = seg.seq + static_cast<uint32_t>(payload.size());
  if (seg.has(kFin) && receives_data(state)) {
    rcv.ack_owed = true;
    if (end == rcv.nxt) {
      rcv.nxt += 1;
      if (state == TcpState::kEstablished) {
        set_state(TcpState::kCloseWait, c);
      } else if (state == TcpState::kFinWait1) {
        set_state(TcpState::kClosing, c);
      } else {  // FIN-WAIT-2
        event = ConnectionEvent::kTimeWait;
      }
    }
  }
  // New data the ACK or window allows carries the ACK; otherwise it goes
  // alone when owed.
  if (event == ConnectionEvent::kNone) transmit(env);
  if (rcv.ack_owed) send_ack(env);
  return {Verdict::kAccepted, event};
}

}  // namespace tcpref::tcp
