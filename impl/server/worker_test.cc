#include "impl/server/worker.h"

#include <gtest/gtest.h>

namespace tcpref::server {
namespace {

ServerOptions with_connections(uint32_t n, unsigned threads = 1) {
  ServerOptions o;
  o.max_connections = n;
  o.threads = threads;
  return o;
}

// Every socket slot with full rings and an app: the bound run_server
// compares with physical memory before it starts.
TEST(WorstCaseMemory, CountsEverySlotOfEveryThread) {
  const ServerOptions o = with_connections(1000);
  const tcp::StackConfig c = stack_config(o, {}, {});
  // App slots, a quarter as many orphans, and the accept queue's children.
  EXPECT_EQ(orphan_slots(o), 250u);
  EXPECT_EQ(c.max_sockets, 1000u + 250u + o.backlog + 1);
  const uint64_t per_slot =
      2 * uint64_t{c.receive_buffer} + c.send_buffer + 64 * 1024;
  EXPECT_EQ(worst_case_memory(o), c.max_sockets * per_slot);
}

// The threads share --max-connections, so more threads cost no more.
TEST(WorstCaseMemory, ThreadsShareTheConnections) {
  const ServerOptions four = with_connections(1000, 4);
  EXPECT_EQ(app_slots(four), 250u);
  EXPECT_EQ(app_slots(with_connections(1001, 4)), 251u);
  const tcp::StackConfig c = stack_config(four, {}, {});
  EXPECT_EQ(c.max_sockets, 250u + 63u + four.backlog + 1);
  // Each thread's own accept queue is the only thing that multiplies.
  const uint64_t per_slot =
      2 * uint64_t{c.receive_buffer} + c.send_buffer + 64 * 1024;
  EXPECT_EQ(worst_case_memory(four),
            4 * (250 + 63 + four.backlog + 1) * per_slot);
}

TEST(WorstCaseMemory, TheLargestTableIsBeyondAnyMachine) {
  // 2^20 connections: over a TiB, which run_server refuses.
  EXPECT_GT(worst_case_memory(with_connections(1u << 20)), uint64_t{1} << 40);
}

TEST(StackConfig, MetricsPortAddsItsAcceptQueue) {
  ServerOptions o = with_connections(10);
  const uint32_t without = stack_config(o, {}, {}).max_sockets;
  o.metrics_port = 9100;
  EXPECT_GT(stack_config(o, {}, {}).max_sockets, without);
}

}  // namespace
}  // namespace tcpref::server
