// Value domains for the model: the same step() code runs over concrete
// machine integers (the executable oracle) and over Z3 terms (the proofs).
//
// A domain D provides:
//   D::Word   32-bit unsigned value (sequence numbers, counters, enums)
//   D::Bool   truth value
//   D::word(v), D::boolean(b)          constants
//   D::ite(c, a, b)                    selection, for Word and Bool
//   D::ult/ule(a, b)                   unsigned comparison
//   D::negative(a)                     sign bit, for serial arithmetic
//   D::cookie_hash(...)                the SYN-cookie MAC (RFC 4987)
// Words support + - & | ^ << >> (logical) == !=; Bools support && || ! == !=.
// Model code never uses < or > on words (the symbolic domain, in
// model/symbolic.h, has none: Z3 would read them as signed).
#ifndef TCPREF_MODEL_DOMAIN_H_
#define TCPREF_MODEL_DOMAIN_H_

#include <cstdint>

namespace tcpref::model {

// ---------------------------------------------------------------------------
// Concrete: uint32_t and bool.
struct Concrete {
  using Word = uint32_t;
  using Bool = bool;

  static Word word(uint32_t v) { return v; }
  static Bool boolean(bool b) { return b; }
  static Word ite(Bool c, Word a, Word b) { return c ? a : b; }
  static Bool ite(Bool c, Bool a, Bool b) { return c ? a : b; }
  static Bool ult(Word a, Word b) { return a < b; }
  static Bool ule(Word a, Word b) { return a <= b; }
  static Bool negative(Word a) { return static_cast<int32_t>(a) < 0; }

  // A keyed mixing function standing in for the MAC (impl uses SipHash).
  static Word cookie_hash(Word key, Word saddr, Word daddr, Word sport,
                          Word dport, Word seq, Word count);
};

// ---------------------------------------------------------------------------
// Serial-number arithmetic (RFC 1982; RFC 9293 §3.4): exact modulo 2^32.
template <class D>
typename D::Bool before(const typename D::Word& a, const typename D::Word& b) {
  return D::negative(a - b);
}
template <class D>
typename D::Bool after(const typename D::Word& a, const typename D::Word& b) {
  return before<D>(b, a);
}
template <class D>
typename D::Bool before_eq(const typename D::Word& a,
                           const typename D::Word& b) {
  return !after<D>(a, b);
}
// lo <= x < hi in sequence space, measured from lo (RFC 9293 §3.4).
template <class D>
typename D::Bool in_range(const typename D::Word& x, const typename D::Word& lo,
                          const typename D::Word& len) {
  return D::ult(x - lo, len);
}
template <class D>
typename D::Word umin(const typename D::Word& a, const typename D::Word& b) {
  return D::ite(D::ule(a, b), a, b);
}
template <class D>
typename D::Word umax(const typename D::Word& a, const typename D::Word& b) {
  return D::ite(D::ule(a, b), b, a);
}
template <class D>
typename D::Word as_word(const typename D::Bool& b) {
  return D::ite(b, D::word(1), D::word(0));
}

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_DOMAIN_H_
