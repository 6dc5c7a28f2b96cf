// Needs root: a private network namespace per test, a TUN device at
// 198.18.0.2/24 on the kernel side, and a handler at 198.18.0.1 that reflects
// UDP datagrams — the loop is tested end to end without the TCP stack.
#include "impl/io/event_loop.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "impl/io/netns.h"
#include "impl/io/test_packets.h"
#include "impl/io/tun_device.h"

namespace tcpref::io {
namespace {

constexpr uint32_t kServer = 0xc6120001;  // 198.18.0.1

// Swaps addresses and ports: both checksums stay valid, since a one's
// complement sum does not depend on the order of its terms.
class Reflector : public PacketHandler {
 public:
  void on_packet(std::span<const uint8_t> packet, Time, PacketInfo) override {
    ++received;
    if (packet.size() < 28 || packet[9] != 17 ||
        testing::get32(packet, 16) != kServer) {
      return;
    }
    std::vector<uint8_t> reply(packet.begin(), packet.end());
    std::swap_ranges(reply.begin() + 12, reply.begin() + 16,
                     reply.begin() + 16);
    std::swap_ranges(reply.begin() + 20, reply.begin() + 22,
                     reply.begin() + 22);
    loop->send(reply);
  }
  void on_tick(Time now) override {
    ++ticks;
    if (deadline && now >= *deadline) {
      deadline_met_at = now;
      deadline.reset();
    }
  }
  std::optional<Time> next_deadline() const override { return deadline; }

  EventLoop* loop = nullptr;
  int received = 0;
  int ticks = 0;
  std::optional<Time> deadline;
  std::optional<Time> deadline_met_at;
};

class EventLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Tagged requires-root: without root, leave it out with
    // --test_tag_filters=-requires-root rather than let it pass unrun.
    ASSERT_EQ(::geteuid(), 0u) << "needs root for a network namespace";
    Status s = enter_private_netns();
    ASSERT_TRUE(s.ok()) << s.error();
    auto dev = TunDevice::open("tcpl0");
    ASSERT_TRUE(dev.ok()) << dev.error();
    device_.emplace(std::move(dev.value()));
    ASSERT_TRUE(device_->bring_up(1500).ok());
    s = set_address("tcpl0", *parse_prefix("198.18.0.2/24", 24));
    ASSERT_TRUE(s.ok()) << s.error();
    stop_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    ASSERT_GE(stop_, 0);
    sock_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(sock_, 0);
  }
  void TearDown() override {
    if (sock_ >= 0) ::close(sock_);
    if (stop_ >= 0) ::close(stop_);
  }

  void start(const LoopOptions& options) {
    loop_.emplace(device_->fd(0), stop_, options, handler_);
    handler_.loop = &*loop_;
    thread_ = std::thread([this] { status_ = loop_->run(); });
  }
  Status stop() {
    const uint64_t one = 1;
    EXPECT_EQ(::write(stop_, &one, sizeof(one)), 8);
    thread_.join();
    return status_;
  }

  void send_datagram(const std::string& text) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(7);
    to.sin_addr.s_addr = htonl(kServer);
    ASSERT_EQ(::sendto(sock_, text.data(), text.size(), 0,
                       reinterpret_cast<sockaddr*>(&to), sizeof(to)),
              static_cast<ssize_t>(text.size()));
  }
  // Datagrams that come back within `ms` of quiet.
  std::vector<std::string> replies(int ms) {
    std::vector<std::string> out;
    char buf[2048];
    for (int i = 0; i < 1000; ++i) {
      pollfd pfd{sock_, POLLIN, 0};
      if (::poll(&pfd, 1, ms) != 1) break;
      const ssize_t n = ::recv(sock_, buf, sizeof(buf), 0);
      if (n < 0) break;
      out.emplace_back(buf, static_cast<size_t>(n));
    }
    return out;
  }

  std::optional<TunDevice> device_;
  int stop_ = -1;
  int sock_ = -1;
  Reflector handler_;
  std::optional<EventLoop> loop_;
  std::thread thread_;
  Status status_ = ok_status();
};

