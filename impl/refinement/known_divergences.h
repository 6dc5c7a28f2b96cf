// Differences between impl and model that the refinement property has found
// and that are reported to their owners but not fixed yet. Each is a precise
// predicate on the model state and the resolved input, so the driver can
// skip exactly those steps (and count them) while the rest of a sequence is
// still checked. known_divergences_test.cc replays a minimal trace for each
// one with skipping off and expects it to still diverge: once a side is
// fixed that test fails, and the entry must be deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "impl/refinement/driver.h"
#include "model/io.h"
#include "model/state.h"
#include "model/transitions.h"

namespace tcpref::refinement {

struct KnownDivergence {
  std::string_view name;
  std::string_view summary;  // what differs, which side is wrong and why
};

// Everything a predicate may look at, before the step runs.
struct StepContext {
  const RefinementConfig& config;
  const model::Params<model::Concrete>& params;
  const model::ModelState<model::Concrete>& state;
  const model::Input<model::Concrete>& input;  // resolved (model side)
  model::Transition transition;                // the row the model would take
  // The listener was closed after the last cookie was sent (history the
  // model does not keep).
  bool listener_reopened_since_cookie = false;
};

[[nodiscard]] const std::vector<KnownDivergence>& known_divergences();

// The index of the first known divergence this step would hit; the driver
// skips the step.
[[nodiscard]] std::optional<uint32_t> classify(const StepContext& ctx);

// For a divergence in the form of one output only: rewrites the model's
// output for `transition` to the impl's documented form and returns the
// divergence's index, so the step still runs (and its row is covered) while
// every other field is compared.
[[nodiscard]] std::optional<uint32_t> tolerate(
    model::Transition transition, model::Output<model::Concrete>& out);

}  // namespace tcpref::refinement
