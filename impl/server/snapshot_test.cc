#include "impl/server/snapshot.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tcpref::server {
namespace {

uint64_t value(const std::vector<Metric>& metrics, std::string_view name) {
  for (const Metric& m : metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

TEST(Snapshot, BoardSumsEveryWorker) {
  SnapshotBoard board(2);
  Snapshot a, b;
  a.counters.PassiveOpens = 3;
  a.counters.ListenOverflows = 1;
  a.accept_queue = 2;
  a.loop.ingress.dropped = 5;
  b.counters.PassiveOpens = 4;
  b.accepted = 7;
  b.loop.egress.reordered = 1;
  b.loop.egress.delayed = 2;
  board.publish(0, a);
  board.publish(1, b);
  const std::vector<Metric> m = to_metrics(board.total());
  EXPECT_EQ(value(m, "PassiveOpens"), 7u);
  EXPECT_EQ(value(m, "ListenOverflows"), 1u);
  EXPECT_EQ(value(m, "ListenAcceptQueue"), 2u);
  EXPECT_EQ(value(m, "AppAccepted"), 7u);
  EXPECT_EQ(value(m, "ImpairInDropped"), 5u);
  EXPECT_EQ(value(m, "ImpairOutReordered"), 3u);
}

TEST(Snapshot, LaterPublishReplacesTheWorkersSlot) {
  SnapshotBoard board(1);
  Snapshot s;
  s.counters.InSegs = 10;
  board.publish(0, s);
  s.counters.InSegs = 12;
  board.publish(0, s);
  EXPECT_EQ(board.total().counters.InSegs, 12u);
}

TEST(Snapshot, EveryStackCounterBecomesOneUniquelyNamedMetric) {
  const std::vector<Metric> m = to_metrics(Snapshot{});
  size_t counters = 0;
  tcp::Counters{}.for_each([&](std::string_view, uint64_t) { ++counters; });
  std::set<std::string> names;
  for (const Metric& metric : m) {
    names.insert(std::string(metric.group) + std::string(metric.name));
  }
  EXPECT_EQ(names.size(), m.size());
  EXPECT_GT(m.size(), counters);
}

}  // namespace
}  // namespace tcpref::server
