#include "impl/server/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tcpref::server {
namespace {

ParsedArgs parse(std::vector<std::string_view> args) {
  return parse_args(args);
}

std::vector<std::string_view> base() {
  return {"--tun", "tcpref0", "--addr", "198.18.0.1", "--port", "80"};
}

ParsedArgs with(std::vector<std::string_view> extra) {
  std::vector<std::string_view> args = base();
  args.insert(args.end(), extra.begin(), extra.end());
  return parse(args);
}

TEST(ParseArgs, RequiredOnlyGivesTheDefaults) {
  const ParsedArgs p = parse(base());
  ASSERT_EQ(p.error, "");
  EXPECT_FALSE(p.help);
  EXPECT_EQ(p.options.tun, "tcpref0");
  EXPECT_EQ(p.options.addr, 0xc6120001u);
  EXPECT_EQ(p.options.port, 80);
  EXPECT_EQ(p.options.backlog, 128u);
  EXPECT_EQ(p.options.mode, Mode::kHttp);
  EXPECT_EQ(p.options.syncookies, SynCookies::kAuto);
  EXPECT_EQ(p.options.synack_retries, 5);
  EXPECT_EQ(p.options.threads, 1u);
  EXPECT_FALSE(p.options.impair.enabled());
  EXPECT_FALSE(p.options.configure_peer);
  EXPECT_TRUE(p.options.pcap.empty());
  EXPECT_EQ(p.options.header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(p.options.idle_timeout, std::chrono::seconds(120));
  EXPECT_EQ(p.options.metrics_port, 0);
}

TEST(ParseArgs, EveryOption) {
  const ParsedArgs p = with({"--backlog",
                             "0",
                             "--syn-backlog=16",
                             "--mode",
                             "hold",
                             "--syncookies",
                             "always",
                             "--synack-retries=2",
                             "--abort-on-overflow",
                             "--pcap",
                             "/tmp/x.pcap",
                             "--threads",
                             "2",
                             "--orphan-retries",
                             "3",
                             "--impair",
                             "loss=3%,seed=4",
                             "--configure-peer",
                             "198.18.0.2/30",
                             "--mtu",
                             "9000",
                             "--max-connections",
                             "64",
                             "--header-timeout",
                             "250ms",
                             "--idle-timeout=3",
                             "--metrics-port",
                             "9100",
                             "--no-offload"});
  ASSERT_EQ(p.error, "");
  const ServerOptions& o = p.options;
  EXPECT_EQ(o.backlog, 0u);
  EXPECT_EQ(o.syn_backlog, 16u);
  EXPECT_EQ(o.mode, Mode::kHold);
  EXPECT_EQ(o.syncookies, SynCookies::kAlways);
  EXPECT_EQ(o.synack_retries, 2);
  EXPECT_EQ(o.orphan_retries, 3);
  EXPECT_TRUE(o.abort_on_overflow);
  EXPECT_FALSE(o.offload);
  EXPECT_EQ(o.pcap, "/tmp/x.pcap");
  EXPECT_EQ(o.threads, 2u);
  EXPECT_EQ(o.impair.loss_ppm, 30000u);
  EXPECT_EQ(o.impair.seed, 4u);
  ASSERT_TRUE(o.configure_peer);
  EXPECT_EQ(o.configure_peer->addr, 0xc6120002u);
  EXPECT_EQ(o.configure_peer->length, 30);
  EXPECT_EQ(o.mtu, 9000);
  EXPECT_EQ(o.max_connections, 64u);
  EXPECT_EQ(o.header_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(o.idle_timeout, std::chrono::seconds(3));
  EXPECT_EQ(o.metrics_port, 9100);
}

TEST(ParseArgs, EveryModeByName) {
  for (Mode m : {Mode::kEcho, Mode::kDiscard, Mode::kHttp, Mode::kHold,
                 Mode::kClose, Mode::kSource}) {
    const ParsedArgs p = with({"--mode", to_string(m)});
    ASSERT_EQ(p.error, "");
    EXPECT_EQ(p.options.mode, m);
  }
}

TEST(ParseArgs, OffloadUnlessTurnedOffOrImpaired) {
  EXPECT_TRUE(use_offload(with({}).options));
  EXPECT_FALSE(use_offload(with({"--no-offload"}).options));
  EXPECT_FALSE(use_offload(with({"--impair", "loss=1%"}).options));
}

TEST(ParseArgs, HelpWinsAnywhere) {
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_TRUE(parse({"-h"}).help);
  EXPECT_TRUE(with({"--help"}).help);
}

// Each mistake gives one line that names the culprit.
struct BadCase {
  std::vector<std::string_view> args;
  std::string_view mentions;
};

TEST(ParseArgs, MistakesAreOneClearLine) {
  const std::vector<BadCase> cases = {
      {{"--addr", "198.18.0.1", "--port", "80"}, "--tun"},
      {{"--tun", "t", "--port", "80"}, "--addr"},
      {{"--tun", "t", "--addr", "198.18.0.1"}, "--port"},
      {{"--tun", "t", "--addr", "10.0.0.1", "--port", "80"}, "198.18.0.0/15"},
      {{"--tun", "t", "--addr", "198.18.0.300", "--port", "80"},
       "198.18.0.300"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "0"}, "--port"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "65536"}, "65536"},
      {{"--tun", "sixteen-chars-xx", "--addr", "198.18.0.1", "--port", "1"},
       "--tun"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--mode", "x"},
       "echo, discard, http, hold, close or source"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--syncookies",
        "2"},
       "off, auto or always"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--synack-retries",
        "17"},
       "0-16"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--header-timeout",
        "0"},
       "--header-timeout"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--idle-timeout",
        "5m"},
       "--idle-timeout"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--idle-timeout",
        "86401s"},
       "up to 1 day"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--metrics-port",
        "0"},
       "--metrics-port"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--metrics-port",
        "1"},
       "must differ from --port"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--orphan-retries",
        "-1"},
       "--orphan-retries"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--threads", "0"},
       "--threads"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--impair",
        "loss=3"},
       "--impair"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--configure-peer",
        "10.1.1.1"},
       "198.18.0.0/15"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--configure-peer",
        "198.18.0.1"},
       "differ"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--configure-peer",
        "198.19.0.2/24"},
       "contain"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--backlog"},
       "--backlog needs a value"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--bogus", "1"},
       "unknown option '--bogus'"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "stray"},
       "unexpected argument 'stray'"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1",
        "--abort-on-overflow=1"},
       "takes no value"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--no-offload=1"},
       "--no-offload takes no value"},
      {{"--tun", "t", "--addr", "198.18.0.1", "--port", "1", "--mtu", "100"},
       "--mtu"},
  };
  for (const BadCase& c : cases) {
    const ParsedArgs p = parse(c.args);
    EXPECT_FALSE(p.help);
    EXPECT_NE(p.error.find(c.mentions), std::string::npos)
        << "error '" << p.error << "' should mention '" << c.mentions << "'";
    EXPECT_EQ(p.error.find('\n'), std::string::npos) << p.error;
    EXPECT_NE(p.error.find("--help"), std::string::npos) << p.error;
  }
}

TEST(HelpText, DocumentsEveryOptionTheParserAccepts) {
  const std::string_view help = help_text();
  for (const char* flag : {"--tun",
                           "--addr",
                           "--port",
                           "--mode",
                           "--backlog",
                           "--syn-backlog",
                           "--syncookies",
                           "--synack-retries",
                           "--orphan-retries",
                           "--abort-on-overflow",
                           "--pcap",
                           "--threads",
                           "--impair",
                           "--configure-peer",
                           "--mtu",
                           "--max-connections",
                           "--header-timeout",
                           "--idle-timeout",
                           "--metrics-port",
                           "--no-offload",
                           "--help",
                           "READY",
                           "SIGUSR1",
                           "198.18.0.0/15"}) {
    EXPECT_NE(help.find(flag), std::string_view::npos) << flag;
  }
  for (Mode m : {Mode::kEcho, Mode::kDiscard, Mode::kHttp, Mode::kHold,
                 Mode::kClose, Mode::kSource}) {
    EXPECT_NE(help.find(to_string(m)), std::string_view::npos);
  }
}

}  // namespace
}  // namespace tcpref::server
