#include "traces/packetdrill/syscalls.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "traces/packetdrill/match.h"

namespace tcpref::packetdrill {
namespace {

constexpr uint16_t kFirstRemotePort = 48000;
constexpr int64_t kFirstFd = 3;

std::string_view errno_name(tcp::Error e) {
  switch (e) {
    case tcp::Error::kOk:
      return "";
    case tcp::Error::kWouldBlock:
      return "EAGAIN";
    case tcp::Error::kBadHandle:
      return "EBADF";
    case tcp::Error::kAddressInUse:
      return "EADDRINUSE";
    case tcp::Error::kNoMemory:
      return "ENOMEM";
    case tcp::Error::kInvalidArgument:
      return "EINVAL";
    case tcp::Error::kNotConnected:
      return "ENOTCONN";
    case tcp::Error::kConnectionReset:
      return "ECONNRESET";
    case tcp::Error::kClosed:
      return "EPIPE";
    case tcp::Error::kTimedOut:
      return "ETIMEDOUT";
  }
  return "EIO";
}

std::optional<int64_t> int_arg(const SyscallSpec& s, size_t i) {
  if (i >= s.args.size() || s.args[i].kind != Expr::Kind::kInt)
    return std::nullopt;
  return s.args[i].int_value;
}

// [N] → N
std::optional<int64_t> array_int(const SyscallSpec& s, size_t i) {
  if (i >= s.args.size() || s.args[i].kind != Expr::Kind::kArray ||
      s.args[i].children.size() != 1 ||
      s.args[i].children[0].kind != Expr::Kind::kInt)
    return std::nullopt;
  return s.args[i].children[0].int_value;
}

std::string word_arg(const SyscallSpec& s, size_t i) {
  if (i >= s.args.size() || s.args[i].kind != Expr::Kind::kWord) return "";
  return s.args[i].text;
}

CallResult done(SyscallOutcome out) {
  return {CallResult::Kind::kDone, "", std::move(out)};
}
CallResult done(int64_t ret) { return done(SyscallOutcome{ret, ""}); }
CallResult error(tcp::Error e) {
  return done(SyscallOutcome{-1, std::string(errno_name(e))});
}
CallResult failed(std::string why) {
  return {CallResult::Kind::kFail, std::move(why), {}};
}
CallResult unsupported(std::string why) {
  return {CallResult::Kind::kUnsupported, std::move(why), {}};
}

std::string would_block(const SyscallSpec& s) {
  return s.name + "() would block on a blocking socket (the script expects " +
         std::to_string(s.result.int_value) + ")";
}

// Options the runner stores for getsockopt but the stack does not act on
// (SO_LINGER acts at close()): the value to store, -1 when Linux says
// EINVAL, nullopt when the option is not one of these.
std::optional<int64_t> stored_option(const SyscallSpec& s,
                                     const std::string& opt) {
  if (opt == "SO_LINGER") {
    // {onoff=1, linger=N} or {1, N}: store N, or -2 for "off".
    if (s.args.size() < 4 || s.args[3].kind != Expr::Kind::kBraces ||
        s.args[3].children.size() != 2)
      return std::nullopt;
    const auto value = [](const Expr& e) -> std::optional<int64_t> {
      const Expr& v = e.kind == Expr::Kind::kBinary ? e.children[1] : e;
      if (v.kind != Expr::Kind::kInt) return std::nullopt;
      return v.int_value;
    };
    const auto on = value(s.args[3].children[0]);
    const auto secs = value(s.args[3].children[1]);
    if (!on || !secs) return std::nullopt;
    return *on != 0 ? std::max<int64_t>(*secs, 0) : -2;
  }
  const auto v = array_int(s, 3);
  if (!v) return std::nullopt;
  if (opt == "SO_SNDBUF" || opt == "SO_RCVBUF") return std::max<int64_t>(*v, 0);
  if (opt == "SO_KEEPALIVE") return *v != 0 ? 1 : 0;
  // Linux's bounds: MAX_TCP_KEEPIDLE/INTVL 32767 s, MAX_TCP_KEEPCNT 127.
  if (opt == "TCP_KEEPIDLE" || opt == "TCP_KEEPINTVL")
    return *v >= 1 && *v <= 32767 ? *v : -1;
  if (opt == "TCP_KEEPCNT") return *v >= 1 && *v <= 127 ? *v : -1;
  return std::nullopt;
}

// getsockopt of a stored option: Linux doubles SO_SNDBUF/SO_RCVBUF (the
// kernel's bookkeeping overhead) with its minimums (SOCK_MIN_SNDBUF 4608,
// SOCK_MIN_RCVBUF 2304 on 64-bit).
int64_t stored_value(const std::string& opt, int64_t v) {
  if (opt == "SO_SNDBUF") return std::max<int64_t>(2 * v, 4608);
  if (opt == "SO_RCVBUF") return std::max<int64_t>(2 * v, 2304);
  if (opt == "SO_LINGER") return v == -2 ? 0 : 1;
  return v;
}

}  // namespace

bool has_flag(const Expr& e, std::string_view name) {
  if (e.kind == Expr::Kind::kWord) return e.text == name;
  if (e.kind == Expr::Kind::kBinary && e.text == "|")
    return has_flag(e.children[0], name) || has_flag(e.children[1], name);
  return false;
}

CallResult check_result(const SyscallSpec& s, const SyscallOutcome& o) {
  if (s.result.kind == Expr::Kind::kEllipsis) return done(o);
  if (s.result.kind != Expr::Kind::kInt)
    return unsupported(s.name + "() result '" + s.result.text + "'");
  if (o.ret != s.result.int_value ||
      (o.ret == -1 && !s.errno_name.empty() && o.err != s.errno_name))
    return failed(s.name + "() expected " + std::to_string(s.result.int_value) +
                  (s.errno_name.empty() ? "" : " " + s.errno_name) + " got " +
                  std::to_string(o.ret) + (o.err.empty() ? "" : " " + o.err));
  return done(o);
}

Sockets::Sockets(uint32_t local_addr, uint32_t remote_addr)
    : local_addr_(local_addr),
      remote_addr_(remote_addr),
      next_remote_port_(kFirstRemotePort),
      current_{local_addr, remote_addr, kLocalPort, kFirstRemotePort} {}

Sockets::Fd* Sockets::find(const SyscallSpec& s) {
  auto it = fds_.find(int_arg(s, 0).value_or(-1));
  return it == fds_.end() ? nullptr : &it->second;
}

const Sockets::Fd* Sockets::find(const SyscallSpec& s) const {
  auto it = fds_.find(int_arg(s, 0).value_or(-1));
  return it == fds_.end() ? nullptr : &it->second;
}

// The script names fds (packetdrill maps them to live ones); a call that
// creates one takes the number the script expects.
int64_t Sockets::new_fd(const SyscallSpec& s) const {
  if (s.result.kind == Expr::Kind::kInt && s.result.int_value >= 0 &&
      !fds_.contains(s.result.int_value))
    return s.result.int_value;
  int64_t fd = kFirstFd;
  while (fds_.contains(fd)) ++fd;
  return fd;
}

tcp::FourTuple Sockets::tuple(const Fd& fd) {
  return {{fd.addressing.local_addr, fd.addressing.local_port},
          {fd.addressing.remote_addr, fd.addressing.remote_port}};
}

bool Sockets::ready(const SyscallSpec& s, const tcp::Stack& stack) const {
  if (s.name == "poll") return poll_ready(s, stack);
  const Fd* fd = find(s);
  if (fd == nullptr) return true;  // fails when completed
  if (s.name == "accept")
    return fd->kind == Fd::Kind::kListener &&
           stack.accept_queue_length(fd->listener) > 0;
  if (s.name == "connect")
    return stack.inspect(tuple(*fd)).state != tcp::TcpState::kSynSent;
  return fd->kind == Fd::Kind::kConnection &&
         (fd->read_shut || (stack.poll(fd->socket) &
                            (tcp::ready::kReadable | tcp::ready::kReset)) != 0);
}

SyscallOutcome Sockets::connect_result(const SyscallSpec& s,
                                       const tcp::Stack& stack) const {
  const Fd* fd = find(s);
  if (fd != nullptr &&
      stack.inspect(tuple(*fd)).state == tcp::TcpState::kEstablished)
    return {0, ""};
  return {-1, "ECONNREFUSED"};
}

CallResult Sockets::start_connect(const SyscallSpec& s, tcp::Stack& stack,
                                  const Knobs& knobs, tcp::Time now) {
  Fd* fd = find(s);
  if (fd == nullptr || fd->kind != Fd::Kind::kSocket)
    return failed("connect() on a bad fd");
  if (knobs.ecn_initiate)
    return unsupported("ECN negotiation by connect() (tcp_ecn=1)");
  tcp::Error err = tcp::Error::kOk;
  const tcp::SocketId id = stack.connect(
      {local_addr_, 0}, {remote_addr_, kLocalPort}, fd->sockopt, now, &err);
  if (!id.valid())
    return failed("connect() failed: " + std::string(errno_name(err)));
  fd->kind = Fd::Kind::kConnection;
  fd->socket = id;
  const auto t = stack.tuple(id);
  fd->addressing = {t->local.addr, t->remote.addr, t->local.port,
                    t->remote.port};
  current_ = fd->addressing;
  return done(0);
}

tcp::FastOpenOptions Sockets::fast_open_for(const Fd& fd, const Knobs& knobs) {
  // Linux: TFO needs the server bit; the pending limit is the socket
  // option's, else with the 0x400 bit the listen backlog.
  tcp::FastOpenOptions o;
  if ((knobs.fastopen & tfo_bit::kServerEnable) == 0) return o;
  int64_t qlen = fd.fastopen_qlen;
  if (qlen == 0 && (knobs.fastopen & tfo_bit::kWithoutSockopt) != 0)
    qlen = fd.backlog;
  o.queue_length = static_cast<uint32_t>(std::clamp<int64_t>(qlen, 0, 65535));
  o.cookie_not_required = (knobs.fastopen & tfo_bit::kCookieNotRequired) != 0;
  o.key = fd.fastopen_key.value_or(knobs.fastopen_key);
  if (!fd.fastopen_key) o.backup_key = knobs.fastopen_backup_key;
  return o;
}

namespace {
// "\xf7\x63..." as the script writes it → bytes.
std::optional<std::vector<uint8_t>> unescape(std::string_view text) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '\\') {
      out.push_back(static_cast<uint8_t>(text[i++]));
      continue;
    }
    if (i + 4 > text.size() || text[i + 1] != 'x') return std::nullopt;
    uint8_t b = 0;
    const auto [p, ec] =
        std::from_chars(text.data() + i + 2, text.data() + i + 4, b, 16);
    if (ec != std::errc() || p != text.data() + i + 4) return std::nullopt;
    out.push_back(b);
    i += 4;
  }
  return out;
}
}  // namespace

