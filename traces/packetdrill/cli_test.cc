// The packetdrill binary's command line: usage errors exit 2 with a message,
// a failing script exits 1 with file:line, a passing one 0.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

struct Invocation {
  int status = -1;
  std::string out;
};

Invocation run(const std::string& args) {
  const std::string cmd = "traces/packetdrill/packetdrill " + args + " 2>&1";
  Invocation r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

const std::string kData = "traces/packetdrill/testdata/";

TEST(Cli, HelpExitsZero) {
  const Invocation r = run("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--tolerance_usecs"), std::string::npos);
  EXPECT_NE(r.out.find("--suite"), std::string::npos);
}

TEST(Cli, BadArgumentsExitTwo) {
  for (const char* args :
       {"", "--no_such_flag x.pkt", "--tolerance_usecs=abc x.pkt",
        "-D NOEQUALS x.pkt", "no_such_script.pkt", "--suite /no/such/dir",
        "--baseline b.tsv x.pkt"}) {
    const Invocation r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("packetdrill: "), std::string::npos) << r.out;
  }
}

TEST(Cli, OutcomesSetTheExitStatus) {
  const Invocation pass = run(kData + "server_basic.pkt");
  EXPECT_EQ(pass.status, 0) << pass.out;
  EXPECT_EQ(pass.out.rfind("PASS\t", 0), 0u) << pass.out;

  const Invocation fail =
      run(kData + "server_basic.pkt " + kData + "mutant_wrong_ack.pkt");
  EXPECT_EQ(fail.status, 1) << fail.out;
  EXPECT_NE(fail.out.find("FAIL\t" + kData +
                          "mutant_wrong_ack.pkt:9: expected ack 2 got 1"),
            std::string::npos)
      << fail.out;

  // UNSUPPORTED is reported but is not a failure of the stack.
  const Invocation unsupported = run(kData + "needs_python.pkt");
  EXPECT_EQ(unsupported.status, 0) << unsupported.out;
  EXPECT_NE(unsupported.out.find("UNSUPPORTED"), std::string::npos);

  const Invocation error = run(kData + "bad_syntax.pkt");
  EXPECT_EQ(error.status, 1) << error.out;
  EXPECT_NE(error.out.find("ERROR\t"), std::string::npos);
}

TEST(Cli, ToleranceAndVerboseFlags) {
  // The mutant's retransmission is 1 s early; no tolerance below that hides
  // it, and a 2 s one does.
  EXPECT_EQ(run("--tolerance_usecs=999999 " + kData + "mutant_wrong_timing.pkt")
                .status,
            1);
  EXPECT_EQ(
      run("--tolerance_usecs 1000000 " + kData + "mutant_wrong_timing.pkt")
          .status,
      0);
  const Invocation v = run("-v " + kData + "server_basic.pkt");
  EXPECT_NE(v.out.find("sent S. 0:0(0) ack 1"), std::string::npos) << v.out;
}

TEST(Cli, SuiteModeSummarisesAndComparesExpectations) {
  const Invocation r = run("--suite " + kData);
  EXPECT_EQ(r.status, 1) << r.out;  // the mutants FAIL
  EXPECT_NE(r.out.find("summary: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL\tmutant_wrong_ack.pkt:9"), std::string::npos)
      << r.out;
}

TEST(Cli, SuiteWithoutDirectoryRunsTheVendoredSuites) {
  // The binary's runfiles hold third_party/packetdrill; its baselines are
  // found under it without --baseline.
  const Invocation r = run("--suite --tolerance_usecs=4000");
  EXPECT_NE(r.out.find("summary: 167 scripts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("linux=PASS\tgtests/net/tcp/blocking/"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("linux=PASS\tlinux-selftests/tcp_basic_server.pkt"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("scripts Linux 6.18 passes"), std::string::npos)
      << r.out;
}

}  // namespace
