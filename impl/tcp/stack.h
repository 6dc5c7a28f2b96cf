// The user-space TCP stack: one entry point for packets (`receive`), one for
// time (`advance`), a socket-like API, and counters. Deterministic: the stack
// never reads a clock, never does I/O, and draws no randomness of its own —
// time is an argument, packets out go to the caller's PacketSink, and secrets
// come in through StackConfig.
//
// The receive path follows Linux's (tcp_v4_rcv): validate → look up
// (established/child → TIME-WAIT → request sock → listener) → per-state
// processing → child socket → accept queue. See docs/ARCHITECTURE.md.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "impl/tcp/counters.h"

namespace tcpref::tcp {

// Monotonic time since an arbitrary epoch chosen by the caller.
using Time = std::chrono::microseconds;

struct Endpoint {
  uint32_t addr = 0;  // IPv4, host byte order; 0 = wildcard (listen only)
  uint16_t port = 0;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct FourTuple {
  Endpoint local;
  Endpoint remote;
  friend bool operator==(const FourTuple&, const FourTuple&) = default;
};

// Where emitted packets go. The span is valid only during the call.
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  virtual void send(std::span<const uint8_t> ip_packet) = 0;
};

enum class SynCookieMode : uint8_t {
  kOff,
  kWhenSynQueueFull,  // Linux net.ipv4.tcp_syncookies=1 (default)
  kAlways,            // Linux net.ipv4.tcp_syncookies=2
};

enum class OverflowPolicy : uint8_t {
  kDrop,   // drop the final ACK; SYN-ACK retransmission retries (default)
  kReset,  // send RST (Linux net.ipv4.tcp_abort_on_overflow=1)
};

// TCP Fast Open, server side (RFC 7413), per listener. Off unless
// queue_length > 0 (Linux: the TCP_FASTOPEN socket option, or
// net.ipv4.tcp_fastopen's 0x400 bit with the listen backlog).
struct FastOpenOptions {
  // TFO children allowed in SYN-RECEIVED at once (RFC 7413 §5.1; Linux's
  // fastopenq.max_qlen). Beyond it a SYN gets a normal handshake.
  uint32_t queue_length = 0;
  // Data on any SYN makes a TFO child, cookie or not (Linux
  // TFO_SERVER_COOKIE_NOT_REQD, tcp_fastopen bit 0x200).
  bool cookie_not_required = false;
  // Cookies are made with `key` and accepted under it or `backup_key`
  // (Linux net.ipv4.tcp_fastopen_key "primary,backup").
  std::array<uint8_t, 16> key{};
  std::optional<std::array<uint8_t, 16>> backup_key;
};

// Per-socket TCP options (Linux setsockopt at IPPROTO_TCP). A listener's
// are copied into every child it creates, as Linux's children inherit the
// listener's settings.
struct SocketOptions {
  // TCP_MAXSEG (Linux user_mss): clamps the MSS we advertise and the one we
  // send with, when the MSS is negotiated (SYN / SYN-ACK); 0: no clamp.
  // Valid: 0 or kMinUserMss..kMaxUserMss, Linux's bounds.
  uint16_t max_segment = 0;
  // TCP_USER_TIMEOUT (RFC 5482, RFC 9293 §3.8.3): how long sent data may
  // stay unacknowledged before the connection is reset; it also replaces
  // orphan_retries as the bound on a closed socket's FIN. 0:
  // StackConfig::user_timeout.
  Time user_timeout{0};
  // TCP_NODELAY: Nagle off for this socket (RFC 1122 §4.2.3.4).
  bool nodelay = false;
  friend bool operator==(const SocketOptions&, const SocketOptions&) = default;
};
inline constexpr uint16_t kMinUserMss = 88;     // Linux TCP_MIN_MSS
inline constexpr uint16_t kMaxUserMss = 32767;  // Linux MAX_TCP_WINDOW

struct ListenOptions {
  // Linux semantics: the accept queue is full when more than `backlog`
  // children wait, so backlog N admits N+1 (backlog 0 admits 1).
  uint32_t backlog = 128;
  uint32_t syn_queue_limit = 256;  // request socks for this listener
  SynCookieMode syn_cookies = SynCookieMode::kWhenSynQueueFull;
  OverflowPolicy overflow = OverflowPolicy::kDrop;
  uint8_t synack_retries = 5;  // then the request sock is removed
  FastOpenOptions fast_open{};
  SocketOptions socket{};  // inherited by children
};

struct StackConfig {
  // Table bounds; all memory is allocated up front from these.
  uint32_t max_listeners = 16;
  uint32_t max_request_socks = 4096;  // shared pool over all listeners
  uint32_t max_sockets = 4096;        // children + established connections
  uint32_t max_time_wait = 4096;
  // Our MSS advertisement is interface MTU − 40.
  uint16_t mtu = 1500;
  uint8_t window_scale = 7;  // offered when the peer offers (≤ 14)
  uint32_t receive_buffer = 256 * 1024;
  uint32_t send_buffer = 256 * 1024;
  bool timestamps = true;  // RFC 7323
  bool sack = true;        // RFC 2018
  bool ecn = true;         // RFC 3168 §6.1.1: accept ECN setup
  bool rfc1337 = true;     // RST does not end TIME-WAIT
  std::chrono::seconds time_wait_duration{60};        // 2·MSL
  Time synack_initial_rto = std::chrono::seconds(1);  // RFC 6298 §2.1
  // A closed socket's FIN is retransmitted (RTO from synack_initial_rto,
  // doubling) this many times before it is reset (Linux tcp_orphan_retries).
  uint8_t orphan_retries = 5;
  // connect(): SYN retransmissions before giving up (Linux tcp_syn_retries).
  uint8_t syn_retries = 6;
  // How long a closed socket waits in FIN-WAIT-2 (Linux tcp_fin_timeout).
  Time fin_timeout = std::chrono::seconds(60);
  // Data transfer.
  bool nagle = true;  // RFC 1122 §4.2.3.4; false is TCP_NODELAY
  // RFC 6298 §2.4 says 1 s; Linux's TCP_RTO_MIN is 200 ms.
  Time min_rto = std::chrono::milliseconds(200);
  // RFC 1122 §4.2.3.2: below 0.5 s; Linux's TCP_ATO_MIN is 40 ms.
  Time delayed_ack = std::chrono::milliseconds(40);
  // RFC 9293 §3.8.3 USER TIMEOUT (RFC 793 suggested 5 minutes): how long
  // sent data may stay unacknowledged before the connection is reset.
  Time user_timeout = std::chrono::minutes(5);
  // Per-connection challenge ACK budget (RFC 5961 §7; no global counter, which
  // was CVE-2016-5696's side channel).
  uint32_t challenge_acks_per_second = 10;
  // The stack's own IPv4 addresses (RFC 1122 §3.2.1.3): a segment to any
  // other destination is dropped (InAddrErrors). Unused entries are 0; all
  // 0 (the default, for tests and fuzzers that do not care) accepts any
  // destination that is not broadcast or multicast.
  std::array<uint32_t, 4> local_addresses{};
  // Secrets for ISS (RFC 6528) and SYN cookies. The caller supplies them
  // (the server from libsodium's randombytes; tests a fixed value) so runs
  // are reproducible.
  std::array<uint8_t, 16> isn_key{};
  std::array<uint8_t, 16> cookie_key{};
};

// A socket handle: index into a preallocated table plus a generation, so a
// stale handle never reaches a reused slot.
struct SocketId {
  uint32_t index = UINT32_MAX;
  uint32_t generation = 0;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(const SocketId&, const SocketId&) = default;
};

struct ListenerId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(const ListenerId&, const ListenerId&) = default;
};