CallResult Sockets::fastopen_option(const SyscallSpec& s,
                                    const std::string& opt, Fd& fd,
                                    tcp::Stack& stack, const Knobs& knobs) {
  if (fd.kind == Fd::Kind::kConnection)
    return error(tcp::Error::kInvalidArgument);
  if (opt == "TCP_FASTOPEN") {
    const auto qlen = array_int(s, 3);
    if (!qlen) return unsupported("setsockopt TCP_FASTOPEN value");
    if (*qlen < 0) return error(tcp::Error::kInvalidArgument);
    fd.fastopen_qlen = *qlen;
  } else {
    // Linux takes 16 bytes (a primary key) or 32 (primary and backup).
    const auto len = int_arg(s, 4);
    if (s.args.size() < 4 || s.args[3].kind != Expr::Kind::kString || !len)
      return unsupported("setsockopt TCP_FASTOPEN_KEY value");
    const auto bytes = unescape(s.args[3].text);
    if (!bytes) return unsupported("setsockopt TCP_FASTOPEN_KEY escapes");
    if (*len != 16 || bytes->size() < 16)
      return error(tcp::Error::kInvalidArgument);
    std::array<uint8_t, 16> key{};
    std::copy_n(bytes->begin(), 16, key.begin());
    fd.fastopen_key = key;
  }
  if (fd.kind == Fd::Kind::kListener) {
    const tcp::Error err =
        stack.set_fast_open(fd.listener, fast_open_for(fd, knobs));
    if (err != tcp::Error::kOk) return error(err);
  }
  return done(0);
}

