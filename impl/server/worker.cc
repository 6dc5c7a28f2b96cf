#include "impl/server/worker.h"

#include <string>

#include "impl/io/address.h"

namespace tcpref::server {
namespace {

// A stack socket seen as a ByteStream, at one instant.
class SocketStream : public ByteStream {
 public:
  SocketStream(tcp::Stack& stack, tcp::SocketId socket, io::Time now)
      : stack_(stack), socket_(socket), now_(now) {}

  ReadResult read(std::span<uint8_t> out) override {
    const tcp::IoResult r = stack_.read(socket_, out, now_);
    if (r.bytes > 0) return {r.bytes, ReadStatus::kData};
    switch (r.error) {
      case tcp::Error::kWouldBlock:
        return {0, ReadStatus::kWouldBlock};
      case tcp::Error::kOk:
        return {0, ReadStatus::kEof};
      default:
        return {0, ReadStatus::kError};
    }
  }
  bool write(std::span<const uint8_t> data, size_t& taken) override {
    const tcp::IoResult r = stack_.write(socket_, data, now_);
    taken = r.bytes;
    return r.error == tcp::Error::kOk || r.error == tcp::Error::kWouldBlock;
  }
  void close() override { stack_.close(socket_, now_); }

 private:
  tcp::Stack& stack_;
  tcp::SocketId socket_;
  io::Time now_;
};

tcp::SynCookieMode cookie_mode(SynCookies c) {
  switch (c) {
    case SynCookies::kOff:
      return tcp::SynCookieMode::kOff;
    case SynCookies::kAuto:
      return tcp::SynCookieMode::kWhenSynQueueFull;
    case SynCookies::kAlways:
      return tcp::SynCookieMode::kAlways;
  }
  return tcp::SynCookieMode::kWhenSynQueueFull;
}

}  // namespace

tcp::StackConfig stack_config(const ServerOptions& o,
                              const std::array<uint8_t, 16>& isn_key,
                              const std::array<uint8_t, 16>& cookie_key) {
  tcp::StackConfig c;
  c.mtu = o.mtu;
  c.max_sockets = o.max_connections;
  c.max_time_wait = o.max_connections;
  c.max_request_socks = o.syn_backlog > 4096 ? o.syn_backlog : 4096;
  c.orphan_retries = o.orphan_retries;
  c.isn_key = isn_key;
  c.cookie_key = cookie_key;
  return c;
}

tcp::ListenOptions listen_options(const ServerOptions& o) {
  tcp::ListenOptions l;
  l.backlog = o.backlog;
  l.syn_queue_limit = o.syn_backlog;
  l.syn_cookies = cookie_mode(o.syncookies);
  l.overflow = o.abort_on_overflow ? tcp::OverflowPolicy::kReset
                                   : tcp::OverflowPolicy::kDrop;
  l.synack_retries = o.synack_retries;
  return l;
}

Worker::Worker(const ServerOptions& options, const tcp::StackConfig& config,
               int tun_fd, int stop_fd, unsigned index, io::PcapWriter* pcap,
               SnapshotBoard& board, const MetricsSource& metrics)
    : options_(options),
      index_(index),
      board_(board),
      metrics_(metrics),
      loop_(tun_fd, stop_fd,
            io::LoopOptions{.device_name = options.tun,
                            .impairment = options.impair,
                            .stream = index,
                            .pcap = pcap,
                            .max_packet = 65535,
                            .batch = 64},
            *this),
      stack_(config, *this) {
  connections_.resize(config.max_sockets);
  ready_.reserve(config.max_sockets);
  serving_.reserve(config.max_sockets);
  stack_.set_observer(this);
}

io::Status Worker::listen() {
  tcp::Error error = tcp::Error::kOk;
  listener_ = stack_.listen({options_.addr, options_.port},
                            listen_options(options_), &error);
  if (!listener_.valid()) {
    return io::Status::failure("cannot listen on " +
                               io::format_ipv4(options_.addr) + ":" +
                               std::to_string(options_.port) + ": " +
                               std::string(tcp::to_string(error)));
  }
  return io::ok_status();
}

io::Status Worker::run() {
  io::Status s = loop_.run();
  publish();
  return s;
}

void Worker::on_packet(std::span<const uint8_t> packet, io::Time now) {
  stack_.receive(packet, now);
}

void Worker::on_tick(io::Time now) {
  stack_.advance(now);
  if (options_.mode != Mode::kHold) accept_all(now);
  // Apps serving /metrics read the board: it must include this tick's
  // packets and accepts.
  publish();
  serve_ready(now);
  publish();
}

std::optional<io::Time> Worker::next_deadline() const {
  return stack_.next_timer();
}

void Worker::send(std::span<const uint8_t> ip_packet) { loop_.send(ip_packet); }

// Accepting is cheap when the queue is empty, so it runs every tick rather
// than only after the listener's notification.
void Worker::on_ready(tcp::ListenerId, uint32_t) {}

void Worker::on_ready(tcp::SocketId socket, uint32_t) {
  if (socket.index >= connections_.size()) return;
  const Connection& c = connections_[socket.index];
  if (c.app != nullptr && c.socket == socket) mark_ready(socket.index);
}

void Worker::mark_ready(uint32_t slot) {
  if (connections_[slot].ready) return;
  connections_[slot].ready = true;
  ready_.push_back(slot);
}

void Worker::accept_all(io::Time now) {
  while (open_ < options_.max_connections) {
    const tcp::SocketId socket = stack_.accept(listener_, now);
    if (!socket.valid()) return;
    ++accepted_;
    ++open_;
    connections_[socket.index] = {socket, make_app(options_.mode, metrics_)};
    mark_ready(socket.index);  // it may hold data already
  }
}

// An app runs when its socket's poll() bits changed since it last ran (data,
// room to write, FIN, reset); it does everything it can each time, so it
// needs no other wake-up.
void Worker::serve_ready(io::Time now) {
  serving_.swap(ready_);
  for (const uint32_t slot : serving_) {
    Connection& c = connections_[slot];
    c.ready = false;
    SocketStream stream(stack_, c.socket, now);
    if (c.app->service(stream) == AppState::kDone) {
      c = Connection{};
      --open_;
    }
  }
  serving_.clear();
}

void Worker::publish() {
  Snapshot s;
  s.counters = stack_.counters();
  s.accept_queue = stack_.accept_queue_length(listener_);
  s.syn_queue = stack_.syn_queue_length(listener_);
  s.accepted = accepted_;
  s.app_open = open_;
  s.loop = loop_.stats();
  board_.publish(index_, s);
}

}  // namespace tcpref::server
