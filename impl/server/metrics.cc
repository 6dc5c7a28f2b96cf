#include "impl/server/metrics.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace tcpref::server {
namespace {

// RFC 4022's tcp group; Linux prints these as Tcp*.
constexpr std::array<std::string_view, 11> kTcpMib = {
    "InSegs",      "OutSegs",     "InErrs",       "CsumErrors",
    "OutRsts",     "ActiveOpens", "PassiveOpens", "AttemptFails",
    "EstabResets", "CurrEstab",   "RetransSegs"};

// RFC 4293's ip group (Linux's Ip* in /proc/net/snmp).
constexpr std::array<std::string_view, 6> kIpMib = {
    "InAddrErrors", "InHdrErrors", "InTruncatedPkts",
    "InCsumErrors", "ReasmFails",  "InUnknownProtos"};

// tcpref's own counters with no Linux equivalent.
constexpr std::array<std::string_view, 6> kTcprefOnly = {
    "InMalformed",    "InRsts",   "NoSocket",
    "MartianSrcDrop", "LandDrop", "ZeroPortDrop"};

bool contains(std::span<const std::string_view> list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::string_view counter_group(std::string_view counter) {
  if (contains(kIpMib, counter)) return "Ip";
  if (counter.starts_with("Ip6")) return "Ip6";  // Linux /proc/net/snmp6
  if (contains(kTcpMib, counter)) return "Tcp";
  if (contains(kTcprefOnly, counter)) return "Tcpref";
  return "TcpExt";
}

std::string_view counter_name(std::string_view counter) {
  const std::string_view group = counter_group(counter);
  return group == "Ip6" ? counter.substr(group.size()) : counter;
}

MetricKind counter_kind(std::string_view counter) {
  return counter == "CurrEstab" ? MetricKind::kGauge : MetricKind::kCounter;
}

std::string format_prometheus(std::span<const Metric> metrics) {
  std::string out;
  out.reserve(metrics.size() * 96);
  for (const Metric& m : metrics) {
    // tcpref_<group>_<name>; tcpref's own group is the namespace itself, so
    // it is not repeated (tcpref_NoSocket, not tcpref_tcpref_NoSocket).
    std::string name = "tcpref_";
    if (m.group != "Tcpref") {
      for (char c : m.group) {
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      name.append("_");
    }
    name.append(m.name);
    out.append("# TYPE ").append(name).append(
        m.kind == MetricKind::kCounter ? " counter\n" : " gauge\n");
    out.append(name).append(" ").append(std::to_string(m.value)).append("\n");
  }
  return out;
}

std::string format_nstat(std::span<const Metric> metrics, bool zeros) {
  std::string out = "#tcpref\n";
  for (const Metric& m : metrics) {
    if (m.value == 0 && !zeros) continue;
    std::string name = std::string(m.group) + std::string(m.name);
    name.resize(std::max<size_t>(name.size() + 1, 32), ' ');
    out.append(name).append(std::to_string(m.value)).append("\n");
  }
  return out;
}

}  // namespace tcpref::server
