// The SYN-ACK a listener sends (RFC 9293 §3.10.7.2 "third"): options only
// as the SYN offered them (RFC 7323 §1.3, RFC 2018 §2, RFC 3168 §6.1.1).
#pragma once

#include <cstdint>

#include "impl/tcp/stack.h"
#include "impl/tcp/syn_options.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {

// `tsval` is used only when o.ts_ok; `user_mss` is the listener's
// TCP_MAXSEG (0: none), which clamps the MSS we advertise.
[[nodiscard]] wire::Segment make_synack(const StackConfig& config,
                                        const FourTuple& tuple, uint32_t iss,
                                        uint32_t irs, const SynOptions& o,
                                        uint32_t tsval, uint16_t user_mss);

}  // namespace tcpref::tcp