std::optional<tcp::SocketOptions> Sockets::options_of(const Fd& fd,
                                                      const tcp::Stack& stack) {
  switch (fd.kind) {
    case Fd::Kind::kSocket:
      return fd.sockopt;
    case Fd::Kind::kListener:
      return stack.socket_options(fd.listener);
    case Fd::Kind::kConnection:
      return stack.socket_options(fd.socket);
  }
  return std::nullopt;
}

// TCP_MAXSEG [bytes], TCP_USER_TIMEOUT [ms], TCP_NODELAY [0/1].
CallResult Sockets::socket_option(const SyscallSpec& s, const std::string& opt,
                                  Fd& fd, tcp::Stack& stack, tcp::Time now) {
  const auto value = array_int(s, 3);
  if (!value) return unsupported("setsockopt " + opt + " value");
  std::optional<tcp::SocketOptions> o = options_of(fd, stack);
  if (!o) return error(tcp::Error::kBadHandle);
  if (opt == "TCP_MAXSEG") {
    if (*value < 0 || *value > UINT16_MAX)
      return error(tcp::Error::kInvalidArgument);
    o->max_segment = static_cast<uint16_t>(*value);
  } else if (opt == "TCP_USER_TIMEOUT") {
    o->user_timeout = std::chrono::milliseconds(*value);
  } else {
    o->nodelay = *value != 0;
  }
  tcp::Error err = tcp::check_socket_options(*o);
  if (err == tcp::Error::kOk) {
    if (fd.kind == Fd::Kind::kSocket)
      fd.sockopt = *o;
    else if (fd.kind == Fd::Kind::kListener)
      err = stack.set_socket_options(fd.listener, *o);
    else
      err = stack.set_socket_options(fd.socket, *o, now);
  }
  return err == tcp::Error::kOk ? done(0) : error(err);
}

