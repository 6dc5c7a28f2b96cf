#include "traces/packetdrill/tcp_info.h"

#include <array>
#include <charconv>
#include <utility>

namespace tcpref::packetdrill {
namespace {

constexpr std::array<std::pair<std::string_view, tcp::TcpState>, 11> kStates = {
    {{"TCP_ESTABLISHED", tcp::TcpState::kEstablished},
     {"TCP_SYN_SENT", tcp::TcpState::kSynSent},
     {"TCP_SYN_RECV", tcp::TcpState::kSynReceived},
     {"TCP_FIN_WAIT1", tcp::TcpState::kFinWait1},
     {"TCP_FIN_WAIT2", tcp::TcpState::kFinWait2},
     {"TCP_TIME_WAIT", tcp::TcpState::kTimeWait},
     {"TCP_CLOSE", tcp::TcpState::kClosed},
     {"TCP_CLOSE_WAIT", tcp::TcpState::kCloseWait},
     {"TCP_LAST_ACK", tcp::TcpState::kLastAck},
     {"TCP_LISTEN", tcp::TcpState::kListen},
     {"TCP_CLOSING", tcp::TcpState::kClosing}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view state_name(tcp::TcpState s) {
  for (const auto& [name, state] : kStates)
    if (state == s) return name;
  return "?";
}

}  // namespace

TcpInfoAssert parse_tcp_info_assert(std::string_view code) {
  TcpInfoAssert a;
  std::string_view c = trim(code);
  if (!c.starts_with("assert ")) {
    a.why = "not a single assert";
    return a;
  }
  c = trim(c.substr(7));
  // The message after the comma is only printed by Python on failure.
  c = trim(c.substr(0, c.find(',')));
  a.text = std::string(c);
  const size_t op =
      c.find("==") != std::string_view::npos ? c.find("==") : c.find("!=");
  if (op == std::string_view::npos) {
    a.why = "assert without == or !=";
    return a;
  }
  a.equal = c.substr(op, 2) == "==";
  const std::string_view lhs = trim(c.substr(0, op));
  const std::string_view rhs = trim(c.substr(op + 2));
  if (lhs == "tcpi_state") {
    for (const auto& [name, state] : kStates) {
      if (rhs == name) {
        a.ok = true;
        a.field = TcpInfoAssert::Field::kState;
        a.state = state;
        return a;
      }
    }
    a.why = "tcpi_state compared with something else";
    return a;
  }
  if (lhs == "(tcpi_options & TCPI_OPT_SYN_DATA)" && rhs == "0") {
    a.ok = true;
    a.field = TcpInfoAssert::Field::kSynData;
    a.syn_data = false;  // "== 0": the flag is absent
    return a;
  }
  if (lhs == "tcpi_advmss" || lhs == "tcpi_snd_mss") {
    const auto [p, ec] =
        std::from_chars(rhs.data(), rhs.data() + rhs.size(), a.value);
    if (ec != std::errc() || p != rhs.data() + rhs.size()) {
      a.why = std::string(lhs) + " compared with something else";
      return a;
    }
    a.ok = true;
    a.field = lhs == "tcpi_advmss" ? TcpInfoAssert::Field::kAdvMss
                                   : TcpInfoAssert::Field::kSndMss;
    return a;
  }
  const size_t dot = lhs.find_first_of(" &)");
  a.why = "tcp_info field " + std::string(lhs.substr(0, dot));
  return a;
}

std::vector<TcpInfoAssert> parse_tcp_info_block(std::string_view code) {
  std::vector<TcpInfoAssert> out;
  while (!code.empty()) {
    const size_t end = code.find_first_of(";\n");
    const std::string_view statement = trim(code.substr(0, end));
    if (!statement.empty()) out.push_back(parse_tcp_info_assert(statement));
    if (end == std::string_view::npos) break;
    code.remove_prefix(end + 1);
  }
  return out;
}

bool check_tcp_info_assert(const TcpInfoAssert& a,
                           const tcp::ConnectionView& info, std::string& why) {
  bool holds = false;
  std::string actual;
  if (a.field == TcpInfoAssert::Field::kState) {
    holds = (info.state == a.state) == a.equal;
    actual = "tcpi_state is " + std::string(state_name(info.state));
  } else if (a.field == TcpInfoAssert::Field::kAdvMss ||
             a.field == TcpInfoAssert::Field::kSndMss) {
    const bool adv = a.field == TcpInfoAssert::Field::kAdvMss;
    const int64_t got = adv ? info.adv_mss : info.send_mss;
    holds = (got == a.value) == a.equal;
    actual = std::string(adv ? "tcpi_advmss" : "tcpi_snd_mss") + " is " +
             std::to_string(got);
  } else {
    holds = (info.syn_data == a.syn_data) == a.equal;
    actual = std::string("TCPI_OPT_SYN_DATA is ") +
             (info.syn_data ? "set" : "clear");
  }
  if (!holds) why = "python assert failed: " + a.text + " (" + actual + ")";
  return holds;
}

}  // namespace tcpref::packetdrill
