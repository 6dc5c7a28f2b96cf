// A segment for a request sock in SYN-RECEIVED (RFC 9293 §3.10.7.4 with
// RFC 5961; Linux tcp_check_req), and the SYN-ACK retransmission timer.
#include "impl/tcp/backoff.h"
#include "impl/tcp/seq.h"
#include "impl/tcp/stack_impl.h"
#include "impl/tcp/synack.h"

namespace tcpref::tcp {

namespace {
SynOptions options_of(const RequestSock& r) {
  SynOptions o;
  unpack_bits(r.options, o);
  o.mss = r.mss;
  o.snd_wscale = r.snd_wscale;
  o.rcv_wscale = r.rcv_wscale;
  o.ts_recent = r.ts_recent;
  return o;
}
}  // namespace

void Stack::Impl::send_synack(
    const RequestSock& r, Time now,
    const std::optional<wire::FastOpenCookie>& cookie) {
  wire::Segment s = make_synack(
      config, r.tuple, r.iss, r.irs, options_of(r), ts_clock(now) + r.ts_offset,
      listeners[r.listener].options.socket.max_segment);
  s.options.fast_open = cookie;  // only ever on the first SYN-ACK
  output.send(s);
}

void Stack::Impl::send_request_ack(const RequestSock& r, Time now) {
  // <SEQ=ISS+1><ACK=IRS+1><CTL=ACK>: what SYN-RECEIVED acknowledges.
  wire::Segment s;
  s.src_addr = r.tuple.local.addr;
  s.dst_addr = r.tuple.remote.addr;
  s.src_port = r.tuple.local.port;
  s.dst_port = r.tuple.remote.port;
  s.seq = r.iss + 1;
  s.ack = r.irs + 1;
  s.flags = wire::flags::kAck;
  // RFC 7323 §2.2: only SYN segments carry an unscaled window; once both
  // sides offered scaling this ACK's is scaled (Linux tcp_v4_reqsk_send_ack).
  const uint8_t shift = (r.options & optbit::kWscale) != 0 ? r.rcv_wscale : 0;
  s.window = static_cast<uint16_t>(synack_window(config) >> shift);
  if ((r.options & optbit::kTs) != 0) {
    s.options.timestamps =
        wire::Timestamps{ts_clock(now) + r.ts_offset, r.ts_recent};
  }
  output.send(s);
}

Verdict Stack::Impl::request_segment(uint32_t ri, const RxContext& rx) {
  using namespace wire::flags;
  RequestSock& r = requests[ri];
  const bool rst = rx.seg.has(kRst);
  const uint32_t rcv_nxt = r.irs + 1;

  // A retransmitted SYN (same IRS): our SYN-ACK was lost; send it again
  // (RFC 9293 §3.10.7.4 treats it as a duplicate; Linux inet_rtx_syn_ack).
  if ((rx.seg.flags & (kSyn | kAck | kRst | kFin)) == kSyn &&
      rx.seg.seq == r.irs) {
    ++counters.TCPSynRetrans;
    ++counters.RetransSegs;
    r.synack_resent = true;
    send_synack(r, rx.now);
    return Verdict::kAccepted;
  }
  // RFC 5961 §3.2: exact RST aborts the embryonic connection, an in-window
  // one draws a challenge ACK, anything else is dropped.
  if (rst) {
    ++counters.InRsts;
    //= RFC 9293 §3.10.7.4
    //# If the RST bit is set and the sequence number exactly matches the next
    //# expected sequence number (RCV.NXT), then TCP endpoints MUST reset the
    //# connection in the manner prescribed below according to the connection
    //# state.
    if (rx.seg.seq == rcv_nxt) {
      ++counters.EmbryonicRsts;
      ++counters.AttemptFails;
      free_request(ri, rx.hash);
      return Verdict::kAccepted;
    }
    //= RFC 9293 §3.10.7.4
    //# If the RST bit is set and the sequence number does not exactly match the
    //# next expected sequence value, yet is within the current receive window,
    //# TCP endpoints MUST send an acknowledgment (challenge ACK):
    //= RFC 9293 §3.10.7.4
    //# After sending the challenge ACK, TCP endpoints MUST drop the
    //# unacceptable segment and stop processing the incoming packet
    //# further.
    if (seq_in_window(rx.seg.seq, rcv_nxt, rcv_nxt + synack_window(config))) {
      if (r.challenge.allow(rx.now, config.challenge_acks_per_second)) {
        ++counters.TCPChallengeACK;
        send_request_ack(r, rx.now);
      } else {
        ++counters.TCPACKSkippedChallenge;
      }
    } else {
      ++counters.TCPRstOutOfWindowDrop;
    }
    return Verdict::kDroppedInvalid;
  }
  // RFC 9293 §3.10.7.4 "fifth", SYN-RECEIVED: an unacceptable ACK draws
  // <SEQ=SEG.ACK><CTL=RST> and the request sock stays. Checked before the
  // sequence number, as Linux's tcp_check_req and the model do.
  const uint32_t acceptable_ack =
      r.iss + (hooks.bug_accept_ack_iss_plus_2 ? 2 : 1);
  if (rx.seg.has(kAck) && rx.seg.ack != acceptable_ack) {
    ++counters.TCPReqBadAckRst;
    send_reset(rx.seg);
    return Verdict::kDroppedInvalid;
  }
  // RFC 7323 §3.2 and §5.3 R1, as for a full connection.
  if ((r.options & optbit::kTs) != 0) {
    if (!rx.seg.options.timestamps) {
      ++counters.TCPMissingTimestampDrop;
      return Verdict::kDroppedInvalid;
    }
    if (seq_before(rx.seg.options.timestamps->tsval, r.ts_recent)) {
      ++counters.PAWSEstab;
      send_request_ack(r, rx.now);
      return Verdict::kDroppedInvalid;
    }
  }
  // RFC 9293 §3.10.7.4 "first": unacceptable segments get an ACK.
  if (!seq_segment_acceptable(rx.seg.seq, rx.seg.seg_len(), rcv_nxt,
                              synack_window(config))) {
    ++counters.TCPOutOfWindowDrop;
    send_request_ack(r, rx.now);
    return Verdict::kDroppedInvalid;
  }
  // "fourth": a new SYN in the window aborts a passively opened embryonic
  // connection; like Linux (embryonic_reset) and the model, with a RST.
  if (rx.seg.has(kSyn)) {
    ++counters.AttemptFails;
    send_reset(rx.seg);
    free_request(ri, rx.hash);
    return Verdict::kDroppedInvalid;
  }
  // "fifth": no ACK, drop.
  if (!rx.seg.has(kAck)) {
    ++counters.TCPReqNoAckDrop;
    return Verdict::kDroppedInvalid;
  }
  // In window but past IRS+1: an earlier segment was lost. A request sock
  // keeps no out-of-order data, so re-ACK and let the peer retransmit.
  if (rx.seg.seq != rcv_nxt) {
    ++counters.TCPReqOutOfOrderDrop;
    send_request_ack(r, rx.now);
    return Verdict::kDroppedInvalid;
  }

  ChildParams p;
  p.tuple = r.tuple;
  p.listener = r.listener;
  p.iss = r.iss;
  p.irs = r.irs;
  p.options = options_of(r);
  p.ts_offset = r.ts_offset;
  p.syn_window = r.snd_wnd;
  if (r.retransmits == 0 && !r.synack_resent) {
    p.handshake_rtt = Time(static_cast<uint32_t>(rx.now.count()) - r.synack_us);
  }
  uint32_t socket;
  if (admit_child(p, rx, &socket) == Admission::kQueued) {
    free_request(ri, rx.hash);
    return Verdict::kAccepted;
  }
  // Overflow: kDrop keeps the request sock so a SYN-ACK retransmission
  // makes the peer resend its ACK; kReset gives up now.
  if (listeners[r.listener].options.overflow == OverflowPolicy::kReset) {
    send_reset(rx.seg);
    free_request(ri, rx.hash);
  }
  return Verdict::kDroppedInvalid;
}

void Stack::Impl::request_timer(uint32_t ri, Time now) {
  RequestSock& r = requests[ri];
  ++counters.TCPTimeouts;
  if (r.retransmits >= listeners[r.listener].options.synack_retries) {
    free_request(ri, hasher(r.tuple));
    return;
  }
  ++r.retransmits;
  ++counters.TCPSynRetrans;
  ++counters.RetransSegs;
  send_synack(r, now);
  // RFC 6298 §5.5: back off exponentially, 1 s, 2 s, 4 s, ... up to 120 s.
  request_timers.schedule(
      ri, now + backed_off(config.synack_initial_rto, r.retransmits));
}

void Stack::Impl::free_request(uint32_t ri, uint64_t hash) {
  --listeners[requests[ri].listener].syn_queue_length;
  request_index.erase(ri, hash);
  request_timers.cancel(ri);
  requests.release(ri);
}

}  // namespace tcpref::tcp
