#include "impl/io/pcap_writer.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "impl/io/test_packets.h"

namespace tcpref::io {
namespace {

std::string temp_path(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(PcapWriter, WritesRawIpv4ThatLibpcapReadsBack) {
  const std::string path = temp_path("roundtrip.pcap");
  const auto a = testing::udp_packet(0xc6120002, 4000, 0xc6120001, 7, "hello");
  const auto b = testing::udp_packet(0xc6120001, 7, 0xc6120002, 4000, "hi");
  {
    auto writer = PcapWriter::open(path);
    ASSERT_TRUE(writer.ok()) << writer.error();
    writer.value()->write(a);
    writer.value()->write(b);
  }
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* in = pcap_open_offline(path.c_str(), err);
  ASSERT_NE(in, nullptr) << err;
  EXPECT_EQ(pcap_datalink(in), DLT_RAW);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  for (const auto* expected : {&a, &b}) {
    ASSERT_EQ(pcap_next_ex(in, &header, &data), 1);
    ASSERT_EQ(header->caplen, expected->size());
    EXPECT_EQ(header->len, expected->size());
    EXPECT_EQ(std::vector<uint8_t>(data, data + header->caplen), *expected);
    EXPECT_GT(header->ts.tv_sec, 0);
  }
  EXPECT_EQ(pcap_next_ex(in, &header, &data), PCAP_ERROR_BREAK);
  pcap_close(in);
}

TEST(PcapWriter, UnwritablePathIsAClearError) {
  auto writer = PcapWriter::open("/nonexistent-dir/x.pcap");
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().find("/nonexistent-dir/x.pcap"), std::string::npos);
}

TEST(PcapWriter, TsharkDecodesItWithoutMalformedPackets) {
  // A missing tool fails (as every test here does): tools/setup.sh
  // installs tshark.
  ASSERT_EQ(::access("/usr/bin/tshark", X_OK), 0)
      << "tshark not installed; run tools/setup.sh";
  const std::string path = temp_path("tshark.pcap");
  {
    auto writer = PcapWriter::open(path);
    ASSERT_TRUE(writer.ok()) << writer.error();
    writer.value()->write(
        testing::udp_packet(0xc6120002, 4000, 0xc6120001, 7, "payload"));
  }
  const std::string cmd =
      "/usr/bin/tshark -r " + path + " -T fields -e ip.src -e udp.dstport 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[256];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) output += buf;
  EXPECT_EQ(::pclose(p), 0) << output;
  EXPECT_NE(output.find("198.18.0.2\t7"), std::string::npos) << output;
  EXPECT_EQ(output.find("Malformed"), std::string::npos) << output;
}

}  // namespace
}  // namespace tcpref::io
