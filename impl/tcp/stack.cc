// Stack: validation, lookup and dispatch (Linux tcp_v4_rcv), the socket API
// and the timer entry point.
#include "impl/tcp/stack.h"

#include <algorithm>

#include "impl/tcp/address.h"
#include "impl/tcp/fast_open_cookie.h"
#include "impl/tcp/reset.h"
#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

namespace {

std::array<uint8_t, 16> derive_table_key(const std::array<uint8_t, 16>& k) {
  // The flow-table hash key must not equal the ISN key; any fixed
  // transformation of it keeps runs reproducible.
  std::array<uint8_t, 16> out = k;
  for (size_t i = 0; i < out.size(); ++i)
    out[i] ^= static_cast<uint8_t>(0xA5 + i);
  return out;
}

// Out-of-order ranges per socket: beyond a handful of holes per window,
// Linux's queue also prunes.
constexpr uint32_t kOooRanges = 16;

uint32_t floor_pow2(uint32_t n) {
  uint32_t p = 1;
  while (p <= n / 2) p *= 2;
  return n == 0 ? 0 : p;
}

}  // namespace

Stack::Impl::Impl(const StackConfig& c, PacketSink& sink)
    : config(c),
      output(sink, counters, c.mtu),
      hasher(derive_table_key(c.isn_key)),
      isn(c.isn_key),
      cookies(c.cookie_key),
      // Request socks and children name their listener in 16 bits.
      listeners(std::min<uint32_t>(c.max_listeners, UINT16_MAX)),
      requests(c.max_request_socks),
      request_index(c.max_request_socks),
      request_timers(c.max_request_socks),
      time_waits(c.max_time_wait),
      time_wait_index(c.max_time_wait),
      time_wait_timers(c.max_time_wait),
      sockets(c.max_sockets),
      slots(c.max_sockets),
      socket_index(c.max_sockets),
      socket_timers(c.max_sockets),
      receive_arena(
          new uint8_t[static_cast<size_t>(c.max_sockets) * c.receive_buffer]),
      ooo_arena(new uint8_t[static_cast<size_t>(c.max_sockets) *
                            floor_pow2(c.receive_buffer)]),
      send_arena(
          new uint8_t[static_cast<size_t>(c.max_sockets) * c.send_buffer]),
      ooo_ranges(static_cast<size_t>(c.max_sockets) * kOooRanges),
      ooo_ring(floor_pow2(c.receive_buffer)) {}

std::optional<uint32_t> Stack::Impl::allocate_socket() {
  const std::optional<uint32_t> s = sockets.allocate();
  if (!s) return std::nullopt;
  slots[*s] = SocketSlot{};
  attach_buffers(*s);
  return s;
}

void Stack::Impl::attach_buffers(uint32_t s) {
  Connection& c = sockets[s];
  const size_t i = s;
  c.rcv.buffer = ReceiveBuffer(std::span<uint8_t>(
      receive_arena.get() + i * config.receive_buffer, config.receive_buffer));
  c.rcv.ooo = Reassembly(
      std::span<uint8_t>(ooo_arena.get() + i * ooo_ring, ooo_ring),
      std::span<OooRange>(ooo_ranges.data() + i * kOooRanges, kOooRanges));
  c.snd.buffer = SendBuffer(std::span<uint8_t>(
      send_arena.get() + i * config.send_buffer, config.send_buffer));
}

namespace {
// kInvalidArgument for TFO on with an all-zero primary or backup key.
Error check_fast_open(const FastOpenOptions& o) {
  if (o.queue_length == 0) return Error::kOk;  // TFO off: keys unused
  if (!fast_open_key_usable(o.key) ||
      (o.backup_key && !fast_open_key_usable(*o.backup_key))) {
    return Error::kInvalidArgument;
  }
  return Error::kOk;
}

// Fuzz builds (OSS-Fuzz and --config=fuzz define the macro) skip checksum
// verification so mutated packets reach the state machine; packet_fuzzer's
// custom mutator repairs checksums, so it also works with verification on.
constexpr wire::ParseOptions kReceiveParse{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    .verify_checksums = false,
#else
    .verify_checksums = true,
#endif
};
}  // namespace

