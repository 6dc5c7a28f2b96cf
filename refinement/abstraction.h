// The abstraction function: impl state for the tracked 4-tuple (listener,
// request sock, queued child, socket, TIME-WAIT record) → the model's
// ModelState<Concrete>, and impl's emitted segments → model Outputs.
//
// Two sides choose some numbers independently, and the abstraction maps them:
//  - Server sequence numbers: the model is fed the impl's ISS for a request
//    sock, so they agree; a SYN-cookie child starts from each side's own
//    cookie (model/cookie.h vs impl/tcp/syn_cookie.h), so the model's
//    numbers are the impl's plus `Alignment::iss_delta`.
//  - A cookie SYN-ACK's SEQ is each side's own MAC; the outputs are compared
//    as "a cookie SYN-ACK" with every other field equal.
//  - Challenge ACKs have the wire form of ACKs (model/types.h), so kind
//    kChallengeAck compares equal to kAck.
// Fields the impl does not keep or show (the model's ghost_* history,
// MAX.SND.WND, ws_ok, SND.WL1/SND.WL2 — not in ConnectionView —, anything a
// TIME-WAIT record forgets) are not observable and are not compared; every
// other field is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"
#include "model/io.h"
#include "model/state.h"

namespace tcpref::refinement {

using MState = model::ModelState<model::Concrete>;
using MOutput = model::Output<model::Concrete>;

// What the driver reads from the impl after a step.
struct ImplObservation {
  tcp::ConnectionView view;  // Stack::inspect(tracked tuple)
  bool listening = false;
  uint32_t backlog = 0;              // the listener's ListenOptions::backlog
  uint32_t syn_queue_length = 0;     // including the tracked request sock
  uint32_t accept_queue_length = 0;  // including the tracked child
  uint32_t cookie_clock = 0;         // 64 s cookie epochs since the run began
};

struct Alignment {
  uint32_t iss_delta = 0;  // model = impl + iss_delta for server numbers
};

// The model state the observation stands for. Unobservable fields are left
// as in `model` (so comparing them is trivially equal).
[[nodiscard]] MState abstract_state(const ImplObservation& obs,
                                    const Alignment& align,
                                    const MState& model);

// Empty when equal; otherwise "field: model=X impl=Y" for each difference.
[[nodiscard]] std::string compare_state(const MState& model,
                                        const MState& abstracted);

// An emitted segment as a model output, with `seq_delta` added to SEG.SEQ.
// nullopt for a segment the model cannot send (e.g. data).
struct AbstractOutput {
  MOutput out;
  bool cookie = false;  // a SYN-ACK whose SEQ is a SYN cookie
};
[[nodiscard]] std::optional<AbstractOutput> abstract_segment(
    const wire::Segment& s, uint32_t seq_delta, bool cookie);

// The model's outputs in the form they are compared in (challenge ACK → ACK).
[[nodiscard]] AbstractOutput normalize(const MOutput& out, bool cookie);

// Empty when the two lists are equal.
[[nodiscard]] std::string compare_outputs(
    const std::vector<AbstractOutput>& model,
    const std::vector<AbstractOutput>& impl);

std::string to_string(const AbstractOutput& o);

}  // namespace tcpref::refinement
