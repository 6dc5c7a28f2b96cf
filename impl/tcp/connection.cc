// A connection's outgoing control segments, timers and application calls.
#include "impl/tcp/connection.h"

#include <algorithm>

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

uint32_t Connection::rcv_wnd() const {
  const uint32_t max_wnd = 65535u << (wscale_ok ? rcv_wscale : 0);
  return std::min(rx.free(), max_wnd);
}

uint16_t Connection::window_field() const {
  return static_cast<uint16_t>(rcv_wnd() >> (wscale_ok ? rcv_wscale : 0));
}

wire::Segment Connection::make_segment(uint8_t flags,
                                       ConnectionEnv& env) const {
  wire::Segment s;
  s.src_addr = tuple.local.addr;
  s.dst_addr = tuple.remote.addr;
  s.src_port = tuple.local.port;
  s.dst_port = tuple.remote.port;
  s.seq = snd_nxt;
  s.ack = rcv_nxt;
  s.flags = flags;
  s.window = window_field();
  if (ts_ok) {
    s.options.timestamps =
        wire::Timestamps{ts_clock(env.now) + ts_offset, ts_recent};
  }
  return s;
}

void Connection::send_ack(ConnectionEnv& env) {
  wire::Segment s = make_segment(wire::flags::kAck, env);
  if (sack_ok && !ooo.empty()) {
    // RFC 2018 §3: with timestamps, three blocks fit in the 40 option bytes.
    const size_t room = ts_ok ? 3 : wire::kMaxSackBlocks;
    s.options.sack_block_count = static_cast<uint8_t>(ooo.sack_blocks(
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
  timer_due = env.now + env.config.synack_initial_rto * (1u << retransmits);
}

ConnectionEvent Connection::on_timer(ConnectionEnv& env) {
  if (dack.due(env.now)) {
    ++env.counters.DelayedACKs;
    send_ack(env);
  }
  if (linger_due != Time{0} && linger_due <= env.now) {
    linger_due = Time{0};
    if (state == TcpState::kFinWait2 && orphaned) {
      set_state(TcpState::kClosed, env.counters);
      return ConnectionEvent::kClosed;
    }
  }
  if (timer_due == Time{0} || timer_due > env.now) {
    return ConnectionEvent::kNone;
  }
  timer_due = Time{0};
  if (state == TcpState::kSynSent || state == TcpState::kSynReceived) {
    ++env.counters.TCPTimeouts;
    if (retransmits >= (fast_open ? synack_retries : env.config.syn_retries)) {
      ++env.counters.AttemptFails;
      // A TFO child may already be accepted: its reads see the timeout.
      if (fast_open) timed_out = true;
      set_state(TcpState::kClosed, env.counters);
      return ConnectionEvent::kClosed;
    }
    ++retransmits;
    ++env.counters.RetransSegs;
    send_syn(env);
    arm_retransmit_timer(env);
    return ConnectionEvent::kNone;
  }
  return on_retransmit_timer(env);
}

IoResult Connection::read(std::span<uint8_t> out, ConnectionEnv& env) {
  if (rx.size() == 0) {
    if (timed_out) return {0, Error::kTimedOut};
    if (peer_reset) return {0, Error::kConnectionReset};
    if (state == TcpState::kClosed && rcv_nxt == irs) {
      // An active open that failed: no SYN was ever received.
      return {0, Error::kNotConnected};
    }
    const bool eof = state == TcpState::kCloseWait ||
                     state == TcpState::kLastAck ||
                     state == TcpState::kClosing || state == TcpState::kClosed;
    return {0, eof ? Error::kOk : Error::kWouldBlock};
  }
  const uint32_t n = rx.pop(out);
  // A window update of its own only when the peer may be held back: the
  // window it sees (up to the last advertised right edge) is at most half of
  // what we can offer now, as Linux does (tcp_cleanup_rbuf); and, RFC 9293
  // §3.8.6.2.2 (receiver SWS avoidance), only once the window grew by
  // min(buffer/2, MSS). Otherwise the next ACK carries the larger window.
  if (state == TcpState::kEstablished || state == TcpState::kFinWait1 ||
      state == TcpState::kFinWait2) {
    const uint32_t seen = seq_after(rcv_adv, rcv_nxt) ? rcv_adv - rcv_nxt : 0;
    const uint32_t now_wnd = rcv_wnd();
    const uint32_t threshold = std::min<uint32_t>(rx.capacity() / 2, mss);
    if (now_wnd >= seen + threshold && now_wnd / 2 >= seen) send_ack(env);
  }
  return {n, Error::kOk};
}

Error Connection::shutdown_write(ConnectionEnv& env) {
  // RFC 9293 §3.10.4 CLOSE: the FIN follows the data already written.
  // A TFO child may close before the handshake's ACK (RFC 9293 §3.10.4
  // CLOSE in SYN-RECEIVED: FIN-WAIT-1; Linux sends the FIN at once too).
  if (state == TcpState::kEstablished ||
      (state == TcpState::kSynReceived && fast_open)) {
    fin_queued = true;
    set_state(TcpState::kFinWait1, env.counters);
    transmit(env);
  } else if (state == TcpState::kCloseWait) {
    fin_queued = true;
    set_state(TcpState::kLastAck, env.counters);
    transmit(env);
  } else if (state == TcpState::kClosed) {
    return peer_reset ? Error::kConnectionReset : Error::kNotConnected;
  }
  return Error::kOk;
}

ConnectionEvent Connection::close(ConnectionEnv& env) {
  orphaned = true;
  if (state == TcpState::kClosed) return ConnectionEvent::kClosed;
  // RFC 9293 §3.10.4 CLOSE in SYN-SENT: delete the TCB; nothing is sent, so
  // a SYN-ACK arriving later meets no socket and draws a RST.
  if (state == TcpState::kSynSent) {
    set_state(TcpState::kClosed, env.counters);
    return ConnectionEvent::kClosed;
  }
  if (rx.size() > 0) {
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
  timer_due = linger_due = Time{0};
  dack.on_ack_sent();
}

uint32_t Connection::poll() const {
  uint32_t events = 0;
  const bool eof = state == TcpState::kCloseWait ||
                   state == TcpState::kLastAck || state == TcpState::kClosing ||
                   state == TcpState::kClosed;
  if (rx.size() > 0 || eof) events |= ready::kReadable;
  const bool fast_open_early = state == TcpState::kSynReceived && fast_open;
  if ((counts_as_established(state) || fast_open_early) && !fin_queued &&
      tx.free() > 0) {
    events |= ready::kWritable;
  }
  if (state == TcpState::kClosed) events |= ready::kClosed;
  if (peer_reset) events |= ready::kReset;
  return events;
}

ConnectionView Connection::view() const {
  ConnectionView v;
  v.kind = queued ? RecordKind::kChildQueued : RecordKind::kSocket;
  v.state = state;
  v.iss = iss;
  v.irs = irs;
  v.snd_una = snd_una;
  v.snd_nxt = snd_nxt;
  v.rcv_nxt = rcv_nxt;
  v.snd_wnd = snd_wnd;
  v.rcv_wnd = rcv_wnd();
  v.mss = mss;
  v.send_mss = send_mss();
  v.adv_mss = adv_mss;
  v.snd_wscale = wscale_ok ? snd_wscale : 0;
  v.rcv_wscale = wscale_ok ? rcv_wscale : 0;
  v.sack_ok = sack_ok;
  v.timestamps_ok = ts_ok;
  v.ecn_ok = ecn_ok;
  v.ts_recent = ts_recent;
  v.from_cookie = from_cookie;
  v.fast_open = fast_open && state == TcpState::kSynReceived;
  v.syn_data = syn_data;
  v.ooo_bytes = ooo.queued_bytes();
  if (!ooo.empty()) v.ooo_left = ooo.ranges().front().left;
  return v;
}

}  // namespace tcpref::tcp
