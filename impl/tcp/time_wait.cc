// TIME-WAIT records: creation from a closing socket, segment processing
// (RFC 9293 §3.10.7.4 TIME-WAIT, RFC 1337, RFC 6191; Linux
// tcp_timewait_state_process) and expiry.
#include "impl/tcp/seq.h"
#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

namespace {
// Linux's choice for a reopened connection's ISS: past anything the old
// incarnation could still have in flight in an unscaled window.
constexpr uint32_t kReopenIssGap = 65535 + 2;

wire::Segment time_wait_ack(const TimeWaitSock& w, Time now) {
  wire::Segment s;
  s.src_addr = w.tuple.local.addr;
  s.dst_addr = w.tuple.remote.addr;
  s.src_port = w.tuple.local.port;
  s.dst_port = w.tuple.remote.port;
  s.seq = w.snd_nxt;
  s.ack = w.rcv_nxt;
  s.flags = wire::flags::kAck;
  s.window = w.rcv_wnd;
  if (w.ts_ok) {
    s.options.timestamps =
        wire::Timestamps{ts_clock(now) + w.ts_offset, w.ts_recent};
  }
  return s;
}
}  // namespace

void Stack::Impl::enter_time_wait(uint32_t s, Time now) {
  Connection& c = sockets[s];
  if (time_waits.full()) {
    // Linux: the socket just closes without TIME-WAIT protection.
    ++counters.TCPTimeWaitOverflow;
  } else {
    const uint32_t w = *time_waits.allocate();
    TimeWaitSock& tw = time_waits[w];
    tw.tuple = c.tuple;
    tw.snd_nxt = c.snd.nxt;
    tw.rcv_nxt = c.rcv.nxt;
    tw.ts_recent = c.rcv.ts_recent;
    tw.ts_offset = c.ts_offset;
    tw.rcv_wnd = c.window_field();
    tw.ts_ok = c.ts_ok;
    time_wait_index.insert(w, hasher(tw.tuple));
    time_wait_timers.schedule(w, now + config.time_wait_duration);
  }
  unhash_socket(s);  // the tuple now lives in the TIME-WAIT table
  c.set_state(TcpState::kClosed, counters);
  if (slots[s].orphaned) free_socket(s);
}

void Stack::Impl::free_time_wait(uint32_t w, uint64_t hash) {
  time_wait_index.erase(w, hash);
  time_wait_timers.cancel(w);
  time_waits.release(w);
}

Verdict Stack::Impl::time_wait_segment(uint32_t wi, const RxContext& rx) {
  using namespace wire::flags;
  TimeWaitSock& w = time_waits[wi];
  const bool rst = rx.seg.has(kRst);

  // RFC 6191 §2: a new SYN may reopen the connection if it is provably
  // newer: by timestamp when both incarnations use timestamps, otherwise by
  // sequence number (RFC 1122 §4.2.2.13). The record goes and the listener
  // handles the SYN as any other, except that a request sock gets an ISS
  // above the old SND.NXT. A SYN that cannot reopen (older, SYN+FIN, no
  // listener) draws an ACK (RFC 5961 §4.2; Linux TCP_TW_ACK).
  if (rx.seg.has(kSyn) && !rst && !rx.seg.has(kAck)) {
    const bool by_timestamp =
        w.ts_ok && config.timestamps && rx.seg.options.timestamps.has_value();
    const bool newer =
        by_timestamp ? seq_after(rx.seg.options.timestamps->tsval, w.ts_recent)
                     : seq_after(rx.seg.seq, w.rcv_nxt);
    const uint32_t l = find_listener(rx.tuple.local);
    if (newer && !rx.seg.has(kFin) && l != kNotFound) {
      const uint32_t iss = w.snd_nxt + kReopenIssGap;
      free_time_wait(wi, rx.hash);
      ++counters.TCPTimeWaitReopen;
      return conn_request(l, rx, iss);
    }
    //= RFC 9293 §3.10.7.4
    //# if the SYN bit is set, irrespective of the sequence number, TCP
    //# endpoints MUST send a "challenge ACK" to the remote peer:
    //= RFC 9293 §3.10.7.4
    //# After sending the acknowledgment, TCP implementations MUST drop the
    //# unacceptable segment and stop processing further.
    ++counters.TCPTimeWaitSynDrop;
    ++counters.TCPTimeWaitAck;
    output.send(time_wait_ack(w, rx.now));
    return Verdict::kDroppedInvalid;
  }
  // RFC 7323 §5.3 R1 (PAWS) holds in TIME-WAIT too.
  if (w.ts_ok && !rst && rx.seg.options.timestamps &&
      seq_before(rx.seg.options.timestamps->tsval, w.ts_recent)) {
    ++counters.PAWSEstab;
    output.send(time_wait_ack(w, rx.now));
    return Verdict::kDroppedInvalid;
  }
  if (rst) {
    ++counters.InRsts;
    // RFC 1337 §3 (TIME-WAIT assassination): by default a RST does not end
    // TIME-WAIT. Without that fix, only an exact RST (RFC 5961 §3.2) does.
    if (!config.rfc1337 && rx.seg.seq == w.rcv_nxt) {
      free_time_wait(wi, rx.hash);
      return Verdict::kAccepted;
    }
    ++counters.TCPTimeWaitRstDrop;
    return Verdict::kDroppedInvalid;
  }
  // A bare in-sequence ACK (e.g. a duplicate of the peer's last ACK) needs
  // no answer.
  if (!rx.seg.has(kFin) && !rx.seg.has(kSyn) && rx.seg.payload.empty() &&
      rx.seg.seq == w.rcv_nxt) {
    return Verdict::kAccepted;
  }
  // RFC 9293 §3.10.7.4 TIME-WAIT: a retransmitted FIN is acknowledged and
  // restarts the 2·MSL timeout; anything else gets an ACK.
  if (rx.seg.has(kFin)) {
    time_wait_timers.schedule(wi, rx.now + config.time_wait_duration);
  }
  ++counters.TCPTimeWaitAck;
  output.send(time_wait_ack(w, rx.now));
  return Verdict::kAccepted;
}

}  // namespace tcpref::tcp
