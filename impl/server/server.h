// The whole server process: device, secrets, workers, signals, report.
#pragma once

#include "impl/server/options.h"

namespace tcpref::server {

// Runs until SIGINT/SIGTERM (returns 0) or a failure (prints one line to
// stderr, returns 1). Prints READY on stdout once SYNs can be taken, and the
// counters on SIGUSR1 and at exit.
[[nodiscard]] int run_server(const ServerOptions& options);

}  // namespace tcpref::server
