// The %{ python }% blocks the suites use to assert on Linux's tcp_info,
// as far as tcpref's ConnectionView can answer them: tcpi_state, and
// tcpi_options & TCPI_OPT_SYN_DATA (the SYN's data was accepted). Anything
// else (tcpi_delivered, tcpi_snd_cwnd, ...) is reported as unsupported.
#pragma once

#include <string>
#include <string_view>

#include "impl/tcp/stack.h"

namespace tcpref::packetdrill {

struct TcpInfoAssert {
  bool ok = false;
  std::string why;   // when !ok: what cannot be evaluated
  std::string text;  // the condition, for notes and failures
  enum class Field : uint8_t { kState, kSynData } field = Field::kState;
  bool equal = true;                             // == (else !=)
  tcp::TcpState state = tcp::TcpState::kClosed;  // kState
  bool syn_data = false;  // kSynData: the flag's expected presence for ==
};

// "assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options" or
// "assert tcpi_state == TCP_SYN_RECV, tcpi_state".
[[nodiscard]] TcpInfoAssert parse_tcp_info_assert(std::string_view code);

// Whether the assertion holds for `info`; `why` says what differed.
[[nodiscard]] bool check_tcp_info_assert(const TcpInfoAssert& a,
                                         const tcp::ConnectionView& info,
                                         std::string& why);

}  // namespace tcpref::packetdrill
