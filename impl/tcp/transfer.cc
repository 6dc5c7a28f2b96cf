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
  RttConfig r;
  r.min_rto = config.min_rto;
  r.initial_rto = config.synack_initial_rto;
  rtt = RttEstimator(r);
  cc = NewReno(send_mss(), iss);
  dack = DelayedAck(config.delayed_ack);
  rtx_nxt = snd_nxt;
}

uint16_t Connection::send_mss() const { return payload_mss(mss, ts_ok); }

Time Connection::user_timeout(const StackConfig& config) const {
  return sockopt.user_timeout != Time{0} ? sockopt.user_timeout
                                         : config.user_timeout;
}

Time Connection::rto_due(const ConnectionEnv& env) const {
  const Time due = env.now + rtt.rto();
  if (stalled_since == Time{0}) return due;
  return std::max(env.now,
                  std::min(due, stalled_since + user_timeout(env.config)));
}

void Connection::set_options(const SocketOptions& options, ConnectionEnv& env) {
  const bool nodelay_on = options.nodelay && !sockopt.nodelay;
  sockopt = options;
  // Linux pushes what Nagle held back when TCP_NODELAY is turned on.
  if (nodelay_on) transmit(env);
  // A new user timeout bounds the retransmission already pending.
  if (timer_due != Time{0} && stalled_since != Time{0} && sends(state)) {
    const Time limit =
        std::max(env.now, stalled_since + user_timeout(env.config));
    if (limit < timer_due) {
      timer_due = limit;
      probe_armed = false;
    }
  }
}

