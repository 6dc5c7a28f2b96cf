// The property can fail: with impl's planted bug (a request sock accepts
// SEG.ACK = ISS+2 instead of ISS+1, impl/tcp/testing_hooks.h) switched on,
// RapidCheck finds a diverging sequence in every configuration that has
// request socks, and the shrunk sequence passes again with the bug off, so
// the failure is the bug's. With cookies always there are no request socks
// (every SYN is answered with a cookie), so there the bug cannot show.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "impl/tcp/testing_hooks.h"
#include "refinement/capture.h"
#include "refinement/driver.h"
#include "refinement/generators.h"
#include "traces/explain/explain.h"
#include "traces/explain/render.h"

namespace tcpref::refinement {
namespace {

DriverOptions with_bug() {
  DriverOptions o;
  o.prepare_stack = [](tcp::Stack& s) {
    tcp::TestingAccess::hooks(s).bug_accept_ack_iss_plus_2 = true;
  };
  return o;
}

// A SYN, then an ACK of ISS+2 from the tracked client.
Scenario ack_of_iss_plus_2() {
  SegmentSpec syn;
  syn.syn = true;
  syn.seq = {SeqBase::kIrs, 0, 0};
  SegmentSpec ack;
  ack.ack = true;
  ack.ack_number = {AckBase::kSndNxt, 1, 0};  // ISS+2
  return Scenario{
      0x10000000,
      {Step{StepKind::kSegment, syn, {}}, Step{StepKind::kSegment, ack, {}}}};
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
  const Scenario s = ack_of_iss_plus_2();
  const RefinementConfig config = standard_configs().front();
  const RunResult buggy = run(config, s, with_bug());
  EXPECT_TRUE(buggy.diverged);
  EXPECT_EQ(buggy.failing_step, 2u) << buggy.trace;
  EXPECT_NE(buggy.divergence.find("model=SYN-RECEIVED impl=ESTABLISHED-QUEUED"),
            std::string::npos)
      << buggy.trace;
  EXPECT_FALSE(run(config, s).diverged);
}

// The counterexample as a capture, read back by tcpref-explain: the model
// check on the wire alone finds the same bug. The model answers the ACK of
// ISS+2 (#3) with <SEQ=SEG.ACK><CTL=RST>; the buggy impl took it and
// answered with an ACK (#4), which is marked red, and only it.
TEST(PlantedBug, CounterexampleRendersAsAReport) {
  const Scenario s = ack_of_iss_plus_2();
  const RunResult buggy = run(standard_configs().front(), s, with_bug());
  ASSERT_TRUE(buggy.diverged);
  ASSERT_GE(buggy.wire.size(), 3u);  // SYN in, SYN-ACK out, ACK in, ...
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path =
      std::string(dir ? dir : "/tmp") + "/planted_bug_counterexample.pcap";
  ASSERT_EQ(write_capture(buggy, path), "");
  traces::Explanation x;
  ASSERT_EQ(traces::explain_file(path, "server=tcpref\n", x), "");
  EXPECT_FALSE(x.ok());
  ASSERT_EQ(x.connections.size(), 1u);
  EXPECT_EQ(x.connections[0].segment_rows(), buggy.wire.size())
      << traces::render_text(x);
  EXPECT_EQ(x.connections[0].report.disagreement_packet, 4u);
  EXPECT_NE(x.connections[0].report.disagreement.find(
                "in SYN-RECEIVED the model sends RST"),
            std::string::npos)
      << x.connections[0].report.disagreement;
  size_t red = 0;
  for (const traces::LadderRow& r : x.connections[0].rows) {
    if (r.bad()) {
      ++red;
      EXPECT_EQ(r.number, 4u);
    }
  }
  EXPECT_EQ(red, 1u);
}

}  // namespace
}  // namespace tcpref::refinement
