#include "traces/packetdrill/table.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

namespace tcpref::packetdrill {
namespace {

constexpr std::string_view kCategories[] = {"out-of-scope", "not-yet",
                                            "difference", "linux-fails"};
constexpr std::string_view kTcpPrefix = "gtests/net/tcp/";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// "gtests/net/tcp/fastopen/server/x.pkt" → "fastopen/server"
std::string folder_of(const std::string& path) {
  std::string p = path;
  if (p.starts_with(kTcpPrefix)) p = p.substr(kTcpPrefix.size());
  const size_t slash = p.rfind('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

std::string short_path(const std::string& path) {
  return path.starts_with(kTcpPrefix) ? path.substr(kTcpPrefix.size()) : path;
}

std::string percent(int part, int whole) {
  if (whole == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * part / whole);
  return buf;
}

}  // namespace

std::vector<ExpectedRow> parse_expected(std::string_view tsv) {
  std::vector<ExpectedRow> out;
  std::istringstream in{std::string(tsv)};
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header || line.empty()) {
      header = false;
      continue;
    }
    const std::vector<std::string> f = split_tabs(line);
    if (f.size() < 4) continue;
    out.push_back({f[0], f[1], std::atoi(f[2].c_str()), f[3]});
  }
  return out;
}

std::vector<NamedReason> parse_reasons(std::string_view tsv,
                                       std::vector<std::string>& errors) {
  std::vector<NamedReason> out;
  std::istringstream in{std::string(tsv)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line.starts_with("#")) continue;
    const std::vector<std::string> f = split_tabs(line);
    if (f.size() != 3 || f[0].empty() || f[2].empty()) {
      errors.push_back("reasons.tsv:" + std::to_string(n) +
                       ": want pattern, category, reason");
      continue;
    }
    if (std::find(std::begin(kCategories), std::end(kCategories), f[1]) ==
        std::end(kCategories)) {
      errors.push_back("reasons.tsv:" + std::to_string(n) +
                       ": unknown category '" + f[1] + "'");
      continue;
    }
    out.push_back({f[0], f[1], f[2]});
  }
  return out;
}

std::string render_table(const std::vector<ExpectedRow>& rows,
                         const std::map<std::string, std::string>& baseline,
                         const std::vector<NamedReason>& reasons,
                         std::vector<std::string>& errors) {
  struct Counts {
    int scripts = 0, linux_pass = 0, here_pass = 0, both = 0, lp_fail = 0,
        lp_unsupported = 0, in_scope = 0, in_scope_pass = 0;
  };
  std::map<std::string, Counts> folders;
  Counts total;
  std::set<const NamedReason*> used;
  std::ostringstream table;
  table << "| Script | Linux 6.18 | tcpref | Line | Runner's reason | Why |\n"
           "|---|---|---|---|---|---|\n";
  for (const ExpectedRow& r : rows) {
    const auto b = baseline.find(r.path);
    const std::string linux = b == baseline.end() ? "-" : b->second;
    const bool pass = r.outcome == "PASS";
    const NamedReason* why = nullptr;
    for (const NamedReason& n : reasons)
      if (r.path.starts_with(n.pattern) &&
          (why == nullptr || n.pattern.size() > why->pattern.size()))
        why = &n;
    if (pass) {
      why = nullptr;
    } else if (why == nullptr) {
      errors.push_back(r.path + ": " + r.outcome +
                       " without a reason in reasons.tsv");
    } else {
      used.insert(why);
      if ((why->category == "linux-fails") != (linux != "PASS"))
        errors.push_back(r.path + ": category " + why->category +
                         " but Linux " + linux);
    }
    const bool in_scope = why == nullptr || why->category != "out-of-scope";
    for (Counts* c : {&folders[folder_of(r.path)], &total}) {
      ++c->scripts;
      c->linux_pass += linux == "PASS";
      c->here_pass += pass;
      if (linux == "PASS") {
        c->both += pass;
        c->lp_fail += r.outcome == "FAIL" || r.outcome == "ERROR";
        c->lp_unsupported += r.outcome == "UNSUPPORTED";
        if (in_scope) {
          ++c->in_scope;
          c->in_scope_pass += pass;
        }
      }
    }
    table << "| `" << short_path(r.path) << "` | " << linux << " | "
          << r.outcome << (linux == "PASS" && !pass ? " **←**" : "") << " | "
          << (pass ? "" : std::to_string(r.line)) << " | " << cell(r.reason)
          << " | "
          << (why ? cell(why->category + ": " + why->text) : std::string())
          << " |\n";
  }
  for (const NamedReason& n : reasons)
    if (!used.contains(&n))
      errors.push_back("reasons.tsv: '" + n.pattern +
                       "' names no script that needs a reason");

  std::ostringstream out;
  out << "Generated by `bazel run //traces/packetdrill:conformance_table -- "
         "--write docs/CONFORMANCE.md`\nfrom "
         "`traces/packetdrill/expected.tsv`, "
         "the baselines in `third_party/packetdrill/`\nand "
         "`traces/packetdrill/reasons.tsv`; `table_test` fails "
         "when this\nsection is stale. Paths under `gtests/net/tcp/` are "
         "shortened.\n\n";
  const auto line = [&](const std::string& name, const Counts& c) {
    out << "| " << name << " | " << c.scripts << " | " << c.linux_pass << " | "
        << c.here_pass << " | " << c.both << " | " << c.lp_fail << " | "
        << c.lp_unsupported << " | " << c.in_scope_pass << " / " << c.in_scope
        << " (" << percent(c.in_scope_pass, c.in_scope) << ") |\n";
  };
  out << "In scope: every script but those whose reason is `out-of-scope`.\n\n"
         "| Folder | Scripts | Linux PASS | tcpref PASS | both PASS | Linux "
         "PASS, tcpref FAIL | Linux PASS, tcpref UNSUPPORTED | in-scope Linux "
         "PASS that PASS here |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& [name, c] : folders) line("`" + name + "`", c);
  line("**all**", total);
  out << "\n**←** marks Linux PASS / tcpref not PASS.\n\n" << table.str();
  return out.str();
}

std::optional<std::string> replace_section(std::string_view doc,
                                           std::string_view name,
                                           std::string_view body) {
  const std::string begin =
      "<!-- BEGIN GENERATED " + std::string(name) + " -->\n";
  const std::string end = "<!-- END GENERATED " + std::string(name) + " -->";
  const size_t b = doc.find(begin);
  if (b == std::string_view::npos) return std::nullopt;
  const size_t e = doc.find(end, b + begin.size());
  if (e == std::string_view::npos) return std::nullopt;
  std::string out(doc.substr(0, b + begin.size()));
  out += body;
  if (!body.empty() && body.back() != '\n') out += '\n';
  out += doc.substr(e);
  return out;
}

}  // namespace tcpref::packetdrill
