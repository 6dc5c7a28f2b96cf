// Needs root: each test enters a private network namespace of its own, so
// the TUN devices and the 198.18.0.0/24 route exist only there.
#include "impl/io/tun_device.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "impl/io/netns.h"
#include "impl/io/test_packets.h"

namespace tcpref::io {
namespace {

class TunDeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Tagged requires-root: without root, leave it out with
    // --test_tag_filters=-requires-root rather than let it pass unrun.
    ASSERT_EQ(::geteuid(), 0u) << "needs root for a network namespace";
    const Status s = enter_private_netns();
    ASSERT_TRUE(s.ok()) << s.error();
  }
};

TEST_F(TunDeviceTest, KernelPacketsArriveOnTheQueue) {
  auto dev = TunDevice::open("tcpt0");
  ASSERT_TRUE(dev.ok()) << dev.error();
  ASSERT_TRUE(dev.value().bring_up(1400).ok());
  const Status addr = set_address("tcpt0", *parse_prefix("198.18.0.2/24", 24));
  ASSERT_TRUE(addr.ok()) << addr.error();

  const int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(7);
  to.sin_addr.s_addr = htonl(0xc6120001);
  ASSERT_EQ(::sendto(sock, "ping", 4, 0, reinterpret_cast<sockaddr*>(&to),
                     sizeof(to)),
            4);
  ::close(sock);

  // Skip anything else the kernel may send (there should be nothing else).
  uint8_t buf[2048];
  for (int tries = 0; tries < 10; ++tries) {
    pollfd pfd{dev.value().fd(0), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 2000), 1) << "no packet from the kernel";
    const ssize_t n = ::read(dev.value().fd(0), buf, sizeof(buf));
    ASSERT_GT(n, 28);
    const std::span<const uint8_t> p(buf, static_cast<size_t>(n));
    if (p[9] != 17) continue;
    EXPECT_EQ(p[0], 0x45);  // IFF_NO_PI: the IPv4 header comes first
    EXPECT_EQ(testing::get32(p, 12), 0xc6120002u);
    EXPECT_EQ(testing::get32(p, 16), 0xc6120001u);
    EXPECT_EQ(testing::get16(p, 22), 7);
    EXPECT_EQ(std::string(p.begin() + 28, p.end()), "ping");
    return;
  }
  FAIL() << "no UDP packet";
}

TEST_F(TunDeviceTest, AttachesToAnExistingDevice) {
  {
    auto first = TunDevice::open("tcpt1");
    ASSERT_TRUE(first.ok()) << first.error();
    // A non-persistent device disappears with its last descriptor; while
    // the first is open a second single-queue attach is refused clearly.
    auto second = TunDevice::open("tcpt1");
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().find("tcpt1"), std::string::npos);
    EXPECT_EQ(second.error().find('\n'), std::string::npos);
  }
  auto again = TunDevice::open("tcpt1");
  EXPECT_TRUE(again.ok()) << again.error();
}

TEST_F(TunDeviceTest, MultiQueueOpensOneDescriptorPerQueue) {
  auto dev = TunDevice::open("tcpt2", 3);
  ASSERT_TRUE(dev.ok()) << dev.error();
  EXPECT_EQ(dev.value().queue_count(), 3u);
  EXPECT_NE(dev.value().fd(0), dev.value().fd(2));
  EXPECT_TRUE(dev.value().bring_up(1500).ok());
}

TEST_F(TunDeviceTest, SingleQueueAttachToMultiQueueDeviceIsRefused) {
  auto multi = TunDevice::open("tcpt3", 2);
  ASSERT_TRUE(multi.ok()) << multi.error();
  auto single = TunDevice::open("tcpt3", 1);
  EXPECT_FALSE(single.ok());
}

TEST_F(TunDeviceTest, BadNamesAreRefusedBeforeTheKernel) {
  EXPECT_FALSE(TunDevice::open("").ok());
  auto r = TunDevice::open("a-name-that-is-too-long");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("1 to 15"), std::string::npos) << r.error();
  EXPECT_FALSE(TunDevice::open("tcpt4", 0).ok());
}

TEST_F(TunDeviceTest, WithIpv6OffTheKernelSendsNothingUnasked) {
  auto dev = TunDevice::open("tcpt6");
  ASSERT_TRUE(dev.ok()) << dev.error();
  const Status off = disable_ipv6("tcpt6");
  ASSERT_TRUE(off.ok()) << off.error();
  ASSERT_TRUE(dev.value().bring_up(1500).ok());
  ASSERT_TRUE(set_address("tcpt6", *parse_prefix("198.18.0.2/24", 24)).ok());
  pollfd pfd{dev.value().fd(0), POLLIN, 0};
  EXPECT_EQ(::poll(&pfd, 1, 1500), 0) << "the kernel sent a packet";
  EXPECT_FALSE(disable_ipv6("../x").ok());
}

TEST_F(TunDeviceTest, AddressesOutsideTheBenchmarkRangeAreRefused) {
  auto dev = TunDevice::open("tcpt5");
  ASSERT_TRUE(dev.ok()) << dev.error();
  const Status s = set_address("tcpt5", *parse_prefix("10.0.0.2/24", 24));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("198.18.0.0/15"), std::string::npos);
}

}  // namespace
}  // namespace tcpref::io
