#include "traces/packetdrill/parser.h"

#include <gtest/gtest.h>

namespace tcpref::packetdrill {
namespace {

Script parse_ok(std::string_view text, const Defines& defines = {}) {
  ParseResult r = parse_script(text, "t.pkt", defines);
  EXPECT_TRUE(r.ok()) << r.error.str();
  return r.ok() ? *r.script : Script{};
}

ParseError parse_bad(std::string_view text) {
  ParseResult r = parse_script(text, "t.pkt");
  EXPECT_FALSE(r.ok());
  return r.error;
}

TEST(ParseSeconds, ExactMicroseconds) {
  EXPECT_EQ(parse_seconds("0"), 0);
  EXPECT_EQ(parse_seconds("2"), 2'000'000);
  EXPECT_EQ(parse_seconds(".04"), 40'000);
  EXPECT_EQ(parse_seconds("0.200"), 200'000);
  EXPECT_EQ(parse_seconds("1.000001"), 1'000'001);
  EXPECT_EQ(parse_seconds("1.0000001"), std::nullopt);  // below 1 us
  EXPECT_EQ(parse_seconds("."), std::nullopt);
  EXPECT_EQ(parse_seconds("1x"), std::nullopt);
}

TEST(Parser, OptionsAndInitCommand) {
  const Script s = parse_ok(
      "--tolerance_usecs=7000\n"
      "--tcp_ts_ecr_scaled // a comment\n"
      "`sysctl -q net.ipv4.tcp_sack=1`\n"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
  ASSERT_EQ(s.options.size(), 2u);
  EXPECT_EQ(s.options[0].name, "tolerance_usecs");
  EXPECT_EQ(s.options[0].value, "7000");
  EXPECT_TRUE(s.options[0].has_value);
  EXPECT_EQ(s.options[1].name, "tcp_ts_ecr_scaled");
  EXPECT_FALSE(s.options[1].has_value);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_FALSE(s.events[0].time.has_value());
  EXPECT_EQ(std::get<ShellSpec>(s.events[0].action).command,
            "sysctl -q net.ipv4.tcp_sack=1");
  EXPECT_EQ(s.events[1].line, 4);
}

TEST(Parser, TimeForms) {
  const Script s = parse_ok(
      "0.5 close(3) = 0\n"
      "+.1 close(3) = 0\n"
      "* close(3) = 0\n"
      "1~1.5 close(3) = 0\n"
      "+.3~+.4 close(3) = 0\n"
      "+0...0.200 accept(3, ..., ...) = 4\n");
  ASSERT_EQ(s.events.size(), 6u);
  using K = EventTime::Kind;
  EXPECT_EQ(s.events[0].time->kind, K::kAbsolute);
  EXPECT_EQ(s.events[0].time->start_us, 500'000);
  EXPECT_EQ(s.events[1].time->kind, K::kRelative);
  EXPECT_EQ(s.events[1].time->start_us, 100'000);
  EXPECT_EQ(s.events[2].time->kind, K::kAny);
  EXPECT_EQ(s.events[3].time->kind, K::kAbsoluteRange);
  EXPECT_EQ(s.events[3].time->end_us, 1'500'000);
  EXPECT_EQ(s.events[4].time->kind, K::kRelativeRange);
  EXPECT_EQ(s.events[4].time->start_us, 300'000);
  EXPECT_EQ(s.events[4].time->end_us, 400'000);
  const auto& blocking = std::get<SyscallSpec>(s.events[5].action);
  EXPECT_EQ(blocking.name, "accept");
  EXPECT_EQ(blocking.end_us, 200'000);
}

TEST(Parser, InboundPacketWithOptions) {
  const Script s = parse_ok(
      "+0 < S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,TS val 100 ecr 0,"
      "nop,wscale 8>\n");
  const auto& p = std::get<PacketSpec>(s.events[0].action);
  EXPECT_EQ(p.direction, Direction::kInbound);
  EXPECT_EQ(p.flags, tcp_flag::kSyn);
  EXPECT_EQ(p.window, 65535u);
  EXPECT_FALSE(p.ack.has_value());
  ASSERT_EQ(p.options.size(), 7u);
  using K = TcpOptionSpec::Kind;
  EXPECT_EQ(p.options[0].kind, K::kMss);
  EXPECT_EQ(p.options[0].value, 1000u);
  EXPECT_EQ(p.options[1].kind, K::kSackPermitted);
  EXPECT_EQ(p.options[4].kind, K::kTimestamp);
  EXPECT_EQ(p.options[4].ts_val, 100u);
  EXPECT_EQ(p.options[4].ts_ecr, 0u);
  EXPECT_EQ(p.options[6].kind, K::kWindowScale);
  EXPECT_EQ(p.options[6].value, 8u);
}

TEST(Parser, OutboundFlagsSeqAckAndEcn) {
  const Script s = parse_ok(
      "+0 > [ect0] P. 1:1001(1000) ack 5 <...>\n"
      "+0 > SEW 0:0(0) <sack 1:2 3:4,FOEXP 0a0b0c0d,FO,md5 "
      "000102030405060708090a0b0c0d0e0f>\n"
      "+0 < - 1:11(10) win 100\n");
  const auto& p = std::get<PacketSpec>(s.events[0].action);
  EXPECT_EQ(p.flags, tcp_flag::kPsh | tcp_flag::kAck);
  EXPECT_EQ(p.seq_start, 1u);
  EXPECT_EQ(p.seq_end, 1001u);
  EXPECT_EQ(p.payload_len, 1000u);
  EXPECT_EQ(p.ack, 5u);
  EXPECT_EQ(p.ecn, 2);
  EXPECT_TRUE(p.options_any);
  const auto& q = std::get<PacketSpec>(s.events[1].action);
  EXPECT_EQ(q.flags, tcp_flag::kSyn | tcp_flag::kEce | tcp_flag::kCwr);
  ASSERT_EQ(q.options.size(), 4u);
  EXPECT_EQ(q.options[0].sack_blocks.size(), 2u);
  EXPECT_EQ(q.options[1].blob, (std::vector<uint8_t>{10, 11, 12, 13}));
  EXPECT_TRUE(q.options[2].blob.empty());
  EXPECT_EQ(q.options[3].blob.size(), 16u);
  EXPECT_EQ(std::get<PacketSpec>(s.events[2].action).flags, 0);
}

TEST(Parser, SyscallsWithErrnoAndStructuredArgs) {
  const Script s = parse_ok(
      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
      "+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\", 0) = -1 (Invalid)\n"
      "+0 recvmsg(3, {msg_name(...)=...,\n"
      "               msg_iov(1)=[{...,0}]}, 0) = -1 EAGAIN (Try again)\n");
  const auto& f = std::get<SyscallSpec>(s.events[0].action);
  ASSERT_EQ(f.args.size(), 3u);
  EXPECT_EQ(f.args[2].kind, Expr::Kind::kBinary);
  EXPECT_EQ(f.args[2].text, "|");
  const auto& c = std::get<SyscallSpec>(s.events[1].action);
  EXPECT_EQ(c.result.int_value, -1);
  EXPECT_EQ(c.errno_name, "EINPROGRESS");
  EXPECT_EQ(c.note, "Operation now in progress");
  const auto& l = std::get<SyscallSpec>(s.events[2].action);
  EXPECT_EQ(l.args[3].kind, Expr::Kind::kBraces);
  const auto& k = std::get<SyscallSpec>(s.events[3].action);
  EXPECT_TRUE(k.errno_name.empty());
  EXPECT_EQ(k.note, "Invalid");
  // The errno follows the result, not the call's first line.
  const auto& m = std::get<SyscallSpec>(s.events[4].action);
  EXPECT_EQ(m.name, "recvmsg");
  EXPECT_EQ(m.errno_name, "EAGAIN");
  EXPECT_EQ(m.note, "Try again");
}

TEST(Parser, FlagsBindBeforeFieldNames) {
  // {events=A|B, fd=4}: the field's value is A|B, not (events=A)|B.
  const Script s = parse_ok(
      "0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLET, fd=4}) = "
      "0\n");
  const auto& call = std::get<SyscallSpec>(s.events[0].action);
  ASSERT_EQ(call.args.size(), 4u);
  const Expr& events = call.args[3].children[0];
  ASSERT_EQ(events.kind, Expr::Kind::kBinary);
  EXPECT_EQ(events.text, "=");
  EXPECT_EQ(events.children[0].text, "events");
  ASSERT_EQ(events.children[1].kind, Expr::Kind::kBinary);
  EXPECT_EQ(events.children[1].text, "|");
  EXPECT_EQ(events.children[1].children[1].text, "EPOLLET");
}

TEST(Parser, DefinesAreSubstituted) {
  const Script s =
      parse_ok("+0 < S 0:0(0) win 1 <FO COOKIE>\n", {{"COOKIE", "0a0b0c0d"}});
  const auto& p = std::get<PacketSpec>(s.events[0].action);
  EXPECT_EQ(p.options[0].blob, (std::vector<uint8_t>{10, 11, 12, 13}));
}

TEST(Parser, PythonBlockAndUnsupportedPacketKinds) {
  const Script s = parse_ok(
      "+0 %{ assert tcpi_rto == 1 }%\n"
      "+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
      "+0 < P5. 1:1(0) ack 1 win 10\n");
  EXPECT_EQ(std::get<CodeSpec>(s.events[0].action).code,
            " assert tcpi_rto == 1 ");
  EXPECT_EQ(std::get<PacketSpec>(s.events[1].action).unsupported,
            "icmp packet");
  EXPECT_EQ(std::get<PacketSpec>(s.events[2].action).unsupported,
            "AccECN (ACE field in TCP flags)");
}

struct Bad {
  const char* text;
  int line;
  const char* message;  // a substring of the error
};

class ParserRejects : public ::testing::TestWithParam<Bad> {};

TEST_P(ParserRejects, WithFileAndLine) {
  const Bad& b = GetParam();
  const ParseError e = parse_bad(b.text);
  EXPECT_EQ(e.line, b.line) << e.str();
  EXPECT_NE(e.message.find(b.message), std::string::npos) << e.str();
  EXPECT_EQ(e.str().rfind("t.pkt:" + std::to_string(b.line) + ": ", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    BadScripts, ParserRejects,
    ::testing::Values(
        Bad{"0 close(3) = 0\n+0 < S 0:5(0) win 1\n", 2,
            "inconsistent sequence range"},
        Bad{"+0 < S 0:0(0)\n", 1, "window must be specified"},
        Bad{"+0 > Q. 0:0(0)\n", 1, "unknown TCP flag 'Q'"},
        Bad{"+0 > S. 0:0(0) ack x\n", 1, "expected ack"},
        Bad{"+0 > S. 0:0(0) <mss 1460\n", 2, "to close the TCP option list"},
        Bad{"+0 > S. 0:0(0) <TS val 1>\n", 1, "expected 'ecr'"},
        Bad{"+0 > S. 0:0(0) <mss 70000>\n", 1, "does not fit in 16 bits"},
        Bad{"close(3) = 0\n", 1, "expected a time"},
        Bad{"+0 close(3)\n+1 close(4) = 0\n", 2, "expected '='"},
        Bad{"+0 bogus\n", 1, "expected a packet"},
        Bad{"+1~+0.5 close(3) = 0\n", 1, "ends before it starts"},
        Bad{"+1~0.5 close(3) = 0\n", 1, "both absolute or both relative"},
        Bad{"+0 `sysctl -q x=1\n\n", 1, "unterminated `shell command`"},
        Bad{"+0 %{ assert 1\n", 1, "unterminated %{"},
        Bad{"/* never closed\n+0 close(3) = 0\n", 1, "unterminated /*"},
        Bad{"+0 write(3, \"abc, 3) = 3\n", 1, "unterminated string"},
        Bad{"0 close(3) = 0\n--late_option=1\n", 2,
            "options must precede all events"},
        Bad{"+0 close(3) = 0 $\n", 1, "unexpected character '$'"},
        Bad{"+0 < . 1:1(0) ack 99999999999 win 1\n", 1,
            "not a 32-bit unsigned integer"},
        Bad{"+0 close(3, = 0\n", 1, "expected an expression"}));

TEST(Parser, NeverCrashesOnTruncations) {
  const std::string script =
      "--tolerance_usecs=7000\n"
      "`sysctl -q net.ipv4.tcp_sack=1`\n"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0...0.2 accept(3, ..., ...) = 4\n"
      "+0 < S 0:0(0) win 65535 <mss 1000,sackOK,TS val 1 ecr 0,nop,wscale 7>\n"
      "+0 > S. 0:0(0) ack 1 <mss 1460,sack 1:2,FO 0a0b0c0d,nop>\n"
      "+.3~+.4 > [ect0] F. 1:1(0) ack 1\n"
      "+0 %{ assert x }%\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n";
  // Every prefix parses or is rejected with a line inside the script.
  for (size_t n = 0; n <= script.size(); ++n) {
    const ParseResult r = parse_script(script.substr(0, n), "t.pkt");
    if (!r.ok()) {
      EXPECT_GE(r.error.line, 1);
      EXPECT_LE(r.error.line, 10);
      EXPECT_FALSE(r.error.message.empty());
    }
  }
}

}  // namespace
}  // namespace tcpref::packetdrill
