// Transition coverage of the refinement property: every configuration's
// generated sequences, run and compared as refinement_test does, together
// take every row of the model (docs/MODEL.md, "Transition coverage").
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "model/transitions.h"
#include "refinement/driver.h"
#include "refinement/generators.h"
#include "refinement/known_divergences.h"

namespace tcpref::refinement {
namespace {

using model::Transition;
constexpr size_t kTransitions = static_cast<size_t>(Transition::kCount);

struct Totals {
  uint64_t sequences = 0;
  uint64_t steps = 0;
  std::array<uint64_t, kTransitions> taken{};
  std::vector<uint64_t> skipped =
      std::vector<uint64_t>(known_divergences().size(), 0);
};

// RC_PARAMS (BUILD) sets the sequences per configuration.
Totals run_every_config() {
  Totals t;
  for (const RefinementConfig& config : standard_configs()) {
    const bool ok =
        rc::check("coverage under " + config.name, [&](const Scenario& s) {
          const RunResult r = run(config, s);
          ++t.sequences;
          t.steps += s.steps.size();
          for (Transition tr : r.transitions) {
            if (tr < Transition::kCount) ++t.taken[static_cast<size_t>(tr)];
          }
          for (size_t i = 0; i < r.skipped.size(); ++i) {
            t.skipped[i] += r.skipped[i];
          }
          RC_ASSERT(!r.diverged);
        });
    EXPECT_TRUE(ok) << config.name << " diverges; see refinement_test";
  }
  return t;
}

// Rows the driver never produces by construction; docs/MODEL.md
// ("Refinement: transition coverage") gives the reason for each.
const std::set<Transition>& unreachable() {
  static const std::set<Transition> s = {
      Transition::kInvalidInput,    Transition::kInvalidState,
      Transition::kSynAckTimerIdle, Transition::kTimeWaitTimerIdle,
      Transition::kOtherExpireNone, Transition::kOtherAcceptNone,
  };
  return s;
}

// Every transition of the model is taken at least once, except the listed
// ones, by sequences this test generates and checks itself (so it passes
// alone, shuffled or sharded).
TEST(RefinementCoverage, EveryTransitionTaken) {
  const Totals t = run_every_config();
  std::printf("refinement: %llu sequences, %llu steps in total\n",
              static_cast<unsigned long long>(t.sequences),
              static_cast<unsigned long long>(t.steps));
  std::printf("%-28s %10s  %s\n", "transition", "taken", "description");
  for (size_t i = 0; i < kTransitions; ++i) {
    const auto tr = static_cast<Transition>(i);
    std::printf(
        "%-28s %10llu  %s%s\n", std::string(model::name(tr)).c_str(),
        static_cast<unsigned long long>(t.taken[i]),
        std::string(model::description(tr)).c_str(),
        unreachable().count(tr) ? " [unreachable by construction]" : "");
  }
  std::printf("known divergences (steps skipped):\n");
  for (size_t i = 0; i < t.skipped.size(); ++i) {
    const KnownDivergence& d = known_divergences()[i];
    std::printf("  %-52s %8llu  %s\n", std::string(d.name).c_str(),
                static_cast<unsigned long long>(t.skipped[i]),
                d.doc.empty() ? "open" : std::string(d.doc).c_str());
  }
  EXPECT_GE(t.sequences, 10000u);
  for (size_t i = 0; i < kTransitions; ++i) {
    const auto tr = static_cast<Transition>(i);
    if (unreachable().count(tr)) continue;
    EXPECT_GT(t.taken[i], 0u) << "never taken: " << model::name(tr) << " ("
                              << model::description(tr) << ")";
  }
}

}  // namespace
}  // namespace tcpref::refinement
