// docgen: regenerates (--write) or checks (--check) the generated sections
// of the repository's markdown. See tools/docgen/README.md.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/docgen/docgen.h"

namespace {

namespace fs = std::filesystem;
using tcpref::docgen::Context;

constexpr char kUsage[] =
    "Usage: docgen --write [FILE.md ...]\n"
    "       docgen --check FILE.md ...\n"
    "       docgen --print SECTION | --list\n"
    "\n"
    "Regenerates the lines between <!-- BEGIN GENERATED name --> and\n"
    "<!-- END GENERATED name --> from the data they describe.\n"
    "\n"
    "  --write   rewrite the sections in place; without files, every *.md at\n"
    "            the top and under docs/. The root is "
    "$BUILD_WORKSPACE_DIRECTORY\n"
    "            (set by `bazel run //tools/docgen -- --write`).\n"
    "  --check   exit 1 and print a diff if any section of the files differs\n"
    "            from what --write would write (files relative to the root,\n"
    "            the current directory: the test's runfiles).\n"
    "  --print   print one section's text; --list the known sections.\n"
    "  --root DIR  read data and documents under DIR instead.\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "docgen: %s\n", message.c_str());
  return 2;
}

std::vector<std::string> default_documents(const fs::path& root) {
  std::vector<std::string> docs;
  for (const fs::path& dir : {fs::path("."), fs::path("docs")}) {
    if (!fs::is_directory(root / dir)) continue;
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      if (entry.path().extension() == ".md") {
        docs.push_back((dir / entry.path().filename()).lexically_normal());
      }
    }
  }
  std::sort(docs.begin(), docs.end());
  return docs;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string mode;
  std::string root;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--write" || a == "--check" || a == "--print" || a == "--list") {
      if (!mode.empty()) return fail("give one of --write/--check/--print");
      mode = a;
    } else if (a == "--root") {
      if (++i == args.size()) return fail("--root needs a directory");
      root = args[i];
    } else if (a.starts_with("-")) {
      return fail("unknown option '" + std::string(a) + "' (try --help)");
    } else {
      files.emplace_back(a);
    }
  }
  if (mode.empty()) return fail("give --write, --check, --print or --list");
  if (root.empty() && mode == "--write") {
    const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    if (ws == nullptr) {
      return fail(
          "--write needs $BUILD_WORKSPACE_DIRECTORY (bazel run) or "
          "--root");
    }
    root = ws;
  }
  if (root.empty()) root = ".";
  // Data sits in the runfiles (the current directory under bazel run/test).
  const Context data{fs::current_path()};
  try {
    if (mode == "--list") {
      for (const auto& s : tcpref::docgen::all_sections()) {
        std::printf("%.*s\n", static_cast<int>(s.name.size()), s.name.data());
      }
      return 0;
    }
    if (mode == "--print") {
      if (files.size() != 1) return fail("--print takes one section name");
      for (const auto& s : tcpref::docgen::all_sections()) {
        if (s.name == files[0]) {
          std::fputs(s.generate(data).c_str(), stdout);
          return 0;
        }
      }
      return fail("unknown section '" + files[0] + "' (try --list)");
    }
    if (mode == "--check" && files.empty()) {
      return fail("--check needs the documents to check");
    }
    // Scanning every document, sections of other tools are left alone;
    // named documents must hold docgen's sections only.
    const bool scan = files.empty();
    if (scan) files = default_documents(root);
    int rc = 0;
    for (const std::string& file : files) {
      const Context doc_root{root};
      const std::string before = doc_root.read(file);
      const auto r = tcpref::docgen::regenerate(
          before, data, tcpref::docgen::all_sections(), scan);
      for (const std::string& name : r.kept) {
        std::printf("docgen: %s: section %s is not docgen's; left as is\n",
                    file.c_str(), name.c_str());
      }
      if (mode == "--check") {
        if (r.names.empty()) {
          std::fprintf(stderr, "docgen: %s has no generated section\n",
                       file.c_str());
          rc = 1;
        } else if (!r.changed.empty()) {
          std::fprintf(stderr,
                       "docgen: %s is out of date; run `bazel run "
                       "//tools/docgen -- --write`\n%s",
                       file.c_str(), r.diff.c_str());
          rc = 1;
        } else {
          std::printf("%s: %zu generated sections up to date\n", file.c_str(),
                      r.names.size());
        }
        continue;
      }
      if (r.changed.empty()) continue;
      std::ofstream out(fs::path(root) / file, std::ios::binary);
      out << r.text;
      if (!out) return fail("cannot write " + file);
      std::printf("docgen: wrote %s (%zu sections changed)\n", file.c_str(),
                  r.changed.size());
    }
    return rc;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