// Readiness bits, like poll(2) events.
namespace ready {
inline constexpr uint32_t kReadable = 1u << 0;  // data, or EOF from the peer
inline constexpr uint32_t kWritable = 1u << 1;
inline constexpr uint32_t kClosed = 1u
                                    << 2;  // fully closed, handle may be freed
inline constexpr uint32_t kReset = 1u << 3;  // the peer reset the connection
inline constexpr uint32_t kAcceptable =
    1u << 4;  // listener: accept() would succeed
}  // namespace ready

enum class Error : uint8_t {
  kOk = 0,
  kWouldBlock,
  kBadHandle,
  kAddressInUse,
  kNoMemory,  // a table is full
  kInvalidArgument,
  kNotConnected,
  kConnectionReset,
  kClosed,    // write after shutdown/close
  kTimedOut,  // the user timeout reset the connection
};

[[nodiscard]] std::string_view to_string(Error e);

// kOk when every socket option is within Linux's bounds, else
// kInvalidArgument (for callers that hold options before a socket exists).
[[nodiscard]] Error check_socket_options(const SocketOptions& options);

struct IoResult {
  size_t bytes = 0;
  Error error = Error::kOk;
};

// Whether receive() checks the TCP checksum: kTrustedDevice when the device
// vouches for it (virtio-net NEEDS_CSUM or DATA_VALID on a TUN frame from
// the local kernel, whose checksum field then holds only a partial sum).
enum class Checksum : uint8_t { kVerify, kTrustedDevice };

