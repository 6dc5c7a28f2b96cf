// What each worker thread publishes after every tick, and their sum: the
// stack's counters (plain integers owned by one thread) are copied under a
// lock so /metrics, SIGUSR1 and the exit report can read them safely.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "impl/io/event_loop.h"
#include "impl/server/metrics.h"
#include "impl/tcp/counters.h"

namespace tcpref::server {

struct Snapshot {
  tcp::Counters counters;
  uint64_t accept_queue = 0;         // children waiting for accept()
  uint64_t syn_queue = 0;            // request socks
  uint64_t accepted = 0;             // connections handed to the application
  uint64_t app_open = 0;             // connections the application still serves
  uint64_t app_shed = 0;             // reset to make room for a newcomer
  uint64_t app_header_timeouts = 0;  // http: no request head in time
  uint64_t app_idle_timeouts = 0;    // no byte moved for --idle-timeout
  io::LoopStats loop;

  Snapshot& operator+=(const Snapshot& other);
};

// Every value as a Metric (names are string literals: static storage).
[[nodiscard]] std::vector<Metric> to_metrics(const Snapshot& snapshot);

class SnapshotBoard {
 public:
  explicit SnapshotBoard(unsigned workers) : slots_(workers) {}
  void publish(unsigned worker, const Snapshot& snapshot);
  [[nodiscard]] Snapshot total() const;

 private:
  struct Slot {
    mutable std::mutex mutex;
    Snapshot snapshot;
  };
  std::vector<Slot> slots_;
};

}  // namespace tcpref::server
