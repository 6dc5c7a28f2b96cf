#include "impl/server/snapshot.h"

namespace tcpref::server {
namespace {

void add(io::ImpairmentStats& a, const io::ImpairmentStats& b) {
  a.passed += b.passed;
  a.dropped += b.dropped;
  a.duplicated += b.duplicated;
  a.reordered += b.reordered;
  a.delayed += b.delayed;
}

}  // namespace

Snapshot& Snapshot::operator+=(const Snapshot& o) {
#define TCPREF_ADD_COUNTER(name) counters.name += o.counters.name;
  TCPREF_COUNTERS(TCPREF_ADD_COUNTER)
#undef TCPREF_ADD_COUNTER
  accept_queue += o.accept_queue;
  syn_queue += o.syn_queue;
  accepted += o.accepted;
  app_open += o.app_open;
  app_shed += o.app_shed;
  app_header_timeouts += o.app_header_timeouts;
  app_idle_timeouts += o.app_idle_timeouts;
  loop.packets_in += o.loop.packets_in;
  loop.packets_out += o.loop.packets_out;
  loop.bytes_in += o.loop.bytes_in;
  loop.bytes_out += o.loop.bytes_out;
  loop.write_drops += o.loop.write_drops;
  add(loop.ingress, o.loop.ingress);
  add(loop.egress, o.loop.egress);
  return *this;
}

std::vector<Metric> to_metrics(const Snapshot& s) {
  std::vector<Metric> m;
  s.counters.for_each([&](std::string_view name, uint64_t value) {
    m.push_back(
        {counter_group(name), counter_name(name), counter_kind(name), value});
  });
  using K = MetricKind;
  const Metric own[] = {
      {"Tcpref", "ListenAcceptQueue", K::kGauge, s.accept_queue},
      {"Tcpref", "ListenSynQueue", K::kGauge, s.syn_queue},
      {"Tcpref", "AppAccepted", K::kCounter, s.accepted},
      {"Tcpref", "AppOpen", K::kGauge, s.app_open},
      {"Tcpref", "AppShed", K::kCounter, s.app_shed},
      {"Tcpref", "AppHeaderTimeouts", K::kCounter, s.app_header_timeouts},
      {"Tcpref", "AppIdleTimeouts", K::kCounter, s.app_idle_timeouts},
      {"Tcpref", "TunPacketsIn", K::kCounter, s.loop.packets_in},
      {"Tcpref", "TunPacketsOut", K::kCounter, s.loop.packets_out},
      {"Tcpref", "TunBytesIn", K::kCounter, s.loop.bytes_in},
      {"Tcpref", "TunBytesOut", K::kCounter, s.loop.bytes_out},
      {"Tcpref", "TunWriteDrops", K::kCounter, s.loop.write_drops},
      {"Tcpref", "ImpairInDropped", K::kCounter, s.loop.ingress.dropped},
      {"Tcpref", "ImpairInDuplicated", K::kCounter, s.loop.ingress.duplicated},
      {"Tcpref", "ImpairInReordered", K::kCounter,
       s.loop.ingress.reordered + s.loop.ingress.delayed},
      {"Tcpref", "ImpairOutDropped", K::kCounter, s.loop.egress.dropped},
      {"Tcpref", "ImpairOutDuplicated", K::kCounter, s.loop.egress.duplicated},
      {"Tcpref", "ImpairOutReordered", K::kCounter,
       s.loop.egress.reordered + s.loop.egress.delayed},
  };
  m.insert(m.end(), std::begin(own), std::end(own));
  return m;
}

void SnapshotBoard::publish(unsigned worker, const Snapshot& snapshot) {
  std::lock_guard lock(slots_[worker].mutex);
  slots_[worker].snapshot = snapshot;
}

Snapshot SnapshotBoard::total() const {
  Snapshot sum;
  for (const Slot& slot : slots_) {
    std::lock_guard lock(slot.mutex);
    sum += slot.snapshot;
  }
  return sum;
}

}  // namespace tcpref::server
