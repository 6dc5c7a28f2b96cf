// Stack invariants every stack fuzzer checks after each step, through the
// public API only (counters, queue lengths).
#pragma once

#include "impl/tcp/stack.h"

namespace tcpref::fuzz {

// Counters only grow, except the CurrEstab gauge, which stays within the
// socket pool; nothing increments by more than a step can do.
void check_counters(const tcp::Counters& before, const tcp::Counters& after,
                    const tcp::StackConfig& config);

// Linux semantics: backlog N admits N + 1 children; the SYN queue holds at
// most syn_queue_limit request socks.
void check_queue_bounds(const tcp::Stack& stack, tcp::ListenerId listener,
                        const tcp::ListenOptions& options);

}  // namespace tcpref::fuzz
