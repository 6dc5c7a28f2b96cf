// The refinement property: on every generated input sequence, after each
// step, the impl's abstracted state and outputs equal the model's `step`
// (Concrete domain). One property per configuration; the last test checks
// that the runs together took every transition of the model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "model/transitions.h"
#include "refinement/driver.h"
#include "refinement/generators.h"
#include "refinement/known_divergences.h"

namespace tcpref::refinement {
namespace {

using model::Transition;
constexpr size_t kTransitions = static_cast<size_t>(Transition::kCount);

// Totals over the whole binary, for the coverage test and the log.
struct Totals {
  uint64_t sequences = 0;
  uint64_t steps = 0;
  std::array<uint64_t, kTransitions> taken{};
  std::vector<uint64_t> skipped =
      std::vector<uint64_t>(known_divergences().size(), 0);
};
Totals& totals() {
  static Totals t;
  return t;
}

void check_config(const RefinementConfig& config) {
  uint64_t sequences = 0;
  const bool ok = rc::check(
      "impl refines the model under " + config.name, [&](const Scenario& s) {
        const RunResult r = run(config, s);
        Totals& t = totals();
        ++t.sequences;
        ++sequences;
        t.steps += s.steps.size();
        for (Transition tr : r.transitions) {
          if (tr < Transition::kCount) ++t.taken[static_cast<size_t>(tr)];
        }
        for (size_t i = 0; i < r.skipped.size(); ++i) {
          t.skipped[i] += r.skipped[i];
        }
        if (r.diverged) {
          RC_FAIL("impl and model diverge at step " +
                  std::to_string(r.failing_step) + ": " + r.divergence +
                  "\n--- trace ---\n" + r.trace);
        }
      });
  std::printf("%s: %llu sequences\n", config.name.c_str(),
              static_cast<unsigned long long>(sequences));
  EXPECT_TRUE(ok) << "see the minimal trace above";
}

// One test per configuration (standard_configs(), in order), so a failure
// names its configuration.
#define TCPREF_REFINEMENT_CONFIG(test_name, index) \
  TEST(Refinement, test_name) { check_config(standard_configs().at(index)); }
TCPREF_REFINEMENT_CONFIG(CookiesOffDropTs1337Backlog1, 0)
TCPREF_REFINEMENT_CONFIG(CookiesOffResetNoTsNo1337Backlog0, 1)
TCPREF_REFINEMENT_CONFIG(CookiesOffDropNoTsNo1337BacklogLarge, 2)
TCPREF_REFINEMENT_CONFIG(CookiesOffResetTs1337Backlog0, 3)
TCPREF_REFINEMENT_CONFIG(CookiesAutoDropTsNo1337Backlog0, 4)
TCPREF_REFINEMENT_CONFIG(CookiesAutoResetTs1337BacklogLarge, 5)
TCPREF_REFINEMENT_CONFIG(CookiesAutoDropNoTs1337Backlog1, 6)
TCPREF_REFINEMENT_CONFIG(CookiesAutoResetNoTsNo1337Backlog1, 7)
TCPREF_REFINEMENT_CONFIG(CookiesAlwaysDropNoTs1337Backlog1, 8)
TCPREF_REFINEMENT_CONFIG(CookiesAlwaysResetTsNo1337Backlog1, 9)
TCPREF_REFINEMENT_CONFIG(CookiesAlwaysDropTs1337Backlog0, 10)
TCPREF_REFINEMENT_CONFIG(CookiesAlwaysResetNoTs1337BacklogLarge, 11)
TCPREF_REFINEMENT_CONFIG(CookiesAutoDropTs1337Backlog1Shift7, 12)
#undef TCPREF_REFINEMENT_CONFIG

TEST(Refinement, ConfigurationsListed) {
  EXPECT_EQ(standard_configs().size(), 13u);
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

// Runs last (gtest keeps definition order): every transition of the model
// was taken at least once by the properties above, except the listed ones.
TEST(RefinementCoverage, EveryTransitionTaken) {
  const Totals& t = totals();
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
