// Runs the runner over the vendored packetdrill suites
// (third_party/packetdrill, declared as this test's data) and compares every
// script's outcome (PASS/FAIL/UNSUPPORTED/ERROR, line, reason) with the
// checked-in expected.tsv, so any change — a regression or an improvement —
// fails with a diff until expected.tsv is regenerated and reviewed (from the
// workspace root, one command line):
//
//   bazel run //traces/packetdrill:packetdrill -- --suite
//     --write_expected traces/packetdrill/expected.tsv
//
// See docs/CONFORMANCE.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "traces/packetdrill/suite.h"

namespace tcpref::packetdrill {
namespace {

TEST(Conformance, OutcomesMatchExpectations) {
  const std::string dir = kVendoredSuite;
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << dir << " missing from runfiles (data of this test)";
  std::ifstream in("traces/packetdrill/expected.tsv");
  ASSERT_TRUE(in) << "expected.tsv missing from runfiles";
  std::ostringstream expected;
  expected << in.rdbuf();

  const std::vector<SuiteEntry> entries = run_suite(dir, RunOptions{});
  // 162 google/packetdrill scripts + 5 kernel selftests: a partial runfiles
  // tree must not pass as a smaller suite.
  ASSERT_EQ(entries.size(), 167u) << "scripts under " << dir;
  const auto baseline = read_suite_baselines(dir);
  ASSERT_EQ(baseline.size(), entries.size()) << "baseline rows";
  print_report(entries, &baseline, std::cout);

  const std::string diff = diff_expectations(expected.str(), entries);
  EXPECT_TRUE(diff.empty())
      << "conformance outcomes changed (- expected.tsv, + now):\n"
      << diff
      << "review the change, then regenerate expected.tsv (see the top of "
         "conformance_test.cc)";
}

}  // namespace
}  // namespace tcpref::packetdrill
