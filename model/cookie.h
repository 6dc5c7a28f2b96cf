// SYN cookies (RFC 4987 §3.6), in the shape Linux uses: the ISS carries a
// MAC of the connection, a coarse clock value and an MSS-table index, so the
// final ACK can recreate the connection without stored state.
//
// Layout of the cookie (the ISS of the SYN-ACK):
//   bits 31..8  high 24 bits of cookie_hash(secret, 4-tuple, SYN.SEQ, count)
//   bits  7..3  count mod 32 (cookie clock when the cookie was made)
//   bits  2..0  index into kCookieMssTable (eight levels)
#ifndef TCPREF_MODEL_COOKIE_H_
#define TCPREF_MODEL_COOKIE_H_

#include "model/domain.h"
#include "model/state.h"
#include "model/types.h"

namespace tcpref::model {

inline constexpr uint32_t kCookieHashMask = 0xFFFFFF00u;

// The MSS the peer offered: its option, or 536 without one (RFC 9293
// §3.7.1). An option of 0 means nothing and counts as absent.
template <class D>
typename D::Word offered_mss(const typename D::Bool& present,
                             const typename D::Word& mss) {
  return D::ite(present && !(mss == D::word(0)), mss, D::word(kDefaultMss));
}

// The MSS we send with: min(offer, ours), floored at kMinMss.
template <class D>
typename D::Word effective_mss(const typename D::Word& offer,
                               const typename D::Word& our_mss) {
  return umax<D>(umin<D>(offer, our_mss), D::word(kMinMss));
}

// Largest table entry not above `mss` (mss >= kMinMss = the first entry).
// round_up (a deliberate bug, for the proofs) takes the smallest entry at or
// above it instead.
template <class D>
typename D::Word cookie_mss_index(const typename D::Word& mss,
                                  bool round_up = false) {
  typename D::Word index = D::word(round_up ? kCookieMssLevels - 1 : 0);
  for (uint32_t i = 1; i < kCookieMssLevels; ++i) {
    if (round_up) {
      const uint32_t j = kCookieMssLevels - 1 - i;
      index =
          D::ite(D::ule(mss, D::word(kCookieMssTable[j])), D::word(j), index);
    } else {
      index =
          D::ite(D::ule(D::word(kCookieMssTable[i]), mss), D::word(i), index);
    }
  }
  return index;
}

template <class D>
typename D::Word cookie_table_mss(const typename D::Word& index) {
  typename D::Word mss = D::word(kCookieMssTable[0]);
  for (uint32_t i = 1; i < kCookieMssLevels; ++i) {
    mss = D::ite((index & 7u) == D::word(i), D::word(kCookieMssTable[i]), mss);
  }
  return mss;
}

template <class D>
typename D::Word cookie_mac(const Params<D>& p, const typename D::Word& seq,
                            const typename D::Word& count) {
  return D::cookie_hash(p.cookie_secret, p.remote_addr, p.local_addr,
                        p.remote_port, p.local_port, seq, count);
}

// The ISS for a SYN with sequence number syn_seq at cookie clock count.
template <class D>
typename D::Word make_cookie(const Params<D>& p,
                             const typename D::Word& syn_seq,
                             const typename D::Word& count,
                             const typename D::Word& mss_index) {
  return (cookie_mac<D>(p, syn_seq, count) & kCookieHashMask) |
         ((count & 31u) << 3u) | (mss_index & 7u);
}

template <class D>
struct CookieCheck {
  typename D::Bool valid;
  typename D::Word mss_index;
};

// Validate the cookie returned in an ACK (SEG.ACK = cookie + 1,
// SEG.SEQ = SYN.SEQ + 1) at cookie clock `count`: the MAC must match for a
// clock value at most kMaxCookieAge ticks old. Every index is a table entry.
template <class D>
CookieCheck<D> check_cookie(const Params<D>& p, const typename D::Word& seg_seq,
                            const typename D::Word& seg_ack,
                            const typename D::Word& count) {
  typename D::Word cookie = seg_ack - 1u;
  typename D::Word index = cookie & 7u;
  typename D::Word age = (count - (cookie >> 3u)) & 31u;
  typename D::Word made_at = count - age;
  typename D::Bool mac_ok = (cookie_mac<D>(p, seg_seq - 1u, made_at) &
                             kCookieHashMask) == (cookie & kCookieHashMask);
  return {mac_ok && D::ule(age, D::word(kMaxCookieAge)), index};
}

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_COOKIE_H_
