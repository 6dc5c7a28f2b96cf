// model_diff_fuzzer's input format: a FuzzedDataProvider stream decoded into
// one of the refinement driver's standard configurations and a Scenario
// (refinement/scenario.h). fuzz/tools/fdp.py (ModelDiff) writes the
// same format for the seeds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "refinement/driver.h"
#include "refinement/scenario.h"

namespace tcpref::fuzz {

inline constexpr size_t kMaxModelDiffSteps = 48;
// The driver sends payloads from a 264-byte buffer (driver.cc).
inline constexpr uint16_t kMaxModelDiffPayload = 200;

struct ModelDiffInput {
  const refinement::RefinementConfig* config = nullptr;
  refinement::Scenario scenario;
};

[[nodiscard]] ModelDiffInput decode_model_diff_input(
    std::span<const uint8_t> data);

}  // namespace tcpref::fuzz