Verdict Stack::Impl::receive(std::span<const uint8_t> packet, Time now,
                             Checksum checksum) {
  wire::ParseOptions parse = kReceiveParse;
  parse.tcp_checksum_trusted = checksum == Checksum::kTrustedDevice;
  const wire::PacketParse p = wire::parse_packet(packet, parse);
  if (!p.ok()) {
    ++counters.InMalformed;
    switch (p.error) {
      case wire::ParseError::kTcpBadChecksum:
        // Linux counts InSegs before the checksum check, then CsumErrors.
        ++counters.InSegs;
        ++counters.CsumErrors;
        ++counters.InErrs;
        break;
      case wire::ParseError::kTcpTruncated:
      case wire::ParseError::kTcpBadDataOffset:
      case wire::ParseError::kTcpDataOffsetPastEnd:
        ++counters.InErrs;
        ++counters.TCPHeaderDrop;
        break;
      case wire::ParseError::kTcpBadOptions:
        ++counters.InErrs;
        ++counters.TCPBadOptionsDrop;
        break;
      default:  // IP-level rejection: not a TCP segment at all
        if (!packet.empty() && (packet[0] >> 4) == 6) {
          count_ipv6_rejection(p.error);
        } else {
          count_ipv4_rejection(p.error);
        }
        break;
    }
    return Verdict::kDroppedMalformed;
  }
  ++counters.InSegs;
  const wire::Segment& seg = p.segment;
  if (const std::optional<Verdict> v = address_check(seg)) return *v;
  const FourTuple t{{seg.dst_addr, seg.dst_port}, {seg.src_addr, seg.src_port}};
  const uint64_t hash = hasher(t);
  const RxContext rx{seg, t, hash, now};
  // Lookup order (Linux __inet_lookup_skb): established/child, TIME-WAIT,
  // request sock, listener. A tuple lives in at most one of the tables.
  if (const uint32_t s = find_socket(t, hash); s != kNotFound) {
    return socket_segment(s, rx);
  }
  if (const uint32_t tw = find_time_wait(t, hash); tw != kNotFound) {
    return time_wait_segment(tw, rx);
  }
  if (const uint32_t r = find_request(t, hash); r != kNotFound) {
    return request_segment(r, rx);
  }
  if (const uint32_t l = find_listener(t.local); l != kNotFound) {
    return listener_segment(l, rx);
  }
  return no_socket(seg);
}

void Stack::Impl::count_ipv4_rejection(wire::ParseError e) {
  // Linux's IP MIB (/proc/net/snmp Ip, RFC 4293), as ip_rcv counts them.
  switch (e) {
    case wire::ParseError::kIpTruncated:
      ++counters.InTruncatedPkts;
      return;
    case wire::ParseError::kIpBadChecksum:
      ++counters.InCsumErrors;
      ++counters.InHdrErrors;
      return;
    case wire::ParseError::kIpFragment:
      ++counters.ReasmFails;  // no reassembly: every fragment fails
      return;
    case wire::ParseError::kNotTcp:
      ++counters.InUnknownProtos;
      return;
    default:  // version, IHL, total length
      ++counters.InHdrErrors;
      return;
  }
}

std::optional<Verdict> Stack::Impl::address_check(const wire::Segment& seg) {
  // IPv6 segments parse (impl/wire) but the tables hold IPv4 4-tuples until
  // they take both families: until then an IPv6 segment is an address the
  // stack does not serve.
  if (seg.is_v6()) {
    ++counters.InAddrErrors;
    return Verdict::kDroppedMalformed;
  }
  // RFC 1122 §3.2.1.3: martian sources, and LAND (a segment from our own
  // address to itself: answering it talks to ourselves).
  if (martian_source(seg.src_addr)) {
    ++counters.MartianSrcDrop;
    return Verdict::kDroppedMalformed;
  }
  if (seg.src_addr == seg.dst_addr) {
    ++counters.LandDrop;
    return Verdict::kDroppedMalformed;
  }
  // RFC 1122 §3.2.1.3 / §4.2.3.10: only our own unicast addresses.
  if (bad_address(seg.dst_addr) || !local_address(seg.dst_addr)) {
    ++counters.InAddrErrors;
    return Verdict::kDroppedMalformed;
  }
  // Port 0 names no endpoint (RFC 6335 §6: reserved).
  if (seg.src_port == 0 || seg.dst_port == 0) {
    ++counters.ZeroPortDrop;
    return Verdict::kDroppedMalformed;
  }
  return std::nullopt;
}

