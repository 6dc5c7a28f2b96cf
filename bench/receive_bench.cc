// Throughput of the receive path, one segment kind per benchmark. Every
// packet goes through Stack::receive exactly as the TUN loop sends it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <span>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace tcpref {
namespace {

using tcp::Time;
using namespace wire::flags;

constexpr uint32_t kServer = 0xC6120001;  // 198.18.0.1
constexpr uint32_t kClient = 0xC6120002;  // 198.18.0.2
constexpr uint16_t kPort = 80;

// Keeps the last packet the stack sent (the SYN-ACK we must answer).
class LastPacketSink : public tcp::PacketSink {
 public:
  void send(std::span<const uint8_t> p) override {
    last.assign(p.begin(), p.end());
    ++count;
  }
  std::vector<uint8_t> last;
  uint64_t count = 0;
};

tcp::StackConfig BenchConfig() {
  tcp::StackConfig c;
  c.max_request_socks = 65536;
  c.max_sockets = 4096;
  c.max_time_wait = 4096;
  c.isn_key.fill(7);
  c.cookie_key.fill(9);
  return c;
}

// A SYN as Linux's client sends it: MSS, SACK-permitted, timestamps, wscale.
size_t MakeSyn(uint16_t sport, uint32_t seq, std::span<uint8_t> out) {
  wire::Segment s;
  s.src_addr = kClient;
  s.dst_addr = kServer;
  s.src_port = sport;
  s.dst_port = kPort;
  s.seq = seq;
  s.flags = kSyn;
  s.window = 64240;
  s.options.mss = 1460;
  s.options.sack_permitted = true;
  s.options.timestamps = wire::Timestamps{12345, 0};
  s.options.window_scale = 7;
  return wire::emit(s, out);
}

size_t MakeAck(const wire::Segment& synack, std::span<uint8_t> out) {
  wire::Segment s;
  s.src_addr = kClient;
  s.dst_addr = kServer;
  s.src_port = synack.dst_port;
  s.dst_port = kPort;
  s.seq = synack.ack;
  s.ack = synack.seq + 1;
  s.flags = kAck;
  s.window = 502;
  if (synack.options.timestamps) {
    s.options.timestamps =
        wire::Timestamps{12346, synack.options.timestamps->tsval};
  }
  return wire::emit(s, out);
}

// Stateless path: with cookies always on, a SYN allocates nothing and
// answers with a cookie SYN-ACK.
void BM_SynCookieSynAck(benchmark::State& state) {
  LastPacketSink sink;
  tcp::Stack stack(BenchConfig(), sink);
  tcp::ListenOptions lo;
  lo.syn_cookies = tcp::SynCookieMode::kAlways;
  (void)stack.listen({kServer, kPort}, lo);
  uint8_t buf[128];
  uint16_t port = 1024;
  Time now = std::chrono::seconds(1);
  for (auto _ : state) {
    const size_t n = MakeSyn(port, port * 7919u, buf);
    benchmark::DoNotOptimize(stack.receive({buf, n}, now));
    if (++port == 0) port = 1024;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["synacks"] = static_cast<double>(sink.count);
}
BENCHMARK(BM_SynCookieSynAck);

// The full passive open: SYN → request sock + SYN-ACK, final ACK → child in
// the accept queue, accept(), abort() (RST) to free the slot again.
void BM_FullHandshake(benchmark::State& state) {
  LastPacketSink sink;
  tcp::Stack stack(BenchConfig(), sink);
  tcp::ListenOptions lo;
  lo.syn_cookies = tcp::SynCookieMode::kOff;
  lo.backlog = 1024;
  lo.syn_queue_limit = 4096;
  const tcp::ListenerId l = stack.listen({kServer, kPort}, lo);
  uint8_t buf[128];
  uint16_t port = 1024;
  Time now = std::chrono::seconds(1);
  uint64_t established = 0;
  for (auto _ : state) {
    size_t n = MakeSyn(port, port * 7919u, buf);
    (void)stack.receive({buf, n}, now);
    const wire::PacketParse synack = wire::parse_packet(sink.last);
    n = MakeAck(synack.segment, buf);
    (void)stack.receive({buf, n}, now);
    const tcp::SocketId s = stack.accept(l, now);
    if (s.valid()) {
      ++established;
      (void)stack.abort(s, now);
    }
    if (++port == 0) port = 1024;
    now += std::chrono::microseconds(1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["established"] = static_cast<double>(established);
}
BENCHMARK(BM_FullHandshake);

// Rejection at the first gate: a bad TCP checksum costs one checksum pass.
void BM_DropBadChecksum(benchmark::State& state) {
  LastPacketSink sink;
  tcp::Stack stack(BenchConfig(), sink);
  (void)stack.listen({kServer, kPort}, tcp::ListenOptions{});
  uint8_t buf[128];
  const size_t n = MakeSyn(40000, 1, buf);
  buf[36] ^= 0xff;  // TCP checksum, high byte
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        stack.receive({buf, n}, Time{std::chrono::seconds(1)}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DropBadChecksum);

// The wire layer alone: parse an options-laden SYN.
void BM_ParseSyn(benchmark::State& state) {
  uint8_t buf[128];
  const size_t n = MakeSyn(40000, 1, buf);
  for (auto _ : state) {
    benchmark::DoNotOptimize(wire::parse_packet({buf, n}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseSyn);

}  // namespace
}  // namespace tcpref
