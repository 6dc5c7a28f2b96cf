// docgen: the generated sections of the repository's markdown. A section is
// the lines between `<!-- BEGIN GENERATED <name> -->` and
// `<!-- END GENERATED <name> -->`; its text comes from a generator, a
// function from data (the code itself, or files under the repository root)
// to markdown. See tools/docgen/README.md.
#ifndef TCPREF_TOOLS_DOCGEN_DOCGEN_H_
#define TCPREF_TOOLS_DOCGEN_DOCGEN_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tcpref::docgen {

// What a generator may read: files under `root` (the workspace with
// `--write`, the test's runfiles with `--check`).
struct Context {
  std::filesystem::path root;
  // Reads root/relative; throws std::runtime_error naming the file if it
  // cannot be read.
  std::string read(std::string_view relative) const;
};

struct Section {
  std::string_view name;  // as in the markers
  std::string (*generate)(const Context&);
};

// Text for one markdown table cell: `|` escaped, `<` as &lt; (so <SEQ=...>
// is not read as HTML).
std::string md_cell(std::string_view text);

// Every generator (sections.cc): add a new one there.
const std::vector<Section>& all_sections();

struct Regenerated {
  std::string text;                  // the document with every section new
  std::vector<std::string> names;    // the sections found, in order
  std::vector<std::string> changed;  // those whose text differs
  std::string diff;                  // per changed section: -old / +new
  std::vector<std::string> kept;     // unknown sections left as they were
};

// Regenerates every marked section of `document`. Throws
// std::runtime_error on an unmatched or nested marker, and on a name not in
// `sections` unless `keep_unknown` (then its lines stay as they are: another
// tool owns them; `kept` lists them).
Regenerated regenerate(std::string_view document, const Context& context,
                       const std::vector<Section>& sections = all_sections(),
                       bool keep_unknown = false);

}  // namespace tcpref::docgen

#endif  // TCPREF_TOOLS_DOCGEN_DOCGEN_H_