// What receive() did with a packet. Every drop has a reason; each reason has
// a counter in Counters.
enum class Verdict : uint8_t {
  kAccepted = 0,      // processed by some socket (may have replied)
  kDroppedMalformed,  // failed wire validation (see Counters)
  kDroppedNoSocket,   // no socket: RST sent unless the segment was a RST
  kDroppedInvalid,    // a socket saw it and discarded it per the RFCs
};

// The kind of record the stack holds for one 4-tuple (for tests, the model
// abstraction and fuzz invariants).
enum class RecordKind : uint8_t {
  kNone,
  kRequestSock,  // SYN-RECEIVED
  kChildQueued,  // ESTABLISHED (or later) child waiting in the accept queue
  kSocket,       // accepted or connect()ed socket; see tcp_state
  kTimeWait,
};

enum class TcpState : uint8_t {
  kClosed,
  kListen,
  kSynSent,
  kSynReceived,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kCloseWait,
  kClosing,
  kLastAck,
  kTimeWait,
};
[[nodiscard]] std::string_view to_string(TcpState s);

// A read-only snapshot of one connection's variables (RFC 9293 §3.3.1 names).
struct ConnectionView {
  RecordKind kind = RecordKind::kNone;
  TcpState state = TcpState::kClosed;
  uint32_t iss = 0, irs = 0;
  uint32_t snd_una = 0, snd_nxt = 0, rcv_nxt = 0;
  uint32_t snd_wnd = 0, rcv_wnd = 0;
  uint16_t mss = 0;       // negotiated MSS: min(peer's, ours)
  uint16_t send_mss = 0;  // payload of a full segment (mss less TS option)
  uint16_t adv_mss = 0;   // the MSS we advertised
  uint8_t snd_wscale = 0, rcv_wscale = 0;
  bool sack_ok = false, timestamps_ok = false, ecn_ok = false;
  uint32_t ts_recent = 0;
  // Text held out of order (RFC 9293 §3.10.7.4 "seventh"): how many bytes,
  // and the lowest sequence number held (meaningful when ooo_bytes > 0).
  uint32_t ooo_bytes = 0, ooo_left = 0;
  uint8_t retransmits = 0;  // SYN-ACK retransmissions so far (request sock)
  bool from_cookie = false;
  bool fast_open = false;  // a TFO child still in SYN-RECEIVED (RFC 7413)
  bool syn_data = false;   // the SYN's data was accepted (Linux SYN_DATA)
};

// Readiness notification: the stack calls these from receive()/advance()
// when a listener's accept queue gains a child or a socket's poll() bits
// change, so an event loop need not poll every handle.
class ReadinessObserver {
 public:
  virtual ~ReadinessObserver() = default;
  virtual void on_ready(ListenerId listener, uint32_t events) = 0;
  virtual void on_ready(SocketId socket, uint32_t events) = 0;
};

struct TestingAccess;  // testing_hooks.h

class Stack {
 public:
  Stack(const StackConfig& config, PacketSink& sink);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // The single entry point for every packet (TUN, tests, fuzzers, replay,
  // benchmarks): one IPv4 datagram. Never throws or aborts; allocates nothing
  // once the stack is constructed. A segment may carry more than one MSS of
  // data (a TSO/GSO super-segment from a TUN with offloads).
  Verdict receive(std::span<const uint8_t> ip_packet, Time now,
                  Checksum checksum = Checksum::kVerify);

