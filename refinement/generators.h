// RapidCheck generators of Scenarios: one tracked client, background
// clients, application calls and clock advances. Numbers come as classes
// (scenario.h) weighted towards the values where behaviour changes — exact,
// one either side of each window edge, half the sequence space away — with
// some arbitrary values and every flag combination.
#pragma once

#include <rapidcheck.h>

#include <ostream>

#include "refinement/scenario.h"

namespace tcpref::refinement {

[[nodiscard]] rc::Gen<SeqSpec> seq_spec();
[[nodiscard]] rc::Gen<AckSpec> ack_spec();
[[nodiscard]] rc::Gen<SegmentSpec> segment_spec();
[[nodiscard]] rc::Gen<Step> step();
[[nodiscard]] rc::Gen<Scenario> scenario();

// How RapidCheck prints a counterexample: the numbered step list.
void showValue(const Scenario& s, std::ostream& os);

}  // namespace tcpref::refinement

// Lets RC_GTEST_PROP and rc::check take a Scenario argument.
namespace rc {
template <>
struct Arbitrary<tcpref::refinement::Scenario> {
  static Gen<tcpref::refinement::Scenario> arbitrary() {
    return tcpref::refinement::scenario();
  }
};
}  // namespace rc
