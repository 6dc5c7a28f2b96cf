// Fuzzes the IPv4/IPv6 + TCP parser (impl/wire parse_packet) with checksums
// verified and ignored. On success the segment must lie inside the input,
// re-emit, and re-parse to itself. IPv6 inputs are mostly mutated through
// their extension-header chain (fuzz/ipv6_mutator.h), which keeps lengths
// and the TCP checksum consistent.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/ipv6_mutator.h"
#include "impl/wire/segment.h"

namespace {

using tcpref::wire::emit;
using tcpref::wire::emitted_length;
using tcpref::wire::PacketParse;
using tcpref::wire::parse_packet;
using tcpref::wire::ParseError;
using tcpref::wire::Segment;

void check_round_trip(const Segment& parsed) {
  Segment known = parsed;
  known.options.unknown_count = 0;  // unknown kinds are not re-emitted
  const size_t n = emitted_length(known);
  if (n == 0) return;  // e.g. options legal to receive but too long aligned
  std::vector<uint8_t> out(n);
  FUZZ_CHECK(emit(known, out) == n);
  const PacketParse again = parse_packet(out);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.segment == known);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> packet(data, size);
  const PacketParse verified = parse_packet(packet);
  const PacketParse unverified =
      parse_packet(packet, {.verify_checksums = false});
  for (const PacketParse* r : {&verified, &unverified}) {
    FUZZ_CHECK(r->error < ParseError::kCount);
    FUZZ_CHECK((r->error == ParseError::kTcpBadOptions) ==
               (r->options_error != tcpref::wire::OptionsError::kNone));
    if (!r->ok()) continue;
    const std::span<const uint8_t> payload = r->segment.payload;
    FUZZ_CHECK(payload.empty() ||
               (payload.data() >= data &&
                payload.data() + payload.size() <= data + size));
    check_round_trip(r->segment);
  }
  // Checking checksums can only reject more, never change the result.
  if (verified.ok()) {
    FUZZ_CHECK(unverified.ok());
    FUZZ_CHECK(verified.segment == unverified.segment);
  }
  return 0;
}

// libFuzzer's own mutator; weak so the replay test (no libFuzzer) links.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size)
    __attribute__((weak));

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  // Three IPv6 mutants in four are structural; the rest, and IPv4, go
  // through libFuzzer's byte-level mutations.
  if (seed % 4 != 0) {
    const size_t n =
        tcpref::fuzz::mutate_ipv6_packet(data, size, max_size, seed);
    if (n != 0) return n;
  }
  if (LLVMFuzzerMutate == nullptr) return size;
  return LLVMFuzzerMutate(data, size, max_size);
}
