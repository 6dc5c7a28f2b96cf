#include "impl/server/worker.h"

#include <string>

#include "impl/tun/address.h"

namespace tcpref::server {
namespace {

// A stack socket seen as a ByteStream, at one instant.
class SocketStream : public ByteStream {
 public:
  SocketStream(tcp::Stack& stack, tcp::SocketId socket, tun::Time now)
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
  tun::Time now_;
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
               int tun_fd, int stop_fd, unsigned index, tun::PcapWriter* pcap,
               SnapshotBoard& board, const MetricsSource& metrics)
    : options_(options),
      index_(index),
      board_(board),
      metrics_(metrics),
      loop_(tun_fd, stop_fd,
            tun::LoopOptions{.device_name = options.tun,
                             .impairment = options.impair,
                             .stream = index,
                             .pcap = pcap,
                             .max_packet = 65535,
                             .batch = 64},
            *this),
      stack_(config, *this) {
  connections_.reserve(options.max_connections);
}

tun::Status Worker::listen() {
  tcp::Error error = tcp::Error::kOk;
  listener_ = stack_.listen({options_.addr, options_.port},
                            listen_options(options_), &error);
  if (!listener_.valid()) {
    return tun::Status::failure("cannot listen on " +
                                tun::format_ipv4(options_.addr) + ":" +
                                std::to_string(options_.port) + ": " +
                                std::string(tcp::to_string(error)));
  }
  return tun::ok_status();
}

tun::Status Worker::run() {
  tun::Status s = loop_.run();
  publish();
  return s;
}

void Worker::on_packet(std::span<const uint8_t> packet, tun::Time now) {
  stack_.receive(packet, now);
}

void Worker::on_tick(tun::Time now) {
  stack_.advance(now);
  if (options_.mode != Mode::kHold) accept_all(now);
  // Apps serving /metrics read the board: it must include this tick's
  // packets and accepts.
  publish();
  serve_all(now);
  publish();
}

std::optional<tun::Time> Worker::next_deadline() const {
  return stack_.next_timer();
}

void Worker::send(std::span<const uint8_t> ip_packet) { loop_.send(ip_packet); }

void Worker::accept_all(tun::Time now) {
  while (connections_.size() < options_.max_connections) {
    const tcp::SocketId socket = stack_.accept(listener_, now);
    if (!socket.valid()) return;
    ++accepted_;
    connections_.push_back({socket, make_app(options_.mode, metrics_)});
  }
}

void Worker::serve_all(tun::Time now) {
  for (size_t i = 0; i < connections_.size();) {
    SocketStream stream(stack_, connections_[i].socket, now);
    if (connections_[i].app->service(stream) == AppState::kDone) {
      connections_[i] = std::move(connections_.back());
      connections_.pop_back();
    } else {
      ++i;
    }
  }
}

void Worker::publish() {
  Snapshot s;
  s.counters = stack_.counters();
  s.accept_queue = stack_.accept_queue_length(listener_);
  s.syn_queue = stack_.syn_queue_length(listener_);
  s.accepted = accepted_;
  s.app_open = connections_.size();
  s.loop = loop_.stats();
  board_.publish(index_, s);
}

}  // namespace tcpref::server