Time Connection::deadline() const {
  Time d{0};
  for (const Time t :
       {timer_due, linger_due, dack.deadline().value_or(Time{0})}) {
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
  if (fin_queued || !(may_write(state) || fast_open_early)) {
    return {0, Error::kClosed};
  }
  const uint32_t n = tx.append(data);
  if (n == 0) return {0, data.empty() ? Error::kOk : Error::kWouldBlock};
  transmit(env);
  return {n, Error::kOk};
}

void Connection::sent_ack(const wire::Segment& s) {
  rcv_adv = rcv_nxt +
            (static_cast<uint32_t>(s.window) << (wscale_ok ? rcv_wscale : 0));
  dack.on_ack_sent();
  ack_owed = false;
}

void Connection::send_data(uint32_t seq, uint32_t len, bool fin,
                           ConnectionEnv& env, bool push) {
  using namespace wire::flags;
  const uint32_t data_end = snd_una + tx.size();
  uint8_t flags = kAck;
  if (fin) flags |= kFin;
  // Linux sets PSH on the segment that empties what the application wrote.
  if (len > 0 && (push || seq + len == data_end)) flags |= kPsh;
  wire::Segment s = make_segment(flags, env);
  s.seq = seq;
  const std::span<uint8_t> scratch = env.output.payload_scratch().first(len);
  s.payload = scratch.first(tx.peek(seq - snd_una, scratch));
  env.output.send(s);
  sent_ack(s);
}

void Connection::transmit(ConnectionEnv& env, uint32_t cwnd_extra) {
  if (!sends(state) && !(state == TcpState::kSynReceived && fast_open)) return;
  if (seq_before(rtx_nxt, snd_una)) rtx_nxt = snd_una;
  const uint32_t data_end = snd_una + tx.size();
  const uint32_t smss = send_mss();
  const uint32_t wnd = std::min(snd_wnd, cc.cwnd() + cwnd_extra);
  for (;;) {
    // After an RTO, [rtx_nxt, SND.NXT) is resent before anything new, and
    // counts as not in flight (it is presumed lost); SACKed runs are skipped.
    if (seq_before(rtx_nxt, snd_nxt)) {
      rtx_nxt = seq_min(sacked.skip_sacked(rtx_nxt), snd_nxt);
    }
    const bool resend = seq_before(rtx_nxt, snd_nxt);
    const uint32_t from = resend ? rtx_nxt : snd_nxt;
    const uint32_t limit = resend
                               ? sacked.hole_end(from, snd_nxt)
                               : data_end + ((fin_queued && !fin_sent) ? 1 : 0);
    const uint32_t data_limit = seq_min(limit, data_end);
    const uint32_t len = seq_before(from, data_limit) ? data_limit - from : 0;
    const bool fin_here = fin_queued && seq_after(limit, data_end);
    if (len == 0 && !fin_here) break;
    const uint32_t flight = from - snd_una;
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
    rtt.on_send(end, env.now, resend);
    if (resend) {
      ++env.counters.RetransSegs;
    } else {
      snd_nxt = end;
      if (fin) fin_sent = true;
    }
    rtx_nxt = end;
    if (stalled_since == Time{0}) stalled_since = env.now;
    if (timer_due == Time{0}) arm_timer(env);
  }
  // RFC 9293 §3.8.6.1: data waits behind a zero window with nothing in
  // flight to draw an ACK: the persist timer will probe.
  if (timer_due == Time{0} && snd_una == snd_nxt && tx.size() > 0) {
    timer_due = rto_due(env);
  }
}

void Connection::retransmit_at(uint32_t seq, ConnectionEnv& env) {
  const uint32_t data_end = snd_una + tx.size();
  const uint32_t limit = sacked.hole_end(seq, seq_min(snd_nxt, data_end));
  const uint32_t n =
      seq_before(seq, limit) ? std::min<uint32_t>(limit - seq, send_mss()) : 0;
  const bool fin = fin_sent && seq + n == data_end;
  if (n == 0 && !fin) return;
  send_data(seq, n, fin, env);
  const uint32_t end = seq + n + (fin ? 1 : 0);
  rtt.on_send(end, env.now, true);
  ++env.counters.RetransSegs;
  if (seq_before(high_rxt, end)) high_rxt = end;
  // During go-back-N after an RTO this segment now counts as resent.
  if (seq_before(rtx_nxt, snd_nxt) && seq_before(rtx_nxt, end)) rtx_nxt = end;
}

bool Connection::retransmit_next_hole(ConnectionEnv& env) {
  // RFC 6675 §4 NextSeg rule 1 (without IsLost's threshold): the first
  // un-SACKed byte above what this recovery already resent, below SACKed
  // data.
  const uint32_t seq =
      sacked.skip_sacked(seq_after(high_rxt, snd_una) ? high_rxt : snd_una);
  if (!sacked.sacked_above(seq)) return false;
  retransmit_at(seq, env);
  return true;
}

void Connection::on_ack(const wire::Segment& seg, ConnectionEnv& env) {
  using namespace wire::flags;
  Counters& c = env.counters;
  const uint32_t seg_wnd = static_cast<uint32_t>(seg.window) << snd_wscale;
  // RFC 5681 §2: judged against the window before this segment updates it.
  const bool plain_duplicate = is_duplicate_ack(
      snd_una != snd_nxt, static_cast<uint32_t>(seg.payload.size()),
      seg.has(kSyn) || seg.has(kFin), seg.ack, snd_una, seg_wnd, snd_wnd);
  const bool advanced = seq_after(seg.ack, snd_una);
  const uint32_t acked = advanced ? seg.ack - snd_una : 0;
  if (advanced) {
    tx.release(acked);  // our FIN's number releases no byte
    probe_out = false;
    snd_una = seg.ack;
    sacked.advance(snd_una);
  }
  // RFC 6675 §2: with SACK, an ACK that SACKs new data is a DupAck whether
  // or not it carries data or a new window (the peer's ACKs often ride on
  // its own data).
  const uint32_t newly_sacked =
      sack_ok ? sacked.update(seg.options.sacks(), snd_una, snd_nxt) : 0;
  const bool duplicate =
      !advanced && snd_una != snd_nxt &&
      (newly_sacked > 0 ||
       (plain_duplicate && seg.options.sack_block_count == 0));
  if (advanced) {
    std::optional<Time> ts_rtt;
    if (ts_ok && seg.options.timestamps) {
      ts_rtt = rtt_from_tsecr(ts_clock(env.now) + ts_offset,
                              seg.options.timestamps->tsecr);
    }
    (void)rtt.on_ack(seg.ack, ts_rtt, env.now);
    const CongestionDecision d =
        cc.on_new_ack(seg.ack, acked, snd_nxt - snd_una);
    retransmits = 0;
    stalled_since = snd_una == snd_nxt ? Time{0} : env.now;
    if (d.retransmit) {  // RFC 6582 §3.2 step 5: the next hole
      if (!sack_ok || !seq_after(high_rxt, snd_una) ||
          !retransmit_next_hole(env)) {
        retransmit_at(snd_una, env);
      }
    }
    // RFC 6298 §5.2/§5.3: stop the timer when all is acknowledged, else
    // restart it (RFC 6582 §4 Impatient: only on the first partial ACK).
    if (snd_una == snd_nxt) {
      timer_due = Time{0};
    } else if (d.restart_timer || !cc.in_recovery()) {
      arm_timer(env);
    }
  } else if (duplicate) {
    const uint32_t flight = snd_nxt - snd_una;
    const uint32_t smss = send_mss();
    // RFC 5827 early retransmit: with fewer than four segments out and no
    // new data to send, fewer duplicates can ever arrive.
    const uint32_t segments = (flight + smss - 1) / smss;
    const bool nothing_new =
        snd_nxt == snd_una + tx.size() || snd_nxt - snd_una >= snd_wnd;
    const uint32_t dupthresh =
        segments >= 2 && segments < NewReno::kDupThresh + 1 && nothing_new
            ? segments - 1
            : NewReno::kDupThresh;
    const CongestionDecision d =
        cc.on_duplicate_ack(seg.ack, flight, snd_nxt, dupthresh);
    if (d.retransmit) {
      ++c.TCPFastRetrans;  // RFC 5681 §3.2 step 2: the third duplicate
      high_rxt = snd_una;
      retransmit_at(snd_una, env);
    } else if (sack_ok && cc.in_recovery()) {
      // RFC 6675 §5 step (C): each DupAck lets one more hole be resent.
      (void)retransmit_next_hole(env);
    } else if (!cc.in_recovery() && cc.duplicate_acks() < dupthresh) {
      // RFC 3042 limited transmit: a new segment for each of the first
      // duplicates, so that enough of them can arrive.
      transmit(env, cc.duplicate_acks() * smss);
    }
    if (d.restart_timer) timer_due = rto_due(env);
  }
  // A peer that answers our probes with a zero window is alive: the user
  // timeout is for a silent peer.
  if (seg_wnd == 0 && seg.ack == snd_una && stalled_since != Time{0}) {
    stalled_since = env.now;
  }
  // RFC 9293 §3.10.7.4: the window comes only from an ACK in
  // [SND.UNA, SND.NXT] (an older one is a duplicate) and from the newest
  // segment (SND.WL1/SND.WL2).
  if (!seq_before(seg.ack, snd_una) &&
      (seq_before(snd_wl1, seg.seq) ||
       (snd_wl1 == seg.seq && seq_before_eq(snd_wl2, seg.ack)))) {
    snd_wnd = seg_wnd;
    max_snd_wnd = std::max(max_snd_wnd, snd_wnd);
    snd_wl1 = seg.seq;
    snd_wl2 = seg.ack;
  }
}

void Connection::arm_timer(ConnectionEnv& env) {
  // RFC 8985 §7.2: with SACK and an RTT sample, a tail loss probe fires
  // after PTO = 2·SRTT (at least 10 ms, Linux's floor), plus WCDelAckT
  // with a single segment out (its ACK may be delayed); an RTO due sooner
  // sends the probe at the RTO's time. None during recovery, with a probe
  // unanswered, or when the user timeout ends the connection first.
  const Time due = rto_due(env);
  timer_due = due;
  probe_armed = false;
  const std::optional<Time> srtt = rtt.srtt();
  if (!sack_ok || !srtt || probe_out || cc.in_recovery() ||
      seq_before(rtx_nxt, snd_nxt) || due < env.now + rtt.rto()) {
    return;
  }
  constexpr Time kWcDelAckT = std::chrono::milliseconds(200);
  Time pto = std::max<Time>(2 * *srtt, std::chrono::milliseconds(10));
  if (snd_nxt - snd_una <= send_mss()) pto += kWcDelAckT;
  timer_due = std::min(due, env.now + pto);
  probe_armed = true;
}

void Connection::send_loss_probe(ConnectionEnv& env) {
  // RFC 8985 §7.3: new data if the windows allow it, else the last
  // segment again; either draws an ACK whose SACK blocks start recovery.
  ++env.counters.TCPLossProbes;
  probe_out = true;
  const uint32_t before = snd_nxt;
  transmit(env);
  if (snd_nxt == before) {
    const uint32_t data_end = snd_una + tx.size();
    const uint32_t end = fin_sent ? data_end : snd_nxt;
    retransmit_at(end - std::min<uint32_t>(end - snd_una, send_mss()), env);
  }
}

ConnectionEvent Connection::on_retransmit_timer(ConnectionEnv& env) {
  Counters& c = env.counters;
  if (probe_armed) {
    probe_armed = false;
    send_loss_probe(env);
    timer_due = rto_due(env);
    return ConnectionEvent::kNone;
  }
  if (snd_una == snd_nxt) {
    // Persist timer (RFC 9293 §3.8.6.1): one new byte probes the zero
    // window; from then on it is in flight and the RTO resends it.
    if (!sends(state) || tx.size() == 0) return ConnectionEvent::kNone;
    if (snd_wnd > 0) {
      transmit(env);
      return ConnectionEvent::kNone;
    }
    ++c.TCPWinProbe;
    send_data(snd_nxt, 1, false, env);
    snd_nxt += 1;
    rtx_nxt = snd_nxt;
    rtt.on_send(snd_nxt, env.now, false);
    if (stalled_since == Time{0}) stalled_since = env.now;
    timer_due = rto_due(env);
    return ConnectionEvent::kNone;
  }
  ++c.TCPTimeouts;
  const bool timeout = stalled_since != Time{0} &&
                       env.now - stalled_since >= user_timeout(env.config);
  // Linux tcp_orphan_retries bounds how long a FIN is retransmitted, unless
  // the socket set its own user timeout (which then bounds it alone).
  const bool fin_gives_up = fin_sent && sockopt.user_timeout == Time{0} &&
                            retransmits >= env.config.orphan_retries;
  if (timeout || fin_gives_up) {
    ++c.TCPAbortOnTimeout;
    timed_out = timeout;
    send_rst(env);
    set_state(TcpState::kClosed, c);
    return ConnectionEvent::kClosed;
  }
  ++retransmits;
  // RFC 6298 §5.4-5.6 with RFC 5681 §3.1 eq. 4: resend the first segment,
  // back off, and slow-start the rest from SND.UNA.
  rtt.backoff();
  cc.on_rto(snd_nxt - snd_una, snd_nxt);
  rtx_nxt = high_rxt = snd_una;
  // A second timeout in a row may mean the peer reneged on what it SACKed
  // (RFC 2018 §8): resend everything.
  if (retransmits > 1) sacked.clear();
  retransmit_at(snd_una, env);
  transmit(env);
  timer_due = rto_due(env);
  return ConnectionEvent::kNone;
}

}  // namespace tcpref::tcp
