// conformance_table: regenerates (--write) or checks (--check) the
// generated conformance table in docs/CONFORMANCE.md. See table.h.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "traces/packetdrill/suite.h"
#include "traces/packetdrill/table.h"

namespace {

constexpr const char* kUsage = R"(usage:
  conformance_table --write DOC   rewrite DOC's generated conformance table
  conformance_table --check DOC   exit 1 if DOC's table is stale

Builds the table from traces/packetdrill/expected.tsv, reasons.tsv and the
Linux baselines under third_party/packetdrill (the runfiles). Every script
that does not PASS needs a reason in reasons.tsv; exit 1 lists the ones
that lack one. DOC is relative to where `bazel run` was started.
)";

int usage_error(const std::string& message) {
  std::cerr << "conformance_table: " << message << "\n(see --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tcpref::packetdrill;
  if (argc == 2 &&
      (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 3) return usage_error("want --write DOC or --check DOC");
  const std::string mode = argv[1];
  if (mode != "--write" && mode != "--check")
    return usage_error("unknown option '" + mode + "'");
  std::filesystem::path doc_path = argv[2];
  if (const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
      cwd != nullptr && doc_path.is_relative())
    doc_path = std::filesystem::path(cwd) / doc_path;

  std::string expected, reasons_tsv, doc;
  if (!read_text_file("traces/packetdrill/expected.tsv", expected) ||
      !read_text_file("traces/packetdrill/reasons.tsv", reasons_tsv))
    return usage_error("expected.tsv/reasons.tsv missing (run via bazel run)");
  if (!read_text_file(doc_path.string(), doc))
    return usage_error("cannot read " + doc_path.string());
  std::vector<std::string> errors;
  const auto reasons = parse_reasons(reasons_tsv, errors);
  const std::string body =
      render_table(parse_expected(expected),
                   read_suite_baselines(kVendoredSuite), reasons, errors);
  for (const std::string& e : errors) std::cerr << e << "\n";
  const auto updated = replace_section(doc, kTableSection, body);
  if (!updated)
    return usage_error(doc_path.string() + " has no GENERATED " +
                       std::string(kTableSection) + " markers");
  if (mode == "--check") {
    if (*updated != doc)
      std::cerr << doc_path.string() << ": the conformance table is stale\n";
    return *updated == doc && errors.empty() ? 0 : 1;
  }
  std::ofstream out(doc_path.string());
  out << *updated;
  if (!out) return usage_error("cannot write " + doc_path.string());
  return errors.empty() ? 0 : 1;
}
