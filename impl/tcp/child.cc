// Child creation and accept-queue admission (Linux tcp_v4_syn_recv_sock and
// inet_csk_reqsk_queue_add): the connection becomes ESTABLISHED and the
// completing ACK is its first segment, so data or FIN on it is kept.
#include <algorithm>

#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

Admission Stack::Impl::admit_child(const ChildParams& p, const RxContext& rx,
                                   uint32_t* socket) {
  Listener& L = listeners[p.listener];
  if (L.accept_queue.full(L.options.backlog)) {
    ++counters.ListenOverflows;
    ++counters.ListenDrops;
    return Admission::kOverflow;
  }
  const std::optional<uint32_t> s = allocate_socket();
  if (!s) {
    ++counters.ListenDrops;
    return Admission::kNoMemory;
  }
  Connection& c = sockets[*s];
  c.tuple = p.tuple;
  c.snd.iss = p.iss;
  c.rcv.irs = p.irs;
  c.snd.una = c.snd.nxt = p.iss + 1;
  c.rcv.nxt = p.irs + 1;
  c.mss = p.options.mss;
  c.wscale_ok = p.options.wscale_ok;
  c.snd.wscale = p.options.wscale_ok ? p.options.snd_wscale : 0;
  c.rcv.wscale = p.options.wscale_ok ? p.options.rcv_wscale : 0;
  c.sack_ok = p.options.sack_ok;
  c.ts_ok = p.options.ts_ok;
  c.ecn_ok = p.options.ecn_ok;
  c.rcv.ts_recent = p.options.ts_recent;
  c.ts_offset = p.ts_offset;
  c.from_cookie = p.from_cookie;
  slots[*s].listener = p.listener;
  // Linux children inherit the listener's socket options (sk_clone).
  c.sockopt = L.options.socket;
  c.adv_mss = advertised_mss(config, c.sockopt.max_segment);
  // RFC 9293 §3.10.7.4 SYN-RECEIVED → ESTABLISHED: SND.WND from this ACK
  // (scaled: RFC 7323 §2.2), SND.WL1 = SEG.SEQ, SND.WL2 = SEG.ACK.
  c.snd.wnd = static_cast<uint32_t>(rx.seg.window) << c.snd.wscale;
  // RFC 5961 §5.2: MAX.SND.WND is the largest window ever received, the
  // SYN's (never scaled) included.
  c.snd.max_wnd = std::max<uint32_t>(c.snd.wnd, p.syn_window);
  c.snd.wl1 = rx.seg.seq;
  c.snd.wl2 = rx.seg.ack;
  c.rcv.adv = c.rcv.nxt + synack_window(config);
  c.start_transfer(config);
  if (p.handshake_rtt) c.snd.rtt.add_sample(*p.handshake_rtt);
  c.set_state(TcpState::kEstablished, counters);
  ++counters.PassiveOpens;
  slots[*s].hashed = true;
  socket_index.insert(*s, rx.hash);
  L.accept_queue.push(*s, slots);
  *socket = *s;

  ConnectionEnv e = env(*s, rx.now);
  const ConnectionResult r = c.on_segment(rx.seg, e);
  handle_event(*s, r.event, rx.now);
  if (observer != nullptr) {
    observer->on_ready(ListenerId{p.listener}, ready::kAcceptable);
  }
  return Admission::kQueued;
}

}  // namespace tcpref::tcp
