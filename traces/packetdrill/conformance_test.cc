// Runs the runner over the shared conformance suites and compares every
// script's outcome (PASS/FAIL/UNSUPPORTED/ERROR, line, reason) with the
// checked-in expected.tsv, so any change — a regression or an improvement —
// fails with a diff until expected.tsv is regenerated and reviewed:
//
//   bazel run //traces/packetdrill:packetdrill -- --suite
//     /work/shared/conformance --write_expected
//     $PWD/traces/packetdrill/expected.tsv   (one command line)
//
// The suites are external (GPL) data read in place. TCPREF_CONFORMANCE_DIR
// overrides their path; a missing directory FAILS (CI runs where it exists,
// so absence means a broken machine, not a reason to pass), and only the
// explicit TCPREF_CONFORMANCE_DIR=none skips. See docs/CONFORMANCE.md.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "traces/packetdrill/suite.h"

namespace tcpref::packetdrill {
namespace {

constexpr const char* kDefaultDir = "/work/shared/conformance";

TEST(Conformance, OutcomesMatchExpectations) {
  const char* env = std::getenv("TCPREF_CONFORMANCE_DIR");
  const std::string dir = env != nullptr ? env : kDefaultDir;
  if (dir == "none") {
    GTEST_SKIP() << "TCPREF_CONFORMANCE_DIR=none: conformance suites "
                    "skipped on request";
  }
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << "\n\n*** CONFORMANCE SUITES NOT FOUND at " << dir
      << " ***\n*** set TCPREF_CONFORMANCE_DIR to their path, or to 'none' "
         "to skip on purpose ***\n\n";
  std::ifstream in("traces/packetdrill/expected.tsv");
  ASSERT_TRUE(in) << "expected.tsv missing from runfiles";
  std::ostringstream expected;
  expected << in.rdbuf();

  const std::vector<SuiteEntry> entries = run_suite(dir, RunOptions{});
  ASSERT_FALSE(entries.empty()) << "no .pkt scripts under " << dir;
  const auto baseline = read_baseline(dir + "/linux-6.18-baseline.tsv");
  print_report(entries, baseline ? &*baseline : nullptr, std::cout);

  const std::string diff = diff_expectations(expected.str(), entries);
  EXPECT_TRUE(diff.empty())
      << "conformance outcomes changed (- expected.tsv, + now):\n"
      << diff
      << "review the change, then regenerate expected.tsv (see the top of "
         "conformance_test.cc)";
}

}  // namespace
}  // namespace tcpref::packetdrill
