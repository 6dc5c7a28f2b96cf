// The differential oracle must catch a real impl bug: with the planted bug
// of impl/tcp/testing_hooks.h on (a request sock takes SEG.ACK = ISS+2 for
// ISS+1), the handshake seeds of model_diff_fuzzer's corpus that go through
// a request sock must diverge at the final ACK, and without it none may. Also
// checks fuzz/tools/fdp.py encodes what model_diff_input.cc decodes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/model_diff_input.h"
#include "impl/tcp/testing_hooks.h"
#include "refinement/driver.h"

namespace tcpref::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> seed(const std::string& name) {
  const fs::path path = fs::path(std::getenv("TEST_SRCDIR")) /
                        std::getenv("TEST_WORKSPACE") / "fuzz" / "corpus" /
                        "model_diff_fuzzer" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

refinement::DriverOptions planted() {
  refinement::DriverOptions o;
  o.prepare_stack = [](tcp::Stack& s) {
    tcp::TestingAccess::hooks(s).bug_accept_ack_iss_plus_2 = true;
  };
  return o;
}

TEST(ModelDiffPlanted, DecodesTheSeedAsWritten) {
  const ModelDiffInput in =
      decode_model_diff_input(seed("handshake_accept_close_c0"));
  EXPECT_EQ(in.config->name, refinement::standard_configs()[0].name);
  EXPECT_EQ(in.scenario.client_isn, 0x10000000u);
  ASSERT_EQ(in.scenario.steps.size(), 4u);
  const refinement::SegmentSpec& syn = in.scenario.steps[0].segment;
  EXPECT_TRUE(syn.syn && !syn.ack && !syn.rst && !syn.fin);
  EXPECT_EQ(syn.mss, 1460);
  EXPECT_EQ(syn.ts, refinement::TsClass::kArbitrary);
  EXPECT_EQ(syn.ts_value, 1000u);
  const refinement::SegmentSpec& ack = in.scenario.steps[1].segment;
  EXPECT_TRUE(ack.ack && !ack.syn);
  EXPECT_EQ(ack.ack_number.base, refinement::AckBase::kSndNxt);
  EXPECT_EQ(ack.ack_number.offset, 0);
  EXPECT_EQ(in.scenario.steps[2].kind, refinement::StepKind::kAccept);
  EXPECT_EQ(in.scenario.steps[3].kind, refinement::StepKind::kClose);
}

TEST(ModelDiffPlanted, HandshakeDivergesAtTheFinalAckOnlyWithTheBug) {
  // Configurations with cookies always never make a request sock for the
  // SYN, so the bug is off their path; every other one must diverge.
  const std::vector<refinement::RefinementConfig> all =
      refinement::standard_configs();
  ASSERT_EQ(all.size(), 13u);  // one seed each, from make_seeds.py
  for (size_t config = 0; config < all.size(); ++config) {
    const bool request_sock = all[config].cookies != model::CookieMode::kAlways;
    const std::string name =
        "handshake_accept_close_c" + std::to_string(config);
    const ModelDiffInput in = decode_model_diff_input(seed(name));
    const refinement::RunResult clean =
        refinement::run(*in.config, in.scenario);
    EXPECT_FALSE(clean.diverged) << name << "\n" << clean.trace;
    const refinement::RunResult buggy =
        refinement::run(*in.config, in.scenario, planted());
    EXPECT_EQ(buggy.diverged, request_sock) << name << "\n" << buggy.trace;
    if (request_sock) {
      EXPECT_EQ(buggy.failing_step, 2u) << name << "\n" << buggy.divergence;
    }
  }
}

}  // namespace
}  // namespace tcpref::fuzz
