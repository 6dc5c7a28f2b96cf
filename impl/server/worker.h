// One server thread: a tcp::Stack on one TUN queue. Packets from the event
// loop go to Stack::receive, timers to Stack::advance; after each batch the
// worker accepts children (unless --mode hold) and lets the applications of
// the connections the stack reported ready (ReadinessObserver) do their
// work, so an idle connection costs nothing per batch.
//
// Nothing is held forever by a client: in http mode the request head must
// arrive within --header-timeout of the accept, in the other modes a
// connection that moves no byte for --idle-timeout is reset; and when all
// --max-connections app slots are taken, a newcomer waiting in the accept
// queue sheds the connection idle the longest (reset) instead of waiting.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "impl/io/event_loop.h"
#include "impl/io/result.h"
#include "impl/server/apps.h"
#include "impl/server/idle_list.h"
#include "impl/server/options.h"
#include "impl/server/snapshot.h"
#include "impl/tcp/stack.h"

namespace tcpref::server {

// The stack configuration the options ask for, with the given secrets.
[[nodiscard]] tcp::StackConfig stack_config(
    const ServerOptions& options, const std::array<uint8_t, 16>& isn_key,
    const std::array<uint8_t, 16>& cookie_key);
[[nodiscard]] tcp::ListenOptions listen_options(const ServerOptions& options);
// --max-connections is shared by the threads: each serves this many.
[[nodiscard]] uint32_t app_slots(const ServerOptions& options);
// Socket slots beyond those for connections closed by the app that still
// send their FIN (a quarter of app_slots).
[[nodiscard]] uint32_t orphan_slots(const ServerOptions& options);
// The most memory the server could use with these options (every socket
// slot of every thread busy with full buffers, and an app each), to refuse
// a --max-connections the machine cannot hold.
[[nodiscard]] uint64_t worst_case_memory(const ServerOptions& options);

class Worker : public io::PacketHandler,
               public tcp::PacketSink,
               public tcp::ReadinessObserver {
 public:
  Worker(const ServerOptions& options, const tcp::StackConfig& config,
         int tun_fd, int stop_fd, unsigned index, io::PcapWriter* pcap,
         SnapshotBoard& board, const MetricsSource& metrics);

  // Opens the listeners (service, and --metrics-port's); call before run().
  io::Status listen();
  // Until stop_fd fires (ok) or the device fails.
  io::Status run();

  // io::PacketHandler
  void on_packet(std::span<const uint8_t> packet, io::Time now,
                 io::PacketInfo info) override;
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
    bool ready = false;         // listed in ready_
    bool metrics_port = false;  // accepted on --metrics-port
  };
  // One kind of connection's timeout: the head of `idle` is reset once
  // `timeout` passed since it was stamped; progress restamps it when
  // `refresh` (an idle timeout) and never otherwise (a deadline from the
  // accept).
  struct Timeouts {
    IdleList idle;
    io::Time timeout;
    bool refresh;
    uint64_t* counter;  // bumped per reset
  };
  void accept_all(io::Time now);
  bool accept_one(tcp::ListenerId listener, bool metrics_port, io::Time now);
  void shed_oldest(io::Time now);
  void expire(io::Time now);
  void forget(uint32_t slot);
  Timeouts& timeouts_of(const Connection& c) {
    return c.metrics_port ? metrics_timeouts_ : service_timeouts_;
  }
  void mark_ready(uint32_t slot);
  void serve_ready(io::Time now);
  void publish();

  const ServerOptions& options_;
  unsigned index_;
  SnapshotBoard& board_;
  const MetricsSource& metrics_;
  io::EventLoop loop_;
  tcp::Stack stack_;
  tcp::ListenerId listener_, metrics_listener_;
  const MetricsSource no_metrics_;  // the service port: /metrics is 404
  std::vector<Connection> connections_;
  std::vector<uint32_t> ready_, serving_;  // slots whose app should run
  uint32_t open_ = 0;                      // connections with an app
  uint64_t accepted_ = 0;
  uint64_t shed_ = 0, header_timeouts_ = 0, idle_timeouts_ = 0;
  Timeouts service_timeouts_, metrics_timeouts_;
};

}  // namespace tcpref::server
