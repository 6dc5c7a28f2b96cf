// A connection's outgoing control segments, timers and application calls.
#include "impl/tcp/connection.h"

#include <algorithm>

#include "impl/tcp/backoff.h"
#include "impl/tcp/isn.h"

namespace tcpref::tcp {

namespace {
bool counts_as_established(TcpState s) {
  return s == TcpState::kEstablished || s == TcpState::kCloseWait;
}
}  // namespace

void Connection::set_state(TcpState next, Counters& counters) {
  // Linux MIB semantics: CurrEstab counts ESTABLISHED and CLOSE-WAIT;
  // EstabResets counts their direct transitions to CLOSED.
  if (counts_as_established(state) && !counts_as_established(next)) {
    --counters.CurrEstab;
    if (next == TcpState::kClosed) ++counters.EstabResets;
  } else if (!counts_as_established(state) && counts_as_established(next)) {
    ++counters.CurrEstab;
  }
  state = next;
}

uint16_t Connection::window_field() const {
  return static_cast<uint16_t>(rcv_wnd() >> rcv_shift());
}

wire::Segment Connection::make_segment(uint8_t flags,
                                       ConnectionEnv& env) const {
  wire::Segment s;
  s.src_addr = tuple.local.addr;
  s.dst_addr = tuple.remote.addr;
  s.src_port = tuple.local.port;
  s.dst_port = tuple.remote.port;
  s.seq = snd.nxt;
  s.ack = rcv.nxt;
  s.flags = flags;
  s.window = window_field();
  if (ts_ok) {
    s.options.timestamps =
        wire::Timestamps{ts_clock(env.now) + ts_offset, rcv.ts_recent};
  }
  return s;
}

void Connection::send_ack(ConnectionEnv& env) {
  wire::Segment s = make_segment(wire::flags::kAck, env);
  if (sack_ok && !rcv.ooo.empty()) {
    // RFC 2018 §3: with timestamps, three blocks fit in the 40 option bytes.
    const size_t room = ts_ok ? 3 : wire::kMaxSackBlocks;
    s.options.sack_block_count = static_cast<uint8_t>(rcv.ooo.sack_blocks(
        std::span<wire::SackBlock>(s.options.sack_blocks.data(), room)));
  }
  env.output.send(s);
  sent_ack(s);
}

void Connection::send_challenge_ack(ConnectionEnv& env) {
  if (!challenge.allow(env.now, env.config.challenge_acks_per_second)) {
    ++env.counters.TCPACKSkippedChallenge;
    return;
  }
  ++env.counters.TCPChallengeACK;
  send_ack(env);
}

void Connection::send_rst(ConnectionEnv& env) {
  // RFC 9293 §3.10.4 ABORT, in Linux's form (tcp_send_active_reset, and the
  // model's): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> with window and
  // timestamps, so the peer accepts it in any synchronized state.
  env.output.send(make_segment(wire::flags::kRst | wire::flags::kAck, env));
}

void Connection::arm_retransmit_timer(ConnectionEnv& env) {
  // RFC 6298 §2.1/§5.5: initial RTO, doubled per retransmission.
  snd.timer_due =
      env.now + backed_off(env.config.synack_initial_rto, snd.retransmits);
}

ConnectionEvent Connection::on_timer(ConnectionEnv& env) {
  if (rcv.dack.due(env.now)) {
    ++env.counters.DelayedACKs;
    send_ack(env);
  }
  if (linger_due != Time{0} && linger_due <= env.now) {
    linger_due = Time{0};
    if (state == TcpState::kFinWait2 && env.orphaned) {
      set_state(TcpState::kClosed, env.counters);
      return ConnectionEvent::kClosed;
    }
  }
  if (snd.timer_due == Time{0} || snd.timer_due > env.now) {
    return ConnectionEvent::kNone;
  }
  snd.timer_due = Time{0};
  if (state == TcpState::kSynSent || state == TcpState::kSynReceived) {
    ++env.counters.TCPTimeouts;
    if (snd.retransmits >=
        (fast_open ? synack_retries : env.config.syn_retries)) {
      ++env.counters.AttemptFails;
      // A TFO child may already be accepted: its reads see the timeout.
      if (fast_open) timed_out = true;
      set_state(TcpState::kClosed, env.counters);
      return ConnectionEvent::kClosed;
    }
    ++snd.retransmits;
    ++env.counters.RetransSegs;
    send_syn(env);
    arm_retransmit_timer(env);
    return ConnectionEvent::kNone;
  }
  return on_retransmit_timer(env);
}

IoResult Connection::read(std::span<uint8_t> out, ConnectionEnv& env) {
  if (rcv.buffer.size() == 0) {
    if (timed_out) return {0, Error::kTimedOut};
    if (peer_reset) return {0, Error::kConnectionReset};
    if (state == TcpState::kClosed && rcv.nxt == rcv.irs) {
      // An active open that failed: no SYN was ever received.
      return {0, Error::kNotConnected};
    }
    const bool eof = state == TcpState::kCloseWait ||
                     state == TcpState::kLastAck ||
                     state == TcpState::kClosing || state == TcpState::kClosed;
    return {0, eof ? Error::kOk : Error::kWouldBlock};
  }
  const uint32_t n = rcv.buffer.pop(out);
  if ((state == TcpState::kEstablished || state == TcpState::kFinWait1 ||
       state == TcpState::kFinWait2) &&
      rcv.window_update_due(mss, rcv_shift())) {
    send_ack(env);
  }
  return {n, Error::kOk};
}

Error Connection::shutdown_write(ConnectionEnv& env) {
  // RFC 9293 §3.10.4 CLOSE: the FIN follows the data already written.
  // A TFO child may close before the handshake's ACK (RFC 9293 §3.10.4
  // CLOSE in SYN-RECEIVED: FIN-WAIT-1; Linux sends the FIN at once too).
  if (state == TcpState::kEstablished ||
      (state == TcpState::kSynReceived && fast_open)) {
    snd.fin = FinState::kQueued;
    set_state(TcpState::kFinWait1, env.counters);
    transmit(env);
  } else if (state == TcpState::kCloseWait) {
    snd.fin = FinState::kQueued;
    set_state(TcpState::kLastAck, env.counters);
    transmit(env);
  } else if (state == TcpState::kClosed) {
    return peer_reset ? Error::kConnectionReset : Error::kNotConnected;
  }
  return Error::kOk;
}

ConnectionEvent Connection::close(ConnectionEnv& env) {
  if (state == TcpState::kClosed) return ConnectionEvent::kClosed;
  // RFC 9293 §3.10.4 CLOSE in SYN-SENT: delete the TCB; nothing is sent, so
  // a SYN-ACK arriving later meets no socket and draws a RST.
  if (state == TcpState::kSynSent) {
    set_state(TcpState::kClosed, env.counters);
    return ConnectionEvent::kClosed;
  }
  if (rcv.buffer.size() > 0) {
    // RFC 1122 §4.2.2.13 / RFC 9293 §3.10.4: closing with unread data
    // resets, so the peer learns the data was lost.
    ++env.counters.TCPAbortOnClose;
    send_rst(env);
    set_state(TcpState::kClosed, env.counters);
    return ConnectionEvent::kClosed;
  }
  (void)shutdown_write(env);
  if (state == TcpState::kFinWait2) {
    linger_due = env.now + env.config.fin_timeout;
  }
  return ConnectionEvent::kNone;
}

void Connection::abort(ConnectionEnv& env) {
  // RFC 9293 §3.10.5 ABORT: a RST only once the peer knows us (not from
  // SYN-SENT, where it has seen nothing but our SYN).
  if (state == TcpState::kSynSent) {
    set_state(TcpState::kClosed, env.counters);
  } else if (state != TcpState::kClosed) {
    send_rst(env);
    set_state(TcpState::kClosed, env.counters);
  }
  snd.timer_due = linger_due = Time{0};
  rcv.dack.on_ack_sent();
}

uint32_t Connection::poll() const {
  uint32_t events = 0;
  const bool eof = state == TcpState::kCloseWait ||
                   state == TcpState::kLastAck || state == TcpState::kClosing ||
                   state == TcpState::kClosed;
  if (rcv.buffer.size() > 0 || eof) events |= ready::kReadable;
  const bool fast_open_early = state == TcpState::kSynReceived && fast_open;
  if ((counts_as_established(state) || fast_open_early) &&
      snd.fin == FinState::kNone && snd.buffer.free() > 0) {
    events |= ready::kWritable;
  }
  if (state == TcpState::kClosed) events |= ready::kClosed;
  if (peer_reset) events |= ready::kReset;
  return events;
}

ConnectionView Connection::view() const {
  ConnectionView v;
  v.kind = RecordKind::kSocket;  // the stack knows a queued child
  v.state = state;
  v.iss = snd.iss;
  v.irs = rcv.irs;
  v.snd_una = snd.una;
  v.snd_nxt = snd.nxt;
  v.rcv_nxt = rcv.nxt;
  v.snd_wnd = snd.wnd;
  v.rcv_wnd = rcv_wnd();
  v.mss = mss;
  v.send_mss = send_mss();
  v.adv_mss = adv_mss;
  v.snd_wscale = wscale_ok ? snd.wscale : 0;
  v.rcv_wscale = wscale_ok ? rcv.wscale : 0;
  v.sack_ok = sack_ok;
  v.timestamps_ok = ts_ok;
  v.ecn_ok = ecn_ok;
  v.ts_recent = rcv.ts_recent;
  v.from_cookie = from_cookie;
  v.fast_open = fast_open && state == TcpState::kSynReceived;
  v.syn_data = syn_data;
  v.ooo_bytes = rcv.ooo.queued_bytes();
  if (!rcv.ooo.empty()) v.ooo_left = rcv.ooo.ranges().front().left;
  return v;
}

}  // namespace tcpref::tcp