LoopOptions options() {
  LoopOptions o;
  o.device_name = "tcpl0";
  return o;
}

TEST_F(EventLoopTest, ReflectsKernelDatagramsBackToTheKernel) {
  start(options());
  for (int i = 0; i < 10; ++i) send_datagram("datagram " + std::to_string(i));
  std::vector<std::string> got = replies(500);
  const Status s = stop();
  EXPECT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(got[i], "datagram " + std::to_string(i));
  const LoopStats stats = loop_->stats();
  EXPECT_EQ(stats.packets_out, 10u);
  EXPECT_GE(stats.packets_in, 10u);
}

TEST_F(EventLoopTest, ImpairmentAppliesToBothDirections) {
  LoopOptions o = options();
  o.impairment = parse_impairment("duplicate=100%").value();
  start(o);
  send_datagram("twice twice");
  std::vector<std::string> got = replies(500);
  ASSERT_TRUE(stop().ok());
  // Duplicated on the way in, and each reply duplicated on the way out.
  EXPECT_EQ(got.size(), 4u);
  // (The kernel may send IPv6 router solicitations too: all duplicated.)
  const LoopStats stats = loop_->stats();
  EXPECT_GE(stats.ingress.passed, 1u);
  EXPECT_EQ(stats.ingress.duplicated, stats.ingress.passed);
  EXPECT_EQ(stats.egress.duplicated, 2u);
  EXPECT_EQ(stats.packets_out, 4u);
}

TEST_F(EventLoopTest, FullLossSilencesTheServer) {
  LoopOptions o = options();
  o.impairment = parse_impairment("loss=100%,seed=3").value();
  start(o);
  send_datagram("lost");
  EXPECT_TRUE(replies(300).empty());
  ASSERT_TRUE(stop().ok());
  EXPECT_EQ(handler_.received, 0);
}

TEST_F(EventLoopTest, TimerWakesTheHandlerAtItsDeadline) {
  handler_.deadline = monotonic_now() + std::chrono::milliseconds(30);
  const Time due = *handler_.deadline;
  start(options());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(stop().ok());
  ASSERT_TRUE(handler_.deadline_met_at.has_value()) << "timer never fired";
  EXPECT_GE(*handler_.deadline_met_at, due);
}

TEST_F(EventLoopTest, PcapRecordsWhatTheHandlerSawAndSent) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/loop.pcap";
  auto pcap = PcapWriter::open(path);
  ASSERT_TRUE(pcap.ok()) << pcap.error();
  LoopOptions o = options();
  o.pcap = pcap.value().get();
  start(o);
  send_datagram("recorded");
  ASSERT_EQ(replies(300).size(), 1u);
  ASSERT_TRUE(stop().ok());
  pcap.value().reset();
  const LoopStats s = loop_->stats();
  // pcap: every packet in (>= 1, the kernel may add its own) + 1 out.
  char err[256];
  std::string cmd = "/usr/bin/tshark -r " + path + " 2>/dev/null | wc -l";
  if (::access("/usr/bin/tshark", X_OK) == 0) {
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    ASSERT_NE(std::fgets(err, sizeof(err), p), nullptr);
    ::pclose(p);
    EXPECT_EQ(std::stoul(err), s.packets_in + s.packets_out);
  }
}

TEST_F(EventLoopTest, DeviceRemovalEndsTheLoopWithAClearMessage) {
  start(options());
  ASSERT_EQ(std::system("ip link delete tcpl0"), 0);
  thread_.join();
  ASSERT_FALSE(status_.ok());
  EXPECT_NE(status_.error().find("tcpl0"), std::string::npos)
      << status_.error();
  EXPECT_EQ(status_.error().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace tcpref::io
