// TCP Fast Open on a listener's SYN (RFC 7413 §4.2.2; Linux
// tcp_try_fastopen and tcp_fastopen_create_child): the cookie check, the
// pending-children limit, and the TFO child itself.
#include <algorithm>

#include "impl/tcp/fast_open_cookie.h"
#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

Stack::Impl::FastOpenDecision Stack::Impl::fast_open_decide(
    uint32_t l, const RxContext& rx) {
  const Listener& L = listeners[l];
  const FastOpenOptions& fo = L.options.fast_open;
  const std::optional<wire::FastOpenCookie>& sent = rx.seg.options.fast_open;
  FastOpenDecision d;
  if (sent && sent->length == 0) ++counters.TCPFastOpenCookieReqd;
  // Neither data nor the option: nothing to do with TFO.
  if (rx.seg.payload.empty() && !sent) return d;
  // RFC 7413 §5.1: a bound on pending TFO children; beyond it, a normal
  // handshake (and no cookie, as Linux).
  if (L.fast_open_pending >= fo.queue_length) {
    ++counters.TCPFastOpenListenOverflow;
    return d;
  }
  if (fo.cookie_not_required) {
    d.create_child = true;
    return d;
  }
  if (!sent) return d;  // data without the option: ignored (§4.2.2)
  const bool experimental = sent->experimental;
  const auto primary =
      fast_open_cookie(fo.key, rx.tuple.remote.addr, rx.tuple.local.addr);
  d.cookie = fast_open_option(primary, experimental);
  if (sent->length == 0) return d;  // a cookie request (§4.1.2)
  if (fast_open_cookie_matches(*sent, primary)) {
    d.create_child = true;
  } else if (fo.backup_key &&
             fast_open_cookie_matches(
                 *sent, fast_open_cookie(*fo.backup_key, rx.tuple.remote.addr,
                                         rx.tuple.local.addr))) {
    // Valid under the old key: accept, and hand out the current cookie.
    ++counters.TCPFastOpenPassiveAltKey;
    d.create_child = true;
    d.child_cookie = d.cookie;
  } else {
    ++counters.TCPFastOpenPassiveFail;  // §4.2.2: invalid, data not taken
  }
  return d;
}

bool Stack::Impl::fast_open_child(
    uint32_t l, const RxContext& rx, const SynOptions& o, uint32_t iss,
    uint32_t ts_offset, const std::optional<wire::FastOpenCookie>& cookie) {
  const std::optional<uint32_t> s = allocate_socket();
  if (!s) return false;
  Listener& L = listeners[l];
  Connection& c = sockets[*s];
  c.tuple = rx.tuple;
  c.snd.iss = iss;
  c.rcv.irs = rx.seg.seq;
  // SND.UNA starts past our SYN: data we send before the handshake's ACK
  // follows it, and the send buffer counts from SND.UNA.
  c.snd.una = c.snd.nxt = iss + 1;
  c.rcv.nxt = rx.seg.seq + 1;
  c.mss = o.mss;
  c.wscale_ok = o.wscale_ok;
  c.snd.wscale = o.wscale_ok ? o.snd_wscale : 0;
  c.rcv.wscale = o.wscale_ok ? o.rcv_wscale : 0;
  c.sack_ok = o.sack_ok;
  c.ts_ok = o.ts_ok;
  c.ecn_ok = o.ecn_ok;
  c.rcv.ts_recent = o.ts_recent;
  c.ts_offset = ts_offset;
  slots[*s].listener = static_cast<uint16_t>(l);
  c.sockopt = L.options.socket;
  c.adv_mss = advertised_mss(config, c.sockopt.max_segment);
  c.fast_open = true;
  slots[*s].tfo_counted = true;
  // Linux allows a TFO child one SYN-ACK retransmission more than a
  // request sock (tcp_fastopen_synack_timer).
  c.synack_retries = static_cast<uint8_t>(
      std::min<uint32_t>(L.options.synack_retries + 1u, UINT8_MAX));
  // RFC 7323 §2.2: the SYN's window is never scaled.
  c.snd.wnd = c.snd.max_wnd = rx.seg.window;
  c.snd.wl1 = rx.seg.seq;
  c.snd.wl2 = c.snd.una;
  c.start_transfer(config);
  c.set_state(TcpState::kSynReceived, counters);
  // RFC 7413 §4.2.2: the SYN's data goes to the application at once.
  const uint32_t taken = c.rcv.buffer.push(rx.seg.payload);
  c.rcv.nxt += taken;
  c.syn_data = taken > 0;
  c.rcv.adv = c.rcv.nxt + synack_window(config);
  slots[*s].hashed = true;
  socket_index.insert(*s, rx.hash);
  L.accept_queue.push(*s, slots);
  ++L.fast_open_pending;
  ++counters.TCPFastOpenPassive;
  ++counters.PassiveOpens;

  ConnectionEnv e = env(*s, rx.now);
  c.send_fast_open_synack(e, cookie);
  c.snd.timer_due = rx.now + config.synack_initial_rto;
  sync_socket_timer(*s);
  if (observer != nullptr) {
    observer->on_ready(ListenerId{l}, ready::kAcceptable);
  }
  return true;
}

void Stack::Impl::settle_fast_open(uint32_t s) {
  SocketSlot& slot = slots[s];
  if (!slot.tfo_counted || sockets[s].state == TcpState::kSynReceived) return;
  slot.tfo_counted = false;
  --listeners[slot.listener].fast_open_pending;
}

}  // namespace tcpref::tcp
