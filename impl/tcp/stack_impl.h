// Stack::Impl: the tables and the per-state processing the receive path
// dispatches to. One file per job implements its part:
//   stack.cc       validation, lookup, dispatch, the socket API, timers
//   listener.cc    listener + SYN / ACK (Linux tcp_conn_request, cookie check)
//   check_req.cc   request sock + segment, SYN-ACK (re)transmission
//                  (Linux tcp_check_req, reqsk timer)
//   child.cc       child creation and accept queue admission
//                  (Linux syn_recv_sock, inet_csk_complete_hashdance)
//   fast_open.cc   TCP Fast Open on a SYN: cookie check, TFO child
//                  (Linux tcp_try_fastopen)
//   time_wait.cc   TIME-WAIT records (Linux tcp_timewait_state_process)
//   connect.cc     active open: port choice and the SYN (Linux tcp_v4_connect)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "impl/tcp/connection.h"
#include "impl/tcp/flow_index.h"
#include "impl/tcp/isn.h"
#include "impl/tcp/listener.h"
#include "impl/tcp/output.h"
#include "impl/tcp/pool.h"
#include "impl/tcp/request_sock.h"
#include "impl/tcp/socket_slot.h"
#include "impl/tcp/stack.h"
#include "impl/tcp/syn_cookie.h"
#include "impl/tcp/syn_options.h"
#include "impl/tcp/testing_hooks.h"
#include "impl/tcp/time_wait.h"
#include "impl/tcp/timer_heap.h"
#include "impl/tcp/tuple_hash.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {

inline constexpr uint32_t kNotFound = FlowIndex::kNone;

// One received segment and what the lookup learned about it: what every
// per-state handler of the receive path takes.
struct RxContext {
  const wire::Segment& seg;
  FourTuple tuple;  // local = the segment's destination
  uint64_t hash;    // hasher(tuple)
  Time now;
};

// What a new child starts from: a request sock or a validated cookie.
struct ChildParams {
  FourTuple tuple;
  uint16_t listener = 0;
  uint32_t iss = 0, irs = 0;
  SynOptions options;
  uint32_t ts_offset = 0;
  uint16_t syn_window = 0;  // the SYN's window, for MAX.SND.WND (0: unknown)
  bool from_cookie = false;
  // SYN-ACK to this ACK, when the SYN-ACK went out once (RFC 6298 §3);
  // Linux samples it too (tcp_synack_rtt_meas).
  std::optional<Time> handshake_rtt;
};

// Outcome of trying to admit a child to the accept queue.
enum class Admission : uint8_t { kQueued, kOverflow, kNoMemory };

struct Stack::Impl {
  Impl(const StackConfig& config, PacketSink& sink);

  StackConfig config;
  Counters counters;
  Output output;
  TestingHooks hooks;
  ReadinessObserver* observer = nullptr;
  TupleHasher hasher;
  IsnGenerator isn;
  SynCookies cookies;

  std::vector<Listener> listeners;
  Pool<RequestSock> requests;
  FlowIndex request_index;
  TimerHeap request_timers;
  Pool<TimeWaitSock> time_waits;
  FlowIndex time_wait_index;
  TimerHeap time_wait_timers;
  Pool<Connection> sockets;
  std::vector<SocketSlot> slots;  // beside sockets, one per slot
  FlowIndex socket_index;
  TimerHeap socket_timers;
  // receive_buffer bytes per socket slot (and as much again, rounded down
  // to a power of two, for the out-of-order queue), send_buffer bytes per
  // slot: left uninitialised so the kernel commits pages only as sockets
  // use them.
  std::unique_ptr<uint8_t[]> receive_arena;
  std::unique_ptr<uint8_t[]> ooo_arena;
  std::unique_ptr<uint8_t[]> send_arena;
  std::vector<OooRange> ooo_ranges;
  uint32_t ooo_ring = 0;  // out-of-order ring bytes per slot

