// packetdrill-compatible runner for tcpref:
//   packetdrill [options] script.pkt...
//   packetdrill [options] --suite [DIR] [--baseline TSV] [--expected TSV]
// See --help and docs/CONFORMANCE.md.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "traces/packetdrill/executor.h"
#include "traces/packetdrill/suite.h"
#include "traces/replay/pcap_file.h"

namespace {

using tcpref::packetdrill::Outcome;

constexpr const char* kUsage = R"(usage:
  packetdrill [options] script.pkt...
  packetdrill [options] --suite [DIR] [--baseline TSV] [--expected TSV]

Runs packetdrill scripts in-process against tcpref's Stack (virtual time,
no network). Each script ends PASS, FAIL (file:line and the field that
differed), UNSUPPORTED (the feature it needs) or ERROR (it does not parse).

options:
  --tolerance_usecs=N   timing tolerance in microseconds (default: the
                        script's --tolerance_usecs, else 4000)
  -D NAME=VALUE         define NAME (also -DNAME=VALUE, --define=NAME=VALUE)
  --verbose, -v         print every event and every packet the stack sends
  --pcap OUT            with one script: write every packet sent into and
                        out of the stack to OUT (raw IPv4, script time), so
                        a failing script can be looked at with
                        tcpref-explain OUT (docs/EXPLAIN.md)
  --suite [DIR]         run every .pkt under DIR, one line per script and
                        a summary; without DIR, the vendored suites
                        (third_party/packetdrill, from the runfiles)
  --baseline TSV        with --suite: Linux's outcome per script (path,
                        result); default: every linux-6.18-baseline.tsv
                        under the suite directory
  --expected TSV        with --suite: compare outcomes with this file and
                        print a diff; exit 1 on any change
  --write_expected TSV  with --suite: write the outcomes as an expectations file
  --help                this text

exit status: 0 when no script FAILs or ERRORs (UNSUPPORTED scripts are
reported, not counted against the stack) -- or, with --expected, when every
outcome matches the file; 1 otherwise; 2 for bad arguments or missing files.
)";

int usage_error(const std::string& message) {
  std::cerr << "packetdrill: " << message << "\n(see --help)\n";
  return 2;
}

// `bazel run` starts us in the runfiles tree; relative paths the user typed
// are relative to where they ran bazel.
std::string user_path(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || cwd == nullptr ||
      std::filesystem::path(path).is_absolute())
    return path;
  return (std::filesystem::path(cwd) / path).string();
}

