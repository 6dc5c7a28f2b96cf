// Differential fuzzing: each input is a refinement Scenario (fuzz/
// model_diff_input.h) run through the impl Stack and the model's Concrete
// step side by side by refinement's driver; any divergence in abstract
// state or outputs is a crash that prints both sides' trace.
//
// TCPREF_PLANT_BUG=accept_ack_iss_plus_2 turns on the planted bug of
// impl/tcp/testing_hooks.h, to show the fuzzer finds a divergence
// (docs/FUZZING.md); it is never set in OSS-Fuzz.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include "fuzz/model_diff_input.h"
#include "impl/tcp/testing_hooks.h"
#include "refinement/driver.h"

namespace {

using namespace tcpref;

refinement::DriverOptions driver_options() {
  refinement::DriverOptions o;
  const char* bug = std::getenv("TCPREF_PLANT_BUG");
  if (bug != nullptr && std::strcmp(bug, "accept_ack_iss_plus_2") == 0) {
    o.prepare_stack = [](tcp::Stack& s) {
      tcp::TestingAccess::hooks(s).bug_accept_ack_iss_plus_2 = true;
    };
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const refinement::DriverOptions options = driver_options();
  const fuzz::ModelDiffInput in =
      fuzz::decode_model_diff_input(std::span(data, size));
  const refinement::RunResult r =
      refinement::run(*in.config, in.scenario, options);
  if (r.diverged) {
    std::fprintf(stderr,
                 "model_diff_fuzzer: impl and model diverge at step %zu "
                 "(config %s)\n%s\n--- trace ---\n%s\n--- scenario ---\n%s\n",
                 r.failing_step, in.config->name.c_str(), r.divergence.c_str(),
                 r.trace.c_str(), to_string(in.scenario).c_str());
    std::abort();
  }
  return 0;
}
