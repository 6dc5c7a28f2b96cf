#include "tools/docgen/docgen.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tcpref::docgen {
namespace {

std::string two_lines(const Context&) { return "one\ntwo\n"; }

const std::vector<Section>& test_sections() {
  static const std::vector<Section> s = {{"t", two_lines}};
  return s;
}

Regenerated run(std::string_view doc) {
  return regenerate(doc, Context{"."}, test_sections());
}

TEST(Docgen, ReplacesTheLinesBetweenTheMarkers) {
  const auto r =
      run("head\n<!-- BEGIN GENERATED t -->\nold\n<!-- END GENERATED t -->\n"
          "tail\n");
  EXPECT_EQ(r.text,
            "head\n<!-- BEGIN GENERATED t -->\none\ntwo\n"
            "<!-- END GENERATED t -->\ntail\n");
  EXPECT_EQ(r.names, std::vector<std::string>{"t"});
  EXPECT_EQ(r.changed, std::vector<std::string>{"t"});
  EXPECT_EQ(r.diff,
            "section t: committed (-) vs generated (+)\n-old\n+one\n+two\n");
}

TEST(Docgen, UpToDateSectionIsUnchanged) {
  const std::string doc =
      "<!-- BEGIN GENERATED t -->\none\ntwo\n<!-- END GENERATED t -->";
  const auto r = run(doc);
  EXPECT_EQ(r.text, doc);
  EXPECT_TRUE(r.changed.empty());
  EXPECT_TRUE(r.diff.empty());
}

TEST(Docgen, DiffShowsOnlyTheChangedLines) {
  const auto r =
      run("<!-- BEGIN GENERATED t -->\none\n2\n<!-- END GENERATED t -->\n");
  EXPECT_EQ(r.diff, "section t: committed (-) vs generated (+)\n-2\n+two\n");
}

TEST(Docgen, MalformedMarkersAreErrors) {
  EXPECT_THROW(run("<!-- BEGIN GENERATED t -->\n"), std::runtime_error);
  EXPECT_THROW(run("<!-- END GENERATED t -->\n"), std::runtime_error);
  EXPECT_THROW(run("<!-- BEGIN GENERATED t -->\n<!-- END GENERATED u -->\n"),
               std::runtime_error);
  EXPECT_THROW(run("<!-- BEGIN GENERATED t -->\n<!-- BEGIN GENERATED t -->\n"),
               std::runtime_error);
  EXPECT_THROW(run("<!-- BEGIN GENERATED nope -->\n"
                   "<!-- END GENERATED nope -->\n"),
               std::runtime_error);
}

TEST(Docgen, UnknownSectionsAreKeptOnlyWhenAsked) {
  const std::string doc =
      "<!-- BEGIN GENERATED other -->\nmine\n<!-- END GENERATED other -->\n";
  const auto r = regenerate(doc, Context{"."}, test_sections(), true);
  EXPECT_EQ(r.text, doc);
  EXPECT_EQ(r.kept, std::vector<std::string>{"other"});
  EXPECT_TRUE(r.changed.empty());
}

TEST(Docgen, MarkdownCellsEscapePipesAndAngles) {
  EXPECT_EQ(md_cell("a|b <SEQ=x>"), "a\\|b &lt;SEQ=x>");
}

TEST(Docgen, RfcTraceRejectsAQuoteOfNoRequirement) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / "rfc_trace";
  fs::create_directories(root / "docs");
  fs::create_directories(root / "impl/tcp");
  fs::copy_file("docs/rfc9293_musts.txt", root / "docs/rfc9293_musts.txt",
                fs::copy_options::overwrite_existing);
  std::ofstream(root / "impl/tcp/x.cc") << "//= RFC 9293 §3.10.7.4\n"
                                           "//# TCP MUST do nothing at all\n";
  const Section* trace = nullptr;
  for (const Section& s : all_sections()) {
    if (s.name == "rfc9293_trace") trace = &s;
  }
  ASSERT_NE(trace, nullptr);
  EXPECT_THROW(trace->generate(Context{root}), std::runtime_error);
  std::ofstream(root / "impl/tcp/x.cc")
      << "//= RFC 9293 §3.10.7.4 type=test\n"
         "//# All incoming segments whose ACK value doesn't satisfy the\n"
         "//# above condition MUST be discarded\n";
  const std::string report = trace->generate(Context{root});
  EXPECT_NE(report.find("9 MUSTs; 0 with code, 1 with a test."),
            std::string::npos)
      << report;
}

TEST(Docgen, EverySectionGenerates) {
  for (const Section& s : all_sections()) {
    SCOPED_TRACE(std::string(s.name));
    EXPECT_FALSE(s.generate(Context{"."}).empty());
  }
}

}  // namespace
}  // namespace tcpref::docgen
