// The generated conformance table of docs/CONFORMANCE.md: every vendored
// script with its outcome here (expected.tsv) and on Linux (the baselines),
// a named reason for each one that does not pass (reasons.tsv), and a
// summary per folder. The section sits between
// <!-- BEGIN GENERATED conformance-table --> and
// <!-- END GENERATED conformance-table -->.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpref::packetdrill {

inline constexpr std::string_view kTableSection = "conformance-table";

struct ExpectedRow {
  std::string path, outcome;
  int line = 0;
  std::string reason;
};

// expected.tsv (header line first).
[[nodiscard]] std::vector<ExpectedRow> parse_expected(std::string_view tsv);

struct NamedReason {
  std::string pattern;   // a script path, or a prefix of paths
  std::string category;  // out-of-scope, not-yet, difference, linux-fails
  std::string text;
};

// reasons.tsv ('#' lines are comments). Malformed rows and unknown
// categories are reported in `errors`.
[[nodiscard]] std::vector<NamedReason> parse_reasons(
    std::string_view tsv, std::vector<std::string>& errors);

// The markdown between the markers. `errors` gets every script that does
// not pass and has no reason, every reason that names no such script, and
// every "linux-fails" reason on a script Linux passes (or the reverse).
[[nodiscard]] std::string render_table(
    const std::vector<ExpectedRow>& rows,
    const std::map<std::string, std::string>& baseline,
    const std::vector<NamedReason>& reasons, std::vector<std::string>& errors);

// `doc` with the lines between the BEGIN/END markers of `name` replaced by
// `body`; nullopt when the markers are missing or out of order.
[[nodiscard]] std::optional<std::string> replace_section(std::string_view doc,
                                                         std::string_view name,
                                                         std::string_view body);

}  // namespace tcpref::packetdrill