// The vendored suites: in the runfiles tree `bazel run` starts us in, or
// next to the binary when it is run directly; "" if neither has them.
std::string vendored_suite(const char* argv0) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates{
      fs::path(tcpref::packetdrill::kVendoredSuite)};
  if (const char* r = std::getenv("RUNFILES_DIR"))
    candidates.push_back(fs::path(r) / "tcpref" /
                         tcpref::packetdrill::kVendoredSuite);
  candidates.push_back(fs::path(std::string(argv0) + ".runfiles") / "tcpref" /
                       tcpref::packetdrill::kVendoredSuite);
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return fs::absolute(c, ec).string();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  tcpref::packetdrill::RunOptions options;
  std::string suite, baseline_path, expected_path, write_expected, pcap_out;
  std::vector<tcpref::packetdrill::CapturedPacket> captured;
  bool vendored = false;
  std::vector<std::string> scripts;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // "--name=value" or "--name value".
    const auto value = [&](const std::string& name, std::string& out) {
      if (a.rfind(name + "=", 0) == 0) {
        out = a.substr(name.size() + 1);
        return true;
      }
      if (a == name && i + 1 < args.size()) {
        out = args[++i];
        return true;
      }
      return false;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--verbose" || a == "-v") {
      options.verbose = &std::cout;
    } else if (value("--tolerance_usecs", v)) {
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 0)
        return usage_error("bad --tolerance_usecs '" + v + "'");
      options.tolerance_usecs = n;
    } else if (value("--define", v) || value("-D", v) ||
               (a.rfind("-D", 0) == 0 && a.size() > 2 &&
                (v = a.substr(2), true))) {
      const size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0)
        return usage_error("-D wants NAME=VALUE, got '" + v + "'");
      options.defines[v.substr(0, eq)] = v.substr(eq + 1);
    } else if (a == "--suite" &&
               (i + 1 == args.size() || args[i + 1].rfind('-', 0) == 0)) {
      vendored = true;
    } else if (value("--suite", suite) || value("--baseline", baseline_path) ||
               value("--expected", expected_path) ||
               value("--write_expected", write_expected) ||
               value("--pcap", pcap_out)) {
    } else if (a.rfind('-', 0) == 0) {
      return usage_error("unknown option '" + a + "'");
    } else {
      scripts.push_back(a);
    }
  }

  for (std::string* p :
       {&suite, &baseline_path, &expected_path, &write_expected, &pcap_out})
    *p = user_path(*p);
  for (std::string& p : scripts) p = user_path(p);
  if (vendored) {
    if (!suite.empty()) return usage_error("--suite given twice");
    suite = vendored_suite(argv[0]);
    if (suite.empty())
      return usage_error(
          "vendored suites not found (run through bazel run, or give DIR)");
  }

  if (suite.empty()) {
    if (!baseline_path.empty() || !expected_path.empty() ||
        !write_expected.empty())
      return usage_error("--baseline/--expected/--write_expected need --suite");
    if (scripts.empty()) return usage_error("no script given");
    if (!pcap_out.empty()) {
      if (scripts.size() != 1) return usage_error("--pcap takes one script");
      options.capture = &captured;
    }
    int status = 0;
    for (const std::string& path : scripts) {
      if (!std::filesystem::is_regular_file(path))
        return usage_error("no such script: " + path);
    }
    for (const std::string& path : scripts) {
      const auto r = tcpref::packetdrill::run_file(path, options);
      std::cout << to_string(r.outcome) << "\t" << path;
      if (r.outcome != Outcome::kPass)
        std::cout << ":" << r.line << ": " << r.reason;
      std::cout << "\n";
      if (r.outcome == Outcome::kFail || r.outcome == Outcome::kError)
        status = 1;
    }
    if (!pcap_out.empty()) {
      std::vector<tcpref::traces::RawPacket> packets;
      packets.reserve(captured.size());
      for (const auto& p : captured) {
        packets.push_back({static_cast<uint32_t>(packets.size() + 1),
                           tcpref::tcp::Time(p.at_us), p.bytes});
      }
      if (std::string e = tcpref::traces::write_pcap(pcap_out, packets);
          !e.empty()) {
        std::cerr << "packetdrill: " << e << "\n";
        return 2;
      }
      std::cerr << "packetdrill: wrote " << captured.size() << " packets to "
                << pcap_out << "\n";
    }
    return status;
  }

  if (!scripts.empty()) return usage_error("give scripts or --suite, not both");
  if (!pcap_out.empty())
    return usage_error("--pcap takes one script, not --suite");
  if (!std::filesystem::is_directory(suite))
    return usage_error("no such suite directory: " + suite);
  std::optional<std::map<std::string, std::string>> baseline;
  if (!baseline_path.empty()) {
    baseline = tcpref::packetdrill::read_baseline(baseline_path);
    if (!baseline) return usage_error("cannot read baseline " + baseline_path);
  } else if (auto found = tcpref::packetdrill::read_suite_baselines(suite);
             !found.empty()) {
    baseline = std::move(found);
  }
  std::string expected;
  if (!expected_path.empty() &&
      !tcpref::packetdrill::read_text_file(expected_path, expected))
    return usage_error("cannot read expectations " + expected_path);

  const auto entries = tcpref::packetdrill::run_suite(suite, options);
  tcpref::packetdrill::print_report(entries, baseline ? &*baseline : nullptr,
                                    std::cout);
  if (!write_expected.empty()) {
    std::ofstream out(write_expected);
    out << tcpref::packetdrill::format_expectations(entries);
    if (!out) return usage_error("cannot write " + write_expected);
  }
  if (!expected_path.empty()) {
    const std::string diff =
        tcpref::packetdrill::diff_expectations(expected, entries);
    if (!diff.empty()) {
      std::cout << "\noutcomes differ from " << expected_path << ":\n" << diff;
      return 1;
    }
    std::cout << "outcomes match " << expected_path << "\n";
    return 0;
  }
  for (const auto& e : entries)
    if (e.result.outcome == Outcome::kFail ||
        e.result.outcome == Outcome::kError)
      return 1;
  return 0;
}
