// bazel run //proofs:prove [-- --traces] [-- --property=N] [-- --jobs=N]
// One line per property: name, PROVED/FAILED, k, milliseconds, mutant
// REFUTED or not, witness FOUND or not; then "N passed, M failed".
// Properties are checked on --jobs threads (default 2), each with its own
// Z3 context; lines are printed in property order.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "proofs/check.h"
#include "proofs/properties.h"

namespace {

using tcpref::proofs::Property;
using tcpref::proofs::Report;

void print(const Property& prop, const Report& r, bool traces) {
  std::printf("%s\n", tcpref::proofs::summary_line(r).c_str());
  if (!r.proved) std::printf("    proof failed: %s\n", r.failure.c_str());
  if (traces) {
    std::printf("    (proof %.0f ms, witness %.0f ms, mutant %.0f ms)\n",
                r.proof_ms, r.witness_ms, r.mutant_ms);
  }
  if (traces || !r.passed()) {
    std::printf("  mutant %s:\n%s", tcpref::model::name(prop.mutant).data(),
                r.mutant.ok ? r.mutant.trace.c_str() : "    (no trace)\n");
    std::printf("  witness:\n%s",
                r.witness.ok ? r.witness.trace.c_str() : "    (none)\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool traces = false;
  int only = 0;
  int jobs = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--traces") == 0) {
      traces = true;
    } else if (std::strncmp(argv[i], "--property=", 11) == 0) {
      only = std::atoi(argv[i] + 11);
    } else if (std::strncmp(argv[i], "--jobs=", 7) == 0) {
      jobs = std::max(1, std::atoi(argv[i] + 7));
    } else {
      std::fprintf(stderr,
                   "usage: prove [--traces] [--property=N] [--jobs=N]\n");
      return 2;
    }
  }
  std::vector<const Property*> todo;
  for (const Property& p : tcpref::proofs::all_properties()) {
    if (only == 0 || p.number == only) todo.push_back(&p);
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<Report> reports(todo.size());
  std::vector<std::atomic<bool>> done(todo.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(jobs));
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < todo.size(); i = next++) {
        reports[i] = tcpref::proofs::check(*todo[i]);
        done[i] = true;
      }
    });
  }
  // Print in order as soon as each line's predecessors are done.
  int passed = 0, failed = 0;
  for (size_t i = 0; i < todo.size(); ++i) {
    while (!done[i]) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    print(*todo[i], reports[i], traces);
    (reports[i].passed() ? passed : failed) += 1;
  }
  for (std::thread& t : workers) t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("total %.1f s wall on %d jobs\n", seconds, jobs);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
