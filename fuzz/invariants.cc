#include "fuzz/invariants.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "fuzz/fuzz_check.h"

namespace tcpref::fuzz {

void check_counters(const tcp::Counters& before, const tcp::Counters& after,
                    const tcp::StackConfig& config) {
  std::array<uint64_t, 128> old{};
  size_t n = 0;
  before.for_each([&](std::string_view, uint64_t v) {
    FUZZ_CHECK(n < old.size());
    old[n++] = v;
  });
  size_t i = 0;
  after.for_each([&](std::string_view name, uint64_t v) {
    if (name != "CurrEstab" && v < old[i]) {
      std::fprintf(stderr, "counter %.*s went from %llu to %llu\n",
                   static_cast<int>(name.size()), name.data(),
                   static_cast<unsigned long long>(old[i]),
                   static_cast<unsigned long long>(v));
      FUZZ_CHECK(v >= old[i]);
    }
    ++i;
  });
  FUZZ_CHECK(after.CurrEstab <= config.max_sockets);
  FUZZ_CHECK(after.OutRsts <= after.OutSegs);
  FUZZ_CHECK(after.CsumErrors <= after.InErrs);
  FUZZ_CHECK(after.ActiveOpens == 0);  // the fuzzers never connect()
}

void check_queue_bounds(const tcp::Stack& stack, tcp::ListenerId listener,
                        const tcp::ListenOptions& options) {
  FUZZ_CHECK(stack.accept_queue_length(listener) <= options.backlog + 1);
  FUZZ_CHECK(stack.syn_queue_length(listener) <= options.syn_queue_limit);
  const bool acceptable = (stack.poll(listener) & tcp::ready::kAcceptable) != 0;
  FUZZ_CHECK(acceptable == (stack.accept_queue_length(listener) > 0));
}

}  // namespace tcpref::fuzz
