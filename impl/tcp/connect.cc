// Active open (Linux tcp_v4_connect): pick a local port, send the SYN.
#include "impl/tcp/address.h"
#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

namespace {
// RFC 6335 §6: the dynamic port range.
constexpr uint32_t kEphemeralFirst = 49152;
constexpr uint32_t kEphemeralCount = 65536 - kEphemeralFirst;
}  // namespace

bool Stack::Impl::tuple_in_use(const FourTuple& t) const {
  const uint64_t hash = hasher(t);
  return find_socket(t, hash) != kNotFound ||
         find_time_wait(t, hash) != kNotFound ||
         find_request(t, hash) != kNotFound;
}

SocketId Stack::Impl::connect(Endpoint local, Endpoint remote,
                              const SocketOptions& options, Time now,
                              Error* error) {
  auto fail = [&](Error e) {
    if (error) *error = e;
    return SocketId{};
  };
  if (bad_address(local.addr) || bad_address(remote.addr) || remote.port == 0) {
    return fail(Error::kInvalidArgument);
  }
  if (const Error e = check_socket_options(options); e != Error::kOk)
    return fail(e);
  if (sockets.full()) return fail(Error::kNoMemory);
  FourTuple t{local, remote};
  if (local.port == 0) {
    // RFC 6056 §3.3.3: a keyed hash of the destination picks where to start,
    // a counter moves on from there; the first free tuple wins.
    const uint64_t offset = hasher(FourTuple{{local.addr, 0}, remote});
    bool found = false;
    for (uint32_t i = 0; i < kEphemeralCount && !found; ++i) {
      t.local.port = static_cast<uint16_t>(
          kEphemeralFirst + (offset + next_ephemeral + i) % kEphemeralCount);
      if (!tuple_in_use(t)) {
        next_ephemeral += i + 1;
        found = true;
      }
    }
    if (!found) return fail(Error::kAddressInUse);
  } else if (tuple_in_use(t)) {
    return fail(Error::kAddressInUse);
  }

  const uint32_t s = *allocate_socket();
  Connection& c = sockets[s];
  const IsnResult id = isn.generate(t, now);
  c.tuple = t;
  c.snd.iss = id.iss;
  c.ts_offset = id.ts_offset;
  c.snd.una = c.snd.iss;
  c.snd.nxt = c.snd.iss + 1;
  c.rcv.wscale = std::min(config.window_scale, kMaxWindowScale);
  c.sockopt = options;
  c.adv_mss = advertised_mss(config, options.max_segment);
  slots[s].hashed = true;
  socket_index.insert(s, hasher(t));
  c.set_state(TcpState::kSynSent, counters);
  ++counters.ActiveOpens;
  ConnectionEnv e = env(s, now);
  c.send_syn(e);
  c.snd.timer_due = now + config.synack_initial_rto;
  sync_socket_timer(s);
  if (error) *error = Error::kOk;
  return SocketId{s, sockets.generation(s)};
}

}  // namespace tcpref::tcp
