// A smoltcp-style harness for Stack tests: send one segment from a client,
// expect exactly the segments the stack sends back. Whatever the stack sent
// and the test did not consume fails the test when the harness goes away.
//
//   Harness h;
//   h.Listen();
//   h.Send({.seq = kIrs, .flags = kSyn, .window = 65535});
//   h.ExpectSent({.seq = h.Iss(), .ack = kIrs + 1, .flags = kSyn | kAck, ...});
//   h.ExpectNothingSent();
//
// Segments are wire::Segment values; zero addresses and ports are filled in
// (client 198.18.0.2:40000 → server 198.18.0.1:80, RFC 2544 test range).
#pragma once

#include <cstdint>
#include <deque>
#include <source_location>
#include <vector>

#include "impl/tcp/isn.h"
#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp::testing {

inline constexpr uint32_t kServerAddr = 0xC6120001;  // 198.18.0.1
inline constexpr uint32_t kClientAddr = 0xC6120002;  // 198.18.0.2
inline constexpr uint16_t kServerPort = 80;
inline constexpr uint16_t kClientPort = 40000;
inline constexpr uint32_t kIrs = 0x10000000;  // the client's ISN
inline constexpr Time kStart = std::chrono::seconds(1000);

using namespace wire::flags;  // kSyn, kAck, ... read like the RFC in tests

class RecordingSink : public PacketSink {
 public:
  void send(std::span<const uint8_t> ip_packet) override {
    packets.emplace_back(ip_packet.begin(), ip_packet.end());
  }
  std::deque<std::vector<uint8_t>> packets;
};

// A segment the stack sent, owning its bytes.
struct Sent {
  std::vector<uint8_t> packet;
  wire::Segment segment;  // payload points into `packet`
};

// Fields ExpectSent may ignore.
namespace ignore {
inline constexpr uint32_t kTsval = 1 << 0;
inline constexpr uint32_t kSeq = 1 << 1;
inline constexpr uint32_t kWindow = 1 << 2;
}  // namespace ignore

class Harness {
 public:
  explicit Harness(const StackConfig& config = DefaultConfig());
  // Exactly this, then nothing: a segment the stack sent that the test
  // never consumed (ExpectSent, PopSent) fails the test here.
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Small tables and fixed keys, so runs are reproducible.
  static StackConfig DefaultConfig();

  ListenerId Listen(const ListenOptions& options = {},
                    Endpoint local = {kServerAddr, kServerPort});

  // Sends `s` (client → server unless addresses/ports are set) at now().
  Verdict Send(wire::Segment s);
  // Sends raw bytes as one IPv4 packet.
  Verdict SendBytes(std::span<const uint8_t> packet);

  // Pops the next sent segment and checks it equals `expected` (addresses
  // and ports default to server → client). Returns what was sent.
  Sent ExpectSent(wire::Segment expected, uint32_t ignore = 0,
                  std::source_location loc = std::source_location::current());
  // Pops the next sent segment whatever it is (for tests that only need to
  // read it); fails if nothing was sent.
  Sent PopSent(std::source_location loc = std::source_location::current());
  void ExpectNothingSent(
      std::source_location loc = std::source_location::current());
  size_t SentCount() const { return sink_.packets.size(); }

  // Moves virtual time forward and runs due timers.
  void Advance(Time by);
  Time now() const { return now_; }

  FourTuple Tuple(uint16_t client_port = kClientPort) const;
  ConnectionView Inspect(uint16_t client_port = kClientPort) const;
  // What the stack must pick at now() per RFC 6528 and our 1 ms TS clock.
  uint32_t Iss(uint16_t client_port = kClientPort) const;
  uint32_t TsVal(uint16_t client_port = kClientPort) const;

  // SYN → SYN-ACK → ACK with no options; returns the server's ISS.
  uint32_t Handshake(uint16_t client_port = kClientPort, uint32_t irs = kIrs);
  // Handshake + accept.
  SocketId Establish(ListenerId listener, uint16_t client_port = kClientPort,
                     uint32_t irs = kIrs);

  Stack& stack() { return stack_; }
  const Counters& counters() const { return stack_.counters(); }
  const StackConfig& config() const { return config_; }

 private:
  StackConfig config_;
  RecordingSink sink_;
  Stack stack_;
  IsnGenerator isn_;
  Time now_ = kStart;
};

}  // namespace tcpref::tcp::testing
