// A driver run as a capture: its packets into and out of the impl Stack
// written as a pcap, so a counterexample can be looked at with
// tcpref-explain (docs/EXPLAIN.md).
#pragma once

#include <string>

#include "refinement/driver.h"

namespace tcpref::refinement {

// Writes r.wire to `path` (LINKTYPE_RAW, the driver's clock). Returns "" or
// a one-line error.
[[nodiscard]] std::string write_capture(const RunResult& r,
                                        const std::string& path);

// Where a failing property writes its counterexample: the test's
// undeclared-outputs directory when Bazel gives one, else "" (not written).
[[nodiscard]] std::string counterexample_path(const std::string& name);

}  // namespace tcpref::refinement
