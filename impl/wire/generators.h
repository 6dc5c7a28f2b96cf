// RapidCheck generators for wire values, and printers so counterexamples
// (RapidCheck) and failed expectations (GoogleTest) show fields, not bytes.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <vector>

#include "impl/wire/options.h"
#include "impl/wire/segment.h"

namespace tcpref::wire {

// Options emit_options can write: each known option at most once with
// arbitrary values (window scale any uint8, 0..4 SACK blocks, TFO cookie of
// 0 or 4..16 bytes in kind 34 or 254 form), always within 40 bytes.
// unknown_count is 0: emit never writes unknown kinds.
[[nodiscard]] rc::Gen<TcpOptions> gen_emittable_options();

// A segment with arbitrary header fields and emittable options. Its payload
// is empty: a test attaches bytes it owns (a Segment only views its payload).
[[nodiscard]] rc::Gen<Segment> gen_segment_headers();

// The same over IPv6 (ip_version 6, arbitrary addresses, traffic class,
// flow label and hop limit).
[[nodiscard]] rc::Gen<Segment> gen_segment6_headers();

// Payload bytes, up to `max` long.
[[nodiscard]] rc::Gen<std::vector<uint8_t>> gen_payload(size_t max);

std::ostream& operator<<(std::ostream& os, const TcpOptions& o);
std::ostream& operator<<(std::ostream& os, const Segment& s);

}  // namespace tcpref::wire
