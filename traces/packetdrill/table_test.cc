// The generated conformance table: docs/CONFORMANCE.md holds exactly what
// the generator makes of expected.tsv, the baselines and reasons.tsv, and
// every script that does not pass has a named reason.
#include "traces/packetdrill/table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "traces/packetdrill/suite.h"

namespace tcpref::packetdrill {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path << " missing from runfiles";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ConformanceTable, DocMatchesTheGeneratorAndEveryMissIsNamed) {
  std::vector<std::string> errors;
  const auto reasons =
      parse_reasons(slurp("traces/packetdrill/reasons.tsv"), errors);
  const std::string body =
      render_table(parse_expected(slurp("traces/packetdrill/expected.tsv")),
                   read_suite_baselines(kVendoredSuite), reasons, errors);
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  EXPECT_TRUE(errors.empty()) << all;
  const std::string doc = slurp("docs/CONFORMANCE.md");
  const auto updated = replace_section(doc, kTableSection, body);
  ASSERT_TRUE(updated) << "docs/CONFORMANCE.md lacks the markers";
  EXPECT_TRUE(*updated == doc)
      << "docs/CONFORMANCE.md's conformance table is stale: run\n"
         "  bazel run //traces/packetdrill:conformance_table -- --write "
         "docs/CONFORMANCE.md";
}

const char* kExpected =
    "path\toutcome\tline\treason\n"
    "gtests/net/tcp/a/x.pkt\tPASS\t0\t\n"
    "gtests/net/tcp/a/y.pkt\tFAIL\t7\texpected ack 2 got 1\n"
    "gtests/net/tcp/b/z.pkt\tUNSUPPORTED\t3\tsetsockopt SO_ZEROCOPY\n";

TEST(ConformanceTable, CountsPerFolderAndNamesReasons) {
  std::vector<std::string> errors;
  const auto reasons = parse_reasons(
      "# comment\n"
      "gtests/net/tcp/a/y.pkt\tdifference\tan ACK choice\n"
      "gtests/net/tcp/b/\tout-of-scope\tzero copy\n",
      errors);
  const std::map<std::string, std::string> linux = {
      {"gtests/net/tcp/a/x.pkt", "PASS"},
      {"gtests/net/tcp/a/y.pkt", "PASS"},
      {"gtests/net/tcp/b/z.pkt", "PASS"}};
  const std::string t =
      render_table(parse_expected(kExpected), linux, reasons, errors);
  EXPECT_TRUE(errors.empty());
  // Folder a: 2 scripts, both Linux PASS, 1 here; in scope 1 of 2.
  EXPECT_NE(t.find("| `a` | 2 | 2 | 1 | 1 | 1 | 0 | 1 / 2 (50 %) |"),
            std::string::npos)
      << t;
  // Folder b is out of scope: nothing counts in scope.
  EXPECT_NE(t.find("| `b` | 1 | 1 | 0 | 0 | 0 | 1 | 0 / 0 (-) |"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("| **all** | 3 | 3 | 1 | 1 | 1 | 1 | 1 / 2 (50 %) |"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("| `a/y.pkt` | PASS | FAIL **←** | 7 | expected ack 2 got "
                   "1 | difference: an ACK choice |"),
            std::string::npos)
      << t;
}

TEST(ConformanceTable, MissingStaleAndContradictoryReasonsAreErrors) {
  std::vector<std::string> errors;
  const auto reasons = parse_reasons(
      "gtests/net/tcp/b/\tlinux-fails\tLinux fails too\n"
      "gtests/net/tcp/c/\tnot-yet\tnothing there\n"
      "bad row\n"
      "x\tmaybe\ty\n",
      errors);
  ASSERT_EQ(errors.size(), 2u);  // the malformed row, the unknown category
  (void)render_table(parse_expected(kExpected),
                     {{"gtests/net/tcp/b/z.pkt", "PASS"}}, reasons, errors);
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  EXPECT_NE(all.find("a/y.pkt: FAIL without a reason"), std::string::npos)
      << all;
  EXPECT_NE(all.find("category linux-fails but Linux PASS"), std::string::npos)
      << all;
  EXPECT_NE(all.find("'gtests/net/tcp/c/' names no script"), std::string::npos)
      << all;
}

TEST(ConformanceTable, ReplaceSectionNeedsBothMarkers) {
  const std::string doc =
      "a\n<!-- BEGIN GENERATED t -->\nold\n<!-- END GENERATED t -->\nb\n";
  EXPECT_EQ(
      replace_section(doc, "t", "new\n"),
      "a\n<!-- BEGIN GENERATED t -->\nnew\n<!-- END GENERATED t -->\nb\n");
  EXPECT_EQ(replace_section("no markers", "t", "x"), std::nullopt);
  EXPECT_EQ(replace_section("<!-- END GENERATED t -->\n"
                            "<!-- BEGIN GENERATED t -->\n",
                            "t", "x"),
            std::nullopt);
}

}  // namespace
}  // namespace tcpref::packetdrill
