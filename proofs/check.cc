#include "proofs/check.h"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "proofs/engine.h"
#include "proofs/well_formed.h"

namespace tcpref::proofs {
namespace {

// What induction proves: the property and the strengthening invariant.
StepPredicate with_invariant(const StepPredicate& holds) {
  return [holds](const StepView& v) {
    return reachable_invariant(v.p, v.s) && holds(v);
  };
}

StepPredicate negation(const StepPredicate& holds) {
  return [holds](const StepView& v) { return !holds(v); };
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t)
      .count();
}

void check_inductive(const Property& prop, Report& r) {
  auto t = std::chrono::steady_clock::now();
  TransitionSystem ts;
  ProofResult proof =
      prove_invariant(ts, "property", with_invariant(prop.holds), prop.max_k);
  r.proved = proof.proved;
  r.k = proof.k;
  if (!proof.proved) {
    r.failure = proof.note;
    if (proof.counterexample) {
      r.failure += "\n" + to_string(*proof.counterexample,
                                    "property or invariant fails here");
    }
  }
  r.proof_ms = since(t);
  t = std::chrono::steady_clock::now();
  // The premise is reachable in the model (same solver as the proof).
  SearchResult w = find_path(ts, "witness", prop.witness, prop.max_steps);
  r.witness.ok = w.found;
  r.witness.steps = w.steps;
  if (w.found) r.witness.trace = to_string(w.trace, "premise holds here");

  r.witness_ms = since(t);
  t = std::chrono::steady_clock::now();
  // The mutant violates the property itself (no invariant involved).
  TransitionSystem mutant(prop.mutant);
  SearchResult m =
      find_path(mutant, "violation", negation(prop.holds), prop.max_steps);
  r.mutant.ok = m.found;
  r.mutant.steps = m.steps;
  if (m.found) r.mutant.trace = to_string(m.trace, "property violated here");
  r.mutant_ms = since(t);
}

void check_well_formed(const Property& prop, Report& r) {
  auto t = std::chrono::steady_clock::now();
  WellFormedResult model = check_guards(model::Mutation::kNone);
  r.proved = model.well_formed;
  r.k = 0;
  if (!model.well_formed) r.failure = model.diagnosis;
  r.proof_ms = since(t);
  t = std::chrono::steady_clock::now();
  WellFormedResult mutant = check_guards(prop.mutant);
  r.mutant.ok = !mutant.well_formed;
  r.mutant.steps = 1;
  r.mutant.trace = mutant.diagnosis;
  r.mutant_ms = since(t);
  t = std::chrono::steady_clock::now();
  RowCoverage rows = satisfiable_rows();
  r.witness.ok = rows.unsatisfiable.empty();
  r.witness.steps = 1;
  r.witness.trace = rows.report;
  r.witness_ms = since(t);
}

}  // namespace

Report check(const Property& prop) {
  Report r;
  r.number = prop.number;
  r.name = prop.name;
  auto start = std::chrono::steady_clock::now();
  if (prop.well_formedness) {
    check_well_formed(prop, r);
  } else {
    check_inductive(prop, r);
  }
  r.ms = std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
             .count();
  return r;
}

std::string summary_line(const Report& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%3d %-20s %-7s k=%d %7.0f ms  mutant %-11s witness %s",
                r.number, r.name.c_str(), r.proved ? "PROVED" : "FAILED", r.k,
                r.ms, r.mutant.ok ? "REFUTED" : "NOT-REFUTED",
                r.witness.ok ? "FOUND" : "NOT-FOUND");
  return buf;
}

}  // namespace tcpref::proofs
