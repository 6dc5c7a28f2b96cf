// The symbolic value domain: Z3 32-bit bit-vectors and Z3 booleans, so that
// step() builds the transition relation the proofs unroll. See domain.h for
// the interface every domain provides.
#ifndef TCPREF_MODEL_SYMBOLIC_H_
#define TCPREF_MODEL_SYMBOLIC_H_

#include <z3++.h>

#include <cstdint>
#include <string>

namespace tcpref::model {

// Symbolic: Z3 bit-vectors of width 32 and Z3 booleans, wrapped so that the
// two cannot be mixed up and so that no signed comparison sneaks in.
class SymBool;

class SymWord {
 public:
  SymWord();  // the constant 0
  explicit SymWord(z3::expr e) : e_(std::move(e)) {}
  const z3::expr& expr() const { return e_; }

  friend SymWord operator+(const SymWord& a, const SymWord& b) {
    return SymWord(a.e_ + b.e_);
  }
  friend SymWord operator-(const SymWord& a, const SymWord& b) {
    return SymWord(a.e_ - b.e_);
  }
  friend SymWord operator&(const SymWord& a, const SymWord& b) {
    return SymWord(a.e_ & b.e_);
  }
  friend SymWord operator|(const SymWord& a, const SymWord& b) {
    return SymWord(a.e_ | b.e_);
  }
  friend SymWord operator^(const SymWord& a, const SymWord& b) {
    return SymWord(a.e_ ^ b.e_);
  }
  friend SymWord operator<<(const SymWord& a, const SymWord& b) {
    return SymWord(z3::shl(a.e_, b.e_));
  }
  friend SymWord operator>>(const SymWord& a, const SymWord& b) {
    return SymWord(z3::lshr(a.e_, b.e_));
  }
  friend SymBool operator==(const SymWord& a, const SymWord& b);
  friend SymBool operator!=(const SymWord& a, const SymWord& b);

  // Mixed forms with unsigned constants, so model code reads like C++.
  friend SymWord operator+(const SymWord& a, uint32_t b) { return a + lit(b); }
  friend SymWord operator-(const SymWord& a, uint32_t b) { return a - lit(b); }
  friend SymWord operator&(const SymWord& a, uint32_t b) { return a & lit(b); }
  friend SymWord operator|(const SymWord& a, uint32_t b) { return a | lit(b); }
  friend SymWord operator<<(const SymWord& a, uint32_t b) {
    return a << lit(b);
  }
  friend SymWord operator>>(const SymWord& a, uint32_t b) {
    return a >> lit(b);
  }
  friend SymBool operator==(const SymWord& a, uint32_t b);
  friend SymBool operator!=(const SymWord& a, uint32_t b);

 private:
  static SymWord lit(uint32_t v);
  z3::expr e_;
};

class SymBool {
 public:
  SymBool();  // false
  explicit SymBool(z3::expr e) : e_(std::move(e)) {}
  const z3::expr& expr() const { return e_; }

  friend SymBool operator&&(const SymBool& a, const SymBool& b) {
    return SymBool(a.e_ && b.e_);
  }
  friend SymBool operator||(const SymBool& a, const SymBool& b) {
    return SymBool(a.e_ || b.e_);
  }
  friend SymBool operator!(const SymBool& a) { return SymBool(!a.e_); }
  friend SymBool operator==(const SymBool& a, const SymBool& b) {
    return SymBool(a.e_ == b.e_);
  }
  friend SymBool operator!=(const SymBool& a, const SymBool& b) {
    return SymBool(a.e_ != b.e_);
  }

 private:
  z3::expr e_;
};

inline SymBool operator==(const SymWord& a, const SymWord& b) {
  return SymBool(a.e_ == b.e_);
}
inline SymBool operator!=(const SymWord& a, const SymWord& b) {
  return SymBool(a.e_ != b.e_);
}
inline SymBool operator==(const SymWord& a, uint32_t b) {
  return a == SymWord::lit(b);
}
inline SymBool operator!=(const SymWord& a, uint32_t b) {
  return a != SymWord::lit(b);
}

struct Symbolic {
  using Word = SymWord;
  using Bool = SymBool;

  // One Z3 context per thread; every symbolic term of a thread lives in it.
  static z3::context& ctx();

  static Word word(uint32_t v) {
    return SymWord(ctx().bv_val(static_cast<uint64_t>(v), 32));
  }
  static Bool boolean(bool b) { return SymBool(ctx().bool_val(b)); }
  static Word ite(const Bool& c, const Word& a, const Word& b);
  static Bool ite(const Bool& c, const Bool& a, const Bool& b);
  static Bool ult(const Word& a, const Word& b) {
    return SymBool(z3::ult(a.expr(), b.expr()));
  }
  static Bool ule(const Word& a, const Word& b) {
    return SymBool(z3::ule(a.expr(), b.expr()));
  }
  static Bool negative(const Word& a) { return SymBool(z3::slt(a.expr(), 0)); }
  // The MAC is an uninterpreted function: proofs hold for every hash.
  static Word cookie_hash(const Word& key, const Word& saddr, const Word& daddr,
                          const Word& sport, const Word& dport, const Word& seq,
                          const Word& count);

  static Word var(const std::string& name) {
    return SymWord(ctx().bv_const(name.c_str(), 32));
  }
  static Bool bool_var(const std::string& name) {
    return SymBool(ctx().bool_const(name.c_str()));
  }
};

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_SYMBOLIC_H_
