// The property can fail: with impl's planted bug (a request sock accepts
// SEG.ACK = ISS+2 instead of ISS+1, impl/tcp/testing_hooks.h) switched on,
// RapidCheck finds a diverging sequence in every configuration that has
// request socks, and the shrunk sequence passes again with the bug off, so
// the failure is the bug's. With cookies always there are no request socks
// (every SYN is answered with a cookie), so there the bug cannot show.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>

#include "impl/tcp/testing_hooks.h"
#include "refinement/driver.h"
#include "refinement/generators.h"

namespace tcpref::refinement {
namespace {

DriverOptions with_bug() {
  DriverOptions o;
  o.prepare_stack = [](tcp::Stack& s) {
    tcp::TestingAccess::hooks(s).bug_accept_ack_iss_plus_2 = true;
  };
  return o;
}

TEST(PlantedBug, PropertyFailsInEveryConfiguration) {
  for (const RefinementConfig& config : standard_configs()) {
    std::optional<Scenario> found;
    RunResult failure;
    const bool ok = rc::check("with the planted bug under " + config.name,
                              [&](const Scenario& s) {
                                const RunResult r = run(config, s, with_bug());
                                if (r.diverged) {
                                  found = s;
                                  failure = r;
                                }
                                RC_ASSERT(!r.diverged);
                              });
    if (config.cookies == model::CookieMode::kAlways) {
      EXPECT_TRUE(ok) << config.name << ": no request socks, yet a failure";
      continue;
    }
    EXPECT_FALSE(ok) << config.name << ": the property missed the bug";
    ASSERT_TRUE(found.has_value()) << config.name;
    // The last failing run is RapidCheck's minimal one.
    const RunResult clean = run(config, *found);
    EXPECT_FALSE(clean.diverged)
        << config.name << ": the sequence fails without the bug too\n"
        << clean.trace;
    std::printf("%s: planted bug caught, minimal trace:\n%s\n",
                config.name.c_str(), failure.trace.c_str());
  }
}

// The same bug on the tracked client, by hand: SEG.ACK = ISS+2 completes the
// handshake in impl, where the model answers RST (kSynRecvBadAck).
TEST(PlantedBug, AckOfIssPlusTwoDiverges) {
  SegmentSpec syn;
  syn.syn = true;
  syn.seq = {SeqBase::kIrs, 0, 0};
  SegmentSpec ack;
  ack.ack = true;
  ack.ack_number = {AckBase::kSndNxt, 1, 0};  // ISS+2
  const Scenario s{
      0x10000000,
      {Step{StepKind::kSegment, syn, {}}, Step{StepKind::kSegment, ack, {}}}};
  const RefinementConfig config = standard_configs().front();
  const RunResult buggy = run(config, s, with_bug());
  EXPECT_TRUE(buggy.diverged);
  EXPECT_EQ(buggy.failing_step, 2u) << buggy.trace;
  EXPECT_NE(buggy.divergence.find("model=SYN-RECEIVED impl=ESTABLISHED-QUEUED"),
            std::string::npos)
      << buggy.trace;
  EXPECT_FALSE(run(config, s).diverged);
}

}  // namespace
}  // namespace tcpref::refinement
