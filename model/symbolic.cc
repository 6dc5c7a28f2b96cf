#include "model/symbolic.h"

namespace tcpref::model {

z3::context& Symbolic::ctx() {
  thread_local z3::context context;
  return context;
}

SymWord::SymWord() : e_(Symbolic::ctx().bv_val(0, 32)) {}
SymWord SymWord::lit(uint32_t v) { return Symbolic::word(v); }
SymBool::SymBool() : e_(Symbolic::ctx().bool_val(false)) {}

// Identical branches (hash-consed, so pointer-equal) collapse immediately:
// most rows leave most fields untouched, which keeps the relation small.
Symbolic::Word Symbolic::ite(const Bool& c, const Word& a, const Word& b) {
  if (z3::eq(a.expr(), b.expr())) return a;
  return SymWord(z3::ite(c.expr(), a.expr(), b.expr()));
}

Symbolic::Bool Symbolic::ite(const Bool& c, const Bool& a, const Bool& b) {
  if (z3::eq(a.expr(), b.expr())) return a;
  return SymBool(z3::ite(c.expr(), a.expr(), b.expr()));
}

Symbolic::Word Symbolic::cookie_hash(const Word& key, const Word& saddr,
                                     const Word& daddr, const Word& sport,
                                     const Word& dport, const Word& seq,
                                     const Word& count) {
  z3::context& c = ctx();
  z3::sort bv = c.bv_sort(32);
  z3::sort_vector domain(c);
  for (int i = 0; i < 7; ++i) domain.push_back(bv);
  z3::func_decl f = c.function("cookie_hash", domain, bv);
  z3::expr_vector args(c);
  for (const Word* w : {&key, &saddr, &daddr, &sport, &dport, &seq, &count}) {
    args.push_back(w->expr());
  }
  return SymWord(f(args));
}

}  // namespace tcpref::model
