// bazel run //proofs:prove [-- --traces] [-- --property=N]
// One line per property: name, PROVED/FAILED, k, milliseconds, mutant
// REFUTED or not, witness FOUND or not; then "N passed, M failed".
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "proofs/check.h"
#include "proofs/properties.h"

int main(int argc, char** argv) {
  using tcpref::proofs::Report;
  bool traces = false;
  int only = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--traces") == 0) {
      traces = true;
    } else if (std::strncmp(argv[i], "--property=", 11) == 0) {
      only = std::atoi(argv[i] + 11);
    } else {
      std::fprintf(stderr, "usage: prove [--traces] [--property=N]\n");
      return 2;
    }
  }
  auto start = std::chrono::steady_clock::now();
  int passed = 0, failed = 0;
  for (const auto& prop : tcpref::proofs::all_properties()) {
    if (only != 0 && prop.number != only) continue;
    Report r = tcpref::proofs::check(prop);
    std::printf("%s\n", tcpref::proofs::summary_line(r).c_str());
    if (!r.proved) std::printf("    proof failed: %s\n", r.failure.c_str());
    if (traces || !r.passed()) {
      std::printf("  mutant %s:\n%s", tcpref::model::name(prop.mutant).data(),
                  r.mutant.ok ? r.mutant.trace.c_str() : "    (no trace)\n");
      std::printf("  witness:\n%s",
                  r.witness.ok ? r.witness.trace.c_str() : "    (none)\n");
    }
    std::fflush(stdout);
    (r.passed() ? passed : failed) += 1;
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  std::printf("%d passed, %d failed (%.1f s)\n", passed, failed, seconds);
  return failed == 0 ? 0 : 1;
}
