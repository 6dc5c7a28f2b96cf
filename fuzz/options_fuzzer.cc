// Fuzzes the TCP options parser (impl/wire parse_options). A rejection
// carries no options; an accepted list re-emits and re-parses to itself.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "impl/wire/options.h"

using tcpref::wire::emit_options;
using tcpref::wire::kMaxOptionBytes;
using tcpref::wire::options_length;
using tcpref::wire::OptionsParse;
using tcpref::wire::parse_options;
using tcpref::wire::TcpOptions;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const OptionsParse parsed = parse_options(std::span(data, size));
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.options == TcpOptions{});
    return 0;
  }
  FUZZ_CHECK(parsed.options.sack_block_count <= tcpref::wire::kMaxSackBlocks);
  TcpOptions known = parsed.options;
  known.unknown_count = 0;  // unknown kinds are not re-emitted
  const size_t n = options_length(known);
  if (n > kMaxOptionBytes) return 0;  // legal to receive, too long aligned
  FUZZ_CHECK(n % 4 == 0);
  std::vector<uint8_t> out(n);
  FUZZ_CHECK(emit_options(known, out) == n);
  const OptionsParse again = parse_options(out);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.options == known);
  return 0;
}
