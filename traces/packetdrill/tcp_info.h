// The %{ python }% blocks the suites use to assert on Linux's tcp_info,
// as far as tcpref's ConnectionView can answer them: tcpi_state,
// tcpi_options & TCPI_OPT_SYN_DATA (the SYN's data was accepted),
// tcpi_advmss and tcpi_snd_mss. Anything else (tcpi_delivered,
// tcpi_snd_cwnd, ...) is reported as unsupported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::packetdrill {

struct TcpInfoAssert {
  bool ok = false;
  std::string why;   // when !ok: what cannot be evaluated
  std::string text;  // the condition, for notes and failures
  enum class Field : uint8_t {
    kState,
    kSynData,
    kAdvMss,  // tcpi_advmss: the MSS we advertised
    kSndMss,  // tcpi_snd_mss: the current send MSS
  } field = Field::kState;
  bool equal = true;                             // == (else !=)
  tcp::TcpState state = tcp::TcpState::kClosed;  // kState
  bool syn_data = false;  // kSynData: the flag's expected presence for ==
  int64_t value = 0;      // kAdvMss, kSndMss
};

// "assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options",
// "assert tcpi_state == TCP_SYN_RECV, tcpi_state" or
// "assert tcpi_advmss == 1100, tcpi_advmss".
[[nodiscard]] TcpInfoAssert parse_tcp_info_assert(std::string_view code);

// A block of such asserts, separated by ';' or newlines; empty statements
// are skipped. Each element says on its own whether it could be parsed.
[[nodiscard]] std::vector<TcpInfoAssert> parse_tcp_info_block(
    std::string_view code);

// Whether the assertion holds for `info`; `why` says what differed.
[[nodiscard]] bool check_tcp_info_assert(const TcpInfoAssert& a,
                                         const tcp::ConnectionView& info,
                                         std::string& why);

}  // namespace tcpref::packetdrill