bool Stack::Impl::local_address(uint32_t addr) const {
  bool any = false;
  for (const uint32_t a : config.local_addresses) {
    if (a == addr) return true;
    any = any || a != 0;
  }
  return !any;
}

void Stack::Impl::count_ipv6_rejection(wire::ParseError e) {
  // Linux's IPv6 MIB (/proc/net/snmp6): ipv6_rcv and the extension-header
  // handlers count these before TCP sees the packet.
  switch (e) {
    case wire::ParseError::kIp6BadPayloadLength:
      ++counters.Ip6InTruncatedPkts;
      return;
    case wire::ParseError::kIpFragment:
      ++counters.Ip6ReasmFails;  // no reassembly: every fragment fails
      return;
    case wire::ParseError::kNotTcp:
    case wire::ParseError::kIp6UnsupportedExtension:
      ++counters.Ip6InUnknownProtos;
      return;
    default:  // fixed header, extension headers, options
      ++counters.Ip6InHdrErrors;
      return;
  }
}

uint32_t Stack::Impl::find_socket(const FourTuple& t, uint64_t hash) const {
  return socket_index.find(hash,
                           [&](uint32_t s) { return sockets[s].tuple == t; });
}
uint32_t Stack::Impl::find_time_wait(const FourTuple& t, uint64_t hash) const {
  return time_wait_index.find(
      hash, [&](uint32_t w) { return time_waits[w].tuple == t; });
}
uint32_t Stack::Impl::find_request(const FourTuple& t, uint64_t hash) const {
  return request_index.find(hash,
                            [&](uint32_t r) { return requests[r].tuple == t; });
}

uint32_t Stack::Impl::find_listener(const Endpoint& local) const {
  // A listener on the exact address wins over a wildcard one.
  uint32_t wildcard = kNotFound;
  for (uint32_t i = 0; i < listeners.size(); ++i) {
    const Listener& l = listeners[i];
    if (!l.in_use || l.local.port != local.port) continue;
    if (l.local.addr == local.addr) return i;
    if (l.local.addr == 0) wildcard = i;
  }
  return wildcard;
}

Verdict Stack::Impl::socket_segment(uint32_t s, const RxContext& rx) {
  ConnectionEnv e = env(s, rx.now);
  const uint32_t before = sockets[s].poll();
  const ConnectionResult r = sockets[s].on_segment(rx.seg, e);
  handle_event(s, r.event, rx.now);
  if (sockets.in_use(s) && sockets[s].poll() != before) notify(s);
  return r.verdict;
}

void Stack::Impl::handle_event(uint32_t s, ConnectionEvent event, Time now) {
  settle_fast_open(s);
  switch (event) {
    case ConnectionEvent::kNone:
      sync_socket_timer(s);
      return;
    case ConnectionEvent::kTimeWait:
      enter_time_wait(s, now);
      return;
    case ConnectionEvent::kClosed:
      unhash_socket(s);
      if (slots[s].queued) {
        // Reset before accept(): nobody will ever read it, so it leaves the
        // queue (docs/LISTENER.md).
        listeners[slots[s].listener].accept_queue.remove(s, slots);
        free_socket(s);
      } else if (slots[s].orphaned) {
        free_socket(s);
      }
      return;
  }
}

void Stack::Impl::sync_socket_timer(uint32_t s) {
  settle_fast_open(s);
  const Time due = sockets[s].deadline();
  if (due == Time{0}) {
    socket_timers.cancel(s);
  } else {
    socket_timers.schedule(s, due);
  }
}

