#include "tools/docgen/docgen.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tcpref::docgen {
namespace {

constexpr std::string_view kBegin = "<!-- BEGIN GENERATED ";
constexpr std::string_view kEnd = "<!-- END GENERATED ";
constexpr std::string_view kClose = " -->";

// The section name of a marker line, or "" if `line` is not `prefix`-marker.
std::string marker_name(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix) || !line.ends_with(kClose)) return "";
  line.remove_prefix(prefix.size());
  line.remove_suffix(kClose.size());
  return std::string(line);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

const Section* find_section(const std::vector<Section>& sections,
                            const std::string& name) {
  for (const Section& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

void append_diff(std::string& diff, const std::string& name,
                 std::string_view old_text, std::string_view new_text) {
  diff += "section " + name + ": committed (-) vs generated (+)\n";
  const auto old_lines = lines_of(old_text);
  const auto new_lines = lines_of(new_text);
  // Common head and tail shown once; the middle as -/+ runs.
  size_t head = 0;
  while (head < old_lines.size() && head < new_lines.size() &&
         old_lines[head] == new_lines[head]) {
    ++head;
  }
  size_t tail = 0;
  while (tail + head < old_lines.size() && tail + head < new_lines.size() &&
         old_lines[old_lines.size() - 1 - tail] ==
             new_lines[new_lines.size() - 1 - tail]) {
    ++tail;
  }
  for (size_t i = head; i + tail < old_lines.size(); ++i) {
    diff += "-" + std::string(old_lines[i]) + "\n";
  }
  for (size_t i = head; i + tail < new_lines.size(); ++i) {
    diff += "+" + std::string(new_lines[i]) + "\n";
  }
}

}  // namespace

std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Context::read(std::string_view relative) const {
  const std::filesystem::path path = root / relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + std::string(relative));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Regenerated regenerate(std::string_view document, const Context& context,
                       const std::vector<Section>& sections,
                       bool keep_unknown) {
  Regenerated r;
  std::string current;  // the open section's name, "" outside one
  std::string old_body;
  for (std::string_view line : lines_of(document)) {
    const std::string begin = marker_name(line, kBegin);
    const std::string end = marker_name(line, kEnd);
    if (current.empty()) {
      if (!end.empty()) {
        throw std::runtime_error("END GENERATED " + end + " without BEGIN");
      }
      r.text.append(line).append("\n");
      if (!begin.empty()) {
        current = begin;
        old_body.clear();
      }
      continue;
    }
    if (!begin.empty()) {
      std::string why = "BEGIN GENERATED " + begin;
      why += " inside ";
      why += current;
      throw std::runtime_error(why);
    }
    if (end.empty()) {
      old_body.append(line).append("\n");
      continue;
    }
    if (end != current) {
      std::string why = "END GENERATED " + end;
      why += " closes ";
      why += current;
      throw std::runtime_error(why);
    }
    const Section* section = find_section(sections, current);
    if (section == nullptr && !keep_unknown) {
      throw std::runtime_error("unknown generated section '" + current +
                               "' (tools/docgen/sections.cc lists them)");
    }
    if (section == nullptr) r.kept.push_back(current);
    std::string body =
        section == nullptr ? old_body : section->generate(context);
    if (!body.empty() && body.back() != '\n') body += '\n';
    if (body != old_body) {
      r.changed.push_back(current);
      append_diff(r.diff, current, old_body, body);
    }
    r.names.push_back(current);
    r.text += body;
    r.text.append(line).append("\n");
    current.clear();
  }
  if (!current.empty()) {
    throw std::runtime_error("BEGIN GENERATED " + current + " never ends");
  }
  // Keep a document without a final newline as it was.
  if (!document.ends_with('\n') && !r.text.empty()) r.text.pop_back();
  return r;
}

}  // namespace tcpref::docgen
