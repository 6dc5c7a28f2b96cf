// One server thread: a tcp::Stack on one TUN queue. Packets from the event
// loop go to Stack::receive, timers to Stack::advance; after each batch the
// worker accepts children (unless --mode hold) and lets the applications of
// the connections the stack reported ready (ReadinessObserver) do their
// work, so an idle connection costs nothing per batch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "impl/io/event_loop.h"
#include "impl/io/result.h"
#include "impl/server/apps.h"
#include "impl/server/options.h"
#include "impl/server/snapshot.h"
#include "impl/tcp/stack.h"

namespace tcpref::server {

// The stack configuration the options ask for, with the given secrets.
[[nodiscard]] tcp::StackConfig stack_config(
    const ServerOptions& options, const std::array<uint8_t, 16>& isn_key,
    const std::array<uint8_t, 16>& cookie_key);
[[nodiscard]] tcp::ListenOptions listen_options(const ServerOptions& options);

class Worker : public io::PacketHandler,
               public tcp::PacketSink,
               public tcp::ReadinessObserver {
 public:
  Worker(const ServerOptions& options, const tcp::StackConfig& config,
         int tun_fd, int stop_fd, unsigned index, io::PcapWriter* pcap,
         SnapshotBoard& board, const MetricsSource& metrics);

  // Opens the listener; call before run().
  io::Status listen();
  // Until stop_fd fires (ok) or the device fails.
  io::Status run();

  // io::PacketHandler
  void on_packet(std::span<const uint8_t> packet, io::Time now) override;
  void on_tick(io::Time now) override;
  std::optional<io::Time> next_deadline() const override;
  // tcp::PacketSink
  void send(std::span<const uint8_t> ip_packet) override;
  // tcp::ReadinessObserver
  void on_ready(tcp::ListenerId listener, uint32_t events) override;
  void on_ready(tcp::SocketId socket, uint32_t events) override;

 private:
  // Indexed by the socket's pool slot; app == nullptr when free.
  struct Connection {
    tcp::SocketId socket;
    std::unique_ptr<App> app;
    bool ready = false;  // listed in ready_
  };
  void accept_all(io::Time now);
  void mark_ready(uint32_t slot);
  void serve_ready(io::Time now);
  void publish();

  const ServerOptions& options_;
  unsigned index_;
  SnapshotBoard& board_;
  const MetricsSource& metrics_;
  io::EventLoop loop_;
  tcp::Stack stack_;
  tcp::ListenerId listener_;
  std::vector<Connection> connections_;
  std::vector<uint32_t> ready_, serving_;  // slots whose app should run
  uint32_t open_ = 0;                      // connections with an app
  uint64_t accepted_ = 0;
};

}  // namespace tcpref::server
