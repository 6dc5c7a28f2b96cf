#include "impl/refinement/known_divergences.h"

namespace tcpref::refinement {

namespace {

using model::Transition;

bool cookie_synack(Transition t) {
  return t == Transition::kListenSynCookie ||
         t == Transition::kTimeWaitReopenCookie;
}

}  // namespace

const std::vector<KnownDivergence>& known_divergences() {
  static const std::vector<KnownDivergence> list = {
      {"D1 cookie SYN-ACK options",
       "With timestamps on both sides, impl's cookie SYN-ACK offers window "
       "scale, SACK and timestamps (the choices ride in the TSval's low "
       "bits, as Linux's cookie_init_timestamp does); the model's cookie "
       "SYN-ACK carries MSS only. Model incomplete: Linux and impl agree."},
  };
  return list;
}

std::optional<uint32_t> classify(const StepContext& c) {
  const model::Input<model::Concrete>& in = c.input;
  if (cookie_synack(c.transition) && in.ts_present && c.params.ts_enabled) {
    return 0;
  }
  return std::nullopt;
}

}  // namespace tcpref::refinement
