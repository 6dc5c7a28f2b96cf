// fast_open_fuzzer: handshake_fuzzer's steps against a listener with TCP
// Fast Open on (RFC 7413), clients sending cookie requests, valid cookies and
// wrong ones, with and without SYN data (fuzz/handshake_driver.h).
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/handshake_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)tcpref::fuzz::run_handshake_input(std::span(data, size),
                                          {.fast_open = true});
  return 0;
}
