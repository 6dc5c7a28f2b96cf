// Differences between impl and model that the refinement property found.
// Two kinds:
//  - documented model choices (docs/MODEL.md, "Choices"): the model
//    deliberately leaves something out (PAWS, reassembly, cookie options);
//    inputs in that area are outside what the model describes, so the
//    driver does not run them. `doc` names the paragraph.
//  - open divergences: reported to the owners, not fixed yet. `doc` is
//    empty; the summary says which side is wrong and why.
// Each is a precise predicate on the model state and the resolved input, so
// the driver skips exactly those steps (and counts them) while the rest of a
// sequence is still checked. driver_test.cc replays a minimal trace for each
// with skipping off and expects it to still diverge: once a side changes,
// that test fails and the entry must go.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/io.h"
#include "model/state.h"
#include "model/transitions.h"
#include "refinement/driver.h"

namespace tcpref::refinement {

// Numbered as first reported (D2, D5, D12-D15 and D19 are fixed in
// impl/tcp; D4, D7, D8, D9, D11 and D17 in the model).
enum class DivergenceId : uint32_t {
  kD1CookieSynAckOptions,
  kD3NoPaws,
  kD6Reassembly,
  kD16CookieIndexNotAuthenticated,
  kD18CookieFromClosedListener,
  kD20UnreadTextInScaledWindow,
  kCount,
};

struct KnownDivergence {
  std::string_view name;
  std::string_view summary;  // what differs, which side is wrong and why
  std::string_view doc;      // docs/MODEL.md paragraph, or "" if open
};

// Indexed by DivergenceId.
[[nodiscard]] const std::vector<KnownDivergence>& known_divergences();

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
  // impl's connection holds text out of order from `ooo_left` on (the
  // model keeps none, docs/MODEL.md choice 9).
  uint32_t ooo_bytes = 0, ooo_left = 0;
};

// The first known divergence this step would hit; the driver skips it.
[[nodiscard]] std::optional<uint32_t> classify(const StepContext& ctx);

}  // namespace tcpref::refinement
