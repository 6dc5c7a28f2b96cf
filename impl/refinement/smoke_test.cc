#include <gtest/gtest.h>

#include "impl/refinement/driver.h"

namespace tcpref::refinement {
namespace {

Step seg(SegmentSpec s) { return Step{StepKind::kSegment, s, {}}; }

TEST(Smoke, Handshake) {
  Scenario sc;
  SegmentSpec syn;
  syn.syn = true;
  syn.seq = {SeqBase::kIrs, 0, 0};
  syn.mss = 1460;
  syn.ts = TsClass::kArbitrary;
  syn.ts_value = 1000;
  SegmentSpec ack;
  ack.ack = true;
  ack.seq = {SeqBase::kRcvNxt, 0, 0};
  ack.ack_number = {AckBase::kSndNxt, 0, 0};
  ack.ts = TsClass::kNewer;
  sc.steps = {seg(syn), seg(ack), Step{StepKind::kAccept, {}, {}},
              Step{StepKind::kClose, {}, {}}};
  for (const RefinementConfig& c : standard_configs()) {
    const RunResult r = run(c, sc);
    EXPECT_FALSE(r.diverged) << r.trace;
  }
}

}  // namespace
}  // namespace tcpref::refinement