  // stack.cc
  Verdict receive(std::span<const uint8_t> packet, Time now, Checksum checksum);
  void count_ipv6_rejection(wire::ParseError e);
  void count_ipv4_rejection(wire::ParseError e);
  // Martian and LAND sources, foreign destinations, port 0: the verdict
  // when the segment is dropped (each reason has its counter).
  std::optional<Verdict> address_check(const wire::Segment& seg);
  bool local_address(uint32_t addr) const;
  uint32_t find_socket(const FourTuple& t, uint64_t hash) const;
  uint32_t find_time_wait(const FourTuple& t, uint64_t hash) const;
  uint32_t find_request(const FourTuple& t, uint64_t hash) const;
  uint32_t find_listener(const Endpoint& local) const;
  Verdict socket_segment(uint32_t s, const RxContext& rx);
  void handle_event(uint32_t s, ConnectionEvent event, Time now);
  void sync_socket_timer(uint32_t s);
  // A fresh socket slot with its buffers from the arenas, or nullopt when
  // the pool is exhausted.
  std::optional<uint32_t> allocate_socket();
  void attach_buffers(uint32_t s);
  void unhash_socket(uint32_t s);
  void free_socket(uint32_t s);
  Verdict no_socket(const wire::Segment& seg);
  void send_reset(const wire::Segment& in);
  void notify(uint32_t s);
  void advance(Time now);
  // What socket `s` needs from the stack while it handles one event.
  ConnectionEnv env(uint32_t s, Time now) {
    return {config, counters, output, now, slots[s].orphaned};
  }
  // The socket or listener behind a handle the application may still use,
  // or nullptr (stale, orphaned, or a child still in the accept queue).
  Connection* live(SocketId id);
  Listener* live(ListenerId id);

  // connect.cc
  SocketId connect(Endpoint local, Endpoint remote,
                   const SocketOptions& options, Time now, Error* error);
  bool tuple_in_use(const FourTuple& t) const;
  uint32_t next_ephemeral = 0;  // RFC 6056 §3.3.3 counter

  // listener.cc
  Verdict listener_segment(uint32_t l, const RxContext& rx);
  Verdict conn_request(uint32_t l, const RxContext& rx,
                       std::optional<uint32_t> reopen_iss);  // TIME-WAIT
  Verdict cookie_ack(uint32_t l, const RxContext& rx);
  bool cookies_recent(const Listener& l, Time now) const;

  // fast_open.cc (Linux tcp_try_fastopen, tcp_fastopen_create_child)
  struct FastOpenDecision {
    bool create_child = false;
    // The cookie the TFO child's SYN-ACK carries (the client's was made
    // with the backup key), and the one a normal SYN-ACK carries (the
    // client asked for one or sent a wrong one; or no child could be made).
    std::optional<wire::FastOpenCookie> child_cookie;
    std::optional<wire::FastOpenCookie> cookie;
  };
  FastOpenDecision fast_open_decide(uint32_t l, const RxContext& rx);
  // Creates the TFO child and sends its SYN-ACK; false when no socket slot
  // is free (the SYN then gets a normal handshake).
  bool fast_open_child(uint32_t l, const RxContext& rx, const SynOptions& o,
                       uint32_t iss, uint32_t ts_offset,
                       const std::optional<wire::FastOpenCookie>& cookie);
  // A TFO child that left SYN-RECEIVED (or is being freed) stops counting
  // against its listener's queue_length.
  void settle_fast_open(uint32_t s);

  // check_req.cc
  Verdict request_segment(uint32_t r, const RxContext& rx);
  void send_synack(
      const RequestSock& r, Time now,
      const std::optional<wire::FastOpenCookie>& cookie = std::nullopt);
  void send_request_ack(const RequestSock& r, Time now);
  void request_timer(uint32_t r, Time now);
  void free_request(uint32_t r, uint64_t hash);

  // child.cc
  // `rx` is the handshake's ACK, for p.tuple.
  Admission admit_child(const ChildParams& p, const RxContext& rx,
                        uint32_t* socket);

  // time_wait.cc
  Verdict time_wait_segment(uint32_t tw, const RxContext& rx);
  void enter_time_wait(uint32_t s, Time now);
  void free_time_wait(uint32_t tw, uint64_t hash);
};

}  // namespace tcpref::tcp
