// The RFC 9293 §3.10.7 traceability report, s2n/duvet style: requirements
// (docs/rfc9293_musts.txt) against the annotations in impl/tcp:
//
//   //= RFC 9293 §3.10.7.4            (code; `type=test` in a test)
//   //# <a quoted part of one requirement's text>
//
// A quote that matches no requirement is an error, so the report cannot
// silently lose a link.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/docgen/generators.h"

namespace tcpref::docgen {
namespace {

constexpr char kRequirements[] = "docs/rfc9293_musts.txt";
constexpr char kSources[] = "impl/tcp";

struct Requirement {
  std::string id;
  std::string section;
  std::string text;  // whitespace normalised
  std::set<std::string> code, tests;
};

std::string normalise(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<Requirement> parse_requirements(const std::string& text) {
  std::vector<Requirement> reqs;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    if (line.starts_with("== ")) {
      std::istringstream head(line.substr(3));
      Requirement r;
      head >> r.id >> r.section;
      reqs.push_back(r);
    } else if (!reqs.empty()) {
      reqs.back().text += " " + line;
    }
  }
  for (Requirement& r : reqs) r.text = normalise(r.text);
  return reqs;
}

// Adds one annotation (its quote) to the requirement it quotes.
void link(std::vector<Requirement>& reqs, const std::string& file, int line,
          bool test, const std::string& quote) {
  const std::string q = normalise(quote);
  for (Requirement& r : reqs) {
    if (!q.empty() && r.text.find(q) != std::string::npos) {
      (test ? r.tests : r.code).insert(file);
      return;
    }
  }
  throw std::runtime_error(file + ":" + std::to_string(line) +
                           ": the quote matches no requirement in " +
                           kRequirements + ": " + q);
}

void scan(std::vector<Requirement>& reqs, const std::string& file,
          const std::string& text) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool open = false, test = false;
  int open_line = 0;
  std::string quote;
  const auto close = [&] {
    if (open) link(reqs, file, open_line, test, quote);
    open = false;
    quote.clear();
  };
  while (std::getline(in, line)) {
    ++number;
    const size_t start = line.find_first_not_of(' ');
    const std::string_view l =
        start == std::string::npos ? "" : std::string_view(line).substr(start);
    if (l.starts_with("//= RFC 9293 §3.10.7")) {
      close();
      open = true;
      open_line = number;
      test = l.find("type=test") != std::string_view::npos;
    } else if (open && l.starts_with("//#")) {
      quote += " ";
      quote += l.substr(3);
    } else {
      close();
    }
  }
  close();
}

std::string list(const std::set<std::string>& files) {
  if (files.empty()) return "—";
  std::string out;
  for (const std::string& f : files) {
    if (!out.empty()) out += ", ";
    out += "`" + f + "`";
  }
  return out;
}

}  // namespace

std::string rfc9293_trace_section(const Context& context) {
  std::vector<Requirement> reqs =
      parse_requirements(context.read(kRequirements));
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(context.root / kSources)) {
    if (e.path().extension() == ".cc") {
      files.push_back(std::string(kSources) + "/" +
                      e.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) scan(reqs, f, context.read(f));
  size_t with_code = 0, with_test = 0;
  for (const Requirement& r : reqs) {
    with_code += !r.code.empty();
    with_test += !r.tests.empty();
  }
  std::string out =
      std::to_string(reqs.size()) + " MUSTs; " + std::to_string(with_code) +
      " with code, " + std::to_string(with_test) + " with a test.\n\n" +
      "| requirement | text | code | tests |\n|---|---|---|---|\n";
  for (const Requirement& r : reqs) {
    out += "| " + r.id + " " + r.section + " | " + md_cell(r.text) + " | " +
           list(r.code) + " | " + list(r.tests) + " |\n";
  }
  return out;
}

}  // namespace tcpref::docgen