std::optional<tcp::ConnectionView> Sockets::under_test(
    const tcp::Stack& stack) const {
  const auto it = fds_.find(under_test_);
  if (it == fds_.end() || it->second.kind != Fd::Kind::kConnection)
    return std::nullopt;
  return stack.inspect(tuple(it->second));
}

CallResult Sockets::call(const SyscallSpec& s, tcp::Stack* stack,
                         const Knobs& knobs, tcp::Time now, bool completing) {
  const std::string& n = s.name;
  if (n == "socket") {
    if (!s.args.empty() && has_flag(s.args[0], "AF_INET6"))
      return unsupported("IPv6 socket");
    if (s.args.size() < 2 || !has_flag(s.args[1], "SOCK_STREAM"))
      return unsupported("socket() other than SOCK_STREAM");
    Fd fd;
    fd.nonblocking = has_flag(s.args[1], "SOCK_NONBLOCK");
    // packetdrill gives every socket its own remote port.
    fd.addressing = {local_addr_, remote_addr_, kLocalPort,
                     next_remote_port_++};
    current_ = fd.addressing;
    const int64_t number = new_fd(s);
    fds_[number] = fd;
    under_test_ = number;
    return done(number);
  }
  if (n == "poll") return poll(s, *stack, completing);
  if (n.starts_with("epoll_")) return epoll(s, *stack);
  if (n == "close" && epolls_.erase(int_arg(s, 0).value_or(-1)) > 0)
    return done(0);
  Fd* fd = find(s);
  if (fd == nullptr) {
    if (n == "close" || n == "read" || n == "write" || n == "accept")
      return error(tcp::Error::kBadHandle);
    return unsupported(n + "() on an fd the runner does not know");
  }
  if (n == "setsockopt") {
    const std::string opt = word_arg(s, 2);
    if (opt == "SO_REUSEADDR" || opt == "SO_REUSEPORT")
      return done(0);  // no port reuse conflicts in-process
    if (opt == "TCP_FASTOPEN" || opt == "TCP_FASTOPEN_KEY") {
      if (stack == nullptr) return unsupported("setsockopt before any stack");
      return fastopen_option(s, opt, *fd, *stack, knobs);
    }
    if (opt.starts_with("TCP_FASTOPEN"))
      return unsupported("TCP Fast Open (setsockopt " + opt + ")");
    if (opt == "TCP_MAXSEG" || opt == "TCP_USER_TIMEOUT" ||
        opt == "TCP_NODELAY") {
      if (stack == nullptr) return unsupported("setsockopt before any stack");
      return socket_option(s, opt, *fd, *stack, now);
    }
    if (const auto v = stored_option(s, opt)) {
      if (*v < 0) return error(tcp::Error::kInvalidArgument);
      fd->stored[opt] = *v;
      return done(0);
    }
    return unsupported("setsockopt " + opt);
  }
  if (n == "bind") return done(0);
  if (n == "fcntl") return fcntl(s, *fd);
  if (n == "listen") {
    if (fd->kind != Fd::Kind::kSocket)
      return unsupported("listen() on a non-fresh socket");
    tcp::ListenOptions lo = knobs.listen;
    const int64_t backlog =
        std::clamp<int64_t>(int_arg(s, 1).value_or(0), 0, 65535);
    lo.backlog = static_cast<uint32_t>(backlog);
    // Linux sends cookies once request socks reach the backlog.
    lo.syn_queue_limit = static_cast<uint32_t>(std::max<int64_t>(backlog, 1));
    fd->backlog = backlog;
    lo.fast_open = fast_open_for(*fd, knobs);
    lo.socket = fd->sockopt;
    tcp::Error err = tcp::Error::kOk;
    const tcp::ListenerId id =
        stack->listen({fd->addressing.local_addr, kLocalPort}, lo, &err);
    if (!id.valid()) return error(err);
    fd->kind = Fd::Kind::kListener;
    fd->listener = id;
    return done(0);
  }
  if (n == "accept") {
    if (fd->kind != Fd::Kind::kListener)
      return error(tcp::Error::kInvalidArgument);
    const tcp::SocketId id = stack->accept(fd->listener, now);
    if (!id.valid()) {
      if (!fd->nonblocking && !completing)
        return failed(
            "accept() would block: no connection is ready (the "
            "script expects " +
            std::to_string(s.result.int_value) + ")");
      return error(tcp::Error::kWouldBlock);
    }
    Fd child;
    child.kind = Fd::Kind::kConnection;
    child.socket = id;
    const auto t = stack->tuple(id);
    child.addressing = {t->local.addr, t->remote.addr, t->local.port,
                        t->remote.port};
    const int64_t number = new_fd(s);
    fds_[number] = child;
    under_test_ = number;
    return done(number);
  }
  if (n == "connect") {
    if (s.args.size() > 1 && has_flag(s.args[1], "AF_UNSPEC"))
      return disconnect(*fd, *stack, now);
    if (!fd->nonblocking)
      return unsupported("blocking connect() without ...end time");
    CallResult r = start_connect(s, *stack, knobs, now);
    if (r.kind != CallResult::Kind::kDone) return r;
    return done(SyscallOutcome{-1, "EINPROGRESS"});
  }
  if (n == "close") {
    const auto linger = fd->stored.find("SO_LINGER");
    if (fd->kind == Fd::Kind::kListener)
      stack->close_listener(fd->listener, now);
    else if (fd->kind == Fd::Kind::kConnection && linger != fd->stored.end() &&
             linger->second == 0)
      (void)stack->abort(fd->socket, now);  // SO_LINGER {1, 0}: RST
    else if (fd->kind == Fd::Kind::kConnection)
      (void)stack->close(fd->socket, now);
    fds_.erase(int_arg(s, 0).value_or(-1));
    return done(0);
  }
  if (n == "shutdown") return shutdown(s, *fd, *stack, now);
  if (n == "read" || n == "recv" || n == "recvfrom" || n == "write" ||
      n == "send" || n == "sendto")
    return io(s, *fd, *stack, now, completing);
  if (n == "getsockopt" || n == "ioctl") return query(s, *fd, *stack);
  return unsupported("system call " + n + "()");
}

