#include "traces/packetdrill/suite.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tcpref::packetdrill {
namespace {

std::string row(const SuiteEntry& e) {
  std::string reason = e.result.reason;
  std::replace(reason.begin(), reason.end(), '\t', ' ');
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  return e.path + "\t" + std::string(to_string(e.result.outcome)) + "\t" +
         std::to_string(e.result.line) + "\t" + reason;
}

}  // namespace

std::vector<std::string> find_scripts(const std::string& dir_arg) {
  std::string dir = dir_arg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".pkt")
      // Lexically: runfiles trees are symlinks, which must not be followed.
      out.push_back(it->path().lexically_relative(dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<SuiteEntry> run_suite(const std::string& dir,
                                  const RunOptions& options) {
  std::vector<SuiteEntry> out;
  for (const std::string& rel : find_scripts(dir)) {
    const std::string full = (std::filesystem::path(dir) / rel).string();
    out.push_back({rel, run_file(full, options)});
  }
  return out;
}

bool read_text_file(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

std::optional<std::map<std::string, std::string>> read_baseline(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::map<std::string, std::string> out;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const size_t tab2 = line.find('\t', tab + 1);
    out[line.substr(0, tab)] = line.substr(tab + 1, tab2 - tab - 1);
  }
  return out;
}

std::map<std::string, std::string> read_suite_baselines(
    const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().filename() != kBaselineName)
      continue;
    const auto rows = read_baseline(it->path().string());
    if (!rows) continue;
    const std::filesystem::path folder =
        it->path().parent_path().lexically_relative(dir);
    for (const auto& [path, result] : *rows)
      out[(folder / path).lexically_normal().generic_string()] = result;
  }
  return out;
}

std::string format_expectations(const std::vector<SuiteEntry>& entries) {
  std::string out = "path\toutcome\tline\treason\n";
  for (const SuiteEntry& e : entries) out += row(e) + "\n";
  return out;
}

std::string diff_expectations(const std::string& expected_tsv,
                              const std::vector<SuiteEntry>& entries) {
  std::map<std::string, std::string> want;
  std::istringstream in(expected_tsv);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    want[line.substr(0, line.find('\t'))] = line;
  }
  std::string diff;
  for (const SuiteEntry& e : entries) {
    const std::string got = row(e);
    auto it = want.find(e.path);
    if (it == want.end()) {
      diff += "+" + got + "\n";
      continue;
    }
    if (it->second != got) diff += "-" + it->second + "\n+" + got + "\n";
    want.erase(it);
  }
  for (const auto& [path, old] : want) diff += "-" + old + "\n";
  return diff;
}

void print_report(const std::vector<SuiteEntry>& entries,
                  const std::map<std::string, std::string>* baseline,
                  std::ostream& out) {
  std::map<std::string, int> counts;
  // Among scripts Linux passes: how we do.
  int linux_pass = 0, both_pass = 0, we_fail = 0, we_cannot = 0;
  for (const SuiteEntry& e : entries) {
    const std::string ours(to_string(e.result.outcome));
    ++counts[ours];
    out << ours;
    std::string linux;
    if (baseline) {
      // Baselines key scripts by the path under the suite directory.
      const auto it = baseline->find(e.path);
      linux = it == baseline->end() ? "-" : it->second;
      out << "\tlinux=" << linux;
      if (linux == "PASS") {
        ++linux_pass;
        if (e.result.outcome == Outcome::kPass) ++both_pass;
        if (e.result.outcome == Outcome::kFail ||
            e.result.outcome == Outcome::kError)
          ++we_fail;
        if (e.result.outcome == Outcome::kUnsupported) ++we_cannot;
      }
    }
    out << "\t" << e.path;
    if (e.result.outcome != Outcome::kPass) {
      out << ":" << e.result.line << ": " << e.result.reason;
    }
    out << "\n";
  }
  out << "\nsummary: " << entries.size() << " scripts";
  for (const char* k : {"PASS", "FAIL", "UNSUPPORTED", "ERROR"})
    out << ", " << counts[k] << " " << k;
  out << "\n";
  if (baseline) {
    out << "of " << linux_pass << " scripts Linux 6.18 passes: " << both_pass
        << " pass here, " << we_fail << " fail here, " << we_cannot
        << " cannot run here (unsupported)\n";
  }
}

}  // namespace tcpref::packetdrill
