// Raw bytes through Stack::receive with two listeners present: 198.18.0.1:80
// (cookies when the SYN queue is full, overflow drops) and *:443 (cookies
// always, overflow resets). Checks the stack's invariants after each packet.
//
// Input: packet records, each a 16-bit big-endian length and that many bytes
// (a short last record takes what is left). All packets arrive at one instant,
// so the ISS for a 4-tuple is fixed and an ACK can complete a handshake; then
// time runs forward through every SYN-ACK retransmission and TIME-WAIT expiry.
//
// The stack verifies checksums; the custom mutator repairs them after
// mutating (one mutant in 16 keeps its bad checksums for the CsumErrors path),
// so mutated packets reach the state machine.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/checksum_repair.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_stack.h"
#include "fuzz/invariants.h"
#include "impl/tcp/stack.h"

namespace {

using namespace tcpref;
using namespace std::chrono_literals;

// Calls fn(span) for every record of the input.
template <class Span, class Fn>
void for_each_record(Span data, Fn&& fn) {
  while (data.size() >= 2) {
    size_t n = size_t{data[0]} << 8 | data[1];
    data = data.subspan(2);
    if (n > data.size()) n = data.size();
    fn(data.first(n));
    data = data.subspan(n);
  }
}

struct Listening {
  tcp::ListenerId id;
  tcp::ListenOptions options;
};

void check_step(const tcp::Stack& stack, const tcp::Counters& before,
                const tcp::StackConfig& config,
                const std::array<Listening, 2>& listeners) {
  fuzz::check_counters(before, stack.counters(), config);
  for (const Listening& l : listeners) {
    fuzz::check_queue_bounds(stack, l.id, l.options);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tcp::StackConfig config = fuzz::fuzz_stack_config();
  fuzz::CheckingSink sink;
  tcp::Stack stack(config, sink);
  std::array<Listening, 2> listeners{{
      {{}, {.backlog = 1, .syn_queue_limit = 2}},
      {{},
       {.backlog = 0,
        .syn_queue_limit = 2,
        .syn_cookies = tcp::SynCookieMode::kAlways,
        .overflow = tcp::OverflowPolicy::kReset}},
  }};
  listeners[0].id = stack.listen({fuzz::kServerAddr, fuzz::kServerPort},
                                 listeners[0].options);
  listeners[1].id =
      stack.listen({0, fuzz::kAlwaysCookiePort}, listeners[1].options);
  FUZZ_CHECK(listeners[0].id.valid() && listeners[1].id.valid());

  for_each_record(std::span(data, size), [&](std::span<const uint8_t> p) {
    const tcp::Counters before = stack.counters();
    const uint64_t sent_before = sink.total;
    const tcp::Verdict v = stack.receive(p, fuzz::kStart);
    FUZZ_CHECK(v <= tcp::Verdict::kDroppedInvalid);
    const tcp::Counters& after = stack.counters();
    FUZZ_CHECK(after.InSegs - before.InSegs <= 1);
    FUZZ_CHECK(after.OutSegs - before.OutSegs == sink.total - sent_before);
    // A malformed verdict is counted by exactly one of the reasons a
    // segment dies before any table sees it.
    const auto wire_drops = [](const tcp::Counters& c) {
      return c.InMalformed + c.InAddrErrors + c.MartianSrcDrop + c.LandDrop +
             c.ZeroPortDrop;
    };
    FUZZ_CHECK((v == tcp::Verdict::kDroppedMalformed) ==
               (wire_drops(after) == wire_drops(before) + 1));
    check_step(stack, before, config, listeners);
    sink.packets.clear();
  });
  // Past every SYN-ACK backoff (1+2+4+8+16 s), orphan timeout and TIME-WAIT.
  for (const tcp::Time t : {1s, 3s, 7s, 15s, 31s, 63s, 127s, 255s}) {
    const tcp::Counters before = stack.counters();
    stack.advance(fuzz::kStart + t);
    check_step(stack, before, config, listeners);
    sink.packets.clear();
  }
  return 0;
}

// libFuzzer's own mutator; weak so the replay test (no libFuzzer) links.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size)
    __attribute__((weak));

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  if (LLVMFuzzerMutate == nullptr) return size;
  size = LLVMFuzzerMutate(data, size, max_size);
  if (seed % 16 != 0) {
    for_each_record(std::span(data, size), tcpref::fuzz::repair_checksums);
  }
  return size;
}