CallResult Sockets::io(const SyscallSpec& s, Fd& fd, tcp::Stack& stack,
                       tcp::Time now, bool completing) {
  const bool is_read =
      s.name == "read" || s.name == "recv" || s.name == "recvfrom";
  // A NULL buffer faults in the kernel's copy (EFAULT) before any I/O.
  if (s.args.size() > 1 &&
      ((s.args[1].kind == Expr::Kind::kWord && s.args[1].text == "NULL") ||
       (s.args[1].kind == Expr::Kind::kInt && s.args[1].int_value == 0)))
    return done(SyscallOutcome{-1, "EFAULT"});
  // sendto()/recvfrom() on a connected stream socket: the address is
  // ignored (Linux), so they are send()/recv().
  if ((s.name == "sendto" || s.name == "recvfrom") && s.args.size() > 4 &&
      s.args[4].kind != Expr::Kind::kEllipsis)
    return unsupported(s.name + "() with an address");
  const auto count = int_arg(s, 2);
  if (!count || *count < 0)
    return unsupported(s.name + "() with a non-integer length");
  if (s.args.size() > 3) {
    const auto flags = int_arg(s, 3);
    if (!flags || *flags != 0) return unsupported(s.name + "() with flags");
  }
  if (fd.kind != Fd::Kind::kConnection) return error(tcp::Error::kNotConnected);
  // packetdrill's payloads are zeros both ways.
  std::vector<uint8_t> buf(static_cast<size_t>(*count), 0);
  const tcp::IoResult r = is_read ? stack.read(fd.socket, buf, now)
                                  : stack.write(fd.socket, buf, now);
  if (r.bytes > 0 || r.error == tcp::Error::kOk) {
    if (is_read) {
      fd.bytes_read += r.bytes;
      const std::span<const uint8_t> got(buf.data(), r.bytes);
      if (!std::all_of(got.begin(), got.end(),
                       [](uint8_t b) { return b == 0; }))
        return failed("read() returned bytes that were never sent");
    }
    return done(static_cast<int64_t>(r.bytes));
  }
  // After shutdown(SHUT_RD) an empty queue reads as end of file.
  if (r.error == tcp::Error::kWouldBlock && is_read && fd.read_shut)
    return done(0);
  if (r.error == tcp::Error::kWouldBlock && !fd.nonblocking && !completing)
    return failed(would_block(s));
  return error(r.error);
}

