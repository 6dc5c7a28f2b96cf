// Listener parameters and the model state: one listener (with abstract counts
// of the other connections it holds) plus one tracked 4-tuple.
#ifndef TCPREF_MODEL_STATE_H_
#define TCPREF_MODEL_STATE_H_

#include <type_traits>

#include "model/domain.h"
#include "model/reflect.h"
#include "model/types.h"

namespace tcpref::model {

// Fixed for a run. In proofs every field is a free variable, so results hold
// for every configuration.
#define TCPREF_PARAMS_FIELDS(X)                                             \
  X(Word, syn_queue_limit)    /* max request socks (tcp_max_syn_backlog) */ \
  X(Word, cookie_mode)        /* CookieMode */                              \
  X(Bool, abort_on_overflow)  /* tcp_abort_on_overflow: RST, not drop */    \
  X(Bool, rfc1337)            /* RFC 1337: RST does not end TIME-WAIT */    \
  X(Word, max_synack_retries) /* tcp_synack_retries */                      \
  X(Word, our_mss)            /* MSS we announce */                         \
  X(Word, rcv_wscale)         /* our window shift (clamped to 14) */        \
  X(Bool, ws_enabled)         /* tcp_window_scaling */                      \
  X(Bool, sack_enabled)       /* tcp_sack */                                \
  X(Bool, ts_enabled)         /* tcp_timestamps */                          \
  X(Word, rcv_wnd)            /* free receive buffer (SYN-ACK: <= 65535) */ \
  X(Word, cookie_secret)                                                    \
  X(Word, local_addr)                                                       \
  X(Word, remote_addr)                                                      \
  X(Word, local_port)                                                       \
  X(Word, remote_port)

template <class D>
struct Params {
  TCPREF_REFLECT(TCPREF_PARAMS_FIELDS)
};

// Fields named after RFC 9293 §3.3.1 where one exists. ghost_* fields record
// history for the proofs only; step never reads them to decide anything.
#define TCPREF_STATE_FIELDS(X)                                               \
  X(Word, st) /* TcpState of the tracked 4-tuple */                          \
  X(Bool, listening)                                                         \
  X(Word, backlog)      /* from listen(), clamped to kMaxBacklog */          \
  X(Word, other_reqs)   /* request socks of other 4-tuples */                \
  X(Word, other_queued) /* children of other 4-tuples in the accept queue */ \
  X(Word, cookie_clock) /* ticks of the cookie clock */                      \
  X(Bool, in_reqsk_table)                                                    \
  X(Bool, in_established_table)                                              \
  X(Bool, in_timewait_table)                                                 \
  X(Word, iss)                                                               \
  X(Word, irs)                                                               \
  X(Word, snd_una)                                                           \
  X(Word, snd_nxt)                                                           \
  X(Word, snd_wnd)                                                           \
  X(Word, snd_wl1)     /* SEG.SEQ of the last window update */               \
  X(Word, snd_wl2)     /* SEG.ACK of the last window update */               \
  X(Word, max_snd_wnd) /* RFC 5961 §5.2 MAX.SND.WND */                      \
  X(Word, rcv_nxt)                                                           \
  X(Word, rcv_wnd)                                                           \
  X(Word, mss)        /* effective send MSS */                               \
  X(Bool, ws_ok)      /* window scaling negotiated */                        \
  X(Word, snd_wscale) /* peer's shift */                                     \
  X(Word, rcv_wscale) /* our shift */                                        \
  X(Bool, sack_ok)                                                           \
  X(Bool, ts_ok)                                                             \
  X(Word, ts_recent)   /* RFC 7323 TS.Recent */                              \
  X(Word, retransmits) /* SYN-ACK timer retransmissions so far */            \
  X(Bool, peer_fin)    /* queued child whose peer already sent FIN */        \
  X(Bool, from_cookie) /* child created from a SYN cookie */                 \
  X(Bool, ghost_offer_ws)                                                    \
  X(Bool, ghost_offer_sack)                                                  \
  X(Bool, ghost_offer_ts)                                                    \
  X(Bool, ghost_cookie_sent)                                                 \
  X(Word, ghost_cookie_iss)       /* the last cookie sent */                 \
  X(Word, ghost_cookie_offer_mss) /* the MSS its SYN offered */

template <class D>
struct ModelState {
  TCPREF_REFLECT(TCPREF_STATE_FIELDS)
};

// Nothing exists yet: no listener, no record, all counters zero.
template <class D>
ModelState<D> initial() {
  ModelState<D> s;
  ModelState<D>::visit(s, [](const char*, auto& field) {
    using F = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<F, typename D::Bool>) {
      field = D::boolean(false);
    } else {
      field = D::word(0);
    }
  });
  s.st = D::word(static_cast<uint32_t>(TcpState::kClosed));
  return s;
}

// Linux-like defaults, except rfc1337 (on, as the issue asks; Linux: 0).
Params<Concrete> default_params();

template <class D>
typename D::Bool in_state(const ModelState<D>& s, TcpState t) {
  return s.st == D::word(static_cast<uint32_t>(t));
}

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_STATE_H_
