// Structure-aware fuzzing of the handshake: a FuzzedDataProvider stream
// decodes into a listener configuration and then a sequence of steps —
// segments from four clients, time advances and application calls. Segments
// name seq/ack as offsets from the stack's own RCV.NXT, ISS and SND.NXT (read
// back like a client would: from the record, else from the last segment the
// stack sent that client), so the fuzzer completes handshakes and then
// explores around them. Every segment goes out through wire::emit with valid
// checksums into Stack::receive; after each step the stack's invariants are
// checked. The encoding is mirrored by fuzz/tools/fdp.py (seed writers).
// TCPREF_FUZZ_TRACE=1 prints each step to stderr.
//
// With `fast_open` the listener also takes TCP Fast Open (RFC 7413): after
// the listener's options the input names a TFO queue length and whether a
// cookie is required, and segments may carry a TFO option (kind 34 or 254)
// with no cookie, the cookie the stack last gave that client, or a wrong
// one. Without it the encoding is exactly the plain one (seeds stay valid).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "impl/tcp/stack.h"

namespace tcpref::fuzz {

inline constexpr size_t kHandshakeClients = 4;

// Where the run left each client's 4-tuple, for the seed tests.
struct HandshakeOutcome {
  std::array<tcp::ConnectionView, kHandshakeClients> clients;
  tcp::Counters counters;
};

struct HandshakeVariant {
  bool fast_open = false;
};

// Runs the input; a broken invariant aborts (FUZZ_CHECK).
HandshakeOutcome run_handshake_input(std::span<const uint8_t> data,
                                     HandshakeVariant variant = {});

}  // namespace tcpref::fuzz