CallResult Sockets::query(const SyscallSpec& s, Fd& fd,
                          const tcp::Stack& stack) {
  const bool connected = fd.kind == Fd::Kind::kConnection;
  if (s.name == "getsockopt") {
    const std::string opt = word_arg(s, 2);
    if (opt == "SO_ERROR" || fd.stored.contains(opt)) {
      const int64_t got = opt == "SO_ERROR"
                              ? pending_error(fd, stack)
                              : stored_value(opt, fd.stored.at(opt));
      const auto want = array_int(s, 3);
      if (want && *want != got) return failed(mismatch(opt, *want, got));
      return done(0);
    }
    if (opt != "TCP_MAXSEG" && opt != "TCP_USER_TIMEOUT" &&
        opt != "TCP_NODELAY")
      return unsupported("getsockopt " + opt);
    const std::optional<tcp::SocketOptions> o = options_of(fd, stack);
    if (!o) return error(tcp::Error::kBadHandle);
    int64_t got = 0;
    if (opt == "TCP_MAXSEG") {
      // Linux: the TCP_MAXSEG set, while closed or listening; else the
      // current send MSS (536 before any connection).
      constexpr int64_t kDefaultMss = 536;
      got = connected             ? stack.inspect(tuple(fd)).send_mss
            : o->max_segment != 0 ? o->max_segment
                                  : kDefaultMss;
    } else if (opt == "TCP_USER_TIMEOUT") {
      got =
          std::chrono::duration_cast<std::chrono::milliseconds>(o->user_timeout)
              .count();
    } else {
      got = o->nodelay ? 1 : 0;
    }
    const auto want = array_int(s, 3);
    if (want && *want != got) return failed(mismatch(opt, *want, got));
    return done(0);
  }
  const std::string req = word_arg(s, 1);
  if ((req != "SIOCINQ" && req != "FIONREAD") || !connected)
    return unsupported("ioctl " + req);
  const auto want = array_int(s, 2);
  // Bytes waiting = received in order minus read, from the stack's own
  // view (RCV.NXT - IRS - 1, less one for a received FIN).
  const tcp::ConnectionView v = stack.inspect(tuple(fd));
  const bool fin_in = v.state == tcp::TcpState::kCloseWait ||
                      v.state == tcp::TcpState::kLastAck ||
                      v.state == tcp::TcpState::kClosing ||
                      v.state == tcp::TcpState::kTimeWait;
  const uint64_t got =
      static_cast<uint32_t>(v.rcv_nxt - v.irs - 1 - (fin_in ? 1 : 0)) -
      fd.bytes_read;
  if (want && static_cast<uint64_t>(*want) != got)
    return failed(mismatch(req, *want, got));
  return done(0);
}

