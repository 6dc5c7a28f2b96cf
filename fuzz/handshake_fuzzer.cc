// handshake_fuzzer: structure-aware segment and application-call sequences
// through Stack::receive (fuzz/handshake_driver.h).
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/handshake_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)tcpref::fuzz::run_handshake_input(std::span(data, size));
  return 0;
}
