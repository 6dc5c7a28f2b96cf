// The TUN event loop of one queue: epoll over the queue's descriptor, a
// timerfd armed for the next deadline, and a stop eventfd. Packets read from
// the device go (through the ingress impairment and the pcap) to a
// PacketHandler; packets the handler sends go (through the pcap and the
// egress impairment) back to the device. The loop owns the clock: it reads
// CLOCK_MONOTONIC and passes the time in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "impl/io/gso_coalescer.h"
#include "impl/io/impairment.h"
#include "impl/io/pcap_writer.h"
#include "impl/io/result.h"

namespace tcpref::io {

// CLOCK_MONOTONIC in microseconds.
[[nodiscard]] Time monotonic_now();

// What the device said about a packet (its virtio-net header).
struct PacketInfo {
  // NEEDS_CSUM or DATA_VALID: the local kernel vouches for the TCP checksum
  // (the field may hold only a partial sum).
  bool checksum_trusted = false;
};

class PacketHandler {
 public:
  virtual ~PacketHandler() = default;
  // One IPv4 packet from the device (with offloads, possibly a TCP
  // super-segment of up to 64 KB).
  virtual void on_packet(std::span<const uint8_t> packet, Time now,
                         PacketInfo info) = 0;
  // After every batch of packets and every timer wake-up.
  virtual void on_tick(Time now) = 0;
  // When on_tick must run next even if no packet arrives.
  [[nodiscard]] virtual std::optional<Time> next_deadline() const = 0;
};

struct LoopOptions {
  std::string device_name;      // for error messages
  ImpairmentConfig impairment;  // applied to both directions
  uint64_t stream = 0;          // separates random streams of queues
  PcapWriter* pcap = nullptr;   // records what the handler sees and sends
  size_t max_packet = 65535;
  size_t batch = 64;  // packets read per wake-up before on_tick
  // The device was opened with offloads (virtio-net headers): reads may be
  // super-segments, and the handler's bursts of one flow go out as one
  // super-segment per batch (GsoCoalescer). Not with an impairment, which
  // must see wire-sized packets.
  bool offload = false;
};

struct LoopStats {
  uint64_t packets_in = 0;   // read from the device
  uint64_t packets_out = 0;  // written to the device
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t write_drops = 0;         // the device refused a packet (no buffer)
  uint64_t super_segments_out = 0;  // GSO frames written
  uint64_t segments_joined = 0;     // stack segments inside them
  ImpairmentStats ingress;
  ImpairmentStats egress;
};

class EventLoop {
 public:
  // `tun_fd` is a non-blocking queue descriptor; the loop ends when
  // `stop_fd` (an eventfd) becomes readable. Neither is owned.
  EventLoop(int tun_fd, int stop_fd, const LoopOptions& options,
            PacketHandler& handler);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // The handler's output: one IPv4 packet towards the device.
  void send(std::span<const uint8_t> packet);

  // Runs until stopped (ok) or the device fails (one-line message).
  Status run();
  LoopStats stats() const;

 private:
  class ToDevice : public PacketOut, public DeviceWriter {
   public:
    explicit ToDevice(EventLoop& loop) : loop_(loop) {}
    void deliver(std::span<const uint8_t> packet) override;
    void write_frame(const VnetHeader& header,
                     std::span<const uint8_t> packet) override;

   private:
    void count(ssize_t written, size_t expected, size_t bytes);
    EventLoop& loop_;
  };
  class ToHandler : public PacketOut {
   public:
    explicit ToHandler(EventLoop& loop) : loop_(loop) {}
    void deliver(std::span<const uint8_t> packet) override;

   private:
    EventLoop& loop_;
  };

  Status setup();
  Status read_batch();
  void arm_timer();

  int tun_fd_;
  int stop_fd_;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  LoopOptions options_;
  PacketHandler& handler_;
  Impairment ingress_;
  Impairment egress_;
  ToDevice to_device_{*this};
  ToHandler to_handler_{*this};
  GsoCoalescer gso_{to_device_};
  std::vector<uint8_t> buffer_;
  PacketInfo info_;  // of the packet being handled
  Time now_{0};
  std::string fatal_;  // set when a write fails beyond recovery
  LoopStats stats_;
};

}  // namespace tcpref::io