// SO_ERROR: the error a reset left (Linux sk_err), else 0. The Stack does
// not tell a reset in SYN-SENT (Linux: ECONNREFUSED) from a later one.
int64_t Sockets::pending_error(const Fd& fd, const tcp::Stack& stack) const {
  if (fd.kind != Fd::Kind::kConnection) return 0;
  return (stack.poll(fd.socket) & tcp::ready::kReset) ? ECONNRESET : 0;
}

// F_GETFL: O_RDWR plus O_NONBLOCK when set; F_SETFL: only O_NONBLOCK
// matters to a socket.
CallResult Sockets::fcntl(const SyscallSpec& s, Fd& fd) {
  const std::string cmd = word_arg(s, 1);
  if (cmd == "F_GETFL") return done(O_RDWR | (fd.nonblocking ? O_NONBLOCK : 0));
  if (cmd != "F_SETFL" || s.args.size() < 3) return unsupported("fcntl " + cmd);
  fd.nonblocking = has_flag(s.args[2], "O_NONBLOCK");
  return done(0);
}

// SHUT_RD is the socket layer's (see Fd::read_shut); SHUT_WR sends the FIN
// once the send queue drains (RFC 9293 §3.10.4); SHUT_RDWR both.
CallResult Sockets::shutdown(const SyscallSpec& s, Fd& fd, tcp::Stack& stack,
                             tcp::Time now) {
  const std::string how = word_arg(s, 1);
  if (how != "SHUT_RD" && how != "SHUT_WR" && how != "SHUT_RDWR")
    return error(tcp::Error::kInvalidArgument);
  if (fd.kind != Fd::Kind::kConnection) return error(tcp::Error::kNotConnected);
  if (how != "SHUT_WR") fd.read_shut = true;
  if (how == "SHUT_RD") return done(0);
  const tcp::Error err = stack.shutdown_write(fd.socket, now);
  return err == tcp::Error::kOk ? done(0) : error(err);
}

// connect(fd, AF_UNSPEC, ...): Linux's tcp_disconnect. A connection is
// aborted (RST where RFC 9293 §3.10.5 ABORT sends one) and the fd is a
// fresh socket again, free to connect() anew.
CallResult Sockets::disconnect(Fd& fd, tcp::Stack& stack, tcp::Time now) {
  if (fd.kind == Fd::Kind::kListener) {
    stack.close_listener(fd.listener, now);
  } else if (fd.kind == Fd::Kind::kConnection) {
    (void)stack.abort(fd.socket, now);
  }
  fd.kind = Fd::Kind::kSocket;
  fd.read_shut = false;
  fd.bytes_read = 0;
  return done(0);
}

}  // namespace tcpref::packetdrill
