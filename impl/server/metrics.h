// Counters out: the Prometheus text exposition format (version 0.0.4) for
// GET /metrics, and nstat-like lines for SIGUSR1 and exit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tcpref::server {

enum class MetricKind : uint8_t { kCounter, kGauge };

struct Metric {
  // nstat's group: "Tcp" (RFC 4022 MIB), "Ip", "Ip6", "TcpExt" (Linux
  // extensions), "Tcpref" (tcpref's own: server, TUN, impairment).
  std::string_view group;
  std::string_view name;  // e.g. "ListenOverflows"
  MetricKind kind = MetricKind::kCounter;
  uint64_t value = 0;
};

// Which group a tcp::Counters name belongs to, as nstat would show it.
[[nodiscard]] std::string_view counter_group(std::string_view counter);
// The name under that group: the counter's own, less an "Ip6" prefix that
// is the group (Ip6InHdrErrors → Ip6 + InHdrErrors, as nstat prints it).
[[nodiscard]] std::string_view counter_name(std::string_view counter);
// Counters that measure a current amount (CurrEstab), not a running total.
[[nodiscard]] MetricKind counter_kind(std::string_view counter);

// "# TYPE tcpref_tcpext_ListenOverflows counter\n..." — one family per
// metric, named tcpref_<group in lower case>_<name>.
[[nodiscard]] std::string format_prometheus(std::span<const Metric> metrics);

// "#tcpref\nTcpExtListenOverflows           3\n..." like `nstat -a`; zero
// values are left out unless `zeros`.
[[nodiscard]] std::string format_nstat(std::span<const Metric> metrics,
                                       bool zeros);

}  // namespace tcpref::server
