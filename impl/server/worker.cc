#include "impl/server/worker.h"

#include <string>

#include "impl/io/address.h"

namespace tcpref::server {
namespace {

// The metrics listener's accept queue (a scrape at a time is plenty).
constexpr uint32_t kMetricsBacklog = 16;

// A stack socket seen as a ByteStream, at one instant; `progress` records
// whether any byte (or the peer's FIN) moved through it.
class SocketStream : public ByteStream {
 public:
  SocketStream(tcp::Stack& stack, tcp::SocketId socket, io::Time now)
      : stack_(stack), socket_(socket), now_(now) {}

  ReadResult read(std::span<uint8_t> out) override {
    const tcp::IoResult r = stack_.read(socket_, out, now_);
    if (r.bytes > 0) {
      progress = true;
      return {r.bytes, ReadStatus::kData};
    }
    switch (r.error) {
      case tcp::Error::kWouldBlock:
        return {0, ReadStatus::kWouldBlock};
      case tcp::Error::kOk:
        progress = true;
        return {0, ReadStatus::kEof};
      default:
        return {0, ReadStatus::kError};
    }
  }
  bool write(std::span<const uint8_t> data, size_t& taken) override {
    const tcp::IoResult r = stack_.write(socket_, data, now_);
    taken = r.bytes;
    progress = progress || r.bytes > 0;
    return r.error == tcp::Error::kOk || r.error == tcp::Error::kWouldBlock;
  }
  void close() override { stack_.close(socket_, now_); }