void Stack::Impl::unhash_socket(uint32_t s) {
  Connection& c = sockets[s];
  if (slots[s].hashed) socket_index.erase(s, hasher(c.tuple));
  slots[s].hashed = false;
  c.snd.timer_due = c.linger_due = Time{0};
  c.rcv.dack.on_ack_sent();
  socket_timers.cancel(s);
}

void Stack::Impl::free_socket(uint32_t s) {
  unhash_socket(s);
  Connection& c = sockets[s];
  if (c.state != TcpState::kClosed) c.set_state(TcpState::kClosed, counters);
  settle_fast_open(s);
  sockets.release(s);
}

Verdict Stack::Impl::no_socket(const wire::Segment& seg) {
  // RFC 9293 §3.10.7.1: CLOSED — reset anything but a reset.
  ++counters.NoSocket;
  send_reset(seg);
  return Verdict::kDroppedNoSocket;
}

void Stack::Impl::send_reset(const wire::Segment& in) {
  if (const auto rst = reset_for(in)) output.send(*rst);
}

void Stack::Impl::notify(uint32_t s) {
  if (observer == nullptr || slots[s].queued || slots[s].orphaned) return;
  observer->on_ready(SocketId{s, sockets.generation(s)}, sockets[s].poll());
}

void Stack::Impl::advance(Time now) {
  while (const auto r = request_timers.pop_due(now)) request_timer(*r, now);
  while (const auto w = time_wait_timers.pop_due(now)) {
    ++counters.TW;
    free_time_wait(*w, hasher(time_waits[*w].tuple));
  }
  while (const auto s = socket_timers.pop_due(now)) {
    ConnectionEnv e = env(*s, now);
    const uint32_t before = sockets[*s].poll();
    handle_event(*s, sockets[*s].on_timer(e), now);
    if (sockets.in_use(*s) && sockets[*s].poll() != before) notify(*s);
  }
}

// ---- Stack: the public API over Impl ----

Stack::Stack(const StackConfig& config, PacketSink& sink)
    : impl_(new Impl(config, sink)) {}
Stack::~Stack() { delete impl_; }

Verdict Stack::receive(std::span<const uint8_t> ip_packet, Time now,
                       Checksum checksum) {
  return impl_->receive(ip_packet, now, checksum);
}

void Stack::advance(Time now) { impl_->advance(now); }

std::optional<Time> Stack::next_timer() const {
  std::optional<Time> next;
  for (const auto t :
       {impl_->request_timers.next(), impl_->time_wait_timers.next(),
        impl_->socket_timers.next()}) {
    if (t && (!next || *t < *next)) next = t;
  }
  return next;
}

ListenerId Stack::listen(Endpoint local, const ListenOptions& options,
                         Error* error) {
  auto fail = [&](Error e) {
    if (error) *error = e;
    return ListenerId{};
  };
  if (local.port == 0) return fail(Error::kInvalidArgument);
  if (const Error e = check_socket_options(options.socket); e != Error::kOk) {
    return fail(e);
  }
  if (const Error e = check_fast_open(options.fast_open); e != Error::kOk) {
    return fail(e);
  }
  uint32_t free_slot = kNotFound;
  for (uint32_t i = 0; i < impl_->listeners.size(); ++i) {
    const Listener& l = impl_->listeners[i];
    if (l.in_use && l.local == local) return fail(Error::kAddressInUse);
    if (!l.in_use && free_slot == kNotFound) free_slot = i;
  }
  if (free_slot == kNotFound) return fail(Error::kNoMemory);
  Listener& l = impl_->listeners[free_slot];
  l = Listener{};
  l.in_use = true;
  l.local = local;
  l.options = options;
  if (error) *error = Error::kOk;
  return ListenerId{free_slot};
}

SocketId Stack::accept(ListenerId listener, Time) {
  if (!listener.valid() || listener.index >= impl_->listeners.size() ||
      !impl_->listeners[listener.index].in_use) {
    return {};
  }
  const uint32_t s =
      impl_->listeners[listener.index].accept_queue.pop(impl_->slots);
  if (s == AcceptQueue::kNone) return {};
  return SocketId{s, impl_->sockets.generation(s)};
}

