// The script's file descriptors and the system calls on them, mapped onto
// the Stack API: socket, bind, listen, accept, connect (also AF_UNSPEC),
// read/recv, write/send, close, shutdown (all forms), fcntl(F_GETFL,
// F_SETFL), setsockopt/getsockopt (SO_REUSEADDR, TCP Fast Open, TCP_MAXSEG,
// TCP_USER_TIMEOUT, TCP_NODELAY; SO_ERROR; the stored-only SO_SNDBUF,
// SO_RCVBUF, SO_KEEPALIVE, SO_LINGER, TCP_KEEPIDLE/INTVL/CNT),
// ioctl(SIOCINQ), and poll / epoll (readiness.cc). Anything else is
// unsupported, by name.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "impl/tcp/stack.h"
#include "traces/packetdrill/packets.h"
#include "traces/packetdrill/script.h"
#include "traces/packetdrill/sysctl.h"

namespace tcpref::packetdrill {

struct SyscallOutcome {
  int64_t ret = 0;
  std::string err;  // errno name when ret == -1
};

struct CallResult {
  enum class Kind : uint8_t { kDone, kFail, kUnsupported };
  Kind kind = Kind::kDone;
  std::string reason;
  SyscallOutcome out;
};

// True if `e` is the word `name` or an a|b|... expression containing it.
[[nodiscard]] bool has_flag(const Expr& e, std::string_view name);

// Compares a call's return with the script's "= ret [ERRNO]".
[[nodiscard]] CallResult check_result(const SyscallSpec& s,
                                      const SyscallOutcome& out);

class Sockets {
 public:
  // packetdrill's bind port; connect() goes to the remote side's.
  static constexpr uint16_t kLocalPort = 8080;

  Sockets(uint32_t local_addr, uint32_t remote_addr);

  // Runs one non-blocking call. `stack` may be null only for socket().
  // With `completing`, the call ends a blocking "...end" call, so nothing
  // ready is an errno rather than a call that would never return.
  [[nodiscard]] CallResult call(const SyscallSpec& s, tcp::Stack* stack,
                                const Knobs& knobs, tcp::Time now,
                                bool completing);
  // connect(): sends the SYN; the socket becomes the script's connection.
  [[nodiscard]] CallResult start_connect(const SyscallSpec& s,
                                         tcp::Stack& stack, const Knobs& knobs,
                                         tcp::Time now);
  // Whether a blocking accept/connect/read/poll would have returned by now.
  [[nodiscard]] bool ready(const SyscallSpec& s, const tcp::Stack& stack) const;
  // The result of a blocking connect() once it returns.
  [[nodiscard]] SyscallOutcome connect_result(const SyscallSpec& s,
                                              const tcp::Stack& stack) const;

  // The connection inbound packets belong to and outbound ones must use.
  const Addressing& current() const { return current_; }
  // packetdrill's "socket under test", whose tcp_info %{ python }% blocks
  // read: the last socket created or accepted. nullopt when it is not a
  // connection (a listener, a fresh socket, or closed).
  [[nodiscard]] std::optional<tcp::ConnectionView> under_test(
      const tcp::Stack& stack) const;

 private:
  struct Fd {
    enum class Kind : uint8_t { kSocket, kListener, kConnection };
    Kind kind = Kind::kSocket;
    bool nonblocking = false;
    tcp::ListenerId listener;
    tcp::SocketId socket;
    Addressing addressing;
    uint64_t bytes_read = 0;
    // TCP Fast Open socket options (setsockopt TCP_FASTOPEN[_KEY]).
    int64_t fastopen_qlen = 0;
    std::optional<std::array<uint8_t, 16>> fastopen_key;
    int64_t backlog = 0;
    // TCP_MAXSEG, TCP_USER_TIMEOUT, TCP_NODELAY set before listen() or
    // connect(); afterwards the stack holds them.
    tcp::SocketOptions sockopt;
    // shutdown(SHUT_RD): the socket layer's RCV_SHUTDOWN. Linux still
    // queues and ACKs data after it; read() returns 0 once the queue is
    // empty (the stack has no SHUT_RD, so the runner keeps the flag).
    bool read_shut = false;
    // Options the runner stores and reads back but the stack does not use
    // (SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE, SO_LINGER, TCP_KEEP*).
    std::map<std::string, int64_t> stored;
  };

  // An epoll instance: fd → interest, and for edge-triggered ones the
  // readiness signature last reported (readiness.cc).
  struct EpollItem {
    uint32_t events = 0;  // EPOLLIN/OUT/ET bits the script asked for
    int64_t data = 0;     // what epoll_wait reports as fd=
    std::optional<uint64_t> reported;
  };
  struct Epoll {
    std::map<int64_t, EpollItem> items;
  };

  Fd* find(const SyscallSpec& s);
  const Fd* find(const SyscallSpec& s) const;
  int64_t new_fd(const SyscallSpec& s) const;
  static tcp::FourTuple tuple(const Fd& fd);
  CallResult io(const SyscallSpec& s, Fd& fd, tcp::Stack& stack, tcp::Time now,
                bool completing);
  CallResult query(const SyscallSpec& s, Fd& fd, const tcp::Stack& stack);
  CallResult fastopen_option(const SyscallSpec& s, const std::string& opt,
                             Fd& fd, tcp::Stack& stack, const Knobs& knobs);
  static tcp::FastOpenOptions fast_open_for(const Fd& fd, const Knobs& knobs);
  CallResult socket_option(const SyscallSpec& s, const std::string& opt, Fd& fd,
                           tcp::Stack& stack, tcp::Time now);
  static std::optional<tcp::SocketOptions> options_of(const Fd& fd,
                                                      const tcp::Stack& stack);
  CallResult disconnect(Fd& fd, tcp::Stack& stack, tcp::Time now);
  CallResult shutdown(const SyscallSpec& s, Fd& fd, tcp::Stack& stack,
                      tcp::Time now);
  CallResult fcntl(const SyscallSpec& s, Fd& fd);
  int64_t pending_error(const Fd& fd, const tcp::Stack& stack) const;
  // readiness.cc
  uint32_t poll_bits(const Fd& fd, const tcp::Stack& stack) const;
  uint64_t signature(const Fd& fd, const tcp::Stack& stack) const;
  bool poll_ready(const SyscallSpec& s, const tcp::Stack& stack) const;
  CallResult poll(const SyscallSpec& s, const tcp::Stack& stack,
                  bool completing);
  CallResult epoll(const SyscallSpec& s, const tcp::Stack& stack);

  uint32_t local_addr_;
  uint32_t remote_addr_;
  uint16_t next_remote_port_;
  Addressing current_;
  std::map<int64_t, Fd> fds_;
  std::map<int64_t, Epoll> epolls_;
  int64_t under_test_ = -1;
};

}  // namespace tcpref::packetdrill
