// Runs tcpref's own scripts (testdata/) through the executor: the server
// path must PASS, and the MUTANT scripts — each wrong in one field — must
// FAIL at the right line with the field named, proving the runner can fail.
#include "traces/packetdrill/executor.h"

#include <gtest/gtest.h>

#include <sstream>

#include "traces/packetdrill/parser.h"

namespace tcpref::packetdrill {
namespace {

const char* const kDir = "traces/packetdrill/testdata/";

struct Case {
  const char* file;
  Outcome outcome;
  int line;
  const char* reason;  // substring; "" for PASS
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

class Scripts : public ::testing::TestWithParam<Case> {};

TEST_P(Scripts, HaveTheirOutcome) {
  const Case& c = GetParam();
  const Result r = run_file(std::string(kDir) + c.file, RunOptions{});
  EXPECT_EQ(to_string(r.outcome), to_string(c.outcome))
      << c.file << ":" << r.line << ": " << r.reason;
  EXPECT_EQ(r.line, c.line) << r.reason;
  EXPECT_NE(r.reason.find(c.reason), std::string::npos)
      << "reason: " << r.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Server, Scripts,
    ::testing::Values(Case{"server_basic.pkt", Outcome::kPass, 0, ""},
                      Case{"syn_cookies.pkt", Outcome::kPass, 0, ""},
                      Case{"rst_in_syn_recv.pkt", Outcome::kPass, 0, ""},
                      Case{"synack_retransmit.pkt", Outcome::kPass, 0, ""},
                      Case{"time_wait.pkt", Outcome::kPass, 0, ""},
                      Case{"options_negotiation.pkt", Outcome::kPass, 0, ""},
                      Case{"timestamps_off.pkt", Outcome::kPass, 0, ""},
                      Case{"fast_open.pkt", Outcome::kPass, 0, ""},
                      Case{"socket_options.pkt", Outcome::kPass, 0, ""},
                      Case{"syn_on_established.pkt", Outcome::kPass, 0, ""},
                      Case{"readiness.pkt", Outcome::kPass, 0, ""}));

INSTANTIATE_TEST_SUITE_P(
    Mutants, Scripts,
    ::testing::Values(
        Case{"mutant_wrong_ack.pkt", Outcome::kFail, 9, "expected ack 2 got 1"},
        Case{"mutant_missing_packet.pkt", Outcome::kFail, 13,
             "the stack sent nothing"},
        Case{"mutant_wrong_timing.pkt", Outcome::kFail, 11,
             "expected outbound packet at 2.000000 sec but happened at "
             "1.000000 sec"},
        Case{"mutant_extra_packet.pkt", Outcome::kFail, 15,
             "expected flags F. got P."},
        Case{"mutant_wrong_option.pkt", Outcome::kFail, 9,
             "got <mss 1460,nop,wscale 7>"},
        Case{"mutant_fast_open_cookie.pkt", Outcome::kFail, 13,
             "TCP option 34 value"},
        Case{"mutant_socket_options.pkt", Outcome::kFail, 13,
             "expected <mss 1460> got <mss 1000>"},
        Case{"mutant_poll_revents.pkt", Outcome::kFail, 14,
             "poll() fd 4 expected revents 0x4 got 0x5"}));

INSTANTIATE_TEST_SUITE_P(
    Others, Scripts,
    ::testing::Values(
        Case{"bad_syntax.pkt", Outcome::kError, 5,
             "inconsistent sequence range"},
        Case{"needs_python.pkt", Outcome::kUnsupported, 9, "python block"},
        Case{"needs_shell.pkt", Outcome::kUnsupported, 3, "shell command 'ss'"},
        Case{"no_such_file.pkt", Outcome::kError, 0, "cannot read"}));

Result run_text(const std::string& text, const RunOptions& options = {}) {
  const ParseResult p = parse_script(text, "inline.pkt", options.defines);
  EXPECT_TRUE(p.ok()) << p.error.str();
  return p.ok() ? run_script(*p.script, options) : Result{};
}

constexpr const char* kListen =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 8) = 0\n"
    "+0 < S 0:0(0) win 8000 <mss 1200>\n"
    "+0 > S. 0:0(0) ack 1 <mss 1460>\n";

TEST(Executor, ToleranceComesFromScriptOrCommandLine) {
  // The retransmission happens at exactly 1.0 s.
  const std::string late = std::string(kListen) + "1.003 > S. 0:0(0) ack 1\n";
  EXPECT_EQ(run_text(late).outcome, Outcome::kFail);  // options differ
  const std::string script =
      std::string(kListen) + "1.003 > S. 0:0(0) ack 1 <mss 1460>\n";
  EXPECT_EQ(run_text(script).outcome, Outcome::kPass);  // default 4 ms
  EXPECT_EQ(run_text("--tolerance_usecs=2000\n" + script).outcome,
            Outcome::kFail);
  RunOptions wide;
  wide.tolerance_usecs = 5000;
  EXPECT_EQ(run_text("--tolerance_usecs=2000\n" + script, wide).outcome,
            Outcome::kPass);  // the command line wins
  RunOptions narrow;
  narrow.tolerance_usecs = 1000;
  const Result r = run_text(script, narrow);
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.line, 6);
  EXPECT_NE(r.reason.find("tolerance 0.001000 sec"), std::string::npos)
      << r.reason;
}

TEST(Executor, BadScriptFlagIsAnError) {
  const Result r = run_text("--tolerance_usecs=soon\n" + std::string(kListen));
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_EQ(r.line, 1);
}

TEST(Executor, RangeAndAnyTimes) {
  EXPECT_EQ(
      run_text(std::string(kListen) + "+.9~+1.1 > S. 0:0(0) ack 1 <mss 1460>\n")
          .outcome,
      Outcome::kPass);
  EXPECT_EQ(
      run_text(std::string(kListen) + "+.2~+.5 > S. 0:0(0) ack 1 <mss 1460>\n")
          .outcome,
      Outcome::kFail);
  // '*' accepts any time; the next relative time counts from it (3.0).
  EXPECT_EQ(run_text(std::string(kListen) + "* > S. 0:0(0) ack 1 <mss 1460>\n"
                                            "+2 > S. 0:0(0) ack 1 <mss 1460>\n")
                .outcome,
            Outcome::kPass);
}

TEST(Executor, DefinesReachSystemCalls) {
  RunOptions options;
  options.defines["BACKLOG"] = "8";
  EXPECT_EQ(run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "+0 bind(3, ..., ...) = 0\n"
                     "+0 listen(3, BACKLOG) = 0\n",
                     options)
                .outcome,
            Outcome::kPass);
}