void Stack::close_listener(ListenerId listener, Time now) {
  if (!listener.valid() || listener.index >= impl_->listeners.size()) return;
  Listener& l = impl_->listeners[listener.index];
  if (!l.in_use) return;
  // Children nobody accepted are reset (Linux inet_csk_listen_stop).
  for (uint32_t s;
       (s = l.accept_queue.pop(impl_->slots)) != AcceptQueue::kNone;) {
    ConnectionEnv e = impl_->env(s, now);
    impl_->sockets[s].abort(e);
    impl_->free_socket(s);
  }
  // Accepted TFO children still in SYN-RECEIVED outlive the listener; they
  // stop counting against it.
  for (uint32_t s = 0; s < impl_->sockets.capacity(); ++s) {
    if (impl_->sockets.in_use(s) && impl_->slots[s].tfo_counted &&
        impl_->slots[s].listener == listener.index) {
      impl_->slots[s].tfo_counted = false;
    }
  }
  for (uint32_t r = 0; r < impl_->requests.capacity(); ++r) {
    if (impl_->requests.in_use(r) &&
        impl_->requests[r].listener == listener.index) {
      impl_->free_request(r, impl_->hasher(impl_->requests[r].tuple));
    }
  }
  l = Listener{};
}

uint32_t Stack::accept_queue_length(ListenerId listener) const {
  if (!listener.valid() || listener.index >= impl_->listeners.size()) return 0;
  return impl_->listeners[listener.index].accept_queue.length();
}

uint32_t Stack::syn_queue_length(ListenerId listener) const {
  if (!listener.valid() || listener.index >= impl_->listeners.size()) return 0;
  return impl_->listeners[listener.index].syn_queue_length;
}

Error Stack::set_fast_open(ListenerId listener,
                           const FastOpenOptions& options) {
  if (!listener.valid() || listener.index >= impl_->listeners.size() ||
      !impl_->listeners[listener.index].in_use) {
    return Error::kBadHandle;
  }
  if (const Error e = check_fast_open(options); e != Error::kOk) return e;
  impl_->listeners[listener.index].options.fast_open = options;
  return Error::kOk;
}

uint32_t Stack::fast_open_pending(ListenerId listener) const {
  if (!listener.valid() || listener.index >= impl_->listeners.size()) return 0;
  return impl_->listeners[listener.index].fast_open_pending;
}

SocketId Stack::connect(Endpoint local, Endpoint remote, Time now,
                        Error* error) {
  return impl_->connect(local, remote, SocketOptions{}, now, error);
}

SocketId Stack::connect(Endpoint local, Endpoint remote,
                        const SocketOptions& options, Time now, Error* error) {
  return impl_->connect(local, remote, options, now, error);
}

Connection* Stack::Impl::live(SocketId id) {
  if (!id.valid() || !sockets.in_use(id.index) ||
      sockets.generation(id.index) != id.generation ||
      slots[id.index].orphaned || slots[id.index].queued) {
    return nullptr;
  }
  return &sockets[id.index];
}

Listener* Stack::Impl::live(ListenerId id) {
  if (!id.valid() || id.index >= listeners.size() ||
      !listeners[id.index].in_use) {
    return nullptr;
  }
  return &listeners[id.index];
}

IoResult Stack::read(SocketId socket, std::span<uint8_t> out, Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return {0, Error::kBadHandle};
  ConnectionEnv e = impl_->env(socket.index, now);
  const IoResult r = c->read(out, e);
  impl_->sync_socket_timer(socket.index);
  return r;
}

IoResult Stack::write(SocketId socket, std::span<const uint8_t> data,
                      Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return {0, Error::kBadHandle};
  ConnectionEnv e = impl_->env(socket.index, now);
  const IoResult r = c->write(data, e);
  impl_->sync_socket_timer(socket.index);
  return r;
}