  bool progress = false;

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
  // App slots, the accept queues' children, and a quarter as many orphans
  // (closed by the app, still sending their FIN; each ends within
  // tcp_fin_timeout or its orphan retries). Buffers are committed by the
  // kernel only as sockets use them.
  c.max_sockets = app_slots(o) + orphan_slots(o) + o.backlog + 1 +
                  (o.metrics_port != 0 ? kMetricsBacklog + 1 : 0);
  c.max_time_wait = app_slots(o);
  c.max_request_socks = o.syn_backlog > 4096 ? o.syn_backlog : 4096;
  c.orphan_retries = o.orphan_retries;
  c.local_addresses = {o.addr};  // RFC 1122 §3.2.1.3: nothing else
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

uint32_t app_slots(const ServerOptions& o) {
  return (o.max_connections + o.threads - 1) / o.threads;
}

uint32_t orphan_slots(const ServerOptions& o) { return (app_slots(o) + 3) / 4; }

uint64_t worst_case_memory(const ServerOptions& o) {
  const tcp::StackConfig c = stack_config(o, {}, {});
  // Receive ring, out-of-order ring (at most as large), send ring; and per
  // slot the socket record and an app with its buffers, well under 64 KiB.
  const uint64_t per_socket =
      2 * uint64_t{c.receive_buffer} + c.send_buffer + uint64_t{64} * 1024;
  return uint64_t{o.threads} * c.max_sockets * per_socket;
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
                            .batch = 64,
                            .offload = use_offload(options)},
            *this),
      stack_(config, *this),
      service_timeouts_{
          IdleList(config.max_sockets),
          options.mode == Mode::kHttp ? options.header_timeout
                                      : options.idle_timeout,
          options.mode != Mode::kHttp,
          options.mode == Mode::kHttp ? &header_timeouts_ : &idle_timeouts_},
      metrics_timeouts_{IdleList(config.max_sockets), options.header_timeout,
                        false, &header_timeouts_} {
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
  if (options_.metrics_port != 0) {
    tcp::ListenOptions l = listen_options(options_);
    l.backlog = kMetricsBacklog;
    metrics_listener_ =
        stack_.listen({options_.addr, options_.metrics_port}, l, &error);
    if (!metrics_listener_.valid()) {
      return io::Status::failure("cannot listen on " +
                                 io::format_ipv4(options_.addr) + ":" +
                                 std::to_string(options_.metrics_port) + ": " +
                                 std::string(tcp::to_string(error)));
    }
  }
  return io::ok_status();
}

io::Status Worker::run() {
  io::Status s = loop_.run();
  publish();
  return s;
}

void Worker::on_packet(std::span<const uint8_t> packet, io::Time now,
                       io::PacketInfo info) {
  stack_.receive(packet, now,
                 info.checksum_trusted ? tcp::Checksum::kTrustedDevice
                                       : tcp::Checksum::kVerify);
}

void Worker::on_tick(io::Time now) {
  stack_.advance(now);
  expire(now);
  if (options_.mode != Mode::kHold) accept_all(now);
  // Apps serving /metrics read the board: it must include this tick's
  // packets and accepts.
  publish();
  serve_ready(now);
  publish();
}

std::optional<io::Time> Worker::next_deadline() const {
  std::optional<io::Time> due = stack_.next_timer();
  for (const Timeouts* t : {&service_timeouts_, &metrics_timeouts_}) {
    if (const auto slot = t->idle.oldest()) {
      const io::Time at = t->idle.since(*slot) + t->timeout;
      if (!due || at < *due) due = at;
    }
  }
  return due;
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
  while (accept_one(listener_, false, now)) {
  }
  if (metrics_listener_.valid()) {
    while (accept_one(metrics_listener_, true, now)) {
    }
  }
}

bool Worker::accept_one(tcp::ListenerId listener, bool metrics_port,
                        io::Time now) {
  if (stack_.accept_queue_length(listener) == 0) return false;
  // A newcomer never waits for a slot: the connection idle the longest
  // gives up its own.
  if (open_ >= app_slots(options_)) shed_oldest(now);
  const tcp::SocketId socket = stack_.accept(listener, now);
  if (!socket.valid()) return false;
  ++accepted_;
  ++open_;
  Connection& c = connections_[socket.index];
  c.socket = socket;
  c.app = make_app(metrics_port ? Mode::kHttp : options_.mode,
                   metrics_port ? metrics_ : no_metrics_);
  c.metrics_port = metrics_port;  // c.ready: still listed from a shed app?
  timeouts_of(c).idle.touch(socket.index, now);
  mark_ready(socket.index);  // it may hold data already
  return true;
}

void Worker::shed_oldest(io::Time now) {
  std::optional<uint32_t> victim = service_timeouts_.idle.oldest();
  if (const auto m = metrics_timeouts_.idle.oldest();
      m && (!victim || metrics_timeouts_.idle.since(*m) <
                           service_timeouts_.idle.since(*victim))) {
    victim = m;
  }
  if (!victim) return;
  ++shed_;
  (void)stack_.abort(connections_[*victim].socket, now);
  forget(*victim);
}

void Worker::expire(io::Time now) {
  for (Timeouts* t : {&service_timeouts_, &metrics_timeouts_}) {
    while (const auto slot = t->idle.oldest()) {
      if (t->idle.since(*slot) + t->timeout > now) break;
      ++*t->counter;
      (void)stack_.abort(connections_[*slot].socket, now);
      forget(*slot);
    }
  }
}

// The app is gone; a stale entry in ready_ finds app == nullptr.
void Worker::forget(uint32_t slot) {
  Connection& c = connections_[slot];
  timeouts_of(c).idle.remove(slot);
  const bool ready = c.ready;
  c = Connection{};
  c.ready = ready;
  --open_;
}

// An app runs when its socket's poll() bits changed since it last ran (data,
// room to write, FIN, reset); it does everything it can each time, so it
// needs no other wake-up.
void Worker::serve_ready(io::Time now) {
  serving_.swap(ready_);
  for (const uint32_t slot : serving_) {
    Connection& c = connections_[slot];
    c.ready = false;
    if (c.app == nullptr) continue;  // shed or timed out since it was listed
    SocketStream stream(stack_, c.socket, now);
    if (c.app->service(stream) == AppState::kDone) {
      forget(slot);
    } else if (stream.progress && timeouts_of(c).refresh) {
      timeouts_of(c).idle.touch(slot, now);
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
  s.app_shed = shed_;
  s.app_header_timeouts = header_timeouts_;
  s.app_idle_timeouts = idle_timeouts_;
  s.loop = loop_.stats();
  board_.publish(index_, s);
}

}  // namespace tcpref::server
