// Suite mode: every .pkt under a directory, one outcome per script, compared
// with a Linux baseline (what the kernel did) and with our own checked-in
// expectations (what tcpref did last time), as tab-separated files.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "traces/packetdrill/executor.h"

namespace tcpref::packetdrill {

struct SuiteEntry {
  std::string path;  // relative to the suite directory, '/'-separated
  Result result;
};

// Sorted relative paths of every *.pkt under `dir`.
[[nodiscard]] std::vector<std::string> find_scripts(const std::string& dir);

[[nodiscard]] std::vector<SuiteEntry> run_suite(const std::string& dir,
                                                const RunOptions& options);

// The file name of a Linux baseline inside a suite.
inline constexpr const char* kBaselineName = "linux-6.18-baseline.tsv";

// The vendored suites, relative to the workspace root (runfiles of the test
// and of the binary; third_party/packetdrill/README.md).
inline constexpr const char* kVendoredSuite = "third_party/packetdrill";

// The whole file at `path` into `out`; false if it cannot be read.
[[nodiscard]] bool read_text_file(const std::string& path, std::string& out);

// linux-6.18-baseline.tsv: path → PASS/FAIL/ERROR (header line skipped).
// nullopt if the file cannot be read.
[[nodiscard]] std::optional<std::map<std::string, std::string>> read_baseline(
    const std::string& path);

// Every kBaselineName under `dir`, merged; each file's paths are relative to
// its own folder and come back relative to `dir` (as find_scripts gives them).
// Empty when there is none.
[[nodiscard]] std::map<std::string, std::string> read_suite_baselines(
    const std::string& dir);

// expected.tsv rows: path, outcome, line, reason.
[[nodiscard]] std::string format_expectations(
    const std::vector<SuiteEntry>& entries);

// The differences between `expected_tsv` (file contents) and `entries`, one
// "-old / +new" pair per changed script; empty when they agree.
[[nodiscard]] std::string diff_expectations(
    const std::string& expected_tsv, const std::vector<SuiteEntry>& entries);

// One line per script and a summary, against the baseline when given.
void print_report(const std::vector<SuiteEntry>& entries,
                  const std::map<std::string, std::string>* baseline,
                  std::ostream& out);

}  // namespace tcpref::packetdrill
