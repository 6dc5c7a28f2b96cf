// The seed corpora double as known answers from independent encoders
// (fuzz/tools/make_seeds.py): each file is named "<Expected>-<what>", where
// Expected is the to_string() of the error the parser must return, or for
// handshake_fuzzer the record client 0's 4-tuple must end in.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/handshake_driver.h"
#include "impl/tcp/stack.h"
#include "impl/wire/options.h"
#include "impl/wire/segment.h"

namespace tcpref::wire {
namespace {

namespace fs = std::filesystem;

struct Seed {
  std::string expected;
  std::string name;
  std::vector<uint8_t> bytes;
};

std::vector<Seed> load(const std::string& fuzzer) {
  const fs::path dir = fs::path(std::getenv("TEST_SRCDIR")) /
                       std::getenv("TEST_WORKSPACE") / "fuzz" / "corpus" /
                       fuzzer;
  std::vector<Seed> seeds;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename();
    std::ifstream in(entry.path(), std::ios::binary);
    seeds.push_back({name.substr(0, name.find('-')),
                     name,
                     {std::istreambuf_iterator<char>(in),
                      std::istreambuf_iterator<char>()}});
  }
  return seeds;
}

TEST(Seeds, WireSeedsParseAsTheirNamesSay) {
  const std::vector<Seed> seeds = load("wire_fuzzer");
  ASSERT_GE(seeds.size(), 20u);
  size_t accepted = 0;
  for (const Seed& s : seeds) {
    const PacketParse r = parse_packet(s.bytes);
    EXPECT_EQ(to_string(r.error), s.expected) << s.name;
    accepted += r.ok();
  }
  EXPECT_GE(accepted, 10u);
}

TEST(Seeds, OptionSeedsParseAsTheirNamesSay) {
  const std::vector<Seed> seeds = load("options_fuzzer");
  ASSERT_GE(seeds.size(), 15u);
  for (const Seed& s : seeds) {
    EXPECT_EQ(to_string(parse_options(s.bytes).error), s.expected) << s.name;
  }
}

std::string_view kind_name(tcp::RecordKind k) {
  switch (k) {
    case tcp::RecordKind::kNone:
      return "None";
    case tcp::RecordKind::kRequestSock:
      return "RequestSock";
    case tcp::RecordKind::kChildQueued:
      return "ChildQueued";
    case tcp::RecordKind::kSocket:
      return "Socket";
    case tcp::RecordKind::kTimeWait:
      return "TimeWait";
  }
  return "?";
}

// Also proves fuzz/tools/fdp.py encodes what handshake_driver.cc decodes:
// a drifted encoder would not land each script in its named state.
TEST(Seeds, HandshakeSeedsEndWhereTheirNamesSay) {
  const std::vector<Seed> seeds = load("handshake_fuzzer");
  ASSERT_GE(seeds.size(), 20u);
  size_t checked = 0;
  for (const Seed& s : seeds) {
    const fuzz::HandshakeOutcome o = fuzz::run_handshake_input(s.bytes);
    if (s.expected == "Any") continue;
    EXPECT_EQ(kind_name(o.clients[0].kind), s.expected) << s.name;
    ++checked;
  }
  EXPECT_GE(checked, 20u);
}

// fast_open_fuzzer's seeds run with TFO on; beyond the record, each reaches
// the TFO path its name says (fuzz/tools/make_seeds.py, fast_open_seeds).
TEST(Seeds, FastOpenSeedsEndWhereTheirNamesSay) {
  const std::vector<Seed> seeds = load("fast_open_fuzzer");
  ASSERT_GE(seeds.size(), 8u);
  for (const Seed& s : seeds) {
    const fuzz::HandshakeOutcome o =
        fuzz::run_handshake_input(s.bytes, {.fast_open = true});
    const tcp::ConnectionView& v = o.clients[0];
    const tcp::Counters& c = o.counters;
    EXPECT_EQ(kind_name(v.kind), s.expected) << s.name;
    const auto named = [&](std::string_view what) {
      return s.name.find(what) != std::string::npos;
    };
    if (named("cookie_request")) {
      EXPECT_EQ(c.TCPFastOpenCookieReqd, 1u) << s.name;
    }
    if (named("valid_cookie") || named("experimental") ||
        named("cookie_not_required")) {
      EXPECT_TRUE(v.fast_open && v.syn_data) << s.name;
      EXPECT_EQ(c.TCPFastOpenPassive, 1u) << s.name;
    }
    if (named("accepted_and_acked")) {
      EXPECT_EQ(v.state, tcp::TcpState::kEstablished) << s.name;
      EXPECT_FALSE(v.fast_open) << s.name;
      EXPECT_EQ(c.TCPFastOpenPassive, 1u) << s.name;
    }
    if (named("child_reset")) {
      EXPECT_EQ(c.TCPFastOpenPassive, 1u) << s.name;
    }
    if (named("wrong_cookie")) {
      EXPECT_EQ(c.TCPFastOpenPassiveFail, 1u) << s.name;
    }
    if (named("queue_full")) {
      EXPECT_EQ(c.TCPFastOpenPassive, 1u) << s.name;  // client 1's
      EXPECT_EQ(c.TCPFastOpenListenOverflow, 1u) << s.name;
    }
  }
}

}  // namespace
}  // namespace tcpref::wire
