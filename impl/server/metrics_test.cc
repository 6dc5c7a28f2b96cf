#include "impl/server/metrics.h"

#include <gtest/gtest.h>

#include <vector>

namespace tcpref::server {
namespace {

const std::vector<Metric> kSample = {
    {"Tcp", "InSegs", MetricKind::kCounter, 12},
    {"Tcp", "CurrEstab", MetricKind::kGauge, 2},
    {"TcpExt", "ListenOverflows", MetricKind::kCounter, 0},
    {"Tcpref", "AcceptQueue", MetricKind::kGauge, 5},
};

TEST(CounterGroup, FollowsLinuxNaming) {
  EXPECT_EQ(counter_group("InSegs"), "Tcp");
  EXPECT_EQ(counter_group("RetransSegs"), "Tcp");
  EXPECT_EQ(counter_group("ListenOverflows"), "TcpExt");
  EXPECT_EQ(counter_group("SyncookiesSent"), "TcpExt");
  EXPECT_EQ(counter_group("NoSocket"), "Tcpref");
  EXPECT_EQ(counter_group("InAddrErrors"), "Ip");
  EXPECT_EQ(counter_group("InHdrErrors"), "Ip");
  EXPECT_EQ(counter_group("ReasmFails"), "Ip");
  EXPECT_EQ(counter_group("MartianSrcDrop"), "Tcpref");
  EXPECT_EQ(counter_group("TCPBadOptionsDrop"), "TcpExt");
  EXPECT_EQ(counter_group("Ip6InHdrErrors"), "Ip6");
  EXPECT_EQ(counter_name("Ip6InHdrErrors"), "InHdrErrors");
  EXPECT_EQ(counter_name("InAddrErrors"), "InAddrErrors");
  EXPECT_EQ(counter_name("ListenOverflows"), "ListenOverflows");
  EXPECT_EQ(counter_kind("CurrEstab"), MetricKind::kGauge);
  EXPECT_EQ(counter_kind("InSegs"), MetricKind::kCounter);
}

TEST(Prometheus, OneTypedFamilyPerMetric) {
  EXPECT_EQ(format_prometheus(kSample),
            "# TYPE tcpref_tcp_InSegs counter\n"
            "tcpref_tcp_InSegs 12\n"
            "# TYPE tcpref_tcp_CurrEstab gauge\n"
            "tcpref_tcp_CurrEstab 2\n"
            "# TYPE tcpref_tcpext_ListenOverflows counter\n"
            "tcpref_tcpext_ListenOverflows 0\n"
            "# TYPE tcpref_AcceptQueue gauge\n"
            "tcpref_AcceptQueue 5\n");
}

TEST(Prometheus, NamesAreValidMetricNames) {
  // [a-zA-Z_:][a-zA-Z0-9_:]* for every sample line.
  const std::string text = format_prometheus(kSample);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("#")) continue;
    const std::string name = line.substr(0, line.find(' '));
    ASSERT_FALSE(name.empty());
    EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(name[0])));
    for (char c : name) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                  c == ':')
          << name;
    }
  }
}

TEST(Nstat, AlignedNamesAndZerosHiddenByDefault) {
  EXPECT_EQ(format_nstat(kSample, false),
            "#tcpref\n"
            "TcpInSegs                       12\n"
            "TcpCurrEstab                    2\n"
            "TcprefAcceptQueue               5\n");
  EXPECT_NE(
      format_nstat(kSample, true).find("TcpExtListenOverflows           0\n"),
      std::string::npos);
}

TEST(Nstat, LongNamesStillSeparated) {
  const std::vector<Metric> m = {
      {"TcpExt", "AVeryLongCounterNameThatOverflows", MetricKind::kCounter, 1}};
  EXPECT_EQ(format_nstat(m, false),
            "#tcpref\nTcpExtAVeryLongCounterNameThatOverflows 1\n");
}

}  // namespace
}  // namespace tcpref::server
