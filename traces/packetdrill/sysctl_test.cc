#include "traces/packetdrill/sysctl.h"

#include <gtest/gtest.h>

#include <fstream>

namespace tcpref::packetdrill {
namespace {

ShellResult run(std::string_view command, Knobs& knobs,
                bool stack_started = false) {
  return apply_shell(command, "/nonexistent", stack_started, knobs);
}

TEST(Sysctl, AppliesKnobsTheStackHas) {
  Knobs k;
  const ShellResult r =
      run("sysctl -q net.ipv4.tcp_syncookies=2\n"
          "sysctl -q net.ipv4.tcp_abort_on_overflow=1 net.ipv4.tcp_sack=0\n"
          "sysctl -w net.ipv4.tcp_timestamps=0; sysctl net.ipv4.tcp_ecn=0\n"
          "sysctl -q net.ipv4.tcp_synack_retries=2",
          k);
  EXPECT_TRUE(r.unsupported.empty()) << r.unsupported;
  EXPECT_EQ(k.listen.syn_cookies, tcp::SynCookieMode::kAlways);
  EXPECT_EQ(k.listen.overflow, tcp::OverflowPolicy::kReset);
  EXPECT_EQ(k.listen.synack_retries, 2);
  EXPECT_FALSE(k.stack.sack);
  EXPECT_FALSE(k.stack.timestamps);
  EXPECT_FALSE(k.stack.ecn);
}

TEST(Sysctl, RmemMaxGivesLinuxWindowScale) {
  Knobs k;
  EXPECT_TRUE(run("sysctl -q net.ipv4.tcp_rmem=\"4096 540000 "
                  "$((15*1024*1024))\"",
                  k)
                  .unsupported.empty());
  EXPECT_EQ(k.stack.window_scale, 8);  // ilog2(15 MiB) - 15
  EXPECT_TRUE(run("sysctl -q net.ipv4.tcp_rmem=\"4096 87380 6291456\"", k)
                  .unsupported.empty());
  EXPECT_EQ(k.stack.window_scale, 7);
}

TEST(Sysctl, ProcWritesAndContinuations) {
  Knobs k;
  EXPECT_TRUE(run("./set_sysctls.py /proc/sys/net/ipv4/tcp_sack=0 \\\n"
                  "    /proc/sys/net/ipv4/tcp_syncookies=0",
                  k)
                  .unsupported.empty());
  EXPECT_FALSE(k.stack.sack);
  EXPECT_EQ(k.listen.syn_cookies, tcp::SynCookieMode::kOff);
  EXPECT_TRUE(
      run("echo 1 > /proc/sys/net/ipv4/tcp_sack", k).unsupported.empty());
  EXPECT_TRUE(k.stack.sack);
}

TEST(Sysctl, IgnoredSettingsAreNotedNotApplied) {
  Knobs k;
  const ShellResult r =
      run("sysctl -q net.ipv4.tcp_congestion_control=cubic\n"
          "ip tcp_metrics flush all > /dev/null 2>&1\n"
          "tc qdisc add dev tun0 root pfifo",
          k);
  EXPECT_TRUE(r.unsupported.empty()) << r.unsupported;
  EXPECT_EQ(r.notes.size(), 3u);
}

TEST(Sysctl, UnknownThingsAreUnsupportedAndNamed) {
  Knobs k;
  EXPECT_EQ(run("sysctl -q net.ipv4.tcp_rto_max_ms=1000", k).unsupported,
            "sysctl net.ipv4.tcp_rto_max_ms=1000");
  EXPECT_EQ(run("sysctl -q net.ipv4.tcp_ecn=3", k).unsupported,
            "sysctl net.ipv4.tcp_ecn=3");
  EXPECT_EQ(run("sysctl -q net.core.somaxconn=4", k).unsupported,
            "sysctl net.core.somaxconn");
  EXPECT_EQ(run("grep x /proc/net/tcp", k).unsupported, "shell command 'grep'");
  EXPECT_EQ(run("sysctl -q net.ipv4.tcp_window_scaling=0", k).unsupported,
            "sysctl net.ipv4.tcp_window_scaling=0");
}

TEST(Sysctl, StackWideKnobsFreezeOnceTheStackExists) {
  Knobs k;
  EXPECT_FALSE(run("sysctl -q net.ipv4.tcp_sack=0", k, /*stack_started=*/true)
                   .unsupported.empty());
  EXPECT_TRUE(k.stack.sack);  // unchanged
  // Per-listener knobs apply to later listen() calls.
  EXPECT_TRUE(
      run("sysctl -q net.ipv4.tcp_syncookies=0", k, true).unsupported.empty());
  EXPECT_EQ(k.listen.syn_cookies, tcp::SynCookieMode::kOff);
}

TEST(Sysctl, DefaultsFileIsReadOrReplacedByStandardDefaults) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream f(dir + "/defaults.sh");
    f << "#!/bin/bash\nsysctl -q net.ipv4.tcp_sack=0\n";
  }
  Knobs k;
  EXPECT_TRUE(apply_shell("./defaults.sh", dir, false, k).unsupported.empty());
  EXPECT_FALSE(k.stack.sack);
  Knobs missing;
  const ShellResult r = run("../common/defaults.sh", missing);
  EXPECT_TRUE(r.unsupported.empty());
  EXPECT_EQ(missing.stack.window_scale, 8);
  EXPECT_FALSE(missing.stack.ecn);
}

}  // namespace
}  // namespace tcpref::packetdrill