Error Stack::shutdown_write(SocketId socket, Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return Error::kBadHandle;
  ConnectionEnv e = impl_->env(socket.index, now);
  const Error err = c->shutdown_write(e);
  impl_->sync_socket_timer(socket.index);
  return err;
}

Error Stack::close(SocketId socket, Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return Error::kBadHandle;
  impl_->slots[socket.index].orphaned = true;
  ConnectionEnv e = impl_->env(socket.index, now);
  impl_->handle_event(socket.index, c->close(e), now);
  return Error::kOk;
}

Error Stack::abort(SocketId socket, Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return Error::kBadHandle;
  ConnectionEnv e = impl_->env(socket.index, now);
  c->abort(e);
  impl_->free_socket(socket.index);
  return Error::kOk;
}

uint32_t Stack::poll(SocketId socket) const {
  Connection* c = impl_->live(socket);
  return c == nullptr ? 0 : c->poll();
}

uint32_t Stack::poll(ListenerId listener) const {
  return accept_queue_length(listener) > 0 ? ready::kAcceptable : 0;
}

std::optional<FourTuple> Stack::tuple(SocketId socket) const {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return std::nullopt;
  return c->tuple;
}

uint32_t Stack::records(const FourTuple& t) const {
  const uint64_t hash = impl_->hasher(t);
  const Impl& i = *impl_;
  return i.socket_index.count(hash, [&](uint32_t s) {
    return i.sockets[s].tuple == t;
  }) + i.time_wait_index.count(hash, [&](uint32_t w) {
    return i.time_waits[w].tuple == t;
  }) + i.request_index.count(hash, [&](uint32_t r) {
    return i.requests[r].tuple == t;
  });
}

ConnectionView Stack::inspect(const FourTuple& t) const {
  const uint64_t hash = impl_->hasher(t);
  if (const uint32_t s = impl_->find_socket(t, hash); s != kNotFound) {
    ConnectionView v = impl_->sockets[s].view();
    if (impl_->slots[s].queued) v.kind = RecordKind::kChildQueued;
    return v;
  }
  if (const uint32_t w = impl_->find_time_wait(t, hash); w != kNotFound) {
    const TimeWaitSock& tw = impl_->time_waits[w];
    ConnectionView v;
    v.kind = RecordKind::kTimeWait;
    v.state = TcpState::kTimeWait;
    v.snd_una = v.snd_nxt = tw.snd_nxt;
    v.rcv_nxt = tw.rcv_nxt;
    v.timestamps_ok = tw.ts_ok;
    v.ts_recent = tw.ts_recent;
    return v;
  }
  if (const uint32_t r = impl_->find_request(t, hash); r != kNotFound) {
    const RequestSock& rs = impl_->requests[r];
    SynOptions o;
    unpack_bits(rs.options, o);
    ConnectionView v;
    v.kind = RecordKind::kRequestSock;
    v.state = TcpState::kSynReceived;
    v.iss = rs.iss;
    v.irs = rs.irs;
    v.snd_una = rs.iss;
    v.snd_nxt = rs.iss + 1;
    v.rcv_nxt = rs.irs + 1;
    v.snd_wnd = rs.snd_wnd;
    v.rcv_wnd = synack_window(impl_->config);
    v.mss = rs.mss;
    v.send_mss = payload_mss(rs.mss, o.ts_ok);
    v.adv_mss = advertised_mss(
        impl_->config,
        impl_->listeners[rs.listener].options.socket.max_segment);
    v.snd_wscale = rs.snd_wscale;
    v.rcv_wscale = rs.rcv_wscale;
    v.sack_ok = o.sack_ok;
    v.timestamps_ok = o.ts_ok;
    v.ecn_ok = o.ecn_ok;
    v.ts_recent = rs.ts_recent;
    v.retransmits = rs.retransmits;
    return v;
  }
  return {};
}

const Counters& Stack::counters() const { return impl_->counters; }

void Stack::set_observer(ReadinessObserver* observer) {
  impl_->observer = observer;
}

TestingHooks& TestingAccess::hooks(Stack& stack) { return stack.impl_->hooks; }

}  // namespace tcpref::tcp
