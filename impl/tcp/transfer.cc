// Data transfer on a synchronized connection: write() into the send buffer,
// segmentation (RFC 9293 §3.8.6, Nagle), ACK processing, the retransmission
// timer (RFC 6298), NewReno (RFC 5681, RFC 6582), zero-window probing and the
// user timeout. Linux: tcp_sendmsg, tcp_write_xmit, tcp_ack,
// tcp_retransmit_timer, tcp_probe_timer.
#include <algorithm>

#include "impl/tcp/connection.h"
#include "impl/tcp/isn.h"
#include "impl/tcp/seq.h"
#include "impl/tcp/syn_options.h"

namespace tcpref::tcp {

namespace {
bool may_write(TcpState s) {
  return s == TcpState::kEstablished || s == TcpState::kCloseWait;
}
// States in which our data or FIN may still be (re)sent.
bool sends(TcpState s) {
  return s == TcpState::kEstablished || s == TcpState::kCloseWait ||
         s == TcpState::kFinWait1 || s == TcpState::kClosing ||
         s == TcpState::kLastAck;
}
uint32_t seq_min(uint32_t a, uint32_t b) { return seq_before(a, b) ? a : b; }
}  // namespace

void Connection::start_transfer(const StackConfig& config) {
  snd.start(config, send_mss());
  rcv.start(config);
}

uint16_t Connection::send_mss() const { return payload_mss(mss, ts_ok); }

Time Connection::user_timeout(const StackConfig& config) const {
  return sockopt.user_timeout != Time{0} ? sockopt.user_timeout
                                         : config.user_timeout;
}

void Connection::set_options(const SocketOptions& options, ConnectionEnv& env) {
  const bool nodelay_on = options.nodelay && !sockopt.nodelay;
  sockopt = options;
  // Linux pushes what Nagle held back when TCP_NODELAY is turned on.
  if (nodelay_on) transmit(env);
  // A new user timeout bounds the retransmission already pending.
  if (snd.timer_due != Time{0} && snd.stalled_since != Time{0} &&
      sends(state)) {
    const Time limit =
        std::max(env.now, snd.stalled_since + user_timeout(env.config));
    if (limit < snd.timer_due) {
      snd.timer_due = limit;
      snd.disarm_probe();
    }
  }
}

Time Connection::deadline() const {
  Time d{0};
  for (const Time t :
       {snd.timer_due, linger_due, rcv.dack.deadline().value_or(Time{0})}) {
    if (t != Time{0} && (d == Time{0} || t < d)) d = t;
  }
  return d;
}

IoResult Connection::write(std::span<const uint8_t> data, ConnectionEnv& env) {
  if (state == TcpState::kClosed) {
    if (timed_out) return {0, Error::kTimedOut};
    return {0, peer_reset ? Error::kConnectionReset : Error::kNotConnected};
  }
  // RFC 7413 §4.2.2: a TFO server may send before the handshake completes.
  const bool fast_open_early = state == TcpState::kSynReceived && fast_open;
  if ((state == TcpState::kSynSent || state == TcpState::kSynReceived) &&
      !fast_open_early) {
    return {0, Error::kWouldBlock};
  }
  if (snd.fin != FinState::kNone || !(may_write(state) || fast_open_early)) {
    return {0, Error::kClosed};
  }
  const uint32_t n = snd.buffer.append(data);
  if (n == 0) return {0, data.empty() ? Error::kOk : Error::kWouldBlock};
  transmit(env);
  return {n, Error::kOk};
}

void Connection::sent_ack(const wire::Segment& s) {
  rcv.on_ack_sent(s.window, rcv_shift());
}

void Connection::send_data(uint32_t seq, uint32_t len, bool fin,
                           ConnectionEnv& env, bool push) {
  using namespace wire::flags;
  const uint32_t data_end = snd.data_end();
  uint8_t flags = kAck;
  if (fin) flags |= kFin;
  // Linux sets PSH on the segment that empties what the application wrote.
  if (len > 0 && (push || seq + len == data_end)) flags |= kPsh;
  wire::Segment s = make_segment(flags, env);
  s.seq = seq;
  const std::span<uint8_t> scratch = env.output.payload_scratch().first(len);
  s.payload = scratch.first(snd.buffer.peek(seq - snd.una, scratch));
  env.output.send(s);
  sent_ack(s);
}

void Connection::transmit(ConnectionEnv& env, uint32_t cwnd_extra) {
  if (!sends(state) && !(state == TcpState::kSynReceived && fast_open)) return;
  if (seq_before(snd.rtx_nxt, snd.una)) snd.rtx_nxt = snd.una;
  const uint32_t data_end = snd.data_end();
  const uint32_t smss = send_mss();
  const uint32_t wnd = std::min(snd.wnd, snd.cc.cwnd() + cwnd_extra);
  for (;;) {
    // After an RTO, [rtx_nxt, SND.NXT) is resent before anything new, and
    // counts as not in flight (it is presumed lost); SACKed runs are skipped.
    if (seq_before(snd.rtx_nxt, snd.nxt)) {
      snd.rtx_nxt = seq_min(snd.sacked.skip_sacked(snd.rtx_nxt), snd.nxt);
    }
    const bool resend = seq_before(snd.rtx_nxt, snd.nxt);
    const uint32_t from = resend ? snd.rtx_nxt : snd.nxt;
    const uint32_t limit =
        resend ? snd.sacked.hole_end(from, snd.nxt)
               : data_end + (snd.fin == FinState::kQueued ? 1 : 0);
    const uint32_t data_limit = seq_min(limit, data_end);
    const uint32_t len = seq_before(from, data_limit) ? data_limit - from : 0;
    const bool fin_here =
        snd.fin != FinState::kNone && seq_after(limit, data_end);
    if (len == 0 && !fin_here) break;
    const uint32_t flight = from - snd.una;
    const uint32_t usable = wnd > flight ? wnd - flight : 0;
    const uint32_t n = std::min({len, smss, usable});
    if (len > 0 && n == 0) break;  // window full
    const bool fin = fin_here && n == len;
    if (!resend && n < smss && flight > 0) {
      // RFC 9293 §3.8.6.2.1: no small segment because the window is small
      // (sender SWS avoidance); RFC 1122 §4.2.3.4 (Nagle): none while data
      // is unacknowledged, unless it is the last before our FIN.
      if (n < len) break;
      if (env.config.nagle && !sockopt.nodelay && !fin) break;
    }
    // The last segment before the windows stop us pushes (as Linux's
    // bursts do): nothing follows it until an ACK arrives.
    send_data(from, n, fin, env, !resend && n == usable && n < len);
    const uint32_t end = from + n + (fin ? 1 : 0);
    snd.rtt.on_send(end, env.now, resend);
    if (resend) {
      ++env.counters.RetransSegs;
    } else {
      snd.nxt = end;
      if (fin) snd.fin = FinState::kSent;
    }
    snd.rtx_nxt = end;
    if (snd.stalled_since == Time{0}) snd.stalled_since = env.now;
    if (snd.timer_due == Time{0}) arm_timer(env);
  }
  // RFC 9293 §3.8.6.1: data waits behind a zero window with nothing in
  // flight to draw an ACK: the persist timer will probe.
  if (snd.timer_due == Time{0} && snd.una == snd.nxt && snd.buffer.size() > 0) {
    snd.timer_due = rto_due(env);
  }
}

void Connection::retransmit_at(uint32_t seq, ConnectionEnv& env) {
  const uint32_t data_end = snd.data_end();
  const uint32_t limit = snd.sacked.hole_end(seq, seq_min(snd.nxt, data_end));
  const uint32_t n =
      seq_before(seq, limit) ? std::min<uint32_t>(limit - seq, send_mss()) : 0;
  const bool fin = snd.fin == FinState::kSent && seq + n == data_end;
  if (n == 0 && !fin) return;
  send_data(seq, n, fin, env);
  const uint32_t end = seq + n + (fin ? 1 : 0);
  snd.rtt.on_send(end, env.now, true);
  ++env.counters.RetransSegs;
  if (seq_before(snd.high_rxt, end)) snd.high_rxt = end;
  // During go-back-N after an RTO this segment now counts as resent.
  if (seq_before(snd.rtx_nxt, snd.nxt) && seq_before(snd.rtx_nxt, end))
    snd.rtx_nxt = end;
}

bool Connection::retransmit_next_hole(ConnectionEnv& env) {
  const std::optional<uint32_t> seq = snd.next_hole();
  if (!seq) return false;
  retransmit_at(*seq, env);
  return true;
}

void Connection::on_ack(const wire::Segment& seg, ConnectionEnv& env) {
  using namespace wire::flags;
  Counters& c = env.counters;
  const uint32_t seg_wnd = static_cast<uint32_t>(seg.window) << snd.wscale;
  // RFC 5681 §2: judged against the window before this segment updates it.
  const bool plain_duplicate = is_duplicate_ack(
      snd.una != snd.nxt, static_cast<uint32_t>(seg.payload.size()),
      seg.has(kSyn) || seg.has(kFin), seg.ack, snd.una, seg_wnd, snd.wnd);
  const bool advanced = seq_after(seg.ack, snd.una);
  const uint32_t acked = advanced ? seg.ack - snd.una : 0;
  if (advanced) {
    snd.buffer.release(acked);  // our FIN's number releases no byte
    snd.probe_answered();
    snd.una = seg.ack;
    snd.sacked.advance(snd.una);
  }
  // RFC 6675 §2: with SACK, an ACK that SACKs new data is a DupAck whether
  // or not it carries data or a new window (the peer's ACKs often ride on
  // its own data).
  const uint32_t newly_sacked =
      sack_ok ? snd.sacked.update(seg.options.sacks(), snd.una, snd.nxt) : 0;
  const bool duplicate =
      !advanced && snd.una != snd.nxt &&
      (newly_sacked > 0 ||
       (plain_duplicate && seg.options.sack_block_count == 0));
  if (advanced) {
    std::optional<Time> ts_rtt;
    if (ts_ok && seg.options.timestamps) {
      ts_rtt = rtt_from_tsecr(ts_clock(env.now) + ts_offset,
                              seg.options.timestamps->tsecr);
    }
    (void)snd.rtt.on_ack(seg.ack, ts_rtt, env.now);
    const CongestionDecision d =
        snd.cc.on_new_ack(seg.ack, acked, snd.nxt - snd.una);
    snd.retransmits = 0;
    snd.stalled_since = snd.una == snd.nxt ? Time{0} : env.now;
    if (d.retransmit) {  // RFC 6582 §3.2 step 5: the next hole
      if (!sack_ok || !seq_after(snd.high_rxt, snd.una) ||
          !retransmit_next_hole(env)) {
        retransmit_at(snd.una, env);
      }
    }
    // RFC 6298 §5.2/§5.3: stop the timer when all is acknowledged, else
    // restart it (RFC 6582 §4 Impatient: only on the first partial ACK).
    if (snd.una == snd.nxt) {
      snd.timer_due = Time{0};
    } else if (d.restart_timer || !snd.cc.in_recovery()) {
      arm_timer(env);
    }
  } else if (duplicate) {
    const uint32_t flight = snd.nxt - snd.una;
    const uint32_t smss = send_mss();
    // RFC 5827 early retransmit: with fewer than four segments out and no
    // new data to send, fewer duplicates can ever arrive.
    const uint32_t segments = (flight + smss - 1) / smss;
    const bool nothing_new =
        snd.nxt == snd.una + snd.buffer.size() || snd.nxt - snd.una >= snd.wnd;
    const uint32_t dupthresh =
        segments >= 2 && segments < NewReno::kDupThresh + 1 && nothing_new
            ? segments - 1
            : NewReno::kDupThresh;
    const CongestionDecision d =
        snd.cc.on_duplicate_ack(seg.ack, flight, snd.nxt, dupthresh);
    if (d.retransmit) {
      ++c.TCPFastRetrans;  // RFC 5681 §3.2 step 2: the third duplicate
      snd.high_rxt = snd.una;
      retransmit_at(snd.una, env);
    } else if (sack_ok && snd.cc.in_recovery()) {
      // RFC 6675 §5 step (C): each DupAck lets one more hole be resent.
      (void)retransmit_next_hole(env);
    } else if (!snd.cc.in_recovery() && snd.cc.duplicate_acks() < dupthresh) {
      // RFC 3042 limited transmit: a new segment for each of the first
      // duplicates, so that enough of them can arrive.
      transmit(env, snd.cc.duplicate_acks() * smss);
    }
    if (d.restart_timer) snd.timer_due = rto_due(env);
  }
  // A peer that answers our probes with a zero window is alive: the default
  // user timeout is for a silent peer. An explicit TCP_USER_TIMEOUT bounds
  // zero-window probing too, answered or not (Linux icsk_probes_tstamp).
  if (seg_wnd == 0 && seg.ack == snd.una && snd.stalled_since != Time{0} &&
      sockopt.user_timeout == Time{0}) {
    snd.stalled_since = env.now;
  }
  snd.update_window(seg.seq, seg.ack, seg_wnd);
}

void Connection::arm_timer(ConnectionEnv& env) {
  // RFC 8985 §7.2: with SACK and an RTT sample, a tail loss probe fires
  // after PTO = 2·SRTT (at least 10 ms, Linux's floor), plus WCDelAckT
  // with a single segment out (its ACK may be delayed); an RTO due sooner
  // sends the probe at the RTO's time. None during recovery, with a probe
  // unanswered, or when the user timeout ends the connection first.
  const Time due = rto_due(env);
  snd.timer_due = due;
  snd.disarm_probe();
  const std::optional<Time> srtt = snd.rtt.srtt();
  if (!sack_ok || !srtt || snd.tlp == TlpState::kOut ||
      snd.loss_state() != LossState::kOpen || due < env.now + snd.rtt.rto()) {
    return;
  }
  constexpr Time kWcDelAckT = std::chrono::milliseconds(200);
  Time pto = std::max<Time>(2 * *srtt, std::chrono::milliseconds(10));
  if (snd.nxt - snd.una <= send_mss()) pto += kWcDelAckT;
  snd.timer_due = std::min(due, env.now + pto);
  snd.tlp = TlpState::kArmed;
}

void Connection::send_loss_probe(ConnectionEnv& env) {
  // RFC 8985 §7.3: new data if the windows allow it, else the last
  // segment again; either draws an ACK whose SACK blocks start recovery.
  ++env.counters.TCPLossProbes;
  snd.tlp = TlpState::kOut;
  const uint32_t before = snd.nxt;
  transmit(env);
  if (snd.nxt == before) {
    const uint32_t end = snd.fin == FinState::kSent ? snd.data_end() : snd.nxt;
    retransmit_at(end - std::min<uint32_t>(end - snd.una, send_mss()), env);
  }
}

ConnectionEvent Connection::on_retransmit_timer(ConnectionEnv& env) {
  Counters& c = env.counters;
  if (snd.tlp == TlpState::kArmed) {
    snd.tlp = TlpState::kNone;
    send_loss_probe(env);
    snd.timer_due = rto_due(env);
    return ConnectionEvent::kNone;
  }
  if (snd.una == snd.nxt) {
    // Persist timer (RFC 9293 §3.8.6.1): one new byte probes the zero
    // window; from then on it is in flight and the RTO resends it.
    if (!sends(state) || snd.buffer.size() == 0) return ConnectionEvent::kNone;
    if (snd.wnd > 0) {
      transmit(env);
      return ConnectionEvent::kNone;
    }
    ++c.TCPWinProbe;
    send_data(snd.nxt, 1, false, env);
    snd.nxt += 1;
    snd.rtx_nxt = snd.nxt;
    snd.rtt.on_send(snd.nxt, env.now, false);
    if (snd.stalled_since == Time{0}) snd.stalled_since = env.now;
    snd.timer_due = rto_due(env);
    return ConnectionEvent::kNone;
  }
  ++c.TCPTimeouts;
  const bool timeout = snd.stalled_since != Time{0} &&
                       env.now - snd.stalled_since >= user_timeout(env.config);
  // Linux tcp_orphan_retries bounds how long a FIN is retransmitted, unless
  // the socket set its own user timeout (which then bounds it alone).
  const bool fin_gives_up = snd.fin == FinState::kSent &&
                            sockopt.user_timeout == Time{0} &&
                            snd.retransmits >= env.config.orphan_retries;
  // A closed socket's zero-window probes, answered or not, are bounded the
  // same way (Linux tcp_probe_timer: tcp_orphan_retries for a dead socket),
  // or a peer that never opens its window holds the socket forever.
  const bool probe_gives_up = env.orphaned && snd.wnd == 0 &&
                              sockopt.user_timeout == Time{0} &&
                              snd.retransmits >= env.config.orphan_retries;
  if (timeout || fin_gives_up || probe_gives_up) {
    ++c.TCPAbortOnTimeout;
    timed_out = timeout;
    send_rst(env);
    set_state(TcpState::kClosed, c);
    return ConnectionEvent::kClosed;
  }
  ++snd.retransmits;
  // RFC 6298 §5.4-5.6 with RFC 5681 §3.1 eq. 4: resend the first segment,
  // back off, and slow-start the rest from SND.UNA.
  snd.rtt.backoff();
  snd.cc.on_rto(snd.nxt - snd.una, snd.nxt);
  snd.rtx_nxt = snd.high_rxt = snd.una;
  // A second timeout in a row may mean the peer reneged on what it SACKed
  // (RFC 2018 §8): resend everything.
  if (snd.retransmits > 1) snd.sacked.clear();
  retransmit_at(snd.una, env);
  transmit(env);
  snd.timer_due = rto_due(env);
  return ConnectionEvent::kNone;
}

}  // namespace tcpref::tcp