  // Runs every timer due at or before `now` (SYN-ACK retransmission,
  // TIME-WAIT expiry, retransmission, delayed ACK, cookie key rotation).
  void advance(Time now);
  // The earliest time a timer is due, if any, for the event loop to sleep on.
  [[nodiscard]] std::optional<Time> next_timer() const;

  // Passive open.
  [[nodiscard]] ListenerId listen(Endpoint local, const ListenOptions& options,
                                  Error* error = nullptr);
  // Non-blocking: the next child from the accept queue, or invalid.
  [[nodiscard]] SocketId accept(ListenerId listener, Time now);
  // Closes a listener: children still queued are reset, request socks dropped.
  void close_listener(ListenerId listener, Time now);
  [[nodiscard]] uint32_t accept_queue_length(ListenerId listener) const;
  [[nodiscard]] uint32_t syn_queue_length(ListenerId listener) const;
  // Replaces a listener's TFO options (Linux setsockopt TCP_FASTOPEN /
  // TCP_FASTOPEN_KEY on a listening socket). TFO children already created
  // keep counting against the new queue_length.
  Error set_fast_open(ListenerId listener, const FastOpenOptions& options);
  // TFO children of this listener still in SYN-RECEIVED.
  [[nodiscard]] uint32_t fast_open_pending(ListenerId listener) const;

  // Active open (SYN-SENT); used by the in-memory two-stack tests.
  // `local.addr` must be one of ours (not 0); `local.port` 0 picks an
  // ephemeral port (RFC 6056 §3.3.3, range 49152-65535).
  [[nodiscard]] SocketId connect(Endpoint local, Endpoint remote, Time now,
                                 Error* error = nullptr);

  // As connect() above, with socket options set before the SYN (Linux
  // setsockopt before connect(): TCP_MAXSEG clamps the SYN's MSS).
  [[nodiscard]] SocketId connect(Endpoint local, Endpoint remote,
                                 const SocketOptions& options, Time now,
                                 Error* error = nullptr);

  // Socket options. kBadHandle for a stale handle, kInvalidArgument for an
  // MSS outside 0 / kMinUserMss..kMaxUserMss or a negative user timeout.
  // A listener's apply to SYNs from now on and to children it creates;
  // on a connection a new max_segment changes nothing once the MSS is
  // negotiated (as Linux), user_timeout re-bounds the pending
  // retransmission, and nodelay sends what Nagle held back.
  [[nodiscard]] Error set_socket_options(ListenerId listener,
                                         const SocketOptions& options);
  [[nodiscard]] Error set_socket_options(SocketId socket,
                                         const SocketOptions& options,
                                         Time now);
  [[nodiscard]] std::optional<SocketOptions> socket_options(
      ListenerId listener) const;
  [[nodiscard]] std::optional<SocketOptions> socket_options(
      SocketId socket) const;

  // Connected sockets. All non-blocking.
  [[nodiscard]] IoResult read(SocketId socket, std::span<uint8_t> out,
                              Time now);
  [[nodiscard]] IoResult write(SocketId socket, std::span<const uint8_t> data,
                               Time now);
  Error shutdown_write(SocketId socket, Time now);  // sends FIN when drained
  Error close(SocketId socket,
              Time now);  // RST if unread data (RFC 1122 §4.2.2.13)
  Error abort(SocketId socket, Time now);  // RST now
  [[nodiscard]] uint32_t poll(SocketId socket) const;
  [[nodiscard]] uint32_t poll(ListenerId listener) const;
  [[nodiscard]] std::optional<FourTuple> tuple(SocketId socket) const;

  // Introspection for tests, the model abstraction and fuzz invariants.
  [[nodiscard]] ConnectionView inspect(const FourTuple& tuple) const;
  // Records hashed under the 4-tuple, all kinds together (socket or child,
  // TIME-WAIT, request sock): 0 or 1 unless the stack is broken.
  [[nodiscard]] uint32_t records(const FourTuple& tuple) const;
  [[nodiscard]] const Counters& counters() const;

  // Optional; nullptr (the default) turns notifications off.
  void set_observer(ReadinessObserver* observer);

 private:
  friend struct TestingAccess;
  struct Impl;
  Impl* impl_;
};

}  // namespace tcpref::tcp
