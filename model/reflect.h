// Field lists for the model's records. Each record names its fields once, in
// an X-macro list; from it come the members, a visitor (for printing and for
// naming Z3 variables) and a two-record visitor (for select / equality /
// evaluating a Z3 model into a concrete record).
#ifndef TCPREF_MODEL_REFLECT_H_
#define TCPREF_MODEL_REFLECT_H_

#define TCPREF_FIELD_DECL(T, n) typename D::T n{};
#define TCPREF_FIELD_VISIT(T, n) f(#n, a.n);
#define TCPREF_FIELD_VISIT2(T, n) f(#n, a.n, b.n);

#define TCPREF_REFLECT(LIST)              \
  LIST(TCPREF_FIELD_DECL)                 \
  template <class A, class F>             \
  static void visit(A& a, F&& f) {        \
    LIST(TCPREF_FIELD_VISIT)              \
  }                                       \
  template <class A, class B, class F>    \
  static void visit2(A& a, B& b, F&& f) { \
    LIST(TCPREF_FIELD_VISIT2)             \
  }

namespace tcpref::model {

// Field-wise D::ite(c, a, b) over a reflected record.
template <class D, class R>
R select(const typename D::Bool& c, const R& a, const R& b) {
  R r = b;
  R::visit2(r, a, [&](const char*, auto& out, const auto& from_a) {
    out = D::ite(c, from_a, out);
  });
  return r;
}

// Conjunction of field-wise equalities.
template <class D, class R>
typename D::Bool equal(const R& a, const R& b) {
  typename D::Bool all = D::boolean(true);
  R::visit2(a, b, [&](const char*, const auto& x, const auto& y) {
    all = all && (x == y);
  });
  return all;
}

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_REFLECT_H_