TEST(Executor, WrongSyscallResultFails) {
  const Result r =
      run_text(std::string(kListen) + "+0 accept(3, ..., ...) = 4\n");
  EXPECT_EQ(r.outcome, Outcome::kFail);  // no ACK yet: accept would block
  EXPECT_EQ(r.line, 6);
  EXPECT_NE(r.reason.find("accept() would block"), std::string::npos);
  const Result e = run_text(
      "0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3\n"
      "+0 bind(3, ..., ...) = 0\n"
      "+0 listen(3, 8) = 0\n"
      "+0 accept(3, ..., ...) = 4\n");
  EXPECT_EQ(e.outcome, Outcome::kFail);
  EXPECT_NE(e.reason.find("accept() expected 4 got -1 EAGAIN"),
            std::string::npos)
      << e.reason;
}

TEST(Executor, UnsupportedFeaturesAreNamed) {
  const auto reason = [](const std::string& text) {
    const Result r = run_text(text);
    EXPECT_EQ(r.outcome, Outcome::kUnsupported) << r.reason;
    return r.reason;
  };
  EXPECT_NE(reason("--ip_version=ipv6\n0 close(3) = 0\n").find("IPv6"),
            std::string::npos);
  // TFO's client side and tcp_info fields without a ConnectionView twin.
  EXPECT_NE(reason("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                   "+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_CONNECT, [1], 4) "
                   "= 0\n")
                .find("TCP Fast Open"),
            std::string::npos);
  EXPECT_NE(reason(std::string(kListen) +
                   "+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n")
                .find("tcp_info field tcpi_snd_cwnd"),
            std::string::npos);
  EXPECT_NE(reason("`sysctl -q net.ipv4.tcp_rto_max_ms=1000`\n"
                   "0 close(3) = 0\n")
                .find("tcp_rto_max_ms"),
            std::string::npos);
  EXPECT_NE(reason(std::string(kListen) + "+0 < udp (10)\n").find("udp"),
            std::string::npos);
}

TEST(Executor, VerbosePrintsEveryEventAndPacket) {
  std::ostringstream log;
  RunOptions options;
  options.verbose = &log;
  EXPECT_EQ(run_text(kListen, options).outcome, Outcome::kPass);
  EXPECT_NE(log.str().find("inline.pkt:5: t=0.000000 outbound S."),
            std::string::npos)
      << log.str();
  EXPECT_NE(log.str().find("sent S. 0:0(0) ack 1 win 65535 <mss 1460>"),
            std::string::npos)
      << log.str();
}

TEST(Executor, EveryPrefixOfAScriptRunsWithoutCrashing) {
  const std::string script =
      "`sysctl -q net.ipv4.tcp_syncookies=2`\n"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 bind(3, ..., ...) = 0\n"
      "+0 listen(3, 1) = 0\n"
      "+0...0.3 accept(3, ..., ...) = 4\n"
      "+0 < S 0:0(0) win 8000 <mss 1200,sackOK,TS val 1 ecr 0,nop,wscale 2>\n"
      "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 0 ecr 1,nop,wscale 7>\n"
      "+.3 < . 1:1(0) ack 1 win 8000 <nop,nop,TS val 2 ecr 0>\n"
      "+0 write(4, ..., 1000) = 1000\n"
      "* > P. 1:1001(1000) ack 1 <...>\n"
      "+0 < F. 1:1(0) ack 1001 win 8000 <nop,nop,TS val 3 ecr 300>\n"
      "* > . 1001:1001(0) ack 2 <...>\n"
      "+0 shutdown(4, SHUT_WR) = 0\n"
      "+0 close(4) = 0\n"
      "* > F. 1001:1001(0) ack 2 <...>\n"
      "+.1 < . 2:2(0) ack 1002 win 8000 <nop,nop,TS val 4 ecr 400>\n"
      "+0 close(3) = 0\n";
  const Result whole = run_text(script);
  EXPECT_EQ(whole.outcome, Outcome::kPass)
      << whole.line << ": " << whole.reason;
  // A cut-off script is an ERROR or, if it parses, runs to a PASS or FAIL
  // (e.g. the blocking accept never returns): never a crash or UNSUPPORTED.
  for (size_t n = 0; n < script.size(); ++n) {
    const ParseResult p = parse_script(script.substr(0, n), "prefix.pkt");
    if (!p.ok()) continue;
    const Result r = run_script(*p.script, RunOptions{});
    EXPECT_TRUE(r.outcome == Outcome::kPass || r.outcome == Outcome::kFail)
        << n << ": " << to_string(r.outcome) << " " << r.reason;
  }
}

}  // namespace
}  // namespace tcpref::packetdrill
