// The TCB of a synchronized connection (RFC 9293 §3.3.1 names): a child in
// the accept queue, an accepted socket, or one the application has closed
// that is finishing its FIN exchange. Split gVisor's way: `snd` (Sender,
// sender.h) and `rcv` (Receiver, receiver.h) hold the two halves; what the
// stack keeps about the slot (listener, accept queue, orphaned) is the
// SocketSlot record in stack_impl.h. `on_segment` is the seam for the
// ESTABLISHED-and-later processing (established.cc); data transfer,
// retransmission and congestion control are in transfer.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "impl/tcp/challenge_ack.h"
#include "impl/tcp/counters.h"
#include "impl/tcp/output.h"
#include "impl/tcp/receiver.h"
#include "impl/tcp/sender.h"
#include "impl/tcp/stack.h"
#include "impl/wire/segment.h"

namespace tcpref::tcp {

// What a connection needs from the stack while it handles one event.
struct ConnectionEnv {
  const StackConfig& config;
  Counters& counters;
  Output& output;
  Time now;
  bool orphaned = false;  // the application closed its handle
};

// What the stack must do after a connection handled an event.
enum class ConnectionEvent : uint8_t {
  kNone,
  kTimeWait,  // replace the socket with a TIME-WAIT record
  kClosed,    // the connection reached CLOSED: unhash it (and free it if
              // the application no longer holds it)
};

struct ConnectionResult {
  Verdict verdict = Verdict::kAccepted;
  ConnectionEvent event = ConnectionEvent::kNone;
};

class Connection {
 public:
  // Identity and state.
  FourTuple tuple;
  TcpState state = TcpState::kClosed;
  Sender snd;
  Receiver rcv;
  // Negotiated options.
  uint16_t mss = 0;
  uint16_t adv_mss = 0;   // the MSS our SYN or SYN-ACK advertised
  SocketOptions sockopt;  // setsockopt; a child's come from its listener
  bool wscale_ok = false, sack_ok = false, ts_ok = false, ecn_ok = false;
  bool from_cookie = false;
  // TCP Fast Open (RFC 7413): a passively opened child created from a SYN,
  // in SYN-RECEIVED until the handshake's ACK (fast_open_child.cc).
  bool fast_open = false;
  bool syn_data = false;       // the SYN's data was taken (Linux SYN_DATA)
  uint8_t synack_retries = 0;  // TFO child: SYN-ACK retransmissions allowed
  uint32_t ts_offset = 0;
  ChallengeAckLimiter challenge;
  // Life cycle.
  bool timed_out = false;   // aborted by the user timeout
  bool peer_reset = false;  // ended by the peer's RST
  Time linger_due{0};       // an orphan's FIN-WAIT-2 bound (tcp_fin_timeout)

  // RFC 9293 §3.10.7.4 for synchronized states (established.cc); SYN-SENT
  // and an actively opened SYN-RECEIVED go to syn_sent.cc.
  ConnectionResult on_segment(const wire::Segment& seg, ConnectionEnv& env);
  // Active open: our SYN (SYN-SENT) or SYN-ACK (simultaneous open, or a
  // TFO child's).
  void send_syn(ConnectionEnv& env);
  // A TFO child's SYN-ACK: acknowledges the SYN's data; `cookie` only on
  // the first one, when the client must learn a new cookie.
  void send_fast_open_synack(
      ConnectionEnv& env,
      const std::optional<wire::FastOpenCookie>& cookie = std::nullopt);
  // Timer expiry: retransmission, persist, delayed ACK, orphan timeout.
  ConnectionEvent on_timer(ConnectionEnv& env);
  // The earliest armed deadline, 0 when none (what the stack's heap holds).
  [[nodiscard]] Time deadline() const;
  // Entering a synchronized state: congestion control from the MSS.
  void start_transfer(const StackConfig& config);

  // Application calls (connection.cc).
  IoResult read(std::span<uint8_t> out, ConnectionEnv& env);
  IoResult write(std::span<const uint8_t> data, ConnectionEnv& env);
  Error shutdown_write(ConnectionEnv& env);
  // Returns kClosed when the slot can be freed now.
  ConnectionEvent close(ConnectionEnv& env);
  void abort(ConnectionEnv& env);

  // setsockopt on this connection (Stack::set_socket_options).
  void set_options(const SocketOptions& options, ConnectionEnv& env);

  [[nodiscard]] uint32_t poll() const;
  [[nodiscard]] ConnectionView view() const;
  [[nodiscard]] uint32_t rcv_wnd() const { return rcv.wnd(rcv_shift()); }
  // RCV.WND as the window field carries it (scaled down when negotiated).
  [[nodiscard]] uint16_t window_field() const;

  void set_state(TcpState next, Counters& counters);
  void send_ack(ConnectionEnv& env);
  void send_challenge_ack(ConnectionEnv& env);
  // Sends what the windows, Nagle and the send buffer allow (transfer.cc).
  // `cwnd_extra` lets limited transmit (RFC 3042) go past cwnd.
  void transmit(ConnectionEnv& env, uint32_t cwnd_extra = 0);

 private:
  // The shift of our window field: RCV.WSCALE once negotiated.
  [[nodiscard]] uint8_t rcv_shift() const { return wscale_ok ? rcv.wscale : 0; }
  wire::Segment make_segment(uint8_t flags, ConnectionEnv& env) const;
  void send_rst(ConnectionEnv& env);
  void arm_retransmit_timer(ConnectionEnv& env);
  // transfer.cc
  [[nodiscard]] uint16_t send_mss() const;
  [[nodiscard]] Time user_timeout(const StackConfig& config) const;
  [[nodiscard]] Time rto_due(const ConnectionEnv& env) const {
    return snd.rto_due(env.now, user_timeout(env.config));
  }
  // PSH on the segment that ends what the application wrote, or with `push`.
  void send_data(uint32_t seq, uint32_t len, bool fin, ConnectionEnv& env,
                 bool push = false);
  // Resends one segment from `seq`, up to the next SACKed range.
  void retransmit_at(uint32_t seq, ConnectionEnv& env);
  bool retransmit_next_hole(ConnectionEnv& env);
  // (Re)arms timer_due: the RTO, or a tail loss probe before it.
  void arm_timer(ConnectionEnv& env);
  void send_loss_probe(ConnectionEnv& env);
  ConnectionEvent on_retransmit_timer(ConnectionEnv& env);
  void on_ack(const wire::Segment& seg, ConnectionEnv& env);
  // Any segment carrying our ACK went out: the delayed ACK is settled.
  void sent_ack(const wire::Segment& s);
  // RFC 5961 §3.2: a RST not at RCV.NXT draws a challenge ACK when in the
  // window and is dropped otherwise (every synchronized-ish state).
  ConnectionResult on_rst_not_exact(const wire::Segment& seg,
                                    ConnectionEnv& env);
  // RFC 7323 §3.2 and §5.3 R1 once timestamps are on: a non-RST segment
  // without TSopt is dropped, an older TSval answered with an ACK and
  // dropped. nullopt: the segment passes.
  std::optional<ConnectionResult> timestamp_reject(const wire::Segment& seg,
                                                   ConnectionEnv& env);
  ConnectionResult on_syn_sent(const wire::Segment& seg, ConnectionEnv& env);
  ConnectionResult on_syn_received(const wire::Segment& seg,
                                   ConnectionEnv& env);
  ConnectionResult on_fast_open_syn_received(const wire::Segment& seg,
                                             ConnectionEnv& env);
};

}  // namespace tcpref::tcp
