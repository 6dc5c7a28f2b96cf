// A segment for a listener (RFC 9293 §3.10.7.2; Linux tcp_v4_do_rcv's
// LISTEN branch: cookie_v4_check and tcp_conn_request).
#include <algorithm>

#include "impl/tcp/stack_impl.h"
#include "impl/tcp/synack.h"

namespace tcpref::tcp {

Verdict Stack::Impl::listener_segment(uint32_t l, const RxContext& rx) {
  using namespace wire::flags;
  // RFC 9293 §3.10.7.2 "first": a RST to a listener is ignored.
  if (rx.seg.has(kRst)) {
    ++counters.InRsts;
    ++counters.TCPListenRstDrop;
    return Verdict::kDroppedInvalid;
  }
  // "second": any ACK in LISTEN is bad and draws <SEQ=SEG.ACK><CTL=RST> —
  // unless it is the ACK of a SYN cookie we sent (RFC 4987 §3.6).
  if (rx.seg.has(kAck)) {
    const Listener& L = listeners[l];
    if (!rx.seg.has(kSyn) && L.options.syn_cookies != SynCookieMode::kOff &&
        cookies_recent(L, rx.now)) {
      return cookie_ack(l, rx);
    }
    ++counters.TCPListenAckRst;
    send_reset(rx.seg);
    return Verdict::kDroppedInvalid;
  }
  if (!rx.seg.has(kSyn)) {
    ++counters.TCPListenNoFlagDrop;
    return Verdict::kDroppedInvalid;
  }
  // SYN+FIN is not a connection request anyone sends; Linux drops it too.
  if (rx.seg.has(kFin)) {
    ++counters.TCPListenSynFinDrop;
    return Verdict::kDroppedInvalid;
  }
  return conn_request(l, rx, std::nullopt);
}

bool Stack::Impl::cookies_recent(const Listener& l, Time now) const {
  return l.cookie_sent && now - l.last_cookie_sent < 2 * kCookieEpoch;
}

Verdict Stack::Impl::conn_request(uint32_t l, const RxContext& rx,
                                  std::optional<uint32_t> reopen_iss) {
  Listener& L = listeners[l];
  // Linux tcp_conn_request: while the accept queue is full, new SYNs are
  // dropped whatever the cookie mode; the client retries.
  if (L.accept_queue.full(L.options.backlog)) {
    ++counters.ListenOverflows;
    ++counters.ListenDrops;
    return Verdict::kDroppedInvalid;
  }
  const uint16_t user_mss = L.options.socket.max_segment;
  SynOptions o = negotiate(rx.seg, config, user_mss);
  const bool syn_queue_full =
      L.syn_queue_length >= L.options.syn_queue_limit || requests.full();
  bool want_cookie = false;
  if (L.options.syn_cookies == SynCookieMode::kAlways) {
    want_cookie = true;
  } else if (syn_queue_full) {
    if (L.options.syn_cookies == SynCookieMode::kOff) {
      ++counters.TCPReqQFullDrop;
      ++counters.ListenDrops;
      return Verdict::kDroppedInvalid;
    }
    ++counters.TCPReqQFullDoCookies;
    want_cookie = true;
  }

  if (want_cookie) {
    // Without timestamps there is nowhere to keep window scale, SACK or ECN,
    // so the SYN-ACK offers only MSS (as Linux does): nothing is promised
    // that the cookie cannot remember.
    if (!o.ts_ok) o = SynOptions{.mss = o.mss};
    const uint8_t index = SynCookies::mss_index(o.mss);
    const uint8_t bits = o.ts_ok ? SynCookies::ts_bits(o) : 0;
    const uint32_t iss =
        cookies.make(rx.tuple, rx.seg.seq, index, o.ts_ok, bits, rx.now);
    const uint32_t tsval =
        SynCookies::tsval(ts_clock(rx.now), bits) + isn.ts_offset(rx.tuple);
    output.send(
        make_synack(config, rx.tuple, iss, rx.seg.seq, o, tsval, user_mss));
    ++counters.SyncookiesSent;
    L.cookie_sent = true;
    L.last_cookie_sent = rx.now;
    return Verdict::kAccepted;
  }

  const IsnResult id = isn.generate(rx.tuple, rx.now);
  // RFC 7413 §4.2.2: with TFO on, a valid cookie (or none needed) and a
  // free slot, the SYN makes a child at once; otherwise the SYN-ACK may
  // carry a cookie for next time and the handshake is the normal one.
  std::optional<wire::FastOpenCookie> tfo_cookie;
  if (L.options.fast_open.queue_length > 0) {
    FastOpenDecision fo = fast_open_decide(l, rx);
    if (fo.create_child) {
      if (fast_open_child(l, rx, o, reopen_iss.value_or(id.iss), id.ts_offset,
                          fo.child_cookie)) {
        return Verdict::kAccepted;
      }
      ++counters.TCPFastOpenPassiveFail;
    }
    tfo_cookie = fo.cookie;
  }

  const uint32_t r = *requests.allocate();  // !syn_queue_full: a slot is free
  RequestSock& rs = requests[r];
  rs.tuple = rx.tuple;
  rs.iss = reopen_iss.value_or(id.iss);
  rs.irs = rx.seg.seq;
  rs.ts_recent = o.ts_recent;
  rs.ts_offset = id.ts_offset;
  rs.synack_us = static_cast<uint32_t>(rx.now.count());
  rs.mss = o.mss;
  rs.listener = static_cast<uint16_t>(l);
  rs.snd_wnd = rx.seg.window;
  rs.snd_wscale = o.snd_wscale;
  rs.rcv_wscale = o.rcv_wscale;
  rs.options = pack_bits(o);
  request_index.insert(r, rx.hash);
  request_timers.schedule(r, rx.now + config.synack_initial_rto);
  ++L.syn_queue_length;
  send_synack(rs, rx.now, tfo_cookie);
  return Verdict::kAccepted;
}

Verdict Stack::Impl::cookie_ack(uint32_t l, const RxContext& rx) {
  const uint32_t cookie = rx.seg.ack - 1;
  const uint32_t irs = rx.seg.seq - 1;
  const uint32_t ts_offset = isn.ts_offset(rx.tuple);
  // A cookie made for a timestamped SYN needs the TSecr bits back; for any
  // other cookie a TSopt on the ACK is ignored (RFC 7323 §3.2).
  const bool ts = SynCookies::has_timestamps(cookie);
  const bool ack_ts =
      rx.seg.options.timestamps.has_value() && config.timestamps;
  const uint8_t bits =
      ts && ack_ts ? static_cast<uint8_t>(
                         (rx.seg.options.timestamps->tsecr - ts_offset) &
                         kCookieTsBitsMask)
                   : 0;
  const SynCookies::Result check =
      (ts && !ack_ts) ? SynCookies::Result{CookieCheck::kBadMac, 0}
                      : cookies.check(rx.tuple, irs, cookie, bits, rx.now);
  if (check.check != CookieCheck::kOk) {
    // A forged or stale cookie is an ACK in LISTEN: RST (RFC 9293 §3.10.7.2).
    ++counters.SyncookiesFailed;
    send_reset(rx.seg);
    return Verdict::kDroppedInvalid;
  }
  ++counters.SyncookiesRecv;
  ChildParams p;
  p.tuple = rx.tuple;
  p.listener = static_cast<uint16_t>(l);
  p.iss = cookie;
  p.irs = irs;
  p.options.mss =
      std::min(check.mss,
               advertised_mss(config, listeners[l].options.socket.max_segment));
  if (ts) {
    p.options.ts_ok = true;
    p.options.ts_recent = rx.seg.options.timestamps->tsval;
    SynCookies::apply_ts_bits(bits, config, p.options);
  }
  p.ts_offset = ts_offset;
  p.from_cookie = true;
  // With the accept queue full a cookie ACK is dropped whatever the
  // overflow policy (Linux tcp_get_cookie_sock; the model's choice 4).
  uint32_t socket;
  return admit_child(p, rx, &socket) == Admission::kQueued
             ? Verdict::kAccepted
             : Verdict::kDroppedInvalid;
}

}  // namespace tcpref::tcp
