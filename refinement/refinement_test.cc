// The refinement property: on every generated input sequence, after each
// step, the impl's abstracted state and outputs equal the model's `step`
// (Concrete domain). One property per configuration; coverage_test checks
// that every transition of the model is taken.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <string>

#include "refinement/capture.h"
#include "refinement/driver.h"
#include "refinement/generators.h"

namespace tcpref::refinement {
namespace {

void check_config(const RefinementConfig& config) {
  uint64_t sequences = 0;
  const bool ok = rc::check(
      "impl refines the model under " + config.name, [&](const Scenario& s) {
        const RunResult r = run(config, s);
        ++sequences;
        if (r.diverged) {
          // Overwritten by each shrinking step: the last is the minimal one.
          const std::string pcap = counterexample_path(config.name);
          if (!pcap.empty() && write_capture(r, pcap).empty()) {
            std::printf(
                "counterexample written to %s "
                "(bazel run //traces/explain:tcpref-explain -- "
                "--set server=tcpref --text FILE)\n",
                pcap.c_str());
          }
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

}  // namespace
}  // namespace tcpref::refinement
